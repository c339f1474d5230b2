package dev.prepaid.iso8583;

/** How {@link IsoDescriber} shows a field. */
public enum Sensitivity {
    /** In clear. */
    NONE("none"),
    /** First 6 and last 4 digits, the rest as {@code *} (all masked when 10 digits or fewer). */
    PAN("pan"),
    /** Only its length. */
    HIDDEN("hidden");

    public final String text;

    Sensitivity(final String text) {
        this.text = text;
    }

    static Sensitivity ofText(final String text) {
        for (final Sensitivity sensitivity : values()) {
            if (sensitivity.text.equals(text)) {
                return sensitivity;
            }
        }
        return null;
    }
}
