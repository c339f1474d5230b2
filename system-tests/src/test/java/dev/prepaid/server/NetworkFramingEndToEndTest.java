package dev.prepaid.server;

import static dev.prepaid.demo.DemoBusiness.giftCard;
import static dev.prepaid.server.EndToEnd.available;
import static dev.prepaid.server.RawSocket.WAIT_MS;
import static dev.prepaid.server.RawSocket.assertClosedWithoutAnswer;
import static dev.prepaid.server.RawSocket.readFrame;
import static dev.prepaid.server.RawSocket.responseCode;
import static dev.prepaid.server.RawSocket.stanOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.command.Ascii;
import dev.prepaid.config.ServerSettings;
import dev.prepaid.config.SwitchConfig;
import dev.prepaid.iso8583.IsoFrame;
import dev.prepaid.iso8583.IsoMessage;
import dev.prepaid.iso8583.IsoWriter;
import dev.prepaid.pos.Card;
import dev.prepaid.pos.PosResult;
import dev.prepaid.pos.PosTerminal;
import dev.prepaid.pos.SocketLink;
import dev.prepaid.server.TestLinks.CapturingLink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Framing over real TCP against the real switch (pos-iso8583 §1): the 2-byte length and its limits, frames cut
 * short, frames that trickle in, bytes that are not ISO 8583, and one request in flight per connection. Frames
 * are made by the terminal simulator (so they carry a real MAC) and sent through raw sockets in whatever shape
 * the test needs.
 */
class NetworkFramingEndToEndTest {
    /** Short, so that a frame left unfinished is cut off quickly; long enough for a few writes to fit in it. */
    private static final int FRAME_DEADLINE_MS = 2_000;
    /** Below the dialect's 2048, so that the configured limit is what a frame runs into. */
    private static final int MAX_FRAME_BYTES = 512;

    @TempDir
    static Path directory;
    static SwitchServer server;
    /** Terminal 10000001 on a line the test can switch to "capture": the frame is kept, not sent. */
    static CapturingLink link;
    static PosTerminal pos;

    @BeforeAll
    static void start() {
        final SwitchConfig demo = DemoSwitch.config(directory);
        final ServerSettings s = demo.server();
        server = SwitchServer.start(DemoSwitch.withServer(demo, new ServerSettings(s.host(), s.port(), MAX_FRAME_BYTES,
                s.maxConnections(), s.idleTimeoutSeconds(), FRAME_DEADLINE_MS, s.allowList())));
        link = new CapturingLink(new SocketLink("127.0.0.1", server.posPort(), 5_000));
        // One terminal for the whole class: its STANs go on from test to test (a repeated STAN would be a duplicate).
        pos = DemoSwitch.terminal(server, "10000001").link(link).build();
        assertThat(pos.signOn().responseCode()).isEqualTo("00");
    }

    @AfterAll
    static void stop() {
        DemoSwitch.stop(server, pos);
    }

    // ------------------------------------------------------------------ length limits

    @Test
    void frameOfExactlyMaxFrameBytesIsAnsweredAndOneByteMoreClosesTheConnection() throws Exception {
        final byte[] atLimit = echoOfLength(MAX_FRAME_BYTES);
        final byte[] overLimit = echoOfLength(MAX_FRAME_BYTES + 1);
        try (Socket socket = connect()) {
            socket.getOutputStream().write(atLimit);
            final IsoMessage answer = decode(readFrame(socket));
            assertThat(answer.mti()).isEqualTo(830);
            assertThat(responseCode(answer)).isEqualTo("00");
            assertThat(answer.numeric(11)).isEqualTo(stanOf(atLimit));
        }
        // A well-formed echo test, but one byte over the configured maximum (though within the dialect's).
        assertClosedAsProtocolError(overLimit);
    }

    @Test
    void purchaseLongerThanMaxFrameBytesClosesTheConnectionAndIsNotProcessed() throws Exception {
        final Card card = giftCard(101);
        final long before = available(pos, card);
        final byte[] purchase = capturePurchase(card, 500);
        // A real purchase with padding, so that the length says one byte over the maximum.
        final byte[] oversized = Arrays.copyOf(purchase, 2 + MAX_FRAME_BYTES + 1);
        IsoFrame.putBodyLength(new UnsafeBuffer(oversized), 0, MAX_FRAME_BYTES + 1);

        assertClosedAsProtocolError(oversized);
        assertThat(available(pos, card)).isEqualTo(before);
    }

    @ParameterizedTest(name = "length prefix {0}")
    @ValueSource(ints = {MAX_FRAME_BYTES + 1, 2049, 0x7FFF, 0xFFFF})
    void lengthPrefixOverTheMaximumClosesBeforeTheBodyArrives(final int length) throws Exception {
        try (Socket socket = connect()) {
            // Only the length: the switch must not wait for (or buffer) a body it will never accept.
            socket.getOutputStream().write(new byte[] {(byte) (length >> 8), (byte) length});
            assertClosedWithoutAnswer(socket);
        }
        assertServing();
    }

    @ParameterizedTest(name = "length prefix {0}")
    @ValueSource(ints = {0, 1, 5, 11, 13, 20})
    void frameShorterThanTpduHeaderMtiAndBitmapClosesTheConnection(final int length) throws Exception {
        final byte[] echo = captureEcho();
        // The first bytes of a real request, with a length below 5 + 6 + 2 + 8 = 21.
        final byte[] shortFrame = Arrays.copyOf(echo, 2 + length);
        IsoFrame.putBodyLength(new UnsafeBuffer(shortFrame), 0, length);
        assertClosedAsProtocolError(shortFrame);
        assertServing();
    }

    // ------------------------------------------------------------------ incomplete frames

    @Test
    void truncatedFrameThenCloseIsNotProcessedAndFreesTheConnection() throws Exception {
        final Card card = giftCard(102);
        final long before = available(pos, card);
        final byte[] purchase = capturePurchase(card, 700);
        awaitConnections(1); // the terminal's own line

        try (Socket socket = connect()) {
            socket.getOutputStream().write(purchase, 0, purchase.length - 3);
            socket.getOutputStream().flush();
            awaitConnections(2);
        }
        awaitConnections(1);
        assertThat(available(pos, card)).isEqualTo(before);

        // The whole frame on a new line is then processed once.
        try (Socket socket = connect()) {
            socket.getOutputStream().write(purchase);
            final IsoMessage answer = decode(readFrame(socket));
            assertThat(answer.mti()).isEqualTo(210);
            assertThat(responseCode(answer)).isEqualTo("00");
        }
        assertThat(available(pos, card)).isEqualTo(before - 700);
    }

    @Test
    void truncatedLengthPrefixThenCloseFreesTheConnection() throws Exception {
        awaitConnections(1);
        try (Socket socket = connect()) {
            socket.getOutputStream().write(0x00); // half a length prefix
            socket.getOutputStream().flush();
            awaitConnections(2);
        }
        awaitConnections(1);
        assertServing();
    }

    @Test
    void frameTrickledPastTheFrameDeadlineIsCutOffUnprocessed() throws Exception {
        final Card card = giftCard(103);
        final long before = available(pos, card);
        final byte[] purchase = capturePurchase(card, 900);
        final long errors = DemoSwitch.metric(server, "prepaid_protocol_errors_total");

        try (Socket socket = connect()) {
            socket.setTcpNoDelay(true);
            // One byte every 100 ms: the whole frame would take many times the 2 s deadline.
            final Thread dribbler = new Thread(() -> {
                try {
                    for (final byte b : purchase) {
                        socket.getOutputStream().write(b);
                        socket.getOutputStream().flush();
                        Thread.sleep(100);
                    }
                } catch (final IOException | InterruptedException stopped) {
                    // the switch cut the line, or the test is over
                }
            }, "dribbler");
            dribbler.setDaemon(true);
            dribbler.start();
            assertClosedWithoutAnswer(socket);
            dribbler.interrupt();
            dribbler.join(WAIT_MS);
        }
        assertThat(DemoSwitch.metric(server, "prepaid_protocol_errors_total")).isEqualTo(errors + 1);
        assertThat(available(pos, card)).isEqualTo(before);
    }

    @Test
    void frameArrivingInPiecesWithinTheDeadlineIsAnswered() throws Exception {
        final Card card = giftCard(104);
        final long before = available(pos, card);
        final byte[] purchase = capturePurchase(card, 1_100);

        try (Socket socket = connect()) {
            socket.setTcpNoDelay(true);
            // The length prefix split in two, then the body in three pieces, a little apart.
            final int[] cuts = {1, 2, 20, purchase.length - 1, purchase.length};
            int from = 0;
            for (final int cut : cuts) {
                socket.getOutputStream().write(purchase, from, cut - from);
                socket.getOutputStream().flush();
                from = cut;
                Thread.sleep(30);
            }
            final IsoMessage answer = decode(readFrame(socket));
            assertThat(answer.mti()).isEqualTo(210);
            assertThat(responseCode(answer)).isEqualTo("00");
            assertThat(answer.numeric(11)).isEqualTo(stanOf(purchase));
        }
        assertThat(available(pos, card)).isEqualTo(before - 1_100);
    }

    @Test
    void severalFramesInOneWriteAreEachAnswered() throws Exception {
        final byte[] first = captureEcho();
        final byte[] second = captureEcho();
        final byte[] third = captureEcho();
        try (Socket socket = connect()) {
            final ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.write(first);
            all.write(second);
            all.write(third);
            socket.getOutputStream().write(all.toByteArray());
            final List<Long> stans = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                final IsoMessage answer = decode(readFrame(socket));
                assertThat(answer.mti()).isEqualTo(830);
                assertThat(responseCode(answer)).isEqualTo("00");
                stans.add(answer.numeric(11));
            }
            assertThat(stans).containsExactly(stanOf(first), stanOf(second), stanOf(third));
        }
    }

    // ------------------------------------------------------------------ content that is not a request

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bad TPDU", "bad MTI", "HTTP request", "TLS hello"})
    void bytesThatAreNotIso8583CloseTheConnectionWithoutAnswer(final String kind) throws Exception {
        final byte[] bytes;
        switch (kind) {
            case "bad TPDU" -> {
                bytes = captureEcho().clone();
                bytes[2] = 0x2E; // TPDU id must be 0x60
            }
            case "bad MTI" -> {
                bytes = captureEcho().clone();
                bytes[2 + 11] = (byte) 0xAB; // not BCD: no MTI to answer with
            }
            case "HTTP request" -> bytes = "GET /metrics HTTP/1.1\r\nHost: switch\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            default -> bytes = new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xA5, 0x01, 0x00, 0x00, (byte) 0xA1, 0x03, 0x03};
        }
        assertClosedAsProtocolError(bytes);
        assertServing();
    }

    // ------------------------------------------------------------------ one request in flight

    @Test
    void secondRequestWhileOneIsInFlightIsRefused96AndTheFirstIsStillAnswered() throws Exception {
        final Card card = giftCard(105);
        final long before = available(pos, card);
        final byte[] purchase = capturePurchase(card, 1_300);
        final byte[] echo = captureEcho();
        final long busy = DemoSwitch.metric(server, "prepaid_busy_refusals_total");

        try (Socket socket = connect()) {
            // Both in one write: the echo test is read while the purchase is still with the ledger.
            final byte[] both = Arrays.copyOf(purchase, purchase.length + echo.length);
            System.arraycopy(echo, 0, both, purchase.length, echo.length);
            socket.getOutputStream().write(both);
            String purchaseCode = null;
            String echoCode = null;
            for (int i = 0; i < 2; i++) {
                final IsoMessage answer = decode(readFrame(socket));
                if (answer.mti() == 210) {
                    purchaseCode = responseCode(answer);
                } else {
                    assertThat(answer.mti()).isEqualTo(830);
                    assertThat(answer.numeric(11)).isEqualTo(stanOf(echo));
                    echoCode = responseCode(answer);
                }
            }
            assertThat(purchaseCode).isEqualTo("00");
            assertThat(echoCode).isEqualTo("96");

            // Once the first is answered the line takes the next request.
            socket.getOutputStream().write(echo);
            assertThat(responseCode(decode(readFrame(socket)))).isEqualTo("00");
        }
        assertThat(DemoSwitch.metric(server, "prepaid_busy_refusals_total")).isEqualTo(busy + 1);
        assertThat(available(pos, card)).isEqualTo(before - 1_300);
    }

    @Test
    void theBusyRefusalOfATransactionWithAMacCarriesAMac() throws Exception {
        final Card card = giftCard(107);
        final byte[] first = capturePurchase(card, 1_400);
        final byte[] second = capturePurchase(card, 1_500);
        try (Socket socket = connect()) {
            final byte[] both = Arrays.copyOf(first, first.length + second.length);
            System.arraycopy(second, 0, both, first.length, second.length);
            socket.getOutputStream().write(both);
            for (int i = 0; i < 2; i++) {
                final byte[] body = readFrame(socket);
                final IsoMessage answer = decode(body);
                assertThat(answer.mti()).isEqualTo(210);
                if (answer.numeric(11) == stanOf(second)) {
                    assertThat(responseCode(answer)).isEqualTo("96");
                } else {
                    assertThat(responseCode(answer)).isEqualTo("00");
                }
                // §5: a MAC for any response code, the 96 of a line that is busy included.
                assertThat(pos.macVerifies(body, body.length)).as("MAC of the %s answer", responseCode(answer)).isTrue();
            }
        }
    }

    @Test
    void protocolErrorClosesOnlyItsOwnConnection() throws Exception {
        assertThat(pos.echo().responseCode()).isEqualTo("00");
        final long connects = link.socket.connects();
        try (Socket socket = connect()) {
            socket.getOutputStream().write(new byte[] {(byte) 0xFF, (byte) 0xFF});
            assertClosedWithoutAnswer(socket);
        }
        // The terminal's line was not touched: same connection, still signed on, still transacting.
        assertThat(pos.echo().responseCode()).isEqualTo("00");
        final PosResult purchase = pos.purchase(giftCard(106), 100);
        assertThat(purchase.responseCode()).isEqualTo("00");
        assertThat(link.socket.connects()).isEqualTo(connects);
    }

    // ------------------------------------------------------------------ helpers

    /** An echo test of terminal 10000001 whose body is exactly {@code length} bytes (field 62 fills it up). */
    private static byte[] echoOfLength(final int length) {
        final int base = RawSocket.echo("10000001", 900_000, 0).length - IsoFrame.LENGTH_BYTES;
        final int fill = length - base - 2; // field 62: 2-byte length prefix, then the bytes
        assertThat(fill).isBetween(0, 512);
        final byte[] frame = RawSocket.echo("10000001", 900_000 + fill, fill);
        assertThat(frame.length - IsoFrame.LENGTH_BYTES).isEqualTo(length);
        return frame;
    }

    /** A purchase as terminal 10000001 would send it (length prefix, MAC), not sent. */
    private static byte[] capturePurchase(final Card card, final long amount) {
        link.capture = true;
        try {
            assertThat(pos.purchase(card, amount).status()).isEqualTo(PosResult.Status.TIMEOUT);
        } finally {
            link.capture = false;
        }
        pos.discardReversal(); // the switch never saw it
        return link.captured;
    }

    private static byte[] captureEcho() {
        link.capture = true;
        try {
            pos.echo();
        } finally {
            link.capture = false;
        }
        return link.captured;
    }

    private static Socket connect() throws IOException {
        return RawSocket.connect(server);
    }

    /**
     * The answer in a frame body: it must have an MTI, but need not decode in full (unlike {@link EndToEnd#decode}),
     * as an answer to a request the dialect does not know may not.
     */
    private static IsoMessage decode(final byte[] body) {
        final IsoMessage message = new IsoMessage(DemoSwitch.dialect());
        message.wrap(new UnsafeBuffer(body), 0, body.length);
        assertThat(message.mti()).as("an answer with an MTI: %s", message.error()).isPositive();
        return message;
    }

    /** Sends {@code bytes} on a new line: the switch closes it without an answer and counts one protocol error. */
    private static void assertClosedAsProtocolError(final byte[] bytes) throws IOException {
        final long errors = DemoSwitch.metric(server, "prepaid_protocol_errors_total");
        try (Socket socket = connect()) {
            socket.getOutputStream().write(bytes);
            assertClosedWithoutAnswer(socket);
        }
        assertThat(DemoSwitch.metric(server, "prepaid_protocol_errors_total")).isEqualTo(errors + 1);
    }

    private static void assertServing() {
        assertThat(pos.echo().responseCode()).isEqualTo("00");
    }

    private static void awaitConnections(final long expected) throws InterruptedException {
        DemoSwitch.awaitConnections(server, expected, WAIT_MS);
    }

    @Test
    void requestWhoseFieldsDoNotDecodeIsAnsweredWithFormatError30() throws Exception {
        final byte[] echo = captureEcho();
        // Two bytes short: the last field (60, LLL) announces more than the frame holds.
        final byte[] cut = Arrays.copyOf(echo, echo.length - 2);
        IsoFrame.putBodyLength(new UnsafeBuffer(cut), 0, cut.length - 2);
        try (Socket socket = connect()) {
            socket.getOutputStream().write(cut);
            final byte[] body = readFrame(socket);
            final IsoMessage answer = decode(body);
            assertThat(answer.isValid()).isTrue();
            assertThat(answer.mti()).isEqualTo(830);
            assertThat(responseCode(answer)).isEqualTo("30");
            assertThat(answer.numeric(11)).isEqualTo(stanOf(echo));
            assertThat(Ascii.unpack(answer.asciiPacked(41, 0))).isEqualTo("10000001");
            // §1: the response swaps destination and source NII and echoes the header.
            assertThat(Arrays.copyOfRange(body, 0, 5)).containsExactly(0x60, 0x00, 0x00, 0x00, 0x03);
            assertThat(Arrays.copyOfRange(body, 5, 11)).containsExactly(Arrays.copyOfRange(echo, 2 + 5, 2 + 11));

            // A format error is an answer, not a protocol error: the line stays open.
            socket.getOutputStream().write(echo);
            assertThat(responseCode(decode(readFrame(socket)))).isEqualTo("00");
        }
    }

    @Test
    void answersToUnknownOrUndecodableMacTransactionsCarryTheMac() throws Exception {
        assertThat(pos.signOn().responseCode()).isEqualTo("00");
        // a 0200 with a processing code no row has: 0210 12, MACed like every 0210 (§5)
        final byte[] frame = new byte[256];
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final IsoWriter writer = new IsoWriter(DemoSwitch.dialect()).wrapRequest(buffer, 2, frame.length - 2,
                PosTerminal.DEFAULT_NII, 0, PosTerminal.DEFAULT_HEADER, 200);
        writer.putNumeric(3, 990000).putNumeric(11, 4243).putNumeric(25, 0).putAscii(41, "10000001")
                .putAscii(42, DemoSwitch.SUPERMARKET);
        final int length = writer.finish();
        assertThat(length).as("%s", writer.error()).isPositive();
        IsoFrame.putBodyLength(buffer, 0, length);
        // a purchase two bytes short: 0210 30, MACed too
        final byte[] purchase = capturePurchase(giftCard(108), 100);
        final byte[] cut = Arrays.copyOf(purchase, purchase.length - 2);
        IsoFrame.putBodyLength(new UnsafeBuffer(cut), 0, cut.length - 2);
        try (Socket socket = connect()) {
            socket.getOutputStream().write(frame, 0, 2 + length);
            final byte[] unknown = readFrame(socket);
            assertThat(decode(unknown).mti()).isEqualTo(210);
            assertThat(responseCode(decode(unknown))).isEqualTo("12");
            assertThat(pos.macVerifies(unknown, unknown.length)).as("MAC of the 12").isTrue();

            socket.getOutputStream().write(cut);
            final byte[] format = readFrame(socket);
            assertThat(responseCode(decode(format))).isEqualTo("30");
            assertThat(pos.macVerifies(format, format.length)).as("MAC of the 30").isTrue();
        }
    }

    @Test
    void wellFormedMessageOfNoKnownTransactionIsAnswered12() throws Exception {
        final byte[] frame = new byte[256];
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final IsoWriter writer = new IsoWriter(DemoSwitch.dialect()).wrapRequest(buffer, 2, frame.length - 2,
                PosTerminal.DEFAULT_NII, 0, PosTerminal.DEFAULT_HEADER, 900);
        writer.putNumeric(11, 4242).putAscii(41, "10000001").putAscii(42, DemoSwitch.SUPERMARKET);
        final int length = writer.finish();
        assertThat(length).as("%s", writer.error()).isPositive();
        IsoFrame.putBodyLength(buffer, 0, length);
        try (Socket socket = connect()) {
            socket.getOutputStream().write(frame, 0, 2 + length);
            final IsoMessage answer = decode(readFrame(socket));
            assertThat(answer.mti()).isEqualTo(910);
            assertThat(responseCode(answer)).isEqualTo("12");
            assertThat(answer.numeric(11)).isEqualTo(4242);
            socket.getOutputStream().write(captureEcho());
            assertThat(responseCode(decode(readFrame(socket)))).isEqualTo("00");
        }
    }
}
