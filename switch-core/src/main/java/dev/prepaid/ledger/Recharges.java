package dev.prepaid.ledger;

import dev.prepaid.card.CardStore;
import dev.prepaid.card.CardType;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.PosKind;
import dev.prepaid.command.PosRequest;
import dev.prepaid.command.Reason;
import dev.prepaid.merchant.Merchant;
import dev.prepaid.merchant.Terminal;
import dev.prepaid.txn.TransactionLog;

/**
 * Recharges at a terminal: the merchant takes the cash and owes it, less its commission for taking it; the card gets
 * the value.
 */
final class Recharges {
    private final LedgerState s;
    private final CardStore cards;
    private final TransactionLog log;
    private final PosRequest req;
    private final CardChecks checks;
    private final PosRecords records;
    private final PosPostings postings;

    Recharges(final LedgerState state, final PosRequest request, final CardChecks checks, final PosRecords records,
            final PosPostings postings) {
        this.s = state;
        this.cards = state.cards;
        this.log = state.transactions;
        this.req = request;
        this.checks = checks;
        this.records = records;
        this.postings = postings;
    }

    void recharge(final long key, final Terminal terminal, final Merchant merchant, final Outcome out) {
        Reason reason = checks.message(true);
        final long amount = req.amount();
        if (reason == Reason.APPROVED && !merchant.profile().rechargeAllowed()) {
            reason = Reason.RECHARGE_NOT_PERMITTED_AT_MERCHANT;
        }
        int card = CardChecks.NO_CARD;
        if (reason == Reason.APPROVED) {
            final long identified = checks.identifyForNew(PosKind.RECHARGE);
            card = CardChecks.cardOf(identified);
            reason = CardChecks.reasonOf(identified);
        }
        final CardType type = reason == Reason.APPROVED ? checks.typeOf(card) : null;
        if (reason == Reason.APPROVED && !type.rechargeable()) {
            reason = Reason.CARD_NOT_RECHARGEABLE;
        }
        if (reason == Reason.APPROVED && amount >= s.parameters.get(Parameters.Name.RECHARGE_TRANSFER_THRESHOLD)) {
            reason = Reason.RECHARGE_CASH_LIMIT;
        }
        if (reason == Reason.APPROVED && cards.ledgerBalance(card) + amount > s.balanceCap(type)) {
            reason = Reason.BALANCE_CAP_EXCEEDED;
        }
        if (reason != Reason.APPROVED) {
            records.declined(key, PosKind.RECHARGE, terminal, merchant, card, reason, 0, out);
            return;
        }
        final long commission = commission(merchant, type, amount);
        final boolean apart = merchant.rechargesApart();
        final long receivablePart = postings.recharge(card, merchant.index(), amount, commission, 0, apart, +1);
        cards.used(card, true);
        terminal.addCredit(amount, 1);
        final int slot = records.record(key, PosKind.RECHARGE, terminal, merchant, card, Reason.APPROVED, out);
        if (apart) {
            log.mark(slot, TransactionLog.CASH_APART);
        }
        log.money(slot, amount, amount, 0, commission, 0, 0, 0);
        log.receivablePart(slot, receivablePart);
        records.approvedAnswer(slot, card, 0, out);
        out.cardAmount = amount;
        out.fee = commission;
    }

    /**
     * The merchant's commission for taking a recharge: the first matching fee rule of kind RECHARGE (card type,
     * effective today, by priority), rounded half-up to the fen as every fee; never more than the recharge itself.
     */
    private long commission(final Merchant merchant, final CardType type, final long amount) {
        return Math.min(amount, s.rules.fee(merchant.index(), type.id(), PosKind.RECHARGE, s.businessDay, amount));
    }
}
