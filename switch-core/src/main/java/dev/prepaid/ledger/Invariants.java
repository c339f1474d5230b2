package dev.prepaid.ledger;

import dev.prepaid.card.CardStore;
import dev.prepaid.merchant.Merchant;
import dev.prepaid.txn.HoldTable;
import org.agrona.collections.Long2LongHashMap;

/**
 * The identities of domain-rules §3, checked over the whole state: total debits equal total credits; the
 * card sub-accounts sum to 2201, 2202 and 2204; the merchant sub-accounts sum to 2203 and 1122 (its netted receivable
 * and its recharge cash kept apart); no card or
 * merchant sub-account is negative; and custody covers what is owed:
 * {@code 1001 = 2201 + 2202 + 2203 − 1122 + in transit}. Open holds sum to each card's 2202.
 *
 * <p>O(cards), memory O(open holds). Where it runs and what a failure stops (docs/architecture.md, "What a
 * failed check stops"): tests after every command; the ledger itself at every cut-over (a failure is flagged
 * on the cut-over's outcome and logged loudly, POS keeps being served) and before a settlement is prepared or
 * approved (refused: no money leaves books that do not add up); recovery at start and the journal tools.
 */
public final class Invariants {
    private Invariants() {
    }

    /** Throws {@link LedgerInvariantException} naming the first identity that does not hold. */
    public static void check(final LedgerState s) {
        final String violation = firstViolation(s);
        if (violation != null) {
            throw new LedgerInvariantException(violation);
        }
    }

    /** The first identity that does not hold, said as "what: actual != expected", or null when all hold. */
    public static String firstViolation(final LedgerState s) {
        final GeneralLedger books = s.books;
        if (books.totalDebits() != books.totalCredits()) {
            return "total debits " + books.totalDebits() + " != total credits " + books.totalCredits();
        }
        final CardStore cards = s.cards;
        final HoldTable table = s.holds;
        final Long2LongHashMap heldByCard = new Long2LongHashMap(Math.max(8, table.openCount() * 2), 0.65f, 0);
        for (int i = 0; i < table.capacity(); i++) {
            if (table.state(i) == HoldTable.OPEN) {
                if (table.card(i) < 0 || table.card(i) >= cards.count()) {
                    return "open hold " + i + " names card " + table.card(i) + ", and there are " + cards.count() + " cards";
                }
                heldByCard.put(table.card(i), heldByCard.get(table.card(i)) + table.amount(i));
            }
        }
        long available = 0;
        long holds = 0;
        long deposits = 0;
        for (int c = 0; c < cards.count(); c++) {
            final long cardHolds = cards.holds(c);
            if (cards.available(c) < 0 || cardHolds < 0 || cards.deposit(c) < 0) {
                return "card " + c + " has a negative sub-account";
            }
            if (cardHolds != heldByCard.get(c)) {
                return "card " + c + " holds " + cardHolds + " but its open holds sum to " + heldByCard.get(c);
            }
            available += cards.available(c);
            holds += cardHolds;
            deposits += cards.deposit(c);
        }
        String off = differs("2201 = sum of card balances", books.balance(Account.CARD_VALUE), available);
        off = off != null ? off : differs("2202 = sum of card holds", books.balance(Account.CARD_HOLDS), holds);
        off = off != null ? off : differs("2204 = sum of card deposits", books.balance(Account.CARD_DEPOSITS), deposits);
        if (off != null) {
            return off;
        }
        long payable = 0;
        long receivable = 0;
        for (int m = 0; m < s.merchantCount; m++) {
            final Merchant merchant = s.merchants[m];
            if (merchant.payable() < 0 || merchant.receivable() < 0 || merchant.rechargeReceivable() < 0) {
                return "merchant " + merchant.profile().merchantId() + " has a negative sub-account";
            }
            payable += merchant.payable();
            receivable += merchant.receivable() + merchant.rechargeReceivable();
        }
        off = differs("2203 = sum of merchant payables", books.balance(Account.MERCHANT_PAYABLE), payable);
        off = off != null ? off : differs("1122 = sum of merchant receivables (netted and recharge cash)", books.balance(Account.MERCHANT_RECEIVABLE), receivable);
        if (off != null) {
            return off;
        }
        long owedToDeployers = 0;
        for (int d = 0; d < s.deployerCount; d++) {
            owedToDeployers += s.deployers[d].payable();
        }
        off = differs("2205 = sum of deployer sub-accounts + unassigned shares", books.balance(Account.DEPLOYER_PAYABLE),
                owedToDeployers + books.unassignedShares());
        if (off != null) {
            return off;
        }
        final long inTransit = -books.balance(Account.CLEARING_IN_TRANSIT);
        return differs("1001 = 2201 + 2202 + 2203 - 1122 + in transit", books.balance(Account.CUSTODY),
                available + holds + payable - receivable + inTransit);
    }

    private static String differs(final String identity, final long actual, final long expected) {
        return actual == expected ? null : identity + ": " + actual + " != " + expected;
    }
}
