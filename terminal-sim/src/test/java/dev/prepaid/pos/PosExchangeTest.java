package dev.prepaid.pos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A terminal whose frames the caller moves itself (as bench's load generator does on its event loops): the same
 * requests, the same handling of answers — keys, batch, reversal owed, batch upload — as the blocking operations,
 * with the terminal's own link never used. Here a plain socket to the fake switch carries the frames.
 */
class PosExchangeTest {
    /** The caller's side of the wire: writes an exchange's frame, reads one answer frame. */
    private static final class Wire implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;

        Wire(final FakeSwitch fake) throws IOException {
            socket = new Socket("127.0.0.1", fake.port());
            socket.setSoTimeout(5_000);
            in = new DataInputStream(socket.getInputStream());
        }

        void send(final PosExchange exchange) throws IOException {
            socket.getOutputStream().write(exchange.frame());
        }

        byte[] receive() throws IOException {
            final byte[] body = new byte[in.readUnsignedShort()];
            in.readFully(body);
            return body;
        }

        /** Sends {@code first} and each exchange its answers lead to; the exchanges sent, in order. */
        List<PosExchange> run(final PosTerminal pos, final PosExchange first) throws IOException {
            final List<PosExchange> sent = new ArrayList<>();
            PosExchange next = first;
            while (next != null) {
                send(next);
                sent.add(next);
                PosExchange after = next;
                while (after == next) {
                    final byte[] body = receive();
                    after = pos.answer(next, body, 0, body.length);
                }
                next = after;
            }
            return sent;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void signOnPurchaseAndVoidGoThroughExchangesAsTheBlockingCallsDo() throws Exception {
        try (FakeSwitch fake = PosTestSupport.fakeSwitch(); Wire wire = new Wire(fake);
             PosTerminal pos = PosTestSupport.terminal(fake).build()) {
            final PosExchange signOn = pos.startSignOn();
            assertThat(signOn.operation()).isEqualTo(PosOperation.SIGN_ON);
            assertThat(wire.run(pos, signOn)).hasSize(1);
            assertThat(signOn.result().approved()).as(signOn.result().toString()).isTrue();
            assertThat(pos.signedOn()).isTrue();
            assertThat(pos.makCheckValue()).isEqualTo(fake.keys.mak().checkValueHex(4));
            assertThat(fake.takeMessage().mti()).isEqualTo(800);

            final Card card = PosTestSupport.manualCard();
            final PosExchange sale = pos.start(PosOperation.PURCHASE, card, 1234, card.pin(), null);
            assertThat(sale.frame()).hasSize(2 + sale.result().request().length);
            wire.run(pos, sale);
            assertThat(sale.result().approved()).isTrue();
            assertThat(sale.result().availableBalance()).isEqualTo(FakeSwitch.BALANCE);
            assertThat(sale.result().roundTripNanos()).as("measured by the caller").isEqualTo(-1);
            assertThat(pos.batchSize()).isEqualTo(1);
            assertThat(fake.takeMessage().has(52)).as("PIN block").isTrue();
            assertThat(pos.macVerifies(sale.result().request(), sale.result().request().length)).isTrue();

            final PosExchange voided = pos.start(PosOperation.PURCHASE_VOID, card, 1234, null, sale.result().original());
            wire.run(pos, voided);
            assertThat(voided.result().approved()).isTrue();
            assertThat(pos.batchSize()).as("the void took its original out of the batch").isZero();
        }
    }

    @Test
    void aLateAnswerIsNotTakenForTheAwaitedOne() throws Exception {
        try (FakeSwitch fake = PosTestSupport.fakeSwitch(); Wire wire = new Wire(fake);
             PosTerminal pos = PosTestSupport.terminal(fake).build()) {
            wire.run(pos, pos.startSignOn());
            fake.next("BALANCE_INQUIRY", FakeSwitch.Behaviour.STRAY_FIRST);
            final Card card = PosTestSupport.manualCard();
            final PosExchange inquiry = pos.start(PosOperation.BALANCE_INQUIRY, card, -1, card.pin(), null);
            wire.send(inquiry);
            final byte[] stray = wire.receive();
            assertThat(pos.answer(inquiry, stray, 0, stray.length)).as("keep waiting").isSameAs(inquiry);
            final byte[] answer = wire.receive();
            assertThat(pos.answer(inquiry, answer, 0, answer.length)).isNull();
            assertThat(inquiry.result().approved()).isTrue();
        }
    }

    @Test
    void aLostAnswerLeavesTheReversalOwedUntilItsOwnExchangeIsAnswered() throws Exception {
        try (FakeSwitch fake = PosTestSupport.fakeSwitch(); Wire wire = new Wire(fake);
             PosTerminal pos = PosTestSupport.terminal(fake).build()) {
            final Card card = PosTestSupport.manualCard();
            assertThatThrownBy(() -> pos.start(PosOperation.PURCHASE, card, 100, card.pin(), null))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("startSignOn first");
            wire.run(pos, pos.startSignOn());
            final PosExchange sale = pos.start(PosOperation.PURCHASE, card, 500, card.pin(), null);
            wire.send(sale);
            wire.receive(); // the answer came, and the caller treats it as too late
            assertThat(pos.failed(sale, PosResult.Status.TIMEOUT, "too late")).isNull();
            assertThat(sale.result().status()).isEqualTo(PosResult.Status.TIMEOUT);
            assertThat(sale.result().reversalOwed()).isNotNull();
            assertThat(pos.batchSize()).isZero();
            assertThatThrownBy(() -> pos.start(PosOperation.BALANCE_INQUIRY, card, -1, null, null))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("startPendingReversal first");
            assertThatThrownBy(pos::startSettlement).isInstanceOf(IllegalStateException.class);

            fake.answer("REVERSAL", "96");
            final PosExchange refused = pos.startPendingReversal();
            wire.run(pos, refused);
            assertThat(refused.result().responseCode()).isEqualTo("96");
            assertThat(pos.pendingReversal()).as("still owed after a 96").isNotNull();
            final PosExchange reversal = pos.startPendingReversal();
            wire.run(pos, reversal);
            assertThat(reversal.result().approved()).isTrue();
            assertThat(reversal.result().stan()).isEqualTo(sale.stan());
            assertThat(pos.pendingReversal()).isNull();
            assertThat(pos.startPendingReversal()).isNull();
            assertThatThrownBy(() -> pos.failed(reversal, PosResult.Status.ANSWERED, "no"))
                    .isInstanceOf(IllegalArgumentException.class);

            final PosExchange never = pos.start(PosOperation.PURCHASE, card, 700, card.pin(), null);
            assertThat(pos.failed(never, PosResult.Status.NOT_SENT, "no connection")).isNull();
            assertThat(pos.pendingReversal()).as("nothing left, nothing to reverse").isNull();
        }
    }

    @Test
    void anUnbalancedSettlementChainsItsUploadsAndClosesTheBatch() throws Exception {
        try (FakeSwitch fake = PosTestSupport.fakeSwitch(); Wire wire = new Wire(fake);
             PosTerminal pos = PosTestSupport.terminal(fake).build()) {
            fake.settlementFlag = 2;
            wire.run(pos, pos.startSignOn());
            final Card card = PosTestSupport.manualCard();
            wire.run(pos, pos.start(PosOperation.PURCHASE, card, 1000, card.pin(), null));
            wire.run(pos, pos.start(PosOperation.RECHARGE, card, 300, card.pin(), null));
            final PosExchange settlement = pos.startSettlement();
            final List<PosExchange> sent = wire.run(pos, settlement);
            assertThat(sent).extracting(PosExchange::operation).containsExactly(PosOperation.BATCH_SETTLEMENT,
                    PosOperation.BATCH_UPLOAD, PosOperation.BATCH_UPLOAD, PosOperation.BATCH_UPLOAD_END);
            assertThat(settlement.result().settlementFlag()).isEqualTo(2);
            assertThat(settlement.result().uploaded()).isEqualTo(2);
            assertThat(settlement.result().followUps()).hasSize(3).allMatch(PosResult::approved);
            assertThat(pos.batch()).isEqualTo(2);
            assertThat(pos.batchSize()).isZero();
        }
    }
}
