package dev.prepaid.iso8583;

import dev.prepaid.command.PosKind;

/**
 * The dialect's transaction table. {@link #find} recognises a decoded request by its MTI and the key values
 * (processing code, field 25, 60.1, 60.3, wherever the dialect's {@code match} section puts them): a linear
 * scan over a few rows, comparing ints, allocating nothing. Null means the combination is unknown (the
 * server answers 12 or 40).
 */
public final class TransactionTable {
    private final Transaction[] rows;
    private final int[] keyFields;
    private final SubField[] keySubFields;
    private final Transaction[] byKind = new Transaction[32];

    TransactionTable(final Transaction[] rows, final int[] keyFields, final SubField[] keySubFields) {
        this.rows = rows.clone();
        this.keyFields = keyFields.clone();
        this.keySubFields = keySubFields.clone();
        for (final Transaction row : rows) {
            if (row.kind != null && byKind[row.kind.code] == null) {
                byKind[row.kind.code] = row;
            }
        }
    }

    public int size() {
        return rows.length;
    }

    public Transaction get(final int index) {
        return rows[index];
    }

    /** The first row of this kind (the table is unambiguous per request, not per kind), or null. */
    public Transaction byKind(final PosKind kind) {
        return byKind[kind.code];
    }

    /** The row with this name, or null (a loop over the rows; for set-up and tests). */
    public Transaction byName(final String name) {
        for (final Transaction row : rows) {
            if (row.name.equals(name)) {
                return row;
            }
        }
        return null;
    }

    /** The value of a key in a decoded message, −1 when absent or not numeric. */
    public long keyValue(final IsoMessage message, final int key) {
        final SubField subField = keySubFields[key];
        return subField != null ? message.subField(subField) : message.numeric(keyFields[key]);
    }

    /** The transaction of a decoded request, or null when no row matches. */
    public Transaction find(final IsoMessage message) {
        return find(message.mti(), keyValue(message, Transaction.PROCESSING_CODE),
                keyValue(message, Transaction.CONDITION_CODE), keyValue(message, Transaction.MESSAGE_TYPE_CODE),
                keyValue(message, Transaction.NETWORK_CODE));
    }

    /**
     * Whether requests of this MTI carry a MAC in the table (0200, 0100, 0220, 0400 in the shipped dialect): the
     * answer to one that matches no row, or does not decode, is then MACed as well (pos-iso8583 §5: any
     * response code).
     */
    public boolean macOn(final int mti) {
        for (final Transaction row : rows) {
            if (row.mti == mti && row.mac) {
                return true;
            }
        }
        return false;
    }

    /** The row for these values (−1 for an absent key), or null. */
    public Transaction find(final int mti, final long processingCode, final long conditionCode,
            final long messageTypeCode, final long networkCode) {
        for (final Transaction row : rows) {
            if (row.mti == mti && row.matches(processingCode, conditionCode, messageTypeCode, networkCode)) {
                return row;
            }
        }
        return null;
    }

    /**
     * For a request whose row {@link Transaction#findsOriginal} (reversal, batch upload): the row of the
     * original transaction, matched on the keys marked "original" (ignoring MTI and the other keys) among
     * the rows that constrain all of them. Null when the row does not find originals or nothing matches.
     */
    public Transaction findOriginal(final IsoMessage message, final Transaction transaction) {
        if (!transaction.findsOriginal) {
            return null;
        }
        for (final Transaction row : rows) {
            if (isOriginalCandidate(row, transaction) && originalMatches(row, transaction, message)) {
                return row;
            }
        }
        return null;
    }

    private boolean originalMatches(final Transaction row, final Transaction transaction, final IsoMessage message) {
        for (int key = 0; key < Transaction.KEYS; key++) {
            if (transaction.fromOriginal(key) && !row.accepts(key, keyValue(message, key))) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code row} can be the original of {@code transaction}: a ledger row constraining its keys. */
    static boolean isOriginalCandidate(final Transaction row, final Transaction transaction) {
        if (row.findsOriginal || row.kind == null) {
            return false;
        }
        for (int key = 0; key < Transaction.KEYS; key++) {
            if (transaction.fromOriginal(key) && !row.constrains(key)) {
                return false;
            }
        }
        return true;
    }
}
