package dev.prepaid.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.prepaid.command.AdminCommand.CounterAccount;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Maker-checker: a manual adjustment or a balance transfer is only requested by one operator and applied when a
 * second one approves it; the requests waiting, and approving or rejecting one.
 */
@Command(name = "approvals", mixinStandardHelpOptions = true, description = "Requests waiting for a second operator.",
        subcommands = {ApprovalCommands.ListAll.class, ApprovalCommands.Show.class, ApprovalCommands.Approve.class,
            ApprovalCommands.Reject.class})
final class ApprovalCommands {
    private ApprovalCommands() {
    }

    private static final List<String> COLUMNS = List.of("id", "command", "maker", "createdDate", "state", "checker",
            "fields", "total");
    /** The most requests one read of GET /v1/approvals returns. */

    @Command(name = "adjust", description = "Requests a manual adjustment of a card's or a merchant's balance"
            + " (REQUEST_ADJUSTMENT): a credit (positive amount) or a debit (negative), against a counter account. It"
            + " is applied when another operator approves it ('approvals approve ID').",
            footer = {"", "Example:",
                "  prepaid-admin adjust --card 8888000100000017 --amount 20 --counter \\",
                "      PROMOTION_EXPENSE --note 'goodwill, complaint 88'",
                "  prepaid-admin adjust --merchant 888310048990001 --amount -3.50 --counter \\",
                "      FEE_INCOME"})
    static final class Adjust extends Action.Write {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;

        static final class Target {
            @Option(names = "--card", paramLabel = "PAN", description = "adjust this card's balance")
            String pan;

            @Option(names = "--merchant", paramLabel = "MERCHANT", description = "adjust this merchant's payable")
            String merchantId;
        }

        @Option(names = "--amount", required = true, paramLabel = "YUAN", converter = Inputs.SignedYuan.class,
                description = "positive: a credit; negative: a debit")
        long amount;

        @Option(names = "--counter", required = true, paramLabel = "ACCOUNT", description = "the other side:"
                + " ${COMPLETION-CANDIDATES} (a card: CUSTODY or PROMOTION_EXPENSE)")
        CounterAccount counter;

        @Override
        public Integer call() {
            final ObjectNode f = fields();
            f.put("target", target.pan != null ? "CARD" : "MERCHANT");
            f.put("targetId", target.pan != null ? target.pan : target.merchantId);
            f.put("amount", amount);
            f.put("counter", counter.storedName());
            return apply("REQUEST_ADJUSTMENT", f);
        }
    }

    @Command(name = "transfer", description = "Requests moving balance from one card to another"
            + " (REQUEST_BALANCE_TRANSFER; a replacement or a merge); applied when another operator approves it.",
            footer = {"", "Example:",
                "  prepaid-admin transfer --from 8888000100000033 --to 8888000100000017 \\",
                "      --amount 1.50"})
    static final class Transfer extends Action.Write {
        @Option(names = "--from", required = true, paramLabel = "PAN")
        String fromPan;

        @Option(names = "--to", required = true, paramLabel = "PAN")
        String toPan;

        @Option(names = "--amount", required = true, paramLabel = "YUAN", converter = Inputs.Yuan.class)
        long amount;

        @Override
        public Integer call() {
            final ObjectNode f = fields();
            f.put("fromPan", fromPan);
            f.put("toPan", toPan);
            f.put("amount", amount);
            return apply("REQUEST_BALANCE_TRANSFER", f);
        }
    }

    @Command(name = "list", description = "Lists the requests waiting for a second operator (with --all, also those"
            + " decided), oldest first.", footer = {"", "Example:", "  prepaid-admin approvals list"})
    static final class ListAll extends Action {
        @Option(names = "--all", description = "also the approved and rejected ones")
        boolean all;

        @Option(names = "--limit", paramLabel = "N", description = "at most this many, 1-500 (default 100)")
        int limit = 100;

        @Override
        public Integer call() {
            final JsonNode page = read("/v1/approvals?limit=" + limit + (all ? "&all=true" : ""));
            if (cli().jsonOutput()) {
                cli().printJson(page);
                return Exit.OK;
            }
            final List<JsonNode> rows = new ArrayList<>();
            for (final JsonNode item : page.path("items")) {
                final ObjectNode row = item.deepCopy();
                if (!"PREPARE_SETTLEMENT".equals(row.path("command").asText())) {
                    // only a settlement batch has a total; the endpoint shows 0 for the others
                    row.remove("total");
                }
                rows.add(row);
            }
            Output.table(cli().out(), COLUMNS, rows);
            return Exit.OK;
        }
    }

    @Command(name = "show", description = "Shows one request: what it asks, who made it, its state.",
            footer = {"", "Example:", "  prepaid-admin approvals show 17"})
    static final class Show extends Action {
        @Parameters(index = "0", paramLabel = "ID")
        long id;

        @Override
        public Integer call() {
            return show(read("/v1/approvals/" + id));
        }
    }

    /** Approve or reject: the request's id is its only field. */
    abstract static class Decide extends Action.Write {
        @Parameters(index = "0", paramLabel = "ID", description = "the request's id ('approvals list')")
        long pendingId;

        int decide(final String type) {
            final ObjectNode f = fields();
            f.put("pendingId", pendingId);
            return apply(type, f);
        }
    }

    @Command(name = "approve", description = "Approves a request another operator made (APPROVE): it is applied now."
            + " Adjustments and transfers are approved by a supervisor or finance, settlements by finance; never by"
            + " the operator who made the request (exit code 4).",
            footer = {"", "Example:", "  prepaid-admin approvals approve 17"})
    static final class Approve extends Decide {
        @Override
        public Integer call() {
            return decide("APPROVE");
        }
    }

    @Command(name = "reject", description = "Rejects a request (REJECT): nothing of it is applied.",
            footer = {"", "Example:", "  prepaid-admin approvals reject 17 --note 'wrong card'"})
    static final class Reject extends Decide {
        @Override
        public Integer call() {
            return decide("REJECT");
        }
    }
}
