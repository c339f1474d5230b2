package dev.prepaid.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A business day's clearing figures and its reconciliation (docs/operations.md, "Clearing"): the switch clears each
 * day after its cut-over by itself; these commands show the figures, clear a day again, and show or redo the
 * reconciliation — which, when it fails, holds settlement until the day reconciles or finance accepts it.
 */
final class ClearingCommands {
    private ClearingCommands() {
    }

    private static final List<String> ROW_COLUMNS = List.of("id", "purchases", "purchaseAmount", "completions",
            "completionAmount", "refunds", "refundAmount", "recharges", "rechargeAmount", "rechargeCommission", "voids",
            "reversals", "declines", "fees", "deployerShare", "discounts", "points", "net");
    private static final List<String> TERMINAL_COLUMNS = List.of("id", "merchantId", "deployer", "purchases",
            "purchaseAmount", "refunds", "refundAmount", "recharges", "rechargeAmount", "rechargeCommission", "voids", "reversals",
            "declines", "batchesSettled",
            "fees", "deployerShare", "net");
    private static final List<String> CARD_COLUMNS = List.of("cardType", "cardsSold", "faceValue", "deposits",
            "counterRecharges", "counterRechargeAmount", "posRecharges", "posRechargeAmount", "issuancesCancelled");
    private static final List<String> CHECK_COLUMNS = List.of("name", "ok", "detail");
    private static final List<String> BATCH_COLUMNS = List.of("terminalId", "batch", "terminalDebitCount",
            "terminalDebitAmount", "ledgerDebitCount", "ledgerDebitAmount", "terminalCreditCount", "terminalCreditAmount",
            "ledgerCreditCount", "ledgerCreditAmount");

    @Command(name = "clearing", mixinStandardHelpOptions = true, description = "A business day's clearing figures:"
            + " run, show, list.", subcommands = {Run.class, Show.class, ListDays.class})
    static final class Clearing {
    }

    @Command(name = "reconciliation", mixinStandardHelpOptions = true, description = "The reconciliation of cleared"
            + " days and whether settlement is held: show, run, accept.", subcommands = {ShowReconciliation.class,
                RunReconciliation.class, Accept.class})
    static final class Reconciliation {
    }

    @Command(name = "run", description = "Clears a past business day again (POST /v1/clearing/DATE): the switch replays"
            + " the day's journal through the ledger, rewrites its figures file and reconciles the day, recording the"
            + " result in the journal. Exit code 1 when the day does not reconcile (settlement stays held), 3 when the"
            + " journal has no such closed day.",
            footer = {"", "Example:", "  prepaid-admin clearing run 2026-11-24"})
    static final class Run extends Action {
        @Parameters(index = "0", paramLabel = "DATE", converter = Inputs.IsoDate.class, description = "the business"
                + " date, 2026-11-24")
        String date;

        @Override
        public Integer call() {
            final PrepaidAdmin cli = cli();
            final AdminClient.Answer answer = cli.client().post("/v1/clearing/" + date, cli.object(),
                    cli.session().token(), false);
            if (!answer.ok()) {
                throw cli.fail(answer, spec);
            }
            return printReport(cli, answer.body());
        }
    }

    @Command(name = "show", description = "Shows a cleared day's figures (GET /v1/clearing/DATE): the day's totals, its"
            + " merchants, and with --terminals (or --terminal) its terminals; deployers and card types for an operator"
            + " who sees every merchant. A merchant's own user sees only its merchant.",
            footer = {"", "Example:", "  prepaid-admin clearing show 2026-11-24",
                "  prepaid-admin clearing show 2026-11-24 --merchant 888310048990001 --terminals",
                "  prepaid-admin --json clearing show 2026-11-24 --all"})
    static final class Show extends Action.Lister {
        @Parameters(index = "0", paramLabel = "DATE", converter = Inputs.IsoDate.class)
        String date;

        @Option(names = "--merchant", paramLabel = "ID", description = "only this merchant and its terminals")
        String merchant;

        @Option(names = "--terminal", paramLabel = "ID", description = "only this terminal")
        String terminal;

        @Option(names = "--terminals", description = "list the terminals too")
        boolean terminals;

        @Override
        public Integer call() {
            final StringBuilder query = new StringBuilder();
            if (merchant != null) {
                query.append("&merchant=").append(java.net.URLEncoder.encode(merchant, java.nio.charset.StandardCharsets.UTF_8));
            }
            if (terminal != null) {
                query.append("&terminal=").append(java.net.URLEncoder.encode(terminal, java.nio.charset.StandardCharsets.UTF_8));
            }
            final List<JsonNode> merchants = new ArrayList<>();
            final List<JsonNode> terminalRows = new ArrayList<>();
            JsonNode first = null;
            int from = page.from;
            boolean more;
            do {
                final JsonNode figures = read("/v1/clearing/" + date + "?from=" + from + "&limit=" + page.limit + query);
                first = first == null ? figures : first;
                figures.path("merchants").path("items").forEach(merchants::add);
                figures.path("terminals").path("items").forEach(terminalRows::add);
                final int next = Math.max(figures.path("merchants").path("next").asInt(-1),
                        figures.path("terminals").path("next").asInt(-1));
                more = page.all && next > 0;
                from = next;
            } while (more);
            final PrepaidAdmin cli = cli();
            if (cli.jsonOutput()) {
                final ObjectNode all = first.deepCopy();
                ((ObjectNode) all.path("merchants")).set("items", cli.object().arrayNode().addAll(merchants));
                ((ObjectNode) all.path("terminals")).set("items", cli.object().arrayNode().addAll(terminalRows));
                cli.printJson(all);
                return Exit.OK;
            }
            final ObjectNode head = cli.object();
            for (final String key : new String[] {"date", "feesPosted", "commands", "unattributedDeclines"}) {
                if (first.has(key)) {
                    head.set(key, first.get(key));
                }
            }
            Output.keyValues(cli.out(), head, "");
            cli.out().println();
            cli.out().println("totals:");
            Output.keyValues(cli.out(), first.path("totals"), "  ");
            cli.out().println();
            cli.out().println("merchants:");
            Output.table(cli.out(), ROW_COLUMNS, merchants);
            if (terminals || terminal != null) {
                cli.out().println();
                cli.out().println("terminals:");
                Output.table(cli.out(), TERMINAL_COLUMNS, terminalRows);
            }
            if (first.has("deployers") && !first.path("deployers").isEmpty()) {
                cli.out().println();
                cli.out().println("deployers:");
                Output.table(cli.out(), ROW_COLUMNS, first.path("deployers"));
            }
            if (first.has("cardTypes") && !first.path("cardTypes").isEmpty()) {
                cli.out().println();
                cli.out().println("card types:");
                Output.table(cli.out(), CARD_COLUMNS, first.path("cardTypes"));
            }
            final int next = Math.max(first.path("merchants").path("next").asInt(-1),
                    first.path("terminals").path("next").asInt(-1));
            if (!page.all && next > 0) {
                cli.out().println("(more: --from " + next + ", or --all)");
            }
            return Exit.OK;
        }
    }

    @Command(name = "list", description = "Lists the days with clearing figures, newest first, and whether each"
            + " reconciled.", footer = {"", "Example:", "  prepaid-admin clearing list --limit 31"})
    static final class ListDays extends Action.Lister {
        @Override
        public Integer call() {
            return list("/v1/clearing", "", page, List.of("date", "reconciled"));
        }
    }

    @Command(name = "show", description = "Without a date: the days whose failed reconciliation holds settlement, and"
            + " each cleared day's reconciliation (GET /v1/reconciliation). With one: that day's checks and the terminal"
            + " batches that disagreed (GET /v1/reconciliation/DATE).",
            footer = {"", "Example:", "  prepaid-admin reconciliation show", "  prepaid-admin reconciliation show 2026-11-24"})
    static final class ShowReconciliation extends Action.Lister {
        @Parameters(index = "0", arity = "0..1", paramLabel = "DATE", converter = Inputs.IsoDate.class)
        String date;

        @Override
        public Integer call() {
            final PrepaidAdmin cli = cli();
            if (date != null) {
                final JsonNode report = read("/v1/reconciliation/" + date);
                if (cli.jsonOutput()) {
                    cli.printJson(report);
                    return Exit.OK;
                }
                printChecks(cli, report);
                return Exit.OK;
            }
            final JsonNode all = read("/v1/reconciliation?from=" + page.from + "&limit=" + page.limit);
            if (cli.jsonOutput()) {
                cli.printJson(all);
                return Exit.OK;
            }
            final List<String> held = new ArrayList<>();
            all.path("heldDays").forEach(d -> held.add(d.asText()));
            cli.out().println(held.isEmpty() ? "settlement: not held" : "settlement: HELD by the reconciliation of "
                    + String.join(", ", held));
            cli.out().println();
            Output.table(cli.out(), List.of("date", "balanced", "held", "summary"), all.path("days").path("items"));
            if (all.path("days").path("next").asInt(-1) > 0) {
                cli.out().println("(more: --from " + all.path("days").path("next").asInt() + ")");
            }
            return Exit.OK;
        }
    }

    @Command(name = "run", description = "Reconciles a cleared day again (POST /v1/reconciliation/DATE) against its"
            + " figures file as stored, without rewriting it: a file changed since it was written fails the check"
            + " 'figuresFile'. Exit code 1 when the day does not reconcile.",
            footer = {"", "Example:", "  prepaid-admin reconciliation run 2026-11-24"})
    static final class RunReconciliation extends Action {
        @Parameters(index = "0", paramLabel = "DATE", converter = Inputs.IsoDate.class)
        String date;

        @Override
        public Integer call() {
            final PrepaidAdmin cli = cli();
            final AdminClient.Answer answer = cli.client().post("/v1/reconciliation/" + date, cli.object(),
                    cli.session().token(), false);
            if (!answer.ok()) {
                throw cli.fail(answer, spec);
            }
            return printReport(cli, answer.body());
        }
    }

    @Command(name = "accept", description = "Finance accepts a day whose reconciliation failed, once the difference is"
            + " understood (RECORD_RECONCILIATION with balanced = true; the note says why, and is journaled): the day no"
            + " longer holds settlement.",
            footer = {"", "Example:", "  prepaid-admin reconciliation accept 2026-11-24 --note 'batch 12 of 20000002"
                + " uploaded and checked'"})
    static final class Accept extends Action.Write {
        @Parameters(index = "0", paramLabel = "DATE", converter = Inputs.IsoDate.class)
        String date;

        @Override
        public Integer call() {
            if (note.isBlank()) {
                throw CliFailure.badInput("--note is required: say why the difference is accepted");
            }
            final ObjectNode fields = fields();
            fields.put("businessDate", Integer.parseInt(date.replace("-", "")));
            fields.put("balanced", true);
            fields.put("summary", note.length() > 200 ? note.substring(0, 200) : note);
            return apply("RECORD_RECONCILIATION", fields);
        }
    }

    private static int printReport(final PrepaidAdmin cli, final JsonNode report) {
        if (cli.jsonOutput()) {
            cli.printJson(report);
        } else {
            printChecks(cli, report);
        }
        if (!report.path("balanced").asBoolean()) {
            cli.err().println(report.path("date").asText() + " does not reconcile: " + report.path("summary").asText()
                    + "; settlement is held (prepaid-admin reconciliation accept, docs/operations.md)");
            return Exit.REFUSED;
        }
        return Exit.OK;
    }

    private static void printChecks(final PrepaidAdmin cli, final JsonNode report) {
        final ObjectNode head = cli.object();
        for (final String key : new String[] {"date", "balanced", "held", "replayed", "millis"}) {
            if (report.has(key)) {
                head.set(key, report.get(key));
            }
        }
        Output.keyValues(cli.out(), head, "");
        cli.out().println();
        Output.table(cli.out(), CHECK_COLUMNS, report.path("checks"));
        if (!report.path("batches").isEmpty()) {
            cli.out().println();
            cli.out().println("batches that disagree:");
            Output.table(cli.out(), BATCH_COLUMNS, report.path("batches"));
        }
    }
}
