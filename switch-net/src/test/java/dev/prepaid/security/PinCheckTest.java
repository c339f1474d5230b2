package dev.prepaid.security;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PinCheckTest {
    private static final DesKey PVK = DesKey.fromHex("0123456789ABCDEFFEDCBA9876543210");
    private static final DesKey PIK = DesKey.fromHex("807A23AD32B36D457AE91FDF927570EA");
    private static final String PAN = "6228480402564890018";

    private final PinCheck check = new PinCheck(PVK);

    private static byte[] ascii(final String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Encrypts an arbitrary clear PIN field (before the PAN XOR) so malformed blocks can be built. */
    private static byte[] encryptedBlock(final String clearPinFieldHex, final String pan) {
        final long field = Long.parseUnsignedLong(clearPinFieldHex, 16) ^ PinBlock.panField(pan);
        final byte[] block = new byte[8];
        Blocks.putLong(field, block, 0);
        PIK.encryptBlock(block, 0, block, 0);
        return block;
    }

    @Test
    void theTextFormIsSixteenHexDigitsAndReadsBackInEitherCase() {
        assertThat(PinCheck.toText(0x530C9BFC79A75F5AL)).isEqualTo("530C9BFC79A75F5A");
        assertThat(PinCheck.toText(1)).isEqualTo("0000000000000001");
        assertThat(PinCheck.parseText("530c9bfc79a75f5a")).isEqualTo(0x530C9BFC79A75F5AL);
        assertThat(PinCheck.parseText(PinCheck.toText(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
        // not a check value: too short or long, not hex (nor another script's digits), zero ("no PIN"), sign bit set
        for (final String bad : new String[] {"530C9BFC79A75F5", "530C9BFC79A75F5A0", "530C9BFC79A75F5G",
                "530C9BFC79A75F5\u0663", "0000000000000000", "8000000000000000", "FFFFFFFFFFFFFFFF", ""}) {
            assertThat(PinCheck.parseText(bad)).as(bad).isEqualTo(PinCheck.INVALID_TEXT);
        }
        assertThatThrownBy(() -> PinCheck.toText(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void definitionIsHmacSha256OfPanEqualsPinFirst63Bits() {
        // Computed independently: HMAC-SHA256(key 0123456789ABCDEFFEDCBA9876543210, "6228480402564890018=123456")
        // = 530C9BFC79A75F5A..., first 8 bytes with the sign bit cleared.
        assertThat(check.fromClearPin(PAN, "123456")).isEqualTo(0x530C9BFC79A75F5AL);
        assertThat(check.fromClearPin(PAN, "123456")).isEqualTo(5984329513543622490L);
        // "1234567890123=1234" gives 9622D524590396E3...; the sign bit is cleared.
        assertThat(check.fromClearPin("1234567890123", "1234")).isEqualTo(0x9622D524590396E3L & Long.MAX_VALUE);
    }

    @Test
    void publishedPinBlockVectorUnder3DesGivesTheSameCheckValueAsTheClearPin() {
        final DesKey pik = DesKey.fromHex("12345678123456781234567812345678");
        final byte[] field52 = Hex.decode("3C0CA40863092C3A");
        final long fromBlock = check.fromPinBlock(pik, field52, 0, "1234567890123");
        assertThat(fromBlock).isEqualTo(check.fromClearPin("1234567890123", "1234")).isPositive();
        assertThat(check.fromPinBlock(pik, field52, 0, ascii("1234567890123"), 0, 13)).isEqualTo(fromBlock);
    }

    @Test
    void publishedClearBlockVectorsRoundTripThroughThePik() {
        final String[][] vectors = {
            {"1234", "43219876543210987"},
            {"1234", "4111111111111111"},
            {"123456", "6222021234567890128"},
            {"123456", "6228480402564890018"}};
        for (final String[] vector : vectors) {
            final byte[] block = new byte[8];
            assertThat(PinBlock.encrypt(PIK, vector[0], vector[1], block, 0)).isEqualTo(PinBlock.OK);
            final byte[] pan = ascii("##" + vector[1]);
            assertThat(check.fromPinBlock(PIK, block, 0, pan, 2, vector[1].length()))
                .isEqualTo(check.fromClearPin(vector[1], vector[0]));
        }
    }

    @Test
    void everyPinLengthRoundTrips() {
        for (int length = 4; length <= 12; length++) {
            final String pin = "987654321098".substring(0, length);
            final byte[] block = new byte[12];
            PinBlock.encrypt(PIK, pin, PAN, block, 4);
            final long value = check.fromPinBlock(PIK, block, 4, PAN);
            assertThat(value).isPositive().isEqualTo(check.fromClearPin(PAN, pin));
        }
    }

    @Test
    void differentPinPanOrKeyGivesADifferentValue() {
        final long value = check.fromClearPin(PAN, "123456");
        assertThat(check.fromClearPin(PAN, "123457")).isNotEqualTo(value);
        assertThat(check.fromClearPin(PAN, "1234560")).isNotEqualTo(value);
        assertThat(check.fromClearPin("6222021234567890128", "123456")).isNotEqualTo(value);
        assertThat(new PinCheck(DesKey.fromHex("0123456789ABCDEFFEDCBA9876543211")).fromClearPin(PAN, "123456"))
            .isNotEqualTo(value);
        assertThat(new PinCheck(PVK).fromClearPin(PAN, "123456")).isEqualTo(value);
    }

    @Test
    void wrongPinIsAValidButDifferentCheckValue() {
        final byte[] block = new byte[8];
        PinBlock.encrypt(PIK, "111111", PAN, block, 0);
        final long value = check.fromPinBlock(PIK, block, 0, PAN);
        assertThat(PinCheck.isError(value)).isFalse();
        assertThat(value).isNotEqualTo(check.fromClearPin(PAN, "123456"));
    }

    @Test
    void malformedBlocksAreFormatErrors() {
        final String[] malformed = {
            "1412345FFFFFFFFF", // control nibble 1 (format 1)
            "3412345FFFFFFFFF", // control nibble 3
            "031234FFFFFFFFFF", // length 3
            "0D1234567890123F", // length 13
            "001234FFFFFFFFFF", // length 0
            "04123AFFFFFFFFFF", // non-digit in the PIN
            "041234FFFFFFFFFE", // padding not F
            "0412340FFFFFFFFF", // padding starting with a digit
            "0612345FFFFFFFFF", // length 6 but only 5 digits
        };
        for (final String clear : malformed) {
            final byte[] block = encryptedBlock(clear, PAN);
            assertThat(check.fromPinBlock(PIK, block, 0, PAN)).as(clear).isEqualTo(PinCheck.PIN_BLOCK_FORMAT_ERROR);
            assertThat(check.fromPinBlock(PIK, block, 0, ascii(PAN), 0, PAN.length()))
                .as(clear).isEqualTo(PinCheck.PIN_BLOCK_FORMAT_ERROR);
            assertThat(check.isScratchClear()).isTrue();
        }
        assertThat(check.fromPinBlock(PIK, encryptedBlock("041234FFFFFFFFFF", PAN), 0, PAN)).isPositive();
    }

    @Test
    void blockUnderAnotherPikIsAFormatError() {
        final byte[] block = new byte[8];
        PinBlock.encrypt(DesKey.fromHex("0123456789ABCDEFFEDCBA9876543210"), "123456", PAN, block, 0);
        assertThat(check.fromPinBlock(PIK, block, 0, PAN)).isEqualTo(PinCheck.PIN_BLOCK_FORMAT_ERROR);
    }

    @Test
    void blockWithAnotherPanIsAFormatError() {
        final byte[] block = new byte[8];
        PinBlock.encrypt(PIK, "123456", "6222021234567890128", block, 0);
        assertThat(check.fromPinBlock(PIK, block, 0, PAN)).isEqualTo(PinCheck.PIN_BLOCK_FORMAT_ERROR);
    }

    @Test
    void errorCodesAreNegativeAndDistinct() {
        final byte[] block = new byte[8];
        PinBlock.encrypt(PIK, "1234", PAN, block, 0);
        assertThat(check.fromPinBlock(PIK, block, 0, "12345")).isEqualTo(PinCheck.INVALID_PAN);
        assertThat(check.fromPinBlock(PIK, block, 0, ascii("62284804025648900X8"), 0, 19))
            .isEqualTo(PinCheck.INVALID_PAN);
        assertThat(check.fromClearPin(PAN, "123")).isEqualTo(PinCheck.INVALID_PIN);
        assertThat(check.fromClearPin(PAN, "12345a")).isEqualTo(PinCheck.INVALID_PIN);
        assertThat(check.fromClearPin(PAN, "1234567890123")).isEqualTo(PinCheck.INVALID_PIN);
        assertThat(check.fromClearPin("123", "1234")).isEqualTo(PinCheck.INVALID_PAN);
        assertThat(PinCheck.isError(PinCheck.PIN_BLOCK_FORMAT_ERROR)).isTrue();
        assertThat(PinCheck.isError(PinCheck.INVALID_PAN)).isTrue();
        assertThat(PinCheck.isError(PinCheck.INVALID_PIN)).isTrue();
        assertThat(PinCheck.isError(PinCheck.NO_PIN)).isFalse();
        assertThat(new long[] {PinCheck.PIN_BLOCK_FORMAT_ERROR, PinCheck.INVALID_PAN, PinCheck.INVALID_PIN})
            .doesNotHaveDuplicates();
        // A failed call leaves the HMAC clean: the next value is still right.
        assertThat(check.fromClearPin(PAN, "123456")).isEqualTo(5984329513543622490L);
    }

    @Test
    void scratchIsWipedAfterEveryCall() {
        final byte[] block = new byte[8];
        PinBlock.encrypt(PIK, "123456", PAN, block, 0);
        assertThat(check.fromPinBlock(PIK, block, 0, PAN)).isPositive();
        assertThat(check.isScratchClear()).isTrue();
        assertThat(check.fromClearPin(PAN, "123456")).isPositive();
        assertThat(check.isScratchClear()).isTrue();
        assertThat(check.fromClearPin(PAN, "1234x6")).isEqualTo(PinCheck.INVALID_PIN);
        assertThat(check.isScratchClear()).isTrue();
    }

    @Test
    void checkValueIsNeverZeroOrNegative() {
        assertThat(PinCheck.checkValueOf(new byte[32])).isEqualTo(1);
        final byte[] signBitOnly = new byte[32];
        signBitOnly[0] = (byte) 0x80;
        assertThat(PinCheck.checkValueOf(signBitOnly)).isEqualTo(1);
        final byte[] allOnes = Hex.decode("FFFFFFFFFFFFFFFF" + "00".repeat(24));
        assertThat(PinCheck.checkValueOf(allOnes)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void pinVerificationKeyMustBeDoubleLength() {
        assertThatThrownBy(() -> new PinCheck(DesKey.fromHex("0123456789ABCDEF")))
            .isInstanceOf(IllegalArgumentException.class);
        assertThat(check.toString()).doesNotContain("0123456789ABCDEF");
    }

    @Test
    void pinBlockPathAllocatesNothing() {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final byte[] block = new byte[8];
        PinBlock.encrypt(PIK, "123456", PAN, block, 0);
        final byte[] pan = ascii(PAN);
        long sink = 0;
        for (int i = 0; i < 2_000; i++) {
            sink += check.fromPinBlock(PIK, block, 0, pan, 0, pan.length);
        }
        final long threadId = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(threadId);
        for (int i = 0; i < 20_000; i++) {
            sink += check.fromPinBlock(PIK, block, 0, pan, 0, pan.length);
        }
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
        assertThat(sink).isNotZero();
        assertThat(allocated).isLessThan(4_096);
    }
}
