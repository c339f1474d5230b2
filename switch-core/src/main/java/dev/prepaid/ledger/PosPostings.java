package dev.prepaid.ledger;

import dev.prepaid.card.CardStore;
import dev.prepaid.card.CardType;
import dev.prepaid.merchant.Merchant;
import dev.prepaid.merchant.Terminal;
import dev.prepaid.merchant.TerminalProfile;
import dev.prepaid.money.Money;
import dev.prepaid.time.CivilDate;

/**
 * The books of every POS transaction (domain-rules §3) and their exact mirrors, which voids and reversals
 * apply ({@code direction} -1) and a reversed void applies again (+1); the card's velocity counters; the
 * amounts that follow from a transaction (deployer share, points). Called only once every check has passed.
 */
final class PosPostings {
    private final LedgerState s;
    private final CardStore cards;
    private final GeneralLedger books;

    PosPostings(final LedgerState state) {
        this.s = state;
        this.cards = state.cards;
        this.books = state.books;
    }

    /**
     * A purchase ({@code direction} +1) or its mirror (-1): the card pays its part, the operator funds the
     * discount into custody, the merchant is owed the full price, points are booked.
     */
    void spend(final int card, final int merchantIndex, final long amount, final long cardAmount, final long discount,
            final long pointsValue, final long points, final int direction) {
        final GeneralLedger g = books.begin(s.businessDay);
        if (direction > 0) {
            g.debit(Account.CARD_VALUE, card, cardAmount)
                    .debit(Account.PROMOTION_EXPENSE, -1, discount)
                    .credit(Account.MERCHANT_PAYABLE, merchantIndex, amount)
                    .debit(Account.CUSTODY, -1, discount)
                    .credit(Account.OPERATOR_BANK, -1, discount)
                    .debit(Account.PROMOTION_EXPENSE, -1, pointsValue)
                    .credit(Account.LOYALTY_POINTS, -1, pointsValue);
        } else {
            merchantOut(g, merchantIndex, amount);
            g.credit(Account.CARD_VALUE, card, cardAmount)
                    .credit(Account.PROMOTION_EXPENSE, -1, discount)
                    .debit(Account.OPERATOR_BANK, -1, discount)
                    .credit(Account.CUSTODY, -1, discount)
                    .debit(Account.LOYALTY_POINTS, -1, pointsValue)
                    .credit(Account.PROMOTION_EXPENSE, -1, pointsValue);
        }
        g.commit();
        cards.points(card, cards.points(card) + direction * points);
    }

    /**
     * Debits a merchant: from what it is owed (2203) first and the rest as a receivable (1122), so the
     * payable never goes negative (domain-rules §3, refund "or 1122 when short").
     */
    private long merchantOut(final GeneralLedger g, final int merchantIndex, final long amount) {
        final long payable = s.merchants[merchantIndex].payable();
        final long fromPayable = Math.min(payable, amount);
        g.debit(Account.MERCHANT_PAYABLE, merchantIndex, fromPayable)
                .debit(Account.MERCHANT_RECEIVABLE, merchantIndex, amount - fromPayable);
        return amount - fromPayable;
    }

    /**
     * The exact mirror of {@link #merchantOut}: credits back the part that went to the receivable (as far
     * as the receivable still holds it — a payout may have netted it since) and the rest to the payable.
     */
    private void merchantBack(final GeneralLedger g, final int merchantIndex, final long amount, final long receivablePart) {
        final long toReceivable = Math.min(receivablePart, s.merchants[merchantIndex].receivable());
        g.credit(Account.MERCHANT_RECEIVABLE, merchantIndex, toReceivable)
                .credit(Account.MERCHANT_PAYABLE, merchantIndex, amount - toReceivable);
    }

    /**
     * A POS recharge (+1): the merchant took the cash, so it owes it (booked against what it is owed), less the
     * commission it keeps for taking it ({@code commission} ≤ {@code amount}: the operator's commission expense 6401,
     * which the operator funds into custody from its own account, as it funds discounts); returns the part booked to
     * the merchant's receivable. With {@code apart} (its contract settles recharges separately) the cash owed is its
     * recharge-cash receivable, never netted against its payable. Undone (-1) as the exact mirror.
     */
    long recharge(final int card, final int merchantIndex, final long amount, final long commission,
            final long receivablePart, final boolean apart, final int direction) {
        final GeneralLedger g = books.begin(s.businessDay);
        long toReceivable = 0;
        if (direction > 0) {
            if (apart) {
                g.debit(Account.MERCHANT_RECEIVABLE, merchantIndex | Merchant.RECHARGE_CASH, amount - commission);
            } else {
                toReceivable = merchantOut(g, merchantIndex, amount - commission);
            }
            g.debit(Account.COMMISSION_EXPENSE, -1, commission)
                    .credit(Account.CARD_VALUE, card, amount)
                    .debit(Account.CUSTODY, -1, commission)
                    .credit(Account.OPERATOR_BANK, -1, commission);
        } else {
            g.debit(Account.CARD_VALUE, card, amount)
                    .credit(Account.COMMISSION_EXPENSE, -1, commission)
                    .debit(Account.OPERATOR_BANK, -1, commission)
                    .credit(Account.CUSTODY, -1, commission);
            if (apart) {
                // as far as the recharge cash is still owed; what was collected meanwhile is owed back to the merchant
                final long owed = amount - commission;
                final long back = Math.min(owed, s.merchants[merchantIndex].rechargeReceivable());
                g.credit(Account.MERCHANT_RECEIVABLE, merchantIndex | Merchant.RECHARGE_CASH, back)
                        .credit(Account.MERCHANT_PAYABLE, merchantIndex, owed - back);
            } else {
                merchantBack(g, merchantIndex, amount - commission, receivablePart);
            }
        }
        g.commit();
        return toReceivable;
    }

    /** Moves {@code amount} from the card's 2201 to its 2202 (+1) or back (-1). */
    void hold(final int card, final long amount, final int direction) {
        final GeneralLedger g = books.begin(s.businessDay);
        if (direction > 0) {
            g.debit(Account.CARD_VALUE, card, amount).credit(Account.CARD_HOLDS, card, amount);
            cards.openHolds(card, cards.openHolds(card) + 1);
        } else {
            g.debit(Account.CARD_HOLDS, card, amount).credit(Account.CARD_VALUE, card, amount);
            cards.openHolds(card, cards.openHolds(card) - 1);
        }
        g.commit();
    }

    /** Completion (+1): the whole hold is released, the merchant gets the completed amount, the card the rest. */
    void completion(final int card, final int merchantIndex, final long held, final long completed,
            final long pointsValue, final long points, final int direction) {
        final GeneralLedger g = books.begin(s.businessDay);
        if (direction > 0) {
            g.debit(Account.CARD_HOLDS, card, held)
                    .credit(Account.MERCHANT_PAYABLE, merchantIndex, completed)
                    .credit(Account.CARD_VALUE, card, held - completed)
                    .debit(Account.PROMOTION_EXPENSE, -1, pointsValue)
                    .credit(Account.LOYALTY_POINTS, -1, pointsValue);
            cards.openHolds(card, cards.openHolds(card) - 1);
        } else {
            merchantOut(g, merchantIndex, completed);
            g.debit(Account.CARD_VALUE, card, held - completed)
                    .credit(Account.CARD_HOLDS, card, held)
                    .debit(Account.LOYALTY_POINTS, -1, pointsValue)
                    .credit(Account.PROMOTION_EXPENSE, -1, pointsValue);
            cards.openHolds(card, cards.openHolds(card) + 1);
        }
        g.commit();
        cards.points(card, cards.points(card) + direction * points);
    }

    /**
     * A refund (+1): the merchant gives back {@code amount}; the card gets its part, the operator the
     * discount; returns the part booked to the merchant's receivable. Undone (-1) as the exact mirror.
     */
    long refund(final int card, final int merchantIndex, final long amount, final long cardPart, final long discountPart,
            final long pointsValuePart, final long pointsPart, final long receivablePart, final int direction) {
        final GeneralLedger g = books.begin(s.businessDay);
        long toReceivable = 0;
        if (direction > 0) {
            toReceivable = merchantOut(g, merchantIndex, amount);
            g.credit(Account.CARD_VALUE, card, cardPart)
                    .credit(Account.PROMOTION_EXPENSE, -1, discountPart)
                    .debit(Account.OPERATOR_BANK, -1, discountPart)
                    .credit(Account.CUSTODY, -1, discountPart)
                    .debit(Account.LOYALTY_POINTS, -1, pointsValuePart)
                    .credit(Account.PROMOTION_EXPENSE, -1, pointsValuePart);
        } else {
            g.debit(Account.CARD_VALUE, card, cardPart)
                    .debit(Account.PROMOTION_EXPENSE, -1, discountPart)
                    .debit(Account.CUSTODY, -1, discountPart)
                    .credit(Account.OPERATOR_BANK, -1, discountPart)
                    .debit(Account.PROMOTION_EXPENSE, -1, pointsValuePart)
                    .credit(Account.LOYALTY_POINTS, -1, pointsValuePart);
            merchantBack(g, merchantIndex, amount, receivablePart);
        }
        g.commit();
        cards.points(card, cards.points(card) - direction * pointsPart);
        return toReceivable;
    }

    /**
     * Counts spending against the card's velocity limits. Spending today opens the day (and the month) when
     * the counters belong to an earlier one; undoing or redoing a transaction of {@code day} only touches
     * counters that still belong to that day and month.
     */
    void velocity(final int card, final long amount, final int direction, final int day) {
        final int last = cards.velocityDay(card);
        if (direction > 0 && day == s.businessDay) {
            if (last != day) {
                if (last < s.monthStartDay) {
                    cards.monthAmount(card, 0);
                    cards.monthCount(card, 0);
                }
                cards.dayAmount(card, 0);
                cards.dayCount(card, 0);
                cards.velocityDay(card, day);
            }
            cards.dayAmount(card, cards.dayAmount(card) + amount);
            cards.dayCount(card, cards.dayCount(card) + 1);
            cards.monthAmount(card, cards.monthAmount(card) + amount);
            cards.monthCount(card, cards.monthCount(card) + 1);
            return;
        }
        if (last < 0) {
            return;
        }
        if (last == day) {
            cards.dayAmount(card, Math.max(0, cards.dayAmount(card) + direction * amount));
            cards.dayCount(card, Math.max(0, cards.dayCount(card) + direction));
        }
        if (CivilDate.yyyymm(last) == CivilDate.yyyymm(day)) {
            cards.monthAmount(card, Math.max(0, cards.monthAmount(card) + direction * amount));
            cards.monthCount(card, Math.max(0, cards.monthCount(card) + direction));
        }
    }

    /**
     * Adds a transaction's fee and deployer share to what is posted at the cut-over: the merchant's; and the share
     * also to the registered deployer its terminal names then (none: the unassigned pool), which is whose it is.
     */
    void accrue(final Merchant merchant, final Terminal terminal, final long fee, final long share) {
        merchant.accrue(fee, share);
        final int deployer = terminal.deployerIndex();
        if (deployer >= 0 && share != 0) {
            s.deployers[deployer].accrue(share);
            merchant.accrueDeployerShare(share);
        }
    }

    /** The deployer's share of a transaction's fee, by the terminal's share method. */
    static long deployerShare(final TerminalProfile terminal, final long fee, final long amount) {
        switch (terminal.shareMethod()) {
            case FEE_RATIO:
                return Money.ppmOfHalfUp(fee, terminal.shareRatePpm());
            case SPREAD:
                return Math.max(0, fee - Money.ppmOfHalfUp(amount, terminal.shareRatePpm()));
            default:
                return 0;
        }
    }

    /** Points for {@code paid} fen at a merchant: the merchant's points rule, else the card type's rate. */
    long pointsFor(final Merchant merchant, final CardType type, final long paid) {
        int rate = s.rules.pointsRate(merchant.index(), type.id(), s.businessDay);
        if (rate < 0) {
            rate = type.pointsPerYuan();
        }
        return rate <= 0 ? 0 : Math.multiplyExact(paid / 100, (long) rate);
    }

    /** What {@code points} cost the operator (2206), at the configured value of a point. */
    long pointsValue(final long points) {
        return Math.multiplyExact(points, s.parameters.get(Parameters.Name.POINT_VALUE_FEN));
    }
}
