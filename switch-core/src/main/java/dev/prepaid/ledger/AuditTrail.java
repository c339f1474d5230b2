package dev.prepaid.ledger;

import dev.prepaid.card.Pan;
import dev.prepaid.state.StateReader;
import dev.prepaid.state.StateWriter;
import java.nio.charset.StandardCharsets;

/**
 * Who decided what: one entry per operator or system command the ledger decided — approved or refused, with its
 * reason — kept as a ring of the newest {@link #capacity()} entries in parallel arrays (no object per entry). An
 * entry holds the command's journal sequence and timestamp, the business date it was decided on, the operator (by
 * its index in the operator table: ids are never renamed or removed), the command type and reason codes, the
 * client's request id and the command's target (see {@link AuditTargets}): a card by its key (shown masked), an
 * id of at most {@value #TEXT_BYTES} ASCII characters, or a number.
 *
 * <p>The trail is part of the state, rebuilt by replay: it starts with the journaled {@code OPEN_AUDIT_TRAIL}, so a
 * journal written before the trail existed replays to exactly the state it had. POS transactions are not in it
 * (the transaction log keeps them); reads are not (they are never journaled).
 */
public final class AuditTrail {
    /** What an entry's target is. Stored by {@link #code}, never by position. */
    public enum TargetKind {
        NONE(0, false),
        /** A card: the key of a well-formed PAN (else -1) and the number masked to its first 6 and last 4 digits. */
        CARD(1, false),
        MERCHANT(2, false),
        TERMINAL(3, false),
        OPERATOR(4, false),
        ISSUER(5, false),
        /** A BIN range as {@code bin/panLength}. */
        BIN_RANGE(6, false),
        PARAMETER(7, false),
        CARD_TYPE(8, true),
        RULE(9, true),
        /** A pending request (maker-checker). */
        PENDING(10, true),
        SETTLEMENT(11, true),
        /** A date, yyyymmdd (a cut-over's new business date, a calendar day). */
        DATE(12, true),
        /** An entry of the risk review queue. */
        REVIEW_ENTRY(13, true),
        /** A terminal deployer, by its code. */
        DEPLOYER(14, false);

        public final int code;
        /** Whether the target is its number ({@link #targetKey}); otherwise it is its text. */
        public final boolean numeric;

        TargetKind(final int code, final boolean numeric) {
            this.code = code;
            this.numeric = numeric;
        }

        private static final TargetKind[] BY_CODE = new TargetKind[16];

        static {
            for (final TargetKind kind : values()) {
                BY_CODE[kind.code] = kind;
            }
        }

        public static TargetKind ofCode(final int code) {
            return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        }
    }

    /** The operator of an entry by the switch itself. */
    public static final int SYSTEM = -1;
    /** The operator of an entry whose operator is not in the operator table (or whose envelope could not be read). */
    public static final int UNKNOWN_OPERATOR = -2;
    /** Flag: the answer was the first answer to a repeated request id. */
    public static final int DUPLICATE = 1;
    /** The longest target text kept (longer ones are cut: the journal has the whole command). */
    public static final int TEXT_BYTES = 32;

    /** What a command names, filled by {@link AuditTargets} (one per ledger, reused). */
    static final class Target {
        TargetKind kind = TargetKind.NONE;
        long key;
        String text = "";

        void none() {
            set(TargetKind.NONE, 0, "");
        }

        void card(final String pan) {
            if (pan == null || pan.isEmpty()) {
                none();
                return;
            }
            set(TargetKind.CARD, Pan.parseKey(pan), Pan.mask(pan));
        }

        void card(final long panKey) {
            set(TargetKind.CARD, panKey, Pan.masked(panKey));
        }

        void text(final TargetKind textKind, final String id) {
            if (id == null || id.isEmpty()) {
                none();
                return;
            }
            set(textKind, 0, id);
        }

        void number(final TargetKind numberKind, final long value) {
            set(numberKind, value, "");
        }

        private void set(final TargetKind k, final long v, final String t) {
            kind = k;
            key = v;
            text = t;
        }
    }

    private int capacity;
    private long written;
    /** The number (among all entries written) of the oldest kept entry: a shrunk trail keeps fewer than it holds. */
    private long oldest;
    private long[] sequence = new long[0];
    private long[] timestamp = new long[0];
    private int[] businessDate = new int[0];
    private int[] operator = new int[0];
    private short[] type = new short[0];
    private short[] reason = new short[0];
    private byte[] flags = new byte[0];
    private long[] requestId = new long[0];
    private byte[] targetKind = new byte[0];
    private long[] targetKey = new long[0];
    private byte[] targetLength = new byte[0];
    private byte[] targetText = new byte[0];

    /** Whether the trail is kept (an {@code OPEN_AUDIT_TRAIL} was applied). */
    public boolean isOpen() {
        return capacity > 0;
    }

    /** Entries kept at most; 0 while the trail is not kept. */
    public int capacity() {
        return capacity;
    }

    /** Entries recorded since the trail was opened (the kept ones are the newest {@link #size()}). */
    public long written() {
        return written;
    }

    public int size() {
        return (int) (written - oldest);
    }

    /**
     * Opens the trail with room for {@code newCapacity} entries, or resizes it keeping its newest entries (in
     * order). Allocates: an operator command, applied at start.
     */
    void open(final int newCapacity) {
        final int keep = Math.min(size(), newCapacity);
        final long first = written - keep;
        final AuditTrail old = copyOf(this);
        allocate(newCapacity);
        for (long n = first; n < written; n++) {
            copyEntry(old, old.slotOf(n), slotOf(n));
        }
        oldest = first;
    }

    private static AuditTrail copyOf(final AuditTrail t) {
        final AuditTrail c = new AuditTrail();
        c.capacity = t.capacity;
        c.written = t.written;
        c.oldest = t.oldest;
        c.sequence = t.sequence;
        c.timestamp = t.timestamp;
        c.businessDate = t.businessDate;
        c.operator = t.operator;
        c.type = t.type;
        c.reason = t.reason;
        c.flags = t.flags;
        c.requestId = t.requestId;
        c.targetKind = t.targetKind;
        c.targetKey = t.targetKey;
        c.targetLength = t.targetLength;
        c.targetText = t.targetText;
        return c;
    }

    private void allocate(final int n) {
        capacity = n;
        sequence = new long[n];
        timestamp = new long[n];
        businessDate = new int[n];
        operator = new int[n];
        type = new short[n];
        reason = new short[n];
        flags = new byte[n];
        requestId = new long[n];
        targetKind = new byte[n];
        targetKey = new long[n];
        targetLength = new byte[n];
        targetText = new byte[n * TEXT_BYTES];
    }

    private void copyEntry(final AuditTrail from, final int a, final int b) {
        sequence[b] = from.sequence[a];
        timestamp[b] = from.timestamp[a];
        businessDate[b] = from.businessDate[a];
        operator[b] = from.operator[a];
        type[b] = from.type[a];
        reason[b] = from.reason[a];
        flags[b] = from.flags[a];
        requestId[b] = from.requestId[a];
        targetKind[b] = from.targetKind[a];
        targetKey[b] = from.targetKey[a];
        targetLength[b] = from.targetLength[a];
        System.arraycopy(from.targetText, a * TEXT_BYTES, targetText, b * TEXT_BYTES, TEXT_BYTES);
    }

    private int slotOf(final long n) {
        return (int) (n % capacity);
    }

    /** Records one decision; the oldest entry leaves when the trail is full. Only while the trail is open. */
    void record(final long journalSequence, final long timestampMillis, final int date, final int operatorIndex,
            final int typeCode, final int reasonCode, final int entryFlags, final long clientRequestId, final Target target) {
        final int slot = slotOf(written);
        sequence[slot] = journalSequence;
        timestamp[slot] = timestampMillis;
        businessDate[slot] = date;
        operator[slot] = operatorIndex;
        type[slot] = (short) typeCode;
        reason[slot] = (short) reasonCode;
        flags[slot] = (byte) entryFlags;
        requestId[slot] = clientRequestId;
        targetKind[slot] = (byte) target.kind.code;
        targetKey[slot] = target.key;
        final String text = target.text;
        final int length = Math.min(text.length(), TEXT_BYTES);
        final int base = slot * TEXT_BYTES;
        for (int i = 0; i < TEXT_BYTES; i++) {
            final char c = i < length ? text.charAt(i) : 0;
            targetText[base + i] = (byte) (i >= length ? 0 : c >= 0x20 && c <= 0x7E ? c : '?');
        }
        targetLength[slot] = (byte) length;
        if (size() == capacity) {
            oldest++;
        }
        written++;
    }

    // ------------------------------------------------------------------ reading: the i-th oldest kept entry

    private int slot(final int i) {
        return slotOf(oldest + i);
    }

    public long sequence(final int i) {
        return sequence[slot(i)];
    }

    public long timestamp(final int i) {
        return timestamp[slot(i)];
    }

    /** The business date the command was decided on, yyyymmdd (0 before the first cut-over). */
    public int businessDate(final int i) {
        return businessDate[slot(i)];
    }

    /** The operator's index in the operator table, {@link #SYSTEM} or {@link #UNKNOWN_OPERATOR}. */
    public int operator(final int i) {
        return operator[slot(i)];
    }

    /** The command type code (a code this build may not know, when the command could not be decoded). */
    public int type(final int i) {
        return type[slot(i)] & 0xFFFF;
    }

    public int reason(final int i) {
        return reason[slot(i)];
    }

    public int flags(final int i) {
        return flags[slot(i)];
    }

    public long requestId(final int i) {
        return requestId[slot(i)];
    }

    public TargetKind targetKind(final int i) {
        return TargetKind.ofCode(targetKind[slot(i)]);
    }

    /** A card's key (-1: not a well-formed card number) or a numeric target's number; 0 for text targets. */
    public long targetKey(final int i) {
        return targetKey[slot(i)];
    }

    /** A text target, or a card masked; "" for numeric targets and none. */
    public String targetText(final int i) {
        final int s = slot(i);
        return new String(targetText, s * TEXT_BYTES, targetLength[s], StandardCharsets.US_ASCII);
    }

    /** Whether the i-th oldest entry's target text is {@code text} (compared without allocating). */
    public boolean targetTextIs(final int i, final String text) {
        final int s = slot(i);
        final int length = targetLength[s];
        if (text.length() != length) {
            return false;
        }
        final int base = s * TEXT_BYTES;
        for (int k = 0; k < length; k++) {
            if (targetText[base + k] != text.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /**
     * How many kept entries have a journal sequence below {@code before}: the newest of them is at that count − 1
     * (sequences rise with the trail's order; binary search).
     */
    public int countBefore(final long before) {
        int low = 0;
        int high = size();
        while (low < high) {
            final int mid = (low + high) >>> 1;
            if (sequence(mid) < before) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    // ------------------------------------------------------------------ snapshots

    public void writeTo(final StateWriter out) {
        out.i32(capacity);
        out.i64(written);
        final int n = size();
        out.i32(n);
        for (int i = 0; i < n; i++) {
            final int s = slot(i);
            out.i64(sequence[s]);
            out.i64(timestamp[s]);
            out.i32(businessDate[s]);
            out.i32(operator[s]);
            out.i16(type[s]);
            out.i16(reason[s]);
            out.i8(flags[s]);
            out.i64(requestId[s]);
            out.i8(targetKind[s]);
            out.i64(targetKey[s]);
            out.i8(targetLength[s]);
            out.bytes(targetText, s * TEXT_BYTES, targetLength[s]);
        }
    }

    /** Reads what {@link #writeTo} wrote; {@code operators} is the size of the operator table, for checks. */
    public void readFrom(final StateReader in, final int operators) {
        final int storedCapacity = in.i32();
        final long total = in.i64();
        final int n = in.i32();
        if (storedCapacity < 0 || storedCapacity > LedgerConfig.MAX_AUDIT_ENTRIES || total < 0 || n < 0
                || n > storedCapacity || n > total || storedCapacity == 0 && total != 0) {
            throw new IllegalStateException("state corrupt: audit trail of capacity " + storedCapacity + " keeping " + n
                    + " of " + total + " entries");
        }
        if (storedCapacity == 0) {
            capacity = 0;
            written = 0;
            oldest = 0;
            return;
        }
        allocate(storedCapacity);
        written = total;
        oldest = total - n;
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            final int s = slot(i);
            sequence[s] = in.i64();
            timestamp[s] = in.i64();
            businessDate[s] = in.i32();
            operator[s] = in.i32();
            type[s] = in.i16();
            reason[s] = in.i16();
            flags[s] = in.i8();
            requestId[s] = in.i64();
            targetKind[s] = in.i8();
            targetKey[s] = in.i64();
            targetLength[s] = in.i8();
            if (targetLength[s] < 0 || targetLength[s] > TEXT_BYTES || TargetKind.ofCode(targetKind[s]) == null
                    || operator[s] < UNKNOWN_OPERATOR || operator[s] >= operators || sequence[s] <= previous) {
                throw new IllegalStateException("state corrupt: audit entry " + (total - n + i) + " (sequence "
                        + sequence[s] + ")");
            }
            previous = sequence[s];
            in.bytes(targetText, s * TEXT_BYTES, targetLength[s]);
        }
    }
}
