package dev.prepaid.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A batch file: comma-separated values (RFC 4180: fields with commas, quotes or line breaks in double quotes, a
 * quote doubled), UTF-8, the first row the field names. Blank lines are skipped; cells are trimmed.
 */
final class Csv {
    /** One data row: its line number in the file (for the report) and its cells by column name. */
    record Row(int line, Map<String, String> cells) {
    }

    private Csv() {
    }

    /** The rows of {@code file}; a malformed file is bad input, naming its line. */
    static List<Row> read(final Path file) {
        final String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw CliFailure.badInput("cannot read " + file + ": " + e.getMessage());
        }
        final List<List<String>> records = new ArrayList<>();
        final List<Integer> lines = new ArrayList<>();
        parse(text.startsWith("\uFEFF") ? text.substring(1) : text, file, records, lines);
        if (records.isEmpty()) {
            throw CliFailure.badInput(file + " is empty: the first row names the fields (e.g. firstPan,faceValue,payment)");
        }
        final List<String> header = records.get(0);
        for (int c = 0; c < header.size(); c++) {
            if (header.get(c).isEmpty() || header.indexOf(header.get(c)) != c) {
                throw CliFailure.badInput(file + " line " + lines.get(0) + ": column " + (c + 1) + " of the header is "
                        + (header.get(c).isEmpty() ? "empty" : "'" + header.get(c) + "' again"));
            }
        }
        final List<Row> rows = new ArrayList<>();
        for (int r = 1; r < records.size(); r++) {
            final List<String> record = records.get(r);
            if (record.size() != header.size()) {
                throw CliFailure.badInput(file + " line " + lines.get(r) + ": " + record.size() + " cells, the header has "
                        + header.size());
            }
            final Map<String, String> cells = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) {
                cells.put(header.get(c), record.get(c));
            }
            rows.add(new Row(lines.get(r), cells));
        }
        return rows;
    }

    private static void parse(final String text, final Path file, final List<List<String>> records,
            final List<Integer> lines) {
        List<String> record = new ArrayList<>();
        final StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        int line = 1;
        int recordLine = 1;
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    line += c == '\n' ? 1 : 0;
                    cell.append(c);
                }
            } else if (c == '"' && cell.toString().isBlank()) {
                cell.setLength(0);
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                record.add(wasQuoted ? cell.toString() : cell.toString().trim());
                cell.setLength(0);
                wasQuoted = false;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                record.add(wasQuoted ? cell.toString() : cell.toString().trim());
                cell.setLength(0);
                wasQuoted = false;
                if (!(record.size() == 1 && record.get(0).isEmpty())) {
                    records.add(record);
                    lines.add(recordLine);
                }
                record = new ArrayList<>();
                line++;
                recordLine = line;
            } else if (wasQuoted) {
                if (!Character.isWhitespace(c)) {
                    throw CliFailure.badInput(file + " line " + line + ": text after a closing quote");
                }
            } else {
                cell.append(c);
            }
        }
        if (quoted) {
            throw CliFailure.badInput(file + " line " + recordLine + ": a quote is not closed");
        }
        record.add(wasQuoted ? cell.toString() : cell.toString().trim());
        if (!(record.size() == 1 && record.get(0).isEmpty())) {
            records.add(record);
            lines.add(recordLine);
        }
    }
}
