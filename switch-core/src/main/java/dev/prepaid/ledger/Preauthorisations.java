package dev.prepaid.ledger;

import dev.prepaid.card.CardStore;
import dev.prepaid.card.CardType;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.PosKind;
import dev.prepaid.command.PosRequest;
import dev.prepaid.command.Reason;
import dev.prepaid.merchant.Merchant;
import dev.prepaid.merchant.Terminal;
import dev.prepaid.txn.HoldTable;
import dev.prepaid.txn.TransactionLog;

/**
 * Pre-authorisations: a hold on a card's value, released by a cancel, taken by a completion, or expired by
 * the switch's timer.
 */
final class Preauthorisations {
    private static final long MILLIS_PER_MINUTE = 60_000L;

    private final LedgerState s;
    private final CardStore cards;
    private final TransactionLog log;
    private final HoldTable holds;
    private final PosRequest req;
    private final CardChecks checks;
    private final PosRecords records;
    private final PosPostings postings;

    Preauthorisations(final LedgerState state, final PosRequest request, final CardChecks checks,
            final PosRecords records, final PosPostings postings) {
        this.s = state;
        this.cards = state.cards;
        this.log = state.transactions;
        this.holds = state.holds;
        this.req = request;
        this.checks = checks;
        this.records = records;
        this.postings = postings;
    }

    void preauthorise(final long key, final Terminal terminal, final Merchant merchant, final long timestamp,
            final Outcome out) {
        Reason reason = checks.message(true);
        final long amount = req.amount();
        int card = CardChecks.NO_CARD;
        if (reason == Reason.APPROVED) {
            final long identified = checks.identifyForNew(PosKind.PREAUTH);
            card = CardChecks.cardOf(identified);
            reason = CardChecks.reasonOf(identified);
        }
        int riskFlags = 0;
        if (reason == Reason.APPROVED) {
            reason = checks.velocity(card, amount);
        }
        if (reason == Reason.APPROVED) {
            riskFlags = checks.riskFlags(card, amount);
            reason = checks.riskBlock(card, amount);
        }
        if (reason == Reason.APPROVED && cards.available(card) < amount) {
            reason = Reason.INSUFFICIENT_BALANCE;
        }
        if (reason == Reason.APPROVED && holds.full()) {
            reason = Reason.HOLD_TABLE_FULL;
        }
        if (reason != Reason.APPROVED) {
            records.declined(key, PosKind.PREAUTH, terminal, merchant, card, reason, riskFlags, out);
            return;
        }
        postings.hold(card, amount, +1);
        postings.velocity(card, amount, +1, s.businessDay);
        cards.used(card, true);
        final int slot = records.record(key, PosKind.PREAUTH, terminal, merchant, card, Reason.APPROVED, out);
        log.money(slot, amount, amount, 0, 0, 0, 0, 0);
        records.approvedAnswer(slot, card, riskFlags, out);
        final long expiresAt = timestamp + s.parameters.get(Parameters.Name.HOLD_TIMEOUT_MINUTES) * MILLIS_PER_MINUTE;
        final int hold = holds.open(key, card, terminal.index(), amount, out.authCode, log.rrn(slot), expiresAt);
        log.hold(slot, hold);
        out.cardAmount = amount;
    }

    /** Releases an expired hold (the hold-expiry timer command). */
    void expire(final int hold) {
        postings.hold(holds.card(hold), holds.amount(hold), -1);
        holds.close(hold, HoldTable.EXPIRED, 0, s.businessDay);
    }

    /** The open pre-authorisation a cancel or completion names (61 on this terminal, 38). */
    private int findHold(final Terminal terminal) {
        final long originalKey = TransactionLog.key(terminal.index(), req.originalBatch(), req.originalStan());
        return holds.find(originalKey);
    }

    private Reason checkHoldReference(final int hold) {
        if (hold < 0) {
            return Reason.ORIGINAL_NOT_FOUND;
        }
        if (req.originalAuthCode() >= 0 && req.originalAuthCode() != holds.authCode(hold)) {
            return Reason.ORIGINAL_DETAILS_MISMATCH;
        }
        if (req.panLength() != 0) {
            final int named = s.resolveCard(req.panLength(), req.panBody(), req.panCheckDigit());
            if (named < 0 || checks.liveCardOf(named) != holds.card(hold)) {
                return Reason.ORIGINAL_DETAILS_MISMATCH;
            }
        }
        if (holds.state(hold) != HoldTable.OPEN) {
            return Reason.PREAUTH_NOT_OPEN;
        }
        return Reason.APPROVED;
    }

    void cancel(final long key, final Terminal terminal, final Merchant merchant, final Outcome out) {
        Reason reason = checks.message(false);
        final int hold = findHold(terminal);
        if (reason == Reason.APPROVED) {
            reason = checkHoldReference(hold);
        }
        int card = CardChecks.NO_CARD;
        if (reason == Reason.APPROVED) {
            card = holds.card(hold);
            if (req.amount() != 0 && req.amount() != holds.amount(hold)) {
                reason = Reason.VOID_AMOUNT_DIFFERS;
            }
        }
        if (reason == Reason.APPROVED) {
            reason = checks.forCredit(card);
        }
        if (reason != Reason.APPROVED) {
            records.declined(key, PosKind.PREAUTH_CANCEL, terminal, merchant, card, reason, 0, out);
            return;
        }
        final long amount = holds.amount(hold);
        postings.hold(card, amount, -1);
        final int preauth = log.slotOfRrn(holds.preauthRrn(hold));
        if (preauth >= 0) {
            postings.velocity(card, amount, -1, log.day(preauth));
        }
        final int slot = records.record(key, PosKind.PREAUTH_CANCEL, terminal, merchant, card, Reason.APPROVED, out);
        log.money(slot, req.amount(), amount, 0, 0, 0, 0, 0);
        log.hold(slot, hold);
        log.linked(slot, holds.preauthRrn(hold));
        holds.close(hold, HoldTable.CANCELLED, log.rrn(slot), s.businessDay);
        records.approvedAnswer(slot, card, 0, out);
        out.cardAmount = amount;
    }

    void complete(final long key, final Terminal terminal, final Merchant merchant, final Outcome out) {
        Reason reason = checks.message(true);
        final int hold = findHold(terminal);
        if (reason == Reason.APPROVED) {
            reason = checkHoldReference(hold);
        }
        final long amount = req.amount();
        int card = CardChecks.NO_CARD;
        CardType type = null;
        if (reason == Reason.APPROVED) {
            card = holds.card(hold);
            type = checks.typeOf(card);
            reason = checks.forCredit(card);
        }
        if (reason == Reason.APPROVED && !type.permits(PosKind.COMPLETION)) {
            reason = Reason.NOT_PERMITTED_FOR_CARD_TYPE;
        }
        if (reason == Reason.APPROVED && amount > holds.amount(hold)) {
            reason = Reason.COMPLETION_EXCEEDS_HOLD;
        }
        if (reason == Reason.APPROVED && type.requiresPin(PosKind.COMPLETION)) {
            reason = checks.pin(card, PosKind.COMPLETION);
        }
        if (reason != Reason.APPROVED) {
            records.declined(key, PosKind.COMPLETION, terminal, merchant, card, reason, 0, out);
            return;
        }
        final long held = holds.amount(hold);
        final long fee = s.rules.fee(merchant.index(), type.id(), PosKind.COMPLETION, s.businessDay, amount);
        final long share = PosPostings.deployerShare(terminal.profile(), fee, amount);
        final long points = postings.pointsFor(merchant, type, amount);
        final long pointsValue = postings.pointsValue(points);
        postings.completion(card, merchant.index(), held, amount, pointsValue, points, +1);
        terminal.addDebit(amount, 1);
        postings.accrue(merchant, terminal, fee, share);
        final int slot = records.record(key, PosKind.COMPLETION, terminal, merchant, card, Reason.APPROVED, out);
        log.money(slot, amount, amount, 0, fee, share, points, pointsValue);
        log.hold(slot, hold);
        log.linked(slot, holds.preauthRrn(hold));
        holds.close(hold, HoldTable.COMPLETED, log.rrn(slot), s.businessDay);
        records.approvedAnswer(slot, card, 0, out);
        PosRecords.fillMoney(out, amount, 0, fee, points);
    }
}
