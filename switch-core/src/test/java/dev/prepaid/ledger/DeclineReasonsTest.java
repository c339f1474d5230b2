package dev.prepaid.ledger;

import static dev.prepaid.ledger.TestLedger.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.command.AdminCommand.*;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.PosKind;
import dev.prepaid.command.PosRequest;
import dev.prepaid.command.Reason;
import dev.prepaid.merchant.DeployerShareMethod;
import dev.prepaid.merchant.MacAlgorithm;
import dev.prepaid.merchant.MerchantStatus;
import dev.prepaid.merchant.RefundFeePolicy;
import dev.prepaid.merchant.SettlementCycle;
import dev.prepaid.merchant.TerminalStatus;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every POS decline reason, one at a time: each test sets up the one condition, checks the reason and its
 * response code, and checks that nothing but the recorded decline changed.
 */
class DeclineReasonsTest {
    private TestLedger t;
    private String card;

    @BeforeEach
    void setUp() {
        t = TestLedger.standard();
        card = t.sell(ANON_BIN, 0, 50_000);
    }

    private void expect(final Reason reason, final String code, final Consumer<PosRequest> request) {
        final long available = t.available(card);
        final long payable = t.state().merchant(MERCHANT).payable();
        final Outcome out = t.pos(request);
        assertThat(out.reason).isEqualTo(reason);
        assertThat(out.responseCode().code).isEqualTo(code);
        assertThat(out.authCode).isEqualTo(-1);
        assertThat(t.available(card)).isEqualTo(available);
        assertThat(t.state().merchant(MERCHANT).payable()).isEqualTo(payable);
    }

    private Consumer<PosRequest> purchase(final String pan, final long amount) {
        return r -> t.on(r.kind(PosKind.PURCHASE), TERMINAL).pan(pan).amount(amount).pinCheck(PIN);
    }

    @Test
    void unknownKind() {
        expect(Reason.UNSUPPORTED_TRANSACTION, "40", r -> {
            t.on(r, TERMINAL).pan(card).amount(100);
            t.buffer.putByte(4, (byte) 99);
        });
    }

    @Test
    void terminalNotRegistered() {
        expect(Reason.TERMINAL_NOT_REGISTERED, "97", r -> r.kind(PosKind.PURCHASE).terminalId("99999999")
                .merchantId(MERCHANT).pan(card).amount(100));
    }

    @Test
    void terminalDisabled() {
        t.system(new UpsertTerminal(TERMINAL, MERCHANT, "SN", TerminalStatus.DISABLED, MacAlgorithm.CUP_ECB, "k", "",
                DeployerShareMethod.NONE, 0));
        expect(Reason.TERMINAL_DISABLED, "58", purchase(card, 100));
    }

    @Test
    void merchantIdMismatch() {
        expect(Reason.MERCHANT_ID_MISMATCH, "03", r -> t.on(r.kind(PosKind.PURCHASE), TERMINAL).merchantId(MERCHANT2)
                .pan(card).amount(100));
    }

    @Test
    void merchantNotActive() {
        t.system(new UpsertMerchant(MERCHANT, "Shop", "5411", MerchantStatus.SUSPENDED, SettlementCycle.T_PLUS_1, 1, 0,
                RefundFeePolicy.NONE, true, "6222", "Shop", "ICBC", "102100000001"));
        expect(Reason.MERCHANT_NOT_ACTIVE, "03", purchase(card, 100));
    }

    @Test
    void businessDayNotOpen() {
        final TestLedger fresh = new TestLedger(LedgerConfig.small());
        fresh.system(new UpsertIssuer(ISSUER, "I", "1"));
        fresh.system(cardType(ANONYMOUS, false));
        fresh.system(merchant(MERCHANT, SettlementCycle.T_PLUS_1, 1, 0));
        fresh.system(terminal(TERMINAL, MERCHANT));
        fresh.pos(r -> r.kind(PosKind.SIGN_ON).terminalId(TERMINAL).merchantId(MERCHANT));
        assertThat(fresh.out.reason).isEqualTo(Reason.BUSINESS_DAY_NOT_OPEN);
        assertThat(fresh.out.responseCode().code).isEqualTo("90");
    }

    @Test
    void terminalNotSignedOn() {
        t.pos(r -> r.kind(PosKind.SIGN_OFF).terminalId(TERMINAL).merchantId(MERCHANT));
        expect(Reason.TERMINAL_NOT_SIGNED_ON, "22", purchase(card, 100));
    }

    @Test
    void invalidBatchOrStan() {
        expect(Reason.INVALID_BATCH_OR_STAN, "30", r -> t.on(r.kind(PosKind.PURCHASE), TERMINAL).stan(1_000_000)
                .pan(card).amount(100));
    }

    @Test
    void batchNumberMismatch() {
        expect(Reason.BATCH_NUMBER_MISMATCH, "22", r -> t.on(r.kind(PosKind.PURCHASE), TERMINAL).batch(7).pan(card)
                .amount(100));
        assertThat(t.out.batch).isEqualTo(1);
    }

    @Test
    void currencyNotSupported() {
        expect(Reason.CURRENCY_NOT_SUPPORTED, "30", r -> purchase(card, 100).accept(r.currency(840)));
    }

    @Test
    void amountNotPositiveAndTooLarge() {
        expect(Reason.AMOUNT_NOT_POSITIVE, "13", purchase(card, 0));
        expect(Reason.AMOUNT_TOO_LARGE, "13", purchase(card, 1_000_000_000_000L));
    }

    @Test
    void cardNumberLengthCheckDigitBinAndIssue() {
        final String badCheck = card.substring(0, 15) + (char) ('0' + (card.charAt(15) - '0' + 1) % 10);
        expect(Reason.CARD_CHECK_DIGIT, "14", purchase(badCheck, 100));
        expect(Reason.CARD_NUMBER_LENGTH, "14", r -> t.on(r.kind(PosKind.PURCHASE), TERMINAL).amount(100));
        final String longer = pan17(ANON_BIN + "000000000");
        expect(Reason.CARD_NUMBER_LENGTH, "14", purchase(longer, 100));
        expect(Reason.CARD_BIN_UNKNOWN, "14", purchase(pan(ANON_BIN.replace('2', '7'), 0), 100));
        expect(Reason.CARD_NOT_ISSUED, "14", purchase(pan(ANON_BIN, 5_000_000), 100));
    }

    private static String pan17(final String body16) {
        return body16 + dev.prepaid.card.Pan.luhnCheckDigit(Long.parseLong(body16), body16.length());
    }

    @Test
    void cardStatuses() {
        expect(Reason.CARD_NOT_ACTIVATED, "21", purchase(pan(ANON_BIN, 10), 100));
        t.admin("clerk", new FreezeCard(card));
        expect(Reason.CARD_FROZEN, "62", purchase(card, 100));
        t.admin("clerk", new UnfreezeCard(card));
        t.admin("supervisor", new BlacklistCard(card));
        expect(Reason.CARD_BLACKLISTED, "43", purchase(card, 100));
        final String named = t.sell(NAMED_BIN, 0, 10_000);
        t.admin("clerk", new ReportLost(named));
        expect(Reason.CARD_LOST, "41", purchase(named, 100));
        final String fresh = pan(NAMED_BIN, 1);
        t.admin("clerk", new ReplaceCard(named, fresh));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        expect(Reason.CARD_REPLACED, "05", purchase(named, 100));
        final String returned = t.sell(NAMED_BIN, 2, 10_000);
        t.clock += 100L * 86_400_000L;
        t.system(new Cutover(20270601));
        t.admin("clerk", new ReturnCard(returned));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        expect(Reason.CARD_RETURNED, "05", purchase(returned, 100));
        final String cancelled = t.sell(ANON_BIN, 3, 10_000);
        t.admin("clerk", new CancelIssuance(cancelled));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        expect(Reason.CARD_CANCELLED, "05", purchase(cancelled, 100));
    }

    @Test
    void cardExpired() {
        t.system(new Cutover(20300101));
        expect(Reason.CARD_EXPIRED, "54", purchase(card, 100));
    }

    @Test
    void pinMissingWrongTriesAndLock() {
        expect(Reason.PIN_MISSING, "55", r -> t.on(r.kind(PosKind.PURCHASE), TERMINAL).pan(card).amount(100));
        expect(Reason.PIN_WRONG, "55", r -> t.on(r.kind(PosKind.PURCHASE), TERMINAL).pan(card).amount(100)
                .pinCheck(WRONG_PIN));
        expect(Reason.PIN_WRONG, "55", r -> t.on(r.kind(PosKind.PURCHASE), TERMINAL).pan(card).amount(100)
                .pinCheck(WRONG_PIN));
        expect(Reason.PIN_TRIES_EXCEEDED, "75", r -> t.on(r.kind(PosKind.PURCHASE), TERMINAL).pan(card).amount(100)
                .pinCheck(WRONG_PIN));
        expect(Reason.CARD_PIN_LOCKED, "62", purchase(card, 100));
        t.admin("clerk", new UnlockPin(card));
        assertThat(t.purchase(TERMINAL, card, 100).reason).isEqualTo(Reason.APPROVED);
    }

    @Test
    void pinLockEndsWithTheDay() {
        for (int i = 0; i < 3; i++) {
            t.pos(r -> t.on(r.kind(PosKind.PURCHASE), TERMINAL).pan(card).amount(100).pinCheck(WRONG_PIN));
        }
        expect(Reason.CARD_PIN_LOCKED, "62", purchase(card, 100));
        t.system(new Cutover(START_DATE + 1));
        assertThat(t.purchase(TERMINAL, card, 100).reason).isEqualTo(Reason.APPROVED);
    }

    @Test
    void pinNotSet() {
        final String noPin = pan(ANON_BIN, 20);
        t.admin("clerk", new SellCards(noPin, 1, 10_000, dev.prepaid.card.PaymentMethod.CASH,
                dev.prepaid.card.SalesChannel.COUNTER, dev.prepaid.card.BuyerKind.PERSON, "", "", "", "", "", "", ""));
        final long before = t.available(noPin);
        t.pos(r -> t.on(r.kind(PosKind.PURCHASE), TERMINAL).pan(noPin).amount(100).pinCheck(PIN));
        assertThat(t.out.reason).isEqualTo(Reason.PIN_NOT_SET);
        assertThat(t.available(noPin)).isEqualTo(before);
    }

    @Test
    void notPermittedForCardType() {
        final UpsertCardType noPurchase = new UpsertCardType(ANONYMOUS, "Gift", ISSUER, false, 0, 0, 0, 0, 500, 300, true,
                36, PosKind.mask(PosKind.RECHARGE, PosKind.BALANCE_INQUIRY), 0, 3, 0, 0, 0, 0, 0, 1, true);
        t.system(noPurchase);
        expect(Reason.NOT_PERMITTED_FOR_CARD_TYPE, "57", purchase(card, 100));
    }

    @Test
    void limitsOfTheCardType() {
        t.system(new UpsertCardType(ANONYMOUS, "Gift", ISSUER, false, 0, 0, 0, 0, 500, 300, true, 36,
                PosKind.allPermissionControlled(), 0, 3, 5_000, 8_000, 3, 11_000, 4, 1, true));
        expect(Reason.SINGLE_AMOUNT_LIMIT, "61", purchase(card, 5_001));
        assertThat(t.purchase(TERMINAL, card, 5_000).reason).isEqualTo(Reason.APPROVED);
        expect(Reason.DAILY_AMOUNT_LIMIT, "61", purchase(card, 3_001));
        assertThat(t.purchase(TERMINAL, card, 1_000).reason).isEqualTo(Reason.APPROVED);
        assertThat(t.purchase(TERMINAL, card, 1_000).reason).isEqualTo(Reason.APPROVED);
        expect(Reason.DAILY_COUNT_LIMIT, "65", purchase(card, 1));
        t.system(new Cutover(START_DATE + 1));
        expect(Reason.MONTHLY_AMOUNT_LIMIT, "61", purchase(card, 5_000));
        assertThat(t.purchase(TERMINAL, card, 1).reason).isEqualTo(Reason.APPROVED);
        expect(Reason.MONTHLY_COUNT_LIMIT, "65", purchase(card, 1));
        t.system(new Cutover(20261201));
        assertThat(t.purchase(TERMINAL, card, 5_000).reason).isEqualTo(Reason.APPROVED);
    }

    @Test
    void insufficientBalance() {
        expect(Reason.INSUFFICIENT_BALANCE, "51", purchase(card, 50_001));
    }

    @Test
    void balanceCapOnRecharge() {
        expect(Reason.BALANCE_CAP_EXCEEDED, "61", r -> t.on(r.kind(PosKind.RECHARGE), TERMINAL).pan(card).amount(50_001)
                .pinCheck(PIN));
    }

    @Test
    void rechargeCashLimitAndMerchantPermission() {
        t.system(new SetParameter("rechargeTransferThreshold", 10_000));
        expect(Reason.RECHARGE_CASH_LIMIT, "61", r -> t.on(r.kind(PosKind.RECHARGE), TERMINAL).pan(card).amount(10_000)
                .pinCheck(PIN));
        t.system(new UpsertMerchant(MERCHANT, "Shop", "5411", MerchantStatus.ACTIVE, SettlementCycle.T_PLUS_1, 1, 0,
                RefundFeePolicy.NONE, false, "6222", "Shop", "ICBC", "102100000001"));
        expect(Reason.RECHARGE_NOT_PERMITTED_AT_MERCHANT, "58", r -> t.on(r.kind(PosKind.RECHARGE), TERMINAL).pan(card)
                .amount(100).pinCheck(PIN));
    }

    @Test
    void cardNotRechargeable() {
        t.system(new UpsertCardType(ANONYMOUS, "Gift", ISSUER, false, 0, 0, 0, 0, 500, 300, false, 36,
                PosKind.allPermissionControlled(), 0, 3, 0, 0, 0, 0, 0, 1, true));
        expect(Reason.CARD_NOT_RECHARGEABLE, "57", r -> t.on(r.kind(PosKind.RECHARGE), TERMINAL).pan(card).amount(100)
                .pinCheck(PIN));
    }

    @Test
    void riskRulesFlagOrBlock() {
        t.system(new SetParameter("largeAmountThreshold", 10_000));
        assertThat(t.purchase(TERMINAL, card, 10_000).riskFlags & Outcome.FLAG_LARGE_AMOUNT).isNotZero();
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.state().review().size()).isEqualTo(1);
        t.system(new SetParameter("largeAmountBlocks", 1));
        expect(Reason.RISK_LARGE_AMOUNT, "34", purchase(card, 10_000));
        t.system(new SetParameter("largeAmountBlocks", 0));
        t.system(new SetParameter("declinesPerDayThreshold", 2));
        t.purchase(TERMINAL, card, 100_000);
        t.purchase(TERMINAL, card, 100_000);
        assertThat(t.purchase(TERMINAL, card, 100).riskFlags & Outcome.FLAG_MANY_DECLINES).isNotZero();
        t.system(new SetParameter("declinesBlock", 1));
        expect(Reason.RISK_TOO_MANY_DECLINES, "34", purchase(card, 100));
    }

    @Test
    void originalNotFoundKindDetailsAndAmounts() {
        final int batch = t.state().terminal(TERMINAL).currentBatch();
        expect(Reason.ORIGINAL_NOT_FOUND, "25", r -> t.on(r.kind(PosKind.PURCHASE_VOID), TERMINAL).pan(card).amount(100)
                .original(batch, 999, 0));
        final int stan = t.stan;
        t.pos(r -> t.on(r.kind(PosKind.RECHARGE), TERMINAL).pan(card).amount(1_000).pinCheck(PIN));
        final long rechargeRrn = t.out.rrn;
        expect(Reason.ORIGINAL_KIND_MISMATCH, "12", r -> t.on(r.kind(PosKind.PURCHASE_VOID), TERMINAL).pan(card)
                .amount(1_000).original(batch, stan, 0));
        expect(Reason.ORIGINAL_KIND_MISMATCH, "12", r -> t.on(r.kind(PosKind.REFUND), TERMINAL).amount(1_000)
                .originalRrn(rechargeRrn));
        final int declinedStan = t.stan;
        t.purchase(TERMINAL, card, 1_000_000);
        expect(Reason.ORIGINAL_NOT_APPROVED, "25", r -> t.on(r.kind(PosKind.PURCHASE_VOID), TERMINAL).pan(card)
                .amount(1_000_000).original(batch, declinedStan, 0));
        final int purchaseStan = t.stan;
        t.purchase(TERMINAL, card, 2_000);
        final long rrn = t.out.rrn;
        expect(Reason.ORIGINAL_DETAILS_MISMATCH, "25", r -> t.on(r.kind(PosKind.PURCHASE_VOID), TERMINAL).pan(card)
                .amount(2_000).original(batch, purchaseStan, 0).originalRrn(rrn + 1));
        expect(Reason.VOID_AMOUNT_DIFFERS, "64", r -> t.on(r.kind(PosKind.PURCHASE_VOID), TERMINAL).pan(card)
                .amount(2_001).original(batch, purchaseStan, 0));
        t.pos(r -> t.on(r.kind(PosKind.REFUND), TERMINAL).amount(500).originalRrn(rrn));
        expect(Reason.ORIGINAL_PARTLY_REFUNDED, "12", r -> t.on(r.kind(PosKind.PURCHASE_VOID), TERMINAL).pan(card)
                .amount(2_000).original(batch, purchaseStan, 0));
        expect(Reason.REFUND_EXCEEDS_ORIGINAL, "13", r -> t.on(r.kind(PosKind.REFUND), TERMINAL).amount(1_501)
                .originalRrn(rrn));
    }

    @Test
    void alreadyReversedAndVoided() {
        final int batch = t.state().terminal(TERMINAL).currentBatch();
        final int stan = t.stan;
        t.purchase(TERMINAL, card, 2_000);
        final long rrn = t.out.rrn;
        t.pos(r -> r.kind(PosKind.REVERSAL).originalKind(PosKind.PURCHASE).terminalId(TERMINAL).merchantId(MERCHANT)
                .batch(batch).stan(stan).pan(card).amount(2_000));
        expect(Reason.ORIGINAL_ALREADY_REVERSED, "12", r -> t.on(r.kind(PosKind.PURCHASE_VOID), TERMINAL).pan(card)
                .amount(2_000).original(batch, stan, 0));
        expect(Reason.ORIGINAL_ALREADY_REVERSED, "12", r -> t.on(r.kind(PosKind.REFUND), TERMINAL).amount(2_000)
                .originalRrn(rrn));
        final int second = t.stan;
        t.purchase(TERMINAL, card, 3_000);
        final long secondRrn = t.out.rrn;
        t.pos(r -> t.on(r.kind(PosKind.PURCHASE_VOID), TERMINAL).pan(card).amount(3_000).original(batch, second, 0));
        expect(Reason.ORIGINAL_ALREADY_VOIDED, "12", r -> t.on(r.kind(PosKind.REFUND), TERMINAL).amount(3_000)
                .originalRrn(secondRrn));
        expect(Reason.ORIGINAL_ALREADY_VOIDED, "12", r -> r.kind(PosKind.REVERSAL).originalKind(PosKind.PURCHASE)
                .terminalId(TERMINAL).merchantId(MERCHANT).batch(batch).stan(second).pan(card).amount(3_000));
    }

    @Test
    void refundWindowAndOtherMerchant() {
        t.purchase(TERMINAL, card, 2_000);
        final long rrn = t.out.rrn;
        expect(Reason.ORIGINAL_OTHER_MERCHANT, "25", r -> t.on(r.kind(PosKind.REFUND), TERMINAL2).amount(100)
                .originalRrn(rrn));
        t.system(new Cutover(20261231));
        expect(Reason.ORIGINAL_OUTSIDE_REFUND_WINDOW, "12", r -> t.on(r.kind(PosKind.REFUND), TERMINAL).amount(100)
                .originalRrn(rrn));
    }

    @Test
    void completionAndCancelRules() {
        final int batch = t.state().terminal(TERMINAL).currentBatch();
        expect(Reason.ORIGINAL_NOT_FOUND, "25", r -> t.on(r.kind(PosKind.COMPLETION), TERMINAL).pan(card).amount(100)
                .original(batch, 4242, 0));
        final int stan = t.stan;
        t.pos(r -> t.on(r.kind(PosKind.PREAUTH), TERMINAL).pan(card).amount(5_000).pinCheck(PIN));
        final int auth = t.out.authCode;
        expect(Reason.ORIGINAL_DETAILS_MISMATCH, "25", r -> t.on(r.kind(PosKind.COMPLETION), TERMINAL).pan(card)
                .amount(100).original(batch, stan, 0).originalAuthCode(auth + 1));
        expect(Reason.COMPLETION_EXCEEDS_HOLD, "13", r -> t.on(r.kind(PosKind.COMPLETION), TERMINAL).pan(card)
                .amount(5_001).original(batch, stan, 0).originalAuthCode(auth));
        expect(Reason.VOID_AMOUNT_DIFFERS, "64", r -> t.on(r.kind(PosKind.PREAUTH_CANCEL), TERMINAL).pan(card)
                .amount(4_999).original(batch, stan, 0).originalAuthCode(auth));
        t.pos(r -> t.on(r.kind(PosKind.PREAUTH_CANCEL), TERMINAL).pan(card).amount(5_000).original(batch, stan, 0)
                .originalAuthCode(auth));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        expect(Reason.PREAUTH_NOT_OPEN, "12", r -> t.on(r.kind(PosKind.COMPLETION), TERMINAL).pan(card).amount(100)
                .original(batch, stan, 0).originalAuthCode(auth));
    }

    @Test
    void holdTableFull() {
        final TestLedger small = new TestLedger(new LedgerConfig(1_000, 1 << 10, 2, 10, 10, 10, 10, 4, 10, 10, 16, 16, 16, 100));
        small.system(new Cutover(START_DATE));
        small.system(new UpsertIssuer(ISSUER, "I", "1"));
        small.system(cardType(ANONYMOUS, false));
        small.system(new UpsertBinRange(ANON_BIN, 16, ANONYMOUS, 0, 9_999));
        small.system(merchant(MERCHANT, SettlementCycle.T_PLUS_1, 1, 0));
        small.system(terminal(TERMINAL, MERCHANT));
        small.system(new UpsertOperator("clerk", "C", dev.prepaid.operator.Role.CLERK, "",
                dev.prepaid.operator.OperatorStatus.ACTIVE, "h"));
        small.system(new GenerateCards(ANON_BIN, 16, 5));
        final String pan = small.sell(ANON_BIN, 0, 50_000);
        small.pos(r -> r.kind(PosKind.SIGN_ON).terminalId(TERMINAL).merchantId(MERCHANT));
        for (int i = 0; i < 2; i++) {
            small.pos(r -> small.on(r.kind(PosKind.PREAUTH), TERMINAL).pan(pan).amount(100).pinCheck(PIN));
            assertThat(small.out.reason).isEqualTo(Reason.APPROVED);
        }
        small.pos(r -> small.on(r.kind(PosKind.PREAUTH), TERMINAL).pan(pan).amount(100).pinCheck(PIN));
        assertThat(small.out.reason).isEqualTo(Reason.HOLD_TABLE_FULL);
        assertThat(small.out.responseCode().code).isEqualTo("96");
    }

    @Test
    void batchUploadWithoutSettlement() {
        expect(Reason.NO_SETTLED_BATCH_TO_UPLOAD, "12", r -> t.on(r.kind(PosKind.BATCH_UPLOAD), TERMINAL)
                .originalKind(PosKind.PURCHASE));
    }

    @Test
    void reversalOfAnUnknownKind() {
        expect(Reason.UNSUPPORTED_TRANSACTION, "40", r -> r.kind(PosKind.REVERSAL).originalKind(PosKind.SIGN_ON)
                .terminalId(TERMINAL).merchantId(MERCHANT).batch(1).stan(5));
    }

    @Test
    void reversalWithDifferentDetails() {
        final int batch = t.state().terminal(TERMINAL).currentBatch();
        final int stan = t.stan;
        t.purchase(TERMINAL, card, 2_000);
        expect(Reason.ORIGINAL_DETAILS_MISMATCH, "25", r -> r.kind(PosKind.REVERSAL).originalKind(PosKind.PURCHASE)
                .terminalId(TERMINAL).merchantId(MERCHANT).batch(batch).stan(stan).pan(card).amount(2_001));
    }

    @Test
    void duplicateRequestIdOfAnotherAdminCommand() {
        t.admin("clerk", 777, new FreezeCard(card));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        t.admin("clerk", 777, new FreezeCard(card));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.out.duplicate).isTrue();
        t.admin("clerk", 777, new UnfreezeCard(card));
        assertThat(t.out.reason).isEqualTo(Reason.DUPLICATE_REQUEST_DIFFERENT);
        assertThat(t.state().cards().status(t.card(card))).isEqualTo(dev.prepaid.card.CardStatus.FROZEN);
    }

    /**
     * The I/O thread checked the track's CVN with the keys of the card type its BIN table named; when the
     * ledger's card is of another type (the range changed in between), the CVN was never checked for it.
     */
    @Test
    void cardDataCheckedForAnotherCardType() {
        final int type = t.state().cards().cardType(t.card(card));
        expect(Reason.CARD_CHECKED_FOR_ANOTHER_TYPE, "96", r -> purchase(card, 100).accept(r.cardPresent(true)
                .checkedCardType(type == ANONYMOUS ? NAMED : ANONYMOUS)));
        expect(Reason.CARD_CHECKED_FOR_ANOTHER_TYPE, "96", r -> purchase(card, 100).accept(r.cardPresent(true)
                .checkedCardType(0)));
        assertThat(t.pos(r -> purchase(card, 100).accept(r.cardPresent(true).checkedCardType(type))).reason)
                .isEqualTo(Reason.APPROVED);
        // A request journaled before the type was stated (flag 4 clear) is read as it was then.
        assertThat(t.pos(r -> purchase(card, 100).accept(r.cardPresent(true))).reason).isEqualTo(Reason.APPROVED);
    }
}
