package dev.prepaid.clearing;

import dev.prepaid.merchant.MerchantProfile;
import dev.prepaid.state.StateReader;
import dev.prepaid.state.StateWriter;
import java.util.function.IntFunction;

/**
 * One day's merchant payouts: prepared by one operator, approved by another, then each line gets its bank
 * result. At approval each line moves from the merchant's payable to clearing in transit (netting any
 * receivable); the bank result moves it out of custody (paid) or back to the merchant (failed).
 *
 * <p>Each line keeps its {@link Payee}, the merchant's bank details at preparation, and an approved batch the
 * payout files made of it ({@link ExportedFiles}). Both are stored apart from the rest of the batch (section 13 of
 * the state, {@link #writeFrozenTo}): only a payee that differs from its merchant's current details is written,
 * so a state in which no merchant changed its bank details under a batch is the same bytes as before payees were
 * kept, and a snapshot written before then reads with each line's payee taken from its merchant at loading.
 */
public final class SettlementBatch {
    public static final int PREPARED = 0;
    public static final int APPROVED = 1;
    public static final int REJECTED = 2;

    public static final int LINE_PENDING = 0;
    public static final int LINE_SENT = 1;
    public static final int LINE_PAID = 2;
    public static final int LINE_FAILED = 3;
    /** A line with nothing to pay (only recharge cash to collect): no payout, nothing in the payout files. */
    public static final int LINE_NONE = 4;

    /** States of a line's collection of recharge cash (merchants whose contract settles recharges apart). */
    public static final int COLLECTION_PENDING = 0;
    public static final int COLLECTION_SENT = 1;
    public static final int COLLECTED = 2;
    public static final int COLLECTION_FAILED = 3;

    private final long id;
    private final int preparedDay;
    private final String preparedBy;
    private int state;
    private final int[] merchant;
    private final long[] amount;
    private final long[] receivableCleared;
    private final int[] lineState;
    private final String[] bankReference;
    private final Payee[] payee;
    private ExportedFiles exported;
    private final long[] collection;
    private final int[] collectionState;
    private final String[] collectionReference;
    private int[] deployer = new int[0];
    private long[] deployerAmount = new long[0];
    private int[] deployerState = new int[0];
    private String[] deployerReference = new String[0];
    private Payee[] deployerPayee = new Payee[0];

    /** A batch whose lines have no payee of their own: they pay their merchant's current bank details. */
    public SettlementBatch(final long id, final int preparedDay, final String preparedBy, final int[] merchant,
            final long[] amount, final long[] receivableCleared) {
        this(id, preparedDay, preparedBy, merchant, amount, receivableCleared, new Payee[merchant.length]);
    }

    public SettlementBatch(final long id, final int preparedDay, final String preparedBy, final int[] merchant,
            final long[] amount, final long[] receivableCleared, final Payee[] payee) {
        this(id, preparedDay, preparedBy, merchant, amount, receivableCleared, payee, new long[merchant.length]);
    }

    /**
     * A batch whose lines may also collect recharge cash: {@code collection} is, per line, what a merchant whose
     * contract settles recharges apart owes of them and is collected from it (0: none), never netted with its payout.
     */
    public SettlementBatch(final long id, final int preparedDay, final String preparedBy, final int[] merchant,
            final long[] amount, final long[] receivableCleared, final Payee[] payee, final long[] collection) {
        if (payee.length != merchant.length || collection.length != merchant.length) {
            throw new IllegalArgumentException(payee.length + " payees and " + collection.length + " collections for "
                    + merchant.length + " lines");
        }
        this.collection = collection.clone();
        this.collectionState = new int[merchant.length];
        this.collectionReference = new String[merchant.length];
        java.util.Arrays.fill(collectionReference, "");
        this.payee = payee.clone();
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

    /** The bank details the line pays, as they were at preparation; null for a batch made without them. */
    public Payee payee(final int line) {
        return payee[line];
    }

    /** The payout files recorded for this batch, or null. */
    public ExportedFiles exported() {
        return exported;
    }

    public void exported(final ExportedFiles files) {
        this.exported = files;
    }

    public void lineResult(final int line, final int newState, final String reference) {
        lineState[line] = newState;
        bankReference[line] = reference;
    }

    /** The recharge cash this line collects from its merchant (0: none). */
    public long collection(final int line) {
        return collection[line];
    }

    public int collectionState(final int line) {
        return collectionState[line];
    }

    public String collectionReference(final int line) {
        return collectionReference[line];
    }

    public void collectionResult(final int line, final int newState, final String reference) {
        collectionState[line] = newState;
        collectionReference[line] = reference;
    }

    /** The recharge cash the batch collects. */
    public long collectionTotal() {
        long sum = 0;
        for (final long c : collection) {
            sum = Math.addExact(sum, c);
        }
        return sum;
    }

    /** Whether any line collects recharge cash. */
    public boolean collects() {
        for (final long c : collection) {
            if (c != 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether the batch has what section 14 of the state keeps: collections of recharge cash, deployer lines. */
    public boolean holdsSection15() {
        return collects() || deployer.length > 0;
    }

    /**
     * Section 14: each line's collection, its state and bank reference, then the deployer lines (deployer, amount,
     * state, reference, frozen payee); written only when {@link #holdsSection15}.
     */
    public void writeCollectionsTo(final StateWriter out) {
        out.i64(id);
        out.i32(lines());
        for (int i = 0; i < lines(); i++) {
            out.i64(collection[i]);
            out.i32(collectionState[i]);
            out.string(collectionReference[i]);
        }
        out.i32(deployer.length);
        for (int i = 0; i < deployer.length; i++) {
            out.i32(deployer[i]);
            out.i64(deployerAmount[i]);
            out.i32(deployerState[i]);
            out.string(deployerReference[i]);
            deployerPayee[i].writeTo(out);
        }
    }

    /** Reads one batch's part of section 14 into the batch it names (read before, from section 8). */
    public static void readCollectionsFrom(final StateReader in, final java.util.Map<Long, SettlementBatch> batches) {
        final long id = in.i64();
        final SettlementBatch batch = batches.get(id);
        final int lines = in.i32();
        if (batch == null || lines != batch.lines()) {
            throw new IllegalStateException("state corrupt: collections of settlement " + id + " (" + lines + " lines)");
        }
        for (int i = 0; i < lines; i++) {
            batch.collection[i] = in.i64();
            batch.collectionState[i] = in.i32();
            batch.collectionReference[i] = in.string();
        }
        final int deployers = in.i32();
        final int[] index = new int[deployers];
        final long[] amounts = new long[deployers];
        final int[] states = new int[deployers];
        final String[] references = new String[deployers];
        final Payee[] payees = new Payee[deployers];
        for (int i = 0; i < deployers; i++) {
            index[i] = in.i32();
            amounts[i] = in.i64();
            states[i] = in.i32();
            references[i] = in.string();
            payees[i] = Payee.readFrom(in);
        }
        batch.deployerLines(index, amounts, payees);
        for (int i = 0; i < deployers; i++) {
            batch.deployerResult(i, states[i], references[i]);
        }
    }

    /**
     * Adds the deployer lines (at preparation, or when the state is read): each pays a registered deployer its
     * deployer shares, to the account frozen in {@code payee}.
     */
    public void deployerLines(final int[] deployers, final long[] amounts, final Payee[] payees) {
        if (amounts.length != deployers.length || payees.length != deployers.length) {
            throw new IllegalArgumentException(deployers.length + " deployer lines, " + amounts.length + " amounts, "
                    + payees.length + " payees");
        }
        this.deployer = deployers.clone();
        this.deployerAmount = amounts.clone();
        this.deployerPayee = payees.clone();
        this.deployerState = new int[deployers.length];
        this.deployerReference = new String[deployers.length];
        java.util.Arrays.fill(deployerReference, "");
    }

    public int deployerLines() {
        return deployer.length;
    }

    /** The deployer index of deployer line {@code line}. */
    public int deployer(final int line) {
        return deployer[line];
    }

    public long deployerAmount(final int line) {
        return deployerAmount[line];
    }

    public int deployerState(final int line) {
        return deployerState[line];
    }

    public String deployerReference(final int line) {
        return deployerReference[line];
    }

    public Payee deployerPayee(final int line) {
        return deployerPayee[line];
    }

    public void deployerResult(final int line, final int newState, final String reference) {
        deployerState[line] = newState;
        deployerReference[line] = reference;
    }

    /** The deployer line paying deployer {@code deployerIndex}, or -1. */
    public int deployerLineOf(final int deployerIndex) {
        for (int i = 0; i < deployer.length; i++) {
            if (deployer[i] == deployerIndex) {
                return i;
            }
        }
        return -1;
    }

    public int lineOf(final int merchantIndex) {
        for (int i = 0; i < merchant.length; i++) {
            if (merchant[i] == merchantIndex) {
                return i;
            }
        }
        return -1;
    }

    /** What the batch pays: its merchants' payouts and its deployers'. */
    public long total() {
        long sum = 0;
        for (final long a : amount) {
            sum = Math.addExact(sum, a);
        }
        for (final long a : deployerAmount) {
            sum = Math.addExact(sum, a);
        }
        return sum;
    }

    /** Whether every line has its bank result (its payout's, and its collection's when it has one). */
    public boolean resolved() {
        if (state == REJECTED) {
            return true;
        }
        for (int i = 0; i < lineState.length; i++) {
            if (lineState[i] != LINE_PAID && lineState[i] != LINE_FAILED && lineState[i] != LINE_NONE) {
                return false;
            }
            if (collection[i] != 0 && collectionState[i] != COLLECTED && collectionState[i] != COLLECTION_FAILED) {
                return false;
            }
        }
        for (final int state : deployerState) {
            if (state != LINE_PAID && state != LINE_FAILED) {
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

    /** Whether section 13 has something of this batch: a payee its merchant no longer has, or recorded files. */
    public boolean holdsFrozen(final IntFunction<MerchantProfile> current) {
        return exported != null || changedPayees(current) > 0;
    }

    private int changedPayees(final IntFunction<MerchantProfile> current) {
        int n = 0;
        for (int i = 0; i < payee.length; i++) {
            n += changed(i, current) ? 1 : 0;
        }
        return n;
    }

    private boolean changed(final int line, final IntFunction<MerchantProfile> current) {
        return payee[line] != null && !payee[line].equals(Payee.of(current.apply(merchant[line])));
    }

    /** This batch's part of section 13; written only when {@link #holdsFrozen} says so. */
    public void writeFrozenTo(final StateWriter out, final IntFunction<MerchantProfile> current) {
        out.i64(id);
        out.i32(changedPayees(current));
        for (int i = 0; i < payee.length; i++) {
            if (changed(i, current)) {
                out.i32(i);
                payee[i].writeTo(out);
            }
        }
        out.bool(exported != null);
        if (exported != null) {
            exported.writeTo(out);
        }
    }

    /** Reads one batch's part of section 13 into the batch it names (read before, from section 8). */
    public static void readFrozenFrom(final StateReader in, final java.util.Map<Long, SettlementBatch> batches) {
        final long id = in.i64();
        final SettlementBatch batch = batches.get(id);
        if (batch == null) {
            throw new IllegalStateException("state corrupt: payees of settlement " + id + ", which the state does not have");
        }
        for (int i = in.i32(); i > 0; i--) {
            final int line = in.i32();
            if (line < 0 || line >= batch.lines()) {
                throw new IllegalStateException("state corrupt: payee of line " + line + " of settlement " + id);
            }
            batch.payee[line] = Payee.readFrom(in);
        }
        if (in.bool()) {
            batch.exported = ExportedFiles.readFrom(in);
        }
    }

    /**
     * Reads a batch written by {@link #writeTo}; each line's payee is its merchant's details now ({@code current}),
     * which section 13 then corrects for the lines whose merchant changed them since preparation.
     */
    public static SettlementBatch readFrom(final StateReader in, final IntFunction<MerchantProfile> current) {
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
        final Payee[] payees = new Payee[lines];
        for (int l = 0; l < lines; l++) {
            final MerchantProfile profile = current.apply(merchant[l]);
            if (profile == null) {
                throw new IllegalStateException("state corrupt: settlement " + id + " line " + l + " names merchant index "
                        + merchant[l] + ", which the state does not have");
            }
            payees[l] = Payee.of(profile);
        }
        final SettlementBatch batch = new SettlementBatch(id, day, by, merchant, amount, receivable, payees);
        batch.state(state);
        for (int l = 0; l < lines; l++) {
            batch.lineResult(l, lineState[l], reference[l]);
        }
        return batch;
    }
}
