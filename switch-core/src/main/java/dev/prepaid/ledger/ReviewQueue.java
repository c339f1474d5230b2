package dev.prepaid.ledger;

import dev.prepaid.state.StateReader;
import dev.prepaid.state.StateWriter;

/**
 * Transactions and sales flagged as suspicious, for an operator to review (domain rules: flagged without
 * blocking unless configured). A ring: the newest {@code capacity} entries are kept; the journal keeps all.
 */
public final class ReviewQueue {
    /** What an entry refers to. */
    public static final int POS_TRANSACTION = 1;
    public static final int COUNTER_SALE = 2;

    private final int capacity;
    private final int[] day;
    private final int[] source;
    private final long[] reference;
    private final int[] flags;
    private long written;

    public ReviewQueue(final int capacity) {
        this.capacity = capacity;
        this.day = new int[capacity];
        this.source = new int[capacity];
        this.reference = new long[capacity];
        this.flags = new int[capacity];
    }

    public void add(final int businessDay, final int sourceKind, final long ref, final int riskFlags) {
        final int slot = (int) (written % capacity);
        day[slot] = businessDay;
        source[slot] = sourceKind;
        reference[slot] = ref;
        flags[slot] = riskFlags;
        written++;
    }

    public long written() {
        return written;
    }

    public int size() {
        return (int) Math.min(written, capacity);
    }

    /** The i-th oldest kept entry's fields. */
    private int slot(final int i) {
        final long first = written - size();
        return (int) ((first + i) % capacity);
    }

    public int day(final int i) {
        return day[slot(i)];
    }

    public int source(final int i) {
        return source[slot(i)];
    }

    public long reference(final int i) {
        return reference[slot(i)];
    }

    public int flags(final int i) {
        return flags[slot(i)];
    }

    public void writeTo(final StateWriter out) {
        out.i64(written);
        final int n = size();
        for (int i = 0; i < n; i++) {
            out.i32(day(i));
            out.i32(source(i));
            out.i64(reference(i));
            out.i32(flags(i));
        }
    }

    public void readFrom(final StateReader in) {
        final long total = in.i64();
        final int n = (int) Math.min(total, capacity);
        final long first = total - n;
        for (int i = 0; i < n; i++) {
            final int slot = (int) ((first + i) % capacity);
            day[slot] = in.i32();
            source[slot] = in.i32();
            reference[slot] = in.i64();
            flags[slot] = in.i32();
        }
        written = total;
    }
}
