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
    private final IsoWriter writer;
    private final String acquirerId;
    private final String cardOrganisation;
    private final ZoneRules zone;
    private final StringBuilder text = new StringBuilder(32);
    private final byte[] macBytes = new byte[8];
    private final UnsafeBuffer macBuffer = new UnsafeBuffer(macBytes);
    private final SubField batchNumber;
    private final SubField settlementFlag;
    private final SubField accountType;
    private final SubField amountType;
    private final SubField currency;
    private final SubField sign;
    private final SubField amount;
    private long offsetValidUntil = Long.MIN_VALUE;
    private long offsetValidFrom = Long.MAX_VALUE;
    private long offsetMillis;

    ResponseWriter(final Dialect dialect, final String acquirerId, final String cardOrganisation, final ZoneId zone) {
        this.writer = new IsoWriter(dialect);
        this.acquirerId = acquirerId;
        this.cardOrganisation = cardOrganisation;
        this.zone = zone.getRules();
        this.batchNumber = dialect.subField("60.2");
        this.settlementFlag = dialect.subField("48.domesticFlag");
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
                case 13: {
                    final int date = dev.prepaid.time.CivilDate.yyyymmdd((int) Math.floorDiv(local, 86_400_000L));
                    w.putNumeric(13, date % 10_000);
                    break;
                }
                case 15:
                    if (outcome != null && outcome.businessDate > 0) {
                        w.putNumeric(15, outcome.businessDate % 10_000);
                    }
                    break;
                case 32:
                    w.putDigits(32, acquirerId);
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
                        text.setLength(0);
                        pad(outcome.issuerInstitutionId);
                        pad(acquirerId);
                        w.putAscii(44, text);
                    }
                    break;
                case 48:
                    if (request.has(48) && outcome != null && outcome.settlementFlag > 0) {
                        w.beginField(48).copyContent(request, 48).putSubField(settlementFlag, outcome.settlementFlag).endField();
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
                    w.putAscii(63, cardOrganisation);
                    break;
                default:
                    break;
            }
        }
        if (transaction.mac && answer.session != null) {
            final int macLength = w.beginMac();
            if (macLength > 0) {
                answer.session.macAlgorithm().compute(answer.session.mak(), out.byteArray(), w.macBlockOffset(), macLength,
                        macBytes, 0);
                w.putMac(macBuffer, 0);
            }
        }
        return w.finish();
    }

    String error() {
        return writer.error().toString();
    }

    private void pad(final String value) {
        final int start = text.length();
        for (int i = 0; i < 11; i++) {
            text.append(i < value.length() ? value.charAt(i) : ' ');
        }
        assert text.length() == start + 11;
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
