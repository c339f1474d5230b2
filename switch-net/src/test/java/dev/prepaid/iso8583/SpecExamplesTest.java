package dev.prepaid.iso8583;

import static dev.prepaid.iso8583.IsoTestSupport.clean;
import static dev.prepaid.iso8583.IsoTestSupport.decode;
import static dev.prepaid.iso8583.IsoTestSupport.hex;
import static dev.prepaid.iso8583.IsoTestSupport.toHex;
import static dev.prepaid.testing.TestHex.ascii;
import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.command.Ascii;
import dev.prepaid.command.PosKind;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Hand-built frames, byte for byte, against the examples of pos-iso8583.md. */
class SpecExamplesTest {
    /** A purchase with manual PAN, PIN and MAC, written out by hand. */
    static final String PURCHASE = ""
            + "6000030000"                        // TPDU: id 60, destination 0003, source 0000
            + "603100310000"                      // header
            + "0200"                              // MTI
            + "702004C000C09811"                  // bitmap: 2 3 4 11 22 25 26 41 42 49 52 53 60 64
            + "19 6228480402564890 0180"          // 2: LL 19 digits, left-aligned, pad 0
            + "000000"                            // 3
            + "000000010000"                      // 4: 100.00
            + "000123"                            // 11
            + "0210"                              // 22: 021 left-aligned
            + "00"                                // 25
            + "12"                                // 26
            + ascii("TERM0001")                   // 41
            + ascii("MERCHANT0000001")            // 42
            + ascii("156")                        // 49
            + "1122334455667788"                  // 52
            + "2600000000000000"                  // 53
            + "0011 220000010000"                 // 60: LLL 011 digits 22 000001 000 + pad
            + "A1A2A3A4A5A6A7A8";                 // 64

    /** A sign-on with 60.3 = 003 and operator 001. */
    static final String SIGN_ON = ""
            + "6000030000" + "603100310000" + "0800"
            + "0020000000C00012"                  // bitmap: 11 41 42 60 63
            + "000007"
            + ascii("TERM0001") + ascii("MERCHANT0000001")
            + "0011 000000010030"                 // 60: 00 000001 003
            + "0003" + ascii("001");              // 63: LLL 3 bytes

    private final Dialect dialect = IsoTestSupport.dialect();

    @Test
    void decodesThePurchase() {
        final UnsafeBuffer frame = hex(PURCHASE);
        assertThat(frame.capacity()).isEqualTo(106);
        final IsoMessage m = decode(frame);

        assertThat(m.mti()).isEqualTo(200);
        assertThat(m.tpduId()).isEqualTo(0x60);
        assertThat(m.destinationNii()).isEqualTo(0x0003);
        assertThat(m.sourceNii()).isEqualTo(0x0000);
        assertThat(m.header()).isEqualTo(0x603100310000L);
        assertThat(m.bitmap()).isEqualTo(0x702004C000C09811L);
        assertThat(Bitmap.toString(m.bitmap())).isEqualTo("[2, 3, 4, 11, 22, 25, 26, 41, 42, 49, 52, 53, 60, 64]");

        assertThat(m.length(2)).isEqualTo(19);
        assertThat(m.fieldOffset(2)).isEqualTo(21);
        assertThat(m.dataOffset(2)).isEqualTo(22);
        assertThat(m.dataBytes(2)).isEqualTo(10);
        assertThat(m.numeric(2)).as("19 digits do not fit").isEqualTo(IsoMessage.NO_VALUE);
        assertThat(m.digits(2, 0, 18)).isEqualTo(622848040256489001L);
        assertThat(m.digit(2, 18)).isEqualTo(8);
        final byte[] pan = new byte[19];
        assertThat(m.getDigits(2, pan, 0)).isEqualTo(19);
        assertThat(new String(pan, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("6228480402564890018");

        assertThat(m.numeric(3)).isEqualTo(0);
        assertThat(m.numeric(4)).isEqualTo(10000);
        assertThat(m.numeric(11)).isEqualTo(123);
        assertThat(m.numeric(22)).isEqualTo(21);
        assertThat(m.digit(22, 0)).isEqualTo(0);
        assertThat(m.digit(22, 1)).isEqualTo(2);
        assertThat(m.digit(22, 2)).isEqualTo(1);
        assertThat(m.numeric(25)).isEqualTo(0);
        assertThat(m.numeric(26)).isEqualTo(12);
        assertThat(m.asciiPacked(41, 0)).isEqualTo(Ascii.pack("TERM0001", 0, 8));
        assertThat(m.asciiPacked(42, 0)).isEqualTo(Ascii.pack("MERCHANT0000001", 0, 8));
        assertThat(m.asciiPacked(42, 8)).isEqualTo(Ascii.pack("MERCHANT0000001", 8, 8));
        assertThat(Ascii.unpackMerchant(m.asciiPacked(42, 0), m.asciiPacked(42, 8))).isEqualTo("MERCHANT0000001");
        assertThat(m.numeric(49)).isEqualTo(156);
        assertThat(m.binaryLong(52)).isEqualTo(0x1122334455667788L);
        assertThat(m.numeric(53)).isEqualTo(2600000000000000L);
        assertThat(m.length(60)).isEqualTo(11);
        assertThat(m.subField(dialect.subField("60.1"))).isEqualTo(22);
        assertThat(m.subField(dialect.subField("60.2"))).isEqualTo(1);
        assertThat(m.subField(dialect.subField("60.3"))).isEqualTo(0);
        assertThat(m.subField(dialect.subField("60.4"))).as("beyond the 11 digits sent").isEqualTo(IsoMessage.NO_VALUE);
        assertThat(m.binaryLong(64)).isEqualTo(0xA1A2A3A4A5A6A7A8L);

        // MAC block: from the MTI (offset 11) to the end of field 60, the last before 64 (offset 98).
        assertThat(m.macBlockOffset()).isEqualTo(11);
        assertThat(m.macBlockLength()).isEqualTo(98 - 11);

        final Transaction t = dialect.transactions().find(m);
        assertThat(t.kind).isEqualTo(PosKind.PURCHASE);
        assertThat(t.missingField(m.bitmap())).isZero();
        assertThat(t.unexpectedField(m.bitmap())).isZero();
    }

    @Test
    void writesThePurchaseResponseByteForByte() {
        final IsoMessage request = decode(hex(PURCHASE));
        final UnsafeBuffer out = new UnsafeBuffer(new byte[512]);
        final IsoWriter w = new IsoWriter(dialect);
        w.wrapResponse(out, 0, out.capacity(), request, 210)
                .copyField(request, 2).copyField(request, 3).copyField(request, 4).copyField(request, 11)
                .putNumeric(12, 103045).putNumeric(13, 1123).putNumeric(15, 1124)
                .copyField(request, 22).copyField(request, 25)
                .putNumeric(32, 48020000, 8)
                .putNumeric(37, 42).putNumeric(38, 123456).putAscii(39, (byte) '0', (byte) '0')
                .copyField(request, 41).copyField(request, 42).copyField(request, 49);
        w.beginField(54)
                .putSubField(dialect.subField("54.accountType"), 10)
                .putSubField(dialect.subField("54.amountType"), 2)
                .putSubField(dialect.subField("54.currency"), 156)
                .putSubFieldChar(dialect.subField("54.sign"), 0, (byte) 'C')
                .putSubField(dialect.subField("54.amount"), 123456)
                .endField();
        w.copyField(request, 60);
        final int mabLength = w.beginMac();
        w.putMac(0x0102030405060708L);
        final int length = w.finish();
        assertThat(w.error().isSet()).as("%s", w.error()).isFalse();

        final String expected = clean(""
                + "6000000003"                      // TPDU: destination and source swapped
                + "603100310000"                    // header echoed
                + "0210"
                + "703A04810EC08411"                // 2 3 4 11 12 13 15 22 25 32 37 38 39 41 42 49 54 60 64
                + "19 6228480402564890 0180"
                + "000000" + "000000010000" + "000123"
                + "103045" + "1123" + "1124"
                + "0210" + "00"
                + "08 48020000"                     // 32: LL 8 digits
                + ascii("000000000042") + ascii("123456") + ascii("00")
                + ascii("TERM0001") + ascii("MERCHANT0000001") + ascii("156")
                + "0020" + ascii("1002156C000000123456")   // 54: the spec's example
                + "0011 220000010000"
                + "0102030405060708");
        assertThat(toHex(out, 0, length)).isEqualTo(expected);
        assertThat(w.macBlockOffset()).isEqualTo(11);
        assertThat(mabLength).isEqualTo(length - 8 - 11);
        assertThat(toHex(out, 13, 8)).as("bit 64 set in the MAC block").isEqualTo("703A04810EC08411");

        final IsoMessage response = decode(out, 0, length);
        assertThat(response.macBlockOffset()).isEqualTo(w.macBlockOffset());
        assertThat(response.macBlockLength()).isEqualTo(mabLength);
        assertThat(response.subField(dialect.subField("54.amount"))).isEqualTo(123456);
        assertThat(response.subField(dialect.subField("54.sign"))).isEqualTo('C');
    }

    @Test
    void signOnAndItsResponse() {
        final IsoMessage request = decode(hex(SIGN_ON));
        final Transaction t = dialect.transactions().find(request);
        assertThat(t.kind).isEqualTo(PosKind.SIGN_ON);
        assertThat(request.subField(dialect.subField("60.3"))).isEqualTo(3);
        assertThat(request.numeric(63)).isEqualTo(1);

        final byte[] keys = new byte[40];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = (byte) i;
        }
        final UnsafeBuffer out = new UnsafeBuffer(new byte[256]);
        final IsoWriter w = new IsoWriter(dialect);
        w.wrapResponse(out, 0, out.capacity(), request, t.responseMti)
                .copyField(request, 11).putNumeric(12, 90000).putNumeric(13, 101).putNumeric(32, 123, 3)
                .putNumeric(37, 7).putAscii(39, (byte) '0', (byte) '0').copyField(request, 41).copyField(request, 42)
                .beginField(60).copyContent(request, 60).putSubField(dialect.subField("60.2"), 5).endField()
                .putBinary(62, keys, 0, keys.length);
        final int length = w.finish();
        assertThat(w.ok()).as("%s", w.error()).isTrue();
        final StringBuilder key = new StringBuilder();
        for (final byte b : keys) {
            key.append(String.format("%02X", b));
        }
        assertThat(toHex(out, 0, length)).isEqualTo(clean("6000000003" + "603100310000" + "0810"
                + "003800010AC00014"                // 11 12 13 32 37 39 41 42 60 62
                + "000007" + "090000" + "0101"
                + "03 1230"                         // 32: 3 digits, left-aligned, pad 0
                + ascii("000000000007") + ascii("00") + ascii("TERM0001") + ascii("MERCHANT0000001")
                + "0011 000000050030"               // 60.2 = 000005
                + "0040" + key));
    }

    @Test
    void tpduSwapAndHeaderEcho() {
        final String frame = "6012340056" + "0A0B0C0D0E0F" + "0820" + "0020000000C00010" + "000001"
                + ascii("T0000001") + ascii("M00000000000001") + "0011 000000010020";
        final IsoMessage request = decode(hex(frame));
        assertThat(request.destinationNii()).isEqualTo(0x1234);
        assertThat(request.sourceNii()).isEqualTo(0x0056);
        assertThat(dialect.transactions().find(request).kind).isEqualTo(PosKind.SIGN_OFF);
        final UnsafeBuffer out = new UnsafeBuffer(new byte[128]);
        final IsoWriter w = new IsoWriter(dialect).wrapResponse(out, 0, 128, request, 830);
        final int length = w.putAscii(39, (byte) '0', (byte) '0').finish();
        assertThat(toHex(out, 0, length)).isEqualTo(clean("6000561234 0A0B0C0D0E0F 0830 0000000002000000" + ascii("00")));
    }

    @Test
    void fieldEncodingsOfSection2() {
        // field 22 is left-aligned: 021 -> 02 10; other odd fixed n fields are right-aligned: 021 -> 00 21
        assertThat(encodeOne(w -> w.putNumeric(22, 21))).isEqualTo(clean("0210"));
        assertThat(encodeOne(w -> w.putDigits(22, "021"))).isEqualTo(clean("0210"));
        assertThat(encodeOne(w -> w.putNumeric(23, 21))).isEqualTo(clean("0021"));
        assertThat(encodeOne(w -> w.putDigits(23, "021"))).isEqualTo(clean("0021"));
        // LLL prefix counts bytes for ans: 14 characters -> 00 14
        assertThat(encodeOne(w -> w.putAscii(63, "ABCDEFGHIJKLMN"))).isEqualTo(clean("0014" + ascii("ABCDEFGHIJKLMN")));
        // LLL prefix counts digits for n: 14 digits -> 00 14, 7 bytes
        assertThat(encodeOne(w -> w.putDigits(61, "00000100012312"))).isEqualTo(clean("0014 00000100012312"));
        // LL n odd: trailing pad nibble
        assertThat(encodeOne(w -> w.putDigits(2, "1234567890123"))).isEqualTo(clean("13 12345678901230"));
        // track 2: '=' is the nibble D, data left-aligned
        assertThat(encodeOne(w -> w.putDigits(35, "6228480402564890018=3012"))).isEqualTo(clean("24 6228480402564890018D3012"));
        assertThat(encodeOne(w -> w.putDigits(35, "622848=3012"))).isEqualTo(clean("11 622848D30120"));
        // fixed an/ans: right-padded with spaces
        assertThat(encodeOne(w -> w.putAscii(38, "AB1"))).isEqualTo(clean(ascii("AB1   ")));
        assertThat(encodeOne(w -> w.putAscii(41, "T1"))).isEqualTo(clean(ascii("T1      ")));
        // b64: 8 raw bytes
        assertThat(encodeOne(w -> w.putBinary(52, 0x0102030405060708L))).isEqualTo(clean("0102030405060708"));
        // LLL binary counts bytes
        assertThat(encodeOne(w -> w.putBinary(55, new byte[] {(byte) 0x9F, 0x26, 1, 0}, 0, 4))).isEqualTo(clean("0004 9F260100"));
        // 54 balance, the spec's example
        assertThat(encodeOne(w -> w.beginField(54)
                .putSubField(dialect.subField("54.accountType"), 10)
                .putSubField(dialect.subField("54.amountType"), 2)
                .putSubField(dialect.subField("54.currency"), 156)
                .putSubFieldChar(dialect.subField("54.sign"), 0, (byte) 'C')
                .putSubField(dialect.subField("54.amount"), 123456).endField()))
                .isEqualTo(clean("0020" + ascii("1002156C000000123456")));
        assertThat(clean("0020" + ascii("1002156C000000123456"))).isEqualTo("00203130303231353643303030303030313233343536");
    }

    @Test
    void settlementTotalsLayout() {
        final String totals = "000000012345" + "002" + "000000000500" + "001" + "0"
                + "000000000000" + "000" + "000000000000" + "000" + "0";
        assertThat(totals).hasSize(62);
        final String frame = "6000030000" + "603100310000" + "0500" + "0020000000C18012"
                + "000009" + ascii("TERM0001") + ascii("MERCHANT0000001")
                + "0062 " + totals + ascii("156") + "0011 000000012010" + "0003" + ascii("001");
        final IsoMessage request = decode(hex(frame));
        assertThat(dialect.transactions().find(request).kind).isEqualTo(PosKind.BATCH_SETTLEMENT);
        assertThat(request.subField(dialect.subField("48.domesticDebitAmount"))).isEqualTo(12345);
        assertThat(request.subField(dialect.subField("48.domesticDebitCount"))).isEqualTo(2);
        assertThat(request.subField(dialect.subField("48.domesticCreditAmount"))).isEqualTo(500);
        assertThat(request.subField(dialect.subField("48.domesticCreditCount"))).isEqualTo(1);
        assertThat(request.subField(dialect.subField("48.domesticFlag"))).isEqualTo(0);
        assertThat(request.subField(dialect.subField("48.foreignFlag"))).isEqualTo(0);

        // the answer: same totals, flag 1
        final UnsafeBuffer out = new UnsafeBuffer(new byte[256]);
        final IsoWriter w = new IsoWriter(dialect).wrapResponse(out, 0, 256, request, 510);
        w.beginField(48).copyContent(request, 48).putSubField(dialect.subField("48.domesticFlag"), 1).endField();
        final int length = w.finish();
        assertThat(toHex(out, 21, length - 21)).isEqualTo(clean("0062" + totals.substring(0, 30) + "1" + totals.substring(31)));
    }

    private String encodeOne(final java.util.function.Consumer<IsoWriter> write) {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[256]);
        final IsoWriter w = new IsoWriter(dialect).wrapRequest(out, 0, 256, 3, 0, 0x603100310000L, 200);
        write.accept(w);
        final int length = w.finish();
        assertThat(w.ok()).as("%s", w.error()).isTrue();
        return toHex(out, 21, length - 21);
    }
}
