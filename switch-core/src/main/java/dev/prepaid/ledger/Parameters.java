package dev.prepaid.ledger;

import dev.prepaid.state.StateReader;
import dev.prepaid.state.StateWriter;

/**
 * System parameters: the regulatory defaults of domain-rules §1 and the operator's own settings. Each is
 * a named {@code long} with a range; {@code SetParameter} changes one through the journal, so replay sees
 * the same values at the same points. Amounts are fen.
 */
public final class Parameters {

    /** Every parameter with its default and allowed range. */
    public enum Name {
        BALANCE_CAP_NAMED("balanceCapNamed", 500_000, 1, 100_000_000_00L, "balance cap of a named card (fen)"),
        BALANCE_CAP_ANONYMOUS("balanceCapAnonymous", 100_000, 1, 100_000_000_00L, "balance cap of an anonymous card (fen)"),
        REAL_NAME_SALE_THRESHOLD("realNameSaleThreshold", 1_000_000, 1, Long.MAX_VALUE / 4,
                "an anonymous sale of at least this total records the buyer's identity (fen)"),
        ORGANISATION_CASH_LIMIT("organisationCashLimit", 500_000, 1, Long.MAX_VALUE / 4,
                "an organisation buying at least this much pays by bank transfer (fen)"),
        PERSON_CASH_LIMIT("personCashLimit", 5_000_000, 1, Long.MAX_VALUE / 4,
                "a person buying at least this much pays by bank transfer (fen)"),
        RECHARGE_TRANSFER_THRESHOLD("rechargeTransferThreshold", 500_000, 1, Long.MAX_VALUE / 4,
                "one recharge of at least this much must be a bank transfer (fen)"),
        AGENT_FACE_VALUE_LIMIT("agentFaceValueLimit", 20_000, 0, Long.MAX_VALUE / 4,
                "largest face value of a card sold or recharged through an agent (fen)"),
        REDEMPTION_MIN_MONTHS("redemptionMinMonths", 3, 0, 120, "months after sale before a named card may be redeemed"),
        ANONYMOUS_MIN_VALIDITY_MONTHS("anonymousMinValidityMonths", 36, 1, 1200, "shortest validity of an anonymous card type"),
        REFUND_WINDOW_DAYS("refundWindowDays", 30, 0, 3650, "business days after a purchase in which it may be refunded"),
        TRANSACTIONS_KEPT_DAYS("transactionsKeptDays", 45, 1, 3650,
                "business days a transaction stays available for matching (at least the refund window)"),
        HOLD_TIMEOUT_MINUTES("holdTimeoutMinutes", 30L * 24 * 60, 1, 366L * 24 * 60, "minutes until a pre-authorisation hold expires"),
        PIN_TRIES_DEFAULT("pinTriesDefault", 3, 1, 20, "wrong PINs before a card locks when its type does not say"),
        LARGE_AMOUNT_THRESHOLD("largeAmountThreshold", 300_000, 1, Long.MAX_VALUE / 4,
                "a purchase or pre-authorisation of at least this much is flagged for review (fen)"),
        LARGE_AMOUNT_BLOCKS("largeAmountBlocks", 0, 0, 1, "1: decline large amounts (34) instead of only flagging them"),
        DECLINES_PER_DAY_THRESHOLD("declinesPerDayThreshold", 5, 1, 255,
                "declines of one card in one day after which its transactions are flagged"),
        DECLINES_BLOCK("declinesBlock", 0, 0, 1, "1: decline (34) a card past the decline threshold instead of only flagging"),
        NEAR_THRESHOLD_PERCENT("nearThresholdPercent", 90, 1, 99,
                "an anonymous sale of at least this percentage of the real-name threshold is 'near' it"),
        NEAR_THRESHOLD_SALES("nearThresholdSales", 2, 1, 1000,
                "near-threshold anonymous sales by one operator in one day that raise a flag"),
        POINT_VALUE_FEN("pointValueFen", 1, 0, 10_000, "value of one loyalty point booked to 2206 (fen)"),
        LOGIN_TRIES("loginTries", 5, 1, 20, "wrong passwords in a row after which an operator is locked", false);

        public final String key;
        public final long defaultValue;
        public final long min;
        public final long max;
        public final String description;
        /**
         * Whether the state always holds this parameter. Those of the first format do; one added later is held
         * only when it differs from its default, so a state that never set it has the bytes (and the digest) it
         * had before the parameter existed.
         */
        final boolean alwaysStored;

        Name(final String key, final long defaultValue, final long min, final long max, final String description) {
            this(key, defaultValue, min, max, description, true);
        }

        Name(final String key, final long defaultValue, final long min, final long max, final String description,
                final boolean alwaysStored) {
            this.key = key;
            this.defaultValue = defaultValue;
            this.min = min;
            this.max = max;
            this.description = description;
            this.alwaysStored = alwaysStored;
        }

        public static Name ofKey(final String key) {
            for (final Name name : values()) {
                if (name.key.equals(key)) {
                    return name;
                }
            }
            return null;
        }
    }

    private final long[] values = new long[Name.values().length];

    public Parameters() {
        for (final Name name : Name.values()) {
            values[name.ordinal()] = name.defaultValue;
        }
    }

    public long get(final Name name) {
        return values[name.ordinal()];
    }

    public void set(final Name name, final long value) {
        values[name.ordinal()] = value;
    }

    public boolean flag(final Name name) {
        return values[name.ordinal()] != 0;
    }

    /** Every parameter by its key (one added after the first format only when not its default), then an empty key. */
    public void writeTo(final StateWriter out) {
        for (final Name name : Name.values()) {
            if (name.alwaysStored || get(name) != name.defaultValue) {
                out.string(name.key);
                out.i64(get(name));
            }
        }
        out.string("");
    }

    /** The parameters written by {@link #writeTo}; a key this build does not know is skipped. */
    public void readFrom(final StateReader in) {
        for (String key = in.string(); !key.isEmpty(); key = in.string()) {
            final long value = in.i64();
            final Name name = Name.ofKey(key);
            if (name != null) {
                set(name, value);
            }
        }
    }
}
