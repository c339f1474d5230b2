package dev.prepaid.pipeline;

/**
 * The stages of the pipeline, in the order every command passes them. Each runs on its own thread, named
 * {@code prepaid-<stage>} (what a thread dump, a profile or a fatal log line shows).
 */
public enum Stage {
    /** Makes the command durable and stamps its sequence and time ({@link JournalStage}). */
    JOURNAL("journal"),
    /** Applies it to the ledger, the only writer of the money ({@link dev.prepaid.ledger.Ledger}). */
    LEDGER("ledger"),
    /** Answers the requester ({@link ReplyStage}). */
    REPLY("reply");

    public final String label;

    Stage(final String label) {
        this.label = label;
    }

    public String threadName() {
        return "prepaid-" + label;
    }
}
