package dev.prepaid.server;

import dev.prepaid.command.PosKind;
import dev.prepaid.command.PosRequest;
import dev.prepaid.command.ResponseCode;
import dev.prepaid.config.KeyNames;
import dev.prepaid.iso8583.Dialect;
import dev.prepaid.iso8583.IsoMessage;
import dev.prepaid.iso8583.SubField;
import dev.prepaid.iso8583.Transaction;
import dev.prepaid.iso8583.TransactionTable;
import dev.prepaid.security.CvkPair;
import dev.prepaid.security.Cvn;
import dev.prepaid.security.DesKey;
import dev.prepaid.security.PinCheck;
import dev.prepaid.security.StoredKeys;
import dev.prepaid.security.Track2;
import org.agrona.MutableDirectBuffer;

/**
 * Turns a decoded, recognised request into a {@link PosRequest} command, on the I/O thread: MAC verified
 * with the terminal's session key, PIN block turned at once into the card's PIN check value, track 2's CVN
 * checked with the card type's CVK pair. Nothing secret goes further. A request that fails here is answered
 * at once (A0 MAC, 99 PIN block, 14 CVN, 30 format, A7 encrypted track data, 12/40 unknown) without reaching
 * the ledger: nothing changes, so there is nothing to journal.
 *
 * <p>One per I/O thread (it holds the PIN and CVN scratch state). Allocation-free per request.
 */
final class RequestReader {
    /** Result of {@link #read}: a command length (≥ 0) or one of these (negative). */
    static final int ECHO = -1000;

    private final TransactionTable table;
    private final Directory directory;
    private final Sessions sessions;
    private final StoredKeys keys;
    private final PinCheck pinCheck;
    private final Cvn cvn = new Cvn();
    private final Track2 track = new Track2();
    private final PosRequest request = new PosRequest();
    private final byte[] pan = new byte[19];
    private final byte[] pinBlock = new byte[8];
    private final byte[] macScratch = new byte[8];
    private final byte[] receivedMac = new byte[8];
    private final byte[] trackDigits = new byte[40];
    private final CvkPair[] cvkByType = new CvkPair[65_536];
    private final boolean[] cvkLooked = new boolean[65_536];

    private final SubField batchNumber;
    private final SubField networkCode;
    private final SubField originalBatch;
    private final SubField originalStan;
    private final SubField originalDate;
    private final SubField debitAmount;
    private final SubField debitCount;
    private final SubField creditAmount;
    private final SubField creditCount;
    private final SubField uploadCount;

    /** Why the last request was refused (for the log line), or null. */
    String refusal;
    /** The kind of the last request read, for metrics (null when unknown). */
    PosKind kind;

    RequestReader(final Dialect dialect, final TransactionTable table, final Directory directory, final Sessions sessions,
            final StoredKeys keys, final DesKey pinVerificationKey) {
        this.table = table;
        this.directory = directory;
        this.sessions = sessions;
        this.keys = keys;
        this.pinCheck = new PinCheck(pinVerificationKey);
        this.batchNumber = dialect.subField("60.2");
        this.networkCode = dialect.subField("60.3");
        this.originalBatch = dialect.subField("61.1");
        this.originalStan = dialect.subField("61.2");
        this.originalDate = dialect.subField("61.3");
        this.debitAmount = dialect.subField("48.domesticDebitAmount");
        this.debitCount = dialect.subField("48.domesticDebitCount");
        this.creditAmount = dialect.subField("48.domesticCreditAmount");
        this.creditCount = dialect.subField("48.domesticCreditCount");
        this.uploadCount = dialect.subField("48.uploadCount");
    }

    static int refuse(final ResponseCode code) {
        return -1 - code.ordinal();
    }

    static ResponseCode refusedWith(final int result) {
        return ResponseCode.values()[-1 - result];
    }

    /**
     * Reads {@code message} (decoded and recognised as {@code transaction}) into a command at {@code out}.
     *
     * @return the command's length, {@link #ECHO}, or {@link #refuse(ResponseCode)} of the answer to give now
     */
    int read(final IsoMessage message, final byte[] frame, final Transaction transaction, final MutableDirectBuffer out,
            final int offset) {
        refusal = null;
        kind = transaction.kind;
        if (transaction.kind == null) {
            return ECHO;
        }
        final int missing = transaction.missingField(message.bitmap());
        if (missing != 0) {
            refusal = "field " + missing + " is required";
            return refuse(ResponseCode.FORMAT_ERROR);
        }
        final long terminalId = message.asciiPacked(41, 0);
        if (transaction.mac) {
            final Session session = sessions.get(terminalId);
            if (session == null) {
                refusal = "no working keys: the terminal must sign on";
                return refuse(ResponseCode.MAC_ERROR);
            }
            message.getBytes(64, receivedMac, 0);
            if (!session.mac().verify(session.mak(), frame, message.macBlockOffset(), message.macBlockLength(),
                    receivedMac, 0, macScratch)) {
                refusal = "MAC does not verify";
                return refuse(ResponseCode.MAC_ERROR);
            }
        }
        request.wrapForEncode(out, offset).kind(transaction.kind).terminalId(terminalId)
                .merchantId(message.asciiPacked(42, 0), message.asciiPacked(42, 8));
        if (transaction.findsOriginal) {
            final Transaction original = table.findOriginal(message, transaction);
            if (original == null || original.kind == null) {
                refusal = "the original transaction is not recognised";
                return refuse(ResponseCode.INVALID_TRANSACTION);
            }
            request.originalKind(original.kind);
        }
        if (message.has(53) && message.digit(53, 2) == 1 && (message.has(35) || message.has(36))) {
            // pos-iso8583 §3 lets field 53 flag encrypted track data but defines no track encryption; guessing
            // one would read ciphertext as a card number. Refused by name instead of a misleading 14 or 30.
            refusal = "field 53 says the track data is encrypted; the switch takes track data in clear only";
            return refuse(ResponseCode.SECURITY_ERROR);
        }
        final int panLength = readPan(message);
        if (panLength < 0) {
            return refuse(ResponseCode.INVALID_CARD_NUMBER);
        }
        request.amount(Math.max(0, message.numeric(4)));
        request.stan((int) Math.max(0, message.numeric(11)));
        request.batch((int) Math.max(0, message.subField(batchNumber)));
        request.networkCode((int) Math.max(0, message.subField(networkCode)));
        if (message.has(22)) {
            request.entryMode((int) Math.max(0, message.numeric(22)));
        }
        if (message.has(25)) {
            request.conditionCode((int) Math.max(0, message.numeric(25)));
        }
        if (message.has(49)) {
            request.currency((int) Math.max(0, message.numeric(49)));
        }
        if (message.has(37)) {
            request.originalRrn(Math.max(0, message.numeric(37)));
        }
        if (message.has(38)) {
            request.originalAuthCode((int) message.numeric(38));
        }
        if (message.has(61)) {
            request.original((int) Math.max(0, message.subField(originalBatch)),
                    (int) Math.max(0, message.subField(originalStan)), (int) Math.max(0, message.subField(originalDate)));
        }
        if (transaction.kind == PosKind.REVERSAL && message.has(39)) {
            request.reversalReason((char) message.byteAt(39, 0), (char) message.byteAt(39, 1));
        }
        if (message.has(48)) {
            if (transaction.kind == PosKind.BATCH_SETTLEMENT) {
                request.settlementTotals(Math.max(0, message.subField(debitAmount)),
                        (int) Math.max(0, message.subField(debitCount)), Math.max(0, message.subField(creditAmount)),
                        (int) Math.max(0, message.subField(creditCount)));
            } else if (transaction.kind == PosKind.BATCH_UPLOAD_END) {
                request.uploadCount((int) Math.max(0, message.subField(uploadCount)));
            }
        }
        if (message.has(52) && panLength > 0) {
            message.getBytes(52, pinBlock, 0);
            final Session session = sessions.get(terminalId);
            if (session == null) {
                refusal = "no working keys: the terminal must sign on";
                return refuse(ResponseCode.MAC_ERROR);
            }
            final long check = pinCheck.fromPinBlock(session.pik(), pinBlock, 0, pan, 0, panLength);
            java.util.Arrays.fill(pinBlock, (byte) 0);
            if (PinCheck.isError(check)) {
                refusal = "PIN block is not ISO 9564 format 0";
                return refuse(ResponseCode.PIN_BLOCK_FORMAT_ERROR);
            }
            request.pinCheck(check);
        }
        return PosRequest.LENGTH;
    }

    /**
     * The PAN from track 2 (card present; its CVN checked) or field 2 (manual entry), into {@link #pan} and the
     * request. Returns its length (0 when the request carries none), or -1 when it must be refused.
     */
    private int readPan(final IsoMessage message) {
        if (message.has(35)) {
            final int digits = message.getDigits(35, trackDigits, 0);
            final int separator = message.indexOfSeparator(35);
            if (separator < 13 || separator > 19 || digits < separator + 5) {
                refusal = "track 2 has no PAN=YYMM";
                return -1;
            }
            System.arraycopy(trackDigits, 0, pan, 0, separator);
            setPan(separator);
            request.expiry((int) message.digits(35, separator + 1, 4)).cardPresent(true);
            if (!cvnMatches(message, separator, digits)) {
                refusal = "CVN on track 2 does not verify";
                return -1;
            }
            return separator;
        }
        if (message.has(2)) {
            final int length = message.length(2);
            if (length < 13 || length > 19) {
                refusal = "PAN of " + length + " digits";
                return -1;
            }
            message.getDigits(2, pan, 0);
            setPan(length);
            if (message.has(14)) {
                request.expiry((int) Math.max(0, message.numeric(14)));
            }
            return length;
        }
        return 0;
    }

    private void setPan(final int length) {
        long body = 0;
        for (int i = 0; i < length - 1; i++) {
            body = body * 10 + (pan[i] - '0');
        }
        request.pan(length, body, pan[length - 1] - '0');
    }

    private boolean cvnMatches(final IsoMessage message, final int panLength, final int digits) {
        long body = 0;
        for (int i = 0; i < panLength - 1; i++) {
            body = body * 10 + (pan[i] - '0');
        }
        final int cardType = directory.cardTypeOf(panLength, body);
        // The ledger compares this with its own card's type: checked with an older BIN table is declined there.
        request.checkedCardType(cardType);
        if (cardType == 0) {
            return true; // an unknown card is the ledger's to decline (14), not a CVN question
        }
        final CvkPair keysOfType = cvk(cardType);
        if (keysOfType == null) {
            return true; // no CVK configured for the type: CVNs are not checked (logged at start)
        }
        if (track.parse(trackDigits, 0, digits) != Track2.OK) {
            return false;
        }
        final boolean matches = cvn.matches(keysOfType, track);
        track.clear();
        java.util.Arrays.fill(trackDigits, (byte) 0);
        return matches;
    }

    private CvkPair cvk(final int cardType) {
        if (!cvkLooked[cardType]) {
            cvkByType[cardType] = keys.contains(KeyNames.cvk(cardType)) ? keys.cvkPair(KeyNames.cvk(cardType)) : null;
            cvkLooked[cardType] = true;
        }
        return cvkByType[cardType];
    }
}
