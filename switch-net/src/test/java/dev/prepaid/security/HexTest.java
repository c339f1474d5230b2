package dev.prepaid.security;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HexTest {

    @Test
    void decodesEitherCaseAndEncodesUpperCase() {
        assertThat(Hex.encode(Hex.decode("0123456789abcdefABCDEF"))).isEqualTo("0123456789ABCDEFABCDEF");
        assertThat(Hex.encode(new byte[] {0, 1, (byte) 0xFE}, 1, 2)).isEqualTo("01FE");
        assertThat(Hex.decode("")).isEmpty();
    }

    @Test
    void decodeErrorsGivePositionNotText() {
        assertThatThrownBy(() -> Hex.decode("ABC")).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("odd number of hex digits: 3");
        assertThatThrownBy(() -> Hex.decode("A1B2CZ")).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("not a hex digit at position 5");
    }

    @Test
    void isHexNeedsAnEvenNonEmptyRunOfDigits() {
        assertThat(Hex.isHex("00aF")).isTrue();
        assertThat(Hex.isHex("")).isFalse();
        assertThat(Hex.isHex("0")).isFalse();
        assertThat(Hex.isHex("0G")).isFalse();
    }

    @Test
    void writesIntAsEightAsciiDigits() {
        final byte[] out = new byte[10];
        Hex.putIntAscii(0xE267B6E2, out, 1);
        assertThat(new String(out, 1, 8, StandardCharsets.US_ASCII)).isEqualTo("E267B6E2");
        assertThat(out[0]).isZero();
        assertThat(out[9]).isZero();
    }

    @Test
    void constantTimeEqualsComparesRanges() {
        final byte[] a = {1, 2, 3, 4};
        final byte[] b = {9, 2, 3, 4, 9};
        assertThat(ConstantTime.equals(a, 1, b, 1, 3)).isTrue();
        assertThat(ConstantTime.equals(a, 0, b, 0, 4)).isFalse();
        assertThat(ConstantTime.equals(a, 0, b, 0, 0)).isTrue();
    }
}
