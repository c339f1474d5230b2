package dev.prepaid.ledger;

import dev.prepaid.card.BinRange;
import dev.prepaid.card.CardStatus;
import dev.prepaid.card.CardType;
import dev.prepaid.card.Issuer;
import dev.prepaid.card.Pan;
import dev.prepaid.clearing.DayKind;
import dev.prepaid.command.AdminCommand.*;
import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.Ascii;
import dev.prepaid.command.CommandHeader;
import dev.prepaid.command.CommandType;
import dev.prepaid.command.Envelope;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.PosKind;
import dev.prepaid.command.Reason;
import dev.prepaid.command.RecordCodec;
import dev.prepaid.fee.DiscountRule;
import dev.prepaid.fee.FeeMethod;
import dev.prepaid.fee.FeeRule;
import dev.prepaid.fee.PointsRule;
import dev.prepaid.merchant.Deployer;
import dev.prepaid.merchant.DeployerProfile;
import dev.prepaid.merchant.Merchant;
import dev.prepaid.merchant.MerchantProfile;
import dev.prepaid.merchant.SettlementCycle;
import dev.prepaid.merchant.Terminal;
import dev.prepaid.merchant.TerminalProfile;
import dev.prepaid.operator.Operator;
import dev.prepaid.operator.Permissions;
import dev.prepaid.operator.Role;
import dev.prepaid.time.CivilDate;
import org.agrona.DirectBuffer;

/**
 * Applies operator and system commands: checks who is asking and whether their role allows it, answers a
 * repeated request with its first answer, then hands the command to the part of the ledger that owns it.
 * Reference data (issuers, card types, BIN ranges, merchants, terminals, operators, rules, parameters,
 * calendar) is handled here; cards in {@link CardDesk}; approvals, clearing and time in {@link Clearing}.
 */
final class AdminProcessor {
    /** BIN prefixes of the bank-card networks: a closed-loop card must not use them (domain-rules §1). */
    private static final String[] NETWORK_BIN_PREFIXES = {"2", "3", "4", "5", "60", "62", "64", "65", "81"};
    private static final int FEE_KINDS = PosKind.mask(PosKind.PURCHASE, PosKind.COMPLETION);
    /** A rule of kind RECHARGE is the commission the operator pays a merchant for a recharge: never mixed with fees. */
    private static final int RECHARGE_COMMISSION_KINDS = PosKind.mask(PosKind.RECHARGE);

    private final LedgerState s;
    private final CardDesk cardDesk;
    private final Clearing clearing;
    private final OperatorLogins logins;
    private final RiskReview review;
    /** The target of the command being decided, for its audit entry (reused). */
    private final AuditTrail.Target target = new AuditTrail.Target();

    AdminProcessor(final LedgerState state, final CardDesk cardDesk, final Clearing clearing) {
        this.s = state;
        this.cardDesk = cardDesk;
        this.clearing = clearing;
        this.logins = new OperatorLogins(state);
        this.review = new RiskReview(state);
    }

    /**
     * Decides one operator or system command and, while the audit trail is kept, records the decision in it —
     * whatever it was: applied, refused, a command that could not be read, the first answer to a repeat.
     */
    void apply(final DirectBuffer buffer, final int offset, final int length, final long journalSequence,
            final long timestampMillis, final Outcome out) {
        final int date = s.businessDate;
        out.businessDate = s.businessDate;
        Envelope envelope = null;
        AdminCommand command = null;
        try {
            envelope = RecordCodec.decodeEnvelope(buffer, offset, length);
            command = RecordCodec.decodeCommand(buffer, offset, length);
        } catch (final RecordCodec.CodecException | java.io.UncheckedIOException e) {
            fail(out, Reason.INVALID_ARGUMENT, e.getMessage());
        }
        if (command != null) {
            decide(envelope, command, buffer, offset, length, timestampMillis, out);
        }
        if (s.audit.isOpen()) {
            audit(journalSequence, timestampMillis, date, CommandHeader.type(buffer, offset), envelope, command, out);
        }
    }

    private void audit(final long journalSequence, final long timestampMillis, final int date, final int typeCode,
            final Envelope envelope, final AdminCommand command, final Outcome out) {
        int operatorIndex = AuditTrail.UNKNOWN_OPERATOR;
        if (envelope != null) {
            if (Operator.SYSTEM_ID.equals(envelope.operatorId())) {
                operatorIndex = AuditTrail.SYSTEM;
            } else {
                final int index = s.operatorIndex(envelope.operatorId());
                operatorIndex = index >= 0 ? index : AuditTrail.UNKNOWN_OPERATOR;
            }
        }
        if (command == null) {
            target.none();
        } else {
            AuditTargets.of(CommandType.of(command), command, target);
        }
        s.audit.record(journalSequence, timestampMillis, date, operatorIndex, typeCode, out.reason.code,
                out.duplicate ? AuditTrail.DUPLICATE : 0, envelope == null ? 0 : envelope.requestId(), target);
    }

    private void decide(final Envelope envelope, final AdminCommand command, final DirectBuffer buffer, final int offset,
            final int length, final long timestampMillis, final Outcome out) {
        final CommandType type = CommandType.of(command);
        final Operator operator = s.operator(envelope.operatorId());
        if (operator == null) {
            fail(out, Reason.OPERATOR_UNKNOWN, "operator '" + envelope.operatorId() + "'");
            return;
        }
        if (!operator.active()) {
            fail(out, Reason.OPERATOR_DISABLED, "operator '" + operator.operatorId() + "'");
            return;
        }
        final int index = s.operatorIndex(operator.operatorId());
        if (index >= 0 && s.operatorLocked(index)) {
            fail(out, Reason.OPERATOR_LOCKED, "operator '" + operator.operatorId() + "'");
            return;
        }
        if (index >= 0 && s.mustChangePassword(index) && type != CommandType.CHANGE_PASSWORD) {
            fail(out, Reason.PASSWORD_CHANGE_REQUIRED, "operator '" + operator.operatorId() + "' changes the password"
                    + " first (CHANGE_PASSWORD)");
            return;
        }
        if (type.systemOnly() && operator.role() != Role.SYSTEM) {
            fail(out, Reason.SYSTEM_ONLY, type.name());
            return;
        }
        if (!Permissions.allows(operator.role(), type)) {
            fail(out, Reason.ROLE_NOT_PERMITTED, operator.role() + " may not " + type.name() + "; allowed: "
                    + Permissions.rolesFor(type));
            return;
        }
        final long requestId = envelope.requestId();
        final long contentHash = requestId == 0 ? 0 : RecordCodec.contentHash(envelope.operatorId(), buffer, offset, length);
        if (requestId != 0) {
            final int slot = s.adminRequests.find(requestId);
            if (slot >= 0) {
                if (s.adminRequests.sameContent(slot, contentHash)) {
                    s.adminRequests.replay(slot, out);
                } else {
                    fail(out, Reason.DUPLICATE_REQUEST_DIFFERENT, "request id " + requestId);
                }
                return;
            }
        }
        dispatch(operator, type, command, timestampMillis, out);
        if (requestId != 0) {
            s.adminRequests.remember(requestId, contentHash, out);
        }
    }

    static void fail(final Outcome out, final Reason reason, final String detail) {
        out.reason = reason;
        out.detail = detail;
    }

    /** The one place that says which part of the ledger applies which command type. */
    private void dispatch(final Operator operator, final CommandType type, final AdminCommand command, final long timestamp,
            final Outcome out) {
        switch (type) {
            case UPSERT_ISSUER -> upsertIssuer((UpsertIssuer) command, out);
            case UPSERT_CARD_TYPE -> upsertCardType((UpsertCardType) command, out);
            case UPSERT_BIN_RANGE -> upsertBinRange((UpsertBinRange) command, out);
            case UPSERT_MERCHANT -> upsertMerchant(operator, (UpsertMerchant) command, out);
            case SET_MERCHANT_REVIEW -> setMerchantReview(operator, (SetMerchantReview) command, out);
            case SET_RECHARGE_SETTLEMENT -> setRechargeSettlement(operator, (SetRechargeSettlement) command, out);
            case UPSERT_DEPLOYER -> upsertDeployer((UpsertDeployer) command, out);
            case UPSERT_TERMINAL -> upsertTerminal(operator, (UpsertTerminal) command, out);
            case UPSERT_OPERATOR -> upsertOperator((UpsertOperator) command, out);
            case PUT_FEE_RULE -> putFeeRule(operator, (PutFeeRule) command, out);
            case PUT_DISCOUNT_RULE -> putDiscountRule(operator, (PutDiscountRule) command, out);
            case PUT_POINTS_RULE -> putPointsRule((PutPointsRule) command, out);
            case REMOVE_RULE -> removeRule((RemoveRule) command, out);
            case SET_PARAMETER -> setParameter((SetParameter) command, out);
            case SET_CALENDAR_DAY -> setCalendarDay((SetCalendarDay) command, out);

            case GENERATE_CARDS -> cardDesk.generate((GenerateCards) command, out);
            case SELL_CARDS -> cardDesk.sell(operator, (SellCards) command, out);
            case RECHARGE_CARDS -> cardDesk.recharge((RechargeCards) command, out);
            case FREEZE_CARD -> cardDesk.transition(((FreezeCard) command).pan(), CardStatus.ACTIVE, CardStatus.FROZEN, out);
            case UNFREEZE_CARD -> cardDesk.transition(((UnfreezeCard) command).pan(), CardStatus.FROZEN, CardStatus.ACTIVE, out);
            case REPORT_LOST -> cardDesk.reportLost(((ReportLost) command).pan(), out);
            case BLACKLIST_CARD -> cardDesk.blacklist(((BlacklistCard) command).pan(), out);
            case UNBLACKLIST_CARD -> cardDesk.unblacklist(((UnblacklistCard) command).pan(), out);
            case REPLACE_CARD -> cardDesk.replace((ReplaceCard) command, out);
            case RETURN_CARD -> cardDesk.returnCard(((ReturnCard) command).pan(), out);
            case CANCEL_ISSUANCE -> cardDesk.cancelIssuance(((CancelIssuance) command).pan(), out);
            case SET_PIN -> cardDesk.setPin((SetPin) command, out);
            case UNLOCK_PIN -> cardDesk.unlockPin(((UnlockPin) command).pan(), out);
            case EXTEND_EXPIRY -> cardDesk.extendExpiry((ExtendExpiry) command, out);
            case REDEEM_POINTS -> cardDesk.redeemPoints((RedeemPoints) command, out);

            case REQUEST_ADJUSTMENT -> clearing.requestAdjustment(operator, (RequestAdjustment) command, out);
            case REQUEST_BALANCE_TRANSFER -> clearing.requestTransfer(operator, (RequestBalanceTransfer) command, out);
            case APPROVE -> clearing.approve(operator, ((Approve) command).pendingId(), out);
            case REJECT -> clearing.reject(operator, ((Reject) command).pendingId(), out);
            case PREPARE_SETTLEMENT -> clearing.prepareSettlement(operator, out);
            case RECORD_PAYOUT_RESULT -> clearing.recordPayout((RecordPayoutResult) command, out);
            case RECORD_PAYOUT_FILES -> clearing.recordPayoutFiles(operator, (RecordPayoutFiles) command, out);
            case RECORD_COLLECTION_RESULT -> clearing.recordCollection((RecordCollectionResult) command, out);
            case CUTOVER -> clearing.cutover(((Cutover) command).newBusinessDate(), out);
            case EXPIRE_HOLDS -> clearing.expireHolds(timestamp, out);
            case RECORD_RECONCILIATION -> clearing.recordReconciliation(operator, (RecordReconciliation) command, out);

            case RECORD_LOGIN_FAILURE -> logins.loginFailure(((RecordLoginFailure) command).operatorId(), out);
            case RECORD_LOGIN -> logins.login(((RecordLogin) command).operatorId(), out);
            case CHANGE_PASSWORD -> logins.changePassword(operator, (ChangePassword) command, out);
            case RESET_PASSWORD -> logins.resetPassword((ResetPassword) command, out);
            case LOCK_OPERATOR -> logins.lock(operator, ((LockOperator) command).operatorId(), out);
            case UNLOCK_OPERATOR -> logins.unlock(((UnlockOperator) command).operatorId(), out);

            case CONFIRM_FLAG -> review.confirm(operator, (ConfirmFlag) command, out);
            case CLEAR_FLAG -> review.clear(operator, (ClearFlag) command, out);
            case OPEN_AUDIT_TRAIL -> openAuditTrail((OpenAuditTrail) command, out);
            default -> throw new LedgerInvariantException("no part of the ledger applies " + type);
        }
    }

    private void openAuditTrail(final OpenAuditTrail c, final Outcome out) {
        if (c.capacity() <= 0 || c.capacity() > LedgerConfig.MAX_AUDIT_ENTRIES) {
            fail(out, Reason.INVALID_ARGUMENT, "capacity must be 1.." + LedgerConfig.MAX_AUDIT_ENTRIES + ", got "
                    + c.capacity());
            return;
        }
        s.audit.open(c.capacity());
        out.value1 = c.capacity();
    }

    // ------------------------------------------------------------------ checks shared by handlers

    static boolean present(final Outcome out, final String field, final String value, final int maxLength) {
        if (value == null || value.isBlank()) {
            fail(out, Reason.INVALID_ARGUMENT, field + " is required");
            return false;
        }
        if (value.length() > maxLength) {
            fail(out, Reason.INVALID_ARGUMENT, field + " is " + value.length() + " characters; at most " + maxLength);
            return false;
        }
        return true;
    }

    static boolean nonNegative(final Outcome out, final String field, final long value) {
        if (value < 0) {
            fail(out, Reason.INVALID_ARGUMENT, field + " must not be negative, got " + value);
            return false;
        }
        return true;
    }

    static boolean digits(final String value, final int min, final int max) {
        if (value == null || value.length() < min || value.length() > max) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean printableAscii(final String value) {
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    /** A yyyymmdd date as an epoch day, or {@code open} for 0; -1 (and a failure) when not a date. */
    static int dayOf(final Outcome out, final String field, final int yyyymmdd, final int open) {
        if (yyyymmdd == 0) {
            return open;
        }
        if (!CivilDate.isValid(yyyymmdd)) {
            fail(out, Reason.INVALID_ARGUMENT, field + " " + yyyymmdd + " is not a date (yyyymmdd)");
            return -1;
        }
        return CivilDate.epochDay(yyyymmdd);
    }

    private Merchant merchantInScope(final Operator operator, final String merchantId, final Outcome out) {
        final Merchant merchant = s.merchant(merchantId);
        if (merchant == null) {
            fail(out, Reason.MERCHANT_NOT_FOUND, "merchant '" + merchantId + "'");
            return null;
        }
        if (!inScope(operator, merchantId, out)) {
            return null;
        }
        return merchant;
    }

    static boolean inScope(final Operator operator, final String merchantId, final Outcome out) {
        if (!operator.merchantScope().isEmpty() && !operator.merchantScope().equals(merchantId)) {
            fail(out, Reason.OUTSIDE_MERCHANT_SCOPE, "operator is limited to merchant " + operator.merchantScope());
            return false;
        }
        return true;
    }

    // ------------------------------------------------------------------ issuers, card types, BIN ranges

    private void upsertIssuer(final UpsertIssuer c, final Outcome out) {
        if (!present(out, "code", c.code(), 16) || !present(out, "name", c.name(), 100)
                || !present(out, "institutionId", c.institutionId(), 11)) {
            return;
        }
        if (!printableAscii(c.institutionId())) {
            fail(out, Reason.INVALID_ARGUMENT, "institutionId must be printable ASCII (it goes into POS field 44)");
            return;
        }
        s.issuers.put(c.code(), new Issuer(c.code(), c.name(), c.institutionId()));
        s.refreshIssuerIds();
    }

    private void upsertCardType(final UpsertCardType c, final Outcome out) {
        if (c.id() <= 0 || c.id() > s.config.maxCardTypes()) {
            fail(out, Reason.INVALID_ARGUMENT, "card type id must be 1.." + s.config.maxCardTypes() + ", got " + c.id());
            return;
        }
        if (!present(out, "name", c.name(), 100)) {
            return;
        }
        if (!s.issuers.containsKey(c.issuerCode())) {
            fail(out, Reason.ISSUER_NOT_FOUND, "issuer '" + c.issuerCode() + "'");
            return;
        }
        if (!nonNegative(out, "balanceCap", c.balanceCap()) || !nonNegative(out, "initialBalance", c.initialBalance())
                || !nonNegative(out, "deposit", c.deposit()) || !nonNegative(out, "issuanceFee", c.issuanceFee())
                || !nonNegative(out, "replacementFee", c.replacementFee())
                || !nonNegative(out, "lostReportFee", c.lostReportFee()) || !nonNegative(out, "singleLimit", c.singleLimit())
                || !nonNegative(out, "dailyAmountLimit", c.dailyAmountLimit())
                || !nonNegative(out, "dailyCountLimit", c.dailyCountLimit())
                || !nonNegative(out, "monthlyAmountLimit", c.monthlyAmountLimit())
                || !nonNegative(out, "monthlyCountLimit", c.monthlyCountLimit())
                || !nonNegative(out, "pointsPerYuan", c.pointsPerYuan())) {
            return;
        }
        if (c.dailyCountLimit() > 65_535 || c.monthlyCountLimit() > 65_535) {
            fail(out, Reason.INVALID_ARGUMENT, "count limits are at most 65535");
            return;
        }
        if (c.named() && c.validityMonths() != 0) {
            fail(out, Reason.INVALID_ARGUMENT, "named cards have no expiry date: validityMonths must be 0");
            return;
        }
        final long minValidity = s.parameters.get(Parameters.Name.ANONYMOUS_MIN_VALIDITY_MONTHS);
        if (!c.named() && (c.validityMonths() < minValidity || c.validityMonths() > 1200)) {
            fail(out, Reason.INVALID_ARGUMENT, "anonymous cards are valid at least " + minValidity
                    + " months (at most 1200), got " + c.validityMonths());
            return;
        }
        final int allowed = PosKind.allPermissionControlled();
        if ((c.permittedKinds() & ~allowed) != 0 || (c.pinRequiredKinds() & ~c.permittedKinds()) != 0) {
            fail(out, Reason.INVALID_ARGUMENT, "permittedKinds may name purchase, refund, balance inquiry, recharge,"
                    + " pre-authorisation and completion; pinRequiredKinds only permitted ones");
            return;
        }
        if (c.pinTries() < 0 || c.pinTries() > 20) {
            fail(out, Reason.INVALID_ARGUMENT, "pinTries must be 0 (system default) to 20, got " + c.pinTries());
            return;
        }
        final CardType type = new CardType(c.id(), c.name(), c.issuerCode(), c.named(), c.balanceCap(),
                c.initialBalance(), c.deposit(), c.issuanceFee(), c.replacementFee(), c.lostReportFee(), c.rechargeable(),
                c.validityMonths(), c.permittedKinds(), c.pinRequiredKinds(), c.pinTries(), c.singleLimit(),
                c.dailyAmountLimit(), c.dailyCountLimit(), c.monthlyAmountLimit(), c.monthlyCountLimit(),
                c.pointsPerYuan(), c.onSale());
        if (c.initialBalance() > s.balanceCap(type)) {
            fail(out, Reason.INVALID_ARGUMENT, "initialBalance " + c.initialBalance() + " exceeds the balance cap " + s.balanceCap(type));
            return;
        }
        final CardType previous = s.cardTypes[c.id()];
        if (previous != null && previous.named() != c.named()) {
            fail(out, Reason.INVALID_ARGUMENT, "a card type cannot change between named and anonymous");
            return;
        }
        s.cardTypes[c.id()] = type;
        s.refreshIssuerIds();
    }

    private void upsertBinRange(final UpsertBinRange c, final Outcome out) {
        if (!digits(c.bin(), 6, 6) && !digits(c.bin(), 8, 8)) {
            fail(out, Reason.INVALID_ARGUMENT, "bin must be 6 or 8 digits, got '" + c.bin() + "'");
            return;
        }
        for (final String prefix : NETWORK_BIN_PREFIXES) {
            if (c.bin().startsWith(prefix)) {
                fail(out, Reason.INVALID_ARGUMENT, "bin " + c.bin() + " is in a bank-card network's range (starts with "
                        + prefix + "); a closed-loop card needs a private BIN");
                return;
            }
        }
        if (c.bin().charAt(0) == '0') {
            fail(out, Reason.INVALID_ARGUMENT, "bin must not start with 0");
            return;
        }
        final int accountDigits = c.panLength() - 1 - c.bin().length();
        if (c.panLength() < Pan.MIN_LENGTH || c.panLength() > Pan.MAX_LENGTH || accountDigits < 1) {
            fail(out, Reason.INVALID_ARGUMENT, "panLength must be 13..19 and longer than the BIN plus a check digit");
            return;
        }
        final CardType type = s.cardType(c.cardTypeId());
        if (type == null) {
            fail(out, Reason.CARD_TYPE_NOT_FOUND, "card type " + c.cardTypeId());
            return;
        }
        if (c.firstAccount() < 0 || c.lastAccount() < c.firstAccount()
                || c.lastAccount() >= Pan.powerOfTen(accountDigits)) {
            fail(out, Reason.INVALID_ARGUMENT, "accounts must satisfy 0 <= first <= last < 10^" + accountDigits);
            return;
        }
        final long bin = Long.parseLong(c.bin());
        final BinRange existing = s.binRange(bin, c.bin().length(), c.panLength());
        if (existing != null) {
            if (existing.firstAccount() != c.firstAccount()) {
                fail(out, Reason.INVALID_ARGUMENT, "the first account of an existing range cannot change");
                return;
            }
            if (c.lastAccount() < existing.nextAccount() - 1) {
                fail(out, Reason.INVALID_ARGUMENT, "lastAccount cannot drop below accounts already generated ("
                        + (existing.nextAccount() - 1) + ")");
                return;
            }
            if (existing.cardTypeId() != c.cardTypeId() && existing.nextAccount() != existing.firstAccount()) {
                // Each card keeps the type it was generated as (its CVN was made with that type's key): a range
                // whose cards exist keeps its type too, so a card's type is always its range's.
                fail(out, Reason.INVALID_ARGUMENT, "cards of BIN range " + c.bin() + " were generated as card type "
                        + existing.cardTypeId() + " and keep it; a new card type takes a new BIN range");
                return;
            }
            existing.cardTypeId(c.cardTypeId());
            existing.lastAccount(c.lastAccount());
            s.refreshBinTable();
            return;
        }
        for (final BinRange other : s.binRanges) {
            if (other.panLength() == c.panLength()) {
                final String a = other.binDigits();
                if (a.startsWith(c.bin()) || c.bin().startsWith(a)) {
                    fail(out, Reason.BIN_RANGE_OVERLAP, "bin " + c.bin() + " overlaps range " + a + " of length " + c.panLength());
                    return;
                }
            }
        }
        if (s.binRanges.size() >= s.config.maxBinRanges()) {
            fail(out, Reason.CAPACITY_REACHED, "at most " + s.config.maxBinRanges() + " BIN ranges");
            return;
        }
        s.binRanges.add(new BinRange(s.binRanges.size(), bin, c.bin().length(), c.panLength(), c.cardTypeId(),
                c.firstAccount(), c.lastAccount()));
        s.refreshBinTable();
    }

    // ------------------------------------------------------------------ merchants and terminals

    private void upsertMerchant(final Operator operator, final UpsertMerchant c, final Outcome out) {
        if (!present(out, "merchantId", c.merchantId(), 15) || !present(out, "name", c.name(), 100)) {
            return;
        }
        if (!printableAscii(c.merchantId())) {
            fail(out, Reason.INVALID_ARGUMENT, "merchantId must be printable ASCII without spaces (POS field 42)");
            return;
        }
        if (!inScope(operator, c.merchantId(), out)) {
            return;
        }
        if (s.deployer(c.merchantId()) != null) {
            fail(out, Reason.ALREADY_EXISTS, "'" + c.merchantId() + "' is a deployer's code; a merchant's id must differ");
            return;
        }
        if (!digits(c.category(), 4, 4)) {
            fail(out, Reason.INVALID_ARGUMENT, "category must be a 4-digit merchant category code");
            return;
        }
        if (c.status() == null || c.cycle() == null || c.refundFeePolicy() == null) {
            fail(out, Reason.INVALID_ARGUMENT, "status, cycle and refundFeePolicy are required");
            return;
        }
        final boolean daily = c.cycle() == SettlementCycle.T_PLUS_1;
        final boolean tPlusN = c.cycle() == SettlementCycle.T_PLUS_N || c.cycle() == SettlementCycle.THRESHOLD_OR_T_PLUS_N;
        final boolean threshold = c.cycle() == SettlementCycle.THRESHOLD || c.cycle() == SettlementCycle.THRESHOLD_OR_T_PLUS_N;
        if (daily && c.cycleDays() != 1) {
            fail(out, Reason.INVALID_ARGUMENT, "a T+1 cycle has cycleDays 1");
            return;
        }
        if (tPlusN && (c.cycleDays() < 1 || c.cycleDays() > 30)) {
            fail(out, Reason.INVALID_ARGUMENT, "cycleDays of a T+N cycle must be 1..30, got " + c.cycleDays());
            return;
        }
        if (c.cycle() == SettlementCycle.WEEKLY && (c.cycleDays() < 1 || c.cycleDays() > 7)) {
            fail(out, Reason.INVALID_ARGUMENT, "cycleDays of a WEEKLY cycle is its payout weekday 1 (Monday)..7 (Sunday), got "
                    + c.cycleDays());
            return;
        }
        if (c.cycle() == SettlementCycle.MONTHLY && (c.cycleDays() < 1 || c.cycleDays() > 31)) {
            fail(out, Reason.INVALID_ARGUMENT, "cycleDays of a MONTHLY cycle is its payout day of the month 1..31, got "
                    + c.cycleDays());
            return;
        }
        if (threshold && c.thresholdFen() <= 0) {
            fail(out, Reason.INVALID_ARGUMENT, "a threshold cycle needs thresholdFen > 0");
            return;
        }
        if (!present(out, "bankAccount", c.bankAccount(), 40) || !present(out, "bankAccountName", c.bankAccountName(), 100)
                || !present(out, "bankName", c.bankName(), 100)) {
            return;
        }
        if (!digits(c.cnapsCode(), 12, 12)) {
            fail(out, Reason.INVALID_ARGUMENT, "cnapsCode must be the bank's 12-digit CNAPS code");
            return;
        }
        final MerchantProfile profile = new MerchantProfile(c.merchantId(), c.name(), c.category(), c.status(), c.cycle(),
                c.cycleDays(), c.thresholdFen(), c.refundFeePolicy(), c.rechargeAllowed(), c.bankAccount(),
                c.bankAccountName(), c.bankName(), c.cnapsCode());
        final Merchant existing = s.merchant(c.merchantId());
        if (existing != null) {
            existing.profile(profile);
            return;
        }
        if (s.merchantCount >= s.config.maxMerchants()) {
            fail(out, Reason.CAPACITY_REACHED, "at most " + s.config.maxMerchants() + " merchants");
            return;
        }
        final int index = s.merchantCount++;
        s.merchants[index] = new Merchant(index, profile);
        s.merchantIndex.put(c.merchantId(), index);
        out.value1 = index;
    }

    private void setMerchantReview(final Operator operator, final SetMerchantReview c, final Outcome out) {
        final Merchant merchant = merchantInScope(operator, c.merchantId(), out);
        if (merchant != null) {
            merchant.underReview(c.underReview());
        }
    }

    /**
     * Sets whether the merchant's recharges are settled apart. Recharge cash already owed stays where it was booked
     * (a receivable kept apart is still collected apart); only recharges from now on follow the new terms. value1: 1
     * when the terms changed, 0 when they were already so.
     */
    private void setRechargeSettlement(final Operator operator, final SetRechargeSettlement c, final Outcome out) {
        final Merchant merchant = merchantInScope(operator, c.merchantId(), out);
        if (merchant != null) {
            out.value1 = merchant.rechargesApart() == c.separate() ? 0 : 1;
            merchant.rechargesApart(c.separate());
        }
    }

    /**
     * A deployer by its code: what terminals name as their deployer code, so that code is printable without spaces
     * and not a merchant's id (the two share the payee ids of the payout files and their results).
     */
    private void upsertDeployer(final UpsertDeployer c, final Outcome out) {
        if (!present(out, "code", c.code(), 15) || !present(out, "name", c.name(), 100)) {
            return;
        }
        if (!printableAscii(c.code())) {
            fail(out, Reason.INVALID_ARGUMENT, "code must be printable ASCII without spaces (what terminals name as"
                    + " their deployerCode)");
            return;
        }
        if (s.merchant(c.code()) != null) {
            fail(out, Reason.ALREADY_EXISTS, "'" + c.code() + "' is a merchant's id; a deployer's code must differ");
            return;
        }
        if (!present(out, "bankAccount", c.bankAccount(), 40) || !present(out, "bankAccountName", c.bankAccountName(), 100)
                || !present(out, "bankName", c.bankName(), 100)) {
            return;
        }
        if (!digits(c.cnapsCode(), 12, 12)) {
            fail(out, Reason.INVALID_ARGUMENT, "cnapsCode must be the bank's 12-digit CNAPS code");
            return;
        }
        final DeployerProfile profile = new DeployerProfile(c.code(), c.name(), c.bankAccount(), c.bankAccountName(),
                c.bankName(), c.cnapsCode());
        final Deployer existing = s.deployer(c.code());
        if (existing != null) {
            existing.profile(profile);
            out.value1 = existing.index();
            return;
        }
        if (s.deployerCount >= Deployer.MAX_DEPLOYERS) {
            fail(out, Reason.CAPACITY_REACHED, "at most " + Deployer.MAX_DEPLOYERS + " deployers");
            return;
        }
        final int index = s.deployerCount++;
        s.deployers[index] = new Deployer(index, profile);
        s.deployerIndex.put(c.code(), index);
        s.linkTerminalsToDeployers();
        out.value1 = index;
    }

    private void upsertTerminal(final Operator operator, final UpsertTerminal c, final Outcome out) {
        if (!present(out, "terminalId", c.terminalId(), 8) || !present(out, "serialNumber", c.serialNumber(), 40)
                || !present(out, "keyReference", c.keyReference(), 64)) {
            return;
        }
        if (!printableAscii(c.terminalId())) {
            fail(out, Reason.INVALID_ARGUMENT, "terminalId must be printable ASCII without spaces (POS field 41)");
            return;
        }
        final Merchant merchant = merchantInScope(operator, c.merchantId(), out);
        if (merchant == null) {
            return;
        }
        if (c.status() == null || c.macAlgorithm() == null || c.shareMethod() == null) {
            fail(out, Reason.INVALID_ARGUMENT, "status, macAlgorithm and shareMethod are required");
            return;
        }
        if (c.shareRatePpm() < 0 || c.shareRatePpm() > 1_000_000) {
            fail(out, Reason.INVALID_ARGUMENT, "shareRatePpm must be 0..1000000, got " + c.shareRatePpm());
            return;
        }
        if (c.deployerCode() != null && c.deployerCode().length() > 32) {
            fail(out, Reason.INVALID_ARGUMENT, "deployerCode is at most 32 characters");
            return;
        }
        final TerminalProfile profile = new TerminalProfile(c.terminalId(), c.merchantId(), c.serialNumber(), c.status(),
                c.macAlgorithm(), c.keyReference(), c.deployerCode() == null ? "" : c.deployerCode(), c.shareMethod(),
                c.shareRatePpm());
        final Terminal existing = s.terminal(c.terminalId());
        if (existing != null) {
            if (existing.merchant() != merchant && (existing.debitCount() != 0 || existing.creditCount() != 0)) {
                fail(out, Reason.TERMINAL_BATCH_OPEN, "terminal " + c.terminalId() + " has transactions in batch "
                        + existing.currentBatch() + "; settle it before moving the terminal");
                return;
            }
            if (!inScope(operator, existing.profile().merchantId(), out)) {
                return;
            }
            existing.update(profile, merchant);
            existing.deployerIndex(deployerOf(profile.deployerCode()));
            return;
        }
        if (s.terminalCount >= s.config.maxTerminals()) {
            fail(out, Reason.CAPACITY_REACHED, "at most " + s.config.maxTerminals() + " terminals");
            return;
        }
        final int index = s.terminalCount++;
        s.terminals[index] = new Terminal(index, profile, merchant);
        s.terminals[index].deployerIndex(deployerOf(profile.deployerCode()));
        s.indexTerminal(Ascii.pack(c.terminalId(), 0, 8), index);
        s.terminalIndexById.put(c.terminalId(), index);
        out.value1 = index;
    }

    /** The registered deployer of a terminal's deployer code, or -1 (its shares go to the unassigned pool). */
    private int deployerOf(final String code) {
        final Deployer deployer = s.deployer(code);
        return deployer == null ? -1 : deployer.index();
    }

    // ------------------------------------------------------------------ operators

    private void upsertOperator(final UpsertOperator c, final Outcome out) {
        if (!present(out, "operatorId", c.operatorId(), 32) || !present(out, "name", c.name(), 100)) {
            return;
        }
        for (int i = 0; i < c.operatorId().length(); i++) {
            final char ch = c.operatorId().charAt(i);
            if (!(Character.isLetterOrDigit(ch) && ch < 128) && ch != '.' && ch != '_' && ch != '-') {
                fail(out, Reason.INVALID_ARGUMENT, "operatorId may use letters, digits, '.', '_' and '-'");
                return;
            }
        }
        if (Operator.SYSTEM_ID.equals(c.operatorId()) || c.role() == Role.SYSTEM) {
            fail(out, Reason.INVALID_ARGUMENT, "'system' is the switch itself; it cannot be created or changed");
            return;
        }
        if (c.role() == null || c.status() == null) {
            fail(out, Reason.INVALID_ARGUMENT, "role and status are required");
            return;
        }
        final String scope = c.merchantScope() == null ? "" : c.merchantScope();
        if (!scope.isEmpty() && s.merchant(scope) == null) {
            fail(out, Reason.MERCHANT_NOT_FOUND, "merchantScope '" + scope + "'");
            return;
        }
        if (c.role() == Role.MERCHANT_USER && scope.isEmpty()) {
            fail(out, Reason.INVALID_ARGUMENT, "a MERCHANT_USER needs a merchantScope");
            return;
        }
        final Integer existing = s.operatorIndex.get(c.operatorId());
        // An existing operator changed without a new hash keeps its password (a change of role or name must not
        // need the password; journals written before this rule never held an empty hash, so they replay alike).
        final boolean keepPassword = existing != null && (c.passwordHash() == null || c.passwordHash().isEmpty());
        if (!keepPassword && !present(out, "passwordHash", c.passwordHash(), 255)) {
            return;
        }
        final String hash = keepPassword ? s.operators[existing].passwordHash() : c.passwordHash();
        final Operator operator = new Operator(c.operatorId(), c.name(), c.role(), scope, c.status(), hash);
        if (existing != null) {
            s.operators[existing] = operator;
            return;
        }
        if (s.operatorCount >= s.config.maxOperators()) {
            fail(out, Reason.CAPACITY_REACHED, "at most " + s.config.maxOperators() + " operators");
            return;
        }
        final int index = s.operatorCount++;
        s.operators[index] = operator;
        s.operatorIndex.put(c.operatorId(), index);
    }

    // ------------------------------------------------------------------ rules

    private boolean ruleSlot(final long ruleId, final Class<?> kind, final Outcome out) {
        if (ruleId <= 0) {
            fail(out, Reason.INVALID_ARGUMENT, "ruleId must be positive");
            return false;
        }
        final Record existing = s.rules.get(ruleId);
        if (existing != null && existing.getClass() != kind) {
            fail(out, Reason.ALREADY_EXISTS, "rule " + ruleId + " is a " + existing.getClass().getSimpleName());
            return false;
        }
        if (!s.rules.canAdd(ruleId)) {
            fail(out, Reason.CAPACITY_REACHED, "at most " + s.config.maxRules() + " rules");
            return false;
        }
        return true;
    }

    private boolean cardTypeOrAny(final int cardTypeId, final Outcome out) {
        if (cardTypeId != 0 && s.cardType(cardTypeId) == null) {
            fail(out, Reason.CARD_TYPE_NOT_FOUND, "card type " + cardTypeId + " (0 means every type)");
            return false;
        }
        return true;
    }

    private boolean period(final int from, final int to, final Outcome out) {
        if (from < 0 || to < 0) {
            return false;
        }
        if (from > to) {
            fail(out, Reason.INVALID_ARGUMENT, "fromDate is after toDate");
            return false;
        }
        return true;
    }

    private void putFeeRule(final Operator operator, final PutFeeRule c, final Outcome out) {
        if (!ruleSlot(c.ruleId(), FeeRule.class, out)) {
            return;
        }
        final Merchant merchant = merchantInScope(operator, c.merchantId(), out);
        if (merchant == null || !cardTypeOrAny(c.cardTypeId(), out)) {
            return;
        }
        final int from = dayOf(out, "fromDate", c.fromDate(), 0);
        final int to = dayOf(out, "toDate", c.toDate(), Integer.MAX_VALUE);
        if (!period(from, to, out)) {
            return;
        }
        if (c.method() == null) {
            fail(out, Reason.INVALID_ARGUMENT, "method is required");
            return;
        }
        if (c.method() != FeeMethod.PERIODIC && c.kinds() != RECHARGE_COMMISSION_KINDS
                && (c.kinds() == 0 || (c.kinds() & ~FEE_KINDS) != 0)) {
            fail(out, Reason.INVALID_ARGUMENT, "kinds must name purchase and/or completion (refund fees follow the"
                    + " merchant's refund fee policy), or recharge alone (the merchant's commission for taking a"
                    + " recharge, which the operator pays)");
            return;
        }
        if (c.priority() < 0 || c.ratePpm() < 0 || c.ratePpm() > 1_000_000 || c.fixedFen() < 0 || c.minFen() < 0
                || c.capFen() < 0) {
            fail(out, Reason.INVALID_ARGUMENT, "priority, amounts must be >= 0 and ratePpm 0..1000000");
            return;
        }
        if (c.method() == FeeMethod.PERCENT_MIN_CAP && c.capFen() > 0 && c.capFen() < c.minFen()) {
            fail(out, Reason.INVALID_ARGUMENT, "capFen is below minFen");
            return;
        }
        if (c.method() == FeeMethod.PERIODIC && c.fixedFen() <= 0) {
            fail(out, Reason.INVALID_ARGUMENT, "a PERIODIC rule charges fixedFen > 0 per month");
            return;
        }
        s.rules.put(new FeeRule(c.ruleId(), merchant.index(), c.cardTypeId(), c.kinds(), from, to, c.priority(), c.method(),
                c.ratePpm(), c.fixedFen(), c.minFen(), c.capFen()));
    }

    private void putDiscountRule(final Operator operator, final PutDiscountRule c, final Outcome out) {
        if (!ruleSlot(c.ruleId(), DiscountRule.class, out)) {
            return;
        }
        final Merchant merchant = merchantInScope(operator, c.merchantId(), out);
        if (merchant == null || !cardTypeOrAny(c.cardTypeId(), out)) {
            return;
        }
        final int from = dayOf(out, "fromDate", c.fromDate(), 0);
        final int to = dayOf(out, "toDate", c.toDate(), Integer.MAX_VALUE);
        if (!period(from, to, out)) {
            return;
        }
        if (c.priority() < 0 || c.ratePpm() < 0 || c.ratePpm() > 1_000_000 || c.minPurchaseFen() < 0 || c.capFen() < 0) {
            fail(out, Reason.INVALID_ARGUMENT, "priority and amounts must be >= 0 and ratePpm 0..1000000");
            return;
        }
        s.rules.put(new DiscountRule(c.ruleId(), merchant.index(), c.cardTypeId(), from, to, c.priority(), c.ratePpm(),
                c.minPurchaseFen(), c.capFen()));
    }

    private void putPointsRule(final PutPointsRule c, final Outcome out) {
        if (!ruleSlot(c.ruleId(), PointsRule.class, out)) {
            return;
        }
        int merchantIndex = -1;
        if (c.merchantId() != null && !c.merchantId().isEmpty()) {
            final Merchant merchant = s.merchant(c.merchantId());
            if (merchant == null) {
                fail(out, Reason.MERCHANT_NOT_FOUND, "merchant '" + c.merchantId() + "' (empty means every merchant)");
                return;
            }
            merchantIndex = merchant.index();
        }
        if (!cardTypeOrAny(c.cardTypeId(), out)) {
            return;
        }
        final int from = dayOf(out, "fromDate", c.fromDate(), 0);
        final int to = dayOf(out, "toDate", c.toDate(), Integer.MAX_VALUE);
        if (!period(from, to, out)) {
            return;
        }
        if (c.priority() < 0 || c.pointsPerYuan() < 0) {
            fail(out, Reason.INVALID_ARGUMENT, "priority and pointsPerYuan must be >= 0");
            return;
        }
        s.rules.put(new PointsRule(c.ruleId(), merchantIndex, c.cardTypeId(), from, to, c.priority(), c.pointsPerYuan()));
    }

    private void removeRule(final RemoveRule c, final Outcome out) {
        if (s.rules.remove(c.ruleId()) == null) {
            fail(out, Reason.RULE_NOT_FOUND, "rule " + c.ruleId());
        }
    }

    // ------------------------------------------------------------------ parameters and calendar

    private void setParameter(final SetParameter c, final Outcome out) {
        final Parameters.Name name = Parameters.Name.ofKey(c.name());
        if (name == null) {
            fail(out, Reason.UNKNOWN_PARAMETER, "'" + c.name() + "'");
            return;
        }
        if (c.value() < name.min || c.value() > name.max) {
            fail(out, Reason.INVALID_ARGUMENT, name.key + " must be " + name.min + ".." + name.max + ", got " + c.value());
            return;
        }
        final Parameters p = s.parameters;
        final long window = name == Parameters.Name.REFUND_WINDOW_DAYS ? c.value() : p.get(Parameters.Name.REFUND_WINDOW_DAYS);
        final long kept = name == Parameters.Name.TRANSACTIONS_KEPT_DAYS ? c.value() : p.get(Parameters.Name.TRANSACTIONS_KEPT_DAYS);
        if (kept < window) {
            fail(out, Reason.INVALID_ARGUMENT, "transactionsKeptDays (" + kept + ") must be at least refundWindowDays (" + window + ")");
            return;
        }
        p.set(name, c.value());
    }

    private void setCalendarDay(final SetCalendarDay c, final Outcome out) {
        final int day = dayOf(out, "date", c.date(), -1);
        if (day < 0) {
            if (out.reason == Reason.APPROVED) {
                fail(out, Reason.INVALID_ARGUMENT, "date is required");
            }
            return;
        }
        if (c.kind() == null) {
            fail(out, Reason.INVALID_ARGUMENT, "kind is required");
            return;
        }
        if (!s.calendar.canSet(day, c.kind())) {
            fail(out, Reason.CAPACITY_REACHED, "at most " + s.config.calendarDays() + " calendar exceptions");
            return;
        }
        s.calendar.set(day, c.kind() == null ? DayKind.NORMAL : c.kind());
    }
}
