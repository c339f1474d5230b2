package dev.prepaid.ledger;

import static dev.prepaid.ledger.TestLedger.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.command.Outcome;
import dev.prepaid.command.PosKind;
import dev.prepaid.command.Reason;
import dev.prepaid.merchant.Terminal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One scenario per POS flow of pos-iso8583 §4, through the ledger alone. */
class PosFlowTest {
    private TestLedger t;
    private String card;

    @BeforeEach
    void setUp() {
        t = TestLedger.standard();
        card = t.sell(ANON_BIN, 0, 50_000);
    }

    private Terminal terminal() {
        return t.state().terminal(TERMINAL);
    }

    @Test
    void purchaseDebitsTheCardCreditsTheMerchantAndCountsInTheBatch() {
        final Outcome out = t.purchase(TERMINAL, card, 12_345);
        assertThat(out.reason).isEqualTo(Reason.APPROVED);
        assertThat(out.rrn).isPositive();
        assertThat(out.authCode).isBetween(1, 999_999);
        assertThat(out.availableBalance).isEqualTo(50_000 - 12_345);
        assertThat(out.ledgerBalance).isEqualTo(50_000 - 12_345);
        assertThat(t.state().merchant(MERCHANT).payable()).isEqualTo(12_345);
        assertThat(terminal().debitAmount()).isEqualTo(12_345);
        assertThat(terminal().debitCount()).isEqualTo(1);
        assertThat(t.state().books().balance(Account.MERCHANT_PAYABLE)).isEqualTo(12_345);
    }

    @Test
    void repeatedRequestGetsTheFirstAnswerAndChangesNothing() {
        final int stan = t.nextStan();
        final int batch = terminal().currentBatch();
        t.pos(r -> r.kind(PosKind.PURCHASE).terminalId(TERMINAL).merchantId(MERCHANT).batch(batch).stan(stan).pan(card)
                .amount(1_000).pinCheck(PIN));
        final long rrn = t.out.rrn;
        final int auth = t.out.authCode;
        t.pos(r -> r.kind(PosKind.PURCHASE).terminalId(TERMINAL).merchantId(MERCHANT).batch(batch).stan(stan).pan(card)
                .amount(1_000).pinCheck(PIN));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.out.duplicate).isTrue();
        assertThat(t.out.rrn).isEqualTo(rrn);
        assertThat(t.out.authCode).isEqualTo(auth);
        assertThat(t.out.availableBalance).isEqualTo(49_000);
        assertThat(t.available(card)).isEqualTo(49_000);
        t.pos(r -> r.kind(PosKind.PURCHASE).terminalId(TERMINAL).merchantId(MERCHANT).batch(batch).stan(stan).pan(card)
                .amount(2_000).pinCheck(PIN));
        assertThat(t.out.reason).isEqualTo(Reason.DUPLICATE_WITH_DIFFERENT_CONTENT);
        assertThat(t.out.responseCode().code).isEqualTo("94");
        assertThat(t.available(card)).isEqualTo(49_000);
    }

    @Test
    void voidRestoresThePurchaseOnceAndOnlyInTheOpenBatch() {
        final int stan = t.stan;
        t.purchase(TERMINAL, card, 3_000);
        final long rrn = t.out.rrn;
        final int auth = t.out.authCode;
        final int batch = terminal().currentBatch();
        t.pos(r -> t.on(r.kind(PosKind.PURCHASE_VOID), TERMINAL).pan(card).amount(2_999).originalRrn(rrn)
                .originalAuthCode(auth).original(batch, stan, 0));
        assertThat(t.out.reason).isEqualTo(Reason.VOID_AMOUNT_DIFFERS);
        t.pos(r -> t.on(r.kind(PosKind.PURCHASE_VOID), TERMINAL).pan(card).amount(3_000).originalRrn(rrn)
                .originalAuthCode(auth).original(batch, stan, 0));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.available(card)).isEqualTo(50_000);
        assertThat(terminal().debitCount()).isZero();
        assertThat(terminal().debitAmount()).isZero();
        assertThat(t.state().merchant(MERCHANT).payable()).isZero();
        t.pos(r -> t.on(r.kind(PosKind.PURCHASE_VOID), TERMINAL).pan(card).amount(3_000).originalRrn(rrn)
                .originalAuthCode(auth).original(batch, stan, 0));
        assertThat(t.out.reason).isEqualTo(Reason.ORIGINAL_ALREADY_VOIDED);
    }

    @Test
    void voidAfterSettlementIsRefusedButRefundWorks() {
        final int stan = t.stan;
        t.purchase(TERMINAL, card, 3_000);
        final long rrn = t.out.rrn;
        final int auth = t.out.authCode;
        final int batch = terminal().currentBatch();
        t.pos(r -> t.on(r.kind(PosKind.BATCH_SETTLEMENT), TERMINAL).settlementTotals(3_000, 1, 0, 0));
        assertThat(t.out.settlementFlag).isEqualTo(1);
        t.pos(r -> t.on(r.kind(PosKind.PURCHASE_VOID), TERMINAL).pan(card).amount(3_000).originalRrn(rrn)
                .originalAuthCode(auth).original(batch, stan, 0));
        assertThat(t.out.reason).isEqualTo(Reason.ORIGINAL_BATCH_SETTLED);
        assertThat(t.out.responseCode().code).isEqualTo("12");
        t.pos(r -> t.on(r.kind(PosKind.REVERSAL).originalKind(PosKind.PURCHASE), TERMINAL).batch(batch).stan(stan)
                .pan(card).amount(3_000));
        assertThat(t.out.reason).isEqualTo(Reason.ORIGINAL_BATCH_SETTLED);
        t.pos(r -> t.on(r.kind(PosKind.REFUND), TERMINAL).pan(card).amount(3_000).originalRrn(rrn).original(batch, stan, 1123));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.available(card)).isEqualTo(50_000);
    }

    @Test
    void refundsArePartialRepeatedAndNeverExceedTheOriginal() {
        t.purchase(TERMINAL, card, 10_000);
        final long rrn = t.out.rrn;
        t.pos(r -> t.on(r.kind(PosKind.REFUND), TERMINAL_B).amount(4_000).originalRrn(rrn));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        t.pos(r -> t.on(r.kind(PosKind.REFUND), TERMINAL).amount(6_001).originalRrn(rrn));
        assertThat(t.out.reason).isEqualTo(Reason.REFUND_EXCEEDS_ORIGINAL);
        t.pos(r -> t.on(r.kind(PosKind.REFUND), TERMINAL).amount(6_000).originalRrn(rrn));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.available(card)).isEqualTo(50_000);
        assertThat(t.state().merchant(MERCHANT).payable()).isZero();
        assertThat(terminal().creditAmount()).isEqualTo(6_000);
        assertThat(t.state().terminal(TERMINAL_B).creditAmount()).isEqualTo(4_000);
        t.pos(r -> t.on(r.kind(PosKind.REFUND), TERMINAL).amount(1).originalRrn(rrn));
        assertThat(t.out.reason).isEqualTo(Reason.REFUND_EXCEEDS_ORIGINAL);
    }

    @Test
    void refundAtAnotherMerchantIsNotFound() {
        t.purchase(TERMINAL, card, 10_000);
        final long rrn = t.out.rrn;
        t.pos(r -> t.on(r.kind(PosKind.REFUND), TERMINAL2).amount(1_000).originalRrn(rrn));
        assertThat(t.out.reason).isEqualTo(Reason.ORIGINAL_OTHER_MERCHANT);
        assertThat(t.out.responseCode().code).isEqualTo("25");
    }

    @Test
    void refundReChecksTheBalanceCap() {
        final String full = t.sell(ANON_BIN, 1, 100_000);
        t.purchase(TERMINAL, full, 10_000);
        final long rrn = t.out.rrn;
        t.pos(r -> t.on(r.kind(PosKind.RECHARGE), TERMINAL).pan(full).amount(10_000).pinCheck(PIN));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        t.pos(r -> t.on(r.kind(PosKind.REFUND), TERMINAL).amount(1).originalRrn(rrn));
        assertThat(t.out.reason).isEqualTo(Reason.BALANCE_CAP_EXCEEDED);
    }

    @Test
    void refundMerchantShortGoesToReceivable() {
        t.purchase(TERMINAL, card, 10_000);
        final long rrn = t.out.rrn;
        final String other = t.sell(ANON_BIN, 2, 50_000);
        t.pos(r -> t.on(r.kind(PosKind.RECHARGE), TERMINAL).pan(other).amount(9_000).pinCheck(PIN));
        assertThat(t.state().merchant(MERCHANT).payable()).isEqualTo(1_000);
        t.pos(r -> t.on(r.kind(PosKind.REFUND), TERMINAL).amount(10_000).originalRrn(rrn));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.state().merchant(MERCHANT).payable()).isZero();
        assertThat(t.state().merchant(MERCHANT).receivable()).isEqualTo(9_000);
    }

    @Test
    void rechargeAndItsVoid() {
        final int stan = t.stan;
        t.pos(r -> t.on(r.kind(PosKind.RECHARGE), TERMINAL).pan(card).amount(20_000).pinCheck(PIN));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.out.availableBalance).isEqualTo(70_000);
        assertThat(terminal().creditAmount()).isEqualTo(20_000);
        final long rrn = t.out.rrn;
        final int auth = t.out.authCode;
        final int batch = terminal().currentBatch();
        t.pos(r -> t.on(r.kind(PosKind.RECHARGE_VOID), TERMINAL).pan(card).amount(20_000).originalRrn(rrn)
                .originalAuthCode(auth).original(batch, stan, 0));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.available(card)).isEqualTo(50_000);
        assertThat(terminal().creditAmount()).isZero();
    }

    @Test
    void balanceInquiryAnswersBothBalances() {
        final int preauthStan = t.stan;
        t.pos(r -> t.on(r.kind(PosKind.PREAUTH), TERMINAL).pan(card).amount(5_000).pinCheck(PIN).conditionCode(6));
        t.pos(r -> t.on(r.kind(PosKind.BALANCE_INQUIRY), TERMINAL).pan(card).pinCheck(PIN));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.out.availableBalance).isEqualTo(45_000);
        assertThat(t.out.ledgerBalance).isEqualTo(50_000);
        assertThat(preauthStan).isPositive();
    }

    @Test
    void preauthorisationHoldsAndCompletionReleasesTheRest() {
        final int stan = t.stan;
        t.pos(r -> t.on(r.kind(PosKind.PREAUTH), TERMINAL).pan(card).amount(10_000).pinCheck(PIN).conditionCode(6));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        final int auth = t.out.authCode;
        final int batch = terminal().currentBatch();
        assertThat(t.available(card)).isEqualTo(40_000);
        assertThat(t.holds(card)).isEqualTo(10_000);
        t.pos(r -> t.on(r.kind(PosKind.COMPLETION), TERMINAL).pan(card).amount(10_001).originalAuthCode(auth)
                .original(batch, stan, 0));
        assertThat(t.out.reason).isEqualTo(Reason.COMPLETION_EXCEEDS_HOLD);
        final int completionStan = t.stan;
        t.pos(r -> t.on(r.kind(PosKind.COMPLETION), TERMINAL).pan(card).amount(7_000).originalAuthCode(auth)
                .original(batch, stan, 0));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.available(card)).isEqualTo(43_000);
        assertThat(t.holds(card)).isZero();
        assertThat(t.state().merchant(MERCHANT).payable()).isEqualTo(7_000);
        assertThat(terminal().debitAmount()).isEqualTo(7_000);
        final long completionRrn = t.out.rrn;
        final int completionAuth = t.out.authCode;
        t.pos(r -> t.on(r.kind(PosKind.COMPLETION), TERMINAL).pan(card).amount(1_000).originalAuthCode(auth)
                .original(batch, stan, 0));
        assertThat(t.out.reason).isEqualTo(Reason.PREAUTH_NOT_OPEN);
        // Voiding the completion brings the hold back.
        t.pos(r -> t.on(r.kind(PosKind.COMPLETION_VOID), TERMINAL).pan(card).amount(7_000).originalRrn(completionRrn)
                .originalAuthCode(completionAuth).original(batch, completionStan, 0));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.available(card)).isEqualTo(40_000);
        assertThat(t.holds(card)).isEqualTo(10_000);
        assertThat(terminal().debitAmount()).isZero();
        // And the pre-authorisation can then be cancelled.
        t.pos(r -> t.on(r.kind(PosKind.PREAUTH_CANCEL), TERMINAL).pan(card).amount(10_000).originalAuthCode(auth)
                .original(batch, stan, 0));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.available(card)).isEqualTo(50_000);
        assertThat(t.holds(card)).isZero();
    }

    @Test
    void holdsExpireThroughTheTimerCommand() {
        t.pos(r -> t.on(r.kind(PosKind.PREAUTH), TERMINAL).pan(card).amount(10_000).pinCheck(PIN).conditionCode(6));
        t.system(new dev.prepaid.command.AdminCommand.ExpireHolds());
        assertThat(t.out.value1).isZero();
        t.clock += 31L * 24 * 3_600_000L;
        t.system(new dev.prepaid.command.AdminCommand.ExpireHolds());
        assertThat(t.out.value1).isEqualTo(1);
        assertThat(t.holds(card)).isZero();
        assertThat(t.available(card)).isEqualTo(50_000);
    }

    @Test
    void reversalUndoesOnceAndIsIdempotent() {
        final int stan = t.stan;
        final int batch = terminal().currentBatch();
        t.purchase(TERMINAL, card, 8_000);
        for (int i = 0; i < 2; i++) {
            t.pos(r -> r.kind(PosKind.REVERSAL).originalKind(PosKind.PURCHASE).terminalId(TERMINAL).merchantId(MERCHANT)
                    .batch(batch).stan(stan).pan(card).amount(8_000).reversalReason('9', '8'));
            assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
            assertThat(t.available(card)).isEqualTo(50_000);
            assertThat(terminal().debitCount()).isZero();
        }
    }

    @Test
    void reversalBeforeItsOriginalDeclinesTheLateOriginal() {
        final int stan = t.nextStan();
        final int batch = terminal().currentBatch();
        t.pos(r -> r.kind(PosKind.REVERSAL).originalKind(PosKind.PURCHASE).terminalId(TERMINAL).merchantId(MERCHANT)
                .batch(batch).stan(stan).pan(card).amount(8_000));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        t.pos(r -> r.kind(PosKind.PURCHASE).terminalId(TERMINAL).merchantId(MERCHANT).batch(batch).stan(stan).pan(card)
                .amount(8_000).pinCheck(PIN));
        assertThat(t.out.reason).isEqualTo(Reason.ORIGINAL_REVERSED_BEFORE_ARRIVAL);
        assertThat(t.out.responseCode().code).isEqualTo("25");
        assertThat(t.available(card)).isEqualTo(50_000);
    }

    @Test
    void reversingAVoidRestoresThePurchase() {
        final int stan = t.stan;
        t.purchase(TERMINAL, card, 3_000);
        final long rrn = t.out.rrn;
        final int auth = t.out.authCode;
        final int batch = terminal().currentBatch();
        final int voidStan = t.stan;
        t.pos(r -> t.on(r.kind(PosKind.PURCHASE_VOID), TERMINAL).pan(card).amount(3_000).originalRrn(rrn)
                .originalAuthCode(auth).original(batch, stan, 0));
        assertThat(t.available(card)).isEqualTo(50_000);
        t.pos(r -> r.kind(PosKind.REVERSAL).originalKind(PosKind.PURCHASE_VOID).terminalId(TERMINAL).merchantId(MERCHANT)
                .batch(batch).stan(voidStan).pan(card).amount(3_000).original(batch, stan, 0));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.available(card)).isEqualTo(47_000);
        assertThat(terminal().debitAmount()).isEqualTo(3_000);
        assertThat(t.state().merchant(MERCHANT).payable()).isEqualTo(3_000);
    }

    @Test
    void settlementComparesTotalsAndClosesTheBatch() {
        t.purchase(TERMINAL, card, 1_000);
        t.purchase(TERMINAL, card, 2_000);
        t.pos(r -> t.on(r.kind(PosKind.RECHARGE), TERMINAL).pan(card).amount(500).pinCheck(PIN));
        final int batch = terminal().currentBatch();
        t.pos(r -> t.on(r.kind(PosKind.BATCH_SETTLEMENT), TERMINAL).settlementTotals(3_000, 2, 500, 1));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.out.settlementFlag).isEqualTo(1);
        assertThat(terminal().currentBatch()).isEqualTo(batch + 1);
        assertThat(terminal().settledBatch()).isEqualTo(batch);

        t.purchase(TERMINAL, card, 1_000);
        final int next = terminal().currentBatch();
        t.pos(r -> t.on(r.kind(PosKind.BATCH_SETTLEMENT), TERMINAL).settlementTotals(999, 1, 0, 0));
        assertThat(t.out.settlementFlag).isEqualTo(2);
        assertThat(terminal().currentBatch()).isEqualTo(next + 1);
        t.pos(r -> t.on(r.kind(PosKind.BATCH_UPLOAD), TERMINAL).batch(next).originalKind(PosKind.PURCHASE));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        t.pos(r -> t.on(r.kind(PosKind.BATCH_UPLOAD_END), TERMINAL).batch(next).uploadCount(1));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.out.value1).isEqualTo(1);
        // The same settlement again answers the stored result without closing another batch.
        t.pos(r -> t.on(r.kind(PosKind.BATCH_SETTLEMENT), TERMINAL).batch(next).settlementTotals(999, 1, 0, 0));
        assertThat(t.out.settlementFlag).isEqualTo(2);
        assertThat(terminal().currentBatch()).isEqualTo(next + 1);
    }

    @Test
    void signOnGivesTheBatchAndSignOffStopsTransactions() {
        t.pos(r -> r.kind(PosKind.SIGN_OFF).terminalId(TERMINAL).merchantId(MERCHANT));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        t.purchase(TERMINAL, card, 1_000);
        assertThat(t.out.reason).isEqualTo(Reason.TERMINAL_NOT_SIGNED_ON);
        t.pos(r -> r.kind(PosKind.SIGN_ON).terminalId(TERMINAL).merchantId(MERCHANT));
        assertThat(t.out.batch).isEqualTo(terminal().currentBatch());
        t.purchase(TERMINAL, card, 1_000);
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
    }
}
