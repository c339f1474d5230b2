package dev.prepaid.reports;

import dev.prepaid.clearing.daily.DayFigures;
import dev.prepaid.clearing.daily.FiguresFile;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Times a monthly merchant report for every merchant from the daily figures files (BENCHMARKS.md, "Reports"):
 * writes {@code days} synthetic figures files of {@code merchants} merchants into {@code dir} (unless they are
 * there), then reads them and builds the report and its CSV, XLSX and HTML, printing each step's time.
 *
 * <pre>java -cp ... dev.prepaid.reports.ReportTiming DIR [merchants=10000] [days=30] [terminalsPerMerchant=1]</pre>
 */
public final class ReportTiming {
    private ReportTiming() {
    }

    public static void main(final String[] args) throws IOException {
        if (args.length < 1 || args[0].startsWith("-")) {
            System.err.println("usage: ReportTiming DIR [merchants=10000] [days=30] [terminalsPerMerchant=1]");
            System.exit(2);
        }
        final Path dir = Path.of(args[0]);
        final int merchants = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        final int days = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        final int terminals = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        final DateRange range = new DateRange(20261101, dev.prepaid.time.CivilDate.yyyymmdd(
                dev.prepaid.time.CivilDate.epochDay(20261101) + days - 1));
        Files.createDirectories(dir);
        long t0 = System.nanoTime();
        int written = 0;
        for (final int day : range.days()) {
            final Path file = dir.resolve(DateRange.iso(day) + FiguresFile.SUFFIX);
            if (!Files.exists(file)) {
                FiguresFile.write(dir, SyntheticFigures.day(day, 42, merchants, terminals));
                written++;
            }
        }
        System.out.printf("figures files: %d days of %d merchants x %d terminals in %s (%d written now, %.1f s)%n", days,
                merchants, terminals, dir, written, (System.nanoTime() - t0) / 1e9);
        for (int round = 1; round <= 3; round++) {
            t0 = System.nanoTime();
            final List<DayFigures> figures = FiguresSource.load(dir, range);
            final long read = System.nanoTime();
            final Table table = Reports.build(ReportKind.MERCHANT_MONTHLY, range, Filter.ALL, figures);
            final long built = System.nanoTime();
            final byte[] csv = CsvReport.bytes(table);
            final long csvDone = System.nanoTime();
            final byte[] xlsx = XlsxReport.bytes(table);
            final long xlsxDone = System.nanoTime();
            final byte[] html = HtmlReport.bytes(table);
            final long htmlDone = System.nanoTime();
            System.out.printf("round %d: read %.2f s, build %.2f s (%d rows), csv %.2f s (%d KiB) -> read+build+csv"
                    + " %.2f s; xlsx %.2f s (%d KiB); html %.2f s (%d KiB)%n", round, (read - t0) / 1e9,
                    (built - read) / 1e9, table.rows().size(), (csvDone - built) / 1e9, csv.length / 1024,
                    (csvDone - t0) / 1e9, (xlsxDone - csvDone) / 1e9, xlsx.length / 1024, (htmlDone - xlsxDone) / 1e9,
                    html.length / 1024);
        }
        System.out.printf("load average %.2f, %d processors%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
    }
}
