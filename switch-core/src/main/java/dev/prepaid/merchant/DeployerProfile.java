package dev.prepaid.merchant;

import dev.prepaid.state.StateReader;
import dev.prepaid.state.StateWriter;

/**
 * A deployer's reference data, replaced whole by each update.
 *
 * @param code what its terminals name as their deployer code
 * @param bankAccountName the payee's name as its bank knows it
 */
public record DeployerProfile(String code, String name, String bankAccount, String bankAccountName, String bankName,
        String cnapsCode) {

    public void writeTo(final StateWriter out) {
        out.string(code);
        out.string(name);
        out.string(bankAccount);
        out.string(bankAccountName);
        out.string(bankName);
        out.string(cnapsCode);
    }

    public static DeployerProfile readFrom(final StateReader in) {
        return new DeployerProfile(in.string(), in.string(), in.string(), in.string(), in.string(), in.string());
    }
}
