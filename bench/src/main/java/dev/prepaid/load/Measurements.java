package dev.prepaid.load;

import dev.prepaid.pos.PosOperation;
import dev.prepaid.pos.PosResult;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the generator measures, recorded by every event loop at once: for each measured step, the latency of each
 * slot from its scheduled send time to its answer (the figure that counts: a stall counts against everything that
 * waited behind it), the service time of the slot's request from when it left to its answer (what a closed loop
 * would see), the slots answered and the errors, and every answer by operation and response code; for the whole
 * run, the latencies by second for the histogram log and the throughput chart.
 */
final class Measurements {
    /** Latencies up to an hour are recorded at 3 significant digits. */
    static final long HIGHEST_NANOS = 3_600_000_000_000L;
    /** Without operators' reads, and with them (the quarters of {@code --admin-lookups}). */
    static final int QUIET = 0;
    static final int READING = 1;

    /**
     * Response codes that say the exchange or the switch failed, not the card or the request: format error (30),
     * function not supported (40), terminal not permitted or not registered (58, 97), bad state (22), cut-over (90),
     * duplicate (94), system malfunction (96), PIN block format (99), MAC and security errors (A0, A7), invalid
     * merchant (03). A request without a usable answer is an error too.
     */
    static final Set<String> ERROR_CODES = Set.of("03", "22", "30", "40", "58", "90", "94", "96", "97", "99", "A0",
            "A7");

    /** One measured step. */
    static final class Step {
        final int number;
        final double rate;
        final Recorder latency = new Recorder(HIGHEST_NANOS, 3);
        final Recorder service = new Recorder(HIGHEST_NANOS, 3);
        final Recorder[] byMode = {new Recorder(HIGHEST_NANOS, 3), new Recorder(HIGHEST_NANOS, 3)};
        final LongAdder answered = new LongAdder();
        final LongAdder approved = new LongAdder();
        final LongAdder approvedPurchases = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder[] answeredByMode = {new LongAdder(), new LongAdder()};
        final Map<PosOperation, ConcurrentHashMap<String, LongAdder>> codes = new EnumMap<>(PosOperation.class);
        /** Slots the closed loop started in the step (the open loop's come from its schedule). */
        final LongAdder started = new LongAdder();
        private final Histogram latencyTotal = new Histogram(HIGHEST_NANOS, 3);
        private final Histogram serviceTotal = new Histogram(HIGHEST_NANOS, 3);
        private final Histogram[] byModeTotal = {new Histogram(HIGHEST_NANOS, 3), new Histogram(HIGHEST_NANOS, 3)};
        /** Wall time of the step's measured window, and the CPU the processes took in it. */
        volatile long startNanos;
        volatile long endNanos;
        volatile long switchCpuNanos = -1;
        volatile long generatorCpuNanos = -1;
        volatile Map<String, Long> switchThreadsCpuNanos = Map.of();
        /** Wall time the quarters without and with operators' reads took. */
        final long[] modeNanos = new long[2];

        Step(final int number, final double rate) {
            this.number = number;
            this.rate = rate;
            for (final PosOperation operation : PosOperation.values()) {
                codes.put(operation, new ConcurrentHashMap<>());
            }
        }

        /** Every latency recorded so far, from the scheduled send times. */
        synchronized Histogram latency() {
            latencyTotal.add(latency.getIntervalHistogram());
            return latencyTotal.copy();
        }

        synchronized Histogram service() {
            serviceTotal.add(service.getIntervalHistogram());
            return serviceTotal.copy();
        }

        synchronized Histogram byMode(final int mode) {
            byModeTotal[mode].add(byMode[mode].getIntervalHistogram());
            return byModeTotal[mode].copy();
        }

        /** Answers by "operation code", e.g. {@code purchase 00}, sorted. */
        Map<String, Long> codes() {
            final Map<String, Long> out = new TreeMap<>();
            codes.forEach((operation, byCode) -> byCode.forEach((code, n) -> {
                if (n.sum() > 0) {
                    out.put(operation.command + " " + code, n.sum());
                }
            }));
            return out;
        }

        long declines() {
            long declines = 0;
            for (final Map.Entry<String, Long> entry : codes().entrySet()) {
                final String code = entry.getKey().substring(entry.getKey().indexOf(' ') + 1);
                if (code.length() == 2 && !"00".equals(code) && !ERROR_CODES.contains(code)) {
                    declines += entry.getValue();
                }
            }
            return declines;
        }
    }

    /** The answered slots of one second of the run. */
    record Second(double atSeconds, long answered, long p50Nanos, long p99Nanos, long maxNanos, double targetRate) {
    }

    private final List<Step> steps = new CopyOnWriteArrayList<>();
    /** Every answered slot's latency, by when it was recorded: the histogram log and the seconds. */
    final Recorder interval = new Recorder(HIGHEST_NANOS, 3);
    private final List<Second> seconds = new CopyOnWriteArrayList<>();
    /** Answers outside measured steps (warm-up, sign-on, the end), so that nothing goes uncounted. */
    final Step unmeasured = new Step(Schedule.UNMEASURED, 0);
    /** Which quarter the run is in, for {@code --admin-lookups}. */
    volatile int mode = QUIET;

    /** A new measured step; its number is its index. */
    Step newStep(final double rate) {
        final Step step = new Step(steps.size(), rate);
        steps.add(step);
        return step;
    }

    Step step(final int number) {
        return number < 0 || number >= steps.size() ? unmeasured : steps.get(number);
    }

    List<Step> steps() {
        return new ArrayList<>(steps);
    }

    void second(final Second second) {
        seconds.add(second);
    }

    List<Second> seconds() {
        return new ArrayList<>(seconds);
    }

    /** Counts an exchange's outcome in {@code step}; true when it is an error. */
    static boolean count(final Step step, final PosResult result) {
        final String code = result.status() == PosResult.Status.ANSWERED ? result.responseCode()
                : result.status().name();
        step.codes.get(result.operation()).computeIfAbsent(code == null ? "none" : code, c -> new LongAdder())
                .increment();
        final boolean error = isError(result);
        if (error) {
            step.errors.increment();
        }
        return error;
    }

    /** Counts an answer the terminal set aside unread (the first half of the mix's reversal). */
    static void countSetAside(final Step step, final PosOperation operation) {
        step.codes.get(operation).computeIfAbsent("set aside", c -> new LongAdder()).increment();
    }

    static boolean isError(final PosResult result) {
        return result.status() != PosResult.Status.ANSWERED || result.responseCode() == null
                || ERROR_CODES.contains(result.responseCode());
    }
}
