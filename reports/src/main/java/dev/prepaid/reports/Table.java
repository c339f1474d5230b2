package dev.prepaid.reports;

import dev.prepaid.time.CivilDate;
import java.math.BigDecimal;
import java.util.List;

/**
 * A report's content, whatever its format: columns, rows, and the totals row (each total computed from the sums of
 * the figures, a rate from the summed counts, never a sum of rates). Cells are String, Long or BigDecimal as their
 * {@link Column.Type} says, or null for none. {@code missingDays} are the days of the range without a figures file
 * (not cleared): the report does not count them, and says so.
 */
public record Table(ReportKind kind, DateRange range, Filter filter, List<Column> columns, List<List<Object>> rows,
        List<Object> totals, List<Integer> missingDays) {
    public Table {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
        totals = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(totals));
        missingDays = List.copyOf(missingDays);
        if (totals.size() != columns.size()) {
            throw new IllegalArgumentException("totals has " + totals.size() + " cells for " + columns.size() + " columns");
        }
    }

    /** A cell as text: yuan for fen, two decimals for a rate, "" for none. The same text in CSV, HTML and terminal. */
    public static String text(final Column column, final Object value) {
        if (value == null) {
            return "";
        }
        return switch (column.type()) {
            case FEN -> Yuan.format((Long) value);
            case PERCENT -> ((BigDecimal) value).toPlainString();
            case COUNT -> Long.toString((Long) value);
            case TEXT -> value.toString();
        };
    }

    public String title() {
        return kind.title() + ", " + range + (filter.none() ? "" : ", " + filter);
    }

    /** A file name for this report: kind_from_to[_merchant][_terminal].ext, characters safe in any file system. */
    public String fileName(final String extension) {
        final StringBuilder name = new StringBuilder(kind.key()).append('_').append(DateRange.iso(range.from()))
                .append('_').append(DateRange.iso(range.to()));
        if (filter.merchant() != null) {
            name.append("_m-").append(filter.merchant().replaceAll("[^A-Za-z0-9-]", "_"));
        }
        if (filter.terminal() != null) {
            name.append("_t-").append(filter.terminal().replaceAll("[^A-Za-z0-9-]", "_"));
        }
        return name.append('.').append(extension).toString();
    }

    public static String month(final int yyyymm) {
        return String.format("%04d-%02d", yyyymm / 100, yyyymm % 100);
    }

    static int monthOf(final int yyyymmdd) {
        return CivilDate.yyyymm(CivilDate.epochDay(yyyymmdd));
    }
}
