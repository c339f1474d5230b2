package dev.prepaid.clearing.daily;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.agrona.collections.Int2IntCounterMap;

/**
 * One line of a day's figures: a merchant, a terminal or a deployer, with a value per {@link Measure} and its declines
 * by reason code. A terminal's row also names its merchant and deployer, as the ledger knew them that day.
 */
public final class Row {
    private final String id;
    private final String merchantId;
    private final String deployer;
    private final long[] values = new long[Measure.COUNT];
    private Int2IntCounterMap declines;

    public Row(final String id, final String merchantId, final String deployer) {
        this.id = id;
        this.merchantId = merchantId;
        this.deployer = deployer;
    }

    public String id() {
        return id;
    }

    /** The terminal's merchant ("" for a merchant's or deployer's row). */
    public String merchantId() {
        return merchantId;
    }

    /** The terminal's deployer code ("" for none, and for a merchant's or deployer's row). */
    public String deployer() {
        return deployer;
    }

    public long get(final Measure m) {
        return values[m.ordinal()];
    }

    void add(final Measure m, final long fen) {
        values[m.ordinal()] = Math.addExact(values[m.ordinal()], fen);
    }

    void set(final Measure m, final long value) {
        values[m.ordinal()] = value;
    }

    void decline(final int reasonCode, final int count) {
        if (declines == null) {
            declines = new Int2IntCounterMap(8, 0.6f, 0);
        }
        declines.getAndAdd(reasonCode, count);
        add(Measure.DECLINES, count);
    }

    /** Declines by reason code (the ledger's {@code Reason} codes), ascending; empty when none. */
    public Map<Integer, Integer> declinesByReason() {
        final TreeMap<Integer, Integer> sorted = new TreeMap<>();
        if (declines != null) {
            declines.forEach((code, count) -> sorted.put(code, count));
        }
        return sorted;
    }

    /** Adds another row's values and declines to this one (a month is the sum of its days). */
    public void addAll(final Row other) {
        for (final Measure m : Measure.values()) {
            add(m, other.get(m));
        }
        for (final Map.Entry<Integer, Integer> e : other.declinesByReason().entrySet()) {
            if (declines == null) {
                declines = new Int2IntCounterMap(8, 0.6f, 0);
            }
            declines.getAndAdd(e.getKey(), e.getValue());
        }
    }

    /** Whether the row counts anything at all. */
    public boolean isEmpty() {
        for (final long v : values) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }

    long[] valuesView() {
        return values;
    }

    @Override
    public String toString() {
        return id + " " + Arrays.toString(values) + " " + declinesByReason();
    }
}
