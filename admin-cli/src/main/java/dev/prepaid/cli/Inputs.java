package dev.prepaid.cli;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Locale;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * What people type, as the endpoint takes it: yuan with up to two decimals become fen exactly (never through a
 * double), dates become yyyymmdd, percentages become parts per million, check values become numbers. Each
 * parser throws {@link IllegalArgumentException} saying what was wrong with the text; the picocli converters
 * below let picocli name the option (exit code 2), and a CSV row names its row and column.
 */
final class Inputs {
    private static final Pattern YUAN = Pattern.compile("[+-]?[0-9]+(\\.[0-9]+)?");
    private static final Pattern DATE = Pattern.compile("([0-9]{4})-?([0-9]{2})-?([0-9]{2})");
    private static final Pattern HEX = Pattern.compile("[0-9A-Fa-f]+");

    private Inputs() {
    }

    /** Fen of an amount in yuan: {@code 12.34} is 1234. Negative only where {@code signed}. */
    static long fen(final String text, final boolean signed) {
        final String t = text.trim();
        if (!YUAN.matcher(t).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not an amount in yuan (like 12.34)");
        }
        final BigDecimal yuan = new BigDecimal(t);
        if (yuan.scale() > 2) {
            throw new IllegalArgumentException(text + " has more than two decimals: amounts are yuan to the fen"
                    + " (like 12.34)");
        }
        if (!signed && yuan.signum() < 0) {
            throw new IllegalArgumentException(text + " is negative; give an amount of 0 or more");
        }
        try {
            return yuan.movePointRight(2).longValueExact();
        } catch (final ArithmeticException e) {
            throw new IllegalArgumentException(text + " is too large an amount");
        }
    }

    /** yyyymmdd of a date typed {@code 2026-03-02} or {@code 20260302}, checked to be a day of the calendar. */
    static int date(final String text) {
        final var m = DATE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a date like 2026-03-02 (or 20260302)");
        }
        try {
            final LocalDate day = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)));
            return day.getYear() * 10_000 + day.getMonthValue() * 100 + day.getDayOfMonth();
        } catch (final DateTimeException e) {
            throw new IllegalArgumentException("'" + text + "' is no day of the calendar");
        }
    }

    /** Parts per million of a percentage: {@code 0.35} (per cent) is 3500; 0 to 100, up to four decimals. */
    static long ppmOfPercent(final String text) {
        final String t = text.trim().endsWith("%") ? text.trim().substring(0, text.trim().length() - 1) : text.trim();
        if (!YUAN.matcher(t).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a percentage (like 0.35 for 0.35 %)");
        }
        final BigDecimal percent = new BigDecimal(t);
        if (percent.scale() > 4) {
            throw new IllegalArgumentException(text + " has more than four decimals (a rate is kept in parts per"
                    + " million: 0.0001 % at the finest)");
        }
        if (percent.signum() < 0 || percent.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw new IllegalArgumentException(text + " is not between 0 and 100 (per cent)");
        }
        return percent.movePointRight(4).longValueExact();
    }

    /** A whole number, at least {@code min}. */
    static long whole(final String text, final long min) {
        final long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number");
        }
        if (value < min) {
            throw new IllegalArgumentException(text + " is below " + min);
        }
        return value;
    }

    /**
     * A card's PIN check value as {@code bin/prepaid keys pin-check} prints it: 16 hex digits of a positive number
     * (the first digit 0-7).
     */
    static long pinCheck(final String text) {
        final String t = text.trim();
        if (t.length() != 16 || !HEX.matcher(t).matches() || Character.digit(t.charAt(0), 16) > 7) {
            throw new IllegalArgumentException("a PIN check value is 16 hex digits, the first 0-7, as 'bin/prepaid"
                    + " keys pin-check' prints it");
        }
        final long value = Long.parseLong(t, 16);
        if (value <= 0) {
            throw new IllegalArgumentException("a PIN check value is not zero");
        }
        return value;
    }

    /** Hex digits of one of the given lengths, upper-cased. */
    static String hex(final String text, final String what, final int... lengths) {
        final String t = text.trim();
        boolean lengthFits = false;
        for (final int length : lengths) {
            lengthFits |= t.length() == length;
        }
        if (!lengthFits || !HEX.matcher(t).matches()) {
            final StringBuilder allowed = new StringBuilder();
            for (int i = 0; i < lengths.length; i++) {
                allowed.append(i == 0 ? "" : i == lengths.length - 1 ? " or " : ", ").append(lengths[i]);
            }
            throw new IllegalArgumentException(what + " is " + allowed + " hex digits (0-9, A-F)");
        }
        return t.toUpperCase(Locale.ROOT);
    }

    private static <T> T converted(final java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (final IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /** A business date typed 2026-03-02 or 20260302, as the endpoint's paths take it: 2026-03-02. */
    static final class IsoDate implements ITypeConverter<String> {
        @Override
        public String convert(final String value) {
            final int date = converted(() -> date(value));
            return String.format("%04d-%02d-%02d", date / 10_000, date / 100 % 100, date % 100);
        }
    }

    /** An amount in yuan, 0 or more, as fen. */
    static final class Yuan implements ITypeConverter<Long> {
        @Override
        public Long convert(final String value) {
            return converted(() -> fen(value, false));
        }
    }

    /** An amount in yuan that may be negative (a debit), as fen. */
    static final class SignedYuan implements ITypeConverter<Long> {
        @Override
        public Long convert(final String value) {
            return converted(() -> fen(value, true));
        }
    }

    /** A date as yyyymmdd. */
    static final class Date implements ITypeConverter<Integer> {
        @Override
        public Integer convert(final String value) {
            return converted(() -> date(value));
        }
    }

    /** A percentage as parts per million. */
    static final class Percent implements ITypeConverter<Long> {
        @Override
        public Long convert(final String value) {
            return converted(() -> ppmOfPercent(value));
        }
    }

    /** A PIN check value. */
    static final class PinCheck implements ITypeConverter<Long> {
        @Override
        public Long convert(final String value) {
            return converted(() -> pinCheck(value));
        }
    }

    /** A TMK check value: 6 hex digits. */
    static final class CheckValue implements ITypeConverter<String> {
        @Override
        public String convert(final String value) {
            return converted(() -> hex(value, "a check value", 6));
        }
    }
}
