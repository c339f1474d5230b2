package dev.prepaid.command;

import dev.prepaid.card.BuyerKind;
import dev.prepaid.card.PaymentMethod;
import dev.prepaid.card.SalesChannel;
import dev.prepaid.clearing.DayKind;
import dev.prepaid.fee.FeeMethod;
import dev.prepaid.merchant.DeployerShareMethod;
import dev.prepaid.merchant.MacAlgorithm;
import dev.prepaid.merchant.MerchantStatus;
import dev.prepaid.merchant.RefundFeePolicy;
import dev.prepaid.merchant.SettlementCycle;
import dev.prepaid.merchant.TerminalStatus;
import dev.prepaid.operator.OperatorStatus;
import dev.prepaid.operator.Role;
import dev.prepaid.state.StoredName;

/**
 * Every command that is not a POS transaction: operator actions, clearing and the switch's own time
 * commands. Each is a record whose components, in the order of their {@link Field} numbers, are its binary
 * layout (see {@link RecordCodec} and {@code docs/commands.md}); enums are stored by their {@link StoredName};
 * {@link CommandType} gives each its type code. Amounts are fen, dates yyyymmdd (0: none / open), card numbers
 * full digits.
 */
public sealed interface AdminCommand {

    // ------------------------------------------------------------------ reference data

    /** Creates or replaces an issuer. */
    record UpsertIssuer(
            @Field(1) String code,
            @Field(2) String name,
            @Field(3) String institutionId) implements AdminCommand {
    }

    /** Creates or replaces a card product (domain-rules §2). Masks use {@link PosKind#bit()}. */
    record UpsertCardType(
            @Field(1) int id,
            @Field(2) String name,
            @Field(3) String issuerCode,
            @Field(4) boolean named,
            @Field(5) long balanceCap,
            @Field(6) long initialBalance,
            @Field(7) long deposit,
            @Field(8) long issuanceFee,
            @Field(9) long replacementFee,
            @Field(10) long lostReportFee,
            @Field(11) boolean rechargeable,
            @Field(12) int validityMonths,
            @Field(13) int permittedKinds,
            @Field(14) int pinRequiredKinds,
            @Field(15) int pinTries,
            @Field(16) long singleLimit,
            @Field(17) long dailyAmountLimit,
            @Field(18) int dailyCountLimit,
            @Field(19) long monthlyAmountLimit,
            @Field(20) int monthlyCountLimit,
            @Field(21) int pointsPerYuan,
            @Field(22) boolean onSale) implements AdminCommand {
    }

    /**
     * Creates a BIN range, or (same BIN, length and first account) changes its card type or extends its last
     * account.
     */
    record UpsertBinRange(
            @Field(1) String bin,
            @Field(2) int panLength,
            @Field(3) int cardTypeId,
            @Field(4) long firstAccount,
            @Field(5) long lastAccount) implements AdminCommand {
    }

    /** Creates or replaces a merchant's reference data. */
    record UpsertMerchant(
            @Field(1) String merchantId,
            @Field(2) String name,
            @Field(3) String category,
            @Field(4) MerchantStatus status,
            @Field(5) SettlementCycle cycle,
            @Field(6) int cycleDays,
            @Field(7) long thresholdFen,
            @Field(8) RefundFeePolicy refundFeePolicy,
            @Field(9) boolean rechargeAllowed,
            @Field(10) String bankAccount,
            @Field(11) String bankAccountName,
            @Field(12) String bankName,
            @Field(13) String cnapsCode) implements AdminCommand {
    }

    /**
     * Whether the merchant's contract settles POS recharges apart from its purchases: with {@code separate}, the cash of
     * each recharge at its terminals is a receivable of its own, collected by the settlement batches, never netted
     * against what it is owed for purchases; without, it is booked against its payable (the default).
     */
    record SetRechargeSettlement(@Field(1) String merchantId, @Field(2) boolean separate) implements AdminCommand {
    }

    /**
     * Creates or replaces a terminal deployer (agent): the terminals whose {@code deployerCode} is {@code code} have
     * their deployer share of the fees owed to it (its 2205 sub-account) and paid to this account by the settlement
     * batches.
     */
    record UpsertDeployer(
            @Field(1) String code,
            @Field(2) String name,
            @Field(3) String bankAccount,
            @Field(4) String bankAccountName,
            @Field(5) String bankName,
            @Field(6) String cnapsCode) implements AdminCommand {
    }

    /** Puts a merchant under risk review (payouts held) or releases it. */
    record SetMerchantReview(@Field(1) String merchantId, @Field(2) boolean underReview) implements AdminCommand {
    }

    /** Creates or replaces a terminal. */
    record UpsertTerminal(
            @Field(1) String terminalId,
            @Field(2) String merchantId,
            @Field(3) String serialNumber,
            @Field(4) TerminalStatus status,
            @Field(5) MacAlgorithm macAlgorithm,
            @Field(6) String keyReference,
            @Field(7) String deployerCode,
            @Field(8) DeployerShareMethod shareMethod,
            @Field(9) long shareRatePpm) implements AdminCommand {
    }

    /** Creates or replaces an operator. The password hash is computed by the admin endpoint. */
    record UpsertOperator(
            @Field(1) String operatorId,
            @Field(2) String name,
            @Field(3) Role role,
            @Field(4) String merchantScope,
            @Field(5) OperatorStatus status,
            @Field(6) String passwordHash) implements AdminCommand {
    }

    /** Creates or replaces a merchant fee rule (domain-rules §4). Card type 0: every type. */
    record PutFeeRule(
            @Field(1) long ruleId,
            @Field(2) String merchantId,
            @Field(3) int cardTypeId,
            @Field(4) int kinds,
            @Field(5) int fromDate,
            @Field(6) int toDate,
            @Field(7) int priority,
            @Field(8) FeeMethod method,
            @Field(9) long ratePpm,
            @Field(10) long fixedFen,
            @Field(11) long minFen,
            @Field(12) long capFen) implements AdminCommand {
    }

    /** Creates or replaces an operator-funded discount rule. */
    record PutDiscountRule(
            @Field(1) long ruleId,
            @Field(2) String merchantId,
            @Field(3) int cardTypeId,
            @Field(4) int fromDate,
            @Field(5) int toDate,
            @Field(6) int priority,
            @Field(7) long ratePpm,
            @Field(8) long minPurchaseFen,
            @Field(9) long capFen) implements AdminCommand {
    }

    /** Creates or replaces a points rule; merchant "" means every merchant. */
    record PutPointsRule(
            @Field(1) long ruleId,
            @Field(2) String merchantId,
            @Field(3) int cardTypeId,
            @Field(4) int fromDate,
            @Field(5) int toDate,
            @Field(6) int priority,
            @Field(7) int pointsPerYuan) implements AdminCommand {
    }

    /** Removes a fee, discount or points rule. */
    record RemoveRule(@Field(1) long ruleId) implements AdminCommand {
    }

    /** Sets a named system parameter (see {@code dev.prepaid.ledger.Parameters}). */
    record SetParameter(@Field(1) String name, @Field(2) long value) implements AdminCommand {
    }

    /** Declares a holiday or a make-up working day, or returns a day to normal. */
    record SetCalendarDay(@Field(1) int date, @Field(2) DayKind kind) implements AdminCommand {
    }

    // ------------------------------------------------------------------ cards

    /** Generates {@code count} cards of a BIN range, in account-number order, into stock. */
    record GenerateCards(@Field(1) String bin, @Field(2) int panLength, @Field(3) int count) implements AdminCommand {
    }

    /**
     * Sells and activates {@code count} consecutive cards from {@code firstPan}, each loaded with
     * {@code faceValue} (-1: the card type's initial balance). Named cards are sold one at a time with the
     * holder's identity; buyer identity is required where the real-name rules say so.
     */
    record SellCards(
            @Field(1) String firstPan,
            @Field(2) int count,
            @Field(3) long faceValue,
            @Field(4) PaymentMethod payment,
            @Field(5) SalesChannel channel,
            @Field(6) BuyerKind buyerKind,
            @Field(7) String buyerName,
            @Field(8) String buyerIdType,
            @Field(9) String buyerIdNumber,
            @Field(10) String holderName,
            @Field(11) String holderIdType,
            @Field(12) String holderIdNumber,
            @Field(13) String holderPhone) implements AdminCommand {
    }

    /** Recharges {@code count} consecutive cards from {@code firstPan} at the counter, each by {@code amount}. */
    record RechargeCards(
            @Field(1) String firstPan,
            @Field(2) int count,
            @Field(3) long amount,
            @Field(4) PaymentMethod payment,
            @Field(5) SalesChannel channel) implements AdminCommand {
    }

    record FreezeCard(@Field(1) String pan) implements AdminCommand {
    }

    record UnfreezeCard(@Field(1) String pan) implements AdminCommand {
    }

    /** Reports a named card lost; the lost-report fee is paid at the counter. */
    record ReportLost(@Field(1) String pan) implements AdminCommand {
    }

    record BlacklistCard(@Field(1) String pan) implements AdminCommand {
    }

    record UnblacklistCard(@Field(1) String pan) implements AdminCommand {
    }

    /** Moves balance, holds, counters, points, deposit and holder to a new card from stock; the old one dies. */
    record ReplaceCard(@Field(1) String oldPan, @Field(2) String newPan) implements AdminCommand {
    }

    /** Redeems a named card: balance and deposit paid out, card dead. */
    record ReturnCard(@Field(1) String pan) implements AdminCommand {
    }

    /** Cancels the sale of a card that was never used: value, deposit and fee go back. */
    record CancelIssuance(@Field(1) String pan) implements AdminCommand {
    }

    /** Sets or resets the card's PIN check value (computed outside) and unlocks it. */
    record SetPin(@Field(1) String pan, @Field(2) long pinCheck) implements AdminCommand {
    }

    /** Clears the wrong-PIN counter. */
    record UnlockPin(@Field(1) String pan) implements AdminCommand {
    }

    /**
     * Redeems {@code points} of a card's loyalty points at the counter: their value (points × pointValueFen) is
     * credited to the card's stored value, out of the points liability (2206).
     */
    record RedeemPoints(@Field(1) String pan, @Field(2) long points) implements AdminCommand {
    }

    /** Extends a card's expiry (also reactivates an expired card). */
    record ExtendExpiry(@Field(1) String pan, @Field(2) int newExpiryDate) implements AdminCommand {
    }

    // ------------------------------------------------------------------ maker-checker

    /** Asks for a manual adjustment of a card or merchant balance; applied when another operator approves. */
    record RequestAdjustment(
            @Field(1) AdjustmentTarget target,
            @Field(2) String targetId,
            @Field(3) long amount,
            @Field(4) CounterAccount counter) implements AdminCommand {
    }

    /** Asks for a card-to-card transfer (replacement or merge); applied when another operator approves. */
    record RequestBalanceTransfer(
            @Field(1) String fromPan,
            @Field(2) String toPan,
            @Field(3) long amount) implements AdminCommand {
    }

    /** Approves a pending request (adjustment, transfer or settlement batch) made by another operator. */
    record Approve(@Field(1) long pendingId) implements AdminCommand {
    }

    /** Rejects a pending request. */
    record Reject(@Field(1) long pendingId) implements AdminCommand {
    }

    // ------------------------------------------------------------------ clearing

    /** Computes today's merchant payouts into a settlement batch awaiting approval. */
    record PrepareSettlement() implements AdminCommand {
    }

    /** Books the bank's answer to one collection of recharge cash of an approved settlement batch. */
    record RecordCollectionResult(
            @Field(1) long settlementId,
            @Field(2) String merchantId,
            @Field(3) boolean success,
            @Field(4) String bankReference) implements AdminCommand {
    }

    /** Books the bank's answer to one payout of an approved settlement batch. */
    record RecordPayoutResult(
            @Field(1) long settlementId,
            @Field(2) String merchantId,
            @Field(3) boolean success,
            @Field(4) String bankReference) implements AdminCommand {
    }

    /**
     * Records the payout files the switch made of an approved settlement batch — pain.001 and the neutral bank
     * file — by name and SHA-256, with the creation time written into them, so that the audit trail shows them and
     * the files made again are the same bytes. Issued by the switch for the operator whose approval or export made
     * them.
     */
    record RecordPayoutFiles(
            @Field(1) long settlementId,
            @Field(2) long createdAtMillis,
            @Field(3) String painFile,
            @Field(4) String painSha256,
            @Field(5) String neutralFile,
            @Field(6) String neutralSha256) implements AdminCommand {
    }

    /**
     * The result of reconciling a cleared business day (yyyymmdd). The switch's clearing records every day it
     * reconciles: {@code balanced = false} holds settlement (no batch is prepared or approved) until the same day is
     * recorded balanced — by a later clearing of it that reconciles, or by finance accepting the difference, with
     * the reason in the envelope's note. {@code summary} says what did not agree (at most 255 bytes).
     */
    record RecordReconciliation(
            @Field(1) int businessDate,
            @Field(2) boolean balanced,
            @Field(3) String summary) implements AdminCommand {
    }

    // ------------------------------------------------------------------ operators' logins and passwords

    /**
     * A wrong password for an operator, reported by the admin endpoint (as the switch itself): after
     * {@code loginTries} in a row the operator is locked. Journaled, so a lock survives a restart.
     */
    record RecordLoginFailure(@Field(1) String operatorId) implements AdminCommand {
    }

    /** A login with the right password: the count of wrong ones starts again. Journaled for the audit trail. */
    record RecordLogin(@Field(1) String operatorId) implements AdminCommand {
    }

    /**
     * An operator's own new password hash (the endpoint checked the current password and made the hash); clears
     * the duty to change it.
     */
    record ChangePassword(@Field(1) String operatorId, @Field(2) String passwordHash) implements AdminCommand {
    }

    /**
     * A password set for an operator by an administrator or the bootstrap: the operator must change it at the
     * next login. Also unlocks the operator and clears its wrong passwords.
     */
    record ResetPassword(@Field(1) String operatorId, @Field(2) String passwordHash) implements AdminCommand {
    }

    /** Locks an operator: no login and no command until unlocked. */
    record LockOperator(@Field(1) String operatorId) implements AdminCommand {
    }

    /** Unlocks an operator and clears its wrong passwords. */
    record UnlockOperator(@Field(1) String operatorId) implements AdminCommand {
    }

    // ------------------------------------------------------------------ risk review

    /**
     * An operator confirms a flagged entry of the review queue ({@code entryId}: the n-th entry ever written, from 1)
     * as fraud or suspicious. With {@code freezeCard} the card the entry names is frozen in the same step when it is
     * active (a role that may freeze cards only).
     */
    record ConfirmFlag(@Field(1) long entryId, @Field(2) boolean freezeCard) implements AdminCommand {
    }

    /** An operator clears a flagged entry of the review queue as a false alarm. */
    record ClearFlag(@Field(1) long entryId) implements AdminCommand {
    }

    // ------------------------------------------------------------------ the audit trail (the switch's own)

    /**
     * From this command on the ledger keeps the last {@code capacity} operator and system decisions as its audit
     * trail; issued again with another capacity, the trail keeps its newest entries in the new size. The switch
     * journals it at start whenever the ledger's trail is not the configured one (a journal written before the
     * trail existed has none, and replays as it did).
     */
    record OpenAuditTrail(@Field(1) int capacity) implements AdminCommand {
    }

    // ------------------------------------------------------------------ time (the switch's own)

    /** Ends the business day and opens {@code newBusinessDate}: fees are posted, old records retired. */
    record Cutover(@Field(1) int newBusinessDate) implements AdminCommand {
    }

    /** Releases pre-authorisation holds whose time is up at the command's timestamp. */
    record ExpireHolds() implements AdminCommand {
    }

    /** What a manual adjustment changes. */
    enum AdjustmentTarget implements StoredName {
        CARD("CARD"),
        MERCHANT("MERCHANT");

        private final String storedName;

        AdjustmentTarget(final String storedName) {
            this.storedName = storedName;
        }

        @Override
        public String storedName() {
            return storedName;
        }
    }

    /** The other side of a manual adjustment. */
    enum CounterAccount implements StoredName {
        /** 1001: money that entered or left the custody account. */
        CUSTODY("CUSTODY"),
        /** 6402: the operator pays (goodwill, promotion). */
        PROMOTION_EXPENSE("PROMOTION_EXPENSE"),
        /** 6001: a correction of merchant fees. */
        FEE_INCOME("FEE_INCOME");

        private final String storedName;

        CounterAccount(final String storedName) {
            this.storedName = storedName;
        }

        @Override
        public String storedName() {
            return storedName;
        }
    }
}
