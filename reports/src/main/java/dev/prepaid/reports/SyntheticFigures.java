package dev.prepaid.reports;

import dev.prepaid.clearing.daily.CardMeasure;
import dev.prepaid.clearing.daily.DayFigures;
import dev.prepaid.clearing.daily.FiguresFile;
import dev.prepaid.clearing.daily.Measure;
import dev.prepaid.time.CivilDate;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Figures of a made-up business day, for the report benchmark ({@link ReportTiming}) and tests: {@code merchants}
 * merchants of {@code terminalsPerMerchant} terminals each, random but plausible counts and amounts (the same for the
 * same seed), each merchant's row the sum of its terminals' plus its periodic fee and adjustments. Built as the text
 * of a figures file and read back by {@link FiguresFile#parse}, so they are figures as the switch stores them.
 */
public final class SyntheticFigures {
    /** Decline reason codes the days draw from (the ledger's Reason codes: balance, PIN, frozen, limit...). */
    static final int[] REASONS = {35, 33, 21, 36, 37, 25};

    private SyntheticFigures() {
    }

    public static String merchantId(final int i) {
        return String.format("M%014d", i);
    }

    public static String terminalId(final int merchant, final int t) {
        return String.format("T%05d%02d", merchant % 100_000, t);
    }

    public static DayFigures day(final int yyyymmdd, final long seed, final int merchants, final int terminalsPerMerchant) {
        final SplittableRandom random = new SplittableRandom(seed ^ yyyymmdd * 0x9E3779B97F4A7C15L);
        final int n = Measure.COUNT;
        final long[][] merchantValues = new long[merchants][n];
        final String[][] merchantDeclines = new String[merchants][];
        final StringBuilder terminals = new StringBuilder(merchants * terminalsPerMerchant * 120);
        final long[][] deployerValues = new long[5][n];
        final long[][] deployerDeclines = new long[5][REASONS.length];
        final boolean[] deployerSeen = new boolean[5];
        for (int m = 0; m < merchants; m++) {
            final long[] declinesOfMerchant = new long[REASONS.length];
            for (int t = 0; t < terminalsPerMerchant; t++) {
                final long[] v = terminalDay(random);
                final long[] declines = new long[REASONS.length];
                for (int r = 0; r < REASONS.length; r++) {
                    declines[r] = random.nextInt(4) == 0 ? random.nextInt(1, 4) : 0;
                    v[Measure.DECLINES.ordinal()] += declines[r];
                    declinesOfMerchant[r] += declines[r];
                }
                final int d = (m + t) % 6;
                final String deployer = d == 5 ? "" : "DEP" + d;
                if (d == 5) {
                    // a terminal of no deployer owes no share
                    v[Measure.DEPLOYER_SHARE.ordinal()] = 0;
                }
                terminals.append("T\t").append(terminalId(m, t)).append('\t').append(merchantId(m)).append('\t')
                        .append(deployer);
                values(terminals, v, declines);
                for (int i = 0; i < n; i++) {
                    merchantValues[m][i] += v[i];
                }
                if (d < 5) {
                    deployerSeen[d] = true;
                    for (int i = 0; i < n; i++) {
                        deployerValues[d][i] += v[i];
                    }
                    for (int r = 0; r < REASONS.length; r++) {
                        deployerDeclines[d][r] += declines[r];
                    }
                }
            }
            final long[] mv = merchantValues[m];
            if (yyyymmdd % 100 == 1 && m % 3 == 0) {
                mv[Measure.PERIODIC_FEES.ordinal()] = 5_000;
            }
            if (random.nextInt(20) == 0) {
                mv[Measure.ADJUSTMENTS.ordinal()] = random.nextLong(-20_000, 20_000);
            }
            mv[Measure.NET.ordinal()] += -mv[Measure.PERIODIC_FEES.ordinal()] + mv[Measure.ADJUSTMENTS.ordinal()];
            merchantDeclines[m] = new String[] {declines(declinesOfMerchant)};
        }
        final StringBuilder out = new StringBuilder(terminals.length() * 2 + 4096);
        out.append(FiguresFile.MAGIC).append('\t').append(FiguresFile.VERSION).append('\n');
        out.append("date\t").append(CivilDate.iso(CivilDate.epochDay(yyyymmdd))).append('\n');
        out.append("open\t1000\t1\t1700000000000\n");
        out.append("close\t2000\t2\t1700086400000\n");
        long fees = 0;
        for (final long[] mv : merchantValues) {
            fees += mv[Measure.FEES.ordinal()] + mv[Measure.PERIODIC_FEES.ordinal()];
        }
        out.append("feesPosted\t").append(fees).append('\n');
        out.append("commands\t").append(merchants * terminalsPerMerchant * 40L).append('\n');
        out.append("unattributedDeclines\t0\n");
        out.append("columns");
        for (final Measure m : Measure.values()) {
            out.append('\t').append(m.key);
        }
        out.append('\n');
        for (int m = 0; m < merchants; m++) {
            out.append("M\t").append(merchantId(m));
            for (final long v : merchantValues[m]) {
                out.append('\t').append(v);
            }
            out.append('\t').append(merchantDeclines[m][0]).append('\n');
        }
        out.append(terminals);
        int deployers = 0;
        for (int d = 0; d < 5; d++) {
            if (deployerSeen[d]) {
                out.append("D\tDEP").append(d);
                values(out, deployerValues[d], deployerDeclines[d]);
                deployers++;
            }
        }
        out.append("cardColumns");
        for (final CardMeasure m : CardMeasure.values()) {
            out.append('\t').append(m.key);
        }
        out.append('\n');
        for (int type = 1; type <= 3; type++) {
            final long sold = random.nextInt(0, 200);
            final long face = sold * 10_000 * type;
            final long counter = random.nextInt(0, 100);
            out.append("C\t").append(type).append('\t').append(sold).append('\t').append(face).append('\t')
                    .append(sold * 1_000).append('\t').append(counter).append('\t').append(counter * 20_000).append('\t')
                    .append(random.nextInt(0, 50)).append('\t').append(random.nextInt(0, 500_000)).append('\t')
                    .append(random.nextInt(0, 3)).append('\t').append(random.nextInt(0, 30_000)).append('\n');
        }
        out.append("end\t").append(merchants).append('\t').append(merchants * terminalsPerMerchant).append('\t')
                .append(deployers).append('\t').append(3).append('\n');
        final byte[] body = out.toString().getBytes(StandardCharsets.UTF_8);
        final String sum = HexFormat.of().formatHex(sha256(body));
        final byte[] all = (out + "sha256\t" + sum + "\n").getBytes(StandardCharsets.UTF_8);
        return FiguresFile.parse("synthetic " + yyyymmdd, all);
    }

    private static long[] terminalDay(final SplittableRandom random) {
        final long[] v = new long[Measure.COUNT];
        final long purchases = random.nextInt(0, 40);
        final long purchaseAmount = purchases * random.nextInt(100, 30_000);
        set(v, Measure.PURCHASES, purchases);
        set(v, Measure.PURCHASE_AMOUNT, purchaseAmount);
        final long completions = random.nextInt(0, 4);
        set(v, Measure.COMPLETIONS, completions);
        set(v, Measure.COMPLETION_AMOUNT, completions * random.nextInt(1_000, 50_000));
        final long preauths = completions + random.nextInt(0, 3);
        set(v, Measure.PREAUTHS, preauths);
        set(v, Measure.PREAUTH_AMOUNT, preauths * random.nextInt(1_000, 60_000));
        final long refunds = random.nextInt(0, 3);
        set(v, Measure.REFUNDS, refunds);
        set(v, Measure.REFUND_AMOUNT, refunds * random.nextInt(100, 10_000));
        final long recharges = random.nextInt(0, 3);
        set(v, Measure.RECHARGES, recharges);
        set(v, Measure.RECHARGE_AMOUNT, recharges * 10_000);
        set(v, Measure.RECHARGE_COMMISSION, recharges * 20);
        final long voids = random.nextInt(0, 2);
        set(v, Measure.VOIDS, voids);
        set(v, Measure.VOID_AMOUNT, voids * random.nextInt(100, 10_000));
        final long reversals = random.nextInt(0, 2);
        set(v, Measure.REVERSALS, reversals);
        set(v, Measure.REVERSAL_AMOUNT, reversals * random.nextInt(100, 10_000));
        set(v, Measure.PREAUTH_CANCELS, random.nextInt(0, 2));
        set(v, Measure.BALANCE_INQUIRIES, random.nextInt(0, 5));
        set(v, Measure.BATCHES_SETTLED, 1);
        final long fees = (purchaseAmount * 35 + 5_000) / 10_000;
        set(v, Measure.FEES, fees);
        set(v, Measure.DEPLOYER_SHARE, fees / 5);
        set(v, Measure.DISCOUNTS, random.nextInt(0, 4) == 0 ? random.nextInt(0, 2_000) : 0);
        set(v, Measure.POINTS, purchaseAmount / 100);
        set(v, Measure.NET, purchaseAmount + v[Measure.COMPLETION_AMOUNT.ordinal()] - v[Measure.REFUND_AMOUNT.ordinal()]
                - v[Measure.RECHARGE_AMOUNT.ordinal()] + v[Measure.RECHARGE_COMMISSION.ordinal()] - fees);
        return v;
    }

    private static void set(final long[] v, final Measure m, final long value) {
        v[m.ordinal()] = value;
    }

    private static void values(final StringBuilder out, final long[] v, final long[] declines) {
        for (final long x : v) {
            out.append('\t').append(x);
        }
        out.append('\t').append(declines(declines)).append('\n');
    }

    private static String declines(final long[] counts) {
        final StringBuilder s = new StringBuilder();
        // ascending code, as the switch writes them
        final int[] order = REASONS.clone();
        java.util.Arrays.sort(order);
        for (final int code : order) {
            int r = 0;
            while (REASONS[r] != code) {
                r++;
            }
            if (counts[r] > 0) {
                s.append(s.length() == 0 ? "" : ",").append(code).append(':').append(counts[r]);
            }
        }
        return s.toString();
    }

    private static byte[] sha256(final byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
