package dev.prepaid.journal;

import java.nio.file.Path;

/**
 * Where and how the journal is kept.
 *
 * @param directory the journal's directory (created if missing)
 * @param durability see {@link Durability}
 * @param rollCycle Chronicle roll cycle name; {@code LARGE_DAILY} holds 137 billion records a day (1.59 M/s
 *        sustained), where the default {@code FAST_DAILY} caps at 4.29 billion (50 K/s)
 * @param minFreeBytes the journal refuses to start (and stops) with less free disk than this
 * @param keepDays 0 keeps every journal file in place; N moves the files of cycles older than N days into
 *        {@link #archiveDirectory()} once a snapshot covers them (records are kept five years: archive, never delete)
 * @param cycleClock the clock that decides which file (cycle) a record goes to; null for the system clock
 *        (tests move it to cross days)
 */
public record JournalConfig(Path directory, Durability durability, String rollCycle, long minFreeBytes, int keepDays,
        java.util.function.LongSupplier cycleClock) {
    public static final String DEFAULT_ROLL_CYCLE = "LARGE_DAILY";

    public JournalConfig(final Path directory, final Durability durability, final String rollCycle, final long minFreeBytes) {
        this(directory, durability, rollCycle, minFreeBytes, 0, null);
    }

    public JournalConfig {
        if (directory == null) {
            throw new IllegalArgumentException("journal directory is required");
        }
        if (durability == null) {
            throw new IllegalArgumentException("journal durability is required (PROCESS or SYNC)");
        }
        if (minFreeBytes < 0) {
            throw new IllegalArgumentException("minFreeBytes must not be negative");
        }
        if (keepDays < 0) {
            throw new IllegalArgumentException("keepDays must not be negative (0 keeps everything in place)");
        }
        RollCycleNames.of(rollCycle);
    }

    public static JournalConfig of(final Path directory, final Durability durability) {
        return new JournalConfig(directory, durability, DEFAULT_ROLL_CYCLE, 64L * 1024 * 1024);
    }

    /** The Chronicle queue directory inside the journal directory. */
    public Path queueDirectory() {
        return directory.resolve("queue");
    }

    /** Where journal files older than {@link #keepDays()} are moved. */
    public Path archiveDirectory() {
        return directory.resolve("archive");
    }

    public JournalConfig withKeepDays(final int days) {
        return new JournalConfig(directory, durability, rollCycle, minFreeBytes, days, cycleClock);
    }

    public JournalConfig withCycleClock(final java.util.function.LongSupplier clock) {
        return new JournalConfig(directory, durability, rollCycle, minFreeBytes, keepDays, clock);
    }

    /** Where snapshots are written. */
    public Path snapshotDirectory() {
        return directory.resolve("snapshots");
    }
}
