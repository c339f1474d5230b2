package dev.prepaid.reports;

/**
 * Money as people read it: fen (the switch's unit, a long) shown as yuan with two decimals, by integer arithmetic
 * only, so a report's figures are exact and its totals equal the sum of its lines to the fen.
 */
public final class Yuan {
    private Yuan() {
    }

    /** 123456 → "1234.56", -5 → "-0.05"; no grouping, so the text is also a number for a spreadsheet or a parser. */
    public static String format(final long fen) {
        final boolean negative = fen < 0;
        // Long.MIN_VALUE has no positive counterpart: take the digits of the unsigned magnitude
        final String digits = negative ? Long.toUnsignedString(-fen) : Long.toString(fen);
        final String padded = digits.length() < 3 ? "0".repeat(3 - digits.length()) + digits : digits;
        final int point = padded.length() - 2;
        return (negative ? "-" : "") + padded.substring(0, point) + "." + padded.substring(point);
    }

    /** "1234.56" → 123456; exactly two decimals, as {@link #format} writes them. */
    public static long parse(final String text) {
        if (text == null || !text.matches("-?\\d+\\.\\d{2}")) {
            throw new IllegalArgumentException("not an amount in yuan with two decimals: '" + text + "'");
        }
        final boolean negative = text.startsWith("-");
        final String digits = text.substring(negative ? 1 : 0).replace(".", "");
        final long fen = Long.parseLong(digits);
        return negative ? -fen : fen;
    }
}
