package dev.prepaid.merchant;

import dev.prepaid.state.StoredName;

/** When a merchant is paid (domain-rules §5). */
public enum SettlementCycle implements StoredName {
    /** Activity of a business day is paid on the next working day. */
    T_PLUS_1("T_PLUS_1"),
    /** Activity is paid on the N-th working day after it. */
    T_PLUS_N("T_PLUS_N"),
    /** Everything owed is paid once it reaches the threshold. */
    THRESHOLD("THRESHOLD"),
    /** Paid at the threshold or on T+N, whichever comes first. */
    THRESHOLD_OR_T_PLUS_N("THRESHOLD_OR_T_PLUS_N"),
    /**
     * Paid once a week on a weekday ({@code cycleDays} 1 = Monday … 7 = Sunday), or the next working day when that
     * day is not one: everything owed for the business days before the payout day.
     */
    WEEKLY("WEEKLY"),
    /**
     * Paid once a month on a day of the month ({@code cycleDays} 1..31; a day the month does not have is its last
     * day), or the next working day when that day is not one: everything owed for the business days before it.
     */
    MONTHLY("MONTHLY");

    private final String storedName;

    SettlementCycle(final String storedName) {
        this.storedName = storedName;
    }

    @Override
    public String storedName() {
        return storedName;
    }
}
