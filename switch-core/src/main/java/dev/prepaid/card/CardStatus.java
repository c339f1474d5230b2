package dev.prepaid.card;

/**
 * Stored card states of domain-rules §2. "Expired" is not stored: it follows from the expiry date and the
 * business date, so extending the expiry brings a card back without a second state to keep in step.
 */
public enum CardStatus {
    GENERATED(0),
    ACTIVE(1),
    FROZEN(2),
    LOST(3),
    BLACKLISTED(4),
    REPLACED(5),
    RETURNED(6),
    CANCELLED(7);

    private static final CardStatus[] BY_CODE = new CardStatus[8];

    static {
        for (final CardStatus status : values()) {
            BY_CODE[status.code] = status;
        }
    }

    public final int code;

    CardStatus(final int code) {
        this.code = code;
    }

    public static CardStatus ofCode(final int code) {
        return BY_CODE[code];
    }

    /** Dead states: the card will never transact again. */
    public boolean terminal() {
        return this == REPLACED || this == RETURNED || this == CANCELLED;
    }
}
