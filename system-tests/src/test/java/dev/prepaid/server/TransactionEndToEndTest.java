package dev.prepaid.server;

import static dev.prepaid.demo.DemoBusiness.giftCard;
import static dev.prepaid.server.EndToEnd.approved;
import static dev.prepaid.server.EndToEnd.ascii;
import static dev.prepaid.server.EndToEnd.assertApproved;
import static dev.prepaid.server.EndToEnd.assertDeclined;
import static dev.prepaid.server.EndToEnd.available;
import static dev.prepaid.server.EndToEnd.decode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.iso8583.IsoMessage;
import dev.prepaid.pos.BatchEntry;
import dev.prepaid.pos.BatchTotals;
import dev.prepaid.pos.Card;
import dev.prepaid.pos.PosOperation;
import dev.prepaid.pos.PosResult;
import dev.prepaid.pos.PosTerminal;
import dev.prepaid.security.KeyLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every POS transaction of pos-iso8583 §4 approved, end to end: a demo switch on TCP, terminals of the demo
 * business (config/demo/bootstrap.yaml) driven by the terminal simulator. Balances are read back with balance
 * inquiries, so each test checks what the switch really booked, not only what it answered.
 *
 * <p>One switch for the class. Each test uses its own cards (or reads the balance before it starts) and each
 * terminal id has exactly one simulator, so STANs never collide and the tests do not depend on their order.
 */
class TransactionEndToEndTest {
    @TempDir
    static Path directory;

    private static SwitchServer server;
    /** Demo Supermarket: purchases, refunds, recharges, pre-authorisations. */
    private static PosTerminal supermarket;
    /** Demo Coffee: discounts for named cards; echo and sign-off. */
    private static PosTerminal coffee;
    /** Demo Supermarket, only for the balanced settlement (its batch must hold nothing else). */
    private static PosTerminal settlingTerminal;
    /** Demo Coffee, only for the unbalanced settlement. */
    private static PosTerminal unbalancedTerminal;

    @BeforeAll
    static void startSwitch() {
        server = DemoSwitch.start(directory);
        supermarket = DemoSwitch.terminal(server, "10000001").build();
        coffee = DemoSwitch.terminal(server, "20000001").build();
        settlingTerminal = DemoSwitch.terminal(server, "10000002").build();
        unbalancedTerminal = DemoSwitch.terminal(server, "20000002").build();
    }

    @AfterAll
    static void stopSwitch() {
        DemoSwitch.stop(server, supermarket, coffee, settlingTerminal, unbalancedTerminal);
    }

    // ------------------------------------------------------------------ network management

    @Test
    void signOnWithEachKeyLayoutDeliversWorkingKeysThatBothSidesUse() {
        // 10000003 is used by no other test here; each simulator gets its own STAN range so that the balance
        // inquiries (which the switch records) are never taken for duplicates of one another.
        int stanRange = 0;
        for (final KeyLayout layout : KeyLayout.values()) {
            stanRange += 100_000;
            try (PosTerminal pos = DemoSwitch.terminal(server, "10000003").keyLayout(layout).stan(stanRange).build()) {
                final PosResult signOn = pos.signOn();

                assertApproved(signOn);
                // the simulator decrypted field 62 under the TMK and checked each key against its check value
                assertThat(pos.signedOn()).as("%s keys installed", layout).isTrue();
                assertThat(signOn.pikCheckValue()).hasSize(8);
                assertThat(signOn.makCheckValue()).hasSize(8);
                assertThat(signOn.batch()).isEqualTo(1);
                final IsoMessage answer = decode(signOn);
                assertThat(answer.mti()).isEqualTo(810);
                // §3: field 63 of a response is the card organisation (the request's is the operator's code)
                assertThat(ascii(answer, 63)).isEqualTo("CUP");
                assertThat(answer.dataBytes(62)).as("field 62 of layout %s", layout)
                        .isEqualTo(layout == KeyLayout.SINGLE_LENGTH ? 24
                                : layout == KeyLayout.DOUBLE_LENGTH ? 40 : 60);

                // a MAC'd request verifies at the switch and its MAC'd answer verifies at the terminal
                final PosResult balance = pos.balance(giftCard(150));
                assertApproved(balance);
                assertThat(balance.preliminaries()).as("no second sign-on needed").isEmpty();
                assertThat(balance.availableBalance()).isEqualTo(10_000);
            }
        }
    }

    @Test
    void echoTestIsAnsweredAndSignOffDropsTheWorkingKeys() {
        final PosResult echo = coffee.echo();
        assertApproved(echo);
        assertThat(decode(echo).mti()).isEqualTo(830);

        assertApproved(coffee.signOn());
        final PosResult signOff = coffee.signOff();
        assertApproved(signOff);
        assertThat(decode(signOff).mti()).isEqualTo(830);
        assertThat(coffee.signedOn()).isFalse();

        // the next transaction needs keys again: the terminal signs on first, and then it is approved
        final PosResult balance = coffee.balance(giftCard(151));
        assertApproved(balance);
        assertThat(balance.preliminaries()).extracting(PosResult::operation).containsExactly(PosOperation.SIGN_ON);
    }

    // ------------------------------------------------------------------ purchase, void, refund

    @Test
    void purchaseLowersTheBalanceAndAnswersTheBalanceAfterInField54() {
        final Card card = giftCard(100); // 100.00, sold in bulk to Demo Corp.

        final PosResult purchase = supermarket.purchase(card, 12_34);

        assertApproved(purchase);
        assertThat(decode(purchase).mti()).isEqualTo(210);
        assertThat(purchase.rrn()).matches("\\d{12}");
        assertThat(purchase.authCode()).matches("\\d{6}");
        assertThat(purchase.localTime()).isBetween(0, 235_959);
        assertThat(validMmdd(purchase.localDate())).isTrue();
        assertThat(validMmdd(purchase.settlementDate())).as("field 15: the business date").isTrue();
        // account type 10, amount type 02 (available), currency 156, credit, 12 digits
        assertThat(ascii(purchase, 54)).isEqualTo("1002156C000000008766");
        assertThat(purchase.availableBalance()).isEqualTo(87_66);
        // §1: the TPDU's NIIs swapped (request 60 0003 0000), the header echoed unchanged
        assertThat(Arrays.copyOfRange(purchase.response(), 0, 11)).isEqualTo(new byte[] {
            0x60, 0x00, 0x00, 0x00, 0x03, 0x60, 0x31, 0x00, 0x31, 0x00, 0x00});
        // acquirer (switch.yaml business.acquirerInstitutionId), issuer + acquirer, card organisation
        assertThat(decode(purchase).numeric(32)).isEqualTo(8_880_000L);
        assertThat(ascii(purchase, 44)).isEqualTo("08880001   08880000   ");
        assertThat(ascii(purchase, 63)).isEqualTo("CUP");

        final PosResult balance = supermarket.balance(card);
        assertApproved(balance);
        assertThat(balance.availableBalance()).isEqualTo(87_66);
        assertThat(balance.settlementDate()).isEqualTo(purchase.settlementDate());
    }

    @Test
    void namedCardPurchaseWithPinAtCoffeeGetsTheFivePercentDiscount() {
        // Zhao Lei, 200.00, PIN 555555. Demo Coffee gives named cards 5 % off purchases from 50.00 (at most 10.00)
        final Card card = DemoSwitch.manual("8888000100000066", "555555");

        final PosResult purchase = coffee.purchase(card, 60_00);

        assertApproved(purchase);
        // the card pays 60.00 - 3.00; the operator funds the discount
        assertThat(purchase.availableBalance()).isEqualTo(200_00 - 57_00);
        assertThat(available(coffee, card)).isEqualTo(200_00 - 57_00);
    }

    @Test
    void swipedCardWithTheIssuersCvnIsApproved() {
        final Card swiped = Card.swiped("8888000100000017", 4912, 120, DemoSwitch.CVK_NAMED).withPin("123456");
        assertThat(swiped.track2()).as("the track 2 example of config/demo/README.md")
                .isEqualTo("8888000100000017=4912120009");
        final long before = available(supermarket, swiped);

        final PosResult purchase = supermarket.purchase(swiped, 1_00);

        assertApproved(purchase);
        assertThat(purchase.availableBalance()).isEqualTo(before - 1_00);
        assertThat(available(supermarket, DemoSwitch.manual("8888000100000017", "123456"))).isEqualTo(before - 1_00);
    }

    @Test
    void voidOfAPurchaseGivesTheWholeAmountBack() {
        final Card card = giftCard(101);
        final PosResult purchase = approved(supermarket.purchase(card, 30_00));
        assertThat(available(supermarket, card)).isEqualTo(70_00);

        final PosResult voided = supermarket.voidPurchase(purchase);

        assertApproved(voided);
        assertThat(decode(voided).mti()).isEqualTo(210);
        assertThat(voided.rrn()).isNotEqualTo(purchase.rrn());
        assertThat(available(supermarket, card)).isEqualTo(100_00);
    }

    @Test
    void refundsMayBePartialAndRepeatedButNeverExceedThePurchase() {
        final Card card = giftCard(102);
        final PosResult purchase = approved(supermarket.purchase(card, 50_00));

        final PosResult first = supermarket.refund(purchase, 20_00);
        assertApproved(first);
        assertThat(decode(first).mti()).isEqualTo(230);
        assertThat(available(supermarket, card)).isEqualTo(70_00);

        final PosResult second = supermarket.refund(purchase, 30_00);
        assertApproved(second);
        assertThat(second.rrn()).isNotEqualTo(first.rrn());
        assertThat(available(supermarket, card)).isEqualTo(100_00);

        // 50.00 of 50.00 refunded: one more fen is more than the purchase (13, invalid amount)
        final PosResult tooMuch = supermarket.refund(purchase, 1);
        assertDeclined(tooMuch, "13");
        assertThat(available(supermarket, card)).isEqualTo(100_00);
    }

    @Test
    void refundLargerThanThePurchaseAtOnceIsDeclined13() {
        final Card card = giftCard(108);
        final PosResult purchase = approved(supermarket.purchase(card, 10_00));

        assertDeclined(supermarket.refund(purchase, 10_01), "13");

        assertThat(available(supermarket, card)).isEqualTo(90_00);
    }

    // ------------------------------------------------------------------ recharge

    @Test
    void rechargeRaisesTheBalanceAndItsVoidTakesItBack() {
        final Card card = giftCard(103);

        final PosResult recharge = supermarket.recharge(card, 50_00);

        assertApproved(recharge);
        assertThat(ascii(recharge, 54)).isEqualTo("1002156C000000015000");
        assertThat(available(supermarket, card)).isEqualTo(150_00);

        final PosResult voided = supermarket.voidRecharge(recharge);

        assertApproved(voided);
        assertThat(available(supermarket, card)).isEqualTo(100_00);
    }

    @Test
    void balanceInquiryAnswersTheBalanceAndChangesNothing() {
        final Card card = giftCard(104);

        final PosResult first = supermarket.balance(card);
        final PosResult second = supermarket.balance(card);

        assertApproved(first);
        assertApproved(second);
        assertThat(ascii(first, 54)).isEqualTo("1002156C000000010000");
        assertThat(second.availableBalance()).isEqualTo(100_00);
        // every inquiry is recorded with its own RRN
        assertThat(second.rrn()).isNotEqualTo(first.rrn());
    }

    // ------------------------------------------------------------------ pre-authorisation

    @Test
    void preAuthorisationHoldsTheAmountAndItsCancelReleasesIt() {
        final Card card = DemoSwitch.manual("8888000100000017", "123456");
        final long before = available(supermarket, card);

        final PosResult preAuth = supermarket.preAuth(card, 200_00);

        assertApproved(preAuth);
        assertThat(decode(preAuth).mti()).isEqualTo(110);
        assertThat(preAuth.authCode()).matches("\\d{6}");
        assertThat(available(supermarket, card)).isEqualTo(before - 200_00);

        final PosResult cancel = supermarket.preAuthCancel(preAuth);

        assertApproved(cancel);
        assertThat(decode(cancel).mti()).isEqualTo(110);
        assertThat(available(supermarket, card)).isEqualTo(before);
    }

    @Test
    void completionChargesAtMostTheHoldAndItsVoidReopensTheHold() {
        final Card card = DemoSwitch.manual("8888000100000025", "111111"); // Li Na, 4,990.00
        final long before = available(supermarket, card);
        final PosResult preAuth = approved(supermarket.preAuth(card, 100_00));

        // more than authorised: 13
        assertDeclined(supermarket.complete(preAuth, 120_00), "13");
        assertThat(available(supermarket, card)).isEqualTo(before - 100_00);

        final PosResult completion = supermarket.complete(preAuth, 80_00);
        assertApproved(completion);
        assertThat(decode(completion).mti()).isEqualTo(210);
        // the card pays 80.00, the rest of the hold goes back
        assertThat(available(supermarket, card)).isEqualTo(before - 80_00);

        final PosResult voided = supermarket.voidCompletion(completion);
        assertApproved(voided);
        // the completion is undone and the hold is open again
        assertThat(available(supermarket, card)).isEqualTo(before - 100_00);

        assertApproved(supermarket.preAuthCancel(preAuth));
        assertThat(available(supermarket, card)).isEqualTo(before);
    }

    // ------------------------------------------------------------------ settlement

    @Test
    void balancedBatchSettlesWithFlag1AndIsThenClosedToVoidsButNotToRefunds() {
        final PosTerminal pos = settlingTerminal;
        final Card buyer = giftCard(105);
        final Card topUp = giftCard(106);
        final PosResult kept = approved(pos.purchase(buyer, 10_00));
        final PosResult voided = approved(pos.purchase(buyer, 20_00));
        assertApproved(pos.voidPurchase(voided));
        assertApproved(pos.recharge(topUp, 5_00));
        assertApproved(pos.refund(kept, 3_00));
        // pre-authorisations and their cancels count in neither side, completions as debits
        final Card liNa = DemoSwitch.manual("8888000100000025", "111111");
        assertApproved(pos.preAuthCancel(pos.preAuth(liNa, 10_00)));
        final PosResult preAuth = approved(pos.preAuth(liNa, 20_00));
        assertApproved(pos.complete(preAuth, 15_00));
        // voided transactions count in neither side (§6)
        assertThat(pos.totals()).isEqualTo(new BatchTotals(25_00, 2, 8_00, 2));

        final PosResult settlement = pos.settle();

        assertApproved(settlement);
        assertThat(decode(settlement).mti()).isEqualTo(510);
        assertThat(ascii(settlement, 63)).as("card organisation, not the operator code sent").isEqualTo("CUP");
        assertThat(settlement.settlementFlag()).as("balanced").isEqualTo(1);
        // §6: the answer carries the terminal's totals back, with the result flag of each part; the foreign part
        // is zero, as the switch's (it has no foreign cards), so it is balanced too
        assertThat(digits(settlement, 48)).isEqualTo("000000002500" + "002" + "000000000800" + "002" + "1"
                + "000000000000" + "000" + "000000000000" + "000" + "1");
        assertThat(settlement.followUps()).hasSize(1);
        final PosResult end = settlement.followUps().get(0);
        assertThat(end.operation()).isEqualTo(PosOperation.BATCH_UPLOAD_END);
        assertApproved(end);
        assertThat(pos.batch()).isEqualTo(2);

        // the settled batch is closed: a void against it is declined 12 and changes nothing ...
        assertDeclined(pos.voidPurchase(kept), "12");
        assertThat(available(pos, buyer)).isEqualTo(100_00 - 10_00 + 3_00);
        // ... but a refund still works, and it counts in the new batch
        assertApproved(pos.refund(kept, 1_00));
        assertThat(available(pos, buyer)).isEqualTo(100_00 - 10_00 + 3_00 + 1_00);

        final PosResult next = pos.settle();
        assertApproved(next);
        assertThat(next.totals()).isEqualTo(new BatchTotals(0, 0, 1_00, 1));
        assertThat(next.settlementFlag()).isEqualTo(1);

        // a terminal that lost its state signs on and is told the open batch (0810 60.2)
        try (PosTerminal replaced = DemoSwitch.terminal(server, "10000002").stan(900_000).build()) {
            final PosResult signOn = replaced.signOn();
            assertApproved(signOn);
            assertThat(replaced.batch()).isEqualTo(3);
        }
        assertApproved(pos.signOn()); // its keys replaced the first simulator's
    }

    @Test
    void unbalancedBatchSettlesWithFlag2AndTheTerminalUploadsItsBatch() {
        final PosTerminal pos = unbalancedTerminal;
        final Card card = giftCard(107);
        assertApproved(pos.purchase(card, 10_00));
        assertApproved(pos.purchase(card, 15_00));
        // the terminal loses the second purchase from its batch (as after a power cut): its totals now differ
        final List<BatchEntry> entries = new ArrayList<>(pos.batchEntries());
        entries.remove(1);
        pos.restore(pos.stan(), pos.batch(), entries, null);
        assertThat(pos.totals()).isEqualTo(new BatchTotals(10_00, 1, 0, 0));

        final PosResult settlement = pos.settle();

        assertApproved(settlement);
        assertThat(settlement.settlementFlag()).as("unbalanced").isEqualTo(2);
        assertThat(settlement.uploaded()).isEqualTo(1);
        assertThat(settlement.followUps()).extracting(PosResult::operation)
                .containsExactly(PosOperation.BATCH_UPLOAD, PosOperation.BATCH_UPLOAD_END);
        for (final PosResult upload : settlement.followUps()) {
            assertApproved(upload);
            assertThat(decode(upload).mti()).isEqualTo(330);
        }
        assertThat(settlement.detail()).as("nothing went wrong in the upload").isNull();
        // balanced or not, the batch is closed and the next one opens; both purchases stay booked
        assertThat(pos.batch()).isEqualTo(2);
        assertThat(available(pos, card)).isEqualTo(100_00 - 25_00);
        final PosResult next = pos.settle();
        assertApproved(next);
        assertThat(next.settlementFlag()).isEqualTo(1);

        // the 0500 of batch 2 sent again (its answer lost, say): the switch answers the flag it gave
        pos.restore(pos.stan(), 2, List.of(), null);
        final PosResult repeated = pos.settle();
        assertApproved(repeated);
        assertThat(repeated.settlementFlag()).isEqualTo(1);
        assertThat(available(pos, card)).isEqualTo(100_00 - 25_00);
    }

    // ------------------------------------------------------------------ helpers

    private static boolean validMmdd(final int mmdd) {
        return mmdd / 100 >= 1 && mmdd / 100 <= 12 && mmdd % 100 >= 1 && mmdd % 100 <= 31;
    }

    private static String digits(final PosResult result, final int field) {
        final IsoMessage message = decode(result);
        assertThat(message.has(field)).as("field %d in %s", field, result).isTrue();
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < message.length(field); i++) {
            out.append((char) ('0' + message.digit(field, i)));
        }
        return out.toString();
    }
}
