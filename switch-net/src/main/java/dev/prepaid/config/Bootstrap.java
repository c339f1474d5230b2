package dev.prepaid.config;

import dev.prepaid.card.BuyerKind;
import dev.prepaid.card.Pan;
import dev.prepaid.card.PaymentMethod;
import dev.prepaid.card.SalesChannel;
import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.AdminCommand.BlacklistCard;
import dev.prepaid.command.AdminCommand.Cutover;
import dev.prepaid.command.AdminCommand.FreezeCard;
import dev.prepaid.command.AdminCommand.GenerateCards;
import dev.prepaid.command.AdminCommand.PutDiscountRule;
import dev.prepaid.command.AdminCommand.PutFeeRule;
import dev.prepaid.command.AdminCommand.PutPointsRule;
import dev.prepaid.command.AdminCommand.ReportLost;
import dev.prepaid.command.AdminCommand.ResetPassword;
import dev.prepaid.command.AdminCommand.SellCards;
import dev.prepaid.command.AdminCommand.SetCalendarDay;
import dev.prepaid.command.AdminCommand.SetParameter;
import dev.prepaid.command.AdminCommand.SetPin;
import dev.prepaid.command.AdminCommand.UpsertBinRange;
import dev.prepaid.command.AdminCommand.UpsertCardType;
import dev.prepaid.command.AdminCommand.UpsertIssuer;
import dev.prepaid.command.AdminCommand.UpsertMerchant;
import dev.prepaid.command.AdminCommand.UpsertOperator;
import dev.prepaid.command.AdminCommand.UpsertTerminal;
import dev.prepaid.command.Envelope;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.PosKind;
import dev.prepaid.command.RecordCodec;
import dev.prepaid.fee.FeeMethod;
import dev.prepaid.ledger.Invariants;
import dev.prepaid.ledger.Ledger;
import dev.prepaid.ledger.LedgerConfig;
import dev.prepaid.ledger.Parameters;
import dev.prepaid.merchant.DeployerShareMethod;
import dev.prepaid.merchant.MacAlgorithm;
import dev.prepaid.merchant.MerchantStatus;
import dev.prepaid.merchant.RefundFeePolicy;
import dev.prepaid.merchant.SettlementCycle;
import dev.prepaid.merchant.TerminalStatus;
import dev.prepaid.operator.Operator;
import dev.prepaid.operator.OperatorStatus;
import dev.prepaid.operator.Role;
import dev.prepaid.security.PinCheck;
import dev.prepaid.security.StoredKeys;
import dev.prepaid.time.CivilDate;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.agrona.ExpandableArrayBuffer;

/**
 * The bootstrap file: the reference data (and, for the demo, the cards) of a first start on an empty journal,
 * turned into the ordinary admin commands the server publishes and journals, each with the envelope
 * {@code (system, 0, "bootstrap", <entry>)}. Nothing is applied here; the journal is the only record of the
 * business, so the bootstrap file is read once and never again.
 *
 * <p>Order of the commands:
 * <ol>
 *   <li>{@code Cutover} to the first business date: the file's {@code businessDate} (or today in the configured
 *       zone), or earlier when a demo card is sold {@code soldMonthsAgo};</li>
 *   <li>parameters, calendar days, issuers, card types, BIN ranges, card generation;</li>
 *   <li>demo cards sold in the past, each past date opened by a {@code Cutover}; then {@code Cutover} to the
 *       business date;</li>
 *   <li>merchants with their fee and discount rules, points rules, terminals, operators;</li>
 *   <li>card sales of the {@code cards.sell} ranges (in runs of at most {@code ledger.maxBatchCards}), then the
 *       demo cards sold today: sale, PIN, state (frozen, lost, blacklisted).</li>
 * </ol>
 *
 * <p>Checks here: types and unknown keys (as the configuration), required keys, duplicate ids, every
 * cross-reference (a card type's issuer, a BIN range's card type, a terminal's merchant and TMK in the key file, a
 * rule's merchant and card type, an operator's merchant scope, a sold or demo card inside the generated accounts
 * of its range and sold once, …), parameters by name and range, dates. Each problem is one line naming the
 * entry, and all are reported together. The ledger's own rules (lengths, MCC digits, real-name and cash rules,
 * caps) are checked by {@link #rehearse}: the commands applied to a scratch ledger, the first refusal named by its
 * entry.
 *
 * <p>Secrets: an operator's {@code password} and a demo card's {@code pin} in clear are accepted only in the
 * demo ({@code keys.development: true}); a password is hashed at load with Argon2id ({@link PasswordHasher}), a
 * PIN turned into its check value with the PIN verification key {@code pvk} of the key file. Neither clear value
 * is kept. A real installation gives {@code passwordHash} and {@code pinCheck} instead: the check value the
 * ledger stores ({@link PinCheck#toText}), computed offline by {@code bin/prepaid keys pin-check} for the issuer's
 * PIN mailer run, so no PIN is ever written in the file.
 *
 * <p>{@code cards.demo} is also the only way the file sells a named card (one card, with its holder): bulk sales
 * ({@code cards.sell}) are of anonymous types only.
 */
public final class Bootstrap {
    /** Operator of every bootstrap command: the switch itself. */
    public static final String OPERATOR = Operator.SYSTEM_ID;
    /** Source of every bootstrap command's envelope. */
    public static final String SOURCE = "bootstrap";
    /** A bootstrap file of a large business (tens of thousands of terminals) is a few MiB. */
    static final long MAX_FILE_BYTES = 64L * 1024 * 1024;

    /** The state a demo card is left in after its sale. */
    public enum CardState {
        ACTIVE,
        FROZEN,
        /** Reported lost (named cards only). */
        LOST,
        BLACKLISTED
    }

    /**
     * What the bootstrap needs besides the file.
     *
     * @param today the business date when the file gives none (today in the configured zone)
     * @param ledger capacities: sales are split into runs of {@code maxBatchCards}; {@link #rehearse()} uses it
     * @param keys the decrypted key file, to check key references and to compute PIN check values; null: no key
     *        checks, and demo PINs are refused
     * @param hasher hashes clear operator passwords
     * @param development clear passwords and PINs are accepted (the demo, with the development MFK)
     */
    public record Options(LocalDate today, LedgerConfig ledger, StoredKeys keys, PasswordHasher hasher,
            boolean development) {
        public Options {
            Objects.requireNonNull(today, "today");
            Objects.requireNonNull(ledger, "ledger");
            Objects.requireNonNull(hasher, "hasher");
        }

        /** The options a server with this configuration and key file uses; today is taken from {@code clock}. */
        public static Options of(final SwitchConfig config, final StoredKeys keys, final Clock clock) {
            return new Options(LocalDate.now(clock.withZone(config.business().timeZone())), config.ledger(), keys,
                    new PasswordHasher(config.admin().passwordHashing()), config.keys().development());
        }
    }

    /**
     * A demo card as the file documents it (the simulator and tests use it).
     *
     * @param balanceFen its balance once the bootstrap is applied
     * @param pin the clear PIN, or null when none is set
     * @param soldDate business date of its sale, yyyymmdd
     */
    public record DemoCard(String pan, String description, int cardTypeId, boolean named, long balanceFen,
            CardState state, String pin, int soldDate) {
        @Override
        public String toString() {
            return "DemoCard[" + Pan.mask(pan) + ", " + description + ", " + state + "]";
        }
    }

    private final String source;
    private final int businessDate;
    private final List<BootstrapCommand> commands;
    private final List<DemoCard> demoCards;
    private final LedgerConfig ledger;

    private Bootstrap(final String source, final int businessDate, final List<BootstrapCommand> commands,
            final List<DemoCard> demoCards, final LedgerConfig ledger) {
        this.source = source;
        this.businessDate = businessDate;
        this.commands = List.copyOf(commands);
        this.demoCards = List.copyOf(demoCards);
        this.ledger = ledger;
    }

    /**
     * Reads a bootstrap file into commands.
     *
     * @throws ConfigException one line per problem, each naming the file and the entry
     */
    public static Bootstrap load(final Path file, final Options options) {
        final String source = file.toString();
        return new Compiler(source, options).compile(YamlFiles.read(file, source, BootstrapFile.class, MAX_FILE_BYTES));
    }

    /** As {@link #load} from text; {@code source} names it in messages. */
    public static Bootstrap parse(final String source, final String yaml, final Options options) {
        return new Compiler(source, options).compile(YamlFiles.parse(source, yaml, BootstrapFile.class));
    }

    /** The business date the switch is left on, yyyymmdd. */
    public int businessDate() {
        return businessDate;
    }

    /** The commands in the order to publish them. */
    public List<BootstrapCommand> commands() {
        return commands;
    }

    /** The demo cards of the file, in file order. */
    public List<DemoCard> demoCards() {
        return demoCards;
    }

    /** {@link #rehearse(LedgerConfig)} with the capacities of the options. */
    public Ledger rehearse() {
        return rehearse(ledger);
    }

    /**
     * Applies the commands to a fresh ledger, as the server would after journaling them, and checks every ledger
     * identity at the end. Costs the memory of a ledger of {@code config}'s capacities.
     *
     * @return the ledger as the bootstrap leaves it
     * @throws ConfigException naming the entry of the first command the ledger refuses, with its reason
     */
    public Ledger rehearse(final LedgerConfig config) {
        final Ledger scratch = new Ledger(config);
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64 * 1024);
        final Outcome outcome = new Outcome();
        long timestamp = 0;
        for (final BootstrapCommand command : commands) {
            if (command.command() instanceof Cutover) {
                final int date = ((Cutover) command.command()).newBusinessDate();
                timestamp = Math.max(timestamp, LocalDate.of(date / 10_000, date / 100 % 100, date % 100)
                        .atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli());
            }
            final int length = RecordCodec.encode(command.envelope(), command.command(), buffer, 0);
            scratch.apply(buffer, 0, length, timestamp, outcome);
            if (!outcome.approved()) {
                throw new ConfigException(source + ": " + command.entry() + ": the ledger refuses "
                        + command.command().getClass().getSimpleName() + ": " + outcome.reason
                        + (outcome.detail == null ? "" : " (" + outcome.detail + ")"));
            }
        }
        Invariants.check(scratch.state());
        return scratch;
    }

    // ====================================================================== reading the file

    /** One pass over the file: checks, then commands. */
    private static final class Compiler {
        private final String source;
        private final Options options;
        private final List<String> problems = new ArrayList<>();

        private final Map<String, BootstrapFile.Issuer> issuers = new LinkedHashMap<>();
        private final Map<Integer, TypeInfo> types = new LinkedHashMap<>();
        private final Map<String, RangeInfo> ranges = new LinkedHashMap<>();
        private final Set<String> merchants = new HashSet<>();
        private final Set<Long> ruleIds = new HashSet<>();
        private final Set<String> operatorIds = new HashSet<>();
        private final List<Planned> planned = new ArrayList<>();

        Compiler(final String source, final Options options) {
            this.source = source;
            this.options = options;
        }

        private record TypeInfo(int id, boolean named, long initialBalance) {
        }

        private static final class RangeInfo {
            final String bin;
            final int panLength;
            final int cardTypeId;
            final long firstAccount;
            final long lastAccount;
            long generated;
            /** Accounts sold, by first account: last account and entry. */
            final TreeMap<Long, Object[]> sold = new TreeMap<>();

            RangeInfo(final String bin, final int panLength, final int cardTypeId, final long firstAccount,
                    final long lastAccount) {
                this.bin = bin;
                this.panLength = panLength;
                this.cardTypeId = cardTypeId;
                this.firstAccount = firstAccount;
                this.lastAccount = lastAccount;
            }

            int accountDigits() {
                return panLength - 1 - bin.length();
            }

            String pan(final long account) {
                final String body = bin + String.format("%0" + accountDigits() + "d", account);
                return body + Pan.luhnCheckDigit(Long.parseLong(body), body.length());
            }

            String name() {
                return bin + "/" + panLength;
            }
        }

        /** Commands of a group, decided once every entry is checked. */
        private record Planned(int phase, int date, String entry, AdminCommand command) {
        }

        private static final int PHASE_SETUP = 0;
        private static final int PHASE_PAST_SALES = 1;
        private static final int PHASE_REFERENCE = 2;
        private static final int PHASE_SALES = 3;
        private static final int PHASE_DEMO = 4;

        Bootstrap compile(final BootstrapFile file) {
            final int businessDate = businessDate(file.businessDate());
            final LocalDate business = businessDate == 0 ? options.today() : local(businessDate);
            parameters(file.parameters());
            calendar(list(file.calendar()));
            issuers(list(file.issuers()));
            cardTypes(list(file.cardTypes()));
            binRanges(list(file.binRanges()));
            final BootstrapFile.Cards cards = file.cards() == null ? new BootstrapFile.Cards(null, null, null) : file.cards();
            generate(list(cards.generate()));
            merchants(list(file.merchants()));
            pointsRules(list(file.pointsRules()));
            terminals(list(file.terminals()));
            final List<Runnable> hashing = operators(list(file.operators()));
            sell(list(cards.sell()));
            final List<DemoCard> demo = demoCards(list(cards.demo()), business);
            if (!problems.isEmpty()) {
                throw new ConfigException(problems);
            }
            hashing.forEach(Runnable::run);
            return new Bootstrap(source, yyyymmdd(business), order(yyyymmdd(business)), demo, options.ledger());
        }

        /** The planned commands in publishing order, with the cut-overs between business dates. */
        private List<BootstrapCommand> order(final int businessDate) {
            final List<BootstrapCommand> out = new ArrayList<>();
            final TreeMap<Integer, List<Planned>> pastByDate = new TreeMap<>();
            for (final Planned p : planned) {
                if (p.phase() == PHASE_PAST_SALES) {
                    pastByDate.computeIfAbsent(p.date(), d -> new ArrayList<>()).add(p);
                }
            }
            final int firstDate = pastByDate.isEmpty() ? businessDate : pastByDate.firstKey();
            out.add(command("businessDate", new Cutover(firstDate)));
            addPhase(out, PHASE_SETUP);
            for (final Map.Entry<Integer, List<Planned>> day : pastByDate.entrySet()) {
                if (day.getKey() != firstDate) {
                    out.add(command("cards.demo (sold " + CivilDate.iso(CivilDate.epochDay(day.getKey())) + ")",
                            new Cutover(day.getKey())));
                }
                for (final Planned p : day.getValue()) {
                    out.add(command(p.entry(), p.command()));
                }
            }
            if (firstDate != businessDate) {
                out.add(command("businessDate", new Cutover(businessDate)));
            }
            addPhase(out, PHASE_REFERENCE);
            addPhase(out, PHASE_SALES);
            addPhase(out, PHASE_DEMO);
            return out;
        }

        private void addPhase(final List<BootstrapCommand> out, final int phase) {
            for (final Planned p : planned) {
                if (p.phase() == phase) {
                    out.add(command(p.entry(), p.command()));
                }
            }
        }

        private static BootstrapCommand command(final String entry, final AdminCommand command) {
            return new BootstrapCommand(entry, new Envelope(OPERATOR, 0, SOURCE, entry), command);
        }

        private void plan(final int phase, final String entry, final AdminCommand command) {
            planned.add(new Planned(phase, 0, entry, command));
        }

        // ------------------------------------------------------------------ sections

        private int businessDate(final String text) {
            if (text == null) {
                return 0;
            }
            return date(text, "businessDate", "");
        }

        private void parameters(final Map<String, Long> parameters) {
            if (parameters == null) {
                return;
            }
            final Map<Parameters.Name, Long> effective = new HashMap<>();
            for (final Map.Entry<String, Long> entry : parameters.entrySet()) {
                final String where = "parameters." + entry.getKey();
                final Parameters.Name name = Parameters.Name.ofKey(entry.getKey());
                if (name == null) {
                    final List<String> known = new ArrayList<>();
                    for (final Parameters.Name n : Parameters.Name.values()) {
                        known.add(n.key);
                    }
                    problem(where, "no such parameter; the parameters are " + String.join(", ", known));
                    continue;
                }
                final long value = entry.getValue();
                if (value < name.min || value > name.max) {
                    problem(where, value + " is out of range " + name.min + ".." + name.max + " (" + name.description + ")");
                    continue;
                }
                effective.put(name, value);
                plan(PHASE_SETUP, where, new SetParameter(name.key, value));
            }
            final long window = effective.getOrDefault(Parameters.Name.REFUND_WINDOW_DAYS,
                    Parameters.Name.REFUND_WINDOW_DAYS.defaultValue);
            final long kept = effective.getOrDefault(Parameters.Name.TRANSACTIONS_KEPT_DAYS,
                    Parameters.Name.TRANSACTIONS_KEPT_DAYS.defaultValue);
            if (kept < window) {
                problem("parameters.transactionsKeptDays", kept + " is less than refundWindowDays " + window
                        + ": a refund must find its purchase");
                return;
            }
            // Set in an order the ledger accepts at every step (it checks kept >= window after each change): on a
            // fresh ledger (window 30), a retention of at least 30 days goes first, a shorter one after the window.
            if (effective.containsKey(Parameters.Name.REFUND_WINDOW_DAYS)
                    && effective.containsKey(Parameters.Name.TRANSACTIONS_KEPT_DAYS)) {
                final String first = kept >= Parameters.Name.REFUND_WINDOW_DAYS.defaultValue
                        ? Parameters.Name.TRANSACTIONS_KEPT_DAYS.key : Parameters.Name.REFUND_WINDOW_DAYS.key;
                planned.sort((a, b) -> Boolean.compare(!isParameter(a, first), !isParameter(b, first)));
            }
        }

        private static boolean isParameter(final Planned p, final String key) {
            return p.command() instanceof SetParameter && key.equals(((SetParameter) p.command()).name());
        }

        private void calendar(final List<BootstrapFile.CalendarDay> days) {
            final Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < days.size(); i++) {
                final BootstrapFile.CalendarDay day = days.get(i);
                final String where = "calendar[" + i + "]";
                final int date = date(required(day.date(), where, "date"), where, "date");
                if (day.kind() == null) {
                    problem(where, "kind is required: HOLIDAY, WORKDAY or NORMAL");
                    continue;
                }
                if (date == 0) {
                    continue;
                }
                if (!seen.add(date)) {
                    problem(where, day.date() + " is listed twice");
                    continue;
                }
                plan(PHASE_SETUP, where + " (" + day.date() + ")", new SetCalendarDay(date, day.kind()));
            }
        }

        private void issuers(final List<BootstrapFile.Issuer> list) {
            for (int i = 0; i < list.size(); i++) {
                final BootstrapFile.Issuer issuer = list.get(i);
                final String where = "issuers[" + i + "]" + label(issuer.code());
                if (required(issuer.code(), where, "code") == null) {
                    continue;
                }
                if (issuers.putIfAbsent(issuer.code(), issuer) != null) {
                    problem(where, "issuer code " + issuer.code() + " is defined twice");
                    continue;
                }
                if (required(issuer.name(), where, "name") == null
                        | required(issuer.institutionId(), where, "institutionId") == null) {
                    continue;
                }
                plan(PHASE_SETUP, where, new UpsertIssuer(issuer.code(), issuer.name(), issuer.institutionId()));
            }
        }

        private void cardTypes(final List<BootstrapFile.CardType> list) {
            for (int i = 0; i < list.size(); i++) {
                final BootstrapFile.CardType t = list.get(i);
                final String where = "cardTypes[" + i + "]" + label(t.id() == null ? null : "id " + t.id());
                if (t.id() == null | required(t.name(), where, "name") == null | required(t.issuer(), where, "issuer") == null
                        | t.named() == null) {
                    if (t.id() == null) {
                        problem(where, "id is required (1..65535)");
                    }
                    if (t.named() == null) {
                        problem(where, "named is required: true (holder known, no expiry) or false (anonymous)");
                    }
                    continue;
                }
                if (t.id() < 1 || t.id() > 65_535) {
                    problem(where, "id " + t.id() + " is out of range 1..65535");
                    continue;
                }
                if (types.containsKey(t.id())) {
                    problem(where, "card type id " + t.id() + " is defined twice");
                    continue;
                }
                if (!issuers.containsKey(t.issuer())) {
                    problem(where, "issuer " + t.issuer() + " is not among the issuers");
                }
                int validity = 0;
                if (t.named()) {
                    if (t.validityMonths() != null && t.validityMonths() != 0) {
                        problem(where, "named cards have no expiry: leave validityMonths out");
                    }
                } else if (t.validityMonths() == null) {
                    problem(where, "validityMonths is required for an anonymous card type (at least the parameter"
                            + " anonymousMinValidityMonths, 36 by default)");
                } else {
                    validity = t.validityMonths();
                }
                final List<PosKind> permittedList = t.permitted() == null ? permissionControlled() : t.permitted();
                final int permitted = kinds(permittedList, where + ".permitted");
                final int pinRequired = kinds(list(t.pinRequired()), where + ".pinRequired");
                if ((pinRequired & ~permitted) != 0) {
                    problem(where, "pinRequired names a kind that permitted does not");
                }
                if (options.keys() != null && !options.keys().contains(KeyNames.cvk(t.id()))) {
                    problem(where, "the key file has no CVK pair '" + KeyNames.cvk(t.id()) + "' for this card type");
                }
                final BootstrapFile.Limits limits = t.limits() == null ? new BootstrapFile.Limits(null, null, null, null, null)
                        : t.limits();
                final long initial = fen(t.initialBalanceFen());
                types.put(t.id(), new TypeInfo(t.id(), t.named(), initial));
                plan(PHASE_SETUP, where, new UpsertCardType(t.id(), t.name(), t.issuer(), t.named(), fen(t.balanceCapFen()),
                        initial, fen(t.depositFen()), fen(t.issuanceFeeFen()), fen(t.replacementFeeFen()),
                        fen(t.lostReportFeeFen()), bool(t.rechargeable(), true), validity, permitted, pinRequired,
                        t.pinTries() == null ? 0 : t.pinTries(), fen(limits.singleFen()), fen(limits.dailyAmountFen()),
                        count(limits.dailyCount()), fen(limits.monthlyAmountFen()), count(limits.monthlyCount()),
                        t.pointsPerYuan() == null ? 0 : t.pointsPerYuan(), bool(t.onSale(), true)));
            }
        }

        private void binRanges(final List<BootstrapFile.BinRange> list) {
            for (int i = 0; i < list.size(); i++) {
                final BootstrapFile.BinRange r = list.get(i);
                final String where = "binRanges[" + i + "]" + label(r.bin() == null ? null : r.bin() + "/" + r.panLength());
                if (required(r.bin(), where, "bin") == null | r.panLength() == null | r.cardType() == null) {
                    if (r.panLength() == null) {
                        problem(where, "panLength is required (13..19)");
                    }
                    if (r.cardType() == null) {
                        problem(where, "cardType is required (a card type id)");
                    }
                    continue;
                }
                if (!r.bin().matches("\\d{6}|\\d{8}")) {
                    problem(where, "bin must be 6 or 8 digits in quotes, got '" + r.bin() + "'");
                    continue;
                }
                final int accountDigits = r.panLength() - 1 - r.bin().length();
                if (r.panLength() < Pan.MIN_LENGTH || r.panLength() > Pan.MAX_LENGTH || accountDigits < 1) {
                    problem(where, "panLength must be 13..19 and longer than the BIN plus a check digit");
                    continue;
                }
                if (!types.containsKey(r.cardType())) {
                    problem(where, "card type " + r.cardType() + " is not among the card types");
                }
                final long first = r.firstAccount() == null ? 0 : r.firstAccount();
                final long last = r.lastAccount() == null ? Pan.powerOfTen(accountDigits) - 1 : r.lastAccount();
                if (first < 0 || last < first || last >= Pan.powerOfTen(accountDigits)) {
                    problem(where, "accounts must satisfy 0 <= firstAccount <= lastAccount < 10^" + accountDigits);
                    continue;
                }
                final RangeInfo range = new RangeInfo(r.bin(), r.panLength(), r.cardType(), first, last);
                if (ranges.putIfAbsent(range.name(), range) != null) {
                    problem(where, "BIN " + r.bin() + " with PAN length " + r.panLength() + " is defined twice");
                    continue;
                }
                plan(PHASE_SETUP, where, new UpsertBinRange(r.bin(), r.panLength(), r.cardType(), first, last));
            }
        }

        private void generate(final List<BootstrapFile.Generate> list) {
            for (int i = 0; i < list.size(); i++) {
                final BootstrapFile.Generate g = list.get(i);
                final String where = "cards.generate[" + i + "]";
                final RangeInfo range = range(g.bin(), g.panLength(), where);
                if (g.count() == null || g.count() < 1) {
                    problem(where, "count is required and at least 1");
                    continue;
                }
                if (range == null) {
                    continue;
                }
                final long size = range.lastAccount - range.firstAccount + 1;
                if (range.generated + g.count() > size) {
                    problem(where, "range " + range.name() + " holds " + size + " accounts; " + range.generated
                            + " are generated already and " + g.count() + " more do not fit");
                    continue;
                }
                range.generated += g.count();
                plan(PHASE_SETUP, where + " (" + range.name() + ")", new GenerateCards(range.bin, range.panLength, g.count()));
            }
        }

        private void merchants(final List<BootstrapFile.Merchant> list) {
            for (int i = 0; i < list.size(); i++) {
                final BootstrapFile.Merchant m = list.get(i);
                final String where = "merchants[" + i + "]" + label(m.id());
                if (required(m.id(), where, "id") == null) {
                    continue;
                }
                // Known from here on, so that a problem below does not make every reference to it a problem too.
                if (!merchants.add(m.id())) {
                    problem(where, "merchant id " + m.id() + " is defined twice");
                    continue;
                }
                if (required(m.name(), where, "name") == null | required(m.category(), where, "category") == null) {
                    continue;
                }
                if (m.bank() == null) {
                    problem(where, "bank is required: account, accountName, bankName, cnapsCode (where payouts go)");
                    continue;
                }
                final BootstrapFile.Bank bank = m.bank();
                if (required(bank.account(), where, "bank.account") == null
                        | required(bank.accountName(), where, "bank.accountName") == null
                        | required(bank.bankName(), where, "bank.bankName") == null
                        | required(bank.cnapsCode(), where, "bank.cnapsCode") == null) {
                    continue;
                }
                final BootstrapFile.Settlement s = m.settlement() == null ? new BootstrapFile.Settlement(null, null, null)
                        : m.settlement();
                final SettlementCycle cycle = s.cycle() == null ? SettlementCycle.T_PLUS_1 : s.cycle();
                int days = s.days() == null ? 0 : s.days();
                if (cycle == SettlementCycle.T_PLUS_1) {
                    days = 1;
                } else if ((cycle == SettlementCycle.T_PLUS_N || cycle == SettlementCycle.THRESHOLD_OR_T_PLUS_N)
                        && s.days() == null) {
                    problem(where, "settlement.days is required for a " + cycle + " cycle (1..30)");
                } else if (cycle == SettlementCycle.WEEKLY && s.days() == null) {
                    problem(where, "settlement.days is required for a WEEKLY cycle: its payout weekday 1 (Monday)..7");
                } else if (cycle == SettlementCycle.MONTHLY && s.days() == null) {
                    problem(where, "settlement.days is required for a MONTHLY cycle: its payout day of the month 1..31");
                }
                if ((cycle == SettlementCycle.THRESHOLD || cycle == SettlementCycle.THRESHOLD_OR_T_PLUS_N)
                        && s.thresholdFen() == null) {
                    problem(where, "settlement.thresholdFen is required for a " + cycle + " cycle");
                }
                plan(PHASE_REFERENCE, where, new UpsertMerchant(m.id(), m.name(), m.category(),
                        m.status() == null ? MerchantStatus.ACTIVE : m.status(), cycle, days, fen(s.thresholdFen()),
                        m.refundFeePolicy() == null ? RefundFeePolicy.NONE : m.refundFeePolicy(),
                        bool(m.rechargeAllowed(), false), bank.account(), bank.accountName(), bank.bankName(),
                        bank.cnapsCode()));
                feeRules(m.id(), list(m.feeRules()), where);
                discountRules(m.id(), list(m.discountRules()), where);
            }
        }

        private void feeRules(final String merchantId, final List<BootstrapFile.FeeRule> rules, final String merchant) {
            for (int i = 0; i < rules.size(); i++) {
                final BootstrapFile.FeeRule r = rules.get(i);
                final String where = merchant + ".feeRules[" + i + "]";
                if (!ruleId(r.id(), where) | !cardTypeOrAny(r.cardType(), where)) {
                    continue;
                }
                if (r.method() == null) {
                    problem(where, "method is required: PERCENT, FIXED, PERCENT_MIN_CAP, PERIODIC or FREE");
                    continue;
                }
                int kinds = 0;
                if (r.method() != FeeMethod.PERIODIC) {
                    final List<PosKind> named = r.kinds() == null ? List.of(PosKind.PURCHASE, PosKind.COMPLETION) : r.kinds();
                    for (final PosKind kind : named) {
                        if (kind != PosKind.PURCHASE && kind != PosKind.COMPLETION) {
                            problem(where, "kinds may name PURCHASE and COMPLETION only (refund fees follow the"
                                    + " merchant's refundFeePolicy), not " + kind);
                        }
                        kinds |= kind.bit();
                    }
                }
                final int from = date(r.from(), where, "from");
                final int to = date(r.to(), where, "to");
                plan(PHASE_REFERENCE, where + " (rule " + r.id() + ")", new PutFeeRule(r.id(), merchantId,
                        r.cardType() == null ? 0 : r.cardType(), kinds, from, to, r.priority() == null ? 0 : r.priority(),
                        r.method(), fen(r.ratePpm()), fen(r.fixedFen()), fen(r.minFen()), fen(r.capFen())));
            }
        }

        private void discountRules(final String merchantId, final List<BootstrapFile.DiscountRule> rules,
                final String merchant) {
            for (int i = 0; i < rules.size(); i++) {
                final BootstrapFile.DiscountRule r = rules.get(i);
                final String where = merchant + ".discountRules[" + i + "]";
                if (!ruleId(r.id(), where) | !cardTypeOrAny(r.cardType(), where)) {
                    continue;
                }
                if (r.ratePpm() == null) {
                    problem(where, "ratePpm is required (e.g. 50000 for 5 %)");
                    continue;
                }
                final int from = date(r.from(), where, "from");
                final int to = date(r.to(), where, "to");
                plan(PHASE_REFERENCE, where + " (rule " + r.id() + ")", new PutDiscountRule(r.id(), merchantId,
                        r.cardType() == null ? 0 : r.cardType(), from, to, r.priority() == null ? 0 : r.priority(),
                        r.ratePpm(), fen(r.minPurchaseFen()), fen(r.capFen())));
            }
        }

        private void pointsRules(final List<BootstrapFile.PointsRule> rules) {
            for (int i = 0; i < rules.size(); i++) {
                final BootstrapFile.PointsRule r = rules.get(i);
                final String where = "pointsRules[" + i + "]";
                if (!ruleId(r.id(), where) | !cardTypeOrAny(r.cardType(), where)) {
                    continue;
                }
                final String merchant = r.merchant() == null ? "" : r.merchant();
                if (!merchant.isEmpty() && !merchants.contains(merchant)) {
                    problem(where, "merchant " + merchant + " is not among the merchants (leave it out for every merchant)");
                    continue;
                }
                if (r.pointsPerYuan() == null) {
                    problem(where, "pointsPerYuan is required");
                    continue;
                }
                final int from = date(r.from(), where, "from");
                final int to = date(r.to(), where, "to");
                plan(PHASE_REFERENCE, where + " (rule " + r.id() + ")", new PutPointsRule(r.id(), merchant,
                        r.cardType() == null ? 0 : r.cardType(), from, to, r.priority() == null ? 0 : r.priority(),
                        r.pointsPerYuan()));
            }
        }

        private void terminals(final List<BootstrapFile.Terminal> list) {
            final Set<String> seen = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                final BootstrapFile.Terminal t = list.get(i);
                final String where = "terminals[" + i + "]" + label(t.id());
                if (required(t.id(), where, "id") == null | required(t.merchant(), where, "merchant") == null
                        | required(t.serial(), where, "serial") == null) {
                    continue;
                }
                if (!seen.add(t.id())) {
                    problem(where, "terminal id " + t.id() + " is defined twice");
                    continue;
                }
                if (!merchants.contains(t.merchant())) {
                    problem(where, "merchant " + t.merchant() + " is not among the merchants");
                    continue;
                }
                final String keyReference = t.keyReference() == null ? KeyNames.tmk(t.id()) : t.keyReference();
                if (!KeyNames.isTmk(keyReference)) {
                    // bin/prepaid keys add makes only such names, so another could never be in the key file
                    problem(where, "keyReference '" + keyReference + "' is not a TMK name: tmk. and 1-60 of"
                            + " A-Z a-z 0-9 . _ - :");
                    continue;
                }
                if (options.keys() != null && !options.keys().contains(keyReference)) {
                    problem(where, "the key file has no TMK '" + keyReference + "' (keyReference)");
                    continue;
                }
                final BootstrapFile.Deployer d = t.deployer() == null ? new BootstrapFile.Deployer(null, null, null)
                        : t.deployer();
                final DeployerShareMethod share = d.shareMethod() == null ? DeployerShareMethod.NONE : d.shareMethod();
                if (share != DeployerShareMethod.NONE && (d.code() == null || d.shareRatePpm() == null)) {
                    problem(where, "deployer.code and deployer.shareRatePpm are required with shareMethod " + share);
                    continue;
                }
                plan(PHASE_REFERENCE, where, new UpsertTerminal(t.id(), t.merchant(), t.serial(),
                        t.status() == null ? TerminalStatus.ACTIVE : t.status(),
                        t.macAlgorithm() == null ? MacAlgorithm.CUP_ECB : t.macAlgorithm(), keyReference,
                        d.code() == null ? "" : d.code(), share, fen(d.shareRatePpm())));
            }
        }

        /** Checks operators; the returned tasks hash the clear passwords once the whole file is known good. */
        private List<Runnable> operators(final List<BootstrapFile.Operator> list) {
            final List<Runnable> hashing = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                final BootstrapFile.Operator o = list.get(i);
                final String where = "operators[" + i + "]" + label(o.id());
                if (required(o.id(), where, "id") == null | required(o.name(), where, "name") == null | o.role() == null) {
                    if (o.role() == null) {
                        problem(where, "role is required: ADMINISTRATOR, CLERK, SUPERVISOR, FINANCE, AUDITOR or"
                                + " MERCHANT_USER");
                    }
                    continue;
                }
                if (Operator.SYSTEM_ID.equals(o.id()) || o.role() == Role.SYSTEM) {
                    problem(where, "'system' is the switch itself; it is never an operator of the file");
                    continue;
                }
                if (!operatorIds.add(o.id())) {
                    problem(where, "operator id " + o.id() + " is defined twice");
                    continue;
                }
                final String scope = o.merchantScope() == null ? "" : o.merchantScope();
                if (!scope.isEmpty() && !merchants.contains(scope)) {
                    problem(where, "merchantScope " + scope + " is not among the merchants");
                    continue;
                }
                if (o.role() == Role.MERCHANT_USER && scope.isEmpty()) {
                    problem(where, "a MERCHANT_USER needs a merchantScope");
                    continue;
                }
                if ((o.password() == null) == (o.passwordHash() == null)) {
                    problem(where, "give either password (demo only) or passwordHash ($argon2id$…), not "
                            + (o.password() == null ? "neither" : "both"));
                    continue;
                }
                if (o.password() != null && !options.development()) {
                    problem(where, "a password in clear is accepted only in the demo (keys.development: true); give"
                            + " passwordHash, an Argon2id hash");
                    continue;
                }
                if (o.password() != null && o.password().isEmpty()) {
                    problem(where, "password is empty");
                    continue;
                }
                if (o.passwordHash() != null && !PasswordHasher.isWellFormed(o.passwordHash())) {
                    problem(where, "passwordHash is not an Argon2id hash $argon2id$v=19$m=…,t=…,p=…$salt$hash");
                    continue;
                }
                final int index = planned.size();
                final OperatorStatus status = o.status() == null ? OperatorStatus.ACTIVE : o.status();
                plan(PHASE_REFERENCE, where, new UpsertOperator(o.id(), o.name(), o.role(), scope, status,
                        o.passwordHash() == null ? "" : o.passwordHash()));
                // The file set the password, so the operator changes it at the first login (docs/admin-api.md).
                plan(PHASE_REFERENCE, where, new ResetPassword(o.id(), o.passwordHash() == null ? "" : o.passwordHash()));
                if (o.password() != null) {
                    hashing.add(() -> {
                        final char[] clear = o.password().toCharArray();
                        try {
                            final String hash = options.hasher().hash(clear);
                            final Planned p = planned.get(index);
                            planned.set(index, new Planned(p.phase(), p.date(), p.entry(), new UpsertOperator(o.id(),
                                    o.name(), o.role(), scope, status, hash)));
                            final Planned reset = planned.get(index + 1);
                            planned.set(index + 1, new Planned(reset.phase(), reset.date(), reset.entry(),
                                    new ResetPassword(o.id(), hash)));
                        } finally {
                            Arrays.fill(clear, '\0');
                        }
                    });
                }
            }
            return hashing;
        }

        private void sell(final List<BootstrapFile.Sell> list) {
            for (int i = 0; i < list.size(); i++) {
                final BootstrapFile.Sell s = list.get(i);
                final String where = "cards.sell[" + i + "]";
                final RangeInfo range = range(s.bin(), s.panLength(), where);
                if (s.fromAccount() == null | s.count() == null | s.payment() == null
                        | (s.buyer() == null || s.buyer().kind() == null)) {
                    problem(where, "fromAccount, count, payment and buyer.kind are required");
                    continue;
                }
                if (range == null) {
                    continue;
                }
                final TypeInfo type = types.get(range.cardTypeId);
                if (type != null && type.named()) {
                    problem(where, "range " + range.name() + " is of named card type " + type.id() + ": named cards are"
                            + " sold one at a time with their holder (cards.demo)");
                    continue;
                }
                if (s.count() < 1) {
                    problem(where, "count must be at least 1");
                    continue;
                }
                if (!claim(range, s.fromAccount(), s.fromAccount() + s.count() - 1, where)) {
                    continue;
                }
                final BootstrapFile.Buyer buyer = s.buyer();
                final long face = s.faceValueFen() == null ? -1 : s.faceValueFen();
                final int batch = options.ledger().maxBatchCards();
                for (long done = 0; done < s.count(); done += batch) {
                    final int run = (int) Math.min(batch, s.count() - done);
                    final String pan = range.pan(s.fromAccount() + done);
                    plan(PHASE_SALES, where + " (" + range.name() + " accounts " + (s.fromAccount() + done) + ".."
                            + (s.fromAccount() + done + run - 1) + ")", new SellCards(pan, run, face, s.payment(),
                            s.channel() == null ? SalesChannel.COUNTER : s.channel(), buyer.kind(), text(buyer.name()),
                            text(buyer.idType()), text(buyer.idNumber()), "", "", "", ""));
                }
            }
        }

        private List<DemoCard> demoCards(final List<BootstrapFile.DemoCard> list, final LocalDate business) {
            final List<DemoCard> out = new ArrayList<>();
            final PinCheck pins = options.keys() != null && options.keys().contains(KeyNames.PIN_VERIFICATION_KEY)
                    ? new PinCheck(options.keys().key(KeyNames.PIN_VERIFICATION_KEY)) : null;
            for (int i = 0; i < list.size(); i++) {
                final BootstrapFile.DemoCard c = list.get(i);
                final String pan = c.pan();
                final String where = "cards.demo[" + i + "]" + label(pan == null ? null : Pan.mask(pan));
                if (required(pan, where, "pan") == null) {
                    continue;
                }
                if (!pan.matches("\\d{13,19}") || Pan.parseKey(pan) < 0) {
                    problem(where, "pan must be 13-19 digits in quotes with a valid Luhn check digit");
                    continue;
                }
                final RangeInfo range = rangeOf(pan);
                if (range == null) {
                    problem(where, "no BIN range of length " + pan.length() + " holds this card number");
                    continue;
                }
                final long account = Long.parseLong(pan.substring(range.bin.length(), pan.length() - 1));
                if (!claim(range, account, account, where)) {
                    continue;
                }
                final TypeInfo type = types.get(range.cardTypeId);
                if (type == null) {
                    continue;
                }
                final BootstrapFile.Holder holder = c.holder();
                if (type.named() && (holder == null || holder.name() == null || holder.idType() == null
                        || holder.idNumber() == null)) {
                    problem(where, "card type " + type.id() + " is named: holder.name, holder.idType and"
                            + " holder.idNumber are required");
                    continue;
                }
                if (!type.named() && holder != null) {
                    problem(where, "card type " + type.id() + " is anonymous: an anonymous card has no holder");
                    continue;
                }
                final CardState state = c.state() == null ? CardState.ACTIVE : c.state();
                if (state == CardState.LOST && !type.named()) {
                    problem(where, "only named cards can be reported lost");
                    continue;
                }
                final int monthsAgo = c.soldMonthsAgo() == null ? 0 : c.soldMonthsAgo();
                if (monthsAgo < 0 || monthsAgo > 1200) {
                    problem(where, "soldMonthsAgo " + monthsAgo + " is out of range 0..1200");
                    continue;
                }
                long pinCheck = 0;
                if (c.pin() != null && c.pinCheck() != null) {
                    problem(where, "give either pin (demo only) or pinCheck, not both");
                    continue;
                }
                if (c.pinCheck() != null) {
                    pinCheck = PinCheck.parseText(c.pinCheck());
                    if (PinCheck.isError(pinCheck)) {
                        problem(where, "pinCheck must be " + PinCheck.TEXT_DIGITS + " hex digits in quotes, as"
                                + " bin/prepaid keys pin-check prints them");
                        continue;
                    }
                    if (options.keys() != null && pins == null) {
                        problem(where, "a pinCheck is made under the PIN verification key '"
                                + KeyNames.PIN_VERIFICATION_KEY + "', which the key file lacks");
                        continue;
                    }
                }
                if (c.pin() != null) {
                    if (!options.development()) {
                        problem(where, "a PIN in clear is accepted only in the demo (keys.development: true); give"
                                + " pinCheck (bin/prepaid keys pin-check)");
                        continue;
                    }
                    if (pins == null) {
                        problem(where, "a PIN needs the PIN verification key '" + KeyNames.PIN_VERIFICATION_KEY
                                + "' in the key file");
                        continue;
                    }
                    pinCheck = pins.fromClearPin(pan, c.pin());
                    if (PinCheck.isError(pinCheck)) {
                        problem(where, "pin must be 4-12 digits in quotes");
                        continue;
                    }
                }
                final long face = c.faceValueFen() == null ? -1 : c.faceValueFen();
                final int soldDate = yyyymmdd(business.minusMonths(monthsAgo));
                final int phase = monthsAgo > 0 ? PHASE_PAST_SALES : PHASE_DEMO;
                final List<AdminCommand> commands = new ArrayList<>();
                commands.add(new SellCards(pan, 1, face, c.payment() == null ? PaymentMethod.CASH : c.payment(),
                        SalesChannel.COUNTER, BuyerKind.PERSON, "", "", "",
                        holder == null ? "" : holder.name(), holder == null ? "" : holder.idType(),
                        holder == null ? "" : holder.idNumber(), holder == null ? "" : text(holder.phone())));
                if (pinCheck > 0) {
                    commands.add(new SetPin(pan, pinCheck));
                }
                switch (state) {
                    case FROZEN:
                        commands.add(new FreezeCard(pan));
                        break;
                    case LOST:
                        commands.add(new ReportLost(pan));
                        break;
                    case BLACKLISTED:
                        commands.add(new BlacklistCard(pan));
                        break;
                    default:
                        break;
                }
                for (final AdminCommand command : commands) {
                    planned.add(new Planned(phase, soldDate, where, command));
                }
                out.add(new DemoCard(pan, c.description() == null ? "" : c.description(), type.id(), type.named(),
                        face < 0 ? type.initialBalance() : face, state, c.pin(), soldDate));
            }
            return out;
        }

        // ------------------------------------------------------------------ helpers

        private RangeInfo range(final String bin, final Integer panLength, final String where) {
            if (bin == null || panLength == null) {
                problem(where, "bin and panLength are required (a BIN range of binRanges)");
                return null;
            }
            final RangeInfo range = ranges.get(bin + "/" + panLength);
            if (range == null) {
                problem(where, "BIN " + bin + " with PAN length " + panLength + " is not among the binRanges");
            }
            return range;
        }

        private RangeInfo rangeOf(final String pan) {
            for (final RangeInfo range : ranges.values()) {
                if (range.panLength == pan.length() && pan.startsWith(range.bin)) {
                    return range;
                }
            }
            return null;
        }

        /** Marks accounts as sold; false (with a problem) when they are not generated or already sold. */
        private boolean claim(final RangeInfo range, final long first, final long last, final String where) {
            final long generatedFirst = range.firstAccount;
            final long generatedLast = range.firstAccount + range.generated - 1;
            if (first < generatedFirst || last > generatedLast) {
                problem(where, "accounts " + first + ".." + last + " of range " + range.name() + " are not all generated"
                        + (range.generated == 0 ? " (none is: add cards.generate)"
                                : " (generated: " + generatedFirst + ".." + generatedLast + ")"));
                return false;
            }
            final Map.Entry<Long, Object[]> before = range.sold.floorEntry(last);
            if (before != null && (Long) before.getValue()[0] >= first) {
                problem(where, "accounts " + first + ".." + last + " of range " + range.name() + " overlap "
                        + before.getValue()[1] + ", which sells accounts " + before.getKey() + ".." + before.getValue()[0]);
                return false;
            }
            range.sold.put(first, new Object[] {last, where});
            return true;
        }

        private boolean ruleId(final Long id, final String where) {
            if (id == null || id <= 0) {
                problem(where, "id is required and positive (unique among fee, discount and points rules)");
                return false;
            }
            if (!ruleIds.add(id)) {
                problem(where, "rule id " + id + " is used twice (fee, discount and points rules share ids)");
                return false;
            }
            return true;
        }

        private boolean cardTypeOrAny(final Integer cardType, final String where) {
            if (cardType != null && cardType != 0 && !types.containsKey(cardType)) {
                problem(where, "card type " + cardType + " is not among the card types (leave it out for every type)");
                return false;
            }
            return true;
        }

        private int kinds(final List<PosKind> kinds, final String where) {
            int mask = 0;
            for (final PosKind kind : kinds) {
                if (!kind.permissionControlled) {
                    problem(where, kind + " is not a kind a card type permits; those are " + permissionControlled());
                    continue;
                }
                mask |= kind.bit();
            }
            return mask;
        }

        private static List<PosKind> permissionControlled() {
            final List<PosKind> kinds = new ArrayList<>();
            for (final PosKind kind : PosKind.values()) {
                if (kind.permissionControlled) {
                    kinds.add(kind);
                }
            }
            return kinds;
        }

        /** A yyyy-mm-dd date as yyyymmdd; 0 for none; 0 and a problem when it is not a date. */
        private int date(final String text, final String where, final String key) {
            if (text == null) {
                return 0;
            }
            try {
                return yyyymmdd(LocalDate.parse(text));
            } catch (final DateTimeParseException e) {
                problem(where, (key.isEmpty() ? "" : key + " ") + "'" + text + "' is not a date yyyy-mm-dd");
                return 0;
            }
        }

        private String required(final String value, final String where, final String key) {
            if (value == null || value.isBlank()) {
                problem(where, key + " is required");
                return null;
            }
            return value;
        }

        private void problem(final String where, final String text) {
            problems.add(source + ": " + where + ": " + text);
        }

        private static String label(final String id) {
            return id == null ? "" : " (" + id + ")";
        }

        private static long fen(final Long value) {
            return value == null ? 0 : value;
        }

        private static int count(final Integer value) {
            return value == null ? 0 : value;
        }

        private static boolean bool(final Boolean value, final boolean defaultValue) {
            return value == null ? defaultValue : value;
        }

        private static String text(final String value) {
            return value == null ? "" : value;
        }

        private static <T> List<T> list(final List<T> list) {
            return list == null ? List.of() : list;
        }
    }

    static int yyyymmdd(final LocalDate date) {
        return date.getYear() * 10_000 + date.getMonthValue() * 100 + date.getDayOfMonth();
    }

    static LocalDate local(final int yyyymmdd) {
        return LocalDate.of(yyyymmdd / 10_000, yyyymmdd / 100 % 100, yyyymmdd % 100);
    }
}
