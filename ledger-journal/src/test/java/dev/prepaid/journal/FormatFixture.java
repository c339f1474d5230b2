package dev.prepaid.journal;

import dev.prepaid.card.BuyerKind;
import dev.prepaid.card.Pan;
import dev.prepaid.card.PaymentMethod;
import dev.prepaid.card.SalesChannel;
import dev.prepaid.clearing.DayKind;
import dev.prepaid.command.AdminCommand.*;
import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.Envelope;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.PosKind;
import dev.prepaid.command.PosRequest;
import dev.prepaid.command.RecordCodec;
import dev.prepaid.fee.FeeMethod;
import dev.prepaid.ledger.Invariants;
import dev.prepaid.merchant.DeployerShareMethod;
import dev.prepaid.merchant.MacAlgorithm;
import dev.prepaid.merchant.MerchantStatus;
import dev.prepaid.merchant.RefundFeePolicy;
import dev.prepaid.merchant.SettlementCycle;
import dev.prepaid.merchant.TerminalStatus;
import dev.prepaid.operator.OperatorStatus;
import dev.prepaid.operator.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A small business written into a real journal: every operator and system command type, every POS kind,
 * approvals and the declines of many rules, repeated requests (the same and with different content), a
 * snapshot in the middle of the first day and one at the end. {@link FormatFixtureTest} keeps one such journal,
 * written on the day the formats were frozen, and every later build must read it to the same outcomes and
 * state digests. Deterministic: the same script gives the same commands, timestamps and state.
 */
final class FormatFixture {
    static final String ISSUER = "FIX";
    static final String NAMED_BIN = "88881001";
    static final String ANON_BIN = "88881002";
    static final String SHOP = "898310048991001";
    static final String KIOSK = "898310048991002";
    static final String T1 = "31000001";
    static final String T2 = "31000002";
    static final String T3 = "32000001";
    static final long PIN = 0x0F1C_5EEDL;
    static final long START_MILLIS = 1_767_254_400_000L; // 2026-01-01T08:00Z

    private final JournalConfig config;
    private JournalTestSupport journal;
    private final PosRequest request = new PosRequest();
    private final org.agrona.ExpandableArrayBuffer buffer = new org.agrona.ExpandableArrayBuffer(4096);
    /** One line per command: its sequence and outcome, in the fixture's outcome format. */
    final List<String> outcomes = new ArrayList<>();
    final List<String> snapshotDigests = new ArrayList<>();
    private long clock = START_MILLIS;
    private long requestIds = 1000;
    private int stan = 1;
    private final int[] batch = {1, 1, 1};

    FormatFixture(final Path directory) {
        this.config = JournalConfig.of(directory, Durability.PROCESS);
    }

    /** Writes the whole business; returns the digest of the final state. */
    String write() {
        open();
        referenceData();
        cardsAtTheCounter();
        firstDayAtTerminals();
        originalsThatDoNotMatch();
        swipedCards();
        snapshot();
        cardServices();
        makerChecker();
        refusals();
        loginsAndRiskReview();
        endOfDay();
        settlement();
        reconciliation();
        releaseHeldDay();
        ledgerRules();
        final String digest = journal.ledger.digestHex();
        snapshot();
        journal.close();
        return digest;
    }

    // ------------------------------------------------------------------ the business

    private void referenceData() {
        system(new OpenAuditTrail(120)); // since 2026-12-08; smaller than the script, so the ring wraps
        system(new Cutover(20260101));
        system(new SetParameter("refundWindowDays", 20));
        system(new SetParameter("holdTimeoutMinutes", 60));
        system(new UpsertIssuer(ISSUER, "Fixture issuer", "00019999"));
        final int all = PosKind.allPermissionControlled();
        final int pinKinds = PosKind.mask(PosKind.PURCHASE, PosKind.PREAUTH, PosKind.BALANCE_INQUIRY);
        system(new UpsertCardType(1, "Named fixture card", ISSUER, true, 0, 0, 2_000, 1_000, 500, 300, true, 0, all,
                pinKinds, 3, 0, 0, 0, 0, 0, 1, true));
        system(new UpsertCardType(2, "Gift fixture card", ISSUER, false, 0, 5_000, 0, 0, 0, 0, true, 36, all, pinKinds, 0,
                50_000, 100_000, 20, 0, 0, 0, true));
        system(new UpsertBinRange(NAMED_BIN, 16, 1, 0, 9_999));
        system(new UpsertBinRange(ANON_BIN, 16, 2, 0, 99_999));
        system(new UpsertMerchant(SHOP, "Fixture shop", "5411", MerchantStatus.ACTIVE, SettlementCycle.T_PLUS_1, 1, 0,
                RefundFeePolicy.PROPORTIONAL, true, "6222000011113333", "Fixture shop ltd", "ICBC", "102100000001"));
        system(new UpsertMerchant(KIOSK, "Fixture kiosk", "5812", MerchantStatus.ACTIVE,
                SettlementCycle.THRESHOLD_OR_T_PLUS_N, 2, 1_000_000, RefundFeePolicy.FULL, false, "6222000011114444",
                "Fixture kiosk ltd", "ABC", "103100000002"));
        system(new SetMerchantReview(KIOSK, true));
        system(new SetMerchantReview(KIOSK, false));
        system(new UpsertTerminal(T1, SHOP, "SN-F1", TerminalStatus.ACTIVE, MacAlgorithm.CUP_ECB, "tmk." + T1, "agent7",
                DeployerShareMethod.FEE_RATIO, 200_000));
        system(new UpsertTerminal(T2, SHOP, "SN-F2", TerminalStatus.ACTIVE, MacAlgorithm.X9_19, "tmk." + T2, "",
                DeployerShareMethod.NONE, 0));
        system(new UpsertTerminal(T3, KIOSK, "SN-F3", TerminalStatus.ACTIVE, MacAlgorithm.CUP_ECB, "tmk." + T3, "agent8",
                DeployerShareMethod.SPREAD, 1_000));
        for (final Role role : new Role[] {Role.ADMINISTRATOR, Role.CLERK, Role.SUPERVISOR, Role.FINANCE, Role.AUDITOR}) {
            system(new UpsertOperator(role.name().toLowerCase(java.util.Locale.ROOT), role.name(), role, "",
                    OperatorStatus.ACTIVE, "$argon2id$v=19$m=65536,t=3,p=1$fixture$" + role.ordinal()));
        }
        system(new UpsertOperator("supervisor2", "Second supervisor", Role.SUPERVISOR, "", OperatorStatus.ACTIVE, "$argon2id$s2"));
        system(new UpsertOperator("finance2", "Second finance", Role.FINANCE, "", OperatorStatus.ACTIVE, "$argon2id$f2"));
        system(new UpsertOperator("kiosk.user", "Kiosk owner", Role.MERCHANT_USER, KIOSK, OperatorStatus.ACTIVE, "$argon2id$k"));
        system(new UpsertOperator("retired", "Retired clerk", Role.CLERK, "", OperatorStatus.DISABLED, "$argon2id$r"));
        admin("administrator", new PutFeeRule(1, SHOP, 0, PosKind.mask(PosKind.PURCHASE, PosKind.COMPLETION), 0, 0, 10,
                FeeMethod.PERCENT_MIN_CAP, 6_000, 0, 10, 1_300));
        admin("administrator", new PutFeeRule(2, KIOSK, 2, PosKind.mask(PosKind.PURCHASE), 20260101, 20261231, 5,
                FeeMethod.FIXED, 0, 25, 0, 0));
        admin("administrator", new PutFeeRule(3, KIOSK, 0, 0, 0, 0, 1, FeeMethod.PERIODIC, 0, 10_000, 0, 0));
        admin("administrator", new PutDiscountRule(4, SHOP, 2, 0, 0, 1, 50_000, 1_000, 500));
        admin("administrator", new PutPointsRule(5, "", 0, 0, 0, 1, 2));
        admin("administrator", new PutFeeRule(6, SHOP, 0, PosKind.mask(PosKind.PURCHASE), 0, 0, 1, FeeMethod.FREE, 0, 0, 0, 0));
        admin("administrator", new RemoveRule(6));
        admin("administrator", new SetCalendarDay(20260105, DayKind.HOLIDAY));
        admin("administrator", new SetCalendarDay(20260110, DayKind.WORKDAY));
        admin("administrator", new SetCalendarDay(20260110, DayKind.NORMAL));
        admin("administrator", new GenerateCards(NAMED_BIN, 16, 20));
        admin("administrator", new GenerateCards(ANON_BIN, 16, 60));
    }

    private void cardsAtTheCounter() {
        admin("clerk", new SellCards(pan(NAMED_BIN, 0), 1, 100_000, PaymentMethod.CASH, SalesChannel.COUNTER,
                BuyerKind.PERSON, "", "", "", "Zhang San", "ID", "110101199003070011", "13800000001"));
        admin("clerk", new SellCards(pan(NAMED_BIN, 1), 1, 50_000, PaymentMethod.BANK_TRANSFER, SalesChannel.COUNTER,
                BuyerKind.PERSON, "", "", "", "Li Si", "ID", "110101199003070022", ""));
        admin("clerk", new SellCards(pan(NAMED_BIN, 2), 1, 20_000, PaymentMethod.DEBIT_CARD, SalesChannel.COUNTER,
                BuyerKind.PERSON, "", "", "", "Wang Wu", "PASSPORT", "E12345678", ""));
        admin("clerk", new SellCards(pan(ANON_BIN, 0), 10, -1, PaymentMethod.CASH, SalesChannel.COUNTER,
                BuyerKind.PERSON, "", "", "", "", "", "", ""));
        admin("clerk", new SellCards(pan(ANON_BIN, 10), 5, 20_000, PaymentMethod.BANK_TRANSFER, SalesChannel.AGENT,
                BuyerKind.ORGANISATION, "Fixture Corp", "USCC", "91310000MA1FL0000X", "", "", "", ""));
        admin("clerk", new SellCards(pan(ANON_BIN, 20), 1, 10_000, PaymentMethod.CREDIT_CARD, SalesChannel.COUNTER,
                BuyerKind.PERSON, "", "", "", "", "", "", "")); // refused: credit cards may not pay
        for (final String pan : new String[] {pan(NAMED_BIN, 0), pan(NAMED_BIN, 1), pan(NAMED_BIN, 2), pan(ANON_BIN, 0),
                pan(ANON_BIN, 1), pan(ANON_BIN, 2), pan(ANON_BIN, 10), pan(ANON_BIN, 12), pan(ANON_BIN, 13), pan(ANON_BIN, 14)}) {
            admin("clerk", new SetPin(pan, PIN));
        }
        admin("clerk", new RechargeCards(pan(ANON_BIN, 0), 3, 10_000, PaymentMethod.CASH, SalesChannel.COUNTER));
        admin("clerk", new RechargeCards(pan(NAMED_BIN, 0), 1, 600_000, PaymentMethod.CASH, SalesChannel.COUNTER)); // cap
    }

    private void firstDayAtTerminals() {
        for (int t = 0; t < 3; t++) {
            final String terminal = terminal(t);
            final int index = t;
            pos(r -> r.kind(PosKind.SIGN_ON).terminalId(terminal).merchantId(merchantOf(terminal)).networkCode(3));
            batch[index] = journal.ledger.state().terminal(terminal).currentBatch();
        }
        final String named = pan(NAMED_BIN, 0);
        final String gift = pan(ANON_BIN, 0);
        final String gift2 = pan(ANON_BIN, 1);
        final int purchase = purchase(T1, named, 12_345, PIN);
        purchase(T1, named, 1_000, 0xBADL); // wrong PIN
        purchase(T1, gift, 9_999_999, PIN); // above the gift card's single limit
        purchase(T1, pan(ANON_BIN, 3), 6_000, PIN); // insufficient balance
        final int giftPurchase = purchase(T2, gift, 3_000, PIN);
        purchase(T3, gift2, 2_500, PIN);
        final int repeat = purchase(T1, pan(ANON_BIN, 2), 700, PIN);
        pos(r -> on(r.kind(PosKind.PURCHASE), T1, repeat).pan(pan(ANON_BIN, 2)).amount(700).pinCheck(PIN).entryMode(21));
        pos(r -> on(r.kind(PosKind.PURCHASE), T1, repeat).pan(pan(ANON_BIN, 2)).amount(701).pinCheck(PIN).entryMode(21));
        pos(r -> on(r.kind(PosKind.BALANCE_INQUIRY), T2, stan++).pan(gift).pinCheck(PIN).entryMode(21));
        final int recharge = stan;
        pos(r -> on(r.kind(PosKind.RECHARGE), T1, stan++).pan(gift2).amount(4_000).entryMode(21));
        pos(r -> on(r.kind(PosKind.RECHARGE), T3, stan++).pan(gift2).amount(4_000).entryMode(21)); // kiosk takes none
        pos(r -> on(r.kind(PosKind.RECHARGE_VOID), T1, stan++).pan(gift2).amount(4_000).original(batch[0], recharge, 101)
                .originalRrn(rrnOf(T1, recharge)).originalAuthCode(authOf(T1, recharge)).entryMode(21));
        pos(r -> on(r.kind(PosKind.PURCHASE_VOID), T1, stan++).pan(named).amount(12_345).original(batch[0], purchase, 101)
                .originalRrn(rrnOf(T1, purchase)).originalAuthCode(authOf(T1, purchase)).entryMode(21));
        pos(r -> on(r.kind(PosKind.REFUND), T2, stan++).pan(gift).amount(1_000).original(batch[1], giftPurchase, 101)
                .originalRrn(rrnOf(T2, giftPurchase)).entryMode(21));
        final int preauth = stan;
        pos(r -> on(r.kind(PosKind.PREAUTH), T1, stan++).pan(pan(NAMED_BIN, 1)).amount(8_000).pinCheck(PIN).entryMode(21));
        final int completion = stan;
        pos(r -> on(r.kind(PosKind.COMPLETION), T1, stan++).pan(pan(NAMED_BIN, 1)).amount(7_500).original(batch[0], preauth, 101)
                .originalAuthCode(authOf(T1, preauth)).entryMode(21));
        pos(r -> on(r.kind(PosKind.COMPLETION_VOID), T1, stan++).pan(pan(NAMED_BIN, 1)).amount(7_500)
                .original(batch[0], completion, 101).originalRrn(rrnOf(T1, completion))
                .originalAuthCode(authOf(T1, completion)).entryMode(21));
        final int preauth2 = stan;
        pos(r -> on(r.kind(PosKind.PREAUTH), T2, stan++).pan(pan(NAMED_BIN, 2)).amount(3_000).pinCheck(PIN).entryMode(21));
        pos(r -> on(r.kind(PosKind.PREAUTH_CANCEL), T2, stan++).pan(pan(NAMED_BIN, 2)).amount(3_000)
                .original(batch[1], preauth2, 101).originalAuthCode(authOf(T2, preauth2)).entryMode(21));
        pos(r -> on(r.kind(PosKind.PREAUTH), T2, stan++).pan(pan(NAMED_BIN, 2)).amount(2_000).pinCheck(PIN).entryMode(21));
        final int reversed = purchase(T2, pan(ANON_BIN, 10), 1_500, PIN);
        pos(r -> on(r.kind(PosKind.REVERSAL), T2, reversed).originalKind(PosKind.PURCHASE).pan(pan(ANON_BIN, 10))
                .amount(1_500).reversalReason('9', '8').entryMode(21));
        pos(r -> on(r.kind(PosKind.PURCHASE), T1, stan++).pan(pan(ANON_BIN, 499)).amount(100).pinCheck(PIN).entryMode(21));
        pos(r -> on(r.kind(PosKind.PURCHASE), T1, stan++).pan(pan("88889999", 1)).amount(100).pinCheck(PIN).entryMode(21));
        pos(r -> on(r.kind(PosKind.PURCHASE), T1, stan++).pan(pan(ANON_BIN, 1)).amount(100).pinCheck(PIN).currency(840));
        purchase(T3, pan(ANON_BIN, 11), 300_000, 0); // no PIN where the card type needs one
        purchase(T1, named, 300_000, PIN); // a large amount, flagged, and more than the balance
    }

    /** Voids, refunds, completions, cancels and reversals whose original does not let them through. */
    private void originalsThatDoNotMatch() {
        final String gift = pan(ANON_BIN, 12);
        final int bought = purchase(T1, gift, 2_000, PIN);
        pos(r -> on(r.kind(PosKind.PURCHASE_VOID), T1, stan++).pan(gift).amount(2_000).original(batch[0], 999_000, 101)
                .entryMode(21)); // no such original
        pos(r -> on(r.kind(PosKind.PURCHASE_VOID), T1, stan++).pan(gift).amount(1_999).original(batch[0], bought, 101)
                .originalRrn(rrnOf(T1, bought)).entryMode(21)); // amount differs
        pos(r -> on(r.kind(PosKind.RECHARGE_VOID), T1, stan++).pan(gift).amount(2_000).original(batch[0], bought, 101)
                .originalRrn(rrnOf(T1, bought)).entryMode(21)); // not a recharge
        pos(r -> on(r.kind(PosKind.REFUND), T3, stan++).pan(gift).amount(500).original(batch[0], bought, 101)
                .originalRrn(rrnOf(T1, bought)).entryMode(21)); // another merchant's
        pos(r -> on(r.kind(PosKind.REFUND), T1, stan++).pan(gift).amount(2_001).original(batch[0], bought, 101)
                .originalRrn(rrnOf(T1, bought)).entryMode(21)); // more than the original
        pos(r -> on(r.kind(PosKind.REFUND), T1, stan++).pan(gift).amount(800).original(batch[0], bought, 101)
                .originalRrn(rrnOf(T1, bought)).entryMode(21)); // a part: approved
        pos(r -> on(r.kind(PosKind.PURCHASE_VOID), T1, stan++).pan(gift).amount(2_000).original(batch[0], bought, 101)
                .originalRrn(rrnOf(T1, bought)).entryMode(21)); // partly refunded: no void
        final int held = stan;
        pos(r -> on(r.kind(PosKind.PREAUTH), T2, stan++).pan(gift).amount(1_000).pinCheck(PIN).entryMode(21));
        pos(r -> on(r.kind(PosKind.COMPLETION), T2, stan++).pan(gift).amount(1_001).original(batch[1], held, 101)
                .originalAuthCode(authOf(T2, held)).entryMode(21)); // more than the hold
        pos(r -> on(r.kind(PosKind.PREAUTH_CANCEL), T2, stan++).pan(gift).amount(1_000).original(batch[1], held, 101)
                .originalAuthCode(authOf(T2, held)).entryMode(21));
        pos(r -> on(r.kind(PosKind.PREAUTH_CANCEL), T2, stan++).pan(gift).amount(1_000).original(batch[1], held, 101)
                .originalAuthCode(authOf(T2, held)).entryMode(21)); // already cancelled
        final int early = stan++;
        pos(r -> on(r.kind(PosKind.REVERSAL), T2, early).originalKind(PosKind.PURCHASE).pan(gift).amount(300)
                .reversalReason('9', '8').entryMode(21)); // before its original arrives
        pos(r -> on(r.kind(PosKind.PURCHASE), T2, early).pan(gift).amount(300).pinCheck(PIN).entryMode(21)); // late
        pos(r -> on(r.kind(PosKind.REVERSAL), T2, early).originalKind(PosKind.PURCHASE).pan(gift).amount(300)
                .reversalReason('9', '8').entryMode(21)); // again
    }

    /**
     * Cards read from track 2: the I/O thread states the card type whose keys checked the CVN (since
     * 2026-12-07); a type other than the card's is declined.
     */
    private void swipedCards() {
        final String gift = pan(ANON_BIN, 13);
        pos(r -> on(r.kind(PosKind.PURCHASE), T1, stan++).pan(gift).amount(450).pinCheck(PIN).entryMode(21)
                .cardPresent(true).expiry(2912).checkedCardType(2));
        pos(r -> on(r.kind(PosKind.BALANCE_INQUIRY), T2, stan++).pan(gift).pinCheck(PIN).entryMode(21)
                .cardPresent(true).expiry(2912).checkedCardType(1)); // checked with the named type's keys
        pos(r -> on(r.kind(PosKind.RECHARGE), T1, stan++).pan(gift).amount(700).entryMode(21).cardPresent(true)
                .expiry(2912).checkedCardType(0)); // BIN unknown to the I/O thread
    }

    private void cardServices() {
        final String gift = pan(ANON_BIN, 3);
        admin("clerk", new FreezeCard(gift));
        purchase(T1, gift, 100, PIN);
        admin("clerk", new UnfreezeCard(gift));
        admin("supervisor", new BlacklistCard(pan(ANON_BIN, 4)));
        admin("supervisor", new UnblacklistCard(pan(ANON_BIN, 4)));
        admin("clerk", new ReportLost(pan(NAMED_BIN, 2)));
        purchase(T1, pan(NAMED_BIN, 2), 100, PIN);
        admin("clerk", new ReplaceCard(pan(NAMED_BIN, 2), pan(NAMED_BIN, 3)));
        admin("clerk", new ReturnCard(pan(NAMED_BIN, 1)));
        admin("clerk", new CancelIssuance(pan(ANON_BIN, 5)));
        purchase(T2, pan(ANON_BIN, 6), 100, PIN); // no PIN set
        for (int i = 0; i < 3; i++) {
            purchase(T2, pan(ANON_BIN, 2), 100, 0xBADL);
        }
        purchase(T2, pan(ANON_BIN, 2), 100, PIN); // locked
        admin("clerk", new UnlockPin(pan(ANON_BIN, 2)));
        admin("clerk", new ExtendExpiry(pan(ANON_BIN, 7), 20321231));
        admin("clerk", new ExtendExpiry(pan(ANON_BIN, 8), 20200101));
    }

    private void makerChecker() {
        final long adjustment = admin("supervisor", new RequestAdjustment(AdjustmentTarget.CARD, pan(ANON_BIN, 0), 500,
                CounterAccount.PROMOTION_EXPENSE)).value1;
        admin("supervisor", new Approve(adjustment)); // the maker may not approve
        admin("supervisor2", new Approve(adjustment));
        admin("supervisor2", new Approve(adjustment)); // already decided
        final long merchantFix = admin("finance", new RequestAdjustment(AdjustmentTarget.MERCHANT, SHOP, -10,
                CounterAccount.FEE_INCOME)).value1;
        admin("clerk", new Reject(merchantFix));
        final long transfer = admin("clerk", new RequestBalanceTransfer(pan(ANON_BIN, 9), pan(ANON_BIN, 0), 1_000)).value1;
        admin("supervisor", new Approve(transfer));
        admin("supervisor", new Approve(999_999));

        final long id = requestIds++;
        admin("clerk", id, new RechargeCards(pan(ANON_BIN, 12), 1, 2_000, PaymentMethod.CASH, SalesChannel.COUNTER));
        admin("clerk", id, new RechargeCards(pan(ANON_BIN, 12), 1, 2_000, PaymentMethod.CASH, SalesChannel.COUNTER));
        admin("clerk", id, new RechargeCards(pan(ANON_BIN, 12), 1, 2_001, PaymentMethod.CASH, SalesChannel.COUNTER));
        admin("supervisor", id, new RechargeCards(pan(ANON_BIN, 12), 1, 2_000, PaymentMethod.CASH, SalesChannel.COUNTER));
    }

    private void refusals() {
        admin("auditor", new FreezeCard(pan(ANON_BIN, 0)));
        admin("kiosk.user", new SetMerchantReview(SHOP, true));
        admin("clerk", new Cutover(20260102));
        admin("nobody", new FreezeCard(pan(ANON_BIN, 0)));
        admin("retired", new FreezeCard(pan(ANON_BIN, 0)));
        admin("administrator", new UpsertBinRange("62220001", 16, 1, 0, 10));
        admin("administrator", new SetParameter("noSuchParameter", 1));
        admin("administrator", new UpsertCardType(3, "Bad", "NOPE", false, 0, 0, 0, 0, 0, 0, true, 36, 0, 0, 0, 0, 0, 0, 0,
                0, 0, true));
    }

    /**
     * Operators' logins and passwords (since the build after 2026-12-07), and decisions on flagged purchases with the
     * audit trail resized (since 2026-12-08). A wrong password is left counted, so the login state is in both snapshots.
     */
    private void loginsAndRiskReview() {
        system(new RecordLoginFailure("clerk"));
        system(new RecordLogin("clerk"));
        system(new RecordLoginFailure("nobody"));
        admin("administrator", new ResetPassword("auditor", "$argon2id$fixture$reset"));
        admin("auditor", new FreezeCard(pan(ANON_BIN, 0))); // the set password must be changed first
        admin("auditor", new ChangePassword("auditor", "$argon2id$fixture$mine"));
        admin("administrator", new LockOperator("finance2"));
        admin("finance2", new FreezeCard(pan(ANON_BIN, 0))); // locked
        admin("administrator", new UnlockOperator("finance2"));
        system(new RecordLoginFailure("kiosk.user"));

        system(new SetParameter("largeAmountThreshold", 5_000));
        purchase(T1, pan(ANON_BIN, 14), 6_000, PIN);
        purchase(T2, pan(ANON_BIN, 14), 5_500, PIN);
        final long first = journal.ledger.state().review().written() - 1;
        admin("clerk", new ConfirmFlag(first, false)); // a clerk does not decide
        admin("finance", new ConfirmFlag(first, true)); // finance does not freeze cards
        admin("supervisor", new ConfirmFlag(first, true)); // confirmed, the card frozen
        admin("finance", new ClearFlag(first)); // already decided
        admin("finance", new ClearFlag(first + 1));
        admin("supervisor", new ConfirmFlag(first + 2, false)); // no such entry
        admin("kiosk.user", new ClearFlag(first + 1)); // a merchant user does not decide
        admin("clerk", new UnfreezeCard(pan(ANON_BIN, 14)));
        system(new SetParameter("largeAmountThreshold", 300_000));
        system(new OpenAuditTrail(100));
    }

    private void endOfDay() {
        final dev.prepaid.merchant.Terminal t1 = journal.ledger.state().terminal(T1);
        final long debits = t1.debitAmount();
        final int debitCount = t1.debitCount();
        final long credits = t1.creditAmount();
        final int creditCount = t1.creditCount();
        pos(r -> on(r.kind(PosKind.BATCH_SETTLEMENT), T1, stan++).settlementTotals(debits, debitCount, credits, creditCount));
        pos(r -> on(r.kind(PosKind.BATCH_SETTLEMENT), T2, stan++).settlementTotals(1, 1, 0, 0));
        pos(r -> on(r.kind(PosKind.BATCH_UPLOAD), T2, stan++).originalKind(PosKind.PURCHASE).pan(pan(ANON_BIN, 0))
                .amount(3_000).uploadCount(1));
        pos(r -> on(r.kind(PosKind.BATCH_UPLOAD_END), T2, stan++).uploadCount(1));
        pos(r -> r.kind(PosKind.SIGN_OFF).terminalId(T3).merchantId(KIOSK).batch(batch[2]).stan(stan++));
        clock += 2 * 3_600_000L; // past the pre-authorisation's hold timeout
        system(new ExpireHolds());
        system(new Cutover(20260102));
    }

    private void settlement() {
        final Outcome prepared = admin("finance", new PrepareSettlement());
        final long id = prepared.value1;
        // Since 2026-12-09: the shop's new account after preparation does not redirect the batch (section 13).
        system(new UpsertMerchant(SHOP, "Fixture shop", "5411", MerchantStatus.ACTIVE, SettlementCycle.T_PLUS_1, 1, 0,
                RefundFeePolicy.PROPORTIONAL, true, "6222000011115555", "Fixture shop ltd", "ICBC", "102100000001"));
        admin("finance", new Approve(id)); // the preparer may not approve
        admin("finance2", new Approve(id));
        final String sha = "0123456789abcdef".repeat(4);
        admin("clerk", new RecordPayoutFiles(id, 1_767_312_000_000L, "p.xml", sha, "n.csv", sha)); // not finance's
        admin("finance2", new RecordPayoutFiles(id, 1_767_312_000_000L, "payout-20260102-" + id + ".pain001.xml", sha,
                "payout-20260102-" + id + ".neutral.csv", sha));
        admin("finance2", new RecordPayoutFiles(id, 1_767_312_000_000L, "payout-20260102-" + id + ".pain001.xml", sha,
                "payout-20260102-" + id + ".neutral.csv", sha)); // the same again: nothing changes
        admin("finance", new RecordPayoutResult(id, SHOP, true, "BANK-REF-0001"));
        admin("finance", new RecordPayoutResult(id, SHOP, false, "BANK-REF-0002")); // already recorded
        admin("finance", new RecordPayoutResult(id, KIOSK, false, "R01 account closed"));
        purchase(T1, pan(ANON_BIN, 13), 1_200, PIN); // its batch is settled: sign on first
        for (int t = 0; t < 2; t++) {
            final String terminal = terminal(t);
            pos(r -> r.kind(PosKind.SIGN_ON).terminalId(terminal).merchantId(SHOP).networkCode(1));
            batch[t] = journal.ledger.state().terminal(terminal).currentBatch();
        }
        for (int i = 0; i < 40; i++) {
            final String terminal = terminal(i % 2);
            purchase(terminal, pan(ANON_BIN, 12 + i % 3), 100 + 37 * i, i % 7 == 6 ? 0xBADL : PIN);
        }
        system(new Cutover(20260103));
        system(new Cutover(20260201));
    }

    /**
     * Since 2026-12-10: reconciliations of cleared days (RECORD_RECONCILIATION). A failed one holds settlement; finance
     * may accept a failed day but not record one; the open day is not reconciled. The journal ends with 2026-01-02
     * held, so the last snapshot has section 14 (state version 5).
     */
    private void reconciliation() {
        system(new RecordReconciliation(20260102, false, "terminalBatches: terminal 31000002 batch 1 disagrees"));
        admin("finance", new PrepareSettlement()); // held
        admin("finance", new RecordReconciliation(20260102, false, "made up")); // only the switch records a failure
        system(new RecordReconciliation(20260103, false, "figuresFile: checksum does not match its content"));
        system(new RecordReconciliation(20260103, false, "figuresFile: checksum does not match its content")); // again
        admin("finance", new RecordReconciliation(20260103, true, "cleared again: every check holds"));
        admin("clerk", new RecordReconciliation(20260102, true, "accepted")); // not a clerk's
        system(new RecordReconciliation(20260201, false, "the open day")); // refused
    }

    /** After {@link #reconciliation}: finance accepts the day still held, so the settlement of the rules below runs. */
    private void releaseHeldDay() {
        admin("finance", new RecordReconciliation(20260102, true, "accepted by finance: the batch was recounted"));
    }

    /**
     * Since 2026-12-10 (issue 11, state version 6): weekly and monthly cycles, the recharge commission, recharges
     * settled apart — collected by a settlement batch beside the payout, whose collection gets its bank result — and a
     * registered deployer, owed its terminal's shares and paid on a deployer line of the batch.
     */
    private void ledgerRules() {
        system(new UpsertMerchant(KIOSK, "Fixture kiosk", "5812", MerchantStatus.ACTIVE, SettlementCycle.WEEKLY, 9, 0,
                RefundFeePolicy.FULL, false, "6222000011114444", "Fixture kiosk ltd", "ABC", "103100000002")); // no 9th day
        system(new UpsertMerchant(KIOSK, "Fixture kiosk", "5812", MerchantStatus.ACTIVE, SettlementCycle.WEEKLY, 5, 0,
                RefundFeePolicy.FULL, false, "6222000011114444", "Fixture kiosk ltd", "ABC", "103100000002"));
        admin("administrator", new PutFeeRule(7, SHOP, 0, PosKind.mask(PosKind.PURCHASE, PosKind.RECHARGE), 0, 0, 1,
                FeeMethod.PERCENT, 2_000, 0, 0, 0)); // a commission is named alone
        admin("administrator", new PutFeeRule(7, SHOP, 0, PosKind.mask(PosKind.RECHARGE), 0, 0, 1, FeeMethod.PERCENT,
                2_000, 0, 0, 0));
        admin("clerk", new UpsertDeployer("agent7", "Agent seven", "6222000077770007", "Agent 7 ltd", "ICBC",
                "102100000001")); // an administrator's
        admin("administrator", new UpsertDeployer(SHOP, "Not a shop", "6222000077770007", "Agent 7 ltd", "ICBC",
                "102100000001")); // a merchant's id
        admin("administrator", new UpsertDeployer("agent7", "Agent seven", "6222000077770007", "Agent 7 ltd", "ICBC",
                "102100000001")); // T1's deployer: its shares are owed to it from now on
        admin("clerk", new SetRechargeSettlement(SHOP, true)); // an administrator's
        admin("administrator", new SetRechargeSettlement(SHOP, true));
        final String gift = pan(ANON_BIN, 12);
        pos(r -> on(r.kind(PosKind.RECHARGE), T1, stan++).pan(gift).amount(5_050).entryMode(21)); // commission 10.1 -> 10
        final int reversed = stan++;
        pos(r -> on(r.kind(PosKind.RECHARGE), T1, reversed).pan(gift).amount(700).entryMode(21));
        pos(r -> on(r.kind(PosKind.REVERSAL), T1, reversed).originalKind(PosKind.RECHARGE).pan(gift).amount(700));
        purchase(T1, gift, 900, PIN);
        admin("clerk", new RedeemPoints(gift, 1_000_000)); // more than the card has
        admin("clerk", new RedeemPoints(gift, 10)); // points redeemed at the counter, onto the card
        system(new Cutover(20260202));
        final long id = admin("finance", new PrepareSettlement()).value1;
        admin("finance2", new Approve(id));
        admin("finance", new RecordCollectionResult(id, KIOSK, true, "C0")); // nothing collected from the kiosk
        admin("finance", new RecordCollectionResult(id, SHOP, true, "COLLECT-0001"));
        admin("finance", new RecordCollectionResult(id, SHOP, false, "COLLECT-0002")); // already recorded
        admin("finance", new RecordPayoutResult(id, "agent7", true, "DEP-0001")); // the deployer's line
        admin("finance", new RecordPayoutResult(id, "agent7", false, "DEP-0002")); // already recorded
        admin("administrator", new SetRechargeSettlement(SHOP, false));
        admin("administrator", new SetRechargeSettlement(SHOP, true));
        pos(r -> on(r.kind(PosKind.RECHARGE), T1, stan++).pan(gift).amount(300).entryMode(21)); // owed, not yet due
        system(new UpsertMerchant(SHOP, "Fixture shop", "5411", MerchantStatus.ACTIVE, SettlementCycle.MONTHLY, 31, 0,
                RefundFeePolicy.PROPORTIONAL, true, "6222000011115555", "Fixture shop ltd", "ICBC", "102100000001"));
        system(new Cutover(20260203));
    }

    // ------------------------------------------------------------------ plumbing

    private void open() {
        journal = new JournalTestSupport(config);
        journal.clockSource = () -> clock;
    }

    /** Stops the journal, recovers it as a restarted switch would and writes a snapshot there, then goes on. */
    private void snapshot() {
        journal.close();
        final Recovery.Recovered recovered = Recovery.recover(config, JournalTestSupport.LEDGER);
        try {
            Snapshots.write(config.snapshotDirectory(), recovered.ledger(), recovered.position());
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        snapshotDigests.add(recovered.position().sequence() + " " + recovered.ledger().digestHex());
        open();
    }

    private Outcome system(final AdminCommand command) {
        return admin("system", 0, command);
    }

    private Outcome admin(final String operator, final AdminCommand command) {
        return admin(operator, requestIds++, command);
    }

    private Outcome admin(final String operator, final long requestId, final AdminCommand command) {
        final int length = RecordCodec.encode(new Envelope(operator, requestId, "fixture", "format fixture"), command,
                buffer, 0);
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return submit(bytes);
    }

    private Outcome pos(final Consumer<PosRequest> fill) {
        buffer.setMemory(0, PosRequest.LENGTH, (byte) 0);
        request.wrapForEncode(buffer, 0);
        currentKey = null;
        fill.accept(request);
        final byte[] bytes = new byte[PosRequest.LENGTH];
        buffer.getBytes(0, bytes);
        final String key = currentKey;
        final Outcome out = submit(bytes);
        if (key != null && out.approved() && !out.duplicate && !answers.containsKey(key)) {
            answers.put(key, new long[] {out.rrn, out.authCode});
        }
        return out;
    }

    private Outcome submit(final byte[] command) {
        clock += 1_000;
        final Outcome out = journal.submit(command);
        Invariants.check(journal.ledger.state());
        outcomes.add(line(journal.journal.nextSequence() - 1, out));
        return out;
    }

    /**
     * The outcome as the fixture records it: every field the ledger fills but the free-text detail, which is
     * no part of what is stored and may be reworded.
     */
    static String line(final long sequence, final Outcome o) {
        return sequence + " " + o.reason.name() + (o.duplicate ? " repeat" : "") + " rrn=" + o.rrn + " auth=" + o.authCode
                + " available=" + o.availableBalance + " ledger=" + o.ledgerBalance + " card=" + o.cardAmount + " discount="
                + o.discount + " fee=" + o.fee + " points=" + o.points + " risk=" + o.riskFlags + " date=" + o.businessDate
                + " batch=" + o.batch + " flag=" + o.settlementFlag + " issuer=" + o.issuerInstitutionId + " v1=" + o.value1
                + " v2=" + o.value2;
    }

    private int purchase(final String terminal, final String pan, final long amount, final long pin) {
        final int s = stan++;
        pos(r -> {
            on(r.kind(PosKind.PURCHASE), terminal, s).pan(pan).amount(amount).entryMode(21);
            if (pin != 0) {
                r.pinCheck(pin);
            }
        });
        return s;
    }

    private PosRequest on(final PosRequest r, final String terminal, final int s) {
        currentKey = terminal + "/" + s;
        return r.terminalId(terminal).merchantId(merchantOf(terminal)).batch(batch[indexOf(terminal)]).stan(s).currency(156);
    }

    private long rrnOf(final String terminal, final int s) {
        return find(terminal, s)[0];
    }

    private int authOf(final String terminal, final int s) {
        return (int) find(terminal, s)[1];
    }

    /** The RRN and authorisation code the ledger gave a terminal's transaction, read back from the outcomes kept. */
    private long[] find(final String terminal, final int s) {
        final long[] found = answers.get(terminal + "/" + s);
        if (found == null) {
            throw new IllegalStateException("no answer for " + terminal + " STAN " + s);
        }
        return found;
    }

    /** RRN and authorisation code of every approved POS transaction, by terminal and STAN. */
    private final java.util.Map<String, long[]> answers = new java.util.HashMap<>();
    private String currentKey;

    private static String terminal(final int index) {
        return index == 0 ? T1 : index == 1 ? T2 : T3;
    }

    private static int indexOf(final String terminal) {
        return terminal.equals(T1) ? 0 : terminal.equals(T2) ? 1 : 2;
    }

    private static String merchantOf(final String terminal) {
        return terminal.equals(T3) ? KIOSK : SHOP;
    }

    static String pan(final String bin, final long account) {
        final String body = bin + String.format("%07d", account);
        return body + Pan.luhnCheckDigit(Long.parseLong(body), body.length());
    }
}
