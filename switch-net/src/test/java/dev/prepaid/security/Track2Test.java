package dev.prepaid.security;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class Track2Test {
    private final Track2 track = new Track2();

    @Test
    void parsesPanExpiryServiceCodeCvnAndDiscretionaryData() {
        assertThat(track.parse("6222021234567890128=27121015610000")).isEqualTo(Track2.OK);
        assertThat(track.isValid()).isTrue();
        assertThat(new String(track.digits(), track.panOffset(), track.panLength(), StandardCharsets.US_ASCII))
            .isEqualTo("6222021234567890128");
        assertThat(track.expiryYymm()).isEqualTo(2712);
        assertThat(track.serviceCode()).isEqualTo(101);
        assertThat(track.cvn()).isEqualTo(561);
        assertThat(track.discretionaryLength()).isEqualTo(4);
        assertThat(new String(track.digits(), track.discretionaryOffset(), 4, StandardCharsets.US_ASCII))
            .isEqualTo("0000");
        assertThat(track.length()).isEqualTo(34);
    }

    @Test
    void acceptsHexDAsSeparatorAndNoDiscretionaryData() {
        final byte[] ascii = "..4123456789012D8701101370..".getBytes(StandardCharsets.US_ASCII);
        assertThat(track.parse(ascii, 2, 24)).isEqualTo(Track2.OK);
        assertThat(track.panLength()).isEqualTo(13);
        assertThat(track.expiryYymm()).isEqualTo(8701);
        assertThat(track.cvn()).isEqualTo(370);
        assertThat(track.discretionaryLength()).isZero();
        assertThat(track.digits()[13]).isEqualTo((byte) '=');
    }

    @Test
    void parsesPackedBcdLikeField35() {
        // 6222021234567890128=2712101561 is 30 digits: even, no pad nibble.
        final byte[] bcd = Hex.decode("6222021234567890128D2712101561");
        assertThat(track.parsePacked(bcd, 0, 30)).isEqualTo(Track2.OK);
        assertThat(track.panLength()).isEqualTo(19);
        assertThat(track.serviceCode()).isEqualTo(101);
        assertThat(track.cvn()).isEqualTo(561);
        assertThat(track.discretionaryLength()).isZero();
    }

    @Test
    void rejectsMalformedTracks() {
        assertThat(track.parse("6222021234567890128=2712101561" + "0000000")).isEqualTo(Track2.OK);
        assertThat(track.parse("6222021234567890128=2712101561" + "00000000")).isEqualTo(Track2.TOO_LONG);
        assertThat(track.parse("6222021234567890128=27121015X1")).isEqualTo(Track2.BAD_CHARACTER);
        assertThat(track.parse("62220212345678901282712101561")).isEqualTo(Track2.NO_SEPARATOR);
        assertThat(track.parse("6222021234567890128=2712=101561")).isEqualTo(Track2.NO_SEPARATOR);
        assertThat(track.parse("622202123456=2712101561")).isEqualTo(Track2.BAD_PAN_LENGTH);
        assertThat(track.parse("=2712101561")).isEqualTo(Track2.BAD_PAN_LENGTH);
        assertThat(track.parse("6222021234567890128=271210156")).isEqualTo(Track2.TOO_SHORT);
        assertThat(track.parse("")).isEqualTo(Track2.NO_SEPARATOR);
        assertThat(track.parsePacked(Hex.decode("6222021234567890128A2712101561"), 0, 30))
            .isEqualTo(Track2.BAD_CHARACTER);
        assertThat(track.parsePacked(new byte[20], 0, 40)).isEqualTo(Track2.TOO_LONG);
        assertThat(track.isValid()).isFalse();
        assertThat(track.cvn()).isEqualTo(-1);
        assertThat(Track2.describe(Track2.BAD_PAN_LENGTH)).contains("13-19");
    }

    @Test
    void failedParseAndClearLeaveNoTrackData() {
        assertThat(track.parse("6222021234567890128=27121015610000")).isEqualTo(Track2.OK);
        assertThat(track.parse("6222021234567890128=271210156X")).isEqualTo(Track2.BAD_CHARACTER);
        assertThat(track.digits()).containsOnly(0);
        assertThat(track.parse("6222021234567890128=27121015610000")).isEqualTo(Track2.OK);
        track.clear();
        assertThat(track.digits()).containsOnly(0);
        assertThat(track.isValid()).isFalse();
    }

    @Test
    void toStringShowsNoTrackData() {
        track.parse("6222021234567890128=27121015610000");
        assertThat(track.toString()).isEqualTo("Track2[length=34, panLength=19]");
        assertThat(Arrays.toString(new String[] {track.toString()})).doesNotContain("6222");
    }
}
