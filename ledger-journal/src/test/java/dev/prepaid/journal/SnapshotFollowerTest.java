package dev.prepaid.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.pipeline.CommandEvent;
import dev.prepaid.workload.Workload;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The follower's interval: a follower that is behind the journal's end — started after a restart, or
 * outpaced by steady traffic — must write a snapshot every {@code everyCommands} commands on its way, not one
 * when it finally reaches the end (under steady traffic it may never reach it, and every restart would then
 * replay an ever longer journal from the same old snapshot).
 */
class SnapshotFollowerTest {
    private static final long EVERY = 1_000;
    private static final long TIMEOUT_SECONDS = 60;

    @TempDir
    Path directory;

    @Test
    void aFollowerBehindTheJournalWritesASnapshotEveryIntervalOnItsWay() throws Exception {
        final JournalConfig config = JournalConfig.of(directory, Durability.PROCESS);
        final Workload workload = new Workload(200, 4, 3, 0);
        final long end = append(config, 0, workload, true, 10_500);

        final Path last;
        try (SnapshotFollower follower = new SnapshotFollower(config, JournalTestSupport.LEDGER, EVERY, 100).start()) {
            last = awaitSnapshot(follower, end);
        }

        assertThat(sequenceOf(last)).isEqualTo(end);
        final List<Long> expected = new ArrayList<>(List.of(0L)); // the empty ledger's, written at the start
        expected.addAll(expected(0, end));
        assertThat(snapshotSequences(config))
                .as("snapshots of a follower that started %d commands behind, one due every %d", end, EVERY)
                .containsExactlyElementsOf(expected);
        assertSnapshotsEqualReplayFromScratch(config);
    }

    @Test
    void aFollowerRestartedFromASnapshotCountsTheIntervalFromIt() throws Exception {
        final JournalConfig config = JournalConfig.of(directory, Durability.PROCESS);
        final Workload workload = new Workload(200, 4, 4, 0);
        final long first = append(config, 0, workload, true, 700);
        try (SnapshotFollower follower = new SnapshotFollower(config, JournalTestSupport.LEDGER, EVERY, 100).start()) {
            assertThat(sequenceOf(awaitSnapshot(follower, first))).isEqualTo(first);
        }
        assertThat(first % EVERY).as("the first follower's last snapshot is off the interval's grid").isNotZero();
        // The process restarts with a backlog the new follower has to work through.
        final long end = append(config, first, workload, false, 4_200);

        try (SnapshotFollower follower = new SnapshotFollower(config, JournalTestSupport.LEDGER, EVERY, 100).start()) {
            assertThat(sequenceOf(awaitSnapshot(follower, end))).isEqualTo(end);
        }

        final List<Long> expected = new ArrayList<>(List.of(0L)); // the first follower's start; the second has one
        expected.addAll(expected(0, first));
        expected.addAll(expected(first, end));
        assertThat(snapshotSequences(config))
                .as("snapshots of a follower restarted from snapshot %d, %d commands behind, one due every %d", first,
                        end - first, EVERY)
                .containsExactlyElementsOf(expected);
        assertSnapshotsEqualReplayFromScratch(config);
    }

    @Test
    void aJournalWithoutSnapshotsGetsTheEmptyLedgersAtOnceRecordingTheCapacities() throws Exception {
        final JournalConfig config = JournalConfig.of(directory, Durability.PROCESS);
        final dev.prepaid.ledger.LedgerConfig sizes = JournalTestSupport.LEDGER.withMaxCards(12_345);
        try (SnapshotFollower follower = new SnapshotFollower(config, sizes, EVERY, 100).start()) {
            assertThat(snapshotSequences(config)).as("written before start() returns").containsExactly(0L);
            assertThat(Snapshots.capacities(Snapshots.fileFor(config.snapshotDirectory(), 0))).isEqualTo(sizes);
        }
        // a journal that has one already gets no second one at 0
        final long modified = java.nio.file.Files.getLastModifiedTime(Snapshots.fileFor(config.snapshotDirectory(), 0))
                .toMillis();
        try (SnapshotFollower follower = new SnapshotFollower(config, sizes, EVERY, 100).start()) {
            assertThat(snapshotSequences(config)).containsExactly(0L);
        }
        assertThat(java.nio.file.Files.getLastModifiedTime(Snapshots.fileFor(config.snapshotDirectory(), 0)).toMillis())
                .isEqualTo(modified);
    }

    /** {@code from + EVERY, from + 2 EVERY, …} up to {@code end}, then {@code end} (the one asked for). */
    private static List<Long> expected(final long from, final long end) {
        final List<Long> sequences = new ArrayList<>(LongStream.iterate(from + EVERY, s -> s <= end, s -> s + EVERY).boxed().toList());
        if (sequences.isEmpty() || sequences.get(sequences.size() - 1) != end) {
            sequences.add(end);
        }
        return sequences;
    }

    /** Journals the workload's setup (when asked) and {@code commands} commands; returns the last sequence. */
    private static long append(final JournalConfig config, final long lastSequence, final Workload workload,
            final boolean setup, final int commands) throws Exception {
        final CommandEvent event = new CommandEvent();
        try (ChronicleJournal journal = ChronicleJournal.open(config, () -> 1_767_225_600_000L, lastSequence,
                lastSequence == 0 ? 0 : 1_767_225_600_000L)) {
            if (setup) {
                for (final byte[] command : workload.setup()) {
                    event.command.putBytes(0, command);
                    event.length = command.length;
                    journal.append(event, true);
                }
            }
            for (int i = 0; i < commands; i++) {
                event.length = workload.next(event.command, 0);
                journal.append(event, (i & 255) == 255 || i == commands - 1);
            }
            return journal.nextSequence() - 1;
        }
    }

    private static Path awaitSnapshot(final SnapshotFollower follower, final long atLeast) throws Exception {
        try {
            return follower.requestSnapshot(atLeast).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (final ExecutionException e) {
            throw new AssertionError("the follower stopped instead of writing the snapshot asked for: " + e.getCause(),
                    e.getCause());
        }
    }

    /** Sequences of the snapshot files, oldest first. */
    private static List<Long> snapshotSequences(final JournalConfig config) throws Exception {
        final List<Long> sequences = new ArrayList<>();
        for (final Path file : Snapshots.list(config.snapshotDirectory())) {
            sequences.add(0, sequenceOf(file));
        }
        return sequences;
    }

    private static long sequenceOf(final Path snapshot) {
        final String name = snapshot.getFileName().toString();
        assertThat(name).matches("snapshot-\\d+\\.snap");
        return Long.parseLong(name.substring("snapshot-".length(), name.length() - ".snap".length()));
    }

    /** Each snapshot holds the state at its sequence: the state a replay from scratch to that sequence gives. */
    private static void assertSnapshotsEqualReplayFromScratch(final JournalConfig config) throws Exception {
        for (final Path file : Snapshots.list(config.snapshotDirectory())) {
            final Snapshots.Loaded loaded = Snapshots.read(file, JournalTestSupport.LEDGER);
            final long sequence = loaded.position().sequence();
            if (sequence == 0) {
                assertThat(loaded.ledger().digestHex()).as("snapshot %s", file.getFileName())
                        .isEqualTo(new dev.prepaid.ledger.Ledger(JournalTestSupport.LEDGER).digestHex());
                continue;
            }
            final Replay.Result scratch = Replay.run(config, JournalTestSupport.LEDGER, 1, sequence, false,
                    (s, t, c, o, l, out) -> { });
            assertThat(scratch.lastSequence()).isEqualTo(sequence);
            assertThat(loaded.ledger().digestHex()).as("snapshot %s", file.getFileName())
                    .isEqualTo(scratch.ledger().digestHex());
        }
    }
}
