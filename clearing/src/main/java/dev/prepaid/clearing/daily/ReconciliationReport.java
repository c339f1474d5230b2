package dev.prepaid.clearing.daily;

import dev.prepaid.time.CivilDate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The reconciliation of one cleared business day: each check with whether it held and what it compared, and the
 * batches that disagreed. Kept beside the figures as {@code YYYY-MM-DD.reconciliation}, version 1: tab-separated
 * lines {@code PREPAID-RECONCILIATION 1}, {@code date}, {@code balanced true|false}, {@code checkedAt} (epoch ms),
 * one {@code check name ok|FAILED detail} per check, one {@code batch terminal batch terminal's totals ledger's totals}
 * per mismatch, then {@code sha256} of everything before.
 */
public record ReconciliationReport(int date, long checkedAtMillis, List<Check> checks, List<BookFacts.BatchMismatch> batches) {
    public static final String MAGIC = "PREPAID-RECONCILIATION";
    public static final int VERSION = 1;
    public static final String SUFFIX = ".reconciliation";

    public ReconciliationReport {
        checks = List.copyOf(checks);
        batches = List.copyOf(batches);
    }

    /** One comparison: its name (stable, for scripts), whether it held, and the numbers it compared. */
    public record Check(String name, boolean ok, String detail) {
    }

    public boolean balanced() {
        for (final Check check : checks) {
            if (!check.ok()) {
                return false;
            }
        }
        return true;
    }

    public String iso() {
        return CivilDate.iso(CivilDate.epochDay(date));
    }

    /** One line: the checks that failed, or that every check held (at most 255 bytes: the journaled summary). */
    public String summary() {
        final StringBuilder out = new StringBuilder();
        for (final Check check : checks) {
            if (!check.ok()) {
                out.append(out.length() == 0 ? "" : "; ").append(check.name()).append(": ").append(check.detail());
            }
        }
        final String text = out.length() == 0 ? "every check holds (" + checks.size() + ")" : out.toString();
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= 255) {
            return text;
        }
        String cut = text.substring(0, Math.min(text.length(), 250));
        while (cut.getBytes(StandardCharsets.UTF_8).length > 250) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut + " ...";
    }

    public byte[] format() {
        final StringBuilder out = new StringBuilder();
        out.append(MAGIC).append('\t').append(VERSION).append('\n');
        out.append("date\t").append(iso()).append('\n');
        out.append("balanced\t").append(balanced()).append('\n');
        out.append("checkedAt\t").append(checkedAtMillis).append('\n');
        for (final Check check : checks) {
            out.append("check\t").append(check.name()).append('\t').append(check.ok() ? "ok" : "FAILED").append('\t')
                    .append(check.detail().replace('\t', ' ').replace('\n', ' ')).append('\n');
        }
        for (final BookFacts.BatchMismatch b : batches) {
            out.append("batch\t").append(b.terminalId()).append('\t').append(b.batch()).append('\t')
                    .append(b.terminalDebitAmount()).append('\t').append(b.terminalDebitCount()).append('\t')
                    .append(b.terminalCreditAmount()).append('\t').append(b.terminalCreditCount()).append('\t')
                    .append(b.ledgerDebitAmount()).append('\t').append(b.ledgerDebitCount()).append('\t')
                    .append(b.ledgerCreditAmount()).append('\t').append(b.ledgerCreditCount()).append('\n');
        }
        final byte[] body = out.toString().getBytes(StandardCharsets.UTF_8);
        final byte[] tail = ("sha256\t" + HexFormat.of().formatHex(FiguresFile.sha256(body, body.length)) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        final byte[] all = Arrays.copyOf(body, body.length + tail.length);
        System.arraycopy(tail, 0, all, body.length, tail.length);
        return all;
    }

    public Path write(final Path dir) throws IOException {
        final Path file = dir.resolve(iso() + SUFFIX);
        OwnerOnlyFiles.write(file, format());
        return file;
    }

    public static ReconciliationReport read(final Path file) throws IOException {
        final String name = file.toString();
        final String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        final int lastLine = text.lastIndexOf('\n', text.length() - 2);
        if (text.isEmpty() || lastLine < 0 || text.charAt(text.length() - 1) != '\n') {
            throw new ClearingException(name + ": not a complete reconciliation file");
        }
        final byte[] body = text.substring(0, lastLine + 1).getBytes(StandardCharsets.UTF_8);
        if (!text.substring(lastLine + 1, text.length() - 1).equals("sha256\t"
                + HexFormat.of().formatHex(FiguresFile.sha256(body, body.length)))) {
            throw new ClearingException(name + ": checksum does not match its content");
        }
        final String[] lines = text.substring(0, lastLine).split("\n", -1);
        if (!lines[0].equals(MAGIC + "\t" + VERSION)) {
            throw new ClearingException(name + ": not a reconciliation file of version " + VERSION + " ('" + lines[0] + "')");
        }
        try {
            final int date = Integer.parseInt(lines[1].split("\t")[1].replace("-", ""));
            final long checkedAt = Long.parseLong(lines[3].split("\t")[1]);
            final List<Check> checks = new ArrayList<>();
            final List<BookFacts.BatchMismatch> batches = new ArrayList<>();
            for (int i = 4; i < lines.length; i++) {
                final String[] f = lines[i].split("\t", -1);
                if (f[0].equals("check")) {
                    checks.add(new Check(f[1], f[2].equals("ok"), f[3]));
                } else if (f[0].equals("batch")) {
                    batches.add(new BookFacts.BatchMismatch(f[1], Integer.parseInt(f[2]), Long.parseLong(f[3]),
                            Integer.parseInt(f[4]), Long.parseLong(f[5]), Integer.parseInt(f[6]), Long.parseLong(f[7]),
                            Integer.parseInt(f[8]), Long.parseLong(f[9]), Integer.parseInt(f[10])));
                } else {
                    throw new ClearingException(name + ": line " + (i + 1) + " is '" + f[0] + "'");
                }
            }
            return new ReconciliationReport(date, checkedAt, checks, batches);
        } catch (final RuntimeException e) {
            if (e instanceof ClearingException c) {
                throw c;
            }
            throw new ClearingException(name + ": malformed: " + e, e);
        }
    }
}
