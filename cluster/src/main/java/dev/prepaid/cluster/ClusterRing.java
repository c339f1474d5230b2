package dev.prepaid.cluster;

import dev.prepaid.command.Outcome;
import dev.prepaid.pipeline.CommandEvent;
import dev.prepaid.pipeline.CommandRing;
import dev.prepaid.pipeline.CommandWriter;
import dev.prepaid.pipeline.LedgerQuery;
import dev.prepaid.pipeline.ReplyStage;
import dev.prepaid.pipeline.Stage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servers' ring when the ledger is a cluster's: a command published here goes to the cluster through a
 * {@link ClusterGateway}, and its answer — once a majority has the command in its log and the leader's ledger has
 * applied it — is handed to the same {@link ReplyStage} a single node's pipeline ends with, on the gateway's thread.
 * A read is answered by the ledger of the member beside this gateway, on that member's service thread, once it has
 * applied every command this gateway has been answered for (so an operator reads what they have just done).
 *
 * <p>The slots are a fixed pool, as a ring's are: a command holds one until it is answered (resent as often as a
 * leader change needs), and a full pool refuses at once. A slot's correlation carries a generation, so an answer to a
 * slot's earlier command cannot be taken for its present one.
 */
public final class ClusterRing implements CommandRing, ClusterGateway.Answers {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterRing.class);
    private static final int INDEX_BITS = 24;
    private static final long INDEX_MASK = (1L << INDEX_BITS) - 1;

    private final Slot[] slots;
    private final ManyToManyConcurrentArrayQueue<Slot> free;
    private final ReplyStage reply;
    private final LedgerService member;
    private final Consumer<Throwable> onFatal;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile ClusterGateway gateway;
    private volatile boolean started;
    private final java.util.concurrent.ConcurrentHashMap<Long, java.util.concurrent.CompletableFuture<Outcome>> probes =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong probesAsked = new java.util.concurrent.atomic.AtomicLong();
    /** The highest sequence this gateway has been answered for: a read waits until the member beside it has it. */
    private volatile long answeredUpTo;

    private static final class Slot {
        final int index;
        final CommandEvent event = new CommandEvent();
        long generation;
        /** The correlation of the command the slot holds now; 0 while it is free. Written before the submit. */
        volatile long correlation;

        Slot(final int index) {
            this.index = index;
        }
    }

    /**
     * @param size the most commands and reads in flight at once (a power of two, as a ring's size)
     * @param member the ledger of the member beside this gateway, which answers reads
     * @param onFatal told when the reply stage fails: the server stops
     */
    public ClusterRing(final int size, final ReplyStage reply, final LedgerService member, final Consumer<Throwable> onFatal) {
        if (size < 2 || Integer.bitCount(size) != 1 || size > INDEX_MASK) {
            throw new IllegalArgumentException("a ring of " + size + " slots: a power of two from 2 is needed");
        }
        this.slots = new Slot[size];
        this.free = new ManyToManyConcurrentArrayQueue<>(size);
        for (int i = 0; i < size; i++) {
            slots[i] = new Slot(i);
            free.offer(slots[i]);
        }
        this.reply = reply;
        this.member = member;
        this.onFatal = onFatal;
    }

    /** The gateway the commands go through; set once, before {@link #start()}. */
    public void connect(final ClusterGateway through) {
        this.gateway = through;
    }

    @Override
    public void start() {
        if (gateway == null) {
            throw new IllegalStateException("the ring has no gateway to the cluster");
        }
        started = true;
    }

    /** A free slot, cleared, or null when the ring is full, not started or failed. */
    private Slot claim() {
        if (!started || failure.get() != null) {
            return null;
        }
        final Slot slot = free.poll();
        if (slot != null) {
            slot.event.clear();
        }
        return slot;
    }

    @Override
    public <A> boolean tryPublish(final CommandWriter<A> writer, final A argument) {
        final Slot slot = claim();
        if (slot == null) {
            return false;
        }
        final CommandEvent event = slot.event;
        final int length;
        try {
            length = writer.write(event, argument);
        } catch (final RuntimeException e) {
            free.offer(slot);
            throw e;
        }
        if (length <= 0) {
            free.offer(slot); // nothing to send: as the pipeline skips such a slot, nothing is answered
            return true;
        }
        event.length = length;
        final long correlation = (++slot.generation << INDEX_BITS) | slot.index;
        slot.correlation = correlation;
        gateway.submit(correlation, event.command, 0, length);
        return true;
    }

    @Override
    public boolean tryQuery(final LedgerQuery query) {
        final Slot slot = claim();
        if (slot == null) {
            return false;
        }
        final CommandEvent event = slot.event;
        event.skip = true;
        event.query = query;
        event.replyTo = query;
        member.inspectAfter(answeredUpTo, ledger -> {
            try {
                query.answer(ledger.state());
                // Only the query's own target runs for a read (no terminal, no directory): safe beside the gateway's
                // thread, which answers commands through the same reply stage.
                reply.reply(event, true);
            } catch (final Exception e) {
                LOG.error("a read of the ledger failed in its reply: {}", e.toString(), e);
            } finally {
                event.replyTo = null;
                event.query = null;
                free.offer(slot);
            }
        });
        return true;
    }

    /**
     * Asks the cluster, through its log, what its ledger holds ({@link ClusterGateway#probe}): the answer (a copy) has
     * the ledger's last sequence in {@link Outcome#value1} and its business date. Needs no slot.
     */
    public java.util.concurrent.CompletableFuture<Outcome> probe() {
        return control(gateway::probe);
    }

    /** Has the cluster's timers started ({@link ClusterGateway#startTimers}); answered as a {@link #probe()}. */
    public java.util.concurrent.CompletableFuture<Outcome> startTimers() {
        return control(gateway::startTimers);
    }

    private java.util.concurrent.CompletableFuture<Outcome> control(final java.util.function.LongConsumer send) {
        final long correlation = -probesAsked.incrementAndGet(); // below every slot's correlation, which are positive
        final java.util.concurrent.CompletableFuture<Outcome> answer = new java.util.concurrent.CompletableFuture<>();
        probes.put(correlation, answer);
        send.accept(correlation);
        return answer;
    }

    /** The gateway's thread: the cluster has applied a command of this ring's. */
    @Override
    public void onAnswer(final long correlation, final long sequence, final long timestampMillis, final Outcome outcome) {
        if (correlation < 0) {
            if (sequence > answeredUpTo) {
                answeredUpTo = sequence; // reads wait for the member to have what the cluster had when asked
            }
            final java.util.concurrent.CompletableFuture<Outcome> asked = probes.remove(correlation);
            if (asked != null) {
                final Outcome copy = new Outcome();
                copy.copyFrom(outcome);
                asked.complete(copy);
            }
            return;
        }
        final int index = (int) (correlation & INDEX_MASK);
        if (index >= slots.length) {
            return;
        }
        final Slot slot = slots[index];
        if (slot.correlation != correlation) {
            return; // not a command this ring has in flight (a probe's answer, or a slot's earlier command)
        }
        final CommandEvent event = slot.event;
        event.journalIndex = sequence;
        event.timestampMillis = timestampMillis;
        event.outcome.copyFrom(outcome);
        if (sequence > answeredUpTo) {
            answeredUpTo = sequence;
        }
        try {
            reply.reply(event, true);
        } catch (final Exception e) {
            if (failure.compareAndSet(null, e)) {
                onFatal.accept(e);
            }
        } finally {
            event.replyTo = null;
            slot.correlation = 0;
            free.offer(slot);
        }
    }

    @Override
    public long remainingCapacity() {
        return free.size();
    }

    @Override
    public int ringSize() {
        return slots.length;
    }

    @Override
    public Throwable failure() {
        return failure.get();
    }

    @Override
    public Stage failedStage() {
        return failure.get() == null ? null : Stage.REPLY;
    }

    /** Commands sent to the cluster again after a leader change or an overdue answer. */
    public long resends() {
        return gateway == null ? 0 : gateway.resends();
    }

    /** The member the gateway last heard leads, or -1. */
    public int leader() {
        return gateway == null ? -1 : gateway.leader();
    }

    @Override
    public boolean close(final long drainTimeoutMs) {
        if (!started) {
            if (gateway != null) {
                gateway.close(); // connected, never started (the server's start failed after it): nothing in flight
            }
            return true;
        }
        started = false;
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainTimeoutMs);
        while (free.size() < slots.length && failure.get() == null && System.nanoTime() < deadline) {
            try {
                TimeUnit.MILLISECONDS.sleep(1);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        final boolean drained = free.size() == slots.length;
        gateway.close();
        return drained;
    }
}
