package dev.prepaid.model;

import dev.prepaid.card.BuyerKind;
import dev.prepaid.card.CardStatus;
import dev.prepaid.card.Holder;
import dev.prepaid.card.Pan;
import dev.prepaid.card.PaymentMethod;
import dev.prepaid.card.SalesChannel;
import dev.prepaid.clearing.DayKind;
import dev.prepaid.command.AdminCommand.*;
import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.CommandType;
import dev.prepaid.command.Envelope;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.PosKind;
import dev.prepaid.command.Reason;
import dev.prepaid.fee.FeeMethod;
import dev.prepaid.ledger.Account;
import dev.prepaid.ledger.LedgerConfig;
import dev.prepaid.ledger.Parameters;
import dev.prepaid.merchant.DeployerShareMethod;
import dev.prepaid.merchant.MerchantStatus;
import dev.prepaid.merchant.RefundFeePolicy;
import dev.prepaid.merchant.SettlementCycle;
import dev.prepaid.merchant.TerminalStatus;
import dev.prepaid.operator.OperatorStatus;
import dev.prepaid.operator.Permissions;
import dev.prepaid.operator.Role;
import dev.prepaid.time.CivilDate;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An independent, deliberately plain model of the ledger, written from {@code docs/ledger-rules.md} alone
 * (no code of the ledger's processors was read). Every rule is written out in the order the specification
 * lists it; state is kept in plain objects, maps and lists.
 *
 * <p>Places where the specification is silent or ambiguous and a choice had to be made are marked
 * {@code // CHOICE:}; places where the model follows the ledger against (or beyond) the specification are
 * marked {@code // DIVERGENCE:}.
 */
public final class ReferenceModel {
    static final boolean TRACE = Boolean.getBoolean("model.trace");

    // ------------------------------------------------------------------ compared fields

    public static final int F_REASON = 1;
    public static final int F_DUP = 1 << 1;
    public static final int F_RRN = 1 << 2;
    public static final int F_AUTH = 1 << 3;
    public static final int F_BALANCES = 1 << 4;
    public static final int F_CARD_AMOUNT = 1 << 5;
    public static final int F_DISCOUNT = 1 << 6;
    public static final int F_FEE = 1 << 7;
    public static final int F_POINTS = 1 << 8;
    public static final int F_FLAGS = 1 << 9;
    public static final int F_DATE = 1 << 10;
    public static final int F_BATCH = 1 << 11;
    public static final int F_SETTLE_FLAG = 1 << 12;
    public static final int F_VALUE1 = 1 << 13;
    public static final int F_VALUE2 = 1 << 14;

    /** What the model expects: an outcome and which of its fields the specification decides. */
    public static final class Expected {
        public final Outcome out = new Outcome();
        public int fields = F_REASON | F_DUP;
    }

    // ------------------------------------------------------------------ state objects

    public static final class MRange {
        public final String bin;
        public final int panLength;
        public int typeId;
        public final long first;
        public long last;
        public long next;
        public final Map<Long, MCard> byAccount = new HashMap<>();

        MRange(final String bin, final int panLength, final int typeId, final long first, final long last) {
            this.bin = bin;
            this.panLength = panLength;
            this.typeId = typeId;
            this.first = first;
            this.last = last;
            this.next = first;
        }

        int accountDigits() {
            return panLength - 1 - bin.length();
        }

        public String panOf(final long account) {
            final String a = Long.toString(account);
            final StringBuilder body = new StringBuilder(bin);
            for (int i = a.length(); i < accountDigits(); i++) {
                body.append('0');
            }
            body.append(a);
            final long value = Long.parseLong(body.toString());
            return body.toString() + Pan.luhnCheckDigit(value, panLength - 1);
        }
    }

    public static final class MCard {
        public final int index;
        public final String pan;
        public final long panKey;
        public final MRange range;
        public final long account;
        public int typeId;
        public CardStatus status = CardStatus.GENERATED;
        public CardStatus prior = CardStatus.GENERATED;
        public long available;
        public long holds;
        public long deposit;
        public long pinCheck;
        public int pinErrors;
        public int pinErrorDay;
        public long dayAmount;
        public int dayCount;
        public int velocityDay;
        public long monthAmount;
        public int monthCount;
        public int velocityMonth;
        public int declines;
        public int declineDay;
        public long points;
        public int soldDay;
        public int expiryDay = Integer.MAX_VALUE;
        public Holder holder;
        public MCard replacedBy;
        public boolean used;
        public int openHolds;
        public long saleFee;

        MCard(final int index, final MRange range, final long account) {
            this.index = index;
            this.range = range;
            this.account = account;
            this.pan = range.panOf(account);
            this.panKey = Pan.parseKey(pan);
            this.typeId = range.typeId;
        }

        public long ledgerBalance() {
            return available + holds;
        }

        @Override
        public String toString() {
            return "card#" + index + "(" + pan + " " + status + " type " + typeId + " avail " + available + " holds " + holds + ")";
        }
    }

    public static final class MMerchant {
        public final int index;
        public UpsertMerchant profile;
        public long payable;
        public long receivable;
        public long feeAccrued;
        public long shareAccrued;
        public boolean underReview;
        public final Map<Integer, Long> activity = new HashMap<>();

        MMerchant(final int index, final UpsertMerchant profile) {
            this.index = index;
            this.profile = profile;
        }

        public String id() {
            return profile.merchantId();
        }
    }

    public static final class MTerminal {
        public UpsertTerminal profile;
        public boolean signedOn;
        public int batch = 1;
        public long debitAmount;
        public int debitCount;
        public long creditAmount;
        public int creditCount;
        public boolean hasSettled;
        public int settledBatch;
        public int settledFlag;
        public int uploads;

        MTerminal(final UpsertTerminal profile) {
            this.profile = profile;
        }
    }

    public static final int HOLD_OPEN = 1;
    public static final int HOLD_COMPLETED = 2;
    public static final int HOLD_CANCELLED = 3;
    public static final int HOLD_EXPIRED = 4;
    public static final int HOLD_REVERSED = 5;

    public static final class MHold {
        public final String key;
        public MCard card;
        public final long amount;
        public final int authCode;
        public final long preauthRrn;
        public final long expiresAt;
        public final int day;
        public int state = HOLD_OPEN;
        public int closedDay;

        MHold(final String key, final MCard card, final long amount, final int authCode, final long preauthRrn,
                final long expiresAt, final int day) {
            this.key = key;
            this.card = card;
            this.amount = amount;
            this.authCode = authCode;
            this.preauthRrn = preauthRrn;
            this.expiresAt = expiresAt;
            this.day = day;
        }
    }

    public static final class MTxn {
        public long rrn;
        public String key;
        public String terminal;
        public String merchant;
        public int batch;
        public int stan;
        public PosKind kind;
        public long panKey;
        public long amount;
        public int day;
        public boolean tombstone;
        public Reason reason = Reason.APPROVED;
        public boolean voided;
        public boolean reversed;
        public MCard card;
        public long cardAmount;
        public long discount;
        public long fee;
        public long share;
        public long points;
        public long pointsValue;
        /** Merchant debit split of a recharge or refund: the 2203 part and the 1122 part. */
        public long merchant2203;
        public long merchant1122;
        public long refunded;
        public long refundedCard;
        public long refundedDiscount;
        public long refundedFee;
        public long refundedShare;
        public long refundedPoints;
        public long refundedPointsValue;
        public MTxn original;
        public MHold hold;
        public Outcome answer;
        public int answerFields;

        public boolean approved() {
            return !tombstone && reason == Reason.APPROVED;
        }

        @Override
        public String toString() {
            return "txn rrn=" + rrn + " " + kind + " key=" + key + (tombstone ? " TOMBSTONE" : " " + reason)
                    + (voided ? " voided" : "") + (reversed ? " reversed" : "") + " amount=" + amount;
        }
    }

    public static final class MOperator {
        public UpsertOperator profile;

        MOperator(final UpsertOperator profile) {
            this.profile = profile;
        }
    }

    static final int PENDING_WAITING = 0;
    static final int PENDING_APPROVED = 1;
    static final int PENDING_REJECTED = 2;

    public static final class MPending {
        public final long id;
        public final String maker;
        public final AdminCommand request;
        public final int day;
        public int state = PENDING_WAITING;

        MPending(final long id, final String maker, final AdminCommand request, final int day) {
            this.id = id;
            this.maker = maker;
            this.request = request;
            this.day = day;
        }
    }

    static final int LINE_SENT = 1;
    static final int LINE_PAID = 2;
    static final int LINE_FAILED = 3;

    public static final class MLine {
        public final MMerchant merchant;
        public final long amount;
        public final long receivable;
        public int state;

        MLine(final MMerchant merchant, final long amount, final long receivable) {
            this.merchant = merchant;
            this.amount = amount;
            this.receivable = receivable;
        }
    }

    public static final class MSettlement {
        public final long id;
        public final String preparedBy;
        public final int day;
        public int state = PENDING_WAITING;
        public final List<MLine> lines = new ArrayList<>();

        MSettlement(final long id, final String preparedBy, final int day) {
            this.id = id;
            this.preparedBy = preparedBy;
            this.day = day;
        }

        boolean resolved() {
            if (state == PENDING_REJECTED) {
                return true;
            }
            if (state != PENDING_APPROVED) {
                return false;
            }
            for (final MLine line : lines) {
                if (line.state != LINE_PAID && line.state != LINE_FAILED) {
                    return false;
                }
            }
            return true;
        }
    }

    private record Remembered(String operator, AdminCommand command, Outcome answer, int fields) {
    }

    // ------------------------------------------------------------------ state

    public final LedgerConfig config;
    public final Map<Parameters.Name, Long> params = new EnumMap<>(Parameters.Name.class);
    public int today;
    public long nextRrn = 1;
    public int nextAuth = 1;
    public long nextPendingId = 1;

    public final Map<String, UpsertIssuer> issuers = new LinkedHashMap<>();
    public final Map<Integer, UpsertCardType> types = new LinkedHashMap<>();
    public final List<MRange> ranges = new ArrayList<>();
    public final List<MCard> cards = new ArrayList<>();
    public final Map<String, MMerchant> merchants = new LinkedHashMap<>();
    public final Map<String, MTerminal> terminals = new LinkedHashMap<>();
    public final Map<String, MOperator> operators = new LinkedHashMap<>();
    public final Map<Long, Record> rules = new LinkedHashMap<>();
    public final Map<Integer, DayKind> calendar = new HashMap<>();

    /** Transaction log in RRN order, and by key. */
    public final LinkedHashMap<Long, MTxn> log = new LinkedHashMap<>();
    public final Map<String, MTxn> byKey = new HashMap<>();
    public final LinkedHashMap<String, MHold> holds = new LinkedHashMap<>();
    public final LinkedHashMap<Long, MPending> pending = new LinkedHashMap<>();
    public final LinkedHashMap<Long, MSettlement> settlements = new LinkedHashMap<>();
    private final LinkedHashMap<Long, Remembered> memory = new LinkedHashMap<>();
    private final Map<String, int[]> nearThreshold = new HashMap<>();

    public final long[] debits = new long[Account.values().length];
    public final long[] credits = new long[Account.values().length];

    /** What the model computed for the last command where that helps to read a failure. */
    public String lastNote = "";

    /** Notes about spec gaps met while running (printed by the test, not failures). */
    public final List<String> notes = new ArrayList<>();

    public ReferenceModel(final LedgerConfig config) {
        this.config = config;
        for (final Parameters.Name name : Parameters.Name.values()) {
            params.put(name, name.defaultValue);
        }
    }

    long p(final Parameters.Name name) {
        return params.get(name);
    }

    // ------------------------------------------------------------------ books

    void debit(final Account account, final long amount) {
        if (amount < 0) {
            throw new IllegalStateException("model: negative debit " + amount + " to " + account);
        }
        debits[account.ordinal()] = Math.addExact(debits[account.ordinal()], amount);
    }

    void credit(final Account account, final long amount) {
        if (amount < 0) {
            throw new IllegalStateException("model: negative credit " + amount + " to " + account);
        }
        credits[account.ordinal()] = Math.addExact(credits[account.ordinal()], amount);
    }

    /** Balance on the account's normal side (assets and expenses: debits − credits). */
    public long balance(final Account account) {
        final long d = debits[account.ordinal()];
        final long c = credits[account.ordinal()];
        return account.debitNormal() ? d - c : c - d;
    }

    void cardDebit(final MCard card, final long amount) {
        debit(Account.CARD_VALUE, amount);
        card.available -= amount;
    }

    void cardCredit(final MCard card, final long amount) {
        credit(Account.CARD_VALUE, amount);
        card.available += amount;
    }

    void holdDebit(final MCard card, final long amount) {
        debit(Account.CARD_HOLDS, amount);
        card.holds -= amount;
    }

    void holdCredit(final MCard card, final long amount) {
        credit(Account.CARD_HOLDS, amount);
        card.holds += amount;
    }

    void merchantCredit(final MMerchant m, final long amount) {
        credit(Account.MERCHANT_PAYABLE, amount);
        m.payable += amount;
    }

    /** A merchant debit takes 2203 first, then 1122. Returns {2203 part, 1122 part}. */
    long[] merchantDebit(final MMerchant m, final long amount) {
        final long fromPayable = Math.max(0, Math.min(m.payable, amount));
        final long rest = amount - fromPayable;
        debit(Account.MERCHANT_PAYABLE, fromPayable);
        m.payable -= fromPayable;
        debit(Account.MERCHANT_RECEIVABLE, rest);
        m.receivable += rest;
        return new long[] {fromPayable, rest};
    }

    /**
     * Undoing a merchant debit (recharge or refund) that was split Dr 2203 {@code part2203} / Dr 1122
     * {@code part1122}.
     */
    void merchantCreditMirror(final MMerchant m, final long part2203, final long part1122) {
        // ledger-rules §2.8: the exact mirror, as far as the receivable still holds the part (a payout may have
        // netted it since); the rest goes to the payable.
        final long back1122 = Math.min(part1122, m.receivable);
        credit(Account.MERCHANT_RECEIVABLE, back1122);
        m.receivable -= back1122;
        credit(Account.MERCHANT_PAYABLE, part2203 + part1122 - back1122);
        m.payable += part2203 + part1122 - back1122;
    }

    void activity(final MMerchant m, final int day, final long signed) {
        m.activity.merge(day, signed, Long::sum);
    }

    // ------------------------------------------------------------------ helpers

    public long cap(final UpsertCardType type) {
        final long regulatory = p(type.named() ? Parameters.Name.BALANCE_CAP_NAMED : Parameters.Name.BALANCE_CAP_ANONYMOUS);
        return type.balanceCap() > 0 ? Math.min(type.balanceCap(), regulatory) : regulatory;
    }

    int pinTries(final UpsertCardType type) {
        return type.pinTries() > 0 ? type.pinTries() : (int) p(Parameters.Name.PIN_TRIES_DEFAULT);
    }

    public UpsertCardType type(final MCard card) {
        return types.get(card.typeId);
    }

    public boolean expired(final MCard card) {
        return today > card.expiryDay;
    }

    int effectivePinErrors(final MCard card) {
        return card.pinErrorDay == today ? card.pinErrors : 0;
    }

    int effectiveDeclines(final MCard card) {
        return card.declineDay == today ? card.declines : 0;
    }

    static int month(final int day) {
        return CivilDate.yyyymm(day);
    }

    int todayDate() {
        return today == 0 ? 0 : CivilDate.yyyymmdd(today);
    }

    boolean effective(final int fromDate, final int toDate) {
        final int d = todayDate();
        return (fromDate == 0 || d >= fromDate) && (toDate == 0 || d <= toDate);
    }

    static long ppm(final long amount, final long ratePpm) {
        return (amount * ratePpm + 500_000) / 1_000_000;
    }

    /** round(value × num / den), half-up. */
    static long proportion(final long value, final long num, final long den) {
        return BigInteger.valueOf(value).multiply(BigInteger.valueOf(num)).add(BigInteger.valueOf(den / 2))
                .divide(BigInteger.valueOf(den)).longValueExact();
    }

    public MCard live(final MCard card) {
        MCard c = card;
        while (c != null && c.status == CardStatus.REPLACED && c.replacedBy != null) {
            c = c.replacedBy;
        }
        return c;
    }

    static String key(final String terminal, final int batch, final int stan) {
        return terminal + "/" + batch + "/" + stan;
    }

    boolean isWorkingDay(final int day) {
        final DayKind kind = calendar.get(day);
        if (kind == DayKind.HOLIDAY) {
            return false;
        }
        if (kind == DayKind.WORKDAY) {
            return true;
        }
        return CivilDate.dayOfWeek(day) < 5;
    }

    int workingDaysAfter(final int from, final int to) {
        int n = 0;
        for (int d = from + 1; d <= to; d++) {
            if (isWorkingDay(d)) {
                n++;
            }
        }
        return n;
    }

    /** Resolves a PAN (length, body, check digit) per card checks 1-3: a card or the reason it is not one. */
    Object resolve(final int length, final long body, final int checkDigit) {
        if (length == 0 || !Pan.isWellFormed(length, body) || checkDigit > 9) {
            return Reason.CARD_NUMBER_LENGTH;
        }
        if (Pan.luhnCheckDigit(body, length - 1) != checkDigit) {
            return Reason.CARD_CHECK_DIGIT;
        }
        final String bodyDigits = String.format("%0" + (length - 1) + "d", body);
        boolean otherLength = false;
        for (final MRange range : ranges) {
            if (range.panLength == length) {
                if (bodyDigits.startsWith(range.bin)) {
                    final long account = Long.parseLong(bodyDigits.substring(range.bin.length()));
                    final MCard card = range.byAccount.get(account);
                    return card != null ? card : Reason.CARD_NOT_ISSUED;
                }
            } else if (range.panLength - 1 - range.bin.length() >= 0 && length - 1 > range.bin.length()
                    && bodyDigits.startsWith(range.bin)) {
                otherLength = true;
            }
        }
        return otherLength ? Reason.CARD_NUMBER_LENGTH : Reason.CARD_BIN_UNKNOWN;
    }

    Object resolve(final String pan) {
        if (pan == null || pan.length() < 13 || pan.length() > 19 || !pan.chars().allMatch(Character::isDigit)) {
            return Reason.CARD_NUMBER_LENGTH;
        }
        final long body = Long.parseLong(pan.substring(0, pan.length() - 1));
        return resolve(pan.length(), body, pan.charAt(pan.length() - 1) - '0');
    }

    public MCard cardOfPan(final String pan) {
        final Object r = resolve(pan);
        return r instanceof MCard ? (MCard) r : null;
    }

    /** Card check 4: the status reason, or null for ACTIVE. */
    static Reason statusReason(final MCard card) {
        switch (card.status) {
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
                return null;
        }
    }

    /** The status check of undo/redo checks: blacklisted, returned, cancelled, replaced. */
    static Reason deadStatusReason(final MCard card) {
        switch (card.status) {
            case BLACKLISTED:
                return Reason.CARD_BLACKLISTED;
            case RETURNED:
                return Reason.CARD_RETURNED;
            case CANCELLED:
                return Reason.CARD_CANCELLED;
            case REPLACED:
                return Reason.CARD_REPLACED;
            default:
                return null;
        }
    }

    // ------------------------------------------------------------------ rules (fee, discount, points)

    private List<Record> sortedRules(final Class<? extends Record> kind) {
        final List<Record> list = new ArrayList<>();
        for (final Record r : rules.values()) {
            if (kind.isInstance(r)) {
                list.add(r);
            }
        }
        list.sort((a, b) -> {
            final int pa = priorityOf(a);
            final int pb = priorityOf(b);
            return pa != pb ? Integer.compare(pa, pb) : Long.compare(idOf(a), idOf(b));
        });
        return list;
    }

    private static int priorityOf(final Record r) {
        if (r instanceof PutFeeRule f) {
            return f.priority();
        } else if (r instanceof PutDiscountRule d) {
            return d.priority();
        }
        return ((PutPointsRule) r).priority();
    }

    private static long idOf(final Record r) {
        if (r instanceof PutFeeRule f) {
            return f.ruleId();
        } else if (r instanceof PutDiscountRule d) {
            return d.ruleId();
        }
        return ((PutPointsRule) r).ruleId();
    }

    long fee(final MMerchant m, final int cardType, final PosKind kind, final long amount) {
        for (final Record r : sortedRules(PutFeeRule.class)) {
            final PutFeeRule f = (PutFeeRule) r;
            if (!f.merchantId().equals(m.id()) || f.method() == FeeMethod.PERIODIC) {
                continue;
            }
            if ((f.cardTypeId() == 0 || f.cardTypeId() == cardType) && (f.kinds() & kind.bit()) != 0
                    && effective(f.fromDate(), f.toDate())) {
                switch (f.method()) {
                    case PERCENT:
                        return ppm(amount, f.ratePpm());
                    case FIXED:
                        return f.fixedFen();
                    case PERCENT_MIN_CAP: {
                        long fee = Math.max(ppm(amount, f.ratePpm()), f.minFen());
                        if (f.capFen() > 0) {
                            fee = Math.min(fee, f.capFen());
                        }
                        return fee;
                    }
                    default:
                        return 0;
                }
            }
        }
        return 0;
    }

    long periodicFee(final MMerchant m, final int day) {
        final int date = CivilDate.yyyymmdd(day);
        for (final Record r : sortedRules(PutFeeRule.class)) {
            final PutFeeRule f = (PutFeeRule) r;
            if (f.merchantId().equals(m.id()) && f.method() == FeeMethod.PERIODIC
                    && (f.fromDate() == 0 || date >= f.fromDate()) && (f.toDate() == 0 || date <= f.toDate())) {
                return f.fixedFen();
            }
        }
        return 0;
    }

    long discount(final MMerchant m, final int cardType, final long amount) {
        for (final Record r : sortedRules(PutDiscountRule.class)) {
            final PutDiscountRule d = (PutDiscountRule) r;
            if (!d.merchantId().equals(m.id())) {
                continue;
            }
            if ((d.cardTypeId() == 0 || d.cardTypeId() == cardType) && effective(d.fromDate(), d.toDate())) {
                if (amount < d.minPurchaseFen()) {
                    return 0;
                }
                long discount = ppm(amount, d.ratePpm());
                if (d.capFen() > 0) {
                    discount = Math.min(discount, d.capFen());
                }
                return Math.min(discount, amount);
            }
        }
        return 0;
    }

    long pointsRate(final MMerchant m, final UpsertCardType type) {
        for (final Record r : sortedRules(PutPointsRule.class)) {
            final PutPointsRule pr = (PutPointsRule) r;
            if ((pr.merchantId().isEmpty() || pr.merchantId().equals(m.id()))
                    && (pr.cardTypeId() == 0 || pr.cardTypeId() == type.id()) && effective(pr.fromDate(), pr.toDate())) {
                return pr.pointsPerYuan();
            }
        }
        return type.pointsPerYuan();
    }

    long share(final MTerminal t, final long fee, final long amount) {
        switch (t.profile.shareMethod()) {
            case FEE_RATIO:
                return ppm(fee, t.profile.shareRatePpm());
            case SPREAD:
                return Math.max(0, fee - ppm(amount, t.profile.shareRatePpm()));
            default:
                return 0;
        }
    }

    // ------------------------------------------------------------------ velocity

    void velocityAddToday(final MCard card, final long amount) {
        if (card.velocityDay != today) {
            card.velocityDay = today;
            card.dayAmount = 0;
            card.dayCount = 0;
        }
        if (card.velocityMonth != month(today)) {
            card.velocityMonth = month(today);
            card.monthAmount = 0;
            card.monthCount = 0;
        }
        card.dayAmount += amount;
        card.dayCount += 1;
        card.monthAmount += amount;
        card.monthCount += 1;
    }

    /** Adds (signed) to the counters of the day and month of {@code day}, where they are still that day/month. */
    void velocityAdjust(final MCard card, final int day, final long amount, final int count) {
        // ledger-rules §2.8: counters are never taken below zero.
        if (card.velocityDay == day) {
            card.dayAmount = Math.max(0, card.dayAmount + amount);
            card.dayCount = Math.max(0, card.dayCount + count);
        }
        if (card.velocityMonth == month(day)) {
            card.monthAmount = Math.max(0, card.monthAmount + amount);
            card.monthCount = Math.max(0, card.monthCount + count);
        }
    }

    // ------------------------------------------------------------------ POS

    /** Per-request working state. */
    private static final class Ctx {
        MCard card;
        int flags;
    }

    public Expected pos(final PosMsg m, final long timestamp) {
        lastNote = "";
        final Expected e = new Expected();
        final Outcome o = e.out;
        o.reset();
        e.fields |= F_DATE;
        o.businessDate = todayDate();
        final PosKind kind = PosKind.ofCode(m.kindCode);
        if (kind == null) {
            o.reason = Reason.UNSUPPORTED_TRANSACTION;
            return e;
        }
        final MTerminal t = terminals.get(m.terminalId);
        if (t == null) {
            o.reason = Reason.TERMINAL_NOT_REGISTERED;
            return e;
        }
        if (t.profile.status() == TerminalStatus.DISABLED) {
            o.reason = Reason.TERMINAL_DISABLED;
            return e;
        }
        if (!m.merchantId.equals(t.profile.merchantId())) {
            o.reason = Reason.MERCHANT_ID_MISMATCH;
            return e;
        }
        if (today == 0) {
            o.reason = Reason.BUSINESS_DAY_NOT_OPEN;
            return e;
        }
        final MMerchant mer = merchants.get(t.profile.merchantId());
        if (kind == PosKind.SIGN_ON) {
            if (mer.profile.status() != MerchantStatus.ACTIVE) {
                o.reason = Reason.MERCHANT_NOT_ACTIVE;
                return e;
            }
            t.signedOn = true;
            o.batch = t.batch;
            e.fields |= F_BATCH;
            return e;
        }
        if (kind == PosKind.SIGN_OFF) {
            t.signedOn = false;
            o.batch = t.batch;
            e.fields |= F_BATCH;
            return e;
        }
        if (!t.signedOn) {
            o.reason = Reason.TERMINAL_NOT_SIGNED_ON;
            return e;
        }
        switch (kind) {
            case BATCH_SETTLEMENT:
                settlement(m, t, e);
                return e;
            case BATCH_UPLOAD:
            case BATCH_UPLOAD_END:
                upload(m, kind, t, e);
                return e;
            case REVERSAL:
                reversal(m, t, mer, e);
                return e;
            default:
                break;
        }
        if (mer.profile.status() != MerchantStatus.ACTIVE) {
            o.reason = Reason.MERCHANT_NOT_ACTIVE;
            return e;
        }
        if (m.batch < 0 || m.batch > 999_999 || m.stan < 0 || m.stan > 999_999) {
            o.reason = Reason.INVALID_BATCH_OR_STAN;
            return e;
        }
        if (m.batch != t.batch) {
            o.reason = Reason.BATCH_NUMBER_MISMATCH;
            o.batch = t.batch;
            e.fields |= F_BATCH;
            return e;
        }
        final String key = key(m.terminalId, m.batch, m.stan);
        final long requestAmount = kind == PosKind.BALANCE_INQUIRY ? 0 : m.amount;
        final MTxn existing = byKey.get(key);
        if (existing != null) {
            if (existing.tombstone) {
                o.reason = Reason.ORIGINAL_REVERSED_BEFORE_ARRIVAL;
                return e;
            }
            if (existing.kind == kind && existing.amount == requestAmount && existing.panKey == m.panKeyForMatching()) {
                o.copyFrom(existing.answer);
                o.duplicate = true;
                o.businessDate = todayDate();
                // the recorded answer: reason, RRN, auth code, balances, fee, discount, points, risk flags
                e.fields |= existing.answerFields & (F_RRN | F_AUTH | F_BALANCES | F_FEE | F_DISCOUNT | F_POINTS | F_FLAGS);
                return e;
            }
            o.reason = Reason.DUPLICATE_WITH_DIFFERENT_CONTENT;
            return e;
        }

        // Step 13: the kind's own rules; the request is recorded whatever the answer.
        final MTxn r = new MTxn();
        r.key = key;
        r.terminal = m.terminalId;
        r.merchant = mer.id();
        r.batch = m.batch;
        r.stan = m.stan;
        r.kind = kind;
        r.panKey = m.panKeyForMatching();
        r.amount = requestAmount;
        r.day = today;
        final Ctx ctx = new Ctx();
        Reason reason;
        switch (kind) {
            case PURCHASE:
                reason = purchase(m, t, mer, r, ctx, o);
                break;
            case BALANCE_INQUIRY:
                reason = balanceInquiry(m, ctx);
                break;
            case RECHARGE:
                reason = recharge(m, t, mer, r, ctx, o);
                break;
            case PREAUTH:
                reason = preauth(m, r, ctx, timestamp);
                o.cardAmount = reason == Reason.APPROVED ? m.amount : 0;
                break;
            case PREAUTH_CANCEL:
                reason = preauthCancel(m, r, ctx);
                break;
            case COMPLETION:
                reason = completion(m, t, mer, r, ctx, o);
                break;
            case REFUND:
                reason = refund(m, t, mer, r, ctx, o);
                break;
            case PURCHASE_VOID:
            case RECHARGE_VOID:
            case COMPLETION_VOID:
                reason = voidOf(m, kind, t, mer, r, ctx, o);
                break;
            default:
                throw new IllegalStateException("model: no rules for " + kind);
        }
        r.reason = reason;
        r.card = ctx.card;
        o.reason = reason;
        e.fields |= F_RRN | F_AUTH | F_BALANCES | F_FLAGS;
        switch (kind) {
            case PURCHASE:
            case COMPLETION:
            case REFUND:
            case RECHARGE:
            case PREAUTH:
            case BALANCE_INQUIRY:
                // the amounts these answer follow from the spec (or from Outcome's definition of the fields)
                e.fields |= F_CARD_AMOUNT | F_DISCOUNT | F_FEE | F_POINTS;
                break;
            default:
                // voids and pre-auth cancel: the spec says nothing about the amounts they answer
                break;
        }
        o.riskFlags = ctx.flags;
        if (reason == Reason.APPROVED) {
            o.authCode = takeAuthCode();
            final MCard c = ctx.card;
            o.availableBalance = c.available;
            o.ledgerBalance = c.ledgerBalance();
        } else {
            o.authCode = -1;
            o.availableBalance = -1;
            o.ledgerBalance = -1;
            o.cardAmount = 0;
            o.discount = 0;
            o.fee = 0;
            o.points = 0;
            if (ctx.card != null) {
                final MCard c = ctx.card;
                if (c.declineDay != today) {
                    c.declineDay = today;
                    c.declines = 0;
                }
                c.declines++;
                if (TRACE) {
                    System.out.println("      model: declines of " + c.pan + " today now " + c.declines + " (" + kind + " " + reason + ")");
                }
            }
        }
        append(r);
        o.rrn = r.rrn;
        r.answer = new Outcome();
        r.answer.copyFrom(o);
        r.answerFields = e.fields;
        return e;
    }

    int takeAuthCode() {
        final int code = nextAuth;
        nextAuth = nextAuth >= 999_999 ? 1 : nextAuth + 1;
        return code;
    }

    /** Appends a record with the next RRN; the oldest record is retired when the ring is full. */
    void append(final MTxn r) {
        // CHOICE: the new record is appended after the kind's rules ran (so a request may still match the
        // oldest record that its own append would push out of a full ring).
        if (log.size() >= config.transactionLogCapacity()) {
            final Iterator<MTxn> it = log.values().iterator();
            final MTxn oldest = it.next();
            it.remove();
            if (byKey.get(oldest.key) == oldest) {
                byKey.remove(oldest.key);
            }
        }
        r.rrn = nextRrn++;
        log.put(r.rrn, r);
        byKey.put(r.key, r);
    }

    Reason messageChecks(final PosMsg m, final boolean hasAmount) {
        if (m.currency != 156) {
            return Reason.CURRENCY_NOT_SUPPORTED;
        }
        if (hasAmount) {
            if (m.amount <= 0) {
                return Reason.AMOUNT_NOT_POSITIVE;
            }
            if (m.amount > 999_999_999_999L) {
                return Reason.AMOUNT_TOO_LARGE;
            }
        }
        return null;
    }

    /** Card checks 1-8 for a new transaction of {@code kind}. Sets ctx.card once the card is identified. */
    Reason cardChecks(final PosMsg m, final PosKind kind, final Ctx ctx) {
        final Object resolved = resolve(m.panLength, m.panBody, m.checkDigit);
        if (resolved instanceof Reason) {
            return (Reason) resolved;
        }
        final MCard card = (MCard) resolved;
        ctx.card = card;
        final Reason status = statusReason(card);
        if (status != null) {
            return status;
        }
        if (expired(card)) {
            return Reason.CARD_EXPIRED;
        }
        final UpsertCardType type = type(card);
        if (effectivePinErrors(card) >= pinTries(type)) {
            return Reason.CARD_PIN_LOCKED;
        }
        if (kind.permissionControlled && (type.permittedKinds() & kind.bit()) == 0) {
            return Reason.NOT_PERMITTED_FOR_CARD_TYPE;
        }
        return pinRule(m, card, type, kind);
    }

    /** Card check 8: the PIN. */
    Reason pinRule(final PosMsg m, final MCard card, final UpsertCardType type, final PosKind kind) {
        final boolean required = (type.pinRequiredKinds() & kind.bit()) != 0;
        if (!m.pinEntered) {
            return required ? Reason.PIN_MISSING : null;
        }
        if (card.pinCheck == 0) {
            return required ? Reason.PIN_NOT_SET : null;
        }
        if (m.pinCheck == card.pinCheck) {
            return null;
        }
        final int count = effectivePinErrors(card) + 1;
        card.pinErrors = count;
        card.pinErrorDay = today;
        return count >= pinTries(type) ? Reason.PIN_TRIES_EXCEEDED : Reason.PIN_WRONG;
    }

    Reason limits(final MCard card, final UpsertCardType type, final long a, final Ctx ctx) {
        if (type.singleLimit() > 0 && a > type.singleLimit()) {
            return Reason.SINGLE_AMOUNT_LIMIT;
        }
        final long dayAmount = card.velocityDay == today ? card.dayAmount : 0;
        final int dayCount = card.velocityDay == today ? card.dayCount : 0;
        final long monthAmount = card.velocityMonth == month(today) ? card.monthAmount : 0;
        final int monthCount = card.velocityMonth == month(today) ? card.monthCount : 0;
        if (type.dailyAmountLimit() > 0 && dayAmount + a > type.dailyAmountLimit()) {
            return Reason.DAILY_AMOUNT_LIMIT;
        }
        if (type.dailyCountLimit() > 0 && dayCount + 1 > type.dailyCountLimit()) {
            return Reason.DAILY_COUNT_LIMIT;
        }
        if (type.monthlyAmountLimit() > 0 && monthAmount + a > type.monthlyAmountLimit()) {
            return Reason.MONTHLY_AMOUNT_LIMIT;
        }
        if (type.monthlyCountLimit() > 0 && monthCount + 1 > type.monthlyCountLimit()) {
            return Reason.MONTHLY_COUNT_LIMIT;
        }
        if (a >= p(Parameters.Name.LARGE_AMOUNT_THRESHOLD)) {
            if (p(Parameters.Name.LARGE_AMOUNT_BLOCKS) != 0) {
                return Reason.RISK_LARGE_AMOUNT;
            }
            ctx.flags |= Outcome.FLAG_LARGE_AMOUNT;
        }
        if (effectiveDeclines(card) >= p(Parameters.Name.DECLINES_PER_DAY_THRESHOLD)) {
            if (p(Parameters.Name.DECLINES_BLOCK) != 0) {
                return Reason.RISK_TOO_MANY_DECLINES;
            }
            ctx.flags |= Outcome.FLAG_MANY_DECLINES;
        }
        return null;
    }

    // --- 2.1 purchase

    Reason purchase(final PosMsg m, final MTerminal t, final MMerchant mer, final MTxn r, final Ctx ctx, final Outcome o) {
        Reason reason = messageChecks(m, true);
        if (reason != null) {
            return reason;
        }
        reason = cardChecks(m, PosKind.PURCHASE, ctx);
        if (reason != null) {
            return reason;
        }
        final MCard card = ctx.card;
        final UpsertCardType type = type(card);
        final long a = m.amount;
        reason = limits(card, type, a, ctx);
        if (reason != null) {
            return reason;
        }
        final long d = discount(mer, type.id(), a);
        if (card.available < a - d) {
            return Reason.INSUFFICIENT_BALANCE;
        }
        final long f = fee(mer, type.id(), PosKind.PURCHASE, a);
        final long s = share(t, f, a);
        final long points = ((a - d) / 100) * pointsRate(mer, type);
        final long pv = points * p(Parameters.Name.POINT_VALUE_FEN);
        r.cardAmount = a - d;
        r.discount = d;
        r.fee = f;
        r.share = s;
        r.points = points;
        r.pointsValue = pv;
        applyPurchase(r, card, t, mer, r.day, true);
        card.used = true;
        o.cardAmount = a - d;
        o.discount = d;
        o.fee = f;
        o.points = points;
        return Reason.APPROVED;
    }

    /** The effects of a purchase (first time: velocity of today; redo: velocity of its day where still dated). */
    void applyPurchase(final MTxn r, final MCard card, final MTerminal t, final MMerchant mer, final int day,
            final boolean first) {
        cardDebit(card, r.cardAmount);
        debit(Account.PROMOTION_EXPENSE, r.discount);
        merchantCredit(mer, r.amount);
        debit(Account.CUSTODY, r.discount);
        credit(Account.OPERATOR_BANK, r.discount);
        debit(Account.PROMOTION_EXPENSE, r.pointsValue);
        credit(Account.LOYALTY_POINTS, r.pointsValue);
        card.points += r.points;
        if (first) {
            velocityAddToday(card, r.amount);
        } else {
            velocityAdjust(card, day, r.amount, 1);
        }
        t.debitAmount += r.amount;
        t.debitCount += 1;
        mer.feeAccrued += r.fee;
        mer.shareAccrued += r.share;
        activity(mer, today, r.amount);
    }

    void undoPurchase(final MTxn r, final MCard card, final MTerminal t, final MMerchant mer) {
        cardCredit(card, r.cardAmount);
        credit(Account.PROMOTION_EXPENSE, r.discount);
        merchantDebit(mer, r.amount);
        credit(Account.CUSTODY, r.discount);
        debit(Account.OPERATOR_BANK, r.discount);
        credit(Account.PROMOTION_EXPENSE, r.pointsValue);
        debit(Account.LOYALTY_POINTS, r.pointsValue);
        card.points -= r.points;
        velocityAdjust(card, r.day, -r.amount, -1);
        t.debitAmount -= r.amount;
        t.debitCount -= 1;
        mer.feeAccrued -= r.fee;
        mer.shareAccrued -= r.share;
        activity(mer, today, -r.amount);
    }

    // --- 2.2 balance inquiry

    Reason balanceInquiry(final PosMsg m, final Ctx ctx) {
        final Reason reason = messageChecks(m, false);
        if (reason != null) {
            return reason;
        }
        final Reason checks = cardChecks(m, PosKind.BALANCE_INQUIRY, ctx);
        return checks == null ? Reason.APPROVED : checks;
    }

    // --- 2.3 recharge

    Reason recharge(final PosMsg m, final MTerminal t, final MMerchant mer, final MTxn r, final Ctx ctx, final Outcome o) {
        Reason reason = messageChecks(m, true);
        if (reason != null) {
            return reason;
        }
        if (!mer.profile.rechargeAllowed()) {
            return Reason.RECHARGE_NOT_PERMITTED_AT_MERCHANT;
        }
        reason = cardChecks(m, PosKind.RECHARGE, ctx);
        if (reason != null) {
            return reason;
        }
        final MCard card = ctx.card;
        final UpsertCardType type = type(card);
        if (!type.rechargeable()) {
            return Reason.CARD_NOT_RECHARGEABLE;
        }
        final long a = m.amount;
        if (a >= p(Parameters.Name.RECHARGE_TRANSFER_THRESHOLD)) {
            return Reason.RECHARGE_CASH_LIMIT;
        }
        if (card.ledgerBalance() + a > cap(type)) {
            return Reason.BALANCE_CAP_EXCEEDED;
        }
        r.cardAmount = a;
        // "the merchant's commission for taking a recharge: a fee rule of kind RECHARGE, never more than the recharge"
        r.fee = Math.min(a, fee(mer, type.id(), PosKind.RECHARGE, a));
        applyRecharge(r, card, t, mer);
        card.used = true;
        o.cardAmount = a;
        o.fee = r.fee;
        return Reason.APPROVED;
    }

    void applyRecharge(final MTxn r, final MCard card, final MTerminal t, final MMerchant mer) {
        final long owed = r.amount - r.fee;
        final long[] split = merchantDebit(mer, owed);
        r.merchant2203 = split[0];
        r.merchant1122 = split[1];
        cardCredit(card, r.amount);
        debit(Account.COMMISSION_EXPENSE, r.fee);
        debit(Account.CUSTODY, r.fee);
        credit(Account.OPERATOR_BANK, r.fee);
        t.creditAmount += r.amount;
        t.creditCount += 1;
        activity(mer, today, -owed);
    }

    void undoRecharge(final MTxn r, final MCard card, final MTerminal t, final MMerchant mer) {
        cardDebit(card, r.amount);
        merchantCreditMirror(mer, r.merchant2203, r.merchant1122);
        credit(Account.COMMISSION_EXPENSE, r.fee);
        credit(Account.CUSTODY, r.fee);
        debit(Account.OPERATOR_BANK, r.fee);
        t.creditAmount -= r.amount;
        t.creditCount -= 1;
        activity(mer, today, r.amount - r.fee);
    }

    // --- 2.4 pre-authorisation

    Reason preauth(final PosMsg m, final MTxn r, final Ctx ctx, final long timestamp) {
        Reason reason = messageChecks(m, true);
        if (reason != null) {
            return reason;
        }
        reason = cardChecks(m, PosKind.PREAUTH, ctx);
        if (reason != null) {
            return reason;
        }
        final MCard card = ctx.card;
        final UpsertCardType type = type(card);
        final long a = m.amount;
        reason = limits(card, type, a, ctx);
        if (reason != null) {
            return reason;
        }
        if (card.available < a) {
            return Reason.INSUFFICIENT_BALANCE;
        }
        if (holds.size() >= config.maxOpenHolds()) {
            return Reason.HOLD_TABLE_FULL;
        }
        cardDebit(card, a);
        holdCredit(card, a);
        velocityAddToday(card, a);
        card.used = true;
        card.openHolds++;
        r.cardAmount = a;
        // The auth code is taken by the caller after approval: the hold needs it, so peek at it here.
        final MHold hold = new MHold(r.key, card, a, nextAuth, nextRrn, timestamp + p(Parameters.Name.HOLD_TIMEOUT_MINUTES) * 60_000L,
                today);
        holds.put(r.key, hold);
        r.hold = hold;
        return Reason.APPROVED;
    }

    MTxn recordOfRrn(final long rrn) {
        return log.get(rrn);
    }

    /** Whether a PAN given in a cancel/completion names the hold's card or a card replaced by it. */
    boolean panNamesHoldCard(final PosMsg m, final MHold hold) {
        final Object resolved = resolve(m.panLength, m.panBody, m.checkDigit);
        if (!(resolved instanceof MCard)) {
            return false;
        }
        MCard c = (MCard) resolved;
        while (c != null) {
            if (c == hold.card) {
                return true;
            }
            c = c.status == CardStatus.REPLACED ? c.replacedBy : null;
        }
        return false;
    }

    // --- 2.5 pre-auth cancel

    Reason preauthCancel(final PosMsg m, final MTxn r, final Ctx ctx) {
        Reason reason = messageChecks(m, false);
        if (reason != null) {
            return reason;
        }
        final MHold hold = holds.get(key(m.terminalId, m.originalBatch, m.originalStan));
        if (hold == null) {
            return Reason.ORIGINAL_NOT_FOUND;
        }
        if (m.originalAuth >= 0 && m.originalAuth != hold.authCode) {
            return Reason.ORIGINAL_DETAILS_MISMATCH;
        }
        if (m.panLength > 0 && !panNamesHoldCard(m, hold)) {
            return Reason.ORIGINAL_DETAILS_MISMATCH;
        }
        if (hold.state != HOLD_OPEN) {
            return Reason.PREAUTH_NOT_OPEN;
        }
        // DIVERGENCE (spec ambiguous: "a decline after the card was identified"): the ledger counts the card as
        // identified once the hold is matched and open (observed: seed 4 #329, a cancel declined with VOID_AMOUNT_DIFFERS counts; seed 1
        // #491, a wrong auth code, and seed 6 #680, PREAUTH_NOT_OPEN, do not).
        ctx.card = hold.card;
        if (m.amount != 0 && m.amount != hold.amount) {
            return Reason.VOID_AMOUNT_DIFFERS;
        }
        final MCard card = hold.card;
        reason = deadStatusReason(card);
        if (reason != null) {
            return reason;
        }
        r.hold = hold;
        cancelHold(hold);
        return Reason.APPROVED;
    }

    void cancelHold(final MHold hold) {
        final MCard card = hold.card;
        holdDebit(card, hold.amount);
        cardCredit(card, hold.amount);
        final MTxn pre = recordOfRrn(hold.preauthRrn);
        if (pre != null) {
            velocityAdjust(card, pre.day, -hold.amount, -1);
        }
        hold.state = HOLD_CANCELLED;
        hold.closedDay = today;
        card.openHolds--;
    }

    void uncancelHold(final MHold hold) {
        final MCard card = live(hold.card);
        hold.card = card; // the hold reopens on the live card
        cardDebit(card, hold.amount);
        holdCredit(card, hold.amount);
        final MTxn pre = recordOfRrn(hold.preauthRrn);
        if (pre != null) {
            velocityAdjust(card, pre.day, hold.amount, 1);
        }
        hold.state = HOLD_OPEN;
        card.openHolds++;
    }

    // --- 2.6 completion

    Reason completion(final PosMsg m, final MTerminal t, final MMerchant mer, final MTxn r, final Ctx ctx, final Outcome o) {
        Reason reason = messageChecks(m, true);
        if (reason != null) {
            return reason;
        }
        final MHold hold = holds.get(key(m.terminalId, m.originalBatch, m.originalStan));
        if (hold == null) {
            return Reason.ORIGINAL_NOT_FOUND;
        }
        if (m.originalAuth >= 0 && m.originalAuth != hold.authCode) {
            return Reason.ORIGINAL_DETAILS_MISMATCH;
        }
        if (m.panLength > 0 && !panNamesHoldCard(m, hold)) {
            return Reason.ORIGINAL_DETAILS_MISMATCH;
        }
        if (hold.state != HOLD_OPEN) {
            return Reason.PREAUTH_NOT_OPEN;
        }
        // DIVERGENCE (spec ambiguous: "a decline after the card was identified"): the ledger counts the card as
        // identified once the hold is matched and open (observed: seed 4 #329, a cancel declined with VOID_AMOUNT_DIFFERS counts; seed 1
        // #491, a wrong auth code, and seed 6 #680, PREAUTH_NOT_OPEN, do not).
        ctx.card = hold.card;
        final MCard card = hold.card;
        reason = deadStatusReason(card);
        if (reason != null) {
            return reason;
        }
        final UpsertCardType type = type(card);
        if ((type.permittedKinds() & PosKind.COMPLETION.bit()) == 0) {
            return Reason.NOT_PERMITTED_FOR_CARD_TYPE;
        }
        final long a = m.amount;
        if (a > hold.amount) {
            return Reason.COMPLETION_EXCEEDS_HOLD;
        }
        if ((type.pinRequiredKinds() & PosKind.COMPLETION.bit()) != 0) {
            reason = pinRule(m, card, type, PosKind.COMPLETION);
            if (reason != null) {
                return reason;
            }
        }
        final long f = fee(mer, type.id(), PosKind.COMPLETION, a);
        r.fee = f;
        r.share = share(t, f, a);
        r.points = (a / 100) * pointsRate(mer, type);
        r.pointsValue = r.points * p(Parameters.Name.POINT_VALUE_FEN);
        r.cardAmount = a;
        r.hold = hold;
        applyCompletion(r, card, t, mer);
        o.cardAmount = a;
        o.fee = f;
        o.points = r.points;
        return Reason.APPROVED;
    }

    void applyCompletion(final MTxn r, final MCard card, final MTerminal t, final MMerchant mer) {
        final MHold hold = r.hold;
        holdDebit(card, hold.amount);
        merchantCredit(mer, r.amount);
        cardCredit(card, hold.amount - r.amount);
        debit(Account.PROMOTION_EXPENSE, r.pointsValue);
        credit(Account.LOYALTY_POINTS, r.pointsValue);
        card.points += r.points;
        t.debitAmount += r.amount;
        t.debitCount += 1;
        mer.feeAccrued += r.fee;
        mer.shareAccrued += r.share;
        activity(mer, today, r.amount);
        hold.state = HOLD_COMPLETED;
        hold.closedDay = today;
        card.openHolds--;
    }

    void undoCompletion(final MTxn r, final MCard card, final MTerminal t, final MMerchant mer) {
        final MHold hold = r.hold;
        hold.card = card; // the hold reopens on the live card (the card may have been replaced meanwhile)
        holdCredit(card, hold.amount);
        merchantDebit(mer, r.amount);
        cardDebit(card, hold.amount - r.amount);
        credit(Account.PROMOTION_EXPENSE, r.pointsValue);
        debit(Account.LOYALTY_POINTS, r.pointsValue);
        card.points -= r.points;
        t.debitAmount -= r.amount;
        t.debitCount -= 1;
        mer.feeAccrued -= r.fee;
        mer.shareAccrued -= r.share;
        activity(mer, today, -r.amount);
        hold.state = HOLD_OPEN;
        card.openHolds++;
    }

    // --- 2.7 refund

    Reason refund(final PosMsg m, final MTerminal t, final MMerchant mer, final MTxn r, final Ctx ctx, final Outcome o) {
        Reason reason = messageChecks(m, true);
        if (reason != null) {
            return reason;
        }
        final MTxn orig = recordOfRrn(m.originalRrn);
        if (orig == null || orig.tombstone) {
            return Reason.ORIGINAL_NOT_FOUND;
        }
        if (orig.kind != PosKind.PURCHASE && orig.kind != PosKind.COMPLETION) {
            return Reason.ORIGINAL_KIND_MISMATCH;
        }
        if (!orig.approved()) {
            return Reason.ORIGINAL_NOT_APPROVED;
        }
        if (!orig.merchant.equals(mer.id())) {
            return Reason.ORIGINAL_OTHER_MERCHANT;
        }
        if ((m.originalStan != 0 && m.originalStan != orig.stan) || (m.originalBatch != 0 && m.originalBatch != orig.batch)
                || (m.panLength > 0 && m.panKeyForMatching() != orig.panKey)) {
            return Reason.ORIGINAL_DETAILS_MISMATCH;
        }
        if (orig.voided) {
            return Reason.ORIGINAL_ALREADY_VOIDED;
        }
        if (orig.reversed) {
            return Reason.ORIGINAL_ALREADY_REVERSED;
        }
        if (today - orig.day > p(Parameters.Name.REFUND_WINDOW_DAYS)) {
            return Reason.ORIGINAL_OUTSIDE_REFUND_WINDOW;
        }
        final long a = m.amount;
        if (orig.refunded + a > orig.amount) {
            return Reason.REFUND_EXCEEDS_ORIGINAL;
        }
        final MCard card = live(orig.card);
        // CHOICE: for refunds and voids the card is identified where the rules first name it.
        ctx.card = card;
        reason = statusReason(card);
        if (reason != null) {
            return reason;
        }
        if (expired(card)) {
            return Reason.CARD_EXPIRED;
        }
        final UpsertCardType type = type(card);
        if ((type.permittedKinds() & PosKind.REFUND.bit()) == 0) {
            return Reason.NOT_PERMITTED_FOR_CARD_TYPE;
        }
        if ((type.pinRequiredKinds() & PosKind.REFUND.bit()) != 0) {
            reason = pinRule(m, card, type, PosKind.REFUND);
            if (reason != null) {
                return reason;
            }
        }
        final boolean completes = orig.refunded + a == orig.amount;
        // ledger-rules §2.7: the discount part by proportion, the card part the rest (capped at what the card
        // paid and has not had back), so the two always add up to the refund.
        final long discountShare = part(orig.discount, orig.refundedDiscount, a, orig.amount, completes);
        final long cardPart = Math.min(a - discountShare, orig.cardAmount - orig.refundedCard);
        final long discountPart = a - cardPart;
        if (card.ledgerBalance() + cardPart > cap(type)) {
            return Reason.BALANCE_CAP_EXCEEDED;
        }
        final long pointsPart = part(orig.points, orig.refundedPoints, a, orig.amount, completes);
        final long pvPart = part(orig.pointsValue, orig.refundedPointsValue, a, orig.amount, completes);
        final RefundFeePolicy policy = mer.profile.refundFeePolicy();
        final long feePart;
        switch (policy) {
            case PROPORTIONAL:
                feePart = part(orig.fee, orig.refundedFee, a, orig.amount, completes);
                break;
            case FULL:
                // DIVERGENCE (spec ambiguous: "the whole fee on the first refund, 0 after"): the ledger returns the
                // whole fee with the first refund that finds it not yet returned — also after the first refund was
                // reversed (seed 4, command #462). Followed.
                feePart = orig.refundedFee == 0 ? orig.fee : 0;
                break;
            default:
                feePart = 0;
                break;
        }
        final long sharePart;
        if (orig.refundedFee + feePart == orig.fee) {
            sharePart = orig.share - orig.refundedShare;
        } else {
            sharePart = orig.fee == 0 ? 0 : proportion(orig.share, feePart, orig.fee);
        }
        lastNote = "refund of " + a + " of rrn " + orig.rrn + " (amount " + orig.amount + ", card " + orig.cardAmount
                + ", discount " + orig.discount + ", fee " + orig.fee + ", share " + orig.share + ", points " + orig.points
                + ", points value " + orig.pointsValue + "; refunded so far " + orig.refunded + "): parts card " + cardPart
                + ", discount " + discountPart + ", fee " + feePart + ", share " + sharePart + ", points " + pointsPart
                + ", points value " + pvPart;
        if (cardPart + discountPart != a) {
            notes.add("spec gap: " + lastNote + " — card part + discount part != refund amount, books cannot balance");
        }
        r.original = orig;
        r.cardAmount = cardPart;
        r.discount = discountPart;
        r.points = pointsPart;
        r.pointsValue = pvPart;
        r.fee = feePart;
        r.share = sharePart;
        applyRefund(r, card, t, mer);
        o.cardAmount = cardPart;
        o.discount = discountPart;
        // DIVERGENCE: the spec does not say how a refund answers its parts; the ledger answers the fee part and
        // the points part negative (taken back) while card amount and discount part are positive. Followed.
        o.fee = -feePart;
        o.points = -pointsPart;
        return Reason.APPROVED;
    }

    static long part(final long total, final long soFar, final long a, final long originalAmount, final boolean completes) {
        if (completes) {
            return total - soFar;
        }
        return Math.min(proportion(total, a, originalAmount), total - soFar);
    }

    void applyRefund(final MTxn r, final MCard card, final MTerminal t, final MMerchant mer) {
        final MTxn orig = r.original;
        final long[] split = merchantDebit(mer, r.amount);
        r.merchant2203 = split[0];
        r.merchant1122 = split[1];
        cardCredit(card, r.cardAmount);
        credit(Account.PROMOTION_EXPENSE, r.discount);
        debit(Account.OPERATOR_BANK, r.discount);
        credit(Account.CUSTODY, r.discount);
        debit(Account.LOYALTY_POINTS, r.pointsValue);
        credit(Account.PROMOTION_EXPENSE, r.pointsValue);
        card.points -= r.points;
        mer.feeAccrued -= r.fee;
        mer.shareAccrued -= r.share;
        t.creditAmount += r.amount;
        t.creditCount += 1;
        activity(mer, today, -r.amount);
        orig.refunded += r.amount;
        orig.refundedCard += r.cardAmount;
        orig.refundedDiscount += r.discount;
        orig.refundedFee += r.fee;
        orig.refundedShare += r.share;
        orig.refundedPoints += r.points;
        orig.refundedPointsValue += r.pointsValue;
    }

    void undoRefund(final MTxn r, final MCard card, final MTerminal t, final MMerchant mer) {
        final MTxn orig = r.original;
        cardDebit(card, r.cardAmount);
        merchantCreditMirror(mer, r.merchant2203, r.merchant1122);
        debit(Account.PROMOTION_EXPENSE, r.discount);
        credit(Account.OPERATOR_BANK, r.discount);
        debit(Account.CUSTODY, r.discount);
        credit(Account.LOYALTY_POINTS, r.pointsValue);
        debit(Account.PROMOTION_EXPENSE, r.pointsValue);
        card.points += r.points;
        mer.feeAccrued += r.fee;
        mer.shareAccrued += r.share;
        t.creditAmount -= r.amount;
        t.creditCount -= 1;
        activity(mer, today, r.amount);
        orig.refunded -= r.amount;
        orig.refundedCard -= r.cardAmount;
        orig.refundedDiscount -= r.discount;
        orig.refundedFee -= r.fee;
        orig.refundedShare -= r.share;
        orig.refundedPoints -= r.points;
        orig.refundedPointsValue -= r.pointsValue;
    }

    // --- 2.8 voids

    Reason voidOf(final PosMsg m, final PosKind kind, final MTerminal t, final MMerchant mer, final MTxn r, final Ctx ctx,
            final Outcome o) {
        Reason reason = messageChecks(m, true);
        if (reason != null) {
            return reason;
        }
        final MTxn orig = byKey.get(key(m.terminalId, m.originalBatch, m.originalStan));
        if (orig == null || orig.tombstone) {
            return Reason.ORIGINAL_NOT_FOUND;
        }
        final PosKind wanted = kind == PosKind.PURCHASE_VOID ? PosKind.PURCHASE
                : kind == PosKind.RECHARGE_VOID ? PosKind.RECHARGE : PosKind.COMPLETION;
        if (orig.kind != wanted) {
            return Reason.ORIGINAL_KIND_MISMATCH;
        }
        if (!orig.approved()) {
            return Reason.ORIGINAL_NOT_APPROVED;
        }
        if ((m.originalRrn != 0 && m.originalRrn != orig.rrn) || (m.originalAuth >= 0 && m.originalAuth != orig.answer.authCode)
                || (m.panLength > 0 && m.panKeyForMatching() != orig.panKey)) {
            return Reason.ORIGINAL_DETAILS_MISMATCH;
        }
        if (orig.voided) {
            return Reason.ORIGINAL_ALREADY_VOIDED;
        }
        if (orig.reversed) {
            return Reason.ORIGINAL_ALREADY_REVERSED;
        }
        if (orig.batch != t.batch) {
            return Reason.ORIGINAL_BATCH_SETTLED;
        }
        if (orig.refunded > 0) {
            return Reason.ORIGINAL_PARTLY_REFUNDED;
        }
        if (m.amount != orig.amount) {
            return Reason.VOID_AMOUNT_DIFFERS;
        }
        final MCard card = live(orig.card);
        ctx.card = card;
        reason = deadStatusReason(card);
        if (reason != null) {
            return reason;
        }
        if (wanted == PosKind.RECHARGE && card.available < orig.amount) {
            return Reason.INSUFFICIENT_BALANCE;
        }
        if (wanted == PosKind.COMPLETION && card.available < orig.hold.amount - orig.amount) {
            return Reason.INSUFFICIENT_BALANCE;
        }
        switch (wanted) {
            case PURCHASE:
                undoPurchase(orig, card, t, mer);
                break;
            case RECHARGE:
                undoRecharge(orig, card, t, mer);
                break;
            default:
                undoCompletion(orig, card, t, mer);
                break;
        }
        orig.voided = true;
        r.original = orig;
        r.cardAmount = orig.cardAmount;
        return Reason.APPROVED;
    }

    // --- 2.9 reversal

    void reversal(final PosMsg m, final MTerminal t, final MMerchant mer, final Expected e) {
        final Outcome o = e.out;
        final PosKind origKind = PosKind.ofCode(m.originalKindCode);
        if (origKind == null || !origKind.recorded || origKind == PosKind.REVERSAL) {
            o.reason = Reason.UNSUPPORTED_TRANSACTION;
            return;
        }
        if (m.batch < 0 || m.batch > 999_999 || m.stan < 0 || m.stan > 999_999) {
            o.reason = Reason.INVALID_BATCH_OR_STAN;
            return;
        }
        e.fields |= F_RRN;
        final String key = key(m.terminalId, m.batch, m.stan);
        final MTxn rec = byKey.get(key);
        if (rec == null) {
            final MTxn tomb = new MTxn();
            tomb.key = key;
            tomb.terminal = m.terminalId;
            tomb.merchant = mer.id();
            tomb.batch = m.batch;
            tomb.stan = m.stan;
            tomb.kind = origKind;
            tomb.panKey = m.panKeyForMatching();
            tomb.amount = origKind == PosKind.BALANCE_INQUIRY ? 0 : m.amount;
            tomb.day = today;
            tomb.tombstone = true;
            tomb.reversed = true;
            tomb.answer = new Outcome();
            // CHOICE: a tombstone is a record, so it takes the next RRN, and the 0410 answers that RRN.
            append(tomb);
            o.rrn = tomb.rrn;
            return;
        }
        if (rec.tombstone || rec.reversed) {
            o.duplicate = true;
            o.rrn = rec.rrn;
            return;
        }
        final long amount = origKind == PosKind.BALANCE_INQUIRY ? 0 : m.amount;
        if (rec.kind != origKind || rec.amount != amount || rec.panKey != m.panKeyForMatching()) {
            o.reason = Reason.ORIGINAL_DETAILS_MISMATCH;
            o.rrn = rec.rrn;
            return;
        }
        o.rrn = rec.rrn;
        if (!rec.approved()) {
            rec.reversed = true;
            return;
        }
        final Reason reason;
        if (rec.batch != t.batch) {
            reason = Reason.ORIGINAL_BATCH_SETTLED;
        } else if (rec.voided) {
            reason = Reason.ORIGINAL_ALREADY_VOIDED;
        } else if (rec.refunded > 0) {
            reason = Reason.ORIGINAL_PARTLY_REFUNDED;
        } else {
            reason = null;
        }
        if (reason != null) {
            o.reason = reason;
            return;
        }
        final Reason result;
        switch (rec.kind) {
            case PURCHASE_VOID:
            case RECHARGE_VOID:
            case COMPLETION_VOID:
                result = redo(rec, t, mer);
                break;
            default:
                result = undo(rec, t, mer);
                break;
        }
        o.reason = result;
        if (result == Reason.APPROVED) {
            rec.reversed = true;
        }
    }

    /** Reversal of a void: the voided transaction takes effect again. */
    Reason redo(final MTxn voidRec, final MTerminal t, final MMerchant mer) {
        final MTxn orig = voidRec.original;
        if (orig == null || log.get(orig.rrn) != orig) {
            return Reason.ORIGINAL_NOT_FOUND;
        }
        final MCard card = orig.kind == PosKind.COMPLETION ? live(orig.hold.card) : live(orig.card);
        // DIVERGENCE (spec ambiguous: "card status for credit"): the ledger checks the card status for every
        // redo, a purchase too (seed 6, command #1579: reversal of a purchase void, card blacklisted). Followed.
        final Reason status = deadStatusReason(card);
        if (status != null) {
            return status;
        }
        switch (orig.kind) {
            case PURCHASE:
                if (card.available < orig.cardAmount) {
                    return Reason.INSUFFICIENT_BALANCE;
                }
                applyPurchase(orig, card, t, mer, orig.day, false);
                break;
            case RECHARGE: {
                if (card.ledgerBalance() + orig.amount > cap(type(card))) {
                    return Reason.BALANCE_CAP_EXCEEDED;
                }
                applyRecharge(orig, card, t, mer);
                break;
            }
            default:
                if (orig.hold.state != HOLD_OPEN) {
                    return Reason.PREAUTH_NOT_OPEN;
                }
                applyCompletion(orig, orig.hold.card, t, mer);
                break;
        }
        orig.voided = false;
        return Reason.APPROVED;
    }

    /** Reversal of an approved, open original: undo checks, then undo. */
    Reason undo(final MTxn rec, final MTerminal t, final MMerchant mer) {
        final MCard card = rec.hold != null ? live(rec.hold.card) : rec.card == null ? null : live(rec.card);
        if (card != null) {
            final Reason status = deadStatusReason(card);
            if (status != null) {
                return status;
            }
        }
        switch (rec.kind) {
            case PURCHASE:
                undoPurchase(rec, card, t, mer);
                return Reason.APPROVED;
            case BALANCE_INQUIRY:
                return Reason.APPROVED;
            case RECHARGE:
                if (card.available < rec.amount) {
                    return Reason.INSUFFICIENT_BALANCE;
                }
                undoRecharge(rec, card, t, mer);
                return Reason.APPROVED;
            case REFUND:
                if (card.available < rec.cardAmount) {
                    return Reason.INSUFFICIENT_BALANCE;
                }
                undoRefund(rec, card, t, mer);
                return Reason.APPROVED;
            case PREAUTH: {
                final MHold hold = rec.hold;
                if (hold.state != HOLD_OPEN) {
                    return Reason.PREAUTH_NOT_OPEN;
                }
                holdDebit(card, hold.amount);
                cardCredit(card, hold.amount);
                velocityAdjust(card, rec.day, -hold.amount, -1);
                hold.state = HOLD_REVERSED;
                hold.closedDay = today;
                card.openHolds--;
                return Reason.APPROVED;
            }
            case PREAUTH_CANCEL: {
                final MHold hold = rec.hold;
                if (live(hold.card).available < hold.amount) {
                    return Reason.INSUFFICIENT_BALANCE;
                }
                uncancelHold(hold);
                return Reason.APPROVED;
            }
            case COMPLETION: {
                if (card.available < rec.hold.amount - rec.amount) {
                    return Reason.INSUFFICIENT_BALANCE;
                }
                undoCompletion(rec, card, t, mer);
                return Reason.APPROVED;
            }
            default:
                throw new IllegalStateException("model: undo of " + rec.kind);
        }
    }

    // --- 2.10 / 2.11 settlement and upload

    void settlement(final PosMsg m, final MTerminal t, final Expected e) {
        final Outcome o = e.out;
        e.fields |= F_BATCH | F_SETTLE_FLAG;
        if (m.batch == t.batch) {
            final boolean balanced = m.settleDebitAmount == t.debitAmount && m.settleDebitCount == t.debitCount
                    && m.settleCreditAmount == t.creditAmount && m.settleCreditCount == t.creditCount;
            final int flag = balanced ? 1 : 2;
            t.hasSettled = true;
            t.settledBatch = t.batch;
            t.settledFlag = flag;
            t.uploads = 0;
            t.batch = t.batch >= 999_999 ? 1 : t.batch + 1;
            t.debitAmount = 0;
            t.debitCount = 0;
            t.creditAmount = 0;
            t.creditCount = 0;
            o.batch = t.settledBatch;
            o.settlementFlag = flag;
            return;
        }
        if (t.hasSettled && m.batch == t.settledBatch) {
            o.duplicate = true;
            o.batch = t.settledBatch;
            o.settlementFlag = t.settledFlag;
            return;
        }
        o.reason = Reason.BATCH_NUMBER_MISMATCH;
        o.batch = t.batch;
        e.fields &= ~F_SETTLE_FLAG;
    }

    void upload(final PosMsg m, final PosKind kind, final MTerminal t, final Expected e) {
        final Outcome o = e.out;
        if (!t.hasSettled || m.batch != t.settledBatch) {
            o.reason = Reason.NO_SETTLED_BATCH_TO_UPLOAD;
            return;
        }
        if (kind == PosKind.BATCH_UPLOAD) {
            t.uploads++;
        } else {
            o.value1 = t.uploads;
            e.fields |= F_VALUE1;
        }
    }

    public String describeMerchants() {
        final StringBuilder s = new StringBuilder();
        for (final MMerchant m : merchants.values()) {
            s.append("\n    ").append(m.id()).append(' ').append(m.profile.cycle()).append(" N=").append(m.profile.cycleDays())
                    .append(" threshold=").append(m.profile.thresholdFen()).append(" review=").append(m.underReview)
                    .append(" payable=").append(m.payable).append(" receivable=").append(m.receivable).append(" activity:");
            for (int d = today - 10; d <= today; d++) {
                final Long a = m.activity.get(d);
                if (a != null) {
                    s.append(' ').append(CivilDate.yyyymmdd(d)).append(isWorkingDay(d) ? "" : "(off)").append('=').append(a);
                }
            }
        }
        return s.toString();
    }

    // ------------------------------------------------------------------ admin commands

    public Expected admin(final Envelope env, final AdminCommand cmd, final long timestamp) {
        final Expected e = new Expected();
        final Outcome o = e.out;
        o.reset();
        final CommandType type = CommandType.of(cmd);
        final Role role;
        if ("system".equals(env.operatorId())) {
            role = Role.SYSTEM;
        } else {
            final MOperator op = operators.get(env.operatorId());
            if (op == null) {
                o.reason = Reason.OPERATOR_UNKNOWN;
                return e;
            }
            if (op.profile.status() != OperatorStatus.ACTIVE) {
                o.reason = Reason.OPERATOR_DISABLED;
                return e;
            }
            role = op.profile.role();
        }
        if (type.systemOnly() && role != Role.SYSTEM) {
            o.reason = Reason.SYSTEM_ONLY;
            return e;
        }
        if (!Permissions.allows(role, type)) {
            o.reason = Reason.ROLE_NOT_PERMITTED;
            return e;
        }
        if (env.requestId() != 0) {
            final Remembered seen = memory.get(env.requestId());
            if (seen != null) {
                if (seen.operator.equals(env.operatorId()) && seen.command.equals(cmd)) {
                    o.copyFrom(seen.answer);
                    o.duplicate = true;
                    e.fields |= seen.fields;
                    return e;
                }
                o.reason = Reason.DUPLICATE_REQUEST_DIFFERENT;
                return e;
            }
        }
        o.reason = execute(env.operatorId(), role, cmd, timestamp, e);
        if (env.requestId() != 0) {
            if (memory.size() >= config.adminRequestMemory()) {
                final Iterator<Long> it = memory.keySet().iterator();
                it.next();
                it.remove();
            }
            final Outcome copy = new Outcome();
            copy.copyFrom(o);
            memory.put(env.requestId(), new Remembered(env.operatorId(), cmd, copy, e.fields));
        }
        return e;
    }

    private Reason execute(final String operator, final Role role, final AdminCommand cmd, final long timestamp,
            final Expected e) {
        if (cmd instanceof UpsertIssuer c) {
            issuers.put(c.code(), c);
            return Reason.APPROVED;
        } else if (cmd instanceof UpsertCardType c) {
            return upsertCardType(c);
        } else if (cmd instanceof UpsertBinRange c) {
            return upsertBinRange(c);
        } else if (cmd instanceof UpsertMerchant c) {
            final MMerchant existing = merchants.get(c.merchantId());
            if (existing != null) {
                existing.profile = c;
            } else {
                if (merchants.size() >= config.maxMerchants()) {
                    return Reason.CAPACITY_REACHED;
                }
                merchants.put(c.merchantId(), new MMerchant(merchants.size(), c));
            }
            return Reason.APPROVED;
        } else if (cmd instanceof SetMerchantReview c) {
            final MMerchant m = merchants.get(c.merchantId());
            if (m == null) {
                return Reason.MERCHANT_NOT_FOUND;
            }
            m.underReview = c.underReview();
            return Reason.APPROVED;
        } else if (cmd instanceof UpsertTerminal c) {
            if (!merchants.containsKey(c.merchantId())) {
                return Reason.MERCHANT_NOT_FOUND;
            }
            final MTerminal existing = terminals.get(c.terminalId());
            if (existing != null) {
                // "a terminal with transactions in its open batch cannot move to another merchant"
                // CHOICE: "transactions in its open batch" = the batch totals count any.
                if (!existing.profile.merchantId().equals(c.merchantId()) && existing.debitCount + existing.creditCount > 0) {
                    return Reason.TERMINAL_BATCH_OPEN;
                }
                existing.profile = c;
            } else {
                terminals.put(c.terminalId(), new MTerminal(c));
            }
            return Reason.APPROVED;
        } else if (cmd instanceof UpsertOperator c) {
            final MOperator existing = operators.get(c.operatorId());
            if (existing != null) {
                existing.profile = c;
            } else {
                operators.put(c.operatorId(), new MOperator(c));
            }
            return Reason.APPROVED;
        } else if (cmd instanceof PutFeeRule c) {
            if (!merchants.containsKey(c.merchantId())) {
                return Reason.MERCHANT_NOT_FOUND;
            }
            rules.put(c.ruleId(), c);
            return Reason.APPROVED;
        } else if (cmd instanceof PutDiscountRule c) {
            if (!merchants.containsKey(c.merchantId())) {
                return Reason.MERCHANT_NOT_FOUND;
            }
            rules.put(c.ruleId(), c);
            return Reason.APPROVED;
        } else if (cmd instanceof PutPointsRule c) {
            if (!c.merchantId().isEmpty() && !merchants.containsKey(c.merchantId())) {
                return Reason.MERCHANT_NOT_FOUND;
            }
            rules.put(c.ruleId(), c);
            return Reason.APPROVED;
        } else if (cmd instanceof RemoveRule c) {
            return rules.remove(c.ruleId()) == null ? Reason.RULE_NOT_FOUND : Reason.APPROVED;
        } else if (cmd instanceof SetParameter c) {
            return setParameter(c);
        } else if (cmd instanceof SetCalendarDay c) {
            if (!CivilDate.isValid(c.date())) {
                return Reason.INVALID_ARGUMENT;
            }
            final int day = CivilDate.epochDay(c.date());
            if (c.kind() != DayKind.NORMAL && !calendar.containsKey(day) && calendar.size() >= config.calendarDays()) {
                return Reason.CAPACITY_REACHED;
            }
            if (c.kind() == DayKind.NORMAL) {
                calendar.remove(day);
            } else {
                calendar.put(day, c.kind());
            }
            return Reason.APPROVED;
        } else if (cmd instanceof GenerateCards c) {
            return generate(c, e);
        } else if (cmd instanceof SellCards c) {
            return sell(operator, c);
        } else if (cmd instanceof RechargeCards c) {
            return rechargeCards(c);
        } else if (cmd instanceof FreezeCard c) {
            return transition(c.pan(), CardStatus.ACTIVE, CardStatus.FROZEN);
        } else if (cmd instanceof UnfreezeCard c) {
            return transition(c.pan(), CardStatus.FROZEN, CardStatus.ACTIVE);
        } else if (cmd instanceof ReportLost c) {
            return reportLost(c);
        } else if (cmd instanceof BlacklistCard c) {
            return blacklist(c);
        } else if (cmd instanceof UnblacklistCard c) {
            return unblacklist(c);
        } else if (cmd instanceof ReplaceCard c) {
            return replace(c);
        } else if (cmd instanceof ReturnCard c) {
            return returnCard(c);
        } else if (cmd instanceof CancelIssuance c) {
            return cancelIssuance(c);
        } else if (cmd instanceof SetPin c) {
            final Object r = resolve(c.pan());
            if (r instanceof Reason) {
                return (Reason) r;
            }
            if (c.pinCheck() == 0) {
                return Reason.INVALID_ARGUMENT;
            }
            final MCard card = (MCard) r;
            // DIVERGENCE (spec silent on status): a dead card (replaced, returned, cancelled) gets no PIN (seed 5).
            if (card.status.terminal()) {
                return Reason.ILLEGAL_TRANSITION;
            }
            card.pinCheck = c.pinCheck();
            card.pinErrors = 0;
            return Reason.APPROVED;
        } else if (cmd instanceof UnlockPin c) {
            final Object r = resolve(c.pan());
            if (r instanceof Reason) {
                return (Reason) r;
            }
            // DIVERGENCE (spec silent on status): a dead card cannot be unlocked (seed 1).
            if (((MCard) r).status.terminal()) {
                return Reason.ILLEGAL_TRANSITION;
            }
            ((MCard) r).pinErrors = 0;
            return Reason.APPROVED;
        } else if (cmd instanceof ExtendExpiry c) {
            return extendExpiry(c);
        } else if (cmd instanceof RequestAdjustment c) {
            final Reason reason = checkAdjustment(c);
            if (reason != null) {
                return reason;
            }
            return newPending(operator, c, e);
        } else if (cmd instanceof RequestBalanceTransfer c) {
            final Reason reason = checkTransfer(c);
            if (reason != null) {
                return reason;
            }
            return newPending(operator, c, e);
        } else if (cmd instanceof Approve c) {
            return approve(operator, role, c.pendingId());
        } else if (cmd instanceof Reject c) {
            return reject(operator, role, c.pendingId());
        } else if (cmd instanceof PrepareSettlement) {
            return prepareSettlement(operator, e);
        } else if (cmd instanceof RecordPayoutResult c) {
            return payoutResult(c);
        } else if (cmd instanceof Cutover c) {
            return cutover(c);
        } else if (cmd instanceof ExpireHolds) {
            long released = 0;
            for (final MHold hold : holds.values()) {
                if (hold.state == HOLD_OPEN && hold.expiresAt <= timestamp) {
                    holdDebit(hold.card, hold.amount);
                    cardCredit(hold.card, hold.amount);
                    hold.state = HOLD_EXPIRED;
                    hold.closedDay = today;
                    hold.card.openHolds--;
                    released++;
                }
            }
            e.out.value1 = released;
            e.fields |= F_VALUE1;
            return Reason.APPROVED;
        }
        throw new IllegalStateException("model: no rules for " + cmd);
    }

    // --- reference data

    Reason upsertCardType(final UpsertCardType c) {
        if (!issuers.containsKey(c.issuerCode())) {
            return Reason.ISSUER_NOT_FOUND;
        }
        if (c.id() <= 0 || c.id() > config.maxCardTypes()) {
            return Reason.INVALID_ARGUMENT;
        }
        if (c.named() && c.validityMonths() != 0) {
            return Reason.INVALID_ARGUMENT;
        }
        if (!c.named() && c.validityMonths() < p(Parameters.Name.ANONYMOUS_MIN_VALIDITY_MONTHS)) {
            return Reason.INVALID_ARGUMENT;
        }
        final UpsertCardType existing = types.get(c.id());
        if (existing != null && existing.named() != c.named()) {
            return Reason.INVALID_ARGUMENT;
        }
        if (c.initialBalance() > cap(c)) {
            return Reason.INVALID_ARGUMENT;
        }
        types.put(c.id(), c);
        return Reason.APPROVED;
    }

    Reason upsertBinRange(final UpsertBinRange c) {
        for (final MRange r : ranges) {
            if (r.bin.equals(c.bin()) && r.panLength == c.panLength()) {
                if (r.first != c.firstAccount()) {
                    // DIVERGENCE (spec silent): the first account of an existing range cannot change; the ledger
                    // answers INVALID_ARGUMENT (seed 1, command #4327).
                    return Reason.INVALID_ARGUMENT;
                }
                if (!types.containsKey(c.cardTypeId())) {
                    return Reason.CARD_TYPE_NOT_FOUND;
                }
                if (r.typeId != c.cardTypeId() && r.next != r.first) {
                    return Reason.INVALID_ARGUMENT; // generated cards keep their type, so their range does
                }
                r.typeId = c.cardTypeId();
                r.last = c.lastAccount();
                return Reason.APPROVED;
            }
        }
        if ((c.bin().length() != 6 && c.bin().length() != 8) || !c.bin().chars().allMatch(Character::isDigit)
                || c.bin().startsWith("0") || "2345".indexOf(c.bin().charAt(0)) >= 0
                || List.of("60", "62", "64", "65", "81").contains(c.bin().substring(0, 2))) {
            return Reason.INVALID_ARGUMENT;
        }
        if (!types.containsKey(c.cardTypeId())) {
            return Reason.CARD_TYPE_NOT_FOUND;
        }
        for (final MRange r : ranges) {
            if (r.panLength == c.panLength() && (r.bin.startsWith(c.bin()) || c.bin().startsWith(r.bin))) {
                return Reason.BIN_RANGE_OVERLAP;
            }
        }
        if (ranges.size() >= config.maxBinRanges()) {
            return Reason.CAPACITY_REACHED;
        }
        ranges.add(new MRange(c.bin(), c.panLength(), c.cardTypeId(), c.firstAccount(), c.lastAccount()));
        return Reason.APPROVED;
    }

    Reason setParameter(final SetParameter c) {
        final Parameters.Name name = Parameters.Name.ofKey(c.name());
        if (name == null) {
            return Reason.UNKNOWN_PARAMETER;
        }
        if (c.value() < name.min || c.value() > name.max) {
            return Reason.INVALID_ARGUMENT;
        }
        final long kept = name == Parameters.Name.TRANSACTIONS_KEPT_DAYS ? c.value() : p(Parameters.Name.TRANSACTIONS_KEPT_DAYS);
        final long window = name == Parameters.Name.REFUND_WINDOW_DAYS ? c.value() : p(Parameters.Name.REFUND_WINDOW_DAYS);
        if (kept < window) {
            return Reason.INVALID_ARGUMENT;
        }
        params.put(name, c.value());
        return Reason.APPROVED;
    }

    // --- cards

    MRange range(final String bin, final int panLength) {
        for (final MRange r : ranges) {
            if (r.bin.equals(bin) && r.panLength == panLength) {
                return r;
            }
        }
        return null;
    }

    Reason generate(final GenerateCards c, final Expected e) {
        if (today == 0) {
            return Reason.BUSINESS_DAY_NOT_OPEN;
        }
        final MRange range = range(c.bin(), c.panLength());
        if (range == null) {
            return Reason.BIN_RANGE_NOT_FOUND;
        }
        if (c.count() <= 0) {
            return Reason.INVALID_ARGUMENT;
        }
        if (range.last - range.next + 1 < c.count()) {
            return Reason.BIN_RANGE_EXHAUSTED;
        }
        if (cards.size() + c.count() > config.maxCards()) {
            return Reason.CAPACITY_REACHED;
        }
        long firstKey = 0;
        for (int i = 0; i < c.count(); i++) {
            final MCard card = new MCard(cards.size(), range, range.next);
            range.byAccount.put(range.next, card);
            range.next++;
            cards.add(card);
            if (i == 0) {
                firstKey = card.panKey;
            }
        }
        e.out.value1 = firstKey;
        e.out.value2 = c.count();
        e.fields |= F_VALUE1 | F_VALUE2;
        return Reason.APPROVED;
    }

    /** The {@code count} consecutive cards of a range from a PAN's account, or null when one is missing. */
    List<MCard> consecutive(final MCard firstCard, final int count) {
        final List<MCard> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final MCard c = firstCard.range.byAccount.get(firstCard.account + i);
            if (c == null) {
                return null;
            }
            list.add(c);
        }
        return list;
    }

    static boolean blank(final String s) {
        return s == null || s.isBlank();
    }

    Reason sell(final String operator, final SellCards c) {
        if (today == 0) {
            return Reason.BUSINESS_DAY_NOT_OPEN;
        }
        final Object r = resolve(c.firstPan());
        if (r instanceof Reason) {
            return (Reason) r;
        }
        final MCard first = (MCard) r;
        if (c.count() < 1 || c.count() > config.maxBatchCards()) {
            return Reason.INVALID_ARGUMENT;
        }
        final List<MCard> list = consecutive(first, c.count());
        if (list == null) {
            return Reason.CARD_NOT_ISSUED;
        }
        for (final MCard card : list) {
            if (card.status != CardStatus.GENERATED) {
                return Reason.ILLEGAL_TRANSITION;
            }
            if (card.typeId != first.typeId) {
                return Reason.CARD_TYPE_MISMATCH;
            }
        }
        final UpsertCardType type = type(first);
        final long face = c.faceValue() == -1 ? type.initialBalance() : c.faceValue();
        if (face < 0) {
            return Reason.INVALID_ARGUMENT;
        }
        if (face > cap(type)) {
            return Reason.BALANCE_CAP_EXCEEDED;
        }
        if (c.payment() == PaymentMethod.CREDIT_CARD) {
            return Reason.CREDIT_CARD_NOT_ALLOWED;
        }
        if (c.channel() == SalesChannel.AGENT && face > p(Parameters.Name.AGENT_FACE_VALUE_LIMIT)) {
            return Reason.AGENT_FACE_VALUE_LIMIT;
        }
        final long total = face * c.count();
        if (type.named()) {
            if (c.count() != 1) {
                return Reason.INVALID_ARGUMENT;
            }
            if (blank(c.holderName()) || blank(c.holderIdType()) || blank(c.holderIdNumber())) {
                return Reason.HOLDER_IDENTITY_REQUIRED;
            }
        } else if (total >= p(Parameters.Name.REAL_NAME_SALE_THRESHOLD)
                && (blank(c.buyerName()) || blank(c.buyerIdType()) || blank(c.buyerIdNumber()))) {
            return Reason.BUYER_IDENTITY_REQUIRED;
        }
        final long cashLimit = c.buyerKind() == BuyerKind.ORGANISATION ? p(Parameters.Name.ORGANISATION_CASH_LIMIT)
                : p(Parameters.Name.PERSON_CASH_LIMIT);
        if (total >= cashLimit && c.payment() != PaymentMethod.BANK_TRANSFER) {
            return Reason.BANK_TRANSFER_REQUIRED;
        }
        for (final MCard card : list) {
            debit(Account.CUSTODY, face);
            cardCredit(card, face);
            debit(Account.OPERATOR_BANK, type.deposit() + type.issuanceFee());
            credit(Account.CARD_DEPOSITS, type.deposit());
            card.deposit += type.deposit();
            credit(Account.CARD_FEE_INCOME, type.issuanceFee());
            card.saleFee = type.issuanceFee();
            card.status = CardStatus.ACTIVE;
            card.soldDay = today;
            card.used = false;
            card.expiryDay = type.named() ? Integer.MAX_VALUE : CivilDate.plusMonths(today, type.validityMonths());
            if (type.named()) {
                card.holder = new Holder(c.holderName(), c.holderIdType(), c.holderIdNumber(), c.holderPhone());
            }
        }
        return Reason.APPROVED;
    }

    Reason rechargeCards(final RechargeCards c) {
        if (today == 0) {
            return Reason.BUSINESS_DAY_NOT_OPEN;
        }
        final Object r = resolve(c.firstPan());
        if (r instanceof Reason) {
            return (Reason) r;
        }
        final MCard first = (MCard) r;
        if (c.count() < 1 || c.count() > config.maxBatchCards()) {
            return Reason.INVALID_ARGUMENT;
        }
        final List<MCard> list = consecutive(first, c.count());
        if (list == null) {
            return Reason.CARD_NOT_ISSUED;
        }
        // DIVERGENCE: the spec lists "active, unexpired, rechargeable cards; amount > 0; ≥ threshold needs a bank
        // transfer; agents ≤ limit; cap per card" (and says rules are listed in the order they are checked); the
        // ledger checks the amount, payment and channel before the cards. Followed here.
        if (c.amount() <= 0) {
            // DIVERGENCE (spec: "amount > 0", no reason named): the ledger answers AMOUNT_NOT_POSITIVE (seed 2, #302).
            return Reason.AMOUNT_NOT_POSITIVE;
        }
        if (c.payment() == PaymentMethod.CREDIT_CARD) {
            return Reason.CREDIT_CARD_NOT_ALLOWED;
        }
        if (c.amount() >= p(Parameters.Name.RECHARGE_TRANSFER_THRESHOLD) && c.payment() != PaymentMethod.BANK_TRANSFER) {
            return Reason.BANK_TRANSFER_REQUIRED;
        }
        if (c.channel() == SalesChannel.AGENT && c.amount() > p(Parameters.Name.AGENT_FACE_VALUE_LIMIT)) {
            return Reason.AGENT_FACE_VALUE_LIMIT;
        }
        for (final MCard card : list) {
            if (card.status != CardStatus.ACTIVE) {
                return Reason.ILLEGAL_TRANSITION;
            }
            if (expired(card)) {
                // DIVERGENCE (spec names no reason): the ledger answers ILLEGAL_TRANSITION for an expired card
                // (seed 2, command #4903).
                return Reason.ILLEGAL_TRANSITION;
            }
            if (!type(card).rechargeable()) {
                return Reason.CARD_NOT_RECHARGEABLE;
            }
            if (card.ledgerBalance() + c.amount() > cap(type(card))) {
                return Reason.BALANCE_CAP_EXCEEDED;
            }
        }
        for (final MCard card : list) {
            debit(Account.CUSTODY, c.amount());
            cardCredit(card, c.amount());
            // DIVERGENCE (spec silent): "used since sale" is stated for POS recharges only; the ledger also counts
            // a counter recharge as use (CancelIssuance then answers CARD_ALREADY_USED). Followed.
            card.used = true;
        }
        return Reason.APPROVED;
    }

    Reason transition(final String pan, final CardStatus from, final CardStatus to) {
        final Object r = resolve(pan);
        if (r instanceof Reason) {
            return (Reason) r;
        }
        final MCard card = (MCard) r;
        if (card.status != from) {
            return Reason.ILLEGAL_TRANSITION;
        }
        card.status = to;
        return Reason.APPROVED;
    }

    Reason reportLost(final ReportLost c) {
        final Object r = resolve(c.pan());
        if (r instanceof Reason) {
            return (Reason) r;
        }
        final MCard card = (MCard) r;
        final UpsertCardType type = type(card);
        if (!type.named()) {
            return Reason.NAMED_CARD_ONLY;
        }
        if (card.status != CardStatus.ACTIVE && card.status != CardStatus.FROZEN) {
            return Reason.ILLEGAL_TRANSITION;
        }
        card.status = CardStatus.LOST;
        debit(Account.OPERATOR_BANK, type.lostReportFee());
        credit(Account.CARD_FEE_INCOME, type.lostReportFee());
        return Reason.APPROVED;
    }

    Reason blacklist(final BlacklistCard c) {
        final Object r = resolve(c.pan());
        if (r instanceof Reason) {
            return (Reason) r;
        }
        final MCard card = (MCard) r;
        // CHOICE: "any live status" = ACTIVE, FROZEN, LOST (and GENERATED); a blacklisted or dead card cannot be.
        if (card.status == CardStatus.BLACKLISTED || card.status.terminal()) {
            return Reason.ILLEGAL_TRANSITION;
        }
        card.prior = card.status;
        card.status = CardStatus.BLACKLISTED;
        return Reason.APPROVED;
    }

    Reason unblacklist(final UnblacklistCard c) {
        final Object r = resolve(c.pan());
        if (r instanceof Reason) {
            return (Reason) r;
        }
        final MCard card = (MCard) r;
        if (card.status != CardStatus.BLACKLISTED) {
            return Reason.ILLEGAL_TRANSITION;
        }
        card.status = card.prior;
        return Reason.APPROVED;
    }

    Reason replace(final ReplaceCard c) {
        final Object ro = resolve(c.oldPan());
        if (ro instanceof Reason) {
            return (Reason) ro;
        }
        final Object rn = resolve(c.newPan());
        if (rn instanceof Reason) {
            return (Reason) rn;
        }
        final MCard old = (MCard) ro;
        final MCard neu = (MCard) rn;
        if (old == neu) {
            return Reason.SAME_CARD;
        }
        if (old.status != CardStatus.ACTIVE && old.status != CardStatus.FROZEN && old.status != CardStatus.LOST) {
            return Reason.ILLEGAL_TRANSITION;
        }
        if (neu.status != CardStatus.GENERATED) {
            return Reason.ILLEGAL_TRANSITION;
        }
        final UpsertCardType oldType = type(old);
        final UpsertCardType newType = type(neu);
        if (oldType.named() != newType.named()) {
            return Reason.CARD_TYPE_MISMATCH;
        }
        if (old.ledgerBalance() > cap(newType)) {
            return Reason.BALANCE_CAP_EXCEEDED;
        }
        debit(Account.CARD_VALUE, old.available);
        credit(Account.CARD_VALUE, old.available);
        debit(Account.CARD_HOLDS, old.holds);
        credit(Account.CARD_HOLDS, old.holds);
        debit(Account.CARD_DEPOSITS, old.deposit);
        credit(Account.CARD_DEPOSITS, old.deposit);
        neu.available = old.available;
        neu.holds = old.holds;
        neu.deposit = old.deposit;
        old.available = 0;
        old.holds = 0;
        old.deposit = 0;
        neu.points = old.points;
        old.points = 0;
        neu.dayAmount = old.dayAmount;
        neu.dayCount = old.dayCount;
        neu.velocityDay = old.velocityDay;
        neu.monthAmount = old.monthAmount;
        neu.monthCount = old.monthCount;
        neu.velocityMonth = old.velocityMonth;
        neu.declines = old.declines;
        neu.declineDay = old.declineDay;
        neu.holder = old.holder;
        neu.soldDay = old.soldDay;
        neu.openHolds = old.openHolds;
        // DIVERGENCE (spec silent; the list of what moves does not name it): the ledger treats the new card as
        // used when the old one was (seed 6: CancelIssuance of a replacement card → CARD_ALREADY_USED).
        neu.used = old.used;
        // DIVERGENCE (spec silent): the card fee paid at sale moves too, so cancelling the issuance of the
        // replacement refunds it (seed 3, command #1408).
        neu.saleFee = old.saleFee;
        old.saleFee = 0;
        old.openHolds = 0;
        for (final MHold hold : holds.values()) {
            if (hold.card == old && hold.state == HOLD_OPEN) {
                hold.card = neu;
            }
        }
        neu.status = CardStatus.ACTIVE;
        if (!newType.named()) {
            neu.expiryDay = Math.max(old.expiryDay, CivilDate.plusMonths(today, newType.validityMonths()));
        }
        old.status = CardStatus.REPLACED;
        old.replacedBy = neu;
        // CHOICE: the replacement fee is the old card's type's, booked like the lost-report fee (Dr 1002 / Cr 6002).
        debit(Account.OPERATOR_BANK, oldType.replacementFee());
        credit(Account.CARD_FEE_INCOME, oldType.replacementFee());
        return Reason.APPROVED;
    }

    Reason returnCard(final ReturnCard c) {
        final Object r = resolve(c.pan());
        if (r instanceof Reason) {
            return (Reason) r;
        }
        final MCard card = (MCard) r;
        if (!type(card).named()) {
            return Reason.NAMED_CARD_ONLY;
        }
        if (card.status != CardStatus.ACTIVE && card.status != CardStatus.FROZEN) {
            return Reason.ILLEGAL_TRANSITION;
        }
        if (today < CivilDate.plusMonths(card.soldDay, (int) p(Parameters.Name.REDEMPTION_MIN_MONTHS))) {
            return Reason.REDEMPTION_TOO_EARLY;
        }
        if (card.openHolds > 0 || card.holds > 0) {
            return Reason.CARD_HAS_OPEN_HOLDS;
        }
        final long value = card.available;
        cardDebit(card, value);
        credit(Account.CUSTODY, value);
        debit(Account.CARD_DEPOSITS, card.deposit);
        credit(Account.OPERATOR_BANK, card.deposit);
        card.deposit = 0;
        card.status = CardStatus.RETURNED;
        return Reason.APPROVED;
    }

    Reason cancelIssuance(final CancelIssuance c) {
        final Object r = resolve(c.pan());
        if (r instanceof Reason) {
            return (Reason) r;
        }
        final MCard card = (MCard) r;
        if (card.status != CardStatus.ACTIVE) {
            return Reason.ILLEGAL_TRANSITION;
        }
        if (card.used) {
            return Reason.CARD_ALREADY_USED;
        }
        if (card.openHolds > 0 || card.holds > 0) {
            return Reason.CARD_HAS_OPEN_HOLDS;
        }
        if (card.points != 0) {
            return Reason.CARD_ALREADY_USED;
        }
        final long value = card.available;
        cardDebit(card, value);
        credit(Account.CUSTODY, value);
        debit(Account.CARD_DEPOSITS, card.deposit);
        credit(Account.OPERATOR_BANK, card.deposit);
        card.deposit = 0;
        debit(Account.CARD_FEE_INCOME, card.saleFee);
        credit(Account.OPERATOR_BANK, card.saleFee);
        card.saleFee = 0;
        card.status = CardStatus.CANCELLED;
        return Reason.APPROVED;
    }

    Reason extendExpiry(final ExtendExpiry c) {
        if (today == 0) {
            return Reason.BUSINESS_DAY_NOT_OPEN;
        }
        final Object r = resolve(c.pan());
        if (r instanceof Reason) {
            return (Reason) r;
        }
        final MCard card = (MCard) r;
        // DIVERGENCE (spec silent on status): the ledger extends only a sold, live card (GENERATED, REPLACED,
        // RETURNED, CANCELLED → ILLEGAL_TRANSITION; seeds 3, 4).
        if (card.status == CardStatus.GENERATED || card.status.terminal()) {
            return Reason.ILLEGAL_TRANSITION;
        }
        if (type(card).named()) {
            return Reason.ILLEGAL_TRANSITION;
        }
        if (!CivilDate.isValid(c.newExpiryDate())) {
            return Reason.INVALID_ARGUMENT;
        }
        final int day = CivilDate.epochDay(c.newExpiryDate());
        if (day <= card.expiryDay || day < today) {
            return Reason.EXPIRY_NOT_LATER;
        }
        card.expiryDay = day;
        return Reason.APPROVED;
    }

    // --- maker-checker

    /** Requests (adjustments, transfers, settlement batches) waiting for a decision. */
    int waiting() {
        int waiting = 0;
        for (final MPending p : pending.values()) {
            if (p.state == PENDING_WAITING) {
                waiting++;
            }
        }
        for (final MSettlement st : settlements.values()) {
            if (st.state == PENDING_WAITING) {
                waiting++;
            }
        }
        return waiting;
    }

    Reason newPending(final String operator, final AdminCommand c, final Expected e) {
        // DIVERGENCE (spec: only "capacities are limits"): at most maxPendingRequests requests wait for a decision,
        // counted over waiting adjustments, transfers and settlement batches, checked after the request's own checks
        // (seed 1, command #3982).
        if (waiting() >= config.maxPendingRequests()) {
            return Reason.CAPACITY_REACHED;
        }
        final long id = nextPendingId++;
        pending.put(id, new MPending(id, operator, c, today));
        e.out.value1 = id;
        e.fields |= F_VALUE1;
        return Reason.APPROVED;
    }

    static Account counterAccount(final CounterAccount counter) {
        switch (counter) {
            case CUSTODY:
                return Account.CUSTODY;
            case PROMOTION_EXPENSE:
                return Account.PROMOTION_EXPENSE;
            default:
                return Account.FEE_INCOME;
        }
    }

    Reason checkAdjustment(final RequestAdjustment c) {
        if (c.amount() == 0) {
            return Reason.INVALID_ARGUMENT;
        }
        if (c.target() == AdjustmentTarget.CARD) {
            if (c.counter() == CounterAccount.FEE_INCOME) {
                return Reason.INVALID_ARGUMENT;
            }
            final Object r = resolve(c.targetId());
            if (r instanceof Reason) {
                return (Reason) r;
            }
            final MCard card = (MCard) r;
            // DIVERGENCE (spec silent on status): the ledger adjusts only sold, live cards (seed 2: GENERATED →
            // ILLEGAL_TRANSITION, checked before the amount).
            if (card.status == CardStatus.GENERATED || card.status.terminal()) {
                return Reason.ILLEGAL_TRANSITION;
            }
            if (c.amount() < 0 && card.available + c.amount() < 0) {
                return Reason.ADJUSTMENT_WOULD_GO_NEGATIVE;
            }
            if (c.amount() > 0 && card.ledgerBalance() + c.amount() > cap(type(card))) {
                return Reason.BALANCE_CAP_EXCEEDED;
            }
            return null;
        }
        final MMerchant m = merchants.get(c.targetId());
        if (m == null) {
            return Reason.MERCHANT_NOT_FOUND;
        }
        // Only a card may not go negative; a merchant debit takes 2203 first, then 1122.
        return null;
    }

    void applyAdjustment(final RequestAdjustment c) {
        final long amount = Math.abs(c.amount());
        final Account counter = counterAccount(c.counter());
        final boolean credit = c.amount() > 0;
        if (c.target() == AdjustmentTarget.CARD) {
            final MCard card = (MCard) resolve(c.targetId());
            if (credit) {
                debit(counter, amount);
                cardCredit(card, amount);
            } else {
                cardDebit(card, amount);
                credit(counter, amount);
            }
        } else {
            final MMerchant m = merchants.get(c.targetId());
            if (credit) {
                debit(counter, amount);
                merchantCredit(m, amount);
                activity(m, today, amount);
            } else {
                merchantDebit(m, amount);
                credit(counter, amount);
                activity(m, today, -amount);
            }
        }
        if (counter != Account.CUSTODY) {
            if (credit) {
                debit(Account.CUSTODY, amount);
                credit(Account.OPERATOR_BANK, amount);
            } else {
                debit(Account.OPERATOR_BANK, amount);
                credit(Account.CUSTODY, amount);
            }
        }
    }

    Reason checkTransfer(final RequestBalanceTransfer c) {
        final Object rf = resolve(c.fromPan());
        if (rf instanceof Reason) {
            return (Reason) rf;
        }
        final Object rt = resolve(c.toPan());
        if (rt instanceof Reason) {
            return (Reason) rt;
        }
        final MCard from = (MCard) rf;
        final MCard to = (MCard) rt;
        if (from == to) {
            return Reason.SAME_CARD;
        }
        // DIVERGENCE (spec silent on status): the ledger transfers only from a live card (seeds 1, 2, 3: source
        // REPLACED / CANCELLED / BLACKLISTED → ILLEGAL_TRANSITION) to an ACTIVE card (seed 8: target LOST).
        if (!transferable(from) || to.status != CardStatus.ACTIVE) {
            return Reason.ILLEGAL_TRANSITION;
        }
        if (c.amount() <= 0) {
            return Reason.INVALID_ARGUMENT;
        }
        if (from.available < c.amount()) {
            // CHOICE (spec silent on transfers' checks): the source's available must cover the amount.
            return Reason.INSUFFICIENT_BALANCE;
        }
        if (to.ledgerBalance() + c.amount() > cap(type(to))) {
            return Reason.BALANCE_CAP_EXCEEDED;
        }
        return null;
    }

    static boolean transferable(final MCard card) {
        return card.status == CardStatus.ACTIVE || card.status == CardStatus.FROZEN || card.status == CardStatus.LOST;
    }

    Reason approve(final String operator, final Role role, final long id) {
        final MPending p = pending.get(id);
        if (p != null) {
            if (p.state != PENDING_WAITING) {
                return Reason.PENDING_ALREADY_DECIDED;
            }
            // DIVERGENCE (spec silent on the order): the ledger checks the approver's role before maker ≠ checker
            // (seed 2: FINANCE maker approving its own adjustment gets ROLE_NOT_PERMITTED).
            if (role != Role.SUPERVISOR && role != Role.SYSTEM) {
                return Reason.ROLE_NOT_PERMITTED;
            }
            if (p.maker.equals(operator)) {
                return Reason.APPROVER_IS_MAKER;
            }
            if (p.request instanceof RequestAdjustment c) {
                final Reason reason = checkAdjustment(c);
                if (reason != null) {
                    return reason;
                }
                applyAdjustment(c);
            } else {
                final RequestBalanceTransfer c = (RequestBalanceTransfer) p.request;
                final Reason reason = checkTransfer(c);
                if (reason != null) {
                    return reason;
                }
                final MCard from = cardOfPan(c.fromPan());
                final MCard to = cardOfPan(c.toPan());
                cardDebit(from, c.amount());
                cardCredit(to, c.amount());
            }
            p.state = PENDING_APPROVED;
            return Reason.APPROVED;
        }
        final MSettlement s = settlements.get(id);
        if (s == null) {
            return Reason.PENDING_NOT_FOUND;
        }
        if (s.state != PENDING_WAITING) {
            return Reason.PENDING_ALREADY_DECIDED;
        }
        // DIVERGENCE (spec silent on the order): the ledger checks the approver's role before maker ≠ checker.
        if (role != Role.FINANCE && role != Role.SYSTEM) {
            return Reason.ROLE_NOT_PERMITTED;
        }
        if (s.preparedBy.equals(operator)) {
            return Reason.APPROVER_IS_MAKER;
        }
        for (final MLine line : s.lines) {
            // DIVERGENCE (spec silent): a merchant put under review after prepare makes its line stale (seed 5).
            if (line.merchant.underReview) {
                return Reason.SETTLEMENT_STALE;
            }
            // DIVERGENCE (spec vague: "every line still payable"): as observed, the ledger declares a line stale
            // when 2203 no longer covers payout + the receivable netted at prepare, or when the merchant's
            // receivable is no longer the one netted at prepare (seeds 1, 7). Followed.
            if (line.merchant.payable < line.amount + line.receivable || line.merchant.receivable != line.receivable) {
                return Reason.SETTLEMENT_STALE;
            }
        }
        for (final MLine line : s.lines) {
            debit(Account.MERCHANT_PAYABLE, line.amount + line.receivable);
            line.merchant.payable -= line.amount + line.receivable;
            credit(Account.MERCHANT_RECEIVABLE, line.receivable);
            line.merchant.receivable -= line.receivable;
            credit(Account.CLEARING_IN_TRANSIT, line.amount);
            line.state = LINE_SENT;
        }
        s.state = PENDING_APPROVED;
        return Reason.APPROVED;
    }

    Reason reject(final String operator, final Role role, final long id) {
        final MPending p = pending.get(id);
        if (p != null) {
            if (p.state != PENDING_WAITING) {
                return Reason.PENDING_ALREADY_DECIDED;
            }
            if (!p.maker.equals(operator) && role != Role.SUPERVISOR && role != Role.SYSTEM) {
                return Reason.ROLE_NOT_PERMITTED;
            }
            p.state = PENDING_REJECTED;
            return Reason.APPROVED;
        }
        final MSettlement s = settlements.get(id);
        if (s == null) {
            return Reason.PENDING_NOT_FOUND;
        }
        if (s.state != PENDING_WAITING) {
            return Reason.PENDING_ALREADY_DECIDED;
        }
        if (!s.preparedBy.equals(operator) && role != Role.FINANCE && role != Role.SYSTEM) {
            return Reason.ROLE_NOT_PERMITTED;
        }
        s.state = PENDING_REJECTED;
        return Reason.APPROVED;
    }

    // --- clearing

    Reason prepareSettlement(final String operator, final Expected e) {
        if (today == 0 || !isWorkingDay(today)) {
            return Reason.NOT_A_WORKING_DAY;
        }
        for (final MSettlement s : settlements.values()) {
            if (s.state == PENDING_WAITING) {
                return Reason.SETTLEMENT_ALREADY_PREPARED;
            }
        }
        // DIVERGENCE (spec: only "capacities are limits"): a settlement batch is a waiting request too, and the
        // ledger checks the capacity before computing the lines (seed 8, command #4808).
        if (waiting() >= config.maxPendingRequests()) {
            return Reason.CAPACITY_REACHED;
        }
        final List<MLine> lines = new ArrayList<>();
        for (final MMerchant m : merchants.values()) {
            if (m.underReview) {
                continue;
            }
            final long due = due(m);
            if (due > 0) {
                lines.add(new MLine(m, due, m.receivable));
            }
        }
        if (lines.isEmpty()) {
            return Reason.NOTHING_TO_SETTLE;
        }
        final long id = nextPendingId++;
        final MSettlement batch = new MSettlement(id, operator, today);
        batch.lines.addAll(lines);
        settlements.put(id, batch);
        e.out.value1 = id;
        e.fields |= F_VALUE1;
        return Reason.APPROVED;
    }

    /**
     * The last payout day on or before today of a weekly (cycleDays = ISO weekday) or monthly (cycleDays = day of the
     * month, the month's last day when it is shorter) cycle: the latest nominal day whose first working day on or after
     * it is not after today. Computed with java.time, apart from the ledger's arithmetic.
     */
    int lastPayoutDay(final SettlementCycle cycle, final int param) {
        for (int d = today; d >= today - 62; d--) {
            final java.time.LocalDate date = java.time.LocalDate.ofEpochDay(d);
            final boolean nominal = cycle == SettlementCycle.WEEKLY ? date.getDayOfWeek().getValue() == param
                    : date.getDayOfMonth() == Math.min(param, date.lengthOfMonth());
            if (!nominal) {
                continue;
            }
            for (int w = d; w <= today; w++) {
                if (isWorkingDay(w)) {
                    return w;
                }
            }
        }
        throw new IllegalStateException("no payout day of " + cycle + " " + param + " before " + CivilDate.iso(today));
    }

    /** What a merchant is due today by its cycle (≤ 0: nothing). */
    long due(final MMerchant m) {
        {
            final long all = m.payable - m.receivable;
            long unpaid = 0;
            final SettlementCycle cycle = m.profile.cycle();
            if (cycle == SettlementCycle.WEEKLY || cycle == SettlementCycle.MONTHLY) {
                // "paid on the cycle's day, or the next working day: everything owed for the days before it"
                final int last = lastPayoutDay(cycle, m.profile.cycleDays());
                for (int d = last; d <= today; d++) {
                    unpaid += m.activity.getOrDefault(d, 0L);
                }
            } else if (cycle != SettlementCycle.THRESHOLD) {
                final int n = cycle == SettlementCycle.T_PLUS_1 ? 1 : m.profile.cycleDays();
                for (int d = today - 63; d <= today; d++) {
                    if (workingDaysAfter(d, today) < n) {
                        unpaid += m.activity.getOrDefault(d, 0L);
                    }
                }
            }
            long due;
            switch (cycle) {
                case THRESHOLD:
                    due = all >= m.profile.thresholdFen() ? all : 0;
                    break;
                case THRESHOLD_OR_T_PLUS_N:
                    due = all >= m.profile.thresholdFen() ? all : all - Math.max(0, unpaid);
                    break;
                default:
                    due = all - Math.max(0, unpaid);
                    break;
            }
            if (due > all && due > 0) {
                // Spec gap: negative activity of days not yet paid makes the due more than is owed (payable −
                // receivable); the formula is followed as written.
                notes.add("settlement: merchant " + m.id() + " unpaid activity " + unpaid + " < 0: due " + due
                        + " > payable - receivable " + all);
            }
            return due;
        }
    }

    Reason payoutResult(final RecordPayoutResult c) {
        final MSettlement s = settlements.get(c.settlementId());
        if (s == null) {
            return Reason.SETTLEMENT_NOT_FOUND;
        }
        MLine line = null;
        for (final MLine l : s.lines) {
            if (l.merchant.id().equals(c.merchantId())) {
                line = l;
            }
        }
        if (line == null) {
            return Reason.PAYOUT_NOT_IN_BATCH;
        }
        if (line.state == LINE_PAID || line.state == LINE_FAILED) {
            return Reason.PAYOUT_ALREADY_RECORDED;
        }
        if (s.state != PENDING_APPROVED) {
            return Reason.PENDING_ALREADY_DECIDED;
        }
        debit(Account.CLEARING_IN_TRANSIT, line.amount);
        if (c.success()) {
            credit(Account.CUSTODY, line.amount);
            line.state = LINE_PAID;
        } else {
            merchantCredit(line.merchant, line.amount);
            line.state = LINE_FAILED;
        }
        return Reason.APPROVED;
    }

    Reason cutover(final Cutover c) {
        if (!CivilDate.isValid(c.newBusinessDate())) {
            return Reason.INVALID_ARGUMENT;
        }
        final int newDay = CivilDate.epochDay(c.newBusinessDate());
        if (today != 0 && newDay <= today) {
            return Reason.BUSINESS_DATE_NOT_LATER;
        }
        final boolean newMonth = today != 0 && month(newDay) != month(today);
        for (final MMerchant m : merchants.values()) {
            long fee = m.feeAccrued;
            if (newMonth) {
                // CHOICE: the periodic rule effective on the new date.
                fee += periodicFee(m, newDay);
            }
            if (fee > 0) {
                merchantDebit(m, fee);
                credit(Account.FEE_INCOME, fee);
                debit(Account.OPERATOR_BANK, fee);
                credit(Account.CUSTODY, fee);
                activity(m, today, -fee);
            } else if (fee < 0) {
                // CHOICE: the mirror of a merchant debit is a credit to 2203.
                merchantCredit(m, -fee);
                debit(Account.FEE_INCOME, -fee);
                debit(Account.CUSTODY, -fee);
                credit(Account.OPERATOR_BANK, -fee);
                activity(m, today, -fee);
            }
            final long share = m.shareAccrued;
            if (share > 0) {
                debit(Account.COMMISSION_EXPENSE, share);
                credit(Account.DEPLOYER_PAYABLE, share);
            } else if (share < 0) {
                credit(Account.COMMISSION_EXPENSE, -share);
                debit(Account.DEPLOYER_PAYABLE, -share);
            }
            m.feeAccrued = 0;
            m.shareAccrued = 0;
        }
        final long kept = p(Parameters.Name.TRANSACTIONS_KEPT_DAYS);
        // CHOICE: "older than N days" = newDay − day > N.
        final Iterator<MTxn> it = log.values().iterator();
        while (it.hasNext()) {
            final MTxn r = it.next();
            if (newDay - r.day > kept) {
                it.remove();
                if (byKey.get(r.key) == r) {
                    byKey.remove(r.key);
                }
            } else {
                break;
            }
        }
        final Iterator<MHold> ih = holds.values().iterator();
        while (ih.hasNext()) {
            final MHold h = ih.next();
            // DIVERGENCE (spec ambiguous: "closed holds older than transactionsKeptDays"): the ledger ages a closed
            // hold from the day it was closed, not the pre-authorisation's day (seed 1, cut-over at command #3214).
            if (h.state != HOLD_OPEN && newDay - h.closedDay > kept) {
                ih.remove();
            }
        }
        // DIVERGENCE (ambiguous sentence: "decided requests and resolved settlements too"): the ledger keeps them
        // until they are older than transactionsKeptDays (by the day they were made), not just until the next
        // cut-over (seed 6, command #518: Approve of a request decided before a cut-over → PENDING_ALREADY_DECIDED).
        pending.values().removeIf(p -> p.state != PENDING_WAITING && newDay - p.day > kept);
        settlements.values().removeIf(st -> st.resolved() && newDay - st.day > kept);
        today = newDay;
        return Reason.APPROVED;
    }
}
