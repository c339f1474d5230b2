package dev.prepaid.merchant;

/** What happens to the merchant fee of a purchase when it is refunded (domain-rules §4). */
public enum RefundFeePolicy {
    /** The fee stays with the operator. */
    NONE,
    /** The fee is returned in proportion; the last refund takes the remainder so the parts sum exactly. */
    PROPORTIONAL,
    /** The whole fee is returned with the first refund. */
    FULL
}
