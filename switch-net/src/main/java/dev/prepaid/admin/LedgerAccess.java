package dev.prepaid.admin;

import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.Envelope;
import dev.prepaid.ledger.LedgerState;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * What the admin endpoint may do with the running switch: publish an operator command on the ring (answered once
 * it is journaled and applied), and read the ledger through the ring (answered by the ledger thread in its turn,
 * never journaled). Neither blocks: a full ring or a stopping switch completes the future exceptionally with
 * {@link Busy}.
 */
public interface LedgerAccess {
    CompletableFuture<Applied> submit(Envelope envelope, AdminCommand command);

    /**
     * Runs {@code read} on the ledger thread between two commands. It must be bounded, copy what it needs and
     * keep no reference to the state.
     */
    <T> CompletableFuture<T> read(Function<LedgerState, T> read);

    /**
     * Like {@link #read}, but the future completes on the reply stage's thread: for the hot reads (a card) whose
     * continuation only wraps the value before the endpoint hands it to its own event loop, it saves a hand-off to
     * a worker thread and its wake-up per read. Whatever is chained on it must take microseconds.
     */
    <T> CompletableFuture<T> readBriefly(Function<LedgerState, T> read);

    /** The ring was full or the switch is stopping: the request was not published, nothing changed. */
    final class Busy extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** True for a full ring (it drains: try again), false when the switch is stopping or failed. */
        public final boolean ringFull;

        public Busy(final String message, final boolean ringFull) {
            super(message, null, false, false);
            this.ringFull = ringFull;
        }
    }
}
