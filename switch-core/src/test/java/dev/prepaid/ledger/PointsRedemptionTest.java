package dev.prepaid.ledger;

import static dev.prepaid.ledger.TestLedger.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.command.AdminCommand.*;
import dev.prepaid.command.Reason;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Points redeemed at the counter (REDEEM_POINTS): the points' value is credited to the card's stored value out of the
 * points liability 2206, funded into custody by the operator. (The POS protocol has no message for it.)
 */
class PointsRedemptionTest {
    private TestLedger t;
    private String card;

    @BeforeEach
    void setUp() {
        t = TestLedger.standard();
        card = t.sell(ANON_BIN, 0, 50_000);
        t.purchase(TERMINAL, card, 30_000);                     // 300 points of 1 fen
    }

    private long books(final Account account) {
        return t.state().books().balance(account);
    }

    private long points() {
        return t.state().cards().points(t.card(card));
    }

    @Test
    void redeemedPointsBecomeStoredValueOutOfTheirLiability() {
        assertThat(points()).isEqualTo(300);
        assertThat(books(Account.LOYALTY_POINTS)).isEqualTo(300);
        final long custody = books(Account.CUSTODY);
        final long operator = books(Account.OPERATOR_BANK);
        t.admin("clerk", new RedeemPoints(card, 120));
        assertThat(t.out.reason).as(t.out.toString()).isEqualTo(Reason.APPROVED);
        assertThat(t.out.value1).isEqualTo(120);
        assertThat(t.out.value2).isEqualTo(180);
        assertThat(points()).isEqualTo(180);
        assertThat(t.available(card)).isEqualTo(20_000 + 120);
        assertThat(t.out.availableBalance).isEqualTo(20_120);
        assertThat(books(Account.LOYALTY_POINTS)).isEqualTo(180);
        assertThat(books(Account.CUSTODY)).isEqualTo(custody + 120);
        assertThat(books(Account.OPERATOR_BANK)).isEqualTo(operator - 120);
    }

    @Test
    void aHigherPointValueThanBookedIsPromotionExpense() {
        t.system(new SetParameter("pointValueFen", 2));
        final long expense = books(Account.PROMOTION_EXPENSE);
        t.admin("clerk", new RedeemPoints(card, 200));          // worth 400; 2206 holds 300
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.out.value1).isEqualTo(400);
        assertThat(books(Account.LOYALTY_POINTS)).isZero();
        assertThat(books(Account.PROMOTION_EXPENSE)).isEqualTo(expense + 100);
    }

    @Test
    void refusals() {
        t.admin("clerk", new RedeemPoints(card, 301));
        assertThat(t.out.reason).isEqualTo(Reason.POINTS_INSUFFICIENT);
        assertThat(t.out.detail).contains("300 points");
        t.admin("clerk", new RedeemPoints(card, 0));
        assertThat(t.out.reason).isEqualTo(Reason.INVALID_ARGUMENT);
        t.admin("finance", new RedeemPoints(card, 10));
        assertThat(t.out.reason).isEqualTo(Reason.ROLE_NOT_PERMITTED);
        t.admin("clerk", new RedeemPoints(pan(ANON_BIN, 199), 10));
        assertThat(t.out.reason).as("in stock").isEqualTo(Reason.ILLEGAL_TRANSITION);
        t.admin("clerk", new FreezeCard(card));
        t.admin("clerk", new RedeemPoints(card, 10));
        assertThat(t.out.reason).isEqualTo(Reason.ILLEGAL_TRANSITION);
        t.admin("clerk", new UnfreezeCard(card));
        t.system(new SetParameter("pointValueFen", 10_000));
        t.admin("clerk", new RedeemPoints(card, 300));          // 3,000,000 fen over the anonymous cap
        assertThat(t.out.reason).isEqualTo(Reason.BALANCE_CAP_EXCEEDED);
        assertThat(points()).isEqualTo(300);
    }
}
