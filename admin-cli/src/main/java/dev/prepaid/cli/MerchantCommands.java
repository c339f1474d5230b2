package dev.prepaid.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.prepaid.merchant.MerchantStatus;
import dev.prepaid.merchant.RefundFeePolicy;
import dev.prepaid.merchant.SettlementCycle;
import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Merchants: create, change, show, list, and put under risk review (payouts held). */
@Command(name = "merchant", mixinStandardHelpOptions = true, description = "Merchants and their settlement.",
        subcommands = {MerchantCommands.Create.class, MerchantCommands.Update.class, MerchantCommands.Show.class,
            MerchantCommands.ListAll.class, MerchantCommands.Review.class, MerchantCommands.RechargeSettlement.class})
final class MerchantCommands {
    private MerchantCommands() {
    }

    private static final List<String> COLUMNS = List.of("merchantId", "name", "category", "status", "cycle",
            "underReview", "payable", "receivable", "feesToday", "terminals");

    /** The fields of UPSERT_MERCHANT as options; null is "not given". */
    abstract static class MerchantOptions extends Action.Write {
        @Parameters(index = "0", paramLabel = "MERCHANT_ID", description = "the merchant id (POS field 42, 15"
                + " characters)")
        String merchantId;

        @Option(names = "--name", paramLabel = "NAME")
        String name;

        @Option(names = "--category", paramLabel = "MCC", description = "the 4-digit merchant category code")
        String category;

        @Option(names = "--status", paramLabel = "STATUS", description = "one of ${COMPLETION-CANDIDATES}")
        MerchantStatus status;

        @Option(names = "--cycle", paramLabel = "CYCLE", description = "settlement cycle, one of"
                + " ${COMPLETION-CANDIDATES}")
        SettlementCycle cycle;

        @Option(names = "--cycle-days", paramLabel = "N", description = "N of T+N (1 for T_PLUS_1); the weekday 1"
                + " (Monday)..7 of WEEKLY, the day of the month 1..31 of MONTHLY (or --payout-weekday, --payout-day)")
        Integer cycleDays;

        @Option(names = "--payout-weekday", paramLabel = "DAY", description = "the payout day of a WEEKLY cycle, one of"
                + " ${COMPLETION-CANDIDATES} (paid the next working day when it is not one)")
        DayOfWeek payoutWeekday;

        @Option(names = "--payout-day", paramLabel = "DAY", description = "the payout day of the month of a MONTHLY"
                + " cycle, 1..31 (a shorter month pays on its last day; the next working day when it is not one)")
        Integer payoutDay;

        @Option(names = "--threshold", paramLabel = "YUAN", converter = Inputs.Yuan.class, description = "the payable"
                + " that triggers a payout (THRESHOLD cycles)")
        Long threshold;

        @Option(names = "--refund-fee-policy", paramLabel = "POLICY", description = "what a refund does to the fee,"
                + " one of ${COMPLETION-CANDIDATES}")
        RefundFeePolicy refundFeePolicy;

        @Option(names = "--recharge-allowed", negatable = true, description = "whether its terminals may recharge"
                + " cards")
        Boolean rechargeAllowed;

        @Option(names = "--bank-account", paramLabel = "ACCOUNT", description = "the payout account number")
        String bankAccount;

        @Option(names = "--bank-account-name", paramLabel = "NAME")
        String bankAccountName;

        @Option(names = "--bank-name", paramLabel = "NAME")
        String bankName;

        @Option(names = "--cnaps", paramLabel = "CODE", description = "the bank's 12-digit CNAPS code")
        String cnaps;

        /** cycleDays from --cycle-days, --payout-weekday or --payout-day (one of them), else {@code base}'s. */
        private int cycleDays(final JsonNode base) {
            final int given = (cycleDays != null ? 1 : 0) + (payoutWeekday != null ? 1 : 0) + (payoutDay != null ? 1 : 0);
            if (given > 1) {
                throw CliFailure.badInput("give one of --cycle-days, --payout-weekday and --payout-day: each sets the"
                        + " cycle's day");
            }
            final String cycleName = cycle != null ? cycle.storedName() : base.path("cycle").asText();
            if (payoutWeekday != null && !SettlementCycle.WEEKLY.storedName().equals(cycleName)) {
                throw CliFailure.badInput("--payout-weekday is the day of a WEEKLY cycle; this merchant's cycle would be "
                        + cycleName);
            }
            if (payoutDay != null && !SettlementCycle.MONTHLY.storedName().equals(cycleName)) {
                throw CliFailure.badInput("--payout-day is the day of the month of a MONTHLY cycle; this merchant's cycle"
                        + " would be " + cycleName);
            }
            if (payoutWeekday != null) {
                return payoutWeekday.getValue();
            }
            if (payoutDay != null) {
                return payoutDay;
            }
            return cycleDays != null ? cycleDays : base.path("cycleDays").asInt();
        }

        /** The fields: the options given, else {@code base}'s value (another merchant's, or the defaults). */
        ObjectNode merged(final JsonNode base) {
            final ObjectNode f = fields();
            f.put("merchantId", merchantId);
            f.put("name", name != null ? name : base.path("name").asText(""));
            f.put("category", category != null ? category : base.path("category").asText(""));
            f.put("status", status != null ? status.storedName() : base.path("status").asText());
            f.put("cycle", cycle != null ? cycle.storedName() : base.path("cycle").asText());
            f.put("cycleDays", cycleDays(base));
            f.put("thresholdFen", threshold != null ? threshold : base.path("thresholdFen").asLong());
            f.put("refundFeePolicy", refundFeePolicy != null ? refundFeePolicy.storedName()
                    : base.path("refundFeePolicy").asText());
            f.put("rechargeAllowed", rechargeAllowed != null ? rechargeAllowed : base.path("rechargeAllowed").asBoolean());
            f.put("bankAccount", bankAccount != null ? bankAccount : base.path("bankAccount").asText(""));
            f.put("bankAccountName", bankAccountName != null ? bankAccountName : base.path("bankAccountName").asText(""));
            f.put("bankName", bankName != null ? bankName : base.path("bankName").asText(""));
            f.put("cnapsCode", cnaps != null ? cnaps : base.path("cnapsCode").asText(""));
            return f;
        }
    }

    @Command(name = "create", description = "Creates a merchant (UPSERT_MERCHANT). Defaults: --status ACTIVE, --cycle"
            + " T_PLUS_1 (--cycle-days 1), --threshold 0, --refund-fee-policy NONE, --no-recharge-allowed.",
            footer = {"", "Example:",
                "  prepaid-admin merchant create 898310048160001 --name 'Corner Books' \\",
                "      --category 5942 --bank-account 6222020200998877665 --bank-account-name \\",
                "      'Corner Books Ltd.' --bank-name 'ICBC Shanghai' --cnaps 102290000011"})
    static final class Create extends MerchantOptions {
        @Override
        public Integer call() {
            final List<String> missing = new ArrayList<>();
            for (final String[] required : new String[][] {{"--name", name}, {"--category", category},
                    {"--bank-account", bankAccount}, {"--bank-account-name", bankAccountName}, {"--bank-name", bankName},
                    {"--cnaps", cnaps}}) {
                if (required[1] == null) {
                    missing.add(required[0]);
                }
            }
            if (!missing.isEmpty()) {
                throw CliFailure.badInput("merchant create needs " + String.join(", ", missing) + "; see '"
                        + spec.qualifiedName() + " --help'");
            }
            // UPSERT_MERCHANT would silently replace a merchant of that id: create only creates.
            if (cli().readIfPresent("/v1/merchants/" + PrepaidAdmin.segment(merchantId), spec) != null) {
                throw new CliFailure(Exit.REFUSED, "merchant " + merchantId + " exists already: change it with"
                        + " 'merchant update'");
            }
            final ObjectNode defaults = fields();
            defaults.put("status", MerchantStatus.ACTIVE.storedName());
            defaults.put("cycle", SettlementCycle.T_PLUS_1.storedName());
            defaults.put("cycleDays", 1);
            defaults.put("thresholdFen", 0);
            defaults.put("refundFeePolicy", RefundFeePolicy.NONE.storedName());
            defaults.put("rechargeAllowed", false);
            return apply("UPSERT_MERCHANT", merged(defaults));
        }
    }

    @Command(name = "update", description = "Changes a merchant: the options given, the rest as it is"
            + " (UPSERT_MERCHANT, which writes the whole merchant; administrators read the payout account in full,"
            + " so it is kept).",
            footer = {"", "Example:", "  prepaid-admin merchant update 888310048990001 --status SUSPENDED"})
    static final class Update extends MerchantOptions {
        @Override
        public Integer call() {
            final JsonNode current = read("/v1/merchants/" + PrepaidAdmin.segment(merchantId));
            if (bankAccount == null && current.path("bankAccount").asText("").contains("*")) {
                // Writing the masked number back would replace the payout account with asterisks.
                throw CliFailure.badInput("give the payout account again with --bank-account: this operator reads it"
                        + " masked (" + current.path("bankAccount").asText() + "), and the whole merchant is written");
            }
            return apply("UPSERT_MERCHANT", merged(current));
        }
    }

    @Command(name = "show", description = "Shows a merchant: its settlement, unsettled payable and receivable,"
            + " today's fees, review hold.", footer = {"", "Example:", "  prepaid-admin merchant show 888310048990001"})
    static final class Show extends Action {
        @Parameters(index = "0", paramLabel = "MERCHANT_ID")
        String merchantId;

        @Override
        public Integer call() {
            return show(read("/v1/merchants/" + PrepaidAdmin.segment(merchantId)));
        }
    }

    @Command(name = "list", description = "Lists the merchants (a merchant user sees its own).",
            footer = {"", "Example:", "  prepaid-admin merchant list"})
    static final class ListAll extends Action.Lister {
        @Override
        public Integer call() {
            return list("/v1/merchants", "", page, COLUMNS);
        }
    }

    @Command(name = "recharge-settlement", description = "Whether the merchant's contract settles POS recharges apart"
            + " from its purchases (SET_RECHARGE_SETTLEMENT): --separate makes the cash of each recharge at its terminals"
            + " a receivable of its own, collected by the settlement batches; --netted books it against what the"
            + " merchant is owed (the default of every merchant).",
            footer = {"", "Example:", "  prepaid-admin merchant recharge-settlement 888310048990001 --separate"})
    static final class RechargeSettlement extends Action.Write {
        @Parameters(index = "0", paramLabel = "MERCHANT_ID")
        String merchantId;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Terms terms;

        static final class Terms {
            @Option(names = "--separate", description = "recharge cash is collected on its own")
            boolean separate;

            @Option(names = "--netted", description = "recharge cash is netted against the payable")
            boolean netted;
        }

        @Override
        public Integer call() {
            final ObjectNode f = fields();
            f.put("merchantId", merchantId);
            f.put("separate", terms.separate);
            return apply("SET_RECHARGE_SETTLEMENT", f);
        }
    }

    @Command(name = "review", description = "Puts a merchant under risk review (its payouts are held) or releases it"
            + " (SET_MERCHANT_REVIEW).",
            footer = {"", "Example:", "  prepaid-admin merchant review 888310048990001 --on --note 'chargeback spike'"})
    static final class Review extends Action.Write {
        @Parameters(index = "0", paramLabel = "MERCHANT_ID")
        String merchantId;

        @ArgGroup(exclusive = true, multiplicity = "1")
        OnOff onOff;

        static final class OnOff {
            @Option(names = "--on", description = "hold its payouts")
            boolean on;

            @Option(names = "--off", description = "release them")
            boolean off;
        }

        @Override
        public Integer call() {
            final ObjectNode f = fields();
            f.put("merchantId", merchantId);
            f.put("underReview", onOff.on);
            return apply("SET_MERCHANT_REVIEW", f);
        }
    }
}
