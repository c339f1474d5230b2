package dev.prepaid.load;

import static dev.prepaid.demo.DemoBusiness.CORPORATE_CARDS;
import static dev.prepaid.demo.DemoBusiness.SUPERMARKET;
import static dev.prepaid.demo.DemoBusiness.corporateGiftCard;

import ch.qos.logback.classic.Level;
import dev.prepaid.config.ConfigException;
import dev.prepaid.config.KeyNames;
import dev.prepaid.config.SwitchConfig;
import dev.prepaid.demo.DemoBusiness;
import dev.prepaid.iso8583.Dialect;
import dev.prepaid.pos.Card;
import dev.prepaid.pos.PosResult;
import dev.prepaid.pos.PosTerminal;
import dev.prepaid.security.DesKey;
import dev.prepaid.security.KeyCeremony;
import dev.prepaid.security.MacFunction;
import dev.prepaid.security.MasterFileKey;
import dev.prepaid.security.StoredKeys;
import dev.prepaid.server.SwitchServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/prepaid load}: a TCP load test of the whole switch. It starts a switch on the demo business with as
 * many extra terminals as asked for (fresh TMKs in a scratch key file under the development MFK), then every
 * terminal, on its own thread and its own connection, signs on and sends purchases of 0.01 (and, if asked,
 * balance inquiries) on the 1,000 corporate gift cards as fast as its answers come back — one request in flight
 * per terminal, as real terminals do — and settles its batch when it holds 999 transactions. The round trip of each is recorded after the warm-up; the summary gives
 * throughput, latency percentiles at the terminal and at the switch, and the response codes.
 *
 * <p>Terminals and switch share this machine and this JVM: the figures are of the whole system on one box,
 * and a closed loop (a terminal waits for its answer) hides queueing that an open-loop load would show.
 */
public final class LoadCommand {
    static final int OK = 0;
    static final int NOT_ALL_APPROVED = 1;
    static final int USAGE = 2;

    static final String USAGE_TEXT = String.join("\n",
            "usage: bin/prepaid load [--terminals N] [--seconds S] [--warmup S] [--durability SYNC|PROCESS]",
            "                        [--inquiry-every K] [--wait-strategy NAME] [--admin-lookups RATE] [--keep]",
            "  --terminals N       terminals, one thread and one connection each (default 16, at most 900)",
            "  --seconds S         measured seconds (default 20)",
            "  --warmup S          seconds sent before measuring, to compile and warm the caches (default 10)",
            "  --durability MODE   journal durability (default SYNC, the production default; PROCESS: a crash",
            "                      of the process loses nothing, of the machine may)",
            "  --inquiry-every K   every K-th request is a balance inquiry (default 0: purchases only)",
            "  --wait-strategy S   the ring's wait strategy: PHASED (default, as configured), SLEEPING, YIELDING,",
            "                      BLOCKING, BUSY_SPIN (each stage thread then holds a core)",
            "  --admin-lookups R   also read R cards a second through the admin endpoint (GET /v1/cards/PAN), in",
            "                      alternate quarters of the measured time: the terminals' figures are then shown",
            "                      for the quarters without and with the reads, side by side (default 0: none)",
            "  --keep              keep the scratch directory (journal, configuration)",
            "exit status: 0 every answer approved, 1 some were not, 2 bad arguments or the switch did not start");

    private static final int FIRST_LOAD_TERMINAL = 30_000_001;
    private static final int MAX_TERMINALS = 900;

    private LoadCommand() {
    }

    public static void main(final String[] args) {
        System.exit(run(args, SwitchConfig.home(), System.out, System.err));
    }

    record Options(int terminals, int seconds, int warmup, String durability, int inquiryEvery, String waitStrategy,
            int adminLookups, boolean keep) {
        static Options parse(final String[] args) {
            int terminals = 16;
            int seconds = 20;
            int warmup = 10;
            String durability = "SYNC";
            int inquiryEvery = 0;
            String waitStrategy = "PHASED";
            int adminLookups = 0;
            boolean keep = false;
            for (int i = 0; i < args.length; i++) {
                final String arg = args[i];
                if ("--keep".equals(arg)) {
                    keep = true;
                    continue;
                }
                if (!List.of("--terminals", "--seconds", "--warmup", "--durability", "--inquiry-every",
                        "--wait-strategy", "--admin-lookups").contains(arg)) {
                    throw new IllegalArgumentException("unknown argument '" + arg + "'");
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
                final String value = args[++i];
                switch (arg) {
                    case "--terminals" -> terminals = number(arg, value, 1, MAX_TERMINALS);
                    case "--seconds" -> seconds = number(arg, value, 1, 3_600);
                    case "--warmup" -> warmup = number(arg, value, 0, 3_600);
                    case "--inquiry-every" -> inquiryEvery = number(arg, value, 0, 1_000_000);
                    case "--admin-lookups" -> adminLookups = number(arg, value, 0, 100_000);
                    case "--wait-strategy" -> {
                        if (!List.of("PHASED", "SLEEPING", "YIELDING", "BLOCKING", "BUSY_SPIN").contains(value)) {
                            throw new IllegalArgumentException("--wait-strategy is PHASED, SLEEPING, YIELDING, BLOCKING"
                                    + " or BUSY_SPIN, not '" + value + "'");
                        }
                        waitStrategy = value;
                    }
                    default -> {
                        if (!"SYNC".equals(value) && !"PROCESS".equals(value)) {
                            throw new IllegalArgumentException("--durability is SYNC or PROCESS, not '" + value + "'");
                        }
                        durability = value;
                    }
                }
            }
            if (adminLookups > 0 && seconds < 4) {
                throw new IllegalArgumentException("--admin-lookups needs --seconds of at least 4 (four alternating"
                        + " quarters)");
            }
            return new Options(terminals, seconds, warmup, durability, inquiryEvery, waitStrategy, adminLookups, keep);
        }

        private static int number(final String option, final String value, final int min, final int max) {
            final int n;
            try {
                n = Integer.parseInt(value);
            } catch (final NumberFormatException e) {
                throw new IllegalArgumentException(option + " needs a whole number, not '" + value + "'");
            }
            if (n < min || n > max) {
                throw new IllegalArgumentException(option + " must be " + min + ".." + max + ", not " + n);
            }
            return n;
        }
    }

    /** Runs the load test with the installation in {@code home}; returns the exit status. */
    static int run(final String[] args, final Path home, final PrintStream out, final PrintStream err) {
        if (args.length == 1 && ("--help".equals(args[0]) || "-h".equals(args[0]))) {
            out.println(USAGE_TEXT);
            return OK;
        }
        final Options options;
        try {
            options = Options.parse(args);
        } catch (final IllegalArgumentException e) {
            err.println("load: " + e.getMessage() + " (bin/prepaid load --help)");
            return USAGE;
        }
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        Path directory = null;
        try {
            directory = Files.createTempDirectory("prepaid-load-");
            final Map<String, DesKey> tmks = installation(home.resolve("config/demo"), directory, options);
            final SwitchConfig config = SwitchConfig.load(directory.resolve("switch.yaml"), home).withPorts(0, 0, 0);
            try (SwitchServer server = SwitchServer.start(config)) {
                out.printf(Locale.ROOT, "switch on 127.0.0.1:%d, journal %s (%s), %s ring; %d terminals, %d s warm-up,"
                        + " %d s measured%n", server.posPort(), directory.resolve("data/journal"), options.durability(),
                        options.waitStrategy(), options.terminals(),
                        options.warmup(), options.seconds());
                final Result result = drive(Dialect.load(config.dialect()), server, tmks, options);
                report(result, options, server.metricsText(), out);
                if (server.stopped().isDone()) {
                    out.println("the switch stopped during the run (its log says why): the figures above end there");
                    return NOT_ALL_APPROVED;
                }
                return result.notApproved() == 0 ? OK : NOT_ALL_APPROVED;
            }
        } catch (final ConfigException e) {
            err.println("load: " + e.getMessage());
            return USAGE;
        } catch (final Exception e) {
            err.println("load: " + e);
            e.printStackTrace(err);
            return USAGE;
        } finally {
            if (directory != null) {
                if (options.keep()) {
                    out.println("kept " + directory);
                } else {
                    DemoBusiness.delete(directory);
                }
            }
        }
    }

    /**
     * The demo configuration copied into {@code directory} with the load terminals added to its bootstrap and
     * their TMKs to its key file, and the durability asked for. Returns the load terminals' TMKs by terminal id.
     */
    static Map<String, DesKey> installation(final Path demo, final Path directory, final Options options)
            throws IOException {
        DemoBusiness.copyInto(demo, directory);
        final KeyCeremony ceremony = new KeyCeremony(new SecureRandom());
        final Map<String, DesKey> tmks = new LinkedHashMap<>();
        final StringBuilder terminals = new StringBuilder();
        for (int t = 0; t < options.terminals(); t++) {
            final String id = Integer.toString(FIRST_LOAD_TERMINAL + t);
            tmks.put(id, ceremony.newKey(DesKey.DOUBLE_LENGTH));
            terminals.append("  - {id: \"").append(id).append("\", merchant: \"").append(SUPERMARKET)
                    .append("\", serial: LOAD-").append(id).append(", macAlgorithm: CUP_ECB}\n");
        }
        final Path bootstrap = directory.resolve("bootstrap.yaml");
        final String text = Files.readString(bootstrap);
        final int operators = text.indexOf("\noperators:");
        if (operators < 0 || !text.substring(0, operators).contains("\nterminals:")) {
            throw new IllegalStateException(bootstrap + ": expected the terminals list right before 'operators:'");
        }
        Files.writeString(bootstrap, text.substring(0, operators + 1) + terminals + text.substring(operators + 1));

        final MasterFileKey mfk = MasterFileKey.development();
        final StoredKeys demoKeys = StoredKeys.load(directory.resolve("keys.txt"), mfk);
        final Map<String, DesKey> keys = new LinkedHashMap<>();
        for (final String name : demoKeys.names()) {
            keys.put(name, demoKeys.key(name));
        }
        tmks.forEach((id, tmk) -> keys.put(KeyNames.tmk(id), tmk));
        StoredKeys.write(directory.resolve("keys.txt"), keys, mfk,
                "DEMO ONLY: the demo keys and the scratch TMKs of bin/prepaid load, under the development MFK.");

        final Path yaml = directory.resolve("switch.yaml");
        final String switchYaml = Files.readString(yaml);
        final String durability = "durability: PROCESS";
        if (!switchYaml.contains(durability)) {
            throw new IllegalStateException(yaml + ": expected '" + durability + "'");
        }
        final String waitStrategy = "waitStrategy: PHASED";
        if (!switchYaml.contains(waitStrategy)) {
            throw new IllegalStateException(yaml + ": expected '" + waitStrategy + "'");
        }
        final String admin = "admin:\n  enabled: true\n";
        if (!switchYaml.contains(admin)) {
            throw new IllegalStateException(yaml + ": expected '" + admin + "'");
        }
        // The reads come from one address, far above the per-address limit an operator's desk needs.
        Files.writeString(yaml, switchYaml.replace(durability, "durability: " + options.durability())
                .replace(waitStrategy, "waitStrategy: " + options.waitStrategy())
                .replace(admin, admin + "  limits: {requestsPerSecond: 100000, maxConnections: 1024}\n"));
        return tmks;
    }

    record Result(long measuredNanos, long sent, Histogram roundTrips, Map<String, Long> codes, long notApproved,
            Histogram[] byMode, long[] sentByMode, long[] nanosByMode, AdminLookups lookups) {
    }

    /** Which quarter the terminals are in: without operators' reads, or with them. */
    private static final int QUIET = 0;
    private static final int READING = 1;

    private static Result drive(final Dialect dialect, final SwitchServer server, final Map<String, DesKey> tmks,
            final Options options) throws InterruptedException, IOException {
        final int port = server.posPort();
        final java.util.concurrent.CompletableFuture<Void> switchStopped = server.stopped();
        final java.util.concurrent.atomic.AtomicInteger mode = new java.util.concurrent.atomic.AtomicInteger(QUIET);
        final AtomicBoolean reading = new AtomicBoolean();
        final List<String> ids = new ArrayList<>(tmks.keySet());
        final AtomicBoolean measuring = new AtomicBoolean();
        final AtomicBoolean stop = new AtomicBoolean();
        final CountDownLatch ready = new CountDownLatch(ids.size());
        final List<Driver> drivers = new ArrayList<>();
        for (int t = 0; t < ids.size(); t++) {
            final PosTerminal terminal = PosTerminal.builder(dialect).terminalId(ids.get(t)).merchantId(SUPERMARKET)
                    .tmk(tmks.get(ids.get(t))).macAlgorithm(MacFunction.CUP_ECB).switchAddress("127.0.0.1", port)
                    .readTimeout(Duration.ofSeconds(30)).build();
            drivers.add(new Driver(terminal, t, options.inquiryEvery(), measuring, stop, ready, mode));
        }
        for (final Driver driver : drivers) {
            driver.start();
        }
        ready.await();
        AdminLookups lookups = null;
        if (options.adminLookups() > 0) {
            final List<String> pans = new ArrayList<>();
            for (int c = 0; c < CORPORATE_CARDS; c++) {
                pans.add(corporateGiftCard(c).pan());
            }
            lookups = AdminLookups.start(server.adminPort(), pans, options.adminLookups(), reading);
            // The reads warm up with the terminals: half the warm-up with them.
            reading.set(true);
            awaitOrStop(switchStopped, options.warmup() / 2);
            reading.set(false);
            awaitOrStop(switchStopped, options.warmup() - options.warmup() / 2);
        } else {
            awaitOrStop(switchStopped, options.warmup());
        }
        final long[] nanosByMode = new long[2];
        measuring.set(true);
        final long started = System.nanoTime();
        if (lookups == null) {
            awaitOrStop(switchStopped, options.seconds());
        } else {
            final long quarter = options.seconds() * 1000L / 4;
            for (int q = 0; q < 4; q++) {
                final int m = q % 2 == 0 ? QUIET : READING;
                mode.set(m);
                reading.set(m == READING);
                final long begin = System.nanoTime();
                awaitOrStopMillis(switchStopped, quarter);
                nanosByMode[m] += System.nanoTime() - begin;
            }
            reading.set(false);
        }
        measuring.set(false);
        final long measured = System.nanoTime() - started;
        stop.set(true);
        if (lookups != null) {
            lookups.finish();
        } else {
            nanosByMode[QUIET] = measured;
        }
        final Histogram all = new Histogram(60_000_000_000L, 3);
        final Histogram[] byMode = {new Histogram(60_000_000_000L, 3), new Histogram(60_000_000_000L, 3)};
        final long[] sentByMode = new long[2];
        final Map<String, Long> codes = new TreeMap<>();
        long sent = 0;
        long notApproved = 0;
        for (final Driver driver : drivers) {
            driver.join();
            driver.terminal.close();
            for (int m = 0; m < 2; m++) {
                all.add(driver.roundTrips[m]);
                byMode[m].add(driver.roundTrips[m]);
                sentByMode[m] += driver.measured[m];
                sent += driver.measured[m];
            }
            driver.codes.forEach((code, n) -> codes.merge(code, n, Long::sum));
            notApproved += driver.notApproved;
        }
        return new Result(measured, sent, all, codes, notApproved, byMode, sentByMode, nanosByMode, lookups);
    }

    /** Waits {@code seconds}, or less when the switch stops (a failure: nothing more would be answered). */
    private static void awaitOrStop(final java.util.concurrent.CompletableFuture<Void> switchStopped, final int seconds)
            throws InterruptedException {
        awaitOrStopMillis(switchStopped, seconds * 1000L);
    }

    private static void awaitOrStopMillis(final java.util.concurrent.CompletableFuture<Void> switchStopped,
            final long millis) throws InterruptedException {
        try {
            switchStopped.get(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (final java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            // the usual case: the switch kept running (or its failure is reported after the figures)
        }
    }

    /** One terminal on its own thread: sign on, then one request after another until told to stop. */
    private static final class Driver extends Thread {
        final PosTerminal terminal;
        /** Round trips in the quarters without and with operators' reads. */
        final Histogram[] roundTrips = {new Histogram(60_000_000_000L, 3), new Histogram(60_000_000_000L, 3)};
        final Map<String, Long> codes = new TreeMap<>();
        final long[] measured = new long[2];
        long notApproved;
        private final int index;
        private final int inquiryEvery;
        private final AtomicBoolean measuring;
        private final AtomicBoolean stop;
        private final CountDownLatch ready;
        private final java.util.concurrent.atomic.AtomicInteger mode;

        Driver(final PosTerminal terminal, final int index, final int inquiryEvery, final AtomicBoolean measuring,
                final AtomicBoolean stop, final CountDownLatch ready, final java.util.concurrent.atomic.AtomicInteger mode) {
            super("load-terminal-" + terminal.terminalId());
            this.terminal = terminal;
            this.index = index;
            this.inquiryEvery = inquiryEvery;
            this.measuring = measuring;
            this.stop = stop;
            this.ready = ready;
            this.mode = mode;
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                count(terminal.signOn(), false, QUIET);
            } finally {
                ready.countDown();
            }
            // Each terminal walks the cards from its own starting point, so terminals rarely use one card at once.
            long request = (long) index * (CORPORATE_CARDS / 8);
            while (!stop.get()) {
                request++;
                if (terminal.batchEntries().size() >= PosTerminal.MAX_BATCH_ENTRIES) {
                    // A full batch is settled, as a terminal does; its round trip is not a transaction's.
                    count(terminal.settle(), measuring.get(), mode.get());
                }
                final Card card = corporateGiftCard((int) (request % CORPORATE_CARDS));
                final boolean inquiry = inquiryEvery > 0 && request % inquiryEvery == 0;
                final PosResult result = inquiry ? terminal.balance(card) : terminal.purchase(card, 1);
                final boolean counted = measuring.get();
                final int m = mode.get();
                if (counted && result.roundTripNanos() >= 0) {
                    roundTrips[m].recordValue(result.roundTripNanos());
                }
                count(result, counted, m);
            }
        }

        private void count(final PosResult result, final boolean counted, final int m) {
            final String code = result.responseCode() == null ? result.status().name() : result.responseCode();
            if (!"00".equals(code)) {
                notApproved++;
            }
            if (counted) {
                if (result.status() == PosResult.Status.ANSWERED) {
                    measured[m]++;
                }
                codes.merge(result.operation().command + " " + code, 1L, Long::sum);
            }
        }
    }

    private static void report(final Result result, final Options options, final String metrics, final PrintStream out) {
        final double seconds = result.measuredNanos() / 1e9;
        final Histogram h = result.roundTrips();
        out.printf(Locale.ROOT, "measured %.1f s: %,d requests answered, %,.0f per second%n", seconds, result.sent(),
                result.sent() / seconds);
        out.printf(Locale.ROOT, "round trip at the terminal (µs): p50 %,.0f  p90 %,.0f  p99 %,.0f  p99.9 %,.0f  max %,.0f%n",
                h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(90) / 1e3, h.getValueAtPercentile(99) / 1e3,
                h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3);
        out.println("at the switch, last byte in to reply encoded (whole run): " + serverLatency(metrics));
        if (result.lookups() != null) {
            final String[] names = {"without operators' reads", "with " + options.adminLookups() + " card reads/s"};
            for (int m = 0; m < 2; m++) {
                final Histogram q = result.byMode()[m];
                final double s = result.nanosByMode()[m] / 1e9;
                out.printf(Locale.ROOT, "  terminals %-28s %,9.0f/s  p50 %,6.0f  p99 %,6.0f  p99.9 %,7.0f µs%n", names[m],
                        result.sentByMode()[m] / s, q.getValueAtPercentile(50) / 1e3, q.getValueAtPercentile(99) / 1e3,
                        q.getValueAtPercentile(99.9) / 1e3);
            }
            final AdminLookups l = result.lookups();
            final Histogram lh = l.latency;
            out.printf(Locale.ROOT, "  card reads: %,.0f answered/s (%,d answered, %,d missed: no free slot of %d),"
                    + " p50 %,.0f  p99 %,.0f µs from the scheduled time; statuses %s%n",
                    l.answered.get() / (l.activeNanos / 1e9), l.answered.get(), l.missed.get(),
                    AdminLookups.MAX_IN_FLIGHT, lh.getValueAtPercentile(50) / 1e3, lh.getValueAtPercentile(99) / 1e3,
                    l.statusCounts());
        }
        out.println("answers (measured period):");
        result.codes().forEach((code, n) -> out.printf(Locale.ROOT, "  %-20s %,d%n", code, n));
        out.println(result.notApproved() == 0 ? "every answer approved"
                : result.notApproved() + " answers were not approved (including warm-up)");
    }

    /** The quantiles of prepaid_pos_latency_seconds, in µs. */
    static String serverLatency(final String metrics) {
        final StringBuilder line = new StringBuilder();
        for (final String row : metrics.split("\n")) {
            if (row.startsWith("prepaid_pos_latency_seconds{quantile=\"")) {
                final int close = row.indexOf('"', 38);
                final double value = Double.parseDouble(row.substring(row.lastIndexOf(' ') + 1));
                line.append(String.format(Locale.ROOT, "p%s %,.0f µs  ",
                        trimQuantile(row.substring(38, close)), value * 1e6));
            }
        }
        return line.toString().strip();
    }

    private static String trimQuantile(final String quantile) {
        final double q = Double.parseDouble(quantile) * 100;
        return q == Math.rint(q) ? Long.toString((long) q) : Double.toString(q);
    }

}
