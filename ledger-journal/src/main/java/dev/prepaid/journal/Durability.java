package dev.prepaid.journal;

/** What a reply can survive once it is released (the journal writes before any reply). */
public enum Durability {
    /**
     * The command is in the memory-mapped journal file: it survives a crash of the process (the operating
     * system writes the page cache out), not a crash of the machine or a power cut.
     */
    PROCESS,
    /**
     * The command is forced to disk (msync) before the ledger sees it, once per Disruptor batch (group
     * commit): it survives a machine crash or power cut too.
     */
    SYNC
}
