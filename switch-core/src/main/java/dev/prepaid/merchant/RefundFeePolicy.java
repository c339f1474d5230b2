package dev.prepaid.merchant;

import dev.prepaid.state.StoredName;

/** What happens to the merchant fee of a purchase when it is refunded (domain-rules §4). */
public enum RefundFeePolicy implements StoredName {
    /** The fee stays with the operator. */
    NONE("NONE"),
    /** The fee is returned in proportion; the last refund takes the remainder so the parts sum exactly. */
    PROPORTIONAL("PROPORTIONAL"),
    /** The whole fee is returned with the first refund. */
    FULL("FULL");

    private final String storedName;

    RefundFeePolicy(final String storedName) {
        this.storedName = storedName;
    }

    @Override
    public String storedName() {
        return storedName;
    }
}
