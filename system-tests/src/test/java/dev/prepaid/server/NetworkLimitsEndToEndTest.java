package dev.prepaid.server;

import static dev.prepaid.demo.DemoBusiness.giftCard;
import static dev.prepaid.server.EndToEnd.decode;
import static dev.prepaid.server.RawSocket.WAIT_MS;
import static dev.prepaid.server.RawSocket.assertClosedWithoutAnswer;
import static dev.prepaid.server.RawSocket.connect;
import static dev.prepaid.server.RawSocket.echo;
import static dev.prepaid.server.RawSocket.readFrame;
import static dev.prepaid.server.RawSocket.responseCode;
import static dev.prepaid.server.RawSocket.sendQuietly;
import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.config.AddressRange;
import dev.prepaid.config.ServerSettings;
import dev.prepaid.config.SwitchConfig;
import dev.prepaid.iso8583.IsoMessage;
import dev.prepaid.pos.PosResult;
import dev.prepaid.pos.PosTerminal;
import dev.prepaid.testing.Await;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listener's limits over real TCP against the real switch: the connection limit, the address allow-list and a
 * terminal that never reads its answers. The switch runs with {@code maxConnections: 3} and
 * {@code allowList: [127.0.0.1]}; a client bound to 127.0.0.2 (also loopback) is an address outside the list.
 */
class NetworkLimitsEndToEndTest {
    private static final int MAX_CONNECTIONS = 3;
    /**
     * Short: a line paused for not reading its answers usually holds a partial frame, and the deadline must not
     * cut it off while the switch itself is not reading (the slow-reader test pauses longer than this).
     */
    private static final int FRAME_DEADLINE_MS = 1_000;

    @TempDir
    static Path directory;
    static SwitchServer server;
    /** Last STAN used per terminal id, so that terminals built anew in each test never repeat one. */
    private static final Map<String, Integer> STANS = new HashMap<>();
    private final List<PosTerminal> terminals = new ArrayList<>();

    @BeforeAll
    static void start() {
        final SwitchConfig demo = DemoSwitch.config(directory);
        final ServerSettings s = demo.server();
        server = SwitchServer.start(DemoSwitch.withServer(demo, new ServerSettings(s.host(), s.port(), s.maxFrameBytes(),
                MAX_CONNECTIONS, s.idleTimeoutSeconds(), FRAME_DEADLINE_MS, List.of(AddressRange.parse("127.0.0.1")))));
    }

    @AfterAll
    static void stop() {
        DemoSwitch.stop(server);
    }

    @BeforeEach
    void noConnectionsLeft() throws InterruptedException {
        awaitConnections(0);
    }

    @AfterEach
    void closeTerminals() {
        for (final PosTerminal terminal : terminals) {
            STANS.put(terminal.terminalId(), terminal.stan());
            terminal.close();
        }
    }

    @Test
    void connectionsBeyondTheLimitAreRefusedCountedAndTheOpenOnesKeepWorking() throws Exception {
        final PosTerminal a = signedOn("10000001");
        final PosTerminal b = signedOn("10000002");
        final PosTerminal c = signedOn("20000001");
        awaitConnections(MAX_CONNECTIONS);
        final long refused = DemoSwitch.metric(server, "prepaid_connections_refused_total");

        for (int i = 0; i < 5; i++) {
            try (Socket extra = connect(server)) {
                sendQuietly(extra, echo("10000003", 700_000 + i));
                assertClosedWithoutAnswer(extra);
            }
        }
        assertThat(DemoSwitch.metric(server, "prepaid_connections_refused_total")).isEqualTo(refused + 5);
        assertThat(DemoSwitch.metric(server, "prepaid_connections")).isEqualTo(MAX_CONNECTIONS);

        // The three open lines were not disturbed: same connections, still signed on.
        assertThat(a.purchase(giftCard(201), 150).responseCode()).isEqualTo("00");
        assertThat(b.echo().responseCode()).isEqualTo("00");
        assertThat(c.purchase(giftCard(202), 250).responseCode()).isEqualTo("00");

        // A line that closes frees its place.
        c.close();
        awaitConnections(MAX_CONNECTIONS - 1);
        try (Socket again = connect(server)) {
            final byte[] echo = echo("10000003", 700_100);
            again.getOutputStream().write(echo);
            final IsoMessage answer = decode(readFrame(again));
            assertThat(answer.mti()).isEqualTo(830);
            assertThat(responseCode(answer)).isEqualTo("00");
        }
        assertThat(DemoSwitch.metric(server, "prepaid_connections_refused_total")).isEqualTo(refused + 5);
    }

    @Test
    void addressOutsideTheAllowListIsRefusedAndCounted() throws Exception {
        final long refused = DemoSwitch.metric(server, "prepaid_connections_refused_total");
        try (Socket outsider = connect(server, "127.0.0.2")) {
            sendQuietly(outsider, echo("10000003", 710_000));
            assertClosedWithoutAnswer(outsider);
        }
        assertThat(DemoSwitch.metric(server, "prepaid_connections_refused_total")).isEqualTo(refused + 1);
        assertThat(DemoSwitch.metric(server, "prepaid_connections")).isZero();

        // The listed address is served.
        try (Socket insider = connect(server, "127.0.0.1")) {
            insider.getOutputStream().write(echo("10000003", 710_001));
            assertThat(responseCode(decode(readFrame(insider)))).isEqualTo("00");
        }
    }

    @Test
    void terminalThatNeverReadsItsAnswersIsPausedWhileOthersAreServedAndLosesNothing() throws Exception {
        final long slowBefore = DemoSwitch.metric(server, "prepaid_slow_readers_total");
        final long protocolErrorsBefore = DemoSwitch.metric(server, "prepaid_protocol_errors_total");
        final byte[] one = echo("10000003", 720_000);
        final int perWrite = 64;
        final byte[] batch = new byte[one.length * perWrite];
        for (int i = 0; i < perWrite; i++) {
            System.arraycopy(one, 0, batch, i * one.length, one.length);
        }
        final AtomicLong written = new AtomicLong();
        final AtomicBoolean stop = new AtomicBoolean();
        try (Socket greedy = new Socket()) {
            greedy.setReceiveBufferSize(4096); // before connect: a small window, so the switch's answers back up soon
            greedy.setSoTimeout(WAIT_MS);
            greedy.connect(new InetSocketAddress("127.0.0.1", server.posPort()));
            final OutputStream out = greedy.getOutputStream();
            final Thread writer = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        out.write(batch); // blocks once the switch stops reading this line
                        written.addAndGet(perWrite);
                    }
                } catch (final IOException e) {
                    written.set(-1); // the switch must not drop the line
                }
            }, "greedy-writer");
            writer.setDaemon(true);
            writer.start();

            // The switch notices that the answers are not read and stops reading the line's requests.
            Await.until("the switch to pause the line that does not read", Duration.ofMillis(WAIT_MS),
                    () -> DemoSwitch.metric(server, "prepaid_slow_readers_total") > slowBefore || written.get() < 0);
            assertThat(written.get()).as("the switch dropped the line instead of pausing it").isNotNegative();
            stop.set(true);
            // Stay paused for three frame deadlines: the paused line's partial frame must not count against it.
            // (Time passing is the point here; a slower machine only waits the same.)
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(3L * FRAME_DEADLINE_MS));
            assertThat(DemoSwitch.metric(server, "prepaid_protocol_errors_total")).as("protocol errors")
                    .isEqualTo(protocolErrorsBefore);

            // Meanwhile other terminals are served as usual.
            final PosTerminal other = signedOn("10000001");
            final PosResult purchase = other.purchase(giftCard(203), 321);
            assertThat(purchase.responseCode()).isEqualTo("00");
            assertThat(other.balance(giftCard(203)).availableBalance())
                    .isEqualTo(10_000 - 321);
            assertThat(DemoSwitch.metric(server, "prepaid_connections")).isEqualTo(2);

            // When the terminal reads again, every request it sent gets its answer on the same line.
            final DataInputStream in = new DataInputStream(new BufferedInputStream(greedy.getInputStream(), 1 << 16));
            final IsoMessage answer = new IsoMessage(DemoSwitch.dialect());
            final byte[] body = new byte[DemoSwitch.dialect().maxFrameLength];
            final UnsafeBuffer bodyBuffer = new UnsafeBuffer(body);
            long received = 0;
            long notApproved = 0;
            while (writer.isAlive() || received < written.get()) {
                final int length = in.readUnsignedShort();
                in.readFully(body, 0, length);
                if (!answer.wrap(bodyBuffer, 0, length) || answer.mti() != 830 || answer.byteAt(39, 0) != '0'
                        || answer.byteAt(39, 1) != '0') {
                    notApproved++;
                }
                received++;
            }
            writer.join(WAIT_MS);
            assertThat(written.get()).as("requests written before the line was paused").isPositive();
            assertThat(received).isEqualTo(written.get());
            assertThat(notApproved).as("answers other than 0830 approved").isZero();
        }
    }

    // ------------------------------------------------------------------ helpers

    private PosTerminal signedOn(final String terminalId) {
        final PosTerminal terminal = DemoSwitch.terminal(server, terminalId).stan(STANS.getOrDefault(terminalId, 0)).build();
        terminals.add(terminal);
        assertThat(terminal.signOn().responseCode()).isEqualTo("00");
        return terminal;
    }

    private static void awaitConnections(final long expected) throws InterruptedException {
        DemoSwitch.awaitConnections(server, expected, WAIT_MS);
    }
}
