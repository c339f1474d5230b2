package dev.prepaid.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import dev.prepaid.command.CommandHeader;
import dev.prepaid.command.PosRequest;
import dev.prepaid.ledger.Ledger;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The LMAX-style pipeline: commands published by any thread go through one ring, handled in order by the
 * {@link Stage stages} journal, ledger and reply — so no reply leaves before its command is journaled and
 * applied. The stages run each on its thread ({@code prepaid-journal}, {@code prepaid-ledger},
 * {@code prepaid-reply}), all on one ({@code prepaid-pipeline}), or on an executor the server gives ({@link #runOn}:
 * its I/O thread), as {@link PipelineConfig#layout()} says.
 *
 * <p>Fail-stop: an exception in any stage stops the pipeline. Nothing after the failed event is applied or
 * answered, publishing is refused from then on, and the failure is handed to {@code onFatal} (the server
 * stops; recovery replays the journal).
 */
public final class Pipeline implements CommandRing, AutoCloseable {
    /** How long {@link #close()} waits for published commands to be handled. */
    public static final long DEFAULT_DRAIN_TIMEOUT_MS = 10_000;

    /** The consumers' threads (THREE_THREADS, ONE_THREAD); null when the stages run on a given executor (IO_THREAD). */
    private final Disruptor<CommandEvent> disruptor;
    private final RingBuffer<CommandEvent> ring;
    /** IO_THREAD: what the stages poll the ring with, on the executor {@link #runOn} gives. */
    private final com.lmax.disruptor.EventPoller<CommandEvent> poller;
    private final OneThread inline;
    private final java.util.concurrent.atomic.AtomicBoolean drainScheduled = new java.util.concurrent.atomic.AtomicBoolean();
    private final Runnable drain = this::drain;
    private volatile java.util.concurrent.Executor executor;
    private final JournalStage journal;
    private final Ledger ledger;
    private final ReplyStage reply;
    private final LedgerHoldWatch holds;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile Stage failedStage;
    private final Consumer<Throwable> onFatal;
    private volatile boolean started;

    public Pipeline(final PipelineConfig config, final JournalStage journal, final Ledger ledger, final ReplyStage reply,
            final Consumer<Throwable> onFatal, final ThreadFactory threads) {
        this(config, journal, ledger, reply, onFatal, threads, null);
    }

    /** @param holds told how long each non-POS command and each read held the ledger stage; null: not timed */
    public Pipeline(final PipelineConfig config, final JournalStage journal, final Ledger ledger, final ReplyStage reply,
            final Consumer<Throwable> onFatal, final ThreadFactory threads, final LedgerHoldWatch holds) {
        this.onFatal = onFatal;
        this.journal = journal;
        this.ledger = ledger;
        this.reply = reply;
        this.holds = holds;
        if (config.layout() == StageLayout.IO_THREAD) {
            // No consumer thread: whoever drains runs the three stages as ONE_THREAD does, on the executor given.
            this.disruptor = null;
            this.ring = RingBuffer.createMultiProducer(CommandEvent::new, config.ringSize(),
                    config.waitStrategy().create());
            this.poller = ring.newPoller();
            ring.addGatingSequences(poller.getSequence());
            this.inline = new OneThread();
            return;
        }
        this.poller = null;
        this.inline = null;
        this.disruptor = new Disruptor<>(CommandEvent::new, config.ringSize(), threads, ProducerType.MULTI,
                config.waitStrategy().create());
        this.ring = disruptor.getRingBuffer();
        if (config.layout() == StageLayout.ONE_THREAD) {
            final OneThread all = new OneThread();
            disruptor.handleEventsWith(all);
            disruptor.handleExceptionsFor(all).with(new FailStop(all));
        } else {
            final EventHandler<CommandEvent> journalHandler = new Named(Stage.JOURNAL) {
                @Override
                public void onEvent(final CommandEvent event, final long sequence, final boolean endOfBatch) throws Exception {
                    journal(event, endOfBatch);
                }
            };
            final EventHandler<CommandEvent> ledgerHandler = new Named(Stage.LEDGER) {
                @Override
                public void onEvent(final CommandEvent event, final long sequence, final boolean endOfBatch) {
                    apply(event);
                }
            };
            final EventHandler<CommandEvent> replyHandler = new Named(Stage.REPLY) {
                @Override
                public void onEvent(final CommandEvent event, final long sequence, final boolean endOfBatch) throws Exception {
                    answer(event, endOfBatch);
                }
            };
            disruptor.handleEventsWith(journalHandler).then(ledgerHandler).then(replyHandler);
            disruptor.handleExceptionsFor(journalHandler).with(new FailStop(() -> Stage.JOURNAL));
            disruptor.handleExceptionsFor(ledgerHandler).with(new FailStop(() -> Stage.LEDGER));
            disruptor.handleExceptionsFor(replyHandler).with(new FailStop(() -> Stage.REPLY));
        }
    }

    private void journal(final CommandEvent event, final boolean endOfBatch) throws Exception {
        if (!event.skip) {
            journal.append(event, endOfBatch);
        } else if (endOfBatch) {
            journal.append(event, true);
        }
    }

    private void apply(final CommandEvent event) {
        if (!event.skip) {
            final int type = CommandHeader.type(event.command, 0);
            if (holds == null || type == PosRequest.TYPE) {
                ledger.apply(event.command, 0, event.length, event.journalIndex, event.timestampMillis, event.outcome);
            } else {
                final long started = holds.nanoTime();
                ledger.apply(event.command, 0, event.length, event.journalIndex, event.timestampMillis, event.outcome);
                holds.held(type, holds.nanoTime() - started);
            }
        } else if (event.query != null) {
            if (holds == null) {
                event.query.answer(ledger.state());
            } else {
                final long started = holds.nanoTime();
                event.query.answer(ledger.state());
                holds.held(LedgerHoldWatch.READ, holds.nanoTime() - started);
            }
        }
    }

    private void answer(final CommandEvent event, final boolean endOfBatch) throws Exception {
        if (!event.skip || event.query != null) {
            reply.reply(event, endOfBatch);
        }
        event.replyTo = null;
        event.query = null;
    }

    /**
     * The three stages on one thread. Commands are journaled as they come, in groups of at most
     * {@link #MAX_GROUP}; at the end of a group (the end of what was published, or the cap) the journal is told
     * so (with SYNC it forces the group to disk once), and only then is the group applied and answered, in order.
     * The cap bounds how long the first command of a burst waits for the rest to be journaled.
     */
    private final class OneThread implements EventHandler<CommandEvent> {
        private long groupStart = -1;
        private Stage running = Stage.JOURNAL;

        @Override
        public void onStart() {
            Thread.currentThread().setName(StageLayout.ONE_THREAD_NAME);
        }

        @Override
        public void onEvent(final CommandEvent event, final long sequence, final boolean endOfBatch) throws Exception {
            if (groupStart < 0) {
                groupStart = sequence;
            }
            final boolean endOfGroup = endOfBatch || sequence - groupStart + 1 >= MAX_GROUP;
            running = Stage.JOURNAL;
            journal(event, endOfGroup);
            if (!endOfGroup) {
                return;
            }
            for (long s = groupStart; s <= sequence; s++) {
                final CommandEvent grouped = ring.get(s);
                running = Stage.LEDGER;
                apply(grouped);
                running = Stage.REPLY;
                answer(grouped, s == sequence);
            }
            groupStart = -1;
        }
    }

    /** The most commands {@link StageLayout#ONE_THREAD} journals before applying and answering them. */
    static final int MAX_GROUP = 64;


    /**
     * IO_THREAD: where the stages run — one thread, e.g. the POS server's only I/O event loop, so a request is read,
     * journaled, applied and answered without leaving it. Every publish asks it for a drain (one pending at a time).
     * Set before {@link #start()}; the executor must outlive {@link #close}.
     */
    public void runOn(final java.util.concurrent.Executor stages) {
        if (poller == null) {
            throw new IllegalStateException("the stages have their own threads in this layout");
        }
        this.executor = stages;
    }

    @Override
    public void start() {
        if (disruptor != null) {
            disruptor.start();
        } else if (executor == null) {
            throw new IllegalStateException("IO_THREAD: no executor to run the stages on (runOn)");
        }
        started = true;
    }

    /** IO_THREAD: asks the executor to run the stages over what is published, unless a drain is pending already. */
    private void scheduleDrain() {
        if (!drainScheduled.getAndSet(true)) {
            try {
                executor.execute(drain);
            } catch (final RuntimeException e) {
                drainScheduled.set(false); // the executor is shutting down: close() drains what is left, or reports it
                throw e;
            }
        }
    }

    /**
     * IO_THREAD, on the executor: the stages over everything published so far, in groups as {@link OneThread} makes
     * them. The flag is cleared first, so a command published while this runs schedules the next drain. Fail-stop as
     * the other layouts: after a failure nothing more is handled.
     */
    private void drain() {
        drainScheduled.set(false);
        if (failure.get() != null) {
            return;
        }
        try {
            poller.poll(drainHandler);
        } catch (final Exception e) {
            if (failure.compareAndSet(null, e)) {
                failedStage = inline.running;
                onFatal.accept(e);
            }
        }
    }

    private final com.lmax.disruptor.EventPoller.Handler<CommandEvent> drainHandler = this::drainOne;

    private boolean drainOne(final CommandEvent event, final long sequence, final boolean endOfBatch) throws Exception {
        inline.onEvent(event, sequence, endOfBatch);
        return true;
    }

    /**
     * Publishes a read for the ledger stage to answer in its turn, never journaled; the query is also what the
     * reply stage is handed ({@link CommandEvent#replyTo}) once it is answered. Returns false when the ring is
     * full or the pipeline has failed.
     */
    @Override
    public boolean tryQuery(final LedgerQuery query) {
        return tryPublish(QUERY_WRITER, query);
    }

    private static final CommandWriter<LedgerQuery> QUERY_WRITER = (event, query) -> {
        event.query = query;
        event.replyTo = query;
        return 0; // no command: the journal and the ledger's apply skip the slot
    };

    /**
     * Claims a slot and lets {@code writer} fill it. Returns false, writing nothing, when the ring is full
     * or the pipeline has failed: the caller answers "system busy" instead of queueing without bound.
     */
    @Override
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
        if (poller != null) {
            scheduleDrain();
        }
        return true;
    }

    /** Free slots in the ring (an occupancy figure for metrics). */
    @Override
    public long remainingCapacity() {
        return ring.remainingCapacity();
    }

    @Override
    public int ringSize() {
        return ring.getBufferSize();
    }

    /** The failure that stopped the pipeline, or null while it runs. */
    @Override
    public Throwable failure() {
        return failure.get();
    }

    /** The stage whose failure stopped the pipeline, or null while it runs. */
    @Override
    public Stage failedStage() {
        return failedStage;
    }

    /**
     * Stops taking commands, waits up to {@code drainTimeoutMs} for every published command to be replied
     * to, then stops the stages.
     *
     * @return true when everything published was handled before the stages stopped
     */
    @Override
    public boolean close(final long drainTimeoutMs) {
        if (!started) {
            return true;
        }
        started = false;
        if (disruptor == null) {
            return drainInline(drainTimeoutMs);
        }
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

    /** IO_THREAD's close: waits for the executor to have handled everything published (it must still run). */
    private boolean drainInline(final long drainTimeoutMs) {
        final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(drainTimeoutMs);
        while (failure.get() == null && poller.getSequence().get() < ring.getCursor()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                scheduleDrain();
            } catch (final RuntimeException e) {
                return false; // the executor stopped first: what is left stays unanswered (and unapplied)
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        return failure.get() == null;
    }

    /** A stage's handler, which names the thread it runs on after the stage. */
    private abstract static class Named implements EventHandler<CommandEvent> {
        private final Stage stage;

        Named(final Stage stage) {
            this.stage = stage;
        }

        @Override
        public void onStart() {
            Thread.currentThread().setName(stage.threadName());
        }
    }

    private final class FailStop implements ExceptionHandler<CommandEvent> {
        private final Supplier<Stage> stage;

        FailStop(final Supplier<Stage> stage) {
            this.stage = stage;
        }

        FailStop(final OneThread all) {
            this(() -> all.running);
        }

        @Override
        public void handleEventException(final Throwable ex, final long sequence, final CommandEvent event) {
            final boolean first = failure.compareAndSet(null, ex);
            if (first) {
                failedStage = stage.get();
                onFatal.accept(ex);
            }
            // Rethrowing ends this stage's thread: the stages after it never see this event or any later one.
            throw new PipelineFailure(ex);
        }

        @Override
        public void handleOnStartException(final Throwable ex) {
            if (failure.compareAndSet(null, ex)) {
                failedStage = stage.get();
            }
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
