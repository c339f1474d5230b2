package dev.prepaid.txn;

import dev.prepaid.command.PosKind;
import dev.prepaid.command.Reason;
import dev.prepaid.state.StateReader;
import dev.prepaid.state.StateWriter;
import java.nio.ByteOrder;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The recent POS transactions the ledger matches against: duplicates by (terminal, batch, STAN), voids and
 * reversals by the same key, refunds by RRN. A ring of {@code capacity} fixed 192-byte records off heap,
 * written as one sequential stream; the RRN is the record's sequence number, so the record of an RRN sits
 * at {@code rrn & mask} and needs no index. Records leave when the ring wraps or when they are older than
 * the days kept. Each record keeps what its response said, so a duplicate gets exactly the first answer.
 *
 * <p>Keys are found through hash buckets chained through the records themselves, newest first: a bucket
 * holds the RRN of its newest record, each record the RRN of the next older one in its bucket. A walk ends
 * at the first RRN older than the ring's oldest, so a record that leaves the ring leaves every chain with
 * it — no deletion, no sweeping, one random access for the bucket and rarely another for a record.
 *
 * <pre>
 *   0 i64 key             8 i64 PAN key        16 i64 amount         24 i64 card amount
 *  32 i64 discount       40 i64 fee           48 i64 deployer share 56 i64 points
 *  64 i64 points value   72 i64 available after 80 i64 ledger after 88 i64 linked RRN
 *  96 i32 terminal      100 i32 merchant     104 i32 card          108 i32 business day
 * 112 i64 RRN of the next older record in the same hash bucket (the batch is in the key)
 * 120 i32 auth code     124 i32 hold
 * 128 u8 kind  129 u8 state  130 u16 reason  132 i32 risk flags
 * 136 i64 refunded, then refunded card part, discount, fee, share, points, points value (to 191) —
 *     of a purchase or completion; a refund or recharge keeps at 136 the part booked to the merchant's
 *     receivable (1122) because its payable was short, so undoing it is the exact mirror
 * </pre>
 */
public final class TransactionLog {
    public static final int APPROVED = 1;
    public static final int VOIDED = 2;
    public static final int REVERSED = 4;
    /** A reversal arrived before its original; the original, if it comes, is declined. */
    public static final int TOMBSTONE = 8;
    /**
     * A recharge at a merchant whose contract settles recharges apart: its cash went to the merchant's recharge-cash
     * receivable, not against its payable (so undoing it takes it from there whatever the contract says by then).
     */
    public static final int CASH_APART = 16;

    public static final int RECORD_LENGTH = 192;
    private static final int SEGMENT_SHIFT = 16;
    private static final int SEGMENT_RECORDS = 1 << SEGMENT_SHIFT;
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private static final int KEY = 0;
    private static final int PAN_KEY = 8;
    private static final int AMOUNT = 16;
    private static final int CARD_AMOUNT = 24;
    private static final int DISCOUNT = 32;
    private static final int FEE = 40;
    private static final int SHARE = 48;
    private static final int POINTS = 56;
    private static final int POINTS_VALUE = 64;
    private static final int AVAILABLE_AFTER = 72;
    private static final int LEDGER_AFTER = 80;
    private static final int LINKED = 88;
    private static final int TERMINAL = 96;
    private static final int MERCHANT = 100;
    private static final int CARD = 104;
    private static final int DAY = 108;
    private static final int NEXT_IN_BUCKET = 112;
    private static final int AUTH_CODE = 120;
    private static final int HOLD = 124;
    private static final int KIND = 128;
    private static final int STATE = 129;
    private static final int REASON = 130;
    private static final int RISK_FLAGS = 132;
    private static final int BUCKETS_PER_RECORD = 4;
    private static final int REFUNDED = 136;
    private static final int REFUNDED_CARD = 144;
    private static final int REFUNDED_DISCOUNT = 152;
    private static final int REFUNDED_FEE = 160;
    private static final int REFUNDED_SHARE = 168;
    private static final int REFUNDED_POINTS = 176;
    private static final int REFUNDED_POINTS_VALUE = 184;

    private final int capacity;
    private final int mask;
    private final UnsafeBuffer[] segments;
    /** Per hash bucket, the RRN of its newest record (0: none). */
    private final long[] buckets;
    private final int bucketMask;
    private long nextRrn = 1;
    private long oldestRrn = 1;

    public TransactionLog(final int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.buckets = new long[capacity * BUCKETS_PER_RECORD];
        this.bucketMask = buckets.length - 1;
        final int segmentCount = Math.max(1, capacity >>> SEGMENT_SHIFT);
        final int perSegment = Math.min(capacity, SEGMENT_RECORDS);
        this.segments = new UnsafeBuffer[segmentCount];
        for (int i = 0; i < segmentCount; i++) {
            segments[i] = new UnsafeBuffer(BufferUtil.allocateDirectAligned(perSegment * RECORD_LENGTH, 64));
        }
    }

    /** The matching key of a request: terminal index (20 bits), batch (20 bits), STAN (20 bits). */
    public static long key(final int terminalIndex, final int batch, final int stan) {
        return ((long) terminalIndex << 40) | ((long) batch << 20) | stan;
    }

    /** STAN of a key. */
    public static int stanOf(final long key) {
        return (int) (key & 0xFFFFF);
    }

    public int capacity() {
        return capacity;
    }

    public long nextRrn() {
        return nextRrn;
    }

    public long oldestRrn() {
        return oldestRrn;
    }

    public int size() {
        return (int) (nextRrn - oldestRrn);
    }

    private UnsafeBuffer segment(final int slot) {
        return segments[slot >>> SEGMENT_SHIFT];
    }

    private static int base(final int slot) {
        return (slot & (SEGMENT_RECORDS - 1)) * RECORD_LENGTH;
    }

    private long getLong(final int slot, final int field) {
        return segment(slot).getLong(base(slot) + field, ORDER);
    }

    private void putLong(final int slot, final int field, final long value) {
        segment(slot).putLong(base(slot) + field, value, ORDER);
    }

    private int getInt(final int slot, final int field) {
        return segment(slot).getInt(base(slot) + field, ORDER);
    }

    private void putInt(final int slot, final int field, final int value) {
        segment(slot).putInt(base(slot) + field, value, ORDER);
    }

    /** Slot of the record with this RRN, or -1 when there is none (never assigned, or gone). */
    public int slotOfRrn(final long wanted) {
        if (wanted < oldestRrn || wanted >= nextRrn) {
            return -1;
        }
        return (int) (wanted & mask);
    }

    private int bucketOf(final long key) {
        return (int) KeyMix.mix(key) & bucketMask;
    }

    /** Slot of the record with this key, or -1. */
    public int slotOfKey(final long wantedKey) {
        long rrn = buckets[bucketOf(wantedKey)];
        while (rrn >= oldestRrn) {
            final int slot = (int) (rrn & mask);
            if (getLong(slot, KEY) == wantedKey) {
                return slot;
            }
            rrn = getLong(slot, NEXT_IN_BUCKET);
        }
        return -1;
    }

    /**
     * Appends a record for {@code recordKey}, retiring the oldest when the ring is full, and returns its
     * slot. Every field starts at zero (hold, card, terminal, merchant, auth code at -1).
     */
    public int append(final long recordKey, final PosKind recordKind, final int recordDay) {
        if (nextRrn - oldestRrn == capacity) {
            oldestRrn++;
        }
        final long newRrn = nextRrn++;
        final int slot = (int) (newRrn & mask);
        final UnsafeBuffer buffer = segment(slot);
        final int base = base(slot);
        // Field by field rather than setMemory: the JIT does not inline Unsafe.setMemory, a native call.
        for (int field = PAN_KEY; field < TERMINAL; field += 8) {
            buffer.putLong(base + field, 0, ORDER);
        }
        for (int field = REFUNDED; field < RECORD_LENGTH; field += 8) {
            buffer.putLong(base + field, 0, ORDER);
        }
        buffer.putLong(base + KIND, 0, ORDER);
        buffer.putLong(base + KEY, recordKey, ORDER);
        final int bucket = bucketOf(recordKey);
        buffer.putLong(base + NEXT_IN_BUCKET, buckets[bucket], ORDER);
        buckets[bucket] = newRrn;
        buffer.putByte(base + KIND, (byte) recordKind.code);
        buffer.putInt(base + DAY, recordDay, ORDER);
        buffer.putInt(base + TERMINAL, -1, ORDER);
        buffer.putInt(base + MERCHANT, -1, ORDER);
        buffer.putInt(base + CARD, -1, ORDER);
        buffer.putInt(base + AUTH_CODE, -1, ORDER);
        buffer.putInt(base + HOLD, -1, ORDER);
        buffer.putLong(base + AVAILABLE_AFTER, -1, ORDER);
        buffer.putLong(base + LEDGER_AFTER, -1, ORDER);
        return slot;
    }

    /** Retires every record of a business day before {@code firstKeptDay}, oldest first. */
    public int retireBefore(final int firstKeptDay) {
        int retired = 0;
        while (oldestRrn < nextRrn && getInt((int) (oldestRrn & mask), DAY) < firstKeptDay) {
            oldestRrn++;
            retired++;
        }
        return retired;
    }

    // ---------------------------------------------------------------- fields

    public long rrn(final int slot) {
        final long candidate = (nextRrn - 1) - (((nextRrn - 1) - slot) & mask);
        return candidate;
    }

    public long key(final int slot) {
        return getLong(slot, KEY);
    }

    public PosKind kind(final int slot) {
        return PosKind.ofCode(segment(slot).getByte(base(slot) + KIND) & 0xFF);
    }

    public int state(final int slot) {
        return segment(slot).getByte(base(slot) + STATE) & 0xFF;
    }

    public boolean is(final int slot, final int flag) {
        return (state(slot) & flag) != 0;
    }

    public void mark(final int slot, final int flag) {
        segment(slot).putByte(base(slot) + STATE, (byte) (state(slot) | flag));
    }

    public void unmark(final int slot, final int flag) {
        segment(slot).putByte(base(slot) + STATE, (byte) (state(slot) & ~flag));
    }

    public Reason reason(final int slot) {
        return Reason.ofCode(segment(slot).getShort(base(slot) + REASON, ORDER));
    }

    public void reason(final int slot, final Reason r) {
        segment(slot).putShort(base(slot) + REASON, (short) r.code, ORDER);
        if (r == Reason.APPROVED) {
            mark(slot, APPROVED);
        }
    }

    public int terminal(final int slot) {
        return getInt(slot, TERMINAL);
    }

    public int merchant(final int slot) {
        return getInt(slot, MERCHANT);
    }

    public int card(final int slot) {
        return getInt(slot, CARD);
    }

    public long panKey(final int slot) {
        return getLong(slot, PAN_KEY);
    }

    public int batch(final int slot) {
        return (int) ((getLong(slot, KEY) >>> 20) & 0xFFFFF);
    }

    public int day(final int slot) {
        return getInt(slot, DAY);
    }

    public int authCode(final int slot) {
        return getInt(slot, AUTH_CODE);
    }

    public int hold(final int slot) {
        return getInt(slot, HOLD);
    }

    public long amount(final int slot) {
        return getLong(slot, AMOUNT);
    }

    public long cardAmount(final int slot) {
        return getLong(slot, CARD_AMOUNT);
    }

    public long discount(final int slot) {
        return getLong(slot, DISCOUNT);
    }

    public long fee(final int slot) {
        return getLong(slot, FEE);
    }

    public long share(final int slot) {
        return getLong(slot, SHARE);
    }

    public long points(final int slot) {
        return getLong(slot, POINTS);
    }

    /** Fen booked to 2206 for the points earned. */
    public long pointsValue(final int slot) {
        return getLong(slot, POINTS_VALUE);
    }

    /** Refund or recharge: the part debited to 1122 because the merchant's payable was short. */
    public long receivablePart(final int slot) {
        return getLong(slot, REFUNDED);
    }

    public void receivablePart(final int slot, final long fen) {
        putLong(slot, REFUNDED, fen);
    }

    public long refunded(final int slot) {
        return getLong(slot, REFUNDED);
    }

    public long refundedCard(final int slot) {
        return getLong(slot, REFUNDED_CARD);
    }

    public long refundedDiscount(final int slot) {
        return getLong(slot, REFUNDED_DISCOUNT);
    }

    public long refundedFee(final int slot) {
        return getLong(slot, REFUNDED_FEE);
    }

    public long refundedShare(final int slot) {
        return getLong(slot, REFUNDED_SHARE);
    }

    public long refundedPoints(final int slot) {
        return getLong(slot, REFUNDED_POINTS);
    }

    public long refundedPointsValue(final int slot) {
        return getLong(slot, REFUNDED_POINTS_VALUE);
    }

    public long availableAfter(final int slot) {
        return getLong(slot, AVAILABLE_AFTER);
    }

    public long ledgerAfter(final int slot) {
        return getLong(slot, LEDGER_AFTER);
    }

    public long linked(final int slot) {
        return getLong(slot, LINKED);
    }

    public int riskFlags(final int slot) {
        return getInt(slot, RISK_FLAGS);
    }

    public void parties(final int slot, final int terminalIndex, final int merchantIndex, final int cardIndex,
            final long pan, final int batchNumber) {
        putInt(slot, TERMINAL, terminalIndex);
        putInt(slot, MERCHANT, merchantIndex);
        putInt(slot, CARD, cardIndex);
        putLong(slot, PAN_KEY, pan);
        if (batchNumber != batch(slot)) {
            throw new IllegalStateException("record batch " + batchNumber + " differs from its key's " + batch(slot));
        }
    }

    public void money(final int slot, final long amountFen, final long cardFen, final long discountFen, final long feeFen,
            final long shareFen, final long pointsEarned, final long pointsFen) {
        putLong(slot, AMOUNT, amountFen);
        putLong(slot, CARD_AMOUNT, cardFen);
        putLong(slot, DISCOUNT, discountFen);
        putLong(slot, FEE, feeFen);
        putLong(slot, SHARE, shareFen);
        putLong(slot, POINTS, pointsEarned);
        putLong(slot, POINTS_VALUE, pointsFen);
    }

    public void amount(final int slot, final long amountFen) {
        putLong(slot, AMOUNT, amountFen);
    }

    public void answer(final int slot, final long available, final long ledger, final int auth, final int flags) {
        putLong(slot, AVAILABLE_AFTER, available);
        putLong(slot, LEDGER_AFTER, ledger);
        putInt(slot, AUTH_CODE, auth);
        putInt(slot, RISK_FLAGS, flags);
    }

    public void hold(final int slot, final int holdIndex) {
        putInt(slot, HOLD, holdIndex);
    }

    public void linked(final int slot, final long otherRrn) {
        putLong(slot, LINKED, otherRrn);
    }

    public void addRefund(final int slot, final long amountFen, final long cardFen, final long discountFen,
            final long feeFen, final long shareFen, final long pointsBack, final long pointsFenBack) {
        putLong(slot, REFUNDED, refunded(slot) + amountFen);
        putLong(slot, REFUNDED_CARD, refundedCard(slot) + cardFen);
        putLong(slot, REFUNDED_DISCOUNT, refundedDiscount(slot) + discountFen);
        putLong(slot, REFUNDED_FEE, refundedFee(slot) + feeFen);
        putLong(slot, REFUNDED_SHARE, refundedShare(slot) + shareFen);
        putLong(slot, REFUNDED_POINTS, refundedPoints(slot) + pointsBack);
        putLong(slot, REFUNDED_POINTS_VALUE, refundedPointsValue(slot) + pointsFenBack);
    }

    /** Serialises the live records in RRN order (raw record bytes). */
    public void writeTo(final StateWriter out) {
        out.i64(nextRrn);
        out.i64(oldestRrn);
        for (long r = oldestRrn; r < nextRrn; r++) {
            final int slot = (int) (r & mask);
            // The bucket chain depends on the records before, so it is rebuilt on reading, not written.
            out.bytes(segment(slot), base(slot), NEXT_IN_BUCKET);
            out.i64(0);
            out.bytes(segment(slot), base(slot) + AUTH_CODE, RECORD_LENGTH - AUTH_CODE);
        }
    }

    public void readFrom(final StateReader in) {
        nextRrn = in.i64();
        oldestRrn = in.i64();
        if (nextRrn - oldestRrn > capacity || oldestRrn < 1 || nextRrn < oldestRrn) {
            throw new IllegalStateException("snapshot transaction log holds " + (nextRrn - oldestRrn)
                    + " records; the configured capacity is " + capacity);
        }
        java.util.Arrays.fill(buckets, 0);
        for (long r = oldestRrn; r < nextRrn; r++) {
            final int slot = (int) (r & mask);
            in.bytes(segment(slot), base(slot), RECORD_LENGTH);
            final int bucket = bucketOf(key(slot));
            putLong(slot, NEXT_IN_BUCKET, buckets[bucket]);
            buckets[bucket] = r;
        }
    }
}
