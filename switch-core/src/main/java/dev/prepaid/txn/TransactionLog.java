package dev.prepaid.txn;

import dev.prepaid.command.PosKind;
import dev.prepaid.command.Reason;
import org.agrona.collections.Long2LongHashMap;

/**
 * The recent POS transactions the ledger matches against: duplicates by (terminal, batch, STAN), voids and
 * reversals by the same key, refunds by RRN. A ring of {@code capacity} records in parallel primitive
 * arrays; the RRN is the record's sequence number, so the record of an RRN sits at {@code rrn & mask} and
 * needs no index. Records leave when the ring wraps or when they are older than the days kept.
 *
 * <p>Each record keeps what its original response said (balances, codes), so a duplicate gets exactly
 * the first answer.
 */
public final class TransactionLog {
    public static final int APPROVED = 1;
    public static final int VOIDED = 2;
    public static final int REVERSED = 4;
    /** A reversal arrived before its original; the original, if it comes, is declined. */
    public static final int TOMBSTONE = 8;

    private static final Reason[] REASONS = Reason.values();

    private final int capacity;
    private final int mask;
    private final Long2LongHashMap rrnByKey;
    private long nextRrn = 1;
    private long oldestRrn = 1;

    private final long[] rrn;
    private final long[] key;
    private final byte[] kind;
    private final byte[] state;
    private final short[] reason;
    private final int[] terminal;
    private final int[] merchant;
    private final int[] card;
    private final long[] panKey;
    private final int[] batch;
    private final int[] day;
    private final int[] authCode;
    private final int[] hold;
    private final long[] amount;
    private final long[] cardAmount;
    private final long[] discount;
    private final long[] fee;
    private final long[] share;
    private final long[] points;
    private final long[] pointsValue;
    private final long[] refunded;
    private final long[] refundedCard;
    private final long[] refundedDiscount;
    private final long[] refundedFee;
    private final long[] refundedShare;
    private final long[] refundedPoints;
    private final long[] refundedPointsValue;
    private final long[] availableAfter;
    private final long[] ledgerAfter;
    private final long[] linked;
    private final int[] riskFlags;

    public TransactionLog(final int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.rrnByKey = new Long2LongHashMap(capacity * 2, 0.5f, -1);
        rrn = new long[capacity];
        key = new long[capacity];
        kind = new byte[capacity];
        state = new byte[capacity];
        reason = new short[capacity];
        terminal = new int[capacity];
        merchant = new int[capacity];
        card = new int[capacity];
        panKey = new long[capacity];
        batch = new int[capacity];
        day = new int[capacity];
        authCode = new int[capacity];
        hold = new int[capacity];
        amount = new long[capacity];
        cardAmount = new long[capacity];
        discount = new long[capacity];
        fee = new long[capacity];
        share = new long[capacity];
        points = new long[capacity];
        pointsValue = new long[capacity];
        refunded = new long[capacity];
        refundedCard = new long[capacity];
        refundedDiscount = new long[capacity];
        refundedFee = new long[capacity];
        refundedShare = new long[capacity];
        refundedPoints = new long[capacity];
        refundedPointsValue = new long[capacity];
        availableAfter = new long[capacity];
        ledgerAfter = new long[capacity];
        linked = new long[capacity];
        riskFlags = new int[capacity];
    }

    /** The matching key of a request: terminal index (20 bits), batch (20 bits), STAN (20 bits). */
    public static long key(final int terminalIndex, final int batch, final int stan) {
        return ((long) terminalIndex << 40) | ((long) batch << 20) | stan;
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

    /** Slot of the record with this RRN, or -1 when there is none (never assigned, or gone). */
    public int slotOfRrn(final long wanted) {
        if (wanted < oldestRrn || wanted >= nextRrn) {
            return -1;
        }
        final int slot = (int) (wanted & mask);
        return rrn[slot] == wanted ? slot : -1;
    }

    /** Slot of the record with this key, or -1. */
    public int slotOfKey(final long wantedKey) {
        final long found = rrnByKey.get(KeyMix.mix(wantedKey));
        return found < 0 ? -1 : slotOfRrn(found);
    }

    /**
     * Appends a record for {@code recordKey}, evicting the oldest when the ring is full, and returns its slot.
     * Every field starts at zero; the caller fills what the transaction has.
     */
    public int append(final long recordKey, final PosKind recordKind, final int recordDay) {
        if (nextRrn - oldestRrn == capacity) {
            evictOldest();
        }
        final long newRrn = nextRrn++;
        final int slot = (int) (newRrn & mask);
        rrn[slot] = newRrn;
        key[slot] = recordKey;
        kind[slot] = (byte) recordKind.code;
        state[slot] = 0;
        reason[slot] = 0;
        terminal[slot] = -1;
        merchant[slot] = -1;
        card[slot] = -1;
        panKey[slot] = 0;
        batch[slot] = 0;
        day[slot] = recordDay;
        authCode[slot] = -1;
        hold[slot] = -1;
        amount[slot] = 0;
        cardAmount[slot] = 0;
        discount[slot] = 0;
        fee[slot] = 0;
        share[slot] = 0;
        points[slot] = 0;
        pointsValue[slot] = 0;
        refunded[slot] = 0;
        refundedCard[slot] = 0;
        refundedDiscount[slot] = 0;
        refundedFee[slot] = 0;
        refundedShare[slot] = 0;
        refundedPoints[slot] = 0;
        refundedPointsValue[slot] = 0;
        availableAfter[slot] = -1;
        ledgerAfter[slot] = -1;
        linked[slot] = 0;
        riskFlags[slot] = 0;
        rrnByKey.put(KeyMix.mix(recordKey), newRrn);
        return slot;
    }

    private void evictOldest() {
        final int slot = (int) (oldestRrn & mask);
        final long mixed = KeyMix.mix(key[slot]);
        if (rrnByKey.get(mixed) == oldestRrn) {
            rrnByKey.remove(mixed);
        }
        oldestRrn++;
    }

    /** Retires every record of a business day before {@code firstKeptDay}, oldest first. */
    public int retireBefore(final int firstKeptDay) {
        int retired = 0;
        while (oldestRrn < nextRrn && day[(int) (oldestRrn & mask)] < firstKeptDay) {
            evictOldest();
            retired++;
        }
        return retired;
    }

    // ---------------------------------------------------------------- fields

    public long rrn(final int slot) {
        return rrn[slot];
    }

    public long key(final int slot) {
        return key[slot];
    }

    public PosKind kind(final int slot) {
        return PosKind.ofCode(kind[slot]);
    }

    public int state(final int slot) {
        return state[slot];
    }

    public boolean is(final int slot, final int flag) {
        return (state[slot] & flag) != 0;
    }

    public void mark(final int slot, final int flag) {
        state[slot] |= (byte) flag;
    }

    public void unmark(final int slot, final int flag) {
        state[slot] &= (byte) ~flag;
    }

    public Reason reason(final int slot) {
        return REASONS[reason[slot]];
    }

    public void reason(final int slot, final Reason r) {
        reason[slot] = (short) r.ordinal();
        if (r == Reason.APPROVED) {
            state[slot] |= APPROVED;
        }
    }

    public int terminal(final int slot) {
        return terminal[slot];
    }

    public int merchant(final int slot) {
        return merchant[slot];
    }

    public int card(final int slot) {
        return card[slot];
    }

    public long panKey(final int slot) {
        return panKey[slot];
    }

    public int batch(final int slot) {
        return batch[slot];
    }

    public int day(final int slot) {
        return day[slot];
    }

    public int authCode(final int slot) {
        return authCode[slot];
    }

    public int hold(final int slot) {
        return hold[slot];
    }

    public long amount(final int slot) {
        return amount[slot];
    }

    public long cardAmount(final int slot) {
        return cardAmount[slot];
    }

    public long discount(final int slot) {
        return discount[slot];
    }

    public long fee(final int slot) {
        return fee[slot];
    }

    public long share(final int slot) {
        return share[slot];
    }

    public long points(final int slot) {
        return points[slot];
    }

    /** Fen booked to 2206 for the points earned. */
    public long pointsValue(final int slot) {
        return pointsValue[slot];
    }

    public long refundedPointsValue(final int slot) {
        return refundedPointsValue[slot];
    }

    public long refunded(final int slot) {
        return refunded[slot];
    }

    public long refundedCard(final int slot) {
        return refundedCard[slot];
    }

    public long refundedDiscount(final int slot) {
        return refundedDiscount[slot];
    }

    public long refundedFee(final int slot) {
        return refundedFee[slot];
    }

    public long refundedShare(final int slot) {
        return refundedShare[slot];
    }

    public long refundedPoints(final int slot) {
        return refundedPoints[slot];
    }

    public long availableAfter(final int slot) {
        return availableAfter[slot];
    }

    public long ledgerAfter(final int slot) {
        return ledgerAfter[slot];
    }

    public long linked(final int slot) {
        return linked[slot];
    }

    public int riskFlags(final int slot) {
        return riskFlags[slot];
    }

    public void parties(final int slot, final int terminalIndex, final int merchantIndex, final int cardIndex,
            final long pan, final int batchNumber) {
        terminal[slot] = terminalIndex;
        merchant[slot] = merchantIndex;
        card[slot] = cardIndex;
        panKey[slot] = pan;
        batch[slot] = batchNumber;
    }

    public void money(final int slot, final long amountFen, final long cardFen, final long discountFen, final long feeFen,
            final long shareFen, final long pointsEarned, final long pointsFen) {
        pointsValue[slot] = pointsFen;
        amount[slot] = amountFen;
        cardAmount[slot] = cardFen;
        discount[slot] = discountFen;
        fee[slot] = feeFen;
        share[slot] = shareFen;
        points[slot] = pointsEarned;
    }

    public void amount(final int slot, final long amountFen) {
        amount[slot] = amountFen;
    }

    public void answer(final int slot, final long available, final long ledger, final int auth, final int flags) {
        availableAfter[slot] = available;
        ledgerAfter[slot] = ledger;
        authCode[slot] = auth;
        riskFlags[slot] = flags;
    }

    public void hold(final int slot, final int holdIndex) {
        hold[slot] = holdIndex;
    }

    public void linked(final int slot, final long otherRrn) {
        linked[slot] = otherRrn;
    }

    public void addRefund(final int slot, final long amountFen, final long cardFen, final long discountFen,
            final long feeFen, final long shareFen, final long pointsBack, final long pointsFenBack) {
        refundedPointsValue[slot] += pointsFenBack;
        refunded[slot] += amountFen;
        refundedCard[slot] += cardFen;
        refundedDiscount[slot] += discountFen;
        refundedFee[slot] += feeFen;
        refundedShare[slot] += shareFen;
        refundedPoints[slot] += pointsBack;
    }

    /** Serialises the live records in RRN order. */
    public void writeTo(final dev.prepaid.ledger.StateWriter out) {
        out.i64(nextRrn);
        out.i64(oldestRrn);
        for (long r = oldestRrn; r < nextRrn; r++) {
            final int s = (int) (r & mask);
            out.i64(key[s]);
            out.i8(kind[s]);
            out.i8(state[s]);
            out.i16(reason[s]);
            out.i32(terminal[s]);
            out.i32(merchant[s]);
            out.i32(card[s]);
            out.i64(panKey[s]);
            out.i32(batch[s]);
            out.i32(day[s]);
            out.i32(authCode[s]);
            out.i32(hold[s]);
            out.i64(amount[s]);
            out.i64(cardAmount[s]);
            out.i64(discount[s]);
            out.i64(fee[s]);
            out.i64(share[s]);
            out.i64(points[s]);
            out.i64(pointsValue[s]);
            out.i64(refunded[s]);
            out.i64(refundedCard[s]);
            out.i64(refundedDiscount[s]);
            out.i64(refundedFee[s]);
            out.i64(refundedShare[s]);
            out.i64(refundedPoints[s]);
            out.i64(refundedPointsValue[s]);
            out.i64(availableAfter[s]);
            out.i64(ledgerAfter[s]);
            out.i64(linked[s]);
            out.i32(riskFlags[s]);
            out.i8(rrnByKey.get(KeyMix.mix(key[s])) == r ? 1 : 0);
        }
    }

    public void readFrom(final dev.prepaid.ledger.StateReader in) {
        nextRrn = in.i64();
        oldestRrn = in.i64();
        if (nextRrn - oldestRrn > capacity || oldestRrn < 1 || nextRrn < oldestRrn) {
            throw new IllegalStateException("snapshot transaction log holds " + (nextRrn - oldestRrn)
                    + " records; the configured capacity is " + capacity);
        }
        rrnByKey.clear();
        for (long r = oldestRrn; r < nextRrn; r++) {
            final int s = (int) (r & mask);
            rrn[s] = r;
            key[s] = in.i64();
            kind[s] = in.i8();
            state[s] = in.i8();
            reason[s] = in.i16();
            terminal[s] = in.i32();
            merchant[s] = in.i32();
            card[s] = in.i32();
            panKey[s] = in.i64();
            batch[s] = in.i32();
            day[s] = in.i32();
            authCode[s] = in.i32();
            hold[s] = in.i32();
            amount[s] = in.i64();
            cardAmount[s] = in.i64();
            discount[s] = in.i64();
            fee[s] = in.i64();
            share[s] = in.i64();
            points[s] = in.i64();
            pointsValue[s] = in.i64();
            refunded[s] = in.i64();
            refundedCard[s] = in.i64();
            refundedDiscount[s] = in.i64();
            refundedFee[s] = in.i64();
            refundedShare[s] = in.i64();
            refundedPoints[s] = in.i64();
            refundedPointsValue[s] = in.i64();
            availableAfter[s] = in.i64();
            ledgerAfter[s] = in.i64();
            linked[s] = in.i64();
            riskFlags[s] = in.i32();
            if (in.i8() == 1) {
                rrnByKey.put(KeyMix.mix(key[s]), r);
            }
        }
    }
}
