package dev.prepaid.load;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * The CPU time of a process — the switch's, the generator's — from the kernel's accounting, so that the switch's
 * cost per transaction is its own whichever process drove it. The total comes from {@link ProcessHandle} (user and
 * system time); the split by thread from {@code /proc/PID/task/TID/stat} on Linux (the thread's name there is its
 * first 15 characters; numbers at its end are dropped so that Netty's I/O threads add up under one name).
 */
final class ProcessCpu {
    /** The kernel's clock ticks per second in {@code /proc} (USER_HZ, 100 on every Linux the project runs on). */
    private static final long TICKS_PER_SECOND = 100;

    private final long pid;

    ProcessCpu(final long pid) {
        this.pid = pid;
    }

    static ProcessCpu self() {
        return new ProcessCpu(ProcessHandle.current().pid());
    }

    long pid() {
        return pid;
    }

    /** User plus system CPU time so far, in nanoseconds; −1 when the process is gone or the system does not say. */
    long nanos() {
        return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).map(Duration::toNanos).orElse(-1L);
    }

    /** CPU time so far by thread name (trailing digits dropped), in nanoseconds; empty where {@code /proc} is not. */
    Map<String, Long> threads() {
        final Map<String, Long> byName = new TreeMap<>();
        final Path tasks = Path.of("/proc", Long.toString(pid), "task");
        if (!Files.isDirectory(tasks)) {
            return byName;
        }
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (final Path thread : threads) {
                final String stat;
                try {
                    stat = Files.readString(thread.resolve("stat"));
                } catch (final IOException e) {
                    continue; // the thread ended while being read
                }
                final int open = stat.indexOf('(');
                final int close = stat.lastIndexOf(')');
                if (open < 0 || close < open) {
                    continue;
                }
                final String[] fields = stat.substring(close + 2).split(" ");
                // after "pid (comm) ": state is field 3 of stat(5), utime 14 and stime 15
                final long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                byName.merge(group(stat.substring(open + 1, close)), ticks * 1_000_000_000L / TICKS_PER_SECOND,
                        Long::sum);
            }
        } catch (final IOException | RuntimeException e) {
            return Map.of();
        }
        return byName;
    }

    /** {@code after - before} per thread name, the names whose time grew. */
    static Map<String, Long> difference(final Map<String, Long> before, final Map<String, Long> after) {
        final Map<String, Long> grew = new TreeMap<>();
        after.forEach((name, nanos) -> {
            final long delta = nanos - before.getOrDefault(name, 0L);
            if (delta > 0) {
                grew.put(name, delta);
            }
        });
        return grew;
    }

    /** A thread's name with its numbers dropped: {@code epollEventLoopGroup-2-1} and {@code -2-2} are one group. */
    static String group(final String name) {
        final String grouped = name.replaceAll("([-_#. ]?[0-9]+)+$", "");
        return grouped.isEmpty() ? name : grouped;
    }
}
