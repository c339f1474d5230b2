package dev.prepaid.fee;

import dev.prepaid.command.PosKind;
import dev.prepaid.money.Money;
import dev.prepaid.state.StateReader;
import dev.prepaid.state.StateWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fee, discount and points rules, indexed for the POS path: per merchant an array of its fee rules and of
 * its discount rules, each sorted by (priority, id), so finding the rule of a transaction is a short scan
 * with no allocation. Rules are kept by id in insertion order for snapshots.
 */
public final class RuleBook {
    private static final FeeRule[] NO_FEES = new FeeRule[0];
    private static final DiscountRule[] NO_DISCOUNTS = new DiscountRule[0];
    private static final Comparator<FeeRule> FEE_ORDER =
            Comparator.comparingInt(FeeRule::priority).thenComparingLong(FeeRule::ruleId);
    private static final Comparator<DiscountRule> DISCOUNT_ORDER =
            Comparator.comparingInt(DiscountRule::priority).thenComparingLong(DiscountRule::ruleId);
    private static final Comparator<PointsRule> POINTS_ORDER =
            Comparator.comparingInt(PointsRule::priority).thenComparingLong(PointsRule::ruleId);

    private final int capacity;
    private final Map<Long, Record> byId = new LinkedHashMap<>();
    private final FeeRule[][] feesByMerchant;
    private final DiscountRule[][] discountsByMerchant;
    private PointsRule[] points = new PointsRule[0];

    public RuleBook(final int capacity, final int maxMerchants) {
        this.capacity = capacity;
        this.feesByMerchant = new FeeRule[maxMerchants][];
        this.discountsByMerchant = new DiscountRule[maxMerchants][];
        java.util.Arrays.fill(feesByMerchant, NO_FEES);
        java.util.Arrays.fill(discountsByMerchant, NO_DISCOUNTS);
    }

    public boolean canAdd(final long ruleId) {
        return byId.containsKey(ruleId) || byId.size() < capacity;
    }

    public Record get(final long ruleId) {
        return byId.get(ruleId);
    }

    public int size() {
        return byId.size();
    }

    /** Every rule, in the order they were first put. */
    public Iterable<Record> all() {
        return byId.values();
    }

    public void put(final Record rule) {
        final Record previous = byId.put(idOf(rule), rule);
        if (previous != null) {
            reindex(previous);
        }
        reindex(rule);
    }

    public Record remove(final long ruleId) {
        final Record removed = byId.remove(ruleId);
        if (removed != null) {
            reindex(removed);
        }
        return removed;
    }

    private static long idOf(final Record rule) {
        if (rule instanceof FeeRule) {
            return ((FeeRule) rule).ruleId();
        } else if (rule instanceof DiscountRule) {
            return ((DiscountRule) rule).ruleId();
        }
        return ((PointsRule) rule).ruleId();
    }

    private void reindex(final Record rule) {
        if (rule instanceof FeeRule) {
            final int merchant = ((FeeRule) rule).merchantIndex();
            final List<FeeRule> list = new ArrayList<>();
            for (final Record r : byId.values()) {
                if (r instanceof FeeRule && ((FeeRule) r).merchantIndex() == merchant) {
                    list.add((FeeRule) r);
                }
            }
            list.sort(FEE_ORDER);
            feesByMerchant[merchant] = list.toArray(NO_FEES);
        } else if (rule instanceof DiscountRule) {
            final int merchant = ((DiscountRule) rule).merchantIndex();
            final List<DiscountRule> list = new ArrayList<>();
            for (final Record r : byId.values()) {
                if (r instanceof DiscountRule && ((DiscountRule) r).merchantIndex() == merchant) {
                    list.add((DiscountRule) r);
                }
            }
            list.sort(DISCOUNT_ORDER);
            discountsByMerchant[merchant] = list.toArray(NO_DISCOUNTS);
        } else {
            final List<PointsRule> list = new ArrayList<>();
            for (final Record r : byId.values()) {
                if (r instanceof PointsRule) {
                    list.add((PointsRule) r);
                }
            }
            list.sort(POINTS_ORDER);
            points = list.toArray(new PointsRule[0]);
        }
    }

    /** The fee rule deciding a transaction's fee, or null (no fee). */
    public FeeRule feeRule(final int merchant, final int cardType, final PosKind kind, final int day) {
        final FeeRule[] rules = feesByMerchant[merchant];
        for (int i = 0; i < rules.length; i++) {
            if (rules[i].matches(cardType, kind, day)) {
                return rules[i];
            }
        }
        return null;
    }

    /** The fee of one transaction: the first matching rule's, rounded half-up to the fen. */
    public long fee(final int merchant, final int cardType, final PosKind kind, final int day, final long amount) {
        final FeeRule rule = feeRule(merchant, cardType, kind, day);
        return rule == null ? 0 : feeOf(rule, amount);
    }

    public static long feeOf(final FeeRule rule, final long amount) {
        switch (rule.method()) {
            case PERCENT:
                return Money.ppmOfHalfUp(amount, rule.ratePpm());
            case FIXED:
                return rule.fixedFen();
            case PERCENT_MIN_CAP: {
                long fee = Math.max(Money.ppmOfHalfUp(amount, rule.ratePpm()), rule.minFen());
                if (rule.capFen() > 0) {
                    fee = Math.min(fee, rule.capFen());
                }
                return fee;
            }
            default:
                return 0;
        }
    }

    /** The monthly service fee of a merchant on a day (the first matching PERIODIC rule), or 0. */
    public long periodicFee(final int merchant, final int day) {
        final FeeRule[] rules = feesByMerchant[merchant];
        for (int i = 0; i < rules.length; i++) {
            if (rules[i].method() == FeeMethod.PERIODIC && rules[i].effectiveOn(day)) {
                return rules[i].fixedFen();
            }
        }
        return 0;
    }

    /** The operator-funded discount of a purchase, never more than the amount. */
    public long discount(final int merchant, final int cardType, final int day, final long amount) {
        final DiscountRule[] rules = discountsByMerchant[merchant];
        for (int i = 0; i < rules.length; i++) {
            final DiscountRule rule = rules[i];
            if (rule.matches(cardType, day)) {
                if (amount < rule.minPurchaseFen()) {
                    return 0;
                }
                long discount = Money.ppmOfHalfUp(amount, rule.ratePpm());
                if (rule.capFen() > 0) {
                    discount = Math.min(discount, rule.capFen());
                }
                return Math.min(discount, amount);
            }
        }
        return 0;
    }

    /** Points per yuan at a merchant for a card type, or -1 when no rule applies (use the card type's). */
    public int pointsRate(final int merchant, final int cardType, final int day) {
        final PointsRule[] rules = points;
        for (int i = 0; i < rules.length; i++) {
            if (rules[i].matches(merchant, cardType, day)) {
                return rules[i].pointsPerYuan();
            }
        }
        return -1;
    }

    /** Every rule in insertion order, each with its kind tag. */
    public void writeTo(final StateWriter out) {
        out.i32(byId.size());
        for (final Record rule : byId.values()) {
            if (rule instanceof FeeRule fee) {
                fee.writeTo(out);
            } else if (rule instanceof DiscountRule discount) {
                discount.writeTo(out);
            } else {
                ((PointsRule) rule).writeTo(out);
            }
        }
    }

    /** Adds the rules written by {@link #writeTo} (to an empty book). */
    public void readFrom(final StateReader in) {
        for (int i = in.i32(); i > 0; i--) {
            final int kind = in.i8();
            switch (kind) {
                case FeeRule.STORED_KIND -> put(FeeRule.readFrom(in));
                case DiscountRule.STORED_KIND -> put(DiscountRule.readFrom(in));
                case PointsRule.STORED_KIND -> put(PointsRule.readFrom(in));
                default -> throw new IllegalStateException("state corrupt: rule kind " + kind + " at offset " + in.offset());
            }
        }
    }
}
