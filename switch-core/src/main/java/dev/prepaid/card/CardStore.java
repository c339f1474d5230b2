package dev.prepaid.card;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Every card, as fixed 128-byte records in off-heap segments aligned to cache lines. Everything a purchase
 * reads and writes sits in the first 64 bytes, so a purchase touches one cache line of card state (the
 * second line only when the card has wrong PINs counted). Days on the hot line are 16-bit offsets from
 * 2000-01-01 ({@link #DAY_BASE}); the accessors speak epoch days. Segments are allocated as cards are
 * generated, so memory follows the card count.
 *
 * <pre>
 * line 1 (hot)                                  line 2
 *   0 i64 available (2201 sub-account, fen)       64 i64 PAN key
 *   8 i64 holds (2202 sub-account, fen)           72 i64 deposit held (2204 share, fen)
 *  16 i64 PIN check value (0: none set)           80 i64 card fee paid at sale (fen)
 *  24 i64 amount spent on the velocity day        88 i32 day sold (epoch day; 0 unsold)
 *  32 i64 amount spent in the velocity month      92 i32 day generated (epoch day)
 *  40 i64 loyalty points                          96 i32 holder index (-1: none)
 *  48 u16 expiry day (0xFFFF: none)              100 i32 linked card (replacement; -1: none)
 *  50 u16 velocity day (last spending day)       104 i32 open holds (count)
 *  52 u16 decline day                            108 i32 day of the last wrong PIN (epoch day)
 *  54 u16 card type id                           112 u8  status before a freeze or blacklist
 *  56 u8  status           57 u8 wrong PINs      113..127 reserved
 *  58 u16 transactions on the velocity day
 *  60 u16 transactions in the velocity month (month of the velocity day)
 *  62 u8  declines on the decline day (saturating)  63 u8 flags (1: used since sale)
 * </pre>
 */
public final class CardStore {
    public static final int RECORD_LENGTH = 128;
    public static final int NO_EXPIRY = Integer.MAX_VALUE;
    public static final int FLAG_USED = 1;
    /** Epoch day of 2000-01-01: day 0 of the 16-bit days on the hot line. */
    public static final int DAY_BASE = 10_957;
    /** Last epoch day a 16-bit day can hold (2179-06-05). */
    public static final int LAST_DAY = DAY_BASE + 0xFFFE;
    public static final int MAX_DECLINES = 255;

    private static final int SEGMENT_SHIFT = 16;
    private static final int SEGMENT_CARDS = 1 << SEGMENT_SHIFT;
    private static final int SEGMENT_MASK = SEGMENT_CARDS - 1;
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final int NONE16 = 0xFFFF;

    private static final int AVAILABLE = 0;
    private static final int HOLDS = 8;
    private static final int PIN_CHECK = 16;
    private static final int DAY_AMOUNT = 24;
    private static final int MONTH_AMOUNT = 32;
    private static final int POINTS = 40;
    private static final int EXPIRY_DAY = 48;
    private static final int VELOCITY_DAY = 50;
    private static final int DECLINE_DAY = 52;
    private static final int CARD_TYPE = 54;
    private static final int STATUS = 56;
    private static final int PIN_ERRORS = 57;
    private static final int DAY_COUNT = 58;
    private static final int MONTH_COUNT = 60;
    private static final int DECLINES = 62;
    private static final int FLAGS = 63;
    private static final int PAN_KEY = 64;
    private static final int DEPOSIT = 72;
    private static final int SALE_FEE = 80;
    private static final int SOLD_DAY = 88;
    private static final int ISSUED_DAY = 92;
    private static final int HOLDER = 96;
    private static final int LINKED_CARD = 100;
    private static final int OPEN_HOLDS = 104;
    private static final int PIN_ERROR_DAY = 108;
    private static final int PRIOR_STATUS = 112;

    private final int capacity;
    private final UnsafeBuffer[] segments;
    private int count;

    public CardStore(final int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("card capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.segments = new UnsafeBuffer[(capacity + SEGMENT_CARDS - 1) >>> SEGMENT_SHIFT];
        // All of it now, zeroed and touched: a segment made when the first card needs it took the ledger thread
        // 20-25 ms (8 MB of page faults), holding every terminal up in the middle of a card production run.
        for (int segment = 0; segment < segments.length; segment++) {
            segments[segment] = newSegment(Math.min(SEGMENT_CARDS, capacity - (segment << SEGMENT_SHIFT)));
        }
    }

    public int capacity() {
        return capacity;
    }

    public int count() {
        return count;
    }

    /** Appends a card in stock and returns its index. The caller checked {@link #count()} &lt; capacity. */
    public int add(final long panKey, final int cardTypeId, final int issuedDay, final int expiryDay) {
        if (count >= capacity) {
            throw new IllegalStateException("card store is full: " + capacity);
        }
        final int index = count;
        final UnsafeBuffer buffer = segments[index >>> SEGMENT_SHIFT];
        final int base = (index & SEGMENT_MASK) * RECORD_LENGTH;
        buffer.setMemory(base, RECORD_LENGTH, (byte) 0);
        buffer.putLong(base + PAN_KEY, panKey, ORDER);
        buffer.putShort(base + CARD_TYPE, (short) cardTypeId, ORDER);
        buffer.putInt(base + ISSUED_DAY, issuedDay, ORDER);
        buffer.putShort(base + EXPIRY_DAY, (short) toDay16(expiryDay), ORDER);
        buffer.putShort(base + VELOCITY_DAY, (short) NONE16, ORDER);
        buffer.putShort(base + DECLINE_DAY, (short) NONE16, ORDER);
        buffer.putInt(base + HOLDER, -1, ORDER);
        buffer.putInt(base + LINKED_CARD, -1, ORDER);
        count++;
        return index;
    }

    private static UnsafeBuffer newSegment(final int cards) {
        final ByteBuffer memory = BufferUtil.allocateDirectAligned(cards * RECORD_LENGTH, 64);
        return new UnsafeBuffer(memory);
    }

    private UnsafeBuffer segment(final int index) {
        return segments[index >>> SEGMENT_SHIFT];
    }

    private static int base(final int index) {
        return (index & SEGMENT_MASK) * RECORD_LENGTH;
    }

    // ---------------------------------------------------------------- hot line

    /** The card's 2201 sub-account: what it can spend now. */
    public long available(final int i) {
        return segment(i).getLong(base(i) + AVAILABLE, ORDER);
    }

    public void available(final int i, final long fen) {
        segment(i).putLong(base(i) + AVAILABLE, fen, ORDER);
    }

    /** The card's 2202 sub-account: pre-authorisation holds. */
    public long holds(final int i) {
        return segment(i).getLong(base(i) + HOLDS, ORDER);
    }

    public void holds(final int i, final long fen) {
        segment(i).putLong(base(i) + HOLDS, fen, ORDER);
    }

    /** Ledger balance = available + holds (field 54 amount type 01); available = ledger − holds. */
    public long ledgerBalance(final int i) {
        final UnsafeBuffer buffer = segment(i);
        final int base = base(i);
        return buffer.getLong(base + AVAILABLE, ORDER) + buffer.getLong(base + HOLDS, ORDER);
    }

    public long panKey(final int i) {
        return segment(i).getLong(base(i) + PAN_KEY, ORDER);
    }

    public long pinCheck(final int i) {
        return segment(i).getLong(base(i) + PIN_CHECK, ORDER);
    }

    public void pinCheck(final int i, final long value) {
        segment(i).putLong(base(i) + PIN_CHECK, value, ORDER);
    }

    public long dayAmount(final int i) {
        return segment(i).getLong(base(i) + DAY_AMOUNT, ORDER);
    }

    public void dayAmount(final int i, final long fen) {
        segment(i).putLong(base(i) + DAY_AMOUNT, fen, ORDER);
    }

    public long monthAmount(final int i) {
        return segment(i).getLong(base(i) + MONTH_AMOUNT, ORDER);
    }

    public void monthAmount(final int i, final long fen) {
        segment(i).putLong(base(i) + MONTH_AMOUNT, fen, ORDER);
    }

    /** Last valid epoch day, or {@link #NO_EXPIRY}. */
    public int expiryDay(final int i) {
        return fromDay16(segment(i).getShort(base(i) + EXPIRY_DAY, ORDER) & 0xFFFF, NO_EXPIRY);
    }

    public void expiryDay(final int i, final int epochDay) {
        segment(i).putShort(base(i) + EXPIRY_DAY, (short) toDay16(epochDay), ORDER);
    }

    /** The last day the card spent (epoch day), or -1 when never. */
    public int velocityDay(final int i) {
        return fromDay16(segment(i).getShort(base(i) + VELOCITY_DAY, ORDER) & 0xFFFF, -1);
    }

    /** yyyymm the month counters belong to (the velocity day's month), or 0 when the card never spent. */
    public int velocityMonth(final int i) {
        final int day = velocityDay(i);
        return day < 0 ? 0 : dev.prepaid.time.CivilDate.yyyymm(day);
    }

    public void velocityDay(final int i, final int epochDay) {
        segment(i).putShort(base(i) + VELOCITY_DAY, (short) toDay16(epochDay), ORDER);
    }

    public int cardType(final int i) {
        return segment(i).getShort(base(i) + CARD_TYPE, ORDER) & 0xFFFF;
    }

    public void cardType(final int i, final int typeId) {
        segment(i).putShort(base(i) + CARD_TYPE, (short) typeId, ORDER);
    }

    public int statusCode(final int i) {
        return segment(i).getByte(base(i) + STATUS);
    }

    public CardStatus status(final int i) {
        return CardStatus.ofCode(statusCode(i));
    }

    public void status(final int i, final CardStatus status) {
        segment(i).putByte(base(i) + STATUS, (byte) status.code);
    }

    public int pinErrors(final int i) {
        return segment(i).getByte(base(i) + PIN_ERRORS) & 0xFF;
    }

    public void pinErrors(final int i, final int errors) {
        segment(i).putByte(base(i) + PIN_ERRORS, (byte) errors);
    }

    public int dayCount(final int i) {
        return segment(i).getShort(base(i) + DAY_COUNT, ORDER) & 0xFFFF;
    }

    public void dayCount(final int i, final int count) {
        segment(i).putShort(base(i) + DAY_COUNT, (short) count, ORDER);
    }

    public int monthCount(final int i) {
        return segment(i).getShort(base(i) + MONTH_COUNT, ORDER) & 0xFFFF;
    }

    public void monthCount(final int i, final int count) {
        segment(i).putShort(base(i) + MONTH_COUNT, (short) count, ORDER);
    }

    // ---------------------------------------------------------------- second line



    public int pinErrorDay(final int i) {
        return segment(i).getInt(base(i) + PIN_ERROR_DAY, ORDER);
    }

    public void pinErrorDay(final int i, final int epochDay) {
        segment(i).putInt(base(i) + PIN_ERROR_DAY, epochDay, ORDER);
    }

    public long points(final int i) {
        return segment(i).getLong(base(i) + POINTS, ORDER);
    }

    public void points(final int i, final long points) {
        segment(i).putLong(base(i) + POINTS, points, ORDER);
    }

    public long deposit(final int i) {
        return segment(i).getLong(base(i) + DEPOSIT, ORDER);
    }

    public void deposit(final int i, final long fen) {
        segment(i).putLong(base(i) + DEPOSIT, fen, ORDER);
    }

    public int soldDay(final int i) {
        return segment(i).getInt(base(i) + SOLD_DAY, ORDER);
    }

    public void soldDay(final int i, final int epochDay) {
        segment(i).putInt(base(i) + SOLD_DAY, epochDay, ORDER);
    }

    public int issuedDay(final int i) {
        return segment(i).getInt(base(i) + ISSUED_DAY, ORDER);
    }

    public int holder(final int i) {
        return segment(i).getInt(base(i) + HOLDER, ORDER);
    }

    public void holder(final int i, final int holderIndex) {
        segment(i).putInt(base(i) + HOLDER, holderIndex, ORDER);
    }

    public int linkedCard(final int i) {
        return segment(i).getInt(base(i) + LINKED_CARD, ORDER);
    }

    public void linkedCard(final int i, final int card) {
        segment(i).putInt(base(i) + LINKED_CARD, card, ORDER);
    }

    public int declines(final int i) {
        return segment(i).getByte(base(i) + DECLINES) & 0xFF;
    }

    public void declines(final int i, final int declines) {
        segment(i).putByte(base(i) + DECLINES, (byte) Math.min(declines, MAX_DECLINES));
    }

    /** The day declines were last counted (epoch day), or -1 when never. */
    public int declineDay(final int i) {
        return fromDay16(segment(i).getShort(base(i) + DECLINE_DAY, ORDER) & 0xFFFF, -1);
    }

    public void declineDay(final int i, final int epochDay) {
        segment(i).putShort(base(i) + DECLINE_DAY, (short) toDay16(epochDay), ORDER);
    }

    public CardStatus priorStatus(final int i) {
        return CardStatus.ofCode(segment(i).getByte(base(i) + PRIOR_STATUS));
    }

    public void priorStatus(final int i, final CardStatus status) {
        segment(i).putByte(base(i) + PRIOR_STATUS, (byte) status.code);
    }

    public boolean used(final int i) {
        return (segment(i).getByte(base(i) + FLAGS) & FLAG_USED) != 0;
    }

    public void used(final int i, final boolean used) {
        final UnsafeBuffer buffer = segment(i);
        final int at = base(i) + FLAGS;
        final int flags = buffer.getByte(at);
        buffer.putByte(at, (byte) (used ? flags | FLAG_USED : flags & ~FLAG_USED));
    }

    public int openHolds(final int i) {
        return segment(i).getInt(base(i) + OPEN_HOLDS, ORDER);
    }

    public void openHolds(final int i, final int count) {
        segment(i).putInt(base(i) + OPEN_HOLDS, count, ORDER);
    }

    public long saleFee(final int i) {
        return segment(i).getLong(base(i) + SALE_FEE, ORDER);
    }

    public void saleFee(final int i, final long fen) {
        segment(i).putLong(base(i) + SALE_FEE, fen, ORDER);
    }

    /** A day as stored on the hot line; {@code NO_EXPIRY} and negative days are "none". */
    private static int toDay16(final int epochDay) {
        if (epochDay == NO_EXPIRY || epochDay < 0) {
            return NONE16;
        }
        if (epochDay < DAY_BASE || epochDay > LAST_DAY) {
            throw new IllegalArgumentException("day " + epochDay + " is outside 2000-01-01 .. 2179-06-05");
        }
        return epochDay - DAY_BASE;
    }

    private static int fromDay16(final int day16, final int none) {
        return day16 == NONE16 ? none : day16 + DAY_BASE;
    }

    /** Copies every record, in index order, to {@code sink} (snapshots and digests). */
    public void forEachRecordBytes(final RecordSink sink) {
        for (int i = 0; i < count; ) {
            final int segment = i >>> SEGMENT_SHIFT;
            final int inSegment = Math.min(SEGMENT_CARDS, count - (segment << SEGMENT_SHIFT));
            sink.accept(segments[segment], 0, inSegment * RECORD_LENGTH);
            i += inSegment;
        }
    }

    /** Restores {@code records} whole records from a reader (the store must be empty). */
    public void load(final int records, final RecordSource source) {
        if (count != 0) {
            throw new IllegalStateException("card store not empty");
        }
        if (records > capacity) {
            throw new IllegalStateException("snapshot has " + records + " cards; the configured capacity is " + capacity);
        }
        int remaining = records;
        for (int segment = 0; remaining > 0; segment++) {
            final int inSegment = Math.min(SEGMENT_CARDS, remaining);
            source.fill(segments[segment], 0, inSegment * RECORD_LENGTH);
            remaining -= inSegment;
        }
        count = records;
    }

    /** Receives runs of raw record bytes. */
    public interface RecordSink {
        void accept(UnsafeBuffer buffer, int offset, int length);
    }

    /** Supplies runs of raw record bytes. */
    public interface RecordSource {
        void fill(UnsafeBuffer buffer, int offset, int length);
    }
}
