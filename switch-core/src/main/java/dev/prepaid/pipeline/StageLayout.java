package dev.prepaid.pipeline;

/**
 * How the three stages are laid out on threads: a choice for the machine, made in configuration
 * ({@code pipeline.layout}). Either way every command is journaled before it is applied and applied before it is
 * answered; what differs is how many hand-offs between threads a command costs.
 */
public enum StageLayout {
    /**
     * Journal, ledger and reply each on a thread of their own ({@code prepaid-journal}, {@code prepaid-ledger},
     * {@code prepaid-reply}), overlapping one command's journaling with another's application and another's
     * answer. Best with a core for each stage beside the network threads.
     */
    THREE_THREADS,
    /**
     * All three stages, one after the other, on one thread ({@code prepaid-pipeline}): a group of commands is
     * journaled (and, with SYNC, forced to disk once), then applied and answered. No hand-off between stages, so
     * nothing waits for a thread to be scheduled: the better layout when the cores are fewer than the threads
     * that would want them (a small VM, or the load generator on the same machine).
     */
    ONE_THREAD,
    /**
     * The three stages as {@link #ONE_THREAD} groups them, but on the thread the server gives
     * ({@link Pipeline#runOn}): the POS server's single I/O event loop, so a request is read, checked, journaled,
     * applied and answered on one thread, with no hand-off at all. For the smallest machines (two cores, the load
     * beside the switch); the server then has one I/O thread, and a long operator command holds the terminals' reads
     * too, not only their answers.
     */
    IO_THREAD;

    /** The thread name of the single thread of {@link #ONE_THREAD}. */
    public static final String ONE_THREAD_NAME = "prepaid-pipeline";
    /** How the name of {@link #IO_THREAD}'s one thread (the POS server's I/O event loop) begins. */
    public static final String IO_THREAD_NAME = "prepaid-io-pipeline";
}
