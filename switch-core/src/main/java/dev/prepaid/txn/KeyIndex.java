package dev.prepaid.txn;

/**
 * Maps the (mixed) keys of the transaction log's records to their RRNs: an open-addressing table with
 * linear probing, key and value side by side in one cache line.
 *
 * <p>Records leave the log in RRN order, so instead of deleting each leaving record's key — a random
 * access per transaction — an entry whose RRN is older than the log's oldest counts as absent, and a
 * sweep walks the table sequentially, a few slots per insert, deleting such stale entries. The table has
 * four slots per record and the sweep passes over all of them every {@code capacity} inserts, so stale
 * entries never outnumber live ones and the table stays at most half full.
 */
final class KeyIndex {
    private static final int SWEEP_PER_INSERT = 4;

    private final long[] slots;
    private final int mask;
    private int sweep;

    KeyIndex(final int capacity) {
        final int slotCount = capacity * SWEEP_PER_INSERT;
        this.slots = new long[slotCount * 2];
        this.mask = slotCount - 1;
    }

    private int home(final long mixedKey) {
        return (int) mixedKey & mask;
    }

    /** The RRN stored for a key, or -1 when absent or stale. */
    long get(final long mixedKey, final long oldestRrn) {
        int i = home(mixedKey);
        while (true) {
            final long rrn = slots[2 * i + 1];
            if (rrn == 0) {
                return -1;
            }
            if (slots[2 * i] == mixedKey) {
                return rrn >= oldestRrn ? rrn : -1;
            }
            i = (i + 1) & mask;
        }
    }

    /** Stores a key's RRN (replacing a stale entry of the same key), then sweeps a few slots. */
    void put(final long mixedKey, final long rrn, final long oldestRrn) {
        int i = home(mixedKey);
        while (slots[2 * i + 1] != 0 && slots[2 * i] != mixedKey) {
            i = (i + 1) & mask;
        }
        slots[2 * i] = mixedKey;
        slots[2 * i + 1] = rrn;
        sweep(SWEEP_PER_INSERT, oldestRrn);
    }

    private void sweep(final int count, final long oldestRrn) {
        int i = sweep;
        for (int n = 0; n < count; n++) {
            final long rrn = slots[2 * i + 1];
            if (rrn != 0 && rrn < oldestRrn) {
                delete(i);
                // A later entry may have been shifted into i: look at it again on the next step.
                continue;
            }
            i = (i + 1) & mask;
        }
        sweep = i;
    }

    /** Backward-shift deletion: keeps every remaining key reachable from its home slot. */
    private void delete(final int slot) {
        int hole = slot;
        int j = slot;
        while (true) {
            j = (j + 1) & mask;
            final long rrn = slots[2 * j + 1];
            if (rrn == 0) {
                break;
            }
            final int home = home(slots[2 * j]);
            final boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
            if (movable) {
                slots[2 * hole] = slots[2 * j];
                slots[2 * hole + 1] = rrn;
                hole = j;
            }
        }
        slots[2 * hole] = 0;
        slots[2 * hole + 1] = 0;
    }

    void clear() {
        java.util.Arrays.fill(slots, 0);
        sweep = 0;
    }
}
