package dev.prepaid.pos;

import static dev.prepaid.testing.TestHex.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.iso8583.Dialect;
import dev.prepaid.iso8583.IsoMessage;
import dev.prepaid.iso8583.Transaction;
import dev.prepaid.security.MacFunction;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Answers that never come or cannot be trusted: the terminal owes a reversal (0400, a copy of the original
 * without 26, 35, 36, 52, 53, with 39 = the reason, 61 kept) and sends it before its next transaction until the
 * switch answers 00. The fake switch stays silent for one request; the terminal's read timeout ends the wait.
 */
class PosReversalTest {
    private static final Dialect DIALECT = PosTestSupport.dialect();
    private static final Duration SHORT = Duration.ofMillis(300);

    @Test
    void aTimedOutPurchaseIsReversedBeforeTheNextTransaction() throws Exception {
        try (FakeSwitch fake = PosTestSupport.fakeSwitch();
             PosTerminal pos = PosTestSupport.terminal(fake).readTimeout(SHORT).build()) {
            pos.signOn();
            fake.take();
            fake.next("PURCHASE", FakeSwitch.Behaviour.SILENT);
            final PosResult lost = pos.purchase(PosTestSupport.manualCard(), 1234);
            assertThat(lost.status()).isEqualTo(PosResult.Status.TIMEOUT);
            assertThat(lost.approved()).isFalse();
            assertThat(lost.reversalOwed()).isNotNull();
            assertThat(lost.reversalOwed().reason()).isEqualTo("98");
            assertThat(lost.reversalOwed().stan()).isEqualTo(2);
            assertThat(lost.toString()).contains("no answer (timeout)", "reversal owed (reason 98)");
            assertThat(pos.pendingReversal()).isEqualTo(lost.reversalOwed());
            assertThat(pos.totals()).isEqualTo(BatchTotals.ZERO);
            final IsoMessage original = fake.takeMessage();

            final PosResult next = pos.balance(PosTestSupport.manualCard());
            assertThat(next.approved()).isTrue();
            assertThat(next.stan()).isEqualTo(3);
            assertThat(next.preliminaries()).hasSize(1);
            final PosResult reversal = next.preliminaries().get(0);
            assertThat(reversal.operation()).isEqualTo(PosOperation.REVERSAL);
            assertThat(reversal.approved()).isTrue();
            assertThat(reversal.stan()).isEqualTo(2);
            assertThat(reversal.amount()).isEqualTo(1234);
            assertThat(pos.pendingReversal()).isNull();
            assertThat(fake.connections()).as("the line was dropped after the timeout").isEqualTo(2);

            final IsoMessage sent = fake.takeMessage();
            assertIsReversalOf(sent, original, "98", fake);
            assertThat(DIALECT.transactions().find(fake.takeMessage()).name).isEqualTo("BALANCE_INQUIRY");
            assertThat(pos.totals()).as("a reversed purchase counts nowhere").isEqualTo(BatchTotals.ZERO);
        }
    }

    @Test
    void aBadMacOnTheAnswerOwesAnA0ReversalAndASignOn() throws Exception {
        for (final FakeSwitch.Behaviour spoilt : new FakeSwitch.Behaviour[] {
                FakeSwitch.Behaviour.BAD_MAC, FakeSwitch.Behaviour.NO_MAC}) {
            try (FakeSwitch fake = PosTestSupport.fakeSwitch();
                 PosTerminal pos = PosTestSupport.terminal(fake).autoSignOn(true).build()) {
                pos.signOn();
                fake.take();
                fake.next("PURCHASE", spoilt);
                final PosResult spoiled = pos.purchase(PosTestSupport.manualCard(), 500);
                assertThat(spoiled.status()).as(spoilt.toString()).isEqualTo(PosResult.Status.MAC_ERROR);
                assertThat(spoiled.responseCode()).isEqualTo("00");
                assertThat(spoiled.approved()).isFalse();
                assertThat(spoiled.reversalOwed().reason()).isEqualTo("A0");
                assertThat(pos.signedOn()).as("a MAK the switch does not share is dropped").isFalse();
                assertThat(pos.totals()).isEqualTo(BatchTotals.ZERO);
                final IsoMessage original = fake.takeMessage();

                final PosResult next = pos.purchase(PosTestSupport.manualCard(), 600);
                assertThat(next.approved()).isTrue();
                assertThat(next.preliminaries()).extracting(PosResult::operation)
                        .containsExactly(PosOperation.SIGN_ON, PosOperation.REVERSAL);
                assertThat(fake.takeMessage().mti()).isEqualTo(800);
                assertIsReversalOf(fake.takeMessage(), original, "A0", fake);
                assertThat(fake.takeMessage().numeric(4)).isEqualTo(600);
                assertThat(pos.totals()).isEqualTo(new BatchTotals(600, 1, 0, 0));
            }
        }
    }

    @Test
    void theReversalOfAVoidKeeps61AndTheVoidedPurchaseStillCounts() throws Exception {
        try (FakeSwitch fake = PosTestSupport.fakeSwitch();
             PosTerminal pos = PosTestSupport.terminal(fake).readTimeout(SHORT).build()) {
            pos.signOn();
            final PosResult sale = pos.purchase(PosTestSupport.manualCard(), 800);
            fake.drain();
            fake.next("PURCHASE_VOID", FakeSwitch.Behaviour.SILENT);
            final PosResult lostVoid = pos.voidPurchase(sale);
            assertThat(lostVoid.status()).isEqualTo(PosResult.Status.TIMEOUT);
            assertThat(pos.totals()).isEqualTo(new BatchTotals(800, 1, 0, 0));
            final IsoMessage original = fake.takeMessage();

            assertThat(pos.sendPendingReversal().approved()).isTrue();
            final IsoMessage reversal = fake.takeMessage();
            assertIsReversalOf(reversal, original, "98", fake);
            assertThat(reversal.has(61)).isTrue();
            assertThat(reversal.numeric(61)).isEqualTo(1_000_002L);
            assertThat(reversal.has(37) && reversal.has(38)).isTrue();
            assertThat(DIALECT.transactions().findOriginal(reversal, DIALECT.transactions().find(reversal)).name)
                    .isEqualTo("PURCHASE_VOID");
            assertThat(pos.pendingReversal()).isNull();
            assertThat(pos.totals()).isEqualTo(new BatchTotals(800, 1, 0, 0));
            assertThat(pos.sendPendingReversal()).isNull();
        }
    }

    @Test
    void aReversalNotAnswered00StaysOwedAndBlocksTheNextTransaction() throws Exception {
        try (FakeSwitch fake = PosTestSupport.fakeSwitch();
             PosTerminal pos = PosTestSupport.terminal(fake).readTimeout(SHORT).reversalAttempts(2).build()) {
            pos.signOn();
            fake.next("RECHARGE", FakeSwitch.Behaviour.SILENT);
            assertThat(pos.recharge(PosTestSupport.manualCard(), 5000).status()).isEqualTo(PosResult.Status.TIMEOUT);
            fake.next("REVERSAL", FakeSwitch.Behaviour.SILENT);
            fake.answer("REVERSAL", "96");
            fake.drain();

            final PosResult blocked = pos.purchase(PosTestSupport.manualCard(), 100);
            assertThat(blocked.status()).isEqualTo(PosResult.Status.NOT_SENT);
            assertThat(blocked.detail()).contains("reversal of STAN 000002 is still owed", "2 attempt(s)");
            assertThat(blocked.preliminaries()).extracting(PosResult::status)
                    .containsExactly(PosResult.Status.TIMEOUT, PosResult.Status.ANSWERED);
            assertThat(blocked.preliminaries().get(1).responseCode()).isEqualTo("96");
            assertThat(pos.pendingReversal()).isNotNull();
            assertThat(fake.drain()).extracting(IsoMessage::mti).containsExactly(400, 400);

            final PosResult sale = pos.purchase(PosTestSupport.manualCard(), 100);
            assertThat(sale.approved()).isTrue();
            assertThat(sale.preliminaries()).hasSize(1);
            assertThat(pos.pendingReversal()).isNull();
            assertThat(fake.drain()).extracting(IsoMessage::mti).containsExactly(400, 200);
        }
    }

    @Test
    void aLostBalanceInquiryOwesNothing() throws Exception {
        try (FakeSwitch fake = PosTestSupport.fakeSwitch();
             PosTerminal pos = PosTestSupport.terminal(fake).readTimeout(SHORT).build()) {
            pos.signOn();
            fake.next("BALANCE_INQUIRY", FakeSwitch.Behaviour.SILENT);
            final PosResult lost = pos.balance(PosTestSupport.manualCard());
            assertThat(lost.status()).isEqualTo(PosResult.Status.TIMEOUT);
            assertThat(lost.reversalOwed()).isNull();
            assertThat(pos.pendingReversal()).isNull();
        }
    }

    @Test
    void aClosedConnectionOwesAReversalWithReason06() throws Exception {
        try (FakeSwitch fake = PosTestSupport.fakeSwitch();
             PosTerminal pos = PosTestSupport.terminal(fake).build()) {
            pos.signOn();
            fake.next("PREAUTH", FakeSwitch.Behaviour.CLOSE);
            final PosResult lost = pos.preAuth(PosTestSupport.manualCard(), 100);
            assertThat(lost.status()).isEqualTo(PosResult.Status.FAILED);
            assertThat(lost.reversalOwed().reason()).isEqualTo("06");
            assertThat(pos.purchase(PosTestSupport.manualCard(), 100).approved()).isTrue();
        }
    }

    @Test
    void aStrayAnswerForAnotherStanIsSkipped() throws Exception {
        try (FakeSwitch fake = PosTestSupport.fakeSwitch();
             PosTerminal pos = PosTestSupport.terminal(fake).build()) {
            pos.signOn();
            fake.next("PURCHASE", FakeSwitch.Behaviour.STRAY_FIRST);
            final PosResult sale = pos.purchase(PosTestSupport.manualCard(), 100);
            assertThat(sale.approved()).isTrue();
            final IsoMessage answer = fake.decode(sale.response());
            assertThat(answer.numeric(11)).isEqualTo(2);
        }
    }

    @Test
    void nothingSentWhenTheSwitchCannotBeReached() throws Exception {
        final int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (PosTerminal pos = PosTerminal.builder(DIALECT).terminalId("1").merchantId("2")
                .tmk(PosTestSupport.TMK).switchAddress("127.0.0.1", port).build()) {
            final PosResult result = pos.echo();
            assertThat(result.status()).isEqualTo(PosResult.Status.NOT_SENT);
            assertThat(result.detail()).startsWith("cannot connect");
            assertThat(result.reversalOwed()).isNull();
        }
    }

    /** The 0400 is the original without 26, 35, 36, 52, 53, with 39 = reason, every other field byte-equal. */
    private static void assertIsReversalOf(final IsoMessage reversal, final IsoMessage original, final String reason,
            final FakeSwitch fake) {
        final Transaction row = DIALECT.transactions().find(reversal);
        assertThat(row.name).isEqualTo("REVERSAL");
        assertThat(row.missingField(reversal.bitmap())).isZero();
        assertThat(row.unexpectedField(reversal.bitmap())).isZero();
        assertThat(DIALECT.transactions().findOriginal(reversal, row).name)
                .isEqualTo(DIALECT.transactions().find(original).name);
        assertThat((char) reversal.byteAt(39, 0) + "" + (char) reversal.byteAt(39, 1)).isEqualTo(reason);
        for (int field = 2; field <= 63; field++) {
            if (field == 39) {
                continue;
            }
            final boolean dropped = field == 26 || field == 35 || field == 36 || field == 52 || field == 53;
            assertThat(reversal.has(field)).as("field %d", field).isEqualTo(original.has(field) && !dropped);
            if (reversal.has(field)) {
                assertThat(hex(reversal.buffer().byteArray(), reversal.fieldOffset(field), reversal.fieldBytes(field)))
                        .as("field %d copied", field)
                        .isEqualTo(hex(original.buffer().byteArray(), original.fieldOffset(field),
                                original.fieldBytes(field)));
            }
        }
        final byte[] frame = reversal.buffer().byteArray();
        assertThat(MacFunction.CUP_ECB.verify(fake.keys.mak(), frame, reversal.macBlockOffset(),
                reversal.macBlockLength(), frame, reversal.dataOffset(64), new byte[8])).isTrue();
    }
}
