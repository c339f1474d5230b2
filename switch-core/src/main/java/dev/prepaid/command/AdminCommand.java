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

/**
 * Every command that is not a POS transaction: operator actions, clearing and the switch's own time
 * commands. Each is a record whose components, in order, are its binary layout (see {@link RecordCodec}
 * and {@code docs/commands.md}); {@link CommandType} gives each its type code. Amounts are fen, dates
 * yyyymmdd (0: none / open), card numbers full digits.
 */
public sealed interface AdminCommand {

    // ------------------------------------------------------------------ reference data

    /** Creates or replaces an issuer. */
    record UpsertIssuer(String code, String name, String institutionId) implements AdminCommand {
    }

    /** Creates or replaces a card product (domain-rules §2). Masks use {@link PosKind#bit()}. */
    record UpsertCardType(
            int id,
            String name,
            String issuerCode,
            boolean named,
            long balanceCap,
            long initialBalance,
            long deposit,
            long issuanceFee,
            long replacementFee,
            long lostReportFee,
            boolean rechargeable,
            int validityMonths,
            int permittedKinds,
            int pinRequiredKinds,
            int pinTries,
            long singleLimit,
            long dailyAmountLimit,
            int dailyCountLimit,
            long monthlyAmountLimit,
            int monthlyCountLimit,
            int pointsPerYuan,
            boolean onSale) implements AdminCommand {
    }

    /**
     * Creates a BIN range, or (same BIN, length and first account) changes its card type or extends its last
     * account.
     */
    record UpsertBinRange(String bin, int panLength, int cardTypeId, long firstAccount, long lastAccount)
            implements AdminCommand {
    }

    /** Creates or replaces a merchant's reference data. */
    record UpsertMerchant(
            String merchantId,
            String name,
            String category,
            MerchantStatus status,
            SettlementCycle cycle,
            int cycleDays,
            long thresholdFen,
            RefundFeePolicy refundFeePolicy,
            boolean rechargeAllowed,
            String bankAccount,
            String bankAccountName,
            String bankName,
            String cnapsCode) implements AdminCommand {
    }

    /** Puts a merchant under risk review (payouts held) or releases it. */
    record SetMerchantReview(String merchantId, boolean underReview) implements AdminCommand {
    }

    /** Creates or replaces a terminal. */
    record UpsertTerminal(
            String terminalId,
            String merchantId,
            String serialNumber,
            TerminalStatus status,
            MacAlgorithm macAlgorithm,
            String keyReference,
            String deployerCode,
            DeployerShareMethod shareMethod,
            long shareRatePpm) implements AdminCommand {
    }

    /** Creates or replaces an operator. The password hash is computed by the admin endpoint. */
    record UpsertOperator(String operatorId, String name, Role role, String merchantScope, OperatorStatus status,
            String passwordHash) implements AdminCommand {
    }

    /** Creates or replaces a merchant fee rule (domain-rules §4). Card type 0: every type. */
    record PutFeeRule(
            long ruleId,
            String merchantId,
            int cardTypeId,
            int kinds,
            int fromDate,
            int toDate,
            int priority,
            FeeMethod method,
            long ratePpm,
            long fixedFen,
            long minFen,
            long capFen) implements AdminCommand {
    }

    /** Creates or replaces an operator-funded discount rule. */
    record PutDiscountRule(
            long ruleId,
            String merchantId,
            int cardTypeId,
            int fromDate,
            int toDate,
            int priority,
            long ratePpm,
            long minPurchaseFen,
            long capFen) implements AdminCommand {
    }

    /** Creates or replaces a points rule; merchant "" means every merchant. */
    record PutPointsRule(long ruleId, String merchantId, int cardTypeId, int fromDate, int toDate, int priority,
            int pointsPerYuan) implements AdminCommand {
    }

    /** Removes a fee, discount or points rule. */
    record RemoveRule(long ruleId) implements AdminCommand {
    }

    /** Sets a named system parameter (see {@code dev.prepaid.ledger.Parameters}). */
    record SetParameter(String name, long value) implements AdminCommand {
    }

    /** Declares a holiday or a make-up working day, or returns a day to normal. */
    record SetCalendarDay(int date, DayKind kind) implements AdminCommand {
    }

    // ------------------------------------------------------------------ cards

    /** Generates {@code count} cards of a BIN range, in account-number order, into stock. */
    record GenerateCards(String bin, int panLength, int count) implements AdminCommand {
    }

    /**
     * Sells and activates {@code count} consecutive cards from {@code firstPan}, each loaded with
     * {@code faceValue} (-1: the card type's initial balance). Named cards are sold one at a time with the
     * holder's identity; buyer identity is required where the real-name rules say so.
     */
    record SellCards(
            String firstPan,
            int count,
            long faceValue,
            PaymentMethod payment,
            SalesChannel channel,
            BuyerKind buyerKind,
            String buyerName,
            String buyerIdType,
            String buyerIdNumber,
            String holderName,
            String holderIdType,
            String holderIdNumber,
            String holderPhone) implements AdminCommand {
    }

    /** Recharges {@code count} consecutive cards from {@code firstPan} at the counter, each by {@code amount}. */
    record RechargeCards(String firstPan, int count, long amount, PaymentMethod payment, SalesChannel channel)
            implements AdminCommand {
    }

    record FreezeCard(String pan) implements AdminCommand {
    }

    record UnfreezeCard(String pan) implements AdminCommand {
    }

    /** Reports a named card lost; the lost-report fee is paid at the counter. */
    record ReportLost(String pan) implements AdminCommand {
    }

    record BlacklistCard(String pan) implements AdminCommand {
    }

    record UnblacklistCard(String pan) implements AdminCommand {
    }

    /** Moves balance, holds, counters, points, deposit and holder to a new card from stock; the old one dies. */
    record ReplaceCard(String oldPan, String newPan) implements AdminCommand {
    }

    /** Redeems a named card: balance and deposit paid out, card dead. */
    record ReturnCard(String pan) implements AdminCommand {
    }

    /** Cancels the sale of a card that was never used: value, deposit and fee go back. */
    record CancelIssuance(String pan) implements AdminCommand {
    }

    /** Sets or resets the card's PIN check value (computed outside) and unlocks it. */
    record SetPin(String pan, long pinCheck) implements AdminCommand {
    }

    /** Clears the wrong-PIN counter. */
    record UnlockPin(String pan) implements AdminCommand {
    }

    /** Extends a card's expiry (also reactivates an expired card). */
    record ExtendExpiry(String pan, int newExpiryDate) implements AdminCommand {
    }

    // ------------------------------------------------------------------ maker-checker

    /** Asks for a manual adjustment of a card or merchant balance; applied when another operator approves. */
    record RequestAdjustment(AdjustmentTarget target, String targetId, long amount, CounterAccount counter)
            implements AdminCommand {
    }

    /** Asks for a card-to-card transfer (replacement or merge); applied when another operator approves. */
    record RequestBalanceTransfer(String fromPan, String toPan, long amount) implements AdminCommand {
    }

    /** Approves a pending request (adjustment, transfer or settlement batch) made by another operator. */
    record Approve(long pendingId) implements AdminCommand {
    }

    /** Rejects a pending request. */
    record Reject(long pendingId) implements AdminCommand {
    }

    // ------------------------------------------------------------------ clearing

    /** Computes today's merchant payouts into a settlement batch awaiting approval. */
    record PrepareSettlement() implements AdminCommand {
    }

    /** Books the bank's answer to one payout of an approved settlement batch. */
    record RecordPayoutResult(long settlementId, String merchantId, boolean success, String bankReference)
            implements AdminCommand {
    }

    // ------------------------------------------------------------------ time (the switch's own)

    /** Ends the business day and opens {@code newBusinessDate}: fees are posted, old records retired. */
    record Cutover(int newBusinessDate) implements AdminCommand {
    }

    /** Releases pre-authorisation holds whose time is up at the command's timestamp. */
    record ExpireHolds() implements AdminCommand {
    }

    /** What a manual adjustment changes. */
    enum AdjustmentTarget {
        CARD,
        MERCHANT
    }

    /** The other side of a manual adjustment. */
    enum CounterAccount {
        /** 1001: money that entered or left the custody account. */
        CUSTODY,
        /** 6402: the operator pays (goodwill, promotion). */
        PROMOTION_EXPENSE,
        /** 6001: a correction of merchant fees. */
        FEE_INCOME
    }
}
