package dev.prepaid.command;

import static dev.prepaid.command.ResponseCode.*;

/**
 * Why a command ended as it did: one value per rule, so every decline can be told apart (and tested) even
 * where several share a response code. Stored by its {@link #code}, never by its position in this list.
 */
public enum Reason {
    APPROVED(0, ResponseCode.APPROVED, "approved"),

    // --- message and terminal ---
    UNSUPPORTED_TRANSACTION(1, FUNCTION_NOT_SUPPORTED, "transaction kind not supported"),
    BUSINESS_DAY_NOT_OPEN(2, CUTOVER_IN_PROGRESS, "no business day is open yet (waiting for the first cut-over)"),
    INVALID_BATCH_OR_STAN(3, FORMAT_ERROR, "batch number or STAN is not a 6-digit number"),
    CURRENCY_NOT_SUPPORTED(4, FORMAT_ERROR, "currency is not CNY (156)"),
    AMOUNT_NOT_POSITIVE(5, INVALID_AMOUNT, "amount must be greater than zero"),
    AMOUNT_TOO_LARGE(6, INVALID_AMOUNT, "amount exceeds the largest amount a transaction may carry"),
    TERMINAL_NOT_REGISTERED(7, ResponseCode.TERMINAL_NOT_REGISTERED, "terminal is not registered"),
    TERMINAL_DISABLED(8, NOT_PERMITTED_ON_TERMINAL, "terminal is disabled"),
    TERMINAL_NOT_SIGNED_ON(9, BAD_STATE, "terminal is not signed on"),
    MERCHANT_ID_MISMATCH(10, INVALID_MERCHANT, "merchant id does not belong to this terminal"),
    MERCHANT_NOT_ACTIVE(11, INVALID_MERCHANT, "merchant is suspended or closed"),
    BATCH_NUMBER_MISMATCH(12, BAD_STATE, "batch number is not the terminal's open batch; sign on again"),
    DUPLICATE_WITH_DIFFERENT_CONTENT(13, DUPLICATE_TRANSMISSION, "terminal, batch and STAN already used for a different transaction"),
    TERMINAL_BATCH_OPEN(14, INVALID_TRANSACTION, "terminal has an open batch with transactions"),
    RECHARGE_NOT_PERMITTED_AT_MERCHANT(15, NOT_PERMITTED_ON_TERMINAL, "merchant may not take recharges"),

    // --- card ---
    CARD_NUMBER_LENGTH(16, INVALID_CARD_NUMBER, "card number has the wrong length for its BIN"),
    CARD_CHECK_DIGIT(17, INVALID_CARD_NUMBER, "card number check digit is wrong"),
    CARD_BIN_UNKNOWN(18, INVALID_CARD_NUMBER, "card number is in no BIN range of this switch"),
    CARD_NOT_ISSUED(19, INVALID_CARD_NUMBER, "card number was never generated"),
    CARD_NOT_ACTIVATED(20, ResponseCode.CARD_NOT_ACTIVATED, "card is in stock, not sold"),
    CARD_FROZEN(21, RESTRICTED_CARD, "card is frozen"),
    CARD_PIN_LOCKED(22, RESTRICTED_CARD, "card is locked after too many wrong PINs"),
    CARD_LOST(23, LOST_CARD, "card was reported lost"),
    CARD_BLACKLISTED(24, BLACKLISTED_CARD, "card is blacklisted"),
    CARD_EXPIRED(25, EXPIRED_CARD, "card is expired"),
    CARD_REPLACED(26, DO_NOT_HONOUR, "card was replaced by another card"),
    CARD_RETURNED(27, DO_NOT_HONOUR, "card was returned (redeemed)"),
    CARD_CANCELLED(28, DO_NOT_HONOUR, "card issuance was cancelled"),
    NOT_PERMITTED_FOR_CARD_TYPE(29, NOT_PERMITTED_TO_CARD, "card type does not permit this transaction"),
    CARD_NOT_RECHARGEABLE(30, NOT_PERMITTED_TO_CARD, "card type is not rechargeable"),
    PIN_MISSING(31, WRONG_PIN, "card type requires a PIN for this transaction and none was entered"),
    PIN_NOT_SET(32, WRONG_PIN, "card has no PIN set"),
    PIN_WRONG(33, WRONG_PIN, "wrong PIN"),
    PIN_TRIES_EXCEEDED(34, ResponseCode.PIN_TRIES_EXCEEDED, "wrong PIN; the card is now locked"),
    INSUFFICIENT_BALANCE(35, ResponseCode.INSUFFICIENT_BALANCE, "available balance is lower than the amount"),
    SINGLE_AMOUNT_LIMIT(36, EXCEEDS_AMOUNT_LIMIT, "amount exceeds the card type's single-transaction limit"),
    DAILY_AMOUNT_LIMIT(37, EXCEEDS_AMOUNT_LIMIT, "amount exceeds the card's daily limit"),
    MONTHLY_AMOUNT_LIMIT(38, EXCEEDS_AMOUNT_LIMIT, "amount exceeds the card's monthly limit"),
    DAILY_COUNT_LIMIT(39, EXCEEDS_FREQUENCY_LIMIT, "card reached its daily transaction count"),
    MONTHLY_COUNT_LIMIT(40, EXCEEDS_FREQUENCY_LIMIT, "card reached its monthly transaction count"),
    BALANCE_CAP_EXCEEDED(41, EXCEEDS_AMOUNT_LIMIT, "balance after the credit would exceed the card's cap"),
    RECHARGE_CASH_LIMIT(42, EXCEEDS_AMOUNT_LIMIT, "a recharge this large must be a bank transfer at the counter"),
    RISK_LARGE_AMOUNT(43, SUSPECTED_FRAUD, "amount at or above the large-amount threshold (blocking)"),
    RISK_TOO_MANY_DECLINES(44, SUSPECTED_FRAUD, "card has too many declines today (blocking)"),

    // --- matching an original ---
    ORIGINAL_NOT_FOUND(45, ResponseCode.ORIGINAL_NOT_FOUND, "original transaction not found"),
    ORIGINAL_REVERSED_BEFORE_ARRIVAL(46, ResponseCode.ORIGINAL_NOT_FOUND, "this transaction was reversed before it arrived"),
    ORIGINAL_NOT_APPROVED(47, ResponseCode.ORIGINAL_NOT_FOUND, "original transaction was declined"),
    ORIGINAL_DETAILS_MISMATCH(48, ResponseCode.ORIGINAL_NOT_FOUND, "RRN, authorisation code or card differ from the original"),
    ORIGINAL_KIND_MISMATCH(49, INVALID_TRANSACTION, "original is not a transaction this one can apply to"),
    ORIGINAL_ALREADY_VOIDED(50, INVALID_TRANSACTION, "original was already voided"),
    ORIGINAL_ALREADY_REVERSED(51, INVALID_TRANSACTION, "original was already reversed"),
    ORIGINAL_BATCH_SETTLED(52, INVALID_TRANSACTION, "original's batch is settled"),
    ORIGINAL_OUTSIDE_REFUND_WINDOW(53, INVALID_TRANSACTION, "original is older than the refund window"),
    ORIGINAL_OTHER_MERCHANT(54, ResponseCode.ORIGINAL_NOT_FOUND, "original belongs to another merchant"),
    ORIGINAL_PARTLY_REFUNDED(55, INVALID_TRANSACTION, "original has refunds; it can no longer be voided or reversed"),
    VOID_AMOUNT_DIFFERS(56, AMOUNT_DIFFERS, "amount differs from the original"),
    REFUND_EXCEEDS_ORIGINAL(57, INVALID_AMOUNT, "refunds would exceed the original amount"),
    COMPLETION_EXCEEDS_HOLD(58, INVALID_AMOUNT, "completion exceeds the authorised amount"),
    PREAUTH_NOT_OPEN(59, INVALID_TRANSACTION, "pre-authorisation is already completed, cancelled or expired"),
    HOLD_TABLE_FULL(60, SYSTEM_MALFUNCTION, "the table of open holds is full"),
    NO_SETTLED_BATCH_TO_UPLOAD(61, INVALID_TRANSACTION, "batch upload names a batch that was not just settled"),

    // --- operators and admin commands ---
    OPERATOR_UNKNOWN(62, SECURITY_ERROR, "operator is not known"),
    OPERATOR_DISABLED(63, SECURITY_ERROR, "operator is disabled"),
    ROLE_NOT_PERMITTED(64, SECURITY_ERROR, "operator's role may not do this"),
    OUTSIDE_MERCHANT_SCOPE(65, SECURITY_ERROR, "operator is limited to another merchant"),
    SYSTEM_ONLY(66, SECURITY_ERROR, "only the switch itself issues this command"),
    INVALID_ARGUMENT(67, FORMAT_ERROR, "a field of the command is invalid"),
    UNKNOWN_PARAMETER(68, FORMAT_ERROR, "no system parameter has that name"),
    ISSUER_NOT_FOUND(69, INVALID_TRANSACTION, "issuer not found"),
    CARD_TYPE_NOT_FOUND(70, INVALID_TRANSACTION, "card type not found"),
    BIN_RANGE_NOT_FOUND(71, INVALID_TRANSACTION, "BIN range not found"),
    MERCHANT_NOT_FOUND(72, INVALID_MERCHANT, "merchant not found"),
    TERMINAL_NOT_FOUND(73, ResponseCode.TERMINAL_NOT_REGISTERED, "terminal not found"),
    OPERATOR_NOT_FOUND(74, INVALID_TRANSACTION, "operator not found"),
    RULE_NOT_FOUND(75, INVALID_TRANSACTION, "rule not found"),
    PENDING_NOT_FOUND(76, INVALID_TRANSACTION, "no pending request with that id"),
    SETTLEMENT_NOT_FOUND(77, INVALID_TRANSACTION, "no settlement batch with that id"),
    ALREADY_EXISTS(78, INVALID_TRANSACTION, "an entry with that id already exists"),
    BIN_RANGE_OVERLAP(79, INVALID_TRANSACTION, "BIN range overlaps an existing range"),
    BIN_RANGE_EXHAUSTED(80, INVALID_TRANSACTION, "BIN range has no account numbers left"),
    CAPACITY_REACHED(81, SYSTEM_MALFUNCTION, "a configured capacity is reached"),
    ILLEGAL_TRANSITION(82, INVALID_TRANSACTION, "card status does not allow this operation"),
    NAMED_CARD_ONLY(83, NOT_PERMITTED_TO_CARD, "only named cards allow this"),
    HOLDER_IDENTITY_REQUIRED(84, INVALID_TRANSACTION, "a named card needs the holder's identity"),
    BUYER_IDENTITY_REQUIRED(85, INVALID_TRANSACTION, "a sale of this size needs the buyer's identity"),
    BANK_TRANSFER_REQUIRED(86, INVALID_TRANSACTION, "an amount of this size must be paid by bank transfer"),
    CREDIT_CARD_NOT_ALLOWED(87, INVALID_TRANSACTION, "credit cards may not pay for prepaid value"),
    AGENT_FACE_VALUE_LIMIT(88, EXCEEDS_AMOUNT_LIMIT, "cards sold or recharged through agents are limited in face value"),
    REDEMPTION_TOO_EARLY(89, INVALID_TRANSACTION, "a named card may be redeemed only some months after its sale"),
    CARD_HAS_OPEN_HOLDS(90, INVALID_TRANSACTION, "card has open pre-authorisation holds"),
    CARD_ALREADY_USED(91, INVALID_TRANSACTION, "card was used since its sale; issuance cannot be cancelled"),
    CARD_TYPE_MISMATCH(92, INVALID_TRANSACTION, "cards are of incompatible types"),
    SAME_CARD(93, INVALID_TRANSACTION, "source and target are the same card"),
    EXPIRY_NOT_LATER(94, INVALID_TRANSACTION, "new expiry must be later than the current one and not in the past"),
    APPROVER_IS_MAKER(95, SECURITY_ERROR, "the approver must be a different operator than the maker"),
    PENDING_ALREADY_DECIDED(96, INVALID_TRANSACTION, "request was already approved or rejected"),
    SETTLEMENT_ALREADY_PREPARED(97, INVALID_TRANSACTION, "a settlement batch is already waiting for approval"),
    SETTLEMENT_STALE(98, INVALID_TRANSACTION, "the settlement batch no longer matches the books; prepare it again"),
    NOTHING_TO_SETTLE(99, INVALID_TRANSACTION, "no merchant is due a payout"),
    PAYOUT_ALREADY_RECORDED(100, INVALID_TRANSACTION, "the bank result of this payout is already recorded"),
    PAYOUT_NOT_IN_BATCH(101, INVALID_TRANSACTION, "merchant has no payout in that settlement batch"),
    NOT_A_WORKING_DAY(102, INVALID_TRANSACTION, "settlement runs on working days only"),
    BUSINESS_DATE_NOT_LATER(103, INVALID_TRANSACTION, "new business date must follow the current one"),
    DUPLICATE_REQUEST_DIFFERENT(104, DUPLICATE_TRANSMISSION, "request id already used for a different command"),
    ADJUSTMENT_WOULD_GO_NEGATIVE(105, ResponseCode.INSUFFICIENT_BALANCE, "adjustment would take the balance below zero"),
    BOOKS_OUT_OF_BALANCE(106, SYSTEM_MALFUNCTION, "the books do not add up: no settlement until they do"),
    CARD_CHECKED_FOR_ANOTHER_TYPE(107, SYSTEM_MALFUNCTION,
            "the card data was checked with another card type's keys (a BIN range was added meanwhile): try again"),
    OPERATOR_LOCKED(108, SECURITY_ERROR, "operator is locked (too many wrong passwords, or by an administrator)"),
    PASSWORD_CHANGE_REQUIRED(109, SECURITY_ERROR, "the operator must change the password someone else set first"),
    REVIEW_ENTRY_NOT_FOUND(110, INVALID_TRANSACTION, "no review entry with that id (never written, or overwritten since)"),
    REVIEW_ALREADY_DECIDED(111, INVALID_TRANSACTION, "the review entry was already confirmed or cleared"),
    /** Codes 120 to 139 are clearing's and reconciliation's. */
    RECONCILIATION_FAILED(120, SYSTEM_MALFUNCTION,
            "a cleared business day did not reconcile: settlement is held until it does or finance accepts it"),
    COLLECTION_NOT_IN_BATCH(140, INVALID_TRANSACTION, "merchant has no recharge cash to collect in that settlement batch"),
    COLLECTION_ALREADY_RECORDED(141, INVALID_TRANSACTION, "the bank result of this collection is already recorded"),
    POINTS_INSUFFICIENT(142, ResponseCode.INSUFFICIENT_BALANCE, "the card has fewer loyalty points than asked for");

    private static final Reason[] BY_CODE = new Reason[256];

    static {
        for (final Reason reason : values()) {
            if (BY_CODE[reason.code] != null) {
                throw new ExceptionInInitializerError("reason code " + reason.code + " is used twice");
            }
            BY_CODE[reason.code] = reason;
        }
    }

    /**
     * What the transaction log and the request memory store (and so snapshots): fixed for ever. A new reason
     * takes the next free code wherever it is listed; a code is never reused.
     */
    public final int code;
    public final ResponseCode responseCode;
    public final String description;

    Reason(final int code, final ResponseCode responseCode, final String description) {
        this.code = code;
        this.responseCode = responseCode;
        this.description = description;
    }

    /** The reason stored under {@code code}, or null when no reason has it. */
    public static Reason ofCode(final int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    public boolean approved() {
        return this == APPROVED;
    }
}
