package dev.prepaid.journal;

import dev.prepaid.command.Outcome;
import dev.prepaid.ledger.Ledger;
import dev.prepaid.ledger.LedgerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes snapshots without pausing the live ledger: a second ledger on its own thread follows the journal,
 * applying every command as the live one did, and writes a snapshot every {@code everyCommands} commands or
 * when asked. It costs a second copy of the state in memory, never a pause of the ledger stage.
 */
public final class SnapshotFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotFollower.class);
    /**
     * How long the follower sleeps once it has read everything written. It has no reader in a hurry (a snapshot
     * asked for wakes it at once), so it reads in large batches instead of chasing every command: that is cheaper
     * under traffic, and costs an idle switch 20 wake-ups a second.
     */
    private static final long IDLE_PARK_NANOS = 50_000_000;

    private final JournalConfig config;
    private final long everyCommands;
    private final int keep;
    private final Ledger ledger;
    private JournalReader reader;
    private final Thread thread;
    private final AtomicReference<CompletableFuture<Path>> requested = new AtomicReference<>();
    private volatile long requestedSequence;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;
    private volatile long appliedSequence;
    private Snapshots.Position position;
    private volatile long lastSnapshotSequence;

    /**
     * Starts following from the newest snapshot (the live side has already recovered, so the journal is sound).
     */
    public SnapshotFollower(final JournalConfig config, final LedgerConfig ledgerConfig, final long everyCommands,
            final int keep) {
        if (everyCommands <= 0 || keep <= 0) {
            throw new IllegalArgumentException("snapshot interval and snapshots kept must be positive");
        }
        this.config = config;
        this.everyCommands = everyCommands;
        this.keep = keep;
        final Snapshots.Loaded start;
        try {
            start = Snapshots.newestValid(config.snapshotDirectory(), ledgerConfig);
        } catch (final IOException e) {
            throw new JournalException("cannot read snapshots in " + config.snapshotDirectory() + ": " + e, e);
        }
        this.ledger = start == null ? new Ledger(ledgerConfig) : start.ledger();
        this.position = start == null ? Snapshots.Position.START : start.position();
        this.lastSnapshotSequence = position.sequence();
        this.appliedSequence = position.sequence();
        this.thread = new Thread(this::run, "snapshot-follower");
        this.thread.setDaemon(true);
    }

    /**
     * Starts following. A journal without any snapshot first gets one of the empty ledger at sequence 0: it costs
     * little, and it is the record of the capacities the switch runs with, which the journal tools need to replay
     * as the switch does long before the first interval's snapshot (a new site may take weeks to reach it).
     */
    public SnapshotFollower start() {
        if (position == Snapshots.Position.START && !hasAnySnapshot()) {
            try {
                snapshot();
            } catch (final IOException e) {
                throw new JournalException("cannot write the first snapshot in " + config.snapshotDirectory() + ": " + e,
                        e);
            }
        }
        thread.start();
        return this;
    }

    private boolean hasAnySnapshot() {
        try {
            return !Snapshots.list(config.snapshotDirectory()).isEmpty();
        } catch (final IOException e) {
            throw new JournalException("cannot read snapshots in " + config.snapshotDirectory() + ": " + e, e);
        }
    }

    /** The sequence of the newest snapshot this follower started from or wrote. */
    public long snapshotSequence() {
        return lastSnapshotSequence;
    }

    /** The last sequence the follower has applied. */
    public long appliedSequence() {
        return appliedSequence;
    }

    /** Asks for a snapshot at whatever the follower has applied when it next looks (no later than that). */
    public CompletableFuture<Path> requestSnapshot() {
        return requestSnapshot(0);
    }

    /**
     * Asks for a snapshot at or after {@code atLeastSequence} (the live journal's last sequence, typically);
     * completes with its file once the follower has applied that far and written it.
     */
    public CompletableFuture<Path> requestSnapshot(final long atLeastSequence) {
        final CompletableFuture<Path> future = new CompletableFuture<>();
        requestedSequence = Math.max(requestedSequence, atLeastSequence);
        final CompletableFuture<Path> previous = requested.getAndSet(future);
        if (previous != null) {
            future.whenComplete((path, error) -> {
                if (error != null) {
                    previous.completeExceptionally(error);
                } else {
                    previous.complete(path);
                }
            });
        }
        if (failure.get() != null) {
            future.completeExceptionally(failure.get());
        }
        LockSupport.unpark(thread);
        return future;
    }

    public Throwable failure() {
        return failure.get();
    }

    private void run() {
        final Outcome outcome = new Outcome();
        final JournalReader.Handler apply = (sequence, timestamp, command, offset, length, index) -> {
            ledger.apply(command, offset, length, sequence, timestamp, outcome);
            appliedSequence = sequence;
            // Stop where an interval's snapshot is due: readAvailable otherwise returns only at the journal's end,
            // which a follower behind it (restart, steady traffic) may not reach for long.
            return sequence - lastSnapshotSequence < everyCommands;
        };
        try {
            // Chronicle tailers belong to one thread: the reader is made and used on this one only.
            reader = new JournalReader(config);
            reader.position(position.chronicleIndex(), position.sequence(), position.lastTimestamp());
            while (running) {
                final long before = position.sequence();
                final JournalReader.Result result = reader.readAvailable(apply);
                if (result.tornTail()) {
                    throw new JournalException("the journal followed by the snapshot writer is damaged at "
                            + reader.describe(result.tornTailIndex()) + ": " + result.tornTailReason());
                }
                if (result.lastIndex() >= 0) {
                    position = new Snapshots.Position(result.lastSequence(), result.lastIndex(), result.lastTimestamp());
                }
                final boolean askedAndReached = requested.get() != null && position.sequence() >= requestedSequence;
                final CompletableFuture<Path> asked = askedAndReached ? requested.getAndSet(null) : null;
                if (asked != null || position.sequence() - lastSnapshotSequence >= everyCommands) {
                    final Path file = snapshot();
                    if (asked != null) {
                        asked.complete(file);
                    }
                } else if (position.sequence() == before && running) {
                    // Nothing new (the result's command count is the reader's total, not this call's).
                    LockSupport.parkNanos(this, IDLE_PARK_NANOS);
                }
            }
        } catch (final Throwable e) {
            failure.set(e);
            LOG.error("snapshot writer stopped: {}", e.toString());
            final CompletableFuture<Path> asked = requested.getAndSet(null);
            if (asked != null) {
                asked.completeExceptionally(e);
            }
        } finally {
            if (reader != null) {
                reader.close();
            }
        }
    }

    private Path snapshot() throws IOException {
        final long started = System.nanoTime();
        final Path file = Snapshots.write(config.snapshotDirectory(), ledger, position);
        lastSnapshotSequence = position.sequence();
        Snapshots.prune(config.snapshotDirectory(), keep);
        Retention.archive(config, position.chronicleIndex(),
                config.cycleClock() == null ? System.currentTimeMillis() : config.cycleClock().getAsLong());
        LOG.info("snapshot at sequence {} written in {} ms: {}", position.sequence(),
                (System.nanoTime() - started) / 1_000_000, file.getFileName());
        return file;
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(30_000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
