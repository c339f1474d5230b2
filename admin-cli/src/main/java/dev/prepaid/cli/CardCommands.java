package dev.prepaid.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.prepaid.card.BuyerKind;
import dev.prepaid.card.PaymentMethod;
import dev.prepaid.card.SalesChannel;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The counter's work on cards: sell (one, or a CSV batch), recharge (one, or a batch), show, freeze and unfreeze,
 * report lost, blacklist, replace, return, cancel a sale, PIN and expiry. Amounts are yuan.
 */
@Command(name = "card", mixinStandardHelpOptions = true, description = "Cards at the counter.",
        subcommands = {CardCommands.Sell.class, CardCommands.Recharge.class, CardCommands.Show.class,
            CardCommands.Freeze.class, CardCommands.Unfreeze.class, CardCommands.ReportLost.class,
            CardCommands.Blacklist.class, CardCommands.Unblacklist.class, CardCommands.Replace.class,
            CardCommands.Return.class, CardCommands.CancelIssuance.class, CardCommands.UnlockPin.class,
            CardCommands.Extend.class, CardCommands.SetPin.class, CardCommands.RedeemPoints.class})
final class CardCommands {
    private CardCommands() {
    }

    static String path(final String pan) {
        return "/v1/cards/" + PrepaidAdmin.segment(pan);
    }

    /** One card, or (without PAN) a CSV batch; the options are each row's defaults. */
    abstract static class OneOrBatch extends Action.Write {
        @Parameters(index = "0", arity = "0..1", paramLabel = "PAN", description = "the (first) card number; left out"
                + " with --csv")
        String pan;

        @Option(names = "--count", paramLabel = "N", description = "this many consecutive cards from PAN (default 1)")
        Integer count;

        @Option(names = "--csv", paramLabel = "FILE", description = "a batch: one row per request, the first row the"
                + " field names (the options give what a row leaves out)")
        Path csv;

        @Option(names = "--stop-on-error", description = "with --csv: stop at the first refused row (default: report"
                + " it and go on)")
        boolean stopOnError;

        /** The batch's columns. */
        abstract List<CardBatch.Column> columns();

        /** The options as fields (those given). */
        abstract ObjectNode optionFields();

        /** Options a single card needs, by name, and whether each was given. */
        abstract List<Object[]> requiredForOne();

        int run(final String type) {
            final ObjectNode fields = optionFields();
            if (count != null) {
                if (count < 1) {
                    throw CliFailure.badInput("--count is 1 or more, not " + count);
                }
                fields.put("count", count);
            }
            if (csv != null) {
                if (pan != null) {
                    throw CliFailure.badInput("give the cards either as PAN or in --csv FILE, not both");
                }
                return new CardBatch(cli(), spec, type, columns()).run(csv, fields, note, stopOnError);
            }
            if (stopOnError) {
                throw CliFailure.badInput("--stop-on-error goes with --csv FILE");
            }
            if (pan == null) {
                throw CliFailure.badInput("Missing required parameter: 'PAN' (or --csv FILE); see '" + spec.qualifiedName()
                        + " --help'");
            }
            for (final Object[] required : requiredForOne()) {
                if (required[1] == null) {
                    throw CliFailure.badInput("Missing required option: '" + required[0] + "'; see '"
                            + spec.qualifiedName() + " --help'");
                }
            }
            fields.put("firstPan", pan);
            if (!fields.has("count")) {
                fields.put("count", 1);
            }
            return apply(type, fields);
        }
    }

    @Command(name = "sell", description = "Sells and activates cards (SELL_CARDS): one (with --count, consecutive"
            + " ones) at the counter, or a batch from a CSV file. Named cards are sold one at a time with the"
            + " holder's identity; large sales need the buyer's identity and a bank transfer (the ledger says so)."
            + " CSV columns: firstPan (or pan), count, faceValue (yuan), payment, channel, buyerKind, buyerName,"
            + " buyerIdType, buyerIdNumber, holderName, holderIdType, holderIdNumber, holderPhone, note.",
            footer = {"", "Example:",
                "  prepaid-admin card sell 8888000200000073 --face-value 100 --payment CASH",
                "  prepaid-admin card sell 8888000100000074 --face-value 500 --payment \\",
                "      DEBIT_CARD --holder-name 'Sun Li' --holder-id-type ID \\",
                "      --holder-id-number 310101199205050055 --holder-phone 13800000009",
                "  prepaid-admin card sell --csv sales.csv --payment CASH",
                "      (sales.csv: a header row 'firstPan,faceValue', then a row per sale)"})
    static final class Sell extends OneOrBatch {
        @Option(names = "--face-value", paramLabel = "YUAN", converter = Inputs.Yuan.class, description = "the value"
                + " loaded on each card (default: the card type's initial balance)")
        Long faceValue;

        @Option(names = "--payment", paramLabel = "PAYMENT", description = "how the buyer pays:"
                + " ${COMPLETION-CANDIDATES}")
        PaymentMethod payment;

        @Option(names = "--channel", paramLabel = "CHANNEL", description = "${COMPLETION-CANDIDATES} (default"
                + " COUNTER)")
        SalesChannel channel;

        @Option(names = "--buyer-kind", paramLabel = "KIND", description = "${COMPLETION-CANDIDATES} (default PERSON)")
        BuyerKind buyerKind;

        @Option(names = "--buyer-name", paramLabel = "NAME")
        String buyerName;

        @Option(names = "--buyer-id-type", paramLabel = "TYPE", description = "e.g. ID, PASSPORT, USCC")
        String buyerIdType;

        @Option(names = "--buyer-id-number", paramLabel = "NUMBER")
        String buyerIdNumber;

        @Option(names = "--holder-name", paramLabel = "NAME", description = "a named card's holder")
        String holderName;

        @Option(names = "--holder-id-type", paramLabel = "TYPE")
        String holderIdType;

        @Option(names = "--holder-id-number", paramLabel = "NUMBER")
        String holderIdNumber;

        @Option(names = "--holder-phone", paramLabel = "PHONE")
        String holderPhone;

        @Override
        List<CardBatch.Column> columns() {
            return List.of(new CardBatch.Column("firstPan", CardBatch.Kind.TEXT, true, null),
                    new CardBatch.Column("count", CardBatch.Kind.COUNT, true, null),
                    new CardBatch.Column("faceValue", CardBatch.Kind.AMOUNT, true, null),
                    new CardBatch.Column("payment", CardBatch.Kind.ENUM, true, PaymentMethod.class),
                    new CardBatch.Column("channel", CardBatch.Kind.ENUM, true, SalesChannel.class),
                    new CardBatch.Column("buyerKind", CardBatch.Kind.ENUM, true, BuyerKind.class),
                    CardBatch.Column.text("buyerName"), CardBatch.Column.text("buyerIdType"),
                    CardBatch.Column.text("buyerIdNumber"), CardBatch.Column.text("holderName"),
                    CardBatch.Column.text("holderIdType"), CardBatch.Column.text("holderIdNumber"),
                    CardBatch.Column.text("holderPhone"));
        }

        @Override
        ObjectNode optionFields() {
            final ObjectNode f = fields();
            f.put("count", 1);
            // -1: the card type's initial balance (SELL_CARDS)
            f.put("faceValue", faceValue == null ? -1 : faceValue);
            if (payment != null) {
                f.put("payment", payment.storedName());
            }
            f.put("channel", (channel == null ? SalesChannel.COUNTER : channel).storedName());
            f.put("buyerKind", (buyerKind == null ? BuyerKind.PERSON : buyerKind).storedName());
            putIfGiven(f, "buyerName", buyerName);
            putIfGiven(f, "buyerIdType", buyerIdType);
            putIfGiven(f, "buyerIdNumber", buyerIdNumber);
            putIfGiven(f, "holderName", holderName);
            putIfGiven(f, "holderIdType", holderIdType);
            putIfGiven(f, "holderIdNumber", holderIdNumber);
            putIfGiven(f, "holderPhone", holderPhone);
            return f;
        }

        @Override
        List<Object[]> requiredForOne() {
            return List.<Object[]>of(new Object[] {"--payment=PAYMENT", payment});
        }

        @Override
        public Integer call() {
            return run("SELL_CARDS");
        }
    }

    static void putIfGiven(final ObjectNode fields, final String name, final String value) {
        if (value != null) {
            fields.put(name, value);
        }
    }

    @Command(name = "recharge", description = "Recharges cards at the counter (RECHARGE_CARDS): one (with --count,"
            + " consecutive ones), or a batch from a CSV file. CSV columns: firstPan (or pan), count, amount (yuan),"
            + " payment, channel, note.",
            footer = {"", "Example:",
                "  prepaid-admin card recharge 8888000100000017 --amount 200 --payment CASH",
                "  prepaid-admin card recharge --csv recharges.csv --payment BANK_TRANSFER",
                "      (recharges.csv: a header row 'pan,amount', then a row per card)"})
    static final class Recharge extends OneOrBatch {
        @Option(names = "--amount", paramLabel = "YUAN", converter = Inputs.Yuan.class, description = "added to each"
                + " card")
        Long amount;

        @Option(names = "--payment", paramLabel = "PAYMENT", description = "${COMPLETION-CANDIDATES}")
        PaymentMethod payment;

        @Option(names = "--channel", paramLabel = "CHANNEL", description = "${COMPLETION-CANDIDATES} (default"
                + " COUNTER)")
        SalesChannel channel;

        @Override
        List<CardBatch.Column> columns() {
            return List.of(new CardBatch.Column("firstPan", CardBatch.Kind.TEXT, true, null),
                    new CardBatch.Column("count", CardBatch.Kind.COUNT, true, null),
                    new CardBatch.Column("amount", CardBatch.Kind.AMOUNT, true, null),
                    new CardBatch.Column("payment", CardBatch.Kind.ENUM, true, PaymentMethod.class),
                    new CardBatch.Column("channel", CardBatch.Kind.ENUM, true, SalesChannel.class));
        }

        @Override
        ObjectNode optionFields() {
            final ObjectNode f = fields();
            f.put("count", 1);
            if (amount != null) {
                f.put("amount", amount);
            }
            if (payment != null) {
                f.put("payment", payment.storedName());
            }
            f.put("channel", (channel == null ? SalesChannel.COUNTER : channel).storedName());
            return f;
        }

        @Override
        List<Object[]> requiredForOne() {
            return List.of(new Object[] {"--amount=YUAN", amount}, new Object[] {"--payment=PAYMENT", payment});
        }

        @Override
        public Integer call() {
            return run("RECHARGE_CARDS");
        }
    }

    @Command(name = "show", description = "Shows a card: status, type, balances, deposit, points, dates, PIN state,"
            + " today's and this month's counters, holds, holder (identity masked).",
            footer = {"", "Example:", "  prepaid-admin card show 8888000100000017"})
    static final class Show extends Action {
        @Parameters(index = "0", paramLabel = "PAN")
        String pan;

        @Override
        public Integer call() {
            return show(read(path(pan)));
        }
    }

    /** A command on one card whose only field is its number. */
    abstract static class OnCard extends Action.Write {
        @Parameters(index = "0", paramLabel = "PAN")
        String pan;

        int apply(final String type) {
            final ObjectNode f = fields();
            f.put("pan", pan);
            return apply(type, f);
        }
    }

    @Command(name = "freeze", description = "Freezes a card: declined (62) until unfrozen (FREEZE_CARD).",
            footer = {"", "Example:", "  prepaid-admin card freeze 8888000100000017 --note 'holder asked, phone call'"})
    static final class Freeze extends OnCard {
        @Override
        public Integer call() {
            return apply("FREEZE_CARD");
        }
    }

    @Command(name = "unfreeze", description = "Unfreezes a frozen card (UNFREEZE_CARD).",
            footer = {"", "Example:", "  prepaid-admin card unfreeze 8888000100000017"})
    static final class Unfreeze extends OnCard {
        @Override
        public Integer call() {
            return apply("UNFREEZE_CARD");
        }
    }

    @Command(name = "report-lost", description = "Reports a named card lost; the lost-report fee is paid at the"
            + " counter (REPORT_LOST). Replace it with 'card replace'.",
            footer = {"", "Example:", "  prepaid-admin card report-lost 8888000100000017"})
    static final class ReportLost extends OnCard {
        @Override
        public Integer call() {
            return apply("REPORT_LOST");
        }
    }

    @Command(name = "blacklist", description = "Blacklists a card (BLACKLIST_CARD; supervisors).",
            footer = {"", "Example:", "  prepaid-admin card blacklist 8888000200000016 --note 'fraud case 2026-117'"})
    static final class Blacklist extends OnCard {
        @Override
        public Integer call() {
            return apply("BLACKLIST_CARD");
        }
    }

    @Command(name = "unblacklist", description = "Takes a card off the blacklist (UNBLACKLIST_CARD; supervisors).",
            footer = {"", "Example:", "  prepaid-admin card unblacklist 8888000200000057"})
    static final class Unblacklist extends OnCard {
        @Override
        public Integer call() {
            return apply("UNBLACKLIST_CARD");
        }
    }

    @Command(name = "replace", description = "Moves a card's balance, holds, counters, points, deposit and holder to"
            + " a new card from stock; the old one dies (REPLACE_CARD). The replacement fee is paid at the counter.",
            footer = {"", "Example:", "  prepaid-admin card replace 8888000100000058 --new 8888000100000074"})
    static final class Replace extends Action.Write {
        @Parameters(index = "0", paramLabel = "PAN", description = "the card replaced")
        String oldPan;

        @Option(names = "--new", required = true, paramLabel = "PAN", description = "the new card, from stock")
        String newPan;

        @Override
        public Integer call() {
            final ObjectNode f = fields();
            f.put("oldPan", oldPan);
            f.put("newPan", newPan);
            return apply("REPLACE_CARD", f);
        }
    }

    @Command(name = "return", description = "Redeems a named card: its balance and deposit are paid out, the card"
            + " dies (RETURN_CARD).", footer = {"", "Example:", "  prepaid-admin card return 8888000100000066"})
    static final class Return extends OnCard {
        @Override
        public Integer call() {
            return apply("RETURN_CARD");
        }
    }

    @Command(name = "cancel-issuance", description = "Cancels the sale of a card never used: value, deposit and fee"
            + " go back (CANCEL_ISSUANCE).", footer = {"", "Example:", "  prepaid-admin card cancel-issuance 8888000200000073"})
    static final class CancelIssuance extends OnCard {
        @Override
        public Integer call() {
            return apply("CANCEL_ISSUANCE");
        }
    }

    @Command(name = "unlock-pin", description = "Clears a card's wrong-PIN count (UNLOCK_PIN).",
            footer = {"", "Example:", "  prepaid-admin card unlock-pin 8888000100000017"})
    static final class UnlockPin extends OnCard {
        @Override
        public Integer call() {
            return apply("UNLOCK_PIN");
        }
    }

    @Command(name = "extend", description = "Extends a card's expiry; also reactivates an expired card"
            + " (EXTEND_EXPIRY).",
            footer = {"", "Example:", "  prepaid-admin card extend 8888000200000040 --until 2030-12-31"})
    static final class Extend extends Action.Write {
        @Parameters(index = "0", paramLabel = "PAN")
        String pan;

        @Option(names = "--until", required = true, paramLabel = "DATE", converter = Inputs.Date.class,
                description = "the new expiry date, 2030-12-31")
        int until;

        @Override
        public Integer call() {
            final ObjectNode f = fields();
            f.put("pan", pan);
            f.put("newExpiryDate", until);
            return apply("EXTEND_EXPIRY", f);
        }
    }

    @Command(name = "redeem-points", description = "Redeems loyalty points at the counter (REDEEM_POINTS): their value"
            + " (points x the parameter pointValueFen) is credited to the card's balance.",
            footer = {"", "Example:", "  prepaid-admin card redeem-points 8888000200000040 --points 500"})
    static final class RedeemPoints extends Action.Write {
        @Parameters(index = "0", paramLabel = "PAN")
        String pan;

        @Option(names = "--points", required = true, paramLabel = "N", description = "how many points (at most the"
                + " card's)")
        long points;

        @Override
        public Integer call() {
            final ObjectNode f = fields();
            f.put("pan", pan);
            f.put("points", points);
            return apply("REDEEM_POINTS", f);
        }
    }

    @Command(name = "set-pin", description = "Sets or resets a card's PIN (SET_PIN) by its PIN check value, made"
            + " where the PIN is (bin/prepaid keys pin-check, a PIN pad): the clear PIN never goes through this tool.",
            footer = {"", "Example:", "  prepaid-admin card set-pin 8888000100000017 --pin-check 3F2A9C0B7D41E655"})
    static final class SetPin extends Action.Write {
        @Parameters(index = "0", paramLabel = "PAN")
        String pan;

        @Option(names = "--pin-check", required = true, paramLabel = "HEX", converter = Inputs.PinCheck.class,
                description = "the PIN check value: 16 hex digits")
        long pinCheck;

        @Override
        public Integer call() {
            final ObjectNode f = fields();
            f.put("pan", pan);
            f.put("pinCheck", pinCheck);
            return apply("SET_PIN", f);
        }
    }

    @Command(name = "cards", mixinStandardHelpOptions = true, description = "Card stock.", subcommands = Generate.GenerateCards.class)
    static final class Generate {
        @Command(name = "generate", description = "A card production run (POST /v1/cards/generate): generates"
                + " cards of a BIN range into stock, writes the card production file for the bureau (PAN, expiry,"
                + " region code, track 2 with its CVN) and the PIN mailer (PAN, PIN, PIN check value) on the switch's"
                + " host, owner-only, and loads every PIN check value. Clear PINs never cross the network: the answer"
                + " names the files and their SHA-256.",
                footer = {"", "Example:", "  prepaid-admin cards generate --bin 88880002 --pan-length 16 --count 100000"
                        + " --expiry 3112"})
        static final class GenerateCards extends Action.Write {
            @Option(names = "--bin", required = true, paramLabel = "BIN")
            String bin;

            @Option(names = "--pan-length", required = true, paramLabel = "N", description = "card number length of"
                    + " the range, 13-19")
            int panLength;

            @Option(names = "--count", required = true, paramLabel = "N", description = "cards, 1-10,000,000")
            int count;

            @Option(names = "--expiry", paramLabel = "YYMM", description = "the printed expiry on track 2 (default:"
                    + " the card type's validity from the business date; five years for named cards)")
            String expiry;

            @Option(names = "--region-code", paramLabel = "NNN", description = "track 2 region (service) code"
                    + " (default 120)")
            String regionCode;

            @Option(names = "--no-pins", description = "no PINs and no PIN mailer (cards without a PIN)")
            boolean noPins;

            @Option(names = "--stock-only", description = "only the ledger's stock (GENERATE_CARDS, at most 10,000):"
                    + " no files, no track 2 (virtual cards; a card type without a CVK pair)")
            boolean stockOnly;

            @Override
            public Integer call() {
                if (stockOnly) {
                    if (count < 1 || count > 10_000 || expiry != null || regionCode != null || noPins) {
                        throw CliFailure.badInput("--stock-only takes --count 1..10,000 and no --expiry, --region-code"
                                + " or --no-pins (it writes no files)");
                    }
                    final ObjectNode f = fields();
                    f.put("bin", bin);
                    f.put("panLength", panLength);
                    f.put("count", count);
                    return apply("GENERATE_CARDS", f);
                }
                if (count < 1 || count > 10_000_000) {
                    throw CliFailure.badInput("--count is 1..10,000,000, not " + count);
                }
                if (expiry != null && !expiry.matches("[0-9]{2}(0[1-9]|1[0-2])")) {
                    throw CliFailure.badInput("--expiry is YYMM (e.g. 3112), not '" + expiry + "'");
                }
                if (regionCode != null && !regionCode.matches("[0-9]{3}")) {
                    throw CliFailure.badInput("--region-code is 3 digits, not '" + regionCode + "'");
                }
                final PrepaidAdmin cli = cli();
                final ObjectNode body = cli.object();
                body.put("requestId", cli.newRequestId());
                if (!note.isEmpty()) {
                    body.put("note", note);
                }
                final ObjectNode f = body.putObject("fields");
                f.put("bin", bin);
                f.put("panLength", panLength);
                f.put("count", count);
                if (expiry != null) {
                    body.put("expiry", expiry);
                }
                if (regionCode != null) {
                    body.put("regionCode", regionCode);
                }
                body.put("pins", !noPins);
                final AdminClient.Answer answer = cli.client().post("/v1/cards/generate", body, cli.session().token(), true);
                if (!answer.ok()) {
                    throw cli.fail(answer, spec);
                }
                if (cli.jsonOutput()) {
                    cli.printJson(answer.body());
                } else {
                    cli.printItem(answer.body());
                }
                return Exit.OK;
            }
        }
    }
}
