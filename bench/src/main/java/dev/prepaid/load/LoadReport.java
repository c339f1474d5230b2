package dev.prepaid.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What a run found, in the forms its readers want: a text summary for people ({@code summary.txt}, also printed),
 * a JSON result for scripts ({@code result.json}), the latency by percentile and the throughput by second as SVG
 * charts ({@code latency.svg}, {@code throughput.svg}); the histogram log ({@code latency.hlog}) is written while
 * the run goes. Every latency is from the slot's scheduled send time unless it says otherwise.
 */
final class LoadReport {
    static final String SUMMARY = "summary.txt";
    static final String RESULT = "result.json";
    static final String LATENCY_CHART = "latency.svg";
    static final String THROUGHPUT_CHART = "throughput.svg";
    static final String HISTOGRAM_LOG = "latency.hlog";
    private static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99, 100};
    private static final int THREADS_SHOWN = 8;

    /** Everything the report says, gathered by the command. */
    record Facts(LoadOptions options, Population population, Mix mix, String switchText, int cores,
            LoadRun.Outcome outcome, String metrics, AdminLookups lookups, Books.Result books,
            String switchStopped) {
    }

    private LoadReport() {
    }

    /** Writes the summary, the JSON result and the charts into {@code directory}; returns the summary's text. */
    static String write(final Facts facts, final Path directory) throws IOException {
        final String summary = summary(facts, directory);
        Files.writeString(directory.resolve(SUMMARY), summary);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(directory.resolve(RESULT).toFile(),
                json(facts));
        final List<Charts.Series> series = new ArrayList<>();
        final List<Measurements.Step> steps = facts.outcome().steps();
        for (final Measurements.Step step : steps) {
            series.add(new Charts.Series(stepName(facts, step), step.latency(), false));
        }
        if (steps.size() == 1) {
            series.add(new Charts.Series("service time", steps.get(0).service(), true));
            if (facts.lookups() != null) {
                series.add(new Charts.Series("without reads", steps.get(0).byMode(Measurements.QUIET), false));
                series.add(new Charts.Series("with reads", steps.get(0).byMode(Measurements.READING), false));
            }
        }
        Files.writeString(directory.resolve(LATENCY_CHART), Charts.latency("bin/prepaid load: latency by percentile ("
                + facts.options().modeText() + ")", facts.options().closedLoop() ? "latency from the slot's start (ms)"
                : "latency from the scheduled send time (ms)", series));
        Files.writeString(directory.resolve(THROUGHPUT_CHART), Charts.throughput("bin/prepaid load: answered per"
                + " second (" + facts.options().modeText() + ")", facts.outcome().seconds()));
        return summary;
    }

    private static String stepName(final Facts facts, final Measurements.Step step) {
        return facts.options().closedLoop() ? "closed loop" : String.format(Locale.ROOT, "%,.0f/s", step.rate);
    }

    // ------------------------------------------------------------------ text

    private static String summary(final Facts facts, final Path directory) {
        final StringBuilder s = new StringBuilder(4_096);
        final LoadOptions o = facts.options();
        final LoadRun.Outcome outcome = facts.outcome();
        line(s, "bin/prepaid load: %s; %s", o.modeText(), facts.population());
        line(s, "mix %s: %s", facts.mix().source(), facts.mix().describe());
        line(s, "switch: %s", facts.switchText());
        line(s, "generator: %d event loop(s) (%s), seed %d, timeout %,d ms; %d cores on this machine",
                outcome.eventLoops(), outcome.epoll() ? "epoll" : "nio", o.seed(), o.timeoutMillis(), facts.cores());
        if (o.closedLoop()) {
            line(s, "closed loop: each terminal sends its next request when its answer comes, so a slow answer also"
                    + " holds back what would have followed it; latency = from the slot's start to its answer");
        }
        final List<Measurements.Step> steps = outcome.steps();
        for (int i = 0; i < steps.size(); i++) {
            step(s, facts, steps.get(i), facts.outcome().scheduled().get(i), i < outcome.verdicts().size()
                    ? outcome.verdicts().get(i) : null);
        }
        if (o.ladder() != null) {
            line(s, outcome.peakRate() > 0 ? String.format(Locale.ROOT, "peak sustained rate: %,.0f/s (p99 within"
                    + " %.3f ms, no errors)", outcome.peakRate(), o.ladder().p99BoundNanos() / 1e6)
                    : "peak sustained rate: none — the first step failed");
        }
        if (facts.lookups() != null && steps.size() == 1) {
            lookups(s, facts, steps.get(0));
        }
        line(s, "answers (measured):");
        final Map<String, Long> codes = new TreeMap<>();
        steps.forEach(step -> step.codes().forEach((code, n) -> codes.merge(code, n, Long::sum)));
        codes.forEach((code, n) -> line(s, "  %-22s %,d", code, n));
        final Map<String, Long> other = outcome.unmeasuredCodes();
        if (!other.isEmpty()) {
            line(s, "answers outside the measured time (warm-up, sign-on, the end): %s", other);
        }
        if (facts.metrics() != null) {
            line(s, "at the switch, last byte in to reply encoded (whole run): %s", LoadCommand.serverLatency(facts.metrics()));
        }
        if (outcome.owedReversals() > 0 || outcome.reversalsGivenUp() > 0) {
            line(s, "reversals: %d still owed at the end, %d given up after %d declines", outcome.owedReversals(),
                    outcome.reversalsGivenUp(), TerminalDriver.REVERSAL_ATTEMPTS);
        }
        if (!outcome.drained()) {
            line(s, "the run ended with slots unanswered: each is in its step's latency with the time it had waited");
        }
        books(s, facts.books());
        if (facts.switchStopped() != null) {
            line(s, "%s", facts.switchStopped());
        }
        line(s, "files: %s (%s, %s, %s, %s, %s)", directory, SUMMARY, RESULT, HISTOGRAM_LOG, LATENCY_CHART,
                THROUGHPUT_CHART);
        return s.toString();
    }

    private static void step(final StringBuilder s, final Facts facts, final Measurements.Step step,
            final long scheduled, final Ladder.Verdict verdict) {
        final double seconds = Math.max(1e-9, (step.endNanos - step.startNanos) / 1e9);
        final long answered = step.answered.sum();
        final String asked = facts.options().closedLoop() ? "closed loop" : String.format(Locale.ROOT,
                "%,.0f/s asked", step.rate);
        line(s, "step %d: %s, %.1f s measured: %,d slots, %,d answered (%,.0f/s), %,d errors, %,d declines",
                step.number + 1, asked, seconds, scheduled, answered, answered / seconds, step.errors.sum(),
                step.declines());
        line(s, facts.options().closedLoop() ? "  latency from the slot's start (µs): %s"
                : "  latency from the scheduled send (µs): %s", percentiles(step.latency()));
        line(s, "  service time, request sent to answer (µs): %s", percentiles(step.service()));
        if (step.switchCpuNanos >= 0) {
            final double cpu = step.switchCpuNanos / 1e9;
            final StringBuilder per = new StringBuilder();
            per.append(String.format(Locale.ROOT, "%,.1f µs per answered request", perMicros(step.switchCpuNanos,
                    answered)));
            per.append(String.format(Locale.ROOT, ", %,.1f µs per approval", perMicros(step.switchCpuNanos,
                    step.approved.sum())));
            if (step.approvedPurchases.sum() > 0) {
                per.append(String.format(Locale.ROOT, ", %,.1f µs per approved purchase%s",
                        perMicros(step.switchCpuNanos, step.approvedPurchases.sum()),
                        facts.mix().percent(Mix.Operation.PURCHASE) < 100 ? " (all its CPU over the purchases alone)"
                                : ""));
            }
            line(s, "  switch CPU: %.2f s in %.1f s (%.0f %% of a core), %s", cpu, seconds, 100 * cpu / seconds, per);
            if (!step.switchThreadsCpuNanos.isEmpty()) {
                line(s, "  switch CPU by thread: %s", threads(step.switchThreadsCpuNanos, step.switchCpuNanos));
            }
        }
        if (step.generatorCpuNanos >= 0) {
            line(s, "  generator CPU: %.2f s (%.0f %% of a core), %,.1f µs per answered request",
                    step.generatorCpuNanos / 1e9, 100 * step.generatorCpuNanos / 1e9 / seconds,
                    perMicros(step.generatorCpuNanos, answered));
        }
        if (verdict != null) {
            line(s, "  %s", verdict.passed() ? "passed" : "failed: " + verdict.reason());
        }
    }

    private static void lookups(final StringBuilder s, final Facts facts, final Measurements.Step step) {
        final String[] names = {"without operators' reads", "with " + facts.options().adminLookups() + " card reads/s"};
        for (int m = 0; m < 2; m++) {
            final Histogram q = step.byMode(m);
            final double seconds = Math.max(1e-9, step.modeNanos[m] / 1e9);
            line(s, "  terminals %-28s %,9.0f/s  p50 %,6.0f  p99 %,6.0f  p99.9 %,7.0f µs", names[m],
                    step.answeredByMode[m].sum() / seconds, q.getValueAtPercentile(50) / 1e3,
                    q.getValueAtPercentile(99) / 1e3, q.getValueAtPercentile(99.9) / 1e3);
        }
        final AdminLookups l = facts.lookups();
        line(s, "  card reads: %,.0f answered/s (%,d answered, %,d missed: no free slot of %d), p50 %,.0f  p99 %,.0f µs"
                + " from the scheduled time; statuses %s", l.answered.get() / Math.max(1e-9, l.activeNanos / 1e9),
                l.answered.get(), l.missed.get(), AdminLookups.MAX_IN_FLIGHT, l.latency.getValueAtPercentile(50) / 1e3,
                l.latency.getValueAtPercentile(99) / 1e3, l.statusCounts());
    }

    private static void books(final StringBuilder s, final Books.Result books) {
        if (books == null) {
            line(s, "books: not checked (no journal on this machine and no admin endpoint)");
            return;
        }
        line(s, "books, from %s: %,d cards compared, %s; ledger invariants %s%s", books.source(), books.checked(),
                books.differences() == 0 ? "each holds what the approvals imply"
                        : books.differences() + " differ from what the approvals imply",
                books.invariants() == null ? "hold" : books.invariants().startsWith(Books.INVARIANTS_NOT_CHECKED)
                        ? books.invariants() : "broken: " + books.invariants(),
                books.uncertain() == 0 ? "" : String.format(Locale.ROOT, "; %,d cards left out (a reversal given up:"
                        + " their outcome is unknown)", books.uncertain()));
        for (final String difference : books.firstDifferences()) {
            line(s, "  %s", difference);
        }
    }

    private static String percentiles(final Histogram h) {
        if (h.getTotalCount() == 0) {
            return "none";
        }
        return String.format(Locale.ROOT, "p50 %,.0f  p90 %,.0f  p99 %,.0f  p99.9 %,.0f  p99.99 %,.0f  max %,.0f",
                h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(90) / 1e3, h.getValueAtPercentile(99) / 1e3,
                h.getValueAtPercentile(99.9) / 1e3, h.getValueAtPercentile(99.99) / 1e3, h.getMaxValue() / 1e3);
    }

    private static String threads(final Map<String, Long> byThread, final long total) {
        final List<Map.Entry<String, Long>> sorted = new ArrayList<>(byThread.entrySet());
        sorted.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(THREADS_SHOWN, sorted.size()); i++) {
            out.append(i == 0 ? "" : ", ").append(sorted.get(i).getKey()).append(' ')
                    .append(String.format(Locale.ROOT, "%.0f %%", 100.0 * sorted.get(i).getValue() / Math.max(1, total)));
        }
        return out.toString();
    }

    private static double perMicros(final long nanos, final long count) {
        return count == 0 ? 0 : nanos / 1e3 / count;
    }

    private static void line(final StringBuilder s, final String pattern, final Object... args) {
        s.append(String.format(Locale.ROOT, pattern, args)).append('\n');
    }

    // ------------------------------------------------------------------ JSON

    private static Map<String, Object> json(final Facts facts) {
        final LoadOptions o = facts.options();
        final LoadRun.Outcome outcome = facts.outcome();
        final Map<String, Object> root = new LinkedHashMap<>();
        root.put("mode", o.closedLoop() ? "closed-loop" : o.ladder() != null ? "ladder" : "open-loop");
        root.put("description", o.modeText());
        root.put("population", Map.of("directory", facts.population().directory().toString(), "terminals",
                facts.population().terminals().size(), "cards", facts.population().cards().count(), "pinCards",
                facts.population().cards().pinCards()));
        root.put("mix", Map.of("file", facts.mix().source(), "description", facts.mix().describe()));
        root.put("switch", facts.switchText());
        root.put("eventLoops", outcome.eventLoops());
        root.put("seed", o.seed());
        final List<Map<String, Object>> steps = new ArrayList<>();
        for (int i = 0; i < outcome.steps().size(); i++) {
            final Measurements.Step step = outcome.steps().get(i);
            final Map<String, Object> j = new LinkedHashMap<>();
            final double seconds = Math.max(1e-9, (step.endNanos - step.startNanos) / 1e9);
            j.put("step", step.number + 1);
            j.put("targetRate", o.closedLoop() ? null : step.rate);
            j.put("measuredSeconds", seconds);
            j.put("scheduled", facts.outcome().scheduled().get(i));
            j.put("answered", step.answered.sum());
            j.put("answeredPerSecond", step.answered.sum() / seconds);
            j.put("approved", step.approved.sum());
            j.put("approvedPurchases", step.approvedPurchases.sum());
            j.put("errors", step.errors.sum());
            j.put("declines", step.declines());
            j.put("latencyMicros", percentileMap(step.latency()));
            j.put("serviceTimeMicros", percentileMap(step.service()));
            if (step.switchCpuNanos >= 0) {
                j.put("switchCpuSeconds", step.switchCpuNanos / 1e9);
                j.put("switchCpuMicrosPerAnswered", perMicros(step.switchCpuNanos, step.answered.sum()));
                j.put("switchCpuMicrosPerApproved", perMicros(step.switchCpuNanos, step.approved.sum()));
                j.put("switchCpuMicrosPerApprovedPurchase", perMicros(step.switchCpuNanos, step.approvedPurchases.sum()));
                final Map<String, Double> threads = new TreeMap<>();
                step.switchThreadsCpuNanos.forEach((name, nanos) -> threads.put(name, nanos / 1e9));
                j.put("switchCpuSecondsByThread", threads);
            }
            j.put("generatorCpuSeconds", step.generatorCpuNanos / 1e9);
            j.put("codes", step.codes());
            if (i < outcome.verdicts().size()) {
                j.put("passed", outcome.verdicts().get(i).passed());
                j.put("verdict", outcome.verdicts().get(i).reason());
            }
            if (facts.lookups() != null && outcome.steps().size() == 1) {
                j.put("withoutReads", modeJson(step, Measurements.QUIET));
                j.put("withReads", modeJson(step, Measurements.READING));
            }
            steps.add(j);
        }
        root.put("steps", steps);
        if (o.ladder() != null) {
            root.put("peakSustainedRate", outcome.peakRate());
            root.put("p99BoundMicros", o.ladder().p99BoundNanos() / 1e3);
        }
        if (facts.lookups() != null) {
            final AdminLookups l = facts.lookups();
            root.put("cardReads", Map.of("answered", l.answered.get(), "missed", l.missed.get(), "perSecond",
                    l.answered.get() / Math.max(1e-9, l.activeNanos / 1e9), "latencyMicros", percentileMap(l.latency)));
        }
        final List<Map<String, Object>> seconds = new ArrayList<>();
        for (final Measurements.Second second : outcome.seconds()) {
            final Map<String, Object> j = new LinkedHashMap<>();
            j.put("at", second.atSeconds());
            j.put("answered", second.answered());
            j.put("targetRate", second.targetRate());
            j.put("p99Micros", second.p99Nanos() / 1e3);
            seconds.add(j);
        }
        root.put("seconds", seconds);
        if (facts.metrics() != null) {
            root.put("switchLatency", LoadCommand.serverLatency(facts.metrics()));
        }
        root.put("owedReversals", outcome.owedReversals());
        root.put("reversalsGivenUp", outcome.reversalsGivenUp());
        if (facts.books() != null) {
            final Books.Result b = facts.books();
            final Map<String, Object> j = new LinkedHashMap<>();
            j.put("source", b.source());
            j.put("checked", b.checked());
            j.put("differences", b.differences());
            j.put("firstDifferences", b.firstDifferences());
            j.put("uncertain", b.uncertain());
            j.put("invariants", b.invariants() == null ? "hold" : b.invariants());
            j.put("passed", b.passed());
            root.put("books", j);
        }
        return root;
    }

    private static Map<String, Object> modeJson(final Measurements.Step step, final int mode) {
        final Map<String, Object> j = new LinkedHashMap<>();
        j.put("answered", step.answeredByMode[mode].sum());
        j.put("seconds", step.modeNanos[mode] / 1e9);
        j.put("latencyMicros", percentileMap(step.byMode(mode)));
        return j;
    }

    private static Map<String, Object> percentileMap(final Histogram h) {
        final Map<String, Object> j = new LinkedHashMap<>();
        j.put("count", h.getTotalCount());
        for (final double p : PERCENTILES) {
            final String key = p == 100 ? "max" : "p" + (p == Math.rint(p) ? Long.toString((long) p)
                    : Double.toString(p));
            j.put(key, h.getTotalCount() == 0 ? 0 : (p == 100 ? h.getMaxValue() : h.getValueAtPercentile(p)) / 1e3);
        }
        return j;
    }
}
