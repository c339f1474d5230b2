package dev.prepaid.ledger;

import dev.prepaid.card.CardStatus;
import dev.prepaid.card.CardStore;
import dev.prepaid.card.CardType;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.PosKind;
import dev.prepaid.command.PosRequest;
import dev.prepaid.command.Reason;
import dev.prepaid.merchant.Merchant;
import dev.prepaid.merchant.Terminal;
import dev.prepaid.merchant.TerminalProfile;
import dev.prepaid.money.Money;
import dev.prepaid.time.CivilDate;
import dev.prepaid.txn.HoldTable;
import dev.prepaid.txn.TransactionLog;
import org.agrona.DirectBuffer;

/**
 * Applies POS transactions (pos-iso8583 §4). Every method first decides, changing nothing, and then
 * applies; the only state a decline changes is a card's wrong-PIN and decline counters and the record
 * that lets a repeated request get the same answer. Allocation-free.
 */
final class PosProcessor {
    private static final long MILLIS_PER_MINUTE = 60_000L;

    private final LedgerState s;
    private final CardStore cards;
    private final TransactionLog log;
    private final HoldTable holds;
    private final GeneralLedger books;
    private final PosRequest req = new PosRequest();

    /** Scratch results of the card checks of the current request. */
    private int cardIndex;
    private CardType cardType;
    private int riskFlags;

    PosProcessor(final LedgerState state) {
        this.s = state;
        this.cards = state.cards;
        this.log = state.transactions;
        this.holds = state.holds;
        this.books = state.books;
    }

    void apply(final DirectBuffer buffer, final int offset, final long timestampMillis, final Outcome out) {
        req.wrap(buffer, offset);
        out.businessDate = s.businessDate;
        final PosKind kind = req.kind();
        if (kind == null) {
            out.reason = Reason.UNSUPPORTED_TRANSACTION;
            return;
        }
        final Terminal terminal = s.terminalByPackedId(req.terminalId());
        if (terminal == null) {
            out.reason = Reason.TERMINAL_NOT_REGISTERED;
            return;
        }
        if (!terminal.active()) {
            out.reason = Reason.TERMINAL_DISABLED;
            return;
        }
        final Merchant merchant = terminal.merchant();
        if (!merchant.idMatches(req.merchantIdHigh(), req.merchantIdLow())) {
            out.reason = Reason.MERCHANT_ID_MISMATCH;
            return;
        }
        if (s.businessDay == 0) {
            out.reason = Reason.BUSINESS_DAY_NOT_OPEN;
            return;
        }
        switch (kind) {
            case SIGN_ON:
                signOn(terminal, merchant, out);
                return;
            case SIGN_OFF:
                terminal.signedOn(false);
                out.batch = terminal.currentBatch();
                return;
            default:
                break;
        }
        if (!terminal.signedOn()) {
            out.reason = Reason.TERMINAL_NOT_SIGNED_ON;
            return;
        }
        switch (kind) {
            case BATCH_SETTLEMENT:
                settle(terminal, out);
                return;
            case BATCH_UPLOAD:
            case BATCH_UPLOAD_END:
                upload(terminal, kind, out);
                return;
            case REVERSAL:
                reverse(terminal, merchant, out);
                return;
            default:
                break;
        }
        if (!merchant.active()) {
            out.reason = Reason.MERCHANT_NOT_ACTIVE;
            return;
        }
        if (!validNumber(req.batch()) || !validNumber(req.stan())) {
            out.reason = Reason.INVALID_BATCH_OR_STAN;
            return;
        }
        if (req.batch() != terminal.currentBatch()) {
            out.reason = Reason.BATCH_NUMBER_MISMATCH;
            out.batch = terminal.currentBatch();
            return;
        }
        final long key = TransactionLog.key(terminal.index(), req.batch(), req.stan());
        final int seen = log.slotOfKey(key);
        if (seen >= 0) {
            repeat(seen, kind, out);
            return;
        }
        cardIndex = -1;
        cardType = null;
        riskFlags = 0;
        switch (kind) {
            case PURCHASE:
                purchase(key, terminal, merchant, out);
                break;
            case BALANCE_INQUIRY:
                balanceInquiry(key, terminal, merchant, out);
                break;
            case RECHARGE:
                recharge(key, terminal, merchant, out);
                break;
            case PREAUTH:
                preauthorise(key, terminal, merchant, timestampMillis, out);
                break;
            case REFUND:
                refund(key, terminal, merchant, out);
                break;
            case PURCHASE_VOID:
            case RECHARGE_VOID:
            case COMPLETION_VOID:
                voidTransaction(key, kind, terminal, merchant, out);
                break;
            case PREAUTH_CANCEL:
                cancelPreauth(key, terminal, merchant, out);
                break;
            case COMPLETION:
                complete(key, terminal, merchant, out);
                break;
            default:
                out.reason = Reason.UNSUPPORTED_TRANSACTION;
                break;
        }
    }

    private static boolean validNumber(final int n) {
        return n >= 0 && n <= 999_999;
    }

    // ================================================================== terminal management

    private void signOn(final Terminal terminal, final Merchant merchant, final Outcome out) {
        if (!merchant.active()) {
            out.reason = Reason.MERCHANT_NOT_ACTIVE;
            return;
        }
        terminal.signedOn(true);
        out.batch = terminal.currentBatch();
    }

    private void settle(final Terminal terminal, final Outcome out) {
        final int batch = req.batch();
        if (batch == terminal.currentBatch()) {
            final boolean balanced = req.settleDebitAmount() == terminal.debitAmount()
                    && req.settleDebitCount() == terminal.debitCount()
                    && req.settleCreditAmount() == terminal.creditAmount()
                    && req.settleCreditCount() == terminal.creditCount();
            terminal.closeBatch(balanced ? 1 : 2);
            out.batch = batch;
            out.settlementFlag = terminal.settledFlag();
        } else if (batch == terminal.settledBatch()) {
            out.batch = batch;
            out.settlementFlag = terminal.settledFlag();
            out.duplicate = true;
        } else {
            out.reason = Reason.BATCH_NUMBER_MISMATCH;
            out.batch = terminal.currentBatch();
        }
    }

    private void upload(final Terminal terminal, final PosKind kind, final Outcome out) {
        if (req.batch() != terminal.settledBatch()) {
            out.reason = Reason.NO_SETTLED_BATCH_TO_UPLOAD;
            return;
        }
        if (kind == PosKind.BATCH_UPLOAD) {
            terminal.countUpload();
        }
        out.batch = req.batch();
        out.value1 = terminal.uploadedCount();
    }

    // ================================================================== repeats

    private void repeat(final int slot, final PosKind kind, final Outcome out) {
        if (log.is(slot, TransactionLog.TOMBSTONE)) {
            out.reason = Reason.ORIGINAL_REVERSED_BEFORE_ARRIVAL;
            return;
        }
        if (log.kind(slot) != kind || log.amount(slot) != requestAmount(kind) || log.panKey(slot) != requestPanKey()) {
            out.reason = Reason.DUPLICATE_WITH_DIFFERENT_CONTENT;
            return;
        }
        replay(slot, out);
        out.duplicate = true;
    }

    private void replay(final int slot, final Outcome out) {
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

    private long requestAmount(final PosKind kind) {
        return kind == PosKind.BALANCE_INQUIRY ? 0 : req.amount();
    }

    private long requestPanKey() {
        return req.panLength() == 0 ? 0 : req.panKey();
    }

    // ================================================================== card checks

    /**
     * Identifies the card and checks it may start a new transaction of {@code kind}: number, status,
     * expiry, PIN lock, type permission and PIN. Sets {@link #cardIndex} and {@link #cardType}. A wrong
     * PIN is counted here (the one change a check makes).
     */
    private Reason checkCardForNew(final PosKind kind) {
        final Reason identified = identifyCard();
        if (identified != Reason.APPROVED) {
            return identified;
        }
        final Reason status = checkStatus(cardIndex, true);
        if (status != Reason.APPROVED) {
            return status;
        }
        if (kind.permissionControlled && !cardType.permits(kind)) {
            return Reason.NOT_PERMITTED_FOR_CARD_TYPE;
        }
        return checkPin(kind);
    }

    private Reason identifyCard() {
        if (req.panLength() == 0) {
            return Reason.CARD_NUMBER_LENGTH;
        }
        final int resolved = s.resolveCard(req.panLength(), req.panBody(), req.panCheckDigit());
        if (resolved < 0) {
            return LedgerState.decode(resolved);
        }
        cardIndex = resolved;
        cardType = s.cardTypes[cards.cardType(resolved)];
        return Reason.APPROVED;
    }

    /** Status checks; {@code newTransaction} adds those that only stop a new transaction (expiry, PIN lock). */
    private Reason checkStatus(final int card, final boolean newTransaction) {
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
            if (effectivePinErrors(card) >= s.pinTries(s.cardTypes[cards.cardType(card)])) {
                return Reason.CARD_PIN_LOCKED;
            }
        }
        return Reason.APPROVED;
    }

    /** A card that can take money back (void, reversal, refund credit): anything but dead or blacklisted. */
    private Reason checkCardForCredit(final int card) {
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

    private Reason checkPin(final PosKind kind) {
        final boolean required = kind.permissionControlled && cardType.requiresPin(kind);
        final long stored = cards.pinCheck(cardIndex);
        if (!req.pinEntered()) {
            return required ? Reason.PIN_MISSING : Reason.APPROVED;
        }
        if (stored == 0) {
            return required ? Reason.PIN_NOT_SET : Reason.APPROVED;
        }
        if (stored == req.pinCheck()) {
            return Reason.APPROVED;
        }
        final int errors = effectivePinErrors(cardIndex) + 1;
        cards.pinErrors(cardIndex, errors);
        cards.pinErrorDay(cardIndex, s.businessDay);
        return errors >= s.pinTries(cardType) ? Reason.PIN_TRIES_EXCEEDED : Reason.PIN_WRONG;
    }

    /** Velocity limits of spending (purchase, pre-authorisation) and the risk rules. */
    private Reason checkLimits(final long amount) {
        final CardType type = cardType;
        if (type.singleLimit() > 0 && amount > type.singleLimit()) {
            return Reason.SINGLE_AMOUNT_LIMIT;
        }
        final int card = cardIndex;
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
        return checkRisk(amount);
    }

    private Reason checkRisk(final long amount) {
        final Parameters p = s.parameters;
        if (amount >= p.get(Parameters.Name.LARGE_AMOUNT_THRESHOLD)) {
            if (p.flag(Parameters.Name.LARGE_AMOUNT_BLOCKS)) {
                return Reason.RISK_LARGE_AMOUNT;
            }
            riskFlags |= Outcome.FLAG_LARGE_AMOUNT;
        }
        final int declines = cards.declineDay(cardIndex) == s.businessDay ? cards.declines(cardIndex) : 0;
        if (declines >= p.get(Parameters.Name.DECLINES_PER_DAY_THRESHOLD)) {
            if (p.flag(Parameters.Name.DECLINES_BLOCK)) {
                return Reason.RISK_TOO_MANY_DECLINES;
            }
            riskFlags |= Outcome.FLAG_MANY_DECLINES;
        }
        return Reason.APPROVED;
    }

    private static Reason checkAmount(final long amount) {
        if (amount <= 0) {
            return Reason.AMOUNT_NOT_POSITIVE;
        }
        if (amount > Money.MAX_FIELD_AMOUNT) {
            return Reason.AMOUNT_TOO_LARGE;
        }
        return Reason.APPROVED;
    }

    private Reason checkMessage(final boolean withAmount) {
        if (req.currency() != Money.CNY) {
            return Reason.CURRENCY_NOT_SUPPORTED;
        }
        return withAmount ? checkAmount(req.amount()) : Reason.APPROVED;
    }

    // ================================================================== recording

    private int record(final long key, final PosKind kind, final Terminal terminal, final Merchant merchant,
            final Reason reason, final Outcome out) {
        final int slot = log.append(key, kind, s.businessDay);
        log.parties(slot, terminal.index(), merchant.index(), cardIndex, requestPanKey(), req.batch());
        log.amount(slot, requestAmount(kind));
        log.reason(slot, reason);
        out.reason = reason;
        out.rrn = log.rrn(slot);
        if (cardIndex >= 0) {
            out.issuerInstitutionId = issuerIdOf(cards.cardType(cardIndex));
            if (reason != Reason.APPROVED) {
                countDecline(cardIndex);
            }
        }
        return slot;
    }

    private void declined(final long key, final PosKind kind, final Terminal terminal, final Merchant merchant,
            final Reason reason, final Outcome out) {
        final int slot = record(key, kind, terminal, merchant, reason, out);
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
    private void approvedAnswer(final int slot, final int card, final Outcome out) {
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

    private String issuerIdOf(final int cardTypeId) {
        return s.issuerIdByType[cardTypeId];
    }

    // ================================================================== purchase

    private void purchase(final long key, final Terminal terminal, final Merchant merchant, final Outcome out) {
        Reason reason = checkMessage(true);
        if (reason == Reason.APPROVED) {
            reason = checkCardForNew(PosKind.PURCHASE);
        }
        final long amount = req.amount();
        long discount = 0;
        if (reason == Reason.APPROVED) {
            reason = checkLimits(amount);
        }
        if (reason == Reason.APPROVED) {
            discount = s.rules.discount(merchant.index(), cardType.id(), s.businessDay, amount);
            if (cards.available(cardIndex) < amount - discount) {
                reason = Reason.INSUFFICIENT_BALANCE;
            }
        }
        if (reason != Reason.APPROVED) {
            declined(key, PosKind.PURCHASE, terminal, merchant, reason, out);
            return;
        }
        final int card = cardIndex;
        final long cardAmount = amount - discount;
        final long fee = s.rules.fee(merchant.index(), cardType.id(), PosKind.PURCHASE, s.businessDay, amount);
        final long share = deployerShare(terminal.profile(), fee, amount);
        final long points = pointsFor(merchant, cardAmount);
        final long pointsValue = Math.multiplyExact(points, s.parameters.get(Parameters.Name.POINT_VALUE_FEN));

        spendEffect(card, merchant.index(), amount, cardAmount, discount, pointsValue, points, +1);
        addVelocity(card, amount, +1, s.businessDay);
        cards.used(card, true);
        terminal.addDebit(amount, 1);
        merchant.accrue(fee, share);

        final int slot = record(key, PosKind.PURCHASE, terminal, merchant, Reason.APPROVED, out);
        log.money(slot, amount, cardAmount, discount, fee, share, points, pointsValue);
        approvedAnswer(slot, card, out);
        fillMoney(out, cardAmount, discount, fee, points);
    }

    private static void fillMoney(final Outcome out, final long cardAmount, final long discount, final long fee,
            final long points) {
        out.cardAmount = cardAmount;
        out.discount = discount;
        out.fee = fee;
        out.points = points;
    }

    /**
     * The books of a purchase ({@code direction} +1) or its mirror (-1): the card pays its part, the operator
     * funds the discount into custody, the merchant is owed the full price, points are booked.
     */
    private void spendEffect(final int card, final int merchantIndex, final long amount, final long cardAmount,
            final long discount, final long pointsValue, final long points, final int direction) {
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

    private long deployerShare(final TerminalProfile terminal, final long fee, final long amount) {
        switch (terminal.shareMethod()) {
            case FEE_RATIO:
                return Money.ppmOfHalfUp(fee, terminal.shareRatePpm());
            case SPREAD:
                return Math.max(0, fee - Money.ppmOfHalfUp(amount, terminal.shareRatePpm()));
            default:
                return 0;
        }
    }

    private long pointsFor(final Merchant merchant, final long paid) {
        int rate = s.rules.pointsRate(merchant.index(), cardType.id(), s.businessDay);
        if (rate < 0) {
            rate = cardType.pointsPerYuan();
        }
        return rate <= 0 ? 0 : Math.multiplyExact(paid / 100, (long) rate);
    }

    /**
     * Counts spending against the card's velocity limits. Spending today opens the day (and the month) when
     * the counters belong to an earlier one; undoing or redoing a transaction of {@code day} only touches
     * counters that still belong to that day and month.
     */
    private void addVelocity(final int card, final long amount, final int direction, final int day) {
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

    // ================================================================== balance inquiry, recharge

    private void balanceInquiry(final long key, final Terminal terminal, final Merchant merchant, final Outcome out) {
        Reason reason = checkMessage(false);
        if (reason == Reason.APPROVED) {
            reason = checkCardForNew(PosKind.BALANCE_INQUIRY);
        }
        if (reason != Reason.APPROVED) {
            declined(key, PosKind.BALANCE_INQUIRY, terminal, merchant, reason, out);
            return;
        }
        final int slot = record(key, PosKind.BALANCE_INQUIRY, terminal, merchant, Reason.APPROVED, out);
        approvedAnswer(slot, cardIndex, out);
    }

    private void recharge(final long key, final Terminal terminal, final Merchant merchant, final Outcome out) {
        Reason reason = checkMessage(true);
        final long amount = req.amount();
        if (reason == Reason.APPROVED && !merchant.profile().rechargeAllowed()) {
            reason = Reason.RECHARGE_NOT_PERMITTED_AT_MERCHANT;
        }
        if (reason == Reason.APPROVED) {
            reason = checkCardForNew(PosKind.RECHARGE);
        }
        if (reason == Reason.APPROVED && !cardType.rechargeable()) {
            reason = Reason.CARD_NOT_RECHARGEABLE;
        }
        if (reason == Reason.APPROVED && amount >= s.parameters.get(Parameters.Name.RECHARGE_TRANSFER_THRESHOLD)) {
            reason = Reason.RECHARGE_CASH_LIMIT;
        }
        if (reason == Reason.APPROVED && cards.ledgerBalance(cardIndex) + amount > s.balanceCap(cardType)) {
            reason = Reason.BALANCE_CAP_EXCEEDED;
        }
        if (reason != Reason.APPROVED) {
            declined(key, PosKind.RECHARGE, terminal, merchant, reason, out);
            return;
        }
        final int card = cardIndex;
        final long receivablePart = rechargeEffect(card, merchant.index(), amount, 0, +1);
        cards.used(card, true);
        terminal.addCredit(amount, 1);
        final int slot = record(key, PosKind.RECHARGE, terminal, merchant, Reason.APPROVED, out);
        log.money(slot, amount, amount, 0, 0, 0, 0, 0);
        log.receivablePart(slot, receivablePart);
        approvedAnswer(slot, card, out);
        out.cardAmount = amount;
    }

    /**
     * A POS recharge (+1): the merchant took the cash, so it owes it (booked against what it is owed);
     * returns the part booked to its receivable. Undone (-1) as the exact mirror.
     */
    private long rechargeEffect(final int card, final int merchantIndex, final long amount, final long receivablePart,
            final int direction) {
        final GeneralLedger g = books.begin(s.businessDay);
        long toReceivable = 0;
        if (direction > 0) {
            toReceivable = merchantOut(g, merchantIndex, amount);
            g.credit(Account.CARD_VALUE, card, amount);
        } else {
            g.debit(Account.CARD_VALUE, card, amount);
            merchantBack(g, merchantIndex, amount, receivablePart);
        }
        g.commit();
        return toReceivable;
    }

    // ================================================================== pre-authorisation

    private void preauthorise(final long key, final Terminal terminal, final Merchant merchant, final long timestamp,
            final Outcome out) {
        Reason reason = checkMessage(true);
        final long amount = req.amount();
        if (reason == Reason.APPROVED) {
            reason = checkCardForNew(PosKind.PREAUTH);
        }
        if (reason == Reason.APPROVED) {
            reason = checkLimits(amount);
        }
        if (reason == Reason.APPROVED && cards.available(cardIndex) < amount) {
            reason = Reason.INSUFFICIENT_BALANCE;
        }
        if (reason == Reason.APPROVED && holds.full()) {
            reason = Reason.HOLD_TABLE_FULL;
        }
        if (reason != Reason.APPROVED) {
            declined(key, PosKind.PREAUTH, terminal, merchant, reason, out);
            return;
        }
        final int card = cardIndex;
        holdEffect(card, amount, +1);
        addVelocity(card, amount, +1, s.businessDay);
        cards.used(card, true);
        final int slot = record(key, PosKind.PREAUTH, terminal, merchant, Reason.APPROVED, out);
        log.money(slot, amount, amount, 0, 0, 0, 0, 0);
        approvedAnswer(slot, card, out);
        final long expiresAt = timestamp + s.parameters.get(Parameters.Name.HOLD_TIMEOUT_MINUTES) * MILLIS_PER_MINUTE;
        final int hold = holds.open(key, card, terminal.index(), amount, out.authCode, log.rrn(slot), expiresAt);
        log.hold(slot, hold);
        out.cardAmount = amount;
    }

    /** Moves {@code amount} from the card's 2201 to its 2202 (+1) or back (-1). */
    private void holdEffect(final int card, final long amount, final int direction) {
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

    /** Releases an expired hold (called by the hold-expiry timer command). */
    void expireHold(final int hold) {
        holdEffect(holds.card(hold), holds.amount(hold), -1);
        holds.close(hold, HoldTable.EXPIRED, 0, s.businessDay);
    }

    /** Finds the open pre-authorisation a cancel or completion names (61 on this terminal, 38). */
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
            if (named < 0 || liveCardOf(named) != holds.card(hold)) {
                return Reason.ORIGINAL_DETAILS_MISMATCH;
            }
        }
        if (holds.state(hold) != HoldTable.OPEN) {
            return Reason.PREAUTH_NOT_OPEN;
        }
        return Reason.APPROVED;
    }

    private void cancelPreauth(final long key, final Terminal terminal, final Merchant merchant, final Outcome out) {
        Reason reason = checkMessage(false);
        final int hold = findHold(terminal);
        if (reason == Reason.APPROVED) {
            reason = checkHoldReference(hold);
        }
        if (reason == Reason.APPROVED) {
            cardIndex = holds.card(hold);
            cardType = s.cardTypes[cards.cardType(cardIndex)];
            if (req.amount() != 0 && req.amount() != holds.amount(hold)) {
                reason = Reason.VOID_AMOUNT_DIFFERS;
            }
        }
        if (reason == Reason.APPROVED) {
            reason = checkCardForCredit(cardIndex);
        }
        if (reason != Reason.APPROVED) {
            declined(key, PosKind.PREAUTH_CANCEL, terminal, merchant, reason, out);
            return;
        }
        final int card = cardIndex;
        final long amount = holds.amount(hold);
        holdEffect(card, amount, -1);
        final int preauth = log.slotOfRrn(holds.preauthRrn(hold));
        if (preauth >= 0) {
            addVelocity(card, amount, -1, log.day(preauth));
        }
        final int slot = record(key, PosKind.PREAUTH_CANCEL, terminal, merchant, Reason.APPROVED, out);
        log.money(slot, req.amount(), amount, 0, 0, 0, 0, 0);
        log.hold(slot, hold);
        log.linked(slot, holds.preauthRrn(hold));
        holds.close(hold, HoldTable.CANCELLED, log.rrn(slot), s.businessDay);
        approvedAnswer(slot, card, out);
        out.cardAmount = amount;
    }

    private void complete(final long key, final Terminal terminal, final Merchant merchant, final Outcome out) {
        Reason reason = checkMessage(true);
        final int hold = findHold(terminal);
        if (reason == Reason.APPROVED) {
            reason = checkHoldReference(hold);
        }
        final long amount = req.amount();
        if (reason == Reason.APPROVED) {
            cardIndex = holds.card(hold);
            cardType = s.cardTypes[cards.cardType(cardIndex)];
            reason = checkCardForCredit(cardIndex);
        }
        if (reason == Reason.APPROVED && !cardType.permits(PosKind.COMPLETION)) {
            reason = Reason.NOT_PERMITTED_FOR_CARD_TYPE;
        }
        if (reason == Reason.APPROVED && amount > holds.amount(hold)) {
            reason = Reason.COMPLETION_EXCEEDS_HOLD;
        }
        if (reason == Reason.APPROVED && cardType.requiresPin(PosKind.COMPLETION)) {
            reason = checkPin(PosKind.COMPLETION);
        }
        if (reason != Reason.APPROVED) {
            declined(key, PosKind.COMPLETION, terminal, merchant, reason, out);
            return;
        }
        final int card = cardIndex;
        final long held = holds.amount(hold);
        final long fee = s.rules.fee(merchant.index(), cardType.id(), PosKind.COMPLETION, s.businessDay, amount);
        final long share = deployerShare(terminal.profile(), fee, amount);
        final long points = pointsFor(merchant, amount);
        final long pointsValue = Math.multiplyExact(points, s.parameters.get(Parameters.Name.POINT_VALUE_FEN));
        completionEffect(card, merchant.index(), held, amount, pointsValue, points, +1);
        terminal.addDebit(amount, 1);
        merchant.accrue(fee, share);
        final int slot = record(key, PosKind.COMPLETION, terminal, merchant, Reason.APPROVED, out);
        log.money(slot, amount, amount, 0, fee, share, points, pointsValue);
        log.hold(slot, hold);
        log.linked(slot, holds.preauthRrn(hold));
        holds.close(hold, HoldTable.COMPLETED, log.rrn(slot), s.businessDay);
        approvedAnswer(slot, card, out);
        fillMoney(out, amount, 0, fee, points);
    }

    /** Completion (+1): the whole hold is released, the merchant gets the completed amount, the card the rest. */
    private void completionEffect(final int card, final int merchantIndex, final long held, final long completed,
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

    // ================================================================== refund

    private void refund(final long key, final Terminal terminal, final Merchant merchant, final Outcome out) {
        Reason reason = checkMessage(true);
        final long amount = req.amount();
        final int original = log.slotOfRrn(req.originalRrn());
        if (reason == Reason.APPROVED) {
            reason = checkRefundable(original, merchant, amount);
        }
        if (reason == Reason.APPROVED) {
            cardIndex = liveCardOf(log.card(original));
            cardType = s.cardTypes[cards.cardType(cardIndex)];
            reason = checkStatus(cardIndex, false);
            if (reason == Reason.APPROVED && s.businessDay > cards.expiryDay(cardIndex)) {
                reason = Reason.CARD_EXPIRED;
            }
        }
        if (reason == Reason.APPROVED && !cardType.permits(PosKind.REFUND)) {
            reason = Reason.NOT_PERMITTED_FOR_CARD_TYPE;
        }
        if (reason == Reason.APPROVED && cardType.requiresPin(PosKind.REFUND)) {
            reason = checkPin(PosKind.REFUND);
        }
        long cardPart = 0;
        long discountPart = 0;
        if (reason == Reason.APPROVED) {
            // The merchant gives back exactly the amount: the card's part and the discount's part must add up
            // to it, and neither may exceed what is left of it (rounding one part must not overpay the other).
            discountPart = refundPart(log.discount(original), log.refundedDiscount(original), amount, original);
            cardPart = Math.min(amount - discountPart, log.cardAmount(original) - log.refundedCard(original));
            discountPart = amount - cardPart;
            if (cards.ledgerBalance(cardIndex) + cardPart > s.balanceCap(cardType)) {
                reason = Reason.BALANCE_CAP_EXCEEDED;
            }
        }
        if (reason != Reason.APPROVED) {
            declined(key, PosKind.REFUND, terminal, merchant, reason, out);
            return;
        }
        final int card = cardIndex;
        final long pointsPart = refundPart(log.points(original), log.refundedPoints(original), amount, original);
        final long pointsValuePart = refundPart(log.pointsValue(original), log.refundedPointsValue(original), amount, original);
        final long feePart = refundFee(merchant, original, amount);
        final long sharePart = shareOfFeePart(original, feePart);

        final long receivablePart = refundEffect(card, merchant.index(), amount, cardPart, discountPart, pointsValuePart,
                pointsPart, 0, +1);
        terminal.addCredit(amount, 1);
        merchant.accrue(-feePart, -sharePart);
        log.addRefund(original, amount, cardPart, discountPart, feePart, sharePart, pointsPart, pointsValuePart);

        final int slot = record(key, PosKind.REFUND, terminal, merchant, Reason.APPROVED, out);
        log.money(slot, amount, cardPart, discountPart, -feePart, -sharePart, -pointsPart, -pointsValuePart);
        log.linked(slot, log.rrn(original));
        log.receivablePart(slot, receivablePart);
        approvedAnswer(slot, card, out);
        fillMoney(out, cardPart, discountPart, -feePart, -pointsPart);
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

    /**
     * A refund (+1): the merchant gives back {@code amount}; the card gets its part, the operator the
     * discount; returns the part booked to the merchant's receivable. Undone (-1) as the exact mirror.
     */
    private long refundEffect(final int card, final int merchantIndex, final long amount, final long cardPart,
            final long discountPart, final long pointsValuePart, final long pointsPart, final long receivablePart,
            final int direction) {
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

    private void voidTransaction(final long key, final PosKind kind, final Terminal terminal, final Merchant merchant,
            final Outcome out) {
        Reason reason = checkMessage(true);
        final long originalKey = TransactionLog.key(terminal.index(), req.originalBatch(), req.originalStan());
        final int original = validNumber(req.originalBatch()) && validNumber(req.originalStan())
                ? log.slotOfKey(originalKey) : -1;
        if (reason == Reason.APPROVED) {
            reason = checkVoidable(original, voidedKind(kind), terminal);
        }
        if (reason == Reason.APPROVED && req.amount() != log.amount(original)) {
            reason = Reason.VOID_AMOUNT_DIFFERS;
        }
        if (reason == Reason.APPROVED) {
            cardIndex = liveCardOf(log.card(original));
            cardType = s.cardTypes[cards.cardType(cardIndex)];
            reason = undoCheck(original);
        }
        if (reason != Reason.APPROVED) {
            declined(key, kind, terminal, merchant, reason, out);
            return;
        }
        final int card = cardIndex;
        undo(original, card, terminal, merchant);
        log.mark(original, TransactionLog.VOIDED);
        final int slot = record(key, kind, terminal, merchant, Reason.APPROVED, out);
        log.money(slot, log.amount(original), log.cardAmount(original), log.discount(original), log.fee(original),
                log.share(original), log.points(original), log.pointsValue(original));
        log.hold(slot, log.hold(original));
        log.linked(slot, log.rrn(original));
        log.linked(original, log.rrn(slot));
        approvedAnswer(slot, card, out);
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

    /** The card that now holds a card's value: itself, or the replacement it was moved to. */
    private int liveCardOf(final int card) {
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

    // ================================================================== undo / redo (voids and reversals)

    /** Whether an approved transaction can be undone now: the card can take the money back or give it. */
    private Reason undoCheck(final int original) {
        final int card = cardIndex;
        final Reason status = checkCardForCredit(card);
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
                spendEffect(card, merchant.index(), amount, log.cardAmount(original), log.discount(original),
                        log.pointsValue(original), log.points(original), -1);
                addVelocity(card, amount, -1, log.day(original));
                terminal.addDebit(-amount, -1);
                merchant.accrue(-log.fee(original), -log.share(original));
                break;
            case RECHARGE:
                rechargeEffect(card, merchant.index(), amount, log.receivablePart(original), -1);
                terminal.addCredit(-amount, -1);
                break;
            case REFUND: {
                refundEffect(card, merchant.index(), amount, log.cardAmount(original), log.discount(original),
                        -log.pointsValue(original), -log.points(original), log.receivablePart(original), -1);
                terminal.addCredit(-amount, -1);
                merchant.accrue(-log.fee(original), -log.share(original));
                final int purchase = log.slotOfRrn(log.linked(original));
                if (purchase >= 0) {
                    log.addRefund(purchase, -amount, -log.cardAmount(original), -log.discount(original),
                            log.fee(original), log.share(original), log.points(original), log.pointsValue(original));
                }
                break;
            }
            case PREAUTH: {
                final int hold = log.hold(original);
                holdEffect(card, holds.amount(hold), -1);
                addVelocity(card, amount, -1, log.day(original));
                holds.close(hold, HoldTable.REVERSED, log.rrn(original), s.businessDay);
                break;
            }
            case PREAUTH_CANCEL: {
                final int hold = log.hold(original);
                holdEffect(card, holds.amount(hold), +1);
                final int preauth = log.slotOfRrn(holds.preauthRrn(hold));
                if (preauth >= 0) {
                    addVelocity(card, holds.amount(hold), +1, log.day(preauth));
                }
                holds.reopen(hold);
                break;
            }
            case COMPLETION: {
                final int hold = log.hold(original);
                completionEffect(card, merchant.index(), holds.amount(hold), amount, log.pointsValue(original),
                        log.points(original), -1);
                terminal.addDebit(-amount, -1);
                merchant.accrue(-log.fee(original), -log.share(original));
                holds.reopen(hold);
                break;
            }
            default:
                break;
        }
    }

    // ================================================================== reversal

    private void reverse(final Terminal terminal, final Merchant merchant, final Outcome out) {
        final PosKind originalKind = req.originalKind();
        if (originalKind == null || !originalKind.recorded || originalKind == PosKind.REVERSAL) {
            out.reason = Reason.UNSUPPORTED_TRANSACTION;
            return;
        }
        if (!validNumber(req.batch()) || !validNumber(req.stan())) {
            out.reason = Reason.INVALID_BATCH_OR_STAN;
            return;
        }
        final long key = TransactionLog.key(terminal.index(), req.batch(), req.stan());
        final int original = log.slotOfKey(key);
        if (original < 0) {
            // Never seen: remember it, so the original is declined if it arrives late (pos-iso8583 §4).
            final int slot = log.append(key, originalKind, s.businessDay);
            log.parties(slot, terminal.index(), merchant.index(), -1, requestPanKey(), req.batch());
            log.amount(slot, requestAmount(originalKind));
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
        if (log.kind(original) != originalKind || log.amount(original) != requestAmount(originalKind)
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
        cardIndex = originalCard < 0 ? -1 : liveCardOf(originalCard);
        if (cardIndex >= 0) {
            cardType = s.cardTypes[cards.cardType(cardIndex)];
            final Reason reason = isVoid(originalKind) ? redoCheck(original) : undoCheck(original);
            if (reason != Reason.APPROVED) {
                out.reason = reason;
                return;
            }
        }
        if (isVoid(originalKind)) {
            redo(original, terminal, merchant);
        } else {
            undo(original, cardIndex, terminal, merchant);
        }
        log.mark(original, TransactionLog.REVERSED);
        if (cardIndex >= 0) {
            out.availableBalance = cards.available(cardIndex);
            out.ledgerBalance = cards.ledgerBalance(cardIndex);
            out.issuerInstitutionId = issuerIdOf(cards.cardType(cardIndex));
        }
    }

    private static boolean isVoid(final PosKind kind) {
        return kind == PosKind.PURCHASE_VOID || kind == PosKind.RECHARGE_VOID || kind == PosKind.COMPLETION_VOID;
    }

    /** Whether a void can be reversed: the voided transaction's effect can be applied again. */
    private Reason redoCheck(final int voidSlot) {
        final int voided = log.slotOfRrn(log.linked(voidSlot));
        if (voided < 0) {
            return Reason.ORIGINAL_NOT_FOUND;
        }
        final Reason status = checkCardForCredit(cardIndex);
        if (status != Reason.APPROVED) {
            return status;
        }
        switch (log.kind(voided)) {
            case PURCHASE:
                return cards.available(cardIndex) < log.cardAmount(voided) ? Reason.INSUFFICIENT_BALANCE : Reason.APPROVED;
            case RECHARGE:
                return cards.ledgerBalance(cardIndex) + log.amount(voided) > s.balanceCap(cardType)
                        ? Reason.BALANCE_CAP_EXCEEDED : Reason.APPROVED;
            default: {
                final int hold = log.hold(voided);
                return holds.state(hold) != HoldTable.OPEN ? Reason.PREAUTH_NOT_OPEN : Reason.APPROVED;
            }
        }
    }

    /** Reverses a void: the voided transaction takes effect again. */
    private void redo(final int voidSlot, final Terminal terminal, final Merchant merchant) {
        final int voided = log.slotOfRrn(log.linked(voidSlot));
        final int card = cardIndex;
        final long amount = log.amount(voided);
        switch (log.kind(voided)) {
            case PURCHASE:
                spendEffect(card, merchant.index(), amount, log.cardAmount(voided), log.discount(voided),
                        log.pointsValue(voided), log.points(voided), +1);
                addVelocity(card, amount, +1, log.day(voided));
                terminal.addDebit(amount, 1);
                merchant.accrue(log.fee(voided), log.share(voided));
                break;
            case RECHARGE:
                log.receivablePart(voided, rechargeEffect(card, merchant.index(), amount, 0, +1));
                terminal.addCredit(amount, 1);
                break;
            default: {
                final int hold = log.hold(voided);
                completionEffect(card, merchant.index(), holds.amount(hold), amount, log.pointsValue(voided),
                        log.points(voided), +1);
                terminal.addDebit(amount, 1);
                merchant.accrue(log.fee(voided), log.share(voided));
                holds.close(hold, HoldTable.COMPLETED, log.rrn(voided), s.businessDay);
                break;
            }
        }
        log.unmark(voided, TransactionLog.VOIDED);
        log.linked(voided, 0);
    }
}
