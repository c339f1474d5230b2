package dev.prepaid.journal.tools;

import dev.prepaid.command.Outcome;
import dev.prepaid.journal.JournalConfig;
import dev.prepaid.journal.JournalReader;
import dev.prepaid.journal.Replay;
import dev.prepaid.journal.Snapshots;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.agrona.DirectBuffer;

/**
 * Walks the journal records a dump or stats run asked for, in order, streaming: the window and filters of
 * {@link ToolOptions}, and with {@code --outcomes} the outcome of each command replayed through a fresh ledger
 * by {@link Replay#run} (from the newest snapshot before the window).
 */
final class JournalWalk {
    /** Receives each matching command; {@code outcome} is null without {@code --outcomes}. Return false to stop. */
    @FunctionalInterface
    interface Visitor {
        boolean visit(long sequence, long timestampMillis, DirectBuffer command, int offset, int length, Outcome outcome);
    }

    private JournalWalk() {
    }

    /** Stops a replay from inside its listener (Replay.run has no other way); no stack trace. */
    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stop() {
            super(null, null, false, false);
        }
    }

    /** A tool cannot run at all (no journal, nothing to read): one line, exit status 2. */
    static final class CannotRun extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CannotRun(final String message) {
            super(message);
        }
    }

    /** Fails with one clear line unless {@code config} names a journal directory holding a queue. */
    static void requireJournal(final JournalConfig config) {
        final Path directory = config.directory();
        if (!Files.isDirectory(directory)) {
            throw new CannotRun("no journal at " + directory.toAbsolutePath().normalize()
                    + " (give the journal directory, the one holding queue/ and snapshots/, with --journal <dir>)");
        }
        if (!Files.isDirectory(config.queueDirectory())) {
            throw new CannotRun(directory.toAbsolutePath().normalize() + " is not a journal directory: it has no queue/ "
                    + "(give the directory holding queue/ and snapshots/ with --journal <dir>)");
        }
    }

    /**
     * When retention has moved the journal's oldest day files to {@code archive/}, reading from the first command
     * finds a gap at the start: says where the missing records are, or "" when there is no archive.
     */
    static String archiveHint(final JournalConfig config) {
        final Path archive = config.directory().resolve("archive");
        if (!Files.isDirectory(archive)) {
            return "";
        }
        try (java.util.stream.Stream<Path> files = Files.list(archive)) {
            final long archived = files.filter(p -> p.getFileName().toString().endsWith(".cq4")).count();
            return archived == 0 ? "" : " (" + archived + " older journal file" + (archived == 1 ? " is" : "s are") + " in "
                    + archive + ", moved there by retention: reading from the first command needs them back in queue/)";
        } catch (final IOException e) {
            return "";
        }
    }

    static void walk(final ToolOptions options, final PrintStream err, final Visitor visitor) {
        final JournalConfig config = options.journalConfig();
        requireJournal(config);
        final CommandFilter filter = new CommandFilter(options);
        if (!options.outcomes) {
            try (JournalReader reader = new JournalReader(config)) {
                final JournalReader.Result result = reader.read(-1, 0, 0, (sequence, timestamp, command, offset, length, index) -> {
                    final int position = filter.position(sequence, timestamp);
                    if (position == CommandFilter.AFTER) {
                        return false;
                    }
                    if (position == CommandFilter.BEFORE || !filter.matches(command, offset, length)) {
                        return true;
                    }
                    return visitor.visit(sequence, timestamp, command, offset, length, null);
                });
                if (result.tornTail()) {
                    err.println("note: the journal ends with a torn record at " + reader.describe(result.tornTailIndex()) + " ("
                            + result.tornTailReason() + "): a write cut short by a crash, never answered; the switch cuts it "
                            + "off at its next start");
                }
            }
            return;
        }
        long from = options.fromSequence;
        long to = options.toSequence;
        if (options.timeBounded()) {
            final long[] range = sequenceRange(config, options);
            if (range == null) {
                return;
            }
            from = Math.max(from, range[0]);
            to = Math.min(to, range[1]);
            if (from > to) {
                return;
            }
        }
        warnIfSnapshotUnusable(options, from, err);
        try {
            Replay.run(config, options.ledger, from, to, true, (sequence, timestamp, command, offset, length, outcome) -> {
                if (filter.position(sequence, timestamp) == CommandFilter.INSIDE && filter.matches(command, offset, length)
                        && !visitor.visit(sequence, timestamp, command, offset, length, outcome)) {
                    throw new Stop();
                }
            });
        } catch (final Stop stopped) {
            // the visitor has what it wanted
        }
    }

    /**
     * The first and last sequence inside the time window (timestamps never fall, so the scan stops at the first
     * record past it), or null when no record is inside.
     */
    private static long[] sequenceRange(final JournalConfig config, final ToolOptions options) {
        final long[] range = {-1, -1};
        try (JournalReader reader = new JournalReader(config)) {
            reader.read(-1, 0, 0, (sequence, timestamp, command, offset, length, index) -> {
                if (timestamp >= options.toMillisExclusive) {
                    return false;
                }
                if (timestamp >= options.fromMillis) {
                    if (range[0] < 0) {
                        range[0] = sequence;
                    }
                    range[1] = sequence;
                }
                return true;
            });
        }
        return range[0] < 0 ? null : range;
    }

    /**
     * Replay quietly passes over a snapshot it cannot load (damaged, or taken with larger capacities than
     * given here) and starts from an older one or from nothing; say so, since with too small capacities the
     * outcomes would not be the live ones.
     */
    private static void warnIfSnapshotUnusable(final ToolOptions options, final long from, final PrintStream err) {
        final Path directory = options.journalConfig().snapshotDirectory();
        try {
            for (final Path file : Snapshots.list(directory)) {
                final long sequence = Verify.sequenceOf(file);
                if (sequence < 0 || sequence >= from) {
                    continue;
                }
                try {
                    Snapshots.read(file, options.ledger);
                    err.println("note: outcomes replayed from snapshot " + file.getFileName() + " (sequence " + sequence + ")");
                } catch (final IOException | RuntimeException e) {
                    err.println("warning: snapshot " + file.getFileName() + " cannot be used (" + e.getMessage()
                            + "); outcomes are replayed from an older snapshot or from the start, and match the live ones "
                            + "only if --max-cards and --transaction-log-capacity match the switch's");
                }
                return;
            }
        } catch (final IOException e) {
            err.println("warning: cannot list snapshots in " + directory + ": " + e.getMessage());
        }
    }
}
