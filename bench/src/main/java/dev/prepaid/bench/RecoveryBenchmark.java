package dev.prepaid.bench;

import dev.prepaid.command.Outcome;
import dev.prepaid.journal.ChronicleJournal;
import dev.prepaid.journal.Durability;
import dev.prepaid.journal.JournalConfig;
import dev.prepaid.journal.Recovery;
import dev.prepaid.journal.Replay;
import dev.prepaid.journal.SnapshotFollower;
import dev.prepaid.journal.Snapshots;
import dev.prepaid.ledger.Ledger;
import dev.prepaid.ledger.LedgerConfig;
import dev.prepaid.pipeline.CommandEvent;
import dev.prepaid.workload.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Recovery and replay at scale: builds a journal whose snapshot holds {@code cards} sold cards, followed by
 * {@code commands} journaled commands of the workload (mostly purchases), then times
 * <ol>
 *   <li>start-up recovery: read the snapshot, replay every command after it;</li>
 *   <li>replay of the commands into a ledger restored from that snapshot (commands per second);</li>
 * </ol>
 * With {@code snapshotEvery} > 0 a {@link SnapshotFollower} runs while the journal grows, as in production, then
 * {@code snapshotEvery - 1} more commands are journaled (a crash just before the next snapshot), and recovery
 * starts from the newest snapshot; with 0 there is one snapshot, before all the commands (the worst
 * case: every command is replayed).
 * Run: {@code bin/prepaid recovery [cards] [commands] [snapshotEvery]} (defaults 10,000,000, 20,000,000 and 0;
 * needs ~8 GB of memory and ~4 GB of disk).
 */
public final class RecoveryBenchmark {
    private RecoveryBenchmark() {
    }

    public static void main(final String[] args) throws IOException {
        final int cards = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
        final long commands = args.length > 1 ? Long.parseLong(args[1]) : 20_000_000L;
        final long snapshotEvery = args.length > 2 ? Long.parseLong(args[2]) : 0;
        final Path directory = Files.createTempDirectory("recovery-bench");
        final LedgerConfig ledgerConfig = LedgerConfig.defaults().withMaxCards(cards);
        final JournalConfig config = JournalConfig.of(directory, Durability.PROCESS);
        try {
            build(config, ledgerConfig, cards, commands, snapshotEvery);
            long started = System.nanoTime();
            final Recovery.Recovered recovered = Recovery.recover(config, ledgerConfig);
            final double recoverySeconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("recovery: snapshot of %,d cards + %,d commands replayed in %.1f s (%,.0f commands/s overall)%n",
                    recovered.ledger().state().cards().count(), recovered.replayed(), recoverySeconds,
                    recovered.replayed() / recoverySeconds);
            final long snapshotSequence = recovered.lastSequence() - recovered.replayed();
            started = System.nanoTime();
            final long[] timeInReplay = {0};
            final Replay.Result replay = Replay.run(config, ledgerConfig, snapshotSequence + 1, Long.MAX_VALUE, true,
                    (sequence, timestamp, command, offset, length, outcome) -> {
                        if (sequence == snapshotSequence + 1) {
                            timeInReplay[0] = System.nanoTime();
                        }
                    });
            if (replay.delivered() == 0) {
                System.out.println("replay: no commands after the snapshot");
                return;
            }
            final double replaySeconds = (System.nanoTime() - timeInReplay[0]) / 1e9;
            System.out.printf("replay: %,d commands into the restored ledger in %.1f s: %,.0f commands/s "
                    + "(after %.1f s reading the snapshot)%n", replay.delivered(), replaySeconds,
                    replay.delivered() / replaySeconds, (timeInReplay[0] - started) / 1e9);
            if (!replay.ledger().digestHex().equals(recovered.ledger().digestHex())) {
                throw new IllegalStateException("replay and recovery disagree");
            }
        } finally {
            try (Stream<Path> walk = Files.walk(directory)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** A snapshot after the business is set up, then {@code commands} commands in the journal after it. */
    private static void build(final JournalConfig config, final LedgerConfig ledgerConfig, final int cards, final long commands,
            final long snapshotEvery) throws IOException {
        final long started = System.nanoTime();
        final Ledger ledger = new Ledger(ledgerConfig);
        final Workload workload = new Workload(cards, 1_000, 42, 0);
        final CommandEvent event = new CommandEvent();
        final Outcome outcome = new Outcome();
        final long[] clock = {1_767_225_600_000L};
        try (ChronicleJournal journal = ChronicleJournal.open(config, () -> clock[0]++, 0, 0)) {
            for (final byte[] command : workload.setup()) {
                event.command.putBytes(0, command);
                event.length = command.length;
                journal.append(event, false);
                ledger.apply(event.command, 0, event.length, event.journalIndex, event.timestampMillis, outcome);
            }
            journal.sync();
            final long sequence = journal.nextSequence() - 1;
            final long index = lastIndex(config, sequence);
            Snapshots.write(config.snapshotDirectory(), ledger, new Snapshots.Position(sequence, index, ledger.lastTimestamp()));
            System.out.printf("built: %,d cards sold through %,d commands and snapshotted in %.1f s%n",
                    ledger.state().cards().count(), sequence, (System.nanoTime() - started) / 1e9);
            final long journaled = System.nanoTime();
            final SnapshotFollower follower = snapshotEvery > 0
                    ? new SnapshotFollower(config, ledgerConfig, snapshotEvery, 2).start() : null;
            for (long i = 0; i < commands; i++) {
                event.length = workload.next(event.command, 0);
                journal.append(event, (i & 63) == 63);
            }
            System.out.printf("built: %,d commands journaled in %.1f s%n", commands, (System.nanoTime() - journaled) / 1e9);
            if (follower != null) {
                // The follower catches up, then the journal grows by up to one interval after its last snapshot.
                while (follower.appliedSequence() < journal.nextSequence() - 1 - snapshotEvery / 2) {
                    java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
                    if (follower.failure() != null) {
                        throw new IllegalStateException("snapshot follower failed", follower.failure());
                    }
                }
                follower.close();
                System.out.printf("built: follower snapshots up to sequence %,d of %,d%n", follower.appliedSequence(),
                        journal.nextSequence() - 1);
                // The worst moment to crash: just before the follower's next snapshot is due, so recovery replays
                // a whole interval after the newest snapshot.
                for (long i = 0; i < snapshotEvery - 1; i++) {
                    event.length = workload.next(event.command, 0);
                    journal.append(event, (i & 63) == 63);
                }
                System.out.printf("built: %,d more commands after the newest snapshot (a crash just before the next)%n",
                        snapshotEvery - 1);
            }
        }
    }

    private static long lastIndex(final JournalConfig config, final long sequence) {
        final long[] index = {-1};
        try (dev.prepaid.journal.JournalReader reader = new dev.prepaid.journal.JournalReader(config)) {
            reader.read(-1, 0, 0, (s, t, c, o, l, i) -> {
                index[0] = i;
                return s < sequence;
            });
        }
        return index[0];
    }
}
