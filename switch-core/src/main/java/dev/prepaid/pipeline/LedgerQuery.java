package dev.prepaid.pipeline;

import dev.prepaid.ledger.LedgerState;

/**
 * A read of the ledger's state that goes through the ring like a command but is never journaled and changes
 * nothing: the ledger stage answers it in its turn, between two commands, so it sees every command published
 * before it (an operator reads their own write at once) and never locks or pauses the ledger longer than the
 * read itself. The reply stage then hands it back ({@link CommandEvent#replyTo}).
 *
 * <p>A query runs on the ledger thread: it must be bounded (a page of a list, one card's facts), copy what it
 * needs out of the state, and keep no reference to it. It may allocate — queries are operators' reads, rare
 * next to POS traffic — but must not throw for bad input: it records what it did not find.
 */
@FunctionalInterface
public interface LedgerQuery {
    void answer(LedgerState state);
}
