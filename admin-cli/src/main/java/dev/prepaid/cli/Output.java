package dev.prepaid.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The endpoint's JSON as people read it: aligned tables for lists, aligned key-value listings for one item. A
 * number is shown by what its field holds: amounts (fen) as yuan with two decimals, dates (yyyymmdd) as
 * 2026-03-02 ("-" for none), rates (parts per million) as per cent. {@code --json} bypasses all of this.
 */
final class Output {
    /** Fields that hold fen, beside those whose name ends in "Fen". */
    private static final Set<String> AMOUNTS = Set.of("available", "holds", "ledgerBalance", "deposit", "spentToday",
            "spentThisMonth", "payable", "receivable", "feesToday", "deployerSharesToday", "debitAmount",
            "creditAmount", "availableBalance", "fee", "refunded", "total", "amount", "faceValue", "balanceCap",
            "initialBalance", "issuanceFee", "replacementFee", "lostReportFee", "singleLimit", "dailyAmountLimit",
            "monthlyAmountLimit", "net", "receivableNetted", "payableDebited", "fees", "periodicFees", "deployerShare",
            "discounts", "adjustments", "feesPosted", "deposits", "cancelledValue", "owed", "sharesToday", "collection",
            "collectionTotal", "collected", "rechargeCashOwed");

    private Output() {
    }

    static String yuan(final long fen) {
        return BigDecimal.valueOf(fen, 2).toPlainString();
    }

    static String date(final long yyyymmdd) {
        if (yyyymmdd <= 0) {
            return "-";
        }
        final String digits = Long.toString(yyyymmdd);
        return digits.length() != 8 ? digits : digits.substring(0, 4) + "-" + digits.substring(4, 6) + "-"
                + digits.substring(6);
    }

    static String percentOfPpm(final long ppm) {
        return BigDecimal.valueOf(ppm, 4).stripTrailingZeros().toPlainString() + " %";
    }

    static boolean isAmount(final String field) {
        return AMOUNTS.contains(field) || field.endsWith("Fen") || field.endsWith("Amount");
    }

    static boolean isDate(final String field) {
        return field.equals("date") || field.endsWith("Date");
    }

    /** One value as text, by the name of its field. */
    static String text(final String field, final JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "-";
        }
        if (value.isIntegralNumber()) {
            final long n = value.longValue();
            if (isAmount(field)) {
                return yuan(n);
            }
            if (isDate(field)) {
                return date(n);
            }
            if (field.endsWith("Ppm")) {
                return percentOfPpm(n);
            }
            return Long.toString(n);
        }
        if (value.isTextual()) {
            return value.textValue().isEmpty() ? "-" : value.textValue();
        }
        if (value.isObject()) {
            final List<String> parts = new ArrayList<>();
            for (final Map.Entry<String, JsonNode> e : value.properties()) {
                parts.add(e.getKey() + "=" + text(e.getKey(), e.getValue()));
            }
            return String.join(" ", parts);
        }
        if (value.isArray()) {
            final List<String> parts = new ArrayList<>();
            value.forEach(v -> parts.add(text(field, v)));
            return String.join(", ", parts);
        }
        return value.asText();
    }

    /** Every field of an object on its own line, names aligned; nested objects as {@code holder.name}. */
    static void keyValues(final PrintWriter out, final JsonNode object, final String indent) {
        final List<String[]> lines = new ArrayList<>();
        flatten("", object, lines);
        int width = 0;
        for (final String[] line : lines) {
            width = Math.max(width, line[0].length());
        }
        for (final String[] line : lines) {
            out.println(indent + pad(line[0], width) + "  " + line[1]);
        }
    }

    private static void flatten(final String prefix, final JsonNode object, final List<String[]> lines) {
        for (final Map.Entry<String, JsonNode> e : object.properties()) {
            if (e.getValue().isObject() && e.getValue().size() > 0) {
                flatten(prefix + e.getKey() + ".", e.getValue(), lines);
            } else {
                lines.add(new String[] {prefix + e.getKey(), text(e.getKey(), e.getValue())});
            }
        }
    }

    /** Rows of objects as a table of the given columns (field names), numbers right-aligned. */
    static void table(final PrintWriter out, final List<String> columns, final Iterable<JsonNode> rows) {
        final List<String[]> cells = new ArrayList<>();
        // A column of JSON numbers (amounts, counts) is right-aligned; ids made of digits are text and stay left.
        final boolean[] numeric = new boolean[columns.size()];
        Arrays.fill(numeric, true);
        for (final JsonNode row : rows) {
            final String[] line = new String[columns.size()];
            for (int c = 0; c < line.length; c++) {
                final JsonNode value = row.get(columns.get(c));
                line[c] = text(columns.get(c), value);
                numeric[c] &= value != null && value.isNumber() && !isDate(columns.get(c));
            }
            cells.add(line);
        }
        final int[] width = new int[columns.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = columns.get(c).length();
            numeric[c] &= !cells.isEmpty();
            for (final String[] line : cells) {
                width[c] = Math.max(width[c], line[c].length());
            }
        }
        final StringBuilder header = new StringBuilder();
        for (int c = 0; c < width.length; c++) {
            header.append(c == 0 ? "" : "  ").append(numeric[c] ? padLeft(columns.get(c), width[c])
                    : pad(columns.get(c), width[c]));
        }
        out.println(header.toString().stripTrailing());
        for (final String[] line : cells) {
            final StringBuilder text = new StringBuilder();
            for (int c = 0; c < width.length; c++) {
                text.append(c == 0 ? "" : "  ").append(numeric[c] ? padLeft(line[c], width[c]) : pad(line[c], width[c]));
            }
            out.println(text.toString().stripTrailing());
        }
    }

    private static String pad(final String text, final int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }

    private static String padLeft(final String text, final int width) {
        return text.length() >= width ? text : " ".repeat(width - text.length()) + text;
    }
}
