package dev.prepaid.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.config.ServerSettings;
import dev.prepaid.config.SwitchConfig;
import dev.prepaid.iso8583.Dialect;
import dev.prepaid.iso8583.IsoFrame;
import dev.prepaid.iso8583.IsoMessage;
import dev.prepaid.iso8583.IsoWriter;
import dev.prepaid.pos.Card;
import dev.prepaid.pos.PosLink;
import dev.prepaid.pos.PosResult;
import dev.prepaid.pos.PosTerminal;
import dev.prepaid.pos.SocketLink;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
    private static final int WAIT_MS = 20_000;

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
        if (pos != null) {
            pos.close();
        }
        if (server != null) {
            server.close();
        }
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
        final long errors = DemoSwitch.metric(server, "prepaid_protocol_errors_total");
        try (Socket socket = connect()) {
            // A well-formed echo test, but one byte over the configured maximum (though within the dialect's).
            socket.getOutputStream().write(overLimit);
            assertClosedWithoutAnswer(socket);
        }
        assertThat(DemoSwitch.metric(server, "prepaid_protocol_errors_total")).isEqualTo(errors + 1);
    }

    @Test
    void purchaseLongerThanMaxFrameBytesClosesTheConnectionAndIsNotProcessed() throws Exception {
        final Card card = gift(101);
        final long before = balance(card);
        final byte[] purchase = capturePurchase(card, 500);
        // A real purchase with padding, so that the length says one byte over the maximum.
        final byte[] oversized = Arrays.copyOf(purchase, 2 + MAX_FRAME_BYTES + 1);
        IsoFrame.putBodyLength(new UnsafeBuffer(oversized), 0, MAX_FRAME_BYTES + 1);
        final long errors = DemoSwitch.metric(server, "prepaid_protocol_errors_total");

        try (Socket socket = connect()) {
            socket.getOutputStream().write(oversized);
            assertClosedWithoutAnswer(socket);
        }
        assertThat(DemoSwitch.metric(server, "prepaid_protocol_errors_total")).isEqualTo(errors + 1);
        assertThat(balance(card)).isEqualTo(before);
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
        final long errors = DemoSwitch.metric(server, "prepaid_protocol_errors_total");
        try (Socket socket = connect()) {
            // The first bytes of a real request, with a length below 5 + 6 + 2 + 8 = 21.
            final byte[] shortFrame = Arrays.copyOf(echo, 2 + length);
            IsoFrame.putBodyLength(new UnsafeBuffer(shortFrame), 0, length);
            socket.getOutputStream().write(shortFrame);
            assertClosedWithoutAnswer(socket);
        }
        assertThat(DemoSwitch.metric(server, "prepaid_protocol_errors_total")).isEqualTo(errors + 1);
        assertServing();
    }

    // ------------------------------------------------------------------ incomplete frames

    @Test
    void truncatedFrameThenCloseIsNotProcessedAndFreesTheConnection() throws Exception {
        final Card card = gift(102);
        final long before = balance(card);
        final byte[] purchase = capturePurchase(card, 700);
        awaitConnections(1); // the terminal's own line

        try (Socket socket = connect()) {
            socket.getOutputStream().write(purchase, 0, purchase.length - 3);
            socket.getOutputStream().flush();
            awaitConnections(2);
        }
        awaitConnections(1);
        assertThat(balance(card)).isEqualTo(before);

        // The whole frame on a new line is then processed once.
        try (Socket socket = connect()) {
            socket.getOutputStream().write(purchase);
            final IsoMessage answer = decode(readFrame(socket));
            assertThat(answer.mti()).isEqualTo(210);
            assertThat(responseCode(answer)).isEqualTo("00");
        }
        assertThat(balance(card)).isEqualTo(before - 700);
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
        final Card card = gift(103);
        final long before = balance(card);
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
        assertThat(balance(card)).isEqualTo(before);
    }

    @Test
    void frameArrivingInPiecesWithinTheDeadlineIsAnswered() throws Exception {
        final Card card = gift(104);
        final long before = balance(card);
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
        assertThat(balance(card)).isEqualTo(before - 1_100);
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
        final long errors = DemoSwitch.metric(server, "prepaid_protocol_errors_total");
        try (Socket socket = connect()) {
            socket.getOutputStream().write(bytes);
            assertClosedWithoutAnswer(socket);
        }
        assertThat(DemoSwitch.metric(server, "prepaid_protocol_errors_total")).isEqualTo(errors + 1);
        assertServing();
    }

    // ------------------------------------------------------------------ one request in flight

    @Test
    void secondRequestWhileOneIsInFlightIsRefused96AndTheFirstIsStillAnswered() throws Exception {
        final Card card = gift(105);
        final long before = balance(card);
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
        assertThat(balance(card)).isEqualTo(before - 1_300);
    }

    @Test
    void protocolErrorClosesOnlyItsOwnConnection() throws Exception {
        assertThat(pos.echo().responseCode()).isEqualTo("00");
        final long connects = link.real.connects();
        try (Socket socket = connect()) {
            socket.getOutputStream().write(new byte[] {(byte) 0xFF, (byte) 0xFF});
            assertClosedWithoutAnswer(socket);
        }
        // The terminal's line was not touched: same connection, still signed on, still transacting.
        assertThat(pos.echo().responseCode()).isEqualTo("00");
        final PosResult purchase = pos.purchase(gift(106), 100);
        assertThat(purchase.responseCode()).isEqualTo("00");
        assertThat(link.real.connects()).isEqualTo(connects);
    }

    // ------------------------------------------------------------------ helpers

    /** An echo test of terminal 10000001 whose body is exactly {@code length} bytes (field 62 fills it up). */
    private static byte[] echoOfLength(final int length) {
        final Dialect dialect = DemoSwitch.dialect();
        final byte[] frame = new byte[2 + dialect.maxFrameLength];
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final int base = writeEcho(buffer, 0);
        final int fill = length - base - 2; // field 62: 2-byte length prefix, then the bytes
        assertThat(fill).isBetween(0, 512);
        final int written = writeEcho(buffer, fill);
        assertThat(written).isEqualTo(length);
        IsoFrame.putBodyLength(buffer, 0, written);
        return Arrays.copyOf(frame, 2 + written);
    }

    private static int writeEcho(final UnsafeBuffer buffer, final int field62Bytes) {
        final Dialect dialect = DemoSwitch.dialect();
        final IsoWriter writer = new IsoWriter(dialect).wrapRequest(buffer, 2, buffer.capacity() - 2,
                PosTerminal.DEFAULT_NII, 0, PosTerminal.DEFAULT_HEADER, 820);
        writer.putNumeric(11, 900_000 + field62Bytes).putAscii(41, "10000001").putAscii(42, DemoSwitch.SUPERMARKET)
                .beginField(60).putSubField(dialect.subField("60.1"), 0).putSubField(dialect.subField("60.2"), 1)
                .putSubField(dialect.subField("60.3"), 301).endField();
        if (field62Bytes > 0) {
            final byte[] filler = new byte[field62Bytes];
            Arrays.fill(filler, (byte) 'x');
            writer.putBinary(62, filler, 0, filler.length);
        }
        final int length = writer.finish();
        assertThat(length).as("%s", writer.error()).isPositive();
        return length;
    }

    private static Card gift(final int account) {
        return DemoSwitch.manual(DemoSwitch.giftCard(account), null);
    }

    private static long balance(final Card card) {
        final PosResult result = pos.balance(card);
        assertThat(result.responseCode()).as("%s", result).isEqualTo("00");
        return result.availableBalance();
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

    private static long stanOf(final byte[] framed) {
        final IsoMessage message = new IsoMessage(DemoSwitch.dialect());
        assertThat(message.wrap(new UnsafeBuffer(framed), 2, framed.length - 2)).isTrue();
        return message.numeric(11);
    }

    private static Socket connect() throws IOException {
        final Socket socket = new Socket("127.0.0.1", server.posPort());
        socket.setSoTimeout(WAIT_MS);
        return socket;
    }

    private static byte[] readFrame(final Socket socket) throws IOException {
        final InputStream in = socket.getInputStream();
        final byte[] prefix = in.readNBytes(2);
        if (prefix.length < 2) {
            throw new EOFException("connection closed instead of an answer");
        }
        final int length = ((prefix[0] & 0xFF) << 8) | (prefix[1] & 0xFF);
        final byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new EOFException("connection closed in the middle of an answer");
        }
        return body;
    }

    private static IsoMessage decode(final byte[] body) {
        final IsoMessage message = new IsoMessage(DemoSwitch.dialect());
        message.wrap(new UnsafeBuffer(body), 0, body.length);
        assertThat(message.mti()).as("an answer with an MTI: %s", message.error()).isPositive();
        return message;
    }

    private static String responseCode(final IsoMessage message) {
        assertThat(message.has(39)).as("field 39 present").isTrue();
        return new String(new char[] {(char) message.byteAt(39, 0), (char) message.byteAt(39, 1)});
    }

    /** The switch closes the line (end of stream or reset) and sends nothing before it does. */
    private static void assertClosedWithoutAnswer(final Socket socket) throws IOException {
        final int first;
        try {
            first = socket.getInputStream().read();
        } catch (final SocketTimeoutException e) {
            throw new AssertionError("the switch kept the connection open for " + WAIT_MS + " ms", e);
        } catch (final SocketException reset) {
            return; // closed with unread bytes on its side: a reset
        }
        assertThat(first).as("no answer, just the end of the stream").isEqualTo(-1);
    }

    private static void assertServing() {
        assertThat(pos.echo().responseCode()).isEqualTo("00");
    }

    private static void awaitConnections(final long expected) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (DemoSwitch.metric(server, "prepaid_connections") != expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(DemoSwitch.metric(server, "prepaid_connections")).isEqualTo(expected);
    }

    /** A terminal's line that, while {@link #capture} is set, keeps the frame instead of sending it (and times out). */
    static final class CapturingLink implements PosLink {
        final SocketLink real;
        volatile boolean capture;
        byte[] captured;

        CapturingLink(final SocketLink real) {
            this.real = real;
        }

        @Override
        public void connect() throws IOException {
            if (!capture) {
                real.connect();
            }
        }

        @Override
        public void send(final byte[] frame, final int offset, final int length) throws IOException {
            if (capture) {
                captured = Arrays.copyOfRange(frame, offset, offset + length);
            } else {
                real.send(frame, offset, length);
            }
        }

        @Override
        public int receive(final byte[] buffer, final int offset, final int minLength, final int capacity,
                final long deadlineNanos) throws IOException {
            if (capture) {
                throw new SocketTimeoutException("captured, not sent");
            }
            return real.receive(buffer, offset, minLength, capacity, deadlineNanos);
        }

        @Override
        public void close() {
            if (!capture) {
                real.close();
            }
        }
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
            assertThat(dev.prepaid.command.Ascii.unpack(answer.asciiPacked(41, 0))).isEqualTo("10000001");
            // §1: the response swaps destination and source NII and echoes the header.
            assertThat(Arrays.copyOfRange(body, 0, 5)).containsExactly(0x60, 0x00, 0x00, 0x00, 0x03);
            assertThat(Arrays.copyOfRange(body, 5, 11)).containsExactly(Arrays.copyOfRange(echo, 2 + 5, 2 + 11));

            // A format error is an answer, not a protocol error: the line stays open.
            socket.getOutputStream().write(echo);
            assertThat(responseCode(decode(readFrame(socket)))).isEqualTo("00");
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
