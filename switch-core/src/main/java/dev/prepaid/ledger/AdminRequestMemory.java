package dev.prepaid.ledger;

import dev.prepaid.command.Outcome;
import dev.prepaid.command.Reason;
import dev.prepaid.state.StateReader;
import dev.prepaid.state.StateWriter;
import org.agrona.collections.Long2LongHashMap;

/**
 * The answers to the last {@code capacity} admin requests, by client request id: a repeated request gets
 * its first answer — reason, values and risk flags, not the free-text detail, which is no part of the state
 * (a reworded message in a later build must not change what a snapshot holds); the same id with a different
 * command is refused.
 */
public final class AdminRequestMemory {
    private final int capacity;
    private final Long2LongHashMap slotById;
    private final long[] requestId;
    private final long[] contentHash;
    private final short[] reason;
    private final long[] value1;
    private final long[] value2;
    private final int[] riskFlags;
    private long written;

    public AdminRequestMemory(final int capacity) {
        this.capacity = capacity;
        this.slotById = new Long2LongHashMap(capacity * 2, 0.5f, -1);
        this.requestId = new long[capacity];
        this.contentHash = new long[capacity];
        this.reason = new short[capacity];
        this.value1 = new long[capacity];
        this.value2 = new long[capacity];
        this.riskFlags = new int[capacity];
    }

    /** The slot of a remembered request, or -1. */
    public int find(final long id) {
        return (int) slotById.get(id);
    }

    public boolean sameContent(final int slot, final long hash) {
        return contentHash[slot] == hash;
    }

    public void replay(final int slot, final Outcome out) {
        out.reason = Reason.ofCode(reason[slot]);
        out.value1 = value1[slot];
        out.value2 = value2[slot];
        out.riskFlags = riskFlags[slot];
        out.detail = out.reason.approved() ? null : "the first answer to request " + requestId[slot];
        out.duplicate = true;
    }

    public void remember(final long id, final long hash, final Outcome out) {
        final int slot = (int) (written % capacity);
        if (written >= capacity) {
            slotById.remove(requestId[slot]);
        }
        requestId[slot] = id;
        contentHash[slot] = hash;
        reason[slot] = (short) out.reason.code;
        value1[slot] = out.value1;
        value2[slot] = out.value2;
        riskFlags[slot] = out.riskFlags;
        slotById.put(id, slot);
        written++;
    }

    public void writeTo(final StateWriter out) {
        out.i64(written);
        final long first = Math.max(0, written - capacity);
        for (long n = first; n < written; n++) {
            final int slot = (int) (n % capacity);
            out.i64(requestId[slot]);
            out.i64(contentHash[slot]);
            out.i16(reason[slot]);
            out.i64(value1[slot]);
            out.i64(value2[slot]);
            out.i32(riskFlags[slot]);
        }
    }

    public void readFrom(final StateReader in) {
        written = in.i64();
        slotById.clear();
        final long first = Math.max(0, written - capacity);
        for (long n = first; n < written; n++) {
            final int slot = (int) (n % capacity);
            requestId[slot] = in.i64();
            contentHash[slot] = in.i64();
            reason[slot] = in.i16();
            value1[slot] = in.i64();
            value2[slot] = in.i64();
            riskFlags[slot] = in.i32();
            if (Reason.ofCode(reason[slot]) == null) {
                throw new IllegalStateException("state corrupt: request " + requestId[slot] + " remembers reason code "
                        + reason[slot] + ", which this build does not know");
            }
            slotById.put(requestId[slot], slot);
        }
    }
}
