package dev.prepaid.iso8583;

import static dev.prepaid.iso8583.IsoTestSupport.decode;
import static dev.prepaid.iso8583.IsoTestSupport.hex;
import static dev.prepaid.testing.TestHex.ascii;
import static org.assertj.core.api.Assertions.assertThat;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** describe(): field by field, card data masked, secrets hidden. */
class DescribeTest {
    private final Dialect dialect = IsoTestSupport.dialect();

    @Test
    void purchaseIsDescribedWithThePanMasked() {
        final String text = IsoDescriber.describe(decode(hex(SpecExamplesTest.PURCHASE)));
        assertThat(text).isEqualTo(""
                + "0200 TPDU 6000030000 header 603100310000 bitmap 702004C000C09811\n"
                + f(2, "PAN", "622848*********0018")
                + f(3, "processing code", "000000")
                + f(4, "amount", "000000010000")
                + f(11, "STAN", "000123")
                + f(22, "POS entry mode", "021")
                + f(25, "POS condition code", "00")
                + f(26, "PIN capture code", "12")
                + f(41, "terminal id", "\"TERM0001\"")
                + f(42, "merchant id", "\"MERCHANT0000001\"")
                + f(49, "currency", "\"156\"")
                + f(52, "PIN block", "[hidden, 8 bytes]")
                + f(53, "security control", "2600000000000000")
                + f(60, "reserved private", "22000001000")
                + sub("60.1 message type code", "22")
                + sub("60.2 batch number", "000001")
                + sub("60.3 network management code", "000")
                + f(64, "MAC", "[hidden, 8 bytes]"));
        assertThat(text).doesNotContain("6228480402564890018").doesNotContain("1122334455667788")
                .doesNotContain("A1A2A3A4");
    }

    @Test
    void tracksKeysAndIccAreHidden() {
        final byte[] keys = new byte[24];
        java.util.Arrays.fill(keys, (byte) 0x5A);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final IsoWriter writer = new IsoWriter(dialect);
        int length = writer.wrapRequest(buffer, 0, 512, 3, 0, 0x603100310000L, 200)
                .putDigits(35, "6228480402564890018=30122011234567890")
                .putDigits(36, "996228480402564890018=1561560000000000000003")
                .putBinary(55, new byte[] {(byte) 0x9F, 0x26, 0x08, 1, 2, 3, 4, 5, 6, 7, 8}, 0, 11)
                .putBinary(62, keys, 0, keys.length).finish();
        String text = IsoDescriber.describe(decode(buffer, 0, length));
        assertThat(text).contains(f(35, "track 2", "[hidden, 37 digits]"))
                .contains(f(36, "track 3", "[hidden, 44 digits]"))
                .contains(f(55, "ICC data", "[hidden, 11 bytes]"))
                .contains(f(62, "reserved private", "5A5A5A5A").trim())
                .doesNotContain("622848").doesNotContain("9F26");

        // field 62 carries keys in a 0810: hidden there
        length = writer.wrapRequest(buffer, 0, 512, 3, 0, 0x603100310000L, 810).putBinary(62, keys, 0, keys.length).finish();
        text = IsoDescriber.describe(decode(buffer, 0, length));
        assertThat(text).contains(f(62, "reserved private", "[hidden, 24 bytes]")).doesNotContain("5A5A");
    }

    @Test
    void shortPansAreMaskedEntirely() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        final IsoWriter writer = new IsoWriter(dialect);
        int length = writer.wrapRequest(buffer, 0, 128, 0, 0, 0, 200).putDigits(2, "1234567890").finish();
        assertThat(IsoDescriber.describe(decode(buffer, 0, length))).contains(": **********\n");
        length = writer.wrapRequest(buffer, 0, 128, 0, 0, 0, 200).putDigits(2, "12345678901").finish();
        assertThat(IsoDescriber.describe(decode(buffer, 0, length))).contains(": 123456*8901\n");
        length = writer.wrapRequest(buffer, 0, 128, 0, 0, 0, 200).putDigits(2, "6222021234567890128").finish();
        assertThat(IsoDescriber.describe(decode(buffer, 0, length))).contains(": 622202*********0128\n");
    }

    @Test
    void layoutsRepeatsAndEscapes() {
        final String frame = "6000030000603100310000" + "0210" + "0000000000000402"
                + "0040" + ascii("1001156C000000123456" + "1002156D000000000042")
                + "0005" + "41" + "0A" + "5C" + "22" + "7F";
        final String text = IsoDescriber.describe(decode(hex(frame)));
        assertThat(text).contains(sub("54.accountType[0] account type", "\"10\""))
                .contains(sub("54.sign[1] sign C/D", "\"D\""))
                .contains(sub("54.amount[1] amount", "\"000000000042\""))
                .contains(f(63, "reserved private", "\"A\\x0A\\x5C\\x22\\x7F\""));
    }

    @Test
    void failedDecodesShowWhatWasReadAndTheError() {
        final String frame = "6000030000603100310000" + "0200" + "2000000020000000" + "000000" + "45" + "00";
        final IsoMessage message = new IsoMessage(dialect);
        assertThat(message.wrap(hex(frame), 0, 26)).isFalse();
        assertThat(IsoDescriber.describe(message)).isEqualTo(""
                + "0200 TPDU 6000030000 header 603100310000 bitmap 2000000020000000\n"
                + f(3, "processing code", "000000")
                + "  decode error: field 35: LL prefix says 45 digits, max 37, at offset 24\n");
        assertThat(message.wrap(hex("60"), 0, 1)).isFalse();
        assertThat(IsoDescriber.describe(message)).isEqualTo(
                "undecodable frame: frame: 1 bytes, expected at least 21 (TPDU, header, MTI and bitmap), at offset 0\n");
    }

    @Test
    void appendsIntoAReusedBuilder() {
        final IsoMessage message = decode(hex(SpecExamplesTest.SIGN_ON));
        final StringBuilder out = new StringBuilder(1024);
        IsoDescriber.describe(message, out);
        final String first = out.toString();
        out.setLength(0);
        IsoDescriber.describe(message, out);
        assertThat(out.toString()).isEqualTo(first).startsWith("0800 TPDU").contains(sub("60.3 network management code", "003"));
    }

    /** A field line: "  F" + number in 5 columns, the name in 30, then ": " and the value. */
    private static String f(final int field, final String name, final String value) {
        return "  " + padded("F" + field, 5) + padded(name, 30) + ": " + value + "\n";
    }

    private static String sub(final String label, final String value) {
        return "       " + padded(label, 30) + ": " + value + "\n";
    }

    /** At least one space after the text, then spaces up to the width. */
    private static String padded(final String text, final int width) {
        return text + " ".repeat(Math.max(1, width - text.length()));
    }
}
