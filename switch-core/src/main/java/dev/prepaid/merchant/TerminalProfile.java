package dev.prepaid.merchant;

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
}
