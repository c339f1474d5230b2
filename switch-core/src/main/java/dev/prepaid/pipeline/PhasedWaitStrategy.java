package dev.prepaid.pipeline;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Spins, yields, parks briefly, then sleeps until another thread makes progress: a stage that has work keeps its
 * latency (the first three phases outlast the gap between the commands of a busy terminal), and a stage with none
 * costs nothing, where a timed sleep ({@code SLEEPING}) wakes thousands of times a second for ever.
 *
 * <p>Unlike Disruptor's blocking strategies it also sleeps while an <em>earlier stage</em> is busy (the ledger
 * waiting for a journal sync), which they spin through. That needs a wake-up when a stage advances, and the
 * Disruptor signals only publications; but every stage enters {@link #waitFor} right after it has advanced its
 * sequence, so a stage's next wait is where it wakes those sleeping behind it. Either side pays for a signal
 * only when somebody sleeps: one fence and one read otherwise.
 *
 * <p>No missed wake-up: a sleeper counts itself, then re-checks the sequence it waits on; a stage or publisher
 * advances a sequence, fences, then reads the count. One of the two sees the other's write. The timed wait is a
 * last resort, not a poll.
 */
public final class PhasedWaitStrategy implements WaitStrategy {
    /** Spins before yielding: a few microseconds, about a busy stage's gap between two batches. */
    public static final int DEFAULT_SPINS = 100;
    /** Yields before parking: hands the core to the threads that make the progress waited for. */
    public static final int DEFAULT_YIELDS = 100;
    /**
     * Short timed parks before sleeping until signalled: Linux makes each about 50 µs, so about a millisecond
     * of them. A terminal's next request usually comes within that, and a parked stage finds it without the
     * publisher paying for a wake-up (measured: the unloaded round trip 20 µs shorter than going straight to the
     * signalled sleep); a switch idle for longer than that sleeps and costs nothing.
     */
    public static final int DEFAULT_PARKS = 20;
    private static final long LAST_RESORT_WAIT_MILLIS = 100;

    private final int spins;
    private final int yields;
    private final int parks;
    private final long lastResortWaitMillis;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progressed = lock.newCondition();
    private final AtomicInteger sleepers = new AtomicInteger();

    public PhasedWaitStrategy() {
        this(DEFAULT_SPINS, DEFAULT_YIELDS, DEFAULT_PARKS);
    }

    public PhasedWaitStrategy(final int spins, final int yields, final int parks) {
        this(spins, yields, parks, LAST_RESORT_WAIT_MILLIS);
    }

    /** With the last-resort wait a test can make longer than it runs, to prove the signals alone wake sleepers. */
    PhasedWaitStrategy(final int spins, final int yields, final int parks, final long lastResortWaitMillis) {
        if (spins < 0 || yields < 0 || parks < 0 || lastResortWaitMillis <= 0) {
            throw new IllegalArgumentException(
                    "spins, yields and parks cannot be negative, the last-resort wait must be positive");
        }
        this.spins = spins;
        this.yields = yields;
        this.parks = parks;
        this.lastResortWaitMillis = lastResortWaitMillis;
    }

    @Override
    public long waitFor(final long sequence, final Sequence cursor, final Sequence dependentSequence,
            final SequenceBarrier barrier) throws AlertException, InterruptedException {
        // The caller has just advanced its own sequence (or published): wake whoever sleeps behind it.
        signalAllWhenBlocking();
        long available;
        int tries = 0;
        while ((available = dependentSequence.get()) < sequence) {
            barrier.checkAlert();
            if (tries < spins) {
                Thread.onSpinWait();
            } else if (tries < spins + yields) {
                Thread.yield();
            } else if (tries < spins + yields + parks) {
                LockSupport.parkNanos(1);
            } else {
                sleepUntil(sequence, dependentSequence, barrier);
            }
            tries++;
        }
        return available;
    }

    private void sleepUntil(final long sequence, final Sequence dependentSequence, final SequenceBarrier barrier)
            throws AlertException, InterruptedException {
        lock.lock();
        try {
            sleepers.incrementAndGet(); // a full fence: the read below cannot move before it
            try {
                while (dependentSequence.get() < sequence) {
                    barrier.checkAlert();
                    progressed.await(lastResortWaitMillis, TimeUnit.MILLISECONDS);
                }
            } finally {
                sleepers.decrementAndGet();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void signalAllWhenBlocking() {
        // The Disruptor's sequence and availability stores are releases, which a later read may pass: fence.
        VarHandle.fullFence();
        if (sleepers.get() > 0) {
            lock.lock();
            try {
                progressed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Threads asleep in this strategy now (a figure for tests and metrics). */
    public int sleepers() {
        return sleepers.get();
    }
}
