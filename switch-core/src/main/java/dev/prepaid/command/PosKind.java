package dev.prepaid.command;

/**
 * The POS transactions of pos-iso8583 §4 as the ledger sees them. The code is what the journal stores, so
 * codes never change meaning; a new kind gets a new code.
 */
public enum PosKind {
    SIGN_ON(1, false, false),
    SIGN_OFF(2, false, false),
    PURCHASE(3, true, true),
    PURCHASE_VOID(4, true, false),
    REFUND(5, true, true),
    BALANCE_INQUIRY(6, true, true),
    RECHARGE(7, true, true),
    RECHARGE_VOID(8, true, false),
    PREAUTH(9, true, true),
    PREAUTH_CANCEL(10, true, false),
    COMPLETION(11, true, true),
    COMPLETION_VOID(12, true, false),
    REVERSAL(13, true, false),
    BATCH_SETTLEMENT(14, false, false),
    BATCH_UPLOAD(15, false, false),
    BATCH_UPLOAD_END(16, false, false);

    private static final PosKind[] BY_CODE = new PosKind[32];

    static {
        for (final PosKind kind : values()) {
            BY_CODE[kind.code] = kind;
        }
    }

    public final int code;
    /** Whether the transaction is recorded for matching and duplicate detection. */
    public final boolean recorded;
    /**
     * Whether a card type's permissions name this kind directly. Voids, cancels and reversals follow their
     * original and are never permitted or refused on their own.
     */
    public final boolean permissionControlled;

    PosKind(final int code, final boolean recorded, final boolean permissionControlled) {
        this.code = code;
        this.recorded = recorded;
        this.permissionControlled = permissionControlled;
    }

    /** Bit of this kind in a card type's permission masks. */
    public int bit() {
        return 1 << code;
    }

    /** The kind with this code, or null. */
    public static PosKind ofCode(final int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** A permission mask of the given kinds. */
    public static int mask(final PosKind... kinds) {
        int mask = 0;
        for (final PosKind kind : kinds) {
            mask |= kind.bit();
        }
        return mask;
    }

    /** Every kind a card type can permit: purchase, refund, balance inquiry, recharge, pre-auth, completion. */
    public static int allPermissionControlled() {
        int mask = 0;
        for (final PosKind kind : values()) {
            if (kind.permissionControlled) {
                mask |= kind.bit();
            }
        }
        return mask;
    }
}
