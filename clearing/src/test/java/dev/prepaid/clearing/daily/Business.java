package dev.prepaid.clearing.daily;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.card.BuyerKind;
import dev.prepaid.card.Pan;
import dev.prepaid.card.PaymentMethod;
import dev.prepaid.card.SalesChannel;
import dev.prepaid.command.AdminCommand.*;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.PosKind;
import dev.prepaid.command.Reason;
import dev.prepaid.fee.FeeMethod;
import dev.prepaid.merchant.DeployerShareMethod;
import dev.prepaid.merchant.MacAlgorithm;
import dev.prepaid.merchant.MerchantStatus;
import dev.prepaid.merchant.RefundFeePolicy;
import dev.prepaid.merchant.SettlementCycle;
import dev.prepaid.merchant.TerminalStatus;
import dev.prepaid.operator.OperatorStatus;
import dev.prepaid.operator.Role;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small business scripted into a journal, day by day, that keeps its own expectation of each day's figures: the
 * fees, discounts, shares and points computed here from the contract's terms (the rates below), never read from the
 * ledger. Two merchants — a shop with a percentage fee (minimum and cap), a discount and a refund-fee policy of
 * PROPORTIONAL; a kiosk with a periodic fee only, which takes no recharges — and three terminals, two of them with
 * deployers (a fee ratio, a spread).
 */
final class Business {
    static final String ISSUER = "CLR";
    static final String BIN = "88887001";
    static final String SHOP = "898310048997001";
    static final String KIOSK = "898310048997002";
    static final String T1 = "71000001";
    static final String T2 = "71000002";
    static final String T3 = "72000001";
    static final int DAY1 = 20260129;
    static final int DAY2 = 20260130;
    static final int DAY3 = 20260131;
    static final int DAY4 = 20260201;
    static final long FACE = 50_000;
    static final long DEPOSIT = 1_000;
    static final long KIOSK_MONTHLY_FEE = 10_000;

    final ScriptedJournal j;
    private int stan = 1;
    private final Map<String, Integer> batch = new TreeMap<>(Map.of(T1, 1, T2, 1, T3, 1));
    /** Expected figures of the day being scripted, per merchant, terminal and deployer id. */
    final Map<String, EnumMap<Measure, Long>> expected = new TreeMap<>();

    Business(final ScriptedJournal journal) {
        this.j = journal;
    }

    // ------------------------------------------------------------------ the contract's terms

    static long halfUp(final long amount, final long ppm) {
        return (amount * ppm * 2 + 1_000_000) / 2_000_000;
    }

    static long shopFee(final long amount) {
        return Math.min(1_300, Math.max(10, halfUp(amount, 6_000)));
    }

    static long shopDiscount(final long amount) {
        return amount < 1_000 ? 0 : Math.min(500, halfUp(amount, 50_000));
    }

    static long points(final long cardAmount) {
        return cardAmount / 100 * 2;
    }

    static long share(final String terminal, final long fee, final long amount) {
        if (terminal.equals(T1)) {
            return halfUp(fee, 200_000);
        }
        if (terminal.equals(T3)) {
            return Math.max(0, fee - halfUp(amount, 1_000));
        }
        return 0;
    }

    static String merchantOf(final String terminal) {
        return terminal.equals(T3) ? KIOSK : SHOP;
    }

    static String deployerOf(final String terminal) {
        return terminal.equals(T1) ? "agent7" : terminal.equals(T3) ? "agent8" : "";
    }

    static String pan(final long account) {
        final String body = BIN + String.format("%07d", account);
        return body + Pan.luhnCheckDigit(Long.parseLong(body), body.length());
    }

    // ------------------------------------------------------------------ expectations

    void expect(final String terminal, final Measure m, final long value) {
        for (final String id : new String[] {terminal, merchantOf(terminal), deployerOf(terminal)}) {
            if (!id.isEmpty()) {
                expected.computeIfAbsent(id, k -> new EnumMap<>(Measure.class)).merge(m, value, Long::sum);
            }
        }
    }

    void expectMerchant(final String merchant, final Measure m, final long value) {
        expected.computeIfAbsent(merchant, k -> new EnumMap<>(Measure.class)).merge(m, value, Long::sum);
    }

    /** Compares every figure of every row with the expectation, then starts the next day's. */
    void assertDay(final DayFigures figures) {
        final Map<String, Row> rows = new TreeMap<>();
        for (final Row row : figures.merchants()) {
            rows.put(row.id(), row);
        }
        for (final Row row : figures.terminals()) {
            rows.put(row.id(), row);
        }
        for (final Row row : figures.deployers()) {
            rows.put(row.id(), row);
        }
        assertThat(rows.keySet()).as("rows of %s", figures.bounds().iso()).isEqualTo(expected.keySet());
        for (final Map.Entry<String, EnumMap<Measure, Long>> e : expected.entrySet()) {
            for (final Measure m : Measure.values()) {
                assertThat(rows.get(e.getKey()).get(m)).as("%s %s on %s", e.getKey(), m.key, figures.bounds().iso())
                        .isEqualTo(e.getValue().getOrDefault(m, 0L));
            }
        }
        expected.clear();
    }

    // ------------------------------------------------------------------ the script

    void setUp() {
        ok(j.system(new Cutover(DAY1)));
        ok(j.system(new SetParameter("refundWindowDays", 20)));
        ok(j.system(new UpsertIssuer(ISSUER, "Clearing issuer", "00019998")));
        ok(j.system(new UpsertCardType(1, "Gift card", ISSUER, false, 0, 0, DEPOSIT, 0, 0, 0, true, 36,
                PosKind.allPermissionControlled(), 0, 3, 0, 0, 0, 0, 0, 0, true)));
        ok(j.system(new UpsertBinRange(BIN, 16, 1, 0, 9_999)));
        ok(j.system(new UpsertMerchant(SHOP, "Clearing shop", "5411", MerchantStatus.ACTIVE, SettlementCycle.T_PLUS_1, 1, 0,
                RefundFeePolicy.PROPORTIONAL, true, "6222000011115555", "Clearing shop ltd", "ICBC", "102100000001")));
        ok(j.system(new UpsertMerchant(KIOSK, "Clearing kiosk", "5812", MerchantStatus.ACTIVE, SettlementCycle.T_PLUS_1, 1,
                0, RefundFeePolicy.NONE, false, "6222000011116666", "Clearing kiosk ltd", "ABC", "103100000002")));
        ok(j.system(new UpsertTerminal(T1, SHOP, "SN-1", TerminalStatus.ACTIVE, MacAlgorithm.CUP_ECB, "tmk.1", "agent7",
                DeployerShareMethod.FEE_RATIO, 200_000)));
        ok(j.system(new UpsertTerminal(T2, SHOP, "SN-2", TerminalStatus.ACTIVE, MacAlgorithm.CUP_ECB, "tmk.2", "",
                DeployerShareMethod.NONE, 0)));
        ok(j.system(new UpsertTerminal(T3, KIOSK, "SN-3", TerminalStatus.ACTIVE, MacAlgorithm.CUP_ECB, "tmk.3", "agent8",
                DeployerShareMethod.SPREAD, 1_000)));
        for (final String id : new String[] {"clerk", "supervisor", "supervisor2", "finance"}) {
            final Role role = id.startsWith("clerk") ? Role.CLERK : id.startsWith("super") ? Role.SUPERVISOR : Role.FINANCE;
            ok(j.system(new UpsertOperator(id, id, role, "", OperatorStatus.ACTIVE, "$argon2id$test$" + id)));
        }
        ok(j.system(new PutFeeRule(1, SHOP, 0, PosKind.mask(PosKind.PURCHASE, PosKind.COMPLETION), 0, 0, 10,
                FeeMethod.PERCENT_MIN_CAP, 6_000, 0, 10, 1_300)));
        ok(j.system(new PutFeeRule(2, KIOSK, 0, 0, 0, 0, 1, FeeMethod.PERIODIC, 0, KIOSK_MONTHLY_FEE, 0, 0)));
        ok(j.system(new PutDiscountRule(3, SHOP, 0, 0, 0, 1, 50_000, 1_000, 500)));
        ok(j.system(new PutPointsRule(4, "", 0, 0, 0, 1, 2)));
        ok(j.system(new GenerateCards(BIN, 16, 50)));
        ok(j.admin("clerk", new SellCards(pan(0), 10, FACE, PaymentMethod.CASH, SalesChannel.COUNTER, BuyerKind.PERSON, "",
                "", "", "", "", "", "")));
        for (final String t : new String[] {T1, T2, T3}) {
            ok(j.pos(r -> r.kind(PosKind.SIGN_ON).terminalId(t).merchantId(merchantOf(t)).networkCode(3)));
        }
    }

    /** A purchase, approved, with its expectation; returns its outcome and STAN. */
    long[] purchase(final String terminal, final long card, final long amount) {
        final int s = stan++;
        final Outcome out = j.pos(r -> on(r.kind(PosKind.PURCHASE), terminal, s).pan(pan(card)).amount(amount));
        ok(out);
        final boolean shop = merchantOf(terminal).equals(SHOP);
        final long fee = shop ? shopFee(amount) : 0;
        final long discount = shop ? shopDiscount(amount) : 0;
        expect(terminal, Measure.PURCHASES, 1);
        expect(terminal, Measure.PURCHASE_AMOUNT, amount);
        money(terminal, +1, fee, share(terminal, fee, amount), discount, points(amount - discount), amount - fee);
        return new long[] {s, out.rrn, out.authCode};
    }

    private void money(final String terminal, final int sign, final long fee, final long share, final long discount,
            final long points, final long net) {
        expect(terminal, Measure.FEES, sign * fee);
        expect(terminal, Measure.DEPLOYER_SHARE, sign * share);
        expect(terminal, Measure.DISCOUNTS, sign * discount);
        expect(terminal, Measure.POINTS, sign * points);
        expect(terminal, Measure.NET, sign * net);
    }

    /** The first day: every kind of transaction, declines, a repeat, a counter recharge and an adjustment. */
    void day1() {
        final long[] p1 = purchase(T1, 0, 12_345);
        purchase(T2, 1, 800);
        purchase(T3, 2, 2_500);
        // a purchase voided on its terminal: counted as a void, no money left
        final long[] p4 = purchase(T1, 3, 5_000);
        ok(j.pos(r -> on(r.kind(PosKind.PURCHASE_VOID), T1, stan++).pan(pan(3)).amount(5_000).original(1, (int) p4[0], 0)));
        expect(T1, Measure.VOIDS, 1);
        expect(T1, Measure.VOID_AMOUNT, 5_000);
        money(T1, -1, shopFee(5_000), share(T1, shopFee(5_000), 5_000), shopDiscount(5_000), points(5_000 - 250),
                5_000 - shopFee(5_000));
        // a purchase the terminal reversed
        final long[] p5 = purchase(T2, 4, 3_000);
        ok(j.pos(r -> r.kind(PosKind.REVERSAL).terminalId(T2).merchantId(SHOP).batch(1).stan((int) p5[0])
                .originalKind(PosKind.PURCHASE).pan(pan(4)).amount(3_000).reversalReason('9', '8')));
        expect(T2, Measure.REVERSALS, 1);
        expect(T2, Measure.REVERSAL_AMOUNT, 3_000);
        money(T2, -1, shopFee(3_000), 0, shopDiscount(3_000), points(3_000 - 150), 3_000 - shopFee(3_000));
        // a partial refund of the first purchase: fee, discount, share and points returned in proportion
        ok(j.pos(r -> on(r.kind(PosKind.REFUND), T1, stan++).pan(pan(0)).amount(1_000).originalRrn(p1[1])));
        final long feePart = (shopFee(12_345) * 1_000 * 2 + 12_345) / (2 * 12_345);
        final long discountPart = (shopDiscount(12_345) * 1_000 * 2 + 12_345) / (2 * 12_345);
        final long pointsPart = (points(12_345 - 500) * 1_000 * 2 + 12_345) / (2 * 12_345);
        final long sharePart = (share(T1, shopFee(12_345), 12_345) * feePart * 2 + shopFee(12_345)) / (2 * shopFee(12_345));
        expect(T1, Measure.REFUNDS, 1);
        expect(T1, Measure.REFUND_AMOUNT, 1_000);
        money(T1, -1, feePart, sharePart, discountPart, pointsPart, 1_000 - feePart);
        // a recharge at the shop, which owes the cash it took; the kiosk takes none
        ok(j.pos(r -> on(r.kind(PosKind.RECHARGE), T1, stan++).pan(pan(5)).amount(4_000)));
        expect(T1, Measure.RECHARGES, 1);
        expect(T1, Measure.RECHARGE_AMOUNT, 4_000);
        expect(T1, Measure.NET, -4_000);
        declined(T3, r -> r.kind(PosKind.RECHARGE).pan(pan(5)).amount(4_000), Reason.RECHARGE_NOT_PERMITTED_AT_MERCHANT);
        declined(T1, r -> r.kind(PosKind.PURCHASE).pan(pan(6)).amount(999_999), Reason.INSUFFICIENT_BALANCE);
        declined(T1, r -> r.kind(PosKind.PURCHASE).pan(pan(40)).amount(100), Reason.CARD_NOT_ACTIVATED);
        // a pre-authorisation completed for less
        final int pre = stan++;
        final Outcome preauth = j.pos(r -> on(r.kind(PosKind.PREAUTH), T2, pre).pan(pan(7)).amount(8_000));
        ok(preauth);
        expect(T2, Measure.PREAUTHS, 1);
        expect(T2, Measure.PREAUTH_AMOUNT, 8_000);
        ok(j.pos(r -> on(r.kind(PosKind.COMPLETION), T2, stan++).pan(pan(7)).amount(7_500).original(1, pre, 0)
                .originalAuthCode(preauth.authCode)));
        expect(T2, Measure.COMPLETIONS, 1);
        expect(T2, Measure.COMPLETION_AMOUNT, 7_500);
        money(T2, +1, shopFee(7_500), 0, 0, points(7_500), 7_500 - shopFee(7_500));
        ok(j.pos(r -> on(r.kind(PosKind.BALANCE_INQUIRY), T3, stan++).pan(pan(2))));
        expect(T3, Measure.BALANCE_INQUIRIES, 1);
        // a repeat of the first purchase changes nothing
        final Outcome repeat = j.pos(r -> on(r.kind(PosKind.PURCHASE), T1, (int) p1[0]).pan(pan(0)).amount(12_345));
        assertThat(repeat.duplicate).isTrue();
        // the counter and the back office
        ok(j.admin("clerk", new RechargeCards(pan(8), 1, 10_000, PaymentMethod.CASH, SalesChannel.COUNTER)));
        final Outcome requested = j.admin("supervisor", new RequestAdjustment(AdjustmentTarget.MERCHANT, SHOP, 2_000,
                CounterAccount.CUSTODY));
        ok(requested);
        ok(j.admin("supervisor2", new Approve(requested.value1)));
        expectMerchant(SHOP, Measure.ADJUSTMENTS, 2_000);
        expectMerchant(SHOP, Measure.NET, 2_000);
        // T1 settles its batch: debits the first purchase, credits the refund and the recharge
        settle(T1, 12_345, 1, 5_000, 2);
        expect(T1, Measure.BATCHES_SETTLED, 1);
        ok(j.system(new Cutover(DAY2)));
    }

    /** The second day: T2 settles with a count that is not the ledger's. */
    void day2() {
        purchase(T2, 1, 1_000);
        // the ledger's T2 batch: 800 + 7,500 completed + 1,000 = 9,300 in 3 debits; the terminal says 2
        settle(T2, 9_300, 2, 0, 0);
        expect(T2, Measure.BATCHES_SETTLED, 1);
        ok(j.system(new Cutover(DAY3)));
    }

    /** The third day: the kiosk sells; the cut-over that opens February posts its monthly fee. */
    void day3() {
        purchase(T3, 9, 3_000);
        expectMerchant(KIOSK, Measure.PERIODIC_FEES, KIOSK_MONTHLY_FEE);
        expectMerchant(KIOSK, Measure.NET, -KIOSK_MONTHLY_FEE);
        ok(j.system(new Cutover(DAY4)));
    }

    /** The fourth day, after a restart. */
    void day4() {
        purchase(T1, 0, 2_000);
        ok(j.system(new Cutover(DAY4 + 1)));
    }

    /**
     * A day of issue 11's ledger rules at the shop: a recharge commission (the shop owes the cash less it), then its
     * recharges settled apart (the cash a receivable of its own, not in the payable's net). Returns the commission.
     */
    long dayOfLedgerRules(final int closingDate) {
        ok(j.system(new PutFeeRule(90, SHOP, 0, PosKind.mask(PosKind.RECHARGE), 0, 0, 1, FeeMethod.PERCENT, 2_000, 0, 0, 0)));
        final Outcome commissioned = j.pos(r -> on(r.kind(PosKind.RECHARGE), T1, stan++).pan(pan(5)).amount(4_000));
        ok(commissioned);
        ok(j.system(new SetRechargeSettlement(SHOP, true)));
        ok(j.pos(r -> on(r.kind(PosKind.RECHARGE), T1, stan++).pan(pan(5)).amount(1_000)));
        ok(j.system(new Cutover(closingDate)));
        return commissioned.fee;
    }

    /**
     * A day whose voids were reversed (the void's answer lost, the terminal reversed it): a purchase and a recharge
     * voided, each void reversed, so both stand again — each approval counted once, each void and reversal on its own.
     */
    void dayOfReversedVoids(final int closingDate) {
        final int b = batch.get(T1);
        final long[] p = purchase(T1, 1, 2_000);
        final int purchaseVoid = stan++;
        ok(j.pos(r -> on(r.kind(PosKind.PURCHASE_VOID), T1, purchaseVoid).pan(pan(1)).amount(2_000)
                .original(b, (int) p[0], 0)));
        ok(j.pos(r -> r.kind(PosKind.REVERSAL).terminalId(T1).merchantId(SHOP).batch(b).stan(purchaseVoid)
                .originalKind(PosKind.PURCHASE_VOID).pan(pan(1)).amount(2_000).reversalReason('9', '8')));
        final int recharge = stan++;
        ok(j.pos(r -> on(r.kind(PosKind.RECHARGE), T1, recharge).pan(pan(5)).amount(4_000)));
        expect(T1, Measure.RECHARGES, 1);
        expect(T1, Measure.RECHARGE_AMOUNT, 4_000);
        expect(T1, Measure.NET, -4_000);
        final int rechargeVoid = stan++;
        ok(j.pos(r -> on(r.kind(PosKind.RECHARGE_VOID), T1, rechargeVoid).pan(pan(5)).amount(4_000)
                .original(b, recharge, 0)));
        ok(j.pos(r -> r.kind(PosKind.REVERSAL).terminalId(T1).merchantId(SHOP).batch(b).stan(rechargeVoid)
                .originalKind(PosKind.RECHARGE_VOID).pan(pan(5)).amount(4_000).reversalReason('9', '8')));
        expect(T1, Measure.VOIDS, 2);
        expect(T1, Measure.VOID_AMOUNT, 2_000 + 4_000);
        expect(T1, Measure.REVERSALS, 2);
        expect(T1, Measure.REVERSAL_AMOUNT, 2_000 + 4_000);
        ok(j.system(new Cutover(closingDate)));
    }

    private void settle(final String terminal, final long debit, final int debits, final long credit, final int credits) {
        final int b = batch.get(terminal);
        final Outcome out = j.pos(r -> r.kind(PosKind.BATCH_SETTLEMENT).terminalId(terminal).merchantId(merchantOf(terminal))
                .batch(b).stan(stan++).settlementTotals(debit, debits, credit, credits));
        ok(out);
        batch.put(terminal, b + 1);
    }

    private void declined(final String terminal, final java.util.function.Consumer<dev.prepaid.command.PosRequest> fill,
            final Reason reason) {
        final int s = stan++;
        final Outcome out = j.pos(r -> fill.accept(on(r, terminal, s)));
        assertThat(out.reason).isEqualTo(reason);
        expect(terminal, Measure.DECLINES, 1);
    }

    private dev.prepaid.command.PosRequest on(final dev.prepaid.command.PosRequest r, final String terminal, final int s) {
        return r.terminalId(terminal).merchantId(merchantOf(terminal)).batch(batch.get(terminal)).stan(s).entryMode(21);
    }

    private static void ok(final Outcome out) {
        assertThat(out.reason).as(out.toString()).isEqualTo(Reason.APPROVED);
    }
}
