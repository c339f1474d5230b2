package dev.prepaid.card;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PanTest {

    /** The Luhn vectors of the published test vectors (test-vectors), verbatim. */
    @ParameterizedTest(name = "Luhn {0} -> {1}")
    @CsvSource({
        "7992739871, 3, 79927398713",
        "411111111111111, 1, 4111111111111111",
        "888800000000001, 8, 8888000000000018",
        "888800000000002, 6, 8888000000000026",
        "622202123456789012, 8, 6222021234567890128"})
    void luhnVectors(final String payload, final int checkDigit, final String full) {
        assertThat(Pan.luhnCheckDigit(Long.parseLong(payload), payload.length())).isEqualTo(checkDigit);
        if (full.length() >= Pan.MIN_LENGTH) {
            assertThat(Pan.toDigits(Pan.parseKey(full))).isEqualTo(full);
        }
    }

    @Test
    void keysKeepLengthAndLeadingZeros() {
        final String body = "000012345678901234";
        final String pan = body + Pan.luhnCheckDigit(Long.parseLong(body), body.length());
        final long key = Pan.parseKey(pan);
        assertThat(key).isNotNegative();
        assertThat(Pan.lengthOfKey(key)).isEqualTo(19);
        assertThat(Pan.toDigits(key)).isEqualTo(pan);
        final String shortBody = body.substring(2);
        final String shorter = shortBody + Pan.luhnCheckDigit(Long.parseLong(shortBody), shortBody.length());
        assertThat(Pan.bodyOfKey(Pan.parseKey(shorter))).isEqualTo(Pan.bodyOfKey(key));
        assertThat(Pan.parseKey(shorter)).isNotEqualTo(key);
    }

    @Test
    void rejectsBadNumbers() {
        assertThat(Pan.parseKey("8888000000000017")).isEqualTo(-1);
        assertThat(Pan.parseKey("888800000001")).isEqualTo(-1);
        assertThat(Pan.parseKey("88880000000000000018")).isEqualTo(-1);
        assertThat(Pan.parseKey("88880000000A0018")).isEqualTo(-1);
    }

    @Test
    void masksFirstSixAndLastFour() {
        assertThat(Pan.mask("6228480402564890018")).isEqualTo("622848*********0018");
        assertThat(Pan.masked(Pan.parseKey("8888000000000018"))).isEqualTo("888800******0018");
    }
}
