package dev.prepaid.ledger;

import static dev.prepaid.ledger.AdminProcessor.fail;

import dev.prepaid.card.BinRange;
import dev.prepaid.card.BuyerKind;
import dev.prepaid.card.CardStatus;
import dev.prepaid.card.CardStore;
import dev.prepaid.card.CardType;
import dev.prepaid.card.Holder;
import dev.prepaid.card.Pan;
import dev.prepaid.card.PaymentMethod;
import dev.prepaid.card.SalesChannel;
import dev.prepaid.command.AdminCommand.*;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.Reason;
import dev.prepaid.operator.Operator;
import dev.prepaid.time.CivilDate;
import dev.prepaid.txn.HoldTable;

/**
 * The card counter: stock generation, sale and activation, counter recharges, and the lifecycle of
 * domain-rules §2 (freeze, lost, blacklist, replacement, return, cancelled issuance, PIN, expiry). Every
 * transition is checked against the card's status first; an illegal one is refused with the status named.
 */
final class CardDesk {
    private final LedgerState s;
    private final CardStore cards;
    private final GeneralLedger books;

    CardDesk(final LedgerState state) {
        this.s = state;
        this.cards = state.cards;
        this.books = state.books;
    }

    // ------------------------------------------------------------------ helpers

    /** The card of a PAN, or -1 with the outcome saying why not. */
    int card(final String pan, final Outcome out) {
        final int card = s.resolveCard(pan);
        if (card < 0) {
            fail(out, LedgerState.decode(card), "card " + (pan == null ? "(none)" : Pan.mask(pan)));
            return -1;
        }
        return card;
    }

    private CardType typeOf(final int card) {
        return s.cardTypes[cards.cardType(card)];
    }

    private String describe(final int card) {
        return "card " + Pan.masked(cards.panKey(card)) + " is " + statusText(card);
    }

    private String statusText(final int card) {
        final CardStatus status = cards.status(card);
        if (status == CardStatus.ACTIVE && s.businessDay > cards.expiryDay(card)) {
            return "ACTIVE (expired " + CivilDate.iso(cards.expiryDay(card)) + ")";
        }
        return status.name();
    }

    private boolean businessDayOpen(final Outcome out) {
        if (s.businessDay == 0) {
            fail(out, Reason.BUSINESS_DAY_NOT_OPEN, "run a cut-over to open the first business day");
            return false;
        }
        return true;
    }

    /**
     * Resolves {@code count} consecutive cards from {@code firstPan} (one BIN range); returns the first card
     * index or -1. Cards of one run of account numbers need not be consecutive indices, so callers go
     * through {@link #cardAt}.
     */
    private BinRange rangeOfRun(final String firstPan, final int count, final Outcome out) {
        if (count < 1 || count > s.config.maxBatchCards()) {
            fail(out, Reason.INVALID_ARGUMENT, "count must be 1.." + s.config.maxBatchCards() + ", got " + count);
            return null;
        }
        final int first = card(firstPan, out);
        if (first < 0) {
            return null;
        }
        final long key = cards.panKey(first);
        for (final BinRange range : s.binRanges) {
            if (range.panLength() == Pan.lengthOfKey(key) && range.holdsBody(Pan.bodyOfKey(key))) {
                final long account = range.accountOf(Pan.bodyOfKey(key));
                for (int i = 1; i < count; i++) {
                    if (range.cardOf(account + i) < 0) {
                        fail(out, Reason.CARD_NOT_ISSUED, (i + 1) + "th card after " + Pan.mask(firstPan)
                                + " was never generated");
                        return null;
                    }
                }
                return range;
            }
        }
        fail(out, Reason.CARD_BIN_UNKNOWN, "card " + Pan.mask(firstPan));
        return null;
    }

    private static int cardAt(final BinRange range, final long firstAccount, final int i) {
        return range.cardOf(firstAccount + i);
    }

    private static long firstAccountOf(final BinRange range, final CardStore cards, final int firstCard) {
        return range.accountOf(Pan.bodyOfKey(cards.panKey(firstCard)));
    }

    private boolean paymentAllowed(final PaymentMethod payment, final Outcome out) {
        if (payment == null) {
            fail(out, Reason.INVALID_ARGUMENT, "payment method is required");
            return false;
        }
        if (payment == PaymentMethod.CREDIT_CARD) {
            fail(out, Reason.CREDIT_CARD_NOT_ALLOWED, "pay by cash, debit card or bank transfer");
            return false;
        }
        return true;
    }

    private static boolean blank(final String value) {
        return value == null || value.isBlank();
    }

    /** Charges a counter fee (replacement, lost report) paid in cash to the operator. */
    private void counterFee(final long fee) {
        if (fee > 0) {
            books.begin(s.businessDay).debit(Account.OPERATOR_BANK, -1, fee).credit(Account.CARD_FEE_INCOME, -1, fee).commit();
        }
    }

    // ------------------------------------------------------------------ stock and sales

    void generate(final GenerateCards c, final Outcome out) {
        if (!businessDayOpen(out)) {
            return;
        }
        if (!AdminProcessor.digits(c.bin(), 6, 8)) {
            fail(out, Reason.INVALID_ARGUMENT, "bin must be 6 or 8 digits");
            return;
        }
        final BinRange range = s.binRange(Long.parseLong(c.bin()), c.bin().length(), c.panLength());
        if (range == null) {
            fail(out, Reason.BIN_RANGE_NOT_FOUND, "bin " + c.bin() + " with PAN length " + c.panLength());
            return;
        }
        final CardType type = s.cardType(range.cardTypeId());
        if (type == null || !type.onSale()) {
            fail(out, Reason.INVALID_ARGUMENT, "card type " + range.cardTypeId() + " is not on sale");
            return;
        }
        if (c.count() < 1) {
            fail(out, Reason.INVALID_ARGUMENT, "count must be at least 1");
            return;
        }
        if (c.count() > range.remaining()) {
            fail(out, Reason.BIN_RANGE_EXHAUSTED, "range " + c.bin() + " has " + range.remaining() + " account numbers left");
            return;
        }
        if (c.count() > cards.capacity() - cards.count()) {
            fail(out, Reason.CAPACITY_REACHED, "card store has room for " + (cards.capacity() - cards.count())
                    + " more cards (maxCards " + cards.capacity() + ")");
            return;
        }
        final long firstAccount = range.nextAccount();
        final int firstCard = cards.count();
        for (int i = 0; i < c.count(); i++) {
            cards.add(range.keyOf(firstAccount + i), type.id(), s.businessDay, CardStore.NO_EXPIRY);
        }
        range.addRun(firstCard, c.count());
        out.value1 = range.keyOf(firstAccount);
        out.value2 = c.count();
    }

    void sell(final Operator operator, final SellCards c, final Outcome out) {
        if (!businessDayOpen(out)) {
            return;
        }
        final BinRange range = rangeOfRun(c.firstPan(), c.count(), out);
        if (range == null) {
            return;
        }
        final CardType type = s.cardType(range.cardTypeId());
        final int first = s.resolveCard(c.firstPan());
        final long firstAccount = firstAccountOf(range, cards, first);
        for (int i = 0; i < c.count(); i++) {
            final int card = cardAt(range, firstAccount, i);
            if (cards.status(card) != CardStatus.GENERATED) {
                fail(out, Reason.ILLEGAL_TRANSITION, describe(card) + "; only cards in stock can be sold");
                return;
            }
            if (s.cardTypes[cards.cardType(card)] != type) {
                fail(out, Reason.CARD_TYPE_MISMATCH, "cards of one sale must be of one type");
                return;
            }
        }
        if (!type.onSale()) {
            fail(out, Reason.INVALID_ARGUMENT, "card type " + type.id() + " is not on sale");
            return;
        }
        final long load = c.faceValue() < 0 ? type.initialBalance() : c.faceValue();
        if (load > s.balanceCap(type)) {
            fail(out, Reason.BALANCE_CAP_EXCEEDED, "face value " + load + " exceeds the cap " + s.balanceCap(type));
            return;
        }
        if (!paymentAllowed(c.payment(), out)) {
            return;
        }
        if (c.channel() == null || c.buyerKind() == null) {
            fail(out, Reason.INVALID_ARGUMENT, "channel and buyerKind are required");
            return;
        }
        final Parameters p = s.parameters;
        if (c.channel() == SalesChannel.AGENT && load > p.get(Parameters.Name.AGENT_FACE_VALUE_LIMIT)) {
            fail(out, Reason.AGENT_FACE_VALUE_LIMIT, "agents sell cards of at most "
                    + p.get(Parameters.Name.AGENT_FACE_VALUE_LIMIT) + " fen face value");
            return;
        }
        if (type.named()) {
            if (c.count() != 1) {
                fail(out, Reason.INVALID_ARGUMENT, "named cards are sold one at a time, each with its holder");
                return;
            }
            if (blank(c.holderName()) || blank(c.holderIdType()) || blank(c.holderIdNumber())) {
                fail(out, Reason.HOLDER_IDENTITY_REQUIRED, "holderName, holderIdType and holderIdNumber");
                return;
            }
        }
        final long total = Math.multiplyExact(load, (long) c.count());
        final long threshold = p.get(Parameters.Name.REAL_NAME_SALE_THRESHOLD);
        final boolean buyerKnown = !blank(c.buyerName()) && !blank(c.buyerIdType()) && !blank(c.buyerIdNumber());
        if (!type.named() && total >= threshold && !buyerKnown) {
            fail(out, Reason.BUYER_IDENTITY_REQUIRED, "an anonymous sale of " + total + " fen (threshold " + threshold
                    + ") records buyerName, buyerIdType and buyerIdNumber");
            return;
        }
        final long cashLimit = p.get(c.buyerKind() == BuyerKind.ORGANISATION ? Parameters.Name.ORGANISATION_CASH_LIMIT
                : Parameters.Name.PERSON_CASH_LIMIT);
        if (total >= cashLimit && c.payment() != PaymentMethod.BANK_TRANSFER) {
            fail(out, Reason.BANK_TRANSFER_REQUIRED, "a " + c.buyerKind() + " buying " + total + " fen (limit " + cashLimit
                    + ") pays by bank transfer");
            return;
        }

        final int holder = type.named() ? addHolder(c) : -1;
        final int expiry = type.named() ? CardStore.NO_EXPIRY
                : Math.min(CardStore.LAST_DAY, CivilDate.plusMonths(s.businessDay, type.validityMonths()));
        for (int i = 0; i < c.count(); i++) {
            final int card = cardAt(range, firstAccount, i);
            books.begin(s.businessDay)
                    .debit(Account.CUSTODY, -1, load).credit(Account.CARD_VALUE, card, load)
                    .debit(Account.OPERATOR_BANK, -1, type.deposit() + type.issuanceFee())
                    .credit(Account.CARD_DEPOSITS, card, type.deposit())
                    .credit(Account.CARD_FEE_INCOME, -1, type.issuanceFee())
                    .commit();
            cards.status(card, CardStatus.ACTIVE);
            cards.soldDay(card, s.businessDay);
            cards.expiryDay(card, expiry);
            cards.saleFee(card, type.issuanceFee());
            cards.holder(card, holder);
        }
        if (!type.named()) {
            flagNearThreshold(operator, total, threshold, first, out);
        }
        out.value1 = cards.panKey(first);
        out.value2 = c.count();
        out.cardAmount = total;
    }

    private int addHolder(final SellCards c) {
        s.holders.add(new Holder(c.holderName(), c.holderIdType(), c.holderIdNumber(),
                c.holderPhone() == null ? "" : c.holderPhone()));
        return s.holders.size() - 1;
    }

    /** Anonymous sales just under the real-name threshold, repeated by one operator in a day, are flagged. */
    private void flagNearThreshold(final Operator operator, final long total, final long threshold, final int firstCard,
            final Outcome out) {
        final Parameters p = s.parameters;
        if (total >= threshold || total * 100 < threshold * p.get(Parameters.Name.NEAR_THRESHOLD_PERCENT)) {
            return;
        }
        final Integer index = s.operatorIndex.get(operator.operatorId());
        if (index == null) {
            return;
        }
        if (s.nearThresholdDay[index] != s.businessDay) {
            s.nearThresholdDay[index] = s.businessDay;
            s.nearThresholdSales[index] = 0;
        }
        s.nearThresholdSales[index]++;
        if (s.nearThresholdSales[index] >= p.get(Parameters.Name.NEAR_THRESHOLD_SALES)) {
            out.riskFlags |= Outcome.FLAG_NEAR_REAL_NAME_THRESHOLD;
            s.review.add(s.businessDay, ReviewQueue.COUNTER_SALE, cards.panKey(firstCard), out.riskFlags);
        }
    }

    /**
     * Points redeemed at the counter: the card's points go down by {@code points}, their value (× pointValueFen)
     * goes to its stored value. The value leaves the points liability (2206) — and, as far as 2206 holds less (points
     * booked at a lower point value), promotion expense (6402) — and the operator funds it into custody (Dr 1001 / Cr
     * 1002), since the card is owed it now. value1: the value credited; value2: the points left.
     */
    void redeemPoints(final RedeemPoints c, final Outcome out) {
        if (!businessDayOpen(out)) {
            return;
        }
        final int card = card(c.pan(), out);
        if (card < 0) {
            return;
        }
        if (cards.status(card) != CardStatus.ACTIVE || s.businessDay > cards.expiryDay(card)) {
            fail(out, Reason.ILLEGAL_TRANSITION, describe(card) + "; only active, unexpired cards redeem points");
            return;
        }
        if (c.points() <= 0) {
            fail(out, Reason.INVALID_ARGUMENT, "points must be greater than zero, got " + c.points());
            return;
        }
        if (cards.points(card) < c.points()) {
            fail(out, Reason.POINTS_INSUFFICIENT, "card " + Pan.masked(cards.panKey(card)) + " has " + cards.points(card)
                    + " points");
            return;
        }
        final long value = Math.multiplyExact(c.points(), s.parameters.get(Parameters.Name.POINT_VALUE_FEN));
        final CardType type = typeOf(card);
        if (cards.ledgerBalance(card) + value > s.balanceCap(type)) {
            fail(out, Reason.BALANCE_CAP_EXCEEDED, "card " + Pan.masked(cards.panKey(card)) + " would hold "
                    + (cards.ledgerBalance(card) + value) + " fen; cap " + s.balanceCap(type));
            return;
        }
        final long fromLiability = Math.max(0, Math.min(value, books.balance(Account.LOYALTY_POINTS)));
        books.begin(s.businessDay)
                .debit(Account.LOYALTY_POINTS, -1, fromLiability)
                .debit(Account.PROMOTION_EXPENSE, -1, value - fromLiability)
                .credit(Account.CARD_VALUE, card, value)
                .debit(Account.CUSTODY, -1, value)
                .credit(Account.OPERATOR_BANK, -1, value)
                .commit();
        cards.points(card, cards.points(card) - c.points());
        out.value1 = value;
        out.value2 = cards.points(card);
        out.availableBalance = cards.available(card);
        out.ledgerBalance = cards.ledgerBalance(card);
    }

    void recharge(final RechargeCards c, final Outcome out) {
        if (!businessDayOpen(out)) {
            return;
        }
        final BinRange range = rangeOfRun(c.firstPan(), c.count(), out);
        if (range == null) {
            return;
        }
        if (c.amount() <= 0) {
            fail(out, Reason.AMOUNT_NOT_POSITIVE, "amount must be greater than zero");
            return;
        }
        if (!paymentAllowed(c.payment(), out)) {
            return;
        }
        if (c.channel() == null) {
            fail(out, Reason.INVALID_ARGUMENT, "channel is required");
            return;
        }
        final Parameters p = s.parameters;
        if (c.amount() >= p.get(Parameters.Name.RECHARGE_TRANSFER_THRESHOLD) && c.payment() != PaymentMethod.BANK_TRANSFER) {
            fail(out, Reason.BANK_TRANSFER_REQUIRED, "a recharge of " + c.amount() + " fen (limit "
                    + p.get(Parameters.Name.RECHARGE_TRANSFER_THRESHOLD) + ") is paid by bank transfer");
            return;
        }
        if (c.channel() == SalesChannel.AGENT && c.amount() > p.get(Parameters.Name.AGENT_FACE_VALUE_LIMIT)) {
            fail(out, Reason.AGENT_FACE_VALUE_LIMIT, "agents recharge at most " + p.get(Parameters.Name.AGENT_FACE_VALUE_LIMIT) + " fen");
            return;
        }
        final int first = s.resolveCard(c.firstPan());
        final long firstAccount = firstAccountOf(range, cards, first);
        for (int i = 0; i < c.count(); i++) {
            final int card = cardAt(range, firstAccount, i);
            final CardType type = typeOf(card);
            if (cards.status(card) != CardStatus.ACTIVE || s.businessDay > cards.expiryDay(card)) {
                fail(out, Reason.ILLEGAL_TRANSITION, describe(card) + "; only active, unexpired cards can be recharged");
                return;
            }
            if (!type.rechargeable()) {
                fail(out, Reason.CARD_NOT_RECHARGEABLE, "card type " + type.id());
                return;
            }
            if (cards.ledgerBalance(card) + c.amount() > s.balanceCap(type)) {
                fail(out, Reason.BALANCE_CAP_EXCEEDED, "card " + Pan.masked(cards.panKey(card)) + " would hold "
                        + (cards.ledgerBalance(card) + c.amount()) + " fen; cap " + s.balanceCap(type));
                return;
            }
        }
        for (int i = 0; i < c.count(); i++) {
            final int card = cardAt(range, firstAccount, i);
            books.begin(s.businessDay).debit(Account.CUSTODY, -1, c.amount()).credit(Account.CARD_VALUE, card, c.amount()).commit();
            cards.used(card, true);
        }
        out.value1 = cards.panKey(first);
        out.value2 = c.count();
        out.cardAmount = Math.multiplyExact(c.amount(), (long) c.count());
        if (c.count() == 1) {
            out.availableBalance = cards.available(first);
            out.ledgerBalance = cards.ledgerBalance(first);
        }
    }

    // ------------------------------------------------------------------ lifecycle

    void transition(final String pan, final CardStatus from, final CardStatus to, final Outcome out) {
        final int card = card(pan, out);
        if (card < 0) {
            return;
        }
        if (cards.status(card) != from) {
            fail(out, Reason.ILLEGAL_TRANSITION, describe(card) + "; only a " + from + " card can become " + to);
            return;
        }
        cards.status(card, to);
    }

    void reportLost(final String pan, final Outcome out) {
        final int card = card(pan, out);
        if (card < 0) {
            return;
        }
        final CardType type = typeOf(card);
        if (!type.named()) {
            fail(out, Reason.NAMED_CARD_ONLY, "anonymous cards cannot be reported lost");
            return;
        }
        final CardStatus status = cards.status(card);
        if (status != CardStatus.ACTIVE && status != CardStatus.FROZEN) {
            fail(out, Reason.ILLEGAL_TRANSITION, describe(card) + "; only an active or frozen card can be reported lost");
            return;
        }
        counterFee(type.lostReportFee());
        cards.status(card, CardStatus.LOST);
        out.fee = type.lostReportFee();
    }

    void blacklist(final String pan, final Outcome out) {
        final int card = card(pan, out);
        if (card < 0) {
            return;
        }
        final CardStatus status = cards.status(card);
        if (status == CardStatus.BLACKLISTED || status.terminal()) {
            fail(out, Reason.ILLEGAL_TRANSITION, describe(card) + "; it cannot be blacklisted");
            return;
        }
        cards.priorStatus(card, status);
        cards.status(card, CardStatus.BLACKLISTED);
    }

    void unblacklist(final String pan, final Outcome out) {
        final int card = card(pan, out);
        if (card < 0) {
            return;
        }
        if (cards.status(card) != CardStatus.BLACKLISTED) {
            fail(out, Reason.ILLEGAL_TRANSITION, describe(card) + "; it is not blacklisted");
            return;
        }
        cards.status(card, cards.priorStatus(card));
    }

    void replace(final ReplaceCard c, final Outcome out) {
        final int old = card(c.oldPan(), out);
        if (old < 0) {
            return;
        }
        final int fresh = card(c.newPan(), out);
        if (fresh < 0) {
            return;
        }
        if (old == fresh) {
            fail(out, Reason.SAME_CARD, "old and new card are the same");
            return;
        }
        final CardStatus status = cards.status(old);
        if (status != CardStatus.ACTIVE && status != CardStatus.FROZEN && status != CardStatus.LOST) {
            fail(out, Reason.ILLEGAL_TRANSITION, describe(old) + "; only an active, frozen, lost or expired card can be replaced");
            return;
        }
        if (cards.status(fresh) != CardStatus.GENERATED) {
            fail(out, Reason.ILLEGAL_TRANSITION, "new " + describe(fresh) + "; a replacement comes from stock");
            return;
        }
        final CardType oldType = typeOf(old);
        final CardType newType = typeOf(fresh);
        if (oldType.named() != newType.named()) {
            fail(out, Reason.CARD_TYPE_MISMATCH, "a named card is replaced by a named card, an anonymous by an anonymous");
            return;
        }
        if (!newType.onSale()) {
            fail(out, Reason.INVALID_ARGUMENT, "card type " + newType.id() + " is not on sale");
            return;
        }
        if (cards.ledgerBalance(old) > s.balanceCap(newType)) {
            fail(out, Reason.BALANCE_CAP_EXCEEDED, "the balance exceeds the new card type's cap");
            return;
        }
        final long available = cards.available(old);
        final long held = cards.holds(old);
        final long deposit = cards.deposit(old);
        books.begin(s.businessDay)
                .debit(Account.CARD_VALUE, old, available).credit(Account.CARD_VALUE, fresh, available)
                .debit(Account.CARD_HOLDS, old, held).credit(Account.CARD_HOLDS, fresh, held)
                .debit(Account.CARD_DEPOSITS, old, deposit).credit(Account.CARD_DEPOSITS, fresh, deposit)
                .commit();
        counterFee(oldType.replacementFee());
        moveCounters(old, fresh);
        final HoldTable holds = s.holds;
        for (int i = 0; i < holds.capacity(); i++) {
            if (holds.state(i) != HoldTable.FREE && holds.card(i) == old) {
                holds.card(i, fresh);
            }
        }
        cards.openHolds(fresh, cards.openHolds(old));
        cards.openHolds(old, 0);
        cards.holder(fresh, cards.holder(old));
        cards.soldDay(fresh, cards.soldDay(old));
        cards.saleFee(fresh, cards.saleFee(old));
        cards.used(fresh, cards.used(old));
        cards.expiryDay(fresh, newType.named() ? CardStore.NO_EXPIRY
                : Math.min(CardStore.LAST_DAY,
                        Math.max(cards.expiryDay(old), CivilDate.plusMonths(s.businessDay, newType.validityMonths()))));
        cards.status(fresh, CardStatus.ACTIVE);
        cards.status(old, CardStatus.REPLACED);
        cards.linkedCard(old, fresh);
        cards.linkedCard(fresh, old);
        out.value1 = cards.panKey(fresh);
        out.fee = oldType.replacementFee();
        out.availableBalance = cards.available(fresh);
        out.ledgerBalance = cards.ledgerBalance(fresh);
    }

    private void moveCounters(final int from, final int to) {
        cards.points(to, cards.points(from));
        cards.points(from, 0);
        cards.velocityDay(to, cards.velocityDay(from));
        cards.dayAmount(to, cards.dayAmount(from));
        cards.dayCount(to, cards.dayCount(from));
        cards.monthAmount(to, cards.monthAmount(from));
        cards.monthCount(to, cards.monthCount(from));
        cards.declineDay(to, cards.declineDay(from));
        cards.declines(to, cards.declines(from));
    }

    void returnCard(final String pan, final Outcome out) {
        final int card = card(pan, out);
        if (card < 0) {
            return;
        }
        final CardType type = typeOf(card);
        if (!type.named()) {
            fail(out, Reason.NAMED_CARD_ONLY, "anonymous cards cannot be redeemed");
            return;
        }
        final CardStatus status = cards.status(card);
        if (status != CardStatus.ACTIVE && status != CardStatus.FROZEN) {
            fail(out, Reason.ILLEGAL_TRANSITION, describe(card) + "; only an active or frozen card can be returned");
            return;
        }
        final int months = (int) s.parameters.get(Parameters.Name.REDEMPTION_MIN_MONTHS);
        final int earliest = CivilDate.plusMonths(cards.soldDay(card), months);
        if (s.businessDay < earliest) {
            fail(out, Reason.REDEMPTION_TOO_EARLY, "sold " + CivilDate.iso(cards.soldDay(card)) + "; redeemable from "
                    + CivilDate.iso(earliest));
            return;
        }
        if (cards.openHolds(card) != 0 || cards.holds(card) != 0) {
            fail(out, Reason.CARD_HAS_OPEN_HOLDS, cards.openHolds(card) + " open pre-authorisations");
            return;
        }
        final long available = cards.available(card);
        final long deposit = cards.deposit(card);
        books.begin(s.businessDay)
                .debit(Account.CARD_VALUE, card, available).credit(Account.CUSTODY, -1, available)
                .debit(Account.CARD_DEPOSITS, card, deposit).credit(Account.OPERATOR_BANK, -1, deposit)
                .commit();
        cards.status(card, CardStatus.RETURNED);
        out.cardAmount = available;
        out.value1 = deposit;
        out.availableBalance = 0;
        out.ledgerBalance = 0;
    }

    void cancelIssuance(final String pan, final Outcome out) {
        final int card = card(pan, out);
        if (card < 0) {
            return;
        }
        if (cards.status(card) != CardStatus.ACTIVE) {
            fail(out, Reason.ILLEGAL_TRANSITION, describe(card) + "; only a sold, active card can have its issuance cancelled");
            return;
        }
        if (cards.used(card) || cards.openHolds(card) != 0 || cards.points(card) != 0) {
            fail(out, Reason.CARD_ALREADY_USED, "card " + Pan.masked(cards.panKey(card)) + " has transactions since its sale");
            return;
        }
        final long available = cards.available(card);
        final long deposit = cards.deposit(card);
        final long fee = cards.saleFee(card);
        books.begin(s.businessDay)
                .debit(Account.CARD_VALUE, card, available).credit(Account.CUSTODY, -1, available)
                .debit(Account.CARD_DEPOSITS, card, deposit).debit(Account.CARD_FEE_INCOME, -1, fee)
                .credit(Account.OPERATOR_BANK, -1, deposit + fee)
                .commit();
        cards.status(card, CardStatus.CANCELLED);
        out.cardAmount = available;
        out.value1 = deposit + fee;
    }

    void setPin(final SetPin c, final Outcome out) {
        final int card = card(c.pan(), out);
        if (card < 0) {
            return;
        }
        if (c.pinCheck() == 0) {
            fail(out, Reason.INVALID_ARGUMENT, "pinCheck 0 means 'no PIN'; compute the check value of the new PIN");
            return;
        }
        if (cards.status(card).terminal()) {
            fail(out, Reason.ILLEGAL_TRANSITION, describe(card));
            return;
        }
        cards.pinCheck(card, c.pinCheck());
        cards.pinErrors(card, 0);
    }

    void unlockPin(final String pan, final Outcome out) {
        final int card = card(pan, out);
        if (card < 0) {
            return;
        }
        if (cards.status(card).terminal()) {
            fail(out, Reason.ILLEGAL_TRANSITION, describe(card));
            return;
        }
        cards.pinErrors(card, 0);
    }

    void extendExpiry(final ExtendExpiry c, final Outcome out) {
        final int card = card(c.pan(), out);
        if (card < 0) {
            return;
        }
        if (!businessDayOpen(out)) {
            return;
        }
        final int day = AdminProcessor.dayOf(out, "newExpiryDate", c.newExpiryDate(), -1);
        if (day < 0) {
            if (out.reason == Reason.APPROVED) {
                fail(out, Reason.INVALID_ARGUMENT, "newExpiryDate is required");
            }
            return;
        }
        final CardStatus status = cards.status(card);
        if (status.terminal() || status == CardStatus.GENERATED) {
            fail(out, Reason.ILLEGAL_TRANSITION, describe(card) + "; only a sold, live card has an expiry to extend");
            return;
        }
        if (cards.expiryDay(card) == CardStore.NO_EXPIRY) {
            fail(out, Reason.EXPIRY_NOT_LATER, "card " + Pan.masked(cards.panKey(card)) + " is named and never expires");
            return;
        }
        if (day > CardStore.LAST_DAY) {
            fail(out, Reason.INVALID_ARGUMENT, "expiry dates end at " + CivilDate.iso(CardStore.LAST_DAY));
            return;
        }
        if (day <= cards.expiryDay(card) || day < s.businessDay) {
            fail(out, Reason.EXPIRY_NOT_LATER, "current expiry " + CivilDate.iso(cards.expiryDay(card)));
            return;
        }
        cards.expiryDay(card, day);
    }
}
