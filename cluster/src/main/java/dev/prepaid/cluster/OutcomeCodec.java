package dev.prepaid.cluster;

import dev.prepaid.command.Outcome;
import dev.prepaid.command.Reason;
import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A ledger's {@link Outcome} on the cluster's egress: everything a gateway needs to answer a terminal or an operator
 * exactly as the single-node reply stage would (the same fields, the same reason codes as stored in the journal).
 * Little-endian, fixed fields first, then the two optional strings (length -1 when absent). Encoding a POS
 * outcome allocates nothing (its strings, when present, are the ledger's own constants).
 */
public final class OutcomeCodec {
    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    /** The fixed part; the strings follow. */
    static final int FIXED_LENGTH = 4 + 1 + 8 + 4 + 8 * 6 + 4 * 4 + 8 * 2;

    private OutcomeCodec() {
    }

    /** The most an outcome can take here: its fixed part and its two strings, if they were of the given lengths. */
    public static int maxLength(final Outcome outcome) {
        return FIXED_LENGTH + 4 + utf8Bound(outcome.issuerInstitutionId) + 4 + utf8Bound(outcome.detail);
    }

    private static int utf8Bound(final String text) {
        return text == null ? 0 : text.length() * 3;
    }

    /** Writes {@code outcome} at {@code offset}; returns the bytes written. */
    public static int encode(final Outcome outcome, final MutableDirectBuffer buffer, final int offset) {
        int at = offset;
        buffer.putInt(at, outcome.reason.code, ORDER);
        at += 4;
        buffer.putByte(at, (byte) (outcome.duplicate ? 1 : 0));
        at += 1;
        buffer.putLong(at, outcome.rrn, ORDER);
        at += 8;
        buffer.putInt(at, outcome.authCode, ORDER);
        at += 4;
        buffer.putLong(at, outcome.availableBalance, ORDER);
        buffer.putLong(at + 8, outcome.ledgerBalance, ORDER);
        buffer.putLong(at + 16, outcome.cardAmount, ORDER);
        buffer.putLong(at + 24, outcome.discount, ORDER);
        buffer.putLong(at + 32, outcome.fee, ORDER);
        buffer.putLong(at + 40, outcome.points, ORDER);
        at += 48;
        buffer.putInt(at, outcome.riskFlags, ORDER);
        buffer.putInt(at + 4, outcome.businessDate, ORDER);
        buffer.putInt(at + 8, outcome.batch, ORDER);
        buffer.putInt(at + 12, outcome.settlementFlag, ORDER);
        at += 16;
        buffer.putLong(at, outcome.value1, ORDER);
        at += 8;
        buffer.putLong(at, outcome.value2, ORDER);
        at += 8;
        if (outcome.issuerInstitutionId == null) {
            buffer.putInt(at, -1, ORDER);
            at += 4;
        } else {
            at += buffer.putStringAscii(at, outcome.issuerInstitutionId, ORDER); // an institution code: digits
        }
        at += putString(buffer, at, outcome.detail);
        return at - offset;
    }

    private static int putString(final MutableDirectBuffer buffer, final int at, final String text) {
        if (text == null) {
            buffer.putInt(at, -1, ORDER);
            return 4;
        }
        return buffer.putStringUtf8(at, text, ORDER);
    }

    /** Reads an outcome written by {@link #encode} into {@code into} (reset first). */
    public static void decode(final DirectBuffer buffer, final int offset, final Outcome into) {
        into.reset();
        int at = offset;
        into.reason = Reason.ofCode(buffer.getInt(at, ORDER));
        at += 4;
        into.duplicate = buffer.getByte(at) == 1;
        at += 1;
        into.rrn = buffer.getLong(at, ORDER);
        at += 8;
        into.authCode = buffer.getInt(at, ORDER);
        at += 4;
        into.availableBalance = buffer.getLong(at, ORDER);
        into.ledgerBalance = buffer.getLong(at + 8, ORDER);
        into.cardAmount = buffer.getLong(at + 16, ORDER);
        into.discount = buffer.getLong(at + 24, ORDER);
        into.fee = buffer.getLong(at + 32, ORDER);
        into.points = buffer.getLong(at + 40, ORDER);
        at += 48;
        into.riskFlags = buffer.getInt(at, ORDER);
        into.businessDate = buffer.getInt(at + 4, ORDER);
        into.batch = buffer.getInt(at + 8, ORDER);
        into.settlementFlag = buffer.getInt(at + 12, ORDER);
        at += 16;
        into.value1 = buffer.getLong(at, ORDER);
        into.value2 = buffer.getLong(at + 8, ORDER);
        at += 16;
        final int issuerLength = buffer.getInt(at, ORDER);
        into.issuerInstitutionId = issuerLength < 0 ? null : buffer.getStringAscii(at, ORDER);
        at += 4 + Math.max(0, issuerLength);
        final int detailLength = buffer.getInt(at, ORDER);
        into.detail = detailLength < 0 ? null : buffer.getStringUtf8(at, ORDER);
    }
}
