package dev.prepaid.ledger;

import dev.prepaid.card.BinRange;
import dev.prepaid.card.BinTable;
import dev.prepaid.card.CardStore;
import dev.prepaid.card.CardType;
import dev.prepaid.card.Holder;
import dev.prepaid.card.Issuer;
import dev.prepaid.card.Pan;
import dev.prepaid.clearing.BusinessCalendar;
import dev.prepaid.clearing.SettlementBatch;
import dev.prepaid.command.Reason;
import dev.prepaid.fee.RuleBook;
import dev.prepaid.merchant.Deployer;
import dev.prepaid.merchant.Merchant;
import dev.prepaid.merchant.Terminal;
import dev.prepaid.operator.Operator;
import dev.prepaid.time.CivilDate;
import dev.prepaid.txn.HoldTable;
import dev.prepaid.txn.KeyMix;
import dev.prepaid.txn.TransactionLog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.agrona.collections.Long2LongHashMap;

/**
 * Everything the ledger knows, in one place: reference data, cards, books, recent transactions, holds,
 * pending approvals and settlements. Only the ledger thread touches it. Hash maps here are only looked
 * up, never iterated for results; ordered collections (arrays, lists, insertion-ordered maps) give every
 * iteration a deterministic order.
 */
public final class LedgerState {
    final LedgerConfig config;
    final Parameters parameters = new Parameters();

    /** The open business day (epoch day); 0 until the first cut-over opens one. */
    int businessDay;
    int businessDate;
    /** Timestamp of the last command applied (epoch ms): a restored journal's clock continues from it. */
    long lastTimestamp;
    /** Epoch day of the first day of the business day's month (velocity months compare against it). */
    int monthStartDay;

    final CardStore cards;
    final GeneralLedger books;
    final List<Holder> holders = new ArrayList<>();

    final Map<String, Issuer> issuers = new LinkedHashMap<>();
    final CardType[] cardTypes;
    final List<BinRange> binRanges = new ArrayList<>();
    private volatile BinTable binTable = BinTable.EMPTY;

    final Merchant[] merchants;
    int merchantCount;
    final Map<String, Integer> merchantIndex = new HashMap<>();

    final Terminal[] terminals;
    int terminalCount;
    final Long2LongHashMap terminalIndex;
    final Map<String, Integer> terminalIndexById = new HashMap<>();

    final Deployer[] deployers = new Deployer[Deployer.MAX_DEPLOYERS];
    int deployerCount;
    final Map<String, Integer> deployerIndex = new HashMap<>();

    final Operator[] operators;
    int operatorCount;
    final Map<String, Integer> operatorIndex = new HashMap<>();
    /** Per operator: the day and count of anonymous sales near the real-name threshold. */
    final int[] nearThresholdDay;
    final int[] nearThresholdSales;
    /** Per operator: wrong passwords in a row since the last login, and {@link #OPERATOR_LOCKED} etc. */
    final int[] loginFailures;
    final byte[] operatorFlags;
    /** The operator is locked (too many wrong passwords, or by an administrator): no login, no command. */
    public static final int OPERATOR_LOCKED = 1;
    /** The operator's password was set by someone else (bootstrap, reset): it must be changed first. */
    public static final int OPERATOR_MUST_CHANGE_PASSWORD = 2;

    final RuleBook rules;
    final BusinessCalendar calendar;
    final TransactionLog transactions;
    final HoldTable holds;
    int nextAuthCode = 1;
    final ReviewQueue review;
    final AdminRequestMemory adminRequests;
    /** Who decided what: kept from the journaled OPEN_AUDIT_TRAIL on (closed in a fresh state). */
    final AuditTrail audit = new AuditTrail();

    final Map<Long, PendingRequest> pending = new LinkedHashMap<>();
    long nextPendingId = 1;
    final Map<Long, SettlementBatch> settlements = new LinkedHashMap<>();
    /**
     * Business days (epoch days, ascending) whose reconciliation failed and is not resolved: while any is here, no
     * settlement batch is prepared or approved (RECORD_RECONCILIATION). Bounded by {@link #MAX_HELD_DAYS}.
     */
    final org.agrona.collections.IntArrayList reconciliationHeld = new org.agrona.collections.IntArrayList();
    /** At most this many failed days wait to be resolved (more than a year of daily failures). */
    public static final int MAX_HELD_DAYS = 400;

    public LedgerState(final LedgerConfig config) {
        this.config = config;
        this.cards = new CardStore(config.maxCards());
        this.cardTypes = new CardType[config.maxCardTypes() + 1];
        this.issuerIdByType = new String[config.maxCardTypes() + 1];
        this.merchants = new Merchant[config.maxMerchants()];
        this.terminals = new Terminal[config.maxTerminals()];
        this.terminalIndex = new Long2LongHashMap(config.maxTerminals() * 2, 0.5f, -1);
        this.operators = new Operator[config.maxOperators()];
        this.nearThresholdDay = new int[config.maxOperators()];
        this.nearThresholdSales = new int[config.maxOperators()];
        this.loginFailures = new int[config.maxOperators()];
        this.operatorFlags = new byte[config.maxOperators()];
        this.rules = new RuleBook(config.maxRules(), config.maxMerchants());
        this.calendar = new BusinessCalendar(config.calendarDays());
        this.transactions = new TransactionLog(config.transactionLogCapacity());
        this.holds = new HoldTable(config.maxOpenHolds());
        this.review = new ReviewQueue(config.reviewQueueCapacity());
        this.adminRequests = new AdminRequestMemory(config.adminRequestMemory());
        this.books = new GeneralLedger(cards, merchants, deployers);
    }

    public int deployerCount() {
        return deployerCount;
    }

    public Deployer deployer(final int index) {
        return deployers[index];
    }

    /** The deployer of that code, or null. */
    public Deployer deployer(final String code) {
        final Integer index = deployerIndex.get(code);
        return index == null ? null : deployers[index];
    }

    /** Links every terminal to the registered deployer its deployer code names (-1: none). Not stored: derived. */
    void linkTerminalsToDeployers() {
        for (int t = 0; t < terminalCount; t++) {
            final Integer d = deployerIndex.get(terminals[t].profile().deployerCode());
            terminals[t].deployerIndex(d == null ? -1 : d);
        }
    }

    /** The business days (epoch days, ascending) whose failed reconciliation holds settlement; empty when none. */
    public int[] reconciliationHeldDays() {
        return reconciliationHeld.toIntArray();
    }

    public LedgerConfig config() {
        return config;
    }

    public Parameters parameters() {
        return parameters;
    }

    public int businessDay() {
        return businessDay;
    }

    /** The open business date as yyyymmdd, 0 before the first cut-over. */
    public int businessDate() {
        return businessDate;
    }

    void openBusinessDay(final int epochDay) {
        businessDay = epochDay;
        businessDate = CivilDate.yyyymmdd(epochDay);
        monthStartDay = CivilDate.epochDay(businessDate / 100 * 100 + 1);
    }

    public CardStore cards() {
        return cards;
    }

    public GeneralLedger books() {
        return books;
    }

    public Holder holder(final int index) {
        return index < 0 ? null : holders.get(index);
    }

    public Map<String, Issuer> issuers() {
        return issuers;
    }

    /** Field 44's issuer id of each card type, kept current as issuers and types change (no lookup per transaction). */
    final String[] issuerIdByType;

    void refreshIssuerIds() {
        for (int id = 0; id < cardTypes.length; id++) {
            final CardType type = cardTypes[id];
            final Issuer issuer = type == null ? null : issuers.get(type.issuerCode());
            issuerIdByType[id] = issuer == null ? null : issuer.institutionId();
        }
    }

    /** Registers a terminal under its packed POS id. */
    void indexTerminal(final long packedId, final int index) {
        terminalIndex.put(KeyMix.mix(packedId), index);
    }

    public CardType cardType(final int id) {
        return id > 0 && id < cardTypes.length ? cardTypes[id] : null;
    }

    public List<BinRange> binRanges() {
        return binRanges;
    }

    /**
     * The BIN ranges as the I/O threads see them: replaced, never changed, by the ledger thread whenever a
     * range changes, so any thread may read it.
     */
    public BinTable binTable() {
        return binTable;
    }

    void refreshBinTable() {
        binTable = BinTable.of(binRanges);
    }

    public int merchantCount() {
        return merchantCount;
    }

    public Merchant merchant(final int index) {
        return merchants[index];
    }

    public Merchant merchant(final String merchantId) {
        final Integer index = merchantIndex.get(merchantId);
        return index == null ? null : merchants[index];
    }

    public int terminalCount() {
        return terminalCount;
    }

    public Terminal terminal(final int index) {
        return terminals[index];
    }

    public Terminal terminal(final String terminalId) {
        final Integer index = terminalIndexById.get(terminalId);
        return index == null ? null : terminals[index];
    }

    /** The terminal with a packed POS terminal id, or null (allocation-free). */
    public Terminal terminalByPackedId(final long packedId) {
        final long index = terminalIndex.get(KeyMix.mix(packedId));
        return index < 0 ? null : terminals[(int) index];
    }

    public int operatorCount() {
        return operatorCount;
    }

    public Operator operator(final int index) {
        return operators[index];
    }

    public Operator operator(final String operatorId) {
        if (Operator.SYSTEM_ID.equals(operatorId)) {
            return Operator.SYSTEM;
        }
        final Integer index = operatorIndex.get(operatorId);
        return index == null ? null : operators[index];
    }

    /** The index of an operator ({@code system} has none), or -1. */
    public int operatorIndex(final String operatorId) {
        final Integer index = operatorIndex.get(operatorId);
        return index == null ? -1 : index;
    }

    /** Wrong passwords in a row of the operator at {@code index} since its last login. */
    public int loginFailures(final int index) {
        return loginFailures[index];
    }

    public boolean operatorLocked(final int index) {
        return (operatorFlags[index] & OPERATOR_LOCKED) != 0;
    }

    public boolean mustChangePassword(final int index) {
        return (operatorFlags[index] & OPERATOR_MUST_CHANGE_PASSWORD) != 0;
    }

    /** Whether any operator has a login state to keep (a failure count or a flag). */
    boolean anyOperatorSecurityState() {
        for (int o = 0; o < operatorCount; o++) {
            if (loginFailures[o] != 0 || operatorFlags[o] != 0) {
                return true;
            }
        }
        return false;
    }

    public RuleBook rules() {
        return rules;
    }

    public BusinessCalendar calendar() {
        return calendar;
    }

    public TransactionLog transactions() {
        return transactions;
    }

    public HoldTable holds() {
        return holds;
    }

    public ReviewQueue review() {
        return review;
    }

    public AuditTrail audit() {
        return audit;
    }

    public Map<Long, PendingRequest> pending() {
        return pending;
    }

    public Map<Long, SettlementBatch> settlements() {
        return settlements;
    }

    /** The effective balance cap of a card type: its own, never above the regulatory cap. */
    public long balanceCap(final CardType type) {
        final long regulatory = parameters.get(type.named() ? Parameters.Name.BALANCE_CAP_NAMED
                : Parameters.Name.BALANCE_CAP_ANONYMOUS);
        return type.balanceCap() > 0 ? Math.min(type.balanceCap(), regulatory) : regulatory;
    }

    public int pinTries(final CardType type) {
        return type.pinTries() > 0 ? type.pinTries() : (int) parameters.get(Parameters.Name.PIN_TRIES_DEFAULT);
    }

    /**
     * Finds the card of a PAN given as length, body and check digit. Returns the card index, or
     * {@code -(1 + reason ordinal)} naming why the number is not a card of this switch. Allocation-free.
     */
    public int resolveCard(final int length, final long body, final int checkDigit) {
        if (!Pan.isWellFormed(length, body) || checkDigit > 9) {
            return encode(Reason.CARD_NUMBER_LENGTH);
        }
        if (Pan.luhnCheckDigit(body, length - 1) != checkDigit) {
            return encode(Reason.CARD_CHECK_DIGIT);
        }
        boolean binKnown = false;
        final List<BinRange> ranges = binRanges;
        for (int i = 0, n = ranges.size(); i < n; i++) {
            final BinRange range = ranges.get(i);
            if (range.panLength() == length) {
                if (range.holdsBody(body)) {
                    final int card = range.cardOf(range.accountOf(body));
                    return card >= 0 ? card : encode(Reason.CARD_NOT_ISSUED);
                }
            } else if (range.binMatches(length, body)) {
                binKnown = true;
            }
        }
        return encode(binKnown ? Reason.CARD_NUMBER_LENGTH : Reason.CARD_BIN_UNKNOWN);
    }

    /** The card of a PAN key, or the encoded reason (see {@link #resolveCard(int, long, int)}). */
    public int resolveCard(final long panKey) {
        final int length = Pan.lengthOfKey(panKey);
        final long body = Pan.bodyOfKey(panKey);
        return resolveCard(length, body, Pan.luhnCheckDigit(body, length - 1));
    }

    /** The card of a PAN written as digits, or the encoded reason. */
    public int resolveCard(final String pan) {
        if (pan == null || pan.length() < Pan.MIN_LENGTH || pan.length() > Pan.MAX_LENGTH) {
            return encode(Reason.CARD_NUMBER_LENGTH);
        }
        long body = 0;
        for (int i = 0; i < pan.length(); i++) {
            final char c = pan.charAt(i);
            if (c < '0' || c > '9') {
                return encode(Reason.CARD_NUMBER_LENGTH);
            }
            if (i < pan.length() - 1) {
                body = body * 10 + (c - '0');
            }
        }
        return resolveCard(pan.length(), body, pan.charAt(pan.length() - 1) - '0');
    }

    static int encode(final Reason reason) {
        return -1 - reason.code;
    }

    static Reason decode(final int encoded) {
        return Reason.ofCode(-1 - encoded);
    }

    /** The range whose BIN and length are exactly these, or null. */
    public BinRange binRange(final long bin, final int binLength, final int panLength) {
        for (final BinRange range : binRanges) {
            if (range.bin() == bin && range.binLength() == binLength && range.panLength() == panLength) {
                return range;
            }
        }
        return null;
    }

    int nextAuthCode() {
        final int code = nextAuthCode;
        nextAuthCode = nextAuthCode >= 999_999 ? 1 : nextAuthCode + 1;
        return code;
    }
}
