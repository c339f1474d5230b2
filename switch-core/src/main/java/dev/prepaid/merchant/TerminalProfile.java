package dev.prepaid.merchant;

import dev.prepaid.state.StateReader;
import dev.prepaid.state.StateWriter;

/**
 * A terminal's reference data, replaced whole by each update.
 *
 * @param terminalId the 8-character id of POS field 41
 * @param keyReference the name of the terminal's TMK entry in the key store (the key is never here)
 * @param deployerCode the agent that deployed the terminal ("" when none)
 * @param shareRatePpm the ratio (FEE_RATIO) or cost rate (SPREAD), parts per million
 */
public record TerminalProfile(
        String terminalId,
        String merchantId,
        String serialNumber,
        TerminalStatus status,
        MacAlgorithm macAlgorithm,
        String keyReference,
        String deployerCode,
        DeployerShareMethod shareMethod,
        long shareRatePpm) {

    public void writeTo(final StateWriter out) {
        out.string(terminalId);
        out.string(merchantId);
        out.string(serialNumber);
        out.stored(status);
        out.stored(macAlgorithm);
        out.string(keyReference);
        out.string(deployerCode);
        out.stored(shareMethod);
        out.i64(shareRatePpm);
    }

    public static TerminalProfile readFrom(final StateReader in) {
        return new TerminalProfile(in.string(), in.string(), in.string(), in.stored(TerminalStatus.class),
                in.stored(MacAlgorithm.class), in.string(), in.string(), in.stored(DeployerShareMethod.class), in.i64());
    }
}
