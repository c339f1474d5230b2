package dev.prepaid.payout;

import dev.prepaid.money.Money;

/** Amounts in the delimited files: yuan with exactly two decimals, no sign, no separators ({@code 1234.56}). */
final class Amounts {
    /** Digits before the point: pain.001's 18 digits less the two after it. */
    private static final int MAX_YUAN_DIGITS = 16;

    private Amounts() {
    }

    static String format(final long fen) {
        if (fen < 0) {
            throw new IllegalArgumentException("payout amounts are never negative, got " + fen + " fen");
        }
        return Money.format(fen);
    }

    /**
     * Fen of {@code 1234.56}; leading zeros are allowed (fixed-width files pad with them).
     *
     * @throws IllegalArgumentException saying what the text should look like
     */
    static long parse(final String text) {
        final int point = text.indexOf('.');
        boolean shaped = point >= 1 && point <= MAX_YUAN_DIGITS && text.length() == point + 3;
        for (int i = 0; shaped && i < text.length(); i++) {
            final char c = text.charAt(i);
            shaped = i == point || (c >= '0' && c <= '9');
        }
        if (!shaped) {
            throw new IllegalArgumentException("amount '" + PayoutText.printable(text)
                    + "' must be yuan with exactly two decimals, like 1234.56");
        }
        return Money.parse(text);
    }
}
