package dev.prepaid.load;

import dev.prepaid.iso8583.Dialect;
import dev.prepaid.security.StoredKeys;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * One run of the load generator against a switch that is up: the terminals sign on, the warm-up runs unmeasured,
 * then the measured steps — one rate, the ladder's rates, or the closed loop — each with the CPU the switch and the
 * generator took in it; then what is still in flight is answered (or recorded as waited for), and the reversals
 * owed are sent so that the books can be checked. Every second the latencies recorded go to the histogram log and
 * to the throughput chart's points.
 */
final class LoadRun {
    /** How the run went, for the report. */
    record Outcome(Measurements measurements, List<Measurements.Step> steps, List<Long> scheduled,
            List<Ladder.Verdict> verdicts, double peakRate, int owedReversals, long reversalsGivenUp, boolean drained,
            int eventLoops, boolean epoll) {
        /** The answered slots by second, warm-up included. */
        List<Measurements.Second> seconds() {
            return measurements.seconds();
        }

        /** Answers outside the measured steps, by "operation code". */
        Map<String, Long> unmeasuredCodes() {
            return measurements.unmeasured.codes();
        }
    }

    /** Where the admin endpoint is, for {@code --admin-lookups}; null when there are none. */
    record Lookups(String host, int port, List<String> pans) {
    }

    private static final long START_DELAY_NANOS = 200_000_000L;
    /** The ladder judges a step this long before the next step's measured time begins. */
    private static final long JUDGE_AHEAD_NANOS = 50_000_000L;

    private final LoadOptions options;
    private final Measurements measurements = new Measurements();
    private final Books books;
    private final LoadGenerator generator;
    private final ProcessCpu switchCpu;
    private final ProcessCpu generatorCpu = ProcessCpu.self();
    private final Lookups lookups;
    private final PrintStream out;
    /** The target rate from each time on (the throughput chart's dashed line). */
    private final List<double[]> targets = new CopyOnWriteArrayList<>();
    private final int terminals;
    private long originNanos;
    private AdminLookups lookupsDone;

    LoadRun(final LoadOptions options, final Dialect dialect, final Population population, final StoredKeys keys,
            final Mix mix, final Books books, final String host, final int port, final ProcessCpu switchCpu,
            final Lookups lookups, final PrintStream out) {
        this.options = options;
        this.books = books;
        this.switchCpu = switchCpu;
        this.lookups = lookups;
        this.out = out;
        this.terminals = population.terminals().size();
        this.generator = new LoadGenerator(dialect, population, keys, mix, books, measurements,
                new LoadGenerator.Settings(host, port, options.eventLoops(), Duration.ofMillis(options.timeoutMillis()),
                        options.seed(), options.closedLoop(), options.target() != null));
    }

    Measurements measurements() {
        return measurements;
    }

    /** Runs it; the histogram log goes to {@code hlog}. */
    Outcome run(final Path hlog) throws IOException, InterruptedException {
        try (generator) {
            final String failed = generator.signOnAll(Duration.ofMinutes(5));
            if (failed != null) {
                throw new IllegalStateException(failed);
            }
            out.printf(Locale.ROOT, "%d terminals signed on over %d event loop(s) (%s)%n", terminals,
                    generator.eventLoops(), generator.epoll() ? "epoll" : "nio");
            final AtomicBoolean stop = new AtomicBoolean();
            final HistogramLogWriter log = new HistogramLogWriter(hlog.toFile());
            try {
                originNanos = System.nanoTime() + START_DELAY_NANOS;
                final long originMillis = System.currentTimeMillis() + START_DELAY_NANOS / 1_000_000;
                log.outputComment("bin/prepaid load: every slot's latency from its scheduled send time, by second"
                        + " (values in ns; max in ms)");
                log.outputLogFormatVersion();
                log.outputStartTime(originMillis);
                log.setBaseTime(originMillis);
                log.outputBaseTime(originMillis);
                log.outputLegend();
                final Thread seconds = new Thread(() -> seconds(log, stop), "load-seconds");
                seconds.setDaemon(true);
                seconds.start();
                try {
                    return options.closedLoop() ? closedLoop() : openLoop();
                } finally {
                    stop.set(true);
                    seconds.join(5_000);
                }
            } finally {
                log.close();
            }
        }
    }

    // ------------------------------------------------------------------ the open loop

    private Outcome openLoop() throws InterruptedException, IOException {
        final List<Double> rates = options.ladder() != null ? options.ladder().rates() : List.of(options.rate());
        final long stepNanos = TimeUnit.SECONDS.toNanos(options.ladder() != null ? options.stepSeconds()
                : options.seconds());
        final long stepWarmupNanos = TimeUnit.SECONDS.toNanos(options.stepWarmup());
        final List<Measurements.Step> steps = new ArrayList<>();
        final List<Ladder.Verdict> verdicts = new ArrayList<>();
        long t = originNanos;
        if (options.warmup() > 0) {
            setRate(t, rates.get(0), Schedule.UNMEASURED);
            t += TimeUnit.SECONDS.toNanos(options.warmup());
        }
        final AdminLookups reads = startLookups();
        Measurements.Step step = measurements.newStep(rates.get(0));
        setRate(t, rates.get(0), step.number);
        boolean drained = true;
        for (int k = 0; k < rates.size(); k++) {
            final long end = t + stepNanos;
            final boolean last = k + 1 == rates.size();
            Measurements.Step next = null;
            if (last) {
                endAt(end);
            } else {
                setRate(end, rates.get(k + 1), Schedule.UNMEASURED);
                next = measurements.newStep(rates.get(k + 1));
                setRate(end + stepWarmupNanos, rates.get(k + 1), next.number);
            }
            if (reads != null && k == 0) {
                sleepUntil(t - TimeUnit.SECONDS.toNanos(options.warmup()) / 2);
                reads.setActive(true);
                sleepUntil(t);
                reads.setActive(false);
                reads.startMeasuring();
            }
            measure(step, t, end, reads);
            steps.add(step);
            if (last) {
                drained = generator.awaitIdle(end + Math.max(stepWarmupNanos, TimeUnit.MILLISECONDS.toNanos(
                        options.timeoutMillis()) + 1_000_000_000L));
            } else {
                sleepUntil(end + stepWarmupNanos - JUDGE_AHEAD_NANOS);
            }
            if (options.ladder() != null) {
                final Histogram latency = step.latency();
                final Ladder.Verdict verdict = options.ladder().judge(new Ladder.Figures(step.rate,
                        generator.scheduled(step.number), step.answered.sum(), step.errors.sum(),
                        latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(99)));
                verdicts.add(verdict);
                out.printf(Locale.ROOT, "step %d at %,.0f/s: %s%n", k + 1, step.rate, verdict.reason());
                if (!verdict.passed() && !last) {
                    endAt(System.nanoTime());
                    drained = generator.awaitIdle(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(
                            options.timeoutMillis()) + 1_000_000_000L);
                    break;
                }
            }
            t = end + stepWarmupNanos;
            step = next;
        }
        return finish(steps, verdicts, drained, reads);
    }

    private void setRate(final long at, final double rate, final int stepNumber) {
        generator.rate(at, rate, stepNumber);
        targets.add(new double[] {at, rate});
    }

    private void endAt(final long at) {
        generator.end(at);
        targets.add(new double[] {at, 0});
    }

    // ------------------------------------------------------------------ the closed loop

    private Outcome closedLoop() throws InterruptedException, IOException {
        final AdminLookups reads = startLookups();
        sleepUntil(originNanos);
        generator.closedLoop(Schedule.UNMEASURED);
        final long start = originNanos + TimeUnit.SECONDS.toNanos(options.warmup());
        if (reads != null) {
            sleepUntil(originNanos + TimeUnit.SECONDS.toNanos(options.warmup()) / 2);
            reads.setActive(true);
        }
        sleepUntil(start);
        if (reads != null) {
            reads.setActive(false);
            reads.startMeasuring();
        }
        final Measurements.Step step = measurements.newStep(0);
        generator.closedLoop(step.number);
        final long end = start + TimeUnit.SECONDS.toNanos(options.seconds());
        measure(step, start, end, reads);
        generator.end(end);
        final boolean drained = generator.awaitIdle(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(
                options.timeoutMillis()) + 1_000_000_000L);
        return finish(List.of(step), List.of(), drained, reads);
    }

    // ------------------------------------------------------------------ both

    /** The measured window of a step: CPU before and after, and the quarters with and without reads. */
    private void measure(final Measurements.Step step, final long start, final long end, final AdminLookups reads)
            throws InterruptedException {
        sleepUntil(start);
        step.startNanos = System.nanoTime();
        final long switchBefore = switchCpu == null ? -1 : switchCpu.nanos();
        final Map<String, Long> threadsBefore = switchCpu == null ? Map.of() : switchCpu.threads();
        final long generatorBefore = generatorCpu.nanos();
        if (reads == null) {
            sleepUntil(end);
        } else {
            final long quarter = (end - start) / 4;
            for (int q = 0; q < 4; q++) {
                final int mode = q % 2 == 0 ? Measurements.QUIET : Measurements.READING;
                measurements.mode = mode;
                reads.setActive(mode == Measurements.READING);
                final long begin = System.nanoTime();
                sleepUntil(q == 3 ? end : start + (q + 1) * quarter);
                step.modeNanos[mode] += System.nanoTime() - begin;
            }
            reads.setActive(false);
            measurements.mode = Measurements.QUIET;
        }
        step.endNanos = System.nanoTime();
        if (switchCpu != null) {
            final long after = switchCpu.nanos();
            step.switchCpuNanos = switchBefore < 0 || after < 0 ? -1 : after - switchBefore;
            step.switchThreadsCpuNanos = ProcessCpu.difference(threadsBefore, switchCpu.threads());
        }
        step.generatorCpuNanos = generatorCpu.nanos() - generatorBefore;
    }

    private Outcome finish(final List<Measurements.Step> steps, final List<Ladder.Verdict> verdicts,
            final boolean drained, final AdminLookups reads) throws InterruptedException {
        if (!drained) {
            generator.abandon();
        }
        if (reads != null) {
            reads.finish();
            lookupsDone = reads;
        }
        final int owed = generator.sendOwedReversals(books, Duration.ofMillis(options.timeoutMillis() * 2L + 2_000));
        final List<Measurements.Step> measured = new ArrayList<>(steps);
        final List<Long> scheduled = new ArrayList<>();
        for (final Measurements.Step step : measured) {
            scheduled.add(generator.scheduled(step.number));
        }
        final double peak = options.ladder() == null ? 0 : Ladder.peak(figures(measured), verdicts);
        return new Outcome(measurements, measured, scheduled, verdicts, peak, owed, generator.reversalsGivenUp(),
                drained, generator.eventLoops(), generator.epoll());
    }

    /** The operators' reads of the run, once it is over; null without {@code --admin-lookups}. */
    AdminLookups lookups() {
        return lookupsDone;
    }

    private List<Ladder.Figures> figures(final List<Measurements.Step> steps) throws InterruptedException {
        final List<Ladder.Figures> figures = new ArrayList<>();
        for (final Measurements.Step step : steps) {
            final Histogram latency = step.latency();
            figures.add(new Ladder.Figures(step.rate, generator.scheduled(step.number), step.answered.sum(),
                    step.errors.sum(), latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(99)));
        }
        return figures;
    }

    private AdminLookups startLookups() throws IOException, InterruptedException {
        if (lookups == null || options.adminLookups() == 0) {
            return null;
        }
        return AdminLookups.start(lookups.host(), lookups.port(), lookups.pans(), options.adminLookups());
    }

    /** Every second: the latencies recorded in it to the log, and a point of the throughput chart. */
    private void seconds(final HistogramLogWriter log, final AtomicBoolean stop) {
        Histogram recycled = null;
        long second = 1;
        while (true) {
            final long due = originNanos + second * 1_000_000_000L;
            final boolean last = stop.get();
            if (!last) {
                final long wait = due - System.nanoTime();
                if (wait > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(Math.min(wait, 100_000_000L));
                    } catch (final InterruptedException e) {
                        return;
                    }
                    continue;
                }
            }
            final Histogram h = measurements.interval.getIntervalHistogram(recycled);
            final double end = (System.nanoTime() - originNanos) / 1e9;
            final double start = Math.max(0, end - 1);
            if (end > 0) {
                log.outputIntervalHistogram(start, end, h, 1e6);
                measurements.second(new Measurements.Second(end, h.getTotalCount(), h.getValueAtPercentile(50),
                        h.getValueAtPercentile(99), h.getMaxValue(), targetAt(System.nanoTime())));
            }
            recycled = h;
            second++;
            if (last) {
                return;
            }
        }
    }

    private double targetAt(final long nanos) {
        double rate = 0;
        for (final double[] target : targets) {
            if (target[0] <= nanos) {
                rate = target[1];
            }
        }
        return rate;
    }

    private static void sleepUntil(final long nanos) throws InterruptedException {
        long wait;
        while ((wait = nanos - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(wait, 200_000_000L));
        }
    }
}
