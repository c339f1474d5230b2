package dev.prepaid.journal;

import dev.prepaid.command.Outcome;
import dev.prepaid.ledger.Ledger;
import dev.prepaid.ledger.LedgerConfig;
import dev.prepaid.pipeline.CommandEvent;
import dev.prepaid.workload.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * Drives a journal and a ledger the way the pipeline's stages do (journal, then apply), on the test thread,
 * so a test can look at the live ledger at any sequence.
 */
final class JournalTestSupport implements AutoCloseable {
    static final LedgerConfig LEDGER = LedgerConfig.small().withTransactionLogCapacity(1 << 14);

    final JournalConfig config;
    final Ledger ledger;
    final ChronicleJournal journal;
    final CommandEvent event = new CommandEvent();
    final List<String> outcomes = new ArrayList<>();
    long clock = 1_767_225_600_000L;
    LongSupplier clockSource = () -> clock += 7;

    JournalTestSupport(final Path directory, final Durability durability) {
        this(JournalConfig.of(directory, durability));
    }

    JournalTestSupport(final JournalConfig config) {
        this.config = config;
        final Recovery.Recovered recovered = Recovery.recover(config, LEDGER);
        this.ledger = recovered.ledger();
        this.journal = ChronicleJournal.open(config, () -> clockSource.getAsLong(), recovered.lastSequence(),
                recovered.lastTimestamp());
    }

    /** Journals and applies one command; returns its outcome. */
    Outcome submit(final byte[] command) {
        event.command.putBytes(0, command);
        return submit(command.length);
    }

    /** Journals and applies what is in {@code event.command}. */
    Outcome submit(final int length) {
        event.length = length;
        event.skip = false;
        try {
            journal.append(event, true);
        } catch (final IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ledger.apply(event.command, 0, length, event.journalIndex, event.timestampMillis, event.outcome);
        outcomes.add(event.journalIndex + " " + event.outcome);
        return event.outcome;
    }

    void setUp(final Workload workload) {
        for (final byte[] command : workload.setup()) {
            submit(command);
        }
    }

    void stream(final Workload workload, final int commands) {
        for (int i = 0; i < commands; i++) {
            submit(workload.next(event.command, 0));
        }
    }

    @Override
    public void close() {
        journal.close();
    }

    static void delete(final Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

}
