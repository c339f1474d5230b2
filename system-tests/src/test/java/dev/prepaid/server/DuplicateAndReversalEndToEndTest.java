package dev.prepaid.server;

import static dev.prepaid.demo.DemoBusiness.giftCard;
import static dev.prepaid.server.EndToEnd.approved;
import static dev.prepaid.server.EndToEnd.ascii;
import static dev.prepaid.server.EndToEnd.assertApproved;
import static dev.prepaid.server.EndToEnd.assertDeclined;
import static dev.prepaid.server.EndToEnd.decode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.iso8583.IsoMessage;
import dev.prepaid.pos.BatchEntry;
import dev.prepaid.pos.Card;
import dev.prepaid.pos.PendingReversal;
import dev.prepaid.pos.PosOperation;
import dev.prepaid.pos.PosResult;
import dev.prepaid.pos.PosTerminal;
import dev.prepaid.server.TestLinks.UnreliableLink;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
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
        server = DemoSwitch.start(directory);
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
        DemoSwitch.stop(server, pos, settlingTerminal, coffee);
    }

    // ------------------------------------------------------------------ duplicates

    @Test
    void purchaseSentTwiceGetsTheSameAnswerAndIsChargedOnce() {
        final Card card = giftCard(200);
        final PosResult purchase = approved(pos.purchase(card, 10_00));
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
        final Card card = giftCard(202);
        final PosResult purchase = approved(pos.purchase(card, 10_00));
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
        final Card card = giftCard(201);
        final PosResult purchase = approved(pos.purchase(card, 10_00));

        rewindStan();
        assertDeclined(pos.purchase(card, 11_00), "94"); // another amount
        rewindStan();
        assertDeclined(pos.purchase(giftCard(203), 10_00), "94"); // another card
        rewindStan();
        assertDeclined(pos.recharge(card, 10_00), "94"); // another transaction type

        assertThat(available(card)).isEqualTo(90_00);
        assertThat(available(giftCard(203))).isEqualTo(100_00);
    }

    @Test
    void refundSentTwiceIsCreditedOnce() {
        final Card card = giftCard(204);
        final PosResult purchase = approved(pos.purchase(card, 30_00));
        final PosResult refund = approved(pos.refund(purchase, 12_00));

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
        final PosResult preAuth = approved(pos.preAuth(card, 20_00));

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
        final Card card = giftCard(210);

        answerLostThenReversed(PosOperation.PURCHASE, () -> pos.purchase(card, 25_00));

        assertThat(available(card)).isEqualTo(100_00);
    }

    @Test
    void reversedPurchaseOfASwipedCardIsGivenBack() {
        // the 0400 carries no track 2 (§4), so no card number: the switch finds the original by its key
        final Card swiped = Card.swiped("8888000100000025", 4912, 120, DemoSwitch.CVK_NAMED).withPin("111111");
        final Card keyed = DemoSwitch.manual("8888000100000025", "111111");
        final long before = available(keyed);

        answerLostThenReversed(PosOperation.PURCHASE, () -> pos.purchase(swiped, 12_00));

        assertThat(available(keyed)).isEqualTo(before);
    }

    @Test
    void reversedPurchaseVoidPutsThePurchaseBackInEffect() {
        final Card card = giftCard(211);
        final PosResult purchase = approved(pos.purchase(card, 25_00));

        answerLostThenReversed(PosOperation.PURCHASE_VOID, () -> pos.voidPurchase(purchase));

        // the void is undone: the purchase stands, and may be voided again
        assertThat(available(card)).isEqualTo(75_00);
        assertApproved(pos.voidPurchase(purchase));
        assertThat(available(card)).isEqualTo(100_00);
    }

    @Test
    void reversedRefundIsTakenBackAndDoesNotCountAgainstThePurchase() {
        final Card card = giftCard(212);
        final PosResult purchase = approved(pos.purchase(card, 40_00));

        answerLostThenReversed(PosOperation.REFUND, () -> pos.refund(purchase, 15_00));

        assertThat(available(card)).isEqualTo(60_00);
        // the whole purchase can still be refunded
        assertApproved(pos.refund(purchase, 40_00));
        assertThat(available(card)).isEqualTo(100_00);
    }

    @Test
    void reversedRechargeIsTakenBack() {
        final Card card = giftCard(213);

        answerLostThenReversed(PosOperation.RECHARGE, () -> pos.recharge(card, 30_00));

        assertThat(available(card)).isEqualTo(100_00);
    }

    @Test
    void reversedRechargeVoidPutsTheRechargeBackInEffect() {
        final Card card = giftCard(214);
        final PosResult recharge = approved(pos.recharge(card, 30_00));

        answerLostThenReversed(PosOperation.RECHARGE_VOID, () -> pos.voidRecharge(recharge));

        assertThat(available(card)).isEqualTo(130_00);
    }

    @Test
    void reversedPreAuthorisationReleasesTheHold() {
        final Card card = DemoSwitch.manual("8888000100000017", "123456");
        final long before = available(card);

        answerLostThenReversed(PosOperation.PREAUTH, () -> pos.preAuth(card, 50_00));

        assertThat(available(card)).isEqualTo(before);
    }

    @Test
    void reversedPreAuthorisationCancelPutsTheHoldBack() {
        final Card card = DemoSwitch.manual("8888000100000017", "123456");
        final long before = available(card);
        final PosResult preAuth = approved(pos.preAuth(card, 60_00));

        answerLostThenReversed(PosOperation.PREAUTH_CANCEL, () -> pos.preAuthCancel(preAuth));

        // the hold is open again: held, and it can be cancelled for real
        assertThat(available(card)).isEqualTo(before - 60_00);
        assertApproved(pos.preAuthCancel(preAuth));
        assertThat(available(card)).isEqualTo(before);
    }

    @Test
    void reversedCompletionReopensTheHold() {
        final Card card = DemoSwitch.manual("8888000100000025", "111111");
        final long before = available(card);
        final PosResult preAuth = approved(pos.preAuth(card, 100_00));

        answerLostThenReversed(PosOperation.COMPLETION, () -> pos.complete(preAuth, 70_00));

        assertThat(available(card)).as("the whole hold is held again").isEqualTo(before - 100_00);
        assertApproved(pos.complete(preAuth, 70_00));
        assertThat(available(card)).isEqualTo(before - 70_00);
    }

    @Test
    void reversedCompletionVoidPutsTheCompletionBackInEffect() {
        final Card card = DemoSwitch.manual("8888000100000066", "555555");
        final long before = available(card);
        final PosResult preAuth = approved(pos.preAuth(card, 50_00));
        final PosResult completion = approved(pos.complete(preAuth, 40_00));
        assertThat(available(card)).isEqualTo(before - 40_00);

        answerLostThenReversed(PosOperation.COMPLETION_VOID, () -> pos.voidCompletion(completion));

        assertThat(available(card)).isEqualTo(before - 40_00);
    }

    // ------------------------------------------------------------------ reversal rules

    @Test
    void reversalBeforeItsOriginalIsApprovedAndTheLateOriginalIsDeclined25() {
        final Card card = giftCard(220);
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
        final Card card = giftCard(221);
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

        answerLostThenReversed(PosOperation.PURCHASE, () -> pos.purchase(wangFang, 3_00));

        assertThat(available(wangFang)).isEqualTo(1_50);
    }

    @Test
    void repeatedReversalHasNoFurtherEffect() {
        final Card card = giftCard(222);
        assertApproved(pos.purchase(card, 5_00));
        answerLostThenReversed(PosOperation.PURCHASE, () -> pos.purchase(card, 10_00));
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
        final Card card = giftCard(230);
        final PosResult purchase = approved(terminal.purchase(card, 10_00));
        settlingLine.loseNextAnswer();
        assertOwesReversal(terminal.purchase(card, 20_00), PosOperation.PURCHASE);
        assertReversed(terminal);
        settlingLine.loseNextAnswer();
        assertOwesReversal(terminal.voidPurchase(purchase), PosOperation.PURCHASE_VOID);
        // the next transaction sends the owed reversal first
        final PosResult recharge = approved(terminal.recharge(card, 5_00));
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
        final Card card = giftCard(231);
        coffeeLine.loseNextAnswer();
        assertOwesReversal(coffee.purchase(card, 10_00), PosOperation.PURCHASE);
        // the operator settles without sending the reversal first (it is kept to be sent afterwards)
        final PendingReversal owed = coffee.pendingReversal();
        coffee.discardReversal();
        final PosResult settlement = approved(coffee.settle());
        // the switch booked the purchase, the terminal did not
        assertThat(settlement.settlementFlag()).isEqualTo(2);
        coffee.restore(coffee.stan(), coffee.batch(), coffee.batchEntries(), owed);

        final PosResult reversal = coffee.sendPendingReversal();

        // §6: a settled batch is closed to reversals; the purchase stands
        assertDeclined(reversal, "12");
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

    /**
     * The answer to {@code exchange} is lost on the way: the terminal owes a reversal of {@code operation}, sends it,
     * and the switch approves it ({@link #assertReversed()}).
     */
    private static void answerLostThenReversed(final PosOperation operation, final Supplier<PosResult> exchange) {
        line.loseNextAnswer();
        assertOwesReversal(exchange.get(), operation);
        assertReversed();
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
        return EndToEnd.available(pos, card);
    }
}
