package dev.prepaid.server;

import static dev.prepaid.demo.DemoBusiness.giftCard;
import static dev.prepaid.server.EndToEnd.approved;
import static dev.prepaid.server.EndToEnd.assertApproved;
import static dev.prepaid.server.EndToEnd.assertDeclined;
import static dev.prepaid.server.EndToEnd.available;
import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.card.Pan;

import dev.prepaid.pos.BatchEntry;
import dev.prepaid.demo.DemoBusiness;
import dev.prepaid.pos.Card;
import dev.prepaid.pos.Original;
import dev.prepaid.pos.PosOperation;
import dev.prepaid.pos.PosResult;
import dev.prepaid.pos.PosTerminal;
import dev.prepaid.security.DesKey;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every decline of the POS protocol (pos-iso8583 §7, in the order of docs/ledger-rules.md §2), end to end over
 * TCP with the demo business of config/demo/bootstrap.yaml. A decline must also change nothing: where the card
 * can still be read, the test reads its balance back.
 *
 * <p>One switch for the class; each test owns its cards (and each terminal id has one simulator), so the tests
 * do not depend on their order.
 */
class DeclineEndToEndTest {
    @TempDir
    static Path directory;

    private static SwitchServer server;
    private static PosTerminal supermarket;
    private static PosTerminal coffee;

    @BeforeAll
    static void startSwitch() {
        server = DemoSwitch.start(directory);
        supermarket = DemoSwitch.terminal(server, "10000001").build();
        coffee = DemoSwitch.terminal(server, "20000001").build();
    }

    @AfterAll
    static void stopSwitch() {
        DemoSwitch.stop(server, supermarket, coffee);
    }

    // ------------------------------------------------------------------ balance and PIN

    @Test
    void purchaseAboveTheBalanceIsDeclined51AndChargesNothing() {
        final Card wangFang = DemoSwitch.manual("8888000100000033", "222222"); // 1.50
        final Card lowGift = DemoSwitch.manual("8888000200000032", null); // 0.50

        final PosResult named = supermarket.purchase(wangFang, 1_51);
        final PosResult gift = supermarket.purchase(lowGift, 51);

        assertDeclined(named, "51");
        assertDeclined(gift, "51");
        // a decline carries no authorisation code and no balance
        assertThat(named.authCode()).isNullOrEmpty();
        assertThat(named.availableBalance()).isEqualTo(PosResult.NO_BALANCE);
        assertThat(available(supermarket, wangFang)).isEqualTo(1_50);
        assertThat(available(supermarket, lowGift)).isEqualTo(50);
        // the whole balance is fine
        assertApproved(supermarket.purchase(lowGift, 50));
        assertThat(available(supermarket, lowGift)).isZero();
    }

    @Test
    void preAuthorisationAboveTheBalanceIsDeclined51() {
        final Card wangFang = DemoSwitch.manual("8888000100000033", "222222");

        assertDeclined(coffee.preAuth(wangFang, 2_00), "51");

        assertThat(available(coffee, wangFang)).isEqualTo(1_50);
    }

    @Test
    void wrongPinIsDeclined55AndTheThirdWrongPinLocksTheCard() {
        // gift card 0016 needs no PIN but has one (123456): a PIN entered is checked; 3 tries (pinTriesDefault)
        final Card card = DemoSwitch.manual("8888000200000016", null);
        assertThat(available(supermarket, card)).isEqualTo(500_00);

        assertDeclined(supermarket.purchase(card, 1_00, "654321"), "55");
        assertDeclined(supermarket.purchase(card, 1_00, "000000"), "55");
        assertDeclined(supermarket.purchase(card, 1_00, "999999"), "75");

        // locked: even the right PIN, or none, is refused 62 (restricted card) before the PIN is looked at
        assertDeclined(supermarket.purchase(card, 1_00, "123456"), "62");
        assertDeclined(supermarket.balance(card), "62");
    }

    @Test
    void namedCardPurchaseWithoutPinIsDeclined55() {
        // type 1 requires a PIN for purchases and pre-authorisations
        final Card zhangWei = DemoSwitch.manual("8888000100000017", null);
        final long before = available(coffee, zhangWei);

        assertDeclined(coffee.purchase(zhangWei, 1_00), "55");
        assertDeclined(coffee.preAuth(zhangWei, 1_00, null), "55");

        assertThat(available(coffee, zhangWei)).isEqualTo(before);
        // with the PIN it goes through: the missing PIN did not count as a wrong one
        assertApproved(coffee.purchase(zhangWei.withPin("123456"), 1_00));
    }

    // ------------------------------------------------------------------ card state

    @Test
    void expiredCardIsDeclined54() {
        final Card expired = DemoSwitch.manual("8888000200000040", null); // sold 37 months ago, valid 36

        assertDeclined(supermarket.purchase(expired, 1_00), "54");
        assertDeclined(supermarket.balance(expired), "54");
        assertDeclined(supermarket.recharge(expired, 1_00), "54");
    }

    @Test
    void frozenCardIsDeclined62() {
        final Card frozen = DemoSwitch.manual("8888000100000041", "333333");

        assertDeclined(supermarket.purchase(frozen, 1_00), "62");
        assertDeclined(supermarket.balance(frozen), "62");
    }

    @Test
    void lostCardIsDeclined41() {
        final Card lost = DemoSwitch.manual("8888000100000058", "444444");

        assertDeclined(supermarket.purchase(lost, 1_00), "41");
        assertDeclined(supermarket.recharge(lost, 1_00), "41");
    }

    @Test
    void blacklistedCardIsDeclined43() {
        final Card blacklisted = DemoSwitch.manual("8888000200000057", null);

        assertDeclined(supermarket.purchase(blacklisted, 1_00), "43");
        assertDeclined(supermarket.balance(blacklisted), "43");
    }

    @Test
    void cardNeverSoldIsDeclined21() {
        assertDeclined(supermarket.purchase(DemoSwitch.manual("8888000100000074", null), 1_00), "21");
        assertDeclined(supermarket.balance(DemoSwitch.manual("8888000200000073", null)), "21");
    }

    @Test
    void cardNumbersTheSwitchDoesNotKnowAreDeclined14() {
        // no BIN range holds 88880003
        assertDeclined(supermarket.purchase(DemoSwitch.manual("8888000300000001", null), 1_00), "14");
        // 8888000100000017 with a wrong check digit
        assertDeclined(supermarket.purchase(DemoSwitch.manual("8888000100000018", null), 1_00), "14");
        // a BIN of 16-digit cards in a 17-digit number (valid check digit)
        assertDeclined(supermarket.balance(DemoSwitch.manual("88880001000000172", null)), "14");
        // 12 digits: not a card number at all
        assertDeclined(supermarket.balance(DemoSwitch.manual("888800010000", null)), "14");
        // a number in range that was never generated (stock ends at account 999)
        final String notGenerated = "88880001" + "0005000";
        assertDeclined(supermarket.balance(DemoSwitch.manual(
                notGenerated + Pan.luhnCheckDigit(Long.parseLong(notGenerated), notGenerated.length()), null)), "14");
    }

    @Test
    void swipedCardWithAWrongCvnIsDeclined14AndChargesNothing() {
        // 8888000100000017=4912120009 is the issuer's track (config/demo/README.md): CVN 009, not 008
        assertDeclined(supermarket.purchase(Card.swiped("8888000100000017=4912120008").withPin("123456"), 1_00),
                "14");
        // a gift card: its own CVK pair (cvk.2); the genuine track goes through, one CVN digit off does not
        final Card gift = giftCard(306);
        final Card genuine = Card.swiped(gift.pan(), 4912, 120, DemoBusiness.CVK_GIFT);
        final String track = genuine.track2();
        final char lastCvnDigit = track.charAt(track.length() - 1);
        final Card forged = Card.swiped(track.substring(0, track.length() - 1) + (lastCvnDigit == '9' ? '0'
                : (char) (lastCvnDigit + 1)));

        assertDeclined(supermarket.purchase(forged, 1_00), "14");
        assertDeclined(supermarket.balance(forged), "14");

        assertThat(available(supermarket, gift)).isEqualTo(100_00);
        assertApproved(supermarket.purchase(genuine, 1_00));
        assertThat(available(supermarket, gift)).isEqualTo(99_00);
    }

    /**
     * A swiped request reaches the ledger stating the card type whose keys checked its CVN (the ledger declines
     * it when its card is of another type); a keyed one states none.
     */
    @Test
    void aSwipedRequestStatesTheCardTypeItsCvnWasCheckedFor() {
        final Card gift = giftCard(307);
        assertApproved(supermarket.purchase(Card.swiped(gift.pan(), 4912, 120, DemoBusiness.CVK_GIFT), 1_00));
        assertApproved(supermarket.purchase(gift, 1_00));
        final java.util.List<String> stated = new java.util.ArrayList<>();
        final dev.prepaid.command.PosRequest request = new dev.prepaid.command.PosRequest();
        try (dev.prepaid.journal.JournalReader reader = new dev.prepaid.journal.JournalReader(
                server.config().journal().journal())) {
            reader.read(-1, 0, 0, (sequence, timestamp, command, offset, length, index) -> {
                if (dev.prepaid.command.CommandHeader.type(command, offset) == dev.prepaid.command.PosRequest.TYPE) {
                    request.wrap(command, offset);
                    if (request.kind() == dev.prepaid.command.PosKind.PURCHASE
                            && request.panLength() == gift.pan().length()
                            && request.panBody() == Long.parseLong(gift.pan().substring(0, gift.pan().length() - 1))) {
                        stated.add(request.cardPresent() + " " + request.cardTypeChecked() + " " + request.checkedCardType());
                    }
                }
                return true;
            });
        }
        // The gift cards are card type 2 of the demo business (config/demo/bootstrap.yaml); the card may have
        // been used before in this class, so only the last two purchases are these.
        assertThat(stated.subList(Math.max(0, stated.size() - 2), stated.size())).containsExactly("true true 2", "false false 0");
    }

    // ------------------------------------------------------------------ amounts and limits

    @Test
    void zeroAmountIsDeclined13() {
        assertDeclined(supermarket.purchase(giftCard(300), 0), "13");
        assertDeclined(supermarket.recharge(giftCard(300), 0), "13");
    }

    @Test
    void purchaseAboveTheSingleTransactionLimitIsDeclined61() {
        // the limit comes before the balance: 5,000.01 on a card holding 4,990.00 is 61, not 51
        assertDeclined(coffee.purchase(DemoSwitch.manual("8888000100000025", "111111"), 5_000_01), "61");
        // gift cards: at most 1,000.00 per purchase
        final Card atCap = DemoSwitch.manual("8888000200000024", null);
        assertDeclined(coffee.purchase(atCap, 1_000_01), "61");
        assertThat(available(coffee, atCap)).isEqualTo(1_000_00);
    }

    @Test
    void purchasesBeyondTheDailyAmountLimitAreDeclined61() {
        // Li Na (4,990.00) spends 9,989.99 in a day: the named type allows 10,000.00 a day
        final Card liNa = DemoSwitch.manual("8888000100000025", "111111");
        assertApproved(supermarket.purchase(liNa, 4_990_00));
        assertApproved(supermarket.recharge(liNa, 4_999_99));
        assertApproved(supermarket.purchase(liNa, 4_999_99));

        // 0.02 too many: the daily limit (61); 10.01 fits the limit, so the empty card decides (51)
        assertDeclined(supermarket.purchase(liNa, 10_02), "61");
        assertDeclined(supermarket.purchase(liNa, 10_01), "51");
    }

    @Test
    void theFiftyFirstPurchaseOfTheDayIsDeclined65() {
        // the named type allows 50 purchases a day; Zhao Lei's card is used by no other test here
        final Card zhaoLei = DemoSwitch.manual("8888000100000066", "555555");
        for (int i = 1; i <= 50; i++) {
            final PosResult purchase = coffee.purchase(zhaoLei, 1);
            assertThat(purchase.responseCode()).as("purchase %d: %s", i, purchase).isEqualTo("00");
        }

        assertDeclined(coffee.purchase(zhaoLei, 1), "65");

        assertThat(available(coffee, zhaoLei)).isEqualTo(200_00 - 50);
    }

    @Test
    void rechargeAboveTheBalanceCapIsDeclined61() {
        assertDeclined(supermarket.recharge(DemoSwitch.manual("8888000200000024", null), 1), "61");
        final Card gift = giftCard(301); // 100.00 of a 1,000.00 cap
        assertDeclined(supermarket.recharge(gift, 900_01), "61");
        assertApproved(supermarket.recharge(gift, 900_00));
        assertThat(available(supermarket, gift)).isEqualTo(1_000_00);
    }

    @Test
    void rechargeOfTheCashLimitOrMoreIsDeclined61() {
        // rechargeTransferThreshold 5,000.00: such top-ups must go by bank transfer, not over the counter
        final Card wangFang = DemoSwitch.manual("8888000100000033", "222222");
        assertDeclined(supermarket.recharge(wangFang, 5_000_00), "61");
        assertThat(available(supermarket, wangFang)).isEqualTo(1_50);
    }

    @Test
    void rechargeAtAMerchantThatTakesNoRechargesIsDeclined58() {
        assertDeclined(coffee.recharge(giftCard(302), 10_00), "58");
        assertThat(available(coffee, giftCard(302))).isEqualTo(100_00);
    }

    @Test
    void preAuthorisationOnAGiftCardIsNotPermitted57() {
        final Card gift = giftCard(303);

        assertDeclined(supermarket.preAuth(gift, 10_00, null), "57");

        assertThat(available(supermarket, gift)).isEqualTo(100_00);
    }

    // ------------------------------------------------------------------ originals

    @Test
    void voidsAndRefundsOfWrongOriginalsAreDeclined() {
        final Card gift = giftCard(304);
        final PosResult purchase = approved(supermarket.purchase(gift, 40_00));
        final Original o = purchase.original();

        // another amount than the original's: 64
        assertDeclined(supermarket.voidPurchase(new Original(o.operation(), o.card(), 39_00, o.batch(), o.stan(),
                o.rrn(), o.authCode(), o.dateMmdd())), "64");
        // refund at another merchant: 25
        assertDeclined(coffee.refund(purchase, 1_00), "25");
        // refund of an RRN the switch never gave: 25
        assertDeclined(supermarket.refund(new Original(o.operation(), o.card(), o.amount(), o.batch(), o.stan(),
                "000099999999", o.authCode(), o.dateMmdd()), 1_00), "25");
        assertThat(available(supermarket, gift)).isEqualTo(60_00);

        assertApproved(supermarket.voidPurchase(purchase));
        // voided already: 12, for a second void and for a refund
        assertDeclined(supermarket.voidPurchase(purchase), "12");
        assertDeclined(supermarket.refund(purchase, 1_00), "12");
        assertThat(available(supermarket, gift)).isEqualTo(100_00);
    }

    @Test
    void purchaseWithRefundsCannotBeVoided12() {
        final Card gift = giftCard(305);
        final PosResult purchase = supermarket.purchase(gift, 40_00);
        assertApproved(supermarket.refund(purchase, 10_00));

        assertDeclined(supermarket.voidPurchase(purchase), "12");

        assertThat(available(supermarket, gift)).isEqualTo(70_00);
    }

    @Test
    void closedPreAuthorisationCanBeNeitherCompletedNorCancelled() {
        final Card zhangWei = DemoSwitch.manual("8888000100000017", "123456");
        final PosResult preAuth = approved(supermarket.preAuth(zhangWei, 30_00));
        assertApproved(supermarket.preAuthCancel(preAuth));
        final long afterCancel = available(supermarket, zhangWei);

        // the hold is cancelled: not open, 12
        assertDeclined(supermarket.complete(preAuth, 10_00), "12");
        assertDeclined(supermarket.preAuthCancel(preAuth), "12");
        // an authorisation code that is not the hold's: 25
        final Original o = preAuth.original();
        final String otherAuth = "123456".equals(o.authCode()) ? "654321" : "123456";
        assertDeclined(supermarket.complete(new Original(PosOperation.PREAUTH, o.card(), o.amount(), o.batch(),
                o.stan(), o.rrn(), otherAuth, o.dateMmdd()), 10_00), "25");
        // a pre-authorisation that never was: 25
        assertDeclined(supermarket.preAuthCancel(new Original(PosOperation.PREAUTH, o.card(), o.amount(), o.batch(),
                999_999, o.rrn(), o.authCode(), o.dateMmdd())), "25");

        assertThat(available(supermarket, zhangWei)).isEqualTo(afterCancel);
    }

    @Test
    void rechargeVoidIsDeclined51WhenTheMoneyIsAlreadySpent() {
        final Card gift = giftCard(307);
        final PosResult recharge = approved(supermarket.recharge(gift, 50_00));
        assertApproved(supermarket.purchase(gift, 120_00));

        assertDeclined(supermarket.voidRecharge(recharge), "51");

        assertThat(available(supermarket, gift)).isEqualTo(30_00);
    }

    @Test
    void preAuthorisationCancelOfAnotherAmountIsDeclined64() {
        final Card zhangWei = DemoSwitch.manual("8888000100000017", "123456");
        final long before = available(supermarket, zhangWei);
        final PosResult preAuth = approved(supermarket.preAuth(zhangWei, 30_00));
        final Original o = preAuth.original();

        assertDeclined(supermarket.preAuthCancel(new Original(o.operation(), o.card(), 20_00, o.batch(), o.stan(),
                o.rrn(), o.authCode(), o.dateMmdd())), "64");

        assertThat(available(supermarket, zhangWei)).isEqualTo(before - 30_00);
        assertApproved(supermarket.preAuthCancel(preAuth));
        assertThat(available(supermarket, zhangWei)).isEqualTo(before);
    }

    // ------------------------------------------------------------------ terminals

    @Test
    void requestForAnotherBatchThanTheSwitchsOpenOneIsDeclined22() {
        final Card gift = giftCard(308);
        final int openBatch = supermarket.batch();
        final List<BatchEntry> entries = supermarket.batchEntries();
        // the terminal believes it is four batches further than the switch
        supermarket.restore(supermarket.stan(), openBatch + 4, List.of(), null);
        try {
            assertDeclined(supermarket.purchase(gift, 10_00), "22");
        } finally {
            supermarket.restore(supermarket.stan(), openBatch, entries, null);
        }
        assertThat(available(supermarket, gift)).isEqualTo(100_00);
    }


    @Test
    void unregisteredTerminalIsDeclined97() {
        try (PosTerminal unknown = PosTerminal.builder(DemoSwitch.dialect()).terminalId("99999999")
                .merchantId(DemoSwitch.SUPERMARKET).tmk(DesKey.fromHex(DemoSwitch.TMKS.get("10000001")))
                .switchAddress("127.0.0.1", server.posPort()).build()) {
            final PosResult signOn = unknown.signOn();
            assertDeclined(signOn, "97");
            assertThat(unknown.signedOn()).isFalse();
            // settlement carries no MAC, so it reaches the ledger too: 97
            assertDeclined(unknown.settle(), "97");
        }
    }

    @Test
    void disabledTerminalIsDeclined58() {
        try (PosTerminal disabled = DemoSwitch.terminal(server, "20000003").build()) {
            assertDeclined(disabled.signOn(), "58");
            assertThat(disabled.signedOn()).isFalse();
        }
    }

    @Test
    void terminalSendingAnotherMerchantsIdIsDeclined03() {
        try (PosTerminal misconfigured = DemoSwitch.terminal(server, "10000002").merchantId(DemoSwitch.COFFEE)
                .build()) {
            assertDeclined(misconfigured.signOn(), "03");
            assertThat(misconfigured.signedOn()).isFalse();
        }
    }

    @Test
    void terminalThatIsNotSignedOnIsDeclined22() {
        // 10000003 never signs on in this class; settlement has no MAC, so the ledger itself answers
        try (PosTerminal notSignedOn = DemoSwitch.terminal(server, "10000003").build()) {
            final PosResult settlement = notSignedOn.settle();
            assertDeclined(settlement, "22");
            assertThat(settlement.settlementFlag()).isNotEqualTo(1);
        }
    }
}
