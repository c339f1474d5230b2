package dev.prepaid.reports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A report as a JSON-ready map (the admin endpoint's {@code format=json}, what {@code prepaid-admin report} prints):
 * the columns with their types, rows and totals as arrays of cells; amounts are fen (integers) as everywhere in the
 * API, rates strings with two decimals.
 */
public final class TableJson {
    private TableJson() {
    }

    public static Map<String, Object> of(final Table table) {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", table.kind().key());
        body.put("title", table.kind().title());
        body.put("from", DateRange.iso(table.range().from()));
        body.put("to", DateRange.iso(table.range().to()));
        body.put("merchant", table.filter().merchant());
        body.put("terminal", table.filter().terminal());
        final List<Object> columns = new ArrayList<>();
        for (final Column c : table.columns()) {
            final Map<String, Object> column = new LinkedHashMap<>();
            column.put("key", c.key());
            column.put("title", c.title());
            column.put("type", c.type().name().toLowerCase(java.util.Locale.ROOT));
            columns.add(column);
        }
        body.put("columns", columns);
        final List<Object> rows = new ArrayList<>();
        for (final List<Object> row : table.rows()) {
            rows.add(cells(row));
        }
        body.put("rows", rows);
        body.put("totals", cells(table.totals()));
        final List<String> missing = new ArrayList<>();
        for (final int d : table.missingDays()) {
            missing.add(DateRange.iso(d));
        }
        body.put("missingDays", missing);
        return body;
    }

    private static List<Object> cells(final List<Object> row) {
        final List<Object> out = new ArrayList<>(row.size());
        for (final Object cell : row) {
            out.add(cell instanceof java.math.BigDecimal rate ? rate.toPlainString() : cell);
        }
        return out;
    }
}
