package dev.prepaid.pipeline;

import dev.prepaid.command.CommandHeader;
import dev.prepaid.command.Outcome;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One ring slot: a command's bytes, what the journal stamped on it, the ledger's outcome and where the
 * answer goes. Mutable and reused: nothing is allocated per command.
 */
public final class CommandEvent {
    /** The encoded command ({@link CommandHeader} + payload). */
    public final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandHeader.MAX_COMMAND_LENGTH]);
    public int length;
    /** Journal index assigned by the journal stage (its position in the journal). */
    public long journalIndex = -1;
    /** Epoch milliseconds stamped by the journal stage: the only time the ledger sees. */
    public long timestampMillis;
    /** Filled by the ledger stage. */
    public final Outcome outcome = new Outcome();
    /** Where the reply goes (a connection, a future): opaque to the core. */
    public Object replyTo;
    /** The requester's own reference (e.g. a request number on the connection). */
    public long correlation;
    /** {@code System.nanoTime()} when the request arrived, for latency figures. */
    public long receivedNanos;
    /**
     * Set when the slot was claimed but no command could be written: the journal and the ledger ignore it, and
     * so does the reply stage unless the slot carries a {@link #query}.
     */
    public boolean skip;
    /** A read for the ledger stage to answer instead of a command (the slot is then a skipped command). */
    public LedgerQuery query;

    /** Makes the slot as new before it is written again (the ring does it on every claim). */
    public void clear() {
        length = 0;
        journalIndex = -1;
        timestampMillis = 0;
        replyTo = null;
        correlation = 0;
        receivedNanos = 0;
        skip = false;
        query = null;
    }
}
