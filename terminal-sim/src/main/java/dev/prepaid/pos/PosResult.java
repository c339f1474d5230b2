package dev.prepaid.pos;

import dev.prepaid.command.ResponseCode;
import java.util.List;

/**
 * The outcome of one terminal operation: how the exchange ended ({@link Status}), the switch's answer (response
 * code, RRN, authorisation code, balances, settlement flag), the frames as sent and received, and the round
 * trip. Messages the terminal had to send first (an automatic sign-on, an owed reversal) are in
 * {@link #preliminaries()}; those a settlement sent after its 0500 (batch upload) in {@link #followUps()}.
 * {@link #toString()} is one readable line with the card number masked.
 */
public final class PosResult {
    /** How the exchange ended. */
    public enum Status {
        /** The switch answered (and the MAC verified, where there is one); see {@link #responseCode()}. */
        ANSWERED("answered"),
        /** Nothing came back within the read timeout. */
        TIMEOUT("no answer (timeout)"),
        /** An answer came whose field 64 is missing or does not verify. */
        MAC_ERROR("answer with a bad MAC"),
        /** The connection broke after the request left, or the answer could not be decoded. */
        FAILED("failed"),
        /** Sign-on answered 00 but field 62's keys did not decrypt to their check values. */
        KEY_ERROR("key check failed"),
        /** Nothing was sent: no connection, not signed on, a reversal still owed, the batch full, ... */
        NOT_SENT("not sent");

        public final String text;

        Status(final String text) {
            this.text = text;
        }
    }

    /** Value of a balance that the answer did not carry. */
    public static final long NO_BALANCE = Long.MIN_VALUE;

    final PosOperation operation;
    Status status = Status.NOT_SENT;
    String responseCode;
    String detail;
    int stan = -1;
    int batch = -1;
    Card card;
    long amount = -1;
    String rrn;
    String authCode;
    int localTime = -1;
    int localDate = -1;
    int settlementDate = -1;
    long ledgerBalance = NO_BALANCE;
    long availableBalance = NO_BALANCE;
    int settlementFlag = -1;
    BatchTotals totals;
    int uploaded = -1;
    String pikCheckValue;
    String makCheckValue;
    byte[] request;
    byte[] response;
    long roundTripNanos = -1;
    PendingReversal reversalOwed;
    int requestDate = -1;
    List<PosResult> preliminaries = List.of();
    List<PosResult> followUps = List.of();

    PosResult(final PosOperation operation) {
        this.operation = operation;
    }

    public PosOperation operation() {
        return operation;
    }

    public Status status() {
        return status;
    }

    /** Whether the switch answered {@code 00} (with a good MAC where the message has one). */
    public boolean approved() {
        return status == Status.ANSWERED && "00".equals(responseCode);
    }

    /** Field 39 of the answer (e.g. {@code 00}, {@code 51}, {@code A0}), or null when there was no usable answer. */
    public String responseCode() {
        return responseCode;
    }

    /** The meaning of the response code (§7), or null. */
    public String responseMeaning() {
        if (responseCode == null) {
            return null;
        }
        final ResponseCode code = ResponseCode.ofCode(responseCode);
        return code != null ? code.meaning : "unknown code";
    }

    /** Why the operation failed or what went wrong (one line), or null. */
    public String detail() {
        return detail;
    }

    /** The STAN of the request (field 11), −1 when nothing was built. */
    public int stan() {
        return stan;
    }

    /** The batch of the request (60.2); for a sign-on the batch the switch told the terminal to adopt. */
    public int batch() {
        return batch;
    }

    public Card card() {
        return card;
    }

    /** Field 4 of the request in fen, −1 when there is none. */
    public long amount() {
        return amount;
    }

    /** Field 37 of the answer, trimmed, or null. */
    public String rrn() {
        return rrn;
    }

    /** Field 38 of the answer, trimmed, or null. */
    public String authCode() {
        return authCode;
    }

    /** Field 12 hhmmss, −1 when absent. */
    public int localTime() {
        return localTime;
    }

    /** Field 13 MMDD, −1 when absent. */
    public int localDate() {
        return localDate;
    }

    /** Field 15 MMDD (the switch's business date), −1 when absent. */
    public int settlementDate() {
        return settlementDate;
    }

    /** The ledger balance of field 54 (amount type 01) in fen, {@link #NO_BALANCE} when absent. */
    public long ledgerBalance() {
        return ledgerBalance;
    }

    /** The available balance of field 54 (amount type 02) in fen, {@link #NO_BALANCE} when absent. */
    public long availableBalance() {
        return availableBalance;
    }

    /** Settlement: the result flag of the 0510's field 48 (1 balanced, 2 unbalanced), −1 otherwise. */
    public int settlementFlag() {
        return settlementFlag;
    }

    /** Settlement: the totals the terminal sent. */
    public BatchTotals totals() {
        return totals;
    }

    /** Settlement: transactions uploaded (0320/201 sent), −1 when there was no upload. */
    public int uploaded() {
        return uploaded;
    }

    /** Sign-on: the first 4 bytes of the new PIK's check value as hex (safe to print), or null. */
    public String pikCheckValue() {
        return pikCheckValue;
    }

    public String makCheckValue() {
        return makCheckValue;
    }

    /** The request frame body as sent (TPDU onwards, no length prefix), or null when none was built. */
    public byte[] request() {
        return request == null ? null : request.clone();
    }

    /** The answer's frame body as received, or null. */
    public byte[] response() {
        return response == null ? null : response.clone();
    }

    /** From just before the request was written to the decoded answer; −1 without an answer. */
    public long roundTripNanos() {
        return roundTripNanos;
    }

    /** The reversal this operation left owed (no usable answer), or null. */
    public PendingReversal reversalOwed() {
        return reversalOwed;
    }

    /** Messages sent before this one: an automatic sign-on, an owed reversal. */
    public List<PosResult> preliminaries() {
        return preliminaries;
    }

    /** Messages a settlement sent after its 0500: batch upload and its end. */
    public List<PosResult> followUps() {
        return followUps;
    }

    /**
     * This transaction as the original of a later void, refund, cancel or completion. Its date is the switch's
     * field 13, or the terminal's date when the answer had none.
     */
    public Original original() {
        if (card == null || stan < 0) {
            throw new IllegalStateException(operation + " has no card: it cannot be an original");
        }
        return new Original(operation, card, Math.max(0, amount), batch, stan, rrn, authCode,
                localDate >= 0 ? localDate : requestDate);
    }

    /** An amount in fen as yuan with two decimals, e.g. 1234 → {@code 12.34}. */
    public static String yuan(final long fen) {
        final long abs = Math.abs(fen);
        return (fen < 0 ? "-" : "") + abs / 100 + "." + (abs % 100 < 10 ? "0" : "") + abs % 100;
    }

    @Override
    public String toString() {
        final StringBuilder out = new StringBuilder(160);
        out.append(String.format("%-15s ", operation.command));
        if (status == Status.ANSWERED) {
            out.append(responseCode).append(' ').append(String.format("%-22s", responseMeaning()));
        } else {
            out.append(String.format("%-25s", status.text));
        }
        if (stan >= 0) {
            out.append(" stan=").append(Card.pad(stan, 6));
        }
        if (batch >= 0) {
            out.append(" batch=").append(Card.pad(batch, 6));
        }
        if (card != null) {
            out.append(" card=").append(card.maskedPan()).append(card.swiped() ? "(swiped)" : "(keyed)");
        }
        if (amount >= 0) {
            out.append(" amount=").append(yuan(amount));
        }
        if (rrn != null && !rrn.isEmpty()) {
            out.append(" rrn=").append(rrn);
        }
        if (authCode != null && !authCode.isEmpty()) {
            out.append(" auth=").append(authCode);
        }
        if (ledgerBalance != NO_BALANCE) {
            out.append(" ledger=").append(yuan(ledgerBalance));
        }
        if (availableBalance != NO_BALANCE) {
            out.append(" available=").append(yuan(availableBalance));
        }
        if (pikCheckValue != null) {
            out.append(" pik.kcv=").append(pikCheckValue).append(" mak.kcv=").append(makCheckValue);
        }
        if (totals != null) {
            out.append(" totals=[").append(totals).append(']');
        }
        if (settlementFlag >= 0) {
            out.append(" flag=").append(settlementFlag)
                    .append(settlementFlag == 1 ? "(balanced)" : settlementFlag == 2 ? "(unbalanced)" : "");
        }
        if (uploaded >= 0) {
            out.append(" uploaded=").append(uploaded);
        }
        if (roundTripNanos >= 0) {
            out.append(String.format(" %.2fms", roundTripNanos / 1e6));
        }
        if (reversalOwed != null) {
            out.append(" reversal owed (reason ").append(reversalOwed.reason()).append(')');
        }
        if (detail != null) {
            out.append(" -- ").append(detail);
        }
        return out.toString();
    }
}
