package dev.prepaid.clearing.daily;

/**
 * What a business day's figures count for each merchant, terminal and deployer, in the order of the figures file's
 * columns. Counts and amounts of approvals are of the day's approvals; the voids and reversals of the day are counted
 * on their own with the amount they undid, and every money figure — fees, share, discounts, points, net — is after
 * them: a voided or reversed transaction carries no fee and owes nothing. Amounts are fen.
 */
public enum Measure {
    PURCHASES("purchases"),
    PURCHASE_AMOUNT("purchaseAmount"),
    COMPLETIONS("completions"),
    COMPLETION_AMOUNT("completionAmount"),
    REFUNDS("refunds"),
    REFUND_AMOUNT("refundAmount"),
    RECHARGES("recharges"),
    RECHARGE_AMOUNT("rechargeAmount"),
    /**
     * The commission the operator pays the merchant for taking the day's recharges at its terminals (the merchant's
     * fee rule of kind RECHARGE, booked to 6401): the merchant owes the cash less this. A reversed or voided recharge
     * gives its commission back. Figures file version 2 on; a version 1 file has no such column and reads 0.
     */
    RECHARGE_COMMISSION("rechargeCommission"),
    VOIDS("voids"),
    VOID_AMOUNT("voidAmount"),
    REVERSALS("reversals"),
    REVERSAL_AMOUNT("reversalAmount"),
    PREAUTHS("preauths"),
    PREAUTH_AMOUNT("preauthAmount"),
    PREAUTH_CANCELS("preauthCancels"),
    BALANCE_INQUIRIES("balanceInquiries"),
    DECLINES("declines"),
    BATCHES_SETTLED("batchesSettled"),
    /** Fees of the day's transactions by the merchant's effective rule (refunds return their part: negative). */
    FEES("fees"),
    /** The merchant's fixed fee per period, posted by the cut-over that starts a new month (merchants only). */
    PERIODIC_FEES("periodicFees"),
    DEPLOYER_SHARE("deployerShare"),
    /** Operator-funded discounts given on purchases, less those returned with refunds. */
    DISCOUNTS("discounts"),
    POINTS("points"),
    /** Approved manual adjustments of the merchant's payable (credits positive; merchants only). */
    ADJUSTMENTS("adjustments"),
    /**
     * What the day adds to what the merchant is owed: purchases and completions, less refunds and recharges it took
     * cash for, less fees, plus adjustments — the merchant's activity of the day in the ledger's books.
     */
    NET("net");

    public static final int COUNT = values().length;
    private static final Measure[] ALL = values();

    /** The name in the figures file and in JSON. */
    public final String key;

    Measure(final String key) {
        this.key = key;
    }

    public static Measure ofKey(final String key) {
        for (final Measure m : ALL) {
            if (m.key.equals(key)) {
                return m;
            }
        }
        return null;
    }
}
