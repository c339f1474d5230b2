package dev.prepaid.ledger;

import dev.prepaid.card.CardStore;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.PosKind;
import dev.prepaid.command.PosRequest;
import dev.prepaid.command.Reason;
import dev.prepaid.merchant.Merchant;
import dev.prepaid.merchant.Terminal;
import dev.prepaid.txn.HoldTable;
import dev.prepaid.txn.TransactionLog;

/**
 * Voids (the cardholder's undo, in the open batch) and reversals (the terminal's, for an answer it did not
 * get): the original's effects undone exactly, or — a reversed void — applied again. A reversal that arrives
 * before its original leaves a tombstone, so the late original is declined (pos-iso8583 §4).
 */
final class Reversals {
    private final LedgerState s;
    private final CardStore cards;
    private final TransactionLog log;
    private final HoldTable holds;
    private final PosRequest req;
    private final CardChecks checks;
    private final PosRecords records;
    private final PosPostings postings;

    Reversals(final LedgerState state, final PosRequest request, final CardChecks checks, final PosRecords records,
            final PosPostings postings) {
        this.s = state;
        this.cards = state.cards;
        this.log = state.transactions;
        this.holds = state.holds;
        this.req = request;
        this.checks = checks;
        this.records = records;
        this.postings = postings;
    }

    // ================================================================== voids

    private static PosKind voidedKind(final PosKind voidKind) {
        switch (voidKind) {
            case PURCHASE_VOID:
                return PosKind.PURCHASE;
            case RECHARGE_VOID:
                return PosKind.RECHARGE;
            default:
                return PosKind.COMPLETION;
        }
    }

    void voidTransaction(final long key, final PosKind kind, final Terminal terminal, final Merchant merchant,
            final Outcome out) {
        Reason reason = checks.message(true);
        final long originalKey = TransactionLog.key(terminal.index(), req.originalBatch(), req.originalStan());
        final int original = PosProcessor.validNumber(req.originalBatch()) && PosProcessor.validNumber(req.originalStan())
                ? log.slotOfKey(originalKey) : -1;
        if (reason == Reason.APPROVED) {
            reason = checkVoidable(original, voidedKind(kind), terminal);
        }
        if (reason == Reason.APPROVED && req.amount() != log.amount(original)) {
            reason = Reason.VOID_AMOUNT_DIFFERS;
        }
        int card = CardChecks.NO_CARD;
        if (reason == Reason.APPROVED) {
            card = checks.liveCardOf(log.card(original));
            reason = undoCheck(original, card);
        }
        if (reason != Reason.APPROVED) {
            records.declined(key, kind, terminal, merchant, card, reason, 0, out);
            return;
        }
        undo(original, card, terminal, merchant);
        log.mark(original, TransactionLog.VOIDED);
        final int slot = records.record(key, kind, terminal, merchant, card, Reason.APPROVED, out);
        log.money(slot, log.amount(original), log.cardAmount(original), log.discount(original), log.fee(original),
                log.share(original), log.points(original), log.pointsValue(original));
        log.hold(slot, log.hold(original));
        log.linked(slot, log.rrn(original));
        log.linked(original, log.rrn(slot));
        records.approvedAnswer(slot, card, 0, out);
        out.cardAmount = log.cardAmount(original);
    }

    /** Checks a void's original: found, of the right kind, approved, not undone, in the open batch, same details. */
    private Reason checkVoidable(final int original, final PosKind expectedKind, final Terminal terminal) {
        if (original < 0 || log.is(original, TransactionLog.TOMBSTONE)) {
            return Reason.ORIGINAL_NOT_FOUND;
        }
        if (log.kind(original) != expectedKind) {
            return Reason.ORIGINAL_KIND_MISMATCH;
        }
        if (!log.is(original, TransactionLog.APPROVED)) {
            return Reason.ORIGINAL_NOT_APPROVED;
        }
        if ((req.originalRrn() != 0 && req.originalRrn() != log.rrn(original))
                || (req.originalAuthCode() >= 0 && req.originalAuthCode() != log.authCode(original))
                || (req.panLength() != 0 && req.panKey() != log.panKey(original))) {
            return Reason.ORIGINAL_DETAILS_MISMATCH;
        }
        if (log.is(original, TransactionLog.VOIDED)) {
            return Reason.ORIGINAL_ALREADY_VOIDED;
        }
        if (log.is(original, TransactionLog.REVERSED)) {
            return Reason.ORIGINAL_ALREADY_REVERSED;
        }
        if (log.batch(original) != terminal.currentBatch()) {
            return Reason.ORIGINAL_BATCH_SETTLED;
        }
        if (hasRefunds(original)) {
            return Reason.ORIGINAL_PARTLY_REFUNDED;
        }
        return Reason.APPROVED;
    }

    /** Whether a purchase or completion has been (partly) refunded; other kinds cannot be refunded. */
    private boolean hasRefunds(final int slot) {
        final PosKind kind = log.kind(slot);
        return (kind == PosKind.PURCHASE || kind == PosKind.COMPLETION) && log.refunded(slot) != 0;
    }

    // ================================================================== undo / redo

    /** Whether an approved transaction can be undone now: the card can take the money back or give it. */
    private Reason undoCheck(final int original, final int card) {
        final Reason status = checks.forCredit(card);
        if (status != Reason.APPROVED) {
            return status;
        }
        switch (log.kind(original)) {
            case RECHARGE:
                return cards.available(card) < log.cardAmount(original) ? Reason.INSUFFICIENT_BALANCE : Reason.APPROVED;
            case REFUND:
                return cards.available(card) < log.cardAmount(original) ? Reason.INSUFFICIENT_BALANCE : Reason.APPROVED;
            case PREAUTH:
                return holds.state(log.hold(original)) != HoldTable.OPEN ? Reason.PREAUTH_NOT_OPEN : Reason.APPROVED;
            case PREAUTH_CANCEL:
            case COMPLETION: {
                final int hold = log.hold(original);
                final long back = log.kind(original) == PosKind.COMPLETION
                        ? holds.amount(hold) - log.amount(original) : holds.amount(hold);
                return cards.available(card) < back ? Reason.INSUFFICIENT_BALANCE : Reason.APPROVED;
            }
            default:
                return Reason.APPROVED;
        }
    }

    /** Undoes an approved transaction's effects (books, points, counters, batch totals, fee accrual). */
    private void undo(final int original, final int card, final Terminal terminal, final Merchant merchant) {
        final long amount = log.amount(original);
        switch (log.kind(original)) {
            case PURCHASE:
                postings.spend(card, merchant.index(), amount, log.cardAmount(original), log.discount(original),
                        log.pointsValue(original), log.points(original), -1);
                postings.velocity(card, amount, -1, log.day(original));
                terminal.addDebit(-amount, -1);
                postings.accrue(merchant, terminal, -log.fee(original), -log.share(original));
                break;
            case RECHARGE:
                postings.recharge(card, merchant.index(), amount, log.fee(original), log.receivablePart(original),
                        log.is(original, TransactionLog.CASH_APART), -1);
                terminal.addCredit(-amount, -1);
                break;
            case REFUND: {
                postings.refund(card, merchant.index(), amount, log.cardAmount(original), log.discount(original),
                        -log.pointsValue(original), -log.points(original), log.receivablePart(original), -1);
                terminal.addCredit(-amount, -1);
                postings.accrue(merchant, terminal, -log.fee(original), -log.share(original));
                final int purchase = log.slotOfRrn(log.linked(original));
                if (purchase >= 0) {
                    log.addRefund(purchase, -amount, -log.cardAmount(original), -log.discount(original),
                            log.fee(original), log.share(original), log.points(original), log.pointsValue(original));
                }
                break;
            }
            case PREAUTH: {
                final int hold = log.hold(original);
                postings.hold(card, holds.amount(hold), -1);
                postings.velocity(card, amount, -1, log.day(original));
                holds.close(hold, HoldTable.REVERSED, log.rrn(original), s.businessDay);
                break;
            }
            case PREAUTH_CANCEL: {
                final int hold = log.hold(original);
                postings.hold(card, holds.amount(hold), +1);
                final int preauth = log.slotOfRrn(holds.preauthRrn(hold));
                if (preauth >= 0) {
                    postings.velocity(card, holds.amount(hold), +1, log.day(preauth));
                }
                holds.reopen(hold);
                break;
            }
            case COMPLETION: {
                final int hold = log.hold(original);
                postings.completion(card, merchant.index(), holds.amount(hold), amount, log.pointsValue(original),
                        log.points(original), -1);
                terminal.addDebit(-amount, -1);
                postings.accrue(merchant, terminal, -log.fee(original), -log.share(original));
                holds.reopen(hold);
                break;
            }
            default:
                break;
        }
    }

    // ================================================================== reversal

    void reverse(final Terminal terminal, final Merchant merchant, final Outcome out) {
        final PosKind originalKind = req.originalKind();
        if (originalKind == null || !originalKind.recorded || originalKind == PosKind.REVERSAL) {
            out.reason = Reason.UNSUPPORTED_TRANSACTION;
            return;
        }
        if (!PosProcessor.validNumber(req.batch()) || !PosProcessor.validNumber(req.stan())) {
            out.reason = Reason.INVALID_BATCH_OR_STAN;
            return;
        }
        final long key = TransactionLog.key(terminal.index(), req.batch(), req.stan());
        final int original = log.slotOfKey(key);
        if (original < 0) {
            // Never seen: remember it, so the original is declined if it arrives late (pos-iso8583 §4).
            final int slot = log.append(key, originalKind, s.businessDay);
            log.parties(slot, terminal.index(), merchant.index(), CardChecks.NO_CARD, records.requestPanKey(), req.batch());
            log.amount(slot, records.requestAmount(originalKind));
            log.reason(slot, Reason.ORIGINAL_REVERSED_BEFORE_ARRIVAL);
            log.mark(slot, TransactionLog.TOMBSTONE);
            out.rrn = log.rrn(slot);
            return;
        }
        out.rrn = log.rrn(original);
        if (log.is(original, TransactionLog.TOMBSTONE) || log.is(original, TransactionLog.REVERSED)) {
            out.duplicate = true;
            return;
        }
        if (log.kind(original) != originalKind || log.amount(original) != records.requestAmount(originalKind)
                || (req.panLength() != 0 && req.panKey() != log.panKey(original))) {
            out.reason = Reason.ORIGINAL_DETAILS_MISMATCH;
            return;
        }
        if (!log.is(original, TransactionLog.APPROVED)) {
            log.mark(original, TransactionLog.REVERSED);
            return;
        }
        if (log.batch(original) != terminal.currentBatch()) {
            out.reason = Reason.ORIGINAL_BATCH_SETTLED;
            return;
        }
        if (log.is(original, TransactionLog.VOIDED)) {
            out.reason = Reason.ORIGINAL_ALREADY_VOIDED;
            return;
        }
        if (hasRefunds(original)) {
            out.reason = Reason.ORIGINAL_PARTLY_REFUNDED;
            return;
        }
        final int originalCard = log.card(original);
        final int card = originalCard < 0 ? CardChecks.NO_CARD : checks.liveCardOf(originalCard);
        if (card >= 0) {
            final Reason reason = isVoid(originalKind) ? redoCheck(original, card) : undoCheck(original, card);
            if (reason != Reason.APPROVED) {
                out.reason = reason;
                return;
            }
        }
        if (isVoid(originalKind)) {
            redo(original, card, terminal, merchant);
        } else {
            undo(original, card, terminal, merchant);
        }
        log.mark(original, TransactionLog.REVERSED);
        if (card >= 0) {
            out.availableBalance = cards.available(card);
            out.ledgerBalance = cards.ledgerBalance(card);
            out.issuerInstitutionId = records.issuerIdOf(cards.cardType(card));
        }
    }

    private static boolean isVoid(final PosKind kind) {
        return kind == PosKind.PURCHASE_VOID || kind == PosKind.RECHARGE_VOID || kind == PosKind.COMPLETION_VOID;
    }

    /** Whether a void can be reversed: the voided transaction's effect can be applied again. */
    private Reason redoCheck(final int voidSlot, final int card) {
        final int voided = log.slotOfRrn(log.linked(voidSlot));
        if (voided < 0) {
            return Reason.ORIGINAL_NOT_FOUND;
        }
        final Reason status = checks.forCredit(card);
        if (status != Reason.APPROVED) {
            return status;
        }
        switch (log.kind(voided)) {
            case PURCHASE:
                return cards.available(card) < log.cardAmount(voided) ? Reason.INSUFFICIENT_BALANCE : Reason.APPROVED;
            case RECHARGE:
                return cards.ledgerBalance(card) + log.amount(voided) > s.balanceCap(checks.typeOf(card))
                        ? Reason.BALANCE_CAP_EXCEEDED : Reason.APPROVED;
            default: {
                final int hold = log.hold(voided);
                return holds.state(hold) != HoldTable.OPEN ? Reason.PREAUTH_NOT_OPEN : Reason.APPROVED;
            }
        }
    }

    /** Reverses a void: the voided transaction takes effect again. */
    private void redo(final int voidSlot, final int card, final Terminal terminal, final Merchant merchant) {
        final int voided = log.slotOfRrn(log.linked(voidSlot));
        final long amount = log.amount(voided);
        switch (log.kind(voided)) {
            case PURCHASE:
                postings.spend(card, merchant.index(), amount, log.cardAmount(voided), log.discount(voided),
                        log.pointsValue(voided), log.points(voided), +1);
                postings.velocity(card, amount, +1, log.day(voided));
                terminal.addDebit(amount, 1);
                postings.accrue(merchant, terminal, log.fee(voided), log.share(voided));
                break;
            case RECHARGE:
                log.receivablePart(voided, postings.recharge(card, merchant.index(), amount, log.fee(voided), 0,
                        log.is(voided, TransactionLog.CASH_APART), +1));
                terminal.addCredit(amount, 1);
                break;
            default: {
                final int hold = log.hold(voided);
                postings.completion(card, merchant.index(), holds.amount(hold), amount, log.pointsValue(voided),
                        log.points(voided), +1);
                terminal.addDebit(amount, 1);
                postings.accrue(merchant, terminal, log.fee(voided), log.share(voided));
                holds.close(hold, HoldTable.COMPLETED, log.rrn(voided), s.businessDay);
                break;
            }
        }
        log.unmark(voided, TransactionLog.VOIDED);
        log.linked(voided, 0);
    }
}
