package dev.prepaid.clearing.daily;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A business day's clearing figures, computed by replaying the day's journal through the ledger
 * ({@link DayClearing}): per merchant, per terminal, per deployer and per card type, in ascending order of their ids.
 * Read and written by {@link FiguresFile}; a month is the sum of its days ({@link #sum}).
 *
 * @param feesPosted what the closing cut-over posted as fees (its outcome), for reconciliation
 * @param commands commands of the day, the opening and closing cut-overs not counted
 * @param unattributedDeclines declined POS requests of terminals the ledger did not know
 */
public record DayFigures(DayBounds bounds, long feesPosted, long commands, long unattributedDeclines, List<Row> merchants,
        List<Row> terminals, List<Row> deployers, List<CardRow> cardTypes) {
    public DayFigures {
        merchants = List.copyOf(merchants);
        terminals = List.copyOf(terminals);
        deployers = List.copyOf(deployers);
        cardTypes = List.copyOf(cardTypes);
    }

    public int date() {
        return bounds.date();
    }

    public Row merchant(final String merchantId) {
        for (final Row row : merchants) {
            if (row.id().equals(merchantId)) {
                return row;
            }
        }
        return null;
    }

    public Row terminal(final String terminalId) {
        for (final Row row : terminals) {
            if (row.id().equals(terminalId)) {
                return row;
            }
        }
        return null;
    }

    /** The sum of one measure over every merchant. */
    public long total(final Measure m) {
        long sum = 0;
        for (final Row row : merchants) {
            sum = Math.addExact(sum, row.get(m));
        }
        return sum;
    }

    /** Only the rows of one merchant and its terminals (what a merchant's own user may see). */
    public DayFigures ofMerchant(final String merchantId) {
        final List<Row> m = new ArrayList<>();
        final List<Row> t = new ArrayList<>();
        for (final Row row : merchants) {
            if (row.id().equals(merchantId)) {
                m.add(row);
            }
        }
        for (final Row row : terminals) {
            if (row.merchantId().equals(merchantId)) {
                t.add(row);
            }
        }
        return new DayFigures(bounds, 0, 0, 0, m, t, List.of(), List.of());
    }

    /** Per id, the sum of the rows of several days, in id order: a period's figures. */
    public static List<Row> sum(final List<DayFigures> days, final java.util.function.Function<DayFigures, List<Row>> rows) {
        final Map<String, Row> byId = new TreeMap<>();
        for (final DayFigures day : days) {
            for (final Row row : rows.apply(day)) {
                byId.computeIfAbsent(row.id(), id -> new Row(id, row.merchantId(), row.deployer())).addAll(row);
            }
        }
        return new ArrayList<>(byId.values());
    }

    static List<Row> sorted(final List<Row> rows) {
        final List<Row> copy = new ArrayList<>(rows);
        copy.removeIf(Row::isEmpty);
        copy.sort(Comparator.comparing(Row::id));
        return Collections.unmodifiableList(copy);
    }
}
