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
    THRESHOLD_OR_T_PLUS_N("THRESHOLD_OR_T_PLUS_N");

    private final String storedName;

    SettlementCycle(final String storedName) {
        this.storedName = storedName;
    }

    @Override
    public String storedName() {
        return storedName;
    }
}
