package dev.prepaid.pos;

import dev.prepaid.iso8583.Bitmap;
import dev.prepaid.iso8583.Dialect;
import dev.prepaid.iso8583.IsoFrame;
import dev.prepaid.iso8583.IsoMessage;
import dev.prepaid.iso8583.IsoWriter;
import dev.prepaid.iso8583.SubField;
import dev.prepaid.iso8583.Transaction;
import dev.prepaid.iso8583.TransactionTable;
import dev.prepaid.security.DesKey;
import dev.prepaid.security.KeyLayout;
import dev.prepaid.security.KeyMaterialException;
import dev.prepaid.security.MacFunction;
import dev.prepaid.security.PinBlock;
import dev.prepaid.security.WorkingKeys;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One simulated POS terminal speaking the switch's ISO 8583 dialect (the pos-iso8583 specification) over a
 * {@link PosLink}: it signs on and checks the key check values of the working keys, builds every transaction of
 * §4 with PIN block and MAC as the dialect's transaction table says, verifies the MAC of the answers, keeps its
 * batch (totals and the approved transactions for upload), owes a reversal when an answer is lost and sends it
 * before its next transaction, settles and uploads its batch when the switch finds it unbalanced.
 *
 * <p>Blocking and simple: one request in flight (the protocol's rule), every operation returns a
 * {@link PosResult} when its exchange is over. Not thread-safe; one thread per terminal. A caller that moves the
 * frames itself — one event loop for thousands of terminals — uses the same operations as {@link PosExchange}s
 * instead ({@link #startSignOn}, {@link #start}, {@link #startPendingReversal}, {@link #startSettlement}, then
 * {@link #answer} or {@link #failed}); the link is then never used. Programming errors
 * (an original without the RRN a void needs, an amount out of range) throw {@link IllegalArgumentException};
 * everything the network or the switch does is reported in the result.
 *
 * <pre>
 * try (PosTerminal pos = PosTerminal.builder(dialect).terminalId("10000001").merchantId("898310048990001")
 *         .tmk(tmk).switchAddress("127.0.0.1", 8583).build()) {
 *     pos.signOn();
 *     PosResult sale = pos.purchase(Card.manual("6228480402564890018", 2712).withPin("123456"), 1234);
 *     pos.voidPurchase(sale);
 *     pos.settle();
 * }
 * </pre>
 */
public final class PosTerminal implements AutoCloseable {
    /** Header of §1, {@code 60 31 00 31 00 00}. */
    public static final long DEFAULT_HEADER = 0x603100310000L;
    /** Destination NII of the TPDU {@code 60 00 03 00 00}. */
    public static final int DEFAULT_NII = 0x0003;
    public static final int MAX_STAN = 999_999;
    public static final int MAX_BATCH = 999_999;
    /** Field 48's counts are n3: a batch holds at most this many counted transactions. */
    public static final int MAX_BATCH_ENTRIES = 999;
    public static final long MAX_AMOUNT = 999_999_999_999L;

    static final int LENGTH_PREFIX = IsoFrame.LENGTH_BYTES;
    private static final int PIN_CAPTURE_CODE = 12;
    private static final String CURRENCY = "156";
    private static final int ENTRY_MANUAL = 1;
    private static final int ENTRY_MAGSTRIPE = 2;
    /** Fields a reversal does not copy from its original (§4). */
    private static final long NOT_IN_REVERSAL = Bitmap.of(26, 35, 36, 52, 53, 64);
    /** Answers that are not ours (a late answer on a reused line) skipped before giving up. */
    private static final int MAX_STRAY_ANSWERS = 16;
    /** What {@link #accept} found in the receive buffer. */
    private static final int UNDECODABLE = -1;
    private static final int NOT_OURS = 0;
    private static final int OURS = 1;

    // configuration
    private final Dialect dialect;
    private final TransactionTable table;
    private final String terminalId;
    private final String merchantId;
    private final DesKey tmk;
    private final MacFunction macAlgorithm;
    private final KeyLayout keyLayout;
    /** Field 53 as sent; negative: derived from the key layout. */
    private final long securityControl;
    private final PosLink link;
    private final int destinationNii;
    private final int sourceNii;
    private final long header;
    private final long readTimeoutNanos;
    private final String operatorCode;
    private final boolean autoSignOn;
    private final int reversalAttempts;
    private final boolean endBalancedSettlement;
    private final int maxBatchEntries;
    private final Clock clock;

    // codec
    private final IsoWriter writer;
    private final IsoMessage answer;
    private final IsoMessage source;
    private final byte[] tx;
    private final byte[] rx;
    private final byte[] scratch;
    private final UnsafeBuffer txBuffer;
    private final UnsafeBuffer rxBuffer;
    private final UnsafeBuffer scratchBuffer;
    private final byte[] macBytes = new byte[MacFunction.MAC_LENGTH];
    private final byte[] pinBlock = new byte[PinBlock.LENGTH];
    private final SubField messageTypeCode;
    private final SubField batchNumber;
    private final SubField networkCode;
    private final SubField originalBatch;
    private final SubField originalStan;
    private final SubField originalDate;
    private final SubField[] totalsFields;
    private final SubField totalsFlag;
    private final SubField uploadCount;
    private final SubField balanceAmountType;
    private final SubField balanceSign;
    private final SubField balanceAmount;

    // state
    private WorkingKeys keys;
    private int stan;
    private int batch;
    private final List<BatchEntry> entries = new ArrayList<>();
    private PendingReversal pendingReversal;

    private PosTerminal(final Builder b) {
        dialect = b.dialect;
        table = dialect.transactions();
        terminalId = b.terminalId;
        merchantId = b.merchantId;
        tmk = b.tmk;
        macAlgorithm = b.macAlgorithm;
        keyLayout = b.keyLayout;
        securityControl = b.securityControl;
        link = b.link != null ? b.link : new SocketLink(b.host, b.port, (int) b.connectTimeout.toMillis());
        destinationNii = b.destinationNii;
        sourceNii = b.sourceNii;
        header = b.header;
        readTimeoutNanos = b.readTimeout.toNanos();
        operatorCode = b.operatorCode;
        autoSignOn = b.autoSignOn;
        reversalAttempts = b.reversalAttempts;
        endBalancedSettlement = b.endBalancedSettlement;
        maxBatchEntries = b.maxBatchEntries;
        clock = b.clock;
        stan = b.stan;
        batch = b.batch;

        writer = new IsoWriter(dialect);
        answer = new IsoMessage(dialect);
        source = new IsoMessage(dialect);
        tx = new byte[LENGTH_PREFIX + dialect.maxFrameLength];
        rx = new byte[dialect.maxFrameLength];
        scratch = new byte[dialect.maxFrameLength];
        txBuffer = new UnsafeBuffer(tx);
        rxBuffer = new UnsafeBuffer(rx);
        scratchBuffer = new UnsafeBuffer(scratch);
        messageTypeCode = dialect.subField("60.1");
        batchNumber = dialect.subField("60.2");
        networkCode = dialect.subField("60.3");
        originalBatch = dialect.subField("61.1");
        originalStan = dialect.subField("61.2");
        originalDate = dialect.subField("61.3");
        totalsFields = new SubField[] {
            dialect.subField("48.domesticDebitAmount"), dialect.subField("48.domesticDebitCount"),
            dialect.subField("48.domesticCreditAmount"), dialect.subField("48.domesticCreditCount"),
            dialect.subField("48.domesticFlag"), dialect.subField("48.foreignDebitAmount"),
            dialect.subField("48.foreignDebitCount"), dialect.subField("48.foreignCreditAmount"),
            dialect.subField("48.foreignCreditCount"), dialect.subField("48.foreignFlag")};
        totalsFlag = totalsFields[4];
        uploadCount = dialect.subField("48.uploadCount");
        balanceAmountType = dialect.subField("54.amountType");
        balanceSign = dialect.subField("54.sign");
        balanceAmount = dialect.subField("54.amount");
        for (final PosOperation operation : PosOperation.values()) {
            if (table.byName(operation.tableName()) == null) {
                throw new IllegalArgumentException(dialect + " has no transaction " + operation.tableName());
            }
        }
    }

    public static Builder builder(final Dialect dialect) {
        return new Builder(dialect);
    }

    // ------------------------------------------------------------------ state

    public String terminalId() {
        return terminalId;
    }

    public String merchantId() {
        return merchantId;
    }

    /** The last STAN used (the next request gets the one after it; 999999 wraps to 000001). */
    public int stan() {
        return stan;
    }

    /** The open batch (60.2). */
    public int batch() {
        return batch;
    }

    /** Whether the terminal holds working keys from a sign-on (dropped on sign-off, A0 and a bad answer MAC). */
    public boolean signedOn() {
        return keys != null;
    }

    /** The MAK's check value (4 bytes hex), or null when not signed on. */
    public String makCheckValue() {
        return keys == null ? null : keys.mak().checkValueHex(KeyLayout.CHECK_VALUE_LENGTH);
    }

    public String pikCheckValue() {
        return keys == null ? null : keys.pik().checkValueHex(KeyLayout.CHECK_VALUE_LENGTH);
    }

    /** The approved transactions of the open batch that count in its totals, oldest first. */
    public List<BatchEntry> batchEntries() {
        return Collections.unmodifiableList(new ArrayList<>(entries));
    }

    /** How many transactions the open batch holds (what {@link #batchEntries()} would list, without the copy). */
    public int batchSize() {
        return entries.size();
    }

    /** The totals the next settlement will send. */
    public BatchTotals totals() {
        return BatchTotals.of(entries);
    }

    /** The reversal owed to the switch, or null. */
    public PendingReversal pendingReversal() {
        return pendingReversal;
    }

    /**
     * Forgets the owed reversal (an operator's decision: the switch may then hold a transaction the terminal does
     * not).
     */
    public void discardReversal() {
        pendingReversal = null;
    }

    /**
     * Restores state kept between runs (the command's state file): last STAN, open batch, its entries, the
     * reversal owed. Working keys are never kept: sign on again.
     */
    public void restore(final int lastStan, final int openBatch, final List<BatchEntry> batchEntries,
            final PendingReversal reversal) {
        if (lastStan < 0 || lastStan > MAX_STAN || openBatch < 1 || openBatch > MAX_BATCH) {
            throw new IllegalArgumentException("STAN or batch out of range");
        }
        stan = lastStan;
        batch = openBatch;
        entries.clear();
        entries.addAll(batchEntries);
        pendingReversal = reversal;
    }

    /** Drops the connection. */
    @Override
    public void close() {
        link.close();
    }

    // ------------------------------------------------------------------ network management

    /**
     * 0800 sign-on (60.3 = the key layout): on {@code 00} decrypts field 62 under the TMK, checks each key's
     * check value and installs PIK and MAK, and adopts the batch of the answer's 60.2 (the entries of a different
     * batch are dropped: that batch is not the switch's open one). A check value that does not match gives
     * {@link PosResult.Status#KEY_ERROR} and leaves the terminal without keys.
     */
    public PosResult signOn() {
        return run(startSignOn());
    }

    /**
     * The sign-on of {@link #signOn()} as an exchange, for a caller that moves the frames itself
     * ({@link PosExchange}): the terminal drops its working keys now and installs the new ones from the answer.
     */
    public PosExchange startSignOn() {
        final PosResult result = new PosResult(PosOperation.SIGN_ON);
        final Transaction row = row(PosOperation.SIGN_ON);
        keys = null;
        result.stan = nextStan();
        result.batch = batch;
        begin(row).putNumeric(11, result.stan).putAscii(41, terminalId).putAscii(42, merchantId);
        field60(row.single(Transaction.MESSAGE_TYPE_CODE), batch, keyLayout.networkManagementCode());
        writer.putAscii(63, operatorCode);
        return exchangeOf(result, row, finish(row), result.stan, this::signedOn, PosTerminal::over);
    }

    /** After the 0810: the working keys of field 62, checked against their check values, and the batch of 60.2. */
    private PosExchange signedOn(final PosExchange exchange) {
        final PosResult result = exchange.result;
        if (!result.approved()) {
            return null;
        }
        if (!answer.has(62)) {
            result.status = PosResult.Status.KEY_ERROR;
            result.detail = "sign-on answer without field 62";
            return null;
        }
        final byte[] field62 = new byte[answer.dataBytes(62)];
        answer.getBytes(62, field62, 0);
        try {
            keys = WorkingKeys.fromField62(keyLayout, tmk, field62, 0, field62.length);
        } catch (final KeyMaterialException e) {
            result.status = PosResult.Status.KEY_ERROR;
            result.detail = e.getMessage();
            return null;
        } finally {
            Arrays.fill(field62, (byte) 0);
        }
        result.pikCheckValue = pikCheckValue();
        result.makCheckValue = makCheckValue();
        final long adopted = answer.subField(batchNumber);
        if (adopted >= 1 && adopted <= MAX_BATCH && adopted != batch) {
            if (!entries.isEmpty()) {
                result.detail = "batch " + Card.pad(batch, 6) + " replaced by the switch's " + Card.pad(adopted, 6)
                        + ": " + entries.size() + " transaction(s) dropped from the terminal's totals";
            }
            entries.clear();
            batch = (int) adopted;
        }
        result.batch = batch;
        return null;
    }

    /** 0820 sign-off (60.3 = 002); the terminal drops its working keys whatever the answer. */
    public PosResult signOff() {
        final PosResult result = networkManagement(PosOperation.SIGN_OFF, 2);
        keys = null;
        return result;
    }

    /** 0820 echo test (60.3 = 301). */
    public PosResult echo() {
        return networkManagement(PosOperation.ECHO_TEST, 301);
    }

    private PosResult networkManagement(final PosOperation operation, final int code) {
        final PosResult result = new PosResult(operation);
        final Transaction row = row(operation);
        result.stan = nextStan();
        result.batch = batch;
        begin(row).putNumeric(11, result.stan).putAscii(41, terminalId).putAscii(42, merchantId);
        field60(row.single(Transaction.MESSAGE_TYPE_CODE), batch, row.single(Transaction.NETWORK_CODE) >= 0
                ? row.single(Transaction.NETWORK_CODE) : code);
        return run(exchangeOf(result, row, finish(row), result.stan, PosTerminal::over, PosTerminal::over));
    }

    // ------------------------------------------------------------------ financial transactions

    /** 0200 purchase with the card's own PIN ({@link Card#pin()}, none when null). */
    public PosResult purchase(final Card card, final long amount) {
        return purchase(card, amount, card.pin());
    }

    /** 0200 purchase; {@code pin} null for none (entry mode x2, no 26/52/53). */
    public PosResult purchase(final Card card, final long amount, final String pin) {
        return financial(PosOperation.PURCHASE, card, amount, pin, null);
    }

    public PosResult balance(final Card card) {
        return balance(card, card.pin());
    }

    /** 0200 balance inquiry; the balances are in the result ({@link PosResult#availableBalance()}). */
    public PosResult balance(final Card card, final String pin) {
        return financial(PosOperation.BALANCE_INQUIRY, card, -1, pin, null);
    }

    public PosResult recharge(final Card card, final long amount) {
        return recharge(card, amount, card.pin());
    }

    /** 0200 recharge (top-up). */
    public PosResult recharge(final Card card, final long amount, final String pin) {
        return financial(PosOperation.RECHARGE, card, amount, pin, null);
    }

    public PosResult preAuth(final Card card, final long amount) {
        return preAuth(card, amount, card.pin());
    }

    /** 0100 pre-authorisation (25 = 06). */
    public PosResult preAuth(final Card card, final long amount, final String pin) {
        return financial(PosOperation.PREAUTH, card, amount, pin, null);
    }

    /** 0200 purchase void: the original's amount, 37, 38, 61 = its batch and STAN; no PIN. */
    public PosResult voidPurchase(final Original original) {
        return financial(PosOperation.PURCHASE_VOID, original.card(), original.amount(), null, original);
    }

    public PosResult voidPurchase(final PosResult original) {
        return voidPurchase(original.original());
    }

    /** 0220 refund of {@code amount}: 37 of the original, 61 = its batch, STAN and date; no PIN. */
    public PosResult refund(final Original original, final long amount) {
        return financial(PosOperation.REFUND, original.card(), amount, null, original);
    }

    public PosResult refund(final PosResult original, final long amount) {
        return refund(original.original(), amount);
    }

    /** 0100 pre-authorisation cancel: the pre-auth's amount, 38, 61 = its batch, STAN and date; no PIN. */
    public PosResult preAuthCancel(final Original original) {
        return financial(PosOperation.PREAUTH_CANCEL, original.card(), original.amount(), null, original);
    }

    public PosResult preAuthCancel(final PosResult original) {
        return preAuthCancel(original.original());
    }

    /** 0200 pre-authorisation completion of {@code amount} (≤ authorised): 38, 61 = batch, STAN and date. */
    public PosResult complete(final Original original, final long amount) {
        return financial(PosOperation.COMPLETION, original.card(), amount, null, original);
    }

    public PosResult complete(final PosResult original, final long amount) {
        return complete(original.original(), amount);
    }

    /** 0200 completion void: the completion's amount, 37, 38, 61 = its batch and STAN. */
    public PosResult voidCompletion(final Original original) {
        return financial(PosOperation.COMPLETION_VOID, original.card(), original.amount(), null, original);
    }

    public PosResult voidCompletion(final PosResult original) {
        return voidCompletion(original.original());
    }

    /** 0200 recharge void: the recharge's amount, 37, 38, 61 = its batch and STAN. */
    public PosResult voidRecharge(final Original original) {
        return financial(PosOperation.RECHARGE_VOID, original.card(), original.amount(), null, original);
    }

    public PosResult voidRecharge(final PosResult original) {
        return voidRecharge(original.original());
    }

    private PosResult financial(final PosOperation operation, final Card card, final long amount, final String pin,
            final Original original) {
        final Transaction row = row(operation);
        check(operation, row, card, amount, pin, original);
        final PosResult result = new PosResult(operation);
        result.card = card;
        result.amount = amount;
        final List<PosResult> before = new ArrayList<>(2);
        if (!prepare(before, result, true)) {
            return result;
        }
        if ((operation.debit() || operation.credit()) && entries.size() >= maxBatchEntries) {
            result.status = PosResult.Status.NOT_SENT;
            result.detail = "batch " + Card.pad(batch, 6) + " holds " + entries.size() + " transactions: settle first";
            return result;
        }
        return run(financialExchange(operation, row, card, amount, pin, original, result));
    }

    /**
     * A financial transaction of §4 as an exchange, for a caller that moves the frames itself ({@link PosExchange}):
     * the request the blocking method of the operation sends, booked in the batch when approved, its reversal owed
     * when no usable answer came. Nothing is sent first: the terminal must hold working keys ({@link #startSignOn})
     * and owe no reversal ({@link #startPendingReversal}), and a transaction counted in the totals needs room in the
     * batch ({@link #startSettlement}) — the blocking methods see to all three themselves.
     *
     * @param amount   field 4 in fen; −1 for none (balance inquiry, pre-authorisation cancel)
     * @param pin      the PIN typed, or null for none
     * @param original what a void, refund, cancel or completion refers to; null for the others
     * @throws IllegalArgumentException as the blocking methods, and for an operation that is not financial
     * @throws IllegalStateException    when not signed on, a reversal is owed or the batch is full
     */
    public PosExchange start(final PosOperation operation, final Card card, final long amount, final String pin,
            final Original original) {
        if (!operation.reversible() && operation != PosOperation.BALANCE_INQUIRY) {
            throw new IllegalArgumentException(operation + " is not a financial transaction");
        }
        final Transaction row = row(operation);
        check(operation, row, card, amount, pin, original);
        if (keys == null) {
            throw new IllegalStateException(operation + ": not signed on (startSignOn first)");
        }
        if (pendingReversal != null) {
            throw new IllegalStateException(operation + ": the reversal of STAN " + Card.pad(pendingReversal.stan(), 6)
                    + " is owed (startPendingReversal first)");
        }
        if ((operation.debit() || operation.credit()) && entries.size() >= maxBatchEntries) {
            throw new IllegalStateException(operation + ": batch " + Card.pad(batch, 6) + " holds " + entries.size()
                    + " transactions (startSettlement first)");
        }
        final PosResult result = new PosResult(operation);
        result.card = card;
        result.amount = amount;
        return financialExchange(operation, row, card, amount, pin, original, result);
    }

    private PosExchange financialExchange(final PosOperation operation, final Transaction row, final Card card,
            final long amount, final String pin, final Original original, final PosResult result) {
        result.stan = nextStan();
        result.batch = batch;
        result.requestDate = today();
        final String originalData = buildFinancial(operation, row, card, amount, pin, original, result.stan);
        return exchangeOf(result, row, finish(row), result.stan, answered -> {
            if (answered.result.approved()) {
                book(operation, card, amount, pin, original, originalData, answered.result);
            }
            return null;
        }, lost -> {
            if (operation.reversible() && lost.result.status != PosResult.Status.NOT_SENT) {
                oweReversal(operation, lost.result);
            }
            return null;
        });
    }

    private static void check(final PosOperation operation, final Transaction row, final Card card,
            final long amount, final String pin, final Original original) {
        if (card == null) {
            throw new IllegalArgumentException(operation + " needs a card");
        }
        if (pin != null && (card.pan().length() < 13 || pin.length() < PinBlock.MIN_PIN_LENGTH
                || pin.length() > PinBlock.MAX_PIN_LENGTH || !pin.chars().allMatch(c -> c >= '0' && c <= '9'))) {
            throw new IllegalArgumentException(operation + ": a PIN block needs a PIN of 4-12 digits and a PAN of"
                    + " 13-19 digits");
        }
        if (Bitmap.has(row.requiredFields, 4) && (amount < 0 || amount > MAX_AMOUNT)) {
            throw new IllegalArgumentException(operation + ": amount must be 0 to " + MAX_AMOUNT + " fen, not "
                    + amount);
        }
        final PosOperation expected = operation.originalOperation();
        if (expected == null) {
            return;
        }
        if (original == null) {
            throw new IllegalArgumentException(operation + " needs its original " + expected);
        }
        final boolean refundOfCompletion = operation == PosOperation.REFUND
                && original.operation() == PosOperation.COMPLETION;
        if (original.operation() != null && original.operation() != expected && !refundOfCompletion) {
            throw new IllegalArgumentException(operation + " needs an original " + expected + ", not "
                    + original.operation());
        }
        if (Bitmap.has(row.requiredFields, 37) && !printable(original.rrn(), 12)) {
            throw new IllegalArgumentException(operation + " needs the original's RRN (field 37, up to 12 characters)");
        }
        if (Bitmap.has(row.requiredFields, 38) && !printable(original.authCode(), 6)) {
            throw new IllegalArgumentException(operation + " needs the original's authorisation code (field 38, up to"
                    + " 6 characters)");
        }
    }

    private static boolean printable(final String text, final int max) {
        return text != null && !text.isEmpty() && text.length() <= max
                && text.chars().allMatch(c -> c >= 0x20 && c <= 0x7E);
    }

    /** Writes the request up to field 64; returns field 61 as digits (null when not sent). */
    private String buildFinancial(final PosOperation operation, final Transaction row, final Card card,
            final long amount, final String pin, final Original original, final int requestStan) {
        final boolean withPin = pin != null;
        final boolean swiped = card.swiped();
        begin(row);
        if (!swiped) {
            writer.putDigits(2, card.pan());
        }
        writer.putNumeric(3, row.single(Transaction.PROCESSING_CODE));
        if (amount >= 0 && allowed(row, 4)) {
            writer.putNumeric(4, amount);
        }
        writer.putNumeric(11, requestStan);
        if (!swiped && allowed(row, 14)) {
            writer.putNumeric(14, card.expiryYymm());
        }
        if (allowed(row, 22)) {
            writer.putNumeric(22, entryMode(swiped, withPin));
        }
        if (row.single(Transaction.CONDITION_CODE) >= 0) {
            writer.putNumeric(25, row.single(Transaction.CONDITION_CODE));
        }
        if (withPin) {
            writer.putNumeric(26, PIN_CAPTURE_CODE);
        }
        if (swiped) {
            writer.putDigits(35, card.track2());
        }
        if (Bitmap.has(row.requiredFields, 37)) {
            writer.putAscii(37, original.rrn());
        }
        if (Bitmap.has(row.requiredFields, 38)) {
            writer.putAscii(38, original.authCode());
        }
        writer.putAscii(41, terminalId).putAscii(42, merchantId);
        if (allowed(row, 49)) {
            writer.putAscii(49, CURRENCY);
        }
        if (withPin) {
            final int built = PinBlock.encrypt(keys.pik(), pin, card.pan(), pinBlock, 0);
            if (built != PinBlock.OK) {
                throw new IllegalArgumentException(built == PinBlock.INVALID_PAN
                        ? "a PIN block needs a PAN of 13-19 digits" : "a PIN is 4 to 12 digits");
            }
            writer.putBinary(52, pinBlock, 0, PinBlock.LENGTH);
            Arrays.fill(pinBlock, (byte) 0);
            writer.putNumeric(53, securityControl());
        }
        field60(row.single(Transaction.MESSAGE_TYPE_CODE), batch, row.single(Transaction.NETWORK_CODE));
        String originalData = null;
        if (Bitmap.has(row.requiredFields, 61)) {
            final boolean withDate = operation == PosOperation.REFUND || operation == PosOperation.PREAUTH_CANCEL
                    || operation == PosOperation.COMPLETION;
            final int date = original.dateMmdd() >= 0 ? original.dateMmdd() : today();
            originalData = Card.pad(original.batch(), 6) + Card.pad(original.stan(), 6)
                    + (withDate ? Card.pad(date, 4) : "");
            writer.beginField(61).putSubField(originalBatch, original.batch())
                    .putSubField(originalStan, original.stan());
            if (withDate) {
                writer.putSubField(originalDate, date);
            }
            writer.endField();
        }
        putMac(row);
        return originalData;
    }

    /** Field 22, left-aligned n3: 01/02 then 1 (PIN entered) or 2 (no PIN); e.g. 21 is written {@code 02 10}. */
    private static int entryMode(final boolean swiped, final boolean withPin) {
        return (swiped ? ENTRY_MAGSTRIPE : ENTRY_MANUAL) * 10 + (withPin ? 1 : 2);
    }

    /** Field 53: PIN block with PAN (2), 3DES double-length (6) or single DES (0) for layout 001, track clear. */
    private long securityControl() {
        if (securityControl >= 0) {
            return securityControl;
        }
        return keyLayout.pikLength() == DesKey.DOUBLE_LENGTH ? 2_600_000_000_000_000L : 2_000_000_000_000_000L;
    }

    /** Records an approved transaction in the batch, or takes a voided one out. */
    private void book(final PosOperation operation, final Card card, final long amount, final String pin,
            final Original original, final String originalData, final PosResult result) {
        if (operation.debit() || operation.credit()) {
            entries.add(new BatchEntry(operation, card.pan(), card.expiryYymm(),
                    entryMode(card.swiped(), pin != null), amount, result.batch, result.stan, result.rrn,
                    result.authCode, result.localDate >= 0 ? result.localDate : result.requestDate, originalData));
        } else if (operation == PosOperation.PURCHASE_VOID || operation == PosOperation.RECHARGE_VOID
                || operation == PosOperation.COMPLETION_VOID) {
            final PosOperation voided = operation.originalOperation();
            entries.removeIf(e -> e.operation() == voided && e.batch() == original.batch()
                    && e.stan() == original.stan());
        }
    }

    // ------------------------------------------------------------------ reversal

    /**
     * Records the reversal of the request that {@code result} sent: a copy without 26, 35, 36, 52, 53 and 64, with
     * field 39 = why (98 no answer, A0 MAC, 06 other).
     */
    private void oweReversal(final PosOperation operation, final PosResult result) {
        final String reason = switch (result.status) {
            case TIMEOUT -> PendingReversal.REASON_TIMEOUT;
            case MAC_ERROR -> PendingReversal.REASON_MAC;
            default -> PendingReversal.REASON_OTHER;
        };
        if (!source.wrap(new UnsafeBuffer(result.request), 0, result.request.length)) {
            throw new IllegalStateException("cannot decode the request just sent: " + source.error());
        }
        final Transaction row = row(PosOperation.REVERSAL);
        writer.wrapRequest(scratchBuffer, 0, scratch.length, destinationNii, sourceNii, header, row.mti);
        for (int field = 2; field <= 63; field++) {
            if (field == 39) {
                writer.putAscii(39, reason);
            } else if (source.has(field) && !Bitmap.has(NOT_IN_REVERSAL, field)) {
                writer.copyField(source, field);
            }
        }
        final int length = writer.finish();
        if (length < 0) {
            throw new IllegalStateException("cannot build the reversal: " + writer.error());
        }
        pendingReversal = new PendingReversal(operation, result.stan, reason, Arrays.copyOf(scratch, length));
        result.reversalOwed = pendingReversal;
    }

    /**
     * Sends the owed reversal now (the terminal does this itself before its next transaction). Clears it when
     * the switch answers {@code 00}; returns null when none is owed.
     */
    public PosResult sendPendingReversal() {
        final PendingReversal owed = pendingReversal;
        if (owed == null) {
            return null;
        }
        if (keys == null) {
            final PosResult result = reversalResult(owed);
            result.detail = "not signed on: the reversal of " + owed.operation().command + " needs the MAK";
            return result;
        }
        return run(startPendingReversal());
    }

    /**
     * The owed reversal of {@link #sendPendingReversal()} as an exchange, for a caller that moves the frames
     * itself ({@link PosExchange}); null when none is owed. It is cleared when the switch answers {@code 00}.
     *
     * @throws IllegalStateException when not signed on: the 0400's MAC needs the MAK ({@link #startSignOn} first)
     */
    public PosExchange startPendingReversal() {
        final PendingReversal owed = pendingReversal;
        if (owed == null) {
            return null;
        }
        if (keys == null) {
            throw new IllegalStateException("not signed on: the reversal of " + owed.operation().command
                    + " needs the MAK (startSignOn first)");
        }
        final PosResult result = reversalResult(owed);
        final Transaction row = row(PosOperation.REVERSAL);
        begin(row);
        for (int field = 2; field <= 63; field++) {
            if (source.has(field)) {
                writer.copyField(source, field);
            }
        }
        putMac(row);
        return exchangeOf(result, row, finish(row), owed.stan(), answered -> {
            if (answered.result.approved()) {
                pendingReversal = null;
            }
            return null;
        }, PosTerminal::over);
    }

    /** The result of sending {@code owed}, with the owed 0400 decoded in {@link #source}. */
    private PosResult reversalResult(final PendingReversal owed) {
        final PosResult result = new PosResult(PosOperation.REVERSAL);
        result.stan = owed.stan();
        final byte[] template = owed.message();
        if (!source.wrap(new UnsafeBuffer(template), 0, template.length)) {
            throw new IllegalStateException("owed reversal does not decode: " + source.error());
        }
        result.batch = (int) source.subField(batchNumber);
        result.amount = source.has(4) ? source.numeric(4) : -1;
        result.detail = "reverses " + owed.operation().command + ", reason " + owed.reason();
        return result;
    }

    /**
     * What must happen before a transaction: sign on when there are no keys (if allowed), then send the owed
     * reversal until it is answered {@code 00} (re-signing on after an A0). False, with the result NOT_SENT,
     * when the transaction must not go.
     */
    private boolean prepare(final List<PosResult> before, final PosResult result, final boolean needsKeys) {
        result.preliminaries = before;
        if ((needsKeys || pendingReversal != null) && keys == null && !signOnFirst(before, result)) {
            return false;
        }
        for (int attempt = 0; attempt < reversalAttempts && pendingReversal != null; attempt++) {
            before.add(sendPendingReversal());
            if (keys == null && !signOnFirst(before, result)) {
                return false;
            }
        }
        if (pendingReversal != null) {
            result.status = PosResult.Status.NOT_SENT;
            result.detail = "the reversal of STAN " + Card.pad(pendingReversal.stan(), 6)
                    + " is still owed: not answered 00 after " + reversalAttempts + " attempt(s)";
            return false;
        }
        return true;
    }

    private boolean signOnFirst(final List<PosResult> before, final PosResult result) {
        if (!autoSignOn) {
            result.status = PosResult.Status.NOT_SENT;
            result.detail = "not signed on";
            return false;
        }
        final PosResult signOn = signOn();
        before.add(signOn);
        if (!signOn.approved()) {
            result.status = PosResult.Status.NOT_SENT;
            result.detail = "sign-on failed: " + (signOn.status() == PosResult.Status.ANSWERED
                    ? signOn.responseCode() + " " + signOn.responseMeaning()
                    : signOn.status().text + (signOn.detail() != null ? " (" + signOn.detail() + ")" : ""));
            return false;
        }
        return true;
    }

    // ------------------------------------------------------------------ settlement

    /**
     * 0500 batch settlement with field 48 = the batch's totals. On {@code 00}: flag 2 (unbalanced) uploads every
     * counted transaction with 0320/201 and ends with 0320/202 (48 = the count); flag 1 ends with 0320/207 when
     * so configured. Then the batch is closed and the next one opened (999999 wraps to 000001), whatever the
     * upload gave: the switch closed it with its answer.
     */
    public PosResult settle() {
        final PosResult result = new PosResult(PosOperation.BATCH_SETTLEMENT);
        final List<PosResult> before = new ArrayList<>(2);
        if (!prepare(before, result, false)) {
            return result;
        }
        return run(settlementExchange(result));
    }

    /**
     * The settlement of {@link #settle()} as an exchange, for a caller that moves the frames itself
     * ({@link PosExchange}): after its answer come the batch upload's exchanges the switch asks for, then the batch
     * is closed, as the blocking method does.
     *
     * @throws IllegalStateException when a reversal is owed ({@link #startPendingReversal} first)
     */
    public PosExchange startSettlement() {
        if (pendingReversal != null) {
            throw new IllegalStateException("settlement: the reversal of STAN " + Card.pad(pendingReversal.stan(), 6)
                    + " is owed (startPendingReversal first)");
        }
        return settlementExchange(new PosResult(PosOperation.BATCH_SETTLEMENT));
    }

    private PosExchange settlementExchange(final PosResult result) {
        final Transaction row = row(PosOperation.BATCH_SETTLEMENT);
        final BatchTotals totals = totals();
        result.totals = totals;
        result.stan = nextStan();
        result.batch = batch;
        begin(row).putNumeric(11, result.stan).putAscii(41, terminalId).putAscii(42, merchantId);
        writer.beginField(48).putSubField(totalsFields[0], totals.debitAmount())
                .putSubField(totalsFields[1], totals.debitCount()).putSubField(totalsFields[2], totals.creditAmount())
                .putSubField(totalsFields[3], totals.creditCount()).putSubField(totalsFields[4], 0);
        for (int i = 5; i < totalsFields.length; i++) {
            writer.putSubField(totalsFields[i], 0);
        }
        writer.endField();
        writer.putAscii(49, CURRENCY);
        field60(row.single(Transaction.MESSAGE_TYPE_CODE), batch, row.single(Transaction.NETWORK_CODE));
        writer.putAscii(63, operatorCode);
        return exchangeOf(result, row, finish(row), result.stan, this::settled, PosTerminal::over);
    }

    /** After the 0510: the upload an unbalanced batch needs, or the end of a balanced one, then the next batch. */
    private PosExchange settled(final PosExchange exchange) {
        final PosResult result = exchange.result;
        result.settlementFlag = answer.has(48) ? (int) answer.subField(totalsFlag) : -1;
        if (!result.approved()) {
            return null;
        }
        result.followUps = new ArrayList<>();
        if (result.settlementFlag == 2) {
            result.uploaded = entries.size();
            return new BatchUpload(result, List.copyOf(entries), 202).next(null);
        }
        if (result.settlementFlag == 1 && endBalancedSettlement) {
            return new BatchUpload(result, List.of(), 207).next(null);
        }
        if (result.settlementFlag != 1) {
            result.detail = "unexpected settlement flag " + result.settlementFlag;
        }
        closeBatch(result);
        return null;
    }

    /** Every counted transaction with 0320/201, then 0320 with {@code endCode}, each whatever the last gave. */
    private final class BatchUpload {
        private final PosResult settlement;
        private final List<BatchEntry> uploading;
        private final int endCode;
        private int sent;

        BatchUpload(final PosResult settlement, final List<BatchEntry> uploading, final int endCode) {
            this.settlement = settlement;
            this.uploading = uploading;
            this.endCode = endCode;
        }

        PosExchange next(final PosExchange ended) {
            if (ended != null) {
                settlement.followUps.add(ended.result);
            }
            if (sent < uploading.size()) {
                return uploadExchange(uploading.get(sent++), this::next);
            }
            if (sent == uploading.size()) {
                sent++;
                return uploadEndExchange(endCode, uploading.size(), this::next);
            }
            closeBatch(settlement);
            return null;
        }
    }

    /**
     * The switch closed the batch with its answer to the 0500, whatever the upload gave: the next one opens (999999
     * wraps to 000001).
     */
    private void closeBatch(final PosResult settlement) {
        for (final PosResult upload : settlement.followUps) {
            if (!upload.approved() && settlement.detail == null) {
                settlement.detail = "batch upload incomplete: " + upload.operation().command + " STAN "
                        + Card.pad(upload.stan(), 6) + " " + (upload.status() == PosResult.Status.ANSWERED
                        ? upload.responseCode() : upload.status().text);
            }
        }
        entries.clear();
        batch = batch >= MAX_BATCH ? 1 : batch + 1;
    }

    /** 0320/201: one counted transaction as it was sent (PAN in field 2, no PIN or track), with 37 and 38. */
    private PosExchange uploadExchange(final BatchEntry entry, final PosExchange.Step then) {
        final PosResult result = new PosResult(PosOperation.BATCH_UPLOAD);
        final Transaction row = row(PosOperation.BATCH_UPLOAD);
        final Transaction original = row(entry.operation());
        result.stan = entry.stan();
        result.batch = entry.batch();
        result.amount = entry.amount();
        result.card = Card.manual(entry.pan(), entry.expiryYymm());
        begin(row).putDigits(2, entry.pan()).putNumeric(3, original.single(Transaction.PROCESSING_CODE));
        if (allowed(row, 4)) {
            writer.putNumeric(4, entry.amount());
        }
        writer.putNumeric(11, entry.stan());
        if (entry.keyed() && allowed(row, 14)) {
            writer.putNumeric(14, entry.expiryYymm());
        }
        if (allowed(row, 22)) {
            writer.putNumeric(22, entry.entryMode());
        }
        if (allowed(row, 25) && original.single(Transaction.CONDITION_CODE) >= 0) {
            writer.putNumeric(25, original.single(Transaction.CONDITION_CODE));
        }
        if (allowed(row, 37) && entry.rrn() != null) {
            writer.putAscii(37, entry.rrn());
        }
        if (allowed(row, 38) && entry.authCode() != null && !entry.authCode().isEmpty()) {
            writer.putAscii(38, entry.authCode());
        }
        writer.putAscii(41, terminalId).putAscii(42, merchantId);
        if (allowed(row, 49)) {
            writer.putAscii(49, CURRENCY);
        }
        field60(original.single(Transaction.MESSAGE_TYPE_CODE), entry.batch(), row.single(Transaction.NETWORK_CODE));
        if (allowed(row, 61) && entry.originalData() != null) {
            writer.putDigits(61, entry.originalData());
        }
        if (row.mac) {
            putMac(row);
        }
        return exchangeOf(result, row, finish(row), entry.stan(), then, then);
    }

    /** 0320/202 (after unbalanced) or 0320/207 (after balanced): 48 = the count uploaded, n4. */
    private PosExchange uploadEndExchange(final int code, final int count, final PosExchange.Step then) {
        final PosResult result = new PosResult(PosOperation.BATCH_UPLOAD_END);
        final Transaction row = row(PosOperation.BATCH_UPLOAD_END);
        result.stan = nextStan();
        result.batch = batch;
        begin(row).putNumeric(11, result.stan).putAscii(41, terminalId).putAscii(42, merchantId);
        writer.beginField(48).putSubField(uploadCount, count).endField();
        field60(row.single(Transaction.MESSAGE_TYPE_CODE), batch, code);
        if (row.mac) {
            putMac(row);
        }
        return exchangeOf(result, row, finish(row), result.stan, then, then);
    }

    // ------------------------------------------------------------------ encoding helpers

    private Transaction row(final PosOperation operation) {
        return table.byName(operation.tableName());
    }

    private static boolean allowed(final Transaction row, final int field) {
        return Bitmap.has(row.requiredFields | row.oneOfFields | row.optionalFields, field);
    }

    private IsoWriter begin(final Transaction row) {
        return writer.wrapRequest(txBuffer, LENGTH_PREFIX, tx.length - LENGTH_PREFIX, destinationNii, sourceNii,
                header, row.mti);
    }

    private void field60(final int type, final int batchNo, final int network) {
        writer.beginField(60).putSubField(messageTypeCode, Math.max(0, type)).putSubField(batchNumber, batchNo)
                .putSubField(networkCode, Math.max(0, network)).endField();
    }

    private void putMac(final Transaction row) {
        final int mabLength = writer.beginMac();
        if (mabLength < 0) {
            return; // the writer's error is reported by finish
        }
        if (keys == null) {
            throw new IllegalStateException(row.name + " needs a MAK: sign on first");
        }
        macAlgorithm.compute(keys.mak(), tx, writer.macBlockOffset(), mabLength, macBytes, 0);
        writer.putBinary(64, macBytes, 0, MacFunction.MAC_LENGTH);
    }

    /**
     * Ends the request: writes the frame length and checks the fields against the dialect's row (a terminal
     * and a dialect that disagree are a set-up error, not a network event).
     */
    private int finish(final Transaction row) {
        final int length = writer.finish();
        if (length < 0) {
            throw new IllegalStateException("cannot encode " + row.name + ": " + writer.error());
        }
        final long fields = writer.bitmap();
        final int missing = row.missingField(fields);
        final int unexpected = row.unexpectedField(fields);
        if (missing != 0 || unexpected != 0) {
            throw new IllegalStateException(row.name + " as the terminal builds it does not fit " + dialect + ": "
                    + (missing != 0 ? "field " + missing + " missing" : "field " + unexpected + " not expected"));
        }
        IsoFrame.putBodyLength(txBuffer, 0, length);
        return length;
    }

    private int nextStan() {
        stan = stan >= MAX_STAN ? 1 : stan + 1;
        return stan;
    }

    private int today() {
        final LocalDate date = LocalDate.now(clock);
        return date.getMonthValue() * 100 + date.getDayOfMonth();
    }

    // ------------------------------------------------------------------ the exchange

    private PosExchange exchangeOf(final PosResult result, final Transaction row, final int length,
            final int expectedStan, final PosExchange.Step answered, final PosExchange.Step failed) {
        return new PosExchange(result, row, expectedStan, tx, LENGTH_PREFIX + length, answered, failed);
    }

    /** The step of an exchange that ends its operation whatever happened. */
    private static PosExchange over(final PosExchange ended) {
        return null;
    }

    /** Runs {@code first} over the link, then each exchange its outcome leads to; the operation's result. */
    private PosResult run(final PosExchange first) {
        PosExchange next = first;
        while (next != null) {
            next = exchange(next) ? next.answered.next(next) : next.failed.next(next);
        }
        return first.result;
    }

    /**
     * Sends the request and waits for its answer (response MTI of the row, same STAN; other frames are late
     * answers and skipped). On a usable answer {@link #answer} holds it and the result is filled in; true when the
     * answer is ANSWERED. The line is dropped after a timeout or a broken frame.
     */
    private boolean exchange(final PosExchange exchange) {
        final PosResult result = exchange.result;
        try {
            link.connect();
        } catch (final UnknownHostException e) {
            result.status = PosResult.Status.NOT_SENT;
            result.detail = "cannot connect: the host name '" + e.getMessage() + "' cannot be resolved (check the"
                    + " spelling, or give the switch's IP address)";
            return false;
        } catch (final IOException e) {
            result.status = PosResult.Status.NOT_SENT;
            result.detail = "cannot connect: " + e.getMessage();
            return false;
        }
        final long start = System.nanoTime();
        final long deadline = start + readTimeoutNanos;
        try {
            link.send(exchange.frame, 0, exchange.frame.length);
        } catch (final IOException e) {
            link.close();
            result.status = PosResult.Status.FAILED;
            result.detail = "send failed: " + e.getMessage();
            return false;
        }
        int stray = 0;
        while (true) {
            final int received;
            try {
                received = link.receive(rx, 0, dialect.minFrameLength, dialect.maxFrameLength, deadline);
            } catch (final SocketTimeoutException e) {
                link.close();
                result.status = PosResult.Status.TIMEOUT;
                result.detail = "no answer within " + readTimeoutNanos / 1_000_000 + " ms";
                return false;
            } catch (final IOException e) {
                link.close();
                result.status = PosResult.Status.FAILED;
                result.detail = e.getMessage();
                return false;
            }
            final int found = accept(exchange, received);
            if (found == UNDECODABLE) {
                link.close();
                return false;
            }
            if (found == OURS) {
                result.roundTripNanos = System.nanoTime() - start;
                return answered(exchange, received);
            }
            if (++stray >= MAX_STRAY_ANSWERS) {
                link.close();
                result.status = PosResult.Status.FAILED;
                result.detail = stray + " answers that are not for STAN " + Card.pad(exchange.expectedStan, 6);
                return false;
            }
        }
    }

    /**
     * Takes a frame that came for {@code exchange} — its body, TPDU onwards, without the length prefix — from a
     * caller that moves the frames itself ({@link PosExchange}), and does with it what the blocking operation
     * does with its answer (MAC check, working keys, batch). The result's round trip is left to the caller, who
     * saw the frame leave and come back.
     *
     * @return {@code exchange} itself when the frame is not its answer (another MTI or STAN: a late answer to an
     *         earlier request; keep waiting); else the next exchange of the operation, or null when it is over. After
     *         a frame that does not decode (status FAILED) the caller drops the connection, as the terminal drops
     *         its own link.
     */
    public PosExchange answer(final PosExchange exchange, final byte[] body, final int offset, final int length) {
        final PosResult result = exchange.result;
        if (length < dialect.minFrameLength || length > rx.length) {
            result.status = PosResult.Status.FAILED;
            result.detail = "answer of " + length + " bytes, expected " + dialect.minFrameLength + " to " + rx.length;
            return exchange.failed.next(exchange);
        }
        System.arraycopy(body, offset, rx, 0, length);
        final int found = accept(exchange, length);
        if (found == NOT_OURS) {
            return exchange;
        }
        if (found == OURS && answered(exchange, length)) {
            return exchange.answered.next(exchange);
        }
        return exchange.failed.next(exchange);
    }

    /**
     * Ends {@code exchange} without an answer, for a caller that moves the frames itself ({@link PosExchange}):
     * {@code status} TIMEOUT (nothing came in time), FAILED (the connection broke, or the request could not be
     * written) or NOT_SENT (no connection: the request never left). After TIMEOUT and FAILED the terminal owes the
     * reversal of a financial request, as after a lost answer on its own link; the caller drops the connection so
     * that a late answer cannot be taken for the next one.
     *
     * @return the next exchange of the operation (a settlement's upload goes on), or null when it is over
     */
    public PosExchange failed(final PosExchange exchange, final PosResult.Status status, final String detail) {
        if (status != PosResult.Status.TIMEOUT && status != PosResult.Status.FAILED
                && status != PosResult.Status.NOT_SENT) {
            throw new IllegalArgumentException("an exchange fails with TIMEOUT, FAILED or NOT_SENT, not " + status);
        }
        exchange.result.status = status;
        exchange.result.detail = detail;
        return exchange.failed.next(exchange);
    }

    /**
     * Whether the {@code received} bytes in {@link #rx} are the answer of {@code exchange}: {@link #OURS},
     * {@link #NOT_OURS} (another MTI or STAN), or {@link #UNDECODABLE} (the result says why).
     */
    private int accept(final PosExchange exchange, final int received) {
        if (!answer.wrap(rxBuffer, 0, received)) {
            exchange.result.response = Arrays.copyOf(rx, received);
            exchange.result.status = PosResult.Status.FAILED;
            exchange.result.detail = "undecodable answer: " + answer.error();
            return UNDECODABLE;
        }
        return answer.mti() == exchange.row.responseMti
                && (!answer.has(11) || answer.numeric(11) == exchange.expectedStan) ? OURS : NOT_OURS;
    }

    /** Reads the answer in {@link #answer} into the result; true when it is ANSWERED (the MAC verified). */
    private boolean answered(final PosExchange exchange, final int received) {
        final PosResult result = exchange.result;
        result.response = Arrays.copyOf(rx, received);
        result.responseCode = answer.has(39)
                ? new String(new char[] {(char) answer.byteAt(39, 0), (char) answer.byteAt(39, 1)}) : null;
        if (exchange.row.mac && !macVerifies()) {
            keys = null; // a MAK the switch does not share: sign on again before the next transaction
            result.status = PosResult.Status.MAC_ERROR;
            result.detail = answer.has(64) ? "field 64 of the answer does not verify" : "answer without field 64";
            return false;
        }
        result.status = PosResult.Status.ANSWERED;
        if ("A0".equals(result.responseCode)) {
            keys = null; // the switch refused our MAC: the terminal re-signs on
        }
        readAnswer(result);
        return true;
    }

    /**
     * Whether a frame body this terminal did not receive through its own calls (a raw socket in a test, a trace)
     * carries a field 64 that verifies under the terminal's current MAK. False without a sign-on or field 64.
     */
    public boolean macVerifies(final byte[] body, final int length) {
        final IsoMessage message = new IsoMessage(dialect);
        if (keys == null || !message.wrap(new org.agrona.concurrent.UnsafeBuffer(body), 0, length) || !message.has(64)) {
            return false;
        }
        return macAlgorithm.verify(keys.mak(), body, message.macBlockOffset(), message.macBlockLength(), body,
                message.dataOffset(64), new byte[MacFunction.MAC_LENGTH]);
    }

    private boolean macVerifies() {
        if (!answer.has(64) || keys == null) {
            return false;
        }
        return macAlgorithm.verify(keys.mak(), rx, answer.macBlockOffset(), answer.macBlockLength(), rx,
                answer.dataOffset(64), macBytes);
    }

    private void readAnswer(final PosResult result) {
        result.rrn = ascii(37);
        result.authCode = ascii(38);
        result.localTime = (int) answer.numeric(12);
        result.localDate = (int) answer.numeric(13);
        result.settlementDate = (int) answer.numeric(15);
        final int balances = answer.occurrences(balanceAmount);
        for (int i = 0; i < balances; i++) {
            final long amount = answer.subField(balanceAmount, i);
            if (amount < 0) {
                continue;
            }
            final long signed = answer.subField(balanceSign, i) == 'D' ? -amount : amount;
            final long type = answer.subField(balanceAmountType, i);
            if (type == 1) {
                result.ledgerBalance = signed;
            } else if (type == 2) {
                result.availableBalance = signed;
            }
        }
    }

    private String ascii(final int field) {
        if (!answer.has(field)) {
            return null;
        }
        final byte[] bytes = new byte[answer.dataBytes(field)];
        answer.getBytes(field, bytes, 0);
        return new String(bytes, StandardCharsets.US_ASCII).trim();
    }

    @Override
    public String toString() {
        return "PosTerminal[" + terminalId + ", merchant " + merchantId + ", stan " + Card.pad(stan, 6) + ", batch "
                + Card.pad(batch, 6) + (keys != null ? ", signed on" : "") + "]";
    }

    // ------------------------------------------------------------------ configuration

    /**
     * Configuration of a terminal; {@link #terminalId}, {@link #merchantId}, {@link #tmk} and a switch are
     * required.
     */
    public static final class Builder {
        private final Dialect dialect;
        private String terminalId;
        private String merchantId;
        private DesKey tmk;
        private MacFunction macAlgorithm = MacFunction.CUP_ECB;
        private KeyLayout keyLayout = KeyLayout.DOUBLE_LENGTH;
        private long securityControl = -1;
        private PosLink link;
        private String host;
        private int port;
        private Duration connectTimeout = Duration.ofSeconds(3);
        private Duration readTimeout = Duration.ofSeconds(10);
        private int destinationNii = DEFAULT_NII;
        private int sourceNii;
        private long header = DEFAULT_HEADER;
        private String operatorCode = "001";
        private boolean autoSignOn = true;
        private int reversalAttempts = 3;
        private boolean endBalancedSettlement = true;
        private int maxBatchEntries = MAX_BATCH_ENTRIES;
        private Clock clock = Clock.systemDefaultZone();
        private int stan;
        private int batch = 1;

        private Builder(final Dialect dialect) {
            this.dialect = dialect;
        }

        /** Field 41, up to 8 printable characters (padded with spaces). */
        public Builder terminalId(final String value) {
            terminalId = printable(value, 8, "terminal id");
            return this;
        }

        /** Field 42, up to 15 printable characters. */
        public Builder merchantId(final String value) {
            merchantId = printable(value, 15, "merchant id");
            return this;
        }

        /** The terminal master key, clear (the simulator is the PIN pad). */
        public Builder tmk(final DesKey value) {
            tmk = value;
            return this;
        }

        public Builder macAlgorithm(final MacFunction value) {
            macAlgorithm = value;
            return this;
        }

        /** The sign-on's 60.3 and field 62 layout: 001, 003 (default) or 004. */
        public Builder keyLayout(final KeyLayout value) {
            keyLayout = value;
            return this;
        }

        /**
         * Field 53 exactly as this terminal sends it, 16 digits (e.g. {@code 2610000000000000}: track data flagged
         * encrypted), for terminals that fill it their own way. Default: PIN block with PAN, the key layout's DES,
         * track data clear.
         */
        public Builder securityControl(final String digits) {
            if (digits == null || !digits.matches("\\d{16}")) {
                throw new IllegalArgumentException("field 53 is 16 digits, not '" + digits + "'");
            }
            securityControl = Long.parseLong(digits);
            return this;
        }

        /** A TCP switch; the connection opens on first use. */
        public Builder switchAddress(final String switchHost, final int switchPort) {
            host = switchHost;
            port = switchPort;
            return this;
        }

        /** Any other line to the switch (replaces {@link #switchAddress}). */
        public Builder link(final PosLink value) {
            link = value;
            return this;
        }

        public Builder connectTimeout(final Duration value) {
            connectTimeout = value;
            return this;
        }

        /** How long to wait for each answer before owing a reversal. */
        public Builder readTimeout(final Duration value) {
            readTimeout = value;
            return this;
        }

        /** TPDU destination NII, 2 bytes (default 0x0003); the source NII defaults to 0. */
        public Builder nii(final int destination, final int source) {
            destinationNii = destination;
            sourceNii = source;
            return this;
        }

        /** The 6-byte header, big-endian in a long (default {@code 0x603100310000}). */
        public Builder header(final long value) {
            header = value;
            return this;
        }

        /** Field 63 of sign-on and settlement: the operator code, 3 characters (default {@code 001}). */
        public Builder operatorCode(final String value) {
            operatorCode = value;
            return this;
        }

        /** Sign on by itself when a transaction needs keys the terminal lacks (default true). */
        public Builder autoSignOn(final boolean value) {
            autoSignOn = value;
            return this;
        }

        /** Sends of an owed reversal before a transaction gives up (default 3); it stays owed. */
        public Builder reversalAttempts(final int value) {
            reversalAttempts = value;
            return this;
        }

        /** Whether a balanced settlement ends with 0320/207 (default true). */
        public Builder endBalancedSettlement(final boolean value) {
            endBalancedSettlement = value;
            return this;
        }

        /** Counted transactions a batch may hold before the terminal asks for settlement (≤ 999, default 999). */
        public Builder maxBatchEntries(final int value) {
            maxBatchEntries = value;
            return this;
        }

        /** The terminal's clock (the date of 61.3 when the switch gave none). */
        public Builder clock(final Clock value) {
            clock = value;
            return this;
        }

        /** The last STAN used: the first request gets the next (default 0, so 000001). */
        public Builder stan(final int lastUsed) {
            stan = lastUsed;
            return this;
        }

        /** The open batch until a sign-on says otherwise (default 1). */
        public Builder batch(final int value) {
            batch = value;
            return this;
        }

        public PosTerminal build() {
            if (terminalId == null || merchantId == null || tmk == null) {
                throw new IllegalArgumentException("a terminal needs its terminal id, merchant id and TMK");
            }
            if (link == null && host == null) {
                throw new IllegalArgumentException("a terminal needs a switch address or a link");
            }
            if (operatorCode == null || operatorCode.length() != 3) {
                throw new IllegalArgumentException("the operator code is 3 characters");
            }
            printable(operatorCode, 3, "operator code");
            if (stan < 0 || stan > MAX_STAN || batch < 1 || batch > MAX_BATCH) {
                throw new IllegalArgumentException("STAN must be 0-999999 and batch 1-999999");
            }
            if (destinationNii < 0 || destinationNii > 0xFFFF || sourceNii < 0 || sourceNii > 0xFFFF) {
                throw new IllegalArgumentException("an NII is 2 bytes");
            }
            if (reversalAttempts < 1 || maxBatchEntries < 1 || maxBatchEntries > MAX_BATCH_ENTRIES) {
                throw new IllegalArgumentException("reversal attempts must be ≥ 1 and the batch size 1-999");
            }
            if (readTimeout.isNegative() || readTimeout.isZero() || connectTimeout.isNegative()
                    || connectTimeout.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
            return new PosTerminal(this);
        }

        private static String printable(final String value, final int max, final String what) {
            if (value == null || value.isEmpty() || value.length() > max
                    || !value.chars().allMatch(c -> c >= 0x20 && c <= 0x7E)) {
                throw new IllegalArgumentException(what + " must be 1 to " + max + " printable characters");
            }
            return value;
        }
    }
}
