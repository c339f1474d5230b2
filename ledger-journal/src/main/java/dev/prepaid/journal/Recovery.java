package dev.prepaid.journal;

import dev.prepaid.command.Outcome;
import dev.prepaid.ledger.Invariants;
import dev.prepaid.ledger.Ledger;
import dev.prepaid.ledger.LedgerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up recovery: the newest valid snapshot, then every journaled command after it, applied in order with
 * its own timestamp. A torn last record is cut off (a void marker is appended and a line logged); damage
 * before the end stops the start with {@link JournalCorruptException}.
 */
public final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private Recovery() {
    }

    /**
     * What recovery produced.
     *
     * @param booksOff the first identity of the books that does not hold ({@link Invariants}), or null when
     *        they all do: the switch then starts and serves terminals, and the ledger holds every settlement
     */
    public record Recovered(Ledger ledger, Snapshots.Position position, Path snapshot, long replayed, long millis,
            String booksOff) {
        public long lastSequence() {
            return position.sequence();
        }

        public long lastTimestamp() {
            return position.lastTimestamp();
        }
    }

    public static Recovered recover(final JournalConfig config, final LedgerConfig ledgerConfig) {
        final long started = System.nanoTime();
        final Snapshots.Loaded snapshot;
        try {
            snapshot = Snapshots.newestValid(config.snapshotDirectory(), ledgerConfig);
        } catch (final IOException e) {
            throw new JournalException("cannot read snapshots in " + config.snapshotDirectory() + ": " + e, e);
        }
        final Ledger ledger = snapshot == null ? new Ledger(ledgerConfig) : snapshot.ledger();
        final Snapshots.Position from = snapshot == null ? Snapshots.Position.START : snapshot.position();
        if (snapshot != null) {
            LOG.info("recovery: snapshot {} at sequence {}", snapshot.file().getFileName(), from.sequence());
        }
        if (!Files.isDirectory(config.queueDirectory())) {
            if (snapshot != null) {
                throw new JournalException("snapshots exist in " + config.snapshotDirectory() + " but the journal "
                        + config.queueDirectory() + " is missing: restore the journal before starting");
            }
            return new Recovered(ledger, from, null, 0, 0, Invariants.firstViolation(ledger.state()));
        }
        final Outcome outcome = new Outcome();
        final JournalReader.Result result;
        try (JournalReader reader = new JournalReader(config)) {
            result = reader.read(from.chronicleIndex(), from.sequence(), from.lastTimestamp(),
                    (sequence, timestamp, command, offset, length, index) -> {
                        ledger.apply(command, offset, length, sequence, timestamp, outcome);
                        return true;
                    });
            if (result.tornTail()) {
                LOG.warn("recovery: the last journal record, at {}, is torn ({}): cut off (with SYNC durability a torn write was never answered)",
                        reader.describe(result.tornTailIndex()), result.tornTailReason());
            }
        }
        if (result.tornTail()) {
            ChronicleJournal.voidRecord(config, result.tornTailIndex());
        }
        final String booksOff = Invariants.firstViolation(ledger.state());
        if (booksOff != null) {
            LOG.error("recovery: the books do not add up ({}). The switch starts and serves terminals, but prepares and"
                    + " approves no settlement until they do: find the cause with journal verify and journal dump"
                    + " (docs/operations.md, \"Books out of balance\")", booksOff);
        }
        final long millis = (System.nanoTime() - started) / 1_000_000;
        LOG.info("recovery: {} commands replayed to sequence {} in {} ms", result.commands(), result.lastSequence(), millis);
        return new Recovered(ledger, new Snapshots.Position(result.lastSequence(), result.lastIndex(), result.lastTimestamp()),
                snapshot == null ? null : snapshot.file(), result.commands(), millis, booksOff);
    }
}
