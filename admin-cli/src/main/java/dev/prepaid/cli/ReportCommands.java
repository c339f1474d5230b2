package dev.prepaid.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Reports from the daily clearing figures (docs/reports.md): {@code GET /v1/reports/{kind}} as a table on the terminal,
 * as JSON, or as a CSV, XLSX or HTML file.
 */
final class ReportCommands {
    private ReportCommands() {
    }

    /**
     * The report kinds, for --help and shell completion (the endpoint's, dev.prepaid.reports.ReportKind: the CLI is a
     * client and does not carry the reports library; a test checks the two lists agree).
     */
    static final List<String> KINDS = List.of("merchant-summary", "merchant-daily", "merchant-monthly",
            "terminal-summary", "terminal-daily", "transaction-types", "success-rates", "decline-reasons", "fees",
            "deployer-shares", "points", "card-issuance", "card-issuance-monthly");

    static final class Kinds implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return KINDS.iterator();
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true, description = "A report of a date range computed from"
            + " the daily clearing figures (GET /v1/reports/KIND): a table here by default, --json, or a file with"
            + " --format csv|xlsx|html (--out FILE; csv and html go to standard output without it). A merchant's own user gets its merchant's figures only. Days of the range"
            + " that are not cleared are named, and not counted.",
            footer = {"", "Example:", "  prepaid-admin report merchant-monthly --from 2026-11-01 --to 2026-11-30",
                "  prepaid-admin report terminal-daily --from 2026-11-01 --to 2026-11-07 --merchant 888310048990001",
                "  prepaid-admin report fees --from 2026-11-01 --to 2026-11-30 --format xlsx --out fees-november.xlsx",
                "  prepaid-admin --json report decline-reasons --from 2026-11-24 --to 2026-11-24"})
    static final class Report extends Action {
        @Parameters(index = "0", paramLabel = "KIND", completionCandidates = Kinds.class,
                description = "the report: ${COMPLETION-CANDIDATES}")
        String kind;

        @Option(names = "--from", required = true, paramLabel = "DATE", converter = Inputs.IsoDate.class,
                description = "first business day, 2026-11-01")
        String from;

        @Option(names = "--to", required = true, paramLabel = "DATE", converter = Inputs.IsoDate.class,
                description = "last business day (at most 366 days after --from)")
        String to;

        @Option(names = "--merchant", paramLabel = "ID", description = "only this merchant")
        String merchant;

        @Option(names = "--terminal", paramLabel = "ID", description = "only this terminal")
        String terminal;

        @Option(names = "--format", paramLabel = "FORMAT", description = "csv, xlsx or html: the report as a file")
        String format;

        @Option(names = "--out", paramLabel = "FILE", description = "where to write the file (required for xlsx)")
        Path out;

        @Override
        public Integer call() {
            if (format != null && !List.of("csv", "xlsx", "html").contains(format)) {
                throw CliFailure.badInput("--format is csv, xlsx or html, got '" + format + "'");
            }
            if (out != null && format == null) {
                throw CliFailure.badInput("--out writes a file: say which with --format csv|xlsx|html");
            }
            if ("xlsx".equals(format) && out == null) {
                throw CliFailure.badInput("an xlsx report is a binary file: give --out FILE");
            }
            final StringBuilder path = new StringBuilder("/v1/reports/").append(encode(kind)).append("?from=")
                    .append(from).append("&to=").append(to);
            if (merchant != null) {
                path.append("&merchant=").append(encode(merchant));
            }
            if (terminal != null) {
                path.append("&terminal=").append(encode(terminal));
            }
            final PrepaidAdmin cli = cli();
            if (format == null) {
                final JsonNode report = read(path.toString());
                if (cli.jsonOutput()) {
                    cli.printJson(report);
                } else {
                    print(cli.out(), report);
                }
                return Exit.OK;
            }
            path.append("&format=").append(format);
            final AdminClient.FileAnswer answer = cli.client().getFile(path.toString(), cli.session().token());
            if (answer.failure() != null) {
                throw cli.fail(answer.failure(), spec);
            }
            if (out == null) {
                cli.out().print(new String(answer.bytes(), StandardCharsets.UTF_8));
                cli.out().flush();
                return Exit.OK;
            }
            try {
                Files.write(out, answer.bytes());
            } catch (final IOException e) {
                throw CliFailure.badInput("cannot write " + out + ": " + e.getMessage());
            }
            cli.out().println("wrote " + out + " (" + answer.bytes().length + " bytes, " + answer.contentType() + ")");
            return Exit.OK;
        }

        private static String encode(final String text) {
            return URLEncoder.encode(text, StandardCharsets.UTF_8);
        }
    }

    /** The report as a table: a title line, the columns' titles, the lines, a rule, the totals. */
    static void print(final PrintWriter out, final JsonNode report) {
        out.println(report.path("title").asText() + ", " + report.path("from").asText() + " to "
                + report.path("to").asText() + (report.path("merchant").isTextual() ? ", merchant "
                + report.path("merchant").asText() : "") + (report.path("terminal").isTextual() ? ", terminal "
                + report.path("terminal").asText() : "") + " (amounts in yuan)");
        if (!report.path("missingDays").isEmpty()) {
            final List<String> missing = new ArrayList<>();
            report.path("missingDays").forEach(d -> missing.add(d.asText()));
            out.println("days without figures (not cleared, not counted): " + String.join(", ", missing));
        }
        out.println();
        final JsonNode columns = report.path("columns");
        final int n = columns.size();
        final List<String[]> lines = new ArrayList<>();
        final String[] head = new String[n];
        final boolean[] numeric = new boolean[n];
        for (int c = 0; c < n; c++) {
            head[c] = columns.get(c).path("title").asText();
            numeric[c] = !"text".equals(columns.get(c).path("type").asText());
        }
        for (final JsonNode row : report.path("rows")) {
            lines.add(cells(columns, row));
        }
        final String[] totals = cells(columns, report.path("totals"));
        final int[] width = new int[n];
        for (int c = 0; c < n; c++) {
            width[c] = Math.max(head[c].length(), totals[c].length());
            for (final String[] line : lines) {
                width[c] = Math.max(width[c], line[c].length());
            }
        }
        line(out, head, width, numeric);
        for (final String[] l : lines) {
            line(out, l, width, numeric);
        }
        final String[] rule = new String[n];
        for (int c = 0; c < n; c++) {
            rule[c] = "-".repeat(width[c]);
        }
        line(out, rule, width, numeric);
        line(out, totals, width, numeric);
        out.flush();
    }

    private static String[] cells(final JsonNode columns, final JsonNode row) {
        final String[] cells = new String[columns.size()];
        for (int c = 0; c < cells.length; c++) {
            final JsonNode value = row.get(c);
            if (value == null || value.isNull()) {
                cells[c] = "";
            } else if ("fen".equals(columns.get(c).path("type").asText())) {
                cells[c] = Output.yuan(value.asLong());
            } else {
                cells[c] = value.asText();
            }
        }
        return cells;
    }

    private static void line(final PrintWriter out, final String[] cells, final int[] width, final boolean[] numeric) {
        final StringBuilder text = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            final String pad = " ".repeat(width[c] - cells[c].length());
            text.append(c == 0 ? "" : "  ").append(numeric[c] ? pad + cells[c] : cells[c] + pad);
        }
        out.println(text.toString().stripTrailing());
    }
}
