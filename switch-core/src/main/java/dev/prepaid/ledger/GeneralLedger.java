package dev.prepaid.ledger;

import dev.prepaid.card.CardStore;
import dev.prepaid.merchant.Deployer;
import dev.prepaid.merchant.Merchant;
import dev.prepaid.state.StateReader;
import dev.prepaid.state.StateWriter;

/**
 * Double-entry books: debit and credit totals per account, and the sub-accounts that live elsewhere (a
 * card's 2201/2202/2204 in the card store, a merchant's 2203/1122 in the merchant — 1122 has two per merchant: the
 * receivable netted against its payable, and the recharge cash kept apart, {@code index | Merchant.RECHARGE_CASH}).
 * Every movement of
 * money is one {@link #begin() posting} of legs whose debits equal their credits, checked at
 * {@link #commit()}; a sub-account that would go below zero stops the ledger (validation should have
 * declined the command first).
 *
 * <p>Allocation-free: legs are kept in preallocated arrays.
 */
public final class GeneralLedger {
    private static final int MAX_LEGS = 16;
    private static final Account[] ACCOUNTS = Account.values();

    private final long[] debits = new long[ACCOUNTS.length];
    private final long[] credits = new long[ACCOUNTS.length];

    private final CardStore cards;
    private final Merchant[] merchants;

    private final int[] legAccount = new int[MAX_LEGS];
    private final int[] legSub = new int[MAX_LEGS];
    private final long[] legAmount = new long[MAX_LEGS];
    private final boolean[] legDebit = new boolean[MAX_LEGS];
    private int legs;
    private boolean open;
    private boolean settlementMovement;
    private int businessDay;

    private final Deployer[] deployers;
    /** 2205 not owed to a registered deployer: shares of terminals whose deployer code names none (derived, not stored). */
    private long unassignedShares;

    public GeneralLedger(final CardStore cards, final Merchant[] merchants, final Deployer[] deployers) {
        this.cards = cards;
        this.merchants = merchants;
        this.deployers = deployers;
    }

    /** The part of 2205 owed to no registered deployer (the pool of terminals without one). */
    public long unassignedShares() {
        return unassignedShares;
    }

    /** Sets the pool after a state is read: 2205 less what the deployers are owed. */
    void unassignedShares(final long fen) {
        this.unassignedShares = fen;
    }

    /** Starts a posting. Merchant legs count as that merchant's activity of {@code businessDay}. */
    public GeneralLedger begin(final int businessDay) {
        if (open) {
            throw new LedgerInvariantException("posting begun while another is open");
        }
        open = true;
        legs = 0;
        settlementMovement = false;
        this.businessDay = businessDay;
        return this;
    }

    /**
     * Marks the posting as a payout movement: it changes what a merchant is owed without being activity of
     * the day (so a payout is never counted again as something still to pay).
     */
    public GeneralLedger settlement() {
        settlementMovement = true;
        return this;
    }

    /** A debit leg; {@code sub} is the card or merchant index for accounts with sub-accounts, else -1. */
    public GeneralLedger debit(final Account account, final int sub, final long amount) {
        return leg(account, sub, amount, true);
    }

    public GeneralLedger credit(final Account account, final int sub, final long amount) {
        return leg(account, sub, amount, false);
    }

    private GeneralLedger leg(final Account account, final int sub, final long amount, final boolean debit) {
        if (!open) {
            throw new LedgerInvariantException("leg outside a posting");
        }
        if (amount < 0) {
            throw new LedgerInvariantException("negative leg " + amount + " on " + account.code);
        }
        if (amount == 0) {
            return this;
        }
        if (legs == MAX_LEGS) {
            throw new LedgerInvariantException("posting has more than " + MAX_LEGS + " legs");
        }
        legAccount[legs] = account.ordinal();
        legSub[legs] = sub;
        legAmount[legs] = amount;
        legDebit[legs] = debit;
        legs++;
        return this;
    }

    /**
     * Checks the posting balances, applies it, then checks that no sub-account it touched went negative.
     * A negative sub-account is a broken invariant (validation should have declined the command), and the
     * ledger stops on it whether it is found before or after applying: checking after keeps this linear.
     */
    public void commit() {
        if (!open) {
            throw new LedgerInvariantException("commit without a posting");
        }
        long totalDebit = 0;
        long totalCredit = 0;
        for (int i = 0; i < legs; i++) {
            if (legDebit[i]) {
                totalDebit = Math.addExact(totalDebit, legAmount[i]);
            } else {
                totalCredit = Math.addExact(totalCredit, legAmount[i]);
            }
        }
        open = false;
        if (totalDebit != totalCredit) {
            throw new LedgerInvariantException("unbalanced posting: debits " + totalDebit + " credits " + totalCredit);
        }
        for (int i = 0; i < legs; i++) {
            apply(i);
        }
        for (int i = 0; i < legs; i++) {
            checkSub(i);
        }
    }

    /** Whether a posting is begun and not yet committed (never between two commands). */
    public boolean postingOpen() {
        return open;
    }

    /** Abandons an open posting (only on paths that then stop the ledger). */
    public void abandon() {
        open = false;
        legs = 0;
    }

    private long signedChange(final int leg, final boolean debitNormal) {
        return legDebit[leg] == debitNormal ? legAmount[leg] : -legAmount[leg];
    }

    private void checkSub(final int leg) {
        final Account account = ACCOUNTS[legAccount[leg]];
        final int sub = legSub[leg];
        final long after;
        switch (account) {
            case CARD_VALUE:
                after = cards.available(sub);
                break;
            case CARD_HOLDS:
                after = cards.holds(sub);
                break;
            case CARD_DEPOSITS:
                after = cards.deposit(sub);
                break;
            case MERCHANT_PAYABLE:
                after = merchants[sub].payable();
                break;
            case MERCHANT_RECEIVABLE:
                after = (sub & Merchant.RECHARGE_CASH) != 0 ? merchants[sub & ~Merchant.RECHARGE_CASH].rechargeReceivable()
                        : merchants[sub].receivable();
                break;
            default:
                return;
        }
        if (after < 0) {
            throw new LedgerInvariantException("sub-account " + account.code + "/" + sub + " went to " + after);
        }
    }

    private void apply(final int leg) {
        final int a = legAccount[leg];
        final Account account = ACCOUNTS[a];
        final long amount = legAmount[leg];
        if (legDebit[leg]) {
            debits[a] = Math.addExact(debits[a], amount);
        } else {
            credits[a] = Math.addExact(credits[a], amount);
        }
        final long change = signedChange(leg, account.debitNormal());
        final int sub = legSub[leg];
        switch (account) {
            case CARD_VALUE:
                cards.available(sub, cards.available(sub) + change);
                break;
            case CARD_HOLDS:
                cards.holds(sub, cards.holds(sub) + change);
                break;
            case CARD_DEPOSITS:
                cards.deposit(sub, cards.deposit(sub) + change);
                break;
            case MERCHANT_PAYABLE:
                merchants[sub].payable(merchants[sub].payable() + change);
                if (!settlementMovement) {
                    merchants[sub].addActivity(businessDay, change);
                }
                break;
            case DEPLOYER_PAYABLE:
                // a deployer's balance may be negative (shares given back after its payout, netted later)
                if (sub >= 0) {
                    deployers[sub].payable(deployers[sub].payable() + change);
                } else {
                    unassignedShares += change;
                }
                break;
            case MERCHANT_RECEIVABLE:
                if ((sub & Merchant.RECHARGE_CASH) != 0) {
                    // recharge cash kept apart: its own activity, never the activity netted against the payable
                    final Merchant m = merchants[sub & ~Merchant.RECHARGE_CASH];
                    m.rechargeReceivable(m.rechargeReceivable() + change);
                    if (!settlementMovement) {
                        m.addRechargeActivity(businessDay, change);
                    }
                    break;
                }
                merchants[sub].receivable(merchants[sub].receivable() + change);
                if (!settlementMovement) {
                    merchants[sub].addActivity(businessDay, -change);
                }
                break;
            default:
                break;
        }
    }

    /** Balance of an account on its normal side (assets/expenses: debit − credit; others: credit − debit). */
    public long balance(final Account account) {
        final int a = account.ordinal();
        return account.debitNormal() ? debits[a] - credits[a] : credits[a] - debits[a];
    }

    public long debits(final Account account) {
        return debits[account.ordinal()];
    }

    public long credits(final Account account) {
        return credits[account.ordinal()];
    }

    public long totalDebits() {
        long sum = 0;
        for (final long d : debits) {
            sum = Math.addExact(sum, d);
        }
        return sum;
    }

    public long totalCredits() {
        long sum = 0;
        for (final long c : credits) {
            sum = Math.addExact(sum, c);
        }
        return sum;
    }

    void restore(final Account account, final long debit, final long credit) {
        debits[account.ordinal()] = debit;
        credits[account.ordinal()] = credit;
    }

    /** Each account's code, debits and credits, in the chart's order. */
    public void writeTo(final StateWriter out) {
        for (final Account account : ACCOUNTS) {
            out.i32(account.code);
            out.i64(debits(account));
            out.i64(credits(account));
        }
    }

    /** The totals written by {@link #writeTo}; an account code out of place means the state is not this build's. */
    public void readFrom(final StateReader in) {
        for (final Account account : ACCOUNTS) {
            final int code = in.i32();
            if (code != account.code) {
                throw new IllegalStateException("state corrupt: account " + code + " where " + account.code + " belongs");
            }
            restore(account, in.i64(), in.i64());
        }
    }
}
