package dev.prepaid.pos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.iso8583.Dialect;
import dev.prepaid.iso8583.IsoMessage;
import dev.prepaid.iso8583.Transaction;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Batch settlement (§6): field 48 totals count approved purchases and completions as debits, approved refunds
 * and recharges as credits, voided and reversed ones nowhere; flag 2 makes the terminal upload its batch
 * (0320/201 per transaction, then 0320/202 with the count); the batch then advances, 999999 wrapping to 1.
 */
class PosSettlementTest {
    private static final Dialect DIALECT = PosTestSupport.dialect();
    private static final String FOREIGN_ZEROS = "0".repeat(31);

    @Test
    void totalsCountWhatTheSpecSaysAndABalancedBatchEndsWith207() throws Exception {
        try (FakeSwitch fake = PosTestSupport.fakeSwitch();
             PosTerminal pos = PosTestSupport.terminal(fake).readTimeout(Duration.ofMillis(300)).build()) {
            pos.signOn();
            final Card card = PosTestSupport.manualCard();
            final PosResult first = pos.purchase(card, 1000);
            pos.purchase(card, 2000);
            pos.refund(first, 500);
            pos.recharge(card, 3000);
            final PosResult hold = pos.preAuth(card, 5000);
            pos.complete(hold, 4000);
            pos.voidPurchase(pos.purchase(card, 700));
            final PosResult topUp = pos.recharge(card, 111);
            pos.voidRecharge(topUp);
            final PosResult completion = pos.complete(pos.preAuth(card, 300), 222);
            pos.voidCompletion(completion);
            fake.next("PURCHASE", FakeSwitch.Behaviour.SILENT);
            assertThat(pos.purchase(card, 900).status()).isEqualTo(PosResult.Status.TIMEOUT);
            assertThat(pos.totals()).isEqualTo(new BatchTotals(7000, 3, 3500, 2));
            fake.drain();

            final PosResult settled = pos.settle();
            assertThat(settled.approved()).as(settled.toString()).isTrue();
            assertThat(settled.preliminaries()).extracting(PosResult::operation).containsExactly(PosOperation.REVERSAL);
            assertThat(settled.settlementFlag()).isEqualTo(1);
            assertThat(settled.totals()).isEqualTo(new BatchTotals(7000, 3, 3500, 2));
            assertThat(settled.uploaded()).isEqualTo(-1);
            assertThat(settled.toString()).contains("flag=1(balanced)", "debit 3/70.00, credit 2/35.00");

            final List<IsoMessage> sent = fake.drain();
            assertThat(sent).extracting(IsoMessage::mti).containsExactly(400, 500, 320);
            final IsoMessage settlement = sent.get(1);
            assertRow(settlement, "BATCH_SETTLEMENT");
            assertThat(digits(settlement, 48)).isEqualTo("000000007000" + "003" + "000000003500" + "002" + "0"
                    + FOREIGN_ZEROS);
            assertThat(digits(settlement, 60)).isEqualTo("00" + "000001" + "201");
            assertThat(text(settlement, 63)).isEqualTo("001");
            assertThat(text(settlement, 49)).isEqualTo("156");
            assertThat(settlement.has(64)).isFalse();
            final IsoMessage end = sent.get(2);
            assertRow(end, "BATCH_UPLOAD_END");
            assertThat(digits(end, 60)).isEqualTo("00" + "000001" + "207");
            assertThat(digits(end, 48)).isEqualTo("0000");

            assertThat(pos.batch()).isEqualTo(2);
            assertThat(pos.batchEntries()).isEmpty();
            assertThat(pos.purchase(card, 100).batch()).isEqualTo(2);
        }
    }

    @Test
    void anUnbalancedBatchIsUploadedTransactionByTransaction() throws Exception {
        try (FakeSwitch fake = PosTestSupport.fakeSwitch();
             PosTerminal pos = PosTestSupport.terminal(fake).build()) {
            fake.settlementFlag = 2;
            pos.signOn();
            final Card card = PosTestSupport.manualCard();
            final PosResult sale = pos.purchase(card, 1000);
            final PosResult refund = pos.refund(sale, 400);
            final PosResult completion = pos.complete(pos.preAuth(card, 900), 900);
            final PosResult topUp = pos.recharge(Card.swiped(PosTestSupport.PAN, 2712, 120,
                    dev.prepaid.security.CvkPair.of(dev.prepaid.security.DesKey.fromHex(
                            "0123456789ABCDEFFEDCBA9876543210"))), 50);
            fake.drain();

            final PosResult settled = pos.settle();
            assertThat(settled.approved()).isTrue();
            assertThat(settled.settlementFlag()).isEqualTo(2);
            assertThat(settled.uploaded()).isEqualTo(4);
            assertThat(settled.detail()).isNull();
            assertThat(settled.followUps()).extracting(PosResult::operation).containsExactly(
                    PosOperation.BATCH_UPLOAD, PosOperation.BATCH_UPLOAD, PosOperation.BATCH_UPLOAD,
                    PosOperation.BATCH_UPLOAD, PosOperation.BATCH_UPLOAD_END);
            assertThat(settled.followUps()).allMatch(PosResult::approved);

            final List<IsoMessage> sent = fake.drain();
            assertThat(sent).extracting(IsoMessage::mti).containsExactly(500, 320, 320, 320, 320, 320);
            final PosResult[] originals = {sale, refund, completion, topUp};
            final String[] rows = {"PURCHASE", "REFUND", "COMPLETION", "RECHARGE"};
            for (int i = 0; i < originals.length; i++) {
                final IsoMessage upload = sent.get(1 + i);
                final Transaction row = assertRow(upload, "BATCH_UPLOAD");
                assertThat(DIALECT.transactions().findOriginal(upload, row).name).isEqualTo(rows[i]);
                assertThat(digits(upload, 2)).isEqualTo(PosTestSupport.PAN);
                assertThat(upload.numeric(4)).isEqualTo(originals[i].amount());
                assertThat(upload.numeric(11)).isEqualTo(originals[i].stan());
                assertThat(text(upload, 37)).isEqualTo(originals[i].rrn());
                assertThat(upload.subField(DIALECT.subField("60.2"))).isEqualTo(1);
                assertThat(upload.subField(DIALECT.subField("60.3"))).isEqualTo(201);
                assertThat(upload.has(35) || upload.has(52) || upload.has(64)).isFalse();
            }
            assertThat(sent.get(4).has(14)).as("swiped: no expiry field").isFalse();
            assertThat(sent.get(1).numeric(14)).isEqualTo(2712);
            assertThat(digits(sent.get(2), 61)).as("the refund's own 61").isEqualTo("000001" + "000002" + "1123");
            final IsoMessage end = sent.get(5);
            assertRow(end, "BATCH_UPLOAD_END");
            assertThat(digits(end, 60)).isEqualTo("00" + "000001" + "202");
            assertThat(digits(end, 48)).isEqualTo("0004");
            assertThat(end.numeric(11)).isEqualTo(settled.stan() + 1);
            assertThat(pos.batch()).isEqualTo(2);
            assertThat(pos.totals()).isEqualTo(BatchTotals.ZERO);
        }
    }

    @Test
    void aDeclinedSettlementKeepsTheBatchOpen() throws Exception {
        try (FakeSwitch fake = PosTestSupport.fakeSwitch();
             PosTerminal pos = PosTestSupport.terminal(fake).endBalancedSettlement(false).build()) {
            pos.signOn();
            pos.purchase(PosTestSupport.manualCard(), 1000);
            fake.answer("BATCH_SETTLEMENT", "96");
            final PosResult declined = pos.settle();
            assertThat(declined.responseCode()).isEqualTo("96");
            assertThat(pos.batch()).isEqualTo(1);
            assertThat(pos.totals()).isEqualTo(new BatchTotals(1000, 1, 0, 0));
            final PosResult settled = pos.settle();
            assertThat(settled.approved()).isTrue();
            assertThat(settled.followUps()).as("no 207 when not asked for").isEmpty();
            assertThat(pos.batch()).isEqualTo(2);
        }
    }

    @Test
    void stanAndBatchWrapToOne() throws Exception {
        try (FakeSwitch fake = PosTestSupport.fakeSwitch();
             PosTerminal pos = PosTestSupport.terminal(fake).stan(999_998).batch(999_999).build()) {
            fake.batchToAdopt = 999_999;
            final PosResult signOn = pos.signOn();
            assertThat(signOn.stan()).isEqualTo(999_999);
            final PosResult sale = pos.purchase(PosTestSupport.manualCard(), 100);
            assertThat(sale.stan()).isEqualTo(1);
            assertThat(sale.batch()).isEqualTo(999_999);
            fake.drain();
            final PosResult settled = pos.settle();
            assertThat(settled.approved()).isTrue();
            assertThat(pos.batch()).isEqualTo(1);
            final List<IsoMessage> sent = fake.drain();
            assertThat(digits(sent.get(0), 60)).isEqualTo("00" + "999999" + "201");
            assertThat(sent.get(0).numeric(11)).isEqualTo(2);
            assertThat(pos.purchase(PosTestSupport.manualCard(), 100).batch()).isEqualTo(1);
        }
    }

    @Test
    void aFullBatchAsksForSettlement() throws Exception {
        try (FakeSwitch fake = PosTestSupport.fakeSwitch();
             PosTerminal pos = PosTestSupport.terminal(fake).maxBatchEntries(2).build()) {
            pos.signOn();
            assertThat(pos.purchase(PosTestSupport.manualCard(), 1).approved()).isTrue();
            assertThat(pos.recharge(PosTestSupport.manualCard(), 1).approved()).isTrue();
            final PosResult full = pos.purchase(PosTestSupport.manualCard(), 1);
            assertThat(full.status()).isEqualTo(PosResult.Status.NOT_SENT);
            assertThat(full.detail()).contains("settle first");
            assertThat(pos.balance(PosTestSupport.manualCard()).approved()).as("inquiries still go").isTrue();
            pos.settle();
            assertThat(pos.purchase(PosTestSupport.manualCard(), 1).approved()).isTrue();
        }
    }

    private static Transaction assertRow(final IsoMessage m, final String name) {
        final Transaction row = DIALECT.transactions().find(m);
        assertThat(row).isNotNull();
        assertThat(row.name).isEqualTo(name);
        assertThat(row.missingField(m.bitmap())).isZero();
        assertThat(row.unexpectedField(m.bitmap())).isZero();
        return row;
    }

    private static String digits(final IsoMessage m, final int field) {
        final byte[] out = new byte[m.length(field)];
        m.getDigits(field, out, 0);
        return new String(out, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static String text(final IsoMessage m, final int field) {
        final byte[] out = new byte[m.dataBytes(field)];
        m.getBytes(field, out, 0);
        return new String(out, java.nio.charset.StandardCharsets.US_ASCII).trim();
    }
}
