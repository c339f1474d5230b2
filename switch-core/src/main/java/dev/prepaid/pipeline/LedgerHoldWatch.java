package dev.prepaid.pipeline;

/**
 * How long each operator command, system command and read holds the ledger stage: while one runs, every POS
 * command behind it waits, so a bulk operation that takes the ledger for milliseconds shows here, by its type.
 * POS commands are not timed: their work is bounded by design, and two clock reads each would cost every
 * transaction. The clock is the owner's (the core reads none); {@link #held} runs on the ledger thread and must
 * neither block nor allocate.
 */
public interface LedgerHoldWatch {
    /** The command type code given for a read (a {@link LedgerQuery}), which has none. */
    int READ = -1;

    /** A monotonic clock in nanoseconds. */
    long nanoTime();

    /** One command of type {@code commandType} (or a {@link #READ}) held the ledger for {@code nanos}. */
    void held(int commandType, long nanos);
}
