package dev.prepaid.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Operators reading cards through the admin endpoint at a fixed rate while terminals transact: what the
 * endpoint's reads through the ring cost the POS path. Reads are scheduled at the target rate and measured from
 * their scheduled time; at most {@link #MAX_IN_FLIGHT} wait (one that finds the queue full is counted as missed,
 * so the achieved rate is honest).
 */
final class AdminLookups extends Thread {
    static final int MAX_IN_FLIGHT = 256;

    private final String base;
    private final String token;
    private final List<String> pans;
    private final int perSecond;
    private final AtomicBoolean active;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    final Histogram latency = new ConcurrentHistogram(60_000_000_000L, 3);
    final AtomicLong answered = new AtomicLong();
    final AtomicLong missed = new AtomicLong();
    final Map<Integer, AtomicLong> statuses = new java.util.concurrent.ConcurrentHashMap<>();
    long activeNanos;

    private AdminLookups(final String base, final String token, final List<String> pans, final int perSecond,
            final AtomicBoolean active) {
        super("admin-lookups");
        setDaemon(true);
        this.base = base;
        this.token = token;
        this.pans = pans;
        this.perSecond = perSecond;
        this.active = active;
    }

    /**
     * Logs in as the population's auditor (changing the bootstrap password first, as every first login must) and
     * returns a reader that sends while it is {@link #setActive active}.
     */
    static AdminLookups start(final String host, final int port, final List<String> pans, final int perSecond)
            throws IOException, InterruptedException {
        final String base = "http://" + host + ":" + port;
        final String token = AdminLogin.login(HttpClient.newHttpClient(), base, Population.AUDITOR,
                Population.AUDITOR_PASSWORD);
        final AdminLookups lookups = new AdminLookups(base, token, pans, perSecond, new AtomicBoolean());
        lookups.start();
        return lookups;
    }

    /** Connections reading cards, each one request at a time (the endpoint answers one per connection at a time). */
    static final int CONNECTIONS = 32;

    /**
     * Schedules one read every 1/rate seconds; {@link #CONNECTIONS} keep-alive connections take the due reads
     * (plain HTTP/1.1 over a socket: the JDK's HttpClient costs more CPU per request than the switch does). A read
     * is measured from its scheduled time; one due while {@link #MAX_IN_FLIGHT} others still wait is missed.
     */
    @Override
    public void run() {
        final java.util.concurrent.ArrayBlockingQueue<long[]> due = new java.util.concurrent.ArrayBlockingQueue<>(MAX_IN_FLIGHT);
        final List<Thread> readers = new java.util.ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            final Thread reader = new Thread(() -> read(due), "admin-lookups-" + c);
            reader.setDaemon(true);
            reader.start();
            readers.add(reader);
        }
        long sent = 0;
        long next = System.nanoTime();
        long activeSince = -1;
        final long interval = 1_000_000_000L / perSecond;
        while (!stop.get()) {
            final long now = System.nanoTime();
            if (!active.get()) {
                if (activeSince >= 0) {
                    activeNanos += now - activeSince;
                    activeSince = -1;
                }
                next = now;
                java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                continue;
            }
            if (activeSince < 0) {
                activeSince = now;
            }
            while (next <= now) {
                if (!due.offer(new long[] {next, sent++})) {
                    missed.incrementAndGet();
                }
                next += interval;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Math.max(50_000, next - System.nanoTime()));
        }
        if (activeSince >= 0) {
            activeNanos += System.nanoTime() - activeSince;
        }
        for (final Thread reader : readers) {
            reader.interrupt();
        }
    }

    private void read(final java.util.concurrent.BlockingQueue<long[]> due) {
        final java.net.URI uri = URI.create(base);
        java.net.Socket socket = null;
        // Buffered: read byte by byte from the socket's own stream, each byte of a response was a system call, and the
        // generator spent more CPU on reading answers than the switch on giving them.
        java.io.InputStream in = null;
        try {
            while (!stop.get() || !due.isEmpty()) {
                final long[] work = due.poll(10, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (work == null) {
                    continue;
                }
                inFlight.acquireUninterruptibly();
                int status = -1;
                try {
                    if (socket == null) {
                        socket = new java.net.Socket(uri.getHost(), uri.getPort());
                        socket.setTcpNoDelay(true);
                        socket.setSoTimeout(30_000);
                        in = new java.io.BufferedInputStream(socket.getInputStream(), 8_192);
                    }
                    final String pan = pans.get((int) (work[1] % pans.size()));
                    socket.getOutputStream().write(("GET /v1/cards/" + pan + " HTTP/1.1\r\nHost: switch\r\nAuthorization: Bearer "
                            + token + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    status = readResponse(in);
                } catch (final IOException e) {
                    closeQuietly(socket);
                    socket = null;
                } finally {
                    inFlight.release();
                }
                statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                if (status == 200) {
                    answered.incrementAndGet();
                    latency.recordValue(Math.max(0, System.nanoTime() - work[0]));
                }
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(socket);
        }
    }

    /** Reads one response (status line, headers, a Content-Length body); returns its status. */
    private static int readResponse(final java.io.InputStream in) throws IOException {
        final StringBuilder line = new StringBuilder();
        int status = -1;
        int length = 0;
        boolean first = true;
        while (true) {
            line.setLength(0);
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("closed");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            if (line.length() == 0) {
                break;
            }
            final String text = line.toString();
            if (first) {
                status = Integer.parseInt(text.substring(9, 12));
                first = false;
            } else if (text.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Integer.parseInt(text.substring(15).trim());
            }
        }
        in.readNBytes(length);
        return status;
    }

    private static void closeQuietly(final java.net.Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (final IOException e) {
                // gone already
            }
        }
    }

    /** Reads are sent while active (the quarters with operators' reads), not otherwise. */
    void setActive(final boolean reading) {
        active.set(reading);
    }

    /** Stops sending and waits for the answers still out. */
    void finish() throws InterruptedException {
        stop.set(true);
        join();
        inFlight.acquire(MAX_IN_FLIGHT);
        inFlight.release(MAX_IN_FLIGHT);
    }

    Map<Integer, Long> statusCounts() {
        final Map<Integer, Long> counts = new TreeMap<>();
        statuses.forEach((status, n) -> counts.put(status, n.get()));
        return counts;
    }
}
