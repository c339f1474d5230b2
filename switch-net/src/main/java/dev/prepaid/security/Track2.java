package dev.prepaid.security;

import dev.prepaid.card.Pan;

import java.util.Arrays;

/**
 * Track 2 as the dialect defines it (pos-iso8583 §8): {@code PAN} {@code =} {@code YYMM} + service/region code
 * n3 + CVN n3 + discretionary digits, at most 37 characters. A reusable, allocation-free parser (one per I/O
 * thread) that copies the track into its own buffer as ASCII digits with {@code '='} as separator, so the PAN can
 * be handed on as {@code (digits(), panOffset(), panLength())}.
 *
 * <p>Track data is sensitive: {@link #clear()} wipes the buffer (call it when the message is done) and
 * {@link #toString()} shows only lengths. The parser checks structure only; the Luhn check, the expiry date and
 * the CVN itself are checked by their owners ({@link Cvn#matches}).
 */
public final class Track2 {
    public static final int MAX_LENGTH = 37;

    public static final int OK = 0;
    public static final int TOO_LONG = -1;
    public static final int BAD_CHARACTER = -2;
    public static final int NO_SEPARATOR = -3;
    public static final int BAD_PAN_LENGTH = -4;
    public static final int TOO_SHORT = -5;

    private static final byte SEPARATOR = '=';
    /** YYMM + service code + CVN after the separator. */
    private static final int MIN_AFTER_SEPARATOR = 4 + 3 + 3;

    private final byte[] digits = new byte[MAX_LENGTH];
    private int length;
    private int panLength;

    /** What a result code means, for error messages. */
    public static String describe(final int result) {
        switch (result) {
            case OK: return "ok";
            case TOO_LONG: return "track 2 longer than " + MAX_LENGTH + " characters";
            case BAD_CHARACTER: return "track 2 character that is neither a digit nor the separator";
            case NO_SEPARATOR: return "track 2 without exactly one separator";
            case BAD_PAN_LENGTH: return "track 2 PAN not " + Pan.MIN_LENGTH + "-" + Pan.MAX_LENGTH + " digits";
            case TOO_SHORT: return "track 2 without expiry, service code and CVN after the separator";
            default: return "unknown track 2 result " + result;
        }
    }

    /**
     * Parses ASCII track data: digits, and {@code '='} or {@code 'D'}/{@code 'd'} (the separator nibble written as
     * hex) as separator.
     *
     * @return {@link #OK} or a negative result code; on failure the parser holds nothing
     */
    public int parse(final byte[] ascii, final int offset, final int count) {
        clear();
        if (count > MAX_LENGTH) {
            return TOO_LONG;
        }
        for (int i = 0; i < count; i++) {
            if (!putCharacter(i, ascii[offset + i])) {
                clear();
                return BAD_CHARACTER;
            }
        }
        return validate(count);
    }

    /** Parses track data given as characters (tools, tests, the simulator). */
    public int parse(final CharSequence text) {
        clear();
        final int count = text.length();
        if (count > MAX_LENGTH) {
            return TOO_LONG;
        }
        for (int i = 0; i < count; i++) {
            if (!putCharacter(i, text.charAt(i))) {
                clear();
                return BAD_CHARACTER;
            }
        }
        return validate(count);
    }

    /**
     * Parses track data as field 35 carries it: {@code digitCount} BCD nibbles, left-aligned (a trailing pad
     * nibble when odd), separator nibble {@code D}.
     */
    public int parsePacked(final byte[] bcd, final int offset, final int digitCount) {
        clear();
        if (digitCount > MAX_LENGTH) {
            return TOO_LONG;
        }
        for (int i = 0; i < digitCount; i++) {
            final int b = bcd[offset + (i >> 1)];
            final int nibble = (i & 1) == 0 ? (b >>> 4) & 0xF : b & 0xF;
            if (nibble <= 9) {
                digits[i] = (byte) ('0' + nibble);
            } else if (nibble == 0xD) {
                digits[i] = SEPARATOR;
            } else {
                clear();
                return BAD_CHARACTER;
            }
        }
        return validate(digitCount);
    }

    /** A digit, or {@code =} / {@code D} as the separator, at {@code i}; false for anything else. */
    private boolean putCharacter(final int i, final int c) {
        if (c >= '0' && c <= '9') {
            digits[i] = (byte) c;
        } else if (c == '=' || c == 'D' || c == 'd') {
            digits[i] = SEPARATOR;
        } else {
            return false;
        }
        return true;
    }

    private int validate(final int count) {
        int separator = -1;
        for (int i = 0; i < count; i++) {
            if (digits[i] == SEPARATOR) {
                if (separator >= 0) {
                    clear();
                    return NO_SEPARATOR;
                }
                separator = i;
            }
        }
        final int result;
        if (separator < 0) {
            result = NO_SEPARATOR;
        } else if (separator < Pan.MIN_LENGTH || separator > Pan.MAX_LENGTH) {
            result = BAD_PAN_LENGTH;
        } else if (count - separator - 1 < MIN_AFTER_SEPARATOR) {
            result = TOO_SHORT;
        } else {
            length = count;
            panLength = separator;
            return OK;
        }
        clear();
        return result;
    }

    /** Wipes the track data. */
    public void clear() {
        Arrays.fill(digits, (byte) 0);
        length = 0;
        panLength = 0;
    }

    /** Whether the last parse succeeded (and nothing was cleared since). */
    public boolean isValid() {
        return length > 0;
    }

    /** The parser's own buffer of ASCII digits; valid until the next parse or {@link #clear()}. */
    public byte[] digits() {
        return digits;
    }

    /** Characters held, separator included. */
    public int length() {
        return length;
    }

    public int panOffset() {
        return 0;
    }

    public int panLength() {
        return panLength;
    }

    /** Offset of YYMM in {@link #digits()}. */
    public int expiryOffset() {
        return panLength + 1;
    }

    /** Expiry as the number YYMM (e.g. 2712). */
    public int expiryYymm() {
        return number(expiryOffset(), 4);
    }

    /** Service (region) code n3 as a number. */
    public int serviceCode() {
        return number(panLength + 5, 3);
    }

    /** The CVN n3 as a number. */
    public int cvn() {
        return number(panLength + 8, 3);
    }

    public int discretionaryOffset() {
        return panLength + 11;
    }

    public int discretionaryLength() {
        return length == 0 ? 0 : length - discretionaryOffset();
    }

    private int number(final int offset, final int count) {
        if (length == 0) {
            return -1;
        }
        int value = 0;
        for (int i = offset; i < offset + count; i++) {
            value = value * 10 + (digits[i] - '0');
        }
        return value;
    }

    @Override
    public String toString() {
        return "Track2[length=" + length + ", panLength=" + panLength + "]";
    }
}
