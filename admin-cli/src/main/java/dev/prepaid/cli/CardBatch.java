package dev.prepaid.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.prepaid.state.StoredName;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A batch of one command from a CSV file, one request per row (card sales, recharges). The header names the
 * command's fields; a cell left empty, or a column left out, takes the command line's option (the batch's
 * default). Every row is read and checked before the first is sent — a file with a mistyped amount sends
 * nothing — then each row is its own request with its own request id, reported line by line. A refused row stops
 * the batch only with {@code --stop-on-error}; not being logged in or allowed, or a switch that cannot be reached,
 * stops it at once (every later row would fail the same way). The exit code is the first failure's.
 */
final class CardBatch {
    /** How a column's cells are read. */
    enum Kind {
        TEXT, COUNT, AMOUNT, ENUM
    }

    /**
     * A column: the command's field it fills, how it is read, whether a row needs it (from the file or the
     * options), and for enums the type whose stored names it takes.
     */
    record Column(String field, Kind kind, boolean required, Class<? extends Enum<?>> enumType) {
        static Column text(final String field) {
            return new Column(field, Kind.TEXT, false, null);
        }

        JsonNode parse(final String cell) {
            return switch (kind) {
                case TEXT -> TextNode.valueOf(cell);
                case COUNT -> IntNode.valueOf((int) Math.min(Integer.MAX_VALUE, Inputs.whole(cell, 1)));
                case AMOUNT -> LongNode.valueOf(Inputs.fen(cell, false));
                case ENUM -> TextNode.valueOf(storedName(enumType, cell));
            };
        }
    }

    /** The column that names the card (firstPan) may also be called pan; note is each row's own note. */
    private static final Map<String, String> ALIASES = Map.of("pan", "firstPan");
    private static final int ERRORS_SHOWN = 5;

    private final PrepaidAdmin cli;
    private final CommandSpec caller;
    private final String type;
    private final List<Column> columns;

    CardBatch(final PrepaidAdmin cli, final CommandSpec caller, final String type, final List<Column> columns) {
        this.cli = cli;
        this.caller = caller;
        this.type = type;
        this.columns = columns;
    }

    static String storedName(final Class<? extends Enum<?>> type, final String text) {
        for (final Enum<?> constant : type.getEnumConstants()) {
            final String stored = ((StoredName) constant).storedName();
            if (stored.equalsIgnoreCase(text.trim())) {
                return stored;
            }
        }
        final List<String> names = new ArrayList<>();
        for (final Enum<?> constant : type.getEnumConstants()) {
            names.add(((StoredName) constant).storedName());
        }
        throw new IllegalArgumentException("'" + text + "' is not one of " + String.join(", ", names));
    }

    private record Prepared(int line, ObjectNode fields, String note) {
    }

    /** Runs the batch of {@code file} with {@code defaults} (the options' fields) under each row. */
    int run(final Path file, final ObjectNode defaults, final String defaultNote, final boolean stopOnError) {
        final List<Prepared> rows = prepare(file, defaults, defaultNote);
        final ArrayNode report = cli.mapper().createArrayNode();
        int applied = 0;
        int firstFailure = Exit.OK;
        final List<Integer> failedLines = new ArrayList<>();
        int sent = 0;
        String stopped = null;
        // Without --stop-on-error the rows go as batches (POST /v1/batch): a thousand per request, each row still
        // its own journaled command with its own answer. With it, row by row, so nothing is sent after a failure.
        final java.util.Map<Prepared, AdminClient.Answer> batched = stopOnError ? java.util.Map.of() : sendBatches(rows);
        for (final Prepared row : rows) {
            sent++;
            final ObjectNode entry = report.addObject();
            entry.put("line", row.line());
            final String pan = row.fields().path("firstPan").asText("");
            CliFailure failure;
            try {
                final AdminClient.Answer answer = stopOnError ? cli.submit(type, row.fields(), row.note(), null)
                        : batched.get(row);
                entry.put("status", answer.status());
                entry.set("answer", answer.body());
                if (answer.ok()) {
                    applied++;
                    if (!cli.jsonOutput()) {
                        cli.out().println("line " + row.line() + "  " + pan + "  " + PrepaidAdmin.appliedLine(answer.body())
                                + "  " + Output.text("", cli.results(answer.body())));
                    }
                    continue;
                }
                failure = cli.failureOf(answer, caller);
            } catch (final CliFailure e) {
                failure = e;
                entry.put("error", e.getMessage());
            }
            failedLines.add(row.line());
            firstFailure = firstFailure == Exit.OK ? failure.exitCode : firstFailure;
            if (!cli.jsonOutput()) {
                cli.out().println("line " + row.line() + "  " + pan + "  failed: " + failure.getMessage());
            }
            final boolean hopeless = failure.exitCode == Exit.NOT_ALLOWED || failure.exitCode == Exit.UNREACHABLE
                    || failure.exitCode == Exit.INTERNAL;
            if (stopOnError || hopeless) {
                stopped = "stopped at line " + row.line() + (hopeless ? " (" + failure.getMessage() + ")" : "");
                break;
            }
        }
        if (cli.jsonOutput()) {
            cli.printJson(report);
        } else {
            cli.out().println(rows.size() + " rows: " + applied + " applied, " + failedLines.size() + " failed"
                    + (rows.size() > sent ? ", " + (rows.size() - sent) + " not sent" : ""));
        }
        if (failedLines.isEmpty()) {
            return Exit.OK;
        }
        final String lines = "line" + (failedLines.size() == 1 ? " " : "s ") + joined(failedLines);
        throw new CliFailure(firstFailure, stopped != null
                ? file + ": " + stopped + "; applied before it: " + applied + ", not sent: " + (rows.size() - sent)
                : file + ": " + failedLines.size() + " of " + rows.size() + " rows failed (" + lines + "); the others were"
                        + " applied");
    }

    /** Rows per batch request: the endpoint's most. */
    static final int BATCH = 1_000;

    /** Sends the rows in batches of consecutive rows with the same note; each row's answer, in a map by row. */
    private java.util.Map<Prepared, AdminClient.Answer> sendBatches(final List<Prepared> rows) {
        final java.util.Map<Prepared, AdminClient.Answer> answers = new java.util.IdentityHashMap<>();
        int from = 0;
        while (from < rows.size()) {
            int to = from + 1;
            while (to < rows.size() && to - from < BATCH && rows.get(to).note().equals(rows.get(from).note())) {
                to++;
            }
            final ObjectNode body = cli.object();
            body.put("requestId", cli.newRequestId());
            if (!rows.get(from).note().isEmpty()) {
                body.put("note", rows.get(from).note());
            }
            final ArrayNode items = body.putArray("items");
            for (int i = from; i < to; i++) {
                items.add(rows.get(i).fields());
            }
            final AdminClient.Answer answer = cli.client().post("/v1/batch/" + type, body, cli.session().token(), true);
            if (!answer.ok()) {
                // The whole batch was refused before anything was published (a bad row, no session): every row
                // of it gets that answer.
                for (int i = from; i < to; i++) {
                    answers.put(rows.get(i), answer);
                }
            } else {
                final JsonNode results = answer.body().path("results");
                for (int i = from; i < to; i++) {
                    final JsonNode result = results.get(i - from);
                    answers.put(rows.get(i), new AdminClient.Answer(result.path("status").asInt(500), result,
                            answer.attempts()));
                }
            }
            from = to;
        }
        return answers;
    }

    private static String joined(final List<Integer> lines) {
        final List<String> text = new ArrayList<>();
        for (int i = 0; i < lines.size() && i < 10; i++) {
            text.add(Integer.toString(lines.get(i)));
        }
        return String.join(", ", text) + (lines.size() > 10 ? ", ..." : "");
    }

    /** Every row read and checked; any problem is bad input naming its line and column, and nothing is sent. */
    private List<Prepared> prepare(final Path file, final ObjectNode defaults, final String defaultNote) {
        final List<Csv.Row> rows = Csv.read(file);
        final Map<String, Column> byName = new LinkedHashMap<>();
        for (final Column column : columns) {
            byName.put(column.field(), column);
        }
        if (!rows.isEmpty()) {
            for (final String header : rows.get(0).cells().keySet()) {
                final String field = ALIASES.getOrDefault(header, header);
                if (!byName.containsKey(field) && !header.equals("note")) {
                    throw CliFailure.badInput(file + ": column '" + header + "' is no field of " + type + "; the columns"
                            + " are " + String.join(", ", byName.keySet()) + " and note");
                }
            }
        }
        if (rows.isEmpty()) {
            throw CliFailure.badInput(file + " has a header but no rows");
        }
        final List<String> problems = new ArrayList<>();
        final List<Prepared> prepared = new ArrayList<>();
        for (final Csv.Row row : rows) {
            final ObjectNode fields = defaults.deepCopy();
            final List<String> unreadable = new ArrayList<>();
            String note = defaultNote;
            for (final Map.Entry<String, String> cell : row.cells().entrySet()) {
                if (cell.getValue().isEmpty()) {
                    continue;
                }
                if (cell.getKey().equals("note")) {
                    note = cell.getValue();
                    continue;
                }
                final Column column = byName.get(ALIASES.getOrDefault(cell.getKey(), cell.getKey()));
                try {
                    fields.set(column.field(), column.parse(cell.getValue()));
                } catch (final IllegalArgumentException e) {
                    problems.add("line " + row.line() + ", " + cell.getKey() + ": " + e.getMessage());
                    unreadable.add(column.field());
                }
            }
            for (final Column column : columns) {
                if (column.required() && !fields.has(column.field()) && !unreadable.contains(column.field())) {
                    final String option = PrepaidAdmin.optionFor(column.field(), caller);
                    problems.add("line " + row.line() + ": no " + column.field() + " (a " + column.field() + " column"
                            + (option == null ? "" : ", or " + option) + ")");
                }
            }
            prepared.add(new Prepared(row.line(), fields, note));
        }
        if (!problems.isEmpty()) {
            throw CliFailure.badInput(file + ": " + String.join("; ", problems.subList(0, Math.min(ERRORS_SHOWN,
                    problems.size()))) + (problems.size() > ERRORS_SHOWN ? "; and " + (problems.size() - ERRORS_SHOWN)
                    + " more" : "") + "; nothing was sent");
        }
        return prepared;
    }
}
