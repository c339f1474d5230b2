package dev.prepaid.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.clearing.daily.DayFigures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report as a browser renders it: Debian's chromium, headless, dumps the DOM after loading the page from a
 * file, with the network off; the rendered totals row must be the CSV's. Opt-in ({@code -Pbrowser}): it needs
 * chromium ({@code apt-get install -y chromium}), which CI machines do not have.
 */
@Tag("browser")
class BrowserRenderTest {
    @TempDir
    Path dir;

    @Test
    void theRenderedTotalsAreTheCsvTotals() throws Exception {
        final List<DayFigures> days = ReportFixture.write(dir);
        for (final ReportKind kind : new ReportKind[] {ReportKind.MERCHANT_MONTHLY, ReportKind.SUCCESS_RATES,
            ReportKind.CARD_ISSUANCE}) {
            final Table t = Reports.build(kind, ReportFixture.RANGE, Filter.ALL, days);
            final Path page = dir.resolve(t.fileName("html"));
            Files.write(page, HtmlReport.bytes(t));
            final String dom = render(page);
            assertThat(dom).contains("<svg");
            final List<CSVRecord> csv = FormatsTest.csv(CsvReport.bytes(t));
            assertThat(totals(dom)).as(kind.key()).isEqualTo(csv.get(csv.size() - 1).toList());
            assertThat(rows(dom)).as(kind.key()).isEqualTo(t.rows().size());
        }
    }

    private static String render(final Path page) throws Exception {
        final Path profile = Files.createTempDirectory(page.getParent(), "chromium-profile");
        final Process p = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + profile,
                // no network: the page must stand alone
                "--proxy-server=127.0.0.1:9", "--dump-dom", page.toUri().toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        final byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("chromium exits").isTrue();
        assertThat(p.exitValue()).as("chromium's exit status").isZero();
        return new String(out, StandardCharsets.UTF_8);
    }

    private static List<String> totals(final String dom) {
        final Matcher row = Pattern.compile("<tr id=\"totals\">(.*?)</tr>", Pattern.DOTALL).matcher(dom);
        assertThat(row.find()).as("a totals row in the rendered page").isTrue();
        final Matcher cell = Pattern.compile("<td[^>]*>(.*?)</td>", Pattern.DOTALL).matcher(row.group(1));
        final List<String> cells = new ArrayList<>();
        while (cell.find()) {
            cells.add(cell.group(1).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"));
        }
        return cells;
    }

    private static int rows(final String dom) {
        final Matcher body = Pattern.compile("<tbody>(.*?)</tbody>", Pattern.DOTALL).matcher(dom);
        assertThat(body.find()).isTrue();
        return body.group(1).split("<tr", -1).length - 1;
    }
}
