package dev.prepaid.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import dev.prepaid.ledger.Ledger;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The LMAX-style pipeline: commands published by any thread go through one ring, handled in order by the
 * journal stage, then the ledger stage, then the reply stage — so no reply leaves before its command is
 * journaled and applied.
 *
 * <p>Fail-stop: an exception in any stage stops the pipeline. Nothing after the failed event is applied or
 * answered, publishing is refused from then on, and the failure is handed to {@code onFatal} (the server
 * stops; recovery replays the journal).
 */
public final class Pipeline implements AutoCloseable {
    /** How long {@link #close()} waits for published commands to be handled. */
    public static final long DEFAULT_DRAIN_TIMEOUT_MS = 10_000;

    private final Disruptor<CommandEvent> disruptor;
    private final RingBuffer<CommandEvent> ring;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Consumer<Throwable> onFatal;
    private volatile boolean started;

    public Pipeline(final PipelineConfig config, final JournalStage journal, final Ledger ledger, final ReplyStage reply,
            final Consumer<Throwable> onFatal, final ThreadFactory threads) {
        this.onFatal = onFatal;
        this.disruptor = new Disruptor<>(CommandEvent::new, config.ringSize(), threads, ProducerType.MULTI,
                config.waitStrategy().create());
        this.disruptor.setDefaultExceptionHandler(new FailStop());
        final EventHandler<CommandEvent> journalHandler = (event, sequence, endOfBatch) -> {
            if (!event.skip) {
                journal.append(event, endOfBatch);
            } else if (endOfBatch) {
                journal.append(event, true);
            }
        };
        final EventHandler<CommandEvent> ledgerHandler = (event, sequence, endOfBatch) -> {
            if (!event.skip) {
                ledger.apply(event.command, 0, event.length, event.timestampMillis, event.outcome);
            }
        };
        final EventHandler<CommandEvent> replyHandler = (event, sequence, endOfBatch) -> {
            if (!event.skip) {
                reply.reply(event, endOfBatch);
            }
            event.replyTo = null;
        };
        disruptor.handleEventsWith(journalHandler).then(ledgerHandler).then(replyHandler);
        this.ring = disruptor.getRingBuffer();
    }

    public void start() {
        disruptor.start();
        started = true;
    }

    /**
     * Claims a slot and lets {@code writer} fill it. Returns false, writing nothing, when the ring is full
     * or the pipeline has failed: the caller answers "system busy" instead of queueing without bound.
     */
    public <A> boolean tryPublish(final CommandWriter<A> writer, final A argument) {
        if (failure.get() != null || !started) {
            return false;
        }
        final long sequence;
        try {
            sequence = ring.tryNext();
        } catch (final InsufficientCapacityException e) {
            return false;
        }
        final CommandEvent event = ring.get(sequence);
        event.clear();
        try {
            event.length = writer.write(event, argument);
            if (event.length <= 0) {
                event.skip = true;
            }
        } catch (final RuntimeException e) {
            event.skip = true;
            throw e;
        } finally {
            ring.publish(sequence);
        }
        return true;
    }

    /** Free slots in the ring (an occupancy figure for metrics). */
    public long remainingCapacity() {
        return ring.remainingCapacity();
    }

    public int ringSize() {
        return ring.getBufferSize();
    }

    /** The failure that stopped the pipeline, or null while it runs. */
    public Throwable failure() {
        return failure.get();
    }

    /**
     * Stops taking commands, waits up to {@code drainTimeoutMs} for every published command to be replied
     * to, then stops the stages.
     *
     * @return true when everything published was handled before the stages stopped
     */
    public boolean close(final long drainTimeoutMs) {
        if (!started) {
            return true;
        }
        started = false;
        if (failure.get() == null) {
            try {
                disruptor.shutdown(drainTimeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS);
                return true;
            } catch (final com.lmax.disruptor.TimeoutException e) {
                disruptor.halt();
                return false;
            }
        }
        disruptor.halt();
        return false;
    }

    @Override
    public void close() {
        close(DEFAULT_DRAIN_TIMEOUT_MS);
    }

    private final class FailStop implements ExceptionHandler<CommandEvent> {
        @Override
        public void handleEventException(final Throwable ex, final long sequence, final CommandEvent event) {
            final boolean first = failure.compareAndSet(null, ex);
            if (first) {
                onFatal.accept(ex);
            }
            // Rethrowing ends this stage's thread: the stages after it never see this event or any later one.
            throw new PipelineFailure(ex);
        }

        @Override
        public void handleOnStartException(final Throwable ex) {
            failure.compareAndSet(null, ex);
            onFatal.accept(ex);
        }

        @Override
        public void handleOnShutdownException(final Throwable ex) {
            failure.compareAndSet(null, ex);
        }
    }

    /** Thrown out of a failed stage to stop it. */
    public static final class PipelineFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PipelineFailure(final Throwable cause) {
            super("pipeline stopped after a failure: " + cause, cause);
        }
    }
}
