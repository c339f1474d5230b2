package dev.prepaid.ledger;

import static dev.prepaid.ledger.AdminProcessor.fail;

import dev.prepaid.card.CardStatus;
import dev.prepaid.card.CardStore;
import dev.prepaid.command.AdminCommand.ClearFlag;
import dev.prepaid.command.AdminCommand.ConfirmFlag;
import dev.prepaid.command.CommandType;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.Reason;
import dev.prepaid.operator.Operator;
import dev.prepaid.operator.Permissions;

/**
 * The decisions on the risk review queue: an operator confirms a flagged entry as fraud or suspicious, or clears it
 * as a false alarm — once. Confirming may also freeze the card the entry names, in the same step, so nothing is
 * spent on it between the decision and a separate freeze (docs/ledger-rules.md, "Risk review").
 */
final class RiskReview {
    private final LedgerState s;

    RiskReview(final LedgerState state) {
        this.s = state;
    }

    void confirm(final Operator operator, final ConfirmFlag c, final Outcome out) {
        final int i = decidable(operator, c.entryId(), out);
        if (i < 0) {
            return;
        }
        int card = -1;
        if (c.freezeCard()) {
            if (!Permissions.allows(operator.role(), CommandType.FREEZE_CARD)) {
                fail(out, Reason.ROLE_NOT_PERMITTED, operator.role() + " may confirm the entry but not freeze its card;"
                        + " allowed to freeze: " + Permissions.rolesFor(CommandType.FREEZE_CARD));
                return;
            }
            card = cardOf(i);
            if (card < 0) {
                fail(out, Reason.ORIGINAL_NOT_FOUND, "review entry " + c.entryId() + " refers to a transaction whose record"
                        + " has left the transaction log, so its card is unknown here: confirm without freezeCard and"
                        + " freeze the card with FREEZE_CARD");
                return;
            }
        }
        decide(operator, i, ReviewQueue.State.CONFIRMED, out);
        if (card >= 0 && s.cards.status(card) == CardStatus.ACTIVE) {
            s.cards.status(card, CardStatus.FROZEN);
            out.value2 = 1;
        }
    }

    void clear(final Operator operator, final ClearFlag c, final Outcome out) {
        final int i = decidable(operator, c.entryId(), out);
        if (i >= 0) {
            decide(operator, i, ReviewQueue.State.CLEARED, out);
        }
    }

    /** The index of an open entry this operator may decide, or -1 with the outcome saying why not. */
    private int decidable(final Operator operator, final long id, final Outcome out) {
        final ReviewQueue review = s.review;
        final int i = review.indexOf(id);
        if (i < 0) {
            fail(out, Reason.REVIEW_ENTRY_NOT_FOUND, review.written() == 0 ? "review entry " + id + ": the queue is empty"
                    : "review entry " + id + "; the queue keeps entries " + review.id(0) + " to " + review.written());
            return -1;
        }
        if (!operator.merchantScope().isEmpty()) {
            final int merchant = merchantOf(i);
            if (merchant < 0 || !s.merchants[merchant].profile().merchantId().equals(operator.merchantScope())) {
                fail(out, Reason.OUTSIDE_MERCHANT_SCOPE, "review entry " + id + " is not a transaction of merchant "
                        + operator.merchantScope());
                return -1;
            }
        }
        final ReviewQueue.State state = review.state(i);
        if (state != ReviewQueue.State.OPEN) {
            final int by = review.decidedBy(i);
            fail(out, Reason.REVIEW_ALREADY_DECIDED, "review entry " + id + " is " + state + " (by "
                    + (by < 0 ? Operator.SYSTEM_ID : s.operators[by].operatorId()) + ")");
            return -1;
        }
        return i;
    }

    private void decide(final Operator operator, final int i, final ReviewQueue.State decision, final Outcome out) {
        s.review.decide(i, decision, s.operatorIndex(operator.operatorId()), s.businessDay);
        out.value1 = s.review.id(i);
    }

    /** The transaction-log slot of a POS entry's transaction, or -1 (a counter sale, or a record retired since). */
    private int slotOf(final int i) {
        return s.review.source(i) == ReviewQueue.POS_TRANSACTION ? s.transactions.slotOfRrn(s.review.reference(i)) : -1;
    }

    private int merchantOf(final int i) {
        final int slot = slotOf(i);
        return slot < 0 ? -1 : s.transactions.merchant(slot);
    }

    /**
     * The card an entry names as it is now: a POS transaction's card, a counter sale's first card — followed to the
     * card that replaced it. -1 when the transaction's record has left the log.
     */
    private int cardOf(final int i) {
        int card;
        if (s.review.source(i) == ReviewQueue.COUNTER_SALE) {
            card = s.resolveCard(s.review.reference(i));
        } else {
            final int slot = slotOf(i);
            card = slot < 0 ? -1 : s.transactions.card(slot);
        }
        final CardStore cards = s.cards;
        for (int hops = 0; card >= 0 && cards.status(card) == CardStatus.REPLACED && cards.linkedCard(card) >= 0
                && hops < 64; hops++) {
            card = cards.linkedCard(card);
        }
        return card;
    }
}
