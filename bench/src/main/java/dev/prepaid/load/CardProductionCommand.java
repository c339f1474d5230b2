package dev.prepaid.load;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prepaid.config.SwitchConfig;
import dev.prepaid.demo.DemoBusiness;
import dev.prepaid.iso8583.Dialect;
import dev.prepaid.pos.PosResult;
import dev.prepaid.pos.PosTerminal;
import dev.prepaid.security.DesKey;
import dev.prepaid.security.MacFunction;
import dev.prepaid.server.SwitchServer;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/prepaid production [--cards N] [--sell M] [--durability SYNC|PROCESS]}: a card production run of N
 * cards through the admin endpoint of a switch on the demo business (GENERATE_CARDS in chunks, the bureau file and
 * the PIN mailer, a SET_PIN per card), then a batch sale of M of them as a CSV would be sent (batches of 1,000
 * single sales), while a terminal keeps asking for a balance: how long each takes and what the terminal saw.
 */
public final class CardProductionCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CardProductionCommand() {
    }

    public static void main(final String[] args) throws Exception {
        System.exit(run(args, SwitchConfig.home(), System.out, System.err));
    }

    static int run(final String[] args, final Path home, final PrintStream out, final PrintStream err) throws Exception {
        int cards = 1_000_000;
        int sell = 100_000;
        String durability = "PROCESS";
        for (int i = 0; i < args.length; i++) {
            if ("--cards".equals(args[i]) && i + 1 < args.length) {
                cards = Integer.parseInt(args[++i]);
            } else if ("--sell".equals(args[i]) && i + 1 < args.length) {
                sell = Integer.parseInt(args[++i]);
            } else if ("--durability".equals(args[i]) && i + 1 < args.length) {
                durability = args[++i];
            } else {
                err.println("usage: bin/prepaid production [--cards N (default 1000000)] [--sell M (default 100000)]"
                        + " [--durability SYNC|PROCESS]");
                return 2;
            }
        }
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        final Path directory = Files.createTempDirectory("prepaid-production-");
        try {
            DemoBusiness.copyInto(home.resolve("config/demo"), directory);
            final Path yaml = directory.resolve("switch.yaml");
            Files.writeString(yaml, Files.readString(yaml).replace("maxCards: 100000", "maxCards: " + (cards + 100_000))
                    .replace("durability: PROCESS", "durability: " + durability));
            final SwitchConfig config = SwitchConfig.load(yaml, home).withPorts(0, 0, 0);
            try (SwitchServer server = SwitchServer.start(config)) {
                final String base = "http://127.0.0.1:" + server.adminPort();
                final HttpClient http = HttpClient.newHttpClient();
                final String token = AdminLogin.login(http, base, "admin", "admin-demo");
                final Histogram before = new Histogram(60_000_000_000L, 3);
                final Histogram during = new Histogram(60_000_000_000L, 3);
                final Histogram selling = new Histogram(60_000_000_000L, 3);
                final java.util.concurrent.atomic.AtomicInteger phase = new java.util.concurrent.atomic.AtomicInteger();
                final AtomicBoolean running = new AtomicBoolean();
                final AtomicBoolean stop = new AtomicBoolean();
                final PosTerminal terminal = PosTerminal.builder(Dialect.load(config.dialect())).terminalId("10000001")
                        .merchantId(DemoBusiness.SUPERMARKET).tmk(DesKey.fromHex(DemoBusiness.TMKS.get("10000001")))
                        .macAlgorithm(MacFunction.CUP_ECB).switchAddress("127.0.0.1", server.posPort())
                        .readTimeout(Duration.ofSeconds(30)).build();
                terminal.signOn();
                final Thread pos = new Thread(() -> {
                    while (!stop.get()) {
                        final PosResult result = terminal.balance(DemoBusiness.giftCard(150));
                        if (result.roundTripNanos() >= 0) {
                            (phase.get() == 0 ? before : phase.get() == 1 ? during : selling)
                                    .recordValue(result.roundTripNanos());
                        }
                    }
                }, "production-terminal");
                pos.start();
                Thread.sleep(5_000);
                running.set(true);
                phase.set(1);
                final long started = System.nanoTime();
                final HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/cards/generate"))
                        .header("Authorization", "Bearer " + token).timeout(Duration.ofMinutes(30))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"requestId\":" + System.nanoTime()
                                + ",\"fields\":{\"bin\":\"88880002\",\"panLength\":16,\"count\":" + cards + "}}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                final double seconds = (System.nanoTime() - started) / 1e9;
                final JsonNode answer = JSON.readTree(response.body());
                if (response.statusCode() != 200) {
                    err.println("production: " + response.statusCode() + " " + response.body());
                    return 1;
                }
                phase.set(2);
                final String afterGeneration = server.metricsText();
                final double sellSeconds = sell(http, base, answer.get("runs"), Math.min(sell, cards));
                final String afterSale = server.metricsText();
                running.set(false);
                stop.set(true);
                pos.join();
                terminal.close();
                out.printf(Locale.ROOT, "%,d cards generated, both files written and %,d PIN check values loaded in %.1f s"
                        + " (%,.0f cards/s), journal %s%n", answer.get("cards").asInt(), answer.get("pinsLoaded").asInt(),
                        seconds, cards / seconds, durability);
                out.printf(Locale.ROOT, "  production file %,d bytes, PIN mailer %,d bytes%n",
                        Files.size(Path.of(answer.get("productionFile").asText())),
                        Files.size(Path.of(answer.get("pinMailerFile").asText())));
                report(out, "terminal balance inquiries before the run", before);
                report(out, "terminal balance inquiries during the run", during);
                holds(out, "ledger holds up to the end of production", afterGeneration);
                if (sell > 0) {
                    out.printf(Locale.ROOT, "%,d cards sold in batches of 1,000 (as a CSV of single sales) in %.1f s"
                            + " (%,.0f sales/s)%n", Math.min(sell, cards), sellSeconds, Math.min(sell, cards) / sellSeconds);
                    report(out, "terminal balance inquiries during the sale", selling);
                    holds(out, "ledger holds up to the end of the sale", afterSale);
                }
                return 0;
            }
        } finally {
            DemoBusiness.delete(directory);
        }
    }

    /** Sells {@code count} of the generated cards, one sale per item, 1,000 items per batch; returns the seconds. */
    private static double sell(final HttpClient http, final String base, final JsonNode runs, final int count)
            throws Exception {
        if (count == 0) {
            return 0;
        }
        final String clerk = AdminLogin.login(http, base, "clerk", "clerk-demo");
        final java.util.List<String> pans = new java.util.ArrayList<>(count);
        for (final JsonNode run : runs) {
            final String first = run.get("firstPan").asText();
            final long body = Long.parseLong(first.substring(0, first.length() - 1));
            for (int i = 0; i < run.get("count").asInt() && pans.size() < count; i++) {
                pans.add(Long.toString(body + i) + dev.prepaid.card.Pan.luhnCheckDigit(body + i, first.length() - 1));
            }
        }
        final long started = System.nanoTime();
        for (int from = 0; from < pans.size(); from += 1_000) {
            final StringBuilder batch = new StringBuilder("{\"requestId\":").append(System.nanoTime()).append(",\"items\":[");
            for (int i = from; i < Math.min(pans.size(), from + 1_000); i++) {
                batch.append(i == from ? "" : ",").append("{\"firstPan\":\"").append(pans.get(i)).append("\",\"count\":1,"
                        + "\"faceValue\":1000,\"payment\":\"CASH\",\"channel\":\"COUNTER\",\"buyerKind\":\"PERSON\"}");
            }
            final JsonNode answer = AdminLogin.post(http, base + "/v1/batch/SELL_CARDS", clerk, batch.append("]}").toString());
            if (answer.get("refused").asInt() != 0) {
                throw new IllegalStateException("a batch sale had refusals: " + answer.get("results").get(0));
            }
        }
        return (System.nanoTime() - started) / 1e9;
    }

    /**
     * What the switch's own metrics say about the operator commands holding the ledger stage (every POS command
     * waits behind one): the terminal's round trips above also carry the machine's scheduling, these do not.
     */
    private static void holds(final PrintStream out, final String what, final String metrics) {
        String longest = "none";
        final StringBuilder overByType = new StringBuilder();
        for (final String line : metrics.split("\n")) {
            if (line.startsWith("prepaid_ledger_holds_over_1ms_total{")) {
                overByType.append(overByType.length() == 0 ? ": " : ", ")
                        .append(line, line.indexOf("by=\"") + 4, line.indexOf("\"}"))
                        .append(' ').append(line.substring(line.lastIndexOf(' ') + 1));
            }
            if (line.startsWith("prepaid_ledger_longest_hold_seconds{")) {
                final String by = line.substring(line.indexOf("by=\"") + 4, line.indexOf("\"}"));
                longest = String.format(Locale.ROOT, "%.3f ms (%s)",
                        Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) * 1e3, by);
            }
        }
        out.printf(Locale.ROOT, "  %-44s %,7d  p50 %,7.0f  p99 %,7.0f µs, longest %s, %d over 1 ms%s%n", what,
                (long) metric(metrics, "prepaid_ledger_hold_seconds_count"),
                metric(metrics, "prepaid_ledger_hold_seconds{quantile=\"0.5\"}") * 1e6,
                metric(metrics, "prepaid_ledger_hold_seconds{quantile=\"0.99\"}") * 1e6, longest,
                (long) metric(metrics, "prepaid_ledger_holds_over_1ms_total"), overByType);
    }

    private static double metric(final String metrics, final String series) {
        for (final String line : metrics.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    private static void report(final PrintStream out, final String what, final Histogram h) {
        out.printf(Locale.ROOT, "  %-44s %,7d  p50 %,7.0f  p99 %,7.0f  p99.9 %,7.0f  max %,8.0f µs%n", what,
                h.getTotalCount(), h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3);
    }
}
