package dev.prepaid.iso8583;

/**
 * One field of a dialect, compiled from the dialect file. Lengths are in the field's units: digits for n and
 * z, characters for an and ans, bytes for b.
 */
public final class FieldSpec {
    public final int number;
    public final String name;
    public final Format format;
    public final LengthKind lengthKind;
    /** Length of a fixed field; 0 for a variable one. */
    public final int fixedLength;
    /** Largest length the switch writes (the fixed length for a fixed field). */
    public final int encodeMax;
    /** Largest length the switch accepts (the fixed length for a fixed field). */
    public final int decodeMax;
    /** Fixed n/z only: digits start at the first nibble and a pad nibble trails (field 22). */
    public final boolean leftAligned;
    public final Sensitivity sensitivity;
    /** {@code format.bcd}, {@code lengthKind.prefixBytes} and the fixed/right-aligned rule kept flat: the codec
     *  reads them for every field of every message, and each enum hop is a dependent load. */
    public final boolean bcd;
    public final int prefixBytes;
    private final boolean isFixed;
    private final boolean padsFirstWhenOdd;
    /** MTIs (e.g. 810) where the sensitivity applies; empty: every MTI. */
    private final int[] sensitiveMtis;
    private final Layout[] layouts;

    FieldSpec(final int number, final String name, final Format format, final LengthKind lengthKind,
            final int fixedLength, final int encodeMax, final int decodeMax, final boolean leftAligned,
            final Sensitivity sensitivity, final int[] sensitiveMtis, final Layout[] layouts) {
        this.number = number;
        this.name = name;
        this.format = format;
        this.lengthKind = lengthKind;
        this.fixedLength = fixedLength;
        this.encodeMax = encodeMax;
        this.decodeMax = decodeMax;
        this.leftAligned = leftAligned;
        this.sensitivity = sensitivity;
        this.sensitiveMtis = sensitiveMtis;
        this.layouts = layouts;
        this.bcd = format.bcd;
        this.prefixBytes = lengthKind.prefixBytes;
        this.isFixed = lengthKind == LengthKind.FIXED;
        this.padsFirstWhenOdd = format.bcd && isFixed && !leftAligned;
    }

    public boolean fixed() {
        return isFixed;
    }

    /** Bytes of data (without prefix) for a length in units. */
    public int dataBytes(final int length) {
        return bcd ? (length + 1) >> 1 : length;
    }

    /** Nibble where digit 0 sits: 1 for a right-aligned fixed field with an odd digit count, else 0. */
    public int firstNibble(final int length) {
        return padsFirstWhenOdd ? length & 1 : 0;
    }

    /** The unit of the field's length, as messages name it. */
    public String unit() {
        return format.bcd ? "digits" : format == Format.B ? "bytes" : "characters";
    }

    /** How {@link IsoDescriber} shows this field in a message of this MTI. */
    public Sensitivity sensitivityFor(final int mti) {
        if (sensitiveMtis.length == 0) {
            return sensitivity;
        }
        for (final int sensitiveMti : sensitiveMtis) {
            if (sensitiveMti == mti) {
                return sensitivity;
            }
        }
        return Sensitivity.NONE;
    }

    public int layoutCount() {
        return layouts.length;
    }

    public Layout layout(final int index) {
        return layouts[index];
    }

    /**
     * The layout that describes a value of this length: the first whose length matches exactly (a multiple
     * for a repeating one), else the first that does not repeat, else null.
     */
    public Layout layoutFor(final int length) {
        for (final Layout layout : layouts) {
            if (layout.repeat ? length > 0 && length % layout.length == 0 : length == layout.length) {
                return layout;
            }
        }
        for (final Layout layout : layouts) {
            if (!layout.repeat && !layout.exactLength) {
                return layout;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "field " + number + " (" + name + ", " + format.text + (fixed() ? String.valueOf(fixedLength)
                : ".." + encodeMax + " " + lengthKind.text) + ")";
    }
}
