package dev.prepaid.server;

import dev.prepaid.ledger.LedgerState;
import dev.prepaid.pipeline.CommandEvent;
import dev.prepaid.pipeline.LedgerQuery;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * An operator's read of the ledger through the ring: {@link #answer} runs on the ledger thread in its turn, the
 * reply thread then completes the future. A read that throws (a bug in it, not bad input) fails its own future
 * and nothing else: the ledger thread goes on.
 */
final class QueryReply<T> extends ReplyTarget implements LedgerQuery {
    private final Function<LedgerState, T> read;
    final CompletableFuture<T> result = new CompletableFuture<>();
    private T value;
    private RuntimeException failure;

    QueryReply(final Function<LedgerState, T> read) {
        this.read = read;
    }

    @Override
    public void answer(final LedgerState state) {
        try {
            value = read.apply(state);
        } catch (final RuntimeException e) {
            failure = e;
        }
    }

    @Override
    void onReply(final CommandEvent event, final Replies replies) {
        // The ledger thread wrote value and failure before the reply stage saw this event (the ring's sequence
        // barrier orders them).
        if (failure != null) {
            result.completeExceptionally(failure);
        } else {
            result.complete(value);
        }
    }
}
