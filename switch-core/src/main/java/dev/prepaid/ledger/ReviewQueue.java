package dev.prepaid.ledger;

import dev.prepaid.state.StateReader;
import dev.prepaid.state.StateWriter;

/**
 * Transactions and sales flagged as suspicious, for an operator to review (domain rules: flagged without
 * blocking unless configured). A ring: the newest {@code capacity} entries are kept; the journal keeps all.
 *
 * <p>Each entry has an id, its position among all entries ever written counted from 1 (stable: an entry keeps
 * its id until the ring overwrites it), and a state: {@link State#OPEN} until an operator confirms it
 * ({@code CONFIRM_FLAG}) or clears it ({@code CLEAR_FLAG}), with the deciding operator and business day. The
 * entries themselves are section 7 of the state, as before decisions existed; the decisions are their own
 * section, written only while a kept entry has one (so a state without decisions has the bytes it always had).
 */
public final class ReviewQueue {
    /** What an entry refers to. */
    public static final int POS_TRANSACTION = 1;
    public static final int COUNTER_SALE = 2;

    /** Where an entry stands. Stored by {@link #code}. */
    public enum State {
        OPEN(0),
        /** Confirmed as fraud or suspicious. */
        CONFIRMED(1),
        /** Cleared: a false alarm. */
        CLEARED(2);

        public final int code;

        State(final int code) {
            this.code = code;
        }

        public static State ofCode(final int code) {
            for (final State state : values()) {
                if (state.code == code) {
                    return state;
                }
            }
            return null;
        }
    }

    private final int capacity;
    private final int[] day;
    private final int[] source;
    private final long[] reference;
    private final int[] flags;
    private final byte[] state;
    private final int[] decidedBy;
    private final int[] decidedDay;
    private long written;

    public ReviewQueue(final int capacity) {
        this.capacity = capacity;
        this.day = new int[capacity];
        this.source = new int[capacity];
        this.reference = new long[capacity];
        this.flags = new int[capacity];
        this.state = new byte[capacity];
        this.decidedBy = new int[capacity];
        this.decidedDay = new int[capacity];
    }

    /** Adds an open entry (on the POS path: allocation-free); its id is {@link #written()} afterwards. */
    public void add(final int businessDay, final int sourceKind, final long ref, final int riskFlags) {
        final int slot = (int) (written % capacity);
        day[slot] = businessDay;
        source[slot] = sourceKind;
        reference[slot] = ref;
        flags[slot] = riskFlags;
        state[slot] = (byte) State.OPEN.code;
        decidedBy[slot] = 0;
        decidedDay[slot] = 0;
        written++;
    }

    /** The id of the i-th oldest kept entry. */
    public long id(final int i) {
        return written - size() + i + 1;
    }

    /** The index (i-th oldest) of the kept entry with this id, or -1: never written, or overwritten since. */
    public int indexOf(final long id) {
        final long first = written - size() + 1;
        return id < first || id > written ? -1 : (int) (id - first);
    }

    public State state(final int i) {
        return State.ofCode(state[slot(i)]);
    }

    /** The operator (index in the operator table, -1 for the switch) who decided the entry. */
    public int decidedBy(final int i) {
        return decidedBy[slot(i)];
    }

    /** The business day (epoch day) the entry was decided on, 0 while it is open. */
    public int decidedDay(final int i) {
        return decidedDay[slot(i)];
    }

    void decide(final int i, final State decision, final int operatorIndex, final int businessDay) {
        final int s = slot(i);
        state[s] = (byte) decision.code;
        decidedBy[s] = operatorIndex;
        decidedDay[s] = businessDay;
    }

    /** Whether a kept entry was decided: the decisions section is then part of the state. */
    boolean anyDecision() {
        final int n = size();
        for (int i = 0; i < n; i++) {
            if (state[slot(i)] != State.OPEN.code) {
                return true;
            }
        }
        return false;
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

    /** The decisions of the kept entries: their count, then each decided entry's id, state, operator and day. */
    void writeDecisionsTo(final StateWriter out) {
        final int n = size();
        int decided = 0;
        for (int i = 0; i < n; i++) {
            decided += state[slot(i)] != State.OPEN.code ? 1 : 0;
        }
        out.i32(decided);
        for (int i = 0; i < n; i++) {
            final int s = slot(i);
            if (state[s] != State.OPEN.code) {
                out.i64(id(i));
                out.i8(state[s]);
                out.i32(decidedBy[s]);
                out.i32(decidedDay[s]);
            }
        }
    }

    void readDecisionsFrom(final StateReader in) {
        for (int k = in.i32(); k > 0; k--) {
            final long id = in.i64();
            final int i = indexOf(id);
            final State decision = State.ofCode(in.i8());
            if (i < 0 || decision == null || decision == State.OPEN) {
                throw new IllegalStateException("state corrupt: decision of review entry " + id + " (kept: "
                        + (written - size() + 1) + " to " + written + ")");
            }
            decide(i, decision, in.i32(), in.i32());
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
