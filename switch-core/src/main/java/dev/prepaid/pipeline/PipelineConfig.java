package dev.prepaid.pipeline;

/**
 * Ring size and wait strategy, from configuration.
 *
 * @param ringSize slots in the ring (a power of two); a full ring refuses new commands
 */
public record PipelineConfig(int ringSize, WaitStrategyName waitStrategy) {
    public PipelineConfig {
        if (ringSize < 2 || Integer.bitCount(ringSize) != 1) {
            throw new IllegalArgumentException("ringSize must be a power of two of at least 2, got " + ringSize);
        }
        if (waitStrategy == null) {
            throw new IllegalArgumentException("waitStrategy is required (BLOCKING, PHASED, SLEEPING, YIELDING, BUSY_SPIN)");
        }
    }

    public static PipelineConfig defaults() {
        return new PipelineConfig(8192, WaitStrategyName.PHASED);
    }
}
