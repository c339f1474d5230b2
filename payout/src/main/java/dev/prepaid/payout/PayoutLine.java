package dev.prepaid.payout;

import dev.prepaid.money.Money;

/**
 * One merchant's payout in a batch: whom to pay, where, how much and with what words on the payee's statement.
 * Every field is checked against what the payout files can carry (pain.001's lengths, XML's characters, the
 * delimited files' lines), so a line that exists can be written by every writer.
 *
 * @param merchantId the merchant's id (POS field 42), as RECORD_PAYOUT_RESULT names it
 * @param payeeName the name on the merchant's bank account (the bank compares it with the account's holder)
 * @param account the merchant's bank account number
 * @param bankName the name of the merchant's bank (branch)
 * @param cnapsCode the 12-digit CNAPS code of that bank
 * @param amountFen what is paid, in fen; positive
 * @param purpose the remittance text the payee sees
 * @param endToEndId {@link #endToEndId(long, String)} of the batch and merchant: the id the bank returns with
 *        the result
 */
public record PayoutLine(String merchantId, String payeeName, String account, String bankName, String cnapsCode,
        long amountFen, String purpose, String endToEndId) {
    /** pain.001's {@code Max140Text}: names of parties and banks, and the unstructured remittance text. */
    public static final int MAX_NAME = 140;
    /** pain.001's {@code Max34Text} of an account's {@code Othr/Id}. The ledger takes up to 40: longer is refused here. */
    public static final int MAX_ACCOUNT = 34;
    public static final int MAX_PURPOSE = 140;
    /** POS field 42's length; with a batch id of at most 19 digits the end-to-end id fits pain.001's 35. */
    public static final int MAX_MERCHANT_ID = 15;
    public static final int CNAPS_DIGITS = 12;
    /** pain.001's amounts have at most 18 digits, two of them after the point. */
    public static final long MAX_AMOUNT_FEN = 999_999_999_999_999_999L;

    public PayoutLine {
        PayoutText.requireAsciiId("merchant id", merchantId, MAX_MERCHANT_ID);
        final String of = " of merchant " + merchantId;
        PayoutText.require("payee name" + of, payeeName, MAX_NAME);
        PayoutText.requireAsciiId("account" + of, account, MAX_ACCOUNT);
        PayoutText.require("bank name" + of, bankName, MAX_NAME);
        PayoutText.requireDigits("CNAPS code" + of, cnapsCode, CNAPS_DIGITS);
        if (amountFen <= 0) {
            throw new IllegalArgumentException("amount" + of + " must be positive, got " + amountFen + " fen");
        }
        if (amountFen > MAX_AMOUNT_FEN) {
            throw new IllegalArgumentException("amount" + of + " is " + Money.format(amountFen)
                    + "; pain.001 carries at most " + Money.format(MAX_AMOUNT_FEN));
        }
        PayoutText.require("purpose" + of, purpose, MAX_PURPOSE);
        PayoutText.requireAsciiId("end-to-end id" + of, endToEndId, 35);
    }

    /** A line of batch {@code batchId}, its end-to-end id derived from the batch and the merchant. */
    public static PayoutLine of(final long batchId, final String merchantId, final String payeeName, final String account,
            final String bankName, final String cnapsCode, final long amountFen, final String purpose) {
        return new PayoutLine(merchantId, payeeName, account, bankName, cnapsCode, amountFen, purpose,
                endToEndId(batchId, merchantId));
    }

    /**
     * {@code <batch id>-<merchant id>}, e.g. {@code 7-888310048990001}: the same batch and merchant always give the
     * same id, so a file written again for the same batch names the same transfers and the bank can refuse them as
     * repeats, and a result names its line without a table kept anywhere. The batch id is digits only, so the
     * first '-' ends it even when a merchant id has one.
     */
    public static String endToEndId(final long batchId, final String merchantId) {
        return batchId + "-" + merchantId;
    }
}
