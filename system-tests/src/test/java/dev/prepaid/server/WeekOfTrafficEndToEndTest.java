package dev.prepaid.server;

import static dev.prepaid.server.EndToEnd.assertApproved;
import static dev.prepaid.server.EndToEnd.assertDeclined;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prepaid.admin.Applied;
import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.Envelope;
import dev.prepaid.demo.DemoBusiness;
import dev.prepaid.operator.Operator;
import dev.prepaid.pos.Card;
import dev.prepaid.pos.PosResult;
import dev.prepaid.pos.PosTerminal;
import dev.prepaid.security.DesKey;
import dev.prepaid.security.Hex;
import dev.prepaid.security.MacFunction;
import dev.prepaid.server.AdminHttp.Answer;
import dev.prepaid.server.TestLinks.UnreliableLink;
import dev.prepaid.server.WeekModel.Contract;
import dev.prepaid.server.WeekModel.Cycle;
import dev.prepaid.server.WeekModel.RefundFeePolicy;
import dev.prepaid.server.WeekModel.RefundParts;
import dev.prepaid.server.WeekModel.Sale;
import dev.prepaid.testing.Await;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A simulated week through a real switch on the demo business: seven business days — Wednesday 29 April to Tuesday
 * 5 May 2026, with the Labour Day holidays (1 and 4 May, set by the administrator), a weekend day and a make-up
 * working Sunday (3 May) — of seeded random but reproducible POS traffic over TCP at three merchants with different
 * fee rules (0.35 % capped at 13.00 with refunds returning the fee in proportion, T+1; 0.60 % with an
 * operator-funded discount for named cards, T+2; and a bookshop registered live by the administrator: 1 % with a
 * minimum of 0.50 and a cap of 2.00, the whole fee returned by the first refund, a monthly service fee, paid once its
 * net reaches a threshold) — purchases, voids, reversals after lost answers, refunds across days, POS and counter
 * recharges, pre-authorisations with completions, cancels and completion voids, declines (wrong PIN, insufficient
 * balance, recharge refused, over the cap) — and operators every day over the admin endpoint (counter recharges,
 * card sales, maker-checker adjustments, settlements prepared by one finance operator and approved by another, the
 * bank's result booked). The switch's own cut-over closes each day; its clearing thread clears and reconciles it.
 *
 * <p>The test keeps its own model of the money ({@link WeekModel}), fed only with what terminals and operators were
 * told, and checks the switch's figures against it to the fen for every merchant and every day, the week's report
 * against the sum of the days, every day's reconciliation, and every settlement batch's line per merchant. A seed
 * other than the default: {@code -Dweek.seed=N}.
 */
class WeekOfTrafficEndToEndTest {
    private static final long SEED = Long.getLong("week.seed", 20_260_429L);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final LocalDate FIRST_DAY = LocalDate.of(2026, 4, 29);
    private static final int DAYS = 7;
    private static final int POS_PER_DAY = 45;
    private static final String SUPERMARKET = DemoSwitch.SUPERMARKET;
    private static final String COFFEE = DemoSwitch.COFFEE;
    private static final String BOOKSHOP = "888310059940003";
    private static final String BOOKSHOP_TERMINAL = "30000001";
    private static final long BOOKSHOP_THRESHOLD = 150_00;
    private static final long GIFT_CAP = 1_000_00;
    private static final long NAMED_CAP = 5_000_00;
    /** The administrator's calendar for the week: Labour Day holidays and the make-up working Sunday. */
    private static final Map<LocalDate, String> CALENDAR = Map.of(LocalDate.of(2026, 5, 1), "HOLIDAY",
            LocalDate.of(2026, 5, 4), "HOLIDAY", LocalDate.of(2026, 5, 3), "WORKDAY");

    @TempDir
    Path directory;

    /** Journal timestamps and business dates: noon in Shanghai of the day the test is at. */
    private static final class TestClock extends Clock {
        private volatile Instant now;

        TestClock(final Instant now) {
            this.now = now;
        }

        void advanceOneDay() {
            now = now.plus(Duration.ofDays(1));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(final ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** A card as the test knows it from the answers it was given. */
    private static final class CardState {
        final Card card;
        final int type;
        final String pin;
        final long cap;
        long available;
        long holds;
        int wrongPinDay = -1;

        CardState(final Card card, final int type, final String pin, final long available) {
            this.card = card;
            this.type = type;
            this.pin = pin;
            this.cap = type == 1 ? NAMED_CAP : GIFT_CAP;
            this.available = available;
        }

        long ledger() {
            return available + holds;
        }

        Card withPin() {
            return pin == null ? card : card.withPin(pin);
        }
    }

    /** An approved purchase or completion and what the terminal answered: the original of a refund or void. */
    private record Approved(Sale sale, PosResult result, CardState card, Till till, long hold) {
    }

    private record Recharge(PosResult result, CardState card, long amount) {
    }

    private record Hold(PosResult result, CardState card, long amount) {
    }

    /** One terminal of the week and what its open batch holds. */
    private static final class Till {
        final String id;
        final String merchantId;
        final PosTerminal pos;
        final UnreliableLink line;
        final List<Approved> batchSales = new ArrayList<>();
        final List<Recharge> batchRecharges = new ArrayList<>();
        final List<Hold> holds = new ArrayList<>();

        Till(final String id, final String merchantId, final PosTerminal pos, final UnreliableLink line) {
            this.id = id;
            this.merchantId = merchantId;
            this.pos = pos;
            this.line = line;
        }

        boolean takesRecharges() {
            return !COFFEE.equals(merchantId);
        }
    }

    private final Random random = new Random(SEED);
    private final WeekModel model = new WeekModel();
    private final List<CardState> gifts = new ArrayList<>();
    private final List<CardState> named = new ArrayList<>();
    private final List<Till> tills = new ArrayList<>();
    private final Map<String, List<Approved>> refundable = new HashMap<>();
    /** Per epoch day: counter recharges by card type, count and amount. */
    private final Map<Integer, Map<Integer, long[]>> counterRecharges = new TreeMap<>();
    private final Map<String, Long> paid = new HashMap<>();
    private final Map<Integer, JsonNode> figuresByDay = new TreeMap<>();
    /** What the seed's traffic covered, checked at the end so that a seed cannot quietly leave a path out. */
    private final Set<String> covered = new TreeSet<>();
    private TestClock clock;
    private SwitchServer server;
    private AdminHttp http;
    private String admin;
    private String clerk;
    private String supervisor;
    private String supervisor2;
    private String finance;
    private String finance2;
    private int today;
    private int settlements;

    private static String iso(final int epochDay) {
        return LocalDate.ofEpochDay(epochDay).toString();
    }

    private static int yyyymmdd(final int epochDay) {
        final LocalDate d = LocalDate.ofEpochDay(epochDay);
        return d.getYear() * 10_000 + d.getMonthValue() * 100 + d.getDayOfMonth();
    }

    /** The model's own calendar: weekdays work, weekends do not, the administrator's entries override both. */
    private static boolean workingDay(final int epochDay) {
        final LocalDate d = LocalDate.ofEpochDay(epochDay);
        final String kind = CALENDAR.get(d);
        if (kind != null) {
            return kind.equals("WORKDAY");
        }
        return d.getDayOfWeek() != DayOfWeek.SATURDAY && d.getDayOfWeek() != DayOfWeek.SUNDAY;
    }

    private String where() {
        return "seed " + SEED + ", " + iso(today);
    }

    @Test
    void aWeekOfTrafficClearsToTheFiguresOfAnIndependentModelAndSettlesWhatItOwes() throws Exception {
        clock = new TestClock(FIRST_DAY.atTime(12, 0).atZone(SHANGHAI).toInstant());
        server = SwitchServer.start(DemoSwitch.withClearing(DemoSwitch.config(directory), true), clock);
        try {
            today = (int) FIRST_DAY.toEpochDay();
            assertThat(server.read(s -> s.businessDate()).get()).isEqualTo(yyyymmdd(today));
            http = AdminHttp.of(server);
            logIn("-demo");
            contracts();
            setUpTheWeek();
            cards();
            openTills();

            for (int day = 0; day < DAYS; day++) {
                if (day > 0 && workingDay(today)) {
                    settle();
                }
                operators(day);
                if (day == 0) {
                    bigPurchase();
                } else if (day == 2) {
                    refundTheBigPurchase(1_000_00);
                } else if (day == 5) {
                    refundTheBigPurchase(Long.MAX_VALUE);
                } else if (day == 3) {
                    rechargeRush();
                }
                for (int i = 0; i < POS_PER_DAY; i++) {
                    posTransaction();
                }
                closeTills();
                cutOverAndCheck();
            }
            assertThat(workingDay(today)).as("the day after the week is a working day").isTrue();
            settle();
            assertThat(settlements).as("settlement batches prepared in the week").isGreaterThanOrEqualTo(3);
            checkTheWeek();
        } finally {
            for (final Till till : tills) {
                till.pos.close();
            }
            server.close();
        }
    }

    // ------------------------------------------------------------------ set-up

    private void contracts() {
        model.contract(new Contract(SUPERMARKET, 3_500, 0, 13_00, RefundFeePolicy.PROPORTIONAL, 0, Cycle.T_PLUS_N, 1,
                0, 0, 0, 0, 0));
        model.contract(new Contract(COFFEE, 6_000, 0, 0, RefundFeePolicy.NONE, 0, Cycle.T_PLUS_N, 2, 0,
                50_000, 50_00, 10_00, 1));
        model.contract(new Contract(BOOKSHOP, 10_000, 50, 2_00, RefundFeePolicy.FULL, 30_00, Cycle.THRESHOLD, 0,
                BOOKSHOP_THRESHOLD, 0, 0, 0, 0));
        model.deployerShare("10000002", 300_000);
    }

    /** The administrator's first morning: the holiday calendar, and a bookshop with its fee rules and a new terminal. */
    private void setUpTheWeek() {
        CALENDAR.forEach((date, kind) -> ok(http.command(admin, "SET_CALENDAR_DAY", "{\"date\":"
                + yyyymmdd((int) date.toEpochDay()) + ",\"kind\":\"" + kind + "\"}")));
        ok(http.command(admin, "UPSERT_MERCHANT", "{\"merchantId\":\"" + BOOKSHOP + "\",\"name\":\"Demo Bookshop\","
                + "\"category\":\"5942\",\"status\":\"ACTIVE\",\"cycle\":\"THRESHOLD\",\"cycleDays\":0,\"thresholdFen\":"
                + BOOKSHOP_THRESHOLD + ",\"refundFeePolicy\":\"FULL\",\"rechargeAllowed\":true,"
                + "\"bankAccount\":\"6222020200998877665\",\"bankAccountName\":\"Demo Bookshop Ltd.\","
                + "\"bankName\":\"ICBC Shanghai Xuhui Branch\",\"cnapsCode\":\"102290000099\"}"));
        final int purchaseAndCompletion = (1 << 3) | (1 << 11);
        ok(http.command(admin, "PUT_FEE_RULE", "{\"ruleId\":10,\"merchantId\":\"" + BOOKSHOP + "\",\"cardTypeId\":0,"
                + "\"kinds\":" + purchaseAndCompletion + ",\"fromDate\":0,\"toDate\":0,\"priority\":0,"
                + "\"method\":\"PERCENT_MIN_CAP\",\"ratePpm\":10000,\"fixedFen\":0,\"minFen\":50,\"capFen\":200}"));
        ok(http.command(admin, "PUT_FEE_RULE", "{\"ruleId\":11,\"merchantId\":\"" + BOOKSHOP + "\",\"cardTypeId\":0,"
                + "\"kinds\":0,\"fromDate\":0,\"toDate\":0,\"priority\":0,\"method\":\"PERIODIC\",\"ratePpm\":0,"
                + "\"fixedFen\":3000,\"minFen\":0,\"capFen\":0}"));
        final Answer registered = http.post("/v1/terminals", admin, "{\"requestId\":" + AdminHttp.requestId()
                + ",\"fields\":{\"terminalId\":\"" + BOOKSHOP_TERMINAL + "\",\"merchantId\":\"" + BOOKSHOP + "\","
                + "\"serialNumber\":\"BOOK-SN-1\",\"status\":\"ACTIVE\",\"macAlgorithm\":\"CUP_ECB\",\"deployerCode\":\"\","
                + "\"shareMethod\":\"NONE\",\"shareRatePpm\":0},\"tmk\":{\"components\":[\"" + TMK_PARTS[0] + "\",\""
                + TMK_PARTS[1] + "\"],\"checkValue\":\"" + bookshopTmk().checkValueHex(3) + "\"}}");
        ok(registered);
    }

    private static final String[] TMK_PARTS = {"4545454567676767ABABABAB01010101", "1212121234343434CDCDCDCD89898989"};

    private static DesKey bookshopTmk() {
        final byte[] key = Hex.decode(TMK_PARTS[0]);
        final byte[] other = Hex.decode(TMK_PARTS[1]);
        for (int i = 0; i < key.length; i++) {
            key[i] ^= other[i];
        }
        DesKey.setOddParity(key, 0, key.length);
        return DesKey.of(key);
    }

    private void cards() {
        for (int account = 100; account < 400; account++) {
            gifts.add(new CardState(DemoBusiness.giftCard(account), 2, null, 100_00));
        }
        named.add(new CardState(DemoSwitch.manual("8888000100000017", null), 1, "123456", 1_000_00));
        named.add(new CardState(DemoSwitch.manual("8888000100000025", null), 1, "111111", 4_990_00));
        named.add(new CardState(DemoSwitch.manual("8888000100000066", null), 1, "555555", 200_00));
    }

    private void openTills() {
        for (final String id : List.of("10000001", "10000002", "10000003", "20000001", "20000002")) {
            final boolean unreliable = id.endsWith("1");
            final UnreliableLink line = unreliable ? new UnreliableLink(server.posPort()) : null;
            final PosTerminal.Builder builder = DemoSwitch.terminal(server, id).clock(clock);
            tills.add(new Till(id, DemoBusiness.merchantOf(id), (line != null ? builder.link(line) : builder).build(),
                    line));
        }
        final UnreliableLink line = new UnreliableLink(server.posPort());
        tills.add(new Till(BOOKSHOP_TERMINAL, BOOKSHOP, PosTerminal.builder(DemoSwitch.dialect())
                .terminalId(BOOKSHOP_TERMINAL).merchantId(BOOKSHOP).tmk(bookshopTmk()).macAlgorithm(MacFunction.CUP_ECB)
                .link(line).clock(clock).readTimeout(Duration.ofSeconds(10)).build(), line));
        for (final Till till : tills) {
            assertApproved(till.pos.signOn());
        }
    }

    // ------------------------------------------------------------------ operators

    /**
     * The operators log in (each morning: a session does not outlive the day). The first login changes each demo
     * password to the password with {@code -new} ({@link AdminHttp#login}).
     */
    private void logIn(final String suffix) {
        admin = http.login("admin", "admin" + suffix);
        clerk = http.login("clerk", "clerk" + suffix);
        supervisor = http.login("supervisor", "supervisor" + suffix);
        supervisor2 = http.login("supervisor2", "supervisor2" + suffix);
        finance = http.login("finance", "finance" + suffix);
        finance2 = http.login("finance2", "finance2" + suffix);
    }

    private static Answer ok(final Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer;
    }

    /** The operators' work of a day: counter recharges, a card sold, and on some days an adjustment, maker-checker. */
    private void operators(final int day) {
        final CardState holder = named.get(day % named.size());
        if (holder.ledger() + 300_00 <= holder.cap) {
            counterRecharge(holder, 300_00);
        }
        final CardState gift = gifts.get(random.nextInt(gifts.size()));
        if (gift.ledger() + 50_00 <= gift.cap) {
            counterRecharge(gift, 50_00);
        }
        final Card sold = DemoBusiness.giftCard(7 + day);
        final Answer sale = ok(http.command(clerk, "SELL_CARDS", "{\"firstPan\":\"" + sold.pan() + "\",\"count\":1,"
                + "\"faceValue\":30000,\"payment\":\"CASH\",\"channel\":\"COUNTER\",\"buyerKind\":\"PERSON\"}"));
        assertThat(sale.body().get("result").asText()).isEqualTo("APPROVED");
        gifts.add(new CardState(sold, 2, null, 300_00));
        if (day % 3 == 1) {
            final String merchant = day == 1 ? COFFEE : SUPERMARKET;
            final long amount = merchant.equals(SUPERMARKET) ? 6_000_00 : 10_00 + random.nextInt(90_00);
            final Answer requested = ok(http.command(supervisor, "REQUEST_ADJUSTMENT", "{\"target\":\"MERCHANT\","
                    + "\"targetId\":\"" + merchant + "\",\"amount\":" + amount + ",\"counter\":\"CUSTODY\"}"));
            final long pending = requested.body().get("pendingId").asLong();
            final Answer own = http.command(supervisor, "APPROVE", "{\"pendingId\":" + pending + "}");
            assertThat(own.error()).as(own.toString()).isEqualTo("APPROVER_IS_MAKER");
            ok(http.command(supervisor2, "APPROVE", "{\"pendingId\":" + pending + "}"));
            model.adjustment(today, merchant, amount);
        }
    }

    private void counterRecharge(final CardState card, final long amount) {
        ok(http.command(clerk, "RECHARGE_CARDS", "{\"firstPan\":\"" + card.card.pan() + "\",\"count\":1,\"amount\":"
                + amount + ",\"payment\":\"CASH\",\"channel\":\"COUNTER\"}"));
        card.available += amount;
        final long[] c = counterRecharges.computeIfAbsent(today, d -> new HashMap<>())
                .computeIfAbsent(card.type, t -> new long[2]);
        c[0]++;
        c[1] += amount;
    }

    /**
     * Finance prepares the morning's settlement; each line must be what the model says the merchant is owed; a
     * second finance operator approves it and the bank's result file books every payout paid.
     */
    private void settle() {
        final Map<String, Long> due = new TreeMap<>();
        for (final String merchant : model.merchants()) {
            final long owed = model.due(merchant, today, paid.getOrDefault(merchant, 0L),
                    WeekOfTrafficEndToEndTest::workingDay);
            if (owed > 0) {
                due.put(merchant, owed);
            }
        }
        final Answer prepared = http.command(finance, "PREPARE_SETTLEMENT", "{}");
        if (due.isEmpty()) {
            assertThat(prepared.error()).as(where() + ": " + prepared).isEqualTo("NOTHING_TO_SETTLE");
            return;
        }
        ok(prepared);
        settlements++;
        final long id = prepared.body().get("settlementId").asLong();
        final JsonNode batch = ok(http.get("/v1/settlements/" + id, finance)).body();
        final Map<String, Long> lines = new TreeMap<>();
        for (final JsonNode line : batch.get("lines")) {
            lines.put(line.get("merchantId").asText(), line.get("net").asLong());
        }
        assertThat(lines).as(where() + ": settlement %d's lines", id).isEqualTo(due);
        assertThat(prepared.body().get("total").asLong()).as(where())
                .isEqualTo(due.values().stream().mapToLong(Long::longValue).sum());
        ok(http.command(finance2, "APPROVE", "{\"pendingId\":" + id + "}"));
        final StringBuilder file = new StringBuilder();
        due.forEach((merchant, amount) -> {
            file.append(id).append('-').append(merchant).append(',').append(PosResult.yuan(amount))
                    .append(",PAID,,,B-").append(id).append('-').append(merchant).append('\n');
            paid.merge(merchant, amount, Long::sum);
        });
        final Answer booked = ok(http.post("/v1/settlements/" + id + "/results", finance, Map.of("requestId",
                AdminHttp.requestId(), "note", "bank result file", "file", file.toString())));
        assertThat(booked.body().get("booked").asInt()).isEqualTo(due.size());
    }

    // ------------------------------------------------------------------ POS traffic

    private <T> T any(final List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private long amount(final long max) {
        final long upper = Math.max(1, Math.min(max, 300_00));
        return 1 + (long) (random.nextDouble() * upper);
    }

    private void posTransaction() {
        final int pick = random.nextInt(100);
        final boolean done;
        if (pick < 34) {
            done = purchase(any(tills), any(gifts));
        } else if (pick < 42) {
            done = purchase(any(tills), any(named));
        } else if (pick < 47) {
            done = voidPurchase();
        } else if (pick < 56) {
            done = refund();
        } else if (pick < 64) {
            done = recharge(any(tills));
        } else if (pick < 70) {
            done = preauth(any(tills));
        } else if (pick < 75) {
            done = closeHold(any(tills));
        } else if (pick < 78) {
            done = wrongPin(any(tills));
        } else if (pick < 81) {
            done = insufficientBalance(any(tills));
        } else if (pick < 83) {
            done = overTheCap();
        } else if (pick < 91) {
            done = lostAnswer();
        } else if (pick < 93) {
            done = voidRecharge();
        } else if (pick < 96) {
            done = voidCompletion();
        } else {
            done = refusedOriginal(any(tills));
        }
        if (!done) {
            purchase(any(tills), any(gifts));
        }
    }

    private void checkBalance(final PosResult result, final CardState card) {
        if (result.availableBalance() != PosResult.NO_BALANCE) {
            assertThat(result.availableBalance()).as(where() + ": balance after %s", result).isEqualTo(card.available);
        }
    }

    private boolean purchase(final Till till, final CardState card) {
        if (card.available < 1_00) {
            return false;
        }
        final long amount = card.type == 1 && random.nextInt(4) == 0 ? 50_00 + amount(card.available) : amount(
                card.available);
        final long discount = model.contract(till.merchantId).discount(card.type, amount);
        if (amount - discount > card.available) {
            return false;
        }
        final PosResult result = till.pos.purchase(card.withPin(), amount);
        assertThat(result.responseCode()).as(where() + ": %s", result).isEqualTo("00");
        final Sale sale = model.purchase(today, till.id, till.merchantId, card.type, amount);
        card.available -= amount - discount;
        checkBalance(result, card);
        final Approved approved = new Approved(sale, result, card, till, 0);
        till.batchSales.add(approved);
        refundable.computeIfAbsent(till.merchantId, m -> new ArrayList<>()).add(approved);
        return true;
    }

    private Approved big;

    /** A purchase of 4,000.00 at the supermarket with the card near the cap: the fee is capped at 13.00. */
    private void bigPurchase() {
        final CardState card = named.get(1);
        final Till till = tills.get(1);
        final PosResult result = till.pos.purchase(card.withPin(), 4_000_00);
        assertThat(result.responseCode()).as(where() + ": %s", result).isEqualTo("00");
        final Sale sale = model.purchase(today, till.id, till.merchantId, card.type, 4_000_00);
        assertThat(sale.fee).isEqualTo(13_00);
        card.available -= 4_000_00;
        checkBalance(result, card);
        big = new Approved(sale, result, card, till, 0);
        refundable.computeIfAbsent(till.merchantId, m -> new ArrayList<>()).add(big);
    }

    /**
     * The capped purchase refunded on two later days: 1,000.00 returns its part of the 13.00 fee, then what the card's
     * cap lets it take back (all the rest, when it fits: that refund takes the remainder of the fee).
     */
    private void refundTheBigPurchase(final long upTo) {
        final long amount = Math.min(Math.min(big.sale.refundable(), upTo), big.card.cap - big.card.ledger());
        if (amount <= 0) {
            return;
        }
        final RefundParts parts = model.refundParts(big.sale, amount);
        final PosResult result = tills.get(0).pos.refund(big.result, amount);
        assertThat(result.responseCode()).as(where() + ": %s", result).isEqualTo("00");
        model.refund(today, big.sale, amount);
        big.card.available += parts.cardPart();
        checkBalance(result, big.card);
    }

    /** A Saturday of recharges at the supermarket: its day's net is negative, and carried forward. */
    private void rechargeRush() {
        int rush = 0;
        for (final CardState card : gifts) {
            if (rush < 6 && card.cap - card.ledger() >= 900_00) {
                recharge(tills.get(rush % 3), card, 900_00);
                rush++;
            }
        }
        assertThat(rush).isEqualTo(6);
    }

    private boolean voidPurchase() {
        final List<Approved> candidates = new ArrayList<>();
        for (final Till till : tills) {
            for (final Approved a : till.batchSales) {
                if (!a.sale.completion && !a.sale.undone && a.sale.refunded == 0) {
                    candidates.add(a);
                }
            }
        }
        if (candidates.isEmpty()) {
            return false;
        }
        final Approved a = any(candidates);
        assertApproved(a.till.pos.voidPurchase(a.result));
        covered.add("purchase void");
        model.undoSale(today, a.sale, false);
        a.card.available += a.sale.cardAmount();
        return true;
    }

    private boolean refund() {
        final String merchant = any(model.merchants());
        final List<Approved> candidates = new ArrayList<>();
        for (final Approved a : refundable.getOrDefault(merchant, List.of())) {
            if (a.sale.refundable() > 0) {
                candidates.add(a);
            }
        }
        if (candidates.isEmpty()) {
            return false;
        }
        final Approved a = any(candidates);
        final long amount = random.nextBoolean() ? a.sale.refundable() : amount(a.sale.refundable());
        final RefundParts parts = model.refundParts(a.sale, amount);
        if (a.card.ledger() + parts.cardPart() > a.card.cap) {
            return false;
        }
        final Till till = any(tillsOf(merchant));
        final PosResult result = till.pos.refund(a.result, amount);
        assertThat(result.responseCode()).as(where() + ": refund of %s: %s", a.result, result).isEqualTo("00");
        model.refund(today, a.sale, amount);
        covered.add(a.sale.completion ? "refund of a completion" : a.sale.day < today ? "refund of an earlier day"
                : "refund the same day");
        a.card.available += parts.cardPart();
        checkBalance(result, a.card);
        return true;
    }

    private List<Till> tillsOf(final String merchant) {
        final List<Till> of = new ArrayList<>();
        for (final Till till : tills) {
            if (till.merchantId.equals(merchant)) {
                of.add(till);
            }
        }
        return of;
    }

    private boolean recharge(final Till till) {
        final CardState card = random.nextInt(5) == 0 ? any(named) : any(gifts);
        final long room = card.cap - card.ledger();
        if (room < 1_00) {
            return false;
        }
        recharge(till, card, amount(Math.min(room, 200_00)));
        return true;
    }

    private void recharge(final Till till, final CardState card, final long amount) {
        final PosResult result = till.pos.recharge(card.card, amount);
        if (!till.takesRecharges()) {
            assertDeclined(result, "58");
            model.decline(today, till.merchantId, "RECHARGE_NOT_PERMITTED_AT_MERCHANT");
            return;
        }
        assertThat(result.responseCode()).as(where() + ": %s", result).isEqualTo("00");
        model.recharge(today, till.merchantId, amount);
        card.available += amount;
        checkBalance(result, card);
        till.batchRecharges.add(new Recharge(result, card, amount));
    }

    private boolean voidRecharge() {
        final List<Recharge> candidates = new ArrayList<>();
        final List<Till> of = new ArrayList<>();
        for (final Till till : tills) {
            for (final Recharge r : till.batchRecharges) {
                if (r.card.available >= r.amount) {
                    candidates.add(r);
                    of.add(till);
                }
            }
        }
        if (candidates.isEmpty()) {
            return false;
        }
        final int i = random.nextInt(candidates.size());
        final Recharge r = candidates.get(i);
        final Till till = of.get(i);
        assertApproved(till.pos.voidRecharge(r.result));
        till.batchRecharges.remove(r);
        model.undoRecharge(today, till.merchantId, r.amount, false);
        covered.add("recharge void");
        r.card.available -= r.amount;
        return true;
    }

    private boolean preauth(final Till till) {
        final CardState card = any(named);
        if (card.available < 10_00) {
            return false;
        }
        final long amount = amount(Math.min(card.available, 500_00));
        final PosResult result = till.pos.preAuth(card.withPin(), amount);
        assertThat(result.responseCode()).as(where() + ": %s", result).isEqualTo("00");
        model.preauth(today, till.merchantId, amount);
        card.available -= amount;
        card.holds += amount;
        till.holds.add(new Hold(result, card, amount));
        return true;
    }

    /** Completes (for at most the hold) or cancels one of the till's open pre-authorisations. */
    private boolean closeHold(final Till till) {
        if (till.holds.isEmpty()) {
            return false;
        }
        final Hold hold = till.holds.remove(random.nextInt(till.holds.size()));
        if (random.nextInt(3) == 0) {
            assertApproved(till.pos.preAuthCancel(hold.result));
            model.preauthCancel(today, till.merchantId);
            covered.add("pre-authorisation cancel");
            hold.card.holds -= hold.amount;
            hold.card.available += hold.amount;
            return true;
        }
        final long amount = random.nextBoolean() ? hold.amount : amount(hold.amount);
        final PosResult result = till.pos.complete(hold.result, amount);
        assertThat(result.responseCode()).as(where() + ": %s", result).isEqualTo("00");
        final Sale sale = model.completion(today, till.id, till.merchantId, amount);
        covered.add("completion");
        hold.card.holds -= hold.amount;
        hold.card.available += hold.amount - amount;
        final Approved approved = new Approved(sale, result, hold.card, till, hold.amount);
        completedHolds.put(result, hold.result);
        till.batchSales.add(approved);
        refundable.computeIfAbsent(till.merchantId, m -> new ArrayList<>()).add(approved);
        return true;
    }

    private boolean voidCompletion() {
        for (final Till till : tills) {
            for (final Approved a : till.batchSales) {
                if (a.sale.completion && !a.sale.undone && a.sale.refunded == 0
                        && a.card.available >= a.hold - a.sale.amount) {
                    return voidedCompletion(a, till.pos.voidCompletion(a.result));
                }
            }
        }
        return false;
    }

    /** A completion voided: no fee, nothing owed, and its hold is open again (to be completed or cancelled). */
    private boolean voidedCompletion(final Approved a, final PosResult result) {
        if (a.card.available < a.hold - a.sale.amount) {
            throw new AssertionError(where() + ": the test voided a completion the card cannot take back");
        }
        assertApproved(result);
        covered.add("completion void");
        model.undoSale(today, a.sale, false);
        a.card.available -= a.hold - a.sale.amount;
        a.card.holds += a.hold;
        final PosResult preauth = findPreauth(a);
        a.till.holds.add(new Hold(preauth, a.card, a.hold));
        return true;
    }

    /** The pre-authorisation a completion completed, as the original of its cancel. */
    private final Map<PosResult, PosResult> completedHolds = new HashMap<>();

    private PosResult findPreauth(final Approved completion) {
        final PosResult preauth = completedHolds.get(completion.result);
        assertThat(preauth).as("the pre-authorisation of %s", completion.result).isNotNull();
        return preauth;
    }

    private boolean wrongPin(final Till till) {
        final CardState card = any(named);
        if (card.wrongPinDay == today) {
            return false;
        }
        card.wrongPinDay = today;
        assertDeclined(till.pos.purchase(card.card.withPin("000000"), amount(card.available)), "55");
        model.decline(today, till.merchantId, "PIN_WRONG");
        return true;
    }

    /**
     * What the switch refuses about an original: a void of a purchase in a batch already settled (12), a refund of more
     * than is left of the original (13), a pre-authorisation on a gift card, whose type does not permit it (57).
     */
    private boolean refusedOriginal(final Till till) {
        final int kind = random.nextInt(3);
        final List<Approved> sales = refundable.getOrDefault(till.merchantId, List.of());
        if (kind == 0) {
            for (final Approved a : sales) {
                if (a.till == till && !a.sale.completion && !a.sale.undone && a.sale.refunded == 0
                        && a.sale.day < today) {
                    assertDeclined(till.pos.voidPurchase(a.result), "12");
                    model.decline(today, till.merchantId, "ORIGINAL_BATCH_SETTLED");
                    return true;
                }
            }
            return false;
        }
        if (kind == 1) {
            if (sales.isEmpty()) {
                return false;
            }
            final Approved a = any(sales);
            if (a.sale.refundable() == 0) {
                return false;
            }
            assertDeclined(till.pos.refund(a.result, a.sale.refundable() + 1 + random.nextInt(10_00)), "13");
            model.decline(today, till.merchantId, "REFUND_EXCEEDS_ORIGINAL");
            return true;
        }
        final CardState card = any(gifts);
        assertDeclined(till.pos.preAuth(card.card, amount(card.available)), "57");
        model.decline(today, till.merchantId, "NOT_PERMITTED_FOR_CARD_TYPE");
        return true;
    }

    private boolean insufficientBalance(final Till till) {
        final CardState card = any(gifts);
        final long amount = card.available + 1 + random.nextInt(50_00);
        if (amount > GIFT_CAP) {
            return false;
        }
        assertDeclined(till.pos.purchase(card.card, amount), "51");
        model.decline(today, till.merchantId, "INSUFFICIENT_BALANCE");
        return true;
    }

    private boolean overTheCap() {
        final Till till = any(List.of(tills.get(0), tills.get(5)));
        final CardState card = any(gifts);
        final long amount = card.cap - card.ledger() + 1 + random.nextInt(10_00);
        assertDeclined(till.pos.recharge(card.card, amount), "61");
        model.decline(today, till.merchantId, "BALANCE_CAP_EXCEEDED");
        return true;
    }

    /**
     * A transaction whose answer is lost on the way (the line keeps what the switch said): the terminal reverses it
     * before anything else, and nothing of it stands.
     */
    private boolean lostAnswer() {
        final List<Till> unreliable = new ArrayList<>();
        for (final Till till : tills) {
            if (till.line != null) {
                unreliable.add(till);
            }
        }
        final Till till = any(unreliable);
        final int kind = random.nextInt(4);
        final CardState card = any(gifts);
        final PosResult lost;
        Runnable effect;
        final Approved sale = till.batchSales.isEmpty() ? null : any(till.batchSales);
        if (kind == 3 && sale != null && !sale.sale.completion && !sale.sale.undone && sale.sale.refunded == 0) {
            // a void whose answer is lost: reversed, the purchase stands again with its fee
            till.line.loseNextAnswer();
            lost = till.pos.voidPurchase(sale.result);
            effect = () -> model.reversedVoid(today, sale.sale);
            covered.add("void reversed");
        } else if (kind == 0 && till.takesRecharges() && card.cap - card.ledger() >= 1_00) {
            final long amount = amount(Math.min(card.cap - card.ledger(), 100_00));
            till.line.loseNextAnswer();
            lost = till.pos.recharge(card.card, amount);
            covered.add("recharge reversed");
            effect = () -> {
                model.recharge(today, till.merchantId, amount);
                model.undoRecharge(today, till.merchantId, amount, true);
            };
        } else if (kind == 1 && !refundable.getOrDefault(till.merchantId, List.of()).isEmpty()) {
            final Approved a = any(refundable.get(till.merchantId));
            if (a.sale.refundable() == 0 || a.card.ledger() + a.sale.refundable() > a.card.cap) {
                return false;
            }
            final long amount = amount(a.sale.refundable());
            till.line.loseNextAnswer();
            lost = till.pos.refund(a.result, amount);
            effect = () -> model.reversedRefund(today, till.merchantId, amount);
            covered.add("refund reversed");
        } else {
            if (card.available < 1_00) {
                return false;
            }
            final long amount = amount(card.available);
            till.line.loseNextAnswer();
            lost = till.pos.purchase(card.card, amount);
            effect = () -> model.undoSale(today, model.purchase(today, till.id, till.merchantId, 2, amount), true);
            covered.add("purchase reversed");
        }
        assertThat(lost.status()).as("%s", lost).isEqualTo(PosResult.Status.TIMEOUT);
        assertThat(lost.reversalOwed()).as("%s", lost).isNotNull();
        final String code = EndToEnd.ascii(EndToEnd.decode(till.line.lostAnswer()), 39);
        assertThat(code).as(where() + ": what the switch answered to %s", lost).isEqualTo("00");
        assertApproved(till.pos.sendPendingReversal());
        effect.run();
        return true;
    }

    /** The end of a day at the tills: open holds completed or cancelled, then every batch settled, balanced. */
    private void closeTills() {
        for (final Till till : tills) {
            while (!till.holds.isEmpty()) {
                closeHold(till);
            }
            final PosResult settled = till.pos.settle();
            assertApproved(settled);
            assertThat(settled.settlementFlag()).as(where() + ": %s's batch", till.id).isEqualTo(1);
            till.batchSales.clear();
            till.batchRecharges.clear();
        }
    }

    // ------------------------------------------------------------------ cut-over and the day's figures

    private void cutOverAndCheck() {
        final int closing = today;
        final int next = today + 1;
        if (LocalDate.ofEpochDay(next).getDayOfMonth() == 1) {
            model.monthStarts(closing);
        }
        clock.advanceOneDay();
        final Applied applied = server.submitAndWait(new Envelope(Operator.SYSTEM_ID, 0, "test", "test cut-over"),
                new AdminCommand.Cutover(yyyymmdd(next)));
        assertThat(applied.outcome().approved()).as(applied.outcome().toString()).isTrue();
        today = next;
        final String date = iso(closing);
        Await.until("the switch to clear " + date, WAIT,
                () -> server.clearing().lastClearedDate() == yyyymmdd(closing));
        logIn("-demo-new");
        final JsonNode reconciliation = ok(http.get("/v1/reconciliation/" + date, finance)).body();
        final List<String> failed = new ArrayList<>();
        reconciliation.get("checks").forEach(c -> {
            if (!c.get("ok").asBoolean()) {
                failed.add(c.toString());
            }
        });
        assertThat(failed).as("reconciliation of %s", date).isEmpty();
        assertThat(reconciliation.get("balanced").asBoolean()).as(reconciliation.toString()).isTrue();
        assertThat(reconciliation.get("held").asBoolean()).isFalse();

        final JsonNode figures = ok(http.get("/v1/clearing/" + date + "?limit=500", finance)).body();
        figuresByDay.put(closing, figures);
        final List<String> mismatches = new ArrayList<>();
        long fees = 0;
        for (final String merchant : model.merchants()) {
            final WeekModel.Figures expected = model.figures(closing, merchant);
            final JsonNode row = row(figures.get("merchants"), merchant);
            compare(date + " " + merchant, expected, row, mismatches);
            fees += expected.fees + expected.periodicFees;
        }
        if (figures.get("feesPosted").asLong() != fees) {
            mismatches.add(date + " feesPosted: switch " + figures.get("feesPosted") + ", model " + fees);
        }
        final Map<Integer, long[]> counter = counterRecharges.getOrDefault(closing, Map.of());
        for (final JsonNode type : figures.get("cardTypes")) {
            final long[] c = counter.getOrDefault(type.get("cardType").asInt(), new long[2]);
            final long sold = type.get("cardType").asInt() == 2 ? 1 : 0;
            // the first day also holds the sales of the demo's bootstrap file
            final boolean first = closing == FIRST_DAY.toEpochDay();
            if (!first && (type.get("cardsSold").asLong() != sold || type.get("faceValue").asLong() != sold * 300_00)) {
                mismatches.add(date + " card type " + type.get("cardType") + " sold: switch " + type.get("cardsSold")
                        + "/" + type.get("faceValue") + ", model " + sold + "/" + sold * 300_00);
            }
            if (type.get("counterRecharges").asLong() != c[0] || type.get("counterRechargeAmount").asLong() != c[1]) {
                mismatches.add(date + " card type " + type.get("cardType") + " counter recharges: switch "
                        + type.get("counterRecharges") + "/" + type.get("counterRechargeAmount") + ", model " + c[0]
                        + "/" + c[1]);
            }
        }
        assertThat(mismatches).as("clearing figures against the model (%s)", where()).isEmpty();
    }

    private static JsonNode row(final JsonNode page, final String id) {
        for (final JsonNode item : page.get("items")) {
            if (item.get("id").asText().equals(id)) {
                return item;
            }
        }
        return null;
    }

    private static void compare(final String what, final WeekModel.Figures expected, final JsonNode row,
            final List<String> mismatches) {
        final Map<String, Long> model = expected.asMap();
        final Map<String, Long> actual = new LinkedHashMap<>();
        for (final String key : model.keySet()) {
            actual.put(key, row == null ? 0 : row.path(key).asLong());
        }
        for (final String key : model.keySet()) {
            if (!model.get(key).equals(actual.get(key))) {
                mismatches.add(what + " " + key + ": switch " + actual.get(key) + ", model " + model.get(key));
            }
        }
        final Map<String, Long> reasons = new TreeMap<>();
        if (row != null && row.has("declinesByReason")) {
            row.get("declinesByReason").fields().forEachRemaining(e -> reasons.put(e.getKey(), e.getValue().asLong()));
        }
        if (!reasons.equals(expected.declinesByReason)) {
            mismatches.add(what + " declinesByReason: switch " + reasons + ", model " + expected.declinesByReason);
        }
    }

    // ------------------------------------------------------------------ the week

    private void checkTheWeek() {
        final int from = (int) FIRST_DAY.toEpochDay();
        final int to = from + DAYS - 1;
        final JsonNode report = ok(http.get("/v1/reports/merchant-summary?from=" + iso(from) + "&to=" + iso(to),
                finance)).body();
        assertThat(report.get("missingDays")).isEmpty();
        final List<String> keys = new ArrayList<>();
        report.get("columns").forEach(c -> keys.add(c.get("key").asText()));
        final List<String> mismatches = new ArrayList<>();
        for (final String merchant : model.merchants()) {
            JsonNode line = null;
            for (final JsonNode r : report.get("rows")) {
                if (r.get(keys.indexOf("merchant")).asText().equals(merchant)) {
                    line = r;
                }
            }
            assertThat(line).as("the week's line of %s", merchant).isNotNull();
            final Map<String, Long> week = model.week(merchant, from, to).asMap();
            for (final Map.Entry<String, Long> e : week.entrySet()) {
                final int column = keys.indexOf(e.getKey());
                if (column < 0) {
                    continue;
                }
                long days = 0;
                for (final JsonNode figures : figuresByDay.values()) {
                    final JsonNode row = row(figures.get("merchants"), merchant);
                    days += row == null ? 0 : row.path(e.getKey()).asLong();
                }
                final long reported = line.get(column).asLong();
                if (reported != e.getValue() || reported != days) {
                    mismatches.add("week " + merchant + " " + e.getKey() + ": report " + reported + ", sum of the days "
                            + days + ", model " + e.getValue());
                }
            }
        }
        assertThat(mismatches).as("the week (seed %d)", SEED).isEmpty();
        assertThat(model.week(SUPERMARKET, from, to).refunds).as("refunds in the week").isPositive();
        assertThat(model.week(BOOKSHOP, from, to).periodicFees).isEqualTo(30_00);
        assertThat(model.figures(from + 3, SUPERMARKET).net()).as("the Saturday of recharges").isNegative();
        final Set<String> reasons = new TreeSet<>();
        for (final String merchant : model.merchants()) {
            reasons.addAll(model.week(merchant, from, to).declinesByReason.keySet());
        }
        assertThat(reasons).as("declines in the week (seed %d)", SEED).contains("PIN_WRONG", "INSUFFICIENT_BALANCE",
                "RECHARGE_NOT_PERMITTED_AT_MERCHANT", "BALANCE_CAP_EXCEEDED");
        assertThat(covered).as("what the week's traffic covered (seed %d)", SEED).contains("purchase void",
                "refund of an earlier day", "refund the same day", "recharge void", "pre-authorisation cancel",
                "completion", "purchase reversed", "recharge reversed", "refund reversed", "void reversed");
        assertThat(model.week(COFFEE, from, to).discounts).as("operator-funded discounts").isPositive();
        assertThat(big.sale.feeReturned).as("fee returned with the refunds of the capped purchase").isPositive();
    }
}
