package dev.prepaid.clearing.daily;

import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.Envelope;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.PosRequest;
import dev.prepaid.command.RecordCodec;
import dev.prepaid.journal.ChronicleJournal;
import dev.prepaid.journal.Durability;
import dev.prepaid.journal.JournalConfig;
import dev.prepaid.journal.Recovery;
import dev.prepaid.journal.Snapshots;
import dev.prepaid.ledger.Invariants;
import dev.prepaid.ledger.Ledger;
import dev.prepaid.ledger.LedgerConfig;
import dev.prepaid.pipeline.CommandEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.agrona.ExpandableArrayBuffer;

/**
 * A journal written as the switch's stages write it (journal, then apply), on the test thread: a test scripts a
 * business into it and then clears its days. Reopening recovers the ledger from the journal, as a restart does.
 */
final class ScriptedJournal implements AutoCloseable {
    static final LedgerConfig LEDGER = LedgerConfig.small().withTransactionLogCapacity(1 << 14);

    final JournalConfig config;
    Ledger ledger;
    private ChronicleJournal journal;
    private final CommandEvent event = new CommandEvent();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
    private final PosRequest request = new PosRequest();
    long clock = 1_769_673_600_000L; // 2026-01-29T08:00Z
    private long requestIds = 1;

    ScriptedJournal(final Path directory) {
        this.config = JournalConfig.of(directory, Durability.PROCESS);
        open();
    }

    private void open() {
        final Recovery.Recovered recovered = Recovery.recover(config, LEDGER);
        ledger = recovered.ledger();
        journal = ChronicleJournal.open(config, () -> clock, recovered.lastSequence(), recovered.lastTimestamp());
    }

    /** Stops and recovers from the journal, as a restarted switch would. */
    void reopen() {
        journal.close();
        open();
    }

    /** Writes a snapshot of the ledger as it is now (what the snapshot follower does). */
    void snapshot() {
        journal.close();
        final Recovery.Recovered recovered = Recovery.recover(config, LEDGER);
        try {
            Snapshots.write(config.snapshotDirectory(), recovered.ledger(), recovered.position());
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        open();
    }

    Outcome admin(final String operator, final AdminCommand command) {
        final int length = RecordCodec.encode(new Envelope(operator, requestIds++, "test", "clearing test"), command, buffer, 0);
        event.command.putBytes(0, buffer, 0, length);
        return submit(length);
    }

    Outcome system(final AdminCommand command) {
        final int length = RecordCodec.encode(new Envelope("system", 0, "test", ""), command, buffer, 0);
        event.command.putBytes(0, buffer, 0, length);
        return submit(length);
    }

    Outcome pos(final Consumer<PosRequest> fill) {
        request.wrapForEncode(event.command, 0);
        fill.accept(request);
        return submit(PosRequest.LENGTH);
    }

    long lastSequence() {
        return ledger.lastSequence();
    }

    private Outcome submit(final int length) {
        clock += 1_000;
        event.length = length;
        event.skip = false;
        try {
            journal.append(event, true);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        ledger.apply(event.command, 0, length, event.journalIndex, event.timestampMillis, event.outcome);
        Invariants.check(ledger.state());
        final Outcome copy = new Outcome();
        copy.copyFrom(event.outcome);
        return copy;
    }

    @Override
    public void close() {
        journal.close();
    }
}
