package dev.prepaid.fee;

import dev.prepaid.state.StoredName;

/** How a merchant fee rule computes the fee of one transaction (domain-rules §4). */
public enum FeeMethod implements StoredName {
    /** amount × rate, rounded half-up. */
    PERCENT("PERCENT"),
    /** A fixed fee per transaction of the rule's kinds. */
    FIXED("FIXED"),
    /** amount × rate, at least the minimum, at most the cap (e.g. 0.35 % capped at 13.00). */
    PERCENT_MIN_CAP("PERCENT_MIN_CAP"),
    /** A fixed service fee once per calendar month, charged at the first cut-over of the month. */
    PERIODIC("PERIODIC"),
    /** No fee. */
    FREE("FREE");

    private final String storedName;

    FeeMethod(final String storedName) {
        this.storedName = storedName;
    }

    @Override
    public String storedName() {
        return storedName;
    }
}
