package dev.prepaid.merchant;

import dev.prepaid.command.Ascii;
import dev.prepaid.state.StateReader;
import dev.prepaid.state.StateWriter;

/**
 * A merchant's running state: its sub-accounts (2203 payable, 1122 receivable), the fees accrued today
 * and not yet posted, and its activity per business day for the last {@link #DAY_BUCKETS} days, which
 * decides what a T+N payout may include.
 */
public final class Merchant {
    /** Business days of activity kept per merchant; T+N cycles are limited to fewer working days. */
    public static final int DAY_BUCKETS = 64;
    /**
     * Marks a 1122 sub-account index as the merchant's recharge-cash receivable (the cash of POS recharges it owes,
     * kept apart from what is netted against its payable when its contract settles recharges separately).
     */
    public static final int RECHARGE_CASH = 1 << 30;

    private final int index;
    private MerchantProfile profile;
    private long idHigh;
    private long idLow;
    private boolean underReview;

    long payable;
    long receivable;
    long feeAccrued;
    long shareAccrued;
    final long[] netByDay = new long[DAY_BUCKETS];
    final int[] dayOfBucket = new int[DAY_BUCKETS];
    private long deployerShareAccrued;
    private boolean rechargesApart;
    private long rechargeReceivable;
    private final long[] rechargeByDay = new long[DAY_BUCKETS];
    private final int[] rechargeDayOfBucket = new int[DAY_BUCKETS];

    public Merchant(final int index, final MerchantProfile profile) {
        this.index = index;
        profile(profile);
    }

    public int index() {
        return index;
    }

    public MerchantProfile profile() {
        return profile;
    }

    public void profile(final MerchantProfile profile) {
        this.profile = profile;
        this.idHigh = Ascii.pack(profile.merchantId(), 0, 8);
        this.idLow = Ascii.pack(profile.merchantId(), 8, 8);
    }

    public boolean idMatches(final long high, final long low) {
        return idHigh == high && idLow == low;
    }

    public boolean active() {
        return profile.status() == MerchantStatus.ACTIVE;
    }

    public boolean underReview() {
        return underReview;
    }

    public void underReview(final boolean review) {
        this.underReview = review;
    }

    /** 2203 sub-account balance (what the operator owes the merchant). */
    public long payable() {
        return payable;
    }

    /** 1122 sub-account balance (what the merchant owes the operator). */
    public long receivable() {
        return receivable;
    }

    public long feeAccrued() {
        return feeAccrued;
    }

    public long shareAccrued() {
        return shareAccrued;
    }

    public void payable(final long fen) {
        this.payable = fen;
    }

    public void receivable(final long fen) {
        this.receivable = fen;
    }

    /** Adds to the fees and deployer shares of today, posted at the cut-over. */
    public void accrue(final long fee, final long share) {
        feeAccrued = Math.addExact(feeAccrued, fee);
        shareAccrued = Math.addExact(shareAccrued, share);
    }

    public void clearAccruals() {
        feeAccrued = 0;
        shareAccrued = 0;
        deployerShareAccrued = 0;
    }

    /** The part of today's deployer shares that is owed to registered deployers (the rest goes to the pool). */
    public long deployerShareAccrued() {
        return deployerShareAccrued;
    }

    public void accrueDeployerShare(final long share) {
        deployerShareAccrued = Math.addExact(deployerShareAccrued, share);
    }

    /** Adds signed activity (what the merchant is owed) to a business day's bucket. */
    public void addActivity(final int epochDay, final long signedFen) {
        final int bucket = Math.floorMod(epochDay, DAY_BUCKETS);
        if (dayOfBucket[bucket] != epochDay) {
            dayOfBucket[bucket] = epochDay;
            netByDay[bucket] = 0;
        }
        netByDay[bucket] = Math.addExact(netByDay[bucket], signedFen);
    }

    /** Activity of a business day, or 0 when the day is outside the kept window. */
    public long activityOn(final int epochDay) {
        final int bucket = Math.floorMod(epochDay, DAY_BUCKETS);
        return dayOfBucket[bucket] == epochDay ? netByDay[bucket] : 0;
    }

    public long bucketNet(final int bucket) {
        return netByDay[bucket];
    }

    public int bucketDay(final int bucket) {
        return dayOfBucket[bucket];
    }

    public void restoreBucket(final int bucket, final int day, final long net) {
        dayOfBucket[bucket] = day;
        netByDay[bucket] = net;
    }

    public void restoreAccruals(final long fee, final long share) {
        this.feeAccrued = fee;
        this.shareAccrued = share;
    }

    /** Whether its contract settles POS recharges apart: their cash is a receivable of its own, never netted. */
    public boolean rechargesApart() {
        return rechargesApart;
    }

    public void rechargesApart(final boolean apart) {
        this.rechargesApart = apart;
    }

    /** The recharge-cash sub-account of 1122: POS recharge cash (less commission) the merchant owes, collected apart. */
    public long rechargeReceivable() {
        return rechargeReceivable;
    }

    public void rechargeReceivable(final long fen) {
        this.rechargeReceivable = fen;
    }

    /** Adds recharge cash owed (signed) to a business day's bucket of recharge activity. */
    public void addRechargeActivity(final int epochDay, final long signedFen) {
        final int bucket = Math.floorMod(epochDay, DAY_BUCKETS);
        if (rechargeDayOfBucket[bucket] != epochDay) {
            rechargeDayOfBucket[bucket] = epochDay;
            rechargeByDay[bucket] = 0;
        }
        rechargeByDay[bucket] = Math.addExact(rechargeByDay[bucket], signedFen);
    }

    /** Recharge cash owed from a business day, or 0 when the day is outside the kept window. */
    public long rechargeActivityOn(final int epochDay) {
        final int bucket = Math.floorMod(epochDay, DAY_BUCKETS);
        return rechargeDayOfBucket[bucket] == epochDay ? rechargeByDay[bucket] : 0;
    }

    /** Whether anything issue 11 added is in this merchant's state (section 14): recharges apart, deployers' shares. */
    public boolean holdsRechargeTerms() {
        if (rechargesApart || rechargeReceivable != 0 || deployerShareAccrued != 0) {
            return true;
        }
        for (int b = 0; b < DAY_BUCKETS; b++) {
            if (rechargeDayOfBucket[b] != 0) {
                return true;
            }
        }
        return false;
    }

    /** Today's shares owed to deployers, the flag, the recharge receivable and the used recharge buckets (section 14). */
    public void writeRechargeTermsTo(final StateWriter out) {
        out.i64(deployerShareAccrued);
        out.bool(rechargesApart);
        out.i64(rechargeReceivable);
        int used = 0;
        for (int b = 0; b < DAY_BUCKETS; b++) {
            used += rechargeDayOfBucket[b] != 0 ? 1 : 0;
        }
        out.i32(used);
        for (int b = 0; b < DAY_BUCKETS; b++) {
            if (rechargeDayOfBucket[b] != 0) {
                out.i32(b);
                out.i32(rechargeDayOfBucket[b]);
                out.i64(rechargeByDay[b]);
            }
        }
    }

    /** Reads what {@link #writeRechargeTermsTo} wrote. */
    public void readRechargeTermsFrom(final StateReader in) {
        deployerShareAccrued = in.i64();
        rechargesApart = in.bool();
        rechargeReceivable = in.i64();
        for (int i = in.i32(); i > 0; i--) {
            final int bucket = in.i32();
            if (bucket < 0 || bucket >= DAY_BUCKETS) {
                throw new IllegalStateException("state corrupt: recharge bucket " + bucket);
            }
            rechargeDayOfBucket[bucket] = in.i32();
            rechargeByDay[bucket] = in.i64();
        }
    }

    /** The merchant's profile, review flag, sub-accounts, accruals and daily activity. */
    public void writeTo(final StateWriter out) {
        profile().writeTo(out);
        out.bool(underReview());
        out.i64(payable());
        out.i64(receivable());
        out.i64(feeAccrued());
        out.i64(shareAccrued());
        for (int b = 0; b < DAY_BUCKETS; b++) {
            out.i32(bucketDay(b));
            out.i64(bucketNet(b));
        }
    }

    /** The merchant written by {@link #writeTo}, as the {@code index}-th merchant. */
    public static Merchant readFrom(final int index, final StateReader in) {
        final Merchant m = new Merchant(index, MerchantProfile.readFrom(in));
        m.underReview(in.bool());
        m.payable(in.i64());
        m.receivable(in.i64());
        m.restoreAccruals(in.i64(), in.i64());
        for (int b = 0; b < DAY_BUCKETS; b++) {
            m.restoreBucket(b, in.i32(), in.i64());
        }
        return m;
    }
}
