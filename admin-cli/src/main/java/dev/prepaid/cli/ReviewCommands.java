package dev.prepaid.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What auditors and risk officers read and decide: the audit trail, the risk review queue (confirm or clear each
 * flag), and the blacklist terminals download.
 */
final class ReviewCommands {
    private ReviewCommands() {
    }

    private static String encode(final String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Reads newest-first pages with a {@code before} cursor until {@code limit} items or the end. */
    static List<JsonNode> pages(final Action action, final String path, final String query, final int limit) {
        final List<JsonNode> items = new ArrayList<>();
        long before = -1;
        while (items.size() < limit) {
            final int page = Math.min(500, limit - items.size());
            final JsonNode answer = action.read(path + "?limit=" + page + query + (before >= 0 ? "&before=" + before : ""));
            answer.path("items").forEach(items::add);
            before = answer.path("next").asLong(-1);
            if (before < 0 || answer.path("items").isEmpty()) {
                break;
            }
        }
        return items;
    }

    static int print(final Action action, final List<JsonNode> items, final List<String> columns) {
        final PrepaidAdmin cli = action.cli();
        if (cli.jsonOutput()) {
            final ObjectNode body = cli.object();
            final ArrayNode array = body.putArray("items");
            items.forEach(array::add);
            cli.printJson(body);
        } else {
            Output.table(cli.out(), columns, items);
        }
        return Exit.OK;
    }

    @Command(name = "audit", description = "Reads the audit trail (GET /v1/audit): who decided what, approved or"
            + " refused with the reason, newest first. Filters combine with 'and'.",
            footer = {"", "Example:", "  prepaid-admin audit --operator clerk --result refused",
                "  prepaid-admin audit --target 8888000100000017 --from 2026-12-01 --to 2026-12-07",
                "  prepaid-admin audit --command APPROVE --limit 20"})
    static final class Audit extends Action {
        @Option(names = "--operator", paramLabel = "ID", description = "the operator (system: the switch's own)")
        String operator;

        @Option(names = "--target", paramLabel = "ID", description = "a card number, merchant, terminal, operator or"
                + " request id")
        String target;

        @Option(names = "--command", paramLabel = "TYPE", description = "a command name (prepaid-admin commands)")
        String command;

        @Option(names = "--from", paramLabel = "DATE", description = "business date yyyy-mm-dd, included")
        String from;

        @Option(names = "--to", paramLabel = "DATE", description = "business date yyyy-mm-dd, included")
        String to;

        @Option(names = "--result", paramLabel = "approved|refused")
        String result;

        @Option(names = "--limit", paramLabel = "N", description = "at most this many entries (default 50)")
        int limit = 50;

        @Override
        public Integer call() {
            if (limit < 1 || limit > 100_000) {
                throw CliFailure.badInput("--limit is 1..100000, not " + limit);
            }
            if (result != null && !result.equals("approved") && !result.equals("refused")) {
                throw CliFailure.badInput("--result is approved or refused, not '" + result + "'");
            }
            for (final String date : new String[] {from, to}) {
                if (date != null && !date.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}")) {
                    throw CliFailure.badInput("--from and --to are dates yyyy-mm-dd, not '" + date + "'");
                }
            }
            final StringBuilder query = new StringBuilder();
            append(query, "operator", operator);
            append(query, "target", target);
            append(query, "command", command);
            append(query, "from", from);
            append(query, "to", to);
            append(query, "result", result);
            return print(this, pages(this, "/v1/audit", query.toString(), limit), List.of("journalSequence", "timestamp",
                    "operator", "command", "target", "result", "reason", "duplicate"));
        }

        private static void append(final StringBuilder query, final String name, final String value) {
            if (value != null) {
                query.append('&').append(name).append('=').append(encode(value));
            }
        }
    }

    @Command(name = "risk", mixinStandardHelpOptions = true, description = "The risk review queue: flagged"
            + " transactions and counter sales, and an operator's decision on each.",
            subcommands = {Risk.ListFlags.class, Risk.Confirm.class, Risk.Clear.class})
    static final class Risk {
        @Command(name = "list", description = "Lists flagged entries, newest first (GET /v1/risk).",
                footer = {"", "Example:", "  prepaid-admin risk list --state open"})
        static final class ListFlags extends Action {
            @Option(names = "--state", paramLabel = "open|confirmed|cleared")
            String state;

            @Option(names = "--limit", paramLabel = "N", description = "at most this many (default 50)")
            int limit = 50;

            @Override
            public Integer call() {
                if (state != null && !List.of("open", "confirmed", "cleared").contains(state)) {
                    throw CliFailure.badInput("--state is open, confirmed or cleared, not '" + state + "'");
                }
                if (limit < 1 || limit > 100_000) {
                    throw CliFailure.badInput("--limit is 1..100000, not " + limit);
                }
                return print(this, pages(this, "/v1/risk", state == null ? "" : "&state=" + state, limit),
                        List.of("id", "flaggedDate", "source", "flags", "state", "card", "amount", "terminalId",
                                "decidedBy"));
            }
        }

        @Command(name = "confirm", description = "Confirms a flag as fraud or suspicious (CONFIRM_FLAG);"
                + " --freeze-card also freezes its card.",
                footer = {"", "Example:", "  prepaid-admin risk confirm 17 --freeze-card --note 'card skimmed'"})
        static final class Confirm extends Action.Write {
            @Parameters(index = "0", paramLabel = "ID", description = "the entry's id (risk list)")
            long entryId;

            @Option(names = "--freeze-card", description = "freeze the entry's card in the same step")
            boolean freezeCard;

            @Override
            public Integer call() {
                final ObjectNode f = fields();
                f.put("entryId", entryId);
                f.put("freezeCard", freezeCard);
                return apply("CONFIRM_FLAG", f);
            }
        }

        @Command(name = "clear", description = "Clears a flag as a false alarm (CLEAR_FLAG).",
                footer = {"", "Example:", "  prepaid-admin risk clear 18 --note 'known corporate buyer'"})
        static final class Clear extends Action.Write {
            @Parameters(index = "0", paramLabel = "ID", description = "the entry's id (risk list)")
            long entryId;

            @Override
            public Integer call() {
                final ObjectNode f = fields();
                f.put("entryId", entryId);
                return apply("CLEAR_FLAG", f);
            }
        }
    }

    @Command(name = "blacklist", mixinStandardHelpOptions = true, description = "The list of cards terminals must"
            + " refuse.", subcommands = Blacklist.Export.class)
    static final class Blacklist {
        /** First line of an exported blacklist: the format's name and version. */
        static final String HEADER = "# prepaid blacklist v1";

        @Command(name = "export", description = "Writes the blacklist terminals download (GET /v1/blacklist, every"
                + " page): a line '" + HEADER + "', a line '# cards N', then one line per card 'PAN,STATUS' (LOST or"
                + " BLACKLISTED), in card order. To standard output, or to --out FILE (replaced whole).",
                footer = {"", "Example:", "  prepaid-admin blacklist export --out blacklist.txt"})
        static final class Export extends Action {
            @Option(names = "--out", paramLabel = "FILE", description = "write here instead of standard output")
            Path out;

            @Override
            public Integer call() {
                final List<String> lines = new ArrayList<>();
                long from = 0;
                do {
                    final JsonNode page = read("/v1/blacklist?from=" + from);
                    for (final JsonNode item : page.path("items")) {
                        lines.add(item.path("pan").asText() + "," + item.path("status").asText());
                    }
                    from = page.path("next").asLong(-1);
                } while (from >= 0);
                final StringBuilder text = new StringBuilder(HEADER).append('\n').append("# cards ").append(lines.size())
                        .append('\n');
                lines.forEach(line -> text.append(line).append('\n'));
                if (out == null) {
                    cli().out().print(text);
                    return Exit.OK;
                }
                try {
                    final Path temporary = Files.createTempFile(out.toAbsolutePath().getParent(), ".blacklist", ".tmp");
                    Files.writeString(temporary, text, StandardCharsets.US_ASCII);
                    Files.move(temporary, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                } catch (final IOException e) {
                    throw new CliFailure(Exit.BAD_INPUT, "cannot write " + out + ": " + e.getMessage());
                }
                cli().out().println("wrote " + lines.size() + " cards to " + out);
                return Exit.OK;
            }
        }
    }
}
