package dev.prepaid.iso8583;

/** ISO 8583 data formats the dialect can give a field. */
public enum Format {
    /** Numeric, BCD on the wire. */
    N("n", true),
    /** Track data, BCD on the wire with {@code =} as the nibble {@code D}. */
    Z("z", true),
    /** Alphanumeric ASCII. */
    AN("an", false),
    /** Alphanumeric and special ASCII. */
    ANS("ans", false),
    /** Binary bytes. */
    B("b", false);

    /** The name used in the dialect file and in messages. */
    public final String text;
    /** Whether the wire form is packed BCD nibbles (lengths count digits). */
    public final boolean bcd;

    Format(final String text, final boolean bcd) {
        this.text = text;
        this.bcd = bcd;
    }

    /** Whether the wire form is ASCII characters. */
    public boolean ascii() {
        return this == AN || this == ANS;
    }

    static Format ofText(final String text) {
        for (final Format format : values()) {
            if (format.text.equals(text)) {
                return format;
            }
        }
        return null;
    }
}
