package dev.prepaid.pipeline;

/**
 * Ring size, wait strategy and the stages' layout on threads, from configuration.
 *
 * @param ringSize slots in the ring (a power of two); a full ring refuses new commands
 */
public record PipelineConfig(int ringSize, WaitStrategyName waitStrategy, StageLayout layout) {
    public PipelineConfig {
        if (ringSize < 2 || Integer.bitCount(ringSize) != 1) {
            throw new IllegalArgumentException("ringSize must be a power of two of at least 2, got " + ringSize);
        }
        if (waitStrategy == null) {
            throw new IllegalArgumentException("waitStrategy is required (BLOCKING, PHASED, SLEEPING, YIELDING, BUSY_SPIN)");
        }
        if (layout == null) {
            throw new IllegalArgumentException("layout is required (THREE_THREADS, ONE_THREAD, IO_THREAD)");
        }
    }

    /** The stages on three threads. */
    public PipelineConfig(final int ringSize, final WaitStrategyName waitStrategy) {
        this(ringSize, waitStrategy, StageLayout.THREE_THREADS);
    }

    public static PipelineConfig defaults() {
        return new PipelineConfig(8192, WaitStrategyName.PHASED, StageLayout.ONE_THREAD);
    }
}
