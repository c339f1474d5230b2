package dev.prepaid.ledger;

import dev.prepaid.card.CardStatus;
import dev.prepaid.card.CardStore;
import dev.prepaid.card.CardType;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.PosKind;
import dev.prepaid.command.PosRequest;
import dev.prepaid.command.Reason;
import dev.prepaid.money.Money;

/**
 * The checks of a POS request and its card, each answering with its result (a card, a reason, risk flags)
 * and changing nothing — except a wrong PIN, which is counted where it is found (the one change a decline
 * makes to a card besides its decline counter). Shared by every transaction family; allocation-free.
 */
final class CardChecks {
    /** No card is known for the request (its checks stopped before one was identified). */
    static final int NO_CARD = -1;

    private final LedgerState s;
    private final CardStore cards;
    private final PosRequest req;

    CardChecks(final LedgerState state, final PosRequest request) {
        this.s = state;
        this.cards = state.cards;
        this.req = request;
    }

    /** The message itself: currency, and the amount when the transaction carries one. */
    Reason message(final boolean withAmount) {
        if (req.currency() != Money.CNY) {
            return Reason.CURRENCY_NOT_SUPPORTED;
        }
        return withAmount ? amount(req.amount()) : Reason.APPROVED;
    }

    static Reason amount(final long amount) {
        if (amount <= 0) {
            return Reason.AMOUNT_NOT_POSITIVE;
        }
        if (amount > Money.MAX_FIELD_AMOUNT) {
            return Reason.AMOUNT_TOO_LARGE;
        }
        return Reason.APPROVED;
    }

    /**
     * The card of the request's PAN and whether it may start a new transaction of {@code kind}
     * ({@link #forNew}), as one result: read it with {@link #cardOf} ({@link #NO_CARD} when the number is no
     * card of this switch) and {@link #reasonOf}.
     */
    long identifyForNew(final PosKind kind) {
        if (req.panLength() == 0) {
            return result(NO_CARD, Reason.CARD_NUMBER_LENGTH);
        }
        final int card = s.resolveCard(req.panLength(), req.panBody(), req.panCheckDigit());
        if (card < 0) {
            return result(NO_CARD, LedgerState.decode(card));
        }
        return result(card, forNew(card, kind));
    }

    private static long result(final int card, final Reason reason) {
        return (long) card << 32 | reason.code;
    }

    static int cardOf(final long result) {
        return (int) (result >> 32);
    }

    static Reason reasonOf(final long result) {
        return Reason.ofCode((int) result);
    }

    CardType typeOf(final int card) {
        return s.cardTypes[cards.cardType(card)];
    }

    /**
     * Whether an identified card may start a new transaction of {@code kind}: status, expiry, PIN lock, the
     * type's permission and the PIN.
     */
    Reason forNew(final int card, final PosKind kind) {
        final Reason status = status(card, true);
        if (status != Reason.APPROVED) {
            return status;
        }
        if (req.cardTypeChecked() && req.checkedCardType() != cards.cardType(card)) {
            // The I/O thread chose the CVN key by a BIN table older than the ledger's (a range added since): the
            // card data was never checked for this card.
            return Reason.CARD_CHECKED_FOR_ANOTHER_TYPE;
        }
        if (kind.permissionControlled && !typeOf(card).permits(kind)) {
            return Reason.NOT_PERMITTED_FOR_CARD_TYPE;
        }
        return pin(card, kind);
    }

    /** Status checks; {@code newTransaction} adds those that only stop a new transaction (expiry, PIN lock). */
    Reason status(final int card, final boolean newTransaction) {
        switch (cards.status(card)) {
            case BLACKLISTED:
                return Reason.CARD_BLACKLISTED;
            case GENERATED:
                return Reason.CARD_NOT_ACTIVATED;
            case LOST:
                return Reason.CARD_LOST;
            case FROZEN:
                return Reason.CARD_FROZEN;
            case REPLACED:
                return Reason.CARD_REPLACED;
            case RETURNED:
                return Reason.CARD_RETURNED;
            case CANCELLED:
                return Reason.CARD_CANCELLED;
            default:
                break;
        }
        if (newTransaction) {
            if (s.businessDay > cards.expiryDay(card)) {
                return Reason.CARD_EXPIRED;
            }
            if (effectivePinErrors(card) >= s.pinTries(typeOf(card))) {
                return Reason.CARD_PIN_LOCKED;
            }
        }
        return Reason.APPROVED;
    }

    /** A card that can take money back (void, reversal, refund credit): anything but dead or blacklisted. */
    Reason forCredit(final int card) {
        switch (cards.status(card)) {
            case BLACKLISTED:
                return Reason.CARD_BLACKLISTED;
            case RETURNED:
                return Reason.CARD_RETURNED;
            case CANCELLED:
                return Reason.CARD_CANCELLED;
            case REPLACED:
                return Reason.CARD_REPLACED;
            default:
                return Reason.APPROVED;
        }
    }

    private int effectivePinErrors(final int card) {
        final int errors = cards.pinErrors(card);
        return errors == 0 || cards.pinErrorDay(card) != s.businessDay ? 0 : errors;
    }

    /** The PIN, when entered or required; a wrong one is counted on the card here. */
    Reason pin(final int card, final PosKind kind) {
        final CardType type = typeOf(card);
        final boolean required = kind.permissionControlled && type.requiresPin(kind);
        final long stored = cards.pinCheck(card);
        if (!req.pinEntered()) {
            return required ? Reason.PIN_MISSING : Reason.APPROVED;
        }
        if (stored == 0) {
            return required ? Reason.PIN_NOT_SET : Reason.APPROVED;
        }
        if (stored == req.pinCheck()) {
            return Reason.APPROVED;
        }
        final int errors = effectivePinErrors(card) + 1;
        cards.pinErrors(card, errors);
        cards.pinErrorDay(card, s.businessDay);
        return errors >= s.pinTries(type) ? Reason.PIN_TRIES_EXCEEDED : Reason.PIN_WRONG;
    }

    /** The velocity limits of spending (purchase, pre-authorisation): single amount, day and month. */
    Reason velocity(final int card, final long amount) {
        final CardType type = typeOf(card);
        if (type.singleLimit() > 0 && amount > type.singleLimit()) {
            return Reason.SINGLE_AMOUNT_LIMIT;
        }
        final boolean sameDay = cards.velocityDay(card) == s.businessDay;
        final long dayAmount = sameDay ? cards.dayAmount(card) : 0;
        final int dayCount = sameDay ? cards.dayCount(card) : 0;
        final boolean sameMonth = cards.velocityDay(card) >= s.monthStartDay;
        final long monthAmount = sameMonth ? cards.monthAmount(card) : 0;
        final int monthCount = sameMonth ? cards.monthCount(card) : 0;
        if (type.dailyAmountLimit() > 0 && dayAmount + amount > type.dailyAmountLimit()) {
            return Reason.DAILY_AMOUNT_LIMIT;
        }
        if (type.dailyCountLimit() > 0 && dayCount + 1 > type.dailyCountLimit()) {
            return Reason.DAILY_COUNT_LIMIT;
        }
        if (type.monthlyAmountLimit() > 0 && monthAmount + amount > type.monthlyAmountLimit()) {
            return Reason.MONTHLY_AMOUNT_LIMIT;
        }
        if (type.monthlyCountLimit() > 0 && monthCount + 1 > type.monthlyCountLimit()) {
            return Reason.MONTHLY_COUNT_LIMIT;
        }
        return Reason.APPROVED;
    }

    /**
     * The risk flags a spending of {@code amount} raises for review without declining: a large amount, a card
     * with many declines today — each only where its rule does not block ({@link #riskBlock}). None when the
     * large amount blocks: the transaction stops there.
     */
    int riskFlags(final int card, final long amount) {
        final Parameters p = s.parameters;
        int flags = 0;
        if (amount >= p.get(Parameters.Name.LARGE_AMOUNT_THRESHOLD)) {
            if (p.flag(Parameters.Name.LARGE_AMOUNT_BLOCKS)) {
                return 0;
            }
            flags |= Outcome.FLAG_LARGE_AMOUNT;
        }
        if (manyDeclines(card) && !p.flag(Parameters.Name.DECLINES_BLOCK)) {
            flags |= Outcome.FLAG_MANY_DECLINES;
        }
        return flags;
    }

    /** The risk rules configured to block: a large amount, then a card with too many declines today. */
    Reason riskBlock(final int card, final long amount) {
        final Parameters p = s.parameters;
        if (amount >= p.get(Parameters.Name.LARGE_AMOUNT_THRESHOLD) && p.flag(Parameters.Name.LARGE_AMOUNT_BLOCKS)) {
            return Reason.RISK_LARGE_AMOUNT;
        }
        if (manyDeclines(card) && p.flag(Parameters.Name.DECLINES_BLOCK)) {
            return Reason.RISK_TOO_MANY_DECLINES;
        }
        return Reason.APPROVED;
    }

    private boolean manyDeclines(final int card) {
        final int declines = cards.declineDay(card) == s.businessDay ? cards.declines(card) : 0;
        return declines >= s.parameters.get(Parameters.Name.DECLINES_PER_DAY_THRESHOLD);
    }

    /** The card that now holds a card's value: itself, or the replacement it was moved to. */
    int liveCardOf(final int card) {
        int current = card;
        for (int hops = 0; current >= 0 && cards.status(current) == CardStatus.REPLACED && hops < 64; hops++) {
            final int next = cards.linkedCard(current);
            if (next < 0) {
                break;
            }
            current = next;
        }
        return current;
    }
}
