package dev.prepaid.ledger;

import static dev.prepaid.ledger.TestLedger.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.clearing.SettlementBatch;
import dev.prepaid.command.AdminCommand.*;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.PosKind;
import dev.prepaid.command.Reason;
import dev.prepaid.fee.FeeMethod;
import dev.prepaid.merchant.Merchant;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Purchases and recharges settled separately where a merchant's contract says so (SET_RECHARGE_SETTLEMENT): the cash
 * of a POS recharge is a receivable of its own (1122, recharge cash), collected by the settlement batch beside the
 * payout, never netted against what the merchant is owed for purchases. Without it nothing changes.
 */
class RechargesApartTest {
    private TestLedger t;
    private String card;

    @BeforeEach
    void setUp() {
        t = TestLedger.standard();
        card = t.sell(ANON_BIN, 0, 20_000);
    }

    private Merchant merchant() {
        return t.state().merchant(MERCHANT);
    }

    private long books(final Account account) {
        return t.state().books().balance(account);
    }

    private int stanOfNext;
    private int batchOfNext;

    private Outcome recharge(final long amount) {
        stanOfNext = t.stan;
        batchOfNext = t.state().terminal(TERMINAL).currentBatch();
        return t.pos(r -> t.on(r.kind(PosKind.RECHARGE), TERMINAL).pan(card).amount(amount).pinCheck(PIN));
    }

    private void apart(final boolean separate) {
        t.admin("administrator", new SetRechargeSettlement(MERCHANT, separate));
        assertThat(t.out.reason).as(t.out.toString()).isEqualTo(Reason.APPROVED);
    }

    private SettlementBatch prepare() {
        t.admin("finance", new PrepareSettlement());
        assertThat(t.out.reason).as(t.out.toString()).isEqualTo(Reason.APPROVED);
        return t.state().settlements().get(t.out.value1);
    }

    private void approve(final SettlementBatch batch) {
        t.admin("finance2", new Approve(batch.id()));
        assertThat(t.out.reason).as(t.out.toString()).isEqualTo(Reason.APPROVED);
    }

    @Test
    void withoutTheContractARechargeIsNettedAgainstThePayableAsBefore() {
        t.purchase(TERMINAL, card, 10_000);
        recharge(3_000);
        assertThat(merchant().payable()).isEqualTo(7_000);
        assertThat(merchant().rechargeReceivable()).isZero();
        t.system(new Cutover(20261124));
        final SettlementBatch batch = prepare();
        assertThat(batch.amount(0)).isEqualTo(7_000);
        assertThat(batch.collection(0)).isZero();
        assertThat(batch.collects()).isFalse();
    }

    @Test
    void withItThePayoutAndTheCollectionAreSettledEachOnItsOwn() {
        apart(true);
        t.purchase(TERMINAL, card, 10_000);
        recharge(3_000);
        assertThat(merchant().payable()).as("not netted").isEqualTo(10_000);
        assertThat(merchant().receivable()).isZero();
        assertThat(merchant().rechargeReceivable()).isEqualTo(3_000);
        assertThat(books(Account.MERCHANT_RECEIVABLE)).isEqualTo(3_000);
        t.system(new Cutover(20261124));
        final long custody = books(Account.CUSTODY);
        final SettlementBatch batch = prepare();
        assertThat(batch.lines()).isEqualTo(1);
        assertThat(batch.amount(0)).isEqualTo(10_000);
        assertThat(batch.collection(0)).isEqualTo(3_000);
        assertThat(batch.total()).isEqualTo(10_000);
        assertThat(batch.collectionTotal()).isEqualTo(3_000);
        approve(batch);
        assertThat(merchant().payable()).isZero();
        assertThat(merchant().rechargeReceivable()).isZero();
        assertThat(batch.lineState(0)).isEqualTo(SettlementBatch.LINE_SENT);
        assertThat(batch.collectionState(0)).isEqualTo(SettlementBatch.COLLECTION_SENT);
        assertThat(books(Account.CLEARING_IN_TRANSIT)).as("payout out, collection in").isEqualTo(3_000 - 10_000);
        t.admin("finance", new RecordPayoutResult(batch.id(), MERCHANT, true, "PAY1"));
        assertThat(batch.resolved()).isFalse();
        t.admin("finance", new RecordCollectionResult(batch.id(), MERCHANT, true, "COL1"));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.out.value1).isEqualTo(3_000);
        assertThat(batch.collectionState(0)).isEqualTo(SettlementBatch.COLLECTED);
        assertThat(batch.collectionReference(0)).isEqualTo("COL1");
        assertThat(batch.resolved()).isTrue();
        assertThat(books(Account.CLEARING_IN_TRANSIT)).isZero();
        assertThat(books(Account.CUSTODY)).isEqualTo(custody - 10_000 + 3_000);
        t.admin("finance", new RecordCollectionResult(batch.id(), MERCHANT, true, "COL1"));
        assertThat(t.out.reason).isEqualTo(Reason.COLLECTION_ALREADY_RECORDED);
    }

    @Test
    void todaysRechargesWaitForTheCycleAndACollectionOnlyLinePaysNothing() {
        apart(true);
        t.admin("administrator", new PutFeeRule(1, MERCHANT, 0, PosKind.mask(PosKind.RECHARGE), 0, 0, 1, FeeMethod.FIXED,
                0, 100, 0, 0));
        recharge(3_000);
        assertThat(merchant().rechargeReceivable()).as("less the commission").isEqualTo(2_900);
        t.admin("finance", new PrepareSettlement());
        assertThat(t.out.reason).as("today's recharge cash is T+1 too").isEqualTo(Reason.NOTHING_TO_SETTLE);
        t.system(new Cutover(20261124));
        recharge(1_000);
        final SettlementBatch batch = prepare();
        assertThat(batch.amount(0)).isZero();
        assertThat(batch.collection(0)).isEqualTo(2_900);
        approve(batch);
        assertThat(batch.lineState(0)).isEqualTo(SettlementBatch.LINE_NONE);
        assertThat(merchant().rechargeReceivable()).isEqualTo(900);
        t.admin("finance", new RecordPayoutResult(batch.id(), MERCHANT, true, "X"));
        assertThat(t.out.reason).isEqualTo(Reason.PAYOUT_NOT_IN_BATCH);
        // A failed collection is owed again, and due at once.
        t.admin("finance", new RecordCollectionResult(batch.id(), MERCHANT, false, "NO FUNDS"));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(merchant().rechargeReceivable()).isEqualTo(3_800);
        assertThat(batch.resolved()).isTrue();
        t.system(new Cutover(20261125));
        assertThat(prepare().collection(0)).isEqualTo(3_800);
    }

    @Test
    void aReviewHoldsThePayoutButNotTheCollection() {
        apart(true);
        t.purchase(TERMINAL, card, 5_000);
        recharge(2_000);
        t.system(new SetMerchantReview(MERCHANT, true));
        t.system(new Cutover(20261124));
        final SettlementBatch batch = prepare();
        assertThat(batch.amount(0)).isZero();
        assertThat(batch.collection(0)).isEqualTo(2_000);
        approve(batch);
        assertThat(merchant().payable()).isEqualTo(5_000);
    }

    @Test
    void aVoidAfterPreparationMakesTheBatchStaleAndAVoidAfterCollectionIsOwedBack() {
        apart(true);
        recharge(2_000);
        final long rrn = t.out.rrn;
        final int auth = t.out.authCode;
        final int stan = stanOfNext;
        final int batchNo = batchOfNext;
        recharge(1_500);
        final long rrn2 = t.out.rrn;
        final int auth2 = t.out.authCode;
        final int stan2 = stanOfNext;
        t.system(new Cutover(20261124));
        final SettlementBatch stale = prepare();
        assertThat(stale.collection(0)).isEqualTo(3_500);
        t.pos(r -> t.on(r.kind(PosKind.RECHARGE_VOID), TERMINAL).pan(card).amount(2_000).originalRrn(rrn)
                .originalAuthCode(auth).original(batchNo, stan, 0));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(merchant().rechargeReceivable()).isEqualTo(1_500);
        t.admin("finance2", new Approve(stale.id()));
        assertThat(t.out.reason).isEqualTo(Reason.SETTLEMENT_STALE);
        t.admin("finance", new Reject(stale.id()));
        final SettlementBatch batch = prepare();
        assertThat(batch.collection(0)).isEqualTo(1_500);
        approve(batch);
        // The second recharge is collected, then voided (its terminal batch is still open): the cash comes back to
        // the merchant as something it is owed.
        t.pos(r -> t.on(r.kind(PosKind.RECHARGE_VOID), TERMINAL).pan(card).amount(1_500).originalRrn(rrn2)
                .originalAuthCode(auth2).original(batchNo, stan2, 0));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(merchant().rechargeReceivable()).isZero();
        assertThat(merchant().payable()).isEqualTo(1_500);
        assertThat(t.available(card)).isEqualTo(20_000);
    }

    @Test
    void theTermsDecideNewRechargesAndAnUndoFollowsHowItsOriginalWasBooked() {
        t.purchase(TERMINAL, card, 5_000);
        recharge(1_000);                                    // netted
        final int stan = stanOfNext;
        final int batchNo = batchOfNext;
        apart(true);
        t.admin("administrator", new SetRechargeSettlement(MERCHANT, true));
        assertThat(t.out.value1).as("already so").isZero();
        recharge(2_000);                                    // apart
        assertThat(merchant().payable()).isEqualTo(4_000);
        assertThat(merchant().rechargeReceivable()).isEqualTo(2_000);
        apart(false);
        assertThat(t.out.value1).isEqualTo(1);
        // Reversing the first recharge gives back to the payable; the cash kept apart stays apart.
        t.pos(r -> r.kind(PosKind.REVERSAL).originalKind(PosKind.RECHARGE).terminalId(TERMINAL).merchantId(MERCHANT)
                .batch(batchNo).stan(stan).pan(card).amount(1_000));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(merchant().payable()).isEqualTo(5_000);
        assertThat(merchant().rechargeReceivable()).isEqualTo(2_000);
        t.system(new Cutover(20261124));
        final SettlementBatch batch = prepare();
        assertThat(batch.amount(0)).isEqualTo(5_000);
        assertThat(batch.collection(0)).isEqualTo(2_000);
    }

    @Test
    void refusals() {
        t.admin("clerk", new SetRechargeSettlement(MERCHANT, true));
        assertThat(t.out.reason).isEqualTo(Reason.ROLE_NOT_PERMITTED);
        t.admin("administrator", new SetRechargeSettlement("898310048999999", true));
        assertThat(t.out.reason).isEqualTo(Reason.MERCHANT_NOT_FOUND);
        apart(true);
        t.purchase(TERMINAL, card, 5_000);
        t.purchase(TERMINAL2, card, 1_000);
        recharge(1_000);
        t.system(new Cutover(20261124));
        final SettlementBatch batch = prepare();
        t.admin("finance", new RecordCollectionResult(batch.id(), MERCHANT, true, "B"));
        assertThat(t.out.reason).as("not approved").isEqualTo(Reason.ILLEGAL_TRANSITION);
        approve(batch);
        t.admin("finance", new RecordCollectionResult(999, MERCHANT, true, "B"));
        assertThat(t.out.reason).isEqualTo(Reason.SETTLEMENT_NOT_FOUND);
        t.admin("finance", new RecordCollectionResult(batch.id(), MERCHANT2, true, "B"));
        assertThat(t.out.reason).as("pays merchant 2, collects nothing from it").isEqualTo(Reason.COLLECTION_NOT_IN_BATCH);
        t.admin("clerk", new RecordCollectionResult(batch.id(), MERCHANT, true, "B"));
        assertThat(t.out.reason).isEqualTo(Reason.ROLE_NOT_PERMITTED);
        t.admin("finance", new RecordCollectionResult(batch.id(), MERCHANT, true, "x".repeat(65)));
        assertThat(t.out.reason).isEqualTo(Reason.INVALID_ARGUMENT);
    }

    @Test
    void theTermsAndCollectionsSurviveASnapshotAndAStateWithoutThemKeepsItsVersion() {
        assertThat(version(snapshot(t.ledger))).isLessThan(5);
        apart(true);
        recharge(1_000);
        t.system(new Cutover(20261124));
        final SettlementBatch batch = prepare();
        approve(batch);
        final byte[] bytes = snapshot(t.ledger);
        assertThat(version(bytes)).isEqualTo(6);
        final Ledger.Restored restored = Ledger.readSnapshot(new ByteArrayInputStream(bytes), LedgerConfig.small());
        assertThat(restored.ledger().digestHex()).isEqualTo(t.ledger.digestHex());
        assertThat(snapshot(restored.ledger())).isEqualTo(bytes);
        final Merchant m = restored.ledger().state().merchant(MERCHANT);
        assertThat(m.rechargesApart()).isTrue();
        assertThat(restored.ledger().state().settlements().get(batch.id()).collection(0)).isEqualTo(1_000);
        t.mirror = restored.ledger();
        recharge(500);
        t.admin("finance", new RecordCollectionResult(batch.id(), MERCHANT, true, "C"));
        t.system(new Cutover(20261125));
        assertThat(restored.ledger().digestHex()).isEqualTo(t.ledger.digestHex());
    }

    private static byte[] snapshot(final Ledger ledger) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        ledger.writeSnapshot(out, 1);
        return out.toByteArray();
    }

    private static int version(final byte[] snapshot) {
        return java.nio.ByteBuffer.wrap(snapshot, 16, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
    }
}
