package dev.prepaid.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Operators reading cards through the admin endpoint at a fixed rate while terminals transact: what the
 * endpoint's reads through the ring cost the POS path. Requests are scheduled every millisecond at the target
 * rate; at most {@link #MAX_IN_FLIGHT} are outstanding (a request that cannot be sent in its millisecond is
 * counted as missed, so the achieved rate is honest).
 */
final class AdminLookups extends Thread {
    static final int MAX_IN_FLIGHT = 256;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(2, r -> {
                final Thread t = new Thread(r, "admin-lookups-http");
                t.setDaemon(true);
                return t;
            })).connectTimeout(Duration.ofSeconds(5)).build();
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
     * Logs in as the demo auditor (changing the bootstrap password first, as every first login must) and returns
     * a reader that sends while {@code active} is set.
     */
    static AdminLookups start(final int port, final List<String> pans, final int perSecond, final AtomicBoolean active)
            throws IOException, InterruptedException {
        final String base = "http://127.0.0.1:" + port;
        final HttpClient login = HttpClient.newHttpClient();
        final JsonNode session = post(login, base + "/v1/login", null,
                "{\"operatorId\":\"auditor\",\"password\":\"auditor-demo\"}");
        final String token = session.get("token").asText();
        if (session.get("mustChangePassword").asBoolean()) {
            post(login, base + "/v1/password", token, "{\"requestId\":" + System.nanoTime()
                    + ",\"currentPassword\":\"auditor-demo\",\"newPassword\":\"auditor-load-test\"}");
        }
        final AdminLookups lookups = new AdminLookups(base, token, pans, perSecond, active);
        lookups.start();
        return lookups;
    }

    private static JsonNode post(final HttpClient client, final String uri, final String token, final String body)
            throws IOException, InterruptedException {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        final HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(uri + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    @Override
    public void run() {
        long sent = 0;
        long next = System.nanoTime();
        long activeSince = -1;
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
            // Requests due this millisecond, sent in a burst; those that find no free slot are missed.
            final int due = (int) Math.max(1, perSecond / 1000);
            for (int i = 0; i < due; i++) {
                if (!inFlight.tryAcquire()) {
                    missed.incrementAndGet();
                    continue;
                }
                final String pan = pans.get((int) (sent++ % pans.size()));
                final long scheduled = next;
                client.sendAsync(HttpRequest.newBuilder(URI.create(base + "/v1/cards/" + pan))
                        .header("Authorization", "Bearer " + token).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                            inFlight.release();
                            final int status = failure != null ? -1 : response.statusCode();
                            statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                            if (status == 200) {
                                answered.incrementAndGet();
                                latency.recordValue(Math.max(0, System.nanoTime() - scheduled));
                            }
                        });
            }
            next += 1_000_000;
            final long sleep = next - System.nanoTime();
            if (sleep > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(sleep);
            }
        }
        if (activeSince >= 0) {
            activeNanos += System.nanoTime() - activeSince;
        }
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
