package dev.prepaid.ledger;

import dev.prepaid.card.CardStore;
import dev.prepaid.merchant.Merchant;
import dev.prepaid.txn.HoldTable;

/**
 * The identities of domain-rules §3, checked over the whole state: total debits equal total credits; the
 * card sub-accounts sum to 2201, 2202 and 2204; the merchant sub-accounts sum to 2203 and 1122; no card or
 * merchant sub-account is negative; and custody covers what is owed:
 * {@code 1001 = 2201 + 2202 + 2203 − 1122 + in transit}. Open holds sum to each card's 2202.
 *
 * <p>O(cards): tests run it after every command; the switch runs it at start, after recovery and at each
 * cut-over.
 */
public final class Invariants {
    private Invariants() {
    }

    /** Throws {@link LedgerInvariantException} naming the first identity that does not hold. */
    public static void check(final LedgerState s) {
        final GeneralLedger books = s.books;
        if (books.totalDebits() != books.totalCredits()) {
            throw new LedgerInvariantException("total debits " + books.totalDebits() + " != total credits " + books.totalCredits());
        }
        final CardStore cards = s.cards;
        long available = 0;
        long holds = 0;
        long deposits = 0;
        final long[] heldByCard = new long[cards.count()];
        final HoldTable table = s.holds;
        for (int i = 0; i < table.capacity(); i++) {
            if (table.state(i) == HoldTable.OPEN) {
                heldByCard[table.card(i)] += table.amount(i);
            }
        }
        for (int c = 0; c < cards.count(); c++) {
            if (cards.available(c) < 0 || cards.holds(c) < 0 || cards.deposit(c) < 0) {
                throw new LedgerInvariantException("card " + c + " has a negative sub-account");
            }
            if (cards.holds(c) != heldByCard[c]) {
                throw new LedgerInvariantException("card " + c + " holds " + cards.holds(c) + " but its open holds sum to " + heldByCard[c]);
            }
            available += cards.available(c);
            holds += cards.holds(c);
            deposits += cards.deposit(c);
        }
        expect("2201 = sum of card balances", books.balance(Account.CARD_VALUE), available);
        expect("2202 = sum of card holds", books.balance(Account.CARD_HOLDS), holds);
        expect("2204 = sum of card deposits", books.balance(Account.CARD_DEPOSITS), deposits);
        long payable = 0;
        long receivable = 0;
        for (int m = 0; m < s.merchantCount; m++) {
            final Merchant merchant = s.merchants[m];
            if (merchant.payable() < 0 || merchant.receivable() < 0) {
                throw new LedgerInvariantException("merchant " + merchant.profile().merchantId() + " has a negative sub-account");
            }
            payable += merchant.payable();
            receivable += merchant.receivable();
        }
        expect("2203 = sum of merchant payables", books.balance(Account.MERCHANT_PAYABLE), payable);
        expect("1122 = sum of merchant receivables", books.balance(Account.MERCHANT_RECEIVABLE), receivable);
        final long inTransit = -books.balance(Account.CLEARING_IN_TRANSIT);
        expect("1001 = 2201 + 2202 + 2203 - 1122 + in transit", books.balance(Account.CUSTODY),
                available + holds + payable - receivable + inTransit);
    }

    private static void expect(final String identity, final long actual, final long expected) {
        if (actual != expected) {
            throw new LedgerInvariantException(identity + ": " + actual + " != " + expected);
        }
    }
}
