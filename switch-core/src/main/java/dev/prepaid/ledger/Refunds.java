package dev.prepaid.ledger;

import dev.prepaid.card.CardStore;
import dev.prepaid.card.CardType;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.PosKind;
import dev.prepaid.command.PosRequest;
import dev.prepaid.command.Reason;
import dev.prepaid.merchant.Merchant;
import dev.prepaid.merchant.Terminal;
import dev.prepaid.money.Money;
import dev.prepaid.txn.TransactionLog;

/**
 * Refunds of a purchase or completion, whole or in parts, within the refund window: the card gets back its
 * part, the operator its discount, with fee, deployer share and points returned in proportion.
 */
final class Refunds {
    private final LedgerState s;
    private final CardStore cards;
    private final TransactionLog log;
    private final PosRequest req;
    private final CardChecks checks;
    private final PosRecords records;
    private final PosPostings postings;

    Refunds(final LedgerState state, final PosRequest request, final CardChecks checks, final PosRecords records,
            final PosPostings postings) {
        this.s = state;
        this.cards = state.cards;
        this.log = state.transactions;
        this.req = request;
        this.checks = checks;
        this.records = records;
        this.postings = postings;
    }

    void refund(final long key, final Terminal terminal, final Merchant merchant, final Outcome out) {
        Reason reason = checks.message(true);
        final long amount = req.amount();
        final int original = log.slotOfRrn(req.originalRrn());
        if (reason == Reason.APPROVED) {
            reason = checkRefundable(original, merchant, amount);
        }
        int card = CardChecks.NO_CARD;
        CardType type = null;
        if (reason == Reason.APPROVED) {
            card = checks.liveCardOf(log.card(original));
            type = checks.typeOf(card);
            reason = checks.status(card, false);
            if (reason == Reason.APPROVED && s.businessDay > cards.expiryDay(card)) {
                reason = Reason.CARD_EXPIRED;
            }
        }
        if (reason == Reason.APPROVED && !type.permits(PosKind.REFUND)) {
            reason = Reason.NOT_PERMITTED_FOR_CARD_TYPE;
        }
        if (reason == Reason.APPROVED && type.requiresPin(PosKind.REFUND)) {
            reason = checks.pin(card, PosKind.REFUND);
        }
        long cardPart = 0;
        long discountPart = 0;
        if (reason == Reason.APPROVED) {
            // The merchant gives back exactly the amount: the card's part and the discount's part must add up
            // to it, and neither may exceed what is left of it (rounding one part must not overpay the other).
            discountPart = refundPart(log.discount(original), log.refundedDiscount(original), amount, original);
            cardPart = Math.min(amount - discountPart, log.cardAmount(original) - log.refundedCard(original));
            discountPart = amount - cardPart;
            if (cards.ledgerBalance(card) + cardPart > s.balanceCap(type)) {
                reason = Reason.BALANCE_CAP_EXCEEDED;
            }
        }
        if (reason != Reason.APPROVED) {
            records.declined(key, PosKind.REFUND, terminal, merchant, card, reason, 0, out);
            return;
        }
        final long pointsPart = refundPart(log.points(original), log.refundedPoints(original), amount, original);
        final long pointsValuePart = refundPart(log.pointsValue(original), log.refundedPointsValue(original), amount, original);
        final long feePart = refundFee(merchant, original, amount);
        final long sharePart = shareOfFeePart(original, feePart);

        final long receivablePart = postings.refund(card, merchant.index(), amount, cardPart, discountPart, pointsValuePart,
                pointsPart, 0, +1);
        terminal.addCredit(amount, 1);
        postings.accrue(merchant, terminal, -feePart, -sharePart);
        log.addRefund(original, amount, cardPart, discountPart, feePart, sharePart, pointsPart, pointsValuePart);

        final int slot = records.record(key, PosKind.REFUND, terminal, merchant, card, Reason.APPROVED, out);
        log.money(slot, amount, cardPart, discountPart, -feePart, -sharePart, -pointsPart, -pointsValuePart);
        log.linked(slot, log.rrn(original));
        log.receivablePart(slot, receivablePart);
        records.approvedAnswer(slot, card, 0, out);
        PosRecords.fillMoney(out, cardPart, discountPart, -feePart, -pointsPart);
    }

    private Reason checkRefundable(final int original, final Merchant merchant, final long amount) {
        if (original < 0 || log.is(original, TransactionLog.TOMBSTONE)) {
            return Reason.ORIGINAL_NOT_FOUND;
        }
        final PosKind kind = log.kind(original);
        if (kind != PosKind.PURCHASE && kind != PosKind.COMPLETION) {
            return Reason.ORIGINAL_KIND_MISMATCH;
        }
        if (!log.is(original, TransactionLog.APPROVED)) {
            return Reason.ORIGINAL_NOT_APPROVED;
        }
        if (log.merchant(original) != merchant.index()) {
            return Reason.ORIGINAL_OTHER_MERCHANT;
        }
        if ((req.originalStan() != 0 && req.originalStan() != (int) (log.key(original) & 0xFFFFF))
                || (req.originalBatch() != 0 && req.originalBatch() != log.batch(original))
                || (req.panLength() != 0 && req.panKey() != log.panKey(original))) {
            return Reason.ORIGINAL_DETAILS_MISMATCH;
        }
        if (log.is(original, TransactionLog.VOIDED)) {
            return Reason.ORIGINAL_ALREADY_VOIDED;
        }
        if (log.is(original, TransactionLog.REVERSED)) {
            return Reason.ORIGINAL_ALREADY_REVERSED;
        }
        if (s.businessDay - log.day(original) > s.parameters.get(Parameters.Name.REFUND_WINDOW_DAYS)) {
            return Reason.ORIGINAL_OUTSIDE_REFUND_WINDOW;
        }
        if (log.refunded(original) + amount > log.amount(original)) {
            return Reason.REFUND_EXCEEDS_ORIGINAL;
        }
        return Reason.APPROVED;
    }

    /**
     * The share of {@code total} that a refund of {@code amount} carries: in proportion to the original
     * amount, and exactly the remainder when this refund completes the original.
     */
    private long refundPart(final long total, final long alreadyBack, final long amount, final int original) {
        if (amount == Long.MAX_VALUE || log.refunded(original) + amount == log.amount(original)) {
            return total - alreadyBack;
        }
        if (total >= 0) {
            return Math.min(total - alreadyBack, Money.proportionHalfUp(total, amount, log.amount(original)));
        }
        return -Money.proportionHalfUp(-total, amount, log.amount(original));
    }

    /** The deployer share returned with a refund's fee part: in proportion, the remainder with the last part. */
    private long shareOfFeePart(final int original, final long feePart) {
        final long fee = log.fee(original);
        if (fee == 0 || feePart == 0) {
            return 0;
        }
        if (log.refundedFee(original) + feePart == fee) {
            return log.share(original) - log.refundedShare(original);
        }
        return Money.proportionHalfUp(log.share(original), feePart, fee);
    }

    private long refundFee(final Merchant merchant, final int original, final long amount) {
        switch (merchant.profile().refundFeePolicy()) {
            case PROPORTIONAL:
                return refundPart(log.fee(original), log.refundedFee(original), amount, original);
            case FULL:
                return log.refundedFee(original) == 0 ? log.fee(original) : 0;
            default:
                return 0;
        }
    }
}
