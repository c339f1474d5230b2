package dev.prepaid.load;

import ch.qos.logback.classic.Level;
import dev.prepaid.config.ConfigException;
import dev.prepaid.config.SwitchConfig;
import dev.prepaid.demo.DemoBusiness;
import dev.prepaid.iso8583.Dialect;
import dev.prepaid.ledger.LedgerConfig;
import dev.prepaid.security.StoredKeys;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/prepaid load}: the load generator, a process of its own. It drives the terminals of a population
 * ({@link Population}: written by {@code bin/prepaid load population}, or made for the run) against a switch — one
 * already running ({@code --target}), or one it starts on a copy of the population in a JVM of its own, so that
 * the switch's CPU and latency are the switch's. By default an open loop: requests scheduled at a rate and
 * measured from their scheduled send times, spread over the terminals with one in flight each; or a rate ladder
 * that finds the highest sustained rate; or the closed loop of before ({@code --closed-loop}). The mix of
 * transactions comes from a file. At the end the books are checked against what the approvals imply, and the
 * results go to a directory: a summary, a JSON result, the histogram log and two charts ({@link LoadReport}).
 */
public final class LoadCommand {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    /** Cards read by {@code --admin-lookups}: the first of the population. */
    private static final int LOOKUP_CARDS = 1_000;
    private static final long SWITCH_START_SECONDS = 600;

    private LoadCommand() {
    }

    public static void main(final String[] args) {
        System.exit(run(args, SwitchConfig.home(), System.out, System.err));
    }

    /** Runs the command with the installation in {@code home}; returns the exit status. */
    static int run(final String[] args, final Path home, final PrintStream out, final PrintStream err) {
        if (args.length == 1 && ("--help".equals(args[0]) || "-h".equals(args[0]))) {
            out.println(LoadOptions.USAGE);
            return OK;
        }
        if (LoadOptions.isPopulation(args)) {
            return population(Arrays.copyOfRange(args, 1, args.length), home, out, err);
        }
        final LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (final IllegalArgumentException e) {
            err.println("load: " + e.getMessage() + " (bin/prepaid load --help)");
            return USAGE;
        }
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        Path scratch = null;
        SwitchProcess child = null;
        try {
            scratch = Files.createTempDirectory("prepaid-load-");
            Files.createDirectories(options.out());
            final Population population;
            final Mix mix;
            try {
                population = options.population() != null ? Population.read(options.population())
                        : Population.write(home, scratch.resolve("population"), new Population.Shape(options.terminals(),
                                options.cards(), options.pinCards(), options.durability() == null ? "SYNC"
                                : options.durability(), options.waitStrategy() == null ? "PHASED"
                                : options.waitStrategy(), options.transactionLog()), new SecureRandom());
                mix = Mix.load(options.mix() != null ? options.mix() : home.resolve(LoadOptions.DEFAULT_MIX));
            } catch (final IllegalArgumentException | ConfigException e) {
                err.println("load: " + e.getMessage());
                return USAGE;
            }
            final StoredKeys keys = population.keys();
            final SwitchConfig config;
            final String host;
            final int port;
            final ProcessCpu cpu;
            final String metrics;
            final String admin;
            final String switchText;
            if (options.target() == null) {
                final Path file = copy(population, scratch.resolve("switch"), options);
                config = SwitchConfig.load(file, home);
                out.printf(Locale.ROOT, "starting a switch on a copy of %s (%s, %s ring) ...%n", population,
                        config.journal().journal().durability(), SwitchYaml.get(Files.readString(file), "pipeline",
                                "waitStrategy"));
                child = SwitchProcess.start(home, file, switchJvm(config.ledger()),
                        options.out().resolve("switch.log"));
                final SwitchProcess.Ports ports = child.awaitReady(SWITCH_START_SECONDS);
                host = config.server().host();
                port = ports.pos();
                cpu = new ProcessCpu(child.pid());
                metrics = ports.metrics() > 0 ? config.metrics().host() + ":" + ports.metrics() : null;
                admin = ports.admin() > 0 ? config.admin().host() + ":" + ports.admin() : null;
                switchText = String.format(Locale.ROOT, "started by the run in its own JVM (pid %d), POS on %s:%d,"
                        + " journal %s, %s ring; its log: %s", child.pid(), host, port,
                        config.journal().journal().durability(), SwitchYaml.get(Files.readString(file), "pipeline",
                                "waitStrategy"), options.out().resolve("switch.log"));
            } else {
                config = SwitchConfig.load(population.switchConfig(), home);
                host = LoadOptions.host(options.target());
                port = LoadOptions.port(options.target());
                cpu = options.switchPid() > 0 ? new ProcessCpu(options.switchPid()) : null;
                metrics = options.metrics() != null ? options.metrics()
                        : config.metrics().enabled() ? host + ":" + config.metrics().port() : null;
                admin = options.admin() != null ? options.admin()
                        : config.admin().enabled() ? host + ":" + config.admin().port() : null;
                switchText = "the target " + options.target() + (cpu == null ? " (no --switch-pid: its CPU is not"
                        + " reported)" : " (pid " + options.switchPid() + ")");
            }
            out.println("switch: " + switchText);
            if (options.adminLookups() > 0 && admin == null) {
                err.println("load: --admin-lookups needs the switch's admin endpoint, and it has none");
                return USAGE;
            }
            final Books books = new Books(population.cards());
            final boolean fromJournal = "journal".equals(options.booksFrom())
                    || options.booksFrom() == null && (child != null || BooksCheck.journalHere(config));
            if (fromJournal && child == null) {
                if (!BooksCheck.journalHere(config)) {
                    err.println("load: --books-from journal: " + config.journal().journal().directory() + " is not on"
                            + " this machine");
                    return USAGE;
                }
                out.println("reading the target's cards from its journal " + config.journal().journal().directory()
                        + ": this run's approvals are added to them ...");
                BooksCheck.openFromJournal(books, population.cards(), config);
            }
            final LoadRun run = new LoadRun(options, Dialect.load(config.dialect()), population, keys, mix, books, host,
                    port, cpu, options.adminLookups() > 0 ? new LoadRun.Lookups(LoadOptions.host(admin),
                            LoadOptions.port(admin), pans(population)) : null, out);
            final LoadRun.Outcome outcome = run.run(options.out().resolve(LoadReport.HISTOGRAM_LOG));
            final String metricsText = metrics == null ? null : fetch("http://" + metrics + "/metrics");
            String stopped = null;
            if (child != null && !child.alive()) {
                stopped = "THE SWITCH STOPPED DURING THE RUN (its log says why): the figures end there";
            }
            final Books.Result checked = fromJournal || admin != null ? checkBooks(books, population, config, child,
                    fromJournal ? null : admin, options, out) : null;
            final String summary = LoadReport.write(new LoadReport.Facts(options, population, mix, switchText,
                    Runtime.getRuntime().availableProcessors(), outcome, metricsText, run.lookups(), checked,
                    stopped), options.out());
            out.print(summary);
            final boolean errors = options.ladder() == null
                    && outcome.steps().stream().anyMatch(step -> step.errors.sum() > 0);
            return stopped == null && !errors && (checked == null || checked.passed()) ? OK : FAILED;
        } catch (final ConfigException e) {
            err.println("load: " + e.getMessage());
            return USAGE;
        } catch (final Exception e) {
            err.println("load: " + e);
            e.printStackTrace(err);
            if (child != null) {
                err.println("the switch's last lines:\n" + child.output());
            }
            return USAGE;
        } finally {
            if (child != null) {
                try {
                    child.close();
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (scratch != null) {
                if (options.keep()) {
                    out.println("kept " + scratch);
                } else {
                    DemoBusiness.delete(scratch);
                }
            }
        }
    }

    private static int population(final String[] args, final Path home, final PrintStream out, final PrintStream err) {
        final Path[] directory = new Path[1];
        final Population.Shape shape;
        try {
            shape = LoadOptions.population(args, directory);
        } catch (final IllegalArgumentException e) {
            err.println("load population: " + e.getMessage() + " (bin/prepaid load --help)");
            return USAGE;
        }
        try {
            final Population population = Population.write(home, directory[0], shape, new SecureRandom());
            out.printf(Locale.ROOT, "wrote %s: %s, %s, %s and %s%n", population, Population.SWITCH_FILE,
                    Population.BOOTSTRAP_FILE, Population.KEY_FILE, Population.GENERATOR_FILE);
            out.printf(Locale.ROOT, "serve it:  bin/prepaid serve --config %s%n", population.switchConfig());
            out.printf(Locale.ROOT, "load it:   bin/prepaid load --population %s --target 127.0.0.1:8583"
                    + " --switch-pid <its pid>%n", directory[0]);
            out.printf(Locale.ROOT, "or let the run start the switch:  bin/prepaid load --population %s%n", directory[0]);
            return OK;
        } catch (final IOException | RuntimeException e) {
            err.println("load population: " + e.getMessage());
            return USAGE;
        }
    }

    /**
     * The population's switch files copied into {@code directory}, the configuration listening on any free ports
     * and with the durability and ring asked for; returns the configuration file.
     */
    static Path copy(final Population population, final Path directory, final LoadOptions options) throws IOException {
        Files.createDirectories(directory);
        for (final String name : List.of(Population.BOOTSTRAP_FILE, Population.KEY_FILE, "mfk-component-1.hex",
                "mfk-component-2.hex")) {
            Files.copy(population.directory().resolve(name), directory.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        String yaml = Files.readString(population.switchConfig());
        yaml = SwitchYaml.set(yaml, "server", "port", "0");
        yaml = SwitchYaml.set(yaml, "metrics", "port", "0");
        yaml = SwitchYaml.set(yaml, "admin", "port", "0");
        if (options.durability() != null) {
            yaml = SwitchYaml.set(yaml, "journal", "durability", options.durability());
        }
        if (options.waitStrategy() != null) {
            yaml = SwitchYaml.set(yaml, "pipeline", "waitStrategy", options.waitStrategy());
        }
        if (options.layout() != null) {
            yaml = SwitchYaml.put(yaml, "pipeline", "layout", options.layout(), "waitStrategy");
        }
        final Path file = directory.resolve(Population.SWITCH_FILE);
        Files.writeString(file, yaml);
        return file;
    }

    /**
     * The JVM flags of the switch the run starts: the heap of {@code PREPAID_HEAP} (as {@code bin/prepaid serve}),
     * else 2 GB; direct memory for the cards and the transaction log three times over (the live ledger, the snapshot
     * follower's, the bootstrap's rehearsal) unless the flags say.
     */
    static List<String> switchJvm(final LedgerConfig ledger) {
        final String heap = System.getenv().getOrDefault("PREPAID_HEAP", "-Xms2g -Xmx2g");
        final List<String> flags = new ArrayList<>(Arrays.asList(heap.trim().split("\\s+")));
        if (flags.stream().noneMatch(f -> f.startsWith("-XX:MaxDirectMemorySize"))) {
            final long bytes = 3L * ledger.maxCards() * 128 + 3L * ledger.transactionLogCapacity() * 192 + (768L << 20);
            flags.add("-XX:MaxDirectMemorySize=" + (bytes >> 20) + "m");
        }
        return flags;
    }

    /**
     * The books check: from the journal (the switch the run started is stopped first), or, with {@code admin} given,
     * through the admin endpoint, which assumes the cards held the population's opening balance before the run.
     */
    private static Books.Result checkBooks(final Books books, final Population population, final SwitchConfig config,
            final SwitchProcess child, final String admin, final LoadOptions options, final PrintStream out)
            throws IOException, InterruptedException {
        if (child != null) {
            child.stop(120);
        }
        if (admin == null) {
            out.println("replaying the journal " + config.journal().journal().directory() + " to check the books ...");
            return BooksCheck.fromJournal(books, population.cards(), config);
        }
        out.println("reading the cards the run touched through the admin endpoint to check the books ...");
        return BooksCheck.fromAdmin(books, population.cards(), "http://" + admin, options.checkCards());
    }

    private static List<String> pans(final Population population) {
        final List<String> pans = new ArrayList<>();
        for (int c = 0; c < Math.min(LOOKUP_CARDS, population.cards().count()); c++) {
            pans.add(population.cards().pan(c));
        }
        return pans;
    }

    private static String fetch(final String uri) {
        try {
            final HttpResponse<String> answer = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10)).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() == 200 ? answer.body() : null;
        } catch (final IOException e) {
            return null;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
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
