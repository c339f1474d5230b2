package dev.prepaid.command;

import dev.prepaid.command.AdminCommand.*;

/**
 * The closed set of command types and their journal codes. A code is never reused; a changed layout gets
 * a new version and the decoder keeps reading the old one.
 */
public enum CommandType {
    POS(PosRequest.TYPE, null),

    UPSERT_ISSUER(100, UpsertIssuer.class),
    UPSERT_CARD_TYPE(101, UpsertCardType.class),
    UPSERT_BIN_RANGE(102, UpsertBinRange.class),
    UPSERT_MERCHANT(103, UpsertMerchant.class),
    SET_MERCHANT_REVIEW(104, SetMerchantReview.class),
    UPSERT_TERMINAL(105, UpsertTerminal.class),
    UPSERT_OPERATOR(106, UpsertOperator.class),
    PUT_FEE_RULE(107, PutFeeRule.class),
    PUT_DISCOUNT_RULE(108, PutDiscountRule.class),
    PUT_POINTS_RULE(109, PutPointsRule.class),
    REMOVE_RULE(110, RemoveRule.class),
    SET_PARAMETER(111, SetParameter.class),
    SET_CALENDAR_DAY(112, SetCalendarDay.class),
    SET_RECHARGE_SETTLEMENT(114, SetRechargeSettlement.class),
    UPSERT_DEPLOYER(115, UpsertDeployer.class),

    GENERATE_CARDS(200, GenerateCards.class),
    SELL_CARDS(201, SellCards.class),
    RECHARGE_CARDS(202, RechargeCards.class),
    FREEZE_CARD(203, FreezeCard.class),
    UNFREEZE_CARD(204, UnfreezeCard.class),
    REPORT_LOST(205, ReportLost.class),
    BLACKLIST_CARD(206, BlacklistCard.class),
    UNBLACKLIST_CARD(207, UnblacklistCard.class),
    REPLACE_CARD(208, ReplaceCard.class),
    RETURN_CARD(209, ReturnCard.class),
    CANCEL_ISSUANCE(210, CancelIssuance.class),
    SET_PIN(211, SetPin.class),
    UNLOCK_PIN(212, UnlockPin.class),
    EXTEND_EXPIRY(213, ExtendExpiry.class),
    REDEEM_POINTS(214, RedeemPoints.class),

    REQUEST_ADJUSTMENT(300, RequestAdjustment.class),
    REQUEST_BALANCE_TRANSFER(301, RequestBalanceTransfer.class),
    APPROVE(302, Approve.class),
    REJECT(303, Reject.class),

    PREPARE_SETTLEMENT(400, PrepareSettlement.class),
    RECORD_PAYOUT_RESULT(401, RecordPayoutResult.class),
    RECORD_PAYOUT_FILES(402, RecordPayoutFiles.class),
    RECORD_COLLECTION_RESULT(403, RecordCollectionResult.class),

    CUTOVER(500, Cutover.class),
    EXPIRE_HOLDS(501, ExpireHolds.class),
    RECORD_RECONCILIATION(502, RecordReconciliation.class),

    RECORD_LOGIN_FAILURE(600, RecordLoginFailure.class),
    RECORD_LOGIN(601, RecordLogin.class),
    CHANGE_PASSWORD(602, ChangePassword.class),
    RESET_PASSWORD(603, ResetPassword.class),
    LOCK_OPERATOR(604, LockOperator.class),
    UNLOCK_OPERATOR(605, UnlockOperator.class),

    CONFIRM_FLAG(700, ConfirmFlag.class),
    CLEAR_FLAG(701, ClearFlag.class),

    OPEN_AUDIT_TRAIL(800, OpenAuditTrail.class);

    /** Layout version of every admin command written today. */
    public static final int ADMIN_VERSION = 1;

    private static final CommandType[] BY_CODE = new CommandType[1024];
    private static final java.util.Map<Class<?>, CommandType> BY_CLASS = new java.util.HashMap<>();

    static {
        for (final CommandType type : values()) {
            BY_CODE[type.code] = type;
            if (type.recordClass != null) {
                BY_CLASS.put(type.recordClass, type);
            }
        }
    }

    public final int code;
    public final Class<? extends AdminCommand> recordClass;

    CommandType(final int code, final Class<? extends AdminCommand> recordClass) {
        this.code = code;
        this.recordClass = recordClass;
    }

    public static CommandType ofCode(final int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    public static CommandType of(final AdminCommand command) {
        return BY_CLASS.get(command.getClass());
    }

    /** Whether only the switch itself (the SYSTEM principal) may issue it. */
    public boolean systemOnly() {
        return this == CUTOVER || this == EXPIRE_HOLDS || this == RECORD_LOGIN_FAILURE || this == RECORD_LOGIN
                || this == OPEN_AUDIT_TRAIL;
    }
}
