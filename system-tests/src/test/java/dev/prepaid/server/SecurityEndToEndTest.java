package dev.prepaid.server;

import static dev.prepaid.demo.DemoBusiness.giftCard;
import static dev.prepaid.server.EndToEnd.assertApproved;
import static dev.prepaid.server.EndToEnd.assertDeclined;
import static dev.prepaid.server.EndToEnd.available;
import static dev.prepaid.server.EndToEnd.decode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.pos.Card;
import dev.prepaid.pos.PosOperation;
import dev.prepaid.pos.PosResult;
import dev.prepaid.pos.PosTerminal;
import dev.prepaid.security.DesKey;
import dev.prepaid.server.TestLinks.CorruptingLink;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys and MACs end to end (pos-iso8583 §5, §8): a request changed on the way, or MAC'd with keys the switch
 * no longer holds, is refused A0 and changes nothing; sign-on and sign-off install and drop the working keys;
 * a terminal with the wrong TMK cannot read them.
 *
 * <p>One switch for the class. Each test uses its own terminal id (two simulators of one id get STAN ranges
 * far apart), so the tests do not depend on their order.
 */
class SecurityEndToEndTest {
    @TempDir
    static Path directory;

    private static SwitchServer server;

    @BeforeAll
    static void startSwitch() {
        server = DemoSwitch.start(directory);
    }

    @AfterAll
    static void stopSwitch() {
        DemoSwitch.stop(server);
    }

    @Test
    void requestWhoseAmountWasChangedOnTheWayIsRefusedA0AndChargesNothing() {
        final CorruptingLink line = new CorruptingLink(server.posPort());
        try (PosTerminal pos = DemoSwitch.terminal(server, "10000001").link(line).build()) {
            final Card card = giftCard(400);
            assertApproved(pos.signOn());
            line.corruptNextRequest(4);

            final PosResult purchase = pos.purchase(card, 10_00);

            assertThat(purchase.responseCode()).as("%s", purchase).isEqualTo("A0");
            // A0 tells the terminal to sign on again. The answer carries a MAC the terminal verified (§5), so the
            // decline is certain and no reversal is owed (a reversal with reason A0 is for an answer whose MAC fails).
            assertThat(pos.signedOn()).isFalse();
            assertThat(purchase.reversalOwed()).isNull();

            final PosResult balance = pos.balance(card);
            assertApproved(balance);
            assertThat(balance.preliminaries()).extracting(PosResult::operation)
                    .containsExactly(PosOperation.SIGN_ON);
            assertThat(balance.preliminaries()).allMatch(PosResult::approved);
            assertThat(balance.availableBalance()).isEqualTo(100_00);
        }
    }

    @Test
    void requestWithACorruptedMacIsRefusedA0() {
        final CorruptingLink line = new CorruptingLink(server.posPort());
        try (PosTerminal pos = DemoSwitch.terminal(server, "10000003").link(line).build()) {
            final Card card = giftCard(401);
            assertApproved(pos.signOn());
            line.corruptNextRequest(64);

            final PosResult balance = pos.balance(card);

            assertThat(balance.responseCode()).as("%s", balance).isEqualTo("A0");
            assertThat(pos.signedOn()).isFalse();
            // an inquiry moves no money: nothing to reverse; the next one signs on again and goes through
            assertThat(pos.pendingReversal()).isNull();
            final PosResult again = pos.balance(card);
            assertApproved(again);
            assertThat(again.availableBalance()).isEqualTo(100_00);
        }
    }

    @Test
    void answersAreMacedForDeclinesToo() {
        try (PosTerminal pos = DemoSwitch.terminal(server, "10000003").stan(300_000).build()) {
            // ANSWERED means the simulator verified field 64 of the answer with its MAK
            final PosResult declined = pos.purchase(DemoSwitch.manual("8888000200000032", null), 1_00);
            assertDeclined(declined, "51");
            assertThat(decode(declined).has(64)).isTrue();
            final PosResult forgedCvn = pos.balance(Card.swiped("8888000100000017=4912120008"));
            assertDeclined(forgedCvn, "14");
        }
    }

    @Test
    void trackDataFlaggedEncryptedIsRefusedA7ByNameAndChangesNothing() {
        // §3 lets field 53 digit 3 flag encrypted track data but defines no track encryption: the switch takes
        // tracks in clear only, and says so (A7) rather than reading ciphertext as a card number (14/30).
        // Field 53 goes with a PIN block, so the card is the named shopping card with its PIN.
        final Card swiped = Card.swiped("8888000100000017=4912120009").withPin("123456");
        final Card keyed = DemoSwitch.manual("8888000100000017", "123456");
        try (PosTerminal flagging = DemoSwitch.terminal(server, "10000003").stan(400_000)
                .securityControl("2610000000000000").build();
                PosTerminal clear = DemoSwitch.terminal(server, "10000001").stan(400_000).build()) {
            final long before = available(clear, keyed);
            final PosResult refused = flagging.purchase(swiped, 1_00);
            assertDeclined(refused, "A7"); // ANSWERED: the refusal's MAC verified at the terminal
            assertThat(decode(refused).has(64)).isTrue();
            assertThat(available(clear, keyed)).isEqualTo(before);
            // the flag means nothing without a track: keyed entry goes through
            assertApproved(flagging.purchase(keyed, 1_00));
            assertThat(available(clear, keyed)).isEqualTo(before - 1_00);
        }
    }

    @Test
    void signOffDropsTheKeysAtTheSwitchSoTheirMacsAreRefusedA0() {
        final Card card = giftCard(402);
        try (PosTerminal pos = DemoSwitch.terminal(server, "10000002").build();
                PosTerminal sameTerminalLater = DemoSwitch.terminal(server, "10000002").stan(500_000)
                        .autoSignOn(false).build()) {
            assertApproved(pos.signOn());
            assertApproved(pos.balance(card));
            // the terminal signs off (as seen from another of its sessions: the first still holds the old keys)
            assertApproved(sameTerminalLater.signOff());

            final PosResult purchase = pos.purchase(card, 10_00);

            assertThat(purchase.responseCode()).as("%s", purchase).isEqualTo("A0");
            final PosResult balance = pos.balance(card);
            assertApproved(balance);
            assertThat(balance.preliminaries()).extracting(PosResult::operation)
                    .containsExactly(PosOperation.SIGN_ON, PosOperation.REVERSAL);
            assertThat(balance.availableBalance()).isEqualTo(100_00);
        }
    }

    @Test
    void newSignOnReplacesTheWorkingKeys() {
        final Card card = giftCard(403);
        try (PosTerminal before = DemoSwitch.terminal(server, "20000001").build();
                PosTerminal after = DemoSwitch.terminal(server, "20000001").stan(500_000).build()) {
            assertApproved(before.signOn());
            assertApproved(after.signOn());
            assertThat(after.makCheckValue()).as("fresh keys at every sign-on").isNotEqualTo(before.makCheckValue());

            assertThat(before.balance(card).responseCode()).isEqualTo("A0");
            final PosResult balance = after.balance(card);
            assertApproved(balance);
            assertThat(balance.preliminaries()).isEmpty();
        }
    }

    @Test
    void terminalWithTheWrongTmkCannotReadItsWorkingKeys() {
        // 20000002's sign-on answer is encrypted under its own TMK; this one holds 10000001's
        try (PosTerminal impostor = DemoSwitch.terminal(server, "20000002")
                .tmk(DesKey.fromHex(DemoSwitch.TMKS.get("10000001"))).build()) {
            final PosResult signOn = impostor.signOn();

            assertThat(signOn.responseCode()).isEqualTo("00");
            assertThat(signOn.status()).as("%s", signOn).isEqualTo(PosResult.Status.KEY_ERROR);
            assertThat(impostor.signedOn()).isFalse();
            final PosResult purchase = impostor.purchase(giftCard(404), 10_00);
            assertThat(purchase.status()).as("%s", purchase).isEqualTo(PosResult.Status.NOT_SENT);
        }
    }

    @Test
    void settlementNeedsASignedOnTerminal() {
        try (PosTerminal pos = DemoSwitch.terminal(server, "20000003").build()) {
            // the disabled terminal cannot even sign on (58), so it never settles
            assertThat(pos.signOn().responseCode()).isEqualTo("58");
        }
        // 10000001's second simulator: STANs far from those of the tamper test
        try (PosTerminal pos = DemoSwitch.terminal(server, "10000001").stan(700_000).build()) {
            assertApproved(pos.signOn());
            assertApproved(pos.signOff());

            final PosResult settlement = pos.settle();

            assertThat(settlement.responseCode()).as("%s", settlement).isEqualTo("22");
        }
    }

    @Test
    void a0AnswerIsMacedWhenTheSwitchHoldsTheTerminalsKeys() {
        final CorruptingLink line = new CorruptingLink(server.posPort());
        try (PosTerminal pos = DemoSwitch.terminal(server, "10000001").stan(800_000).link(line).build()) {
            assertApproved(pos.signOn());
            line.corruptNextRequest(4);
            final PosResult purchase = pos.purchase(giftCard(499), 10_00);
            assertThat(purchase.responseCode()).isEqualTo("A0");
            // §5: field 64 on responses for any response code; the switch still holds this terminal's MAK, and the
            // simulator verified the answer's MAC with it.
            assertThat(purchase.status()).as("%s", purchase).isEqualTo(PosResult.Status.ANSWERED);
        }
    }
}
