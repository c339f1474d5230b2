package dev.prepaid.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.prepaid.clearing.DayKind;
import dev.prepaid.command.PosKind;
import dev.prepaid.fee.FeeMethod;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The business's setup, an administrator's work: issuers, card types, BIN ranges, fee, discount and points rules,
 * system parameters, the holiday calendar. Each {@code put} creates or replaces the whole entry: an option left
 * out takes its default (shown in the help), not the value the entry had.
 */
final class SetupCommands {
    private SetupCommands() {
    }

    /** The POS kinds a card type permits and a rule may name (voids and reversals follow their original). */
    static final class PermissionKinds implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(PosKind.values()).filter(k -> k.permissionControlled).map(Enum::name).iterator();
        }
    }

    /** A mask of {@link PosKind#bit()}s; only kinds a card type's permissions name. */
    static int mask(final List<PosKind> kinds, final String option) {
        int mask = 0;
        for (final PosKind kind : kinds) {
            if (!kind.permissionControlled) {
                throw CliFailure.badInput(option + ": " + kind + " follows its original transaction and is not named on"
                        + " its own; name one of " + String.join(", ", new PermissionKinds()));
            }
            mask |= kind.bit();
        }
        return mask;
    }

    // ------------------------------------------------------------------ issuers, card types, BIN ranges

    @Command(name = "issuer", mixinStandardHelpOptions = true, description = "Issuers of the cards.",
            subcommands = IssuerPut.class)
    static final class Issuer {
    }

    @Command(name = "put", description = "Creates or replaces an issuer (UPSERT_ISSUER).",
            footer = {"", "Example:",
                "  prepaid-admin issuer put DEMO --name 'Demo Prepaid Card Co., Ltd.' \\",
                "      --institution-id 08880001"})
    static final class IssuerPut extends Action.Write {
        @Parameters(index = "0", paramLabel = "CODE", description = "the issuer's code, as card types name it")
        String code;

        @Option(names = "--name", required = true, paramLabel = "NAME")
        String name;

        @Option(names = "--institution-id", required = true, paramLabel = "ID", description = "its institution id"
                + " (POS field 44, issuer part)")
        String institutionId;

        @Override
        public Integer call() {
            final ObjectNode fields = fields();
            fields.put("code", code);
            fields.put("name", name);
            fields.put("institutionId", institutionId);
            return apply("UPSERT_ISSUER", fields);
        }
    }

    @Command(name = "card-type", mixinStandardHelpOptions = true, description = "Card products.",
            subcommands = CardTypePut.class)
    static final class CardType {
    }

    @Command(name = "put", description = "Creates or replaces a card type (UPSERT_CARD_TYPE). Amounts in yuan; 0 for"
            + " a limit or a cap means none (the balance cap: the regulatory cap of its kind).",
            footer = {"", "Example:",
                "  prepaid-admin card-type put 3 --name 'Transit card' --issuer DEMO \\",
                "      --validity-months 36 --permitted PURCHASE,BALANCE_INQUIRY,RECHARGE \\",
                "      --single-limit 200"})
    static final class CardTypePut extends Action.Write {
        @Parameters(index = "0", paramLabel = "ID", description = "the card type's number")
        int id;

        @Option(names = "--name", required = true, paramLabel = "NAME")
        String name;

        @Option(names = "--issuer", required = true, paramLabel = "CODE")
        String issuer;

        @Option(names = "--named", negatable = true, description = "named cards (sold with the holder's identity);"
                + " default: anonymous")
        boolean named;

        @Option(names = "--balance-cap", paramLabel = "YUAN", converter = Inputs.Yuan.class, description = "default"
                + " 0: the regulatory cap")
        long balanceCap;

        @Option(names = "--initial-balance", paramLabel = "YUAN", converter = Inputs.Yuan.class,
                description = "the value of a card sold without a face value (default 0)")
        long initialBalance;

        @Option(names = "--deposit", paramLabel = "YUAN", converter = Inputs.Yuan.class, description = "paid at sale,"
                + " returned at redemption (default 0)")
        long deposit;

        @Option(names = "--issuance-fee", paramLabel = "YUAN", converter = Inputs.Yuan.class)
        long issuanceFee;

        @Option(names = "--replacement-fee", paramLabel = "YUAN", converter = Inputs.Yuan.class)
        long replacementFee;

        @Option(names = "--lost-report-fee", paramLabel = "YUAN", converter = Inputs.Yuan.class)
        long lostReportFee;

        @Option(names = "--rechargeable", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "whether cards may be recharged (default: yes)")
        boolean rechargeable;

        @Option(names = "--validity-months", paramLabel = "N", description = "months a card is valid from its sale"
                + " (0: no expiry, for named cards)")
        int validityMonths;

        @Option(names = "--permitted", split = ",", paramLabel = "KIND", completionCandidates = PermissionKinds.class,
                description = "the POS transactions allowed (default: all of ${COMPLETION-CANDIDATES})")
        List<PosKind> permitted;

        @Option(names = "--pin-required", split = ",", paramLabel = "KIND", completionCandidates = PermissionKinds.class,
                description = "those that need a PIN (default: none)")
        List<PosKind> pinRequired = List.of();

        @Option(names = "--pin-tries", paramLabel = "N", description = "wrong PINs before a card locks (0: the"
                + " parameter pinTriesDefault)")
        int pinTries;

        @Option(names = "--single-limit", paramLabel = "YUAN", converter = Inputs.Yuan.class)
        long singleLimit;

        @Option(names = "--daily-amount-limit", paramLabel = "YUAN", converter = Inputs.Yuan.class)
        long dailyAmountLimit;

        @Option(names = "--daily-count-limit", paramLabel = "N")
        int dailyCountLimit;

        @Option(names = "--monthly-amount-limit", paramLabel = "YUAN", converter = Inputs.Yuan.class)
        long monthlyAmountLimit;

        @Option(names = "--monthly-count-limit", paramLabel = "N")
        int monthlyCountLimit;

        @Option(names = "--points-per-yuan", paramLabel = "N")
        int pointsPerYuan;

        @Option(names = "--on-sale", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "whether cards of the type may be sold (default: yes)")
        boolean onSale;

        @Override
        public Integer call() {
            final ObjectNode f = fields();
            f.put("id", id);
            f.put("name", name);
            f.put("issuerCode", issuer);
            f.put("named", named);
            f.put("balanceCap", balanceCap);
            f.put("initialBalance", initialBalance);
            f.put("deposit", deposit);
            f.put("issuanceFee", issuanceFee);
            f.put("replacementFee", replacementFee);
            f.put("lostReportFee", lostReportFee);
            f.put("rechargeable", rechargeable);
            f.put("validityMonths", validityMonths);
            f.put("permittedKinds", permitted == null ? PosKind.allPermissionControlled() : mask(permitted, "--permitted"));
            f.put("pinRequiredKinds", mask(pinRequired, "--pin-required"));
            f.put("pinTries", pinTries);
            f.put("singleLimit", singleLimit);
            f.put("dailyAmountLimit", dailyAmountLimit);
            f.put("dailyCountLimit", dailyCountLimit);
            f.put("monthlyAmountLimit", monthlyAmountLimit);
            f.put("monthlyCountLimit", monthlyCountLimit);
            f.put("pointsPerYuan", pointsPerYuan);
            f.put("onSale", onSale);
            return apply("UPSERT_CARD_TYPE", f);
        }
    }

    @Command(name = "bin-range", mixinStandardHelpOptions = true, description = "Card number ranges of the card"
            + " types.",
            subcommands = BinRangePut.class)
    static final class BinRange {
    }

    @Command(name = "put", description = "Creates a BIN range, or (same BIN, length and first account) changes its"
            + " card type or extends its last account (UPSERT_BIN_RANGE).",
            footer = {"", "Example:",
                "  prepaid-admin bin-range put 88880003 --pan-length 16 --card-type 3 \\",
                "      --first-account 0 --last-account 9999999"})
    static final class BinRangePut extends Action.Write {
        @Parameters(index = "0", paramLabel = "BIN", description = "6 or 8 digits")
        String bin;

        @Option(names = "--pan-length", required = true, paramLabel = "N", description = "card number length, 13-19")
        int panLength;

        @Option(names = "--card-type", required = true, paramLabel = "ID")
        int cardType;

        @Option(names = "--first-account", required = true, paramLabel = "N")
        long firstAccount;

        @Option(names = "--last-account", required = true, paramLabel = "N")
        long lastAccount;

        @Override
        public Integer call() {
            final ObjectNode f = fields();
            f.put("bin", bin);
            f.put("panLength", panLength);
            f.put("cardTypeId", cardType);
            f.put("firstAccount", firstAccount);
            f.put("lastAccount", lastAccount);
            return apply("UPSERT_BIN_RANGE", f);
        }
    }

    // ------------------------------------------------------------------ rules

    /** What every rule has: its id, merchant, card type, dates, priority. */
    abstract static class RulePut extends Action.Write {
        @Parameters(index = "0", paramLabel = "RULE_ID", description = "the rule's number (fee, discount and points"
                + " rules share the numbers)")
        long ruleId;

        @Option(names = "--card-type", paramLabel = "ID", description = "only cards of this type (default 0: every"
                + " type)")
        int cardType;

        @Option(names = "--from", paramLabel = "DATE", converter = Inputs.Date.class, description = "first day it"
                + " applies, 2026-03-02 (default: open)")
        int fromDate;

        @Option(names = "--to", paramLabel = "DATE", converter = Inputs.Date.class, description = "last day it"
                + " applies (default: open)")
        int toDate;

        @Option(names = "--priority", paramLabel = "N", description = "the higher wins when rules overlap (default 0)")
        int priority;

        ObjectNode common(final String merchantId) {
            final ObjectNode f = fields();
            f.put("ruleId", ruleId);
            f.put("merchantId", merchantId);
            f.put("cardTypeId", cardType);
            f.put("fromDate", fromDate);
            f.put("toDate", toDate);
            f.put("priority", priority);
            return f;
        }
    }

    /** Removes a rule of any kind by its id. */
    abstract static class RuleRemove extends Action.Write {
        @Parameters(index = "0", paramLabel = "RULE_ID")
        long ruleId;

        @Override
        public Integer call() {
            final ObjectNode f = fields();
            f.put("ruleId", ruleId);
            return apply("REMOVE_RULE", f);
        }
    }

    @Command(name = "fee-rule", mixinStandardHelpOptions = true, description = "Merchant fee rules.",
            subcommands = {FeeRulePut.class, FeeRuleRemove.class})
    static final class FeeRule {
    }

    @Command(name = "put", description = "Creates or replaces a merchant's fee rule (PUT_FEE_RULE).",
            footer = {"", "Example:",
                "  prepaid-admin fee-rule put 7 --merchant 888310048990001 --method \\",
                "      PERCENT_MIN_CAP --rate 0.35 --cap 13",
                "  prepaid-admin fee-rule put 8 --merchant 888310048990001 --recharge-commission \\",
                "      --method PERCENT --rate 0.2"})
    static final class FeeRulePut extends RulePut {
        @Option(names = "--merchant", required = true, paramLabel = "MERCHANT")
        String merchantId;

        @Option(names = "--kinds", split = ",", paramLabel = "KIND", description = "the transactions it charges"
                + " (default: PURCHASE,COMPLETION; refund fees follow the merchant's refund fee policy); RECHARGE alone"
                + " is the merchant's commission for taking a recharge (--recharge-commission)")
        List<PosKind> kinds = List.of(PosKind.PURCHASE, PosKind.COMPLETION);

        @Option(names = "--recharge-commission", description = "the rule is the commission the operator pays the"
                + " merchant for each recharge taken at its terminals (kinds RECHARGE), not a fee it charges")
        boolean rechargeCommission;

        @Option(names = "--method", required = true, paramLabel = "METHOD", description = "one of"
                + " ${COMPLETION-CANDIDATES}")
        FeeMethod method;

        @Option(names = "--rate", paramLabel = "PERCENT", converter = Inputs.Percent.class, description = "per cent"
                + " of the amount, e.g. 0.35 (default 0)")
        long ratePpm;

        @Option(names = "--fixed", paramLabel = "YUAN", converter = Inputs.Yuan.class, description = "a fixed fee per"
                + " transaction (FIXED, PERIODIC)")
        long fixedFen;

        @Option(names = "--min", paramLabel = "YUAN", converter = Inputs.Yuan.class, description = "the least fee"
                + " (PERCENT_MIN_CAP)")
        long minFen;

        @Option(names = "--cap", paramLabel = "YUAN", converter = Inputs.Yuan.class, description = "the most fee"
                + " (PERCENT_MIN_CAP; 0: none)")
        long capFen;

        @Override
        public Integer call() {
            final ObjectNode f = common(merchantId);
            if (rechargeCommission && spec.commandLine().getParseResult().hasMatchedOption("--kinds")) {
                throw CliFailure.badInput("--recharge-commission is a rule of kind RECHARGE alone: leave out --kinds");
            }
            f.put("kinds", rechargeCommission ? PosKind.RECHARGE.bit() : mask(kinds, "--kinds"));
            f.put("method", method.storedName());
            f.put("ratePpm", ratePpm);
            f.put("fixedFen", fixedFen);
            f.put("minFen", minFen);
            f.put("capFen", capFen);
            return apply("PUT_FEE_RULE", f);
        }
    }

    @Command(name = "remove", description = "Removes a fee rule (REMOVE_RULE).",
            footer = {"", "Example:", "  prepaid-admin fee-rule remove 7"})
    static final class FeeRuleRemove extends RuleRemove {
    }

    @Command(name = "discount-rule", mixinStandardHelpOptions = true, description = "Operator-funded discounts at"
            + " merchants.", subcommands = {DiscountRulePut.class, DiscountRuleRemove.class})
    static final class DiscountRule {
    }

    @Command(name = "put", description = "Creates or replaces a discount rule (PUT_DISCOUNT_RULE): the operator pays"
            + " the discount.",
            footer = {"", "Example:",
                "  prepaid-admin discount-rule put 8 --merchant 888310058120002 --card-type 1 \\",
                "      --rate 5 --min-purchase 50 --cap 10"})
    static final class DiscountRulePut extends RulePut {
        @Option(names = "--merchant", required = true, paramLabel = "MERCHANT")
        String merchantId;

        @Option(names = "--rate", required = true, paramLabel = "PERCENT", converter = Inputs.Percent.class,
                description = "per cent off, e.g. 5")
        long ratePpm;

        @Option(names = "--min-purchase", paramLabel = "YUAN", converter = Inputs.Yuan.class, description = "only"
                + " purchases of at least this much (default 0)")
        long minPurchaseFen;

        @Option(names = "--cap", paramLabel = "YUAN", converter = Inputs.Yuan.class, description = "at most this"
                + " discount per purchase (0: none)")
        long capFen;

        @Override
        public Integer call() {
            final ObjectNode f = common(merchantId);
            f.put("ratePpm", ratePpm);
            f.put("minPurchaseFen", minPurchaseFen);
            f.put("capFen", capFen);
            return apply("PUT_DISCOUNT_RULE", f);
        }
    }

    @Command(name = "remove", description = "Removes a discount rule (REMOVE_RULE).",
            footer = {"", "Example:", "  prepaid-admin discount-rule remove 8"})
    static final class DiscountRuleRemove extends RuleRemove {
    }

    @Command(name = "points-rule", mixinStandardHelpOptions = true, description = "Loyalty points rules.",
            subcommands = {PointsRulePut.class, PointsRuleRemove.class})
    static final class PointsRule {
    }

    @Command(name = "put", description = "Creates or replaces a points rule (PUT_POINTS_RULE).",
            footer = {"", "Example:",
                "  prepaid-admin points-rule put 9 --merchant 888310058120002 --card-type 1 \\",
                "      --points-per-yuan 2 --priority 1"})
    static final class PointsRulePut extends RulePut {
        @Option(names = "--merchant", paramLabel = "MERCHANT", description = "only at this merchant (default: every"
                + " merchant)")
        String merchantId = "";

        @Option(names = "--points-per-yuan", required = true, paramLabel = "N")
        int pointsPerYuan;

        @Override
        public Integer call() {
            final ObjectNode f = common(merchantId);
            f.put("pointsPerYuan", pointsPerYuan);
            return apply("PUT_POINTS_RULE", f);
        }
    }

    @Command(name = "remove", description = "Removes a points rule (REMOVE_RULE).",
            footer = {"", "Example:", "  prepaid-admin points-rule remove 9"})
    static final class PointsRuleRemove extends RuleRemove {
    }

    // ------------------------------------------------------------------ parameters and the calendar

    /** The system parameters this CLI knows of (a newer switch may know more: they are sent as typed). */
    static final class ParameterNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(dev.prepaid.ledger.Parameters.Name.values()).map(n -> n.key).iterator();
        }
    }

    @Command(name = "parameter", mixinStandardHelpOptions = true, description = "System parameters.",
            subcommands = ParameterSet.class)
    static final class Parameter {
    }

    @Command(name = "set", description = "Sets a system parameter (SET_PARAMETER). A parameter that is an amount"
            + " takes yuan (largeAmountThreshold 3000 is 3,000.00); the others a whole number.",
            footer = {"", "Example:", "  prepaid-admin parameter set largeAmountThreshold 3000",
                "  prepaid-admin parameter set loginTries 5"})
    static final class ParameterSet extends Action.Write {
        @Parameters(index = "0", paramLabel = "NAME", completionCandidates = ParameterNames.class,
                description = "one of ${COMPLETION-CANDIDATES}")
        String name;

        @Parameters(index = "1", paramLabel = "VALUE")
        String value;

        @Override
        public Integer call() {
            final dev.prepaid.ledger.Parameters.Name known = dev.prepaid.ledger.Parameters.Name.ofKey(name);
            final long stored;
            try {
                stored = known != null && known.description.endsWith("(fen)") ? Inputs.fen(value, false)
                        : Inputs.whole(value, Long.MIN_VALUE);
            } catch (final IllegalArgumentException e) {
                throw CliFailure.badInput("VALUE of " + name + ": " + e.getMessage());
            }
            final ObjectNode f = fields();
            f.put("name", name);
            f.put("value", stored);
            return apply("SET_PARAMETER", f);
        }
    }

    @Command(name = "calendar", mixinStandardHelpOptions = true, description = "The settlement calendar.",
            subcommands = CalendarSet.class)
    static final class Calendar {
    }

    @Command(name = "set", description = "Declares a holiday (no settlement), a make-up working day (a weekend day"
            + " worked), or returns a day to normal (SET_CALENDAR_DAY).",
            footer = {"", "Example:", "  prepaid-admin calendar set 2026-10-01 --holiday",
                "  prepaid-admin calendar set 2026-09-27 --workday"})
    static final class CalendarSet extends Action.Write {
        @Parameters(index = "0", paramLabel = "DATE", converter = Inputs.Date.class, description = "2026-10-01")
        int date;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Kind kind;

        static final class Kind {
            @Option(names = "--holiday", description = "a public holiday")
            boolean holiday;

            @Option(names = "--workday", description = "a make-up working day")
            boolean workday;

            @Option(names = "--normal", description = "as the weekday says")
            boolean normal;
        }

        @Override
        public Integer call() {
            final ObjectNode f = fields();
            f.put("date", date);
            f.put("kind", (kind.holiday ? DayKind.HOLIDAY : kind.workday ? DayKind.WORKDAY : DayKind.NORMAL).storedName());
            return apply("SET_CALENDAR_DAY", f);
        }
    }
}
