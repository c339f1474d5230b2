package dev.prepaid.iso8583;

import static dev.prepaid.iso8583.IsoTestSupport.decode;
import static dev.prepaid.iso8583.IsoTestSupport.hex;
import static dev.prepaid.iso8583.IsoTestSupport.toHex;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Consumer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** The writer's own errors: sticky, naming field, offset, expected and found. */
class WriterTest {
    private final Dialect dialect = IsoTestSupport.dialect();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
    private final IsoWriter writer = new IsoWriter(dialect);

    @Test
    void fieldsMustAscend() {
        fails(w -> w.putNumeric(11, 1).putNumeric(4, 1), IsoError.WRITE_ORDER,
                "field 4: written after field 11, expected ascending order, at offset 24");
        fails(w -> w.putNumeric(11, 1).putNumeric(11, 2), IsoError.WRITE_ORDER,
                "field 11: written after field 11, expected ascending order, at offset 24");
    }

    @Test
    void undefinedField() {
        fails(w -> w.putNumeric(5, 1), IsoError.WRITE_UNKNOWN_FIELD, "field 5: not defined by the dialect, at offset 21");
        fails(w -> w.putNumeric(1, 1), IsoError.WRITE_UNKNOWN_FIELD, "field 1: not defined by the dialect, at offset 21");
        fails(w -> w.putNumeric(65, 1), IsoError.WRITE_UNKNOWN_FIELD, "field 65: not defined by the dialect, at offset 21");
    }

    @Test
    void valuesMustFit() {
        fails(w -> w.putNumeric(4, 1_000_000_000_000L), IsoError.WRITE_VALUE_RANGE,
                "field 4: value 1000000000000 does not fit 12 digits, at offset 21");
        fails(w -> w.putNumeric(4, -1), IsoError.WRITE_VALUE_RANGE, "field 4: value -1 does not fit 12 digits, at offset 21");
        fails(w -> w.putDigits(2, "12345678901234567890"), IsoError.WRITE_TOO_LONG,
                "field 2: 20 digits, max 19, at offset 21");
        fails(w -> w.putNumeric(60, 1, 18), IsoError.WRITE_TOO_LONG, "field 60: 18 digits, max 17, at offset 21");
        fails(w -> w.putDigits(3, "12345"), IsoError.WRITE_WRONG_LENGTH, "field 3: 5 digits, expected 6, at offset 21");
        fails(w -> w.putAscii(41, "TERMINAL1"), IsoError.WRITE_TOO_LONG, "field 41: 9 characters, max 8, at offset 21");
        fails(w -> w.putAscii(54, "x".repeat(21)), IsoError.WRITE_TOO_LONG, "field 54: 21 characters, max 20, at offset 21");
        fails(w -> w.putBinary(52, new byte[7], 0, 7), IsoError.WRITE_WRONG_LENGTH, "field 52: 7 bytes, expected 8, at offset 21");
        fails(w -> w.putBinary(62, new byte[513], 0, 513), IsoError.WRITE_TOO_LONG, "field 62: 513 bytes, max 512, at offset 21");
    }

    @Test
    void formatsMustMatch() {
        fails(w -> w.putNumeric(2, 1), IsoError.WRITE_FORMAT,
                "field 2: format n, expected a variable-length field (give the digit count), at offset 21");
        fails(w -> w.putNumeric(52, 1), IsoError.WRITE_FORMAT, "field 52: format b, expected n, z, an or ans, at offset 21");
        fails(w -> w.putAscii(4, "1"), IsoError.WRITE_FORMAT, "field 4: format n, expected an or ans, at offset 21");
        fails(w -> w.putBinary(4, 1L), IsoError.WRITE_FORMAT, "field 4: format n, expected b, at offset 21");
        fails(w -> w.putDigits(2, "12A4"), IsoError.WRITE_BAD_CHARACTER,
                "field 2: character 0x41 at 2 is not allowed in format n, at offset 21");
        fails(w -> w.putDigits(2, "12=4"), IsoError.WRITE_BAD_CHARACTER,
                "field 2: character 0x3D at 2 is not allowed in format n, at offset 21");
        fails(w -> w.putAscii(63, "ok\n"), IsoError.WRITE_BAD_CHARACTER,
                "field 63: character 0x0A at 2 is not allowed in format ans, at offset 21");
    }

    @Test
    void bufferAndFrameLimits() {
        assertThat(writer.wrapRequest(buffer, 0, 30, 0, 0, 0, 200).putNumeric(4, 1).putNumeric(11, 2).finish())
                .as("exactly full").isEqualTo(30);
        writer.wrapRequest(buffer, 0, 29, 0, 0, 0, 200).putNumeric(4, 1).putNumeric(11, 2);
        assertThat(writer.finish()).isEqualTo(-1);
        assertThat(writer.error().toString()).isEqualTo("field 11: needs 3 bytes, found 2 left in the frame, at offset 27");
        assertThat(writer.error().code()).isEqualTo(IsoError.WRITE_OVERFLOW);
        writer.wrapRequest(buffer, 0, 20, 0, 0, 0, 200);
        assertThat(writer.finish()).isEqualTo(-1);
        assertThat(writer.error().toString()).isEqualTo("needs 21 bytes, found 20 left in the frame, at offset 0");
        // the dialect's maximum frame bounds the capacity too
        writer.wrapRequest(buffer, 0, buffer.capacity(), 0, 0, 0, 200).putBinary(55, new byte[255], 0, 255)
                .putBinary(62, new byte[512], 0, 512).putBinary(62, new byte[1], 0, 1);
        assertThat(writer.error().code()).isEqualTo(IsoError.WRITE_ORDER);
        final UnsafeBuffer huge = new UnsafeBuffer(new byte[4096]);
        writer.wrapRequest(huge, 0, huge.capacity(), 0, 0, 0, 200);
        for (int f = 2; f <= 63; f++) {
            final FieldSpec spec = dialect.field(f);
            if (spec != null && spec.format == Format.B && !spec.fixed()) {
                writer.putBinary(f, new byte[spec.encodeMax], 0, spec.encodeMax);
            } else if (spec != null && spec.format.ascii() && !spec.fixed()) {
                writer.putAscii(f, "x".repeat(spec.encodeMax));
            } else if (spec != null && spec.format.bcd && !spec.fixed()) {
                writer.putNumeric(f, 0, spec.encodeMax);
            }
        }
        assertThat(writer.length()).isLessThanOrEqualTo(2048);
        assertThat(writer.ok()).as("all maxima fit 2048: %s", writer.error()).isTrue();
    }

    @Test
    void errorsAreSticky() {
        writer.wrapRequest(buffer, 0, 256, 0, 0, 0, 200).putNumeric(11, 1).putNumeric(4, 1).putNumeric(12, 1)
                .putAscii(41, "T");
        assertThat(writer.error().field()).isEqualTo(4);
        assertThat(writer.bitmap()).isEqualTo(Bitmap.of(11));
        assertThat(writer.finish()).isEqualTo(-1);
        assertThat(writer.beginMac()).isEqualTo(-1);
        // a new wrap starts clean
        assertThat(writer.wrapRequest(buffer, 0, 256, 0, 0, 0, 200).putNumeric(11, 1).finish()).isEqualTo(24);
    }

    @Test
    void notWrapped() {
        final IsoWriter fresh = new IsoWriter(dialect);
        assertThat(fresh.putNumeric(4, 1).finish()).isEqualTo(-1);
        assertThat(fresh.error().toString()).isEqualTo("the writer is not wrapped around a buffer, at offset 0");
    }

    @Test
    void macRules() {
        fails(w -> w.putNumeric(11, 1).beginMac(), IsoError.WRITE_STATE,
                "field 64: bit 64 set by beginMac but no MAC written, at offset 24");
        fails(w -> {
            w.putNumeric(11, 1).beginMac();
            w.putNumeric(12, 1);
        }, IsoError.WRITE_STATE, "field 12: only the MAC may follow beginMac, at offset 24");
        fails(w -> {
            w.beginMac();
            w.beginMac();
        }, IsoError.WRITE_STATE, "field 64: only the MAC may follow beginMac, at offset 21");
        fails(w -> w.putMac(1L).putMac(2L), IsoError.WRITE_ORDER,
                "field 64: written after field 64, expected ascending order, at offset 29");
        // MAC block: the bitmap in the buffer already has bit 64 when beginMac returns
        writer.wrapRequest(buffer, 0, 256, 0, 0, 0, 200).putNumeric(3, 0).putAscii(63, "ABC");
        final int mab = writer.beginMac();
        assertThat(mab).isEqualTo(2 + 8 + 3 + 5);
        assertThat(toHex(buffer, writer.macBlockOffset() + 2, 8)).isEqualTo("2000000000000003");
        writer.putMac(hex("0102030405060708"), 0);
        final int length = writer.finish();
        final IsoMessage m = decode(buffer, 0, length);
        assertThat(m.macBlockLength()).isEqualTo(mab);
        assertThat(m.binaryLong(64)).isEqualTo(0x0102030405060708L);
        // a MAC written without beginMac is fine too (bitmap gets bit 64 when the field is written)
        assertThat(writer.wrapRequest(buffer, 0, 256, 0, 0, 0, 200).putMac(1L).finish()).isEqualTo(29);
    }

    @Test
    void compositeRules() {
        final SubField s601 = dialect.subField("60.1");
        final SubField s611 = dialect.subField("61.1");
        fails(w -> w.putSubField(s601, 1), IsoError.WRITE_STATE, "no field is open (call beginField), at offset 21");
        fails(w -> w.beginField(60).putSubField(s611, 1), IsoError.WRITE_SUBFIELD,
                "field 60: sub-field at 0 does not belong to the open field or ends past 17, at offset 21");
        fails(w -> w.beginField(60).putSubField(s601, 100), IsoError.WRITE_VALUE_RANGE,
                "field 60: value 100 does not fit 2 digits, at offset 21");
        fails(w -> w.beginField(60).putNumeric(61, 1, 1), IsoError.WRITE_STATE,
                "field 61: a field is still open (call endField), at offset 21");
        fails(w -> w.beginField(60), IsoError.WRITE_STATE, "field 60: a field is still open (call endField), at offset 21");
        fails(w -> w.beginField(60).putSubField(s601, 1, 22), IsoError.WRITE_SUBFIELD,
                "field 60: sub-field at 13 does not belong to the open field or ends past 17, at offset 21");
        fails(w -> w.beginField(52), IsoError.WRITE_FORMAT, "field 52: format b, expected n, z, an or ans, at offset 21");
        fails(w -> w.beginField(54).putSubField(dialect.subField("54.amount"), 1, 5), IsoError.WRITE_SUBFIELD,
                "field 54: sub-field at 28 does not belong to the open field or ends past 20, at offset 21");

        // gaps are zero digits; sub-fields may come in any order
        final int length = writer.wrapRequest(buffer, 0, 256, 0, 0, 0, 200).beginField(60)
                .putSubField(dialect.subField("60.3"), 201).putSubField(s601, 22).endField().finish();
        final IsoMessage m = decode(buffer, 0, length);
        assertThat(RoundTripTest.text(m, 60)).isEqualTo("22000000201");
        assertThat(toHex(buffer, 21, length - 21)).isEqualTo("0011220000002010");
        // a fixed field can be composed too
        final int fixed = writer.wrapRequest(buffer, 0, 256, 0, 0, 0, 200).beginField(23).endField().finish();
        assertThat(toHex(buffer, 21, fixed - 21)).isEqualTo("0000");
        // an empty variable field
        final int empty = writer.wrapRequest(buffer, 0, 256, 0, 0, 0, 200).beginField(61).endField().finish();
        assertThat(toHex(buffer, 21, empty - 21)).isEqualTo("0000");
    }

    @Test
    void copyFieldCutsToTheEncodeMaximumAndNormalisesPads() {
        // 60 with 25 digits (accepted up to 30), 22 with an F pad, 2 with an F pad
        final String frame = "6000030000603100310000" + "0200" + "4000040000000010"
                + "03 123F" + "021F" + "0025 1234567890123456789012345F";
        final IsoMessage request = decode(hex(frame));
        assertThat(request.length(60)).isEqualTo(25);
        final int length = writer.wrapResponse(buffer, 0, 256, request, 210).copyField(request, 2)
                .copyField(request, 22).copyField(request, 60).copyField(request, 61).finish();
        assertThat(toHex(buffer, 21, length - 21)).isEqualTo("031230" + "0210" + "0017" + "123456789012345670");
        // beginField + copyContent cuts the same way
        final int composed = writer.wrapResponse(buffer, 0, 256, request, 210).beginField(60).copyContent(request, 60)
                .endField().finish();
        assertThat(toHex(buffer, 21, composed - 21)).isEqualTo("0017" + "123456789012345670");
    }

    @Test
    void writesAtAnOffset() {
        final int length = writer.wrapRequest(buffer, 100, 256, 3, 0, 0x603100310000L, 800).putNumeric(11, 5).finish();
        final IsoMessage m = decode(buffer, 100, length);
        assertThat(m.numeric(11)).isEqualTo(5);
        assertThat(writer.macBlockOffset()).isEqualTo(111);
        assertThat(writer.offset()).isEqualTo(100);
    }

    private void fails(final Consumer<IsoWriter> write, final int code, final String text) {
        writer.wrapRequest(buffer, 0, buffer.capacity(), 3, 0, 0x603100310000L, 200);
        write.accept(writer);
        assertThat(writer.finish()).as("finish after an error").isEqualTo(-1);
        assertThat(writer.ok()).isFalse();
        assertThat(writer.error().code()).as("%s", writer.error()).isEqualTo(code);
        assertThat(writer.error().toString()).isEqualTo(text);
    }
}
