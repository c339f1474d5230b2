package dev.prepaid.clearing.daily;

import static dev.prepaid.clearing.daily.Business.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepaid.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The switch's clearing thread: it clears each day after its cut-over by itself, catches up on the days missed while
 * it was not running, and clears or reconciles any past day on demand.
 */
class ClearingServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    /** Told after the day is counted cleared: a test waits for both. */
    private final List<ReconciliationReport> reports = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();

    private ClearingService service(final ScriptedJournal journal) {
        return new ClearingService(journal.config, ScriptedJournal.LEDGER, ClearingService.directoryOf(journal.config),
                new ClearingService.Listener() {
                    @Override
                    public void reconciled(final DayFigures figures, final ReconciliationReport report) {
                        reports.add(report);
                    }

                    @Override
                    public void failed(final int date, final Throwable error) {
                        failures.add(error);
                    }
                }, () -> 42L, 20).start();
    }

    @Test
    void eachDayIsClearedAfterItsCutOverAndMissedDaysAfterARestart() throws Exception {
        final Path clearing;
        try (ScriptedJournal journal = new ScriptedJournal(dir.resolve("journal"))) {
            final Business business = new Business(journal);
            clearing = ClearingService.directoryOf(journal.config);
            business.setUp();
            try (ClearingService service = service(journal)) {
                business.day1();
                Await.until("day 1 cleared", WAIT, () -> service.daysCleared() == 1 && reports.size() == 1);
                assertThat(reports).singleElement().satisfies(r -> {
                    assertThat(r.date()).isEqualTo(DAY1);
                    assertThat(r.balanced()).isTrue();
                });
                business.day2();
                Await.until("day 2 cleared", WAIT, () -> service.daysCleared() == 2 && reports.size() == 2);
                assertThat(reports.get(1).balanced()).as("the batch T2 miscounted").isFalse();
                final long followed = service.followedSequence();
                assertThat(followed).isEqualTo(journal.lastSequence());
            }
            final byte[] day1 = Files.readAllBytes(clearing.resolve("2026-01-29.figures"));
            // the switch is down for two days
            business.day3();
            journal.reopen();
            business.day4();
            reports.clear();
            try (ClearingService service = service(journal)) {
                Await.until("the two days missed cleared", WAIT,
                        () -> service.daysCleared() == 2 && reports.size() == 2);
                assertThat(reports).extracting(ReconciliationReport::date).containsExactly(DAY3, DAY4);
                assertThat(ClearingService.storedDays(clearing)).containsExactly(DAY1, DAY2, DAY3, DAY4);
                assertThat(Files.readAllBytes(clearing.resolve("2026-01-29.figures"))).as("not cleared again").isEqualTo(day1);
                assertThat(service.lastClearedDate()).isEqualTo(DAY4);

                // on demand: a past day again, the same figures
                final ClearingService.Cleared again = service.clear(DAY1).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(again.report().balanced()).isTrue();
                assertThat(Files.readAllBytes(clearing.resolve("2026-01-29.figures"))).isEqualTo(day1);
                assertThat(service.reconcile(DAY2).get(WAIT.toSeconds(), TimeUnit.SECONDS).balanced()).isFalse();

                assertThatThrownBy(() -> service.clear(DAY4 + 1).get(WAIT.toSeconds(), TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(ClearingException.class)
                        .hasMessageContaining("no closed business day 2026-02-02")
                        .matches(e -> ((ClearingException) e).noSuchDay());
            }
        }
        assertThat(failures).as("a day asked for that is not in the journal is the asker's error, not clearing's").isEmpty();
    }
}
