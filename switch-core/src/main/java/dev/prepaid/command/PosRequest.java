package dev.prepaid.command;

import static dev.prepaid.command.CommandHeader.ORDER;

import dev.prepaid.card.Pan;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over a POS transaction command: the decoded, checked content of one ISO 8583 request, in a
 * fixed 132-byte layout (header + 128 bytes) that the journal stores as is. Nothing secret is here: the
 * PIN arrives as the card's PIN check value, computed on the I/O thread.
 *
 * <p>Layout (little-endian, offsets from the start of the command):
 * <pre>
 *   0 u16 type = 1 (POS)          2 u16 layout version = 1
 *   4 u8  kind (PosKind code)     5 u8  original kind (reversal, batch upload)
 *   6 u8  PAN length (0: none)    7 u8  flags: 1 PIN entered, 2 card present (track 2), 4 card type checked
 *   8 u16 POS entry mode (n3)    10 u16 POS condition code (n2)
 *  12 i64 terminal id (8 ASCII bytes, first character in the high byte)
 *  20 i64 merchant id chars 0-7  28 i64 merchant id chars 8-14 and a space
 *  36 i64 PAN body (all digits but the check digit)
 *  44 i64 amount (fen)           52 i64 PIN check value
 *  60 i32 batch (60.2)           64 i32 STAN (11)
 *  68 i64 original RRN (37)      76 i32 original authorisation code (38; -1 none)
 *  80 i32 original batch (61.1)  84 i32 original STAN (61.2)
 *  88 u16 original date MMDD     90 u16 expiry YYMM (0: none)
 *  92 u16 reversal reason (2 ASCII characters of field 39 in a 0400)
 *  94 u16 currency (49)          96 i32 batch-upload count (48)
 * 100 i64 settlement debit amount   108 i32 debit count
 * 112 i32 settlement credit count   116 i64 credit amount
 * 124 u8  PAN check digit       125 u8  network management code (60.3) for sign-on
 * 126 u16 card type whose keys the card data was checked with (flag 4; 0: the BIN is unknown to the
 *         I/O thread); the ledger declines when its card is of another type
 * 128 4 bytes reserved, zero
 * </pre>
 * Flag 4 and offset 126 were reserved zeros before 2026-12-07: a request of an older journal has neither,
 * and the ledger reads it as it was read then.
 */
public final class PosRequest {
    public static final int TYPE = 1;
    public static final int VERSION = 1;
    public static final int LENGTH = 132;

    public static final int FLAG_PIN_ENTERED = 1;
    public static final int FLAG_CARD_PRESENT = 2;
    public static final int FLAG_CARD_TYPE_CHECKED = 4;

    private static final int KIND = 4;
    private static final int ORIGINAL_KIND = 5;
    private static final int PAN_LENGTH = 6;
    private static final int FLAGS = 7;
    private static final int ENTRY_MODE = 8;
    private static final int CONDITION_CODE = 10;
    private static final int TERMINAL_ID = 12;
    private static final int MERCHANT_HIGH = 20;
    private static final int MERCHANT_LOW = 28;
    private static final int PAN_BODY = 36;
    private static final int AMOUNT = 44;
    private static final int PIN_CHECK = 52;
    private static final int BATCH = 60;
    private static final int STAN = 64;
    private static final int ORIGINAL_RRN = 68;
    private static final int ORIGINAL_AUTH = 76;
    private static final int ORIGINAL_BATCH = 80;
    private static final int ORIGINAL_STAN = 84;
    private static final int ORIGINAL_DATE = 88;
    private static final int EXPIRY = 90;
    private static final int REVERSAL_REASON = 92;
    private static final int CURRENCY = 94;
    private static final int UPLOAD_COUNT = 96;
    private static final int SETTLE_DEBIT_AMOUNT = 100;
    private static final int SETTLE_DEBIT_COUNT = 108;
    private static final int SETTLE_CREDIT_COUNT = 112;
    private static final int SETTLE_CREDIT_AMOUNT = 116;
    private static final int PAN_CHECK_DIGIT = 124;
    private static final int NETWORK_CODE = 125;
    private static final int CHECKED_CARD_TYPE = 126;
    private static final int RESERVED = 128;

    private DirectBuffer buffer;
    private MutableDirectBuffer mutable;
    private int offset;

    /**
     * Wraps a command for reading. (No {@code instanceof} here: an interface type check per command goes
     * through the JVM's secondary-supers cache, which profiling showed costing a third of a purchase.)
     */
    public PosRequest wrap(final DirectBuffer buffer, final int offset) {
        this.buffer = buffer;
        this.mutable = null;
        this.offset = offset;
        return this;
    }

    /** Wraps a buffer for reading and writing, keeping what it holds. */
    public PosRequest wrapForUpdate(final MutableDirectBuffer buffer, final int offset) {
        this.buffer = buffer;
        this.mutable = buffer;
        this.offset = offset;
        return this;
    }

    /** Wraps a buffer for writing and fills the header and the reserved bytes; every field starts at zero. */
    public PosRequest wrapForEncode(final MutableDirectBuffer buffer, final int offset) {
        wrapForUpdate(buffer, offset);
        buffer.setMemory(offset, LENGTH, (byte) 0);
        CommandHeader.write(buffer, offset, TYPE, VERSION);
        buffer.putShort(offset + CURRENCY, (short) 156, ORDER);
        buffer.putInt(offset + ORIGINAL_AUTH, -1, ORDER);
        return this;
    }

    public int offset() {
        return offset;
    }

    public PosKind kind() {
        return PosKind.ofCode(kindCode());
    }

    public int kindCode() {
        return buffer.getByte(offset + KIND) & 0xFF;
    }

    public PosKind originalKind() {
        return PosKind.ofCode(buffer.getByte(offset + ORIGINAL_KIND) & 0xFF);
    }

    public int panLength() {
        return buffer.getByte(offset + PAN_LENGTH) & 0xFF;
    }

    public int flags() {
        return buffer.getByte(offset + FLAGS) & 0xFF;
    }

    public boolean pinEntered() {
        return (flags() & FLAG_PIN_ENTERED) != 0;
    }

    public boolean cardPresent() {
        return (flags() & FLAG_CARD_PRESENT) != 0;
    }

    public int entryMode() {
        return buffer.getShort(offset + ENTRY_MODE, ORDER) & 0xFFFF;
    }

    public int conditionCode() {
        return buffer.getShort(offset + CONDITION_CODE, ORDER) & 0xFFFF;
    }

    public long terminalId() {
        return buffer.getLong(offset + TERMINAL_ID, ORDER);
    }

    public long merchantIdHigh() {
        return buffer.getLong(offset + MERCHANT_HIGH, ORDER);
    }

    public long merchantIdLow() {
        return buffer.getLong(offset + MERCHANT_LOW, ORDER);
    }

    public long panBody() {
        return buffer.getLong(offset + PAN_BODY, ORDER);
    }

    public int panCheckDigit() {
        return buffer.getByte(offset + PAN_CHECK_DIGIT) & 0xFF;
    }

    public long amount() {
        return buffer.getLong(offset + AMOUNT, ORDER);
    }

    public long pinCheck() {
        return buffer.getLong(offset + PIN_CHECK, ORDER);
    }

    public int batch() {
        return buffer.getInt(offset + BATCH, ORDER);
    }

    public int stan() {
        return buffer.getInt(offset + STAN, ORDER);
    }

    public long originalRrn() {
        return buffer.getLong(offset + ORIGINAL_RRN, ORDER);
    }

    public int originalAuthCode() {
        return buffer.getInt(offset + ORIGINAL_AUTH, ORDER);
    }

    public int originalBatch() {
        return buffer.getInt(offset + ORIGINAL_BATCH, ORDER);
    }

    public int originalStan() {
        return buffer.getInt(offset + ORIGINAL_STAN, ORDER);
    }

    public int originalDate() {
        return buffer.getShort(offset + ORIGINAL_DATE, ORDER) & 0xFFFF;
    }

    public int expiry() {
        return buffer.getShort(offset + EXPIRY, ORDER) & 0xFFFF;
    }

    public int reversalReason() {
        return buffer.getShort(offset + REVERSAL_REASON, ORDER) & 0xFFFF;
    }

    public int currency() {
        return buffer.getShort(offset + CURRENCY, ORDER) & 0xFFFF;
    }

    public int uploadCount() {
        return buffer.getInt(offset + UPLOAD_COUNT, ORDER);
    }

    public long settleDebitAmount() {
        return buffer.getLong(offset + SETTLE_DEBIT_AMOUNT, ORDER);
    }

    public int settleDebitCount() {
        return buffer.getInt(offset + SETTLE_DEBIT_COUNT, ORDER);
    }

    public long settleCreditAmount() {
        return buffer.getLong(offset + SETTLE_CREDIT_AMOUNT, ORDER);
    }

    public int settleCreditCount() {
        return buffer.getInt(offset + SETTLE_CREDIT_COUNT, ORDER);
    }

    public int networkCode() {
        return buffer.getByte(offset + NETWORK_CODE) & 0xFF;
    }

    /** Whether the I/O thread states the card type it checked the card data for ({@link #checkedCardType}). */
    public boolean cardTypeChecked() {
        return (flags() & FLAG_CARD_TYPE_CHECKED) != 0;
    }

    /** The card type whose keys the card data was checked with, 0 when its BIN was unknown (flag 4). */
    public int checkedCardType() {
        return buffer.getShort(offset + CHECKED_CARD_TYPE, ORDER) & 0xFFFF;
    }

    /** Whether the reserved bytes are zero, as every writer leaves them. */
    public boolean reservedClear() {
        return buffer.getInt(offset + RESERVED, ORDER) == 0;
    }

    /** The PAN's card key, or -1 when the command carries no well-formed PAN. */
    public long panKey() {
        final int length = panLength();
        final long body = panBody();
        return Pan.isWellFormed(length, body) ? Pan.key(length, body) : -1;
    }

    // ------------------------------------------------------------------ writers (fluent)

    public PosRequest kind(final PosKind kind) {
        mutable.putByte(offset + KIND, (byte) kind.code);
        return this;
    }

    public PosRequest originalKind(final PosKind kind) {
        mutable.putByte(offset + ORIGINAL_KIND, (byte) kind.code);
        return this;
    }

    /** Sets the PAN from its digits: length, body and check digit (the check digit is carried as sent). */
    public PosRequest pan(final int length, final long body, final int checkDigit) {
        mutable.putByte(offset + PAN_LENGTH, (byte) length);
        mutable.putLong(offset + PAN_BODY, body, ORDER);
        mutable.putByte(offset + PAN_CHECK_DIGIT, (byte) checkDigit);
        return this;
    }

    /** Sets the PAN from a string of digits (tests, tools and the simulator). */
    public PosRequest pan(final CharSequence digits) {
        long body = 0;
        for (int i = 0; i < digits.length() - 1; i++) {
            body = body * 10 + (digits.charAt(i) - '0');
        }
        return pan(digits.length(), body, digits.charAt(digits.length() - 1) - '0');
    }

    public PosRequest pinCheck(final long pinCheck) {
        mutable.putLong(offset + PIN_CHECK, pinCheck, ORDER);
        return flags(flags() | FLAG_PIN_ENTERED);
    }

    /** States the card type whose keys the card data was checked with (0: its BIN is unknown here). */
    public PosRequest checkedCardType(final int cardTypeId) {
        mutable.putShort(offset + CHECKED_CARD_TYPE, (short) cardTypeId, ORDER);
        return flags(flags() | FLAG_CARD_TYPE_CHECKED);
    }

    public PosRequest cardPresent(final boolean present) {
        return flags(present ? flags() | FLAG_CARD_PRESENT : flags() & ~FLAG_CARD_PRESENT);
    }

    private PosRequest flags(final int flags) {
        mutable.putByte(offset + FLAGS, (byte) flags);
        return this;
    }

    public PosRequest entryMode(final int mode) {
        mutable.putShort(offset + ENTRY_MODE, (short) mode, ORDER);
        return this;
    }

    public PosRequest conditionCode(final int code) {
        mutable.putShort(offset + CONDITION_CODE, (short) code, ORDER);
        return this;
    }

    public PosRequest terminalId(final long packed) {
        mutable.putLong(offset + TERMINAL_ID, packed, ORDER);
        return this;
    }

    public PosRequest terminalId(final CharSequence id) {
        return terminalId(Ascii.pack(id, 0, 8));
    }

    public PosRequest merchantId(final long high, final long low) {
        mutable.putLong(offset + MERCHANT_HIGH, high, ORDER);
        mutable.putLong(offset + MERCHANT_LOW, low, ORDER);
        return this;
    }

    public PosRequest merchantId(final CharSequence id) {
        return merchantId(Ascii.pack(id, 0, 8), Ascii.pack(id, 8, 8));
    }

    public PosRequest amount(final long fen) {
        mutable.putLong(offset + AMOUNT, fen, ORDER);
        return this;
    }

    public PosRequest batch(final int batch) {
        mutable.putInt(offset + BATCH, batch, ORDER);
        return this;
    }

    public PosRequest stan(final int stan) {
        mutable.putInt(offset + STAN, stan, ORDER);
        return this;
    }

    public PosRequest originalRrn(final long rrn) {
        mutable.putLong(offset + ORIGINAL_RRN, rrn, ORDER);
        return this;
    }

    public PosRequest originalAuthCode(final int code) {
        mutable.putInt(offset + ORIGINAL_AUTH, code, ORDER);
        return this;
    }

    public PosRequest original(final int batch, final int stan, final int mmdd) {
        mutable.putInt(offset + ORIGINAL_BATCH, batch, ORDER);
        mutable.putInt(offset + ORIGINAL_STAN, stan, ORDER);
        mutable.putShort(offset + ORIGINAL_DATE, (short) mmdd, ORDER);
        return this;
    }

    public PosRequest expiry(final int yymm) {
        mutable.putShort(offset + EXPIRY, (short) yymm, ORDER);
        return this;
    }

    public PosRequest reversalReason(final char first, final char second) {
        mutable.putShort(offset + REVERSAL_REASON, (short) ((first << 8) | second), ORDER);
        return this;
    }

    public PosRequest currency(final int code) {
        mutable.putShort(offset + CURRENCY, (short) code, ORDER);
        return this;
    }

    public PosRequest uploadCount(final int count) {
        mutable.putInt(offset + UPLOAD_COUNT, count, ORDER);
        return this;
    }

    public PosRequest settlementTotals(final long debitAmount, final int debitCount, final long creditAmount,
            final int creditCount) {
        mutable.putLong(offset + SETTLE_DEBIT_AMOUNT, debitAmount, ORDER);
        mutable.putInt(offset + SETTLE_DEBIT_COUNT, debitCount, ORDER);
        mutable.putLong(offset + SETTLE_CREDIT_AMOUNT, creditAmount, ORDER);
        mutable.putInt(offset + SETTLE_CREDIT_COUNT, creditCount, ORDER);
        return this;
    }

    public PosRequest networkCode(final int code) {
        mutable.putByte(offset + NETWORK_CODE, (byte) code);
        return this;
    }
}
