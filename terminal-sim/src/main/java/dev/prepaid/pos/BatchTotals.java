package dev.prepaid.pos;

/**
 * Settlement totals of one batch as field 48 of the 0500 carries them (pos-iso8583 §6, domestic part): debit
 * = approved purchases and completions, credit = approved refunds and recharges; amounts in fen.
 */
public record BatchTotals(long debitAmount, int debitCount, long creditAmount, int creditCount) {
    public static final BatchTotals ZERO = new BatchTotals(0, 0, 0, 0);

    /** The totals of these entries. */
    public static BatchTotals of(final Iterable<BatchEntry> entries) {
        long debitAmount = 0;
        long creditAmount = 0;
        int debitCount = 0;
        int creditCount = 0;
        for (final BatchEntry entry : entries) {
            if (entry.operation().debit()) {
                debitAmount = Math.addExact(debitAmount, entry.amount());
                debitCount++;
            } else {
                creditAmount = Math.addExact(creditAmount, entry.amount());
                creditCount++;
            }
        }
        return new BatchTotals(debitAmount, debitCount, creditAmount, creditCount);
    }

    @Override
    public String toString() {
        return "debit " + debitCount + "/" + PosResult.yuan(debitAmount) + ", credit " + creditCount + "/"
                + PosResult.yuan(creditAmount);
    }
}
