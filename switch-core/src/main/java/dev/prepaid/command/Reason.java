package dev.prepaid.command;

import static dev.prepaid.command.ResponseCode.*;

/**
 * Why a command ended as it did: one value per rule, so every decline can be told apart (and tested) even
 * where several share a response code.
 */
public enum Reason {
    APPROVED(ResponseCode.APPROVED, "approved"),

    // --- message and terminal ---
    UNSUPPORTED_TRANSACTION(FUNCTION_NOT_SUPPORTED, "transaction kind not supported"),
    BUSINESS_DAY_NOT_OPEN(CUTOVER_IN_PROGRESS, "no business day is open yet (waiting for the first cut-over)"),
    INVALID_BATCH_OR_STAN(FORMAT_ERROR, "batch number or STAN is not a 6-digit number"),
    CURRENCY_NOT_SUPPORTED(FORMAT_ERROR, "currency is not CNY (156)"),
    AMOUNT_NOT_POSITIVE(INVALID_AMOUNT, "amount must be greater than zero"),
    AMOUNT_TOO_LARGE(INVALID_AMOUNT, "amount exceeds the largest amount a transaction may carry"),
    TERMINAL_NOT_REGISTERED(ResponseCode.TERMINAL_NOT_REGISTERED, "terminal is not registered"),
    TERMINAL_DISABLED(NOT_PERMITTED_ON_TERMINAL, "terminal is disabled"),
    TERMINAL_NOT_SIGNED_ON(BAD_STATE, "terminal is not signed on"),
    MERCHANT_ID_MISMATCH(INVALID_MERCHANT, "merchant id does not belong to this terminal"),
    MERCHANT_NOT_ACTIVE(INVALID_MERCHANT, "merchant is suspended or closed"),
    BATCH_NUMBER_MISMATCH(BAD_STATE, "batch number is not the terminal's open batch; sign on again"),
    DUPLICATE_WITH_DIFFERENT_CONTENT(DUPLICATE_TRANSMISSION, "terminal, batch and STAN already used for a different transaction"),
    TERMINAL_BATCH_OPEN(INVALID_TRANSACTION, "terminal has an open batch with transactions"),
    RECHARGE_NOT_PERMITTED_AT_MERCHANT(NOT_PERMITTED_ON_TERMINAL, "merchant may not take recharges"),

    // --- card ---
    CARD_NUMBER_LENGTH(INVALID_CARD_NUMBER, "card number has the wrong length for its BIN"),
    CARD_CHECK_DIGIT(INVALID_CARD_NUMBER, "card number check digit is wrong"),
    CARD_BIN_UNKNOWN(INVALID_CARD_NUMBER, "card number is in no BIN range of this switch"),
    CARD_NOT_ISSUED(INVALID_CARD_NUMBER, "card number was never generated"),
    CARD_NOT_ACTIVATED(ResponseCode.CARD_NOT_ACTIVATED, "card is in stock, not sold"),
    CARD_FROZEN(RESTRICTED_CARD, "card is frozen"),
    CARD_PIN_LOCKED(RESTRICTED_CARD, "card is locked after too many wrong PINs"),
    CARD_LOST(LOST_CARD, "card was reported lost"),
    CARD_BLACKLISTED(BLACKLISTED_CARD, "card is blacklisted"),
    CARD_EXPIRED(EXPIRED_CARD, "card is expired"),
    CARD_REPLACED(DO_NOT_HONOUR, "card was replaced by another card"),
    CARD_RETURNED(DO_NOT_HONOUR, "card was returned (redeemed)"),
    CARD_CANCELLED(DO_NOT_HONOUR, "card issuance was cancelled"),
    NOT_PERMITTED_FOR_CARD_TYPE(NOT_PERMITTED_TO_CARD, "card type does not permit this transaction"),
    CARD_NOT_RECHARGEABLE(NOT_PERMITTED_TO_CARD, "card type is not rechargeable"),
    PIN_MISSING(WRONG_PIN, "card type requires a PIN for this transaction and none was entered"),
    PIN_NOT_SET(WRONG_PIN, "card has no PIN set"),
    PIN_WRONG(WRONG_PIN, "wrong PIN"),
    PIN_TRIES_EXCEEDED(ResponseCode.PIN_TRIES_EXCEEDED, "wrong PIN; the card is now locked"),
    INSUFFICIENT_BALANCE(ResponseCode.INSUFFICIENT_BALANCE, "available balance is lower than the amount"),
    SINGLE_AMOUNT_LIMIT(EXCEEDS_AMOUNT_LIMIT, "amount exceeds the card type's single-transaction limit"),
    DAILY_AMOUNT_LIMIT(EXCEEDS_AMOUNT_LIMIT, "amount exceeds the card's daily limit"),
    MONTHLY_AMOUNT_LIMIT(EXCEEDS_AMOUNT_LIMIT, "amount exceeds the card's monthly limit"),
    DAILY_COUNT_LIMIT(EXCEEDS_FREQUENCY_LIMIT, "card reached its daily transaction count"),
    MONTHLY_COUNT_LIMIT(EXCEEDS_FREQUENCY_LIMIT, "card reached its monthly transaction count"),
    BALANCE_CAP_EXCEEDED(EXCEEDS_AMOUNT_LIMIT, "balance after the credit would exceed the card's cap"),
    RECHARGE_CASH_LIMIT(EXCEEDS_AMOUNT_LIMIT, "a recharge this large must be a bank transfer at the counter"),
    RISK_LARGE_AMOUNT(SUSPECTED_FRAUD, "amount at or above the large-amount threshold (blocking)"),
    RISK_TOO_MANY_DECLINES(SUSPECTED_FRAUD, "card has too many declines today (blocking)"),

    // --- matching an original ---
    ORIGINAL_NOT_FOUND(ResponseCode.ORIGINAL_NOT_FOUND, "original transaction not found"),
    ORIGINAL_REVERSED_BEFORE_ARRIVAL(ResponseCode.ORIGINAL_NOT_FOUND, "this transaction was reversed before it arrived"),
    ORIGINAL_NOT_APPROVED(ResponseCode.ORIGINAL_NOT_FOUND, "original transaction was declined"),
    ORIGINAL_DETAILS_MISMATCH(ResponseCode.ORIGINAL_NOT_FOUND, "RRN, authorisation code or card differ from the original"),
    ORIGINAL_KIND_MISMATCH(INVALID_TRANSACTION, "original is not a transaction this one can apply to"),
    ORIGINAL_ALREADY_VOIDED(INVALID_TRANSACTION, "original was already voided"),
    ORIGINAL_ALREADY_REVERSED(INVALID_TRANSACTION, "original was already reversed"),
    ORIGINAL_BATCH_SETTLED(INVALID_TRANSACTION, "original's batch is settled"),
    ORIGINAL_OUTSIDE_REFUND_WINDOW(INVALID_TRANSACTION, "original is older than the refund window"),
    ORIGINAL_OTHER_MERCHANT(ResponseCode.ORIGINAL_NOT_FOUND, "original belongs to another merchant"),
    ORIGINAL_PARTLY_REFUNDED(INVALID_TRANSACTION, "original has refunds; it can no longer be voided or reversed"),
    VOID_AMOUNT_DIFFERS(AMOUNT_DIFFERS, "amount differs from the original"),
    REFUND_EXCEEDS_ORIGINAL(INVALID_AMOUNT, "refunds would exceed the original amount"),
    COMPLETION_EXCEEDS_HOLD(INVALID_AMOUNT, "completion exceeds the authorised amount"),
    PREAUTH_NOT_OPEN(INVALID_TRANSACTION, "pre-authorisation is already completed, cancelled or expired"),
    HOLD_TABLE_FULL(SYSTEM_MALFUNCTION, "the table of open holds is full"),
    NO_SETTLED_BATCH_TO_UPLOAD(INVALID_TRANSACTION, "batch upload names a batch that was not just settled"),

    // --- operators and admin commands ---
    OPERATOR_UNKNOWN(SECURITY_ERROR, "operator is not known"),
    OPERATOR_DISABLED(SECURITY_ERROR, "operator is disabled"),
    ROLE_NOT_PERMITTED(SECURITY_ERROR, "operator's role may not do this"),
    OUTSIDE_MERCHANT_SCOPE(SECURITY_ERROR, "operator is limited to another merchant"),
    SYSTEM_ONLY(SECURITY_ERROR, "only the switch itself issues this command"),
    INVALID_ARGUMENT(FORMAT_ERROR, "a field of the command is invalid"),
    UNKNOWN_PARAMETER(FORMAT_ERROR, "no system parameter has that name"),
    ISSUER_NOT_FOUND(INVALID_TRANSACTION, "issuer not found"),
    CARD_TYPE_NOT_FOUND(INVALID_TRANSACTION, "card type not found"),
    BIN_RANGE_NOT_FOUND(INVALID_TRANSACTION, "BIN range not found"),
    MERCHANT_NOT_FOUND(INVALID_MERCHANT, "merchant not found"),
    TERMINAL_NOT_FOUND(ResponseCode.TERMINAL_NOT_REGISTERED, "terminal not found"),
    OPERATOR_NOT_FOUND(INVALID_TRANSACTION, "operator not found"),
    RULE_NOT_FOUND(INVALID_TRANSACTION, "rule not found"),
    PENDING_NOT_FOUND(INVALID_TRANSACTION, "no pending request with that id"),
    SETTLEMENT_NOT_FOUND(INVALID_TRANSACTION, "no settlement batch with that id"),
    ALREADY_EXISTS(INVALID_TRANSACTION, "an entry with that id already exists"),
    BIN_RANGE_OVERLAP(INVALID_TRANSACTION, "BIN range overlaps an existing range"),
    BIN_RANGE_EXHAUSTED(INVALID_TRANSACTION, "BIN range has no account numbers left"),
    CAPACITY_REACHED(SYSTEM_MALFUNCTION, "a configured capacity is reached"),
    ILLEGAL_TRANSITION(INVALID_TRANSACTION, "card status does not allow this operation"),
    NAMED_CARD_ONLY(NOT_PERMITTED_TO_CARD, "only named cards allow this"),
    HOLDER_IDENTITY_REQUIRED(INVALID_TRANSACTION, "a named card needs the holder's identity"),
    BUYER_IDENTITY_REQUIRED(INVALID_TRANSACTION, "a sale of this size needs the buyer's identity"),
    BANK_TRANSFER_REQUIRED(INVALID_TRANSACTION, "an amount of this size must be paid by bank transfer"),
    CREDIT_CARD_NOT_ALLOWED(INVALID_TRANSACTION, "credit cards may not pay for prepaid value"),
    AGENT_FACE_VALUE_LIMIT(EXCEEDS_AMOUNT_LIMIT, "cards sold or recharged through agents are limited in face value"),
    REDEMPTION_TOO_EARLY(INVALID_TRANSACTION, "a named card may be redeemed only some months after its sale"),
    CARD_HAS_OPEN_HOLDS(INVALID_TRANSACTION, "card has open pre-authorisation holds"),
    CARD_ALREADY_USED(INVALID_TRANSACTION, "card was used since its sale; issuance cannot be cancelled"),
    CARD_TYPE_MISMATCH(INVALID_TRANSACTION, "cards are of incompatible types"),
    SAME_CARD(INVALID_TRANSACTION, "source and target are the same card"),
    EXPIRY_NOT_LATER(INVALID_TRANSACTION, "new expiry must be later than the current one and not in the past"),
    APPROVER_IS_MAKER(SECURITY_ERROR, "the approver must be a different operator than the maker"),
    PENDING_ALREADY_DECIDED(INVALID_TRANSACTION, "request was already approved or rejected"),
    SETTLEMENT_ALREADY_PREPARED(INVALID_TRANSACTION, "a settlement batch is already waiting for approval"),
    SETTLEMENT_STALE(INVALID_TRANSACTION, "the settlement batch no longer matches the books; prepare it again"),
    NOTHING_TO_SETTLE(INVALID_TRANSACTION, "no merchant is due a payout"),
    PAYOUT_ALREADY_RECORDED(INVALID_TRANSACTION, "the bank result of this payout is already recorded"),
    PAYOUT_NOT_IN_BATCH(INVALID_TRANSACTION, "merchant has no payout in that settlement batch"),
    NOT_A_WORKING_DAY(INVALID_TRANSACTION, "settlement runs on working days only"),
    BUSINESS_DATE_NOT_LATER(INVALID_TRANSACTION, "new business date must follow the current one"),
    DUPLICATE_REQUEST_DIFFERENT(DUPLICATE_TRANSMISSION, "request id already used for a different command"),
    ADJUSTMENT_WOULD_GO_NEGATIVE(ResponseCode.INSUFFICIENT_BALANCE, "adjustment would take the balance below zero");

    public final ResponseCode responseCode;
    public final String description;

    Reason(final ResponseCode responseCode, final String description) {
        this.responseCode = responseCode;
        this.description = description;
    }

    public boolean approved() {
        return this == APPROVED;
    }
}
