package dev.prepaid.admin;

import dev.prepaid.card.CardStatus;
import dev.prepaid.card.CardStore;
import dev.prepaid.card.CardType;
import dev.prepaid.card.Holder;
import dev.prepaid.card.Pan;
import dev.prepaid.clearing.SettlementBatch;
import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.CommandType;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.Reason;
import dev.prepaid.ledger.AuditQuery;
import dev.prepaid.ledger.AuditTrail;
import dev.prepaid.ledger.LedgerState;
import dev.prepaid.ledger.PendingRequest;
import dev.prepaid.ledger.ReviewQueue;
import dev.prepaid.merchant.Merchant;
import dev.prepaid.merchant.MerchantProfile;
import dev.prepaid.merchant.Terminal;
import dev.prepaid.merchant.TerminalProfile;
import dev.prepaid.operator.Operator;
import dev.prepaid.time.CivilDate;
import dev.prepaid.txn.TransactionLog;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The endpoint's reads of the ledger: each runs on the ledger thread (through the ring, {@link LedgerAccess#read}),
 * is bounded (one item, or a page of at most {@link #MAX_PAGE}), and copies what it shows into plain records
 * that the admin thread turns into JSON. No password hash, PIN check value or full identity number is copied.
 * Amounts are fen, dates yyyymmdd (0: none).
 */
final class Views {
    static final int MAX_PAGE = 500;

    private Views() {
    }

    /** What a login needs to know of an operator. */
    record LoginFacts(boolean exists, String operatorId, String name, String role, String merchantScope,
            String passwordHash, boolean locked, boolean mustChangePassword) {
    }

    static LoginFacts login(final LedgerState s, final String operatorId) {
        final int o = s.operatorIndex(operatorId);
        if (o < 0) {
            return new LoginFacts(false, operatorId, "", "", "", "", false, false);
        }
        final Operator op = s.operator(o);
        return new LoginFacts(true, op.operatorId(), op.name(), op.role().storedName(), op.merchantScope(),
                op.passwordHash(), s.operatorLocked(o), s.mustChangePassword(o));
    }

    // ------------------------------------------------------------------ cards

    record CardView(String pan, String status, int cardType, String cardTypeName, boolean named, long available,
            long holds, long ledgerBalance, long deposit, long points, int issuedDate, int soldDate, int expiryDate,
            boolean pinSet, int pinErrorsToday, boolean pinLocked, int declinesToday, long spentToday, int countToday,
            long spentThisMonth, int countThisMonth, int openHolds, boolean used, String replacedBy, HolderView holder) {
    }

    record HolderView(String name, String idType, String idNumber, String phone) {
    }

    /** The card of {@code pan}, or null when the number is no card of this switch. */
    static CardView card(final LedgerState s, final String pan) {
        final int c = s.resolveCard(pan);
        if (c < 0) {
            return null;
        }
        final CardStore cards = s.cards();
        final CardType type = s.cardType(cards.cardType(c));
        final int today = s.businessDay();
        final boolean sameDay = cards.velocityDay(c) == today;
        final boolean sameMonth = cards.velocityDay(c) >= 0 && CivilDate.yyyymm(Math.max(0, cards.velocityDay(c)))
                == (today == 0 ? -1 : CivilDate.yyyymm(today));
        final int pinErrors = cards.pinErrorDay(c) == today ? cards.pinErrors(c) : 0;
        final int holderIndex = cards.holder(c);
        HolderView holder = null;
        if (holderIndex >= 0) {
            final Holder h = s.holder(holderIndex);
            holder = new HolderView(h.name(), h.idType(), maskIdentity(h.idNumber()), maskIdentity(h.phone()));
        }
        final String replacedBy = cards.status(c) == CardStatus.REPLACED && cards.linkedCard(c) >= 0
                ? Pan.toDigits(cards.panKey(cards.linkedCard(c))) : "";
        return new CardView(Pan.toDigits(cards.panKey(c)), cards.status(c).name(), type.id(), type.name(), type.named(),
                cards.available(c), cards.holds(c), cards.ledgerBalance(c), cards.deposit(c), cards.points(c),
                date(cards.issuedDay(c)), date(cards.soldDay(c)),
                cards.expiryDay(c) == CardStore.NO_EXPIRY ? 0 : date(cards.expiryDay(c)), cards.pinCheck(c) != 0,
                pinErrors, pinErrors >= s.pinTries(type), cards.declineDay(c) == today ? cards.declines(c) : 0,
                sameDay ? cards.dayAmount(c) : 0, sameDay ? cards.dayCount(c) : 0,
                sameMonth ? cards.monthAmount(c) : 0, sameMonth ? cards.monthCount(c) : 0, cards.openHolds(c),
                cards.used(c), replacedBy, holder);
    }

    /** A card number as it may be shown and logged: the first six and last four digits. */
    static String maskPan(final String pan) {
        if (pan == null || pan.length() < 11) {
            return pan == null ? "" : "*".repeat(Math.min(pan.length(), 19));
        }
        return pan.substring(0, 6) + "*".repeat(Math.min(pan.length(), 19) - 10) + pan.substring(pan.length() - 4);
    }

    /** An identity or phone number with all but its last four characters hidden. */
    static String maskIdentity(final String value) {
        if (value == null || value.length() <= 4) {
            return value == null ? "" : "*".repeat(value.length());
        }
        return "*".repeat(value.length() - 4) + value.substring(value.length() - 4);
    }

    private static int date(final int epochDay) {
        return epochDay <= 0 ? 0 : CivilDate.yyyymmdd(epochDay);
    }

    // ------------------------------------------------------------------ merchants, terminals, operators

    record MerchantView(String merchantId, String name, String category, String status, String cycle, int cycleDays,
            long thresholdFen, String refundFeePolicy, boolean rechargeAllowed, String bankAccount, String bankAccountName,
            String bankName, String cnapsCode, boolean underReview, long payable, long receivable, long feesToday,
            long deployerSharesToday, int terminals, boolean rechargesSettledApart, long rechargeCashOwed) {
    }

    /**
     * A merchant; {@code fullBankAccount} for those who maintain or pay it (administrators, finance), masked to
     * its last four digits for everyone else.
     */
    static MerchantView merchant(final LedgerState s, final Merchant m, final boolean fullBankAccount) {
        return merchant(m, fullBankAccount, terminalCounts(s, List.of(m)).getOrDefault(m, 0));
    }

    /** Terminals per merchant of {@code merchants}, in one pass over the terminals (a page costs one pass, not one each). */
    private static Map<Merchant, Integer> terminalCounts(final LedgerState s, final List<Merchant> merchants) {
        final Map<Merchant, Integer> counts = new java.util.IdentityHashMap<>();
        for (final Merchant m : merchants) {
            counts.put(m, 0);
        }
        for (int t = 0; t < s.terminalCount(); t++) {
            counts.computeIfPresent(s.terminal(t).merchant(), (m, n) -> n + 1);
        }
        return counts;
    }

    private static MerchantView merchant(final Merchant m, final boolean fullBankAccount, final int terminals) {
        final MerchantProfile p = m.profile();
        return new MerchantView(p.merchantId(), p.name(), p.category(), p.status().storedName(), p.cycle().storedName(),
                p.cycleDays(), p.thresholdFen(), p.refundFeePolicy().storedName(), p.rechargeAllowed(),
                fullBankAccount ? p.bankAccount() : maskIdentity(p.bankAccount()), p.bankAccountName(), p.bankName(), p.cnapsCode(), m.underReview(),
                m.payable(), m.receivable(), m.feeAccrued(), m.shareAccrued(), terminals, m.rechargesApart(),
                m.rechargeReceivable());
    }

    record TerminalView(String terminalId, String merchantId, String serialNumber, String status, String macAlgorithm,
            String keyReference, String deployerCode, String shareMethod, long shareRatePpm, boolean signedOn,
            int currentBatch, long debitAmount, int debitCount, long creditAmount, int creditCount, int settledBatch,
            int settledFlag) {
    }

    static TerminalView terminal(final Terminal t) {
        final TerminalProfile p = t.profile();
        return new TerminalView(p.terminalId(), p.merchantId(), p.serialNumber(), p.status().storedName(),
                p.macAlgorithm().storedName(), p.keyReference(), p.deployerCode(), p.shareMethod().storedName(),
                p.shareRatePpm(), t.signedOn(), t.currentBatch(), t.debitAmount(), t.debitCount(), t.creditAmount(),
                t.creditCount(), t.settledBatch(), t.settledFlag());
    }

    record OperatorView(String operatorId, String name, String role, String merchantScope, String status,
            boolean locked, boolean mustChangePassword, int wrongPasswords) {
    }

    static OperatorView operator(final LedgerState s, final int o) {
        final Operator op = s.operator(o);
        return new OperatorView(op.operatorId(), op.name(), op.role().storedName(), op.merchantScope(),
                op.status().storedName(), s.operatorLocked(o), s.mustChangePassword(o), s.loginFailures(o));
    }

    /** A page of a list and where the next one starts (-1: this was the last). */
    record Page<T>(List<T> items, int next) {
    }

    static Page<MerchantView> merchants(final LedgerState s, final int from, final int limit, final String scope,
            final boolean fullBankAccount) {
        final List<Merchant> page = new ArrayList<>();
        int m = Math.max(0, from);
        for (; m < s.merchantCount() && page.size() < limit; m++) {
            final Merchant merchant = s.merchant(m);
            if (scope.isEmpty() || scope.equals(merchant.profile().merchantId())) {
                page.add(merchant);
            }
        }
        final Map<Merchant, Integer> terminals = terminalCounts(s, page);
        final List<MerchantView> items = new ArrayList<>(page.size());
        for (final Merchant merchant : page) {
            items.add(merchant(merchant, fullBankAccount, terminals.get(merchant)));
        }
        return new Page<>(items, m < s.merchantCount() ? m : -1);
    }

    record DeployerView(String code, String name, String bankAccount, String bankAccountName, String bankName,
            String cnapsCode, long owed, long sharesToday, int terminals) {
    }

    /** The terminal deployers, in the order they were registered, with what each is owed and its terminals. */
    static Page<DeployerView> deployers(final LedgerState s, final int from, final int limit, final boolean fullBankAccount) {
        final List<DeployerView> items = new ArrayList<>();
        int d = Math.max(0, from);
        for (; d < s.deployerCount() && items.size() < limit; d++) {
            final dev.prepaid.merchant.Deployer deployer = s.deployer(d);
            int terminals = 0;
            for (int t = 0; t < s.terminalCount(); t++) {
                terminals += s.terminal(t).deployerIndex() == d ? 1 : 0;
            }
            final dev.prepaid.merchant.DeployerProfile p = deployer.profile();
            items.add(new DeployerView(p.code(), p.name(), fullBankAccount ? p.bankAccount() : maskIdentity(p.bankAccount()),
                    p.bankAccountName(), p.bankName(), p.cnapsCode(), deployer.payable(), deployer.shareAccrued(), terminals));
        }
        return new Page<>(items, d < s.deployerCount() ? d : -1);
    }

    static Page<TerminalView> terminals(final LedgerState s, final int from, final int limit, final String merchantId) {
        final List<TerminalView> items = new ArrayList<>();
        int t = Math.max(0, from);
        for (; t < s.terminalCount() && items.size() < limit; t++) {
            final Terminal terminal = s.terminal(t);
            if (merchantId.isEmpty() || merchantId.equals(terminal.profile().merchantId())) {
                items.add(terminal(terminal));
            }
        }
        return new Page<>(items, t < s.terminalCount() ? t : -1);
    }

    static Page<OperatorView> operators(final LedgerState s, final int from, final int limit) {
        final List<OperatorView> items = new ArrayList<>();
        int o = Math.max(0, from);
        for (; o < s.operatorCount() && items.size() < limit; o++) {
            items.add(operator(s, o));
        }
        return new Page<>(items, o < s.operatorCount() ? o : -1);
    }

    // ------------------------------------------------------------------ approvals and status

    record ApprovalView(long id, String kind, String maker, int createdDate, String state, String checker,
            String command, Map<String, Object> fields, long total) {
    }

    /**
     * Pending requests (maker-checker), oldest first, from request id {@code from} on; {@code waitingOnly} leaves
     * out the decided ones. {@code next} is the id the next page starts at (-1: the last page).
     */
    static Page<ApprovalView> approvals(final LedgerState s, final boolean waitingOnly, final long from, final int limit) {
        final List<ApprovalView> items = new ArrayList<>();
        long next = -1;
        for (final PendingRequest p : s.pending().values()) {
            if (p.id() < from || waitingOnly && p.state() != PendingRequest.WAITING) {
                continue;
            }
            if (items.size() >= limit) {
                next = p.id();
                break;
            }
            items.add(approval(s, p));
        }
        return new Page<>(items, (int) Math.min(Integer.MAX_VALUE, next));
    }

    /** One pending request by id, or null. */
    static ApprovalView approval(final LedgerState s, final long id) {
        final PendingRequest p = s.pending().get(id);
        return p == null ? null : approval(s, p);
    }

    private static ApprovalView approval(final LedgerState s, final PendingRequest p) {
        final AdminCommand request = p.request();
        final SettlementBatch batch = request == null ? s.settlements().get(p.id()) : null;
        final String command = request == null ? "PREPARE_SETTLEMENT" : dev.prepaid.command.CommandType.of(request).name();
        return new ApprovalView(p.id(), request == null ? "SETTLEMENT" : command, p.maker(), date(p.createdDay()),
                state(p.state()), p.checker(), command, request == null ? Map.of() : fieldsOf(request),
                batch == null ? 0 : batch.total());
    }

    private static String state(final int state) {
        return switch (state) {
            case PendingRequest.WAITING -> "WAITING";
            case PendingRequest.APPROVED -> "APPROVED";
            default -> "REJECTED";
        };
    }

    // ------------------------------------------------------------------ settlements

    record SettlementSummary(long id, String state, int preparedDate, String preparedBy, String decidedBy, int lines,
            long total, long receivableNetted, int sent, int paid, int failed, boolean filesRecorded, long collectionTotal) {
    }

    record SettlementLine(int line, String merchantId, String merchantName, long net, long receivableNetted,
            long payableDebited, String state, String bankReference, String payeeName, String payeeAccount,
            String payeeBank, String payeeCnapsCode, boolean payeeChangedSince, long collection, String collectionState,
            String collectionReference) {
    }

    record DeployerLine(int line, String deployerCode, String deployerName, long amount, String state, String bankReference,
            String payeeName, String payeeAccount, String payeeBank, String payeeCnapsCode) {
    }

    record HeldMerchant(String merchantId, String name, long payable, long receivable, String why) {
    }

    record FilesView(String painFile, String painSha256, String neutralFile, String neutralSha256, String createdAt,
            String recordedBy) {
    }

    record SettlementView(long id, String state, int preparedDate, String preparedBy, String decidedBy, long total,
            long receivableNetted, List<SettlementLine> lines, FilesView files, List<HeldMerchant> heldNow,
            long collectionTotal, List<DeployerLine> deployerLines) {
    }

    /** Settlement batches the ledger keeps, oldest first, from batch id {@code from}; {@code next} as for approvals. */
    static Page<SettlementSummary> settlements(final LedgerState s, final long from, final int limit) {
        final List<SettlementSummary> items = new ArrayList<>();
        long next = -1;
        for (final SettlementBatch b : s.settlements().values()) {
            if (b.id() < from) {
                continue;
            }
            if (items.size() >= limit) {
                next = b.id();
                break;
            }
            final int[] states = new int[SettlementBatch.LINE_NONE + 1];
            long netted = 0;
            for (int i = 0; i < b.lines(); i++) {
                states[b.lineState(i)]++;
                netted += b.receivableCleared(i);
            }
            for (int i = 0; i < b.deployerLines(); i++) {
                states[b.deployerState(i)]++;
            }
            items.add(new SettlementSummary(b.id(), batchState(b), date(b.preparedDay()), b.preparedBy(), decidedBy(s, b),
                    b.lines(), b.total(), netted, states[SettlementBatch.LINE_SENT], states[SettlementBatch.LINE_PAID],
                    states[SettlementBatch.LINE_FAILED], b.exported() != null, b.collectionTotal()));
        }
        return new Page<>(items, (int) Math.min(Integer.MAX_VALUE, next));
    }

    /**
     * One batch with its lines: each line's payee as the batch froze it (in full for those who pay, else its last
     * four digits) and whether its merchant's details changed since. {@code heldNow}: merchants under risk review
     * that are owed money now — a batch leaves them out, and the ledger knows no reason beyond the review.
     */
    static SettlementView settlement(final LedgerState s, final long id, final boolean fullBankAccount) {
        final SettlementBatch b = s.settlements().get(id);
        if (b == null) {
            return null;
        }
        final List<SettlementLine> lines = new ArrayList<>(b.lines());
        long netted = 0;
        for (int i = 0; i < b.lines(); i++) {
            final Merchant m = s.merchant(b.merchant(i));
            final dev.prepaid.clearing.Payee payee = b.payee(i) != null ? b.payee(i)
                    : dev.prepaid.clearing.Payee.of(m.profile());
            netted += b.receivableCleared(i);
            lines.add(new SettlementLine(i + 1, m.profile().merchantId(), m.profile().name(), b.amount(i),
                    b.receivableCleared(i), b.amount(i) + b.receivableCleared(i), lineState(b, i), b.bankReference(i),
                    payee.accountName(), fullBankAccount ? payee.account() : maskIdentity(payee.account()),
                    payee.bankName(), payee.cnapsCode(), !payee.equals(dev.prepaid.clearing.Payee.of(m.profile())),
                    b.collection(i), collectionState(b, i), b.collectionReference(i)));
        }
        final List<HeldMerchant> held = new ArrayList<>();
        for (int m = 0; m < s.merchantCount() && held.size() < MAX_PAGE; m++) {
            final Merchant merchant = s.merchant(m);
            if (merchant.underReview() && merchant.payable() - merchant.receivable() > 0) {
                held.add(new HeldMerchant(merchant.profile().merchantId(), merchant.profile().name(), merchant.payable(),
                        merchant.receivable(), "UNDER_REVIEW"));
            }
        }
        final dev.prepaid.clearing.ExportedFiles f = b.exported();
        final FilesView files = f == null ? null : new FilesView(f.painFile(), f.painSha256(), f.neutralFile(),
                f.neutralSha256(), Instant.ofEpochMilli(f.createdAtMillis()).toString(), f.recordedBy());
        return new SettlementView(b.id(), batchState(b), date(b.preparedDay()), b.preparedBy(), decidedBy(s, b), b.total(),
                netted, lines, files, held, b.collectionTotal(), deployerLines(s, b, fullBankAccount));
    }

    private static String batchState(final SettlementBatch b) {
        return switch (b.state()) {
            case SettlementBatch.PREPARED -> "PREPARED";
            case SettlementBatch.APPROVED -> "APPROVED";
            default -> "REJECTED";
        };
    }

    private static List<DeployerLine> deployerLines(final LedgerState s, final SettlementBatch b, final boolean full) {
        final List<DeployerLine> lines = new ArrayList<>(b.deployerLines());
        for (int i = 0; i < b.deployerLines(); i++) {
            final dev.prepaid.merchant.Deployer d = s.deployer(b.deployer(i));
            final dev.prepaid.clearing.Payee payee = b.deployerPayee(i);
            final String state = switch (b.deployerState(i)) {
                case SettlementBatch.LINE_SENT -> "SENT";
                case SettlementBatch.LINE_PAID -> "PAID";
                case SettlementBatch.LINE_FAILED -> "FAILED";
                default -> b.state() == SettlementBatch.REJECTED ? "NOT_PAID" : "PENDING";
            };
            lines.add(new DeployerLine(i + 1, d.profile().code(), d.profile().name(), b.deployerAmount(i), state,
                    b.deployerReference(i), payee.accountName(), full ? payee.account() : maskIdentity(payee.account()),
                    payee.bankName(), payee.cnapsCode()));
        }
        return lines;
    }

    /** A line's collection of recharge cash: NONE (nothing to collect), PENDING, SENT, COLLECTED, FAILED, NOT_COLLECTED. */
    private static String collectionState(final SettlementBatch b, final int line) {
        if (b.collection(line) == 0) {
            return "NONE";
        }
        return switch (b.collectionState(line)) {
            case SettlementBatch.COLLECTION_SENT -> "SENT";
            case SettlementBatch.COLLECTED -> "COLLECTED";
            case SettlementBatch.COLLECTION_FAILED -> "FAILED";
            default -> b.state() == SettlementBatch.REJECTED ? "NOT_COLLECTED" : "PENDING";
        };
    }

    private static String lineState(final SettlementBatch b, final int line) {
        return switch (b.lineState(line)) {
            case SettlementBatch.LINE_NONE -> "NONE";
            case SettlementBatch.LINE_SENT -> "SENT";
            case SettlementBatch.LINE_PAID -> "PAID";
            case SettlementBatch.LINE_FAILED -> "FAILED";
            default -> b.state() == SettlementBatch.REJECTED ? "NOT_PAID" : "PENDING";
        };
    }

    private static String decidedBy(final LedgerState s, final SettlementBatch b) {
        final PendingRequest p = s.pending().get(b.id());
        return p == null ? null : p.checker();
    }

    /** A command's fields by name (enums by stored name), as an operator would have given them. */
    static Map<String, Object> fieldsOf(final AdminCommand command) {
        final Map<String, Object> fields = new LinkedHashMap<>();
        for (final RecordComponent component : command.getClass().getRecordComponents()) {
            try {
                final Object value = component.getAccessor().invoke(command);
                fields.put(component.getName(), value instanceof dev.prepaid.state.StoredName named
                        ? named.storedName() : value);
            } catch (final ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + component, e);
            }
        }
        fields.remove("passwordHash");
        return fields;
    }

    /** Transaction records one history page looks at, newest first: a bounded turn of the ledger thread. */
    static final int HISTORY_SCAN = 1 << 18;

    record TransactionView(long rrn, String kind, String state, String reason, int date, String terminalId,
            String merchantId, long amount, long cardAmount, long discount, long fee, long points, long refunded,
            int batch, int authCode) {
    }

    /**
     * The card's transactions still in the ledger's transaction log, newest first, from RRN {@code before}
     * (exclusive; 0: the newest) looking at no more than {@link #HISTORY_SCAN} records; {@code next} is the
     * RRN to continue before (-1: the oldest kept record was reached). Older ones are in the journal
     * ({@code bin/prepaid journal dump --card PAN}). Null when the number is no card of this switch.
     */
    record History(List<TransactionView> items, long next) {
    }

    static History history(final LedgerState s, final String pan, final long before, final int limit) {
        final int card = s.resolveCard(pan);
        if (card < 0) {
            return null;
        }
        final dev.prepaid.txn.TransactionLog log = s.transactions();
        final long newest = log.nextRrn() - 1;
        final long start = before <= 0 || before > newest + 1 ? newest : before - 1;
        final long stop = Math.max(log.oldestRrn(), start - HISTORY_SCAN + 1);
        final List<TransactionView> items = new ArrayList<>();
        long rrn = start;
        for (; rrn >= stop && items.size() < limit; rrn--) {
            final int slot = log.slotOfRrn(rrn);
            if (slot < 0 || log.card(slot) != card || log.is(slot, dev.prepaid.txn.TransactionLog.TOMBSTONE)) {
                continue;
            }
            final int terminal = log.terminal(slot);
            final int merchant = log.merchant(slot);
            final String state = log.is(slot, dev.prepaid.txn.TransactionLog.REVERSED) ? "REVERSED"
                    : log.is(slot, dev.prepaid.txn.TransactionLog.VOIDED) ? "VOIDED"
                    : log.is(slot, dev.prepaid.txn.TransactionLog.APPROVED) ? "APPROVED" : "DECLINED";
            items.add(new TransactionView(log.rrn(slot), log.kind(slot).name(), state, log.reason(slot).name(),
                    date(log.day(slot)), terminal >= 0 && terminal < s.terminalCount()
                            ? s.terminal(terminal).profile().terminalId() : "",
                    merchant >= 0 && merchant < s.merchantCount() ? s.merchant(merchant).profile().merchantId() : "",
                    log.amount(slot), log.cardAmount(slot), log.discount(slot), log.fee(slot), log.points(slot),
                    log.refunded(slot), log.batch(slot), log.authCode(slot)));
        }
        return new History(items, rrn >= log.oldestRrn() && rrn >= 1 ? rrn + 1 : -1);
    }

    /** Card indexes one blacklist page looks at: a bounded pause of the ledger thread, whatever the card count. */
    static final int BLACKLIST_SCAN = 1 << 18;

    record HotCard(String pan, String status) {
    }

    /**
     * The cards terminals must refuse (LOST, BLACKLISTED), from card index {@code from}, looking at no more than
     * {@link #BLACKLIST_SCAN} cards; {@code next} is where the next page starts (-1: done).
     */
    static Page<HotCard> blacklist(final LedgerState s, final int from) {
        final CardStore cards = s.cards();
        final List<HotCard> items = new ArrayList<>();
        final int end = (int) Math.min(cards.count(), (long) Math.max(0, from) + BLACKLIST_SCAN);
        for (int c = Math.max(0, from); c < end; c++) {
            final CardStatus status = cards.status(c);
            if (status == CardStatus.LOST || status == CardStatus.BLACKLISTED) {
                items.add(new HotCard(Pan.toDigits(cards.panKey(c)), status.name()));
            }
        }
        return new Page<>(items, end < cards.count() ? end : -1);
    }

    record StatusView(int businessDate, int cards, int merchants, int terminals, int operators, int waitingApprovals,
            int openHolds, int transactionsKept) {
    }

    static StatusView status(final LedgerState s) {
        int waiting = 0;
        for (final PendingRequest p : s.pending().values()) {
            waiting += p.state() == PendingRequest.WAITING ? 1 : 0;
        }
        return new StatusView(s.businessDate(), s.cards().count(), s.merchantCount(), s.terminalCount(),
                s.operatorCount(), waiting, s.holds().openCount(), s.transactions().size());
    }

    // ------------------------------------------------------------------ the audit trail

    /**
     * One decision of the trail. {@code operator} is null when the command named an operator the ledger does not
     * know (or could not be read); {@code target} is a card masked, an id, or a number, "" when the command names
     * none.
     */
    record AuditEntryView(long journalSequence, String timestamp, long timestampMillis, int businessDate, String operator,
            String command, int commandCode, String targetKind, String target, String result, String reason,
            int reasonCode, long requestId, boolean duplicate) {
    }

    /** A page of the trail, newest first; {@code next} is the {@code before} of the next page, -1 on the last. */
    record AuditPage(boolean open, List<AuditEntryView> items, long next) {
    }

    static AuditPage audit(final LedgerState s, final AuditQuery.Filter filter, final long before, final int limit) {
        final AuditTrail trail = s.audit();
        final AuditQuery.Page page = AuditQuery.page(s, filter, before, limit);
        final List<AuditEntryView> items = new ArrayList<>(page.indices().length);
        for (final int i : page.indices()) {
            items.add(auditEntry(s, trail, i));
        }
        return new AuditPage(trail.isOpen(), items, page.next());
    }

    private static AuditEntryView auditEntry(final LedgerState s, final AuditTrail t, final int i) {
        final int operator = t.operator(i);
        final String operatorId = operator >= 0 ? s.operator(operator).operatorId()
                : operator == AuditTrail.SYSTEM ? Operator.SYSTEM_ID : null;
        final CommandType type = CommandType.ofCode(t.type(i));
        final Reason reason = Reason.ofCode(t.reason(i));
        final AuditTrail.TargetKind kind = t.targetKind(i);
        final String target = kind.numeric ? Long.toString(t.targetKey(i)) : t.targetText(i);
        return new AuditEntryView(t.sequence(i), Instant.ofEpochMilli(t.timestamp(i)).toString(), t.timestamp(i),
                t.businessDate(i), operatorId, type == null ? "TYPE_" + t.type(i) : type.name(), t.type(i), kind.name(),
                target, reason == Reason.APPROVED ? "APPROVED" : "REFUSED", reason == null ? "CODE_" + t.reason(i)
                        : reason.name(), t.reason(i), t.requestId(i), (t.flags(i) & AuditTrail.DUPLICATE) != 0);
    }

    // ------------------------------------------------------------------ the risk review queue

    /**
     * One entry of the review queue with what the ledger still knows of what it refers to: a POS transaction while its
     * record is kept (kind, card masked, amount, terminal, merchant, its answer), a counter sale's first card and the
     * operator who sold it (from the audit trail, when it holds the sale).
     */
    record RiskEntryView(long id, int flaggedDate, String source, List<String> flags, String state, String decidedBy,
            int decidedDate, long rrn, boolean transactionKept, String kind, String card, Long amount, String terminalId,
            String merchantId, String transactionResult, String soldBy) {
    }

    record RiskPage(List<RiskEntryView> items, long next) {
    }

    /** Entries with an id below {@code before}, newest first, in {@code state} (null: any); a scope sees its POS ones. */
    static RiskPage risk(final LedgerState s, final ReviewQueue.State state, final long before, final int limit,
            final String scope) {
        final ReviewQueue review = s.review();
        final TransactionLog log = s.transactions();
        final List<Integer> found = new ArrayList<>();
        int i = review.size() - 1;
        while (i >= 0 && review.id(i) >= before) {
            i--;
        }
        long next = -1;
        for (; i >= 0; i--) {
            if (state != null && review.state(i) != state || !scope.isEmpty() && !scope.equals(merchantOf(s, review, log, i))) {
                continue;
            }
            if (found.size() == limit) {
                next = review.id(found.get(found.size() - 1));
                break;
            }
            found.add(i);
        }
        final Map<Long, String> sellers = sellers(s, review, found);
        final List<RiskEntryView> items = new ArrayList<>(found.size());
        for (final int e : found) {
            items.add(riskEntry(s, review, log, e, sellers));
        }
        return new RiskPage(items, next);
    }

    private static String merchantOf(final LedgerState s, final ReviewQueue review, final TransactionLog log, final int i) {
        if (review.source(i) != ReviewQueue.POS_TRANSACTION) {
            return null;
        }
        final int slot = log.slotOfRrn(review.reference(i));
        return slot < 0 || log.merchant(slot) < 0 ? null : s.merchant(log.merchant(slot)).profile().merchantId();
    }

    /** Who sold each counter sale of the page: the newest approved SELL_CARDS of its first card in the audit trail. */
    private static Map<Long, String> sellers(final LedgerState s, final ReviewQueue review, final List<Integer> entries) {
        final Set<Long> wanted = new HashSet<>();
        for (final int e : entries) {
            if (review.source(e) == ReviewQueue.COUNTER_SALE) {
                wanted.add(review.reference(e));
            }
        }
        final Map<Long, String> sellers = new HashMap<>();
        final AuditTrail trail = s.audit();
        for (int i = trail.size() - 1; i >= 0 && sellers.size() < wanted.size(); i--) {
            if (trail.type(i) == CommandType.SELL_CARDS.code && trail.reason(i) == Reason.APPROVED.code
                    && trail.targetKind(i) == AuditTrail.TargetKind.CARD && wanted.contains(trail.targetKey(i))
                    && trail.operator(i) >= 0) {
                sellers.putIfAbsent(trail.targetKey(i), s.operator(trail.operator(i)).operatorId());
            }
        }
        return sellers;
    }

    private static RiskEntryView riskEntry(final LedgerState s, final ReviewQueue review, final TransactionLog log,
            final int i, final Map<Long, String> sellers) {
        final int by = review.decidedBy(i);
        final ReviewQueue.State state = review.state(i);
        final String decidedBy = state == ReviewQueue.State.OPEN ? null : by >= 0 ? s.operator(by).operatorId()
                : Operator.SYSTEM_ID;
        final List<String> flags = flagNames(review.flags(i));
        if (review.source(i) == ReviewQueue.COUNTER_SALE) {
            final long panKey = review.reference(i);
            return new RiskEntryView(review.id(i), date(review.day(i)), "COUNTER_SALE", flags, state.name(), decidedBy,
                    date(review.decidedDay(i)), 0, false, "SELL_CARDS", Pan.masked(panKey), null, null, null, null,
                    sellers.get(panKey));
        }
        final long rrn = review.reference(i);
        final int slot = log.slotOfRrn(rrn);
        if (slot < 0) {
            return new RiskEntryView(review.id(i), date(review.day(i)), "POS_TRANSACTION", flags, state.name(), decidedBy,
                    date(review.decidedDay(i)), rrn, false, null, null, null, null, null, null, null);
        }
        final int terminal = log.terminal(slot);
        final int merchant = log.merchant(slot);
        return new RiskEntryView(review.id(i), date(review.day(i)), "POS_TRANSACTION", flags, state.name(), decidedBy,
                date(review.decidedDay(i)), rrn, true, log.kind(slot).name(),
                log.panKey(slot) == 0 ? null : Pan.masked(log.panKey(slot)), log.amount(slot),
                terminal < 0 ? null : s.terminal(terminal).profile().terminalId(),
                merchant < 0 ? null : s.merchant(merchant).profile().merchantId(), log.reason(slot).name(), null);
    }

    private static List<String> flagNames(final int flags) {
        final List<String> names = new ArrayList<>(2);
        if ((flags & Outcome.FLAG_LARGE_AMOUNT) != 0) {
            names.add("LARGE_AMOUNT");
        }
        if ((flags & Outcome.FLAG_MANY_DECLINES) != 0) {
            names.add("MANY_DECLINES");
        }
        if ((flags & Outcome.FLAG_NEAR_REAL_NAME_THRESHOLD) != 0) {
            names.add("NEAR_REAL_NAME_THRESHOLD");
        }
        return names;
    }
}
