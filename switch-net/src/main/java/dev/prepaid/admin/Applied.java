package dev.prepaid.admin;

import dev.prepaid.command.Outcome;

/** An operator command the ledger applied: where the journal put it, when, and what the ledger answered. */
public record Applied(long journalSequence, long timestampMillis, Outcome outcome) {
}
