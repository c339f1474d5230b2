package dev.prepaid.pos;

/**
 * One approved transaction of the terminal's open batch that counts in the settlement totals (purchases and
 * completions on the debit side, refunds and recharges on the credit side, pos-iso8583 §6), kept for the batch
 * upload (0320/201) when the switch answers the settlement "unbalanced". A void removes its original.
 *
 * @param expiryYymm     the card's expiry YYMM (sent in field 14 only when keyed in)
 * @param entryMode      field 22 as sent, e.g. 21 for {@code 021}: 01x keyed in, 02x swiped
 * @param originalData   field 61 as sent (digits), or null
 * @param dateMmdd       the switch's date of the transaction (field 13 of the answer), MMDD
 */
public record BatchEntry(PosOperation operation, String pan, int expiryYymm, int entryMode, long amount, int batch,
        int stan, String rrn, String authCode, int dateMmdd, String originalData) {
    public BatchEntry {
        if (!operation.debit() && !operation.credit()) {
            throw new IllegalArgumentException(operation + " does not count in the settlement totals");
        }
    }

    /** Whether the card was keyed in (PAN in field 2 and expiry in field 14) rather than swiped. */
    public boolean keyed() {
        return entryMode / 10 == 1;
    }

    /** The entry as an original to void or refund: the card keyed in (the track of a swiped card is not kept). */
    public Original toOriginal() {
        return new Original(operation, Card.manual(pan, expiryYymm), amount, batch, stan, rrn, authCode, dateMmdd);
    }
}
