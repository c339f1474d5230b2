package dev.prepaid.merchant;

import dev.prepaid.state.StateReader;
import dev.prepaid.state.StateWriter;

/**
 * A terminal deployer (agent) the operator pays its share of the fees to (domain-rules §4): its code — what its
 * terminals name as their {@code deployerCode} — its payout account, its 2205 sub-account (what it is owed; a
 * negative balance, shares given back by refunds after a payout, is carried forward and netted from its next
 * shares, never paid) and the shares of today's transactions, posted at the cut-over.
 */
public final class Deployer {
    /** At most this many deployers (a limit, as everything: they are few — the agents that deploy terminals). */
    public static final int MAX_DEPLOYERS = 1_000;

    private final int index;
    private DeployerProfile profile;
    long payable;
    long shareAccrued;

    public Deployer(final int index, final DeployerProfile profile) {
        this.index = index;
        this.profile = profile;
    }

    public int index() {
        return index;
    }

    public DeployerProfile profile() {
        return profile;
    }

    public void profile(final DeployerProfile profile) {
        this.profile = profile;
    }

    /** Its 2205 sub-account: what the operator owes it (negative: shares it gave back since its last payout). */
    public long payable() {
        return payable;
    }

    public void payable(final long fen) {
        this.payable = fen;
    }

    /** Shares of today's transactions at its terminals, not yet posted. */
    public long shareAccrued() {
        return shareAccrued;
    }

    public void accrue(final long share) {
        shareAccrued = Math.addExact(shareAccrued, share);
    }

    public void clearAccrual() {
        shareAccrued = 0;
    }

    public void writeTo(final StateWriter out) {
        profile.writeTo(out);
        out.i64(payable);
        out.i64(shareAccrued);
    }

    public static Deployer readFrom(final int index, final StateReader in) {
        final Deployer d = new Deployer(index, DeployerProfile.readFrom(in));
        d.payable = in.i64();
        d.shareAccrued = in.i64();
        return d;
    }
}
