package dev.prepaid.journal;

import dev.prepaid.command.Outcome;
import dev.prepaid.ledger.Ledger;
import dev.prepaid.ledger.LedgerConfig;
import java.io.IOException;
import java.nio.file.Path;
import org.agrona.DirectBuffer;

/**
 * Feeds a range of the journal through a fresh ledger and hands every command of the range, with the
 * outcome the ledger gives it, to a listener. The ledger starts from the newest snapshot before the range
 * (or from nothing) so the outcomes are exactly those the live switch gave. Clearing and reports build on it.
 */
public final class Replay {
    private Replay() {
    }

    /** Receives each command of the range and its outcome. */
    @FunctionalInterface
    public interface Listener {
        void onCommand(long sequence, long timestampMillis, DirectBuffer command, int offset, int length, Outcome outcome);

        /**
         * Called with each command of the range just before the ledger applies it, with the ledger as it is then
         * (read it, never apply to it): what a command is about to change — the fees a cut-over will post, the totals
         * a batch settlement will compare — can be read only here. Nothing by default.
         */
        default void beforeCommand(final long sequence, final DirectBuffer command, final int offset, final int length,
                final Ledger ledger) {
        }
    }

    /** The ledger after the range's last command, and what was read. */
    public record Result(Ledger ledger, long lastSequence, long lastTimestamp, long replayed, long delivered) {
    }

    /**
     * Replays sequences {@code from} to {@code to} inclusive (use 1 and {@code Long.MAX_VALUE} for all).
     *
     * @param useSnapshots start from the newest snapshot before {@code from}; false replays from the start
     */
    public static Result run(final JournalConfig config, final LedgerConfig ledgerConfig, final long from, final long to,
            final boolean useSnapshots, final Listener listener) {
        Snapshots.Loaded start = null;
        if (useSnapshots) {
            try {
                for (final Path file : Snapshots.list(config.snapshotDirectory())) {
                    try {
                        final Snapshots.Loaded loaded = Snapshots.read(file, ledgerConfig);
                        if (loaded.position().sequence() < from) {
                            start = loaded;
                            break;
                        }
                    } catch (final IOException | RuntimeException damaged) {
                        // An unusable snapshot only means starting from an older one.
                    }
                }
            } catch (final IOException e) {
                throw new JournalException("cannot list snapshots in " + config.snapshotDirectory() + ": " + e, e);
            }
        }
        final Ledger ledger = start == null ? new Ledger(ledgerConfig) : start.ledger();
        final Snapshots.Position position = start == null ? Snapshots.Position.START : start.position();
        final Outcome outcome = new Outcome();
        final long[] delivered = new long[1];
        try (JournalReader reader = new JournalReader(config)) {
            final JournalReader.Result result = reader.read(position.chronicleIndex(), position.sequence(),
                    position.lastTimestamp(), (sequence, timestamp, command, offset, length, index) -> {
                        if (sequence >= from) {
                            listener.beforeCommand(sequence, command, offset, length, ledger);
                        }
                        ledger.apply(command, offset, length, sequence, timestamp, outcome);
                        if (sequence >= from) {
                            listener.onCommand(sequence, timestamp, command, offset, length, outcome);
                            delivered[0]++;
                        }
                        return sequence < to;
                    });
            return new Result(ledger, result.lastSequence(), result.lastTimestamp(), result.commands(), delivered[0]);
        }
    }
}
