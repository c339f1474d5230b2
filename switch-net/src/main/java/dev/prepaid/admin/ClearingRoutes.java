package dev.prepaid.admin;

import dev.prepaid.admin.AdminRoutes.Reply;
import dev.prepaid.admin.AdminRoutes.Request;
import dev.prepaid.clearing.daily.BookFacts;
import dev.prepaid.clearing.daily.CardMeasure;
import dev.prepaid.clearing.daily.CardRow;
import dev.prepaid.clearing.daily.ClearingException;
import dev.prepaid.clearing.daily.ClearingService;
import dev.prepaid.clearing.daily.DayFigures;
import dev.prepaid.clearing.daily.Measure;
import dev.prepaid.clearing.daily.ReconciliationReport;
import dev.prepaid.clearing.daily.Row;
import dev.prepaid.command.Reason;
import dev.prepaid.operator.Permissions;
import dev.prepaid.time.CivilDate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * {@code /v1/clearing} and {@code /v1/reconciliation} (docs/admin-api.md): a day's figures read from its file (paged,
 * filtered by merchant or terminal, a merchant's own user limited to its merchant), the days cleared, a day cleared or
 * reconciled again on demand, and the reconciliations with the days that hold settlement. Files are read on
 * {@code reads}, never on the endpoint's event loop; clearing runs on the clearing thread.
 */
public final class ClearingRoutes {
    private final ClearingService service;
    private final Path dir;
    private final Executor reads;

    public ClearingRoutes(final ClearingService service, final Executor reads) {
        this.service = service;
        this.dir = service.directory();
        this.reads = reads;
    }

    /** Where the figures files are (the reports read them too). */
    Path directory() {
        return dir;
    }

    /** The executor files are read on. */
    Executor reads() {
        return reads;
    }

    /** A path's date: YYYY-MM-DD (or yyyymmdd), a real date; else 400 naming the field {@code date}. */
    static int date(final String text) {
        if (text == null || text.isEmpty()) {
            throw AdminError.badField("date", "the path names a business date: /v1/clearing/YYYY-MM-DD");
        }
        final String digits = text.matches("\\d{4}-\\d{2}-\\d{2}") ? text.replace("-", "") : text;
        if (!digits.matches("\\d{8}") || !CivilDate.isValid(Integer.parseInt(digits))) {
            throw AdminError.badField("date", "date is a business date YYYY-MM-DD, got '" + text + "'");
        }
        return Integer.parseInt(digits);
    }

    private static String iso(final int date) {
        return CivilDate.iso(CivilDate.epochDay(date));
    }

    private <T> CompletableFuture<T> onReads(final IoSupplier<T> work) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return work.get();
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            } catch (final ClearingException e) {
                throw new AdminError(500, "CLEARING_FILE_DAMAGED", e.getMessage() + "; clear the day again:"
                        + " POST /v1/clearing/{date}");
            }
        }, reads);
    }

    @FunctionalInterface
    private interface IoSupplier<T> {
        T get() throws IOException;
    }

    // ------------------------------------------------------------------ figures

    /** {@code GET /v1/clearing}: the days with figures, newest first, paged. */
    CompletableFuture<Reply> days(final Request r, final AdminSessions.Session session) {
        AdminRoutes.view(session, Permissions.View.CLEARING);
        final int from = AdminRoutes.from(r);
        final int limit = AdminRoutes.limit(r);
        return onReads(() -> {
            final List<Integer> days = new ArrayList<>(ClearingService.storedDays(dir));
            java.util.Collections.reverse(days);
            final List<Object> items = new ArrayList<>();
            for (int i = from; i < days.size() && items.size() < limit; i++) {
                final Map<String, Object> item = new LinkedHashMap<>();
                item.put("date", iso(days.get(i)));
                final ReconciliationReport report = ClearingService.storedReport(dir, days.get(i));
                item.put("reconciled", report == null ? null : report.balanced());
                items.add(item);
            }
            return new Reply(200, page(items, from, days.size()));
        });
    }

    /**
     * {@code GET /v1/clearing/{date}?merchant=&terminal=&from=&limit=}: the day's figures; merchants and terminals
     * paged alike by {@code from}/{@code limit}; deployers and card types (whole-day figures) only for an unscoped
     * operator.
     */
    CompletableFuture<Reply> figures(final Request r, final AdminSessions.Session session, final String dateText) {
        AdminRoutes.view(session, Permissions.View.CLEARING);
        final int date = date(dateText);
        final String scope = session.merchantScope();
        String merchant = r.query().get("merchant");
        if (merchant != null && merchant.isEmpty()) {
            throw AdminError.badField("merchant", "merchant is a merchant id (15 characters), got an empty one");
        }
        if (merchant != null) {
            AdminRoutes.scope(session, merchant);
        } else if (!scope.isEmpty()) {
            merchant = scope;
        }
        final String terminal = r.query().get("terminal");
        if (terminal != null && !terminal.matches("[ -~]{1,8}")) {
            throw AdminError.badField("terminal", "terminal is a terminal id (8 characters), got '" + terminal + "'");
        }
        final int from = AdminRoutes.from(r);
        final int limit = AdminRoutes.limit(r);
        final String wanted = merchant;
        return onReads(() -> {
            final DayFigures all = ClearingService.storedFigures(dir, date);
            if (all == null) {
                throw new AdminError(404, "NOT_CLEARED", iso(date) + " has no figures: it is not cleared (still open,"
                        + " never opened, or cleared by no switch yet); POST /v1/clearing/" + iso(date) + " clears it");
            }
            final DayFigures figures = wanted == null ? all : all.ofMerchant(wanted);
            List<Row> terminals = figures.terminals();
            if (terminal != null) {
                terminals = terminals.stream().filter(t -> t.id().equals(terminal)).toList();
                if (terminals.isEmpty() && !scope.isEmpty()) {
                    // a scoped operator is told "none" for another merchant's terminal as for a missing one
                    terminals = List.of();
                }
            }
            final Map<String, Object> body = new LinkedHashMap<>();
            body.put("date", iso(date));
            body.put("open", bounds(all.bounds().openSequence(), all.bounds().openTimestamp()));
            body.put("close", bounds(all.bounds().closeSequence(), all.bounds().closeTimestamp()));
            final boolean whole = scope.isEmpty() && wanted == null && terminal == null;
            if (scope.isEmpty()) {
                body.put("feesPosted", all.feesPosted());
                body.put("commands", all.commands());
                body.put("unattributedDeclines", all.unattributedDeclines());
            }
            final Map<String, Object> totals = new LinkedHashMap<>();
            for (final Measure m : Measure.values()) {
                totals.put(m.key, figures.total(m));
            }
            body.put("totals", totals);
            body.put("merchants", page(rows(figures.merchants(), from, limit, false), from, figures.merchants().size()));
            body.put("terminals", page(rows(terminals, from, limit, true), from, terminals.size()));
            if (whole) {
                body.put("deployers", rows(figures.deployers(), 0, Integer.MAX_VALUE, false));
                final List<Object> types = new ArrayList<>();
                for (final CardRow row : figures.cardTypes()) {
                    final Map<String, Object> type = new LinkedHashMap<>();
                    type.put("cardType", row.cardType());
                    for (final CardMeasure m : CardMeasure.values()) {
                        type.put(m.key, row.get(m));
                    }
                    types.add(type);
                }
                body.put("cardTypes", types);
            }
            return new Reply(200, body);
        });
    }

    private static Map<String, Object> bounds(final long sequence, final long timestamp) {
        final Map<String, Object> b = new LinkedHashMap<>();
        b.put("sequence", sequence);
        b.put("timestamp", timestamp);
        return b;
    }

    private static List<Object> rows(final List<Row> rows, final int from, final int limit, final boolean terminals) {
        final List<Object> items = new ArrayList<>();
        for (int i = from; i < rows.size() && items.size() < limit; i++) {
            final Row row = rows.get(i);
            final Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", row.id());
            if (terminals) {
                item.put("merchantId", row.merchantId());
                item.put("deployer", row.deployer());
            }
            for (final Measure m : Measure.values()) {
                item.put(m.key, row.get(m));
            }
            final Map<String, Object> declines = new LinkedHashMap<>();
            for (final Map.Entry<Integer, Integer> e : row.declinesByReason().entrySet()) {
                final Reason reason = Reason.ofCode(e.getKey());
                declines.put(reason == null ? Integer.toString(e.getKey()) : reason.name(), e.getValue());
            }
            item.put("declinesByReason", declines);
            items.add(item);
        }
        return items;
    }

    private static Map<String, Object> page(final List<Object> items, final int from, final int total) {
        final Map<String, Object> page = new LinkedHashMap<>();
        page.put("from", from);
        page.put("total", total);
        page.put("items", items);
        page.put("next", from + items.size() < total ? from + items.size() : -1);
        return page;
    }

    // ------------------------------------------------------------------ on demand

    /** {@code POST /v1/clearing/{date}}: clears the day again (figures rewritten) and reconciles it. */
    CompletableFuture<Reply> run(final Request r, final AdminSessions.Session session, final String dateText) {
        onDemand(r, session);
        final int date = date(dateText);
        return service.clear(date).handle((cleared, error) -> {
            if (error != null) {
                throw failure(error);
            }
            final Map<String, Object> body = report(cleared.report(), null);
            body.put("replayed", cleared.replayed());
            body.put("millis", cleared.millis());
            body.put("merchants", cleared.figures().merchants().size());
            body.put("terminals", cleared.figures().terminals().size());
            return new Reply(200, body);
        });
    }

    /** {@code POST /v1/reconciliation/{date}}: reconciles the day again against its stored figures. */
    CompletableFuture<Reply> reconcile(final Request r, final AdminSessions.Session session, final String dateText) {
        onDemand(r, session);
        final int date = date(dateText);
        return service.reconcile(date).handle((report, error) -> {
            if (error != null) {
                throw failure(error);
            }
            return new Reply(200, report(report, null));
        });
    }

    private static void onDemand(final Request r, final AdminSessions.Session session) {
        AdminRoutes.view(session, Permissions.View.CLEARING_RUN);
        if (!session.merchantScope().isEmpty()) {
            throw new AdminError(403, Reason.OUTSIDE_MERCHANT_SCOPE.name(), "a business day is cleared for every merchant;"
                    + " operator '" + session.operatorId() + "' sees only merchant " + session.merchantScope());
        }
        final String body = r.body() == null ? "" : new String(r.body(), java.nio.charset.StandardCharsets.UTF_8)
                .replaceAll("\\s", "");
        if (!body.isEmpty() && !body.equals("{}")) {
            throw new AdminError(400, "BAD_JSON", "clearing a day takes no body (or {}): the date is in the path");
        }
    }

    private static RuntimeException failure(final Throwable thrown) {
        final Throwable e = thrown instanceof CompletionException && thrown.getCause() != null ? thrown.getCause() : thrown;
        if (e instanceof ClearingException c) {
            return c.noSuchDay() ? new AdminError(404, "NO_SUCH_DAY", c.getMessage())
                    : new AdminError(409, "CLEARING_FAILED", c.getMessage());
        }
        return e instanceof RuntimeException run ? run : new CompletionException(e);
    }

    // ------------------------------------------------------------------ reconciliation

    /** {@code GET /v1/reconciliation}: the days held, and each cleared day's reconciliation, newest first, paged. */
    CompletableFuture<Reply> reconciliations(final Request r, final AdminSessions.Session session,
            final CompletableFuture<int[]> held) {
        AdminRoutes.view(session, Permissions.View.RECONCILIATION);
        final int from = AdminRoutes.from(r);
        final int limit = AdminRoutes.limit(r);
        return held.thenCompose(days -> onReads(() -> {
            final List<Integer> stored = new ArrayList<>(ClearingService.storedDays(dir));
            java.util.Collections.reverse(stored);
            final List<Object> items = new ArrayList<>();
            for (int i = from; i < stored.size() && items.size() < limit; i++) {
                final ReconciliationReport report = ClearingService.storedReport(dir, stored.get(i));
                final Map<String, Object> item = new LinkedHashMap<>();
                item.put("date", iso(stored.get(i)));
                item.put("balanced", report == null ? null : report.balanced());
                item.put("summary", report == null ? "not reconciled" : report.summary());
                item.put("held", isHeld(days, stored.get(i)));
                items.add(item);
            }
            final Map<String, Object> body = new LinkedHashMap<>();
            body.put("settlementHeld", days.length > 0);
            body.put("heldDays", heldDays(days));
            body.put("days", page(items, from, stored.size()));
            return new Reply(200, body);
        }));
    }

    /** {@code GET /v1/reconciliation/{date}}: the day's checks and the batches that disagreed. */
    CompletableFuture<Reply> reconciliation(final Request r, final AdminSessions.Session session, final String dateText,
            final CompletableFuture<int[]> held) {
        AdminRoutes.view(session, Permissions.View.RECONCILIATION);
        final int date = date(dateText);
        return held.thenCompose(days -> onReads(() -> {
            final ReconciliationReport report = ClearingService.storedReport(dir, date);
            if (report == null) {
                throw new AdminError(404, "NOT_RECONCILED", iso(date) + " has no reconciliation: it is not cleared");
            }
            return new Reply(200, report(report, isHeld(days, date)));
        }));
    }

    private static boolean isHeld(final int[] days, final int date) {
        final int day = CivilDate.epochDay(date);
        for (final int held : days) {
            if (held == day) {
                return true;
            }
        }
        return false;
    }

    private static List<String> heldDays(final int[] days) {
        final List<String> out = new ArrayList<>();
        for (final int day : days) {
            out.add(CivilDate.iso(day));
        }
        return out;
    }

    private static Map<String, Object> report(final ReconciliationReport report, final Boolean held) {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("date", report.iso());
        body.put("balanced", report.balanced());
        if (held != null) {
            body.put("held", held);
        }
        body.put("checkedAt", report.checkedAtMillis());
        body.put("summary", report.summary());
        final List<Object> checks = new ArrayList<>();
        for (final ReconciliationReport.Check check : report.checks()) {
            final Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", check.name());
            c.put("ok", check.ok());
            c.put("detail", check.detail());
            checks.add(c);
        }
        body.put("checks", checks);
        final List<Object> batches = new ArrayList<>();
        for (final BookFacts.BatchMismatch b : report.batches()) {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("terminalId", b.terminalId());
            m.put("batch", b.batch());
            m.put("terminalDebitCount", b.terminalDebitCount());
            m.put("terminalDebitAmount", b.terminalDebitAmount());
            m.put("terminalCreditCount", b.terminalCreditCount());
            m.put("terminalCreditAmount", b.terminalCreditAmount());
            m.put("ledgerDebitCount", b.ledgerDebitCount());
            m.put("ledgerDebitAmount", b.ledgerDebitAmount());
            m.put("ledgerCreditCount", b.ledgerCreditCount());
            m.put("ledgerCreditAmount", b.ledgerCreditAmount());
            batches.add(m);
        }
        body.put("batches", batches);
        return body;
    }
}
