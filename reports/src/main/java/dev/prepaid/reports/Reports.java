package dev.prepaid.reports;

import dev.prepaid.clearing.daily.CardMeasure;
import dev.prepaid.clearing.daily.CardRow;
import dev.prepaid.clearing.daily.DayFigures;
import dev.prepaid.clearing.daily.Measure;
import dev.prepaid.clearing.daily.Row;
import dev.prepaid.command.Reason;
import dev.prepaid.reports.Column.Type;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Builds a report's {@link Table} from the daily figures of the days of its range (never from the journal): the rows
 * of the days summed per merchant, terminal, deployer or card type, per day or month as the kind says, filtered by
 * merchant or terminal. Exact: every amount is a sum of fen ({@link Math#addExact}); rates are rounded half-up to two
 * decimals from summed counts.
 *
 * <p>A terminal filter on a merchant report counts only that terminal's rows, under its merchant; the merchant's
 * periodic fees and adjustments, which belong to no terminal, are then not in it.
 */
public final class Reports {
    /** A transaction type: what it counts and, when it moves money, its amount. */
    record TxType(String key, String title, Measure count, Measure amount) {
    }

    static final List<TxType> TYPES = List.of(
            new TxType("purchase", "Purchase", Measure.PURCHASES, Measure.PURCHASE_AMOUNT),
            new TxType("void", "Void", Measure.VOIDS, Measure.VOID_AMOUNT),
            new TxType("reversal", "Reversal", Measure.REVERSALS, Measure.REVERSAL_AMOUNT),
            new TxType("recharge", "Recharge", Measure.RECHARGES, Measure.RECHARGE_AMOUNT),
            new TxType("refund", "Refund", Measure.REFUNDS, Measure.REFUND_AMOUNT),
            new TxType("preauth", "Pre-authorisation", Measure.PREAUTHS, Measure.PREAUTH_AMOUNT),
            new TxType("completion", "Completion", Measure.COMPLETIONS, Measure.COMPLETION_AMOUNT),
            new TxType("preauthCancel", "Pre-authorisation cancel", Measure.PREAUTH_CANCELS, null),
            new TxType("balanceInquiry", "Balance inquiry", Measure.BALANCE_INQUIRIES, null));

    private Reports() {
    }

    /** The approved requests a row counts: every transaction type's count. */
    public static long approved(final Row row) {
        long n = 0;
        for (final TxType t : TYPES) {
            n = Math.addExact(n, row.get(t.count));
        }
        return n;
    }

    /** {@code part} of {@code whole} in percent, two decimals half-up; null when {@code whole} is 0. */
    public static BigDecimal percent(final long part, final long whole) {
        if (whole == 0) {
            return null;
        }
        return BigDecimal.valueOf(part).multiply(BigDecimal.valueOf(100)).divide(BigDecimal.valueOf(whole), 2,
                RoundingMode.HALF_UP);
    }

    /**
     * The report of {@code kind} over {@code range} for {@code filter}, from the figures of the range's days that are
     * stored ({@code days}, any order; days outside the range are not counted). The range's days with no figures are
     * named in the table's missing days.
     */
    public static Table build(final ReportKind kind, final DateRange range, final Filter filter, final List<DayFigures> days) {
        if (!kind.perMerchant() && !filter.none()) {
            throw new ReportException(filter.merchant() != null ? "merchant" : "terminal", kind.key()
                    + " is counted per card type for the whole switch; it takes no merchant or terminal filter");
        }
        final List<DayFigures> inRange = new ArrayList<>();
        final Set<Integer> present = new HashSet<>();
        for (final DayFigures day : days) {
            if (day.date() >= range.from() && day.date() <= range.to() && present.add(day.date())) {
                inRange.add(day);
            }
        }
        inRange.sort(Comparator.comparingInt(DayFigures::date));
        final List<Integer> missing = new ArrayList<>();
        for (final int d : range.days()) {
            if (!present.contains(d)) {
                missing.add(d);
            }
        }
        final Builder b = new Builder(kind, range, filter, missing);
        switch (kind) {
            case MERCHANT_SUMMARY -> b.entities(inRange, List.of(new Column("merchant", "Merchant", Type.TEXT)),
                    day -> merchantRows(day, filter), (row, period) -> List.of(row.id()));
            case MERCHANT_DAILY -> b.periods(inRange, DayFigures::date, List.of(new Column("date", "Date", Type.TEXT),
                    new Column("merchant", "Merchant", Type.TEXT)), day -> merchantRows(day, filter),
                    (row, period) -> List.of(DateRange.iso(period), row.id()));
            case MERCHANT_MONTHLY -> b.periods(inRange, day -> Table.monthOf(day.date()), List.of(
                    new Column("month", "Month", Type.TEXT), new Column("merchant", "Merchant", Type.TEXT)),
                    day -> merchantRows(day, filter), (row, period) -> List.of(Table.month(period), row.id()));
            case TERMINAL_SUMMARY -> b.entities(inRange, terminalColumns(false), day -> terminalRows(day, filter),
                    (row, period) -> List.of(row.id(), row.merchantId(), row.deployer()));
            case TERMINAL_DAILY -> b.periods(inRange, DayFigures::date, terminalColumns(true),
                    day -> terminalRows(day, filter),
                    (row, period) -> List.of(DateRange.iso(period), row.id(), row.merchantId(), row.deployer()));
            case TRANSACTION_TYPES -> b.transactionTypes(total(inRange, day -> merchantRows(day, filter)));
            case SUCCESS_RATES -> b.successRates(DayFigures.sum(inRange, day -> merchantRows(day, filter)));
            case DECLINE_REASONS -> b.declineReasons(total(inRange, day -> merchantRows(day, filter)));
            case FEES -> b.fees(DayFigures.sum(inRange, day -> merchantRows(day, filter)));
            case DEPLOYER_SHARES -> b.deployerShares(inRange, filter);
            case POINTS -> b.points(DayFigures.sum(inRange, day -> merchantRows(day, filter)));
            case CARD_ISSUANCE -> b.cards(inRange, DayFigures::date, new Column("date", "Date", Type.TEXT),
                    DateRange::iso);
            case CARD_ISSUANCE_MONTHLY -> b.cards(inRange, day -> Table.monthOf(day.date()),
                    new Column("month", "Month", Type.TEXT), Table::month);
        }
        return b.table();
    }

    private static List<Column> terminalColumns(final boolean daily) {
        final List<Column> c = new ArrayList<>();
        if (daily) {
            c.add(new Column("date", "Date", Type.TEXT));
        }
        c.add(new Column("terminal", "Terminal", Type.TEXT));
        c.add(new Column("merchant", "Merchant", Type.TEXT));
        c.add(new Column("deployer", "Deployer", Type.TEXT));
        return c;
    }

    /** A day's rows per merchant under the filter (a terminal filter: that terminal's rows, as its merchant's). */
    static List<Row> merchantRows(final DayFigures day, final Filter filter) {
        if (filter.terminal() == null) {
            if (filter.merchant() == null) {
                return day.merchants();
            }
            final Row row = day.merchant(filter.merchant());
            return row == null ? List.of() : List.of(row);
        }
        final List<Row> out = new ArrayList<>();
        for (final Row t : terminalRows(day, filter)) {
            final Row m = new Row(t.merchantId(), "", "");
            m.addAll(t);
            out.add(m);
        }
        return out;
    }

    static List<Row> terminalRows(final DayFigures day, final Filter filter) {
        if (filter.none()) {
            return day.terminals();
        }
        final List<Row> out = new ArrayList<>();
        for (final Row t : day.terminals()) {
            if ((filter.merchant() == null || t.merchantId().equals(filter.merchant()))
                    && (filter.terminal() == null || t.id().equals(filter.terminal()))) {
                out.add(t);
            }
        }
        return out;
    }

    private static Row total(final List<DayFigures> days, final Function<DayFigures, List<Row>> rows) {
        final Row total = new Row("total", "", "");
        for (final DayFigures day : days) {
            for (final Row row : rows.apply(day)) {
                total.addAll(row);
            }
        }
        return total;
    }

    /** The activity columns of merchant and terminal reports, after their naming columns. */
    static final List<Column> ACTIVITY = List.of(
            new Column("purchases", "Purchases", Type.COUNT),
            new Column("purchaseAmount", "Purchase amount", Type.FEN),
            new Column("completions", "Completions", Type.COUNT),
            new Column("completionAmount", "Completion amount", Type.FEN),
            new Column("refunds", "Refunds", Type.COUNT),
            new Column("refundAmount", "Refund amount", Type.FEN),
            new Column("recharges", "Recharges", Type.COUNT),
            new Column("rechargeAmount", "Recharge amount", Type.FEN),
            new Column("rechargeCommission", "Recharge commission", Type.FEN),
            new Column("voids", "Voids", Type.COUNT),
            new Column("voidAmount", "Void amount", Type.FEN),
            new Column("reversals", "Reversals", Type.COUNT),
            new Column("reversalAmount", "Reversal amount", Type.FEN),
            new Column("preauths", "Pre-authorisations", Type.COUNT),
            new Column("preauthAmount", "Pre-authorisation amount", Type.FEN),
            new Column("declines", "Declines", Type.COUNT),
            new Column("successRate", "Success %", Type.PERCENT),
            new Column("fees", "Fees", Type.FEN),
            new Column("periodicFees", "Periodic fees", Type.FEN),
            new Column("deployerShare", "Deployer share", Type.FEN),
            new Column("discounts", "Discounts", Type.FEN),
            new Column("points", "Points", Type.COUNT),
            new Column("adjustments", "Adjustments", Type.FEN),
            new Column("net", "Net", Type.FEN));

    private static final Measure[] ACTIVITY_MEASURES = {Measure.PURCHASES, Measure.PURCHASE_AMOUNT, Measure.COMPLETIONS,
        Measure.COMPLETION_AMOUNT, Measure.REFUNDS, Measure.REFUND_AMOUNT, Measure.RECHARGES, Measure.RECHARGE_AMOUNT,
        Measure.RECHARGE_COMMISSION, Measure.VOIDS, Measure.VOID_AMOUNT, Measure.REVERSALS, Measure.REVERSAL_AMOUNT, Measure.PREAUTHS,
        Measure.PREAUTH_AMOUNT, Measure.DECLINES, null, Measure.FEES, Measure.PERIODIC_FEES, Measure.DEPLOYER_SHARE,
        Measure.DISCOUNTS, Measure.POINTS, Measure.ADJUSTMENTS, Measure.NET};

    static List<Object> activity(final Row row) {
        final List<Object> cells = new ArrayList<>(ACTIVITY_MEASURES.length);
        for (final Measure m : ACTIVITY_MEASURES) {
            if (m == null) {
                final long approved = approved(row);
                cells.add(percent(approved, Math.addExact(approved, row.get(Measure.DECLINES))));
            } else {
                cells.add(row.get(m));
            }
        }
        return cells;
    }

    static String reasonName(final int code) {
        final Reason reason = Reason.ofCode(code);
        return reason == null ? "code " + code : reason.name();
    }

    /** Accumulates a table's rows and totals. */
    private static final class Builder {
        private final ReportKind kind;
        private final DateRange range;
        private final Filter filter;
        private final List<Integer> missing;
        private final List<Column> columns = new ArrayList<>();
        private final List<List<Object>> rows = new ArrayList<>();
        private final List<Object> totals = new ArrayList<>();

        Builder(final ReportKind kind, final DateRange range, final Filter filter, final List<Integer> missing) {
            this.kind = kind;
            this.range = range;
            this.filter = filter;
            this.missing = missing;
        }

        Table table() {
            return new Table(kind, range, filter, columns, rows, totals, missing);
        }

        private void totalsLabel(final int namingColumns) {
            totals.add("Total");
            for (int i = 1; i < namingColumns; i++) {
                totals.add(null);
            }
        }

        /** One row per entity over the whole range. */
        void entities(final List<DayFigures> days, final List<Column> naming, final Function<DayFigures, List<Row>> source,
                final Naming names) {
            columns.addAll(naming);
            columns.addAll(ACTIVITY);
            final Row total = new Row("total", "", "");
            for (final Row row : DayFigures.sum(days, source)) {
                final List<Object> cells = new ArrayList<>(names.cells(row, 0));
                cells.addAll(activity(row));
                rows.add(cells);
                total.addAll(row);
            }
            totalsLabel(naming.size());
            totals.addAll(activity(total));
        }

        /** One row per period (day or month) and entity, periods ascending, entities by id within each. */
        void periods(final List<DayFigures> days, final Function<DayFigures, Integer> periodOf, final List<Column> naming,
                final Function<DayFigures, List<Row>> source, final Naming names) {
            columns.addAll(naming);
            columns.addAll(ACTIVITY);
            final Map<Integer, List<DayFigures>> byPeriod = new TreeMap<>();
            for (final DayFigures day : days) {
                byPeriod.computeIfAbsent(periodOf.apply(day), p -> new ArrayList<>()).add(day);
            }
            final Row total = new Row("total", "", "");
            for (final Map.Entry<Integer, List<DayFigures>> period : byPeriod.entrySet()) {
                for (final Row row : DayFigures.sum(period.getValue(), source)) {
                    final List<Object> cells = new ArrayList<>(names.cells(row, period.getKey()));
                    cells.addAll(activity(row));
                    rows.add(cells);
                    total.addAll(row);
                }
            }
            totalsLabel(naming.size());
            totals.addAll(activity(total));
        }

        void transactionTypes(final Row total) {
            columns.add(new Column("type", "Transaction type", Type.TEXT));
            columns.add(new Column("count", "Count", Type.COUNT));
            columns.add(new Column("amount", "Amount", Type.FEN));
            long count = 0;
            for (final TxType t : TYPES) {
                final List<Object> cells = new ArrayList<>();
                cells.add(t.title);
                cells.add(total.get(t.count));
                cells.add(t.amount == null ? null : total.get(t.amount));
                rows.add(cells);
                count = Math.addExact(count, total.get(t.count));
            }
            // the amounts of different types are not added: a void undoes a purchase, a recharge is not a sale
            totals.add("Total");
            totals.add(count);
            totals.add(null);
        }

        void successRates(final List<Row> merchants) {
            columns.add(new Column("merchant", "Merchant", Type.TEXT));
            columns.add(new Column("attempts", "Requests", Type.COUNT));
            columns.add(new Column("approved", "Approved", Type.COUNT));
            columns.add(new Column("declined", "Declined", Type.COUNT));
            columns.add(new Column("successRate", "Success %", Type.PERCENT));
            columns.add(new Column("failureRate", "Failure %", Type.PERCENT));
            columns.add(new Column("topReason", "Top decline reason", Type.TEXT));
            columns.add(new Column("topReasonCount", "Top reason count", Type.COUNT));
            final Row total = new Row("Total", "", "");
            for (final Row row : merchants) {
                rows.add(rates(row, row.id()));
                total.addAll(row);
            }
            totals.addAll(rates(total, "Total"));
        }

        private static List<Object> rates(final Row row, final String name) {
            final long approved = approved(row);
            final long declined = row.get(Measure.DECLINES);
            final long attempts = Math.addExact(approved, declined);
            int topCode = -1;
            long topCount = 0;
            for (final Map.Entry<Integer, Integer> e : row.declinesByReason().entrySet()) {
                if (e.getValue() > topCount) {
                    topCode = e.getKey();
                    topCount = e.getValue();
                }
            }
            final List<Object> cells = new ArrayList<>();
            cells.add(name);
            cells.add(attempts);
            cells.add(approved);
            cells.add(declined);
            cells.add(percent(approved, attempts));
            cells.add(percent(declined, attempts));
            cells.add(topCode < 0 ? null : reasonName(topCode));
            cells.add(topCode < 0 ? null : topCount);
            return cells;
        }

        void declineReasons(final Row total) {
            columns.add(new Column("code", "Code", Type.TEXT));
            columns.add(new Column("reason", "Reason", Type.TEXT));
            columns.add(new Column("declines", "Declines", Type.COUNT));
            columns.add(new Column("share", "Share of declines %", Type.PERCENT));
            final List<Map.Entry<Integer, Integer>> reasons = new ArrayList<>(total.declinesByReason().entrySet());
            // most frequent first; equal counts by code, so the order is the same every time
            reasons.sort(Comparator.<Map.Entry<Integer, Integer>>comparingLong(e -> -e.getValue())
                    .thenComparing(Map.Entry::getKey));
            long sum = 0;
            for (final Map.Entry<Integer, Integer> e : reasons) {
                sum = Math.addExact(sum, e.getValue());
            }
            for (final Map.Entry<Integer, Integer> e : reasons) {
                rows.add(List.of(Integer.toString(e.getKey()), reasonName(e.getKey()), (long) e.getValue(),
                        percent(e.getValue(), sum)));
            }
            totals.add("Total");
            totals.add(null);
            totals.add(sum);
            totals.add(percent(sum, sum));
        }

        void fees(final List<Row> merchants) {
            columns.add(new Column("merchant", "Merchant", Type.TEXT));
            columns.add(new Column("fees", "Transaction fees", Type.FEN));
            columns.add(new Column("periodicFees", "Periodic fees", Type.FEN));
            columns.add(new Column("totalFees", "Fee income", Type.FEN));
            columns.add(new Column("deployerShare", "Deployer share", Type.FEN));
            columns.add(new Column("feesAfterShare", "Fee income after shares", Type.FEN));
            final Row total = new Row("Total", "", "");
            for (final Row row : merchants) {
                rows.add(feeCells(row, row.id()));
                total.addAll(row);
            }
            totals.addAll(feeCells(total, "Total"));
        }

        private static List<Object> feeCells(final Row row, final String name) {
            final long all = Math.addExact(row.get(Measure.FEES), row.get(Measure.PERIODIC_FEES));
            return List.of(name, row.get(Measure.FEES), row.get(Measure.PERIODIC_FEES), all,
                    row.get(Measure.DEPLOYER_SHARE), Math.subtractExact(all, row.get(Measure.DEPLOYER_SHARE)));
        }

        /** Per deployer, from the terminals' rows (so a merchant or terminal filter applies): their fees and shares. */
        void deployerShares(final List<DayFigures> days, final Filter filter) {
            columns.add(new Column("deployer", "Deployer", Type.TEXT));
            columns.add(new Column("terminals", "Terminals", Type.COUNT));
            columns.add(new Column("purchaseAmount", "Purchase amount", Type.FEN));
            columns.add(new Column("fees", "Fees of their terminals", Type.FEN));
            columns.add(new Column("deployerShare", "Deployer share", Type.FEN));
            final Map<String, Row> byDeployer = new TreeMap<>();
            final Map<String, Set<String>> terminals = new TreeMap<>();
            for (final DayFigures day : days) {
                for (final Row t : terminalRows(day, filter)) {
                    if (t.deployer().isEmpty()) {
                        continue;
                    }
                    byDeployer.computeIfAbsent(t.deployer(), d -> new Row(d, "", "")).addAll(t);
                    terminals.computeIfAbsent(t.deployer(), d -> new HashSet<>()).add(t.id());
                }
            }
            final Row total = new Row("Total", "", "");
            final Set<String> allTerminals = new HashSet<>();
            for (final Map.Entry<String, Row> e : byDeployer.entrySet()) {
                final Row row = e.getValue();
                rows.add(List.of(e.getKey(), (long) terminals.get(e.getKey()).size(), row.get(Measure.PURCHASE_AMOUNT),
                        row.get(Measure.FEES), row.get(Measure.DEPLOYER_SHARE)));
                total.addAll(row);
                allTerminals.addAll(terminals.get(e.getKey()));
            }
            totals.addAll(List.of("Total", (long) allTerminals.size(), total.get(Measure.PURCHASE_AMOUNT),
                    total.get(Measure.FEES), total.get(Measure.DEPLOYER_SHARE)));
        }

        void points(final List<Row> merchants) {
            columns.add(new Column("merchant", "Merchant", Type.TEXT));
            columns.add(new Column("purchases", "Purchases", Type.COUNT));
            columns.add(new Column("purchaseAmount", "Purchase amount", Type.FEN));
            columns.add(new Column("discounts", "Discounts", Type.FEN));
            columns.add(new Column("points", "Points", Type.COUNT));
            final Row total = new Row("Total", "", "");
            for (final Row row : merchants) {
                rows.add(List.of(row.id(), row.get(Measure.PURCHASES), row.get(Measure.PURCHASE_AMOUNT),
                        row.get(Measure.DISCOUNTS), row.get(Measure.POINTS)));
                total.addAll(row);
            }
            totals.addAll(List.of("Total", total.get(Measure.PURCHASES), total.get(Measure.PURCHASE_AMOUNT),
                    total.get(Measure.DISCOUNTS), total.get(Measure.POINTS)));
        }

        private static final CardMeasure[] CARD_MEASURES = CardMeasure.values();

        void cards(final List<DayFigures> days, final Function<DayFigures, Integer> periodOf, final Column period,
                final java.util.function.IntFunction<String> periodName) {
            columns.add(period);
            columns.add(new Column("cardType", "Card type", Type.TEXT));
            columns.add(new Column("cardsSold", "Cards sold", Type.COUNT));
            columns.add(new Column("faceValue", "Face value", Type.FEN));
            columns.add(new Column("deposits", "Deposits", Type.FEN));
            columns.add(new Column("counterRecharges", "Counter recharges", Type.COUNT));
            columns.add(new Column("counterRechargeAmount", "Counter recharge amount", Type.FEN));
            columns.add(new Column("posRecharges", "POS recharges", Type.COUNT));
            columns.add(new Column("posRechargeAmount", "POS recharge amount", Type.FEN));
            columns.add(new Column("issuancesCancelled", "Issuances cancelled", Type.COUNT));
            columns.add(new Column("cancelledValue", "Cancelled value", Type.FEN));
            final Map<Integer, Map<Integer, CardRow>> byPeriod = new TreeMap<>();
            for (final DayFigures day : days) {
                final Map<Integer, CardRow> types = byPeriod.computeIfAbsent(periodOf.apply(day), p -> new TreeMap<>());
                for (final CardRow row : day.cardTypes()) {
                    types.computeIfAbsent(row.cardType(), CardRow::new).addAll(row);
                }
            }
            final CardRow total = new CardRow(0);
            for (final Map.Entry<Integer, Map<Integer, CardRow>> p : byPeriod.entrySet()) {
                for (final CardRow row : p.getValue().values()) {
                    final List<Object> cells = new ArrayList<>();
                    cells.add(periodName.apply(p.getKey()));
                    cells.add(Integer.toString(row.cardType()));
                    for (final CardMeasure m : CARD_MEASURES) {
                        cells.add(row.get(m));
                    }
                    rows.add(cells);
                    total.addAll(row);
                }
            }
            totals.add("Total");
            totals.add(null);
            for (final CardMeasure m : CARD_MEASURES) {
                totals.add(total.get(m));
            }
        }
    }

    /** The naming cells of a row (its id, merchant, deployer, period...). */
    @FunctionalInterface
    interface Naming {
        List<Object> cells(Row row, int period);
    }
}
