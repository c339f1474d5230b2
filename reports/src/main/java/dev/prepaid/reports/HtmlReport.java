package dev.prepaid.reports;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A report as one self-contained HTML page: its own style, charts as inline SVG, the table with its totals in
 * {@code <tfoot>} (each cell the same text as the CSV's), no script and no reference to anything outside the page.
 * Well-formed XML as well, so a test (or a script) can read it with any XML parser.
 */
public final class HtmlReport {
    public static final String CONTENT_TYPE = "text/html; charset=utf-8";
    /** Bars in the chart of lines: the largest ones; the table has every line. */
    static final int BARS = 20;

    private HtmlReport() {
    }

    public static byte[] bytes(final Table table) {
        final StringBuilder h = new StringBuilder(4096 + 400 * table.rows().size());
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>");
        h.append("<title>").append(esc(table.title())).append("</title>");
        h.append("<style>body{font-family:sans-serif;margin:1.5em;color:#222}h1{font-size:1.3em}"
                + "table{border-collapse:collapse;font-size:.85em}th,td{border:1px solid #ccc;padding:2px 6px}"
                + "td.n{text-align:right;font-variant-numeric:tabular-nums}thead th{background:#eee;position:sticky;top:0}"
                + "tfoot td{font-weight:bold;background:#f4f4f4}.missing{color:#a40}figure{margin:1em 0}"
                + "svg text{font-size:11px;font-family:sans-serif}</style></head><body>\n");
        h.append("<h1>").append(esc(table.kind().title())).append("</h1>\n");
        h.append("<p class=\"meta\">From <span id=\"from\">").append(DateRange.iso(table.range().from()))
                .append("</span> to <span id=\"to\">").append(DateRange.iso(table.range().to())).append("</span>, ")
                .append(esc(table.filter().toString())).append(". Computed from the daily clearing figures; amounts in"
                        + " yuan.</p>\n");
        if (!table.missingDays().isEmpty()) {
            h.append("<p class=\"missing\" id=\"missing\">Days without figures (not cleared, not counted): ");
            for (int i = 0; i < table.missingDays().size(); i++) {
                h.append(i == 0 ? "" : ", ").append(DateRange.iso(table.missingDays().get(i)));
            }
            h.append("</p>\n");
        }
        final int measure = chartColumn(table);
        if (measure >= 0 && !table.rows().isEmpty()) {
            barsOfLines(h, table, measure);
            final int period = periodColumn(table);
            if (period >= 0) {
                barsOfPeriods(h, table, measure, period);
            }
        }
        h.append("<table id=\"report\"><thead><tr>");
        for (final Column c : table.columns()) {
            h.append("<th data-key=\"").append(esc(c.key())).append("\">").append(esc(c.title())).append("</th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        for (final List<Object> row : table.rows()) {
            cells(h, table, row, "");
        }
        h.append("</tbody>\n<tfoot>\n");
        cells(h, table, table.totals(), " id=\"totals\"");
        h.append("</tfoot></table>\n</body></html>\n");
        return h.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void cells(final StringBuilder h, final Table table, final List<Object> cells, final String attributes) {
        h.append("<tr").append(attributes).append('>');
        for (int i = 0; i < cells.size(); i++) {
            final Column c = table.columns().get(i);
            h.append("<td data-key=\"").append(esc(c.key())).append('"').append(c.numeric() ? " class=\"n\"" : "")
                    .append('>').append(esc(Table.text(c, cells.get(i)))).append("</td>");
        }
        h.append("</tr>\n");
    }

    /** The column the charts show: the first amount, else the first count. */
    static int chartColumn(final Table table) {
        for (final Column.Type type : new Column.Type[] {Column.Type.FEN, Column.Type.COUNT}) {
            for (int i = 0; i < table.columns().size(); i++) {
                if (table.columns().get(i).type() == type) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static int periodColumn(final Table table) {
        for (int i = 0; i < table.columns().size(); i++) {
            final String key = table.columns().get(i).key();
            if (key.equals("date") || key.equals("month")) {
                return i;
            }
        }
        return -1;
    }

    /** A line's name in a chart: its text cells (period, id, merchant), the deployer left out. */
    private static String label(final Table table, final List<Object> row) {
        final StringBuilder label = new StringBuilder();
        for (int i = 0; i < table.columns().size(); i++) {
            final Column c = table.columns().get(i);
            if (c.type() == Column.Type.TEXT && row.get(i) != null && !c.key().equals("deployer")) {
                label.append(label.length() == 0 ? "" : " ").append(row.get(i));
            }
        }
        return label.toString();
    }

    private static long value(final Object cell) {
        return cell == null ? 0 : ((Long) cell);
    }

    /** Horizontal bars: the largest lines by the chart column. */
    private static void barsOfLines(final StringBuilder h, final Table table, final int measure) {
        final List<List<Object>> rows = new ArrayList<>(table.rows());
        rows.sort(Comparator.comparingLong((List<Object> r) -> -Math.abs(value(r.get(measure)))));
        final List<List<Object>> shown = rows.subList(0, Math.min(BARS, rows.size()));
        final List<String> labels = new ArrayList<>();
        final List<Long> values = new ArrayList<>();
        for (final List<Object> r : shown) {
            labels.add(label(table, r));
            values.add(value(r.get(measure)));
        }
        final Column c = table.columns().get(measure);
        chart(h, "chart-lines", c.title() + (rows.size() > BARS ? ", the " + BARS + " largest of " + rows.size() + " lines"
                : ", by line"), c, labels, values);
    }

    /** Horizontal bars: the chart column summed per day or month. */
    private static void barsOfPeriods(final StringBuilder h, final Table table, final int measure, final int period) {
        final Map<String, Long> sums = new TreeMap<>();
        for (final List<Object> r : table.rows()) {
            sums.merge((String) r.get(period), value(r.get(measure)), Math::addExact);
        }
        final Column c = table.columns().get(measure);
        chart(h, "chart-periods", c.title() + " by " + table.columns().get(period).title().toLowerCase(java.util.Locale.ROOT),
                c, new ArrayList<>(sums.keySet()), new ArrayList<>(sums.values()));
    }

    private static void chart(final StringBuilder h, final String id, final String caption, final Column column,
            final List<String> labels, final List<Long> values) {
        final int barHeight = 18;
        final int labelWidth = 200;
        final int barsWidth = 480;
        final int valueWidth = 120;
        final int height = labels.size() * barHeight + 10;
        long max = 1;
        for (final long v : values) {
            max = Math.max(max, Math.abs(v));
        }
        h.append("<figure id=\"").append(id).append("\"><svg role=\"img\" width=\"").append(labelWidth + barsWidth + valueWidth)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(labelWidth + barsWidth + valueWidth)
                .append(' ').append(height).append("\"><title>").append(esc(caption)).append("</title>");
        for (int i = 0; i < labels.size(); i++) {
            final long v = values.get(i);
            // a bar's length is layout, not money: integer arithmetic on the magnitude, at least a pixel when not 0
            final long width = v == 0 ? 0 : Math.max(1, BigInteger.valueOf(Math.abs(v)).multiply(BigInteger.valueOf(barsWidth))
                    .divide(BigInteger.valueOf(max)).longValue());
            final int y = 5 + i * barHeight;
            h.append("<text x=\"").append(labelWidth - 6).append("\" y=\"").append(y + 13)
                    .append("\" text-anchor=\"end\">").append(esc(shorten(labels.get(i)))).append("</text>");
            h.append("<rect x=\"").append(labelWidth).append("\" y=\"").append(y + 2).append("\" width=\"").append(width)
                    .append("\" height=\"").append(barHeight - 4).append("\" fill=\"").append(v < 0 ? "#c55" : "#4a7bb7")
                    .append("\"/>");
            h.append("<text x=\"").append(labelWidth + width + 4).append("\" y=\"").append(y + 13).append("\">")
                    .append(esc(Table.text(column, column.type() == Column.Type.PERCENT ? BigDecimal.valueOf(v) : v)))
                    .append("</text>");
        }
        h.append("</svg><figcaption>").append(esc(caption)).append("</figcaption></figure>\n");
    }

    private static String shorten(final String label) {
        return label.length() <= 32 ? label : label.substring(0, 31) + "…";
    }

    static String esc(final String text) {
        final StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
