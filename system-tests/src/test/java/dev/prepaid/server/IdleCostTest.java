package dev.prepaid.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.pos.PosTerminal;
import dev.prepaid.testing.Await;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A switch with no traffic must cost next to nothing: it spends most of its life between bursts, often on a small
 * VM beside other services. Stage threads that poll (a timed park of 100 ns is tens of microseconds on Linux, so
 * thousands of wake-ups a second) or a follower that never parks cost a core for ever; this test fails when
 * anything like that comes back. It counts the CPU time of the JVM's threads (the switch's, and this test's,
 * which sleeps) over a few seconds of silence after a transaction, and names the threads that used it.
 */
class IdleCostTest {
    private static final long QUIET_MILLIS = 3_000;
    /** A tenth of a core: generous for a slow or busy machine, far below the 1.3 cores the polling switch took. */
    private static final double MAX_CORES = 0.10;

    /** Threads in epoll show as runnable; the stage threads only while they work or spin. */
    private static final java.util.Set<String> STAGES = java.util.Set.of("prepaid-journal", "prepaid-ledger",
            "prepaid-reply", dev.prepaid.pipeline.StageLayout.ONE_THREAD_NAME);

    @TempDir
    Path directory;

    @Test
    void anIdleSwitchUsesAlmostNoCpu() throws Exception {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assertThat(threads.isThreadCpuTimeSupported()).isTrue();
        threads.setThreadCpuTimeEnabled(true);
        final SwitchServer server = DemoSwitch.start(directory);
        PosTerminal terminal = null;
        try {
            terminal = DemoSwitch.terminal(server, "10000001").build();
            assertThat(terminal.signOn().responseCode()).isEqualTo("00");
            assertThat(terminal.balance(DemoSwitch.manual("8888000100000033", "222222")).responseCode()).isEqualTo("00");
            // The answer's stages go back to waiting (none runnable) before the quiet time is counted.
            Await.until("the stage threads waiting", Duration.ofSeconds(10), () -> Thread.getAllStackTraces().keySet()
                    .stream().filter(t -> STAGES.contains(t.getName()))
                    .noneMatch(t -> t.getState() == Thread.State.RUNNABLE));

            final Map<Long, Long> before = cpuByThread(threads);
            final long started = System.nanoTime();
            Thread.sleep(QUIET_MILLIS); // the window measured, not a wait for something to happen
            final Map<Long, Long> after = cpuByThread(threads);
            final double seconds = (System.nanoTime() - started) / 1e9;

            long total = 0;
            final Map<String, Long> byName = new TreeMap<>();
            for (final Map.Entry<Long, Long> entry : after.entrySet()) {
                final long used = entry.getValue() - before.getOrDefault(entry.getKey(), 0L);
                total += used;
                final ThreadInfo info = threads.getThreadInfo(entry.getKey());
                if (info != null && used > 1_000_000) {
                    byName.merge(info.getThreadName(), used / 1_000_000, Long::sum);
                }
            }
            final double cores = total / 1e9 / seconds;
            assertThat(cores).as("cores used by an idle switch; milliseconds by thread: %s", byName)
                    .isLessThan(MAX_CORES);
        } finally {
            DemoSwitch.stop(server, terminal);
        }
    }

    private static Map<Long, Long> cpuByThread(final ThreadMXBean threads) {
        final Map<Long, Long> cpu = new HashMap<>();
        for (final long id : threads.getAllThreadIds()) {
            final long nanos = threads.getThreadCpuTime(id);
            if (nanos >= 0) {
                cpu.put(id, nanos);
            }
        }
        return cpu;
    }
}
