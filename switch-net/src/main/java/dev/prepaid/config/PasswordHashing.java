package dev.prepaid.config;

/**
 * Argon2id cost parameters (RFC 9106) of operator password hashes.
 *
 * <p>{@link #PRODUCTION} is 64 MiB, 3 passes, 1 lane: 0.3–0.8 s per hash on the machines measured (BouncyCastle
 * computes lanes one after another, so more lanes only cost more time). Cheaper settings are for the demo and
 * tests; the configuration accepts them only with the development MFK ({@link #meetsProductionMinimum()}).
 *
 * @param memoryKiB memory per hash in KiB (m), 8 × parallelism .. 1 GiB
 * @param iterations passes over the memory (t), 1..64
 * @param parallelism lanes (p), 1..16
 */
public record PasswordHashing(int memoryKiB, int iterations, int parallelism) {
    /** 64 MiB, 3 passes, 1 lane. */
    public static final PasswordHashing PRODUCTION = new PasswordHashing(65_536, 3, 1);
    /** The smallest cost accepted outside the demo: OWASP's Argon2id floor (19 MiB, 2 passes). */
    public static final int MIN_PRODUCTION_MEMORY_KIB = 19_456;
    public static final int MIN_PRODUCTION_ITERATIONS = 2;
    public static final int MAX_MEMORY_KIB = 1 << 20;
    public static final int MAX_ITERATIONS = 64;
    public static final int MAX_PARALLELISM = 16;

    public PasswordHashing {
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw new IllegalArgumentException("parallelism must be 1.." + MAX_PARALLELISM + ", got " + parallelism);
        }
        if (memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB) {
            throw new IllegalArgumentException("memoryKiB must be " + 8 * parallelism + ".." + MAX_MEMORY_KIB
                    + " (at least 8 per lane), got " + memoryKiB);
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be 1.." + MAX_ITERATIONS + ", got " + iterations);
        }
    }

    /** Whether these costs are acceptable for real operator passwords. */
    public boolean meetsProductionMinimum() {
        return memoryKiB >= MIN_PRODUCTION_MEMORY_KIB && iterations >= MIN_PRODUCTION_ITERATIONS;
    }

    @Override
    public String toString() {
        return "m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism;
    }
}
