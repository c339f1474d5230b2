package dev.prepaid.txn;

import org.agrona.collections.Long2LongHashMap;

/**
 * Pre-authorisation holds, found by the pre-authorisation's (terminal, batch, STAN) key. A hold stays
 * after it closes (completed, cancelled, expired, reversed) so a void or reversal of the closing
 * transaction can reopen it; closed holds are retired at the cut-over once older than the days kept.
 * Bounded: when every entry is in use, new pre-authorisations are declined.
 */
public final class HoldTable {
    public static final int FREE = 0;
    public static final int OPEN = 1;
    public static final int COMPLETED = 2;
    public static final int CANCELLED = 3;
    public static final int EXPIRED = 4;
    public static final int REVERSED = 5;

    private final int capacity;
    private final Long2LongHashMap indexByKey;
    private final long[] key;
    private final byte[] state;
    private final int[] card;
    private final int[] terminal;
    private final long[] amount;
    private final int[] authCode;
    private final long[] preauthRrn;
    private final long[] closingRrn;
    private final long[] expiresAtMillis;
    private final int[] closedDay;
    private final int[] freeList;
    private int freeCount;
    private int openCount;

    public HoldTable(final int capacity) {
        this.capacity = capacity;
        this.indexByKey = new Long2LongHashMap(capacity * 2, 0.5f, -1);
        key = new long[capacity];
        state = new byte[capacity];
        card = new int[capacity];
        terminal = new int[capacity];
        amount = new long[capacity];
        authCode = new int[capacity];
        preauthRrn = new long[capacity];
        closingRrn = new long[capacity];
        expiresAtMillis = new long[capacity];
        closedDay = new int[capacity];
        freeList = new int[capacity];
        resetFreeList();
    }

    private void resetFreeList() {
        freeCount = capacity;
        for (int i = 0; i < capacity; i++) {
            freeList[i] = capacity - 1 - i;
        }
    }

    public int capacity() {
        return capacity;
    }

    public boolean full() {
        return freeCount == 0;
    }

    public int openCount() {
        return openCount;
    }

    public int find(final long holdKey) {
        return (int) indexByKey.get(KeyMix.mix(holdKey));
    }

    public int open(final long holdKey, final int cardIndex, final int terminalIndex, final long holdAmount,
            final int auth, final long rrn, final long expiresAt) {
        if (freeCount == 0) {
            throw new IllegalStateException("hold table full");
        }
        final int i = freeList[--freeCount];
        key[i] = holdKey;
        state[i] = OPEN;
        card[i] = cardIndex;
        terminal[i] = terminalIndex;
        amount[i] = holdAmount;
        authCode[i] = auth;
        preauthRrn[i] = rrn;
        closingRrn[i] = 0;
        expiresAtMillis[i] = expiresAt;
        closedDay[i] = 0;
        indexByKey.put(KeyMix.mix(holdKey), i);
        openCount++;
        return i;
    }

    public void close(final int i, final int newState, final long rrn, final int day) {
        if (state[i] == OPEN) {
            openCount--;
        }
        state[i] = (byte) newState;
        closingRrn[i] = rrn;
        closedDay[i] = day;
    }

    public void reopen(final int i) {
        if (state[i] != OPEN) {
            openCount++;
        }
        state[i] = OPEN;
        closingRrn[i] = 0;
        closedDay[i] = 0;
    }

    /** Frees closed holds closed before {@code firstKeptDay}, in index order. */
    public void retireClosedBefore(final int firstKeptDay) {
        for (int i = 0; i < capacity; i++) {
            if (state[i] != FREE && state[i] != OPEN && closedDay[i] < firstKeptDay) {
                indexByKey.remove(KeyMix.mix(key[i]));
                state[i] = FREE;
                freeList[freeCount++] = i;
            }
        }
    }

    public int state(final int i) {
        return state[i];
    }

    public long key(final int i) {
        return key[i];
    }

    public int card(final int i) {
        return card[i];
    }

    public void card(final int i, final int cardIndex) {
        card[i] = cardIndex;
    }

    public int terminal(final int i) {
        return terminal[i];
    }

    public long amount(final int i) {
        return amount[i];
    }

    public int authCode(final int i) {
        return authCode[i];
    }

    public long preauthRrn(final int i) {
        return preauthRrn[i];
    }

    public long closingRrn(final int i) {
        return closingRrn[i];
    }

    public long expiresAtMillis(final int i) {
        return expiresAtMillis[i];
    }

    public void writeTo(final dev.prepaid.state.StateWriter out) {
        out.i32(capacity - freeCount);
        for (int i = 0; i < capacity; i++) {
            if (state[i] != FREE) {
                out.i32(i);
                out.i64(key[i]);
                out.i8(state[i]);
                out.i32(card[i]);
                out.i32(terminal[i]);
                out.i64(amount[i]);
                out.i32(authCode[i]);
                out.i64(preauthRrn[i]);
                out.i64(closingRrn[i]);
                out.i64(expiresAtMillis[i]);
                out.i32(closedDay[i]);
            }
        }
        for (int i = 0; i < freeCount; i++) {
            out.i32(freeList[i]);
        }
    }

    public void readFrom(final dev.prepaid.state.StateReader in) {
        final int used = in.i32();
        if (used > capacity) {
            throw new IllegalStateException("snapshot has " + used + " holds; the configured capacity is " + capacity);
        }
        indexByKey.clear();
        java.util.Arrays.fill(state, (byte) FREE);
        openCount = 0;
        for (int n = 0; n < used; n++) {
            final int i = in.i32();
            key[i] = in.i64();
            state[i] = in.i8();
            card[i] = in.i32();
            terminal[i] = in.i32();
            amount[i] = in.i64();
            authCode[i] = in.i32();
            preauthRrn[i] = in.i64();
            closingRrn[i] = in.i64();
            expiresAtMillis[i] = in.i64();
            closedDay[i] = in.i32();
            indexByKey.put(KeyMix.mix(key[i]), i);
            if (state[i] == OPEN) {
                openCount++;
            }
        }
        freeCount = capacity - used;
        for (int i = 0; i < freeCount; i++) {
            freeList[i] = in.i32();
        }
    }
}
