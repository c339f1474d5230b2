package dev.prepaid.demo;

import static dev.prepaid.demo.DemoBusiness.CVK_SHOPPING;
import static dev.prepaid.demo.DemoBusiness.EXPIRY;
import static dev.prepaid.demo.DemoBusiness.TMKS;
import static dev.prepaid.demo.DemoBusiness.corporateGiftCard;

import dev.prepaid.iso8583.Dialect;
import dev.prepaid.iso8583.IsoMessage;
import dev.prepaid.pos.BatchEntry;
import dev.prepaid.pos.Card;
import dev.prepaid.pos.PosLink;
import dev.prepaid.pos.PosOperation;
import dev.prepaid.pos.PosResult;
import dev.prepaid.pos.PosTerminal;
import dev.prepaid.pos.SocketLink;
import dev.prepaid.security.CvkPair;
import dev.prepaid.security.DesKey;
import dev.prepaid.security.KeyLayout;
import dev.prepaid.security.MacFunction;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The demo's script: terminals of the demo business (config/demo/README.md) sign on and run a few hundred
 * transactions of every kind against a running switch, each with the answer the demo data makes certain — the
 * approvals, and the declines a real business sees (a wrong PIN, an empty card, a frozen, lost, expired or
 * blacklisted card, a recharge over the cap), a duplicate transmission, an answer lost on the way and its
 * reversal, a balanced and an unbalanced settlement. Anything else than the expected answer is counted as a
 * surprise, and balances of a few cards are checked against what the script did to them.
 */
public final class DemoScenario {
    private static final String APPROVED = "00";
    /** Transactions per terminal in the busy phase. */
    static final int BUSY_PER_TERMINAL = 60;

    private final Dialect dialect;
    private final String host;
    private final int port;
    private final PrintStream out;
    private final Map<String, Map<String, Integer>> counts = new TreeMap<>();
    private final List<Long> roundTrips = Collections.synchronizedList(new ArrayList<>());
    private final List<String> surprises = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Long> expectedChange = new LinkedHashMap<>();
    private final Map<String, Long> before = new LinkedHashMap<>();
    private int steps;

    /** What the demo did, for the summary and the exit status. */
    public record Report(int steps, Map<String, Map<String, Integer>> counts, long[] roundTripNanos,
            List<String> surprises, Map<String, long[]> balances) {
        public boolean asExpected() {
            return surprises.isEmpty();
        }

        /** Round-trip time at a percentile (0..100), in nanoseconds; 0 when nothing was answered. */
        public long percentile(final double p) {
            if (roundTripNanos.length == 0) {
                return 0;
            }
            final int index = (int) Math.ceil(p / 100 * roundTripNanos.length) - 1;
            return roundTripNanos[Math.max(0, Math.min(roundTripNanos.length - 1, index))];
        }

        public int transactions() {
            int n = 0;
            for (final Map<String, Integer> byCode : counts.values()) {
                for (final int c : byCode.values()) {
                    n += c;
                }
            }
            return n;
        }
    }

    public DemoScenario(final Dialect dialect, final String host, final int port, final PrintStream out) {
        this.dialect = dialect;
        this.host = host;
        this.port = port;
        this.out = out;
    }

    // ------------------------------------------------------------------ the demo data

    /** The gift cards' pair: a track made with it carries a wrong CVN for a shopping card. */
    private static final CvkPair CVK_WRONG = DemoBusiness.CVK_GIFT;

    private static final Card ZHANG_WEI = Card.manual("8888000100000017", EXPIRY).withPin("123456");
    private static final Card LI_NA = Card.manual("8888000100000025", EXPIRY).withPin("111111");
    private static final Card WANG_FANG = Card.manual("8888000100000033", EXPIRY).withPin("222222");
    private static final Card LIU_YANG_FROZEN = Card.manual("8888000100000041", EXPIRY).withPin("333333");
    private static final Card CHEN_JING_LOST = Card.manual("8888000100000058", EXPIRY).withPin("444444");
    private static final Card ZHAO_LEI = Card.manual("8888000100000066", EXPIRY).withPin("555555");
    private static final Card GIFT_WITH_PIN = Card.manual("8888000200000016", EXPIRY).withPin("123456");
    private static final Card GIFT_AT_CAP = Card.manual("8888000200000024", EXPIRY);
    private static final Card GIFT_EXPIRED = Card.manual("8888000200000040", EXPIRY);
    private static final Card GIFT_BLACKLISTED = Card.manual("8888000200000057", EXPIRY);
    private static final Card IN_STOCK = Card.manual("8888000100000074", EXPIRY).withPin("123456");
    private static final Card UNKNOWN_BIN = Card.manual("8888000300000001", EXPIRY);

    private PosTerminal.Builder terminal(final String id) {
        return PosTerminal.builder(dialect)
                .terminalId(id)
                .merchantId(DemoBusiness.merchantOf(id))
                .tmk(DesKey.fromHex(TMKS.get(id)))
                .macAlgorithm("10000003".equals(id) ? MacFunction.X9_19 : MacFunction.CUP_ECB)
                .readTimeout(Duration.ofSeconds(10));
    }

    // ------------------------------------------------------------------ the script

    public Report run() throws Exception {
        final LossyLink lossy = new LossyLink(new SocketLink(host, port, 3_000));
        try (PosTerminal supermarket1 = terminal("10000001").link(lossy).build();
                PosTerminal supermarket2 = terminal("10000002").switchAddress(host, port)
                        .keyLayout(KeyLayout.SINGLE_LENGTH).build();
                PosTerminal supermarket3 = terminal("10000003").switchAddress(host, port)
                        .keyLayout(KeyLayout.DOUBLE_LENGTH_WITH_TRACK_KEY).build();
                PosTerminal coffee1 = terminal("20000001").switchAddress(host, port).build();
                PosTerminal coffee2 = terminal("20000002").switchAddress(host, port).build();
                PosTerminal coffeeDisabled = terminal("20000003").switchAddress(host, port).autoSignOn(false).build()) {

            section("Sign-on: fresh working keys under each terminal's TMK, key check values verified");
            expect("sign-on, double-length keys (003)", APPROVED, supermarket1::signOn);
            expect("sign-on, single-length keys (001)", APPROVED, supermarket2::signOn);
            expect("sign-on, with track key (004), X9.19 MAC", APPROVED, supermarket3::signOn);
            expect("sign-on", APPROVED, coffee1::signOn);
            expect("sign-on", APPROVED, coffee2::signOn);
            expect("sign-on of a disabled terminal", "58", coffeeDisabled::signOn);

            section("Balances before");
            final Card corporate = corporateGiftCard(0);
            for (final Card card : List.of(ZHANG_WEI, WANG_FANG, GIFT_WITH_PIN, corporate)) {
                final PosResult balance = expect("balance inquiry", APPROVED, () -> supermarket1.balance(card));
                before.put(card.pan(), balance.availableBalance());
                expectedChange.put(card.pan(), 0L);
            }

            section("Purchases and declines");
            final PosResult groceries = expect("purchase 128.00, right PIN", APPROVED,
                    () -> supermarket1.purchase(ZHANG_WEI, 12_800));
            change(ZHANG_WEI, groceries, -12_800);
            expect("purchase with a wrong PIN", "55",
                    () -> supermarket1.purchase(ZHANG_WEI.withPin("654321"), 5_000));
            expect("purchase 20.00 on a card holding 1.50", "51", () -> supermarket1.purchase(WANG_FANG, 2_000));
            expect("purchase over the single-transaction limit", "61", () -> supermarket1.purchase(ZHANG_WEI, 600_000));
            expect("purchase on a frozen card", "62", () -> supermarket1.purchase(LIU_YANG_FROZEN, 1_000));
            expect("purchase on a card reported lost", "41", () -> supermarket1.purchase(CHEN_JING_LOST, 1_000));
            expect("purchase on an expired gift card", "54", () -> supermarket1.purchase(GIFT_EXPIRED, 1_000));
            expect("purchase on a blacklisted card", "43", () -> supermarket1.purchase(GIFT_BLACKLISTED, 1_000));
            expect("purchase on a card never sold", "21", () -> supermarket1.purchase(IN_STOCK, 1_000));
            expect("purchase on a card of no BIN of ours", "14", () -> supermarket1.purchase(UNKNOWN_BIN, 1_000));
            final Card swiped = Card.swiped(ZHANG_WEI.pan(), EXPIRY, Card.DEFAULT_SERVICE_CODE, CVK_SHOPPING)
                    .withPin("123456");
            change(ZHANG_WEI, expect("purchase 10.00, card swiped (track 2 CVN checked)", APPROVED,
                    () -> supermarket1.purchase(swiped, 1_000)), -1_000);
            final Card counterfeit = Card.swiped(ZHANG_WEI.pan(), EXPIRY, Card.DEFAULT_SERVICE_CODE, CVK_WRONG)
                    .withPin("123456");
            expect("purchase with a counterfeit track 2 (CVN wrong)", "14",
                    () -> supermarket1.purchase(counterfeit, 1_000));
            change(GIFT_WITH_PIN, expect("purchase 25.00 on the X9.19 terminal", APPROVED,
                    () -> supermarket3.purchase(GIFT_WITH_PIN, 2_500)), -2_500);
            change(GIFT_WITH_PIN, expect("purchase 5.00 on the single-length-key terminal", APPROVED,
                    () -> supermarket2.purchase(GIFT_WITH_PIN, 500)), -500);
            change(ZHANG_WEI, expect("purchase 60.00 at Demo Coffee: 5 % off for named cards, card pays 57.00",
                    APPROVED, () -> coffee1.purchase(ZHANG_WEI, 6_000)), -5_700);
            expect("pre-authorisation on a gift card (type does not permit it)", "57",
                    () -> supermarket1.preAuth(GIFT_WITH_PIN, 1_000));

            section("Recharges");
            expect("recharge 50.00 on a card 10.00 below the cap", "61", () -> supermarket1.recharge(LI_NA, 5_000));
            expect("recharge on a gift card at the cap", "61", () -> supermarket1.recharge(GIFT_AT_CAP, 100));
            expect("recharge at Demo Coffee (recharges not allowed there)", "58",
                    () -> coffee1.recharge(ZHANG_WEI, 1_000));
            final PosResult recharge = expect("recharge 500.00", APPROVED, () -> supermarket1.recharge(ZHANG_WEI, 50_000));
            change(ZHANG_WEI, recharge, 50_000);
            change(ZHANG_WEI, expect("recharge void", APPROVED, () -> supermarket1.voidRecharge(recharge)), -50_000);

            section("Voids, refunds, pre-authorisations");
            final PosResult mistake = expect("purchase 40.00", APPROVED, () -> supermarket1.purchase(ZHANG_WEI, 4_000));
            change(ZHANG_WEI, mistake, -4_000);
            change(ZHANG_WEI, expect("purchase void", APPROVED, () -> supermarket1.voidPurchase(mistake)), 4_000);
            change(ZHANG_WEI, expect("refund 28.00 of the 128.00 purchase", APPROVED,
                    () -> supermarket1.refund(groceries, 2_800)), 2_800);
            final PosResult hotel = expect("pre-authorisation 200.00", APPROVED, () -> supermarket1.preAuth(ZHAO_LEI, 20_000));
            final PosResult checkout = expect("pre-auth completion 180.00", APPROVED,
                    () -> supermarket1.complete(hotel, 18_000));
            expect("completion void", APPROVED, () -> supermarket1.voidCompletion(checkout));
            final PosResult deposit = expect("pre-authorisation 100.00", APPROVED,
                    () -> supermarket1.preAuth(ZHANG_WEI, 10_000));
            expect("pre-auth cancel", APPROVED, () -> supermarket1.preAuthCancel(deposit));

            section("A duplicate transmission and a lost answer");
            duplicate(groceries);
            lossy.loseNextAnswer();
            final PosResult lost = expect("purchase 30.00 whose answer is lost on the way", null,
                    () -> supermarket1.purchase(ZHANG_WEI, 3_000));
            if (lost.status() != PosResult.Status.TIMEOUT || lost.reversalOwed() == null) {
                surprise("the purchase with the lost answer: expected a timeout and a reversal owed, got " + lost);
            }
            // The terminal sends the reversal before its next transaction; the purchase is undone.
            final PosResult next = expect("balance inquiry (the terminal reverses the lost purchase first)", APPROVED,
                    () -> supermarket1.balance(ZHANG_WEI));
            final boolean reversed = next.preliminaries().stream()
                    .anyMatch(p -> p.operation() == PosOperation.REVERSAL && p.approved());
            if (!reversed) {
                surprise("no approved reversal was sent before the next transaction: " + next.preliminaries());
            }

            section("Busy hour: " + 5 * BUSY_PER_TERMINAL + " purchases and balance inquiries from 5 terminals at once");
            busy(List.of(supermarket1, supermarket2, supermarket3, coffee1, coffee2));
            if (!busyInquiry(0)) {
                change(corporate, null, -busyAmount(0));
            }

            section("Settlement");
            final PosResult balanced = expect("batch settlement, totals agree", APPROVED, supermarket1::settle);
            if (balanced.settlementFlag() != 1) {
                surprise("settlement of 10000001: expected flag 1 (balanced), got " + balanced.settlementFlag());
            }
            // Terminal 10000002 lost one record of its batch (say, a memory fault): its totals disagree.
            final List<BatchEntry> entries = new ArrayList<>(supermarket2.batchEntries());
            if (!entries.isEmpty()) {
                entries.remove(0);
            }
            supermarket2.restore(supermarket2.stan(), supermarket2.batch(), entries, null);
            final PosResult unbalanced = expect("batch settlement of a terminal that lost a record", APPROVED,
                    supermarket2::settle);
            if (unbalanced.settlementFlag() != 2) {
                surprise("settlement of 10000002: expected flag 2 (unbalanced), got " + unbalanced.settlementFlag());
            } else if (unbalanced.followUps().isEmpty()) {
                surprise("unbalanced settlement of 10000002 was not followed by a batch upload");
            }
            for (final PosTerminal t : List.of(supermarket3, coffee1, coffee2)) {
                expect("batch settlement", APPROVED, t::settle);
            }
            expect("sign-off", APPROVED, coffee2::signOff);
            expect("echo test", APPROVED, coffee1::echo);

            section("Balances after");
            final Map<String, long[]> balances = new LinkedHashMap<>();
            for (final Card card : List.of(ZHANG_WEI, WANG_FANG, GIFT_WITH_PIN, corporate)) {
                final PosResult balance = expect("balance inquiry", APPROVED, () -> supermarket1.balance(card));
                final long was = before.get(card.pan());
                final long expected = was + expectedChange.get(card.pan());
                balances.put(card.maskedPan(), new long[] {was, balance.availableBalance(), expected});
                if (balance.availableBalance() != expected) {
                    surprise("balance of " + card.maskedPan() + ": " + PosResult.yuan(balance.availableBalance())
                            + ", expected " + PosResult.yuan(expected));
                }
            }
            final long[] trips = roundTrips.stream().mapToLong(Long::longValue).toArray();
            Arrays.sort(trips);
            return new Report(steps, counts, trips, List.copyOf(surprises), balances);
        }
    }

    // ------------------------------------------------------------------ pieces

    /** The amount the busy phase charges corporate card {@code index} (distinct cards, always enough money). */
    static long busyAmount(final int index) {
        return 100 + (index * 7919L) % 1_900;
    }

    /** Every terminal at once: purchases on the corporate gift cards, and balance inquiries. */
    private void busy(final List<PosTerminal> terminals) throws Exception {
        final ExecutorService pool = Executors.newFixedThreadPool(terminals.size());
        try {
            final List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < terminals.size(); t++) {
                final PosTerminal terminal = terminals.get(t);
                final int first = t * BUSY_PER_TERMINAL;
                done.add(pool.submit(() -> {
                    int approved = 0;
                    for (int i = 0; i < BUSY_PER_TERMINAL; i++) {
                        final int index = first + i;
                        final Card card = corporateGiftCard(index);
                        final PosResult result = busyInquiry(index) ? terminal.balance(card)
                                : terminal.purchase(card, busyAmount(index));
                        record(result);
                        if (APPROVED.equals(result.responseCode())) {
                            approved++;
                        } else {
                            surprise(terminal.terminalId() + " " + result.operation().command + " on "
                                    + card.maskedPan() + ": expected 00, got " + describe(result));
                        }
                    }
                    return approved;
                }));
            }
            int approved = 0;
            for (final Future<Integer> f : done) {
                approved += f.get();
            }
            steps += terminals.size() * BUSY_PER_TERMINAL;
            out.printf(Locale.ROOT, "  %-72s %d of %d approved%n", "busy hour", approved,
                    terminals.size() * BUSY_PER_TERMINAL);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Whether the busy phase makes a balance inquiry (one in four) rather than a purchase on card {@code index}. */
    static boolean busyInquiry(final int index) {
        return index % 4 == 3;
    }

    /**
     * The purchase's request sent once more, byte for byte, on another connection (a terminal that retried):
     * the switch answers it as the first time, same RRN, and moves no money.
     */
    private void duplicate(final PosResult original) throws IOException {
        final byte[] body = original.request();
        final byte[] frame = new byte[body.length + 2];
        frame[0] = (byte) (body.length >>> 8);
        frame[1] = (byte) body.length;
        System.arraycopy(body, 0, frame, 2, body.length);
        final byte[] answer = new byte[dialect.maxFrameLength];
        final long started = System.nanoTime();
        final int length;
        try (PosLink line = new SocketLink(host, port, 3_000)) {
            line.connect();
            line.send(frame, 0, frame.length);
            length = line.receive(answer, 0, dialect.minFrameLength, dialect.maxFrameLength,
                    System.nanoTime() + Duration.ofSeconds(10).toNanos());
        }
        final long nanos = System.nanoTime() - started;
        final IsoMessage message = new IsoMessage(dialect);
        steps++;
        if (!message.wrap(new UnsafeBuffer(answer), 0, length)) {
            surprise("the answer to the duplicate does not decode: " + message.error());
            return;
        }
        final String code = text(message, 39);
        final String rrn = text(message, 37);
        count("purchase (duplicate)", code);
        roundTrips.add(nanos);
        final boolean ok = APPROVED.equals(code) && original.rrn() != null && original.rrn().equals(rrn);
        line(ok, "the same purchase sent again (a duplicate transmission)", code + " same RRN " + rrn
                + ", no money moved");
        if (!ok) {
            surprise("duplicate of the 128.00 purchase: expected 00 with RRN " + original.rrn() + ", got " + code
                    + " RRN " + rrn);
        }
    }

    private static String text(final IsoMessage message, final int field) {
        if (!message.has(field)) {
            return "--";
        }
        final byte[] bytes = new byte[message.dataBytes(field)];
        message.getBytes(field, bytes, 0);
        return new String(bytes, StandardCharsets.US_ASCII).trim();
    }

    private void section(final String title) {
        out.println();
        out.println(title);
    }

    /**
     * Runs one step and checks its response code ({@code expectedCode} null: no answer is expected); every
     * exchange it caused (a sign-on or reversal sent first, an upload after) is counted.
     */
    private PosResult expect(final String what, final String expectedCode, final Supplier<PosResult> step) {
        final PosResult result = step.get();
        steps++;
        record(result);
        final boolean ok = expectedCode == null ? result.status() != PosResult.Status.ANSWERED
                : expectedCode.equals(result.responseCode()) && result.status() == PosResult.Status.ANSWERED;
        line(ok, what, describe(result));
        if (!ok) {
            surprise(what + ": expected " + (expectedCode == null ? "no answer" : expectedCode) + ", got "
                    + describe(result));
        }
        return result;
    }

    private void line(final boolean ok, final String what, final String result) {
        out.printf(Locale.ROOT, "  %s %-70s %s%n", ok ? "ok " : "!! ", what, result);
    }

    private static String describe(final PosResult result) {
        if (result.status() != PosResult.Status.ANSWERED) {
            return result.status().text + (result.detail() == null ? "" : " (" + result.detail() + ")");
        }
        final StringBuilder s = new StringBuilder(result.responseCode()).append(' ').append(result.responseMeaning());
        if (result.availableBalance() != PosResult.NO_BALANCE) {
            s.append(", balance ").append(PosResult.yuan(result.availableBalance()));
        }
        if (result.settlementFlag() > 0) {
            s.append(result.settlementFlag() == 1 ? ", balanced" : ", unbalanced: " + result.followUps().size()
                    + " upload messages");
        }
        return s.toString();
    }

    private void record(final PosResult result) {
        for (final PosResult before : result.preliminaries()) {
            record(before);
        }
        if (result.status() == PosResult.Status.ANSWERED) {
            count(result.operation().command, result.responseCode());
            roundTrips.add(result.roundTripNanos());
        } else if (result.status() != PosResult.Status.NOT_SENT) {
            count(result.operation().command, result.status().name().toLowerCase(Locale.ROOT));
        }
        for (final PosResult after : result.followUps()) {
            record(after);
        }
    }

    private void count(final String operation, final String code) {
        synchronized (counts) {
            counts.computeIfAbsent(operation, k -> new TreeMap<>()).merge(code, 1, Integer::sum);
        }
    }

    private void change(final Card card, final PosResult result, final long amount) {
        if (result == null || APPROVED.equals(result.responseCode())) {
            expectedChange.computeIfPresent(card.pan(), (pan, sum) -> sum + amount);
        }
    }

    private void surprise(final String what) {
        surprises.add(what);
    }
}
