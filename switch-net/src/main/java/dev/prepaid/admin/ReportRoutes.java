package dev.prepaid.admin;

import dev.prepaid.admin.AdminRoutes.Reply;
import dev.prepaid.admin.AdminRoutes.Request;
import dev.prepaid.clearing.daily.ClearingException;
import dev.prepaid.clearing.daily.DayFigures;
import dev.prepaid.command.Reason;
import dev.prepaid.operator.Permissions;
import dev.prepaid.reports.CsvReport;
import dev.prepaid.reports.DateRange;
import dev.prepaid.reports.Filter;
import dev.prepaid.reports.FiguresSource;
import dev.prepaid.reports.HtmlReport;
import dev.prepaid.reports.ReportException;
import dev.prepaid.reports.ReportKind;
import dev.prepaid.reports.Reports;
import dev.prepaid.reports.Table;
import dev.prepaid.reports.TableJson;
import dev.prepaid.reports.XlsxReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * {@code GET /v1/reports/{kind}?from=&to=&merchant=&terminal=&format=csv|xlsx|html|json} (docs/reports.md): a report
 * computed from the stored daily figures files of the range, never from the journal. Readable by whoever may read the
 * clearing figures; a merchant's own user gets its merchant's figures only, and no whole-switch report (card
 * issuance). Files are read and the report written on {@code reads}, never on the endpoint's event loop.
 */
public final class ReportRoutes {
    private final Path dir;
    private final Executor reads;

    public ReportRoutes(final Path dir, final Executor reads) {
        this.dir = dir;
        this.reads = reads;
    }

    /** The parameters of a report request, checked: the kind, range, filter and format. */
    record Asked(ReportKind kind, DateRange range, Filter filter, String format) {
    }

    static Asked asked(final Request r, final AdminSessions.Session session, final String kindText) {
        try {
            if (kindText == null) {
                throw new ReportException("kind", "the path names a report: /v1/reports/{kind}, one of "
                        + ReportKind.keys());
            }
            final ReportKind kind = ReportKind.of(kindText);
            final DateRange range = DateRange.parse(r.query().get("from"), r.query().get("to"));
            final String format = r.query().getOrDefault("format", "json");
            if (!List.of("json", "csv", "xlsx", "html").contains(format)) {
                throw new ReportException("format", "format is csv, xlsx, html or json, got '" + format + "'");
            }
            String merchant = r.query().get("merchant");
            final String terminal = r.query().get("terminal");
            final String scope = session.merchantScope();
            if (merchant != null) {
                AdminRoutes.scope(session, merchant);
            } else if (!scope.isEmpty()) {
                merchant = scope;
            }
            if (!scope.isEmpty() && !kind.perMerchant()) {
                throw new AdminError(403, Reason.OUTSIDE_MERCHANT_SCOPE.name(), kind.key() + " is the whole switch's"
                        + " report; operator '" + session.operatorId() + "' sees only merchant " + scope);
            }
            final Filter filter = kind.perMerchant() ? new Filter(merchant, terminal) : new Filter(
                    r.query().get("merchant"), terminal);
            return new Asked(kind, range, filter, format);
        } catch (final ReportException e) {
            throw AdminError.badField(e.field(), e.getMessage());
        }
    }

    CompletableFuture<Reply> report(final Request r, final AdminSessions.Session session, final String kindText) {
        AdminRoutes.view(session, Permissions.View.CLEARING);
        final Asked asked = asked(r, session, kindText);
        return CompletableFuture.supplyAsync(() -> {
            final List<DayFigures> days;
            try {
                days = FiguresSource.load(dir, asked.range());
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            } catch (final ClearingException e) {
                throw new AdminError(500, "CLEARING_FILE_DAMAGED", e.getMessage() + "; clear the day again:"
                        + " POST /v1/clearing/{date}");
            }
            final Table table;
            try {
                table = Reports.build(asked.kind(), asked.range(), asked.filter(), days);
            } catch (final ReportException e) {
                throw AdminError.badField(e.field(), e.getMessage());
            }
            return switch (asked.format()) {
                case "csv" -> new Reply(200, new Download(CsvReport.CONTENT_TYPE, table.fileName("csv"),
                        CsvReport.bytes(table)));
                case "xlsx" -> new Reply(200, new Download(XlsxReport.CONTENT_TYPE, table.fileName("xlsx"),
                        XlsxReport.bytes(table)));
                case "html" -> new Reply(200, new Download(HtmlReport.CONTENT_TYPE, table.fileName("html"),
                        HtmlReport.bytes(table)));
                default -> new Reply(200, TableJson.of(table));
            };
        }, reads);
    }
}
