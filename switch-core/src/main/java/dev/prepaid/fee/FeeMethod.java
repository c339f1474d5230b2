package dev.prepaid.fee;

/** How a merchant fee rule computes the fee of one transaction (domain-rules §4). */
public enum FeeMethod {
    /** amount × rate, rounded half-up. */
    PERCENT,
    /** A fixed fee per transaction of the rule's kinds. */
    FIXED,
    /** amount × rate, at least the minimum, at most the cap (e.g. 0.35 % capped at 13.00). */
    PERCENT_MIN_CAP,
    /** A fixed service fee once per calendar month, charged at the first cut-over of the month. */
    PERIODIC,
    /** No fee. */
    FREE
}
