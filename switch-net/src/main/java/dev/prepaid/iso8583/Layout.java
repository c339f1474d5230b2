package dev.prepaid.iso8583;

/**
 * A sub-field layout of a field (e.g. 60.1–60.5, or field 48's settlement totals). Sub-fields follow one
 * another from position 0; a repeating layout (field 54's balance amounts) repeats every {@link #length}
 * units.
 */
public final class Layout {
    public final String name;
    /** Sum of the sub-field lengths, in the field's units. */
    public final int length;
    public final boolean repeat;
    /** Whether the dialect says the layout applies only to a value of exactly {@link #length}. */
    public final boolean exactLength;
    private final SubField[] subFields;

    Layout(final String name, final int length, final boolean repeat, final boolean exactLength,
            final SubField[] subFields) {
        this.name = name;
        this.length = length;
        this.repeat = repeat;
        this.exactLength = exactLength;
        this.subFields = subFields;
    }

    public int subFieldCount() {
        return subFields.length;
    }

    public SubField subField(final int index) {
        return subFields[index];
    }
}
