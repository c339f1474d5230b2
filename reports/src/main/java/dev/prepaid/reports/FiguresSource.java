package dev.prepaid.reports;

import dev.prepaid.clearing.daily.ClearingService;
import dev.prepaid.clearing.daily.DayFigures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads the stored figures files of a range's days from the clearing directory ({@link ClearingService#storedFigures},
 * each file's checksum checked), several at a time: a month of 10,000 merchants is 30 files to parse.
 */
public final class FiguresSource {
    private FiguresSource() {
    }

    /** The figures of the range's days that have a file, ascending; the others are the report's missing days. */
    public static List<DayFigures> load(final Path dir, final DateRange range) throws IOException {
        final List<Integer> days = range.days();
        final int threads = Math.max(1, Math.min(days.size(), Runtime.getRuntime().availableProcessors()));
        final ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            final Thread t = new Thread(r, "prepaid-report-read");
            t.setDaemon(true);
            return t;
        });
        try {
            final List<Future<DayFigures>> reads = new ArrayList<>();
            for (final int day : days) {
                reads.add(pool.submit(() -> {
                    try {
                        return ClearingService.storedFigures(dir, day);
                    } catch (final IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
            }
            final List<DayFigures> out = new ArrayList<>();
            for (final Future<DayFigures> read : reads) {
                final DayFigures f = read.get();
                if (f != null) {
                    out.add(f);
                }
            }
            return out;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the figures of " + range, e);
        } catch (final ExecutionException e) {
            final Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(cause);
        } finally {
            pool.shutdownNow();
        }
    }
}
