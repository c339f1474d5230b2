package dev.prepaid.merchant;

import dev.prepaid.state.StateReader;
import dev.prepaid.state.StateWriter;

/**
 * A terminal's running state: signed on or not, its open batch with running totals (pos-iso8583 §6), and
 * the result of its last settled batch, which answers a repeated settlement and accepts the batch upload.
 */
public final class Terminal {
    /** Batch numbers are n6: 000001 … 999999, then back to 000001. */
    public static final int MAX_BATCH = 999_999;

    private final int index;
    private TerminalProfile profile;
    private Merchant merchant;

    boolean signedOn;
    int currentBatch = 1;
    long debitAmount;
    int debitCount;
    long creditAmount;
    int creditCount;

    int settledBatch = -1;
    int settledFlag;
    int uploadedCount;

    public Terminal(final int index, final TerminalProfile profile, final Merchant merchant) {
        this.index = index;
        this.profile = profile;
        this.merchant = merchant;
    }

    /** The registered deployer its deployer code names, or -1 (none: its shares go to the unassigned pool). */
    private int deployerIndex = -1;

    public int index() {
        return index;
    }

    public int deployerIndex() {
        return deployerIndex;
    }

    public void deployerIndex(final int deployer) {
        this.deployerIndex = deployer;
    }

    public TerminalProfile profile() {
        return profile;
    }

    public Merchant merchant() {
        return merchant;
    }

    public void update(final TerminalProfile profile, final Merchant merchant) {
        this.profile = profile;
        this.merchant = merchant;
    }

    public boolean active() {
        return profile.status() == TerminalStatus.ACTIVE;
    }

    public boolean signedOn() {
        return signedOn;
    }

    public void signedOn(final boolean on) {
        this.signedOn = on;
    }

    public int currentBatch() {
        return currentBatch;
    }

    public long debitAmount() {
        return debitAmount;
    }

    public int debitCount() {
        return debitCount;
    }

    public long creditAmount() {
        return creditAmount;
    }

    public int creditCount() {
        return creditCount;
    }

    public int settledBatch() {
        return settledBatch;
    }

    public int settledFlag() {
        return settledFlag;
    }

    public int uploadedCount() {
        return uploadedCount;
    }

    public void addDebit(final long amount, final int count) {
        debitAmount = Math.addExact(debitAmount, amount);
        debitCount += count;
    }

    public void addCredit(final long amount, final int count) {
        creditAmount = Math.addExact(creditAmount, amount);
        creditCount += count;
    }

    /** Closes the open batch with a result flag (1 balanced, 2 unbalanced) and opens the next one. */
    public void closeBatch(final int flag) {
        settledBatch = currentBatch;
        settledFlag = flag;
        uploadedCount = 0;
        currentBatch = currentBatch >= MAX_BATCH ? 1 : currentBatch + 1;
        debitAmount = 0;
        debitCount = 0;
        creditAmount = 0;
        creditCount = 0;
    }

    public void countUpload() {
        uploadedCount++;
    }

    public void restore(final boolean signedOn, final int currentBatch, final long debitAmount, final int debitCount,
            final long creditAmount, final int creditCount, final int settledBatch, final int settledFlag,
            final int uploadedCount) {
        this.signedOn = signedOn;
        this.currentBatch = currentBatch;
        this.debitAmount = debitAmount;
        this.debitCount = debitCount;
        this.creditAmount = creditAmount;
        this.creditCount = creditCount;
        this.settledBatch = settledBatch;
        this.settledFlag = settledFlag;
        this.uploadedCount = uploadedCount;
    }

    /** The terminal's profile, its merchant's index, session and batch. */
    public void writeTo(final StateWriter out) {
        profile().writeTo(out);
        out.i32(merchant().index());
        out.bool(signedOn());
        out.i32(currentBatch());
        out.i64(debitAmount());
        out.i32(debitCount());
        out.i64(creditAmount());
        out.i32(creditCount());
        out.i32(settledBatch());
        out.i32(settledFlag());
        out.i32(uploadedCount());
    }

    /** The terminal written by {@link #writeTo}, as the {@code index}-th terminal, of one of {@code merchants}. */
    public static Terminal readFrom(final int index, final Merchant[] merchants, final StateReader in) {
        final TerminalProfile p = TerminalProfile.readFrom(in);
        final Terminal t = new Terminal(index, p, merchants[in.i32()]);
        t.restore(in.bool(), in.i32(), in.i64(), in.i32(), in.i64(), in.i32(), in.i32(), in.i32(), in.i32());
        return t;
    }
}
