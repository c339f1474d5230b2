package dev.prepaid.ledger;

import static dev.prepaid.ledger.TestLedger.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.command.AdminCommand.*;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.PosKind;
import dev.prepaid.command.Reason;
import dev.prepaid.fee.FeeMethod;
import dev.prepaid.merchant.Merchant;
import dev.prepaid.time.CivilDate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fee rate on recharges taken at a merchant's terminal: a commission the operator pays the merchant for taking
 * the cash (docs/ledger-rules.md §2.3): fee rules of kind RECHARGE, effective-dated with priority, half-up to the
 * fen; booked with the recharge, Dr 6401 and the merchant owing the cash less it; undone exactly by a void or a
 * reversal.
 */
class RechargeCommissionTest {
    private static final int RECHARGE = PosKind.mask(PosKind.RECHARGE);

    private TestLedger t;
    private String card;

    @BeforeEach
    void setUp() {
        t = TestLedger.standard();
        card = t.sell(ANON_BIN, 0, 10_000);
    }

    private Merchant merchant() {
        return t.state().merchant(MERCHANT);
    }

    private long books(final Account account) {
        return t.state().books().balance(account);
    }

    private Outcome recharge(final long amount) {
        return t.pos(r -> t.on(r.kind(PosKind.RECHARGE), TERMINAL).pan(card).amount(amount).pinCheck(PIN));
    }

    private void rule(final long id, final int cardType, final int from, final int to, final int priority,
            final FeeMethod method, final long ratePpm, final long fixed, final long min, final long cap) {
        t.admin("administrator", new PutFeeRule(id, MERCHANT, cardType, RECHARGE, from, to, priority, method, ratePpm,
                fixed, min, cap));
        assertThat(t.out.reason).as(t.out.toString()).isEqualTo(Reason.APPROVED);
    }

    @Test
    void aPercentCommissionIsRoundedHalfUpAndKeptByTheMerchantOutOfTheCash() {
        rule(1, 0, 0, 0, 10, FeeMethod.PERCENT, 5_000, 0, 0, 0);    // 0.5 %
        final long operator = books(Account.OPERATOR_BANK);
        final long custody = books(Account.CUSTODY);
        final Outcome out = recharge(10_100);                       // 50.5 fen -> 51
        assertThat(out.reason).isEqualTo(Reason.APPROVED);
        assertThat(out.fee).isEqualTo(51);
        assertThat(out.cardAmount).isEqualTo(10_100);
        assertThat(t.available(card)).as("the card gets the whole recharge").isEqualTo(20_100);
        assertThat(merchant().receivable()).as("the merchant owes the cash less its commission").isEqualTo(10_049);
        assertThat(books(Account.COMMISSION_EXPENSE)).isEqualTo(51);
        assertThat(books(Account.OPERATOR_BANK)).as("the operator funds the commission into custody").isEqualTo(operator - 51);
        assertThat(books(Account.CUSTODY)).isEqualTo(custody + 51);
        recharge(10_099);                                           // 50.495 -> 50
        assertThat(t.out.fee).isEqualTo(50);
        assertThat(books(Account.COMMISSION_EXPENSE)).isEqualTo(101);
        // A repeat answers the same commission and books nothing.
        final int stan = t.stan - 1;
        final int batch = t.state().terminal(TERMINAL).currentBatch();
        t.pos(r -> r.kind(PosKind.RECHARGE).terminalId(TERMINAL).merchantId(MERCHANT).batch(batch).stan(stan).pan(card)
                .amount(10_099).pinCheck(PIN));
        assertThat(t.out.duplicate).isTrue();
        assertThat(t.out.fee).isEqualTo(50);
        assertThat(books(Account.COMMISSION_EXPENSE)).isEqualTo(101);
    }

    @Test
    void theCommissionIsPaidAgainstWhatTheMerchantIsOwed() {
        t.purchase(TERMINAL, card, 5_000);
        rule(1, 0, 0, 0, 10, FeeMethod.FIXED, 0, 150, 0, 0);
        recharge(3_000);
        assertThat(t.out.fee).isEqualTo(150);
        assertThat(merchant().payable()).isEqualTo(5_000 - 2_850);
        assertThat(merchant().receivable()).isZero();
        t.system(new Cutover(20261124));
        final long id = t.admin("finance", new PrepareSettlement()).value1;
        assertThat(t.state().settlements().get(id).amount(0)).isEqualTo(2_150);
    }

    @Test
    void priorityDecidesAndRulesAreEffectiveDatedAndPerCardType() {
        final int tomorrow = CivilDate.yyyymmdd(CivilDate.epochDay(START_DATE) + 1);
        rule(1, 0, 0, 0, 20, FeeMethod.PERCENT, 10_000, 0, 0, 0);                       // 1 %, any card, always
        rule(2, 0, tomorrow, 0, 5, FeeMethod.FIXED, 0, 80, 0, 0);                       // from tomorrow, first
        rule(3, NAMED, 0, 0, 1, FeeMethod.FREE, 0, 0, 0, 0);                            // named cards: none
        recharge(2_000);
        assertThat(t.out.fee).isEqualTo(20);
        t.system(new Cutover(tomorrow));
        recharge(2_000);
        assertThat(t.out.fee).isEqualTo(80);
        final String named = t.sell(NAMED_BIN, 0, 1_000);
        t.pos(r -> t.on(r.kind(PosKind.RECHARGE), TERMINAL).pan(named).amount(2_000).pinCheck(PIN));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.out.fee).isZero();
        // A purchase takes no commission rule and a recharge no purchase rule.
        t.feeRule(4, MERCHANT, FeeMethod.FIXED, 0, 30, 0, 0);
        assertThat(t.purchase(TERMINAL, card, 1_000).fee).isEqualTo(30);
        t.admin("administrator", new RemoveRule(2));
        t.admin("administrator", new RemoveRule(1));
        assertThat(recharge(2_000).fee).isZero();
    }

    @Test
    void minimumAndCapApplyAndACommissionNeverExceedsTheRecharge() {
        rule(1, 0, 0, 0, 10, FeeMethod.PERCENT_MIN_CAP, 3_000, 0, 20, 90);    // 0.3 %, at least 0.20, at most 0.90
        assertThat(recharge(1_000).fee).isEqualTo(20);
        assertThat(recharge(10_000).fee).isEqualTo(30);
        assertThat(recharge(50_000).fee).isEqualTo(90);
        rule(2, 0, 0, 0, 1, FeeMethod.FIXED, 0, 500, 0, 0);
        assertThat(recharge(300).fee).isEqualTo(300);
        assertThat(merchant().receivable()).isEqualTo(1_000 - 20 + 10_000 - 30 + 50_000 - 90);
    }

    @Test
    void aVoidedOrReversedRechargeCarriesNoCommission() {
        rule(1, 0, 0, 0, 10, FeeMethod.PERCENT, 10_000, 0, 0, 0);
        final long expense = books(Account.COMMISSION_EXPENSE);
        final long operator = books(Account.OPERATOR_BANK);
        final int stan = t.stan;
        final int batch = t.state().terminal(TERMINAL).currentBatch();
        recharge(4_000);
        assertThat(t.out.fee).isEqualTo(40);
        final long rrn = t.out.rrn;
        final int auth = t.out.authCode;
        t.pos(r -> t.on(r.kind(PosKind.RECHARGE_VOID), TERMINAL).pan(card).amount(4_000).originalRrn(rrn)
                .originalAuthCode(auth).original(batch, stan, 0));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(books(Account.COMMISSION_EXPENSE)).isEqualTo(expense);
        assertThat(books(Account.OPERATOR_BANK)).isEqualTo(operator);
        assertThat(merchant().receivable()).isZero();
        assertThat(merchant().payable()).isZero();
        // The void reversed: the recharge and its commission take effect again.
        final int voidStan = t.stan - 1;
        t.pos(r -> r.kind(PosKind.REVERSAL).originalKind(PosKind.RECHARGE_VOID).terminalId(TERMINAL).merchantId(MERCHANT)
                .batch(batch).stan(voidStan).pan(card).amount(4_000));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(books(Account.COMMISSION_EXPENSE)).isEqualTo(expense + 40);
        assertThat(merchant().receivable()).isEqualTo(3_960);
        // A recharge reversed (0400) carries none either.
        final int second = t.stan;
        recharge(2_500);
        assertThat(t.out.fee).isEqualTo(25);
        t.pos(r -> r.kind(PosKind.REVERSAL).originalKind(PosKind.RECHARGE).terminalId(TERMINAL).merchantId(MERCHANT)
                .batch(batch).stan(second).pan(card).amount(2_500));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(books(Account.COMMISSION_EXPENSE)).isEqualTo(expense + 40);
        assertThat(merchant().receivable()).isEqualTo(3_960);
        assertThat(t.available(card)).isEqualTo(14_000);
    }

    @Test
    void aRechargeRuleNamesRechargesAlone() {
        t.admin("administrator", new PutFeeRule(1, MERCHANT, 0, PosKind.mask(PosKind.PURCHASE, PosKind.RECHARGE), 0, 0, 1,
                FeeMethod.PERCENT, 1_000, 0, 0, 0));
        assertThat(t.out.reason).isEqualTo(Reason.INVALID_ARGUMENT);
        assertThat(t.out.detail).contains("recharge alone");
        t.admin("administrator", new PutFeeRule(1, MERCHANT, 0, PosKind.mask(PosKind.RECHARGE_VOID), 0, 0, 1,
                FeeMethod.PERCENT, 1_000, 0, 0, 0));
        assertThat(t.out.reason).isEqualTo(Reason.INVALID_ARGUMENT);
    }
}
