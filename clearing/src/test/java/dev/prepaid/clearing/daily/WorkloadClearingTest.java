package dev.prepaid.clearing.daily;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.command.Outcome;
import dev.prepaid.journal.ChronicleJournal;
import dev.prepaid.journal.Durability;
import dev.prepaid.journal.JournalConfig;
import dev.prepaid.ledger.Ledger;
import dev.prepaid.ledger.LedgerConfig;
import dev.prepaid.pipeline.CommandEvent;
import dev.prepaid.workload.Workload;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Days of the generated workload — purchases, recharges, pre-authorisations, wrong PINs, voids and reversals of
 * recent purchases, counter recharges, cut-overs — cleared one by one: every day reconciles, so the figures read from
 * the transaction records agree with what the ledger accrued and booked for every merchant, and the day's counts add
 * up to the POS commands the day had.
 */
class WorkloadClearingTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(longs = {1, 7, 42})
    void everyDayOfAGeneratedWorkloadReconciles(final long seed) throws Exception {
        final JournalConfig config = JournalConfig.of(dir.resolve("journal-" + seed), Durability.PROCESS);
        final LedgerConfig ledgerConfig = LedgerConfig.small().withMaxCards(5_000).withTransactionLogCapacity(1 << 16);
        final Workload workload = new Workload(2_000, 60, seed, 0).commandsPerDay(15_000);
        final Ledger ledger = new Ledger(ledgerConfig);
        final CommandEvent event = new CommandEvent();
        final Outcome outcome = new Outcome();
        final long[] clock = {1_767_225_600_000L};
        try (ChronicleJournal journal = ChronicleJournal.open(config, () -> clock[0] += 3, 0, 0)) {
            for (final byte[] command : workload.setup()) {
                event.command.putBytes(0, command);
                event.length = command.length;
                journal.append(event, true);
                ledger.apply(event.command, 0, event.length, event.journalIndex, event.timestampMillis, outcome);
            }
            for (int i = 0; i < 50_000; i++) {
                event.length = workload.next(event.command, 0);
                journal.append(event, (i & 63) == 63);
            }
        }
        final List<DayBounds> days = CutoverIndex.scan(config).days();
        assertThat(days).hasSize(3);
        final Path clearing = dir.resolve("clearing-" + seed);
        for (final DayBounds day : days) {
            final ClearingService.Cleared cleared = ClearingService.clearDay(config, ledgerConfig, clearing, day, 1L);
            assertThat(cleared.report().balanced()).as("%s: %s", day.iso(), cleared.report().summary()).isTrue();
            final DayFigures f = cleared.figures();
            if (day != days.get(0)) {
                // after the set-up day every command but the counter recharges is a POS request
                final long counted = f.total(Measure.PURCHASES) + f.total(Measure.RECHARGES) + f.total(Measure.PREAUTHS)
                        + f.total(Measure.BALANCE_INQUIRIES) + f.total(Measure.VOIDS) + f.total(Measure.REVERSALS)
                        + f.total(Measure.DECLINES) + f.unattributedDeclines();
                final long counter = f.cardTypes().stream().mapToLong(c -> c.get(CardMeasure.COUNTER_RECHARGES)).sum();
                assertThat(counted + counter).as(day.iso()).isLessThanOrEqualTo(f.commands()).isGreaterThan(f.commands() * 9 / 10);
                assertThat(f.total(Measure.VOIDS) + f.total(Measure.REVERSALS)).as("undone on %s", day.iso()).isPositive();
            }
        }
    }
}
