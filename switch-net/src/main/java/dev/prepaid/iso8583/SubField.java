package dev.prepaid.iso8583;

/**
 * A sub-field of a field's layout, found by id once ({@link Dialect#subField}) and used on the hot path
 * ({@link IsoMessage#subField}, {@link IsoWriter#putSubField}). Position and length are in the field's units:
 * digits in an n field, characters in an an/ans field.
 */
public final class SubField {
    public final String id;
    public final String name;
    /** n: digits (BCD in an n field, ASCII digits in an an/ans field); an/ans: characters. */
    public final Format format;
    public final int field;
    public final int offset;
    public final int length;
    /** Length of one repetition of the layout, 0 when it does not repeat. */
    public final int repeatLength;
    private Layout layout;

    SubField(final String id, final String name, final Format format, final int field, final int offset,
            final int length, final int repeatLength) {
        this.id = id;
        this.name = name;
        this.format = format;
        this.field = field;
        this.offset = offset;
        this.length = length;
        this.repeatLength = repeatLength;
    }

    void layout(final Layout layout) {
        this.layout = layout;
    }

    public Layout layout() {
        return layout;
    }

    /** Position of this sub-field in repetition {@code occurrence} (0 for a layout that does not repeat). */
    public int offset(final int occurrence) {
        return offset + occurrence * repeatLength;
    }

    @Override
    public String toString() {
        return id + " (" + name + ", " + format.text + length + " at " + offset + ")";
    }
}
