package dev.prepaid.reports;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.List;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.DataFormat;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

/**
 * A report as an Excel workbook for finance: sheet "Report" with a bold, frozen header row, one row per line, and a
 * bold totals row; counts are numeric cells, amounts numeric cells of yuan (fen / 100) in a yuan format, rates numeric
 * cells with two decimals. Sheet "About" says what the report covers and which days had no figures. Written
 * streaming, so a month of 10,000 merchants does not hold every cell's object in memory.
 */
public final class XlsxReport {
    public static final String CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    /** Yuan with two decimals and grouping; negatives with a minus. */
    public static final String YUAN_FORMAT = "\"¥\"#,##0.00;-\"¥\"#,##0.00";

    private XlsxReport() {
    }

    public static byte[] bytes(final Table table) {
        final SXSSFWorkbook book = new SXSSFWorkbook(200);
        try {
            final DataFormat format = book.createDataFormat();
            final Font bold = book.createFont();
            bold.setBold(true);
            final CellStyle header = book.createCellStyle();
            header.setFont(bold);
            final CellStyle yuan = book.createCellStyle();
            yuan.setDataFormat(format.getFormat(YUAN_FORMAT));
            final CellStyle yuanBold = book.createCellStyle();
            yuanBold.setDataFormat(format.getFormat(YUAN_FORMAT));
            yuanBold.setFont(bold);
            final CellStyle rate = book.createCellStyle();
            rate.setDataFormat(format.getFormat("0.00"));
            final CellStyle rateBold = book.createCellStyle();
            rateBold.setDataFormat(format.getFormat("0.00"));
            rateBold.setFont(bold);
            final CellStyle count = book.createCellStyle();
            count.setDataFormat(format.getFormat("#,##0"));
            final CellStyle countBold = book.createCellStyle();
            countBold.setDataFormat(format.getFormat("#,##0"));
            countBold.setFont(bold);

            final SXSSFSheet sheet = book.createSheet("Report");
            final List<Column> columns = table.columns();
            final org.apache.poi.ss.usermodel.Row head = sheet.createRow(0);
            for (int i = 0; i < columns.size(); i++) {
                final Cell cell = head.createCell(i);
                cell.setCellValue(columns.get(i).title());
                cell.setCellStyle(header);
                sheet.setColumnWidth(i, Math.min(255, Math.max(12, columns.get(i).title().length() + 4)) * 256);
            }
            sheet.createFreezePane(0, 1);
            int r = 1;
            for (final List<Object> cells : table.rows()) {
                write(sheet.createRow(r++), columns, cells, null, yuan, rate, count);
            }
            write(sheet.createRow(r), columns, table.totals(), header, yuanBold, rateBold, countBold);

            final Sheet about = book.createSheet("About");
            about.setColumnWidth(0, 20 * 256);
            about.setColumnWidth(1, 80 * 256);
            int a = 0;
            a = line(about, a, "Report", table.kind().title() + " (" + table.kind().key() + ")");
            a = line(about, a, "From", DateRange.iso(table.range().from()));
            a = line(about, a, "To", DateRange.iso(table.range().to()));
            a = line(about, a, "For", table.filter().toString());
            a = line(about, a, "Computed from", "the daily clearing figures files of the days of the range");
            final StringBuilder missing = new StringBuilder();
            for (final int d : table.missingDays()) {
                missing.append(missing.length() == 0 ? "" : ", ").append(DateRange.iso(d));
            }
            line(about, a, "Days without figures", missing.length() == 0 ? "none" : missing.toString());

            final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
            book.write(out);
            return out.toByteArray();
        } catch (final IOException e) {
            throw new UncheckedIOException("writing a workbook to memory", e);
        } finally {
            book.dispose();
            try {
                book.close();
            } catch (final IOException e) {
                // a streaming workbook's temporary files are deleted by dispose(); nothing else to release
            }
        }
    }

    private static int line(final Sheet sheet, final int r, final String name, final String value) {
        final org.apache.poi.ss.usermodel.Row row = sheet.createRow(r);
        row.createCell(0).setCellValue(name);
        row.createCell(1).setCellValue(value);
        return r + 1;
    }

    private static void write(final org.apache.poi.ss.usermodel.Row row, final List<Column> columns,
            final List<Object> cells, final CellStyle text, final CellStyle yuan, final CellStyle rate, final CellStyle count) {
        for (int i = 0; i < cells.size(); i++) {
            final Object value = cells.get(i);
            if (value == null) {
                continue;
            }
            final Cell cell = row.createCell(i);
            switch (columns.get(i).type()) {
                case FEN -> {
                    // the nearest double to the exact yuan amount: Excel's numbers are doubles
                    cell.setCellValue(BigDecimal.valueOf((Long) value, 2).doubleValue());
                    cell.setCellStyle(yuan);
                }
                case COUNT -> {
                    cell.setCellValue(((Long) value).doubleValue());
                    cell.setCellStyle(count);
                }
                case PERCENT -> {
                    cell.setCellValue(((BigDecimal) value).doubleValue());
                    cell.setCellStyle(rate);
                }
                case TEXT -> {
                    cell.setCellValue(value.toString());
                    if (text != null) {
                        cell.setCellStyle(text);
                    }
                }
            }
        }
    }
}
