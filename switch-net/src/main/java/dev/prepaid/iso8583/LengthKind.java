package dev.prepaid.iso8583;

/** How a field's length is known: fixed by the dialect, or a BCD prefix of 2 (LL) or 3 (LLL) digits. */
public enum LengthKind {
    FIXED("fixed", 0, 0),
    LL("LL", 1, 99),
    LLL("LLL", 2, 999);

    public final String text;
    /** Bytes of the BCD length prefix on the wire. */
    public final int prefixBytes;
    /** Largest length the prefix can express. */
    public final int maxLength;

    LengthKind(final String text, final int prefixBytes, final int maxLength) {
        this.text = text;
        this.prefixBytes = prefixBytes;
        this.maxLength = maxLength;
    }

    static LengthKind ofText(final String text) {
        for (final LengthKind kind : values()) {
            if (kind.text.equals(text)) {
                return kind;
            }
        }
        return null;
    }
}
