package dev.prepaid.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Hex of text and of bytes: upper case, two digits a byte, nothing outside ASCII taken for text. */
class TestHexTest {
    @Test
    void asciiTextBecomesTwoUpperCaseDigitsACharacter() {
        assertThat(TestHex.ascii("AB")).isEqualTo("4142");
        assertThat(TestHex.ascii("10000001 ~")).isEqualTo("3130303030303031207E");
        assertThat(TestHex.ascii("")).isEmpty();
        assertThatThrownBy(() -> TestHex.ascii("a€")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not ASCII: '€' at 1 in \"a€\"");
    }

    @Test
    void bytesBecomeTwoUpperCaseDigitsEachFromTheOffset() {
        final byte[] bytes = {0x00, (byte) 0xAB, 0x0F, (byte) 0xF0, (byte) 0xFF, 0x7E};
        assertThat(TestHex.hex(bytes, 0, bytes.length)).isEqualTo("00AB0FF0FF7E");
        assertThat(TestHex.hex(bytes, 1, 3)).isEqualTo("AB0FF0");
        assertThat(TestHex.hex(bytes, 6, 0)).isEmpty();
    }
}
