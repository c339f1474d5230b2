package dev.prepaid.iso8583;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Reusable encoder writing one frame body straight into a {@link MutableDirectBuffer}: TPDU, header, MTI,
 * bitmap, then fields in ascending order, each encoded exactly as the dialect says (encode maxima, pad
 * nibbles 0, ASCII padded with spaces). The bitmap is tracked as fields are written and put in the buffer by
 * {@link #beginMac()} (so the MAC block is complete) and by {@link #finish()}. Nothing is allocated.
 *
 * <p>Errors are sticky: the first problem (field out of order, value too long, buffer full...) is recorded in
 * {@link #error()}, later calls do nothing, and {@link #finish()} returns −1. Check once at the end.
 *
 * <pre>
 * writer.wrapResponse(out, 0, out.capacity(), request, transaction.responseMti)
 *       .copyField(request, 3).putNumeric(12, hhmmss).putNumeric(37, rrn).putAscii(39, rc.first, rc.second);
 * final int mabLength = writer.beginMac();          // sets bit 64
 * writer.putMac(mac(out, writer.macBlockOffset(), mabLength));
 * final int length = writer.finish();                // −1: see writer.error()
 * </pre>
 */
public final class IsoWriter {
    private static final ByteOrder BIG = ByteOrder.BIG_ENDIAN;
    private static final byte[] BCD = new byte[100];

    /** 0..99 as two ASCII digits, the tens in the high byte. */
    private static final short[] ASCII_PAIRS = new short[100];

    static {
        for (int i = 0; i < 100; i++) {
            BCD[i] = (byte) (((i / 10) << 4) | (i % 10));
            ASCII_PAIRS[i] = (short) ((('0' + i / 10) << 8) | ('0' + i % 10));
        }
    }

    private final Dialect dialect;
    private final FieldSpec[] specs;
    private final IsoError error = new IsoError();

    private MutableDirectBuffer buffer;
    private int offset;
    private int limit;
    private int mtiAt;
    private int bitmapAt;
    private int position;
    private long bitmap;
    private int lastField;
    private boolean macBegun;

    private FieldSpec open;
    private int openStart;
    private int openData;
    private int openLength;
    private int openFirstNibble;
    private int openMax;

    public IsoWriter(final Dialect dialect) {
        this.dialect = dialect;
        this.specs = dialect.fieldsByNumber();
        error.set(IsoError.WRITE_STATE, null, 0, 0, 0, IsoError.STATE_NOT_WRAPPED);
    }

    public Dialect dialect() {
        return dialect;
    }

    // ------------------------------------------------------------------ starting a message

    /**
     * Starts the response to {@code request} at {@code offset}: TPDU with destination and source swapped,
     * header echoed, {@code responseMti} (e.g. 210), empty bitmap. {@code capacity} bounds the frame body
     * (and so does the dialect's maximum frame length). The request may be one whose decode failed after its
     * MTI (to answer 30): then only the fields decoded before the error can be copied.
     */
    public IsoWriter wrapResponse(final MutableDirectBuffer buffer, final int offset, final int capacity,
            final IsoMessage request, final int responseMti) {
        if (!start(buffer, offset, capacity, responseMti)) {
            return this;
        }
        if (request.mti() < 0) {
            error.set(IsoError.FRAME_TOO_SHORT, null, 0, 0, dialect.minFrameLength, request.frameLength());
            return this;
        }
        final DirectBuffer in = request.buffer();
        final int at = request.offset();
        buffer.putByte(offset, in.getByte(at));
        buffer.putShort(offset + 1, in.getShort(at + 3, BIG), BIG);
        buffer.putShort(offset + 3, in.getShort(at + 1, BIG), BIG);
        buffer.putBytes(offset + dialect.tpduLength, in, request.headerOffset(), dialect.headerLength);
        return this;
    }

    /**
     * Starts a request (terminal simulator, tests): TPDU = the dialect's id, destination, source (2 bytes
     * each); header = the low {@code headerLength} bytes of {@code header}, big-endian.
     */
    public IsoWriter wrapRequest(final MutableDirectBuffer buffer, final int offset, final int capacity,
            final int destinationNii, final int sourceNii, final long header, final int mti) {
        if (!start(buffer, offset, capacity, mti)) {
            return this;
        }
        buffer.putByte(offset, (byte) dialect.tpduId);
        buffer.putShort(offset + 1, (short) destinationNii, BIG);
        buffer.putShort(offset + 3, (short) sourceNii, BIG);
        final int headerLength = dialect.headerLength;
        for (int i = 0; i < headerLength; i++) {
            buffer.putByte(offset + dialect.tpduLength + i, (byte) (header >>> (8 * (headerLength - 1 - i))));
        }
        return this;
    }

    private boolean start(final MutableDirectBuffer buffer, final int offset, final int capacity, final int mti) {
        error.reset();
        this.buffer = buffer;
        this.offset = offset;
        this.open = null;
        this.bitmap = 0;
        this.lastField = 1;
        this.macBegun = false;
        this.mtiAt = offset + dialect.mtiOffset;
        this.bitmapAt = mtiAt + Dialect.MTI_BYTES;
        this.position = bitmapAt + Dialect.BITMAP_BYTES;
        final int room = Math.min(Math.min(capacity, dialect.maxFrameLength), Math.max(0, buffer.capacity() - offset));
        this.limit = offset + Math.max(0, room);
        if (offset < 0 || room < dialect.minFrameLength) {
            error.set(IsoError.WRITE_OVERFLOW, null, 0, 0, dialect.minFrameLength, Math.max(0, room));
            return false;
        }
        if (mti < 0 || mti > 9999) {
            error.set(IsoError.WRITE_VALUE_RANGE, null, 0, dialect.mtiOffset, 4, mti);
            return false;
        }
        buffer.putByte(mtiAt, BCD[mti / 100]);
        buffer.putByte(mtiAt + 1, BCD[mti % 100]);
        buffer.putLong(bitmapAt, 0L, BIG);
        return true;
    }

    // ------------------------------------------------------------------ state

    public boolean ok() {
        return !error.isSet();
    }

    public IsoError error() {
        return error;
    }

    public MutableDirectBuffer buffer() {
        return buffer;
    }

    public int offset() {
        return offset;
    }

    /** Bytes written so far. */
    public int length() {
        return position - offset;
    }

    /** The fields written so far, as a {@link Bitmap}. */
    public long bitmap() {
        return bitmap;
    }

    /** Ends the message: its length, or −1 when something went wrong (see {@link #error()}). */
    public int finish() {
        if (error.isSet()) {
            return -1;
        }
        if (open != null) {
            error.set(IsoError.WRITE_STATE, open, open.number, openStart - offset, 0, IsoError.STATE_FIELD_OPEN);
            return -1;
        }
        if (macBegun && lastField != 64) {
            error.set(IsoError.WRITE_STATE, null, 64, position - offset, 0, IsoError.STATE_MAC_NOT_WRITTEN);
            return -1;
        }
        buffer.putLong(bitmapAt, bitmap, BIG);
        return position - offset;
    }

    // ------------------------------------------------------------------ MAC

    /**
     * Sets bit 64 in the bitmap and returns the length of the MAC block (from the MTI to the end of what is
     * written, field 63 at most); only {@link #putMac} may follow. −1 after an error.
     */
    public int beginMac() {
        if (!error.isSet() && macBegun) {
            error.set(IsoError.WRITE_STATE, null, 64, position - offset, 0, IsoError.STATE_AFTER_MAC);
        }
        if (begin(64) == null) {
            return -1;
        }
        macBegun = true;
        bitmap |= Bitmap.bit(64);
        buffer.putLong(bitmapAt, bitmap, BIG);
        return position - mtiAt;
    }

    /** Start of the MAC block: the MTI. */
    public int macBlockOffset() {
        return mtiAt;
    }

    public IsoWriter putMac(final long mac) {
        return putBinary(64, mac);
    }

    public IsoWriter putMac(final DirectBuffer src, final int srcOffset) {
        return putBinary(64, src, srcOffset, 8);
    }

    // ------------------------------------------------------------------ whole fields

    /** A fixed field from a number: BCD for n/z (right- or left-aligned), zero-padded ASCII digits for an/ans. */
    public IsoWriter putNumeric(final int field, final long value) {
        final FieldSpec spec = begin(field);
        if (spec == null) {
            return this;
        }
        if (!spec.fixed()) {
            return fail(IsoError.WRITE_FORMAT, spec, IsoError.EXPECT_VARIABLE, 0);
        }
        return numeric(spec, value, spec.fixedLength);
    }

    /** A field from a number written as exactly {@code digits} digits (leading zeros kept). */
    public IsoWriter putNumeric(final int field, final long value, final int digits) {
        final FieldSpec spec = begin(field);
        if (spec == null) {
            return this;
        }
        return numeric(spec, value, digits);
    }

    private IsoWriter numeric(final FieldSpec spec, final long value, final int digits) {
        if (spec.format == Format.B) {
            return fail(IsoError.WRITE_FORMAT, spec, IsoError.EXPECT_NOT_BINARY, 0);
        }
        if (!checkLength(spec, digits)) {
            return this;
        }
        if (value < 0 || (digits < 19 && value >= IsoMessage.powerOfTen(digits))) {
            return fail(IsoError.WRITE_VALUE_RANGE, spec, digits, value);
        }
        final int data = position + spec.prefixBytes;
        final int bytes = spec.dataBytes(digits);
        if (!room(spec, spec.prefixBytes + bytes)) {
            return this;
        }
        putPrefix(spec, digits);
        if (spec.bcd) {
            writeBcd(data, value, digits, spec.firstNibble(digits));
        } else {
            writeAsciiDigits(data, value, digits);
            padSpaces(spec, data + digits, digits);
        }
        return commit(spec.number, data + bytes);
    }

    /** A field from ASCII digits ({@code =} for a track separator in z): BCD for n/z, the characters for an/ans. */
    public IsoWriter putDigits(final int field, final DirectBuffer src, final int srcOffset, final int count) {
        final FieldSpec spec = begin(field);
        if (spec == null) {
            return this;
        }
        if (!digitsPrologue(spec, count)) {
            return this;
        }
        for (int i = 0; i < count; i++) {
            if (!putDigitChar(spec, i, src.getByte(srcOffset + i))) {
                return this;
            }
        }
        return digitsEpilogue(spec, count);
    }

    /** As {@link #putDigits(int, DirectBuffer, int, int)} from characters (tools, tests, simulator). */
    public IsoWriter putDigits(final int field, final CharSequence digits) {
        final FieldSpec spec = begin(field);
        if (spec == null) {
            return this;
        }
        final int count = digits.length();
        if (!digitsPrologue(spec, count)) {
            return this;
        }
        for (int i = 0; i < count; i++) {
            final char c = digits.charAt(i);
            if (!putDigitChar(spec, i, c > 0xFF ? (byte) 0xFF : (byte) c)) {
                return this;
            }
        }
        return digitsEpilogue(spec, count);
    }

    private boolean digitsPrologue(final FieldSpec spec, final int count) {
        if (spec.format == Format.B) {
            fail(IsoError.WRITE_FORMAT, spec, IsoError.EXPECT_NOT_BINARY, 0);
            return false;
        }
        if (!checkLength(spec, count)) {
            return false;
        }
        final int bytes = spec.prefixBytes + spec.dataBytes(spec.fixed() ? spec.fixedLength : count);
        if (!room(spec, bytes)) {
            return false;
        }
        putPrefix(spec, count);
        if (spec.bcd) {
            buffer.setMemory(position + spec.prefixBytes, spec.dataBytes(count), (byte) 0);
        }
        return true;
    }

    private boolean putDigitChar(final FieldSpec spec, final int index, final byte c) {
        final int data = position + spec.prefixBytes;
        final int nibble;
        if (c >= '0' && c <= '9') {
            nibble = c - '0';
        } else if (c == '=' && spec.format == Format.Z) {
            nibble = 0xD;
        } else {
            error.set(IsoError.WRITE_BAD_CHARACTER, spec, spec.number, position - offset, 0, c & 0xFF, index);
            return false;
        }
        if (spec.bcd) {
            setNibble(data, spec.firstNibble(spec.fixed() ? spec.fixedLength : 0) + index, nibble);
        } else {
            buffer.putByte(data + index, c);
        }
        return true;
    }

    private IsoWriter digitsEpilogue(final FieldSpec spec, final int count) {
        final int data = position + spec.prefixBytes;
        return commit(spec.number, data + spec.dataBytes(count));
    }

    /** An an/ans field from ASCII bytes; a fixed field is padded with spaces, a variable one gets its prefix. */
    public IsoWriter putAscii(final int field, final DirectBuffer src, final int srcOffset, final int count) {
        final FieldSpec spec = begin(field);
        if (spec == null || !asciiPrologue(spec, count)) {
            return this;
        }
        final int data = position + spec.prefixBytes;
        for (int i = 0; i < count; i++) {
            final byte c = src.getByte(srcOffset + i);
            if (!printable(c)) {
                return fail(IsoError.WRITE_BAD_CHARACTER, spec, 0, c & 0xFF, i);
            }
            buffer.putByte(data + i, c);
        }
        return asciiEpilogue(spec, data, count);
    }

    /** As {@link #putAscii(int, DirectBuffer, int, int)} from characters. */
    public IsoWriter putAscii(final int field, final CharSequence text) {
        final FieldSpec spec = begin(field);
        final int count = text.length();
        if (spec == null || !asciiPrologue(spec, count)) {
            return this;
        }
        final int data = position + spec.prefixBytes;
        for (int i = 0; i < count; i++) {
            final char c = text.charAt(i);
            if (c > 0x7E || !printable((byte) c)) {
                return fail(IsoError.WRITE_BAD_CHARACTER, spec, 0, c, i);
            }
            buffer.putByte(data + i, (byte) c);
        }
        return asciiEpilogue(spec, data, count);
    }

    /** Two characters (e.g. field 39 from {@code ResponseCode.first}/{@code second}). */
    public IsoWriter putAscii(final int field, final byte first, final byte second) {
        final FieldSpec spec = begin(field);
        if (spec == null || !asciiPrologue(spec, 2)) {
            return this;
        }
        if (!printable(first) || !printable(second)) {
            return fail(IsoError.WRITE_BAD_CHARACTER, spec, 0, printable(first) ? second & 0xFF : first & 0xFF,
                    printable(first) ? 1 : 0);
        }
        final int data = position + spec.prefixBytes;
        buffer.putByte(data, first);
        buffer.putByte(data + 1, second);
        return asciiEpilogue(spec, data, 2);
    }

    private boolean asciiPrologue(final FieldSpec spec, final int count) {
        if (!spec.format.ascii()) {
            fail(IsoError.WRITE_FORMAT, spec, IsoError.EXPECT_ASCII, 0);
            return false;
        }
        if (spec.fixed()) {
            if (count > spec.fixedLength) {
                fail(IsoError.WRITE_TOO_LONG, spec, spec.fixedLength, count);
                return false;
            }
        } else if (!checkLength(spec, count)) {
            return false;
        }
        if (!room(spec, spec.prefixBytes + (spec.fixed() ? spec.fixedLength : count))) {
            return false;
        }
        putPrefix(spec, count);
        return true;
    }

    private IsoWriter asciiEpilogue(final FieldSpec spec, final int data, final int count) {
        padSpaces(spec, data + count, count);
        return commit(spec.number, data + (spec.fixed() ? spec.fixedLength : count));
    }

    private static boolean printable(final byte c) {
        return c >= 0x20 && c <= 0x7E;
    }

    /** A b field from bytes; a fixed one must get exactly its length. */
    public IsoWriter putBinary(final int field, final DirectBuffer src, final int srcOffset, final int count) {
        final FieldSpec spec = begin(field);
        if (spec == null || !binaryPrologue(spec, count)) {
            return this;
        }
        final int data = position + spec.prefixBytes;
        buffer.putBytes(data, src, srcOffset, count);
        return commit(field, data + count);
    }

    public IsoWriter putBinary(final int field, final byte[] src, final int srcOffset, final int count) {
        final FieldSpec spec = begin(field);
        if (spec == null || !binaryPrologue(spec, count)) {
            return this;
        }
        final int data = position + spec.prefixBytes;
        buffer.putBytes(data, src, srcOffset, count);
        return commit(field, data + count);
    }

    /** Eight bytes big-endian (PIN block, MAC). */
    public IsoWriter putBinary(final int field, final long value) {
        final FieldSpec spec = begin(field);
        if (spec == null || !binaryPrologue(spec, 8)) {
            return this;
        }
        final int data = position + spec.prefixBytes;
        buffer.putLong(data, value, BIG);
        return commit(field, data + 8);
    }

    private boolean binaryPrologue(final FieldSpec spec, final int count) {
        if (spec.format != Format.B) {
            fail(IsoError.WRITE_FORMAT, spec, IsoError.EXPECT_BINARY, 0);
            return false;
        }
        if (spec.fixed() && count != spec.fixedLength) {
            fail(IsoError.WRITE_WRONG_LENGTH, spec, spec.fixedLength, count);
            return false;
        }
        if (!checkLength(spec, count) || !room(spec, spec.prefixBytes + count)) {
            return false;
        }
        putPrefix(spec, count);
        return true;
    }

    /**
     * Copies the field from a decoded message (echo); does nothing when the message lacks it. A variable
     * value longer than the encode maximum (accepted by the generous decode) is cut to the maximum; pad
     * nibbles are written as 0.
     */
    public IsoWriter copyField(final IsoMessage src, final int field) {
        if (!src.has(field)) {
            return this;
        }
        final FieldSpec spec = begin(field);
        if (spec == null) {
            return this;
        }
        final FieldSpec srcSpec = src.dialect().field(field);
        if (srcSpec != spec && (srcSpec == null || srcSpec.format != spec.format
                || srcSpec.lengthKind != spec.lengthKind || srcSpec.fixedLength != spec.fixedLength
                || srcSpec.leftAligned != spec.leftAligned)) {
            return fail(IsoError.WRITE_FORMAT, spec, 0, 0);
        }
        final int length = Math.min(src.length(field), spec.encodeMax);
        final int bytes = spec.dataBytes(length);
        if (!room(spec, spec.prefixBytes + bytes)) {
            return this;
        }
        putPrefix(spec, length);
        final int data = position + spec.prefixBytes;
        buffer.putBytes(data, src.buffer(), src.dataOffset(field), bytes);
        if (spec.bcd) {
            final int first = spec.firstNibble(length);
            if (first == 1) {
                setNibble(data, 0, 0);
            }
            if (((first + length) & 1) == 1) {
                setNibble(data, first + length, 0);
            }
        }
        return commit(field, data + bytes);
    }

    // ------------------------------------------------------------------ composite fields (sub-fields)

    /**
     * Opens a field to be written sub-field by sub-field ({@link #putSubField}, {@link #putSubFieldChar},
     * {@link #copyContent}), then {@link #endField()}. Positions not written are 0 digits (n field) or spaces.
     */
    public IsoWriter beginField(final int field) {
        final FieldSpec spec = begin(field);
        if (spec == null) {
            return this;
        }
        if (spec.format == Format.B) {
            return fail(IsoError.WRITE_FORMAT, spec, IsoError.EXPECT_NOT_BINARY, 0);
        }
        open = spec;
        openStart = position;
        openData = position + spec.prefixBytes;
        openMax = spec.encodeMax;
        openLength = 0;
        openFirstNibble = spec.firstNibble(spec.fixedLength);
        if (!room(spec, spec.prefixBytes)) {
            open = null;
            return this;
        }
        if (spec.fixed()) {
            extend(spec.fixedLength);
        }
        return this;
    }

    /** Writes an n sub-field of the open field (occurrence 0). */
    public IsoWriter putSubField(final SubField subField, final long value) {
        return putSubField(subField, 0, value);
    }

    /** Writes occurrence {@code occurrence} of an n sub-field of the open field. */
    public IsoWriter putSubField(final SubField subField, final int occurrence, final long value) {
        final int at = subFieldStart(subField, occurrence);
        if (at < 0) {
            return this;
        }
        if (subField.format != Format.N) {
            return fail(IsoError.WRITE_FORMAT, open, IsoError.EXPECT_NUMERIC, 0);
        }
        if (value < 0 || value >= IsoMessage.powerOfTen(subField.length)) {
            return fail(IsoError.WRITE_VALUE_RANGE, open, subField.length, value);
        }
        long rest = value;
        for (int i = subField.length - 1; i >= 0; i--) {
            final int digit = (int) (rest % 10);
            rest /= 10;
            putUnit(at + i, digit);
        }
        return this;
    }

    /** Writes an an/ans sub-field's first character (e.g. the sign C/D of a balance); the rest are spaces. */
    public IsoWriter putSubFieldChar(final SubField subField, final int occurrence, final byte c) {
        final int at = subFieldStart(subField, occurrence);
        if (at < 0) {
            return this;
        }
        if (subField.format == Format.N || open.bcd) {
            return fail(IsoError.WRITE_FORMAT, open, IsoError.EXPECT_ASCII, 0);
        }
        if (!printable(c)) {
            return fail(IsoError.WRITE_BAD_CHARACTER, open, 0, c & 0xFF, at);
        }
        buffer.putByte(openData + at, c);
        return this;
    }

    /** Copies the whole value of the same field of a decoded message into the open field (up to its maximum). */
    public IsoWriter copyContent(final IsoMessage src, final int field) {
        if (error.isSet()) {
            return this;
        }
        if (open == null || open.number != field) {
            return fail(IsoError.WRITE_STATE, open, 0, IsoError.STATE_NO_FIELD_OPEN);
        }
        if (!src.has(field)) {
            return this;
        }
        final FieldSpec srcSpec = src.dialect().field(field);
        if (srcSpec == null || srcSpec.bcd != open.bcd) {
            return fail(IsoError.WRITE_FORMAT, open, 0, 0);
        }
        final int length = Math.min(src.length(field), openMax);
        if (!extend(length)) {
            return this;
        }
        for (int i = 0; i < length; i++) {
            if (open.bcd) {
                putUnit(i, src.digit(field, i));
            } else {
                buffer.putByte(openData + i, (byte) src.byteAt(field, i));
            }
        }
        return this;
    }

    /** Closes the open field: writes its length prefix and moves on. */
    public IsoWriter endField() {
        if (error.isSet()) {
            return this;
        }
        if (open == null) {
            return fail(IsoError.WRITE_STATE, null, 0, IsoError.STATE_NO_FIELD_OPEN);
        }
        final FieldSpec spec = open;
        open = null;
        putPrefix(spec, openLength);
        return commit(spec.number, openData + spec.dataBytes(openLength));
    }

    /** Position of the sub-field occurrence in the open field, extended to hold it; −1 with the error set. */
    private int subFieldStart(final SubField subField, final int occurrence) {
        if (error.isSet()) {
            return -1;
        }
        if (open == null) {
            fail(IsoError.WRITE_STATE, null, 0, IsoError.STATE_NO_FIELD_OPEN);
            return -1;
        }
        final int at = subField.offset(occurrence);
        if (subField.field != open.number || occurrence < 0 || (occurrence > 0 && subField.repeatLength == 0)
                || at + subField.length > openMax) {
            final int shown = subField.offset + occurrence * (subField.repeatLength > 0 ? subField.repeatLength
                    : subField.layout().length);
            error.set(IsoError.WRITE_SUBFIELD, open, open.number, position - offset, openMax, 0, shown);
            return -1;
        }
        return extend(at + subField.length) ? at : -1;
    }

    /** Grows the open field to {@code length} units, filling new room with 0 digits or spaces. */
    private boolean extend(final int length) {
        if (length <= openLength) {
            return true;
        }
        final int oldBytes = openLength == 0 ? 0
                : open.bcd ? (openFirstNibble + openLength + 1) >> 1 : openLength;
        final int newBytes = open.bcd ? (openFirstNibble + length + 1) >> 1 : length;
        if (openData + newBytes > limit) {
            error.set(IsoError.WRITE_OVERFLOW, open, open.number, openStart - offset,
                    openData + newBytes - openStart, limit - openStart);
            return false;
        }
        buffer.setMemory(openData + oldBytes, newBytes - oldBytes, open.bcd ? (byte) 0 : (byte) ' ');
        openLength = length;
        return true;
    }

    /** Digit or character {@code value} at unit {@code index} of the open field. */
    private void putUnit(final int index, final int digit) {
        if (open.bcd) {
            setNibble(openData, openFirstNibble + index, digit);
        } else {
            buffer.putByte(openData + index, (byte) ('0' + digit));
        }
    }

    // ------------------------------------------------------------------ internals

    /** Checks the field can be written now; returns its spec, or null with the error set. */
    private FieldSpec begin(final int field) {
        if (field > lastField && field <= 64 && open == null && !macBegun && !error.isSet()) {
            final FieldSpec spec = specs[field];
            if (spec != null) {
                return spec;
            }
        }
        return beginChecked(field);
    }

    /** {@link #begin} when its quick test fails: each condition in turn, for the exact error (or the MAC's spec). */
    private FieldSpec beginChecked(final int field) {
        if (error.isSet()) {
            return null;
        }
        final FieldSpec spec = field >= 2 && field <= 64 ? specs[field] : null;
        if (spec == null) {
            error.set(IsoError.WRITE_UNKNOWN_FIELD, null, field, position - offset, 0, field);
            return null;
        }
        if (open != null) {
            error.set(IsoError.WRITE_STATE, spec, field, position - offset, 0, IsoError.STATE_FIELD_OPEN);
            return null;
        }
        if (macBegun && field != 64) {
            error.set(IsoError.WRITE_STATE, spec, field, position - offset, 0, IsoError.STATE_AFTER_MAC);
            return null;
        }
        if (field <= lastField) {
            error.set(IsoError.WRITE_ORDER, spec, field, position - offset, 0, lastField);
            return null;
        }
        return spec;
    }

    private boolean checkLength(final FieldSpec spec, final int length) {
        if (spec.fixed() ? length != spec.fixedLength : length < 0 || length > spec.encodeMax) {
            fail(spec.fixed() ? IsoError.WRITE_WRONG_LENGTH : IsoError.WRITE_TOO_LONG, spec,
                    spec.fixed() ? spec.fixedLength : spec.encodeMax, length);
            return false;
        }
        return true;
    }

    private boolean room(final FieldSpec spec, final int bytes) {
        if (position + bytes > limit) {
            error.set(IsoError.WRITE_OVERFLOW, spec, spec.number, position - offset, bytes, limit - position);
            return false;
        }
        return true;
    }

    private void putPrefix(final FieldSpec spec, final int length) {
        final int prefixBytes = spec.prefixBytes;
        if (prefixBytes == 1) {
            buffer.putByte(position, BCD[length]);
        } else if (prefixBytes == 2) {
            buffer.putByte(position, BCD[length / 100]);
            buffer.putByte(position + 1, BCD[length % 100]);
        }
    }

    private IsoWriter commit(final int field, final int newPosition) {
        bitmap |= Bitmap.bit(field);
        lastField = field;
        position = newPosition;
        return this;
    }

    private IsoWriter fail(final int code, final FieldSpec spec, final long expected, final long found) {
        return fail(code, spec, expected, found, 0);
    }

    private IsoWriter fail(final int code, final FieldSpec spec, final long expected, final long found,
            final int index) {
        error.set(code, spec, spec == null ? 0 : spec.number, position - offset, expected, found, index);
        return this;
    }

    /** BCD digits of {@code value}, {@code digits} of them, starting at nibble {@code first} of {@code data}. */
    private void writeBcd(final int data, final long value, final int digits, final int first) {
        final int endNibble = first + digits;
        int at = data + ((endNibble + 1) >> 1) - 1;
        long rest = value;
        int left = digits;
        if ((endNibble & 1) == 1) {
            buffer.putByte(at--, (byte) ((rest % 10) << 4));
            rest /= 10;
            left--;
        }
        while (left >= 2) {
            buffer.putByte(at--, BCD[(int) (rest % 100)]);
            rest /= 100;
            left -= 2;
        }
        if (left == 1) {
            buffer.putByte(at, (byte) (rest % 10));
        }
    }

    /** Two ASCII digits per division: field 37 alone has twelve. */
    private void writeAsciiDigits(final int data, final long value, final int digits) {
        long rest = value;
        int at = data + digits;
        while (at - data >= 2) {
            at -= 2;
            buffer.putShort(at, ASCII_PAIRS[(int) (rest % 100)], BIG);
            rest /= 100;
        }
        if (at > data) {
            buffer.putByte(data, (byte) ('0' + rest % 10));
        }
    }

    private void padSpaces(final FieldSpec spec, final int from, final int count) {
        if (spec.fixed() && count < spec.fixedLength) {
            buffer.setMemory(from, spec.fixedLength - count, (byte) ' ');
        }
    }

    private void setNibble(final int data, final int nibble, final int value) {
        final int at = data + (nibble >> 1);
        final int b = buffer.getByte(at);
        buffer.putByte(at, (byte) ((nibble & 1) == 0 ? (b & 0x0F) | (value << 4) : (b & 0xF0) | value));
    }
}
