package dev.prepaid.merchant;

import dev.prepaid.state.StateReader;
import dev.prepaid.state.StateWriter;

/**
 * A merchant's reference data, replaced whole by each update.
 *
 * @param merchantId the 15-character id of POS field 42
 * @param category merchant category code (4 digits)
 * @param cycleDays N of a T+N cycle (1 for T+1); the weekday of a WEEKLY cycle (1 = Monday … 7 = Sunday); the day
 *     of the month of a MONTHLY cycle (1..31)
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

    public void writeTo(final StateWriter out) {
        out.string(merchantId);
        out.string(name);
        out.string(category);
        out.stored(status);
        out.stored(cycle);
        out.i32(cycleDays);
        out.i64(thresholdFen);
        out.stored(refundFeePolicy);
        out.bool(rechargeAllowed);
        out.string(bankAccount);
        out.string(bankAccountName);
        out.string(bankName);
        out.string(cnapsCode);
    }

    public static MerchantProfile readFrom(final StateReader in) {
        return new MerchantProfile(in.string(), in.string(), in.string(), in.stored(MerchantStatus.class),
                in.stored(SettlementCycle.class), in.i32(), in.i64(), in.stored(RefundFeePolicy.class), in.bool(), in.string(),
                in.string(), in.string(), in.string());
    }
}
