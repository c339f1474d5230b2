package dev.prepaid.security;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

import java.util.Arrays;

/**
 * Turns a PIN into the card's PIN check value, the only form in which a PIN is kept (the ledger compares check
 * values; it never sees a PIN):
 * <pre>
 * mac   = HMAC-SHA256(PVK, ASCII(PAN digits) ‖ '=' ‖ ASCII(PIN digits))
 * value = first 8 bytes of mac, big-endian, with the sign bit cleared; 0 becomes 1
 * </pre>
 * PVK is the clear PIN verification key (16 bytes) from the key file. The value is deterministic, in
 * [1, 2<sup>63</sup>−1]: 0 means "no PIN set" in the ledger and negative numbers are the error codes below, so a
 * caller can tell them apart with one comparison. The {@code '='} keeps (PAN, PIN) pairs of different PIN
 * lengths from meeting on the same input.
 *
 * <p>{@link #fromPinBlock} is the switch side: the encrypted field 52, the PAN and the PIK go in, the check value
 * comes out, and the clear PIN exists only inside it (its digits and the decrypted block are wiped from the
 * scratch arrays before it returns). {@link #fromClearPin} is the admin side (a PIN set at the counter).
 *
 * <p>Allocation-free; holds an HMAC state and scratch arrays, so one instance per I/O thread.
 */
public final class PinCheck {
    /** What the ledger stores for a card without a PIN; never returned here. */
    public static final long NO_PIN = 0;
    /** The decrypted PIN block is not ISO 9564 format 0: answer 99. */
    public static final long PIN_BLOCK_FORMAT_ERROR = PinBlock.FORMAT_ERROR;
    /** The PAN is not 13–19 digits. */
    public static final long INVALID_PAN = PinBlock.INVALID_PAN;
    /** A clear PIN (admin path) that is not 4–12 digits. */
    public static final long INVALID_PIN = PinBlock.INVALID_PIN;

    /** A check value in text ({@link #parseText}) that is not {@link #TEXT_DIGITS} hex digits of a value ≥ 1. */
    public static final long INVALID_TEXT = -4;
    /** The text form of a check value: 16 hex digits, the 8 bytes big-endian (the first digit is 0-7). */
    public static final int TEXT_DIGITS = 16;

    private static final byte SEPARATOR = '=';

    private final HMac hmac = new HMac(new SHA256Digest());
    private final byte[] block = new byte[PinBlock.LENGTH];
    private final byte[] pinDigits = new byte[PinBlock.MAX_PIN_LENGTH];
    private final byte[] mac = new byte[32];

    /** @param pinVerificationKey the double-length PVK from the key file */
    public PinCheck(final DesKey pinVerificationKey) {
        if (!pinVerificationKey.isDoubleLength()) {
            throw new IllegalArgumentException("the PIN verification key must be double-length (16 bytes)");
        }
        final byte[] keyBytes = new byte[DesKey.DOUBLE_LENGTH];
        pinVerificationKey.copyClearTo(keyBytes, 0);
        hmac.init(new KeyParameter(keyBytes));
        Arrays.fill(keyBytes, (byte) 0);
    }

    /** Whether a result of this class is an error code rather than a check value. */
    public static boolean isError(final long result) {
        return result < 0;
    }

    /**
     * The check value of the PIN in an encrypted format-0 PIN block.
     *
     * @param pik        the terminal's current PIN key
     * @param pinBlock   field 52, 8 bytes at {@code blockOffset}
     * @param pan        the card's PAN as ASCII digits
     * @return the check value (≥ 1), {@link #PIN_BLOCK_FORMAT_ERROR} or {@link #INVALID_PAN}
     */
    public long fromPinBlock(
        final DesKey pik, final byte[] pinBlock, final int blockOffset,
        final byte[] pan, final int panOffset, final int panLength) {
        final long panField = PinBlock.panField(pan, panOffset, panLength);
        if (panField < 0) {
            return INVALID_PAN;
        }
        try {
            final int pinLength = decryptPin(pik, pinBlock, blockOffset, panField);
            if (pinLength < 0) {
                return PIN_BLOCK_FORMAT_ERROR;
            }
            hmac.update(pan, panOffset, panLength);
            return finish(pinLength);
        } finally {
            wipe();
        }
    }

    /** As {@link #fromPinBlock(DesKey, byte[], int, byte[], int, int)} with the PAN as characters. */
    public long fromPinBlock(final DesKey pik, final byte[] pinBlock, final int blockOffset, final CharSequence pan) {
        final long panField = PinBlock.panField(pan);
        if (panField < 0) {
            return INVALID_PAN;
        }
        try {
            final int pinLength = decryptPin(pik, pinBlock, blockOffset, panField);
            if (pinLength < 0) {
                return PIN_BLOCK_FORMAT_ERROR;
            }
            updateWithChars(pan);
            return finish(pinLength);
        } finally {
            wipe();
        }
    }

    /** Decrypts the block and leaves the clear PIN digits in {@code pinDigits}; their count, or −1 for a bad block. */
    private int decryptPin(final DesKey pik, final byte[] pinBlock, final int blockOffset, final long panField) {
        pik.decryptBlock(pinBlock, blockOffset, block, 0);
        return PinBlock.extractPin(Blocks.getLong(block, 0) ^ panField, pinDigits);
    }

    /**
     * The check value of a clear PIN (admin path: a PIN set or reset at the counter).
     *
     * @return the check value (≥ 1), {@link #INVALID_PIN} or {@link #INVALID_PAN}
     */
    public long fromClearPin(final CharSequence pan, final CharSequence pin) {
        if (PinBlock.panField(pan) < 0) {
            return INVALID_PAN;
        }
        final int pinLength = pin.length();
        if (pinLength < PinBlock.MIN_PIN_LENGTH || pinLength > PinBlock.MAX_PIN_LENGTH) {
            return INVALID_PIN;
        }
        try {
            for (int i = 0; i < pinLength; i++) {
                final char c = pin.charAt(i);
                if (c < '0' || c > '9') {
                    return INVALID_PIN;
                }
                pinDigits[i] = (byte) c;
            }
            updateWithChars(pan);
            return finish(pinLength);
        } finally {
            wipe();
        }
    }

    /**
     * A check value as text, for the bootstrap file's {@code pinCheck}: an issuer computes it offline
     * ({@code bin/prepaid keys pin-check}) for the PIN mailer run and hands over the value, never the PIN.
     */
    public static String toText(final long checkValue) {
        if (checkValue <= NO_PIN) {
            throw new IllegalArgumentException("not a check value: " + checkValue);
        }
        return String.format(java.util.Locale.ROOT, "%016X", checkValue);
    }

    /** The check value {@link #toText} wrote (either case), or {@link #INVALID_TEXT}. */
    public static long parseText(final CharSequence text) {
        if (text.length() != TEXT_DIGITS) {
            return INVALID_TEXT;
        }
        long value = 0;
        for (int i = 0; i < TEXT_DIGITS; i++) {
            final char c = text.charAt(i);
            final int digit = c < 128 ? Character.digit(c, 16) : -1; // ASCII only: Character.digit takes any script
            if (digit < 0) {
                return INVALID_TEXT;
            }
            value = value << 4 | digit;
        }
        return value <= NO_PIN ? INVALID_TEXT : value; // a first digit 8-F is negative: never a check value
    }

    private void updateWithChars(final CharSequence digits) {
        for (int i = 0; i < digits.length(); i++) {
            hmac.update((byte) digits.charAt(i));
        }
    }

    /** Adds the separator and the PIN, finishes the HMAC (which resets it to the keyed state) and reduces it. */
    private long finish(final int pinLength) {
        hmac.update(SEPARATOR);
        hmac.update(pinDigits, 0, pinLength);
        hmac.doFinal(mac, 0);
        return checkValueOf(mac);
    }

    /** The reduction of an HMAC to a check value: first 8 bytes, sign bit cleared, 0 mapped to 1. */
    static long checkValueOf(final byte[] hmacOutput) {
        final long value = Blocks.getLong(hmacOutput, 0) & Long.MAX_VALUE;
        return value == NO_PIN ? 1 : value;
    }

    /** Whether the scratch arrays hold no trace of the last PIN (for tests). */
    boolean isScratchClear() {
        int any = 0;
        for (final byte b : block) {
            any |= b;
        }
        for (final byte b : pinDigits) {
            any |= b;
        }
        for (final byte b : mac) {
            any |= b;
        }
        return any == 0;
    }

    private void wipe() {
        Arrays.fill(block, (byte) 0);
        Arrays.fill(pinDigits, (byte) 0);
        Arrays.fill(mac, (byte) 0);
    }

    @Override
    public String toString() {
        return "PinCheck[HMAC-SHA256]";
    }
}
