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

/** Purchases and balance inquiries: what a card spends at a merchant, and what it has left. */
final class Purchases {
    private final LedgerState s;
    private final CardStore cards;
    private final TransactionLog log;
    private final PosRequest req;
    private final CardChecks checks;
    private final PosRecords records;
    private final PosPostings postings;

    Purchases(final LedgerState state, final PosRequest request, final CardChecks checks, final PosRecords records,
            final PosPostings postings) {
        this.s = state;
        this.cards = state.cards;
        this.log = state.transactions;
        this.req = request;
        this.checks = checks;
        this.records = records;
        this.postings = postings;
    }

    void purchase(final long key, final Terminal terminal, final Merchant merchant, final Outcome out) {
        Reason reason = checks.message(true);
        int card = CardChecks.NO_CARD;
        if (reason == Reason.APPROVED) {
            final long identified = checks.identifyForNew(PosKind.PURCHASE);
            card = CardChecks.cardOf(identified);
            reason = CardChecks.reasonOf(identified);
        }
        final long amount = req.amount();
        long discount = 0;
        int riskFlags = 0;
        if (reason == Reason.APPROVED) {
            reason = checks.velocity(card, amount);
        }
        if (reason == Reason.APPROVED) {
            riskFlags = checks.riskFlags(card, amount);
            reason = checks.riskBlock(card, amount);
        }
        if (reason == Reason.APPROVED) {
            discount = s.rules.discount(merchant.index(), checks.typeOf(card).id(), s.businessDay, amount);
            if (cards.available(card) < amount - discount) {
                reason = Reason.INSUFFICIENT_BALANCE;
            }
        }
        if (reason != Reason.APPROVED) {
            records.declined(key, PosKind.PURCHASE, terminal, merchant, card, reason,
                    riskFlags, out);
            return;
        }
        final CardType type = checks.typeOf(card);
        final long cardAmount = amount - discount;
        final long fee = s.rules.fee(merchant.index(), type.id(), PosKind.PURCHASE, s.businessDay, amount);
        final long share = PosPostings.deployerShare(terminal.profile(), fee, amount);
        final long points = postings.pointsFor(merchant, type, cardAmount);
        final long pointsValue = postings.pointsValue(points);

        postings.spend(card, merchant.index(), amount, cardAmount, discount, pointsValue, points, +1);
        postings.velocity(card, amount, +1, s.businessDay);
        cards.used(card, true);
        terminal.addDebit(amount, 1);
        postings.accrue(merchant, terminal, fee, share);

        final int slot = records.record(key, PosKind.PURCHASE, terminal, merchant, card, Reason.APPROVED, out);
        log.money(slot, amount, cardAmount, discount, fee, share, points, pointsValue);
        records.approvedAnswer(slot, card, riskFlags, out);
        PosRecords.fillMoney(out, cardAmount, discount, fee, points);
    }

    void balanceInquiry(final long key, final Terminal terminal, final Merchant merchant, final Outcome out) {
        Reason reason = checks.message(false);
        int card = CardChecks.NO_CARD;
        if (reason == Reason.APPROVED) {
            final long identified = checks.identifyForNew(PosKind.BALANCE_INQUIRY);
            card = CardChecks.cardOf(identified);
            reason = CardChecks.reasonOf(identified);
        }
        if (reason != Reason.APPROVED) {
            records.declined(key, PosKind.BALANCE_INQUIRY, terminal, merchant, card, reason,
                    0, out);
            return;
        }
        final int slot = records.record(key, PosKind.BALANCE_INQUIRY, terminal, merchant, card, Reason.APPROVED, out);
        records.approvedAnswer(slot, card, 0, out);
    }
}
