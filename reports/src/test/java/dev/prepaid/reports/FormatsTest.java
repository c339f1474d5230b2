package dev.prepaid.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.clearing.daily.DayFigures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Every report written as CSV, XLSX and HTML and read back: the same lines, the same totals, exact to the fen. */
class FormatsTest {
    @TempDir
    Path dir;
    private List<DayFigures> days;

    @BeforeEach
    void figures() throws IOException {
        days = ReportFixture.write(dir);
    }

    static List<CSVRecord> csv(final byte[] bytes) throws IOException {
        return CSVFormat.RFC4180.parse(new StringReader(new String(bytes, StandardCharsets.UTF_8))).getRecords();
    }

    @ParameterizedTest
    @EnumSource(ReportKind.class)
    void csvReadsBackToTheTable(final ReportKind kind) throws IOException {
        final Table t = Reports.build(kind, ReportFixture.RANGE, Filter.ALL, days);
        final List<CSVRecord> records = csv(CsvReport.bytes(t));
        assertThat(records).hasSize(1 + t.rows().size() + 1);
        assertThat(records.get(0).toList()).isEqualTo(t.columns().stream().map(Column::key).toList());
        final CSVRecord totals = records.get(records.size() - 1);
        assertThat(totals.get(0)).isEqualTo("Total");
        for (int c = 0; c < t.columns().size(); c++) {
            final Column column = t.columns().get(c);
            if (column.type() == Column.Type.FEN && !totals.get(c).isEmpty()) {
                // the lines' yuan, parsed back to fen, add up to the totals' yuan exactly
                long sum = 0;
                for (int r = 1; r < records.size() - 1; r++) {
                    sum += records.get(r).get(c).isEmpty() ? 0 : Yuan.parse(records.get(r).get(c));
                }
                assertThat(Yuan.parse(totals.get(c))).as(column.key()).isEqualTo(sum).isEqualTo(t.totals().get(c));
            }
            if (column.type() == Column.Type.COUNT && !totals.get(c).isEmpty() && !column.key().equals("terminals")
                    && !column.key().equals("topReasonCount")) {
                // (distinct terminals and the top reason's count are not sums of the lines)
                long sum = 0;
                for (int r = 1; r < records.size() - 1; r++) {
                    sum += records.get(r).get(c).isEmpty() ? 0 : Long.parseLong(records.get(r).get(c));
                }
                assertThat(Long.parseLong(totals.get(c))).as(column.key()).isEqualTo(sum);
            }
        }
    }

    @Test
    void xlsxHasNumericYuanCellsATotalsRowAndAFrozenHeader() throws IOException {
        final Table t = Reports.build(ReportKind.MERCHANT_SUMMARY, ReportFixture.RANGE, Filter.ALL, days);
        try (XSSFWorkbook book = new XSSFWorkbook(new ByteArrayInputStream(XlsxReport.bytes(t)))) {
            final XSSFSheet sheet = book.getSheet("Report");
            assertThat(sheet.getPaneInformation().isFreezePane()).isTrue();
            assertThat(sheet.getPaneInformation().getHorizontalSplitPosition()).isEqualTo((short) 1);
            assertThat(sheet.getRow(0).getCell(0).getStringCellValue()).isEqualTo("Merchant");
            assertThat(sheet.getLastRowNum()).isEqualTo(t.rows().size() + 1);
            final int amount = t.columns().stream().map(Column::key).toList().indexOf("purchaseAmount");
            long sumOfCells = 0;
            for (int r = 1; r <= t.rows().size(); r++) {
                final Cell cell = sheet.getRow(r).getCell(amount);
                assertThat(cell.getCellType()).isEqualTo(CellType.NUMERIC);
                assertThat(cell.getCellStyle().getDataFormatString()).contains("¥").contains("0.00");
                sumOfCells += new BigDecimal(Double.toString(cell.getNumericCellValue())).movePointRight(2).longValueExact();
            }
            final org.apache.poi.ss.usermodel.Row totals = sheet.getRow(t.rows().size() + 1);
            assertThat(totals.getCell(0).getStringCellValue()).isEqualTo("Total");
            final long totalFen = new BigDecimal(Double.toString(totals.getCell(amount).getNumericCellValue()))
                    .movePointRight(2).longValueExact();
            assertThat(totalFen).isEqualTo(sumOfCells).isEqualTo(t.totals().get(amount));
            assertThat(book.getFontAt(totals.getCell(amount).getCellStyle().getFontIndex()).getBold()).isTrue();
            final int purchases = t.columns().stream().map(Column::key).toList().indexOf("purchases");
            assertThat((long) totals.getCell(purchases).getNumericCellValue()).isEqualTo(t.totals().get(purchases));
            final XSSFSheet about = book.getSheet("About");
            assertThat(about.getRow(5).getCell(1).getStringCellValue()).isEqualTo("2026-11-28");
        }
    }

    /** The cells of the HTML page's totals row, as text. */
    static List<String> htmlTotals(final byte[] html) throws Exception {
        final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        final Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(html));
        final NodeList rows = doc.getElementsByTagName("tr");
        for (int i = 0; i < rows.getLength(); i++) {
            final Element tr = (Element) rows.item(i);
            if ("totals".equals(tr.getAttribute("id"))) {
                final List<String> cells = new ArrayList<>();
                final NodeList tds = tr.getElementsByTagName("td");
                for (int c = 0; c < tds.getLength(); c++) {
                    cells.add(tds.item(c).getTextContent());
                }
                return cells;
            }
        }
        throw new AssertionError("no totals row");
    }

    @ParameterizedTest
    @EnumSource(ReportKind.class)
    void htmlIsSelfContainedWithChartsAndTheCsvTotals(final ReportKind kind) throws Exception {
        final Table t = Reports.build(kind, ReportFixture.RANGE, Filter.ALL, days);
        final byte[] html = HtmlReport.bytes(t);
        final String text = new String(html, StandardCharsets.UTF_8);
        final List<CSVRecord> records = csv(CsvReport.bytes(t));
        assertThat(htmlTotals(html)).isEqualTo(records.get(records.size() - 1).toList());
        assertThat(text).contains("<svg").contains("<rect").doesNotContainIgnoringCase("http")
                .doesNotContainIgnoringCase("<script").doesNotContain("src=").contains("2026-11-28");
        final Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(html));
        assertThat(doc.getElementsByTagName("tbody").item(0).getChildNodes().getLength()).isPositive();
        if (kind == ReportKind.MERCHANT_DAILY) {
            assertThat(text).contains("id=\"chart-periods\"");
        }
    }

    @Test
    void fileNamesSayWhatTheReportIs() {
        final Table t = Reports.build(ReportKind.TERMINAL_SUMMARY, ReportFixture.RANGE,
                new Filter("M../x", "T 1"), days);
        assertThat(t.fileName("csv")).isEqualTo("terminal-summary_2026-11-28_2026-12-01_m-M___x_t-T_1.csv");
    }
}
