package dev.prepaid.command;

/**
 * The result of one command, filled in place by the ledger (one per ring slot, reused, never allocated per
 * command). POS fields map onto the response message; admin commands use {@link #value1}/{@link #value2}
 * for what they created and {@link #detail} to say exactly what was wrong.
 */
public final class Outcome {
    /** Risk flags: raised for review, not declined (unless the rule is configured to block). */
    public static final int FLAG_LARGE_AMOUNT = 1;
    public static final int FLAG_MANY_DECLINES = 2;
    public static final int FLAG_NEAR_REAL_NAME_THRESHOLD = 4;
    /** A cut-over found an identity of the books that does not hold ({@link #detail} names it). */
    public static final int FLAG_BOOKS_OUT_OF_BALANCE = 8;

    public Reason reason = Reason.APPROVED;
    /** True when this answers a repeated request with the first answer. */
    public boolean duplicate;
    /** Retrieval reference number (field 37), 0 when none was assigned. */
    public long rrn;
    /** Authorisation code (field 38), -1 when none. */
    public int authCode = -1;
    /** Card balances after the command (field 54): available = 2201, ledger = 2201 + 2202. */
    public long availableBalance = -1;
    public long ledgerBalance = -1;
    /** Amount actually taken from or given to the card (after discount). */
    public long cardAmount;
    public long discount;
    public long fee;
    public long points;
    public int riskFlags;
    /** The ledger's business date, yyyymmdd (field 15 as MMDD). */
    public int businessDate;
    /** Sign-on: the batch the terminal must use (60.2). Settlement: the batch settled. */
    public int batch;
    /** Settlement result flag of field 48: 1 balanced, 2 unbalanced. */
    public int settlementFlag;
    /** Issuer id (field 44) of the card's type, null when no card was identified. */
    public String issuerInstitutionId;
    /** Admin results: e.g. first card key and count, pending request id, settlement id. */
    public long value1;
    public long value2;
    /** Admin commands: what exactly was wrong (allocated only off the POS path). */
    public String detail;

    public void reset() {
        reason = Reason.APPROVED;
        duplicate = false;
        rrn = 0;
        authCode = -1;
        availableBalance = -1;
        ledgerBalance = -1;
        cardAmount = 0;
        discount = 0;
        fee = 0;
        points = 0;
        riskFlags = 0;
        businessDate = 0;
        batch = 0;
        settlementFlag = 0;
        issuerInstitutionId = null;
        value1 = 0;
        value2 = 0;
        detail = null;
    }

    public ResponseCode responseCode() {
        return reason.responseCode;
    }

    public boolean approved() {
        return reason == Reason.APPROVED;
    }

    public void copyFrom(final Outcome other) {
        reason = other.reason;
        duplicate = other.duplicate;
        rrn = other.rrn;
        authCode = other.authCode;
        availableBalance = other.availableBalance;
        ledgerBalance = other.ledgerBalance;
        cardAmount = other.cardAmount;
        discount = other.discount;
        fee = other.fee;
        points = other.points;
        riskFlags = other.riskFlags;
        businessDate = other.businessDate;
        batch = other.batch;
        settlementFlag = other.settlementFlag;
        issuerInstitutionId = other.issuerInstitutionId;
        value1 = other.value1;
        value2 = other.value2;
        detail = other.detail;
    }

    @Override
    public String toString() {
        return reason.responseCode.code + " " + reason + (duplicate ? " (repeat)" : "") + (rrn != 0 ? " rrn=" + rrn : "")
                + (authCode >= 0 ? " auth=" + authCode : "") + (availableBalance >= 0 ? " available=" + availableBalance : "")
                + (ledgerBalance >= 0 ? " ledger=" + ledgerBalance : "") + (fee != 0 ? " fee=" + fee : "")
                + (discount != 0 ? " discount=" + discount : "") + (points != 0 ? " points=" + points : "")
                + (riskFlags != 0 ? " risk=" + riskFlags : "") + (value1 != 0 ? " value1=" + value1 : "")
                + (value2 != 0 ? " value2=" + value2 : "") + (detail != null ? " (" + detail + ")" : "");
    }
}
