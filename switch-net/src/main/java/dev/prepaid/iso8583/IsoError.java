package dev.prepaid.iso8583;

/**
 * What went wrong in a decode or an encode, reused for every message: a code, the field (0 for the frame,
 * TPDU, MTI or bitmap), the byte offset from the start of the frame body (the TPDU's first byte), and what
 * was expected versus found. Setting it allocates nothing; {@link #appendTo}/{@link #toString} render the
 * one-line text, e.g. {@code field 35: LL prefix says 45 digits, max 37, at offset 27}. Texts never carry
 * field contents beyond a single byte or nibble.
 */
public final class IsoError {
    public static final int NONE = 0;
    // decoding
    public static final int FRAME_TOO_SHORT = 1;
    public static final int FRAME_TOO_LONG = 2;
    public static final int BAD_TPDU = 3;
    public static final int BAD_MTI = 4;
    public static final int SECONDARY_BITMAP = 5;
    public static final int UNKNOWN_FIELD = 6;
    public static final int FIELD_TRUNCATED = 7;
    public static final int PREFIX_TRUNCATED = 8;
    public static final int PREFIX_NOT_BCD = 9;
    public static final int PREFIX_OVER_MAX = 10;
    public static final int PREFIX_OVER_REMAINING = 11;
    public static final int BAD_DIGIT = 12;
    public static final int BAD_PAD = 13;
    public static final int TRAILING_BYTES = 14;
    public static final int BUFFER_TOO_SHORT = 15;
    // encoding
    public static final int WRITE_UNKNOWN_FIELD = 20;
    public static final int WRITE_ORDER = 21;
    public static final int WRITE_FORMAT = 22;
    public static final int WRITE_TOO_LONG = 23;
    public static final int WRITE_WRONG_LENGTH = 24;
    public static final int WRITE_VALUE_RANGE = 25;
    public static final int WRITE_BAD_CHARACTER = 26;
    public static final int WRITE_OVERFLOW = 27;
    public static final int WRITE_STATE = 28;
    public static final int WRITE_SUBFIELD = 29;

    /** {@link #WRITE_STATE} details. */
    public static final int STATE_FIELD_OPEN = 1;
    public static final int STATE_NO_FIELD_OPEN = 2;
    public static final int STATE_MAC_NOT_WRITTEN = 3;
    public static final int STATE_AFTER_MAC = 4;
    public static final int STATE_NOT_WRAPPED = 5;

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private int code;
    private int field;
    private int offset;
    private long expected;
    private long found;
    private FieldSpec spec;
    private int position;

    public boolean isSet() {
        return code != NONE;
    }

    public int code() {
        return code;
    }

    /** Field number, 0 when the error is about the frame, TPDU, MTI or bitmap. */
    public int field() {
        return field;
    }

    /** Byte offset from the start of the frame body (TPDU byte 0). */
    public int offset() {
        return offset;
    }

    public long expected() {
        return expected;
    }

    public long found() {
        return found;
    }

    public void reset() {
        code = NONE;
        field = 0;
        offset = 0;
        expected = 0;
        found = 0;
        spec = null;
        position = 0;
    }

    /** Sets the error; returns false so a decoder can {@code return error.set(...)}. */
    boolean set(final int code, final FieldSpec spec, final int field, final int offset, final long expected,
            final long found) {
        return set(code, spec, field, offset, expected, found, 0);
    }

    boolean set(final int code, final FieldSpec spec, final int field, final int offset, final long expected,
            final long found, final int position) {
        this.code = code;
        this.spec = spec;
        this.field = field;
        this.offset = offset;
        this.expected = expected;
        this.found = found;
        this.position = position;
        return false;
    }

    public void copyFrom(final IsoError other) {
        set(other.code, other.spec, other.field, other.offset, other.expected, other.found, other.position);
    }

    @Override
    public String toString() {
        return appendTo(new StringBuilder(96)).toString();
    }

    /** Appends the one-line text of the error. */
    public StringBuilder appendTo(final StringBuilder out) {
        if (field > 0) {
            out.append("field ").append(field).append(": ");
        }
        switch (code) {
            case NONE -> out.append("no error");
            case FRAME_TOO_SHORT -> out.append("frame: ").append(found).append(" bytes, expected at least ")
                    .append(expected).append(" (TPDU, header, MTI and bitmap)");
            case FRAME_TOO_LONG -> out.append("frame: ").append(found).append(" bytes, max ").append(expected);
            case BUFFER_TOO_SHORT -> out.append("frame: ").append(expected)
                    .append(" bytes expected, the buffer holds ").append(found);
            case BAD_TPDU -> hexByte(hexByte(out.append("TPDU: id 0x"), found).append(", expected 0x"), expected);
            case BAD_MTI -> hexByte(out.append("MTI: byte 0x"), found).append(" is not BCD");
            case SECONDARY_BITMAP -> out.append("bitmap: bit 1 (secondary bitmap) is set,")
                    .append(" expected a primary bitmap only");
            case UNKNOWN_FIELD -> out.append("set in the bitmap but not defined by the dialect");
            case FIELD_TRUNCATED -> out.append("needs ").append(expected).append(" bytes, found ").append(found)
                    .append(" remaining");
            case PREFIX_TRUNCATED -> prefix(out).append(" prefix needs ").append(expected).append(" bytes, found ")
                    .append(found).append(" remaining");
            case PREFIX_NOT_BCD -> hexByte(prefix(out).append(" prefix byte 0x"), found).append(" is not BCD");
            case PREFIX_OVER_MAX -> prefix(out).append(" prefix says ").append(found).append(' ').append(unit())
                    .append(", max ").append(expected);
            case PREFIX_OVER_REMAINING -> prefix(out).append(" prefix says ").append(position).append(' ')
                    .append(unit()).append(" (").append(expected).append(" bytes), found ").append(found)
                    .append(" bytes remaining");
            case BAD_DIGIT -> hexNibble(out.append("nibble 0x"), found).append(" at digit ").append(position)
                    .append(" is not a digit, expected ").append(isTrack() ? "0-9 or D" : "0-9");
            case BAD_PAD -> hexNibble(out.append("pad nibble 0x"), found).append(", expected 0 or F");
            case TRAILING_BYTES -> out.append("frame: ").append(found)
                    .append(" bytes after the last field, expected none");
            case WRITE_UNKNOWN_FIELD -> out.append("not defined by the dialect");
            case WRITE_ORDER -> out.append("written after field ").append(found).append(", expected ascending order");
            case WRITE_FORMAT -> out.append("format ").append(formatText()).append(", expected ")
                    .append(formatsText((int) expected));
            case WRITE_TOO_LONG -> out.append(found).append(' ').append(unit()).append(", max ").append(expected);
            case WRITE_WRONG_LENGTH -> out.append(found).append(' ').append(unit()).append(", expected ")
                    .append(expected);
            case WRITE_VALUE_RANGE -> out.append("value ").append(found).append(" does not fit ").append(expected)
                    .append(" digits");
            case WRITE_BAD_CHARACTER -> hexByte(out.append("character 0x"), found).append(" at ").append(position)
                    .append(" is not allowed in format ").append(formatText());
            case WRITE_OVERFLOW -> out.append("needs ").append(expected).append(" bytes, found ").append(found)
                    .append(" left in the frame");
            case WRITE_STATE -> out.append(stateText((int) found));
            case WRITE_SUBFIELD -> out.append("sub-field at ").append(position)
                    .append(" does not belong to the open field or ends past ").append(expected);
            default -> out.append("error ").append(code);
        }
        return out.append(", at offset ").append(offset);
    }

    private StringBuilder prefix(final StringBuilder out) {
        return out.append(spec == null ? "length" : spec.lengthKind.text);
    }

    private String unit() {
        return spec == null ? "units" : spec.unit();
    }

    private boolean isTrack() {
        return spec != null && spec.format == Format.Z;
    }

    private String formatText() {
        return spec == null ? "?" : spec.format.text;
    }

    private static StringBuilder hexByte(final StringBuilder out, final long value) {
        return hexNibble(hexNibble(out, value >>> 4), value);
    }

    private static StringBuilder hexNibble(final StringBuilder out, final long value) {
        return out.append(HEX[(int) value & 0xF]);
    }

    static final int EXPECT_NUMERIC = 1;
    static final int EXPECT_ASCII = 2;
    static final int EXPECT_BINARY = 3;
    static final int EXPECT_VARIABLE = 4;
    static final int EXPECT_FIXED_BINARY_8 = 5;
    static final int EXPECT_NOT_BINARY = 6;

    private static String formatsText(final int expected) {
        return switch (expected) {
            case EXPECT_NUMERIC -> "n or z";
            case EXPECT_ASCII -> "an or ans";
            case EXPECT_BINARY -> "b";
            case EXPECT_VARIABLE -> "a variable-length field (give the digit count)";
            case EXPECT_FIXED_BINARY_8 -> "b8";
            case EXPECT_NOT_BINARY -> "n, z, an or ans";
            default -> "another format";
        };
    }

    private static String stateText(final int state) {
        return switch (state) {
            case STATE_FIELD_OPEN -> "a field is still open (call endField)";
            case STATE_NO_FIELD_OPEN -> "no field is open (call beginField)";
            case STATE_MAC_NOT_WRITTEN -> "bit 64 set by beginMac but no MAC written";
            case STATE_AFTER_MAC -> "only the MAC may follow beginMac";
            case STATE_NOT_WRAPPED -> "the writer is not wrapped around a buffer";
            default -> "bad writer state";
        };
    }
}
