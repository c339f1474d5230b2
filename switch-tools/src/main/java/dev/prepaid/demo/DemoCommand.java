package dev.prepaid.demo;

import ch.qos.logback.classic.Level;
import dev.prepaid.config.ConfigException;
import dev.prepaid.config.SwitchConfig;
import dev.prepaid.iso8583.Dialect;
import dev.prepaid.server.SwitchServer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/prepaid demo}: a switch on the demo configuration in a temporary directory, the demo script
 * against it over TCP, a summary, and the switch stopped. Exit status 0 when every answer was the expected one,
 * 1 when something was not, 2 when the demo could not run.
 */
public final class DemoCommand {
    private DemoCommand() {
    }

    public static void main(final String[] args) {
        System.exit(run(args, SwitchConfig.home(), System.out, System.err));
    }

    /** What runs against the switch after the terminals' script, while it still runs (the operators' day). */
    @FunctionalInterface
    public interface Afterwards {
        /** Returns whether everything was as expected; prints what happened. */
        boolean run(SwitchServer server, SwitchConfig config, PrintStream out) throws Exception;
    }

    /** Runs the demo with the installation in {@code home} (its config/demo and dialect); returns the exit status. */
    static int run(final String[] args, final Path home, final PrintStream out, final PrintStream err) {
        return run(args, home, out, err, null);
    }

    /** As {@link #run(String[], Path, PrintStream, PrintStream)}, then {@code afterwards} against the same switch. */
    public static int run(final String[] args, final Path home, final PrintStream out, final PrintStream err,
            final Afterwards afterwards) {
        boolean keep = false;
        for (final String arg : args) {
            if ("--keep".equals(arg)) {
                keep = true;
            } else if ("--help".equals(arg) || "-h".equals(arg)) {
                out.println("usage: bin/prepaid demo [--keep]");
                out.println("  runs a switch on config/demo in a temporary directory, a few hundred terminal transactions");
                out.println("  of every kind over TCP, prints a summary and stops; --keep leaves the directory (journal,");
                out.println("  snapshots) for bin/prepaid journal dump --journal DIR/data/journal");
                return 0;
            } else {
                err.println("demo: unknown argument '" + arg + "'; usage: bin/prepaid demo [--keep]");
                return 2;
            }
        }
        final Path source = home.resolve("config/demo");
        if (!Files.isDirectory(source)) {
            err.println("demo: " + source + " not found; run from the project directory or set -Dprepaid.home");
            return 2;
        }
        // The switch's own lines would drown the script's; warnings (such as the development keys) still show.
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        Path directory = null;
        try {
            directory = Files.createTempDirectory("prepaid-demo-");
            DemoBusiness.copyInto(source, directory);
            final SwitchConfig config = SwitchConfig.load(directory.resolve("switch.yaml"), home).withPorts(0, 0, 0);
            out.println("Prepaid switch demo: configuration " + source + ", journal in " + directory.resolve("data"));
            final long started = System.nanoTime();
            final DemoScenario.Report report;
            try (SwitchServer server = SwitchServer.start(config)) {
                out.printf(Locale.ROOT, "switch started in %d ms: terminals on 127.0.0.1:%d, metrics on http://127.0.0.1:%d/metrics%n",
                        (System.nanoTime() - started) / 1_000_000, server.posPort(), server.metricsPort());
                report = new DemoScenario(Dialect.load(config.dialect()), "127.0.0.1", server.posPort(), out).run();
                summary(report, out);
                final boolean operatorsAsExpected = afterwards == null || afterwards.run(server, config, out);
                return report.asExpected() && operatorsAsExpected ? 0 : 1;
            }
        } catch (final ConfigException e) {
            err.println("demo: " + e.getMessage());
            return 2;
        } catch (final Exception e) {
            err.println("demo: " + e);
            e.printStackTrace(err);
            return 2;
        } finally {
            if (directory != null) {
                if (keep) {
                    out.println("kept " + directory + " (journal: " + directory.resolve("data/journal") + ")");
                } else {
                    DemoBusiness.delete(directory);
                }
            }
        }
    }

    private static void summary(final DemoScenario.Report report, final PrintStream out) {
        out.println();
        out.println("Summary: " + report.transactions() + " messages answered or lost, by transaction and response code");
        for (final Map.Entry<String, Map<String, Integer>> row : report.counts().entrySet()) {
            final StringBuilder line = new StringBuilder();
            for (final Map.Entry<String, Integer> code : row.getValue().entrySet()) {
                line.append(String.format(Locale.ROOT, "  %s x%d", code.getKey(), code.getValue()));
            }
            out.printf(Locale.ROOT, "  %-22s%s%n", row.getKey(), line);
        }
        out.printf(Locale.ROOT, "Round trip at the terminal (%d answers): p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                report.roundTripNanos().length, report.percentile(50) / 1e6, report.percentile(99) / 1e6,
                report.percentile(100) / 1e6);
        out.println("  (a cold start: these requests run before the JIT has compiled the code; warmed up, a request"
                + " takes tens of microseconds: bin/prepaid load, BENCHMARKS.md)");
        out.println("Balances (available, CNY)          before      after   expected");
        for (final Map.Entry<String, long[]> card : report.balances().entrySet()) {
            final long[] b = card.getValue();
            out.printf(Locale.ROOT, "  %-28s %10s %10s %10s%n", card.getKey(), yuan(b[0]), yuan(b[1]), yuan(b[2]));
        }
        if (report.asExpected()) {
            out.println("Every answer was the expected one.");
        } else {
            out.println(report.surprises().size() + " answer(s) were not the expected ones:");
            for (final String surprise : report.surprises()) {
                out.println("  " + surprise);
            }
        }
    }

    private static String yuan(final long fen) {
        // Exact decimal: a double would round some amounts off by a fen.
        return String.format(Locale.ROOT, "%,.2f", java.math.BigDecimal.valueOf(fen, 2));
    }
}
