package dev.prepaid.iso8583;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Reusable decoding flyweight over one frame body (TPDU, header, MTI, bitmap, fields; the 2-byte length is
 * the framer's, see {@link IsoFrame}). {@link #wrap} checks the whole message against the dialect and indexes
 * every field's offset and length into preallocated arrays; accessors then read straight from the buffer.
 * Nothing is allocated per message or per field, and nothing throws: a bad message makes {@link #wrap} return
 * false and {@link #error()} say which field, at which offset, expected what, found what.
 *
 * <p>Lengths ({@link #length(int)}) are in the field's units: digits for n and z, characters for an and ans,
 * bytes for b. Offsets returned by accessors are absolute buffer indices; offsets in errors count from the
 * start of the frame body. Value accessors return {@link #NO_VALUE} (−1) when a field is absent, too long for
 * a {@code long}, or not made of digits.
 *
 * <p>Decoding is generous where the spec asks it to be: variable fields are accepted up to the dialect's
 * {@code decodeMax}, and BCD pad nibbles may be 0 or F. It is strict everywhere else: length prefixes must be
 * BCD and within the maximum and the frame, digits must be 0-9 (and D in z), the bitmap may not have bit 1
 * or bits the dialect does not define, and no byte may follow the last field. The header is echoed, not
 * checked; an/ans contents are not checked (the describer escapes what is not printable).
 */
public final class IsoMessage {
    public static final long NO_VALUE = -1;
    private static final ByteOrder BIG = ByteOrder.BIG_ENDIAN;
    private static final long[] POWERS_OF_TEN = new long[19];
    /** A BCD byte's two digits as 0..99; −1 where a nibble is not a digit. */
    private static final byte[] BCD_PAIR_VALUE = new byte[256];

    static {
        for (int b = 0; b < 256; b++) {
            BCD_PAIR_VALUE[b] = (byte) ((b >> 4) > 9 || (b & 0xF) > 9 ? -1 : (b >> 4) * 10 + (b & 0xF));
        }
        long p = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = p;
            p *= 10;
        }
    }

    private final Dialect dialect;
    private final FieldSpec[] specs;
    private final IsoError error = new IsoError();
    private final int[] fieldStart = new int[65];
    private final int[] dataStart = new int[65];
    private final int[] dataBytes = new int[65];
    private final int[] lengths = new int[65];
    private final int[] firstNibble = new int[65];

    private DirectBuffer buffer;
    private int offset;
    private int frameLength;
    private int mti = -1;
    private long wireBitmap;
    private long bitmap;
    private int end;
    private boolean valid;

    public IsoMessage(final Dialect dialect) {
        this.dialect = dialect;
        this.specs = dialect.fieldsByNumber();
    }

    public Dialect dialect() {
        return dialect;
    }

    /**
     * Decodes the frame body {@code [offset, offset + length)}. Returns true when the whole message is valid;
     * on false, {@link #error()} describes the first problem, {@link #mti()} is set if the MTI was read, and
     * {@link #bitmap()} holds the fields decoded before the problem (their accessors work).
     */
    public boolean wrap(final DirectBuffer buffer, final int offset, final int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.frameLength = length;
        this.mti = -1;
        this.wireBitmap = 0;
        this.bitmap = 0;
        this.end = offset;
        this.valid = false;
        error.reset();
        if (offset < 0 || length < 0 || offset > buffer.capacity() - length) {
            return error.set(IsoError.BUFFER_TOO_SHORT, null, 0, 0, length,
                    Math.max(0, buffer.capacity() - Math.max(0, offset)));
        }
        if (length < dialect.minFrameLength) {
            return error.set(IsoError.FRAME_TOO_SHORT, null, 0, 0, dialect.minFrameLength, length);
        }
        if (length > dialect.maxFrameLength) {
            return error.set(IsoError.FRAME_TOO_LONG, null, 0, 0, dialect.maxFrameLength, length);
        }
        final int tpdu = buffer.getByte(offset) & 0xFF;
        if (tpdu != dialect.tpduId) {
            return error.set(IsoError.BAD_TPDU, null, 0, 0, dialect.tpduId, tpdu);
        }
        final int mtiAt = offset + dialect.mtiOffset;
        final int mtiHigh = bcdByte(buffer.getByte(mtiAt));
        if (mtiHigh < 0) {
            return error.set(IsoError.BAD_MTI, null, 0, dialect.mtiOffset, 0, buffer.getByte(mtiAt) & 0xFF);
        }
        final int mtiLow = bcdByte(buffer.getByte(mtiAt + 1));
        if (mtiLow < 0) {
            return error.set(IsoError.BAD_MTI, null, 0, dialect.mtiOffset + 1, 0, buffer.getByte(mtiAt + 1) & 0xFF);
        }
        mti = mtiHigh * 100 + mtiLow;
        final int bitmapAt = mtiAt + Dialect.MTI_BYTES;
        wireBitmap = buffer.getLong(bitmapAt, BIG);
        if (wireBitmap < 0) {
            return error.set(IsoError.SECONDARY_BITMAP, null, 0, bitmapAt - offset, 0, 1);
        }
        int position = bitmapAt + Dialect.BITMAP_BYTES;
        long rest = wireBitmap;
        while (rest != 0) {
            final int field = Long.numberOfLeadingZeros(rest) + 1;
            rest &= ~(1L << (64 - field));
            final FieldSpec spec = specs[field];
            if (spec == null) {
                return error.set(IsoError.UNKNOWN_FIELD, null, field, bitmapAt + ((field - 1) >> 3) - offset, 0, field);
            }
            position = decodeField(field, spec, position);
            if (position < 0) {
                return false;
            }
            bitmap |= 1L << (64 - field);
        }
        end = position;
        final int limit = offset + length;
        if (position != limit) {
            return error.set(IsoError.TRAILING_BYTES, null, 0, position - offset, 0, limit - position);
        }
        valid = true;
        return true;
    }

    /** Decodes one field at {@code position}; returns the position after it, or −1 with the error set. */
    private int decodeField(final int field, final FieldSpec spec, final int position) {
        final int limit = offset + frameLength;
        int remaining = limit - position;
        int length;
        int data;
        if (spec.lengthKind == LengthKind.FIXED) {
            length = spec.fixedLength;
            data = position;
        } else {
            final int prefixBytes = spec.prefixBytes;
            if (remaining < prefixBytes) {
                error.set(IsoError.PREFIX_TRUNCATED, spec, field, position - offset, prefixBytes, remaining);
                return -1;
            }
            length = 0;
            for (int i = 0; i < prefixBytes; i++) {
                final int value = bcdByte(buffer.getByte(position + i));
                if (value < 0) {
                    error.set(IsoError.PREFIX_NOT_BCD, spec, field, position + i - offset, 0,
                            buffer.getByte(position + i) & 0xFF);
                    return -1;
                }
                length = length * 100 + value;
            }
            if (length > spec.decodeMax) {
                error.set(IsoError.PREFIX_OVER_MAX, spec, field, position - offset, spec.decodeMax, length);
                return -1;
            }
            data = position + prefixBytes;
            remaining -= prefixBytes;
        }
        final int bytes = spec.dataBytes(length);
        if (bytes > remaining) {
            if (spec.lengthKind == LengthKind.FIXED) {
                error.set(IsoError.FIELD_TRUNCATED, spec, field, position - offset, bytes, remaining);
            } else {
                error.set(IsoError.PREFIX_OVER_REMAINING, spec, field, position - offset, bytes, remaining, length);
            }
            return -1;
        }
        final int first = spec.firstNibble(length);
        if (spec.bcd && !checkNibbles(field, spec, data, bytes, first, length)) {
            return -1;
        }
        fieldStart[field] = position;
        dataStart[field] = data;
        dataBytes[field] = bytes;
        lengths[field] = length;
        firstNibble[field] = first;
        return data + bytes;
    }

    private boolean checkNibbles(final int field, final FieldSpec spec, final int data, final int bytes,
            final int first, final int length) {
        if (spec.format != Format.Z) {
            // Fast path: the bytes whose two nibbles are both digits are checked eight at a time; only the pad
            // nibbles at either end, and any failure (for its exact error), go through the nibble loop.
            final int fullFrom = (first + 1) >> 1;
            final int fullTo = (first + length) >> 1;
            if (fullTo > fullFrom && edgesAreClean(data, bytes, first, length, fullFrom, fullTo)
                    && allBcdDigits(data + fullFrom, fullTo - fullFrom)) {
                return true;
            }
        }
        return checkNibblesOneByOne(field, spec, data, bytes, first, length);
    }

    /** The nibbles outside bytes {@code [fullFrom, fullTo)}: pads (0 or F) outside the digits, digits inside. */
    private boolean edgesAreClean(final int data, final int bytes, final int first, final int length,
            final int fullFrom, final int fullTo) {
        for (int n = 0; n < fullFrom << 1; n++) {
            if (!nibbleFits(data, n, first, length)) {
                return false;
            }
        }
        for (int n = fullTo << 1; n < bytes << 1; n++) {
            if (!nibbleFits(data, n, first, length)) {
                return false;
            }
        }
        return true;
    }

    private boolean nibbleFits(final int data, final int n, final int first, final int length) {
        final int b = buffer.getByte(data + (n >> 1));
        final int nibble = (n & 1) == 0 ? (b >> 4) & 0xF : b & 0xF;
        final int digit = n - first;
        return digit < 0 || digit >= length ? nibble == 0 || nibble == 0xF : nibble <= 9;
    }

    /**
     * Whether every nibble of {@code count} bytes is 0-9. A nibble is above 9 exactly when adding 6 carries into
     * bit 4; nibbles are widened to bytes first, so no carry crosses into a neighbour.
     */
    private boolean allBcdDigits(final int from, final int count) {
        int i = 0;
        for (; i + Long.BYTES <= count; i += Long.BYTES) {
            final long w = buffer.getLong(from + i);
            final long low = (w & 0x0F0F0F0F0F0F0F0FL) + 0x0606060606060606L;
            final long high = ((w >>> 4) & 0x0F0F0F0F0F0F0F0FL) + 0x0606060606060606L;
            if (((low | high) & 0x1010101010101010L) != 0) {
                return false;
            }
        }
        for (; i < count; i++) {
            final int b = buffer.getByte(from + i);
            if ((b & 0xF) > 9 || ((b >> 4) & 0xF) > 9) {
                return false;
            }
        }
        return true;
    }

    private boolean checkNibblesOneByOne(final int field, final FieldSpec spec, final int data, final int bytes,
            final int first, final int length) {
        final boolean track = spec.format == Format.Z;
        final int nibbles = bytes << 1;
        for (int n = 0; n < nibbles; n++) {
            final int b = buffer.getByte(data + (n >> 1));
            final int nibble = (n & 1) == 0 ? (b >> 4) & 0xF : b & 0xF;
            final int digit = n - first;
            if (digit < 0 || digit >= length) {
                if (nibble != 0 && nibble != 0xF) {
                    return error.set(IsoError.BAD_PAD, spec, field, data + (n >> 1) - offset, 0, nibble);
                }
            } else if (nibble > 9 && !(track && nibble == 0xD)) {
                return error.set(IsoError.BAD_DIGIT, spec, field, data + (n >> 1) - offset, 0, nibble, digit);
            }
        }
        return true;
    }

    /** Two BCD digits as 0..99, or −1 when a nibble is not a digit. */
    private static int bcdByte(final byte b) {
        return BCD_PAIR_VALUE[b & 0xFF];
    }

    // ------------------------------------------------------------------ frame

    /** Whether the last {@link #wrap} succeeded. */
    public boolean isValid() {
        return valid;
    }

    /** The first problem of the last {@link #wrap}; {@link IsoError#isSet()} is false after a good one. */
    public IsoError error() {
        return error;
    }

    public DirectBuffer buffer() {
        return buffer;
    }

    /** Start of the frame body (the TPDU) in the buffer. */
    public int offset() {
        return offset;
    }

    /** Length of the frame body. */
    public int frameLength() {
        return frameLength;
    }

    /** The MTI as a number (0200 → 200), or −1 when it could not be read. */
    public int mti() {
        return mti;
    }

    public int tpduId() {
        return buffer.getByte(offset) & 0xFF;
    }

    /** TPDU destination NII, the two bytes as sent (e.g. 0x0003). */
    public int destinationNii() {
        return buffer.getShort(offset + 1, BIG) & 0xFFFF;
    }

    public int sourceNii() {
        return buffer.getShort(offset + 3, BIG) & 0xFFFF;
    }

    public int headerOffset() {
        return offset + dialect.tpduLength;
    }

    /** The header bytes, big-endian in a long (6 bytes: {@code 0x603100310000}). */
    public long header() {
        long header = 0;
        final int at = headerOffset();
        for (int i = 0; i < dialect.headerLength; i++) {
            header = (header << 8) | (buffer.getByte(at + i) & 0xFF);
        }
        return header;
    }

    /** The fields decoded (all of them after a good wrap), as a {@link Bitmap}. */
    public long bitmap() {
        return bitmap;
    }

    /** The bitmap as sent. */
    public long wireBitmap() {
        return wireBitmap;
    }

    public boolean has(final int field) {
        return field >= 1 && field <= 64 && (bitmap & (1L << (64 - field))) != 0;
    }

    /** Start of the MAC block: the MTI. */
    public int macBlockOffset() {
        return offset + dialect.mtiOffset;
    }

    /** Bytes of the MAC block: from the MTI to the end of field 63 (to field 64 when present, else the end). */
    public int macBlockLength() {
        return (has(64) ? fieldStart[64] : end) - macBlockOffset();
    }

    // ------------------------------------------------------------------ raw field positions

    /** Where the field starts, length prefix included; −1 when absent. */
    public int fieldOffset(final int field) {
        return has(field) ? fieldStart[field] : -1;
    }

    /** Bytes of the field, length prefix included; 0 when absent. */
    public int fieldBytes(final int field) {
        return has(field) ? dataStart[field] + dataBytes[field] - fieldStart[field] : 0;
    }

    /** Where the field's data starts (after the prefix); −1 when absent. */
    public int dataOffset(final int field) {
        return has(field) ? dataStart[field] : -1;
    }

    /** Bytes of the field's data (without prefix); 0 when absent. */
    public int dataBytes(final int field) {
        return has(field) ? dataBytes[field] : 0;
    }

    /** The field's length in its units (digits, characters or bytes); 0 when absent. */
    public int length(final int field) {
        return has(field) ? lengths[field] : 0;
    }

    // ------------------------------------------------------------------ values

    /**
     * The field as a number: BCD digits of n, ASCII digits of an/ans. {@link #NO_VALUE} when absent, binary,
     * longer than 18 digits or not all digits (a track separator included).
     */
    public long numeric(final int field) {
        return has(field) ? digits(field, 0, lengths[field]) : NO_VALUE;
    }

    /**
     * {@code count} (≤ 18) digits of the field from digit {@code from} as a number: nibbles of n/z, characters
     * of an/ans. {@link #NO_VALUE} when absent, out of range, binary or not all digits.
     */
    public long digits(final int field, final int from, final int count) {
        if (!has(field) || from < 0 || count < 0 || count > 18 || from > lengths[field] - count) {
            return NO_VALUE;
        }
        final Format format = specs[field].format;
        if (format == Format.B) {
            return NO_VALUE;
        }
        long value = 0;
        if (format.bcd) {
            final int base = dataStart[field];
            int nibble = firstNibble[field] + from;
            int left = count;
            if ((nibble & 1) == 1 && left > 0) {
                final int digit = buffer.getByte(base + (nibble >> 1)) & 0xF;
                if (digit > 9) {
                    return NO_VALUE;
                }
                value = digit;
                nibble++;
                left--;
            }
            // Two digits per byte, by table: z fields may hold a separator, which the table marks −1.
            for (; left >= 2; left -= 2, nibble += 2) {
                final int pair = BCD_PAIR_VALUE[buffer.getByte(base + (nibble >> 1)) & 0xFF];
                if (pair < 0) {
                    return NO_VALUE;
                }
                value = value * 100 + pair;
            }
            if (left == 1) {
                final int digit = (buffer.getByte(base + (nibble >> 1)) >> 4) & 0xF;
                if (digit > 9) {
                    return NO_VALUE;
                }
                value = value * 10 + digit;
            }
        } else {
            final int base = dataStart[field] + from;
            for (int i = 0; i < count; i++) {
                final int digit = buffer.getByte(base + i) - '0';
                if (digit < 0 || digit > 9) {
                    return NO_VALUE;
                }
                value = value * 10 + digit;
            }
        }
        return value;
    }

    /**
     * Digit {@code index} of the field: the nibble (0-9, 0xD for a track separator) of n/z, the digit of an
     * an/ans character; −1 when absent, out of range, binary or not a digit.
     */
    public int digit(final int field, final int index) {
        if (!has(field) || index < 0 || index >= lengths[field]) {
            return -1;
        }
        final Format format = specs[field].format;
        if (format.bcd) {
            final int nibble = firstNibble[field] + index;
            final int b = buffer.getByte(dataStart[field] + (nibble >> 1));
            return (nibble & 1) == 0 ? (b >> 4) & 0xF : b & 0xF;
        }
        if (format == Format.B) {
            return -1;
        }
        final int digit = buffer.getByte(dataStart[field] + index) - '0';
        return digit < 0 || digit > 9 ? -1 : digit;
    }

    /** Index of the first track separator ({@code =}: nibble D, or the character), −1 when there is none. */
    public int indexOfSeparator(final int field) {
        if (!has(field)) {
            return -1;
        }
        final Format format = specs[field].format;
        final int length = lengths[field];
        if (format.bcd) {
            final int base = dataStart[field];
            final int first = firstNibble[field];
            for (int i = 0; i < length; i++) {
                final int nibble = first + i;
                final int b = buffer.getByte(base + (nibble >> 1));
                if (((nibble & 1) == 0 ? (b >> 4) & 0xF : b & 0xF) == 0xD) {
                    return i;
                }
            }
            return -1;
        }
        if (format == Format.B) {
            return -1;
        }
        for (int i = 0; i < length; i++) {
            if (buffer.getByte(dataStart[field] + i) == '=') {
                return i;
            }
        }
        return -1;
    }

    /**
     * The field as ASCII into {@code dst}: digits of n/z ('=' for a track separator), the characters of
     * an/ans. Returns the count written, −1 when absent or binary. {@code dst} must have room for
     * {@link #length(int)} bytes.
     */
    public int getDigits(final int field, final MutableDirectBuffer dst, final int dstOffset) {
        if (!has(field) || specs[field].format == Format.B) {
            return -1;
        }
        final int length = lengths[field];
        if (specs[field].format.bcd) {
            for (int i = 0; i < length; i++) {
                dst.putByte(dstOffset + i, digitChar(field, i));
            }
        } else {
            dst.putBytes(dstOffset, buffer, dataStart[field], length);
        }
        return length;
    }

    /** As {@link #getDigits(int, MutableDirectBuffer, int)} into an array. */
    public int getDigits(final int field, final byte[] dst, final int dstOffset) {
        if (!has(field) || specs[field].format == Format.B) {
            return -1;
        }
        final int length = lengths[field];
        if (specs[field].format.bcd) {
            for (int i = 0; i < length; i++) {
                dst[dstOffset + i] = digitChar(field, i);
            }
        } else {
            buffer.getBytes(dataStart[field], dst, dstOffset, length);
        }
        return length;
    }

    private byte digitChar(final int field, final int index) {
        final int nibble = firstNibble[field] + index;
        final int b = buffer.getByte(dataStart[field] + (nibble >> 1));
        final int value = (nibble & 1) == 0 ? (b >> 4) & 0xF : b & 0xF;
        return (byte) (value == 0xD ? '=' : value <= 9 ? '0' + value : 'A' + value - 10);
    }

    /**
     * Eight characters of the field from {@code from}, packed into a long with the first in the high byte and
     * spaces past the end (as {@code dev.prepaid.command.Ascii.pack}): raw bytes of an/ans/b, digit characters
     * of n/z. Terminal id: {@code asciiPacked(41, 0)}; merchant id: {@code asciiPacked(42, 0)},
     * {@code asciiPacked(42, 8)}. 0 when absent.
     */
    public long asciiPacked(final int field, final int from) {
        if (!has(field)) {
            return 0;
        }
        final int length = lengths[field];
        final boolean bcd = specs[field].format.bcd;
        long packed = 0;
        for (int i = 0; i < 8; i++) {
            final int index = from + i;
            final int c;
            if (index < 0 || index >= length) {
                c = ' ';
            } else {
                c = bcd ? digitChar(field, index) : buffer.getByte(dataStart[field] + index) & 0xFF;
            }
            packed = (packed << 8) | c;
        }
        return packed;
    }

    /**
     * Byte {@code index} of the field's value: the character of an/ans, the byte of b, the digit character of
     * n/z ('=' for a separator); −1 when absent or out of range.
     */
    public int byteAt(final int field, final int index) {
        if (!has(field) || index < 0 || index >= lengths[field]) {
            return -1;
        }
        return specs[field].format.bcd ? digitChar(field, index) : buffer.getByte(dataStart[field] + index) & 0xFF;
    }

    /** Copies the field's data bytes as on the wire (BCD stays packed); returns the count, −1 when absent. */
    public int getBytes(final int field, final MutableDirectBuffer dst, final int dstOffset) {
        if (!has(field)) {
            return -1;
        }
        dst.putBytes(dstOffset, buffer, dataStart[field], dataBytes[field]);
        return dataBytes[field];
    }

    public int getBytes(final int field, final byte[] dst, final int dstOffset) {
        if (!has(field)) {
            return -1;
        }
        buffer.getBytes(dataStart[field], dst, dstOffset, dataBytes[field]);
        return dataBytes[field];
    }

    /** Up to 8 data bytes big-endian (PIN block, MAC); 0 when absent (check {@link #has} first). */
    public long binaryLong(final int field) {
        if (!has(field)) {
            return 0;
        }
        final int bytes = dataBytes[field];
        if (bytes == 8) {
            return buffer.getLong(dataStart[field], BIG);
        }
        long value = 0;
        for (int i = 0; i < Math.min(8, bytes); i++) {
            value = (value << 8) | (buffer.getByte(dataStart[field] + i) & 0xFF);
        }
        return value;
    }

    // ------------------------------------------------------------------ sub-fields

    /** The sub-field as a number (see {@link #subField(SubField, int)}). */
    public long subField(final SubField subField) {
        return subField(subField, 0);
    }

    /**
     * Occurrence {@code occurrence} of the sub-field (0 unless its layout repeats): n sub-fields as their
     * number; an/ans sub-fields of up to 8 characters as their bytes big-endian (a one-character sub-field
     * gives its character). {@link #NO_VALUE} when the field is absent or too short to hold it.
     */
    public long subField(final SubField subField, final int occurrence) {
        final int field = subField.field;
        final int from = subField.offset(occurrence);
        if (!has(field) || occurrence < 0 || from > lengths[field] - subField.length) {
            return NO_VALUE;
        }
        if (subField.format == Format.N) {
            return digits(field, from, subField.length);
        }
        if (subField.length > 8 || specs[field].format.bcd) {
            return NO_VALUE;
        }
        long value = 0;
        for (int i = 0; i < subField.length; i++) {
            value = (value << 8) | (buffer.getByte(dataStart[field] + from + i) & 0xFF);
        }
        return value;
    }

    /** How many complete occurrences of the sub-field's layout the field holds (1 or 0 when it does not repeat). */
    public int occurrences(final SubField subField) {
        if (!has(subField.field)) {
            return 0;
        }
        final int length = lengths[subField.field];
        if (subField.repeatLength > 0) {
            return length / subField.repeatLength;
        }
        return subField.offset + subField.length <= length ? 1 : 0;
    }

    /** Whether the field is long enough to hold this occurrence of the sub-field. */
    public boolean hasSubField(final SubField subField, final int occurrence) {
        return has(subField.field) && occurrence >= 0
                && subField.offset(occurrence) + subField.length <= lengths[subField.field];
    }

    /** The largest power of ten a long holds digits for (shared with the writer). */
    static long powerOfTen(final int exponent) {
        return POWERS_OF_TEN[exponent];
    }
}
