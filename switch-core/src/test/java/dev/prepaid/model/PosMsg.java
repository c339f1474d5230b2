package dev.prepaid.model;

import dev.prepaid.card.Pan;
import dev.prepaid.command.PosKind;
import dev.prepaid.command.PosRequest;

/**
 * The field values of one POS request, as plain data: what the generator decides, what the reference model
 * reads, and what is written into the ledger's {@link PosRequest} layout with its fluent writers.
 */
public final class PosMsg {
    public int kindCode;
    public int originalKindCode;
    public int panLength;
    public long panBody;
    public int checkDigit;
    public boolean pinEntered;
    public long pinCheck;
    public String terminalId = "";
    public String merchantId = "";
    public long amount;
    public int batch;
    public int stan;
    public long originalRrn;
    public int originalAuth = -1;
    public int originalBatch;
    public int originalStan;
    public int originalDate;
    public int currency = 156;
    public int uploadCount;
    public long settleDebitAmount;
    public int settleDebitCount;
    public long settleCreditAmount;
    public int settleCreditCount;

    public PosMsg copy() {
        final PosMsg m = new PosMsg();
        m.kindCode = kindCode;
        m.originalKindCode = originalKindCode;
        m.panLength = panLength;
        m.panBody = panBody;
        m.checkDigit = checkDigit;
        m.pinEntered = pinEntered;
        m.pinCheck = pinCheck;
        m.terminalId = terminalId;
        m.merchantId = merchantId;
        m.amount = amount;
        m.batch = batch;
        m.stan = stan;
        m.originalRrn = originalRrn;
        m.originalAuth = originalAuth;
        m.originalBatch = originalBatch;
        m.originalStan = originalStan;
        m.originalDate = originalDate;
        m.currency = currency;
        m.uploadCount = uploadCount;
        m.settleDebitAmount = settleDebitAmount;
        m.settleDebitCount = settleDebitCount;
        m.settleCreditAmount = settleCreditAmount;
        m.settleCreditCount = settleCreditCount;
        return m;
    }

    public PosKind kind() {
        return PosKind.ofCode(kindCode);
    }

    public PosMsg kind(final PosKind kind) {
        this.kindCode = kind.code;
        return this;
    }

    /** Sets the PAN from its digits (the last one is the check digit, carried as given). */
    public PosMsg pan(final String digits) {
        if (digits == null || digits.isEmpty()) {
            panLength = 0;
            panBody = 0;
            checkDigit = 0;
            return this;
        }
        long body = 0;
        for (int i = 0; i < digits.length() - 1; i++) {
            body = body * 10 + (digits.charAt(i) - '0');
        }
        panLength = digits.length();
        panBody = body;
        checkDigit = digits.charAt(digits.length() - 1) - '0';
        return this;
    }

    public PosMsg pin(final long check) {
        pinEntered = true;
        pinCheck = check;
        return this;
    }

    /** The PAN key as the duplicate rule compares it: 0 when no PAN, -1 when it is not a well-formed PAN. */
    public long panKeyForMatching() {
        if (panLength == 0) {
            return 0;
        }
        return Pan.isWellFormed(panLength, panBody) ? Pan.key(panLength, panBody) : -1;
    }

    /** The PAN as digits (body zero-padded, then the check digit as carried), or "" when none. */
    public String panDigits() {
        if (panLength == 0) {
            return "";
        }
        final String body = Long.toString(panBody);
        final StringBuilder out = new StringBuilder();
        for (int i = body.length(); i < panLength - 1; i++) {
            out.append('0');
        }
        return out.append(body).append((char) ('0' + checkDigit)).toString();
    }

    /**
     * Writes the request at {@code offset} of {@code buffer} (wrapping it for encoding first). Kind codes are
     * written as raw bytes (offsets 4 and 5 of the documented layout) so unknown codes can be sent too.
     */
    public void encode(final PosRequest r, final org.agrona.MutableDirectBuffer buffer, final int offset) {
        r.wrapForEncode(buffer, offset);
        if (panLength > 0) {
            r.pan(panLength, panBody, checkDigit);
        }
        if (pinEntered) {
            r.pinCheck(pinCheck);
        }
        r.terminalId(terminalId).merchantId(merchantId).amount(amount).batch(batch).stan(stan).originalRrn(originalRrn)
                .originalAuthCode(originalAuth).original(originalBatch, originalStan, originalDate).currency(currency)
                .uploadCount(uploadCount)
                .settlementTotals(settleDebitAmount, settleDebitCount, settleCreditAmount, settleCreditCount);
        buffer.putByte(offset + 4, (byte) kindCode);
        buffer.putByte(offset + 5, (byte) originalKindCode);
    }

    @Override
    public String toString() {
        final PosKind k = kind();
        final StringBuilder s = new StringBuilder("POS ").append(k == null ? "kind#" + kindCode : k.name());
        if (originalKindCode != 0) {
            final PosKind ok = PosKind.ofCode(originalKindCode);
            s.append(" orig=").append(ok == null ? "#" + originalKindCode : ok.name());
        }
        s.append(" term=").append(terminalId).append(" mer=").append(merchantId).append(" batch=").append(batch)
                .append(" stan=").append(stan);
        if (panLength > 0) {
            s.append(" pan=").append(panDigits());
        }
        if (pinEntered) {
            s.append(" pin=").append(Long.toHexString(pinCheck));
        }
        s.append(" amount=").append(amount);
        if (currency != 156) {
            s.append(" currency=").append(currency);
        }
        if (originalRrn != 0) {
            s.append(" origRrn=").append(originalRrn);
        }
        if (originalAuth != -1) {
            s.append(" origAuth=").append(originalAuth);
        }
        if (originalBatch != 0 || originalStan != 0) {
            s.append(" orig=").append(originalBatch).append('/').append(originalStan);
        }
        if (uploadCount != 0) {
            s.append(" uploads=").append(uploadCount);
        }
        if (settleDebitAmount != 0 || settleDebitCount != 0 || settleCreditAmount != 0 || settleCreditCount != 0) {
            s.append(" totals=").append(settleDebitAmount).append('/').append(settleDebitCount).append('/')
                    .append(settleCreditAmount).append('/').append(settleCreditCount);
        }
        return s.toString();
    }
}
