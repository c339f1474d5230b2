package dev.prepaid.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.admin.AdminRoutes.Reply;
import dev.prepaid.admin.AdminRoutes.Request;
import dev.prepaid.clearing.daily.DayFigures;
import dev.prepaid.clearing.daily.FiguresFile;
import dev.prepaid.clearing.daily.Measure;
import dev.prepaid.clearing.daily.Row;
import dev.prepaid.reports.SyntheticFigures;
import dev.prepaid.reports.Yuan;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /v1/reports/{kind}}: formats, file names, who sees what, and bad input answered 400 naming its field. */
class ReportRoutesTest {
    private static final AdminSessions.Session FINANCE = new AdminSessions.Session("t1", "fin", "FINANCE", "",
            Long.MAX_VALUE, false);
    private static final String OWN = SyntheticFigures.merchantId(1);
    private static final AdminSessions.Session MERCHANT = new AdminSessions.Session("t2", "shop", "MERCHANT_USER", OWN,
            Long.MAX_VALUE, false);
    private static final AdminSessions.Session CLERK = new AdminSessions.Session("t3", "clerk", "CLERK", "",
            Long.MAX_VALUE, false);

    @TempDir
    Path dir;
    private ReportRoutes routes;
    private final List<DayFigures> days = new java.util.ArrayList<>();

    @BeforeEach
    void figures() throws Exception {
        for (final int day : new int[] {20261201, 20261202}) {
            final DayFigures f = SyntheticFigures.day(day, 3, 4, 2);
            FiguresFile.write(dir, f);
            days.add(f);
        }
        routes = new ReportRoutes(dir, Runnable::run);
    }

    private Reply get(final AdminSessions.Session session, final String kind, final String... query) {
        final Map<String, String> q = new HashMap<>();
        for (int i = 0; i < query.length; i += 2) {
            q.put(query[i], query[i + 1]);
        }
        final Request r = new Request("GET", "/v1/reports/" + kind, q, session.token(), new byte[0], "test");
        try {
            return routes.report(r, session, kind).exceptionally(AdminRoutes::errorOf).join();
        } catch (final AdminError e) {
            return AdminRoutes.error(e);
        }
    }

    private static List<CSVRecord> csv(final Reply reply) throws Exception {
        final Download file = (Download) reply.body();
        return CSVFormat.RFC4180.parse(new StringReader(new String(file.bytes(), StandardCharsets.UTF_8))).getRecords();
    }

    private long purchaseAmount(final String merchant) {
        long sum = 0;
        for (final DayFigures day : days) {
            for (final Row row : day.merchants()) {
                if (merchant == null || row.id().equals(merchant)) {
                    sum += row.get(Measure.PURCHASE_AMOUNT);
                }
            }
        }
        return sum;
    }

    @Test
    void financeSeesEveryMerchantInEachFormat() throws Exception {
        final Reply csv = get(FINANCE, "merchant-summary", "from", "2026-12-01", "to", "2026-12-02", "format", "csv");
        assertThat(csv.status()).isEqualTo(200);
        final Download file = (Download) csv.body();
        assertThat(file.contentType()).isEqualTo("text/csv; charset=utf-8");
        assertThat(file.fileName()).isEqualTo("merchant-summary_2026-12-01_2026-12-02.csv");
        final List<CSVRecord> records = csv(csv);
        assertThat(records).hasSize(1 + 4 + 1);
        final int amount = records.get(0).toList().indexOf("purchaseAmount");
        assertThat(Yuan.parse(records.get(5).get(amount))).isEqualTo(purchaseAmount(null));

        final Reply xlsx = get(FINANCE, "fees", "from", "2026-12-01", "to", "2026-12-02", "format", "xlsx");
        assertThat(((Download) xlsx.body()).contentType()).isEqualTo(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        assertThat(((Download) xlsx.body()).bytes()).startsWith((byte) 'P', (byte) 'K');
        final Reply html = get(FINANCE, "card-issuance", "from", "2026-12-01", "to", "2026-12-02", "format", "html");
        assertThat(((Download) html.body()).contentType()).isEqualTo("text/html; charset=utf-8");
        assertThat(new String(((Download) html.body()).bytes(), StandardCharsets.UTF_8)).contains("<svg");

        final Reply json = get(FINANCE, "merchant-summary", "from", "2026-12-01", "to", "2026-12-03");
        @SuppressWarnings("unchecked")
        final Map<String, Object> body = (Map<String, Object>) json.body();
        assertThat(body.get("missingDays")).isEqualTo(List.of("2026-12-03"));
        assertThat((List<?>) body.get("rows")).hasSize(4);
    }

    @Test
    void aMerchantUserSeesOnlyItsOwnMerchant() throws Exception {
        final Reply own = get(MERCHANT, "merchant-summary", "from", "2026-12-01", "to", "2026-12-02", "format", "csv");
        final List<CSVRecord> records = csv(own);
        assertThat(records).hasSize(3);
        assertThat(records.get(1).get(0)).isEqualTo(OWN);
        final int amount = records.get(0).toList().indexOf("purchaseAmount");
        assertThat(Yuan.parse(records.get(2).get(amount))).isEqualTo(purchaseAmount(OWN));
        final Reply terminals = get(MERCHANT, "terminal-summary", "from", "2026-12-01", "to", "2026-12-02", "format", "csv");
        assertThat(csv(terminals).subList(1, 3)).allMatch(r -> r.get(1).equals(OWN));

        final Reply other = get(MERCHANT, "merchant-summary", "from", "2026-12-01", "to", "2026-12-02", "merchant",
                SyntheticFigures.merchantId(2));
        assertThat(other.status()).isEqualTo(403);
        assertThat(((Map<?, ?>) other.body()).get("error")).isEqualTo("OUTSIDE_MERCHANT_SCOPE");
        // another merchant's terminal: nothing of it
        final Reply foreignTerminal = get(MERCHANT, "terminal-summary", "from", "2026-12-01", "to", "2026-12-02",
                "terminal", SyntheticFigures.terminalId(2, 0), "format", "csv");
        assertThat(csv(foreignTerminal)).hasSize(2);
        final Reply cards = get(MERCHANT, "card-issuance", "from", "2026-12-01", "to", "2026-12-02");
        assertThat(cards.status()).isEqualTo(403);
        assertThat(get(CLERK, "merchant-summary", "from", "2026-12-01", "to", "2026-12-02").status()).isEqualTo(403);
    }

    @Test
    void badInputIs400NamingTheParameter() {
        assertBad(get(FINANCE, "merchants", "from", "2026-12-01", "to", "2026-12-02"), "kind");
        assertBad(get(FINANCE, "merchant-summary", "from", "2026-12-32", "to", "2026-12-02"), "from");
        assertBad(get(FINANCE, "merchant-summary", "from", "2026-12-01"), "to");
        assertBad(get(FINANCE, "merchant-summary", "from", "2026-12-03", "to", "2026-12-02"), "from");
        assertBad(get(FINANCE, "merchant-summary", "from", "2025-01-01", "to", "2026-12-02"), "to");
        assertBad(get(FINANCE, "merchant-summary", "from", "2026-12-01", "to", "2026-12-02", "format", "pdf"), "format");
        assertBad(get(FINANCE, "merchant-summary", "from", "2026-12-01", "to", "2026-12-02", "merchant", ""), "merchant");
        assertBad(get(FINANCE, "card-issuance", "from", "2026-12-01", "to", "2026-12-02", "terminal", "T1"), "terminal");
    }

    private static void assertBad(final Reply reply, final String field) {
        assertThat(reply.status()).isEqualTo(400);
        final Map<?, ?> body = (Map<?, ?>) reply.body();
        assertThat(body.get("error")).isEqualTo("BAD_FIELD");
        assertThat(body.get("field")).isEqualTo(field);
        assertThat((String) body.get("message")).isNotBlank();
    }
}
