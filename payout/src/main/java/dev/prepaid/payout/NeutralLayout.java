package dev.prepaid.payout;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The neutral delimited bank batch file (docs/payout-files.md): UTF-8 without a byte order mark, every line
 * ended by CR LF, fields as {@link Csv} writes them. The first line is the header
 * {@code batchNumber,date,payerAccount,count,total}, then one line per payee
 * {@code account,name,bank,cnapsCode,amount,purpose,reference}; dates are {@code yyyymmdd}, amounts yuan with
 * exactly two decimals. What it writes it reads back and compares before handing the bytes out.
 */
public final class NeutralLayout implements BankFileLayout {
    public static final NeutralLayout INSTANCE = new NeutralLayout();
    static final String LINE_END = "\r\n";
    private static final int HEADER_FIELDS = 5;
    private static final int ROW_FIELDS = 7;

    private NeutralLayout() {
    }

    @Override
    public String name() {
        return "neutral";
    }

    @Override
    public String extension() {
        return "csv";
    }

    @Override
    public byte[] write(final BankBatchFile file) {
        final BankBatchFile.Header h = file.header();
        final StringBuilder out = new StringBuilder(128 + 160 * file.rows().size());
        Csv.record(out, Long.toString(h.batchNumber()), PayoutBatch.compact(h.date()), h.payerAccount(),
                Integer.toString(h.count()), Amounts.format(h.totalFen())).append(LINE_END);
        for (final BankBatchFile.Row r : file.rows()) {
            Csv.record(out, r.account(), r.name(), r.bank(), r.cnapsCode(), Amounts.format(r.amountFen()), r.purpose(),
                    r.reference()).append(LINE_END);
        }
        final byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
        if (!read(bytes).equals(file)) {
            throw new IllegalStateException("the neutral layout does not read back what it wrote for batch "
                    + h.batchNumber());
        }
        return bytes;
    }

    /**
     * A neutral file read back: the header's count and total checked against the rows.
     *
     * @throws IllegalArgumentException starting with {@code line N:} and saying what is wrong there
     */
    public static BankBatchFile read(final byte[] bytes) {
        final List<TextLines.Line> lines = TextLines.of(bytes, true, false);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("the file is empty");
        }
        for (final TextLines.Line line : lines) {
            if (line.problem() != null) {
                throw new IllegalArgumentException("line " + line.number() + ": " + line.problem());
            }
        }
        final BankBatchFile.Header header = at(1, () -> header(fields(lines.get(0).text(), HEADER_FIELDS, "header")));
        final List<BankBatchFile.Row> rows = new ArrayList<>(lines.size() - 1);
        for (final TextLines.Line line : lines.subList(1, lines.size())) {
            rows.add(at(line.number(), () -> row(fields(line.text(), ROW_FIELDS, "payee"))));
        }
        return at(1, () -> new BankBatchFile(header, rows));
    }

    private static BankBatchFile.Header header(final List<String> f) {
        return new BankBatchFile.Header(number("batch number", f.get(0)), date(f.get(1)), f.get(2),
                (int) Math.min(Integer.MAX_VALUE, number("count", f.get(3))), Amounts.parse(f.get(4)));
    }

    private static BankBatchFile.Row row(final List<String> f) {
        return new BankBatchFile.Row(f.get(0), f.get(1), f.get(2), f.get(3), Amounts.parse(f.get(4)), f.get(5), f.get(6));
    }

    private static List<String> fields(final String line, final int expected, final String kind) {
        final List<String> fields = Csv.split(line);
        if (fields.size() != expected) {
            throw new IllegalArgumentException(fields.size() + " fields; a " + kind + " line has " + expected);
        }
        return fields;
    }

    private static long number(final String what, final String text) {
        if (!text.isEmpty() && text.length() <= 19 && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                return Long.parseLong(text);
            } catch (final NumberFormatException beyondLong) {
                // said below
            }
        }
        throw new IllegalArgumentException(what + " '" + PayoutText.printable(text) + "' is not a number");
    }

    private static LocalDate date(final String text) {
        if (text.length() != 8 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("date '" + PayoutText.printable(text) + "' is not yyyymmdd");
        }
        try {
            return LocalDate.of(Integer.parseInt(text.substring(0, 4)), Integer.parseInt(text.substring(4, 6)),
                    Integer.parseInt(text.substring(6)));
        } catch (final DateTimeException e) {
            throw new IllegalArgumentException("date '" + text + "' is not a day of the calendar");
        }
    }

    /** Runs a step of reading and puts the line number in front of what it refused. */
    private static <T> T at(final int lineNumber, final Supplier<T> step) {
        try {
            return step.get();
        } catch (final IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException("line " + lineNumber + ": " + e.getMessage(), e);
        }
    }
}
