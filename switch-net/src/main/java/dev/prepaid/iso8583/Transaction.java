package dev.prepaid.iso8583;

import dev.prepaid.command.PosKind;

/**
 * One row of the dialect's transaction table (pos-iso8583 §4): how a request is recognised (MTI, processing
 * code, field 25, 60.1, 60.3), what it must carry, and what its response is. Immutable; found without
 * allocation by {@link TransactionTable#find}.
 */
public final class Transaction {
    /** Keys of the table, in {@link #criterion} order. */
    public static final int PROCESSING_CODE = 0;
    public static final int CONDITION_CODE = 1;
    public static final int MESSAGE_TYPE_CODE = 2;
    public static final int NETWORK_CODE = 3;
    static final int KEYS = 4;
    static final String[] KEY_NAMES = {"processingCode", "conditionCode", "messageTypeCode", "networkCode"};

    private static final int[] ANY = new int[0];

    public final int index;
    public final String name;
    /** The ledger's kind, or null for a transaction the network layer answers itself (echo test). */
    public final PosKind kind;
    /** Request MTI as a number, e.g. 200 for 0200. */
    public final int mti;
    public final int responseMti;
    /** Whether request and response carry field 64. */
    public final boolean mac;
    /** Whether the original transaction is found from this request's keys (reversal, batch upload). */
    public final boolean findsOriginal;
    public final long requiredFields;
    /** At least one of these must be present (2 or 35); 0 when there is no such group. */
    public final long oneOfFields;
    public final long optionalFields;
    /** Response fields copied from the request when it has them. */
    public final long echoFields;
    /** Response fields the switch writes when it has a value for them. */
    public final long setFields;

    private final int[][] criteria;
    private final boolean[] original;

    Transaction(final int index, final String name, final PosKind kind, final int mti, final int responseMti,
            final boolean mac, final int[][] criteria, final boolean[] original, final long requiredFields,
            final long oneOfFields, final long optionalFields, final long echoFields, final long setFields) {
        this.index = index;
        this.name = name;
        this.kind = kind;
        this.mti = mti;
        this.responseMti = responseMti;
        this.mac = mac;
        this.criteria = new int[KEYS][];
        for (int key = 0; key < KEYS; key++) {
            this.criteria[key] = criteria[key] == null ? ANY : criteria[key].clone();
        }
        this.original = original.clone();
        boolean any = false;
        for (final boolean b : original) {
            any |= b;
        }
        this.findsOriginal = any;
        this.requiredFields = requiredFields;
        this.oneOfFields = oneOfFields;
        this.optionalFields = optionalFields;
        this.echoFields = echoFields;
        this.setFields = setFields;
    }

    /** Whether the request's key values (−1 when absent) satisfy this row (the MTI is compared separately). */
    boolean matches(final long processingCode, final long conditionCode, final long messageTypeCode,
            final long networkCode) {
        return accepts(PROCESSING_CODE, processingCode) && accepts(CONDITION_CODE, conditionCode)
                && accepts(MESSAGE_TYPE_CODE, messageTypeCode) && accepts(NETWORK_CODE, networkCode);
    }

    /** Whether the key accepts the value: any value when the row does not constrain the key. */
    public boolean accepts(final int key, final long value) {
        final int[] values = criteria[key];
        if (values.length == 0) {
            return true;
        }
        for (final int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }

    /** Whether the row constrains the key to listed values. */
    public boolean constrains(final int key) {
        return criteria[key].length != 0;
    }

    /** The values the key may take (empty: any). Allocates a copy; for tools. */
    public int[] criterion(final int key) {
        return criteria[key].clone();
    }

    /** The only value of the key, or −1 when the row accepts several or any. */
    public int single(final int key) {
        return criteria[key].length == 1 ? criteria[key][0] : -1;
    }

    /** Whether the key is "as the original": used to find the original transaction. */
    public boolean fromOriginal(final int key) {
        return original[key];
    }

    /** The first required field the request lacks (or the first of the one-of group), 0 when complete. */
    public int missingField(final long bitmap) {
        final long missing = requiredFields & ~bitmap;
        if (missing != 0) {
            return Bitmap.first(missing);
        }
        if (oneOfFields != 0 && (bitmap & oneOfFields) == 0) {
            return Bitmap.first(oneOfFields);
        }
        return 0;
    }

    /** The first field the request carries that this transaction does not expect, 0 when none. */
    public int unexpectedField(final long bitmap) {
        return Bitmap.first(bitmap & ~(requiredFields | oneOfFields | optionalFields));
    }

    /** Every field the response may carry, echoed or set, as a bitmap. */
    public long responseFields() {
        return echoFields | setFields;
    }

    public boolean echoes(final int field) {
        return Bitmap.has(echoFields, field);
    }

    public boolean sets(final int field) {
        return Bitmap.has(setFields, field);
    }

    @Override
    public String toString() {
        return name + " (" + Dialect.mtiText(mti) + " -> " + Dialect.mtiText(responseMti) + (mac ? ", MAC" : "") + ")";
    }
}
