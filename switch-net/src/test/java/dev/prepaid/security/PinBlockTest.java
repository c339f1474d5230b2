package dev.prepaid.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The "PIN block, ISO 9564 format 0" vectors of test-vectors.md and the example of pos-iso8583 §8. */
class PinBlockTest {

    private static String clearBlock(final String pin, final String pan) {
        final byte[] out = new byte[8];
        assertThat(PinBlock.formatClear(pin, pan, out, 0)).isEqualTo(PinBlock.OK);
        return Hex.encode(out);
    }

    @Test
    void vectorPin1234Pan43219876543210987() {
        assertThat(clearBlock("1234", "43219876543210987")).isEqualTo("0412AC89ABCDEF67");
    }

    @Test
    void vectorPin1234Pan4111111111111111() {
        assertThat(clearBlock("1234", "4111111111111111")).isEqualTo("041225EEEEEEEEEE");
    }

    @Test
    void vectorPin123456Pan6222021234567890128() {
        assertThat(clearBlock("123456", "6222021234567890128")).isEqualTo("06122662A9876FED");
    }

    @Test
    void vectorPin123456Pan6228480402564890018() {
        assertThat(clearBlock("123456", "6228480402564890018")).isEqualTo("06123054A9B76FFE");
    }

    @Test
    void vectorPin1234Pan1234567890123ClearAndUnder3Des() {
        assertThat(clearBlock("1234", "1234567890123")).isEqualTo("041226CBA9876FED");
        final byte[] out = new byte[10];
        final DesKey pik = DesKey.fromHex("12345678123456781234567812345678");
        assertThat(PinBlock.encrypt(pik, "1234", "1234567890123", out, 1)).isEqualTo(PinBlock.OK);
        assertThat(Hex.encode(out, 1, 8)).isEqualTo("3C0CA40863092C3A");
        assertThat(out[0]).isZero();
        assertThat(out[9]).isZero();
    }

    @Test
    void panFieldIsTwelveDigitsBeforeTheCheckDigit() {
        assertThat(Long.toHexString(PinBlock.panField("6228480402564890018"))).isEqualTo("40256489001");
        final byte[] ascii = "xx1234567890123".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(Long.toHexString(PinBlock.panField(ascii, 2, 13))).isEqualTo("123456789012");
    }

    @Test
    void rejectsInvalidPins() {
        final byte[] out = new byte[8];
        assertThat(PinBlock.formatClear("123", "4111111111111111", out, 0)).isEqualTo(PinBlock.INVALID_PIN);
        assertThat(PinBlock.formatClear("1234567890123", "4111111111111111", out, 0)).isEqualTo(PinBlock.INVALID_PIN);
        assertThat(PinBlock.formatClear("12a4", "4111111111111111", out, 0)).isEqualTo(PinBlock.INVALID_PIN);
        assertThat(PinBlock.formatClear("", "4111111111111111", out, 0)).isEqualTo(PinBlock.INVALID_PIN);
        assertThat(out).containsOnly(0);
        assertThat(PinBlock.formatClear("123456789012", "4111111111111111", out, 0)).isEqualTo(PinBlock.OK);
    }

    @Test
    void rejectsInvalidPans() {
        final byte[] out = new byte[8];
        assertThat(PinBlock.formatClear("1234", "411111111111", out, 0)).isEqualTo(PinBlock.INVALID_PAN);
        assertThat(PinBlock.formatClear("1234", "41111111111111111111", out, 0)).isEqualTo(PinBlock.INVALID_PAN);
        assertThat(PinBlock.formatClear("1234", "41111111111111X1", out, 0)).isEqualTo(PinBlock.INVALID_PAN);
        assertThat(PinBlock.encrypt(DesKey.fromHex("0123456789ABCDEF"), "1234", "4111", out, 0))
            .isEqualTo(PinBlock.INVALID_PAN);
        assertThat(out).containsOnly(0);
    }
}
