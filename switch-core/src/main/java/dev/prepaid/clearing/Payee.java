package dev.prepaid.clearing;

import dev.prepaid.merchant.MerchantProfile;
import dev.prepaid.state.StateReader;
import dev.prepaid.state.StateWriter;

/**
 * Whom a settlement line pays: the merchant's bank details as they were when the batch was prepared. The batch
 * keeps them, so a merchant update after preparation (a new account number, say) cannot redirect a payout the
 * second operator approved on the old details: the next batch pays the new account, after its own approval.
 *
 * @param accountName the payee's name as the bank sees it (the profile's {@code bankAccountName})
 * @param account the payee's account number
 * @param bankName the payee's bank (branch) name
 * @param cnapsCode the payee bank's 12-digit CNAPS code
 */
public record Payee(String accountName, String account, String bankName, String cnapsCode) {
    public static Payee of(final MerchantProfile profile) {
        return new Payee(profile.bankAccountName(), profile.bankAccount(), profile.bankName(), profile.cnapsCode());
    }

    public static Payee of(final dev.prepaid.merchant.DeployerProfile profile) {
        return new Payee(profile.bankAccountName(), profile.bankAccount(), profile.bankName(), profile.cnapsCode());
    }

    void writeTo(final StateWriter out) {
        out.string(accountName);
        out.string(account);
        out.string(bankName);
        out.string(cnapsCode);
    }

    static Payee readFrom(final StateReader in) {
        return new Payee(in.string(), in.string(), in.string(), in.string());
    }
}
