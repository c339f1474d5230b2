package dev.prepaid.clearing.daily;

import dev.prepaid.journal.JournalConfig;
import dev.prepaid.journal.JournalReader;
import dev.prepaid.ledger.LedgerConfig;
import dev.prepaid.time.CivilDate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running switch's clearing: its own thread follows the journal's cut-overs (reading command headers only, as the
 * snapshot follower reads the journal) and, after each one, clears the day it closed and reconciles it — off the
 * ledger thread, with a ledger of its own for the replay. At start it first clears every day whose figures are not
 * stored (days missed while the switch was down). Any past day can be cleared again, or only reconciled again, on
 * demand; that work runs on the same thread, one day at a time.
 *
 * <p>Files: {@code <dir>/YYYY-MM-DD.figures} ({@link FiguresFile}) and {@code YYYY-MM-DD.reconciliation}
 * ({@link ReconciliationReport}), owner-only, written atomically.
 */
public final class ClearingService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClearingService.class);

    /** Told of every day cleared or reconciled (on the clearing thread), and of every failure. */
    public interface Listener {
        void reconciled(DayFigures figures, ReconciliationReport report);

        void failed(int date, Throwable error);
    }

    /** A day cleared: its figures, its reconciliation, and how long the replay took. */
    public record Cleared(DayFigures figures, ReconciliationReport report, long replayed, long millis) {
    }

    private final JournalConfig journal;
    private final LedgerConfig ledgerConfig;
    private final Path dir;
    private final Listener listener;
    private final LongSupplier clock;
    private final long pollMillis;
    private final ScheduledExecutorService thread;
    private final CutoverIndex index = new CutoverIndex();
    /** Days that could not be cleared: not tried again by the follower (on demand they are). */
    private final Set<Integer> failedDays = new HashSet<>();
    private JournalReader reader;
    private final AtomicLong daysCleared = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile int lastClearedDate;
    private volatile long lastMillis;
    private volatile long followedSequence;

    public ClearingService(final JournalConfig journal, final LedgerConfig ledgerConfig, final Path dir,
            final Listener listener, final LongSupplier clock, final long pollMillis) {
        this.journal = journal;
        this.ledgerConfig = ledgerConfig;
        this.dir = dir;
        this.listener = listener;
        this.clock = clock;
        this.pollMillis = pollMillis;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "clearing");
            t.setDaemon(true);
            return t;
        });
    }

    /** Where a journal's clearing files are kept: {@code <journal directory>/clearing}. */
    public static Path directoryOf(final JournalConfig journal) {
        return journal.directory().resolve("clearing");
    }

    public ClearingService start() {
        try {
            OwnerOnlyFiles.directory(dir);
        } catch (final IOException e) {
            throw new ClearingException("cannot create the clearing directory " + dir + ": " + e, e);
        }
        thread.scheduleWithFixedDelay(this::follow, 0, pollMillis, TimeUnit.MILLISECONDS);
        return this;
    }

    public Path directory() {
        return dir;
    }

    /** Days cleared (and reconciled) since start, by the follower and on demand. */
    public long daysCleared() {
        return daysCleared.get();
    }

    /** Days that could not be cleared since start. */
    public long failures() {
        return failures.get();
    }

    /** The date (yyyymmdd) of the last day cleared, 0 before any. */
    public int lastClearedDate() {
        return lastClearedDate;
    }

    /** How long the last day took to clear (ms). */
    public long lastMillis() {
        return lastMillis;
    }

    /** The journal sequence the follower has read up to. */
    public long followedSequence() {
        return followedSequence;
    }

    // ------------------------------------------------------------------ on demand

    /** Clears the day again (figures rewritten) and reconciles it. */
    public CompletableFuture<Cleared> clear(final int date) {
        return CompletableFuture.supplyAsync(() -> clearNow(bounds(date)), thread);
    }

    /** Replays the day again and reconciles it against the figures as stored, which it does not rewrite. */
    public CompletableFuture<ReconciliationReport> reconcile(final int date) {
        return CompletableFuture.supplyAsync(() -> {
            final DayBounds day = bounds(date);
            final DayClearing.Result result = DayClearing.run(journal, ledgerConfig, day);
            final ReconciliationReport report = Reconciliation.check(result, dir, clock.getAsLong());
            writeReport(report);
            listener.reconciled(result.figures(), report);
            return report;
        }, thread);
    }

    /** Clears a day and reconciles it, writing both files: what the switch does after a cut-over, and the tools. */
    public static Cleared clearDay(final JournalConfig journal, final LedgerConfig ledgerConfig, final Path dir,
            final DayBounds day, final long nowMillis) {
        final DayClearing.Result result = DayClearing.run(journal, ledgerConfig, day);
        try {
            FiguresFile.write(dir, result.figures());
        } catch (final IOException e) {
            throw new ClearingException(day.iso() + ": cannot write the figures in " + dir + ": " + e, e);
        }
        final ReconciliationReport report = Reconciliation.check(result, dir, nowMillis);
        try {
            report.write(dir);
        } catch (final IOException e) {
            throw new ClearingException(day.iso() + ": cannot write the reconciliation in " + dir + ": " + e, e);
        }
        return new Cleared(result.figures(), report, result.replayed(), result.millis());
    }

    private Cleared clearNow(final DayBounds day) {
        try {
            final Cleared cleared = clearDay(journal, ledgerConfig, dir, day, clock.getAsLong());
            failedDays.remove(day.date());
            daysCleared.incrementAndGet();
            lastClearedDate = day.date();
            lastMillis = cleared.millis();
            LOG.info("cleared {}: {} commands replayed in {} ms; reconciliation {}", day.iso(), cleared.replayed(),
                    cleared.millis(), cleared.report().balanced() ? "balanced" : "FAILED: " + cleared.report().summary());
            listener.reconciled(cleared.figures(), cleared.report());
            return cleared;
        } catch (final RuntimeException e) {
            failedDays.add(day.date());
            failures.incrementAndGet();
            listener.failed(day.date(), e);
            throw e;
        }
    }

    private void writeReport(final ReconciliationReport report) {
        try {
            report.write(dir);
        } catch (final IOException e) {
            throw new ClearingException(report.iso() + ": cannot write the reconciliation in " + dir + ": " + e, e);
        }
    }

    /** The day's place in the journal: from the cut-overs followed, else from a scan of the whole journal. */
    private DayBounds bounds(final int date) {
        if (!CivilDate.isValid(date)) {
            throw new ClearingException(date + " is not a date", true);
        }
        DayBounds day = index.day(date);
        if (day == null) {
            day = CutoverIndex.scan(journal).day(date);
        }
        if (day == null) {
            throw new ClearingException("the journal holds no closed business day " + CivilDate.iso(CivilDate.epochDay(date))
                    + " (not opened by a cut-over, still open, or no longer kept)", true);
        }
        return day;
    }

    // ------------------------------------------------------------------ following

    private void follow() {
        try {
            if (reader == null) {
                reader = new JournalReader(journal);
                final DayFigures newest = newestStored();
                if (newest == null) {
                    reader.position(-1, 0, 0);
                } else {
                    final DayBounds b = newest.bounds();
                    reader.position(b.openIndex(), b.openSequence(), b.openTimestamp());
                }
            }
            final JournalReader.Result result = reader.readAvailable((sequence, timestamp, command, offset, length, at) -> {
                index.offer(sequence, timestamp, command, offset, length, at);
                return true;
            });
            if (result.tornTail()) {
                throw new ClearingException("the journal is damaged at " + reader.describe(result.tornTailIndex()) + ": "
                        + result.tornTailReason());
            }
            followedSequence = index.lastSequence();
            final List<DayBounds> days = new ArrayList<>(index.days());
            for (final DayBounds day : days) {
                if (!failedDays.contains(day.date()) && !storedAs(day)) {
                    try {
                        clearNow(day);
                    } catch (final RuntimeException e) {
                        LOG.error("clearing of {} failed: {}", day.iso(), e.getMessage());
                    }
                }
            }
            final CutoverIndex.Mark open = index.openDay();
            if (open != null) {
                index.forgetBefore(open.newDate());
            }
        } catch (final Throwable e) {
            failures.incrementAndGet();
            LOG.error("clearing stopped following the journal: {}", e.toString());
            listener.failed(0, e);
            if (reader != null) {
                reader.close();
                reader = null;
            }
            index.forgetBefore(Integer.MAX_VALUE);
        }
    }

    /** Whether the day's figures are stored, for the same stretch of journal. */
    private boolean storedAs(final DayBounds day) {
        final Path file = dir.resolve(day.iso() + FiguresFile.SUFFIX);
        if (!Files.exists(file)) {
            return false;
        }
        try {
            return FiguresFile.read(file).bounds().equals(day);
        } catch (final IOException | ClearingException damaged) {
            return false; // cleared again: the reconciliation says what was wrong with the old file
        }
    }

    private DayFigures newestStored() throws IOException {
        final List<Integer> days = storedDays(dir);
        for (int i = days.size() - 1; i >= 0; i--) {
            try {
                return FiguresFile.read(dir.resolve(CivilDate.iso(CivilDate.epochDay(days.get(i))) + FiguresFile.SUFFIX));
            } catch (final IOException | ClearingException damaged) {
                // an older day's file tells where to go on from
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ reading the files (any thread)

    /** The dates (yyyymmdd) with a figures file, ascending. */
    public static List<Integer> storedDays(final Path dir) throws IOException {
        final List<Integer> days = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return days;
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{4}-\\d{2}-\\d{2}\\" + FiguresFile.SUFFIX))
                    .map(n -> Integer.parseInt(n.substring(0, 10).replace("-", ""))).sorted().forEach(days::add);
        }
        return days;
    }

    /** The stored figures of a day, or null when there are none. */
    public static DayFigures storedFigures(final Path dir, final int date) throws IOException {
        try {
            return FiguresFile.read(dir.resolve(CivilDate.iso(CivilDate.epochDay(date)) + FiguresFile.SUFFIX));
        } catch (final NoSuchFileException e) {
            return null;
        }
    }

    /** The stored reconciliation of a day, or null when there is none. */
    public static ReconciliationReport storedReport(final Path dir, final int date) throws IOException {
        try {
            return ReconciliationReport.read(dir.resolve(CivilDate.iso(CivilDate.epochDay(date)) + ReconciliationReport.SUFFIX));
        } catch (final NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.shutdownNow();
        }
        // the reader belongs to the clearing thread, which has stopped
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }
}
