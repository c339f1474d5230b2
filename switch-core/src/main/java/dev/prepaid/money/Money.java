package dev.prepaid.money;

/**
 * Amounts are {@code long} fen (1/100 CNY). Every sum that could overflow goes through here, and an
 * overflow is an invariant failure: money is never wrapped around silently.
 */
public final class Money {
    /** ISO 4217 numeric code of the only currency the switch carries. */
    public static final int CNY = 156;

    /** Largest amount a single POS field 4 (n12) can carry: 9,999,999,999.99 CNY. */
    public static final long MAX_FIELD_AMOUNT = 999_999_999_999L;

    private static final long PARTS_PER_MILLION = 1_000_000L;

    private Money() {
    }

    public static long add(final long a, final long b) {
        return Math.addExact(a, b);
    }

    public static long subtract(final long a, final long b) {
        return Math.subtractExact(a, b);
    }

    /**
     * {@code amount × ratePpm / 1,000,000} rounded half-up to the fen (domain rules §4). Amounts and rates
     * are non-negative, so half-up and half-away-from-zero coincide.
     */
    public static long ppmOfHalfUp(final long amount, final long ratePpm) {
        if (amount < 0 || ratePpm < 0) {
            throw new IllegalArgumentException("negative amount or rate: " + amount + ", " + ratePpm);
        }
        final long product = Math.multiplyExact(amount, ratePpm);
        return Math.addExact(product, PARTS_PER_MILLION / 2) / PARTS_PER_MILLION;
    }

    /** {@code value × numerator / denominator} rounded half-up; used to share a fee in proportion. */
    public static long proportionHalfUp(final long value, final long numerator, final long denominator) {
        if (value < 0 || numerator < 0 || denominator <= 0) {
            throw new IllegalArgumentException("bad proportion " + value + " × " + numerator + " / " + denominator);
        }
        final long high = Math.multiplyHigh(value, numerator);
        final long low = value * numerator;
        if (high != 0 || low < 0) {
            // Beyond 2^63 fen²: fall back to exact arithmetic (never on real amounts, but never wrong either).
            return java.math.BigInteger.valueOf(value)
                    .multiply(java.math.BigInteger.valueOf(numerator))
                    .add(java.math.BigInteger.valueOf(denominator / 2))
                    .divide(java.math.BigInteger.valueOf(denominator))
                    .longValueExact();
        }
        return (low + denominator / 2) / denominator;
    }

    /** Renders fen as {@code 1234.56} (with a leading minus when negative), for humans and reports. */
    public static String format(final long fen) {
        final StringBuilder out = new StringBuilder(24);
        long magnitude = fen;
        if (fen < 0) {
            out.append('-');
            magnitude = -fen;
            if (magnitude < 0) {
                return "-92233720368547758.08";
            }
        }
        out.append(magnitude / 100).append('.');
        final long cents = magnitude % 100;
        if (cents < 10) {
            out.append('0');
        }
        return out.append(cents).toString();
    }

    /**
     * Parses {@code 1234}, {@code 1234.5} or {@code 1234.56} (yuan, at most two decimals) into fen.
     *
     * @throws IllegalArgumentException naming what is wrong with the text
     */
    public static long parse(final String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("amount is empty; write yuan like 12.34");
        }
        int i = 0;
        boolean negative = false;
        if (text.charAt(0) == '-') {
            negative = true;
            i = 1;
        }
        long yuan = 0;
        int digits = 0;
        for (; i < text.length() && text.charAt(i) != '.'; i++) {
            final char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("amount '" + text + "' has '" + c + "'; write yuan like 12.34");
            }
            yuan = Math.addExact(Math.multiplyExact(yuan, 10), c - '0');
            digits++;
        }
        if (digits == 0) {
            throw new IllegalArgumentException("amount '" + text + "' has no yuan digits; write yuan like 12.34");
        }
        long cents = 0;
        if (i < text.length()) {
            final int decimals = text.length() - i - 1;
            if (decimals < 1 || decimals > 2) {
                throw new IllegalArgumentException("amount '" + text + "' must have one or two decimals (fen)");
            }
            for (int j = i + 1; j < text.length(); j++) {
                final char c = text.charAt(j);
                if (c < '0' || c > '9') {
                    throw new IllegalArgumentException("amount '" + text + "' has '" + c + "' after the point");
                }
                cents = cents * 10 + (c - '0');
            }
            if (decimals == 1) {
                cents *= 10;
            }
        }
        final long fen = Math.addExact(Math.multiplyExact(yuan, 100), cents);
        return negative ? -fen : fen;
    }
}
