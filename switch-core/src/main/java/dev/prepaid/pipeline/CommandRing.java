package dev.prepaid.pipeline;

/**
 * Where the servers hand their commands and reads: the single node's {@link Pipeline} (journal, ledger and reply
 * stages on a Disruptor ring), or a cluster's gateway, which has the command ordered and applied by a replicated
 * ledger and hands the answer to the same reply stage. Either way a command published here is answered once, after
 * it is durable and applied, and a full ring refuses at once rather than queueing without bound.
 */
public interface CommandRing {
    /**
     * Claims a slot and lets {@code writer} fill it. Returns false, writing nothing, when the ring is full or has
     * failed: the caller answers "system busy" instead of queueing without bound.
     */
    <A> boolean tryPublish(CommandWriter<A> writer, A argument);

    /**
     * Publishes a read for the ledger to answer in its turn, never journaled; the query is also what the reply stage
     * is handed ({@link CommandEvent#replyTo}) once it is answered. False when the ring is full or has failed.
     */
    boolean tryQuery(LedgerQuery query);

    /** Free slots (an occupancy figure for metrics). */
    long remainingCapacity();

    int ringSize();

    /** The failure that stopped the ring, or null while it runs. */
    Throwable failure();

    /** The stage whose failure stopped the ring, or null (while it runs, or when it has no stages of its own). */
    Stage failedStage();

    void start();

    /**
     * Stops taking commands and waits up to {@code drainTimeoutMs} for everything published to be answered.
     *
     * @return true when everything published was answered
     */
    boolean close(long drainTimeoutMs);
}
