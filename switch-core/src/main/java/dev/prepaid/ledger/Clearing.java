package dev.prepaid.ledger;

import static dev.prepaid.ledger.AdminProcessor.fail;

import dev.prepaid.card.CardStatus;
import dev.prepaid.card.CardStore;
import dev.prepaid.card.CardType;
import dev.prepaid.card.Pan;
import dev.prepaid.clearing.ExportedFiles;
import dev.prepaid.clearing.Payee;
import dev.prepaid.clearing.SettlementBatch;
import dev.prepaid.command.AdminCommand.*;
import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.Reason;
import dev.prepaid.merchant.Deployer;
import dev.prepaid.merchant.Merchant;
import dev.prepaid.merchant.SettlementCycle;
import dev.prepaid.operator.Operator;
import dev.prepaid.operator.Role;
import dev.prepaid.time.CivilDate;
import dev.prepaid.txn.HoldTable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Money that needs a second operator (manual adjustments, balance transfers, settlement batches), merchant
 * settlement (domain-rules §5), payouts and their bank results, and the switch's time commands: the
 * business-day cut-over (which posts the day's merchant fees and deployer shares) and hold expiry.
 */
final class Clearing {
    private final LedgerState s;
    private final CardStore cards;
    private final GeneralLedger books;
    private final CardDesk cardDesk;
    private final PosProcessor pos;

    Clearing(final LedgerState state, final CardDesk cardDesk, final PosProcessor pos) {
        this.s = state;
        this.cards = state.cards;
        this.books = state.books;
        this.cardDesk = cardDesk;
        this.pos = pos;
    }

    // ================================================================== maker-checker

    private int waitingCount() {
        int n = 0;
        for (final PendingRequest p : s.pending.values()) {
            if (p.state() == PendingRequest.WAITING) {
                n++;
            }
        }
        return n;
    }

    private boolean roomForPending(final Outcome out) {
        if (waitingCount() >= s.config.maxPendingRequests()) {
            fail(out, Reason.CAPACITY_REACHED, "at most " + s.config.maxPendingRequests() + " requests may wait for approval");
            return false;
        }
        return true;
    }

    private void addPending(final Operator maker, final AdminCommand request, final Outcome out) {
        final long id = s.nextPendingId++;
        s.pending.put(id, new PendingRequest(id, maker.operatorId(), s.businessDay, request));
        out.value1 = id;
    }

    void requestAdjustment(final Operator operator, final RequestAdjustment c, final Outcome out) {
        if (!checkAdjustment(operator, c, out) || !roomForPending(out)) {
            return;
        }
        addPending(operator, c, out);
    }

    /** Every rule of an adjustment, checked when it is requested and again when it is approved. */
    private boolean checkAdjustment(final Operator operator, final RequestAdjustment c, final Outcome out) {
        if (c.target() == null || c.counter() == null) {
            fail(out, Reason.INVALID_ARGUMENT, "target and counter are required");
            return false;
        }
        if (c.amount() == 0) {
            fail(out, Reason.INVALID_ARGUMENT, "amount must not be zero (positive credits, negative debits)");
            return false;
        }
        if (c.target() == AdjustmentTarget.CARD) {
            if (c.counter() == CounterAccount.FEE_INCOME) {
                fail(out, Reason.INVALID_ARGUMENT, "a card adjustment is against CUSTODY or PROMOTION_EXPENSE");
                return false;
            }
            final int card = cardDesk.card(c.targetId(), out);
            if (card < 0) {
                return false;
            }
            final CardStatus status = cards.status(card);
            if (status.terminal() || status == CardStatus.GENERATED) {
                fail(out, Reason.ILLEGAL_TRANSITION, "card " + Pan.masked(cards.panKey(card)) + " is " + status);
                return false;
            }
            if (c.amount() < 0 && cards.available(card) < -c.amount()) {
                fail(out, Reason.ADJUSTMENT_WOULD_GO_NEGATIVE, "available " + cards.available(card) + " fen");
                return false;
            }
            final CardType type = s.cardTypes[cards.cardType(card)];
            if (c.amount() > 0 && cards.ledgerBalance(card) + c.amount() > s.balanceCap(type)) {
                fail(out, Reason.BALANCE_CAP_EXCEEDED, "cap " + s.balanceCap(type) + " fen");
                return false;
            }
            return true;
        }
        final Merchant merchant = s.merchant(c.targetId());
        if (merchant == null) {
            fail(out, Reason.MERCHANT_NOT_FOUND, "merchant '" + c.targetId() + "'");
            return false;
        }
        return AdminProcessor.inScope(operator, c.targetId(), out);
    }

    void requestTransfer(final Operator operator, final RequestBalanceTransfer c, final Outcome out) {
        if (!checkTransfer(c, out) || !roomForPending(out)) {
            return;
        }
        addPending(operator, c, out);
    }

    private boolean checkTransfer(final RequestBalanceTransfer c, final Outcome out) {
        final int from = cardDesk.card(c.fromPan(), out);
        if (from < 0) {
            return false;
        }
        final int to = cardDesk.card(c.toPan(), out);
        if (to < 0) {
            return false;
        }
        if (from == to) {
            fail(out, Reason.SAME_CARD, "source and target are the same card");
            return false;
        }
        final CardStatus fromStatus = cards.status(from);
        if (fromStatus != CardStatus.ACTIVE && fromStatus != CardStatus.FROZEN && fromStatus != CardStatus.LOST) {
            fail(out, Reason.ILLEGAL_TRANSITION, "source card is " + fromStatus);
            return false;
        }
        if (cards.status(to) != CardStatus.ACTIVE) {
            fail(out, Reason.ILLEGAL_TRANSITION, "target card is " + cards.status(to) + "; it must be active");
            return false;
        }
        final long amount = c.amount() < 0 ? cards.available(from) : c.amount();
        if (amount == 0) {
            fail(out, Reason.INVALID_ARGUMENT, "nothing to transfer (amount 0 or empty card)");
            return false;
        }
        if (cards.available(from) < amount) {
            fail(out, Reason.INSUFFICIENT_BALANCE, "source card has " + cards.available(from) + " fen available");
            return false;
        }
        final CardType toType = s.cardTypes[cards.cardType(to)];
        if (cards.ledgerBalance(to) + amount > s.balanceCap(toType)) {
            fail(out, Reason.BALANCE_CAP_EXCEEDED, "target card's cap is " + s.balanceCap(toType) + " fen");
            return false;
        }
        return true;
    }

    private PendingRequest waiting(final long id, final Outcome out) {
        final PendingRequest request = s.pending.get(id);
        if (request == null) {
            fail(out, Reason.PENDING_NOT_FOUND, "request " + id);
            return null;
        }
        if (request.state() != PendingRequest.WAITING) {
            fail(out, Reason.PENDING_ALREADY_DECIDED, "request " + id + " was "
                    + (request.state() == PendingRequest.APPROVED ? "approved" : "rejected") + " by " + request.checker());
            return null;
        }
        return request;
    }

    private static boolean mayDecide(final Operator checker, final PendingRequest request, final Outcome out) {
        final Role needed = request.isSettlement() ? Role.FINANCE : Role.SUPERVISOR;
        if (checker.role() != needed && checker.role() != Role.SYSTEM) {
            fail(out, Reason.ROLE_NOT_PERMITTED, "this request needs a " + needed + " to decide it");
            return false;
        }
        return true;
    }

    void approve(final Operator checker, final long id, final Outcome out) {
        final PendingRequest request = waiting(id, out);
        if (request == null || !mayDecide(checker, request, out)) {
            return;
        }
        if (request.maker().equals(checker.operatorId())) {
            fail(out, Reason.APPROVER_IS_MAKER, "request " + id + " was made by " + request.maker());
            return;
        }
        final AdminCommand command = request.request();
        final Operator maker = s.operator(request.maker());
        final Operator scope = maker == null ? checker : maker;
        // A pending request is one of three kinds: an adjustment, a transfer, or a settlement batch (no command).
        if (command instanceof RequestAdjustment adjustment) {
            if (!checkAdjustment(scope, adjustment, out)) {
                return;
            }
            applyAdjustment(adjustment, out);
        } else if (command instanceof RequestBalanceTransfer transfer) {
            if (!checkTransfer(transfer, out)) {
                return;
            }
            applyTransfer(transfer, out);
        } else if (!approveSettlement(s.settlements.get(id), out)) {
            return;
        }
        request.decide(PendingRequest.APPROVED, checker.operatorId());
        out.value1 = id;
    }

    void reject(final Operator checker, final long id, final Outcome out) {
        final PendingRequest request = waiting(id, out);
        if (request == null) {
            return;
        }
        if (!request.maker().equals(checker.operatorId()) && !mayDecide(checker, request, out)) {
            return;
        }
        request.decide(PendingRequest.REJECTED, checker.operatorId());
        if (request.isSettlement()) {
            s.settlements.get(id).state(SettlementBatch.REJECTED);
        }
        out.value1 = id;
    }

    private static Account counterAccount(final CounterAccount counter) {
        switch (counter) {
            case PROMOTION_EXPENSE:
                return Account.PROMOTION_EXPENSE;
            case FEE_INCOME:
                return Account.FEE_INCOME;
            default:
                return Account.CUSTODY;
        }
    }

    /**
     * Books an approved adjustment. When the other side is not custody, the operator moves the same amount
     * between its own account and custody, so custody keeps covering what cards and merchants are owed.
     */
    private void applyAdjustment(final RequestAdjustment c, final Outcome out) {
        final Account counter = counterAccount(c.counter());
        final long amount = Math.abs(c.amount());
        final boolean credit = c.amount() > 0;
        final GeneralLedger g = books.begin(s.businessDay);
        if (c.target() == AdjustmentTarget.CARD) {
            final int card = s.resolveCard(c.targetId());
            if (credit) {
                g.debit(counter, -1, amount).credit(Account.CARD_VALUE, card, amount);
            } else {
                g.debit(Account.CARD_VALUE, card, amount).credit(counter, -1, amount);
            }
            fund(g, counter, amount, credit);
            g.commit();
            out.availableBalance = cards.available(card);
            out.ledgerBalance = cards.ledgerBalance(card);
        } else {
            final Merchant merchant = s.merchant(c.targetId());
            if (credit) {
                g.debit(counter, -1, amount).credit(Account.MERCHANT_PAYABLE, merchant.index(), amount);
            } else {
                merchantOut(g, merchant.index(), amount);
                g.credit(counter, -1, amount);
            }
            fund(g, counter, amount, credit);
            g.commit();
        }
    }

    private static void fund(final GeneralLedger g, final Account counter, final long amount, final boolean intoCustody) {
        if (counter == Account.CUSTODY) {
            return;
        }
        if (intoCustody) {
            g.debit(Account.CUSTODY, -1, amount).credit(Account.OPERATOR_BANK, -1, amount);
        } else {
            g.debit(Account.OPERATOR_BANK, -1, amount).credit(Account.CUSTODY, -1, amount);
        }
    }

    private void merchantOut(final GeneralLedger g, final int merchant, final long amount) {
        final long fromPayable = Math.min(s.merchants[merchant].payable(), amount);
        g.debit(Account.MERCHANT_PAYABLE, merchant, fromPayable).debit(Account.MERCHANT_RECEIVABLE, merchant, amount - fromPayable);
    }

    private void applyTransfer(final RequestBalanceTransfer c, final Outcome out) {
        final int from = s.resolveCard(c.fromPan());
        final int to = s.resolveCard(c.toPan());
        final long amount = c.amount() < 0 ? cards.available(from) : c.amount();
        books.begin(s.businessDay).debit(Account.CARD_VALUE, from, amount).credit(Account.CARD_VALUE, to, amount).commit();
        out.cardAmount = amount;
        out.availableBalance = cards.available(to);
        out.ledgerBalance = cards.ledgerBalance(to);
    }

    // ================================================================== settlement

    /**
     * What a merchant is due today: everything it is owed (payable − receivable) minus the activity of days
     * that its cycle does not pay yet. A negative result is carried forward: it simply stays on the books.
     */
    long dueToday(final Merchant merchant) {
        final long net = merchant.payable() - merchant.receivable();
        final SettlementCycle cycle = merchant.profile().cycle();
        if (cycle == SettlementCycle.THRESHOLD) {
            return net >= merchant.profile().thresholdFen() ? net : 0;
        }
        if (cycle == SettlementCycle.THRESHOLD_OR_T_PLUS_N && net >= merchant.profile().thresholdFen()) {
            return net;
        }
        // Days not yet due that were negative (refunds, recharges) are already in the net: never pay more
        // than is owed.
        return Math.max(0, net - Math.max(0, notYetDue(merchant, false)));
    }

    /**
     * The recharge cash kept apart that is collected from a merchant today: its recharge-cash receivable minus the
     * recharges of the days its cycle does not settle yet — the same days as its purchases (T+N, weekly, monthly);
     * a threshold cycle's threshold is about paying the merchant, so its recharge cash is collected as T+1.
     */
    long collectionDueToday(final Merchant merchant) {
        return Math.max(0, merchant.rechargeReceivable() - Math.max(0, notYetDue(merchant, true)));
    }

    /** The activity (or, with {@code recharges}, the recharge cash kept apart) of the days the cycle does not pay yet. */
    private long notYetDue(final Merchant merchant, final boolean recharges) {
        final SettlementCycle cycle = merchant.profile().cycle();
        if (cycle == SettlementCycle.WEEKLY || cycle == SettlementCycle.MONTHLY) {
            return notYetDueOfPeriod(merchant, recharges);
        }
        final int n = cycle == SettlementCycle.THRESHOLD ? 1 : merchant.profile().cycleDays();
        long notDue = 0;
        for (int day = s.businessDay; day > s.businessDay - Merchant.DAY_BUCKETS; day--) {
            if (s.calendar.workingDaysAfter(day, s.businessDay) >= n) {
                break;
            }
            notDue += recharges ? merchant.rechargeActivityOn(day) : merchant.activityOn(day);
        }
        return notDue;
    }

    /**
     * A weekly or monthly merchant's activity that its cycle does not pay yet: that of its last payout day (on or
     * before today) and of every business day since. Everything before the last payout day is due — also when no
     * settlement was prepared on that day, so a missed run is caught up on the next working day, as T+N does. Settlement
     * runs on working days, and a working day is at the latest its own period's payout day, so there always is one;
     * without one (not reachable from PrepareSettlement) nothing kept is due.
     */
    private long notYetDueOfPeriod(final Merchant merchant, final boolean recharges) {
        final int param = merchant.profile().cycleDays();
        final int payout = merchant.profile().cycle() == SettlementCycle.WEEKLY
                ? s.calendar.lastWeeklyPayout(param, s.businessDay)
                : s.calendar.lastMonthlyPayout(param, s.businessDay);
        final int from = payout < 0 ? s.businessDay - Merchant.DAY_BUCKETS + 1 : payout;
        long notDue = 0;
        for (int day = from; day <= s.businessDay; day++) {
            notDue += recharges ? merchant.rechargeActivityOn(day) : merchant.activityOn(day);
        }
        return notDue;
    }

    void prepareSettlement(final Operator operator, final Outcome out) {
        if (s.businessDay == 0) {
            fail(out, Reason.BUSINESS_DAY_NOT_OPEN, "run a cut-over first");
            return;
        }
        if (!reconciled(out)) {
            return;
        }
        if (!s.calendar.isWorkingDay(s.businessDay)) {
            fail(out, Reason.NOT_A_WORKING_DAY, CivilDate.iso(s.businessDay) + " is not a working day");
            return;
        }
        for (final SettlementBatch batch : s.settlements.values()) {
            if (batch.state() == SettlementBatch.PREPARED) {
                fail(out, Reason.SETTLEMENT_ALREADY_PREPARED, "batch " + batch.id() + " waits for approval or rejection");
                return;
            }
        }
        if (!roomForPending(out) || !booksAddUp(out)) {
            return;
        }
        final List<int[]> lines = new ArrayList<>();
        final List<long[]> amounts = new ArrayList<>();
        for (int m = 0; m < s.merchantCount; m++) {
            final Merchant merchant = s.merchants[m];
            // A review holds what the operator pays the merchant, not the recharge cash the merchant owes.
            final long due = merchant.underReview() ? 0 : dueToday(merchant);
            final long collect = collectionDueToday(merchant);
            if (due > 0 || collect > 0) {
                lines.add(new int[] {m});
                amounts.add(new long[] {due, due > 0 ? merchant.receivable() : 0, collect});
            }
        }
        // Deployers are paid what they are owed: their shares are posted at the cut-overs, so all of it is of days
        // that are closed. A negative balance (shares given back) is carried forward.
        int deployerLines = 0;
        for (int d = 0; d < s.deployerCount; d++) {
            deployerLines += s.deployers[d].payable() > 0 ? 1 : 0;
        }
        if (lines.isEmpty() && deployerLines == 0) {
            fail(out, Reason.NOTHING_TO_SETTLE, "no merchant is due a payout on " + CivilDate.iso(s.businessDay));
            return;
        }
        final int n = lines.size();
        final int[] merchantIndex = new int[n];
        final long[] amount = new long[n];
        final long[] receivable = new long[n];
        // The payee is frozen now: the approver approves paying these accounts, and a merchant update before or
        // after approval changes the next batch, never this one.
        final Payee[] payee = new Payee[n];
        final long[] collection = new long[n];
        for (int i = 0; i < n; i++) {
            merchantIndex[i] = lines.get(i)[0];
            amount[i] = amounts.get(i)[0];
            receivable[i] = amounts.get(i)[1];
            collection[i] = amounts.get(i)[2];
            payee[i] = Payee.of(s.merchants[merchantIndex[i]].profile());
        }
        final long id = s.nextPendingId++;
        final SettlementBatch batch = new SettlementBatch(id, s.businessDay, operator.operatorId(), merchantIndex, amount,
                receivable, payee, collection);
        if (deployerLines > 0) {
            final int[] deployer = new int[deployerLines];
            final long[] owed = new long[deployerLines];
            final Payee[] payees = new Payee[deployerLines];
            for (int d = 0, i = 0; d < s.deployerCount; d++) {
                if (s.deployers[d].payable() > 0) {
                    deployer[i] = d;
                    owed[i] = s.deployers[d].payable();
                    payees[i++] = Payee.of(s.deployers[d].profile());
                }
            }
            batch.deployerLines(deployer, owed, payees);
        }
        s.pending.put(id, new PendingRequest(id, operator.operatorId(), s.businessDay, null));
        s.settlements.put(id, batch);
        out.value1 = id;
        out.value2 = batch.total();
    }

    private boolean approveSettlement(final SettlementBatch batch, final Outcome out) {
        if (!booksAddUp(out) || !reconciled(out)) {
            return false;
        }
        for (int i = 0; i < batch.lines(); i++) {
            final Merchant merchant = s.merchants[batch.merchant(i)];
            if (merchant.rechargeReceivable() < batch.collection(i)) {
                fail(out, Reason.SETTLEMENT_STALE, "merchant " + merchant.profile().merchantId() + " owes "
                        + merchant.rechargeReceivable() + " fen of recharge cash, less than the " + batch.collection(i)
                        + " prepared; reject this batch and prepare again");
                return false;
            }
            if (batch.amount(i) == 0) {
                continue;
            }
            if (merchant.underReview()) {
                fail(out, Reason.SETTLEMENT_STALE, "merchant " + merchant.profile().merchantId() + " went under review; prepare again");
                return false;
            }
            if (merchant.receivable() != batch.receivableCleared(i)
                    || merchant.payable() - merchant.receivable() < batch.amount(i)) {
                fail(out, Reason.SETTLEMENT_STALE, "merchant " + merchant.profile().merchantId()
                        + " no longer has the prepared amount; reject this batch and prepare again");
                return false;
            }
        }
        for (int i = 0; i < batch.deployerLines(); i++) {
            final Deployer deployer = s.deployers[batch.deployer(i)];
            if (deployer.payable() < batch.deployerAmount(i)) {
                fail(out, Reason.SETTLEMENT_STALE, "deployer " + deployer.profile().code() + " is owed "
                        + deployer.payable() + " fen, less than the " + batch.deployerAmount(i)
                        + " prepared; reject this batch and prepare again");
                return false;
            }
        }
        for (int i = 0; i < batch.deployerLines(); i++) {
            // A deployer's share is the operator's expense, not cardholder money: the operator funds the payout into
            // custody (Dr 1001 / Cr 1002), which pays it with the merchants' payouts.
            final long paid = batch.deployerAmount(i);
            books.begin(s.businessDay).settlement()
                    .debit(Account.DEPLOYER_PAYABLE, batch.deployer(i), paid)
                    .credit(Account.CLEARING_IN_TRANSIT, -1, paid)
                    .debit(Account.CUSTODY, -1, paid)
                    .credit(Account.OPERATOR_BANK, -1, paid)
                    .commit();
            batch.deployerResult(i, SettlementBatch.LINE_SENT, "");
        }
        for (int i = 0; i < batch.lines(); i++) {
            final int m = batch.merchant(i);
            final long paid = batch.amount(i);
            final long netted = batch.receivableCleared(i);
            if (paid > 0) {
                books.begin(s.businessDay).settlement()
                        .debit(Account.MERCHANT_PAYABLE, m, paid + netted)
                        .credit(Account.MERCHANT_RECEIVABLE, m, netted)
                        .credit(Account.CLEARING_IN_TRANSIT, -1, paid)
                        .commit();
                batch.lineResult(i, SettlementBatch.LINE_SENT, "");
            } else {
                batch.lineResult(i, SettlementBatch.LINE_NONE, "");
            }
            final long collect = batch.collection(i);
            if (collect > 0) {
                // The recharge cash is on its way to custody: in transit until the bank confirms it arrived.
                books.begin(s.businessDay).settlement()
                        .debit(Account.CLEARING_IN_TRANSIT, -1, collect)
                        .credit(Account.MERCHANT_RECEIVABLE, m | Merchant.RECHARGE_CASH, collect)
                        .commit();
                batch.collectionResult(i, SettlementBatch.COLLECTION_SENT, "");
            }
        }
        batch.state(SettlementBatch.APPROVED);
        out.value2 = batch.total();
        return true;
    }

    void recordPayout(final RecordPayoutResult c, final Outcome out) {
        final SettlementBatch batch = s.settlements.get(c.settlementId());
        if (batch == null) {
            fail(out, Reason.SETTLEMENT_NOT_FOUND, "settlement " + c.settlementId());
            return;
        }
        if (batch.state() != SettlementBatch.APPROVED) {
            fail(out, Reason.ILLEGAL_TRANSITION, "settlement " + c.settlementId() + " is not approved");
            return;
        }
        final Merchant merchant = s.merchant(c.merchantId());
        if (merchant == null && s.deployer(c.merchantId()) != null) {
            recordDeployerPayout(batch, s.deployer(c.merchantId()), c, out);
            return;
        }
        final int line = merchant == null ? -1 : batch.lineOf(merchant.index());
        if (line < 0 || batch.lineState(line) == SettlementBatch.LINE_NONE) {
            fail(out, Reason.PAYOUT_NOT_IN_BATCH, "merchant '" + c.merchantId() + "' in settlement " + c.settlementId());
            return;
        }
        if (batch.lineState(line) != SettlementBatch.LINE_SENT) {
            fail(out, Reason.PAYOUT_ALREADY_RECORDED, "payout to " + c.merchantId() + " is "
                    + (batch.lineState(line) == SettlementBatch.LINE_PAID ? "paid" : "failed"));
            return;
        }
        if (!bankReference(c.bankReference(), out)) {
            return;
        }
        final long amount = batch.amount(line);
        final GeneralLedger g = books.begin(s.businessDay).settlement().debit(Account.CLEARING_IN_TRANSIT, -1, amount);
        if (c.success()) {
            g.credit(Account.CUSTODY, -1, amount);
        } else {
            g.credit(Account.MERCHANT_PAYABLE, merchant.index(), amount);
        }
        g.commit();
        batch.lineResult(line, c.success() ? SettlementBatch.LINE_PAID : SettlementBatch.LINE_FAILED, c.bankReference());
        out.value1 = amount;
    }

    /**
     * The bank's answer to a deployer's payout (RECORD_PAYOUT_RESULT naming the deployer's code, the payee id of its
     * line in the payout files): paid out of custody, or owed to it again — and then the operator takes back from
     * custody what it funded.
     */
    private void recordDeployerPayout(final SettlementBatch batch, final Deployer deployer, final RecordPayoutResult c,
            final Outcome out) {
        final int line = batch.deployerLineOf(deployer.index());
        if (line < 0) {
            fail(out, Reason.PAYOUT_NOT_IN_BATCH, "deployer '" + c.merchantId() + "' in settlement " + c.settlementId());
            return;
        }
        if (batch.deployerState(line) != SettlementBatch.LINE_SENT) {
            fail(out, Reason.PAYOUT_ALREADY_RECORDED, "payout to deployer " + c.merchantId() + " is "
                    + (batch.deployerState(line) == SettlementBatch.LINE_PAID ? "paid" : "failed"));
            return;
        }
        if (!bankReference(c.bankReference(), out)) {
            return;
        }
        final long amount = batch.deployerAmount(line);
        final GeneralLedger g = books.begin(s.businessDay).settlement().debit(Account.CLEARING_IN_TRANSIT, -1, amount);
        if (c.success()) {
            g.credit(Account.CUSTODY, -1, amount);
        } else {
            g.credit(Account.DEPLOYER_PAYABLE, deployer.index(), amount)
                    .debit(Account.OPERATOR_BANK, -1, amount).credit(Account.CUSTODY, -1, amount);
        }
        g.commit();
        batch.deployerResult(line, c.success() ? SettlementBatch.LINE_PAID : SettlementBatch.LINE_FAILED, c.bankReference());
        out.value1 = amount;
    }

    /** The bank's answer to a collection of recharge cash: in custody (success), or owed again (failure). */
    void recordCollection(final RecordCollectionResult c, final Outcome out) {
        final SettlementBatch batch = s.settlements.get(c.settlementId());
        if (batch == null) {
            fail(out, Reason.SETTLEMENT_NOT_FOUND, "settlement " + c.settlementId());
            return;
        }
        if (batch.state() != SettlementBatch.APPROVED) {
            fail(out, Reason.ILLEGAL_TRANSITION, "settlement " + c.settlementId() + " is not approved");
            return;
        }
        final Merchant merchant = s.merchant(c.merchantId());
        final int line = merchant == null ? -1 : batch.lineOf(merchant.index());
        if (line < 0 || batch.collection(line) == 0) {
            fail(out, Reason.COLLECTION_NOT_IN_BATCH, "merchant '" + c.merchantId() + "' in settlement " + c.settlementId());
            return;
        }
        if (batch.collectionState(line) != SettlementBatch.COLLECTION_SENT) {
            fail(out, Reason.COLLECTION_ALREADY_RECORDED, "collection from " + c.merchantId() + " is "
                    + (batch.collectionState(line) == SettlementBatch.COLLECTED ? "collected" : "failed"));
            return;
        }
        if (!bankReference(c.bankReference(), out)) {
            return;
        }
        final long amount = batch.collection(line);
        final GeneralLedger g = books.begin(s.businessDay).settlement();
        if (c.success()) {
            g.debit(Account.CUSTODY, -1, amount);
        } else {
            g.debit(Account.MERCHANT_RECEIVABLE, merchant.index() | Merchant.RECHARGE_CASH, amount);
        }
        g.credit(Account.CLEARING_IN_TRANSIT, -1, amount).commit();
        batch.collectionResult(line, c.success() ? SettlementBatch.COLLECTED : SettlementBatch.COLLECTION_FAILED,
                c.bankReference());
        out.value1 = amount;
    }

    /**
     * Records the payout files made of an approved batch. The same files again (an export re-run, a retry) change
     * nothing; other files for a batch that has some are refused: the bank may already hold the first ones, and a
     * second set under the same payment ids is what a double payment looks like.
     */
    void recordPayoutFiles(final Operator operator, final RecordPayoutFiles c, final Outcome out) {
        final SettlementBatch batch = s.settlements.get(c.settlementId());
        if (batch == null) {
            fail(out, Reason.SETTLEMENT_NOT_FOUND, "settlement " + c.settlementId());
            return;
        }
        if (batch.state() != SettlementBatch.APPROVED) {
            fail(out, Reason.ILLEGAL_TRANSITION, "settlement " + c.settlementId() + " is not approved; only an approved"
                    + " batch is paid from files");
            return;
        }
        if (!fileName(c.painFile()) || !fileName(c.neutralFile()) || c.painFile().equals(c.neutralFile())) {
            fail(out, Reason.INVALID_ARGUMENT, "painFile and neutralFile are two file names (no directory), got '"
                    + c.painFile() + "' and '" + c.neutralFile() + "'");
            return;
        }
        if (!sha256(c.painSha256()) || !sha256(c.neutralSha256())) {
            fail(out, Reason.INVALID_ARGUMENT, "painSha256 and neutralSha256 are 64 lower-case hex digits");
            return;
        }
        if (c.createdAtMillis() <= 0 || c.createdAtMillis() % 1000 != 0) {
            fail(out, Reason.INVALID_ARGUMENT, "createdAtMillis is a positive time in whole seconds, got "
                    + c.createdAtMillis());
            return;
        }
        final ExportedFiles files = new ExportedFiles(c.createdAtMillis(), c.painFile(), c.painSha256(), c.neutralFile(),
                c.neutralSha256(), operator.operatorId());
        final ExportedFiles recorded = batch.exported();
        if (recorded != null) {
            if (sameFiles(recorded, files)) {
                out.value1 = 0;
                return;
            }
            fail(out, Reason.ILLEGAL_TRANSITION, "settlement " + c.settlementId() + " has its files already: "
                    + recorded.painFile() + " " + recorded.painSha256() + ", " + recorded.neutralFile() + " "
                    + recorded.neutralSha256());
            return;
        }
        batch.exported(files);
        out.value1 = 1;
    }

    /** A bank's reference of a payout or collection: required, at most 64 characters (the results file's field). */
    private static boolean bankReference(final String reference, final Outcome out) {
        if (reference == null || reference.length() > 64) {
            fail(out, Reason.INVALID_ARGUMENT, "bankReference is at most 64 characters");
            return false;
        }
        return true;
    }

    private static boolean sameFiles(final ExportedFiles a, final ExportedFiles b) {
        return a.createdAtMillis() == b.createdAtMillis() && a.painFile().equals(b.painFile())
                && a.painSha256().equals(b.painSha256()) && a.neutralFile().equals(b.neutralFile())
                && a.neutralSha256().equals(b.neutralSha256());
    }

    private static boolean fileName(final String name) {
        return name != null && !name.isEmpty() && name.length() <= 128 && name.matches("[A-Za-z0-9][A-Za-z0-9._-]*");
    }

    private static boolean sha256(final String hex) {
        return hex != null && hex.matches("[0-9a-f]{64}");
    }

    // ================================================================== time

    void cutover(final int newDate, final Outcome out) {
        if (!CivilDate.isValid(newDate)) {
            fail(out, Reason.INVALID_ARGUMENT, newDate + " is not a date (yyyymmdd)");
            return;
        }
        final int newDay = CivilDate.epochDay(newDate);
        if (newDay <= dev.prepaid.card.CardStore.DAY_BASE || newDay > dev.prepaid.card.CardStore.LAST_DAY) {
            fail(out, Reason.INVALID_ARGUMENT, "business dates run from 2000-01-02 to 2179-06-05");
            return;
        }
        if (s.businessDay != 0 && newDay <= s.businessDay) {
            fail(out, Reason.BUSINESS_DATE_NOT_LATER, "the business date is " + CivilDate.iso(s.businessDay));
            return;
        }
        long feesPosted = 0;
        if (s.businessDay != 0) {
            final boolean newMonth = CivilDate.yyyymm(newDay) != CivilDate.yyyymm(s.businessDay);
            for (int m = 0; m < s.merchantCount; m++) {
                final Merchant merchant = s.merchants[m];
                final long periodic = newMonth ? s.rules.periodicFee(m, newDay) : 0;
                final long fee = Math.addExact(merchant.feeAccrued(), periodic);
                // The shares of terminals whose deployer is registered are posted to that deployer, below.
                postFee(merchant, fee, merchant.shareAccrued() - merchant.deployerShareAccrued());
                merchant.clearAccruals();
                feesPosted += fee;
            }
            for (int d = 0; d < s.deployerCount; d++) {
                postShare(s.deployers[d].shareAccrued(), d);
                s.deployers[d].clearAccrual();
            }
        }
        final int firstKept = newDay - (int) s.parameters.get(Parameters.Name.TRANSACTIONS_KEPT_DAYS);
        s.transactions.retireBefore(firstKept);
        s.holds.retireClosedBefore(firstKept);
        retireDecided(firstKept);
        s.openBusinessDay(newDay);
        out.businessDate = s.businessDate;
        out.value1 = feesPosted;
        final String violation = Invariants.firstViolation(s);
        if (violation != null) {
            out.riskFlags |= Outcome.FLAG_BOOKS_OUT_OF_BALANCE;
            out.detail = "books out of balance: " + violation;
        }
    }

    /** Refuses a settlement step while a cleared day's reconciliation failed and is not resolved. */
    private boolean reconciled(final Outcome out) {
        if (s.reconciliationHeld.isEmpty()) {
            return true;
        }
        final StringBuilder days = new StringBuilder();
        for (int i = 0; i < s.reconciliationHeld.size() && i < 5; i++) {
            days.append(i == 0 ? "" : ", ").append(CivilDate.iso(s.reconciliationHeld.getInt(i)));
        }
        if (s.reconciliationHeld.size() > 5) {
            days.append(" and ").append(s.reconciliationHeld.size() - 5).append(" more");
        }
        fail(out, Reason.RECONCILIATION_FAILED, "the reconciliation of " + days + " failed; settlement is held until"
                + " the day is cleared again and reconciles, or finance accepts it");
        return false;
    }

    /**
     * Records a cleared day's reconciliation. A failure (the switch's only) holds settlement; a success — the switch
     * clearing the day again after the cause was put right, or finance accepting the difference with the reason in
     * the note — releases that day.
     */
    void recordReconciliation(final Operator operator, final RecordReconciliation c, final Outcome out) {
        if (!CivilDate.isValid(c.businessDate())) {
            fail(out, Reason.INVALID_ARGUMENT, "businessDate " + c.businessDate() + " is not a date (yyyymmdd)");
            return;
        }
        final int day = CivilDate.epochDay(c.businessDate());
        if (s.businessDay == 0 || day >= s.businessDay) {
            fail(out, Reason.INVALID_ARGUMENT, "businessDate " + CivilDate.iso(day) + " is not a closed business day"
                    + (s.businessDay == 0 ? "" : "; the open one is " + CivilDate.iso(s.businessDay)));
            return;
        }
        if (c.summary() == null) {
            fail(out, Reason.INVALID_ARGUMENT, "summary is required");
            return;
        }
        if (!operator.merchantScope().isEmpty()) {
            fail(out, Reason.OUTSIDE_MERCHANT_SCOPE, "a reconciliation covers every merchant; operator is limited to "
                    + operator.merchantScope());
            return;
        }
        if (!c.balanced() && operator.role() != Role.SYSTEM) {
            fail(out, Reason.ROLE_NOT_PERMITTED, "only the switch records a failed reconciliation; finance accepts one");
            return;
        }
        final int at = heldIndex(day);
        if (c.balanced()) {
            if (at >= 0) {
                s.reconciliationHeld.removeAt(at);
            }
            out.value2 = at >= 0 ? 1 : 0;
        } else if (at < 0) {
            if (s.reconciliationHeld.size() >= LedgerState.MAX_HELD_DAYS) {
                fail(out, Reason.CAPACITY_REACHED, "at most " + LedgerState.MAX_HELD_DAYS + " failed days wait to be resolved");
                return;
            }
            int insert = 0;
            while (insert < s.reconciliationHeld.size() && s.reconciliationHeld.getInt(insert) < day) {
                insert++;
            }
            s.reconciliationHeld.addInt(insert, day);
            out.value2 = 1;
        }
        out.value1 = s.reconciliationHeld.size();
    }

    private int heldIndex(final int day) {
        for (int i = 0; i < s.reconciliationHeld.size(); i++) {
            if (s.reconciliationHeld.getInt(i) == day) {
                return i;
            }
        }
        return -1;
    }

    /** Refuses a settlement step while the books do not add up: no money leaves on figures that are wrong. */
    private boolean booksAddUp(final Outcome out) {
        final String violation = Invariants.firstViolation(s);
        if (violation != null) {
            fail(out, Reason.BOOKS_OUT_OF_BALANCE, violation + "; settlement is held until the books are corrected");
            return false;
        }
        return true;
    }

    /** Books a merchant's fee of the day (2203 → 6001, swept from custody to the operator) and deployer share. */
    private void postFee(final Merchant merchant, final long fee, final long share) {
        final int m = merchant.index();
        if (fee != 0) {
            final GeneralLedger g = books.begin(s.businessDay);
            if (fee > 0) {
                merchantOut(g, m, fee);
                g.credit(Account.FEE_INCOME, -1, fee).debit(Account.OPERATOR_BANK, -1, fee).credit(Account.CUSTODY, -1, fee);
            } else {
                g.debit(Account.FEE_INCOME, -1, -fee).credit(Account.MERCHANT_PAYABLE, m, -fee)
                        .debit(Account.CUSTODY, -1, -fee).credit(Account.OPERATOR_BANK, -1, -fee);
            }
            g.commit();
        }
        postShare(share, -1);
    }

    /** Books a day's deployer share: Dr 6401 / Cr 2205 (of {@code deployer}, or the unassigned pool: -1), or the mirror. */
    private void postShare(final long share, final int deployer) {
        if (share > 0) {
            books.begin(s.businessDay).debit(Account.COMMISSION_EXPENSE, -1, share)
                    .credit(Account.DEPLOYER_PAYABLE, deployer, share).commit();
        } else if (share < 0) {
            books.begin(s.businessDay).debit(Account.DEPLOYER_PAYABLE, deployer, -share)
                    .credit(Account.COMMISSION_EXPENSE, -1, -share).commit();
        }
    }

    /** Decided requests and settled batches leave memory once older than the days kept (the journal keeps them). */
    private void retireDecided(final int firstKeptDay) {
        final Iterator<PendingRequest> it = s.pending.values().iterator();
        while (it.hasNext()) {
            final PendingRequest request = it.next();
            if (request.state() == PendingRequest.WAITING || request.createdDay() >= firstKeptDay) {
                continue;
            }
            final SettlementBatch batch = s.settlements.get(request.id());
            if (batch != null && !batch.resolved()) {
                continue;
            }
            s.settlements.remove(request.id());
            it.remove();
        }
    }

    void expireHolds(final long timestamp, final Outcome out) {
        final HoldTable holds = s.holds;
        int expired = 0;
        for (int i = 0; i < holds.capacity(); i++) {
            if (holds.state(i) == HoldTable.OPEN && holds.expiresAtMillis(i) <= timestamp) {
                pos.expireHold(i);
                expired++;
            }
        }
        out.value1 = expired;
    }
}
