package dev.prepaid.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Merchant settlement and payouts as an operator's workflow (docs/payout-files.md): a finance operator prepares the
 * day's batch, a second one approves it — the switch then writes the batch's payout files on its host — and the
 * bank's result file is imported. The ledger decides every step; these commands say what it answered.
 */
final class SettlementCommands {
    private SettlementCommands() {
    }

    private static final List<String> COLUMNS = List.of("id", "state", "preparedDate", "preparedBy", "decidedBy", "lines",
            "total", "receivableNetted", "sent", "paid", "failed", "filesRecorded", "collectionTotal");
    private static final List<String> LINE_COLUMNS = List.of("line", "merchantId", "net", "receivableNetted", "state",
            "bankReference", "payeeAccount", "payeeName", "payeeChangedSince", "collection", "collectionState",
            "collectionReference");
    private static final List<String> FILE_COLUMNS = List.of("name", "sha256", "size", "written", "path");

    @Command(name = "settlement", mixinStandardHelpOptions = true, description = "Merchant settlement batches:"
            + " prepare, list, show, approve, reject.",
            subcommands = {Prepare.class, ListAll.class, Show.class, Approve.class, Reject.class, Collected.class})
    static final class Settlement {
    }

    @Command(name = "prepare", description = "Computes today's merchant payouts into a settlement batch"
            + " (PREPARE_SETTLEMENT) that waits for a second finance operator. Each line keeps its merchant's bank"
            + " details as they are now: a later merchant update does not redirect it.",
            footer = {"", "Example:", "  prepaid-admin settlement prepare --note 'payouts of 2026-11-24'"})
    static final class Prepare extends Action.Write {
        @Override
        public Integer call() {
            return apply("PREPARE_SETTLEMENT", fields());
        }
    }

    @Command(name = "list", description = "Lists the settlement batches the switch keeps, oldest first: state, who"
            + " prepared and decided, totals, line states, whether its payout files are recorded.",
            footer = {"", "Example:", "  prepaid-admin settlement list --all", "  prepaid-admin --json settlement list"})
    static final class ListAll extends Action.Lister {
        @Override
        public Integer call() {
            return list("/v1/settlements", "", page, COLUMNS);
        }
    }

    @Command(name = "show", description = "Shows one batch: its lines (net paid, receivable netted, state, the bank's"
            + " reference, the payee the batch froze and whether the merchant changed its details since), its payout"
            + " files, and the merchants held now under risk review.",
            footer = {"", "Example:", "  prepaid-admin settlement show 7"})
    static final class Show extends Action {
        @Parameters(index = "0", paramLabel = "ID", description = "the batch's id ('settlement list')")
        long id;

        @Override
        public Integer call() {
            final JsonNode batch = read("/v1/settlements/" + id);
            if (cli().jsonOutput()) {
                cli().printJson(batch);
                return Exit.OK;
            }
            final ObjectNode head = batch.deepCopy();
            head.remove("lines");
            head.remove("heldNow");
            Output.keyValues(cli().out(), head, "");
            cli().out().println();
            final List<JsonNode> lines = new ArrayList<>();
            batch.path("lines").forEach(lines::add);
            Output.table(cli().out(), LINE_COLUMNS, lines);
            if (!batch.path("heldNow").isEmpty()) {
                cli().out().println();
                cli().out().println("held now (not in any batch while under review):");
                final List<JsonNode> held = new ArrayList<>();
                batch.path("heldNow").forEach(held::add);
                Output.table(cli().out(), List.of("merchantId", "name", "payable", "receivable", "why"), held);
            }
            return Exit.OK;
        }
    }

    /** Approve or reject: the batch's id is the pending request's. */
    abstract static class Decide extends Action.Write {
        @Parameters(index = "0", paramLabel = "ID", description = "the batch's id ('settlement list')")
        long id;
    }

    @Command(name = "approve", description = "Approves a batch another finance operator prepared (APPROVE): its"
            + " money goes to clearing in transit and the switch writes its payout files (pain.001 and the neutral"
            + " file) in admin.payoutFiles on its host, listed here. The operator who prepared it may not (exit code"
            + " 4, the ledger's APPROVER_IS_MAKER). Should the files fail, the approval stands: 'payout export ID'.",
            footer = {"", "Example:", "  prepaid-admin settlement approve 7"})
    static final class Approve extends Decide {
        @Override
        public Integer call() {
            final ObjectNode f = fields();
            f.put("pendingId", id);
            final JsonNode answer = applied("APPROVE", f, null);
            cli().printApplied(answer);
            if (cli().jsonOutput()) {
                return Exit.OK;
            }
            if (answer.has("payoutFiles")) {
                printFiles(cli(), answer.get("payoutFiles"));
                return Exit.OK;
            }
            if (answer.has("payoutFilesError")) {
                cli().err().println("the payout files were not written: "
                        + answer.get("payoutFilesError").path("message").asText() + "; run 'prepaid-admin payout export "
                        + id + "' once that is fixed");
                return Exit.REFUSED;
            }
            return Exit.OK;
        }
    }

    @Command(name = "reject", description = "Rejects a prepared batch (REJECT): nothing of it is paid; prepare again.",
            footer = {"", "Example:", "  prepaid-admin settlement reject 7 --note 'merchant 888310048990001 disputed'"})
    static final class Reject extends Decide {
        @Override
        public Integer call() {
            final ObjectNode f = fields();
            f.put("pendingId", id);
            return apply("REJECT", f);
        }
    }

    @Command(name = "collected", description = "Books the bank's answer to the collection of recharge cash from a"
            + " merchant whose contract settles recharges apart (RECORD_COLLECTION_RESULT): received into custody, or"
            + " with --failed owed again (collected by the next batch).",
            footer = {"", "Example:", "  prepaid-admin settlement collected 7 888310048990001 --reference B20261125-0042"})
    static final class Collected extends Action.Write {
        @Parameters(index = "0", paramLabel = "ID", description = "the batch's id ('settlement list')")
        long id;

        @Parameters(index = "1", paramLabel = "MERCHANT_ID")
        String merchantId;

        @Option(names = "--reference", required = true, paramLabel = "REF", description = "the bank's reference of the"
                + " transfer (at most 64 characters)")
        String reference;

        @Option(names = "--failed", description = "the merchant's money did not arrive")
        boolean failed;

        @Override
        public Integer call() {
            final ObjectNode f = fields();
            f.put("settlementId", id);
            f.put("merchantId", merchantId);
            f.put("success", !failed);
            f.put("bankReference", reference);
            return apply("RECORD_COLLECTION_RESULT", f);
        }
    }

    static void printFiles(final PrepaidAdmin cli, final JsonNode files) {
        cli.out().println("payout files of settlement " + files.path("settlementId").asLong() + " ("
                + files.path("payouts").asInt() + " payouts, " + Output.yuan(files.path("total").asLong())
                + " yuan, created " + files.path("createdAt").asText() + "):");
        final List<JsonNode> rows = new ArrayList<>();
        files.path("files").forEach(rows::add);
        Output.table(cli.out(), FILE_COLUMNS, rows);
    }

    // ------------------------------------------------------------------ payout files and results

    @Command(name = "payout", mixinStandardHelpOptions = true, description = "The payout files of an approved"
            + " settlement batch and the bank's result file.", subcommands = {FileList.class, Export.class, Results.class})
    static final class Payout {
    }

    @Command(name = "files", description = "The payout files recorded for a batch: names, SHA-256, creation time and"
            + " who made them (as the journal has them). 'payout export' lists their paths.",
            footer = {"", "Example:", "  prepaid-admin payout files 7"})
    static final class FileList extends Action {
        @Parameters(index = "0", paramLabel = "ID")
        long id;

        @Override
        public Integer call() {
            final JsonNode batch = read("/v1/settlements/" + id);
            final JsonNode files = batch.path("files");
            if (files.isMissingNode() || files.isNull()) {
                throw new CliFailure(Exit.NOT_FOUND, "settlement " + id + " (" + batch.path("state").asText() + ") has"
                        + " no payout files recorded" + ("APPROVED".equals(batch.path("state").asText())
                        ? "; write them with 'prepaid-admin payout export " + id + "'" : ": only an approved batch has"));
            }
            return show(files);
        }
    }

    @Command(name = "export", description = "Writes an approved batch's payout files again, on the switch's host"
            + " (POST /v1/settlements/ID/export): the same bytes as recorded — a file already there is left as it is,"
            + " a missing one written — so the bank never sees a second payment. Journaled (RECORD_PAYOUT_FILES).",
            footer = {"", "Example:", "  prepaid-admin payout export 7"})
    static final class Export extends Action.Write {
        @Parameters(index = "0", paramLabel = "ID")
        long id;

        @Override
        public Integer call() {
            final PrepaidAdmin cli = cli();
            final ObjectNode body = cli.object();
            body.put("requestId", cli.newRequestId());
            if (!note.isEmpty()) {
                body.put("note", note);
            }
            final JsonNode answer = post(cli, "/v1/settlements/" + id + "/export", body);
            if (cli.jsonOutput()) {
                cli.printJson(answer);
            } else {
                printFiles(cli, answer);
            }
            return Exit.OK;
        }
    }

    @Command(name = "results", description = "Imports the bank's result file of a batch (POST"
            + " /v1/settlements/ID/results; its format: docs/payout-files.md): one RECORD_PAYOUT_RESULT per line — a"
            + " paid payout leaves custody, a failed one is owed to its merchant again. A file with any problem books"
            + " nothing: each problem is printed with its line number (exit code 2). A file already imported finds"
            + " nothing waiting (exit code 1).",
            footer = {"", "Example:", "  prepaid-admin payout results 7 --file bank-result-20261125.csv"})
    static final class Results extends Action.Write {
        @Parameters(index = "0", paramLabel = "ID")
        long id;

        @Option(names = "--file", required = true, paramLabel = "FILE", description = "the bank's result file, as"
                + " the bank sent it (UTF-8, one line per payout)")
        Path file;

        @Override
        public Integer call() {
            final PrepaidAdmin cli = cli();
            final byte[] content;
            try {
                content = Files.readAllBytes(file);
            } catch (final IOException e) {
                throw new CliFailure(Exit.BAD_INPUT, "cannot read " + file + ": " + e.getMessage());
            }
            final ObjectNode body = cli.object();
            body.put("requestId", cli.newRequestId());
            if (!note.isEmpty()) {
                body.put("note", note);
            }
            // The bytes as they are: the switch checks the encoding, the line ends and the byte order mark.
            body.put("fileBase64", Base64.getEncoder().encodeToString(content));
            final AdminClient.Answer answer = cli.client().post("/v1/settlements/" + id + "/results", body,
                    cli.session().token(), true);
            if ("RESULT_FILE_PROBLEMS".equals(answer.error())) {
                if (cli.jsonOutput()) {
                    cli.printJson(answer.body());
                } else {
                    cli.err().println(file + ": " + answer.body().path("message").asText());
                    for (final JsonNode p : answer.body().path("problems")) {
                        cli.err().println("  line " + p.path("line").asInt() + ": " + p.path("message").asText());
                    }
                }
                return Exit.BAD_INPUT;
            }
            if (!answer.ok() && !answer.body().has("results")) {
                throw cli.fail(answer, spec);
            }
            if (cli.jsonOutput()) {
                cli.printJson(answer.body());
            } else {
                final JsonNode b = answer.body();
                cli.out().println("settlement " + id + ": " + b.path("booked").asInt() + " of " + b.path("lines").asInt()
                        + " results booked, " + b.path("refused").asInt() + " refused"
                        + (b.path("unanswered").isEmpty() ? "" : "; still waiting: " + b.path("unanswered")));
                final List<JsonNode> rows = new ArrayList<>();
                b.path("results").forEach(rows::add);
                Output.table(cli.out(), List.of("line", "merchantId", "status", "amount", "bankReference", "result",
                        "error"), rows);
            }
            return answer.ok() ? Exit.OK : Exit.REFUSED;
        }
    }

    private static JsonNode post(final PrepaidAdmin cli, final String path, final ObjectNode body) {
        final AdminClient.Answer answer = cli.client().post(path, body, cli.session().token(), true);
        if (!answer.ok()) {
            throw cli.fail(answer, null);
        }
        return answer.body();
    }
}
