package dev.prepaid.card;

/**
 * Primary account numbers without strings. A PAN of 13–19 digits is carried as its length, the number
 * formed by all digits but the check digit (at most 18 digits, so it fits a {@code long}), and the check
 * digit. {@link #key} packs length and body into one {@code long} that identifies the card.
 */
public final class Pan {
    public static final int MIN_LENGTH = 13;
    public static final int MAX_LENGTH = 19;

    private static final long[] POWERS_OF_TEN = new long[19];
    /**
     * Luhn contribution of two digits taken from the right of a body: the lower digit is in a doubled
     * position, the upper one is not. Walking a body two digits at a time halves the divisions.
     */
    private static final int[] LUHN_PAIR = new int[100];

    static {
        for (int pair = 0; pair < 100; pair++) {
            final int doubled = 2 * (pair % 10);
            LUHN_PAIR[pair] = (doubled > 9 ? doubled - 9 : doubled) + pair / 10;
        }
        long p = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = p;
            p *= 10;
        }
    }

    private Pan() {
    }

    public static long powerOfTen(final int exponent) {
        return POWERS_OF_TEN[exponent];
    }

    /**
     * Luhn check digit for a body of {@code bodyDigits} digits (leading zeros count as digits). The rightmost
     * body digit is doubled.
     */
    public static int luhnCheckDigit(final long body, final int bodyDigits) {
        // Leading zeros add nothing in either position, so the digit count does not change the result.
        long rest = body;
        int sum = 0;
        while (rest != 0) {
            sum += LUHN_PAIR[(int) (rest % 100)];
            rest /= 100;
        }
        return (10 - sum % 10) % 10;
    }

    /** Packs a PAN into the card key: bits 60-62 hold length − 12, bits 0-59 the body (< 10^18 < 2^60). */
    public static long key(final int length, final long body) {
        return ((long) (length - 12) << 60) | body;
    }

    public static int lengthOfKey(final long key) {
        return (int) (key >>> 60) + 12;
    }

    public static long bodyOfKey(final long key) {
        return key & ((1L << 60) - 1);
    }

    /** Whether a length and body are a representable PAN (the body has at most length − 1 digits). */
    public static boolean isWellFormed(final int length, final long body) {
        return length >= MIN_LENGTH && length <= MAX_LENGTH && body >= 0 && body < POWERS_OF_TEN[length - 1];
    }

    /** The full PAN as digits (allocates; for tools and tests). */
    public static String toDigits(final long key) {
        final int length = lengthOfKey(key);
        final long body = bodyOfKey(key);
        final StringBuilder out = new StringBuilder(length);
        final String digits = Long.toString(body);
        for (int i = digits.length(); i < length - 1; i++) {
            out.append('0');
        }
        return out.append(digits).append((char) ('0' + luhnCheckDigit(body, length - 1))).toString();
    }

    /** First 6 and last 4 digits shown, the rest as {@code *}: the only form a PAN may take in logs. */
    public static String masked(final long key) {
        return mask(toDigits(key));
    }

    public static String mask(final String pan) {
        if (pan.length() <= 10) {
            return "*".repeat(pan.length());
        }
        return pan.substring(0, 6) + "*".repeat(pan.length() - 10) + pan.substring(pan.length() - 4);
    }

    /**
     * Parses a PAN written as digits into its key, or returns -1 when it is not 13–19 digits with a valid
     * Luhn check digit.
     */
    public static long parseKey(final CharSequence pan) {
        final int length = pan.length();
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            return -1;
        }
        long body = 0;
        for (int i = 0; i < length - 1; i++) {
            final char c = pan.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            body = body * 10 + (c - '0');
        }
        final char check = pan.charAt(length - 1);
        if (check < '0' || check > '9' || luhnCheckDigit(body, length - 1) != check - '0') {
            return -1;
        }
        return key(length, body);
    }
}
