package dev.prepaid.clearing.daily;

import java.util.List;

/**
 * What the ledger's own books said about a business day, read from the replay's ledger while it cleared the day:
 * the reconciliation compares the figures with these.
 *
 * @param dayDebits the day's postings' debits (total debits after the closing cut-over less those after the opening)
 * @param dayCredits likewise credits
 * @param cardValue 2201 after the closing cut-over; {@code cardsAvailable} the sum of the cards' available balances
 * @param identityViolation the first identity of the books that does not hold at the close ({@code Invariants}), or null
 * @param merchants per merchant the ledger knew at the close
 * @param batches every batch a terminal settled (0500) during the day that did not agree with the ledger
 */
public record BookFacts(long dayDebits, long dayCredits, long cardValue, long cardsAvailable, long cardHolds,
        long cardsHeld, long cardDeposits, long cardsDeposited, long custody, long merchantPayable, long merchantReceivable,
        long inTransit, String identityViolation, long feesPosted, List<MerchantBooks> merchants, List<BatchMismatch> batches) {
    public BookFacts {
        merchants = List.copyOf(merchants);
        batches = List.copyOf(batches);
    }

    /**
     * One merchant in the ledger's books: the fee and deployer share it had accrued just before the closing cut-over
     * posted them, and its activity of the day (what the day added to what it is owed) after.
     */
    public record MerchantBooks(String merchantId, long feeAccrued, long shareAccrued, long activity) {
    }

    /**
     * A batch settlement (0500) whose totals, as the terminal counted them, differ from the ledger's (the batch closed
     * with flag 2, unbalanced).
     */
    public record BatchMismatch(String terminalId, int batch, long terminalDebitAmount, int terminalDebitCount,
            long terminalCreditAmount, int terminalCreditCount, long ledgerDebitAmount, int ledgerDebitCount,
            long ledgerCreditAmount, int ledgerCreditCount) {
        public String describe() {
            return "terminal " + terminalId + " batch " + batch + ": terminal debits " + terminalDebitCount + "/"
                    + terminalDebitAmount + " credits " + terminalCreditCount + "/" + terminalCreditAmount + ", ledger debits "
                    + ledgerDebitCount + "/" + ledgerDebitAmount + " credits " + ledgerCreditCount + "/" + ledgerCreditAmount;
        }
    }
}
