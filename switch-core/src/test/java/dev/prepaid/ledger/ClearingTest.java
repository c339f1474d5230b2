package dev.prepaid.ledger;

import static dev.prepaid.ledger.TestLedger.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.clearing.DayKind;
import dev.prepaid.clearing.SettlementBatch;
import dev.prepaid.command.AdminCommand.*;
import dev.prepaid.command.PosKind;
import dev.prepaid.command.Reason;
import dev.prepaid.fee.FeeMethod;
import dev.prepaid.merchant.DeployerShareMethod;
import dev.prepaid.merchant.MacAlgorithm;
import dev.prepaid.merchant.Merchant;
import dev.prepaid.merchant.MerchantStatus;
import dev.prepaid.merchant.RefundFeePolicy;
import dev.prepaid.merchant.SettlementCycle;
import dev.prepaid.merchant.TerminalStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Merchant fees, deployer shares, discounts, points, settlement cycles and payouts (domain-rules §3–§5). */
class ClearingTest {
    private TestLedger t;
    private String card;

    @BeforeEach
    void setUp() {
        t = TestLedger.standard();
        card = t.sell(ANON_BIN, 0, 100_000);
    }

    private Merchant merchant() {
        return t.state().merchant(MERCHANT);
    }

    private long books(final Account account) {
        return t.state().books().balance(account);
    }

    @Test
    void percentFeeWithMinimumAndCapRoundsHalfUpAndPostsAtCutover() {
        t.feeRule(1, MERCHANT, FeeMethod.PERCENT_MIN_CAP, 3_500, 0, 10, 1_300);
        assertThat(t.purchase(TERMINAL, card, 100).fee).isEqualTo(10);          // 0.35 fen -> minimum 10
        assertThat(t.purchase(TERMINAL, card, 10_143).fee).isEqualTo(36);       // 35.5005 -> 36
        assertThat(t.purchase(TERMINAL, card, 80_000).fee).isEqualTo(280);
        t.system(new SetParameter("largeAmountThreshold", 100_000_000));
        t.system(new RechargeCards(card, 1, 1, dev.prepaid.card.PaymentMethod.CASH, dev.prepaid.card.SalesChannel.COUNTER));
        assertThat(merchant().feeAccrued()).isEqualTo(326);
        assertThat(books(Account.FEE_INCOME)).isZero();
        t.system(new Cutover(START_DATE + 1));
        assertThat(books(Account.FEE_INCOME)).isEqualTo(326);
        assertThat(merchant().payable()).isEqualTo(100 + 10_143 + 80_000 - 326);
        assertThat(merchant().feeAccrued()).isZero();
        // The fee left custody for the operator's own account.
        assertThat(books(Account.OPERATOR_BANK)).isEqualTo(326);
    }

    @Test
    void theFirstMatchingRuleByPriorityDecidesAndRulesAreNeverSummed() {
        t.system(new PutFeeRule(1, MERCHANT, 0, PosKind.mask(PosKind.PURCHASE), 0, 0, 20, FeeMethod.FIXED, 0, 99, 0, 0));
        t.system(new PutFeeRule(2, MERCHANT, ANONYMOUS, PosKind.mask(PosKind.PURCHASE), 0, 0, 10, FeeMethod.PERCENT, 10_000,
                0, 0, 0));
        assertThat(t.purchase(TERMINAL, card, 1_000).fee).isEqualTo(10);
        t.system(new PutFeeRule(3, MERCHANT, 0, PosKind.mask(PosKind.PURCHASE), 20261124, 0, 1, FeeMethod.FREE, 0, 0, 0, 0));
        assertThat(t.purchase(TERMINAL, card, 1_000).fee).isEqualTo(10);
        t.system(new Cutover(20261124));
        assertThat(t.purchase(TERMINAL, card, 1_000).fee).isZero();
        t.system(new RemoveRule(3));
        t.system(new RemoveRule(2));
        assertThat(t.purchase(TERMINAL, card, 1_000).fee).isEqualTo(99);
    }

    @Test
    void voidedAndReversedTransactionsCarryNoFee() {
        t.feeRule(1, MERCHANT, FeeMethod.PERCENT, 10_000, 0, 0, 0);
        final int batch = t.state().terminal(TERMINAL).currentBatch();
        final int stan = t.stan;
        t.purchase(TERMINAL, card, 5_000);
        t.pos(r -> t.on(r.kind(PosKind.PURCHASE_VOID), TERMINAL).pan(card).amount(5_000).original(batch, stan, 0));
        final int stan2 = t.stan;
        t.purchase(TERMINAL, card, 7_000);
        t.pos(r -> r.kind(PosKind.REVERSAL).originalKind(PosKind.PURCHASE).terminalId(TERMINAL).merchantId(MERCHANT)
                .batch(batch).stan(stan2).pan(card).amount(7_000));
        assertThat(merchant().feeAccrued()).isZero();
        t.system(new Cutover(START_DATE + 1));
        assertThat(books(Account.FEE_INCOME)).isZero();
    }

    @Test
    void proportionalRefundFeesSumExactlyToTheOriginalFee() {
        t.feeRule(1, MERCHANT, FeeMethod.PERCENT, 10_000, 0, 0, 0);
        t.purchase(TERMINAL, card, 1_001);
        final long rrn = t.out.rrn;
        assertThat(t.out.fee).isEqualTo(10);
        long returned = 0;
        for (final long part : new long[] {333, 333, 335}) {
            t.pos(r -> t.on(r.kind(PosKind.REFUND), TERMINAL).amount(part).originalRrn(rrn));
            assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
            returned -= t.out.fee;
        }
        assertThat(returned).isEqualTo(10);
        assertThat(merchant().feeAccrued()).isZero();
    }

    @Test
    void fullAndNoRefundFeePolicies() {
        t.feeRule(1, MERCHANT, FeeMethod.PERCENT, 10_000, 0, 0, 0);
        t.system(new UpsertMerchant(MERCHANT, "Shop", "5411", MerchantStatus.ACTIVE, SettlementCycle.T_PLUS_1, 1, 0,
                RefundFeePolicy.FULL, true, "6222", "Shop", "ICBC", "102100000001"));
        t.purchase(TERMINAL, card, 2_000);
        final long rrn = t.out.rrn;
        t.pos(r -> t.on(r.kind(PosKind.REFUND), TERMINAL).amount(500).originalRrn(rrn));
        assertThat(t.out.fee).isEqualTo(-20);
        t.pos(r -> t.on(r.kind(PosKind.REFUND), TERMINAL).amount(500).originalRrn(rrn));
        assertThat(t.out.fee).isZero();
        t.system(new UpsertMerchant(MERCHANT, "Shop", "5411", MerchantStatus.ACTIVE, SettlementCycle.T_PLUS_1, 1, 0,
                RefundFeePolicy.NONE, true, "6222", "Shop", "ICBC", "102100000001"));
        t.purchase(TERMINAL, card, 2_000);
        final long rrn2 = t.out.rrn;
        t.pos(r -> t.on(r.kind(PosKind.REFUND), TERMINAL).amount(2_000).originalRrn(rrn2));
        assertThat(t.out.fee).isZero();
    }

    @Test
    void deployerShareFollowsTheFeeAndIsPostedAtCutover() {
        t.feeRule(1, MERCHANT, FeeMethod.PERCENT, 10_000, 0, 0, 0);
        t.system(new UpsertTerminal(TERMINAL, MERCHANT, "SN", TerminalStatus.ACTIVE, MacAlgorithm.CUP_ECB, "k", "agent7",
                DeployerShareMethod.FEE_RATIO, 300_000));
        t.purchase(TERMINAL, card, 10_000);
        assertThat(merchant().shareAccrued()).isEqualTo(30);
        t.system(new UpsertTerminal(TERMINAL_B, MERCHANT, "SN", TerminalStatus.ACTIVE, MacAlgorithm.CUP_ECB, "k", "agent8",
                DeployerShareMethod.SPREAD, 6_000));
        t.purchase(TERMINAL_B, card, 10_000);
        assertThat(merchant().shareAccrued()).isEqualTo(30 + 40);
        t.system(new Cutover(START_DATE + 1));
        assertThat(books(Account.DEPLOYER_PAYABLE)).isEqualTo(70);
        assertThat(books(Account.COMMISSION_EXPENSE)).isEqualTo(70);
    }

    @Test
    void operatorFundedDiscountAndPoints() {
        t.system(new PutDiscountRule(10, MERCHANT, 0, 0, 0, 1, 100_000, 1_000, 500));
        t.system(new PutPointsRule(11, MERCHANT, 0, 0, 0, 1, 3));
        t.purchase(TERMINAL, card, 10_000);
        assertThat(t.out.discount).isEqualTo(500);
        assertThat(t.out.cardAmount).isEqualTo(9_500);
        assertThat(t.out.points).isEqualTo(95 * 3);
        assertThat(t.available(card)).isEqualTo(100_000 - 9_500);
        assertThat(merchant().payable()).isEqualTo(10_000);
        assertThat(books(Account.PROMOTION_EXPENSE)).isEqualTo(500 + 285);
        assertThat(books(Account.LOYALTY_POINTS)).isEqualTo(285);
        assertThat(t.state().cards().points(t.card(card))).isEqualTo(285);
        final long rrn = t.out.rrn;
        t.pos(r -> t.on(r.kind(PosKind.REFUND), TERMINAL).amount(10_000).originalRrn(rrn));
        assertThat(t.available(card)).isEqualTo(100_000);
        assertThat(books(Account.PROMOTION_EXPENSE)).isZero();
        assertThat(books(Account.LOYALTY_POINTS)).isZero();
        assertThat(t.state().cards().points(t.card(card))).isZero();
        assertThat(t.purchase(TERMINAL, card, 999).discount).isZero();
    }

    @Test
    void periodicServiceFeeIsChargedAtTheFirstCutoverOfAMonth() {
        t.system(new PutFeeRule(5, MERCHANT, 0, 0, 0, 0, 1, FeeMethod.PERIODIC, 0, 5_000, 0, 0));
        t.purchase(TERMINAL, card, 20_000);
        t.system(new Cutover(20261130));
        assertThat(books(Account.FEE_INCOME)).isZero();
        t.system(new Cutover(20261201));
        assertThat(books(Account.FEE_INCOME)).isEqualTo(5_000);
        t.system(new Cutover(20261202));
        assertThat(books(Account.FEE_INCOME)).isEqualTo(5_000);
    }

    private long prepare() {
        t.admin("finance", new PrepareSettlement());
        return t.out.reason == Reason.APPROVED ? t.out.value1 : -1;
    }

    @Test
    void tPlusOnePaysYesterdaysActivityOnTheNextWorkingDay() {
        // 2026-11-23 is a Monday.
        t.purchase(TERMINAL, card, 10_000);
        t.admin("finance", new PrepareSettlement());
        assertThat(t.out.reason).isEqualTo(Reason.NOTHING_TO_SETTLE);
        t.system(new Cutover(20261124));
        t.purchase(TERMINAL, card, 3_000);
        final long id = prepare();
        assertThat(id).isPositive();
        final SettlementBatch batch = t.state().settlements().get(id);
        assertThat(batch.lines()).isEqualTo(1);
        assertThat(batch.amount(0)).isEqualTo(10_000);
        t.admin("finance", new Approve(id));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVER_IS_MAKER);
        t.admin("supervisor", new Approve(id));
        assertThat(t.out.reason).isEqualTo(Reason.ROLE_NOT_PERMITTED);
        t.admin("finance2", new Approve(id));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(merchant().payable()).isEqualTo(3_000);
        assertThat(books(Account.CLEARING_IN_TRANSIT)).isEqualTo(-10_000);
        t.admin("finance", new RecordPayoutResult(id, MERCHANT, true, "BANK-1"));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(books(Account.CLEARING_IN_TRANSIT)).isZero();
        t.admin("finance", new RecordPayoutResult(id, MERCHANT, true, "BANK-1"));
        assertThat(t.out.reason).isEqualTo(Reason.PAYOUT_ALREADY_RECORDED);
        // Nothing more is due today: today's 30.00 waits for tomorrow.
        assertThat(prepare()).isEqualTo(-1);
        assertThat(t.out.reason).isEqualTo(Reason.NOTHING_TO_SETTLE);
    }

    private void changeBankAccount(final String account) {
        t.system(new UpsertMerchant(MERCHANT, "Shop", "5411", MerchantStatus.ACTIVE, SettlementCycle.T_PLUS_1, 1, 0,
                RefundFeePolicy.NONE, true, account, "Shop ltd", "ICBC Pudong", "102290000011"));
    }

    @Test
    void aBatchPaysTheBankDetailsItWasPreparedWithNotAnUpdatedMerchants() {
        changeBankAccount("6222020200998877001");
        t.purchase(TERMINAL, card, 10_000);
        t.system(new Cutover(20261124));
        final long id = prepare();
        changeBankAccount("6222999999999999999");    // after preparation: the approver saw the first account
        t.admin("finance2", new Approve(id));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        final SettlementBatch batch = t.state().settlements().get(id);
        assertThat(batch.payee(0)).isEqualTo(new dev.prepaid.clearing.Payee("Shop ltd", "6222020200998877001",
                "ICBC Pudong", "102290000011"));
        assertThat(merchant().profile().bankAccount()).isEqualTo("6222999999999999999");
    }

    @Test
    void payoutFilesAreRecordedOnceForAnApprovedBatchAndTheSameFilesAgainChangeNothing() {
        t.purchase(TERMINAL, card, 10_000);
        t.system(new Cutover(20261124));
        final long id = prepare();
        final String sha = "ab".repeat(32);
        final RecordPayoutFiles files = new RecordPayoutFiles(id, 1_795_000_000_000L, "payout-20261124-" + id
                + ".pain001.xml", sha, "payout-20261124-" + id + ".neutral.csv", "cd".repeat(32));
        t.admin("finance2", files);
        assertThat(t.out.reason).as("not approved yet").isEqualTo(Reason.ILLEGAL_TRANSITION);
        t.admin("finance2", new Approve(id));
        t.admin("clerk", files);
        assertThat(t.out.reason).isEqualTo(Reason.ROLE_NOT_PERMITTED);
        t.admin("finance2", new RecordPayoutFiles(id, 1_795_000_000_000L, "../x.xml", sha, "y.csv", sha));
        assertThat(t.out.reason).isEqualTo(Reason.INVALID_ARGUMENT);
        t.admin("finance2", new RecordPayoutFiles(id, 1_795_000_000_001L, "x.xml", sha, "y.csv", sha));
        assertThat(t.out.reason).as("whole seconds").isEqualTo(Reason.INVALID_ARGUMENT);
        t.admin("finance2", files);
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.out.value1).isEqualTo(1);
        t.admin("finance", files);
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.out.value1).as("already recorded, the same").isZero();
        t.admin("finance", new RecordPayoutFiles(id, 1_795_000_001_000L, files.painFile(), sha, files.neutralFile(), sha));
        assertThat(t.out.reason).isEqualTo(Reason.ILLEGAL_TRANSITION);
        assertThat(t.out.detail).contains("has its files already: " + files.painFile() + " " + sha);
        final dev.prepaid.clearing.ExportedFiles recorded = t.state().settlements().get(id).exported();
        assertThat(recorded.recordedBy()).isEqualTo("finance2");
        assertThat(recorded.createdAtMillis()).isEqualTo(1_795_000_000_000L);
        t.admin("finance", new RecordPayoutFiles(999, 1_795_000_000_000L, "x.xml", sha, "y.csv", sha));
        assertThat(t.out.reason).isEqualTo(Reason.SETTLEMENT_NOT_FOUND);
    }

    @Test
    void aFailedPayoutIsOwedAgain() {
        t.purchase(TERMINAL, card, 10_000);
        t.system(new Cutover(20261124));
        final long id = prepare();
        t.admin("finance2", new Approve(id));
        t.admin("finance", new RecordPayoutResult(id, MERCHANT, false, "REJECTED: account closed"));
        assertThat(merchant().payable()).isEqualTo(10_000);
        final long again = prepare();
        assertThat(t.state().settlements().get(again).amount(0)).isEqualTo(10_000);
    }

    @Test
    void weekendsHolidaysAndMakeUpDaysDecideTPlusN() {
        t.system(new UpsertMerchant(MERCHANT, "Shop", "5411", MerchantStatus.ACTIVE, SettlementCycle.T_PLUS_N, 2, 0,
                RefundFeePolicy.NONE, true, "6222", "Shop", "ICBC", "102100000001"));
        t.system(new Cutover(20261127));          // Friday
        t.purchase(TERMINAL, card, 1_000);
        t.system(new Cutover(20261128));          // Saturday: declared a make-up working day
        t.system(new SetCalendarDay(20261130, DayKind.HOLIDAY));   // Monday: holiday
        t.system(new SetCalendarDay(20261128, DayKind.WORKDAY));
        assertThat(prepare()).isEqualTo(-1);       // Saturday works, but Friday + 1 working day is not T+2
        assertThat(t.out.reason).isEqualTo(Reason.NOTHING_TO_SETTLE);
        t.system(new Cutover(20261129));          // Sunday: not a working day
        assertThat(prepare()).isEqualTo(-1);
        assertThat(t.out.reason).isEqualTo(Reason.NOT_A_WORKING_DAY);
        t.system(new Cutover(20261130));          // Monday: a holiday
        assertThat(prepare()).isEqualTo(-1);
        assertThat(t.out.reason).isEqualTo(Reason.NOT_A_WORKING_DAY);
        t.system(new Cutover(20261201));          // Tuesday: Friday + 2 working days (Sat, Tue)
        final long id = prepare();
        assertThat(t.state().settlements().get(id).amount(0)).isEqualTo(1_000);
    }

    @Test
    void thresholdCyclesWaitForTheThreshold() {
        t.system(new UpsertMerchant(MERCHANT, "Shop", "5411", MerchantStatus.ACTIVE, SettlementCycle.THRESHOLD, 1, 20_000,
                RefundFeePolicy.NONE, true, "6222", "Shop", "ICBC", "102100000001"));
        t.purchase(TERMINAL, card, 15_000);
        t.system(new Cutover(20261124));
        assertThat(prepare()).isEqualTo(-1);
        t.purchase(TERMINAL, card, 5_000);
        final long id = prepare();
        assertThat(t.state().settlements().get(id).amount(0)).isEqualTo(20_000);
    }

    @Test
    void negativeNetIsCarriedForwardAndNettedLater() {
        t.purchase(TERMINAL, card, 10_000);
        final long rrn = t.out.rrn;
        t.system(new Cutover(20261124));
        final long id = prepare();
        t.admin("finance2", new Approve(id));
        t.admin("finance", new RecordPayoutResult(id, MERCHANT, true, "B"));
        t.pos(r -> t.on(r.kind(PosKind.REFUND), TERMINAL).amount(4_000).originalRrn(rrn));
        assertThat(merchant().receivable()).isEqualTo(4_000);
        t.system(new Cutover(20261125));
        assertThat(prepare()).isEqualTo(-1);
        t.purchase(TERMINAL, card, 6_000);
        t.system(new Cutover(20261126));
        final long next = prepare();
        final SettlementBatch batch = t.state().settlements().get(next);
        assertThat(batch.amount(0)).isEqualTo(2_000);
        t.admin("finance2", new Approve(next));
        assertThat(merchant().receivable()).isZero();
        assertThat(merchant().payable()).isZero();
    }

    @Test
    void merchantsUnderReviewAreHeldAndStaleBatchesAreRefused() {
        t.purchase(TERMINAL, card, 10_000);
        t.purchase(TERMINAL2, card, 5_000);
        t.system(new Cutover(20261124));
        t.admin("supervisor", new SetMerchantReview(MERCHANT2, true));
        final long id = prepare();
        assertThat(t.state().settlements().get(id).lines()).isEqualTo(1);
        final long rrn = t.purchase(TERMINAL, card, 1).rrn;
        t.pos(r -> t.on(r.kind(PosKind.REFUND), TERMINAL).amount(1).originalRrn(rrn));
        t.system(new SetParameter("refundWindowDays", 30));
        t.admin("supervisor", new SetMerchantReview(MERCHANT, true));
        t.admin("finance2", new Approve(id));
        assertThat(t.out.reason).isEqualTo(Reason.SETTLEMENT_STALE);
        t.admin("finance", new Reject(id));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(prepare()).isEqualTo(-1);
    }
}
