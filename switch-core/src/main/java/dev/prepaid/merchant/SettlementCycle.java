package dev.prepaid.merchant;

/** When a merchant is paid (domain-rules §5). */
public enum SettlementCycle {
    /** Activity of a business day is paid on the next working day. */
    T_PLUS_1,
    /** Activity is paid on the N-th working day after it. */
    T_PLUS_N,
    /** Everything owed is paid once it reaches the threshold. */
    THRESHOLD,
    /** Paid at the threshold or on T+N, whichever comes first. */
    THRESHOLD_OR_T_PLUS_N
}
