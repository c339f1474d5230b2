package dev.prepaid.ledger;

import static dev.prepaid.ledger.TestLedger.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.card.BuyerKind;
import dev.prepaid.card.CardStatus;
import dev.prepaid.card.PaymentMethod;
import dev.prepaid.card.SalesChannel;
import dev.prepaid.command.AdminCommand.*;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.PosKind;
import dev.prepaid.command.Reason;
import dev.prepaid.operator.OperatorStatus;
import dev.prepaid.operator.Role;
import dev.prepaid.time.CivilDate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Card lifecycle of domain-rules §2, the real-name and cash rules of §1, maker-checker and roles. */
class CardLifecycleTest {
    private TestLedger t;

    @BeforeEach
    void setUp() {
        t = TestLedger.standard();
    }

    private static SellCards anonymousSale(final String pan, final int count, final long value, final PaymentMethod payment,
            final BuyerKind buyer, final String buyerName, final String buyerId) {
        return new SellCards(pan, count, value, payment, SalesChannel.COUNTER, buyer, buyerName, buyerName.isEmpty() ? "" : "ID",
                buyerId, "", "", "", "");
    }

    private CardStatus status(final String pan) {
        return t.state().cards().status(t.card(pan));
    }

    private long books(final Account account) {
        return t.state().books().balance(account);
    }

    @Test
    void anonymousSaleLoadsValueAndSetsValidity() {
        final String pan = pan(ANON_BIN, 0);
        final Outcome out = t.admin("clerk", anonymousSale(pan, 10, 20_000, PaymentMethod.CASH, BuyerKind.PERSON, "", ""));
        assertThat(out.reason).isEqualTo(Reason.APPROVED);
        assertThat(out.value2).isEqualTo(10);
        assertThat(books(Account.CUSTODY)).isEqualTo(200_000);
        assertThat(books(Account.CARD_VALUE)).isEqualTo(200_000);
        final int expiry = t.state().cards().expiryDay(t.card(pan(ANON_BIN, 9)));
        assertThat(CivilDate.yyyymmdd(expiry)).isEqualTo(20291123);
        assertThat(status(pan(ANON_BIN, 10))).isEqualTo(CardStatus.GENERATED);
        t.admin("clerk", anonymousSale(pan, 1, 20_000, PaymentMethod.CASH, BuyerKind.PERSON, "", ""));
        assertThat(t.out.reason).isEqualTo(Reason.ILLEGAL_TRANSITION);
        assertThat(t.out.detail).contains("ACTIVE");
    }

    @Test
    void namedSaleTakesDepositAndFeeAndNeedsTheHolder() {
        final String pan = pan(NAMED_BIN, 0);
        t.admin("clerk", anonymousSale(pan, 1, 10_000, PaymentMethod.CASH, BuyerKind.PERSON, "", ""));
        assertThat(t.out.reason).isEqualTo(Reason.HOLDER_IDENTITY_REQUIRED);
        t.admin("clerk", new SellCards(pan, 2, 10_000, PaymentMethod.CASH, SalesChannel.COUNTER, BuyerKind.PERSON, "", "", "",
                "Li Si", "ID", "1101", ""));
        assertThat(t.out.reason).isEqualTo(Reason.INVALID_ARGUMENT);
        t.sell(NAMED_BIN, 0, 10_000);
        assertThat(books(Account.CARD_DEPOSITS)).isEqualTo(2_000);
        assertThat(books(Account.CARD_FEE_INCOME)).isEqualTo(1_000);
        assertThat(books(Account.OPERATOR_BANK)).isEqualTo(3_000);
        assertThat(t.state().cards().expiryDay(t.card(pan))).isEqualTo(dev.prepaid.card.CardStore.NO_EXPIRY);
        assertThat(t.state().holder(t.state().cards().holder(t.card(pan))).name()).isEqualTo("Zhang San");
    }

    @Test
    void realNameAndCashRulesOfSales() {
        final String pan = pan(ANON_BIN, 0);
        // 10 cards x 1000.00 = 10,000.00: the real-name threshold.
        t.admin("clerk", anonymousSale(pan, 10, 100_000, PaymentMethod.BANK_TRANSFER, BuyerKind.PERSON, "", ""));
        assertThat(t.out.reason).isEqualTo(Reason.BUYER_IDENTITY_REQUIRED);
        t.admin("clerk", anonymousSale(pan, 10, 100_000, PaymentMethod.CASH, BuyerKind.ORGANISATION, "ACME", "9131"));
        assertThat(t.out.reason).isEqualTo(Reason.BANK_TRANSFER_REQUIRED);
        t.admin("clerk", anonymousSale(pan, 1, 10_000, PaymentMethod.CREDIT_CARD, BuyerKind.PERSON, "", ""));
        assertThat(t.out.reason).isEqualTo(Reason.CREDIT_CARD_NOT_ALLOWED);
        t.admin("clerk", new SellCards(pan, 1, 20_001, PaymentMethod.CASH, SalesChannel.AGENT, BuyerKind.PERSON, "", "", "", "",
                "", "", ""));
        assertThat(t.out.reason).isEqualTo(Reason.AGENT_FACE_VALUE_LIMIT);
        assertThat(books(Account.CUSTODY)).isZero();
        t.admin("clerk", anonymousSale(pan, 10, 100_000, PaymentMethod.BANK_TRANSFER, BuyerKind.ORGANISATION, "ACME", "9131"));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
    }

    @Test
    void repeatedSalesJustUnderTheRealNameThresholdAreFlagged() {
        t.admin("clerk", anonymousSale(pan(ANON_BIN, 0), 10, 95_000, PaymentMethod.BANK_TRANSFER, BuyerKind.PERSON, "", ""));
        assertThat(t.out.riskFlags).isZero();
        t.admin("clerk", anonymousSale(pan(ANON_BIN, 10), 10, 95_000, PaymentMethod.BANK_TRANSFER, BuyerKind.PERSON, "", ""));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.out.riskFlags & Outcome.FLAG_NEAR_REAL_NAME_THRESHOLD).isNotZero();
        assertThat(t.state().review().size()).isEqualTo(1);
    }

    @Test
    void counterRechargeRespectsCapAndTransferRule() {
        final String pan = t.sell(ANON_BIN, 0, 50_000);
        t.admin("clerk", new RechargeCards(pan, 1, 50_001, PaymentMethod.CASH, SalesChannel.COUNTER));
        assertThat(t.out.reason).isEqualTo(Reason.BALANCE_CAP_EXCEEDED);
        t.system(new SetParameter("rechargeTransferThreshold", 30_000));
        t.admin("clerk", new RechargeCards(pan, 1, 30_000, PaymentMethod.CASH, SalesChannel.COUNTER));
        assertThat(t.out.reason).isEqualTo(Reason.BANK_TRANSFER_REQUIRED);
        t.admin("clerk", new RechargeCards(pan, 1, 30_000, PaymentMethod.BANK_TRANSFER, SalesChannel.COUNTER));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.out.availableBalance).isEqualTo(80_000);
    }

    @Test
    void freezeLostBlacklistTransitions() {
        final String anon = t.sell(ANON_BIN, 0, 10_000);
        t.admin("clerk", new UnfreezeCard(anon));
        assertThat(t.out.reason).isEqualTo(Reason.ILLEGAL_TRANSITION);
        t.admin("clerk", new FreezeCard(anon));
        assertThat(status(anon)).isEqualTo(CardStatus.FROZEN);
        t.admin("clerk", new ReportLost(anon));
        assertThat(t.out.reason).isEqualTo(Reason.NAMED_CARD_ONLY);
        t.admin("clerk", new BlacklistCard(anon));
        assertThat(t.out.reason).isEqualTo(Reason.ROLE_NOT_PERMITTED);
        t.admin("supervisor", new BlacklistCard(anon));
        assertThat(status(anon)).isEqualTo(CardStatus.BLACKLISTED);
        t.admin("supervisor", new UnblacklistCard(anon));
        assertThat(status(anon)).isEqualTo(CardStatus.FROZEN);
        final String named = t.sell(NAMED_BIN, 0, 10_000);
        t.admin("clerk", new ReportLost(named));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.out.fee).isEqualTo(300);
        assertThat(status(named)).isEqualTo(CardStatus.LOST);
    }

    @Test
    void replacementMovesEverythingAndVoidsFollowTheValue() {
        final String old = t.sell(NAMED_BIN, 0, 30_000);
        final int batch = t.state().terminal(TERMINAL).currentBatch();
        final int stan = t.stan;
        t.purchase(TERMINAL, old, 10_000);
        t.pos(r -> t.on(r.kind(PosKind.PREAUTH), TERMINAL).pan(old).amount(5_000).pinCheck(PIN));
        t.admin("clerk", new ReportLost(old));
        final String fresh = pan(NAMED_BIN, 1);
        t.admin("clerk", new ReplaceCard(old, fresh));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.available(fresh)).isEqualTo(15_000);
        assertThat(t.holds(fresh)).isEqualTo(5_000);
        assertThat(t.available(old)).isZero();
        assertThat(status(old)).isEqualTo(CardStatus.REPLACED);
        assertThat(t.state().cards().points(t.card(fresh))).isEqualTo(100);
        assertThat(t.state().books().balance(Account.CARD_DEPOSITS)).isEqualTo(2_000);
        assertThat(t.state().cards().deposit(t.card(fresh))).isEqualTo(2_000);
        // The purchase made with the old card is voided: the money goes to the card that now holds the value.
        t.pos(r -> t.on(r.kind(PosKind.PURCHASE_VOID), TERMINAL).amount(10_000).original(batch, stan, 0));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.available(fresh)).isEqualTo(25_000);
        assertThat(t.state().cards().points(t.card(fresh))).isZero();
    }

    @Test
    void returnOnlyAfterThreeMonthsAndWithoutHolds() {
        final String named = t.sell(NAMED_BIN, 0, 30_000);
        t.admin("clerk", new ReturnCard(named));
        assertThat(t.out.reason).isEqualTo(Reason.REDEMPTION_TOO_EARLY);
        assertThat(t.out.detail).contains("2027-02-23");
        t.system(new Cutover(20270223));
        t.admin("clerk", new ReturnCard(named));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.out.cardAmount).isEqualTo(30_000);
        assertThat(t.out.value1).isEqualTo(2_000);
        assertThat(books(Account.CARD_VALUE)).isZero();
        assertThat(books(Account.CARD_DEPOSITS)).isZero();
        assertThat(status(named)).isEqualTo(CardStatus.RETURNED);
        final String anon = t.sell(ANON_BIN, 0, 1_000);
        t.admin("clerk", new ReturnCard(anon));
        assertThat(t.out.reason).isEqualTo(Reason.NAMED_CARD_ONLY);
    }

    @Test
    void issuanceCanBeCancelledOnlyBeforeUse() {
        final String unused = t.sell(NAMED_BIN, 0, 30_000);
        t.admin("clerk", new CancelIssuance(unused));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(books(Account.CARD_VALUE)).isZero();
        assertThat(books(Account.CARD_DEPOSITS)).isZero();
        assertThat(books(Account.CARD_FEE_INCOME)).isZero();
        final String used = t.sell(ANON_BIN, 0, 30_000);
        t.purchase(TERMINAL, used, 100);
        t.admin("clerk", new CancelIssuance(used));
        assertThat(t.out.reason).isEqualTo(Reason.CARD_ALREADY_USED);
    }

    @Test
    void expiredCardsKeepTheirValueAndCanBeExtended() {
        final String anon = t.sell(ANON_BIN, 0, 30_000);
        t.system(new Cutover(20300101));
        assertThat(t.purchase(TERMINAL, anon, 100).reason).isEqualTo(Reason.CARD_EXPIRED);
        assertThat(t.available(anon)).isEqualTo(30_000);
        t.admin("clerk", new ExtendExpiry(anon, 20291231));
        assertThat(t.out.reason).isEqualTo(Reason.EXPIRY_NOT_LATER);
        t.admin("clerk", new ExtendExpiry(anon, 20321231));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        t.pos(r -> r.kind(PosKind.SIGN_ON).terminalId(TERMINAL).merchantId(MERCHANT));
        assertThat(t.purchase(TERMINAL, anon, 100).reason).isEqualTo(Reason.APPROVED);
    }

    @Test
    void adjustmentsNeedASecondSupervisor() {
        final String pan = t.sell(ANON_BIN, 0, 10_000);
        t.admin("clerk", new RequestAdjustment(AdjustmentTarget.CARD, pan, 500, CounterAccount.PROMOTION_EXPENSE));
        assertThat(t.out.reason).isEqualTo(Reason.ROLE_NOT_PERMITTED);
        t.admin("supervisor", new RequestAdjustment(AdjustmentTarget.CARD, pan, -20_000, CounterAccount.CUSTODY));
        assertThat(t.out.reason).isEqualTo(Reason.ADJUSTMENT_WOULD_GO_NEGATIVE);
        t.admin("supervisor", new RequestAdjustment(AdjustmentTarget.CARD, pan, 500, CounterAccount.PROMOTION_EXPENSE));
        final long id = t.out.value1;
        assertThat(t.available(pan)).isEqualTo(10_000);
        t.admin("supervisor", new Approve(id));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVER_IS_MAKER);
        t.admin("finance", new Approve(id));
        assertThat(t.out.reason).isEqualTo(Reason.ROLE_NOT_PERMITTED);
        t.admin("supervisor2", new Approve(id));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.available(pan)).isEqualTo(10_500);
        assertThat(books(Account.PROMOTION_EXPENSE)).isEqualTo(500);
        t.admin("supervisor2", new Approve(id));
        assertThat(t.out.reason).isEqualTo(Reason.PENDING_ALREADY_DECIDED);
        // A debit that was fine when requested is checked again at approval.
        t.admin("supervisor", new RequestAdjustment(AdjustmentTarget.CARD, pan, -10_000, CounterAccount.CUSTODY));
        final long debit = t.out.value1;
        t.purchase(TERMINAL, pan, 5_000);
        t.admin("supervisor2", new Approve(debit));
        assertThat(t.out.reason).isEqualTo(Reason.ADJUSTMENT_WOULD_GO_NEGATIVE);
        t.admin("supervisor", new Reject(debit));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
    }

    @Test
    void balanceTransferBetweenCards() {
        final String from = t.sell(ANON_BIN, 0, 10_000);
        final String to = t.sell(ANON_BIN, 1, 5_000);
        t.admin("clerk", new RequestBalanceTransfer(from, to, -1));
        final long id = t.out.value1;
        t.admin("supervisor", new Approve(id));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.available(from)).isZero();
        assertThat(t.available(to)).isEqualTo(15_000);
    }

    @Test
    void operatorsAreAuthenticatedAndAuthorised() {
        final String pan = pan(ANON_BIN, 0);
        t.admin("nobody", new FreezeCard(pan));
        assertThat(t.out.reason).isEqualTo(Reason.OPERATOR_UNKNOWN);
        t.admin("auditor", new FreezeCard(pan));
        assertThat(t.out.reason).isEqualTo(Reason.ROLE_NOT_PERMITTED);
        t.admin("administrator", new Cutover(20261124));
        assertThat(t.out.reason).isEqualTo(Reason.SYSTEM_ONLY);
        t.admin("administrator", new UpsertOperator("clerk", "Clerk", Role.CLERK, "", OperatorStatus.DISABLED, "h"));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        t.admin("clerk", new FreezeCard(pan));
        assertThat(t.out.reason).isEqualTo(Reason.OPERATOR_DISABLED);
        t.admin("administrator", new UpsertOperator("system", "x", Role.ADMINISTRATOR, "", OperatorStatus.ACTIVE, "h"));
        assertThat(t.out.reason).isEqualTo(Reason.INVALID_ARGUMENT);
    }

    @Test
    void referenceDataIsValidatedWithSpecificMessages() {
        t.admin("administrator", new UpsertBinRange("622848", 19, ANONYMOUS, 0, 99));
        assertThat(t.out.reason).isEqualTo(Reason.INVALID_ARGUMENT);
        assertThat(t.out.detail).contains("bank-card network");
        t.admin("administrator", new UpsertBinRange("888800", 16, ANONYMOUS, 0, 99));
        assertThat(t.out.reason).isEqualTo(Reason.BIN_RANGE_OVERLAP);
        t.admin("administrator", new UpsertMerchant("M1", "Shop", "54", dev.prepaid.merchant.MerchantStatus.ACTIVE,
                dev.prepaid.merchant.SettlementCycle.T_PLUS_1, 1, 0, dev.prepaid.merchant.RefundFeePolicy.NONE, true, "", "", "",
                ""));
        assertThat(t.out.detail).contains("category");
        t.admin("administrator", new SetParameter("noSuchThing", 1));
        assertThat(t.out.reason).isEqualTo(Reason.UNKNOWN_PARAMETER);
        t.admin("administrator", new SetParameter("refundWindowDays", 100));
        assertThat(t.out.detail).contains("transactionsKeptDays");
        t.admin("administrator", new GenerateCards(ANON_BIN, 16, 10_000_000));
        assertThat(t.out.reason).isEqualTo(Reason.BIN_RANGE_EXHAUSTED);
        t.admin("administrator", new GenerateCards(ANON_BIN, 16, 9_999_000));
        assertThat(t.out.reason).isEqualTo(Reason.CAPACITY_REACHED);
    }
}
