package dev.prepaid.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Operators reading cards through the admin endpoint at a fixed rate while terminals transact: what the
 * endpoint's reads through the ring cost the POS path. Reads are scheduled at the target rate and measured from
 * their scheduled time; at most {@link #MAX_IN_FLIGHT} wait or are on the wire (one due while that many are
 * still out is counted as missed, so the achieved rate is honest).
 *
 * <p>One thread does everything, over non-blocking keep-alive connections: with 32 blocking reader threads the
 * generator woke a thread per answer and, on two cores, took the CPU the switch's reads needed.
 */
final class AdminLookups extends Thread {
    static final int MAX_IN_FLIGHT = 1024;

    /** Keep-alive connections, each one request at a time (the endpoint answers one per connection at a time). */
    static final int CONNECTIONS = 64;

    private final InetSocketAddress address;
    private final String token;
    private final List<String> pans;
    private final int perSecond;
    private final AtomicBoolean active = new AtomicBoolean();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final CountDownLatch drained = new CountDownLatch(1);
    /** Set by {@link #startMeasuring}: the reading thread forgets what it counted in the warm-up. */
    private final AtomicBoolean measuringRequested = new AtomicBoolean();
    final Histogram latency = new ConcurrentHistogram(60_000_000_000L, 3);
    final AtomicLong answered = new AtomicLong();
    final AtomicLong missed = new AtomicLong();
    final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    volatile long activeNanos;

    private AdminLookups(final InetSocketAddress address, final String token, final List<String> pans,
            final int perSecond) {
        super("admin-lookups");
        setDaemon(true);
        this.address = address;
        this.token = token;
        this.pans = pans;
        this.perSecond = perSecond;
    }

    /**
     * Logs in as the population's auditor (changing the bootstrap password first, as every first login must) and
     * returns a reader that sends while it is {@link #setActive active}.
     */
    static AdminLookups start(final String host, final int port, final List<String> pans, final int perSecond)
            throws IOException, InterruptedException {
        final String token = AdminLogin.login(HttpClient.newHttpClient(), "http://" + host + ":" + port,
                Population.AUDITOR, Population.AUDITOR_PASSWORD);
        final AdminLookups lookups = new AdminLookups(new InetSocketAddress(host, port), token, pans, perSecond);
        lookups.start();
        return lookups;
    }

    /** One keep-alive connection: idle, or a request on the wire and its answer arriving. */
    private final class Connection {
        SocketChannel channel;
        SelectionKey key;
        ByteBuffer out;
        ByteBuffer in = ByteBuffer.allocate(16 * 1024);
        long scheduled = -1;
        /** Whether the read on the wire was sent in the measured time (a warm-up read's answer is not counted). */
        boolean measured;

        boolean busy() {
            return scheduled >= 0;
        }

        void send(final Selector selector, final long due, final long sequence, final boolean inMeasuredTime)
                throws IOException {
            if (channel == null) {
                channel = SocketChannel.open(address);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.configureBlocking(false);
                key = channel.register(selector, SelectionKey.OP_READ, this);
                in.clear();
            }
            scheduled = due;
            measured = inMeasuredTime;
            final String pan = pans.get((int) (sequence % pans.size()));
            out = ByteBuffer.wrap(("GET /v1/cards/" + pan + " HTTP/1.1\r\nHost: switch\r\nAuthorization: Bearer "
                    + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            flush();
        }

        void flush() throws IOException {
            channel.write(out);
            key.interestOps(out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }

        /** Reads what arrived; true when a whole answer is in (its status recorded). */
        boolean receive() throws IOException {
            if (!in.hasRemaining()) {
                final ByteBuffer larger = ByteBuffer.allocate(in.capacity() * 2);
                in.flip();
                larger.put(in);
                in = larger;
            }
            if (channel.read(in) < 0) {
                throw new IOException("closed by the switch");
            }
            final int length = answerLength(in.array(), in.position());
            if (length < 0) {
                return false;
            }
            final int status = statusOf(in.array());
            // Keep-alive answers one at a time: nothing follows an answer before the next request, but be exact.
            in.flip();
            in.position(length);
            in.compact();
            finish(status);
            return true;
        }

        void finish(final int status) {
            if (!measured) {
                scheduled = -1;
                return;
            }
            statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
            if (status == 200) {
                answered.incrementAndGet();
                latency.recordValue(Math.max(0, System.nanoTime() - scheduled));
            }
            scheduled = -1;
        }

        void fail() {
            if (busy()) {
                finish(-1);
            }
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (final IOException e) {
                // gone already
            }
            channel = null;
            key = null;
        }
    }

    /**
     * Schedules one read every 1/rate seconds and gives each due read to an idle connection. A read is measured
     * from its scheduled time; one due while {@link #MAX_IN_FLIGHT} others are still out is missed.
     */
    @Override
    public void run() {
        final List<Connection> connections = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            connections.add(new Connection());
        }
        final ArrayDeque<long[]> due = new ArrayDeque<>();
        boolean measuring = false;
        int onTheWire = 0;
        long sent = 0;
        long next = System.nanoTime();
        long activeSince = -1;
        final long interval = 1_000_000_000L / perSecond;
        try (Selector selector = Selector.open()) {
            while (!stop.get() || !due.isEmpty() || onTheWire > 0) {
                final long now = System.nanoTime();
                if (!measuring && measuringRequested.get()) {
                    // Reads still due from the warm-up, or on the wire, are not counted when they are answered.
                    measuring = true;
                    answered.set(0);
                    missed.set(0);
                    statuses.clear();
                    latency.reset();
                    activeNanos = 0;
                    activeSince = activeSince >= 0 ? now : -1;
                }
                final boolean reading = active.get() && !stop.get();
                if (reading) {
                    if (activeSince < 0) {
                        activeSince = now;
                        next = now;
                    }
                    while (next <= now) {
                        if (due.size() + onTheWire < MAX_IN_FLIGHT) {
                            due.add(new long[] {next, sent++, measuring ? 1 : 0});
                        } else {
                            missed.incrementAndGet();
                        }
                        next += interval;
                    }
                } else if (activeSince >= 0) {
                    activeNanos += now - activeSince;
                    activeSince = -1;
                }
                for (int c = 0; c < connections.size() && !due.isEmpty(); c++) {
                    final Connection connection = connections.get(c);
                    if (!connection.busy()) {
                        final long[] work = due.poll();
                        try {
                            connection.send(selector, work[0], work[1], work[2] == 1);
                            onTheWire++;
                        } catch (final IOException e) {
                            connection.scheduled = work[0];
                            connection.fail();
                        }
                    }
                }
                // Millisecond wake-ups at the latest (answers wake it sooner): reads due within the millisecond go out
                // together, and their latency still counts from when each was due.
                final long waitNanos = reading ? next - System.nanoTime() : 1_000_000;
                if (waitNanos > 0) {
                    selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos)));
                } else {
                    selector.selectNow();
                }
                for (final SelectionKey key : selector.selectedKeys()) {
                    final Connection connection = (Connection) key.attachment();
                    try {
                        if (key.isValid() && key.isWritable()) {
                            connection.flush();
                        }
                        if (key.isValid() && key.isReadable() && connection.receive()) {
                            onTheWire--;
                        }
                    } catch (final IOException e) {
                        if (connection.busy()) {
                            onTheWire--;
                        }
                        connection.fail();
                    }
                }
                selector.selectedKeys().clear();
            }
            if (activeSince >= 0) {
                activeNanos += System.nanoTime() - activeSince;
            }
        } catch (final IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            for (final Connection connection : connections) {
                connection.scheduled = -1;
                connection.fail();
            }
            drained.countDown();
        }
    }

    /** The length of the whole answer at the start of {@code bytes[0..end)}, or -1 while it is not all in. */
    static int answerLength(final byte[] bytes, final int end) {
        for (int i = 3; i < end; i++) {
            if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') {
                final int total = i + 1 + contentLength(bytes, i + 1);
                return total <= end ? total : -1;
            }
        }
        return -1;
    }

    /** The Content-Length of the head {@code bytes[0..headEnd)}; 0 without one. */
    private static int contentLength(final byte[] bytes, final int headEnd) {
        final String head = new String(bytes, 0, headEnd, StandardCharsets.US_ASCII);
        for (final String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        return 0;
    }

    /** The status of an answer whose status line ({@code HTTP/1.1 200 OK}) starts the buffer. */
    static int statusOf(final byte[] bytes) {
        return (bytes[9] - '0') * 100 + (bytes[10] - '0') * 10 + (bytes[11] - '0');
    }

    /**
     * From now on, count: what was answered, missed and how long it took in the warm-up is forgotten (the first
     * reads of a run find the read path not yet compiled, and the warm-up is there to absorb that).
     */
    void startMeasuring() {
        measuringRequested.set(true);
    }

    /** Reads are sent while active (the quarters with operators' reads), not otherwise. */
    void setActive(final boolean reading) {
        active.set(reading);
    }

    /** Stops sending and waits for the answers still out. */
    void finish() throws InterruptedException {
        stop.set(true);
        drained.await();
        join();
    }

    Map<Integer, Long> statusCounts() {
        final Map<Integer, Long> counts = new TreeMap<>();
        statuses.forEach((status, n) -> counts.put(status, n.get()));
        return counts;
    }
}
