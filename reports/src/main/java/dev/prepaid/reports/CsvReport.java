package dev.prepaid.reports;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * A report as CSV (RFC 4180, UTF-8, CRLF): a header of the column keys, the rows, then the totals row, whose first
 * cell is "Total". Amounts are yuan with two decimals ("1234.56"), rates two decimals, no grouping, so every cell is
 * what a spreadsheet or a script reads as a number.
 */
public final class CsvReport {
    public static final String CONTENT_TYPE = "text/csv; charset=utf-8";

    private CsvReport() {
    }

    public static byte[] bytes(final Table table) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 128 * table.rows().size());
        try (Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
             CSVPrinter csv = new CSVPrinter(writer, CSVFormat.RFC4180)) {
            for (final Column c : table.columns()) {
                csv.print(c.key());
            }
            csv.println();
            for (final List<Object> row : table.rows()) {
                print(csv, table, row);
            }
            print(csv, table, table.totals());
        } catch (final IOException e) {
            throw new UncheckedIOException("writing to memory", e);
        }
        return out.toByteArray();
    }

    private static void print(final CSVPrinter csv, final Table table, final List<Object> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            csv.print(Table.text(table.columns().get(i), cells.get(i)));
        }
        csv.println();
    }
}
