package dev.prepaid.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The "CVN / CVV (Visa method)" vectors of test-vectors.md. */
class CvnTest {
    private static final DesKey KEY_A = DesKey.fromHex("0123456789ABCDEF");
    private static final DesKey KEY_B = DesKey.fromHex("FEDCBA9876543210");
    private static final CvkPair CVK = CvkPair.of(KEY_A, KEY_B);
    private static final CvkPair CVK_13 = CvkPair.of(DesKey.fromHex("13131313131313131313131313131313"));

    private final Cvn cvn = new Cvn();

    @Test
    void workedExampleIntermediateValuesStepByStep() {
        final byte[] block = Hex.decode("4123456789012345");
        final byte[] block2 = Hex.decode("8701111000000000");
        KEY_A.encryptBlock(block, 0, block, 0);
        assertThat(Hex.encode(block)).isEqualTo("B76ADDCE71CCC6BE");
        for (int i = 0; i < 8; i++) {
            block[i] ^= block2[i];
        }
        assertThat(Hex.encode(block)).isEqualTo("306BCCDE71CCC6BE");
        KEY_A.encryptBlock(block, 0, block, 0);
        assertThat(Hex.encode(block)).isEqualTo("BAE6746F6DE1F0E6");
        KEY_B.decryptBlock(block, 0, block, 0);
        assertThat(Hex.encode(block)).isEqualTo("B262ABCB9DE99A63");
        KEY_A.encryptBlock(block, 0, block, 0);
        assertThat(Hex.encode(block)).isEqualTo("8D5625FA78011A0C");
        assertThat(Cvn.decimalize(block)).isEqualTo(856);
    }

    @Test
    void workedExampleFinalBlockAndCvv856() {
        assertThat(cvn.encipher(CVK, null, 0, 16, "4123456789012345", 8701, 111)).isTrue();
        assertThat(Hex.encode(cvn.block())).isEqualTo("8D5625FA78011A0C");
        assertThat(cvn.compute(CVK, "4123456789012345", 8701, 111)).isEqualTo(856);
    }

    @Test
    void workedExampleDecimalizationDigitsThenLetters() {
        // digits 85625780110, letters D F A A C -> 3 5 0 0 2: the first three are all decimal.
        assertThat(Cvn.decimalize(Hex.decode("8D5625FA78011A0C"))).isEqualTo(856);
        // Fewer than three decimal digits: the letters minus 10 follow, left to right.
        assertThat(Cvn.decimalize(Hex.decode("ABCDEF1FFFFFFFFF"))).isEqualTo(101);
        assertThat(Cvn.decimalize(Hex.decode("ABCDEFFFFFFFFFF9"))).isEqualTo(901);
        assertThat(Cvn.decimalize(Hex.decode("FEDCBAABCDEFABCD"))).isEqualTo(543);
    }

    @ParameterizedTest(name = "CVV vector PAN {0} expiry {1} code {2} -> {3}")
    @CsvSource({
        "4123456789012, 8701, 101, 370",
        "4999988887777, 9105, 111, 649",
        "4666655554444, 9206, 120, 821",
        "4333322221111, 9307, 141, 697",
        "4123456789012345, 8701, 101, 561",
        "4999988887777000, 9105, 111, 245",
        "4666655554444111, 9206, 120, 664",
        "4333322221111222, 9307, 141, 382"})
    void cvvTableVectorsKeyA0123456789ABCDEFKeyBFEDCBA9876543210(
        final String pan, final int expiry, final int code, final int expected) {
        assertThat(cvn.compute(CVK, pan, expiry, code)).isEqualTo(expected);
        final byte[] ascii = ("xx" + pan).getBytes(StandardCharsets.US_ASCII);
        assertThat(cvn.compute(CVK, ascii, 2, pan.length(), expiry, code)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "CVV vector key 1313..13 PAN 4444333322221111 expiry 9911 code {0} -> {1}")
    @CsvSource({"101, 662", "000, 114", "999, 163"})
    void cvvVectorsKey1313(final int code, final int expected) {
        assertThat(cvn.compute(CVK_13, "4444333322221111", 9911, code)).isEqualTo(expected);
    }

    @Test
    void cvkPairFromOneDoubleLengthKeyEqualsPairOfSingles() {
        final CvkPair fromDouble = CvkPair.of(DesKey.fromHex("0123456789ABCDEFFEDCBA9876543210"));
        assertThat(cvn.compute(fromDouble, "4123456789012345", 8701, 111)).isEqualTo(856);
        assertThat(fromDouble.toString()).isEqualTo("CvkPair[kcv=08D7B4]");
        assertThatThrownBy(() -> CvkPair.of(KEY_A)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void trackTwoCvnIsChecked() {
        final Track2 track = new Track2();
        // Published vector: PAN 4123456789012345, expiry 8701, code 101 -> CVV 561.
        assertThat(track.parse("4123456789012345=870110156100000")).isEqualTo(Track2.OK);
        assertThat(cvn.matches(CVK, track)).isTrue();
        assertThat(track.parse("4123456789012345=870110156200000")).isEqualTo(Track2.OK);
        assertThat(cvn.matches(CVK, track)).isFalse();
        assertThat(track.parse("4123456789012345=870111156100000")).isEqualTo(Track2.OK);
        assertThat(cvn.matches(CVK, track)).isFalse();
        assertThat(track.parse("4444333322221111D9911000114")).isEqualTo(Track2.OK);
        assertThat(cvn.matches(CVK_13, track)).isTrue();
        assertThat(cvn.matches(CVK, track)).isFalse();
        track.clear();
        assertThat(cvn.matches(CVK_13, track)).isFalse();
    }

    @Test
    void trackTwoCvnIsCheckedFromPackedBcd() {
        final Track2 track = new Track2();
        // 4999988887777000=9105111245 (21 digits, D separator, trailing pad nibble).
        final byte[] bcd = Hex.decode("4999988887777000D91051112450");
        assertThat(track.parsePacked(bcd, 0, 27)).isEqualTo(Track2.OK);
        assertThat(cvn.matches(CVK, track)).isTrue();
    }

    @Test
    void invalidInputIsAResultCode() {
        assertThat(cvn.compute(CVK, "41234567890X2", 8701, 101)).isEqualTo(Cvn.INVALID_INPUT);
        assertThat(cvn.compute(CVK, "", 8701, 101)).isEqualTo(Cvn.INVALID_INPUT);
        assertThat(cvn.compute(CVK, "41234567890123456789", 8701, 101)).isEqualTo(Cvn.INVALID_INPUT);
        assertThat(cvn.compute(CVK, "4123456789012", 10000, 101)).isEqualTo(Cvn.INVALID_INPUT);
        assertThat(cvn.compute(CVK, "4123456789012", -1, 101)).isEqualTo(Cvn.INVALID_INPUT);
        assertThat(cvn.compute(CVK, "4123456789012", 8701, 1000)).isEqualTo(Cvn.INVALID_INPUT);
        assertThat(cvn.compute(CVK, "4123456789012", 8701, 101)).isEqualTo(370);
        cvn.clear();
        assertThat(cvn.block()).containsOnly(0);
    }

    @Test
    void checkingATrackAllocatesNothing() {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final Track2 track = new Track2();
        final byte[] bcd = Hex.decode("4999988887777000D91051112450");
        int matches = 0;
        for (int i = 0; i < 2_000; i++) {
            track.parsePacked(bcd, 0, 27);
            matches += cvn.matches(CVK, track) ? 1 : 0;
        }
        final long threadId = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(threadId);
        for (int i = 0; i < 20_000; i++) {
            track.parsePacked(bcd, 0, 27);
            matches += cvn.matches(CVK, track) ? 1 : 0;
        }
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
        assertThat(matches).isEqualTo(22_000);
        assertThat(allocated).isLessThan(4_096);
    }
}
