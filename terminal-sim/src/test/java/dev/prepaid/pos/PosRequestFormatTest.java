package dev.prepaid.pos;

import static dev.prepaid.pos.PosTestSupport.CLEAR_PIN_BLOCK;
import static dev.prepaid.pos.PosTestSupport.MAK_CLEAR;
import static dev.prepaid.pos.PosTestSupport.MAK_KCV;
import static dev.prepaid.pos.PosTestSupport.MERCHANT;
import static dev.prepaid.pos.PosTestSupport.PAN;
import static dev.prepaid.pos.PosTestSupport.PIK_CLEAR;
import static dev.prepaid.pos.PosTestSupport.PIK_KCV;
import static dev.prepaid.pos.PosTestSupport.PIN;
import static dev.prepaid.pos.PosTestSupport.TERMINAL;
import static dev.prepaid.pos.PosTestSupport.VECTOR_KEYS;
import static dev.prepaid.testing.TestHex.ascii;
import static dev.prepaid.testing.TestHex.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.iso8583.Bitmap;
import dev.prepaid.iso8583.Dialect;
import dev.prepaid.iso8583.IsoMessage;
import dev.prepaid.iso8583.Transaction;
import dev.prepaid.security.CvkPair;
import dev.prepaid.security.Cvn;
import dev.prepaid.security.DesKey;
import dev.prepaid.security.Hex;
import dev.prepaid.security.KeyLayout;
import dev.prepaid.security.MacFunction;
import dev.prepaid.security.Track2;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The requests as the switch sees them: every frame the terminal sends is decoded with {@link IsoMessage},
 * recognised with the dialect's transaction table, and checked byte by byte where §1–§5 say how (TPDU, header,
 * field 22 left-aligned, 26 only with 52, 53, 60, 61, MAC over the MAC block).
 */
class PosRequestFormatTest {
    private static final Dialect DIALECT = PosTestSupport.dialect();
    private static final CvkPair CVK = CvkPair.of(DesKey.fromHex("0123456789ABCDEFFEDCBA9876543210"));

    @Test
    void signOnAndPurchaseAreExactlyTheSpecFrames() throws Exception {
        try (FakeSwitch fake = PosTestSupport.fakeSwitch();
             PosTerminal pos = PosTestSupport.terminal(fake).build()) {
            fake.fixedKeys = VECTOR_KEYS;
            final PosResult signOn = pos.signOn();
            assertThat(signOn.approved()).as(signOn.toString()).isTrue();
            assertThat(signOn.pikCheckValue()).isEqualTo(PIK_KCV);
            assertThat(signOn.makCheckValue()).isEqualTo(MAK_KCV);
            assertThat(hex(fake.take(), 0, signOn.request().length)).isEqualTo(
                    "6000030000" + "603100310000" + "0800" + "0020000000C00012"
                    + "000001" + ascii(TERMINAL) + ascii(MERCHANT)
                    + "0011" + "000000010030"                       // 60: 00 000001 003, pad nibble
                    + "0003" + ascii("001"));                       // 63: operator code

            final PosResult sale = pos.purchase(Card.manual(PAN, 2712).withPin(PIN), 1234);
            assertThat(sale.approved()).as(sale.toString()).isTrue();
            final byte[] frame = fake.take();
            assertThat(frame).isEqualTo(sale.request());
            final int pinAt = 11 + 2 + 8 + 1 + 10 + 3 + 6 + 3 + 2 + 2 + 1 + 1 + 8 + 15 + 3;
            final int macAt = frame.length - 8;
            assertThat(hex(frame, 0, pinAt)).isEqualTo(
                    "6000030000" + "603100310000" + "0200" + "702404C000C09811"
                    + "19" + "62284804025648900180"                // 2: LL digits, left-aligned, pad 0
                    + "000000" + "000000001234" + "000002" + "2712"
                    + "0110"                                        // 22: 011 left-aligned
                    + "00" + "12"                                   // 25, 26
                    + ascii(TERMINAL) + ascii(MERCHANT) + ascii("156"));
            assertThat(hex(frame, pinAt + 8, macAt - pinAt - 8)).isEqualTo(
                    "2600000000000000" + "0011" + "220000010000");  // 53; 60: 22 000001 000
            final byte[] clear = new byte[8];
            DesKey.fromHex(PIK_CLEAR).decryptBlock(frame, pinAt, clear, 0);
            assertThat(Hex.encode(clear)).isEqualTo(CLEAR_PIN_BLOCK);
            final byte[] mac = new byte[8];
            MacFunction.CUP_ECB.compute(DesKey.fromHex(MAK_CLEAR), frame, 11, macAt - 11, mac, 0);
            assertThat(Arrays.copyOfRange(frame, macAt, frame.length)).isEqualTo(mac);
            assertThat(new String(mac, java.nio.charset.StandardCharsets.US_ASCII)).matches("[0-9A-F]{8}");
        }
    }

    @Test
    void swipedCardSendsTrack2WithAValidCvnAndEntryMode02() throws Exception {
        try (FakeSwitch fake = PosTestSupport.fakeSwitch();
             PosTerminal pos = PosTestSupport.terminal(fake).build()) {
            pos.signOn();
            fake.take();
            final Card card = Card.swiped(PAN, 2712, 120, CVK, "0000").withPin(PIN);
            assertThat(pos.purchase(card, 500).approved()).isTrue();
            final IsoMessage m = fake.takeMessage();
            assertThat(m.has(2)).isFalse();
            assertThat(m.has(14)).isFalse();
            assertThat(m.has(35)).isTrue();
            assertThat(m.indexOfSeparator(35)).isEqualTo(19);
            assertThat(hex(bytes(m), m.dataOffset(22), 2)).isEqualTo("0210");
            final byte[] track = new byte[m.length(35)];
            m.getDigits(35, track, 0);
            final Track2 parsed = new Track2();
            assertThat(parsed.parse(track, 0, track.length)).isEqualTo(Track2.OK);
            assertThat(parsed.serviceCode()).isEqualTo(120);
            assertThat(new Cvn().matches(CVK, parsed)).isTrue();
            assertRecognised(m, PosOperation.PURCHASE, fake);
        }
    }

    @Test
    void withoutPinThereIsNo26Nor52Nor53AndEntryModeSaysSo() throws Exception {
        try (FakeSwitch fake = PosTestSupport.fakeSwitch();
             PosTerminal pos = PosTestSupport.terminal(fake).build()) {
            pos.signOn();
            fake.take();
            assertThat(pos.purchase(Card.manual(PAN, 2712), 100).approved()).isTrue();
            final IsoMessage m = fake.takeMessage();
            assertThat(hex(bytes(m), m.dataOffset(22), 2)).isEqualTo("0120");
            assertThat(m.has(26) || m.has(52) || m.has(53)).isFalse();
            assertRecognised(m, PosOperation.PURCHASE, fake);
        }
    }

    @Test
    void everyTransactionIsRecognisedByTheTableWithItsFields() throws Exception {
        try (FakeSwitch fake = PosTestSupport.fakeSwitch();
             PosTerminal pos = PosTestSupport.terminal(fake).build()) {
            pos.signOn();
            fake.take();
            final Card card = PosTestSupport.manualCard();

            final PosResult sale = pos.purchase(card, 1000);
            final IsoMessage purchase = check(fake, PosOperation.PURCHASE);
            assertThat(purchase.numeric(4)).isEqualTo(1000);
            assertThat(sale.availableBalance()).isEqualTo(FakeSwitch.BALANCE);

            final PosResult balance = pos.balance(card);
            final IsoMessage inquiry = check(fake, PosOperation.BALANCE_INQUIRY);
            assertThat(inquiry.has(4)).isFalse();
            assertThat(inquiry.has(52)).isTrue();
            assertThat(balance.availableBalance()).isEqualTo(FakeSwitch.BALANCE);

            final PosResult voided = pos.voidPurchase(sale);
            assertThat(voided.approved()).as(voided.toString()).isTrue();
            final IsoMessage purchaseVoid = check(fake, PosOperation.PURCHASE_VOID);
            assertThat(purchaseVoid.numeric(4)).isEqualTo(1000);
            assertThat(text(purchaseVoid, 37)).isEqualTo(sale.rrn());
            assertThat(text(purchaseVoid, 38)).isEqualTo(sale.authCode());
            assertThat(digits(purchaseVoid, 61)).isEqualTo("000001" + "000002");
            assertThat(purchaseVoid.has(52)).as("a void asks for no PIN").isFalse();

            final PosResult sale2 = pos.purchase(card, 2000);
            check(fake, PosOperation.PURCHASE);
            assertThat(pos.refund(sale2, 500).approved()).isTrue();
            final IsoMessage refund = check(fake, PosOperation.REFUND);
            assertThat(refund.mti()).isEqualTo(220);
            assertThat(refund.numeric(4)).isEqualTo(500);
            assertThat(text(refund, 37)).isEqualTo(sale2.rrn());
            assertThat(refund.has(38)).isFalse();
            assertThat(digits(refund, 61)).as("batch, STAN and the switch's date")
                    .isEqualTo("000001" + "000005" + "1123");

            final PosResult topUp = pos.recharge(card, 3000);
            check(fake, PosOperation.RECHARGE);
            assertThat(pos.voidRecharge(topUp).approved()).isTrue();
            final IsoMessage rechargeVoid = check(fake, PosOperation.RECHARGE_VOID);
            assertThat(rechargeVoid.numeric(3)).isEqualTo(170000);
            assertThat(digits(rechargeVoid, 61)).isEqualTo("000001" + Card.pad(topUp.stan(), 6));

            final PosResult hold = pos.preAuth(card, 5000);
            final IsoMessage preauth = check(fake, PosOperation.PREAUTH);
            assertThat(preauth.mti()).isEqualTo(100);
            assertThat(preauth.numeric(25)).isEqualTo(6);
            assertThat(pos.preAuthCancel(hold).approved()).isTrue();
            final IsoMessage cancel = check(fake, PosOperation.PREAUTH_CANCEL);
            assertThat(cancel.numeric(4)).isEqualTo(5000);
            assertThat(text(cancel, 38)).isEqualTo(hold.authCode());
            assertThat(digits(cancel, 61)).isEqualTo("000001" + Card.pad(hold.stan(), 6) + "1123");

            final PosResult hold2 = pos.preAuth(card, 5000);
            check(fake, PosOperation.PREAUTH);
            final PosResult completion = pos.complete(hold2, 4200);
            assertThat(completion.approved()).isTrue();
            final IsoMessage complete = check(fake, PosOperation.COMPLETION);
            assertThat(complete.numeric(4)).isEqualTo(4200);
            assertThat(complete.numeric(25)).isEqualTo(6);
            assertThat(text(complete, 38)).isEqualTo(hold2.authCode());
            assertThat(pos.voidCompletion(completion).approved()).isTrue();
            final IsoMessage completionVoid = check(fake, PosOperation.COMPLETION_VOID);
            assertThat(completionVoid.numeric(4)).isEqualTo(4200);
            assertThat(digits(completionVoid, 61)).isEqualTo("000001" + Card.pad(completion.stan(), 6));

            assertThat(pos.echo().approved()).isTrue();
            final IsoMessage echo = fake.takeMessage();
            assertThat(DIALECT.transactions().find(echo).name).isEqualTo("ECHO_TEST");
            assertThat(echo.has(64)).isFalse();
            assertThat(pos.signOff().approved()).isTrue();
            assertThat(DIALECT.transactions().find(fake.takeMessage()).name).isEqualTo("SIGN_OFF");
            assertThat(pos.signedOn()).isFalse();
        }
    }

    @Test
    void layout001UsesSingleDesInField53AndX919MacsVerify() throws Exception {
        for (final KeyLayout layout : KeyLayout.values()) {
            for (final MacFunction algorithm : List.of(MacFunction.CUP_ECB, MacFunction.X9_19)) {
                try (FakeSwitch fake = PosTestSupport.fakeSwitch(layout, algorithm);
                     PosTerminal pos = PosTestSupport.terminal(fake).keyLayout(layout).macAlgorithm(algorithm)
                             .build()) {
                    assertThat(pos.signOn().approved()).isTrue();
                    final IsoMessage signOn = fake.takeMessage();
                    assertThat(signOn.subField(DIALECT.subField("60.3"))).isEqualTo(layout.networkManagementCode());
                    final PosResult sale = pos.purchase(PosTestSupport.manualCard(), 100);
                    assertThat(sale.approved()).as(layout + " " + algorithm + ": " + sale).isTrue();
                    final IsoMessage m = check(fake, PosOperation.PURCHASE);
                    assertThat(m.numeric(53)).isEqualTo(layout == KeyLayout.SINGLE_LENGTH
                            ? 2_000_000_000_000_000L : 2_600_000_000_000_000L);
                    final byte[] clear = new byte[8];
                    fake.keys.pik().decryptBlock(bytes(m), m.dataOffset(52), clear, 0);
                    assertThat(Hex.encode(clear)).isEqualTo(CLEAR_PIN_BLOCK);
                }
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Takes the next request and checks it as the switch would; returns it decoded. */
    private static IsoMessage check(final FakeSwitch fake, final PosOperation operation) throws InterruptedException {
        final IsoMessage m = fake.takeMessage();
        assertRecognised(m, operation, fake);
        return m;
    }

    private static void assertRecognised(final IsoMessage m, final PosOperation operation, final FakeSwitch fake) {
        final Transaction row = DIALECT.transactions().find(m);
        assertThat(row).as("recognised").isNotNull();
        assertThat(row.name).isEqualTo(operation.tableName());
        assertThat(row.missingField(m.bitmap())).as("missing field").isZero();
        assertThat(row.unexpectedField(m.bitmap())).as("unexpected field").isZero();
        assertThat(hex(bytes(m), 0, 11)).isEqualTo("6000030000603100310000");
        assertThat(m.has(26)).as("26 only with 52").isEqualTo(m.has(52));
        assertThat(m.has(53)).as("53 only with 52").isEqualTo(m.has(52));
        if (m.has(26)) {
            assertThat(m.numeric(26)).isEqualTo(12);
        }
        assertThat(m.has(2)).as("2 or 35").isNotEqualTo(m.has(35));
        assertThat(m.has(14)).as("14 with a keyed-in PAN").isEqualTo(m.has(2));
        if (m.has(22)) {
            final int first = bytes(m)[m.dataOffset(22)] & 0xFF;
            final int second = bytes(m)[m.dataOffset(22) + 1] & 0xFF;
            assertThat(first).isIn(0x01, 0x02);
            assertThat(second).as("left-aligned, pad nibble last").isIn(0x10, 0x20);
            assertThat(second == 0x10).as("digit 3 says PIN").isEqualTo(m.has(52));
        }
        if (m.has(49)) {
            assertThat(text(m, 49)).isEqualTo("156");
        }
        assertThat(m.subField(DIALECT.subField("60.3"))).isZero();
        assertThat(m.length(60)).isEqualTo(11);
        assertThat(m.has(64)).isTrue();
        assertThat(m.macBlockOffset()).isEqualTo(m.offset() + 11);
        assertThat(m.macBlockLength()).isEqualTo(m.frameLength() - 11 - 8);
        final byte[] scratch = new byte[8];
        assertThat(MacFunction.CUP_ECB.verify(fake.keys.mak(), bytes(m), m.macBlockOffset(), m.macBlockLength(),
                bytes(m), m.dataOffset(64), scratch) || MacFunction.X9_19.verify(fake.keys.mak(), bytes(m),
                m.macBlockOffset(), m.macBlockLength(), bytes(m), m.dataOffset(64), scratch))
                .as("MAC over MTI..field 63").isTrue();
        assertThat(Bitmap.has(m.bitmap(), 64)).isTrue();
    }

    private static byte[] bytes(final IsoMessage m) {
        return m.buffer().byteArray();
    }

    private static String text(final IsoMessage m, final int field) {
        final byte[] out = new byte[m.dataBytes(field)];
        m.getBytes(field, out, 0);
        return new String(out, java.nio.charset.StandardCharsets.US_ASCII).trim();
    }

    private static String digits(final IsoMessage m, final int field) {
        final byte[] out = new byte[m.length(field)];
        m.getDigits(field, out, 0);
        return new String(out, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
