package dev.prepaid.server;

import static dev.prepaid.demo.DemoBusiness.giftCard;
import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.pos.PosResult;
import dev.prepaid.pos.PosTerminal;
import dev.prepaid.testing.Await;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The metrics endpoint over real HTTP against the real switch: {@code GET /metrics} in Prometheus text format
 * with counters that follow what the terminals do, {@code GET /health}, and what anything else gets.
 */
class NetworkMetricsEndToEndTest {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    @TempDir
    static Path directory;
    static SwitchServer server;
    static HttpClient http;

    @BeforeAll
    static void start() {
        server = DemoSwitch.start(directory);
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stop() {
        DemoSwitch.stop(server);
    }

    @Test
    void metricsAreServedAsPrometheusTextAndFollowTheTransactions() throws Exception {
        final HttpResponse<String> first = get("/metrics");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type")).contains(PROMETHEUS_TEXT);
        assertThat(first.body()).contains("# TYPE prepaid_pos_transactions_total counter",
                "# TYPE prepaid_pos_latency_seconds summary", "# TYPE prepaid_connections gauge",
                "prepaid_ring_size " + server.config().pipeline().ringSize(),
                "# TYPE prepaid_books_out_of_balance gauge", "prepaid_books_out_of_balance 0");
        final String approved = "prepaid_pos_transactions_total{kind=\"PURCHASE\",code=\"00\"}";
        final String declined = "prepaid_pos_transactions_total{kind=\"PURCHASE\",code=\"51\"}";

        try (PosTerminal pos = DemoSwitch.terminal(server, "10000002").build()) {
            assertThat(pos.signOn().responseCode()).isEqualTo("00");
            final String before = get("/metrics").body();
            final PosResult purchase = pos.purchase(giftCard(401), 2_500);
            assertThat(purchase.responseCode()).isEqualTo("00");
            // 8888000100000033 holds 1.50: a purchase of 5.00 is declined for insufficient balance.
            final PosResult refused = pos.purchase(DemoSwitch.manual("8888000100000033", "222222"), 500);
            assertThat(refused.responseCode()).isEqualTo("51");

            final String after = get("/metrics").body();
            assertThat(value(after, approved)).isEqualTo(value(before, approved) + 1);
            assertThat(value(after, declined)).isEqualTo(value(before, declined) + 1);
            assertThat(value(after, "prepaid_pos_latency_seconds_count"))
                    .isEqualTo(value(before, "prepaid_pos_latency_seconds_count") + 2);
            assertThat(value(after, "prepaid_connections")).isEqualTo(1);
            // The transaction log: its size, how many records it holds (the purchase is one more), how far back.
            assertThat(value(after, "prepaid_transaction_log_capacity"))
                    .isEqualTo(server.config().ledger().transactionLogCapacity());
            assertThat(value(after, "prepaid_transaction_log_records"))
                    .isGreaterThan(value(before, "prepaid_transaction_log_records"));
            assertThat(after).contains("\nprepaid_transaction_log_oldest_age_days ");
            assertThat(value(after, "prepaid_transaction_log_oldest_age_days")).isZero(); // the demo began today
        }
        Await.until("the endpoint to show the terminal's connection closed", java.time.Duration.ofSeconds(20),
                () -> value(metricsBody(), "prepaid_connections") == 0);
    }

    @Test
    void protocolErrorsAreCountedOnTheEndpoint() throws Exception {
        final long before = value(get("/metrics").body(), "prepaid_protocol_errors_total");
        try (Socket socket = RawSocket.connect(server)) {
            socket.getOutputStream().write(new byte[] {0x00, 0x05, 0x60, 0x00, 0x03, 0x00, 0x00});
            RawSocket.assertClosedWithoutAnswer(socket);
        }
        assertThat(value(get("/metrics").body(), "prepaid_protocol_errors_total")).isEqualTo(before + 1);
    }

    @Test
    void healthAnswersOk() throws Exception {
        final HttpResponse<String> health = get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("ok\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/metric", "/metrics/extra", "/admin", "/health.json"})
    void unknownPathIsNotFound(final String path) throws Exception {
        final HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("/metrics", "/health");
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE"})
    void otherMethodsThanGetAndHeadAreNotAllowed(final String method) throws Exception {
        for (final String path : new String[] {"/metrics", "/health"}) {
            final HttpResponse<String> response = send(method, path, HttpRequest.BodyPublishers.ofString("x"));
            assertThat(response.statusCode()).isEqualTo(405);
            assertThat(response.headers().firstValue("Allow")).contains("GET, HEAD");
        }
    }

    @Test
    void headGivesTheHeadersWithoutABody() throws Exception {
        final HttpResponse<String> response = send("HEAD", "/metrics", HttpRequest.BodyPublishers.noBody());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains(PROMETHEUS_TEXT);
        assertThat(response.body()).isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    private static URI uri(final String path) {
        return URI.create("http://127.0.0.1:" + server.metricsPort() + path);
    }

    private static HttpResponse<String> get(final String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(final String method, final String path,
            final HttpRequest.BodyPublisher body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).method(method, body).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The value of one series (name with labels, as written) in Prometheus text; 0 when absent. */
    private static long value(final String text, final String series) {
        return DemoSwitch.metric(text, series);
    }

    /** The /metrics body, for a condition to poll (an I/O failure there fails the test). */
    private static String metricsBody() {
        try {
            return get("/metrics").body();
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
