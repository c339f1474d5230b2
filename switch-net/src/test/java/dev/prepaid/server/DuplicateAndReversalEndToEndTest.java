package dev.prepaid.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.iso8583.IsoMessage;
import dev.prepaid.pos.BatchEntry;
import dev.prepaid.pos.Card;
import dev.prepaid.pos.PendingReversal;
import dev.prepaid.pos.PosLink;
import dev.prepaid.pos.PosOperation;
import dev.prepaid.pos.PosResult;
import dev.prepaid.pos.PosTerminal;
import dev.prepaid.pos.SocketLink;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Duplicates and reversals (pos-iso8583 §4, "Reversal rules" and "Duplicates"), end to end over TCP: the
 * terminal's line loses a request or an answer when told to ({@link UnreliableLink}), so the terminal owes a
 * reversal exactly as it would after a real timeout, and a request can be sent again byte for byte.
 *
 * <p>One switch for the class; each test owns its cards or reads the balance before it starts, and each terminal
 * id has one simulator, so the tests do not depend on their order.
 */
class DuplicateAndReversalEndToEndTest {
    @TempDir
    static Path directory;

    private static SwitchServer server;
    private static UnreliableLink line;
    private static PosTerminal pos;
    private static UnreliableLink settlingLine;
    /** Only for the settlement after reversals: its batch must hold nothing else. */
    private static PosTerminal settlingTerminal;
    private static UnreliableLink coffeeLine;
    /** Only for the reversal that comes after its batch was settled. */
    private static PosTerminal coffee;

    @BeforeAll
    static void startSwitch() {
        server = SwitchServer.start(DemoSwitch.config(directory));
        line = new UnreliableLink(server.posPort());
        pos = DemoSwitch.terminal(server, "10000001").link(line).build();
        settlingLine = new UnreliableLink(server.posPort());
        settlingTerminal = DemoSwitch.terminal(server, "10000002").link(settlingLine).build();
        coffeeLine = new UnreliableLink(server.posPort());
        coffee = DemoSwitch.terminal(server, "20000001").link(coffeeLine).build();
        // signed on here, so that an answer a test loses is never the one of an automatic sign-on
        for (final PosTerminal terminal : new PosTerminal[] {pos, settlingTerminal, coffee}) {
            assertApproved(terminal.signOn());
        }
    }

    @BeforeEach
    void healTheLines() {
        // a fault ordered by a test that failed before its exchange must not hit the next test
        for (final UnreliableLink link : new UnreliableLink[] {line, settlingLine, coffeeLine}) {
            link.heal();
        }
    }

    @AfterAll
    static void stopSwitch() {
        if (pos != null) {
            pos.close();
        }
        if (settlingTerminal != null) {
            settlingTerminal.close();
        }
        if (coffee != null) {
            coffee.close();
        }
        if (server != null) {
            server.close();
        }
    }

    // ------------------------------------------------------------------ duplicates

    @Test
    void purchaseSentTwiceGetsTheSameAnswerAndIsChargedOnce() {
        final Card card = TransactionEndToEndTest.giftCard(200);
        final PosResult purchase = pos.purchase(card, 10_00);
        assertApproved(purchase);
        final byte[] request = line.lastRequest();

        final IsoMessage again = line.resend(request);

        assertThat(again.mti()).isEqualTo(210);
        assertThat(ascii(again, 39)).isEqualTo("00");
        assertThat(ascii(again, 37).trim()).as("same RRN").isEqualTo(purchase.rrn());
        assertThat(ascii(again, 38).trim()).as("same authorisation code").isEqualTo(purchase.authCode());
        assertThat(ascii(again, 54)).as("same balance").isEqualTo("1002156C000000009000");
        assertThat(available(card)).as("charged once").isEqualTo(90_00);
    }

    @Test
    void requestRebuiltWithTheSameStanGetsTheSameAnswer() {
        // the terminal forgot it had sent the purchase (e.g. restarted from a stale state file) and sends it again
        final Card card = TransactionEndToEndTest.giftCard(202);
        final PosResult purchase = pos.purchase(card, 10_00);
        assertApproved(purchase);
        final List<BatchEntry> entries = pos.batchEntries();
        rewindStan();

        final PosResult again = pos.purchase(card, 10_00);
        // the terminal booked the repeat in its batch too; the switch did not: keep the terminal honest
        pos.restore(pos.stan(), pos.batch(), entries, null);

        assertApproved(again);
        assertThat(again.stan()).isEqualTo(purchase.stan());
        assertThat(again.rrn()).isEqualTo(purchase.rrn());
        assertThat(again.authCode()).isEqualTo(purchase.authCode());
        assertThat(again.availableBalance()).isEqualTo(90_00);
        assertThat(available(card)).isEqualTo(90_00);
    }

    @Test
    void sameStanWithOtherContentIsDeclined94() {
        final Card card = TransactionEndToEndTest.giftCard(201);
        final PosResult purchase = pos.purchase(card, 10_00);
        assertApproved(purchase);

        rewindStan();
        assertDeclined(pos.purchase(card, 11_00), "94"); // another amount
        rewindStan();
        assertDeclined(pos.purchase(TransactionEndToEndTest.giftCard(203), 10_00), "94"); // another card
        rewindStan();
        assertDeclined(pos.recharge(card, 10_00), "94"); // another transaction type

        assertThat(available(card)).isEqualTo(90_00);
        assertThat(available(TransactionEndToEndTest.giftCard(203))).isEqualTo(100_00);
    }

    @Test
    void refundSentTwiceIsCreditedOnce() {
        final Card card = TransactionEndToEndTest.giftCard(204);
        final PosResult purchase = pos.purchase(card, 30_00);
        assertApproved(purchase);
        final PosResult refund = pos.refund(purchase, 12_00);
        assertApproved(refund);

        final IsoMessage again = line.resend(line.lastRequest());

        assertThat(again.mti()).isEqualTo(230);
        assertThat(ascii(again, 39)).isEqualTo("00");
        assertThat(ascii(again, 37).trim()).isEqualTo(refund.rrn());
        assertThat(available(card)).isEqualTo(82_00);
        // the repeat did not count against the purchase either: 18.00 are left to refund
        assertApproved(pos.refund(purchase, 18_00));
        assertThat(available(card)).isEqualTo(100_00);
    }

    @Test
    void preAuthorisationSentTwiceHoldsOnce() {
        final Card card = DemoSwitch.manual("8888000100000066", "555555");
        final long before = available(card);
        final PosResult preAuth = pos.preAuth(card, 20_00);
        assertApproved(preAuth);

        final IsoMessage again = line.resend(line.lastRequest());

        assertThat(again.mti()).isEqualTo(110);
        assertThat(ascii(again, 39)).isEqualTo("00");
        assertThat(ascii(again, 38).trim()).isEqualTo(preAuth.authCode());
        assertThat(available(card)).isEqualTo(before - 20_00);
        assertApproved(pos.preAuthCancel(preAuth));
        assertThat(available(card)).isEqualTo(before);
    }

    @Test
    void declineSentTwiceGetsTheSameDecline() {
        final Card wangFang = DemoSwitch.manual("8888000100000033", "222222"); // 1.50
        final PosResult purchase = pos.purchase(wangFang, 5_00);
        assertDeclined(purchase, "51");

        final IsoMessage again = line.resend(line.lastRequest());

        assertThat(ascii(again, 39)).isEqualTo("51");
        assertThat(ascii(again, 37).trim()).isEqualTo(purchase.rrn());
        assertThat(available(wangFang)).isEqualTo(1_50);
    }

    // ------------------------------------------------------------------ reversal of each transaction type

    @Test
    void reversedPurchaseIsGivenBack() {
        final Card card = TransactionEndToEndTest.giftCard(210);
        line.loseNextAnswer();

        final PosResult purchase = pos.purchase(card, 25_00);

        assertOwesReversal(purchase, PosOperation.PURCHASE);
        assertReversed();
        assertThat(available(card)).isEqualTo(100_00);
    }

    @Test
    void reversedPurchaseOfASwipedCardIsGivenBack() {
        // the 0400 carries no track 2 (§4), so no card number: the switch finds the original by its key
        final Card swiped = Card.swiped("8888000100000025", 4912, 120, DemoSwitch.CVK_NAMED).withPin("111111");
        final Card keyed = DemoSwitch.manual("8888000100000025", "111111");
        final long before = available(keyed);
        line.loseNextAnswer();

        assertOwesReversal(pos.purchase(swiped, 12_00), PosOperation.PURCHASE);
        assertReversed();

        assertThat(available(keyed)).isEqualTo(before);
    }

    @Test
    void reversedPurchaseVoidPutsThePurchaseBackInEffect() {
        final Card card = TransactionEndToEndTest.giftCard(211);
        final PosResult purchase = pos.purchase(card, 25_00);
        assertApproved(purchase);
        line.loseNextAnswer();

        assertOwesReversal(pos.voidPurchase(purchase), PosOperation.PURCHASE_VOID);
        assertReversed();

        // the void is undone: the purchase stands, and may be voided again
        assertThat(available(card)).isEqualTo(75_00);
        assertApproved(pos.voidPurchase(purchase));
        assertThat(available(card)).isEqualTo(100_00);
    }

    @Test
    void reversedRefundIsTakenBackAndDoesNotCountAgainstThePurchase() {
        final Card card = TransactionEndToEndTest.giftCard(212);
        final PosResult purchase = pos.purchase(card, 40_00);
        assertApproved(purchase);
        line.loseNextAnswer();

        assertOwesReversal(pos.refund(purchase, 15_00), PosOperation.REFUND);
        assertReversed();

        assertThat(available(card)).isEqualTo(60_00);
        // the whole purchase can still be refunded
        assertApproved(pos.refund(purchase, 40_00));
        assertThat(available(card)).isEqualTo(100_00);
    }

    @Test
    void reversedRechargeIsTakenBack() {
        final Card card = TransactionEndToEndTest.giftCard(213);
        line.loseNextAnswer();

        assertOwesReversal(pos.recharge(card, 30_00), PosOperation.RECHARGE);
        assertReversed();

        assertThat(available(card)).isEqualTo(100_00);
    }

    @Test
    void reversedRechargeVoidPutsTheRechargeBackInEffect() {
        final Card card = TransactionEndToEndTest.giftCard(214);
        final PosResult recharge = pos.recharge(card, 30_00);
        assertApproved(recharge);
        line.loseNextAnswer();

        assertOwesReversal(pos.voidRecharge(recharge), PosOperation.RECHARGE_VOID);
        assertReversed();

        assertThat(available(card)).isEqualTo(130_00);
    }

    @Test
    void reversedPreAuthorisationReleasesTheHold() {
        final Card card = DemoSwitch.manual("8888000100000017", "123456");
        final long before = available(card);
        line.loseNextAnswer();

        assertOwesReversal(pos.preAuth(card, 50_00), PosOperation.PREAUTH);
        assertReversed();

        assertThat(available(card)).isEqualTo(before);
    }

    @Test
    void reversedPreAuthorisationCancelPutsTheHoldBack() {
        final Card card = DemoSwitch.manual("8888000100000017", "123456");
        final long before = available(card);
        final PosResult preAuth = pos.preAuth(card, 60_00);
        assertApproved(preAuth);
        line.loseNextAnswer();

        assertOwesReversal(pos.preAuthCancel(preAuth), PosOperation.PREAUTH_CANCEL);
        assertReversed();

        // the hold is open again: held, and it can be cancelled for real
        assertThat(available(card)).isEqualTo(before - 60_00);
        assertApproved(pos.preAuthCancel(preAuth));
        assertThat(available(card)).isEqualTo(before);
    }

    @Test
    void reversedCompletionReopensTheHold() {
        final Card card = DemoSwitch.manual("8888000100000025", "111111");
        final long before = available(card);
        final PosResult preAuth = pos.preAuth(card, 100_00);
        assertApproved(preAuth);
        line.loseNextAnswer();

        assertOwesReversal(pos.complete(preAuth, 70_00), PosOperation.COMPLETION);
        assertReversed();

        assertThat(available(card)).as("the whole hold is held again").isEqualTo(before - 100_00);
        assertApproved(pos.complete(preAuth, 70_00));
        assertThat(available(card)).isEqualTo(before - 70_00);
    }

    @Test
    void reversedCompletionVoidPutsTheCompletionBackInEffect() {
        final Card card = DemoSwitch.manual("8888000100000066", "555555");
        final long before = available(card);
        final PosResult preAuth = pos.preAuth(card, 50_00);
        assertApproved(preAuth);
        final PosResult completion = pos.complete(preAuth, 40_00);
        assertApproved(completion);
        assertThat(available(card)).isEqualTo(before - 40_00);
        line.loseNextAnswer();

        assertOwesReversal(pos.voidCompletion(completion), PosOperation.COMPLETION_VOID);
        assertReversed();

        assertThat(available(card)).isEqualTo(before - 40_00);
    }

    // ------------------------------------------------------------------ reversal rules

    @Test
    void reversalBeforeItsOriginalIsApprovedAndTheLateOriginalIsDeclined25() {
        final Card card = TransactionEndToEndTest.giftCard(220);
        line.loseNextRequest();
        final PosResult purchase = pos.purchase(card, 20_00);
        assertOwesReversal(purchase, PosOperation.PURCHASE);
        final byte[] lostRequest = line.lastRequest();

        // the switch never saw the purchase: it still answers 00 and remembers the key
        assertReversed();

        // the purchase arrives after all, byte for byte: 25, and nothing is charged
        final IsoMessage late = line.resend(lostRequest);
        assertThat(late.mti()).isEqualTo(210);
        assertThat(ascii(late, 39)).isEqualTo("25");
        assertThat(late.has(38)).as("no authorisation code").isFalse();
        // the terminal, restarted from an old state, builds the same purchase again: 25 as well
        rewindStan();
        assertDeclined(pos.purchase(card, 20_00), "25");
        assertThat(available(card)).isEqualTo(100_00);
    }

    @Test
    void reversalOfATransactionTheSwitchNeverSawChangesNothing() {
        final Card card = TransactionEndToEndTest.giftCard(221);
        line.loseNextRequest();
        assertOwesReversal(pos.recharge(card, 50_00), PosOperation.RECHARGE);

        final PosResult reversal = pos.sendPendingReversal();

        assertApproved(reversal);
        assertThat(decode(reversal).mti()).isEqualTo(410);
        assertThat(pos.pendingReversal()).isNull();
        assertThat(available(card)).isEqualTo(100_00);
    }

    @Test
    void reversalOfADeclinedTransactionIsApprovedAndChangesNothing() {
        final Card wangFang = DemoSwitch.manual("8888000100000033", "222222");
        line.loseNextAnswer();
        assertOwesReversal(pos.purchase(wangFang, 3_00), PosOperation.PURCHASE);

        assertReversed();

        assertThat(available(wangFang)).isEqualTo(1_50);
    }

    @Test
    void repeatedReversalHasNoFurtherEffect() {
        final Card card = TransactionEndToEndTest.giftCard(222);
        assertApproved(pos.purchase(card, 5_00));
        line.loseNextAnswer();
        assertOwesReversal(pos.purchase(card, 10_00), PosOperation.PURCHASE);
        assertReversed();
        final byte[] reversal = line.lastRequest();
        assertThat(available(card)).isEqualTo(95_00);

        final IsoMessage again = line.resend(reversal);

        assertThat(again.mti()).isEqualTo(410);
        assertThat(ascii(again, 39)).isEqualTo("00");
        assertThat(available(card)).as("not given back twice").isEqualTo(95_00);
    }

    @Test
    void batchWithReversedTransactionsStillSettlesBalanced() {
        final PosTerminal terminal = settlingTerminal;
        final Card card = TransactionEndToEndTest.giftCard(230);
        final PosResult purchase = terminal.purchase(card, 10_00);
        assertApproved(purchase);
        settlingLine.loseNextAnswer();
        assertOwesReversal(terminal.purchase(card, 20_00), PosOperation.PURCHASE);
        assertReversed(terminal);
        settlingLine.loseNextAnswer();
        assertOwesReversal(terminal.voidPurchase(purchase), PosOperation.PURCHASE_VOID);
        // the next transaction sends the owed reversal first
        final PosResult recharge = terminal.recharge(card, 5_00);
        assertApproved(recharge);
        assertThat(recharge.preliminaries()).extracting(PosResult::operation).contains(PosOperation.REVERSAL);
        settlingLine.loseNextRequest();
        assertOwesReversal(terminal.refund(purchase, 2_00), PosOperation.REFUND);

        final PosResult settlement = terminal.settle();

        assertApproved(settlement);
        assertThat(settlement.preliminaries()).extracting(PosResult::operation).containsExactly(PosOperation.REVERSAL);
        assertThat(settlement.settlementFlag()).as("reversed transactions count in neither total").isEqualTo(1);
        assertThat(available(card)).isEqualTo(100_00 - 10_00 + 5_00);
    }

    @Test
    void reversalAfterItsBatchWasSettledIsDeclined12() {
        final Card card = TransactionEndToEndTest.giftCard(231);
        coffeeLine.loseNextAnswer();
        assertOwesReversal(coffee.purchase(card, 10_00), PosOperation.PURCHASE);
        // the operator settles without sending the reversal first (it is kept to be sent afterwards)
        final PendingReversal owed = coffee.pendingReversal();
        coffee.discardReversal();
        final PosResult settlement = coffee.settle();
        assertApproved(settlement);
        // the switch booked the purchase, the terminal did not
        assertThat(settlement.settlementFlag()).isEqualTo(2);
        coffee.restore(coffee.stan(), coffee.batch(), coffee.batchEntries(), owed);

        final PosResult reversal = coffee.sendPendingReversal();

        // §6: a settled batch is closed to reversals; the purchase stands
        assertThat(reversal.status()).as("%s", reversal).isEqualTo(PosResult.Status.ANSWERED);
        assertThat(reversal.responseCode()).as("%s", reversal).isEqualTo("12");
        assertThat(available(card)).isEqualTo(90_00);
        coffee.discardReversal();
    }

    // ------------------------------------------------------------------ helpers

    /** Sets the terminal's last STAN one back, so that its next request reuses the STAN of the last one. */
    private static void rewindStan() {
        final List<BatchEntry> entries = pos.batchEntries();
        pos.restore(pos.stan() - 1, pos.batch(), entries, pos.pendingReversal());
    }

    private static void assertOwesReversal(final PosResult result, final PosOperation operation) {
        assertThat(result.status()).as("%s", result).isEqualTo(PosResult.Status.TIMEOUT);
        assertThat(result.reversalOwed()).as("%s", result).isNotNull();
        assertThat(result.reversalOwed().operation()).isEqualTo(operation);
        assertThat(result.reversalOwed().reason()).isEqualTo("98");
    }

    /** Sends the reversal the terminal owes and checks the switch answered it 0410 00. */
    private static void assertReversed() {
        assertReversed(pos);
    }

    private static void assertReversed(final PosTerminal terminal) {
        final PosResult reversal = terminal.sendPendingReversal();
        assertThat(reversal).as("a reversal was owed").isNotNull();
        assertApproved(reversal);
        assertThat(decode(reversal).mti()).isEqualTo(410);
        assertThat(terminal.pendingReversal()).isNull();
    }

    private static long available(final Card card) {
        final PosResult balance = pos.balance(card);
        assertApproved(balance);
        return balance.availableBalance();
    }

    private static void assertApproved(final PosResult result) {
        assertThat(result.status()).as("%s", result).isEqualTo(PosResult.Status.ANSWERED);
        assertThat(result.responseCode()).as("%s", result).isEqualTo("00");
    }

    private static void assertDeclined(final PosResult result, final String code) {
        assertThat(result.status()).as("%s", result).isEqualTo(PosResult.Status.ANSWERED);
        assertThat(result.responseCode()).as("%s", result).isEqualTo(code);
    }

    private static IsoMessage decode(final PosResult result) {
        final byte[] body = result.response();
        assertThat(body).as("%s has an answer", result).isNotNull();
        return decode(body);
    }

    private static IsoMessage decode(final byte[] body) {
        final IsoMessage message = new IsoMessage(DemoSwitch.dialect());
        assertThat(message.wrap(new UnsafeBuffer(body), 0, body.length)).as("answer decodes").isTrue();
        return message;
    }

    private static String ascii(final IsoMessage message, final int field) {
        assertThat(message.has(field)).as("field %d", field).isTrue();
        final byte[] bytes = new byte[message.dataBytes(field)];
        message.getBytes(field, bytes, 0);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    /**
     * A TCP line that loses the next request (never sent) or the next answer (read off the socket, then
     * withheld) when told to, failing the exchange as a read timeout would, at once; and that can send a recorded
     * request again byte for byte.
     */
    static final class UnreliableLink implements PosLink {
        private final SocketLink socket;
        private boolean loseRequest;
        private boolean loseAnswer;
        private boolean requestLost;
        private byte[] lastRequest;

        UnreliableLink(final int port) {
            socket = new SocketLink("127.0.0.1", port, 3_000);
        }

        void heal() {
            loseRequest = false;
            loseAnswer = false;
            requestLost = false;
        }

        void loseNextRequest() {
            loseRequest = true;
        }

        void loseNextAnswer() {
            loseAnswer = true;
        }

        /** The last frame the terminal sent (or tried to), length prefix included. */
        byte[] lastRequest() {
            return lastRequest.clone();
        }

        /** Sends a frame (length prefix included) and decodes the switch's answer. */
        IsoMessage resend(final byte[] frame) {
            try {
                socket.connect();
                socket.send(frame, 0, frame.length);
                final byte[] answer = new byte[DemoSwitch.dialect().maxFrameLength];
                final int length = socket.receive(answer, 0, DemoSwitch.dialect().minFrameLength, answer.length,
                        System.nanoTime() + 10_000_000_000L);
                return decode(Arrays.copyOf(answer, length));
            } catch (final IOException e) {
                throw new AssertionError("resending failed", e);
            }
        }

        @Override
        public void connect() throws IOException {
            socket.connect();
        }

        @Override
        public void send(final byte[] frame, final int offset, final int length) throws IOException {
            lastRequest = Arrays.copyOfRange(frame, offset, offset + length);
            if (loseRequest) {
                loseRequest = false;
                requestLost = true;
                return;
            }
            socket.send(frame, offset, length);
        }

        @Override
        public int receive(final byte[] buffer, final int offset, final int minLength, final int capacity,
                final long deadlineNanos) throws IOException {
            if (requestLost) {
                requestLost = false;
                throw new SocketTimeoutException("request lost on the way");
            }
            final int length = socket.receive(buffer, offset, minLength, capacity, deadlineNanos);
            if (loseAnswer) {
                loseAnswer = false;
                throw new SocketTimeoutException("answer lost on the way");
            }
            return length;
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
