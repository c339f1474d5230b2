package dev.prepaid.pipeline;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;

/** How idle stages wait for work: a latency/CPU trade-off chosen in configuration. */
public enum WaitStrategyName {
    /**
     * Waits on a lock for new commands, but (Disruptor's design) spins while an earlier stage is busy with
     * them: a slow journal sync keeps the later stages' cores busy. Suits machines with a core per stage.
     */
    BLOCKING,
    /**
     * Spins briefly, yields, parks briefly, then sleeps until a command is published or the stage before it advances
     * ({@link PhasedWaitStrategy}): the latency of SLEEPING under traffic, nothing when idle. The default.
     */
    PHASED,
    /**
     * Spins briefly, yields, then parks for 100 ns at a time — which Linux turns into tens of microseconds, so an
     * idle switch wakes each stage thousands of times a second (about 0.15 of a core per stage).
     */
    SLEEPING,
    /** Spins then yields: one core per stage kept busy. */
    YIELDING,
    /** Pure spin: lowest latency, needs a dedicated core per stage. */
    BUSY_SPIN;

    WaitStrategy create() {
        switch (this) {
            case PHASED:
                return new PhasedWaitStrategy();
            case SLEEPING:
                return new SleepingWaitStrategy();
            case YIELDING:
                return new YieldingWaitStrategy();
            case BUSY_SPIN:
                return new BusySpinWaitStrategy();
            default:
                return new BlockingWaitStrategy();
        }
    }
}
