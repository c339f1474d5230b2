package dev.prepaid.security;

import java.util.Arrays;

/**
 * The card verification number on track 2, by the Visa CVV method (pos-iso8583 §8):
 * <ol>
 *   <li>the digits PAN ‖ expiry YYMM ‖ service (region) code n3, right-padded with zeros to 32 digits, make two
 *       8-byte blocks;</li>
 *   <li>DES(KeyA) the first block, XOR the second, then DES(KeyA), DES⁻¹(KeyB), DES(KeyA);</li>
 *   <li>take the decimal digits of the result left to right, then its hex letters minus 10 left to right; the
 *       first three are the CVN.</li>
 * </ol>
 * Allocation-free; holds an 8-byte scratch block, so one instance per I/O thread.
 */
public final class Cvn {
    /** The input was not digits, or the PAN length was outside 1–19. */
    public static final int INVALID_INPUT = -1;

    private static final int MAX_PAN_DIGITS = 19;
    private static final int CVN_DIGITS = 3;

    private final byte[] block = new byte[DesKey.BLOCK_LENGTH];

    /**
     * The CVN (0–999) of a PAN given as ASCII digits, an expiry YYMM (0–9999) and a service code (0–999), or
     * {@link #INVALID_INPUT}.
     */
    public int compute(
        final CvkPair keys, final byte[] pan, final int panOffset, final int panLength,
        final int expiryYymm, final int serviceCode) {
        if (!encipher(keys, pan, panOffset, panLength, null, expiryYymm, serviceCode)) {
            return INVALID_INPUT;
        }
        return decimalize(block);
    }

    /** As {@link #compute(CvkPair, byte[], int, int, int, int)} with the PAN as characters. */
    public int compute(final CvkPair keys, final CharSequence pan, final int expiryYymm, final int serviceCode) {
        if (!encipher(keys, null, 0, pan.length(), pan, expiryYymm, serviceCode)) {
            return INVALID_INPUT;
        }
        return decimalize(block);
    }

    /** Whether the CVN on a parsed track 2 is the one its PAN, expiry and service code give under {@code keys}. */
    public boolean matches(final CvkPair keys, final Track2 track) {
        if (!track.isValid()) {
            return false;
        }
        final int expected = compute(
            keys, track.digits(), track.panOffset(), track.panLength(), track.expiryYymm(), track.serviceCode());
        return expected >= 0 && expected == track.cvn();
    }

    /**
     * Leaves the final enciphered block (step 2) in {@link #block}. Exactly one of {@code panBytes} and
     * {@code panChars} is non-null. Package-private so tests can check the block against the worked example.
     */
    boolean encipher(
        final CvkPair keys, final byte[] panBytes, final int panOffset, final int panLength,
        final CharSequence panChars, final int expiryYymm, final int serviceCode) {
        if (panLength < 1 || panLength > MAX_PAN_DIGITS
            || expiryYymm < 0 || expiryYymm > 9999 || serviceCode < 0 || serviceCode > 999) {
            return false;
        }
        for (int i = 0; i < panLength; i++) {
            final int c = panBytes != null ? panBytes[panOffset + i] : panChars.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        fillBlock(0, panBytes, panOffset, panLength, panChars, expiryYymm, serviceCode, false);
        keys.encryptWithKeyA(block, 0);
        fillBlock(16, panBytes, panOffset, panLength, panChars, expiryYymm, serviceCode, true);
        keys.encryptEde(block, 0);
        return true;
    }

    /** Writes (or XORs in) digits {@code first..first+16)} of the padded 32-digit string as 8 packed bytes. */
    private void fillBlock(
        final int first, final byte[] panBytes, final int panOffset, final int panLength,
        final CharSequence panChars, final int expiryYymm, final int serviceCode, final boolean xor) {
        for (int b = 0; b < DesKey.BLOCK_LENGTH; b++) {
            final int high = digitAt(first + 2 * b, panBytes, panOffset, panLength, panChars, expiryYymm, serviceCode);
            final int low = digitAt(first + 2 * b + 1, panBytes, panOffset, panLength, panChars, expiryYymm, serviceCode);
            final byte packed = (byte) ((high << 4) | low);
            block[b] = xor ? (byte) (block[b] ^ packed) : packed;
        }
    }

    private static int digitAt(
        final int index, final byte[] panBytes, final int panOffset, final int panLength,
        final CharSequence panChars, final int expiryYymm, final int serviceCode) {
        if (index < panLength) {
            return (panBytes != null ? panBytes[panOffset + index] : panChars.charAt(index)) - '0';
        }
        final int rest = index - panLength;
        if (rest < 4) {
            return decimalDigit(expiryYymm, 3 - rest);
        }
        if (rest < 7) {
            return decimalDigit(serviceCode, 6 - rest);
        }
        return 0;
    }

    /** Decimal digit {@code position} (0 = units) of {@code value}. */
    private static int decimalDigit(final int value, final int position) {
        int v = value;
        for (int i = 0; i < position; i++) {
            v /= 10;
        }
        return v % 10;
    }

    /** Step 3: the first three of (decimal nibbles, then hex-letter nibbles − 10), read left to right. */
    static int decimalize(final byte[] enciphered) {
        int cvn = 0;
        int taken = 0;
        for (int pass = 0; pass < 2 && taken < CVN_DIGITS; pass++) {
            for (int n = 0; n < 2 * DesKey.BLOCK_LENGTH && taken < CVN_DIGITS; n++) {
                final int b = enciphered[n >> 1];
                final int nibble = (n & 1) == 0 ? (b >>> 4) & 0xF : b & 0xF;
                final boolean decimal = nibble <= 9;
                if (pass == 0 && decimal) {
                    cvn = cvn * 10 + nibble;
                    taken++;
                } else if (pass == 1 && !decimal) {
                    cvn = cvn * 10 + nibble - 10;
                    taken++;
                }
            }
        }
        return cvn;
    }

    /** The scratch block, for tests of the intermediate value. */
    byte[] block() {
        return block;
    }

    /** Zeroes the scratch block. */
    public void clear() {
        Arrays.fill(block, (byte) 0);
    }
}
