package dev.prepaid.server;

import dev.prepaid.command.Outcome;
import dev.prepaid.command.ResponseCode;
import dev.prepaid.iso8583.Bitmap;
import dev.prepaid.iso8583.Dialect;
import dev.prepaid.iso8583.IsoMessage;
import dev.prepaid.iso8583.IsoWriter;
import dev.prepaid.iso8583.SubField;
import dev.prepaid.iso8583.Transaction;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Writes the response to a request: the response MTI and, in ascending order, the fields the dialect's
 * transaction table says the response echoes (copied from the request) or sets (from the outcome): local
 * time and date, settlement date, acquirer, RRN, authorisation code, response code, issuer/acquirer,
 * settlement result, balance, batch, working keys, card organisation, and the MAC. One per writing thread;
 * allocation-free.
 */
final class ResponseWriter {
    private static final int INSTITUTION_CHARACTERS = 11;
    /** Settlement result flags of field 48 (§6). */
    private static final int BALANCED = 1;
    private static final int UNBALANCED = 2;

    private final IsoWriter writer;
    private final ZoneRules zone;
    // Constant fields as bytes once, and field 44 once per issuer: Strings would be read char by char per reply.
    private final UnsafeBuffer acquirerDigits;
    private final UnsafeBuffer cardOrganisation;
    private final UnsafeBuffer institutions = new UnsafeBuffer(new byte[2 * INSTITUTION_CHARACTERS]);
    private String institutionsIssuer;
    private final byte[] macBytes = new byte[8];
    private final UnsafeBuffer macBuffer = new UnsafeBuffer(macBytes);
    private final SubField batchNumber;
    private final SubField settlementFlag;
    private final SubField[] foreignTotals;
    private final SubField foreignFlag;
    private final SubField accountType;
    private final SubField amountType;
    private final SubField currency;
    private final SubField sign;
    private final SubField amount;
    private long offsetValidUntil = Long.MIN_VALUE;
    private long offsetValidFrom = Long.MAX_VALUE;
    private long offsetMillis;
    private int localDay = Integer.MIN_VALUE;
    private int localMmdd;

    ResponseWriter(final Dialect dialect, final String acquirerId, final String cardOrganisation, final ZoneId zone) {
        this.writer = new IsoWriter(dialect);
        this.acquirerDigits = bytesOf(acquirerId);
        for (int i = 0; i < INSTITUTION_CHARACTERS; i++) {
            institutions.putByte(INSTITUTION_CHARACTERS + i, padded(acquirerId, i)); // the acquirer half never changes
        }
        this.cardOrganisation = bytesOf(cardOrganisation);
        this.zone = zone.getRules();
        this.batchNumber = dialect.subField("60.2");
        this.settlementFlag = dialect.subField("48.domesticFlag");
        this.foreignTotals = new SubField[] {dialect.subField("48.foreignDebitAmount"),
            dialect.subField("48.foreignDebitCount"), dialect.subField("48.foreignCreditAmount"),
            dialect.subField("48.foreignCreditCount")};
        this.foreignFlag = dialect.subField("48.foreignFlag");
        this.accountType = dialect.subField("54.accountType");
        this.amountType = dialect.subField("54.amountType");
        this.currency = dialect.subField("54.currency");
        this.sign = dialect.subField("54.sign");
        this.amount = dialect.subField("54.amount");
    }

    /** What the response carries besides the echoed fields. */
    static final class Answer {
        ResponseCode code;
        Outcome outcome;
        long timestampMillis;
        /** Field 62 of a sign-on response (null for none). */
        byte[] keys;
        int keysLength;
        /** The session whose MAK signs the response, when the transaction carries a MAC. */
        Session session;

        Answer set(final ResponseCode responseCode, final Outcome fromLedger, final long timestamp) {
            this.code = responseCode;
            this.outcome = fromLedger;
            this.timestampMillis = timestamp;
            this.keys = null;
            this.keysLength = 0;
            this.session = null;
            return this;
        }
    }

    /**
     * Writes the response frame body into {@code out} at 0; returns its length, or -1 when the dialect refuses
     * a value (the writer's error then says which).
     */
    int write(final IsoMessage request, final Transaction transaction, final Answer answer, final UnsafeBuffer out) {
        final IsoWriter w = writer.wrapResponse(out, 0, out.capacity(), request, transaction.responseMti);
        final Outcome outcome = answer.outcome;
        final long local = answer.timestampMillis + offsetMillis(answer.timestampMillis);
        long fields = Bitmap.without(transaction.responseFields(), 64);
        while (fields != 0) {
            final int field = Bitmap.first(fields);
            fields = Bitmap.without(fields, field);
            if (transaction.echoes(field) && field != 60 && field != 48) {
                w.copyField(request, field);
                continue;
            }
            if (!transaction.sets(field) && !transaction.echoes(field)) {
                continue;
            }
            switch (field) {
                case 12: {
                    final long secondOfDay = Math.floorMod(local / 1000, 86_400L);
                    w.putNumeric(12, (secondOfDay / 3600) * 10_000 + (secondOfDay % 3600 / 60) * 100 + secondOfDay % 60);
                    break;
                }
                case 13:
                    w.putNumeric(13, localMmdd((int) Math.floorDiv(local, 86_400_000L)));
                    break;
                case 15:
                    if (outcome != null && outcome.businessDate > 0) {
                        w.putNumeric(15, outcome.businessDate % 10_000);
                    }
                    break;
                case 32:
                    w.putDigits(32, acquirerDigits, 0, acquirerDigits.capacity());
                    break;
                case 37:
                    if (outcome != null && outcome.rrn > 0) {
                        w.putNumeric(37, outcome.rrn, 12);
                    }
                    break;
                case 38:
                    if (outcome != null && outcome.authCode >= 0 && answer.code == ResponseCode.APPROVED) {
                        w.putNumeric(38, outcome.authCode, 6);
                    }
                    break;
                case 39:
                    w.putAscii(39, answer.code.first, answer.code.second);
                    break;
                case 44:
                    if (outcome != null && outcome.issuerInstitutionId != null) {
                        w.putAscii(44, institutions(outcome.issuerInstitutionId), 0, 2 * INSTITUTION_CHARACTERS);
                    }
                    break;
                case 48:
                    if (request.has(48) && outcome != null && outcome.settlementFlag > 0) {
                        w.beginField(48).copyContent(request, 48).putSubField(settlementFlag, outcome.settlementFlag);
                        if (request.hasSubField(foreignFlag, 0)) {
                            w.putSubField(foreignFlag, foreignBalanced(request) ? BALANCED : UNBALANCED);
                        }
                        w.endField();
                    } else {
                        w.copyField(request, 48);
                    }
                    break;
                case 54:
                    if (outcome != null && answer.code == ResponseCode.APPROVED && outcome.availableBalance >= 0) {
                        w.beginField(54).putSubField(accountType, 10).putSubField(amountType, 2).putSubField(currency, 156)
                                .putSubFieldChar(sign, 0, (byte) 'C').putSubField(amount, outcome.availableBalance).endField();
                    }
                    break;
                case 60:
                    if (transaction.sets(60) && outcome != null) {
                        w.beginField(60).copyContent(request, 60).putSubField(batchNumber, outcome.batch).endField();
                    } else {
                        w.copyField(request, 60);
                    }
                    break;
                case 62:
                    if (answer.keys != null) {
                        w.putBinary(62, answer.keys, 0, answer.keysLength);
                    }
                    break;
                case 63:
                    w.putAscii(63, cardOrganisation, 0, cardOrganisation.capacity());
                    break;
                default:
                    break;
            }
        }
        if (transaction.mac && answer.session != null) {
            final int macLength = w.beginMac();
            if (macLength > 0) {
                answer.session.mac().compute(answer.session.mak(), out.byteArray(), w.macBlockOffset(), macLength,
                        macBytes, 0);
                w.putMac(macBuffer, 0);
            }
        }
        return w.finish();
    }

    String error() {
        return writer.error().toString();
    }

    /**
     * §6's foreign part: the switch has no foreign cards, so its foreign totals are zero and the terminal's
     * balance exactly when they are zero too.
     */
    private boolean foreignBalanced(final IsoMessage request) {
        for (final SubField total : foreignTotals) {
            if (request.subField(total) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Field 44: the issuer's and the acquirer's institution ids, 11 characters each, space-padded. The issuer
     * half is rewritten only when the issuer changes (the ledger hands out one String per issuer). A character
     * outside printable ASCII is kept as is, so the writer refuses it with its own error.
     */
    private UnsafeBuffer institutions(final String issuer) {
        if (issuer != institutionsIssuer) {
            for (int i = 0; i < INSTITUTION_CHARACTERS; i++) {
                institutions.putByte(i, padded(issuer, i));
            }
            institutionsIssuer = issuer;
        }
        return institutions;
    }

    private static UnsafeBuffer bytesOf(final String value) {
        final byte[] bytes = new byte[value.length()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = padded(value, i);
        }
        return new UnsafeBuffer(bytes);
    }

    private static byte padded(final String value, final int index) {
        if (index >= value.length()) {
            return ' ';
        }
        final char c = value.charAt(index);
        return c > 0xFF ? (byte) 0xFF : (byte) c;
    }

    /** MMDD of a local day, recomputed only when the day changes. */
    private int localMmdd(final int day) {
        if (day != localDay) {
            localMmdd = dev.prepaid.time.CivilDate.yyyymmdd(day) % 10_000;
            localDay = day;
        }
        return localMmdd;
    }

    /** The zone's offset at a moment, recomputed only when the moment leaves the hour it was computed for. */
    private long offsetMillis(final long epochMillis) {
        if (epochMillis < offsetValidFrom || epochMillis >= offsetValidUntil) {
            offsetMillis = zone.getOffset(java.time.Instant.ofEpochMilli(epochMillis)).getTotalSeconds() * 1000L;
            offsetValidFrom = epochMillis - Math.floorMod(epochMillis, 3_600_000L);
            offsetValidUntil = offsetValidFrom + 3_600_000L;
        }
        return offsetMillis;
    }
}
