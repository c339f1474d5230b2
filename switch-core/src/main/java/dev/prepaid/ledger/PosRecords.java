package dev.prepaid.ledger;

import dev.prepaid.card.CardStore;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.PosKind;
import dev.prepaid.command.PosRequest;
import dev.prepaid.command.Reason;
import dev.prepaid.merchant.Merchant;
import dev.prepaid.merchant.Terminal;
import dev.prepaid.txn.TransactionLog;

/**
 * What a POS transaction leaves in the transaction log and in its outcome: the record that matching,
 * duplicate detection and repeats read, the answer's balances and authorisation code, and the decline
 * counter of a declined card. Allocation-free.
 */
final class PosRecords {
    private final LedgerState s;
    private final CardStore cards;
    private final TransactionLog log;
    private final PosRequest req;

    PosRecords(final LedgerState state, final PosRequest request) {
        this.s = state;
        this.cards = state.cards;
        this.log = state.transactions;
        this.req = request;
    }

    /**
     * Records the request under {@code key} with its reason; {@code card} is the card it names, or
     * {@link CardChecks#NO_CARD}. Returns the record's slot.
     */
    int record(final long key, final PosKind kind, final Terminal terminal, final Merchant merchant, final int card,
            final Reason reason, final Outcome out) {
        final int slot = log.append(key, kind, s.businessDay);
        log.parties(slot, terminal.index(), merchant.index(), card, requestPanKey(), req.batch());
        log.amount(slot, requestAmount(kind));
        log.reason(slot, reason);
        out.reason = reason;
        out.rrn = log.rrn(slot);
        if (card >= 0) {
            out.issuerInstitutionId = issuerIdOf(cards.cardType(card));
            if (reason != Reason.APPROVED) {
                countDecline(card);
            }
        }
        return slot;
    }

    /** Records a declined request, with the risk flags its checks raised before it was declined. */
    void declined(final long key, final PosKind kind, final Terminal terminal, final Merchant merchant, final int card,
            final Reason reason, final int riskFlags, final Outcome out) {
        final int slot = record(key, kind, terminal, merchant, card, reason, out);
        log.answer(slot, -1, -1, -1, riskFlags);
        out.riskFlags = riskFlags;
    }

    private void countDecline(final int card) {
        if (cards.declineDay(card) != s.businessDay) {
            cards.declineDay(card, s.businessDay);
            cards.declines(card, 1);
        } else {
            cards.declines(card, cards.declines(card) + 1);
        }
    }

    /** Fills balances, auth code and risk flags of an approval into the record and the outcome. */
    void approvedAnswer(final int slot, final int card, final int riskFlags, final Outcome out) {
        final int auth = s.nextAuthCode();
        final long available = card >= 0 ? cards.available(card) : -1;
        final long ledger = card >= 0 ? cards.ledgerBalance(card) : -1;
        log.answer(slot, available, ledger, auth, riskFlags);
        out.authCode = auth;
        out.availableBalance = available;
        out.ledgerBalance = ledger;
        out.riskFlags = riskFlags;
        if (riskFlags != 0) {
            s.review.add(s.businessDay, ReviewQueue.POS_TRANSACTION, log.rrn(slot), riskFlags);
        }
    }

    /** The first answer of a recorded request, for its repeat. */
    void replay(final int slot, final Outcome out) {
        out.reason = log.reason(slot);
        out.rrn = log.rrn(slot);
        out.authCode = log.authCode(slot);
        out.availableBalance = log.availableAfter(slot);
        out.ledgerBalance = log.ledgerAfter(slot);
        out.cardAmount = log.cardAmount(slot);
        out.discount = log.discount(slot);
        out.fee = log.fee(slot);
        out.points = log.points(slot);
        out.riskFlags = log.riskFlags(slot);
        final int card = log.card(slot);
        if (card >= 0) {
            out.issuerInstitutionId = issuerIdOf(cards.cardType(card));
        }
    }

    static void fillMoney(final Outcome out, final long cardAmount, final long discount, final long fee, final long points) {
        out.cardAmount = cardAmount;
        out.discount = discount;
        out.fee = fee;
        out.points = points;
    }

    /** The amount a record keeps for the request: a balance inquiry's field 4 means nothing. */
    long requestAmount(final PosKind kind) {
        return kind == PosKind.BALANCE_INQUIRY ? 0 : req.amount();
    }

    long requestPanKey() {
        return req.panLength() == 0 ? 0 : req.panKey();
    }

    String issuerIdOf(final int cardTypeId) {
        return s.issuerIdByType[cardTypeId];
    }
}
