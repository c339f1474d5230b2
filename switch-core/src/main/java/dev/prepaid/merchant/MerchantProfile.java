package dev.prepaid.merchant;

/**
 * A merchant's reference data, replaced whole by each update.
 *
 * @param merchantId the 15-character id of POS field 42
 * @param category merchant category code (4 digits)
 * @param cycleDays N of a T+N cycle (1 for T+1)
 * @param thresholdFen the threshold of a threshold cycle
 * @param rechargeAllowed whether its terminals may take card recharges
 */
public record MerchantProfile(
        String merchantId,
        String name,
        String category,
        MerchantStatus status,
        SettlementCycle cycle,
        int cycleDays,
        long thresholdFen,
        RefundFeePolicy refundFeePolicy,
        boolean rechargeAllowed,
        String bankAccount,
        String bankAccountName,
        String bankName,
        String cnapsCode) {
}
