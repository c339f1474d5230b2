package dev.prepaid.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.card.BuyerKind;
import dev.prepaid.card.CardStatus;
import dev.prepaid.card.CardStore;
import dev.prepaid.card.Pan;
import dev.prepaid.card.PaymentMethod;
import dev.prepaid.card.SalesChannel;
import dev.prepaid.clearing.DayKind;
import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.AdminCommand.*;
import dev.prepaid.command.Envelope;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.PosKind;
import dev.prepaid.command.PosRequest;
import dev.prepaid.command.Reason;
import dev.prepaid.command.RecordCodec;
import dev.prepaid.fee.FeeMethod;
import dev.prepaid.ledger.Account;
import dev.prepaid.ledger.Invariants;
import dev.prepaid.ledger.Ledger;
import dev.prepaid.ledger.LedgerConfig;
import dev.prepaid.ledger.LedgerState;
import dev.prepaid.merchant.DeployerShareMethod;
import dev.prepaid.merchant.MacAlgorithm;
import dev.prepaid.merchant.Merchant;
import dev.prepaid.merchant.MerchantStatus;
import dev.prepaid.merchant.RefundFeePolicy;
import dev.prepaid.merchant.SettlementCycle;
import dev.prepaid.merchant.Terminal;
import dev.prepaid.merchant.TerminalStatus;
import dev.prepaid.model.ReferenceModel.Expected;
import dev.prepaid.model.ReferenceModel.MCard;
import dev.prepaid.model.ReferenceModel.MHold;
import dev.prepaid.model.ReferenceModel.MMerchant;
import dev.prepaid.model.ReferenceModel.MPending;
import dev.prepaid.model.ReferenceModel.MSettlement;
import dev.prepaid.model.ReferenceModel.MTerminal;
import dev.prepaid.model.ReferenceModel.MTxn;
import dev.prepaid.operator.OperatorStatus;
import dev.prepaid.operator.Role;
import dev.prepaid.time.CivilDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Model-based test: long random command sequences go to the ledger and to {@link ReferenceModel}, an
 * independent model written from {@code docs/ledger-rules.md}; every outcome is compared field by field,
 * the ledger's invariants are checked after every command, balances and books are compared periodically,
 * and at the end a second ledger fed the same bytes must reach the same digest.
 *
 * <p>System properties: {@code model.seeds} (default 8), {@code model.commands} (default 20000),
 * {@code model.seed} (replay one seed: {@code -Dmodel.seed=N}), {@code model.firstSeed} (default 1),
 * {@code model.trace} (print every command with the ledger's answer, and compare the whole state after each),
 * {@code model.compareEvery} (compare the whole state after each command, without printing).
 *
 * <p>Where the specification is silent or ambiguous and the model follows the ledger, the model says so in a
 * {@code // DIVERGENCE:} comment.
 */
class LedgerModelTest {
    static final int SEEDS = Integer.getInteger("model.seeds", 8);
    static final int COMMANDS = Integer.getInteger("model.commands", 20_000);
    static final boolean TRACE = Boolean.getBoolean("model.trace");
    static final boolean EVERY = Boolean.getBoolean("model.compareEvery");

    /** Outcome counts per command kind and reason, over all seeds of the run. */
    static final Map<String, Map<Reason, Integer>> STATS = new TreeMap<>();

    @Test
    void ledgerAgreesWithTheReferenceModel() {
        final List<Long> seeds = new ArrayList<>();
        final String one = System.getProperty("model.seed");
        if (one != null && !one.isBlank()) {
            seeds.add(Long.parseLong(one.trim()));
        } else {
            final long first = Long.getLong("model.firstSeed", 1);
            for (int i = 0; i < SEEDS; i++) {
                seeds.add(first + i);
            }
        }
        final List<String> failures = new ArrayList<>();
        final long start = System.nanoTime();
        for (final long seed : seeds) {
            final Run run = new Run(seed, COMMANDS);
            try {
                run.execute();
            } catch (final Throwable t) {
                final StringBuilder s = new StringBuilder();
                s.append("seed ").append(seed).append(" (replay: -Dmodel.seed=").append(seed).append(") failed at command ")
                        .append(run.index).append(": ").append(t.getMessage() == null ? t.toString() : t.getMessage());
                if (!(t instanceof AssertionError)) {
                    final java.io.StringWriter w = new java.io.StringWriter();
                    t.printStackTrace(new java.io.PrintWriter(w));
                    s.append('\n').append(w);
                }
                failures.add(s.toString());
            }
            if (!run.model.notes.isEmpty()) {
                System.out.println("seed " + seed + ": " + run.model.notes.size() + " spec-gap note(s), first: "
                        + run.model.notes.get(0));
            }
        }
        final long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println(report(seeds.size(), millis));
        assertThat(failures).as(String.join("\n\n", failures)).isEmpty();
    }

    /**
     * Regression: a refund's card part and discount part were once rounded separately, and when both landed on
     * .5 they summed to the refund + 1, so the posting could not balance and the ledger stopped. Purchase 3160
     * with a 5 % discount (card 3002, discount 158), refund 370: 351.5 and 18.5.
     */
    @Test
    void partialRefundOfADiscountedPurchaseKeepsTheBooksBalanced() {
        final Run run = new Run(1, 0);
        run.setUp();
        final MCard card = run.model.cardOfPan(run.model.ranges.get(0).panOf(3));
        run.setPin(card.pan);
        run.admin("clerk", new RechargeCards(card.pan, 1, 20_000, PaymentMethod.CASH, SalesChannel.COUNTER));
        final PosMsg purchase = run.base(PosKind.PURCHASE, "10000002");
        purchase.pan(card.pan).pin(run.pins.get(card.pan)).amount = 3_160;
        final Outcome bought = run.pos(purchase);
        assertThat(bought.reason).isEqualTo(Reason.APPROVED);
        assertThat(bought.discount).isEqualTo(158);
        final PosMsg refund = run.base(PosKind.REFUND, "10000002");
        refund.originalRrn = bought.rrn;
        refund.amount = 370;
        final Outcome refunded = run.pos(refund);
        assertThat(refunded.reason).isEqualTo(Reason.APPROVED);
        Invariants.check(run.ledger.state());
    }

    static String report(final int seeds, final long millis) {
        final StringBuilder s = new StringBuilder();
        s.append("model-based test: ").append(seeds).append(" seed(s) x ").append(COMMANDS).append(" commands in ")
                .append(millis).append(" ms\n");
        for (final Map.Entry<String, Map<Reason, Integer>> e : STATS.entrySet()) {
            s.append(String.format("  %-24s", e.getKey()));
            int total = 0;
            for (final int n : e.getValue().values()) {
                total += n;
            }
            s.append(String.format("%7d:", total));
            for (final Map.Entry<Reason, Integer> r : e.getValue().entrySet()) {
                s.append(' ').append(r.getKey()).append('=').append(r.getValue());
            }
            s.append('\n');
        }
        return s.toString();
    }

    // ================================================================== one seeded run

    static final class Sent {
        final PosMsg msg;
        final long rrn;
        final int auth;
        final Reason reason;

        Sent(final PosMsg msg, final Outcome out) {
            this.msg = msg;
            this.rrn = out.rrn;
            this.auth = out.authCode;
            this.reason = out.reason;
        }
    }

    static final class Run {
        static final int START_DATE = 20260302;
        static final String ISSUER = "ISS";
        static final String M1 = "898310048990001";
        static final String M2 = "898310048990002";
        static final String M3 = "898310048990003";
        static final String M4 = "898310048990004";
        static final String[] MERCHANTS = {M1, M2, M3, M4};
        static final String[] TERMINALS = {"10000001", "10000002", "20000001", "30000001", "40000001"};
        static final String[] CLERKS = {"clerk", "clerk2", "sup1", "sup2"};
        static final String[] SUPERVISORS = {"sup1", "sup2"};
        static final String[] FINANCE = {"fin1", "fin2"};

        final long seed;
        final int commands;
        final SplittableRandom rnd;
        final LedgerConfig config;
        final Ledger ledger;
        final ReferenceModel model;
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
        final PosRequest request = new PosRequest();
        final Outcome out = new Outcome();
        final List<byte[]> journal = new ArrayList<>();
        final List<Long> stamps = new ArrayList<>();
        long clock;
        long requestIds = 1;
        int index;
        final Map<String, Integer> stans = new HashMap<>();
        /** PIN check value the generator set per PAN. */
        final Map<String, Long> pins = new HashMap<>();
        final List<Sent> sent = new ArrayList<>();
        final List<PosMsg> lateOriginals = new ArrayList<>();
        final List<Long> pendingIds = new ArrayList<>();
        final List<Envelope> recentAdminEnv = new ArrayList<>();
        final List<AdminCommand> recentAdminCmd = new ArrayList<>();
        String lastCommand = "";

        Run(final long seed, final int commands) {
            this.seed = seed;
            this.commands = commands;
            this.rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 17);
            this.config = new LedgerConfig(320, 1 << 10, 128, 16, 16, 32, 16, 16, 64, 64, 256, 256, 64, 20);
            this.ledger = new Ledger(config);
            this.model = new ReferenceModel(config);
            this.clock = CivilDate.epochDay(START_DATE) * CivilDate.MILLIS_PER_DAY + 8 * 3_600_000L;
        }

        // -------------------------------------------------------------- sending and comparing

        Outcome pos(final PosMsg m) {
            m.encode(request, buffer, 0);
            lastCommand = m.toString();
            final Outcome o = apply(PosRequest.LENGTH, () -> model.pos(m, clock));
            final PosKind kind = m.kind();
            stat(kind == null ? "POS#" + m.kindCode : kind.name(), o.reason);
            if (kind != null && kind.recorded && kind != PosKind.REVERSAL && o.rrn != 0 && !o.duplicate) {
                sent.add(new Sent(m.copy(), o));
                if (sent.size() > 800) {
                    sent.subList(0, 200).clear();
                }
            }
            return o;
        }

        Outcome admin(final String operator, final AdminCommand command) {
            return admin(new Envelope(operator, requestIds++, "model", "test"), command);
        }

        Outcome admin(final Envelope env, final AdminCommand command) {
            if (TRACE && (command instanceof Approve || command instanceof PrepareSettlement)) {
                System.out.println("   before:" + model.describeMerchants());
                for (final MSettlement st : model.settlements.values()) {
                    for (final ReferenceModel.MLine line : st.lines) {
                        System.out.println("   settlement " + st.id + " state " + st.state + " line " + line.merchant.id() + " amount "
                                + line.amount + " receivable " + line.receivable + " state " + line.state);
                    }
                }
            }
            final int length = RecordCodec.encode(env, command, buffer, 0);
            lastCommand = "ADMIN " + env.operatorId() + "#" + env.requestId() + " " + command;
            final Outcome o = apply(length, () -> model.admin(env, command, clock));
            stat(command.getClass().getSimpleName(), o.reason);
            recentAdminEnv.add(env);
            recentAdminCmd.add(command);
            if (recentAdminEnv.size() > 30) {
                recentAdminEnv.remove(0);
                recentAdminCmd.remove(0);
            }
            return o;
        }

        /** Admin command that must be approved (set-up). */
        Outcome must(final String operator, final AdminCommand command) {
            final Outcome o = admin(operator, command);
            if (o.reason != Reason.APPROVED) {
                throw new AssertionError("seed " + seed + " set-up command " + command + " -> " + o);
            }
            return o;
        }

        private Outcome apply(final int length, final Supplier<Expected> modelStep) {
            index++;
            clock += 1_000 + rnd.nextInt(40_000);
            journal.add(Arrays.copyOf(buffer.byteArray(), length));
            stamps.add(clock);
            try {
                ledger.apply(buffer, 0, length, clock, out);
            } catch (final RuntimeException e) {
                String note = "";
                try {
                    modelStep.get();
                    note = model.lastNote.isEmpty() ? "" : "\n  model:    " + model.lastNote;
                } catch (final RuntimeException ignored) {
                    // the model's view is only a help for reading the failure
                }
                throw new AssertionError(context("the ledger threw " + e, null, out) + note, e);
            }
            final Expected expected;
            try {
                expected = modelStep.get();
            } catch (final RuntimeException e) {
                throw new AssertionError(context("model threw " + e, null, out), e);
            }
            if (TRACE) {
                System.out.println("#" + index + " " + lastCommand + "\n      -> " + out);
            }
            compare(expected);
            long modelDebits = 0;
            long modelCredits = 0;
            for (int a = 0; a < model.debits.length; a++) {
                modelDebits += model.debits[a];
                modelCredits += model.credits[a];
            }
            if (modelDebits != modelCredits) {
                throw new AssertionError(context("the MODEL's books do not balance: debits " + modelDebits + ", credits "
                        + modelCredits + (model.lastNote.isEmpty() ? "" : " (" + model.lastNote + ")"), expected, out));
            }
            try {
                Invariants.check(ledger.state());
            } catch (final RuntimeException e) {
                throw new AssertionError(context("ledger invariant broken: " + e.getMessage(), expected, out), e);
            }
            if (index % 250 == 0 || TRACE || EVERY) {
                compareState();
            }
            final Outcome copy = new Outcome();
            copy.copyFrom(out);
            return copy;
        }

        String context(final String what, final Expected expected, final Outcome actual) {
            return "seed " + seed + " (replay: -Dmodel.seed=" + seed + ") command #" + index + " (business date "
                    + model.todayDate() + "): " + what + "\n  command:  " + lastCommand + "\n  expected: "
                    + (expected == null ? "-" : expected.out.toString() + " flags=" + expected.out.riskFlags + " batch="
                            + expected.out.batch + " sflag=" + expected.out.settlementFlag + " cardAmount="
                            + expected.out.cardAmount)
                    + "\n  ledger:   " + actual + " flags=" + actual.riskFlags + " batch=" + actual.batch + " sflag="
                    + actual.settlementFlag + " cardAmount=" + actual.cardAmount
                    + (lastCommand.contains("Settlement") || lastCommand.contains("Approve") ? "\n  merchants:" + model.describeMerchants() : "");
        }

        void compare(final Expected e) {
            final Outcome x = e.out;
            final int f = e.fields;
            check(f, ReferenceModel.F_REASON, "reason", x.reason, out.reason, e);
            check(f, ReferenceModel.F_DUP, "duplicate", x.duplicate, out.duplicate, e);
            check(f, ReferenceModel.F_RRN, "rrn", x.rrn, out.rrn, e);
            check(f, ReferenceModel.F_AUTH, "authCode", x.authCode, out.authCode, e);
            check(f, ReferenceModel.F_BALANCES, "availableBalance", x.availableBalance, out.availableBalance, e);
            check(f, ReferenceModel.F_BALANCES, "ledgerBalance", x.ledgerBalance, out.ledgerBalance, e);
            check(f, ReferenceModel.F_CARD_AMOUNT, "cardAmount", x.cardAmount, out.cardAmount, e);
            check(f, ReferenceModel.F_DISCOUNT, "discount", x.discount, out.discount, e);
            check(f, ReferenceModel.F_FEE, "fee", x.fee, out.fee, e);
            check(f, ReferenceModel.F_POINTS, "points", x.points, out.points, e);
            check(f, ReferenceModel.F_FLAGS, "riskFlags", x.riskFlags, out.riskFlags, e);
            check(f, ReferenceModel.F_DATE, "businessDate", x.businessDate, out.businessDate, e);
            check(f, ReferenceModel.F_BATCH, "batch", x.batch, out.batch, e);
            check(f, ReferenceModel.F_SETTLE_FLAG, "settlementFlag", x.settlementFlag, out.settlementFlag, e);
            check(f, ReferenceModel.F_VALUE1, "value1", x.value1, out.value1, e);
            check(f, ReferenceModel.F_VALUE2, "value2", x.value2, out.value2, e);
        }

        void check(final int fields, final int bit, final String name, final Object expected, final Object actual,
                final Expected e) {
            if ((fields & bit) != 0 && !java.util.Objects.equals(expected, actual)) {
                throw new AssertionError(context(name + " differs: model " + expected + ", ledger " + actual, e, out));
            }
        }

        /** Compares every card, merchant, terminal and account of the books between ledger and model. */
        void compareState() {
            final LedgerState s = ledger.state();
            final CardStore store = s.cards();
            if (store.count() != model.cards.size()) {
                fail("card count: ledger " + store.count() + ", model " + model.cards.size());
            }
            for (final MCard c : model.cards) {
                final int i = s.resolveCard(c.pan);
                if (i < 0) {
                    fail("ledger does not resolve " + c.pan);
                }
                if (store.status(i) != c.status || store.available(i) != c.available || store.holds(i) != c.holds
                        || store.deposit(i) != c.deposit || store.points(i) != c.points) {
                    fail("card " + c.pan + ": ledger status " + store.status(i) + " available " + store.available(i)
                            + " holds " + store.holds(i) + " deposit " + store.deposit(i) + " points " + store.points(i)
                            + "; model " + c.status + " available " + c.available + " holds " + c.holds + " deposit "
                            + c.deposit + " points " + c.points);
                }
            }
            final int today = model.today;
            final int month = CivilDate.yyyymm(today);
            for (final MCard c : model.cards) {
                final int i = s.resolveCard(c.pan);
                final long ld = store.velocityDay(i) == today ? store.dayAmount(i) : 0;
                final long ldc = store.velocityDay(i) == today ? store.dayCount(i) : 0;
                final long lm = store.velocityMonth(i) == month ? store.monthAmount(i) : 0;
                final long lmc = store.velocityMonth(i) == month ? store.monthCount(i) : 0;
                final long md = c.velocityDay == today ? c.dayAmount : 0;
                final long mdc = c.velocityDay == today ? c.dayCount : 0;
                final long mm = c.velocityMonth == month ? c.monthAmount : 0;
                final long mmc = c.velocityMonth == month ? c.monthCount : 0;
                if (ld != md || ldc != mdc || lm != mm || lmc != mmc) {
                    fail("velocity of " + c.pan + " today/this month: ledger " + ld + "/" + ldc + " " + lm + "/" + lmc
                            + "; model " + md + "/" + mdc + " " + mm + "/" + mmc);
                }
            }
            for (final MMerchant m : model.merchants.values()) {
                final Merchant lm = s.merchant(m.id());
                if (lm.payable() != m.payable || lm.receivable() != m.receivable) {
                    fail("merchant " + m.id() + ": ledger payable " + lm.payable() + " receivable " + lm.receivable()
                            + "; model payable " + m.payable + " receivable " + m.receivable + booksOf(Account.MERCHANT_PAYABLE)
                            + booksOf(Account.MERCHANT_RECEIVABLE));
                }
            }
            for (final Map.Entry<String, MTerminal> e : model.terminals.entrySet()) {
                final Terminal lt = s.terminal(e.getKey());
                final MTerminal mt = e.getValue();
                if (lt.currentBatch() != mt.batch || lt.debitAmount() != mt.debitAmount || lt.debitCount() != mt.debitCount
                        || lt.creditAmount() != mt.creditAmount || lt.creditCount() != mt.creditCount
                        || lt.signedOn() != mt.signedOn) {
                    fail("terminal " + e.getKey() + ": ledger batch " + lt.currentBatch() + " totals " + lt.debitAmount() + "/"
                            + lt.debitCount() + "/" + lt.creditAmount() + "/" + lt.creditCount() + " signed on "
                            + lt.signedOn() + "; model batch " + mt.batch + " totals " + mt.debitAmount + "/" + mt.debitCount
                            + "/" + mt.creditAmount + "/" + mt.creditCount + " signed on " + mt.signedOn);
                }
            }
            for (final Account a : Account.values()) {
                if (s.books().balance(a) != model.balance(a)) {
                    fail("account " + a.code + " balance: ledger " + s.books().balance(a) + ", model " + model.balance(a)
                            + " (debits " + s.books().debits(a) + "/" + model.debits[a.ordinal()] + ", credits "
                            + s.books().credits(a) + "/" + model.credits[a.ordinal()] + ")");
                }
                if (s.books().debits(a) != model.debits[a.ordinal()] || s.books().credits(a) != model.credits[a.ordinal()]) {
                    fail("account " + a.code + " totals: ledger debits " + s.books().debits(a) + " credits "
                            + s.books().credits(a) + "; model debits " + model.debits[a.ordinal()] + " credits "
                            + model.credits[a.ordinal()]);
                }
            }
            final dev.prepaid.txn.HoldTable table = s.holds();
            int used = 0;
            int open = 0;
            for (int i = 0; i < table.capacity(); i++) {
                if (table.state(i) != dev.prepaid.txn.HoldTable.FREE) {
                    used++;
                }
                if (table.state(i) == dev.prepaid.txn.HoldTable.OPEN) {
                    open++;
                }
            }
            int modelOpen = 0;
            for (final MHold h : model.holds.values()) {
                if (h.state == ReferenceModel.HOLD_OPEN) {
                    modelOpen++;
                }
            }
            if (used != model.holds.size() || open != modelOpen) {
                fail("hold table: ledger " + used + " slots used, " + open + " open; model " + model.holds.size() + " kept, "
                        + modelOpen + " open");
            }
            if (s.businessDate() != model.todayDate()) {
                fail("business date: ledger " + s.businessDate() + ", model " + model.todayDate());
            }
        }

        String booksOf(final Account a) {
            final LedgerState s = ledger.state();
            return "; " + a.code + " ledger Dr " + s.books().debits(a) + " Cr " + s.books().credits(a) + " model Dr "
                    + model.debits[a.ordinal()] + " Cr " + model.credits[a.ordinal()];
        }

        void fail(final String what) {
            throw new AssertionError("seed " + seed + " (replay: -Dmodel.seed=" + seed + ") state after command #" + index
                    + " (last: " + lastCommand + "): " + what);
        }

        static void stat(final String kind, final Reason reason) {
            synchronized (STATS) {
                STATS.computeIfAbsent(kind, k -> new java.util.EnumMap<>(Reason.class)).merge(reason, 1, Integer::sum);
            }
        }

        // -------------------------------------------------------------- the run

        void execute() {
            setUp();
            compareState();
            int steps = 0;
            while (index < commands) {
                step();
                if (++steps % 40 == 0) {
                    reviewDecision();
                }
            }
            compareState();
            checkDeterminism();
        }

        void checkDeterminism() {
            final Ledger second = new Ledger(config);
            final Outcome o = new Outcome();
            for (int i = 0; i < journal.size(); i++) {
                final byte[] bytes = journal.get(i);
                second.apply(new UnsafeBuffer(bytes), 0, bytes.length, stamps.get(i), o);
            }
            if (ledger.state().audit().written() < Math.min(commands, 100)) {
                fail("the audit trail recorded only " + ledger.state().audit().written() + " decisions");
            }
            if (ledger.state().review().written() > 20 && decided == 0) {
                fail("no review entry of " + ledger.state().review().written() + " was ever decided");
            }
            if (!Arrays.equals(second.digest(), ledger.digest())) {
                fail("a second ledger fed the same " + journal.size() + " commands has digest " + second.digestHex()
                        + ", the first " + ledger.digestHex());
            }
            final java.io.ByteArrayOutputStream snapshot = new java.io.ByteArrayOutputStream();
            ledger.writeSnapshot(snapshot, ledger.lastSequence());
            final Ledger restored = Ledger.readSnapshot(new java.io.ByteArrayInputStream(snapshot.toByteArray()), config)
                    .ledger();
            final java.io.ByteArrayOutputStream again = new java.io.ByteArrayOutputStream();
            restored.writeSnapshot(again, restored.lastSequence());
            if (!Arrays.equals(again.toByteArray(), snapshot.toByteArray()) || !restored.digestHex().equals(ledger.digestHex())) {
                fail("the ledger's snapshot read back is not the same state");
            }
        }

        int dateAfter(final int days) {
            return CivilDate.yyyymmdd(CivilDate.epochDay(START_DATE) + days);
        }

        /**
         * A command for the ledger alone: the audit trail changes no outcome, so the model has nothing to say about it;
         * it is journaled like the others, so the determinism check replays it too.
         */
        void ledgerOnly(final AdminCommand command) {
            if (ledgerOnly("system", command) != Reason.APPROVED) {
                throw new AssertionError("seed " + seed + " " + command + " -> " + out);
            }
        }

        private Reason ledgerOnly(final String operator, final AdminCommand command) {
            final int length = RecordCodec.encode(new Envelope(operator, 0, "model", "ledger only"), command, buffer, 0);
            clock += 1_000;
            journal.add(Arrays.copyOf(buffer.byteArray(), length));
            stamps.add(clock);
            ledger.apply(buffer, 0, length, clock, out);
            Invariants.check(ledger.state());
            return out.reason;
        }

        /** Decisions on the review queue the model does not follow (they change nothing it compares); own random. */
        private SplittableRandom decisions;
        int decided;

        void reviewDecision() {
            if (decisions == null) {
                decisions = new SplittableRandom(seed ^ 0x5EC7_10A0L);
            }
            final dev.prepaid.ledger.ReviewQueue review = ledger.state().review();
            final long id = review.written() + 1 - decisions.nextInt(12);
            final String[] deciders = {"sup1", "sup2", "fin1", "fin2", "clerk"};
            final String operator = deciders[decisions.nextInt(deciders.length)];
            final Reason reason = ledgerOnly(operator, decisions.nextBoolean() ? new ConfirmFlag(id, false) : new ClearFlag(id));
            final boolean decidable = review.indexOf(id) >= 0;
            final Reason expected = operator.equals("clerk") ? Reason.ROLE_NOT_PERMITTED
                    : !decidable ? Reason.REVIEW_ENTRY_NOT_FOUND : null;
            if (expected != null && reason != expected || expected == null && reason != Reason.APPROVED
                    && reason != Reason.REVIEW_ALREADY_DECIDED) {
                throw new AssertionError("seed " + seed + ": " + operator + " deciding review entry " + id + " (kept "
                        + (review.written() - review.size() + 1) + ".." + review.written() + ") -> " + out);
            }
            decided += reason == Reason.APPROVED ? 1 : 0;
        }

        void setUp() {
            // A small trail: every decision of the run goes through it (it wraps), and the second ledger of the
            // determinism check must build the same one.
            ledgerOnly(new OpenAuditTrail(64));
            must("system", new SetParameter("anonymousMinValidityMonths", 1));
            must("system", new SetParameter("refundWindowDays", 8));
            must("system", new SetParameter("transactionsKeptDays", 12));
            must("system", new SetParameter("holdTimeoutMinutes", 720));
            must("system", new SetParameter("redemptionMinMonths", 1));
            must("system", new SetParameter("declinesPerDayThreshold", 4));
            must("system", new SetParameter("largeAmountThreshold", 60_000));
            must("system", new SetParameter("largeAmountBlocks", rnd.nextInt(2)));
            must("system", new SetParameter("declinesBlock", rnd.nextInt(2)));
            must("system", new SetParameter("pointValueFen", 1 + rnd.nextInt(2)));
            must("system", new SetParameter("realNameSaleThreshold", 300_000));
            must("system", new SetParameter("organisationCashLimit", 200_000));
            must("system", new SetParameter("rechargeTransferThreshold", 100_000));
            must("system", new UpsertIssuer(ISSUER, "Test issuer", "00010000"));
            for (final UpsertCardType t : cardTypes()) {
                must("system", t);
            }
            must("system", new UpsertBinRange("88880001", 16, 1, 0, 9_999_999));
            must("system", new UpsertBinRange("888802", 16, 2, 0, 999_999_999));
            must("system", new UpsertBinRange("88880003", 19, 3, 0, 9_999));
            must("system", new UpsertBinRange("888804", 13, 4, 0, 999_999));
            must("system", new UpsertBinRange("88880005", 16, 5, 100, 179));
            must("system", merchant(M1, SettlementCycle.T_PLUS_1, 1, 0, RefundFeePolicy.PROPORTIONAL, true, MerchantStatus.ACTIVE));
            must("system", merchant(M2, SettlementCycle.T_PLUS_N, 3, 0, RefundFeePolicy.FULL, true, MerchantStatus.ACTIVE));
            must("system", merchant(M3, SettlementCycle.THRESHOLD, 1, 50_000, RefundFeePolicy.NONE, false, MerchantStatus.ACTIVE));
            must("system", merchant(M4, SettlementCycle.THRESHOLD_OR_T_PLUS_N, 2, 80_000, RefundFeePolicy.PROPORTIONAL, true,
                    MerchantStatus.ACTIVE));
            must("system", terminal("10000001", M1, TerminalStatus.ACTIVE, DeployerShareMethod.NONE, 0));
            must("system", terminal("10000002", M1, TerminalStatus.ACTIVE, DeployerShareMethod.FEE_RATIO, 300_000));
            must("system", terminal("20000001", M2, TerminalStatus.ACTIVE, DeployerShareMethod.SPREAD, 2_000));
            must("system", terminal("30000001", M3, TerminalStatus.ACTIVE, DeployerShareMethod.NONE, 0));
            must("system", terminal("40000001", M4, TerminalStatus.ACTIVE, DeployerShareMethod.FEE_RATIO, 500_000));
            must("system", operator("admin", Role.ADMINISTRATOR, OperatorStatus.ACTIVE));
            must("system", operator("clerk", Role.CLERK, OperatorStatus.ACTIVE));
            must("system", operator("clerk2", Role.CLERK, OperatorStatus.ACTIVE));
            must("system", operator("sup1", Role.SUPERVISOR, OperatorStatus.ACTIVE));
            must("system", operator("sup2", Role.SUPERVISOR, OperatorStatus.ACTIVE));
            must("system", operator("fin1", Role.FINANCE, OperatorStatus.ACTIVE));
            must("system", operator("fin2", Role.FINANCE, OperatorStatus.ACTIVE));
            must("system", operator("auditor", Role.AUDITOR, OperatorStatus.ACTIVE));
            must("system", operator("ghost", Role.CLERK, OperatorStatus.DISABLED));
            final int all = PosKind.mask(PosKind.PURCHASE, PosKind.COMPLETION);
            must("admin", new PutFeeRule(1, M1, 0, all, 0, 0, 10, FeeMethod.PERCENT, 6_000, 0, 0, 0));
            must("admin", new PutFeeRule(2, M2, 0, all, 0, 0, 10, FeeMethod.PERCENT_MIN_CAP, 3_500, 0, 50, 1_300));
            must("admin", new PutFeeRule(3, M3, 2, PosKind.PURCHASE.bit(), 0, 0, 1, FeeMethod.FIXED, 0, 20, 0, 0));
            must("admin", new PutFeeRule(4, M3, 0, all, 0, 0, 5, FeeMethod.PERCENT, 5_000, 0, 0, 0));
            must("admin", new PutFeeRule(5, M4, 0, all, 0, 0, 10, FeeMethod.FREE, 0, 0, 0, 0));
            must("admin", new PutFeeRule(6, M1, 0, 0, 0, 0, 20, FeeMethod.PERIODIC, 0, 5_000, 0, 0));
            must("admin", new PutFeeRule(7, M2, 1, PosKind.PURCHASE.bit(), dateAfter(5), dateAfter(15), 1, FeeMethod.PERCENT,
                    10_000, 0, 0, 0));
            must("admin", new PutFeeRule(8, M4, 0, 0, 0, 0, 20, FeeMethod.PERIODIC, 0, 3_000, 0, 0));
            must("admin", new PutDiscountRule(11, M1, 0, 0, 0, 1, 50_000, 2_000, 1_000));
            must("admin", new PutDiscountRule(12, M3, 2, 0, 0, 1, 100_000, 0, 0));
            must("admin", new PutDiscountRule(13, M2, 5, dateAfter(3), dateAfter(30), 1, 200_000, 0, 500));
            must("admin", new PutPointsRule(21, M2, 1, 0, 0, 1, 3));
            must("admin", new PutPointsRule(22, "", 2, 0, 0, 5, 1));
            must("admin", new PutPointsRule(23, "", 0, dateAfter(20), 0, 9, 2));
            // before the first cut-over no business day is open
            final PosMsg early = new PosMsg().kind(PosKind.SIGN_ON);
            early.terminalId = "10000001";
            early.merchantId = M1;
            pos(early);
            admin("admin", new GenerateCards("88880001", 16, 1));
            must("system", new Cutover(START_DATE));
            must("admin", new GenerateCards("88880001", 16, 40));
            must("admin", new GenerateCards("888802", 16, 80));
            must("admin", new GenerateCards("88880003", 19, 40));
            must("admin", new GenerateCards("888804", 13, 30));
            must("admin", new GenerateCards("88880005", 16, 40));
            for (int i = 0; i < 25; i++) {
                sellNamed(model.ranges.get(0).panOf(i), true);
            }
            for (int i = 0; i < 20; i++) {
                sellNamed(model.ranges.get(3).panOf(i), true);
            }
            for (int i = 0; i < 60; i += 5) {
                must("clerk", new SellCards(model.ranges.get(1).panOf(i), 5, i % 10 == 0 ? -1 : 30_000, PaymentMethod.CASH,
                        SalesChannel.COUNTER, BuyerKind.PERSON, "", "", "", "", "", "", ""));
            }
            for (int i = 0; i < 30; i += 5) {
                must("clerk", new SellCards(model.ranges.get(2).panOf(i), 5, -1, PaymentMethod.CASH, SalesChannel.COUNTER,
                        BuyerKind.PERSON, "", "", "", "", "", "", ""));
            }
            for (int i = 0; i < 30; i += 3) {
                must("clerk", new SellCards(model.ranges.get(4).panOf(100 + i), 3, -1, PaymentMethod.DEBIT_CARD,
                        SalesChannel.COUNTER, BuyerKind.PERSON, "", "", "", "", "", "", ""));
            }
            for (final MCard c : model.cards) {
                if (c.status == CardStatus.ACTIVE && rnd.nextInt(100) < 93) {
                    setPin(c.pan);
                }
            }
            for (final String t : TERMINALS) {
                signOn(t);
            }
            for (int type = 1; type <= 5; type++) {
                final int id = type;
                final List<MCard> sold = cardsWhere(c -> c.typeId == id && c.status == CardStatus.ACTIVE);
                for (int i = 0; i < 3 && !sold.isEmpty(); i++) {
                    hot.add(sold.remove(rnd.nextInt(sold.size())));
                }
            }
        }

        /** A few cards of every type that are used much more than the others (limits, PIN locks, declines). */
        final List<MCard> hot = new ArrayList<>();

        void sellNamed(final String pan, final boolean must) {
            final SellCards cmd = new SellCards(pan, 1, 5_000 + rnd.nextInt(100) * 1_000, PaymentMethod.CASH, SalesChannel.COUNTER,
                    BuyerKind.PERSON, "", "", "", "Holder " + pan.substring(pan.length() - 4), "ID", "1101011990030700" + rnd.nextInt(10),
                    "13800000000");
            if (must) {
                must(pick(CLERKS), cmd);
            } else {
                admin(pick(CLERKS), cmd);
            }
        }

        void setPin(final String pan) {
            final long pin = 0x100000L + rnd.nextInt(0xEFFFFF);
            final Outcome o = admin(pick(CLERKS), new SetPin(pan, pin));
            if (o.reason == Reason.APPROVED) {
                pins.put(pan, pin);
            }
        }

        static List<UpsertCardType> cardTypes() {
            final int all = PosKind.allPermissionControlled();
            final List<UpsertCardType> list = new ArrayList<>();
            list.add(new UpsertCardType(1, "Named gold", ISSUER, true, 0, 0, 2_000, 1_000, 500, 300, true, 0, all,
                    PosKind.mask(PosKind.PURCHASE, PosKind.BALANCE_INQUIRY, PosKind.PREAUTH), 3, 200_000, 300_000, 0, 0, 0, 1,
                    true));
            list.add(new UpsertCardType(2, "Gift", ISSUER, false, 80_000, 10_000, 0, 0, 0, 0, true, 24, all, 0, 0, 0, 0, 6, 0, 25,
                    0, true));
            list.add(new UpsertCardType(3, "Closed gift", ISSUER, false, 0, 50_000, 500, 200, 100, 0, false, 12,
                    PosKind.mask(PosKind.PURCHASE, PosKind.BALANCE_INQUIRY, PosKind.REFUND),
                    PosKind.mask(PosKind.PURCHASE, PosKind.REFUND), 2, 0, 0, 0, 150_000, 0, 2, true));
            list.add(new UpsertCardType(4, "Corporate", ISSUER, true, 300_000, 0, 0, 0, 200, 0, true, 0,
                    all & ~PosKind.REFUND.bit(), PosKind.mask(PosKind.COMPLETION, PosKind.PREAUTH, PosKind.RECHARGE), 5, 50_000,
                    80_000, 0, 0, 0, 1, true));
            list.add(new UpsertCardType(5, "Short", ISSUER, false, 50_000, 20_000, 0, 0, 0, 0, true, 1, all,
                    PosKind.BALANCE_INQUIRY.bit(), 0, 0, 0, 0, 0, 0, 0, true));
            return list;
        }

        static UpsertMerchant merchant(final String id, final SettlementCycle cycle, final int days, final long threshold,
                final RefundFeePolicy policy, final boolean recharge, final MerchantStatus status) {
            return new UpsertMerchant(id, "Shop " + id.substring(11), "5411", status, cycle, days, threshold, policy, recharge,
                    "6222000011112222", "Shop account", "ICBC", "102100000001");
        }

        static UpsertTerminal terminal(final String id, final String merchant, final TerminalStatus status,
                final DeployerShareMethod method, final long rate) {
            return new UpsertTerminal(id, merchant, "SN" + id, status, MacAlgorithm.CUP_ECB, "tmk." + id,
                    method == DeployerShareMethod.NONE ? "" : "AG01", method, rate);
        }

        static UpsertOperator operator(final String id, final Role role, final OperatorStatus status) {
            return new UpsertOperator(id, id, role, "", status, "$argon2id$x");
        }

        <T> T pick(final T[] items) {
            return items[rnd.nextInt(items.length)];
        }

        <T> T pick(final List<T> items) {
            return items.get(rnd.nextInt(items.size()));
        }

        boolean chance(final int percent) {
            return rnd.nextInt(100) < percent;
        }

        int nextStan(final String terminal) {
            final int s = stans.merge(terminal, 1, Integer::sum);
            return s;
        }

        String merchantOf(final String terminal) {
            return model.terminals.get(terminal).profile.merchantId();
        }

        PosMsg base(final PosKind kind, final String terminal) {
            final MTerminal t = model.terminals.get(terminal);
            if (t.profile.status() == TerminalStatus.DISABLED && chance(5)) {
                final UpsertTerminal p = t.profile;
                admin("admin", new UpsertTerminal(p.terminalId(), p.merchantId(), p.serialNumber(), TerminalStatus.ACTIVE,
                        p.macAlgorithm(), p.keyReference(), p.deployerCode(), p.shareMethod(), p.shareRatePpm()));
            }
            final MMerchant mer = model.merchants.get(t.profile.merchantId());
            if (mer.profile.status() != MerchantStatus.ACTIVE && chance(4)) {
                final UpsertMerchant p = mer.profile;
                admin("admin", new UpsertMerchant(p.merchantId(), p.name(), p.category(), MerchantStatus.ACTIVE, p.cycle(),
                        p.cycleDays(), p.thresholdFen(), p.refundFeePolicy(), p.rechargeAllowed(), p.bankAccount(),
                        p.bankAccountName(), p.bankName(), p.cnapsCode()));
            }
            if (!t.signedOn && chance(90)) {
                signOn(terminal);
            }
            final PosMsg m = new PosMsg();
            m.kind(kind);
            m.terminalId = terminal;
            m.merchantId = merchantOf(terminal);
            m.batch = model.terminals.get(terminal).batch;
            m.stan = nextStan(terminal);
            return m;
        }

        void signOn(final String terminal) {
            final PosMsg m = new PosMsg().kind(PosKind.SIGN_ON);
            m.terminalId = terminal;
            m.merchantId = merchantOf(terminal);
            m.stan = nextStan(terminal);
            pos(m);
        }

        // -------------------------------------------------------------- choosing cards

        List<MCard> cardsWhere(final java.util.function.Predicate<MCard> p) {
            final List<MCard> list = new ArrayList<>();
            for (final MCard c : model.cards) {
                if (p.test(c)) {
                    list.add(c);
                }
            }
            return list;
        }

        /** Mostly an active card with money, sometimes any card. */
        MCard someCard() {
            if (chance(90)) {
                final List<MCard> active = cardsWhere(c -> c.status == CardStatus.ACTIVE && (!model.expired(c) || chance(5)));
                if (!active.isEmpty()) {
                    if (chance(40) && !hot.isEmpty()) {
                        final MCard h = model.live(pick(hot));
                        if (h.status == CardStatus.ACTIVE && !model.expired(h)) {
                            return h;
                        }
                    }
                    return pick(active);
                }
            }
            final List<MCard> sold = cardsWhere(c -> c.status != CardStatus.GENERATED || chance(20));
            return sold.isEmpty() ? pick(model.cards) : pick(sold);
        }

        /** The PAN to send for a card: mostly right, sometimes one of the ways a PAN can be wrong. */
        String panFor(final MCard card) {
            final int r = rnd.nextInt(1000);
            if (r < 940) {
                return card.pan;
            }
            if (r < 955) {
                final char last = card.pan.charAt(card.pan.length() - 1);
                return card.pan.substring(0, card.pan.length() - 1) + (char) ('0' + (last - '0' + 1 + rnd.nextInt(9)) % 10);
            }
            if (r < 965) {
                return luhn("99990000" + digits(7));
            }
            if (r < 975) {
                final ReferenceModel.MRange range = model.ranges.get(0);
                return range.panOf(range.next + 3 + rnd.nextInt(100));
            }
            if (r < 985) {
                return luhn("88880003" + digits(7));
            }
            if (r < 992) {
                return "";
            }
            return "888800011234";
        }

        String digits(final int n) {
            final StringBuilder s = new StringBuilder();
            for (int i = 0; i < n; i++) {
                s.append((char) ('0' + rnd.nextInt(10)));
            }
            return s.toString();
        }

        static String luhn(final String body) {
            return body + Pan.luhnCheckDigit(Long.parseLong(body), body.length());
        }

        void pinFor(final PosMsg m, final String pan) {
            final Long pin = pins.get(pan);
            final int r = rnd.nextInt(100);
            if (pin != null) {
                if (r < 91) {
                    m.pin(pin);
                } else if (r < 97) {
                    m.pin(pin ^ 0x5A5A);
                }
            } else if (r < 30) {
                m.pin(0x123456);
            }
        }

        long amount() {
            final int r = rnd.nextInt(1000);
            if (r < 600) {
                return 100 + rnd.nextInt(4_900);
            }
            if (r < 900) {
                return 5_000 + rnd.nextInt(25_000);
            }
            if (r < 985) {
                return 30_000 + rnd.nextInt(70_000);
            }
            if (r < 990) {
                return 100_000 + rnd.nextInt(400_000);
            }
            if (r < 994) {
                return 0;
            }
            if (r < 997) {
                return -rnd.nextInt(1_000);
            }
            return 1_000_000_000_000L + rnd.nextInt(1_000);
        }

        String someTerminal() {
            return pick(TERMINALS);
        }

        // -------------------------------------------------------------- one random step

        void step() {
            final int r = rnd.nextInt(1000);
            if (r < 270) {
                purchase();
            } else if (r < 310) {
                balanceInquiry();
            } else if (r < 370) {
                recharge();
            } else if (r < 430) {
                preauth();
            } else if (r < 480) {
                completion();
            } else if (r < 500) {
                preauthCancel();
            } else if (r < 560) {
                voidOf();
            } else if (r < 610) {
                refund();
            } else if (r < 660) {
                reversal();
            } else if (r < 690) {
                duplicate();
            } else if (r < 700) {
                lateOriginal();
            } else if (r < 715) {
                settlement();
            } else if (r < 722) {
                upload();
            } else if (r < 730) {
                signOnOff();
            } else if (r < 740) {
                badTerminalInput();
            } else if (r < 745) {
                expireHolds();
            } else if (r < 750) {
                cutover();
            } else {
                adminStep();
            }
        }

        /** Tops up a low, rechargeable card at the counter now and then, as holders do. */
        MCard topUp(final MCard card) {
            if (card.status == CardStatus.ACTIVE && card.available < 3_000 && model.type(card).rechargeable()
                    && !model.expired(card) && chance(40)) {
                final long room = model.cap(model.type(card)) - card.ledgerBalance();
                if (room > 1_000) {
                    admin(pick(CLERKS), new RechargeCards(card.pan, 1, Math.min(room, 5_000 + rnd.nextInt(40_000)),
                            PaymentMethod.CASH, SalesChannel.COUNTER));
                }
            }
            return card;
        }

        void purchase() {
            final MCard card = topUp(someCard());
            final PosMsg m = base(PosKind.PURCHASE, someTerminal());
            m.pan(panFor(card));
            pinFor(m, card.pan);
            m.amount = chance(3) ? card.available + 1 + rnd.nextInt(100) : amount();
            if (m.amount > card.available && card.available > 100 && chance(75)) {
                m.amount = 1 + rnd.nextLong(card.available);
            }
            if (chance(1)) {
                m.currency = 840;
            }
            pos(m);
        }

        void balanceInquiry() {
            final MCard card = someCard();
            final PosMsg m = base(PosKind.BALANCE_INQUIRY, someTerminal());
            m.pan(panFor(card));
            pinFor(m, card.pan);
            if (chance(2)) {
                m.currency = 978;
            }
            pos(m);
        }

        void recharge() {
            final MCard card = someCard();
            String terminal = someTerminal();
            for (int i = 0; i < 3 && !model.merchants.get(merchantOf(terminal)).profile.rechargeAllowed() && chance(85); i++) {
                terminal = someTerminal();
            }
            final PosMsg m = base(PosKind.RECHARGE, terminal);
            m.pan(panFor(card));
            pinFor(m, card.pan);
            m.amount = chance(5) ? 100_000 + rnd.nextInt(50_000) : chance(70) ? 1_000 + rnd.nextInt(20_000) : amount();
            pos(m);
        }

        void preauth() {
            MCard card = someCard();
            if (card.typeId == 3 && chance(85)) {
                card = someCard();
            }
            topUp(card);
            final PosMsg m = base(PosKind.PREAUTH, someTerminal());
            m.pan(panFor(card));
            pinFor(m, card.pan);
            m.amount = chance(70) ? 500 + rnd.nextInt(20_000) : amount();
            if (m.amount > card.available && card.available > 100 && chance(75)) {
                m.amount = 1 + rnd.nextLong(card.available);
            }
            pos(m);
        }

        Sent someSent(final java.util.function.Predicate<Sent> p, final int recentBias) {
            final List<Sent> list = new ArrayList<>();
            final int from = Math.max(0, sent.size() - (chance(recentBias) ? 60 : 800));
            for (int i = from; i < sent.size(); i++) {
                if (p.test(sent.get(i))) {
                    list.add(sent.get(i));
                }
            }
            return list.isEmpty() ? null : pick(list);
        }

        boolean holdOpen(final Sent s) {
            final MHold h = model.holds.get(ReferenceModel.key(s.msg.terminalId, s.msg.batch, s.msg.stan));
            return h != null && h.state == ReferenceModel.HOLD_OPEN;
        }

        void completion() {
            final boolean open = chance(80);
            final Sent pre = someSent(s -> s.msg.kindCode == PosKind.PREAUTH.code && s.reason == Reason.APPROVED
                    && (!open || holdOpen(s)), 70);
            if (pre == null) {
                preauth();
                return;
            }
            final MHold hold = model.holds.get(ReferenceModel.key(pre.msg.terminalId, pre.msg.batch, pre.msg.stan));
            final PosMsg m = base(PosKind.COMPLETION, pre.msg.terminalId);
            final long held = hold == null ? pre.msg.amount : hold.amount;
            m.amount = chance(88) ? 1 + rnd.nextInt((int) Math.max(1, held)) : chance(50) ? held : held + 1 + rnd.nextInt(500);
            m.originalAuth = chance(70) ? pre.auth : chance(85) ? -1 : pre.auth + 1;
            m.originalBatch = pre.msg.batch;
            m.originalStan = chance(97) ? pre.msg.stan : pre.msg.stan + 100_000;
            final int p = rnd.nextInt(100);
            final String pan = hold != null ? hold.card.pan : pre.msg.panDigits();
            if (p < 65) {
                m.pan(pan);
            } else if (p < 70) {
                m.pan(someCard().pan);
            }
            pinFor(m, pan);
            pos(m);
        }

        void preauthCancel() {
            final boolean open = chance(80);
            final Sent pre = someSent(s -> s.msg.kindCode == PosKind.PREAUTH.code && s.reason == Reason.APPROVED
                    && (!open || holdOpen(s)), 60);
            if (pre == null) {
                preauth();
                return;
            }
            final PosMsg m = base(PosKind.PREAUTH_CANCEL, pre.msg.terminalId);
            final int a = rnd.nextInt(100);
            m.amount = a < 60 ? pre.msg.amount : a < 92 ? 0 : pre.msg.amount + 1;
            m.originalAuth = chance(70) ? pre.auth : chance(90) ? -1 : pre.auth + 7;
            m.originalBatch = pre.msg.batch;
            m.originalStan = pre.msg.stan;
            final MHold hold = model.holds.get(ReferenceModel.key(pre.msg.terminalId, pre.msg.batch, pre.msg.stan));
            if (chance(50)) {
                m.pan(chance(95) ? pre.msg.panDigits() : someCard().pan);
            }
            if (hold != null && chance(10)) {
                m.pan(hold.card.pan);
            }
            pos(m);
        }

        void voidOf() {
            final int k = rnd.nextInt(10);
            final PosKind originalKind = k < 6 ? PosKind.PURCHASE : k < 8 ? PosKind.RECHARGE : PosKind.COMPLETION;
            final PosKind voidKind = originalKind == PosKind.PURCHASE ? PosKind.PURCHASE_VOID
                    : originalKind == PosKind.RECHARGE ? PosKind.RECHARGE_VOID : PosKind.COMPLETION_VOID;
            final Sent orig = someSent(s -> s.msg.kindCode == (chance(95) ? originalKind.code : PosKind.BALANCE_INQUIRY.code)
                    && (s.reason == Reason.APPROVED || chance(10)), 85);
            if (orig == null) {
                purchase();
                return;
            }
            final PosMsg m = base(voidKind, orig.msg.terminalId);
            m.amount = chance(93) ? orig.msg.amount : orig.msg.amount + 1;
            final int r = rnd.nextInt(100);
            m.originalRrn = r < 60 ? orig.rrn : r < 95 ? 0 : orig.rrn + 1;
            final int a = rnd.nextInt(100);
            m.originalAuth = a < 60 ? orig.auth : a < 97 ? -1 : orig.auth + 3;
            m.originalBatch = orig.msg.batch;
            m.originalStan = chance(98) ? orig.msg.stan : orig.msg.stan + 50_000;
            final int p = rnd.nextInt(100);
            final MTxn rec = model.byKey.get(ReferenceModel.key(orig.msg.terminalId, orig.msg.batch, orig.msg.stan));
            if (p < 60) {
                m.pan(orig.msg.panDigits());
            } else if (p < 63) {
                m.pan(someCard().pan);
            } else if (p < 70 && rec != null && rec.card != null && model.live(rec.card) != rec.card) {
                m.pan(model.live(rec.card).pan); // the card the original's card was replaced by
            }
            pos(m);
        }

        void refund() {
            final Sent orig = someSent(s -> (s.msg.kindCode == PosKind.PURCHASE.code || s.msg.kindCode == PosKind.COMPLETION.code
                    || chance(3)) && (s.reason == Reason.APPROVED || chance(5)), 50);
            if (orig == null) {
                purchase();
                return;
            }
            final MTxn rec = model.log.get(orig.rrn);
            final String merchant = orig.msg.merchantId;
            final List<String> sameMerchant = new ArrayList<>();
            for (final String t : TERMINALS) {
                if (merchantOf(t).equals(merchant)) {
                    sameMerchant.add(t);
                }
            }
            final String terminal = chance(95) && !sameMerchant.isEmpty() ? pick(sameMerchant) : someTerminal();
            final PosMsg m = base(PosKind.REFUND, terminal);
            final long remaining = rec == null ? orig.msg.amount : rec.amount - rec.refunded;
            final int a = rnd.nextInt(100);
            m.amount = a < 70 && remaining > 1 ? 1 + rnd.nextInt((int) Math.min(Integer.MAX_VALUE - 1, remaining - 1))
                    : a < 90 ? Math.max(remaining, 1) : remaining + 1 + rnd.nextInt(100);
            m.originalRrn = chance(97) ? orig.rrn : chance(50) ? 0 : orig.rrn + 1 + rnd.nextInt(5);
            if (chance(50)) {
                m.originalBatch = orig.msg.batch;
                m.originalStan = chance(95) ? orig.msg.stan : orig.msg.stan + 1;
                m.originalDate = CivilDate.mmdd(model.today);
            }
            final int p = rnd.nextInt(100);
            String livePan = orig.msg.panDigits();
            if (rec != null && rec.card != null) {
                livePan = model.live(rec.card).pan;
            }
            if (p < 35) {
                m.pan(orig.msg.panDigits());
            } else if (p < 38) {
                m.pan(someCard().pan);
            } else if (p < 45 && !livePan.equals(orig.msg.panDigits())) {
                m.pan(livePan); // the card the original's card was replaced by
            }
            pinFor(m, livePan);
            pos(m);
        }


        void reversal() {
            final int r = rnd.nextInt(100);
            if (r < 12) {
                // A reversal of a request the switch never saw: a tombstone, and later the late original.
                final MCard card = someCard();
                final String terminal = someTerminal();
                final PosMsg original = base(PosKind.PURCHASE, terminal);
                original.pan(card.pan);
                pinFor(original, card.pan);
                original.amount = 100 + rnd.nextInt(5_000);
                final PosMsg m = original.copy();
                m.kind(PosKind.REVERSAL);
                m.originalKindCode = PosKind.PURCHASE.code;
                m.pinEntered = false;
                m.pinCheck = 0;
                pos(m);
                if (chance(70)) {
                    lateOriginals.add(original);
                }
                return;
            }
            final Sent orig = someSent(s -> true, 85);
            if (orig == null) {
                purchase();
                return;
            }
            final PosMsg m = orig.msg.copy();
            m.kind(PosKind.REVERSAL);
            m.originalKindCode = orig.msg.kindCode;
            m.pinEntered = false;
            m.pinCheck = 0;
            if (r < 16) {
                m.amount += 1;
            } else if (r < 18) {
                m.originalKindCode = pick(new int[] {0, PosKind.SIGN_ON.code, PosKind.REVERSAL.code, 29});
            } else if (r < 19) {
                m.stan = -1;
            }
            pos(m);
        }

        int pick(final int[] values) {
            return values[rnd.nextInt(values.length)];
        }

        void duplicate() {
            final Sent orig = someSent(s -> true, 90);
            if (orig == null) {
                purchase();
                return;
            }
            final PosMsg m = orig.msg.copy();
            final int r = rnd.nextInt(100);
            if (r < 20) {
                m.amount += 1 + rnd.nextInt(50);
            } else if (r < 25) {
                m.pan(someCard().pan);
            } else if (r < 28) {
                m.kindCode = m.kindCode == PosKind.PURCHASE.code ? PosKind.PREAUTH.code : PosKind.PURCHASE.code;
            }
            pos(m);
        }

        void lateOriginal() {
            if (lateOriginals.isEmpty()) {
                reversal();
                return;
            }
            final PosMsg m = lateOriginals.remove(rnd.nextInt(lateOriginals.size()));
            pos(m);
        }

        void settlement() {
            final String terminal = someTerminal();
            final MTerminal t = model.terminals.get(terminal);
            final PosMsg m = base(PosKind.BATCH_SETTLEMENT, terminal);
            final int r = rnd.nextInt(100);
            if (r < 8 && t.hasSettled) {
                m.batch = t.settledBatch;
            } else if (r < 13) {
                m.batch = t.batch + 1 + rnd.nextInt(3);
            }
            m.settleDebitAmount = t.debitAmount;
            m.settleDebitCount = t.debitCount;
            m.settleCreditAmount = t.creditAmount;
            m.settleCreditCount = t.creditCount;
            if (chance(20)) {
                m.settleDebitAmount += 1 + rnd.nextInt(100);
            } else if (chance(5)) {
                m.settleCreditCount += 1;
            }
            pos(m);
        }

        void upload() {
            final String terminal = someTerminal();
            final MTerminal t = model.terminals.get(terminal);
            final PosKind kind = chance(70) ? PosKind.BATCH_UPLOAD : PosKind.BATCH_UPLOAD_END;
            final PosMsg m = base(kind, terminal);
            m.batch = t.hasSettled && chance(90) ? t.settledBatch : t.batch;
            if (kind == PosKind.BATCH_UPLOAD) {
                m.originalKindCode = PosKind.PURCHASE.code;
                m.amount = 100 + rnd.nextInt(1_000);
            } else {
                m.uploadCount = t.uploads;
            }
            pos(m);
        }

        void signOnOff() {
            final String terminal = someTerminal();
            final MTerminal t = model.terminals.get(terminal);
            if (!t.signedOn || chance(20)) {
                signOn(terminal);
            } else {
                final PosMsg m = new PosMsg().kind(PosKind.SIGN_OFF);
                m.terminalId = terminal;
                m.merchantId = merchantOf(terminal);
                m.stan = nextStan(terminal);
                pos(m);
            }
        }

        void badTerminalInput() {
            final MCard card = someCard();
            final PosMsg m = base(PosKind.PURCHASE, someTerminal());
            m.pan(card.pan);
            pinFor(m, card.pan);
            m.amount = 100 + rnd.nextInt(1_000);
            switch (rnd.nextInt(6)) {
                case 0:
                    m.terminalId = "99999999";
                    break;
                case 1:
                    m.merchantId = pick(MERCHANTS).equals(m.merchantId) ? "898310048999999" : pick(MERCHANTS);
                    if (m.merchantId.equals(merchantOf(m.terminalId))) {
                        m.merchantId = "898310048999999";
                    }
                    break;
                case 2:
                    m.kindCode = chance(50) ? 0 : 17 + rnd.nextInt(10);
                    break;
                case 3:
                    m.stan = chance(50) ? -1 : 1_000_000;
                    break;
                case 4:
                    m.batch = m.batch + 1 + rnd.nextInt(2);
                    break;
                default:
                    m.batch = 1_000_000;
                    break;
            }
            pos(m);
        }

        void expireHolds() {
            if (chance(40)) {
                clock += 3_600_000L * (1 + rnd.nextInt(14));
            }
            admin(chance(95) ? "system" : "sup1", new ExpireHolds());
        }

        void cutover() {
            final int today = model.today;
            if (chance(5)) {
                admin("system", new Cutover(CivilDate.yyyymmdd(today)));
                return;
            }
            if (chance(3)) {
                admin("sup1", new Cutover(CivilDate.yyyymmdd(today + 1)));
                return;
            }
            final int next = today + 1 + (chance(70) ? 0 : rnd.nextInt(3));
            admin("system", new Cutover(CivilDate.yyyymmdd(next)));
            clock = Math.max(clock, next * CivilDate.MILLIS_PER_DAY + 8 * 3_600_000L);
        }

        // -------------------------------------------------------------- admin

        void adminStep() {
            final int r = rnd.nextInt(1000);
            if (r < 80) {
                sell();
            } else if (r < 150) {
                counterRecharge();
            } else if (r < 230) {
                freezeOrUnfreeze();
            } else if (r < 270) {
                reportLost();
            } else if (r < 320) {
                blacklist();
            } else if (r < 380) {
                replace();
            } else if (r < 410) {
                returnCard();
            } else if (r < 440) {
                cancelIssuance();
            } else if (r < 500) {
                pinService();
            } else if (r < 530) {
                extendExpiry();
            } else if (r < 600) {
                adjustment();
            } else if (r < 640) {
                transfer();
            } else if (r < 740) {
                decide();
            } else if (r < 790) {
                settlementAdmin();
            } else if (r < 820) {
                parameter();
            } else if (r < 860) {
                referenceData();
            } else if (r < 880) {
                generate();
            } else if (r < 920) {
                repeatAdmin();
            } else if (r < 950) {
                wrongOperator();
            } else {
                calendar();
            }
        }

        void sell() {
            if (chance(15)) {
                // a large anonymous sale: real-name and cash limits
                final List<MCard> stock3 = cardsWhere(c -> c.typeId == 3 && c.status == CardStatus.GENERATED
                        && c.range.byAccount.get(c.account + 3) != null
                        && c.range.byAccount.get(c.account + 3).status == CardStatus.GENERATED);
                if (!stock3.isEmpty()) {
                    final boolean identity = chance(50);
                    final BuyerKind buyer = chance(50) ? BuyerKind.ORGANISATION : BuyerKind.PERSON;
                    admin(pick(CLERKS), new SellCards(pick(stock3).pan, 4, 80_000, chance(30) ? PaymentMethod.BANK_TRANSFER
                            : PaymentMethod.CASH, SalesChannel.COUNTER, buyer, identity ? "Zhao Liu" : "", identity ? "ID" : "",
                            identity ? "4401" : "", "", "", "", ""));
                    return;
                }
            }
            final List<MCard> stock = cardsWhere(c -> c.status == CardStatus.GENERATED);
            if (stock.isEmpty() || chance(3)) {
                admin(pick(CLERKS), new SellCards(someCard().pan, 1, -1, PaymentMethod.CASH, SalesChannel.COUNTER,
                        BuyerKind.PERSON, "", "", "", "A", "ID", "1", ""));
                return;
            }
            final MCard card = pick(stock);
            final boolean named = model.type(card).named();
            if (named) {
                final int f = rnd.nextInt(100);
                final PaymentMethod pay = f < 4 ? PaymentMethod.CREDIT_CARD : PaymentMethod.CASH;
                final SalesChannel channel = f >= 4 && f < 8 ? SalesChannel.AGENT : SalesChannel.COUNTER;
                final long face = channel == SalesChannel.AGENT ? 20_000 + rnd.nextInt(20_000) : 1_000 + rnd.nextInt(50_000);
                final boolean holder = f < 8 || f >= 13;
                admin(pick(CLERKS), new SellCards(card.pan, 1, f >= 95 ? 600_000 : face, pay, channel, BuyerKind.PERSON, "", "",
                        "", holder ? "Li Si" : "", holder ? "ID" : "", holder ? "110101" : "", ""));
            } else {
                int count = 1 + rnd.nextInt(4);
                while (count > 1 && card.range.byAccount.get(card.account + count - 1) == null) {
                    count--;
                }
                final int f = rnd.nextInt(100);
                final long face = f < 10 ? 90_000 : f < 15 ? 15_000 + rnd.nextInt(10_000) : -1;
                final PaymentMethod pay = f >= 15 && f < 18 ? PaymentMethod.CREDIT_CARD
                        : f >= 18 && f < 22 ? PaymentMethod.BANK_TRANSFER : PaymentMethod.CASH;
                final SalesChannel channel = f >= 10 && f < 15 ? SalesChannel.AGENT : SalesChannel.COUNTER;
                final BuyerKind buyer = chance(30) ? BuyerKind.ORGANISATION : BuyerKind.PERSON;
                final boolean identity = chance(50);
                admin(pick(CLERKS), new SellCards(card.pan, count, face, pay, channel, buyer, identity ? "Wang Wu" : "",
                        identity ? "ID" : "", identity ? "3101" : "", "", "", "", ""));
            }
            if (model.cardOfPan(card.pan).status == CardStatus.ACTIVE && chance(85)) {
                setPin(card.pan);
            }
        }

        void counterRecharge() {
            final MCard card = someCard();
            final int f = rnd.nextInt(100);
            final long amount = f < 5 ? 0 : f < 12 ? 100_000 + rnd.nextInt(10_000) : f < 17 ? 20_001 + rnd.nextInt(5_000)
                    : 1_000 + rnd.nextInt(30_000);
            final PaymentMethod pay = f < 3 ? PaymentMethod.CREDIT_CARD : f >= 12 && f < 13 ? PaymentMethod.BANK_TRANSFER
                    : PaymentMethod.CASH;
            final SalesChannel channel = f >= 12 && f < 17 ? SalesChannel.AGENT : SalesChannel.COUNTER;
            admin(pick(CLERKS), new RechargeCards(card.pan, 1, amount, pay, channel));
        }

        void freezeOrUnfreeze() {
            final List<MCard> frozen = cardsWhere(c -> c.status == CardStatus.FROZEN);
            if (!frozen.isEmpty() && chance(55)) {
                admin(pick(CLERKS), new UnfreezeCard(pick(frozen).pan));
            } else if (chance(90)) {
                admin(pick(CLERKS), new FreezeCard(someCard().pan));
            } else {
                admin(pick(CLERKS), new UnfreezeCard(someCard().pan));
            }
        }

        void reportLost() {
            final List<MCard> named = cardsWhere(c -> model.type(c).named() && c.status != CardStatus.GENERATED);
            admin(pick(CLERKS), new ReportLost(named.isEmpty() || chance(15) ? someCard().pan : pick(named).pan));
        }

        void blacklist() {
            final List<MCard> black = cardsWhere(c -> c.status == CardStatus.BLACKLISTED);
            if (!black.isEmpty() && chance(60)) {
                admin(pick(SUPERVISORS), new UnblacklistCard(pick(black).pan));
            } else {
                admin(pick(SUPERVISORS), new BlacklistCard(someCard().pan));
            }
        }

        void replace() {
            final List<MCard> old = cardsWhere(c -> c.status == CardStatus.LOST || c.status == CardStatus.FROZEN
                    || (c.status == CardStatus.ACTIVE && chance(30)));
            if (old.isEmpty()) {
                return;
            }
            final MCard o = pick(old);
            final boolean named = model.type(o).named();
            final List<MCard> stock = cardsWhere(c -> c.status == CardStatus.GENERATED
                    && (model.type(c).named() == named || chance(5)));
            if (stock.isEmpty()) {
                admin(pick(CLERKS), new ReplaceCard(o.pan, someCard().pan));
                return;
            }
            final MCard n = pick(stock);
            admin(pick(CLERKS), new ReplaceCard(o.pan, chance(97) ? n.pan : someCard().pan));
            final MCard neu = model.cardOfPan(n.pan);
            if (neu.status == CardStatus.ACTIVE && chance(80)) {
                setPin(neu.pan);
            }
        }

        void returnCard() {
            final List<MCard> held = cardsWhere(c -> model.type(c).named() && c.openHolds > 0);
            if (!held.isEmpty() && chance(25)) {
                admin(pick(CLERKS), new ReturnCard(pick(held).pan));
                return;
            }
            final List<MCard> named = cardsWhere(c -> model.type(c).named() && c.status != CardStatus.GENERATED);
            admin(pick(CLERKS), new ReturnCard(named.isEmpty() || chance(10) ? someCard().pan : pick(named).pan));
        }

        void cancelIssuance() {
            final List<MCard> fresh = cardsWhere(c -> c.status == CardStatus.ACTIVE && !c.used);
            admin(pick(CLERKS), new CancelIssuance(fresh.isEmpty() || chance(40) ? someCard().pan : pick(fresh).pan));
        }

        void pinService() {
            final MCard card = someCard();
            final int r = rnd.nextInt(100);
            if (r < 50) {
                setPin(card.pan);
            } else if (r < 55) {
                admin(pick(CLERKS), new SetPin(card.pan, 0));
            } else {
                admin(pick(CLERKS), new UnlockPin(card.pan));
            }
        }

        void extendExpiry() {
            final List<MCard> anon = cardsWhere(c -> !model.type(c).named() && c.status != CardStatus.GENERATED
                    && (model.expired(c) || chance(20)));
            for (final MCard h : hot) {
                final MCard l = model.live(h);
                if (model.expired(l) && l.status == CardStatus.ACTIVE && chance(50)) {
                    anon.clear();
                    anon.add(l);
                    break;
                }
            }
            if (anon.isEmpty()) {
                return;
            }
            final MCard card = pick(anon);
            final int r = rnd.nextInt(100);
            final int day = r < 80 ? Math.max(card.expiryDay, model.today) + 1 + rnd.nextInt(60)
                    : r < 90 ? card.expiryDay : model.today - 1;
            admin(pick(CLERKS), new ExtendExpiry(card.pan, CivilDate.yyyymmdd(day)));
        }

        void adjustment() {
            final String maker = chance(70) ? pick(SUPERVISORS) : pick(FINANCE);
            final RequestAdjustment cmd;
            if (chance(65)) {
                final MCard card = someCard();
                final long amount = chance(60) ? 100 + rnd.nextInt(5_000)
                        : -(chance(80) ? 1 + rnd.nextLong(Math.max(1, card.available)) : card.available + 1 + rnd.nextInt(1_000));
                final CounterAccount counter = chance(50) ? CounterAccount.CUSTODY
                        : chance(94) ? CounterAccount.PROMOTION_EXPENSE : CounterAccount.FEE_INCOME;
                cmd = new RequestAdjustment(AdjustmentTarget.CARD, card.pan, chance(2) ? 0 : amount, counter);
            } else {
                final MMerchant m = model.merchants.get(pick(MERCHANTS));
                final long amount = chance(60) ? 100 + rnd.nextInt(10_000)
                        : -(chance(85) ? 1 + rnd.nextLong(Math.max(1, m.payable)) : m.payable + 1 + rnd.nextInt(1_000));
                final int c = rnd.nextInt(3);
                cmd = new RequestAdjustment(AdjustmentTarget.MERCHANT, m.id(), amount,
                        c == 0 ? CounterAccount.CUSTODY : c == 1 ? CounterAccount.FEE_INCOME : CounterAccount.PROMOTION_EXPENSE);
            }
            final Outcome o = admin(maker, cmd);
            if (o.reason == Reason.APPROVED) {
                pendingIds.add(o.value1);
            }
        }

        void transfer() {
            final List<MCard> active = cardsWhere(c -> c.status == CardStatus.ACTIVE);
            if (active.size() < 2) {
                return;
            }
            final MCard from = pick(active);
            final MCard to = chance(97) ? pick(active) : from;
            final long amount = chance(85) ? 1 + rnd.nextLong(Math.max(1, Math.min(from.available, 20_000)))
                    : from.available + 1 + rnd.nextInt(100);
            final Outcome o = admin(pick(CLERKS), new RequestBalanceTransfer(from.pan, to.pan, amount));
            if (o.reason == Reason.APPROVED) {
                pendingIds.add(o.value1);
            }
        }

        void decide() {
            if (pendingIds.isEmpty()) {
                adjustment();
                return;
            }
            final long id = chance(95) ? pick(pendingIds) : 9_999;
            final MPending p = model.pending.get(id);
            final String maker = p == null ? "sup1" : p.maker;
            final int r = rnd.nextInt(100);
            String op;
            if (r < 70) {
                op = "sup1".equals(maker) ? "sup2" : "sup1";
            } else if (r < 80) {
                op = maker;
            } else if (r < 88) {
                op = pick(FINANCE);
                if (op.equals(maker)) {
                    op = "sup2".equals(maker) ? "sup1" : "sup2";
                }
            } else {
                op = null;
            }
            if (op != null) {
                admin(op, new Approve(id));
            } else {
                admin(chance(50) ? maker : pick(CLERKS), new Reject(id));
            }
            final MPending after = model.pending.get(id);
            if (after == null ? chance(50) : after.state != 0 ? chance(70) : chance(5)) {
                pendingIds.remove(id);
            }
        }

        void settlementAdmin() {
            MSettlement waiting = null;
            MSettlement approved = null;
            for (final MSettlement s : model.settlements.values()) {
                if (s.state == 0) {
                    waiting = s;
                } else if (s.state == 1 && !s.resolved()) {
                    approved = s;
                }
            }
            final int r = rnd.nextInt(100);
            if (approved != null && r < 45) {
                final ReferenceModel.MLine line = pick(approved.lines);
                final String merchant = chance(95) ? line.merchant.id() : pick(MERCHANTS);
                admin(pick(FINANCE), new RecordPayoutResult(chance(97) ? approved.id : 999, merchant, chance(80), "BANK" + index));
                if (chance(10)) {
                    admin(pick(FINANCE), new RecordPayoutResult(approved.id, line.merchant.id(), true, "BANK" + index));
                }
            } else if (waiting != null && r < 85) {
                final String op;
                final int w = rnd.nextInt(100);
                if (w < 80) {
                    op = waiting.preparedBy.equals("fin1") ? "fin2" : "fin1";
                } else if (w < 90) {
                    op = waiting.preparedBy;
                } else {
                    op = "sup1";
                }
                if (chance(8)) {
                    admin(chance(50) ? waiting.preparedBy : "fin1", new Reject(waiting.id));
                } else {
                    admin(op, new Approve(waiting.id));
                }
            } else {
                admin(pick(FINANCE), new PrepareSettlement());
            }
        }

        void parameter() {
            final int r = rnd.nextInt(100);
            if (r < 25) {
                admin("admin", new SetParameter("largeAmountBlocks", rnd.nextInt(2)));
            } else if (r < 50) {
                admin("admin", new SetParameter("declinesBlock", rnd.nextInt(2)));
            } else if (r < 60) {
                admin("admin", new SetParameter("declinesPerDayThreshold", 2 + rnd.nextInt(5)));
            } else if (r < 70) {
                admin("admin", new SetParameter("largeAmountThreshold", 30_000 + rnd.nextInt(80_000)));
            } else if (r < 75) {
                admin("admin", new SetParameter("noSuchParameter", 1));
            } else if (r < 80) {
                admin("admin", new SetParameter("pinTriesDefault", chance(50) ? 0 : 2 + rnd.nextInt(3)));
            } else if (r < 85) {
                admin("admin", new SetParameter("refundWindowDays", 4 + rnd.nextInt(12)));
            } else if (r < 90) {
                admin("admin", new SetParameter("transactionsKeptDays", 8 + rnd.nextInt(10)));
            } else if (r < 95) {
                admin("admin", new SetParameter("holdTimeoutMinutes", 60 + rnd.nextInt(1_440)));
            } else {
                admin("admin", new SetParameter("balanceCapAnonymous", chance(70) ? 100_000 : 60_000));
            }
        }

        void referenceData() {
            final int r = rnd.nextInt(100);
            if (r < 20) {
                final String id = pick(MERCHANTS);
                final MMerchant m = model.merchants.get(id);
                final MerchantStatus status = m.profile.status() == MerchantStatus.ACTIVE && chance(25) ? MerchantStatus.SUSPENDED
                        : MerchantStatus.ACTIVE;
                final UpsertMerchant p = m.profile;
                SettlementCycle cycle = p.cycle();
                int cycleDays = p.cycleDays();
                if (chance(10)) {
                    // weekly and monthly cycles come and go on the T+1 and T+N merchants (not on threshold ones)
                    if (cycle == SettlementCycle.WEEKLY || cycle == SettlementCycle.MONTHLY) {
                        cycle = id.equals(M1) ? SettlementCycle.T_PLUS_1 : SettlementCycle.T_PLUS_N;
                        cycleDays = id.equals(M1) ? 1 : 3;
                    } else if (cycle == SettlementCycle.T_PLUS_1 || cycle == SettlementCycle.T_PLUS_N) {
                        cycle = chance(50) ? SettlementCycle.WEEKLY : SettlementCycle.MONTHLY;
                        cycleDays = cycle == SettlementCycle.WEEKLY ? 1 + rnd.nextInt(7) : 26 + rnd.nextInt(6);
                    }
                }
                admin("admin", new UpsertMerchant(p.merchantId(), p.name(), p.category(), status, cycle, cycleDays,
                        p.thresholdFen(), p.refundFeePolicy(), chance(80) == p.rechargeAllowed(), p.bankAccount(),
                        p.bankAccountName(), p.bankName(), p.cnapsCode()));
            } else if (r < 35) {
                admin(chance(50) ? "fin1" : "sup1", new SetMerchantReview(pick(MERCHANTS), chance(30)));
            } else if (r < 50) {
                final String id = someTerminal();
                final UpsertTerminal p = model.terminals.get(id).profile;
                final TerminalStatus status = p.status() == TerminalStatus.ACTIVE && chance(25) ? TerminalStatus.DISABLED
                        : TerminalStatus.ACTIVE;
                admin("admin", new UpsertTerminal(p.terminalId(), p.merchantId(), p.serialNumber(), status, p.macAlgorithm(),
                        p.keyReference(), p.deployerCode(), p.shareMethod(), p.shareRatePpm()));
            } else if (r < 65) {
                final int all = PosKind.mask(PosKind.PURCHASE, PosKind.COMPLETION);
                final FeeMethod method = pick(new FeeMethod[] {FeeMethod.PERCENT, FeeMethod.FIXED, FeeMethod.PERCENT_MIN_CAP,
                        FeeMethod.FREE});
                admin("admin", new PutFeeRule(30 + rnd.nextInt(4), pick(MERCHANTS), chance(50) ? 0 : 1 + rnd.nextInt(5),
                        chance(70) ? all : PosKind.PURCHASE.bit(), 0, chance(30) ? dateAfter(10 + rnd.nextInt(80)) : 0,
                        rnd.nextInt(12), method, 1_000 + rnd.nextInt(20_000), rnd.nextInt(100), rnd.nextInt(80),
                        chance(50) ? 0 : 500 + rnd.nextInt(1_000)));
            } else if (r < 68) {
                // the merchant's recharge commission (a fee rule of kind RECHARGE alone)
                final FeeMethod method = pick(new FeeMethod[] {FeeMethod.PERCENT, FeeMethod.FIXED, FeeMethod.PERCENT_MIN_CAP,
                        FeeMethod.FREE});
                admin("admin", new PutFeeRule(34 + rnd.nextInt(2), pick(MERCHANTS), chance(50) ? 0 : 1 + rnd.nextInt(5),
                        PosKind.RECHARGE.bit(), 0, chance(30) ? dateAfter(10 + rnd.nextInt(80)) : 0, rnd.nextInt(12), method,
                        1_000 + rnd.nextInt(20_000), rnd.nextInt(300), rnd.nextInt(80), chance(50) ? 0 : 100 + rnd.nextInt(500)));
            } else if (r < 72) {
                admin("admin", new PutDiscountRule(40 + rnd.nextInt(3), pick(MERCHANTS), chance(50) ? 0 : 1 + rnd.nextInt(5), 0, 0,
                        rnd.nextInt(5), 10_000 + rnd.nextInt(200_000), rnd.nextInt(3_000), chance(50) ? 0 : 100 + rnd.nextInt(800)));
            } else if (r < 78) {
                admin("admin", new PutPointsRule(50 + rnd.nextInt(3), chance(50) ? "" : pick(MERCHANTS),
                        chance(50) ? 0 : 1 + rnd.nextInt(5), 0, 0, rnd.nextInt(10), rnd.nextInt(4)));
            } else if (r < 82) {
                admin("admin", new RemoveRule(pick(new long[] {30, 31, 32, 33, 40, 41, 42, 50, 51, 52, 7, 13, 77})));
            } else if (r < 86) {
                badReferenceData();
            } else if (r < 88) {
                // move the second M1 terminal between M1 and M4 (refused while its open batch has transactions)
                final UpsertTerminal p = model.terminals.get("10000002").profile;
                admin("admin", new UpsertTerminal(p.terminalId(), M1.equals(p.merchantId()) ? M4 : M1, p.serialNumber(),
                        p.status(), p.macAlgorithm(), p.keyReference(), p.deployerCode(), p.shareMethod(), p.shareRatePpm()));
            } else if (r < 96) {
                final UpsertCardType t = cardTypes().get(rnd.nextInt(5));
                admin("admin", new UpsertCardType(t.id(), t.name(), t.issuerCode(), t.named(), t.balanceCap(), t.initialBalance(),
                        t.deposit(), t.issuanceFee(), t.replacementFee(), t.lostReportFee(), t.rechargeable(), t.validityMonths(),
                        t.permittedKinds(), t.pinRequiredKinds(), t.pinTries(), chance(30) ? 10_000 : t.singleLimit(),
                        t.dailyAmountLimit(), chance(30) ? 3 : t.dailyCountLimit(), t.monthlyAmountLimit(),
                        t.monthlyCountLimit(), t.pointsPerYuan(), t.onSale()));
            } else {
                final UpsertCardType t = cardTypes().get(rnd.nextInt(5));
                admin("admin", new UpsertCardType(t.id(), t.name(), t.issuerCode(), !t.named(), t.balanceCap(), t.initialBalance(),
                        t.deposit(), t.issuanceFee(), t.replacementFee(), t.lostReportFee(), t.rechargeable(),
                        t.named() ? 36 : 0, t.permittedKinds(), t.pinRequiredKinds(), t.pinTries(), t.singleLimit(),
                        t.dailyAmountLimit(), t.dailyCountLimit(), t.monthlyAmountLimit(), t.monthlyCountLimit(),
                        t.pointsPerYuan(), t.onSale()));
            }
        }

        void badReferenceData() {
            switch (rnd.nextInt(8)) {
                case 7:
                    admin("admin", new UpsertBinRange("88880001", 16, 1, 5, 9_999_999));
                    break;
                case 0: {
                    final UpsertCardType t = cardTypes().get(1);
                    admin("admin", new UpsertCardType(6, "No issuer", "NOPE", false, 0, 0, 0, 0, 0, 0, true, 36,
                            t.permittedKinds(), 0, 0, 0, 0, 0, 0, 0, 0, true));
                    break;
                }
                case 1:
                    admin("admin", new UpsertBinRange("88880009", 16, 9, 0, 999));
                    break;
                case 2:
                    admin("admin", new PutFeeRule(60, "898310048999999", 0, PosKind.PURCHASE.bit(), 0, 0, 1, FeeMethod.FREE, 0,
                            0, 0, 0));
                    break;
                case 3:
                    admin("fin1", new SetMerchantReview("898310048999999", true));
                    break;
                case 4:
                    admin("admin", new UpsertBinRange("888800", 16, 2, 0, 999));
                    break;
                case 5:
                    admin("admin", new UpsertBinRange(pick(new String[] {"412345", "62123456", "012345", "5123"}), 16, 2, 0, 999));
                    break;
                default:
                    admin("admin", new UpsertTerminal("50000001", "898310048999999", "SN", TerminalStatus.ACTIVE,
                            MacAlgorithm.CUP_ECB, "tmk", "", DeployerShareMethod.NONE, 0));
                    break;
            }
        }

        String pick(final String[] values) {
            return values[rnd.nextInt(values.length)];
        }

        long pick(final long[] values) {
            return values[rnd.nextInt(values.length)];
        }

        void generate() {
            final int r = rnd.nextInt(100);
            if (r < 40) {
                admin("admin", new GenerateCards("88880005", 16, 5 + rnd.nextInt(20)));
            } else if (r < 90) {
                final String[][] ranges = {{"88880001", "16"}, {"888802", "16"}, {"88880003", "19"}, {"888804", "13"}};
                final String[] range = ranges[rnd.nextInt(ranges.length)];
                admin("admin", new GenerateCards(range[0], Integer.parseInt(range[1]), 1 + rnd.nextInt(8)));
            } else {
                admin("admin", new GenerateCards("777777", 16, 1));
            }
        }

        void repeatAdmin() {
            if (recentAdminEnv.isEmpty()) {
                return;
            }
            final int i = rnd.nextInt(recentAdminEnv.size());
            final Envelope env = recentAdminEnv.get(i);
            final AdminCommand cmd = recentAdminCmd.get(i);
            if (env.requestId() == 0) {
                return;
            }
            if (chance(70)) {
                admin(new Envelope(env.operatorId(), env.requestId(), "model", "retry"), cmd);
            } else if (chance(50)) {
                admin(new Envelope(env.operatorId(), env.requestId(), "model", "other"), new UnlockPin(someCard().pan));
            } else {
                admin(new Envelope("clerk2".equals(env.operatorId()) ? "clerk" : "clerk2", env.requestId(), "model", "x"), cmd);
            }
        }

        void wrongOperator() {
            final int r = rnd.nextInt(100);
            if (r < 25) {
                admin("nobody", new FreezeCard(someCard().pan));
            } else if (r < 50) {
                admin("ghost", new FreezeCard(someCard().pan));
            } else if (r < 70) {
                admin("auditor", new FreezeCard(someCard().pan));
            } else if (r < 85) {
                admin("clerk", new BlacklistCard(someCard().pan));
            } else if (r < 95) {
                admin("admin", new ExpireHolds());
            } else {
                admin(new Envelope("clerk", 0, "model", "no id"), new UnlockPin(someCard().pan));
            }
        }

        void calendar() {
            final int day = model.today + 1 + rnd.nextInt(20);
            final DayKind kind = CivilDate.dayOfWeek(day) < 5 ? (chance(70) ? DayKind.HOLIDAY : DayKind.NORMAL)
                    : (chance(70) ? DayKind.WORKDAY : DayKind.NORMAL);
            admin("admin", new SetCalendarDay(CivilDate.yyyymmdd(day), kind));
        }
    }

}
