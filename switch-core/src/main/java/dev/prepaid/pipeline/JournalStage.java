package dev.prepaid.pipeline;

/**
 * The first stage: makes each command durable before anything acts on it. Implementations (the Chronicle
 * Queue journal) stamp {@link CommandEvent#timestampMillis} and {@link CommandEvent#journalIndex} (the journal
 * sequence, 1, 2, …: the ledger applies commands in that order and stops at one out of order); with
 * {@code endOfBatch} they may group-commit (force to disk once per batch). The ledger stage only sees an
 * event after this stage has returned for it — and for the whole batch, because a Disruptor stage releases
 * its sequence at the end of the batch.
 */
public interface JournalStage {
    void append(CommandEvent event, boolean endOfBatch) throws Exception;

    /** A journal that keeps nothing: for tests and benchmarks of the stages after it. */
    JournalStage NONE = new JournalStage() {
        private long index = 1;

        @Override
        public void append(final CommandEvent event, final boolean endOfBatch) {
            event.journalIndex = index++;
        }
    };
}
