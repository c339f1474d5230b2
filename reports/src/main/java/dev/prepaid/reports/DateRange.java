package dev.prepaid.reports;

import dev.prepaid.time.CivilDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The business days a report covers, both ends included, at most {@link #MAX_DAYS} of them.
 *
 * @param from first day, yyyymmdd
 * @param to last day, yyyymmdd
 */
public record DateRange(int from, int to) {
    /** A year, a leap year included: a longer range is a request for a report nobody reads. */
    public static final int MAX_DAYS = 366;

    public DateRange {
        if (!CivilDate.isValid(from)) {
            throw new ReportException("from", "from is a business date YYYY-MM-DD, got " + from);
        }
        if (!CivilDate.isValid(to)) {
            throw new ReportException("to", "to is a business date YYYY-MM-DD, got " + to);
        }
        if (from > to) {
            throw new ReportException("from", "from (" + iso(from) + ") is after to (" + iso(to) + ")");
        }
        final long days = CivilDate.epochDay(to) - CivilDate.epochDay(from) + 1;
        if (days > MAX_DAYS) {
            throw new ReportException("to", "a report covers at most " + MAX_DAYS + " days; " + iso(from) + " to "
                    + iso(to) + " is " + days);
        }
    }

    /** From the texts of a request: YYYY-MM-DD each, both required. */
    public static DateRange parse(final String fromText, final String toText) {
        return new DateRange(date("from", fromText), date("to", toText));
    }

    /** A date YYYY-MM-DD that exists; else a {@link ReportException} naming {@code field}. */
    public static int date(final String field, final String text) {
        if (text == null || text.isEmpty()) {
            throw new ReportException(field, field + " is required: a business date YYYY-MM-DD");
        }
        if (!text.matches("\\d{4}-\\d{2}-\\d{2}")) {
            throw new ReportException(field, field + " is a business date YYYY-MM-DD, got '" + text + "'");
        }
        final int yyyymmdd = Integer.parseInt(text.replace("-", ""));
        if (!CivilDate.isValid(yyyymmdd)) {
            throw new ReportException(field, field + " is not a date of the calendar: '" + text + "'");
        }
        return yyyymmdd;
    }

    /** Every day of the range, ascending, yyyymmdd. */
    public List<Integer> days() {
        final List<Integer> days = new ArrayList<>();
        for (int d = CivilDate.epochDay(from); d <= CivilDate.epochDay(to); d++) {
            days.add(CivilDate.yyyymmdd(d));
        }
        return days;
    }

    public static String iso(final int yyyymmdd) {
        return CivilDate.iso(CivilDate.epochDay(yyyymmdd));
    }

    @Override
    public String toString() {
        return iso(from) + " to " + iso(to);
    }
}
