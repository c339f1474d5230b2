package dev.prepaid.iso8583;

import static dev.prepaid.iso8583.IsoTestSupport.hex;
import static dev.prepaid.testing.TestHex.ascii;
import static org.assertj.core.api.Assertions.assertThat;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Every decode error names the field, the offset, what was expected and what was found. */
class DecodeErrorTest {
    private static final String HEAD = "6000030000" + "603100310000";
    private final IsoMessage message = new IsoMessage(IsoTestSupport.dialect());

    @Test
    void frameTooShort() {
        expect(HEAD + "0200" + "00000000000000", IsoError.FRAME_TOO_SHORT, 0, 0,
                "frame: 20 bytes, expected at least 21 (TPDU, header, MTI and bitmap), at offset 0");
        expect("", IsoError.FRAME_TOO_SHORT, 0, 0,
                "frame: 0 bytes, expected at least 21 (TPDU, header, MTI and bitmap), at offset 0");
    }

    @Test
    void frameTooLong() {
        final UnsafeBuffer big = new UnsafeBuffer(new byte[2049]);
        assertThat(message.wrap(big, 0, 2049)).isFalse();
        assertThat(message.error().toString()).isEqualTo("frame: 2049 bytes, max 2048, at offset 0");
        assertThat(IsoFrame.checkBodyLength(2049, IsoTestSupport.dialect(), message.error())).isFalse();
        assertThat(message.error().code()).isEqualTo(IsoError.FRAME_TOO_LONG);
        assertThat(IsoFrame.checkBodyLength(20, IsoTestSupport.dialect(), message.error())).isFalse();
        assertThat(message.error().code()).isEqualTo(IsoError.FRAME_TOO_SHORT);
        assertThat(IsoFrame.checkBodyLength(21, IsoTestSupport.dialect(), message.error())).isTrue();
        assertThat(IsoFrame.checkBodyLength(2048, IsoTestSupport.dialect(), message.error())).isTrue();
    }

    @Test
    void frameLengthPrefix() {
        final UnsafeBuffer frame = hex("0106" + "00");
        assertThat(IsoFrame.bodyLength(frame, 0)).isEqualTo(262);
        final UnsafeBuffer out = new UnsafeBuffer(new byte[2]);
        IsoFrame.putBodyLength(out, 0, 2048);
        assertThat(IsoTestSupport.toHex(out, 0, 2)).isEqualTo("0800");
        IsoFrame.putBodyLength(out, 0, 0xFFFF);
        assertThat(IsoFrame.bodyLength(out, 0)).isEqualTo(0xFFFF);
    }

    @Test
    void bufferShorterThanTheGivenLength() {
        final UnsafeBuffer frame = hex(HEAD + "0800" + "0000000000000000");
        assertThat(message.wrap(frame, 0, 30)).isFalse();
        assertThat(message.error().toString()).isEqualTo("frame: 30 bytes expected, the buffer holds 21, at offset 0");
        assertThat(message.wrap(frame, 5, 21)).isFalse();
        assertThat(message.wrap(frame, -1, 21)).isFalse();
        assertThat(message.wrap(frame, 0, -1)).isFalse();
    }

    @Test
    void badTpduId() {
        expect("6100030000603100310000" + "0800" + "0000000000000000", IsoError.BAD_TPDU, 0, 0,
                "TPDU: id 0x61, expected 0x60, at offset 0");
    }

    @Test
    void badMti() {
        expect(HEAD + "0A00" + "0000000000000000", IsoError.BAD_MTI, 0, 11, "MTI: byte 0x0A is not BCD, at offset 11");
        expect(HEAD + "02F0" + "0000000000000000", IsoError.BAD_MTI, 0, 12, "MTI: byte 0xF0 is not BCD, at offset 12");
    }

    @Test
    void secondaryBitmapBit() {
        expect(HEAD + "0200" + "8000000000000000" + "0000000000000000", IsoError.SECONDARY_BITMAP, 0, 13,
                "bitmap: bit 1 (secondary bitmap) is set, expected a primary bitmap only, at offset 13");
    }

    @Test
    void unknownFieldInTheBitmap() {
        expect(HEAD + "0200" + "0800000000000000" + "00", IsoError.UNKNOWN_FIELD, 5, 13,
                "field 5: set in the bitmap but not defined by the dialect, at offset 13");
        expect(HEAD + "0200" + "2000000000000040" + "000000" + "00", IsoError.UNKNOWN_FIELD, 58, 20,
                "field 58: set in the bitmap but not defined by the dialect, at offset 20");
        assertThat(message.mti()).isEqualTo(200);
        assertThat(Bitmap.toString(message.bitmap())).as("decoded before the error").isEqualTo("[3]");
        assertThat(message.has(3)).isTrue();
        assertThat(message.numeric(3)).isEqualTo(0);
        assertThat(message.isValid()).isFalse();
    }

    @Test
    void fixedFieldTruncated() {
        expect(HEAD + "0200" + "1000000000000000" + "000000", IsoError.FIELD_TRUNCATED, 4, 21,
                "field 4: needs 6 bytes, found 3 remaining, at offset 21");
    }

    @Test
    void prefixOverMaximum() {
        expect(HEAD + "0200" + "0000000020000000" + "45" + "62284804025648900180000000000000000000000000",
                IsoError.PREFIX_OVER_MAX, 35, 21, "field 35: LL prefix says 45 digits, max 37, at offset 21");
        expect(HEAD + "0200" + "0000000000000010" + "0031" + "00".repeat(16),
                IsoError.PREFIX_OVER_MAX, 60, 21, "field 60: LLL prefix says 31 digits, max 30, at offset 21");
        expect(HEAD + "0200" + "0000000000000002" + "0164" + "00".repeat(164),
                IsoError.PREFIX_OVER_MAX, 63, 21, "field 63: LLL prefix says 164 characters, max 163, at offset 21");
        expect(HEAD + "0200" + "0000000000000400" + "0041" + "00".repeat(41),
                IsoError.PREFIX_OVER_MAX, 54, 21, "field 54: LLL prefix says 41 characters, max 40, at offset 21");
    }

    @Test
    void generousMaximaAreAccepted() {
        // 60 up to 30 digits, 54 up to 40 characters, 63 up to 163
        assertThat(message.wrap(hex(HEAD + "0200" + "0000000000000010" + "0030" + "00".repeat(15)), 0, 38)).isTrue();
        assertThat(message.length(60)).isEqualTo(30);
        final String balances = ascii("1001156C000000123456" + "1002156D000000000042");
        final UnsafeBuffer frame = hex(HEAD + "0210" + "0000000000000400" + "0040" + balances);
        assertThat(message.wrap(frame, 0, frame.capacity())).isTrue();
        final Dialect dialect = IsoTestSupport.dialect();
        assertThat(message.occurrences(dialect.subField("54.amount"))).isEqualTo(2);
        assertThat(message.subField(dialect.subField("54.amount"), 0)).isEqualTo(123456);
        assertThat(message.subField(dialect.subField("54.sign"), 1)).isEqualTo('D');
        assertThat(message.subField(dialect.subField("54.amount"), 1)).isEqualTo(42);
        assertThat(message.subField(dialect.subField("54.amount"), 2)).isEqualTo(IsoMessage.NO_VALUE);
    }

    @Test
    void prefixOverRemaining() {
        expect(HEAD + "0200" + "0000000020000000" + "37" + "6228480402564890018D",
                IsoError.PREFIX_OVER_REMAINING, 35, 21,
                "field 35: LL prefix says 37 digits (19 bytes), found 10 bytes remaining, at offset 21");
        expect(HEAD + "0200" + "0000000000000002" + "0010" + ascii("ABC"),
                IsoError.PREFIX_OVER_REMAINING, 63, 21,
                "field 63: LLL prefix says 10 characters (10 bytes), found 3 bytes remaining, at offset 21");
        expect(HEAD + "0200" + "0000000000000002" + "00", IsoError.PREFIX_TRUNCATED, 63, 21,
                "field 63: LLL prefix needs 2 bytes, found 1 remaining, at offset 21");
        expect(HEAD + "0200" + "4000000000000000", IsoError.PREFIX_TRUNCATED, 2, 21,
                "field 2: LL prefix needs 1 bytes, found 0 remaining, at offset 21");
    }

    @Test
    void prefixNotBcd() {
        expect(HEAD + "0200" + "0000000020000000" + "4F" + "00", IsoError.PREFIX_NOT_BCD, 35, 21,
                "field 35: LL prefix byte 0x4F is not BCD, at offset 21");
        expect(HEAD + "0200" + "0000000000000002" + "001A" + "00", IsoError.PREFIX_NOT_BCD, 63, 22,
                "field 63: LLL prefix byte 0x1A is not BCD, at offset 22");
    }

    @Test
    void badBcdDigits() {
        expect(HEAD + "0200" + "1000000000000000" + "0000000A0000", IsoError.BAD_DIGIT, 4, 24,
                "field 4: nibble 0xA at digit 7 is not a digit, expected 0-9, at offset 24");
        expect(HEAD + "0200" + "4000000000000000" + "04" + "12D4", IsoError.BAD_DIGIT, 2, 23,
                "field 2: nibble 0xD at digit 2 is not a digit, expected 0-9, at offset 23");
        expect(HEAD + "0200" + "0000000020000000" + "05" + "12E450", IsoError.BAD_DIGIT, 35, 23,
                "field 35: nibble 0xE at digit 2 is not a digit, expected 0-9 or D, at offset 23");
        // D is the track separator in z
        assertThat(message.wrap(hex(HEAD + "0200" + "0000000020000000" + "05" + "12D450"), 0, 25)).isTrue();
        assertThat(message.indexOfSeparator(35)).isEqualTo(2);
        assertThat(message.numeric(35)).isEqualTo(IsoMessage.NO_VALUE);
        assertThat(message.digits(35, 3, 2)).isEqualTo(45);
    }

    /** A long n field goes through the eight-bytes-at-a-time check: every nibble position must still be caught. */
    @Test
    void aBadNibbleAnywhereInALongFieldIsNamedWithItsDigitAndOffset() {
        final String pan = "6228480402564890018";              // 19 digits: LL prefix, 10 bytes, one pad nibble
        final String head = HEAD + "0200" + "4000000000000000" + "19";
        assertThat(message.wrap(hex(head + pan + "0"), 0, 22 + 10)).isTrue();
        assertThat(message.digits(2, 0, 18)).isEqualTo(622848040256489001L);
        assertThat(message.digits(2, 1, 17)).isEqualTo(22848040256489001L);
        assertThat(message.digits(2, 3, 16)).isEqualTo(8480402564890018L);
        for (int digit = 0; digit < pan.length(); digit++) {
            final String bad = pan.substring(0, digit) + "B" + pan.substring(digit + 1);
            expect(head + bad + "0", IsoError.BAD_DIGIT, 2, 22 + digit / 2,
                    "field 2: nibble 0xB at digit " + digit + " is not a digit, expected 0-9, at offset " + (22 + digit / 2));
        }
        expect(head + pan + "C", IsoError.BAD_PAD, 2, 31, "field 2: pad nibble 0xC, expected 0 or F, at offset 31");
    }

    @Test
    void badPadNibble() {
        expect(HEAD + "0200" + "0000040000000000" + "0215", IsoError.BAD_PAD, 22, 22,
                "field 22: pad nibble 0x5, expected 0 or F, at offset 22");
        expect(HEAD + "0200" + "0000020000000000" + "5021", IsoError.BAD_PAD, 23, 21,
                "field 23: pad nibble 0x5, expected 0 or F, at offset 21");
        expect(HEAD + "0200" + "4000000000000000" + "03" + "1237", IsoError.BAD_PAD, 2, 23,
                "field 2: pad nibble 0x7, expected 0 or F, at offset 23");
        // F pads are accepted (generous decode)
        assertThat(message.wrap(hex(HEAD + "0200" + "4000060000000000" + "03" + "123F" + "021F" + "F021"), 0, 28)).isTrue();
        assertThat(message.numeric(2)).isEqualTo(123);
        assertThat(message.numeric(22)).isEqualTo(21);
        assertThat(message.numeric(23)).isEqualTo(21);
    }

    @Test
    void trailingBytes() {
        expect(HEAD + "0200" + "2000000000000000" + "000000" + "FFFF", IsoError.TRAILING_BYTES, 0, 24,
                "frame: 2 bytes after the last field, expected none, at offset 24");
        expect(HEAD + "0200" + "0000000000000000" + "00", IsoError.TRAILING_BYTES, 0, 21,
                "frame: 1 bytes after the last field, expected none, at offset 21");
    }

    @Test
    void aGoodDecodeClearsTheError() {
        expect(HEAD + "0A00" + "0000000000000000", IsoError.BAD_MTI, 0, 11, "MTI: byte 0x0A is not BCD, at offset 11");
        assertThat(message.wrap(hex(HEAD + "0800" + "0000000000000000"), 0, 21)).isTrue();
        assertThat(message.error().isSet()).isFalse();
        assertThat(message.bitmap()).isZero();
        assertThat(message.has(3)).isFalse();
        assertThat(message.numeric(3)).isEqualTo(IsoMessage.NO_VALUE);
        assertThat(message.macBlockLength()).isEqualTo(10);
    }

    @Test
    void decodesAtAnOffsetInALargerBuffer() {
        final String frame = HEAD + "0200" + "2000000000000000" + "310000";
        final UnsafeBuffer buffer = hex("FFFF" + frame + "EEEE");
        assertThat(message.wrap(buffer, 2, 24)).isTrue();
        assertThat(message.numeric(3)).isEqualTo(310000);
        assertThat(message.fieldOffset(3)).isEqualTo(23);
        assertThat(message.macBlockOffset()).isEqualTo(13);
        expectAt(buffer, 2, 26, IsoError.TRAILING_BYTES, 0, 24);
    }

    private void expect(final String hex, final int code, final int field, final int offset, final String text) {
        final UnsafeBuffer frame = hex(hex);
        expectAt(frame, 0, frame.capacity(), code, field, offset);
        assertThat(message.error().toString()).isEqualTo(text);
    }

    private void expectAt(final UnsafeBuffer frame, final int at, final int length, final int code, final int field,
            final int offset) {
        assertThat(message.wrap(frame, at, length)).as("decode of a bad frame").isFalse();
        assertThat(message.isValid()).isFalse();
        final IsoError error = message.error();
        assertThat(error.isSet()).isTrue();
        assertThat(error.code()).as("%s", error).isEqualTo(code);
        assertThat(error.field()).as("%s", error).isEqualTo(field);
        assertThat(error.offset()).as("%s", error).isEqualTo(offset);
    }
}
