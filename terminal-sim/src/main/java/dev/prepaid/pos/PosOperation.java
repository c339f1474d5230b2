package dev.prepaid.pos;

import dev.prepaid.command.PosKind;

/**
 * What a terminal sends (pos-iso8583 §4). Each constant is named after its row in the dialect's transaction
 * table, where the terminal finds the MTI, processing code, condition code, 60.1 and 60.3 and the fields the
 * request may carry.
 */
public enum PosOperation {
    SIGN_ON(PosKind.SIGN_ON, "signon"),
    SIGN_OFF(PosKind.SIGN_OFF, "signoff"),
    ECHO_TEST(null, "echo"),
    PURCHASE(PosKind.PURCHASE, "purchase"),
    PURCHASE_VOID(PosKind.PURCHASE_VOID, "void"),
    REFUND(PosKind.REFUND, "refund"),
    BALANCE_INQUIRY(PosKind.BALANCE_INQUIRY, "balance"),
    RECHARGE(PosKind.RECHARGE, "recharge"),
    RECHARGE_VOID(PosKind.RECHARGE_VOID, "void-recharge"),
    PREAUTH(PosKind.PREAUTH, "preauth"),
    PREAUTH_CANCEL(PosKind.PREAUTH_CANCEL, "cancel"),
    COMPLETION(PosKind.COMPLETION, "complete"),
    COMPLETION_VOID(PosKind.COMPLETION_VOID, "void-completion"),
    REVERSAL(PosKind.REVERSAL, "reversal"),
    BATCH_SETTLEMENT(PosKind.BATCH_SETTLEMENT, "settle"),
    BATCH_UPLOAD(PosKind.BATCH_UPLOAD, "upload"),
    BATCH_UPLOAD_END(PosKind.BATCH_UPLOAD_END, "upload-end");

    /** The ledger's kind, or null (echo test). */
    public final PosKind kind;
    /** The command-line name. */
    public final String command;

    PosOperation(final PosKind kind, final String command) {
        this.kind = kind;
        this.command = command;
    }

    /** The name of the dialect's transaction-table row. */
    public String tableName() {
        return name();
    }

    /**
     * Whether money may have moved when the answer is lost, so that the terminal must reverse it (pos-iso8583
     * §4 reversal rules): every financial request except the balance inquiry.
     */
    public boolean reversible() {
        switch (this) {
            case PURCHASE: case PURCHASE_VOID: case REFUND: case RECHARGE: case RECHARGE_VOID:
            case PREAUTH: case PREAUTH_CANCEL: case COMPLETION: case COMPLETION_VOID:
                return true;
            default:
                return false;
        }
    }

    /** Debit side of the settlement totals (§6): approved purchases and completions. */
    public boolean debit() {
        return this == PURCHASE || this == COMPLETION;
    }

    /** Credit side of the settlement totals (§6): approved refunds and recharges. */
    public boolean credit() {
        return this == REFUND || this == RECHARGE;
    }

    /** The operation a void, cancel or completion refers to, or null. */
    public PosOperation originalOperation() {
        switch (this) {
            case PURCHASE_VOID: case REFUND: return PURCHASE;
            case RECHARGE_VOID: return RECHARGE;
            case PREAUTH_CANCEL: case COMPLETION: return PREAUTH;
            case COMPLETION_VOID: return COMPLETION;
            default: return null;
        }
    }

    /** The operation with this command-line name, or null. */
    public static PosOperation ofCommand(final String command) {
        for (final PosOperation operation : values()) {
            if (operation.command.equals(command)) {
                return operation;
            }
        }
        return null;
    }
}
