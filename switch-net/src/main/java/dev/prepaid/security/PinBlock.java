package dev.prepaid.security;

import dev.prepaid.card.Pan;

/**
 * ISO 9564 format 0 PIN blocks (field 52): {@code 0} ‖ PIN length ‖ PIN ‖ {@code F} padding to 16 hex digits,
 * XOR {@code 0000} ‖ the 12 rightmost PAN digits excluding the check digit, encrypted under the PIK.
 *
 * <p>Building a block (terminal and simulator side) is public. Taking one apart is deliberately not: the only
 * switch-side consumer is {@link PinCheck}, which turns the PIN into a check value without letting it out.
 * Results are codes, never exceptions: {@link #OK} or a negative code.
 */
public final class PinBlock {
    public static final int OK = 0;
    /** The decrypted block is not format 0 (control nibble, length 4–12, digits, F padding): answer 99. */
    public static final int FORMAT_ERROR = -1;
    /** The PAN is not 13–19 ASCII digits. */
    public static final int INVALID_PAN = -2;
    /** The PIN is not 4–12 digits. */
    public static final int INVALID_PIN = -3;

    public static final int MIN_PIN_LENGTH = 4;
    public static final int MAX_PIN_LENGTH = 12;
    public static final int LENGTH = 8;

    private static final int PAN_DIGITS_USED = 12;

    private PinBlock() {
    }

    /**
     * Writes the clear format-0 block (before encryption) for {@code pin} and {@code pan} at
     * {@code out[offset..+8)}.
     *
     * @return {@link #OK}, {@link #INVALID_PIN} or {@link #INVALID_PAN}; nothing is written unless OK
     */
    public static int formatClear(final CharSequence pin, final CharSequence pan, final byte[] out, final int offset) {
        final long panField = panField(pan);
        if (panField < 0) {
            return INVALID_PAN;
        }
        final int pinLength = pin.length();
        if (pinLength < MIN_PIN_LENGTH || pinLength > MAX_PIN_LENGTH) {
            return INVALID_PIN;
        }
        long pinField = pinLength;
        for (int i = 0; i < pinLength; i++) {
            final char c = pin.charAt(i);
            if (c < '0' || c > '9') {
                return INVALID_PIN;
            }
            pinField = (pinField << 4) | (c - '0');
        }
        for (int i = pinLength; i < 2 * LENGTH - 2; i++) {
            pinField = (pinField << 4) | 0xF;
        }
        Blocks.putLong(pinField ^ panField, out, offset);
        return OK;
    }

    /** Builds the clear block and encrypts it under {@code pik} in place at {@code out[offset..+8)}. */
    public static int encrypt(
        final DesKey pik, final CharSequence pin, final CharSequence pan, final byte[] out, final int offset) {
        final int result = formatClear(pin, pan, out, offset);
        if (result == OK) {
            pik.encryptBlock(out, offset, out, offset);
        }
        return result;
    }

    /**
     * The PAN field {@code 0000} ‖ 12 rightmost digits excluding the check digit, as a long, or -1 when the PAN
     * is not 13–19 ASCII digits.
     */
    static long panField(final byte[] pan, final int offset, final int length) {
        if (length < Pan.MIN_LENGTH || length > Pan.MAX_LENGTH) {
            return -1;
        }
        long field = 0;
        for (int i = 0; i < length; i++) {
            final int c = pan[offset + i];
            if (c < '0' || c > '9') {
                return -1;
            }
            if (i >= length - 1 - PAN_DIGITS_USED && i < length - 1) {
                field = (field << 4) | (c - '0');
            }
        }
        return field;
    }

    static long panField(final CharSequence pan) {
        final int length = pan.length();
        if (length < Pan.MIN_LENGTH || length > Pan.MAX_LENGTH) {
            return -1;
        }
        long field = 0;
        for (int i = 0; i < length; i++) {
            final char c = pan.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            if (i >= length - 1 - PAN_DIGITS_USED && i < length - 1) {
                field = (field << 4) | (c - '0');
            }
        }
        return field;
    }

    /**
     * Validates a clear PIN field (the decrypted block already XORed with the PAN field) and writes the PIN as
     * ASCII digits at {@code digits[0..length)}.
     *
     * @return the PIN length, or {@link #FORMAT_ERROR} (the caller wipes {@code digits} either way)
     */
    static int extractPin(final long pinField, final byte[] digits) {
        final int control = (int) (pinField >>> 60);
        final int pinLength = (int) (pinField >>> 56) & 0xF;
        if (control != 0 || pinLength < MIN_PIN_LENGTH || pinLength > MAX_PIN_LENGTH) {
            return FORMAT_ERROR;
        }
        int bad = 0;
        for (int i = 0; i < 2 * LENGTH - 2; i++) {
            final int nibble = (int) (pinField >>> (52 - 4 * i)) & 0xF;
            if (i < pinLength) {
                bad |= nibble > 9 ? 1 : 0;
                digits[i] = (byte) ('0' + nibble);
            } else {
                bad |= nibble != 0xF ? 1 : 0;
            }
        }
        return bad == 0 ? pinLength : FORMAT_ERROR;
    }
}
