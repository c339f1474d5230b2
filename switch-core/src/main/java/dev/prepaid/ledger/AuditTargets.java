package dev.prepaid.ledger;

import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.AdminCommand.*;
import dev.prepaid.command.CommandType;
import dev.prepaid.ledger.AuditTrail.Target;
import dev.prepaid.ledger.AuditTrail.TargetKind;

/**
 * The one place that says what each command type is about — its target in the audit trail: the card, merchant,
 * terminal, operator, pending request, review entry … the command names, whether it was approved or refused. A
 * command names one target; where it names several, the one an auditor looks for (a replacement's old card, a
 * transfer's source, a fee rule's merchant, a payout's merchant).
 *
 * <p>Part of the stored format: the targets are in the state, so a snapshot and a replay must agree on them.
 * A change here changes what replaying an existing journal gives: only with a new state version.
 */
final class AuditTargets {
    private AuditTargets() {
    }

    static void of(final CommandType type, final AdminCommand command, final Target t) {
        switch (type) {
            case UPSERT_ISSUER -> t.text(TargetKind.ISSUER, ((UpsertIssuer) command).code());
            case UPSERT_CARD_TYPE -> t.number(TargetKind.CARD_TYPE, ((UpsertCardType) command).id());
            case UPSERT_BIN_RANGE -> binRange(t, ((UpsertBinRange) command).bin(), ((UpsertBinRange) command).panLength());
            case UPSERT_MERCHANT -> t.text(TargetKind.MERCHANT, ((UpsertMerchant) command).merchantId());
            case SET_MERCHANT_REVIEW -> t.text(TargetKind.MERCHANT, ((SetMerchantReview) command).merchantId());
            case UPSERT_TERMINAL -> t.text(TargetKind.TERMINAL, ((UpsertTerminal) command).terminalId());
            case UPSERT_OPERATOR -> t.text(TargetKind.OPERATOR, ((UpsertOperator) command).operatorId());
            case PUT_FEE_RULE -> t.text(TargetKind.MERCHANT, ((PutFeeRule) command).merchantId());
            case PUT_DISCOUNT_RULE -> t.text(TargetKind.MERCHANT, ((PutDiscountRule) command).merchantId());
            case PUT_POINTS_RULE -> {
                final PutPointsRule c = (PutPointsRule) command;
                if (c.merchantId() == null || c.merchantId().isEmpty()) {
                    t.number(TargetKind.RULE, c.ruleId());
                } else {
                    t.text(TargetKind.MERCHANT, c.merchantId());
                }
            }
            case REMOVE_RULE -> t.number(TargetKind.RULE, ((RemoveRule) command).ruleId());
            case SET_PARAMETER -> t.text(TargetKind.PARAMETER, ((SetParameter) command).name());
            case SET_CALENDAR_DAY -> t.number(TargetKind.DATE, ((SetCalendarDay) command).date());

            case GENERATE_CARDS -> binRange(t, ((GenerateCards) command).bin(), ((GenerateCards) command).panLength());
            case SELL_CARDS -> t.card(((SellCards) command).firstPan());
            case RECHARGE_CARDS -> t.card(((RechargeCards) command).firstPan());
            case FREEZE_CARD -> t.card(((FreezeCard) command).pan());
            case UNFREEZE_CARD -> t.card(((UnfreezeCard) command).pan());
            case REPORT_LOST -> t.card(((ReportLost) command).pan());
            case BLACKLIST_CARD -> t.card(((BlacklistCard) command).pan());
            case UNBLACKLIST_CARD -> t.card(((UnblacklistCard) command).pan());
            case REPLACE_CARD -> t.card(((ReplaceCard) command).oldPan());
            case RETURN_CARD -> t.card(((ReturnCard) command).pan());
            case CANCEL_ISSUANCE -> t.card(((CancelIssuance) command).pan());
            case SET_PIN -> t.card(((SetPin) command).pan());
            case UNLOCK_PIN -> t.card(((UnlockPin) command).pan());
            case EXTEND_EXPIRY -> t.card(((ExtendExpiry) command).pan());
            case REDEEM_POINTS -> t.card(((RedeemPoints) command).pan());

            case REQUEST_ADJUSTMENT -> {
                final RequestAdjustment c = (RequestAdjustment) command;
                if (c.target() == AdjustmentTarget.MERCHANT) {
                    t.text(TargetKind.MERCHANT, c.targetId());
                } else {
                    t.card(c.targetId());
                }
            }
            case REQUEST_BALANCE_TRANSFER -> t.card(((RequestBalanceTransfer) command).fromPan());
            case APPROVE -> t.number(TargetKind.PENDING, ((Approve) command).pendingId());
            case REJECT -> t.number(TargetKind.PENDING, ((Reject) command).pendingId());
            case PREPARE_SETTLEMENT -> t.none();
            case RECORD_PAYOUT_RESULT -> t.text(TargetKind.MERCHANT, ((RecordPayoutResult) command).merchantId());
            case RECORD_COLLECTION_RESULT -> t.text(TargetKind.MERCHANT, ((RecordCollectionResult) command).merchantId());
            case SET_RECHARGE_SETTLEMENT -> t.text(TargetKind.MERCHANT, ((SetRechargeSettlement) command).merchantId());
            case UPSERT_DEPLOYER -> t.text(TargetKind.DEPLOYER, ((UpsertDeployer) command).code());
            case RECORD_PAYOUT_FILES -> t.number(TargetKind.SETTLEMENT, ((RecordPayoutFiles) command).settlementId());
            case CUTOVER -> t.number(TargetKind.DATE, ((Cutover) command).newBusinessDate());
            case EXPIRE_HOLDS -> t.none();
            case RECORD_RECONCILIATION -> t.number(TargetKind.DATE, ((RecordReconciliation) command).businessDate());

            case RECORD_LOGIN_FAILURE -> t.text(TargetKind.OPERATOR, ((RecordLoginFailure) command).operatorId());
            case RECORD_LOGIN -> t.text(TargetKind.OPERATOR, ((RecordLogin) command).operatorId());
            case CHANGE_PASSWORD -> t.text(TargetKind.OPERATOR, ((ChangePassword) command).operatorId());
            case RESET_PASSWORD -> t.text(TargetKind.OPERATOR, ((ResetPassword) command).operatorId());
            case LOCK_OPERATOR -> t.text(TargetKind.OPERATOR, ((LockOperator) command).operatorId());
            case UNLOCK_OPERATOR -> t.text(TargetKind.OPERATOR, ((UnlockOperator) command).operatorId());

            case CONFIRM_FLAG -> t.number(TargetKind.REVIEW_ENTRY, ((ConfirmFlag) command).entryId());
            case CLEAR_FLAG -> t.number(TargetKind.REVIEW_ENTRY, ((ClearFlag) command).entryId());
            case OPEN_AUDIT_TRAIL -> t.none();
            default -> throw new LedgerInvariantException("no audit target for " + type);
        }
    }

    private static void binRange(final Target t, final String bin, final int panLength) {
        if (bin == null || bin.isEmpty()) {
            t.none();
        } else {
            t.text(TargetKind.BIN_RANGE, bin + "/" + panLength);
        }
    }
}
