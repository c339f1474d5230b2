package dev.prepaid.clearing;

import dev.prepaid.state.StateReader;
import dev.prepaid.state.StateWriter;

/**
 * One day's merchant payouts: prepared by one operator, approved by another, then each line gets its bank
 * result. At approval each line moves from the merchant's payable to clearing in transit (netting any
 * receivable); the bank result moves it out of custody (paid) or back to the merchant (failed).
 */
public final class SettlementBatch {
    public static final int PREPARED = 0;
    public static final int APPROVED = 1;
    public static final int REJECTED = 2;

    public static final int LINE_PENDING = 0;
    public static final int LINE_SENT = 1;
    public static final int LINE_PAID = 2;
    public static final int LINE_FAILED = 3;

    private final long id;
    private final int preparedDay;
    private final String preparedBy;
    private int state;
    private final int[] merchant;
    private final long[] amount;
    private final long[] receivableCleared;
    private final int[] lineState;
    private final String[] bankReference;

    public SettlementBatch(final long id, final int preparedDay, final String preparedBy, final int[] merchant,
            final long[] amount, final long[] receivableCleared) {
        this.id = id;
        this.preparedDay = preparedDay;
        this.preparedBy = preparedBy;
        this.merchant = merchant;
        this.amount = amount;
        this.receivableCleared = receivableCleared;
        this.lineState = new int[merchant.length];
        this.bankReference = new String[merchant.length];
        java.util.Arrays.fill(bankReference, "");
    }

    public long id() {
        return id;
    }

    public int preparedDay() {
        return preparedDay;
    }

    public String preparedBy() {
        return preparedBy;
    }

    public int state() {
        return state;
    }

    public void state(final int newState) {
        this.state = newState;
    }

    public int lines() {
        return merchant.length;
    }

    public int merchant(final int line) {
        return merchant[line];
    }

    public long amount(final int line) {
        return amount[line];
    }

    public long receivableCleared(final int line) {
        return receivableCleared[line];
    }

    public int lineState(final int line) {
        return lineState[line];
    }

    public String bankReference(final int line) {
        return bankReference[line];
    }

    public void lineResult(final int line, final int newState, final String reference) {
        lineState[line] = newState;
        bankReference[line] = reference;
    }

    public int lineOf(final int merchantIndex) {
        for (int i = 0; i < merchant.length; i++) {
            if (merchant[i] == merchantIndex) {
                return i;
            }
        }
        return -1;
    }

    public long total() {
        long sum = 0;
        for (final long a : amount) {
            sum = Math.addExact(sum, a);
        }
        return sum;
    }

    /** Whether every line has its bank result. */
    public boolean resolved() {
        if (state == REJECTED) {
            return true;
        }
        for (final int s : lineState) {
            if (s != LINE_PAID && s != LINE_FAILED) {
                return false;
            }
        }
        return true;
    }

    public void writeTo(final StateWriter out) {
        out.i64(id);
        out.i32(preparedDay);
        out.string(preparedBy);
        out.i32(state());
        out.i32(lines());
        for (int i = 0; i < lines(); i++) {
            out.i32(merchant[i]);
            out.i64(amount[i]);
            out.i64(receivableCleared[i]);
            out.i32(lineState[i]);
            out.string(bankReference[i]);
        }
    }

    public static SettlementBatch readFrom(final StateReader in) {
        final long id = in.i64();
        final int day = in.i32();
        final String by = in.string();
        final int state = in.i32();
        final int lines = in.i32();
        final int[] merchant = new int[lines];
        final long[] amount = new long[lines];
        final long[] receivable = new long[lines];
        final int[] lineState = new int[lines];
        final String[] reference = new String[lines];
        for (int l = 0; l < lines; l++) {
            merchant[l] = in.i32();
            amount[l] = in.i64();
            receivable[l] = in.i64();
            lineState[l] = in.i32();
            reference[l] = in.string();
        }
        final SettlementBatch batch = new SettlementBatch(id, day, by, merchant, amount, receivable);
        batch.state(state);
        for (int l = 0; l < lines; l++) {
            batch.lineResult(l, lineState[l], reference[l]);
        }
        return batch;
    }
}
