package dev.prepaid.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * The week test's own idea of what each approved transaction means for a merchant's money, written from
 * domain-rules §4–§5 and the demo's contracts alone — no ledger or clearing class is used. It is fed only what the
 * terminals and operators were told (approvals, their amounts, which original a refund or void named) and computes per
 * merchant per business day the figures clearing must produce: gross counts and amounts, voids and reversals, the fee
 * of each transaction by the merchant's rule (half-up to the fen), refund fee parts by the merchant's refund fee
 * policy, the operator-funded discount, the deployer share, adjustments, periodic fees and the net the day adds to
 * what the merchant is owed; and what a settlement batch owes each merchant under its cycle.
 */
final class WeekModel {
    enum RefundFeePolicy { NONE, PROPORTIONAL, FULL }

    enum Cycle { T_PLUS_N, THRESHOLD }

    /** A merchant's contract as the test set it up (or as config/demo/bootstrap.yaml says). */
    record Contract(String merchantId, long ratePpm, long minFen, long capFen, RefundFeePolicy refundFeePolicy,
            long periodicFen, Cycle cycle, int cycleDays, long thresholdFen,
            long discountPpm, long discountMinPurchase, long discountCap, int discountCardType) {
        /** The fee of a purchase or completion of {@code amount}: percentage half-up, then minimum, then cap. */
        long fee(final long amount) {
            long fee = halfUp(amount, ratePpm);
            fee = Math.max(fee, minFen);
            if (capFen > 0) {
                fee = Math.min(fee, capFen);
            }
            return fee;
        }

        /** The operator-funded discount of a purchase (none for completions). */
        long discount(final int cardType, final long amount) {
            if (discountPpm == 0 || cardType != discountCardType || amount < discountMinPurchase) {
                return 0;
            }
            return Math.min(Math.min(halfUp(amount, discountPpm), discountCap), amount);
        }
    }

    /** The money figures and counts of one merchant on one business day. */
    static final class Figures {
        long purchases;
        long purchaseAmount;
        long completions;
        long completionAmount;
        long refunds;
        long refundAmount;
        long recharges;
        long rechargeAmount;
        long voids;
        long voidAmount;
        long reversals;
        long reversalAmount;
        long preauths;
        long preauthAmount;
        long preauthCancels;
        long declines;
        final Map<String, Long> declinesByReason = new TreeMap<>();
        long fees;
        long periodicFees;
        long deployerShare;
        long discounts;
        long adjustments;
        /** Purchases and completions that stand, less refunds and recharges that stand. */
        long standingMoney;

        long net() {
            return standingMoney - fees - periodicFees + adjustments;
        }

        void add(final Figures o) {
            purchases += o.purchases;
            purchaseAmount += o.purchaseAmount;
            completions += o.completions;
            completionAmount += o.completionAmount;
            refunds += o.refunds;
            refundAmount += o.refundAmount;
            recharges += o.recharges;
            rechargeAmount += o.rechargeAmount;
            voids += o.voids;
            voidAmount += o.voidAmount;
            reversals += o.reversals;
            reversalAmount += o.reversalAmount;
            preauths += o.preauths;
            preauthAmount += o.preauthAmount;
            preauthCancels += o.preauthCancels;
            declines += o.declines;
            o.declinesByReason.forEach((k, v) -> declinesByReason.merge(k, v, Long::sum));
            fees += o.fees;
            periodicFees += o.periodicFees;
            deployerShare += o.deployerShare;
            discounts += o.discounts;
            adjustments += o.adjustments;
            standingMoney += o.standingMoney;
        }

        /** The figures by their clearing names (Measure keys), for comparison and messages. */
        Map<String, Long> asMap() {
            final Map<String, Long> m = new LinkedHashMap<>();
            m.put("purchases", purchases);
            m.put("purchaseAmount", purchaseAmount);
            m.put("completions", completions);
            m.put("completionAmount", completionAmount);
            m.put("refunds", refunds);
            m.put("refundAmount", refundAmount);
            m.put("recharges", recharges);
            m.put("rechargeAmount", rechargeAmount);
            m.put("voids", voids);
            m.put("voidAmount", voidAmount);
            m.put("reversals", reversals);
            m.put("reversalAmount", reversalAmount);
            m.put("preauths", preauths);
            m.put("preauthAmount", preauthAmount);
            m.put("preauthCancels", preauthCancels);
            m.put("declines", declines);
            m.put("fees", fees);
            m.put("periodicFees", periodicFees);
            m.put("deployerShare", deployerShare);
            m.put("discounts", discounts);
            m.put("adjustments", adjustments);
            m.put("net", net());
            return m;
        }
    }

    /** An approved purchase or completion: what later refunds, voids and reversals refer to. */
    static final class Sale {
        final String merchantId;
        final int day;
        final boolean completion;
        final long amount;
        final long fee;
        final long share;
        final long discount;
        long refunded;
        long feeReturned;
        long shareReturned;
        long discountReturned;
        long cardReturned;
        boolean undone;

        Sale(final String merchantId, final int day, final boolean completion, final long amount, final long fee,
                final long share, final long discount) {
            this.merchantId = merchantId;
            this.day = day;
            this.completion = completion;
            this.amount = amount;
            this.fee = fee;
            this.share = share;
            this.discount = discount;
        }

        long cardAmount() {
            return amount - discount;
        }

        long refundable() {
            return undone ? 0 : amount - refunded;
        }
    }

    /** The parts of one refund. */
    record RefundParts(long cardPart, long discountPart, long feePart, long sharePart) {
    }

    private final Map<String, Contract> contracts = new LinkedHashMap<>();
    private final Map<String, Long> shareRatePpm = new LinkedHashMap<>();
    private final Map<Integer, Map<String, Figures>> days = new TreeMap<>();

    void contract(final Contract contract) {
        contracts.put(contract.merchantId(), contract);
    }

    Contract contract(final String merchantId) {
        return contracts.get(merchantId);
    }

    /** A terminal whose deployer takes {@code ppm} of each fee (FEE_RATIO). */
    void deployerShare(final String terminalId, final long ppm) {
        shareRatePpm.put(terminalId, ppm);
    }

    Figures figures(final int day, final String merchantId) {
        return days.computeIfAbsent(day, d -> new LinkedHashMap<>()).computeIfAbsent(merchantId, m -> new Figures());
    }

    /** Half-up to the fen of {@code amount × ppm / 1,000,000} (domain-rules §4). */
    static long halfUp(final long amount, final long ppm) {
        return (amount * ppm * 2 + 1_000_000) / 2_000_000;
    }

    /** Half-up of {@code value × part / whole}. */
    static long halfUpShare(final long value, final long part, final long whole) {
        return (value * part * 2 + whole) / (2 * whole);
    }

    // ------------------------------------------------------------------ what the terminals were told

    Sale purchase(final int day, final String terminalId, final String merchantId, final int cardType,
            final long amount) {
        final Contract c = contracts.get(merchantId);
        final Figures f = figures(day, merchantId);
        f.purchases++;
        f.purchaseAmount += amount;
        final Sale sale = sale(merchantId, day, terminalId, false, amount, c.discount(cardType, amount));
        stand(f, sale, +1);
        return sale;
    }

    Sale completion(final int day, final String terminalId, final String merchantId, final long amount) {
        final Figures f = figures(day, merchantId);
        f.completions++;
        f.completionAmount += amount;
        final Sale sale = sale(merchantId, day, terminalId, true, amount, 0);
        stand(f, sale, +1);
        return sale;
    }

    private Sale sale(final String merchantId, final int day, final String terminalId, final boolean completion,
            final long amount, final long discount) {
        final long fee = contracts.get(merchantId).fee(amount);
        final long share = halfUp(fee, shareRatePpm.getOrDefault(terminalId, 0L));
        return new Sale(merchantId, day, completion, amount, fee, share, discount);
    }

    private static void stand(final Figures f, final Sale sale, final int sign) {
        f.standingMoney += sign * sale.amount;
        f.fees += sign * sale.fee;
        f.deployerShare += sign * sale.share;
        f.discounts += sign * sale.discount;
    }

    /** A purchase or completion voided (or reversed) the day it was made: it carries no fee and owes nothing. */
    void undoSale(final int day, final Sale sale, final boolean reversal) {
        final Figures f = figures(day, sale.merchantId);
        count(f, reversal, sale.amount);
        stand(f, sale, -1);
        sale.undone = true;
    }

    /** A void of {@code sale} approved and then reversed the same day: both counted, and the sale stands again. */
    void reversedVoid(final int day, final Sale sale) {
        final Figures f = figures(day, sale.merchantId);
        count(f, false, sale.amount);
        count(f, true, sale.amount);
    }

    private static void count(final Figures f, final boolean reversal, final long amount) {
        if (reversal) {
            f.reversals++;
            f.reversalAmount += amount;
        } else {
            f.voids++;
            f.voidAmount += amount;
        }
    }

    /** The parts a refund of {@code amount} of {@code original} would take, by domain-rules §4 and the policy. */
    RefundParts refundParts(final Sale original, final long amount) {
        final boolean completes = original.refunded + amount == original.amount;
        long discountPart = Math.min(halfUpShare(original.discount, amount, original.amount),
                original.discount - original.discountReturned);
        if (completes) {
            discountPart = original.discount - original.discountReturned;
        }
        final long cardPart = Math.min(amount - discountPart, original.cardAmount() - original.cardReturned);
        discountPart = amount - cardPart;
        final long feeLeft = original.fee - original.feeReturned;
        final long feePart = switch (contracts.get(original.merchantId).refundFeePolicy()) {
            case NONE -> 0;
            case FULL -> original.feeReturned == 0 ? original.fee : 0;
            case PROPORTIONAL -> completes ? feeLeft : Math.min(halfUpShare(original.fee, amount, original.amount),
                    feeLeft);
        };
        final long sharePart = feePart == feeLeft ? original.share - original.shareReturned
                : halfUpShare(original.share, feePart, original.fee);
        return new RefundParts(cardPart, discountPart, feePart, sharePart);
    }

    /** An approved refund (its merchant is the original's); returns its parts. */
    RefundParts refund(final int day, final Sale original, final long amount) {
        final RefundParts parts = refundParts(original, amount);
        final Figures f = figures(day, original.merchantId);
        f.refunds++;
        f.refundAmount += amount;
        f.standingMoney -= amount;
        f.fees -= parts.feePart();
        f.deployerShare -= parts.sharePart();
        f.discounts -= parts.discountPart();
        original.refunded += amount;
        original.feeReturned += parts.feePart();
        original.shareReturned += parts.sharePart();
        original.discountReturned += parts.discountPart();
        original.cardReturned += parts.cardPart();
        return parts;
    }

    /** A refund approved and then reversed the same day: counted, and nothing of it stands. */
    void reversedRefund(final int day, final String merchantId, final long amount) {
        final Figures f = figures(day, merchantId);
        f.refunds++;
        f.refundAmount += amount;
        count(f, true, amount);
    }

    /** An approved recharge at a merchant's terminal: the merchant took the cash, so it owes it (no commission rule). */
    void recharge(final int day, final String merchantId, final long amount) {
        final Figures f = figures(day, merchantId);
        f.recharges++;
        f.rechargeAmount += amount;
        f.standingMoney -= amount;
    }

    void undoRecharge(final int day, final String merchantId, final long amount, final boolean reversal) {
        final Figures f = figures(day, merchantId);
        count(f, reversal, amount);
        f.standingMoney += amount;
    }

    void preauth(final int day, final String merchantId, final long amount) {
        final Figures f = figures(day, merchantId);
        f.preauths++;
        f.preauthAmount += amount;
    }

    void preauthCancel(final int day, final String merchantId) {
        figures(day, merchantId).preauthCancels++;
    }

    void decline(final int day, final String merchantId, final String reason) {
        final Figures f = figures(day, merchantId);
        f.declines++;
        f.declinesByReason.merge(reason, 1L, Long::sum);
    }

    /** A merchant adjustment approved by a second operator (a credit: positive). */
    void adjustment(final int day, final String merchantId, final long amount) {
        figures(day, merchantId).adjustments += amount;
    }

    /** The cut-over closing {@code day} opens a new month: each merchant's periodic fee is due with it. */
    void monthStarts(final int day) {
        for (final Contract c : contracts.values()) {
            if (c.periodicFen() > 0) {
                figures(day, c.merchantId()).periodicFees += c.periodicFen();
            }
        }
    }

    // ------------------------------------------------------------------ reading the model

    List<Integer> days() {
        return new ArrayList<>(days.keySet());
    }

    List<String> merchants() {
        return new ArrayList<>(contracts.keySet());
    }

    Figures week(final String merchantId, final int fromDay, final int toDay) {
        final Figures sum = new Figures();
        days.forEach((day, merchants) -> {
            if (day >= fromDay && day <= toDay && merchants.containsKey(merchantId)) {
                sum.add(merchants.get(merchantId));
            }
        });
        return sum;
    }

    /**
     * What a settlement prepared on {@code today} (a working day, before any of today's activity) owes the merchant
     * by domain-rules §5: the net owed (all activity less what was paid) less the activity of the days its cycle does
     * not pay yet when that is positive, never below zero; a threshold cycle pays all of the net once it reaches the
     * threshold. {@code workingDay} says which epoch days are working days; days are epoch days.
     */
    long due(final String merchantId, final int today, final long paid, final IntPredicate workingDay) {
        final Contract c = contracts.get(merchantId);
        long net = -paid;
        long notYetDue = 0;
        for (final Map.Entry<Integer, Map<String, Figures>> e : days.entrySet()) {
            final int day = e.getKey();
            final Figures f = e.getValue().get(merchantId);
            if (f == null || day > today) {
                continue;
            }
            net += f.net();
            if (c.cycle() == Cycle.T_PLUS_N) {
                int working = 0;
                for (int d = day + 1; d <= today; d++) {
                    working += workingDay.test(d) ? 1 : 0;
                }
                if (working < c.cycleDays()) {
                    notYetDue += f.net();
                }
            }
        }
        if (c.cycle() == Cycle.THRESHOLD) {
            return net >= c.thresholdFen() ? net : 0;
        }
        return Math.max(0, net - Math.max(0, notYetDue));
    }
}
