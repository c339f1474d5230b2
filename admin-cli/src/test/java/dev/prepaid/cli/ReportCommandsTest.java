package dev.prepaid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.Envelope;
import dev.prepaid.demo.DemoBusiness;
import dev.prepaid.operator.Operator;
import dev.prepaid.reports.ReportKind;
import dev.prepaid.testing.Await;
import dev.prepaid.time.CivilDate;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * prepaid-admin report on the demo business, through a real switch: a day with a merchant adjustment is cut over and
 * cleared; its reports as a table, as JSON, as CSV and XLSX files (over the real HTTP endpoint), a merchant's user
 * limited to its merchant, and the exit codes of bad input.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportCommandsTest {
    @TempDir
    static Path scratch;

    private TestSwitch demo;
    private DemoOperators operators;
    private String day;

    @BeforeAll
    void start() throws Exception {
        demo = TestSwitch.start(Files.createDirectory(scratch.resolve("switch")));
        operators = new DemoOperators(Cli.of(demo.endpoint, Files.createDirectory(scratch.resolve("home"))),
                Files.createDirectory(scratch.resolve("sessions")));
        final JsonNode requested = operators.as("finance").ok("adjust", "--merchant", DemoBusiness.SUPERMARKET,
                "--amount", "12.34", "--counter", "CUSTODY", "--json").json();
        operators.as("supervisor").ok("approvals", "approve", requested.path("pendingId").asText());
        final int today = demo.server.read(s -> s.businessDate()).get();
        assertThat(demo.server.submitAndWait(new Envelope(Operator.SYSTEM_ID, 0, "test", "cut-over"),
                new AdminCommand.Cutover(CivilDate.yyyymmdd(CivilDate.epochDay(today) + 1))).outcome().approved()).isTrue();
        day = CivilDate.iso(CivilDate.epochDay(today));
        Await.until("the day cleared", Duration.ofSeconds(60), () -> demo.server.clearing().lastClearedDate() == today);
    }

    @AfterAll
    void stop() throws IOException {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void aReportAsATableAndAsJson() {
        final Cli.Result table = operators.as("finance").ok("report", "merchant-summary", "--from", day, "--to", day);
        assertThat(table.out()).contains("Merchant summary, " + day + " to " + day)
                .containsPattern(DemoBusiness.SUPERMARKET + " .* 12\\.34").containsPattern("(?m)^Total .* 12\\.34");
        final JsonNode json = operators.as("finance").ok("--json", "report", "merchant-summary", "--from", day, "--to",
                day).json();
        final List<String> keys = Arrays.asList(Cli.JSON.convertValue(json.path("columns").findValuesAsText("key"),
                String[].class));
        final int adjustments = keys.indexOf("adjustments");
        assertThat(json.path("totals").get(adjustments).asLong()).isEqualTo(12_34);
        assertThat(json.path("missingDays")).isEmpty();
    }

    @Test
    void csvAndXlsxFilesOverTheEndpoint() throws Exception {
        final Path csvFile = scratch.resolve("summary.csv");
        final Cli.Result wrote = operators.as("finance").ok("report", "merchant-summary", "--from", day, "--to", day,
                "--format", "csv", "--out", csvFile.toString());
        assertThat(wrote.out()).contains("wrote " + csvFile).contains("text/csv");
        final List<CSVRecord> records = CSVFormat.RFC4180.parse(new StringReader(Files.readString(csvFile))).getRecords();
        final int adjustments = records.get(0).toList().indexOf("adjustments");
        assertThat(records.get(records.size() - 1).get(0)).isEqualTo("Total");
        assertThat(records.get(records.size() - 1).get(adjustments)).isEqualTo("12.34");

        final Path xlsxFile = scratch.resolve("fees.xlsx");
        operators.as("finance").ok("report", "fees", "--from", day, "--to", day, "--format", "xlsx", "--out",
                xlsxFile.toString());
        try (XSSFWorkbook book = new XSSFWorkbook(Files.newInputStream(xlsxFile))) {
            assertThat(book.getSheet("Report").getRow(0).getCell(0).getStringCellValue()).isEqualTo("Merchant");
            final int last = book.getSheet("Report").getLastRowNum();
            assertThat(book.getSheet("Report").getRow(last).getCell(0).getStringCellValue()).isEqualTo("Total");
        }
        final Cli.Result html = operators.as("finance").ok("report", "card-issuance", "--from", day, "--to", day,
                "--format", "html");
        assertThat(html.out()).startsWith("<!DOCTYPE html>").contains("<tfoot>");
    }

    @Test
    void aMerchantsUserSeesOnlyItsMerchant() {
        final JsonNode own = operators.as("shop1").ok("--json", "report", "merchant-summary", "--from", day, "--to", day)
                .json();
        own.path("rows").forEach(r -> assertThat(r.get(0).asText()).isEqualTo(DemoBusiness.SUPERMARKET));
        assertThat(own.path("merchant").asText()).isEqualTo(DemoBusiness.SUPERMARKET);
        final Cli.Result other = operators.as("shop1").run("report", "merchant-summary", "--from", day, "--to", day,
                "--merchant", DemoBusiness.COFFEE);
        assertThat(other.exitCode()).as("%s", other).isEqualTo(Exit.NOT_ALLOWED);
        final Cli.Result cards = operators.as("shop1").run("report", "card-issuance", "--from", day, "--to", day);
        assertThat(cards.exitCode()).as("%s", cards).isEqualTo(Exit.NOT_ALLOWED);
    }

    @Test
    void badInputHasItsExitCodeAndHelpHasAnExample() {
        final Cli.Result kind = operators.as("finance").run("report", "merchants", "--from", day, "--to", day);
        assertThat(kind.exitCode()).as("%s", kind).isEqualTo(Exit.BAD_INPUT);
        assertThat(kind.err()).contains("merchant-summary");
        final Cli.Result backwards = operators.as("finance").run("report", "fees", "--from", "2026-12-02", "--to",
                "2026-12-01");
        assertThat(backwards.exitCode()).as("%s", backwards).isEqualTo(Exit.BAD_INPUT);
        assertThat(backwards.err()).contains("after");
        final Cli.Result year = operators.as("finance").run("report", "fees", "--from", "2025-01-01", "--to", "2026-12-01");
        assertThat(year.exitCode()).as("%s", year).isEqualTo(Exit.BAD_INPUT);
        assertThat(year.err()).contains("366");
        final Cli.Result binary = operators.as("finance").run("report", "fees", "--from", day, "--to", day, "--format",
                "xlsx");
        assertThat(binary.exitCode()).as("%s", binary).isEqualTo(Exit.BAD_INPUT);
        assertThat(binary.err()).contains("--out");
        final Cli.Result help = operators.as("finance").ok("report", "--help");
        assertThat(help.out()).contains("Example").contains("prepaid-admin report merchant-monthly")
                .contains("card-issuance-monthly");
    }

    @Test
    void theCliKnowsTheEndpointsKinds() {
        assertThat(ReportCommands.KINDS).containsExactlyElementsOf(Arrays.stream(ReportKind.values())
                .map(ReportKind::key).toList());
    }
}
