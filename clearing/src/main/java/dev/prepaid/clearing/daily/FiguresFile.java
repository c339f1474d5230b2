package dev.prepaid.clearing.daily;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The figures file of one business day, {@code YYYY-MM-DD.figures}: UTF-8 lines of tab-separated fields, versioned,
 * closed by the SHA-256 of everything before its last line (docs/architecture.md, "Clearing"). Version 2:
 * <pre>
 * PREPAID-CLEARING-FIGURES  2
 * date                      2026-01-05
 * open                      sequence  chronicle-index  timestamp     (the opening cut-over)
 * close                     sequence  chronicle-index  timestamp     (the closing cut-over)
 * feesPosted                fen
 * commands                  n
 * unattributedDeclines      n
 * columns                   purchases  purchaseAmount ...           (the Measure keys, in the order of the rows)
 * M  merchant-id            value ...  declines                      (declines: code:count,code:count or empty)
 * T  terminal-id  merchant-id  deployer  value ...  declines
 * D  deployer                value ...  declines
 * cardColumns               cardsSold  faceValue ...
 * C  card-type-id           value ...
 * end                       merchants  terminals  deployers  card-types (row counts)
 * sha256                    hex
 * </pre>
 * Rows are in ascending id order, so the same figures are the same bytes. The reader names columns by their keys, so
 * a later version may add columns; it refuses a file whose checksum, version or row counts do not hold.
 *
 * <p>Versions: 1 had every column but {@code rechargeCommission}; 2 added it (after {@code rechargeAmount}). This
 * build writes 2 and reads both: a version 1 file's rows read 0 for the commission (the day's commissions are in its
 * net and the books, not in the file), and the figures of a version 1 file never equal the journal's, so its day's
 * reconciliation run again fails {@code figuresFile} until the day is cleared again ({@code clearing run}).
 */
public final class FiguresFile {
    public static final String MAGIC = "PREPAID-CLEARING-FIGURES";
    public static final int VERSION = 2;
    /** The oldest version this build reads. */
    public static final int OLDEST_READ = 1;
    public static final String SUFFIX = ".figures";

    private FiguresFile() {
    }

    /** The file's bytes for these figures: equal figures, equal bytes. */
    public static byte[] format(final DayFigures f) {
        final StringBuilder out = new StringBuilder(256 + 200 * (f.merchants().size() + f.terminals().size()));
        out.append(MAGIC).append('\t').append(VERSION).append('\n');
        out.append("date\t").append(f.bounds().iso()).append('\n');
        out.append("open\t").append(f.bounds().openSequence()).append('\t').append(f.bounds().openIndex()).append('\t')
                .append(f.bounds().openTimestamp()).append('\n');
        out.append("close\t").append(f.bounds().closeSequence()).append('\t').append(f.bounds().closeIndex()).append('\t')
                .append(f.bounds().closeTimestamp()).append('\n');
        out.append("feesPosted\t").append(f.feesPosted()).append('\n');
        out.append("commands\t").append(f.commands()).append('\n');
        out.append("unattributedDeclines\t").append(f.unattributedDeclines()).append('\n');
        out.append("columns");
        for (final Measure m : Measure.values()) {
            out.append('\t').append(m.key);
        }
        out.append('\n');
        for (final Row row : f.merchants()) {
            out.append("M\t").append(row.id());
            values(out, row);
        }
        for (final Row row : f.terminals()) {
            out.append("T\t").append(row.id()).append('\t').append(row.merchantId()).append('\t').append(row.deployer());
            values(out, row);
        }
        for (final Row row : f.deployers()) {
            out.append("D\t").append(row.id());
            values(out, row);
        }
        out.append("cardColumns");
        for (final CardMeasure m : CardMeasure.values()) {
            out.append('\t').append(m.key);
        }
        out.append('\n');
        for (final CardRow row : f.cardTypes()) {
            out.append("C\t").append(row.cardType());
            for (final CardMeasure m : CardMeasure.values()) {
                out.append('\t').append(row.get(m));
            }
            out.append('\n');
        }
        out.append("end\t").append(f.merchants().size()).append('\t').append(f.terminals().size()).append('\t')
                .append(f.deployers().size()).append('\t').append(f.cardTypes().size()).append('\n');
        final byte[] body = out.toString().getBytes(StandardCharsets.UTF_8);
        final byte[] tail = ("sha256\t" + HexFormat.of().formatHex(sha256(body, body.length)) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        final byte[] all = Arrays.copyOf(body, body.length + tail.length);
        System.arraycopy(tail, 0, all, body.length, tail.length);
        return all;
    }

    private static void values(final StringBuilder out, final Row row) {
        for (final Measure m : Measure.values()) {
            out.append('\t').append(row.get(m));
        }
        out.append('\t');
        boolean first = true;
        for (final Map.Entry<Integer, Integer> e : row.declinesByReason().entrySet()) {
            out.append(first ? "" : ",").append(e.getKey()).append(':').append(e.getValue());
            first = false;
        }
        out.append('\n');
    }

    /** Writes the figures atomically, owner-only, as {@code <dir>/YYYY-MM-DD.figures}; returns the file. */
    public static Path write(final Path dir, final DayFigures f) throws IOException {
        final Path file = dir.resolve(f.bounds().iso() + SUFFIX);
        OwnerOnlyFiles.write(file, format(f));
        return file;
    }

    /**
     * Reads a figures file, checking its magic, version, checksum and row counts.
     *
     * @throws ClearingException naming the file and what is wrong with it
     * @throws NoSuchFileException when there is none
     */
    public static DayFigures read(final Path file) throws IOException {
        return parse(file.toString(), Files.readAllBytes(file));
    }

    public static DayFigures parse(final String name, final byte[] bytes) {
        final String text = new String(bytes, StandardCharsets.UTF_8);
        final int lastLine = text.lastIndexOf('\n', text.length() - 2);
        if (text.isEmpty() || text.charAt(text.length() - 1) != '\n' || lastLine < 0) {
            throw new ClearingException(name + ": not a complete figures file");
        }
        final String checksumLine = text.substring(lastLine + 1, text.length() - 1);
        final byte[] body = text.substring(0, lastLine + 1).getBytes(StandardCharsets.UTF_8);
        final String expected = "sha256\t" + HexFormat.of().formatHex(sha256(body, body.length));
        if (!checksumLine.equals(expected)) {
            throw new ClearingException(name + ": checksum does not match its content (the file was changed or damaged"
                    + " after it was written): clear the day again");
        }
        final String[] lines = text.substring(0, lastLine).split("\n", -1);
        final String[] head = lines[0].split("\t", -1);
        if (head.length != 2 || !head[0].equals(MAGIC)) {
            throw new ClearingException(name + ": not a figures file (first line '" + lines[0] + "')");
        }
        int version = -1;
        for (int v = OLDEST_READ; v <= VERSION; v++) {
            version = head[1].equals(Integer.toString(v)) ? v : version;
        }
        if (version < 0) {
            throw new ClearingException(name + ": figures file version " + head[1] + ", this build reads " + OLDEST_READ
                    + " to " + VERSION);
        }
        final Parser p = new Parser(name, lines, version);
        return p.figures();
    }

    private static final class Parser {
        private final String name;
        private final String[] lines;
        private final int version;
        private int at = 1;

        Parser(final String name, final String[] lines, final int version) {
            this.name = name;
            this.lines = lines;
            this.version = version;
        }

        private String[] next(final String key) {
            if (at >= lines.length) {
                throw new ClearingException(name + ": ends before its '" + key + "' line");
            }
            final String[] fields = lines[at].split("\t", -1);
            if (!fields[0].equals(key)) {
                throw new ClearingException(name + ": line " + (at + 1) + " is '" + fields[0] + "', expected '" + key + "'");
            }
            at++;
            return fields;
        }

        private long number(final String[] fields, final int i) {
            try {
                return Long.parseLong(fields[i]);
            } catch (final RuntimeException e) {
                throw new ClearingException(name + ": line " + at + ": field " + (i + 1) + " is not a number: "
                        + (i < fields.length ? "'" + fields[i] + "'" : "missing"));
            }
        }

        DayFigures figures() {
            final String date = next("date")[1];
            final String[] open = next("open");
            final String[] close = next("close");
            final int yyyymmdd;
            try {
                yyyymmdd = Integer.parseInt(date.replace("-", ""));
            } catch (final NumberFormatException e) {
                throw new ClearingException(name + ": date '" + date + "' is not YYYY-MM-DD");
            }
            final DayBounds bounds;
            try {
                bounds = new DayBounds(yyyymmdd, number(open, 1), number(open, 2), number(open, 3), number(close, 1),
                        number(close, 2), number(close, 3));
            } catch (final IllegalArgumentException e) {
                throw new ClearingException(name + ": " + e.getMessage());
            }
            final long feesPosted = number(next("feesPosted"), 1);
            final long commands = number(next("commands"), 1);
            final long unattributed = number(next("unattributedDeclines"), 1);
            final Measure[] columns = columns(next("columns"));
            final List<Row> merchants = new ArrayList<>();
            final List<Row> terminals = new ArrayList<>();
            final List<Row> deployers = new ArrayList<>();
            while (at < lines.length && lines[at].startsWith("M\t")) {
                final String[] f = lines[at++].split("\t", -1);
                merchants.add(row(f, new Row(f[1], "", ""), 2, columns));
            }
            while (at < lines.length && lines[at].startsWith("T\t")) {
                final String[] f = lines[at++].split("\t", -1);
                if (f.length < 4) {
                    throw new ClearingException(name + ": line " + at + ": a terminal row names its merchant and deployer");
                }
                terminals.add(row(f, new Row(f[1], f[2], f[3]), 4, columns));
            }
            while (at < lines.length && lines[at].startsWith("D\t")) {
                final String[] f = lines[at++].split("\t", -1);
                deployers.add(row(f, new Row(f[1], "", ""), 2, columns));
            }
            final String[] cardColumnNames = next("cardColumns");
            final CardMeasure[] cardColumns = new CardMeasure[cardColumnNames.length - 1];
            for (int i = 1; i < cardColumnNames.length; i++) {
                cardColumns[i - 1] = CardMeasure.ofKey(cardColumnNames[i]);
                if (cardColumns[i - 1] == null) {
                    throw new ClearingException(name + ": unknown card column '" + cardColumnNames[i] + "'");
                }
            }
            final List<CardRow> cardTypes = new ArrayList<>();
            while (at < lines.length && lines[at].startsWith("C\t")) {
                final String[] f = lines[at++].split("\t", -1);
                if (f.length != cardColumns.length + 2) {
                    throw new ClearingException(name + ": line " + at + " has " + f.length + " fields, expected "
                            + (cardColumns.length + 2));
                }
                final CardRow row = new CardRow((int) number(f, 1));
                for (int i = 0; i < cardColumns.length; i++) {
                    row.set(cardColumns[i], number(f, i + 2));
                }
                cardTypes.add(row);
            }
            final String[] end = next("end");
            if (number(end, 1) != merchants.size() || number(end, 2) != terminals.size() || number(end, 3) != deployers.size()
                    || number(end, 4) != cardTypes.size()) {
                throw new ClearingException(name + ": row counts " + String.join(" ", Arrays.copyOfRange(end, 1, end.length))
                        + " do not match the rows (" + merchants.size() + " " + terminals.size() + " " + deployers.size() + " "
                        + cardTypes.size() + ")");
            }
            if (at != lines.length) {
                throw new ClearingException(name + ": line " + (at + 1) + " follows the end line");
            }
            return new DayFigures(bounds, feesPosted, commands, unattributed, merchants, terminals, deployers, cardTypes);
        }

        private Measure[] columns(final String[] names) {
            final Measure[] columns = new Measure[names.length - 1];
            for (int i = 1; i < names.length; i++) {
                columns[i - 1] = Measure.ofKey(names[i]);
                if (columns[i - 1] == null || version < 2 && columns[i - 1] == Measure.RECHARGE_COMMISSION) {
                    throw new ClearingException(name + ": unknown column '" + names[i] + "' in a version " + version
                            + " figures file");
                }
            }
            return columns;
        }

        private Row row(final String[] f, final Row row, final int first, final Measure[] columns) {
            if (f.length != first + columns.length + 1) {
                throw new ClearingException(name + ": line " + at + " has " + f.length + " fields, expected "
                        + (first + columns.length + 1));
            }
            for (int i = 0; i < columns.length; i++) {
                row.set(columns[i], number(f, first + i));
            }
            final String declines = f[f.length - 1];
            long declined = 0;
            if (!declines.isEmpty()) {
                for (final String pair : declines.split(",")) {
                    final int colon = pair.indexOf(':');
                    try {
                        final int count = Integer.parseInt(pair.substring(colon + 1));
                        row.decline(Integer.parseInt(pair.substring(0, colon)), count);
                        declined += count;
                    } catch (final RuntimeException e) {
                        throw new ClearingException(name + ": line " + at + ": declines '" + pair + "' is not code:count");
                    }
                }
            }
            // decline() added them to DECLINES again: the column holds the total already
            row.add(Measure.DECLINES, -declined);
            return row;
        }
    }

    static byte[] sha256(final byte[] bytes, final int length) {
        try {
            final MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes, 0, length);
            return digest.digest();
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
