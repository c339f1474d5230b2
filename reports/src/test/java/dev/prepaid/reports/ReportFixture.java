package dev.prepaid.reports;

import dev.prepaid.clearing.daily.DayFigures;
import dev.prepaid.clearing.daily.FiguresFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Three synthetic business days across a month end (2026-11-29, 2026-11-30, 2026-12-01; 2026-11-28 has no figures),
 * 6 merchants of 2 terminals each, written as figures files and read back as the switch would.
 */
final class ReportFixture {
    static final int MERCHANTS = 6;
    static final int TERMINALS = 2;
    static final DateRange RANGE = new DateRange(20261128, 20261201);
    static final int[] DAYS = {20261129, 20261130, 20261201};

    private ReportFixture() {
    }

    static List<DayFigures> write(final Path dir) throws IOException {
        for (final int day : DAYS) {
            FiguresFile.write(dir, SyntheticFigures.day(day, 7, MERCHANTS, TERMINALS));
        }
        return FiguresSource.load(dir, RANGE);
    }
}
