package dev.prepaid.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepaid.clearing.daily.CardMeasure;
import dev.prepaid.clearing.daily.CardRow;
import dev.prepaid.clearing.daily.DayFigures;
import dev.prepaid.clearing.daily.Measure;
import dev.prepaid.clearing.daily.Row;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each report's lines and totals against sums the test makes itself from the figures of the days. */
class ReportsTest {
    @TempDir
    Path dir;
    private List<DayFigures> days;

    @BeforeEach
    void figures() throws IOException {
        days = ReportFixture.write(dir);
        assertThat(days).extracting(DayFigures::date).containsExactly(20261129, 20261130, 20261201);
    }

    private long merchantSum(final Measure m, final String merchant) {
        long sum = 0;
        for (final DayFigures day : days) {
            for (final Row row : day.merchants()) {
                if (merchant == null || row.id().equals(merchant)) {
                    sum += row.get(m);
                }
            }
        }
        return sum;
    }

    private long terminalSum(final Measure m, final String terminal) {
        long sum = 0;
        for (final DayFigures day : days) {
            for (final Row row : day.terminals()) {
                if (terminal == null || row.id().equals(terminal)) {
                    sum += row.get(m);
                }
            }
        }
        return sum;
    }

    private static int col(final Table t, final String key) {
        for (int i = 0; i < t.columns().size(); i++) {
            if (t.columns().get(i).key().equals(key)) {
                return i;
            }
        }
        throw new AssertionError("no column " + key);
    }

    private static long total(final Table t, final String key) {
        return (Long) t.totals().get(col(t, key));
    }

    private static long sumOfRows(final Table t, final String key) {
        long sum = 0;
        final int c = col(t, key);
        for (final List<Object> row : t.rows()) {
            sum += row.get(c) == null ? 0 : (Long) row.get(c);
        }
        return sum;
    }

    @Test
    void merchantSummaryHasOneLinePerMerchantAndTotalsOfTheDays() {
        final Table t = Reports.build(ReportKind.MERCHANT_SUMMARY, ReportFixture.RANGE, Filter.ALL, days);
        assertThat(t.rows()).hasSize(ReportFixture.MERCHANTS);
        assertThat(t.missingDays()).containsExactly(20261128);
        for (final String key : new String[] {"purchases", "purchaseAmount", "refundAmount", "voidAmount", "fees",
            "periodicFees", "deployerShare", "discounts", "points", "adjustments", "net", "declines", "recharges",
            "rechargeAmount", "rechargeCommission"}) {
            final Measure m = Measure.ofKey(key);
            assertThat(total(t, key)).as(key).isEqualTo(merchantSum(m, null)).isEqualTo(sumOfRows(t, key));
        }
        // one merchant's line, summed by hand
        final String m2 = SyntheticFigures.merchantId(2);
        final List<Object> line = t.rows().stream().filter(r -> r.get(0).equals(m2)).findFirst().orElseThrow();
        assertThat(line.get(col(t, "purchaseAmount"))).isEqualTo(merchantSum(Measure.PURCHASE_AMOUNT, m2));
        assertThat(line.get(col(t, "net"))).isEqualTo(merchantSum(Measure.NET, m2));
        // the rate of the totals is of the summed counts
        long approved = 0;
        for (final Measure m : new Measure[] {Measure.PURCHASES, Measure.VOIDS, Measure.REVERSALS, Measure.RECHARGES,
            Measure.REFUNDS, Measure.PREAUTHS, Measure.COMPLETIONS, Measure.PREAUTH_CANCELS, Measure.BALANCE_INQUIRIES}) {
            approved += merchantSum(m, null);
        }
        final long attempts = approved + merchantSum(Measure.DECLINES, null);
        assertThat(t.totals().get(col(t, "successRate"))).isEqualTo(new BigDecimal(approved * 100)
                .divide(new BigDecimal(attempts), 2, java.math.RoundingMode.HALF_UP));
        assertThat(merchantSum(Measure.PERIODIC_FEES, null)).as("the fixture has a month's first day").isPositive();
        assertThat(merchantSum(Measure.RECHARGE_COMMISSION, null)).as("the fixture's recharges earn a commission").isPositive();
        assertThat(t.columns().get(col(t, "rechargeCommission")).title()).isEqualTo("Recharge commission");
        assertThat(col(t, "rechargeCommission")).as("beside the recharges").isEqualTo(col(t, "rechargeAmount") + 1);
    }

    @Test
    void dailyAndMonthlyDetailSplitTheSameTotals() {
        final Table summary = Reports.build(ReportKind.MERCHANT_SUMMARY, ReportFixture.RANGE, Filter.ALL, days);
        final Table daily = Reports.build(ReportKind.MERCHANT_DAILY, ReportFixture.RANGE, Filter.ALL, days);
        final Table monthly = Reports.build(ReportKind.MERCHANT_MONTHLY, ReportFixture.RANGE, Filter.ALL, days);
        assertThat(daily.rows()).hasSize(3 * ReportFixture.MERCHANTS);
        assertThat(monthly.rows()).hasSize(2 * ReportFixture.MERCHANTS);
        assertThat(monthly.rows()).extracting(r -> r.get(0)).containsOnly("2026-11", "2026-12");
        assertThat(daily.rows().get(0).subList(0, 2)).containsExactly("2026-11-29", SyntheticFigures.merchantId(0));
        for (final String key : new String[] {"purchaseAmount", "fees", "net", "points"}) {
            assertThat(total(daily, key)).isEqualTo(total(summary, key)).isEqualTo(total(monthly, key))
                    .isEqualTo(sumOfRows(monthly, key));
        }
        // December is one day: its lines are that day's merchant rows
        final DayFigures december = days.get(2);
        final long decemberPurchases = monthly.rows().stream().filter(r -> r.get(0).equals("2026-12"))
                .mapToLong(r -> (Long) r.get(col(monthly, "purchaseAmount"))).sum();
        assertThat(decemberPurchases).isEqualTo(december.total(Measure.PURCHASE_AMOUNT));
    }

    @Test
    void terminalReportsAndFilters() {
        final Table all = Reports.build(ReportKind.TERMINAL_SUMMARY, ReportFixture.RANGE, Filter.ALL, days);
        assertThat(all.rows()).hasSize(ReportFixture.MERCHANTS * ReportFixture.TERMINALS);
        assertThat(total(all, "purchaseAmount")).isEqualTo(terminalSum(Measure.PURCHASE_AMOUNT, null));
        assertThat(total(all, "rechargeCommission")).isEqualTo(terminalSum(Measure.RECHARGE_COMMISSION, null))
                .isEqualTo(sumOfRows(all, "rechargeCommission")).isPositive();
        final String m3 = SyntheticFigures.merchantId(3);
        final Table ofMerchant = Reports.build(ReportKind.TERMINAL_DAILY, ReportFixture.RANGE, new Filter(m3, null), days);
        assertThat(ofMerchant.rows()).hasSize(3 * ReportFixture.TERMINALS).allMatch(r -> r.get(2).equals(m3));
        final String t31 = SyntheticFigures.terminalId(3, 1);
        final Table oneTerminal = Reports.build(ReportKind.TERMINAL_SUMMARY, ReportFixture.RANGE, new Filter(null, t31), days);
        assertThat(oneTerminal.rows()).hasSize(1);
        assertThat(total(oneTerminal, "fees")).isEqualTo(terminalSum(Measure.FEES, t31));
        // a merchant report filtered by terminal: that terminal's figures, under its merchant
        final Table merchantOfTerminal = Reports.build(ReportKind.MERCHANT_SUMMARY, ReportFixture.RANGE,
                new Filter(null, t31), days);
        assertThat(merchantOfTerminal.rows()).singleElement().satisfies(r -> assertThat(r.get(0)).isEqualTo(m3));
        assertThat(total(merchantOfTerminal, "purchaseAmount")).isEqualTo(terminalSum(Measure.PURCHASE_AMOUNT, t31));
        // a merchant filter: only its line
        final Table merchant = Reports.build(ReportKind.MERCHANT_SUMMARY, ReportFixture.RANGE, new Filter(m3, null), days);
        assertThat(merchant.rows()).singleElement().satisfies(r -> assertThat(r.get(0)).isEqualTo(m3));
        assertThat(total(merchant, "net")).isEqualTo(merchantSum(Measure.NET, m3));
        // another merchant's terminal under a merchant filter: nothing
        final Table none = Reports.build(ReportKind.TERMINAL_SUMMARY, ReportFixture.RANGE,
                new Filter(m3, SyntheticFigures.terminalId(4, 0)), days);
        assertThat(none.rows()).isEmpty();
        assertThat(total(none, "purchaseAmount")).isZero();
    }

    @Test
    void transactionTypesDeclinesAndRates() {
        final Table types = Reports.build(ReportKind.TRANSACTION_TYPES, ReportFixture.RANGE, Filter.ALL, days);
        assertThat(types.rows()).extracting(r -> r.get(0)).startsWith("Purchase", "Void", "Reversal", "Recharge",
                "Refund", "Pre-authorisation", "Completion");
        final Map<String, Measure[]> expected = Map.of("Purchase", new Measure[] {Measure.PURCHASES, Measure.PURCHASE_AMOUNT},
                "Void", new Measure[] {Measure.VOIDS, Measure.VOID_AMOUNT},
                "Refund", new Measure[] {Measure.REFUNDS, Measure.REFUND_AMOUNT},
                "Completion", new Measure[] {Measure.COMPLETIONS, Measure.COMPLETION_AMOUNT});
        for (final List<Object> row : types.rows()) {
            final Measure[] m = expected.get(row.get(0));
            if (m != null) {
                assertThat(row.get(1)).isEqualTo(merchantSum(m[0], null));
                assertThat(row.get(2)).isEqualTo(merchantSum(m[1], null));
            }
        }
        assertThat(total(types, "count")).isEqualTo(sumOfRows(types, "count"));

        final Table reasons = Reports.build(ReportKind.DECLINE_REASONS, ReportFixture.RANGE, Filter.ALL, days);
        final Map<String, Long> byCode = new HashMap<>();
        for (final DayFigures day : days) {
            for (final Row row : day.merchants()) {
                row.declinesByReason().forEach((code, n) -> byCode.merge(Integer.toString(code), (long) n, Long::sum));
            }
        }
        assertThat(reasons.rows()).hasSize(byCode.size());
        for (final List<Object> row : reasons.rows()) {
            assertThat(row.get(2)).isEqualTo(byCode.get((String) row.get(0)));
        }
        assertThat(reasons.rows().get(0).get(2)).isEqualTo(byCode.values().stream().mapToLong(Long::longValue).max()
                .orElseThrow());
        assertThat(reasons.rows()).extracting(r -> r.get(1)).contains("INSUFFICIENT_BALANCE", "PIN_WRONG");
        assertThat(total(reasons, "declines")).isEqualTo(merchantSum(Measure.DECLINES, null));
        assertThat(reasons.totals().get(3)).isEqualTo(new BigDecimal("100.00"));

        final Table rates = Reports.build(ReportKind.SUCCESS_RATES, ReportFixture.RANGE, Filter.ALL, days);
        assertThat(rates.rows()).hasSize(ReportFixture.MERCHANTS);
        assertThat(total(rates, "declined")).isEqualTo(merchantSum(Measure.DECLINES, null));
        assertThat(total(rates, "attempts")).isEqualTo(total(rates, "approved") + total(rates, "declined"));
        final BigDecimal success = (BigDecimal) rates.totals().get(col(rates, "successRate"));
        final BigDecimal failure = (BigDecimal) rates.totals().get(col(rates, "failureRate"));
        assertThat(success.add(failure)).isBetween(new BigDecimal("99.99"), new BigDecimal("100.01"));
        assertThat(rates.totals().get(col(rates, "topReason"))).isEqualTo(reasons.rows().get(0).get(1));
    }

    @Test
    void feesSharesPointsAndCards() {
        final Table fees = Reports.build(ReportKind.FEES, ReportFixture.RANGE, Filter.ALL, days);
        final long all = merchantSum(Measure.FEES, null) + merchantSum(Measure.PERIODIC_FEES, null);
        assertThat(total(fees, "totalFees")).isEqualTo(all).isEqualTo(sumOfRows(fees, "totalFees"));
        assertThat(total(fees, "feesAfterShare")).isEqualTo(all - merchantSum(Measure.DEPLOYER_SHARE, null));

        final Table shares = Reports.build(ReportKind.DEPLOYER_SHARES, ReportFixture.RANGE, Filter.ALL, days);
        long share = 0;
        for (final DayFigures day : days) {
            for (final Row row : day.deployers()) {
                share += row.get(Measure.DEPLOYER_SHARE);
            }
        }
        assertThat(total(shares, "deployerShare")).isEqualTo(share).isEqualTo(sumOfRows(shares, "deployerShare"));
        assertThat(shares.rows()).extracting(r -> r.get(0)).allMatch(d -> ((String) d).startsWith("DEP"));

        final Table points = Reports.build(ReportKind.POINTS, ReportFixture.RANGE, Filter.ALL, days);
        assertThat(total(points, "points")).isEqualTo(merchantSum(Measure.POINTS, null));
        assertThat(total(points, "discounts")).isEqualTo(merchantSum(Measure.DISCOUNTS, null));

        final Table cards = Reports.build(ReportKind.CARD_ISSUANCE, ReportFixture.RANGE, Filter.ALL, days);
        final Table cardsMonthly = Reports.build(ReportKind.CARD_ISSUANCE_MONTHLY, ReportFixture.RANGE, Filter.ALL, days);
        long face = 0;
        long sold = 0;
        for (final DayFigures day : days) {
            for (final CardRow row : day.cardTypes()) {
                face += row.get(CardMeasure.FACE_VALUE);
                sold += row.get(CardMeasure.CARDS_SOLD);
            }
        }
        assertThat(cards.rows()).hasSize(3 * 3);
        assertThat(cardsMonthly.rows()).hasSize(2 * 3);
        assertThat(total(cards, "faceValue")).isEqualTo(face).isEqualTo(total(cardsMonthly, "faceValue"));
        assertThat(total(cards, "cardsSold")).isEqualTo(sold).isEqualTo(sumOfRows(cardsMonthly, "cardsSold"));
    }

    @Test
    void badInputNamesTheParameter() {
        assertThatThrownBy(() -> ReportKind.of("merchant-sumary")).isInstanceOf(ReportException.class)
                .hasMessageContaining("merchant-summary").extracting(e -> ((ReportException) e).field()).isEqualTo("kind");
        assertThatThrownBy(() -> DateRange.parse("2026-13-01", "2026-12-31")).extracting(e -> ((ReportException) e).field())
                .isEqualTo("from");
        assertThatThrownBy(() -> DateRange.parse("2026-12-01", "2026/12/31")).extracting(e -> ((ReportException) e).field())
                .isEqualTo("to");
        assertThatThrownBy(() -> DateRange.parse("2026-12-01", null)).hasMessageContaining("to is required");
        assertThatThrownBy(() -> DateRange.parse("2026-12-02", "2026-12-01")).hasMessageContaining("after")
                .extracting(e -> ((ReportException) e).field()).isEqualTo("from");
        assertThat(DateRange.parse("2024-01-01", "2024-12-31").days()).hasSize(366);
        assertThatThrownBy(() -> DateRange.parse("2025-01-01", "2026-01-02")).hasMessageContaining("at most 366")
                .extracting(e -> ((ReportException) e).field()).isEqualTo("to");
        assertThatThrownBy(() -> new Filter("", null)).extracting(e -> ((ReportException) e).field()).isEqualTo("merchant");
        assertThatThrownBy(() -> new Filter(null, "TOOLONG-TERMINAL")).extracting(e -> ((ReportException) e).field())
                .isEqualTo("terminal");
        assertThatThrownBy(() -> Reports.build(ReportKind.CARD_ISSUANCE, ReportFixture.RANGE, new Filter("M1", null), days))
                .hasMessageContaining("per card type").extracting(e -> ((ReportException) e).field()).isEqualTo("merchant");
    }

    @Test
    void yuanIsExact() {
        assertThat(Yuan.format(0)).isEqualTo("0.00");
        assertThat(Yuan.format(5)).isEqualTo("0.05");
        assertThat(Yuan.format(-5)).isEqualTo("-0.05");
        assertThat(Yuan.format(123456)).isEqualTo("1234.56");
        assertThat(Yuan.format(-100)).isEqualTo("-1.00");
        assertThat(Yuan.format(Long.MAX_VALUE)).isEqualTo("92233720368547758.07");
        assertThat(Yuan.format(Long.MIN_VALUE)).isEqualTo("-92233720368547758.08");
        for (final long fen : new long[] {0, 1, -1, 99, 100, -12345, 900719925474099312L}) {
            assertThat(Yuan.parse(Yuan.format(fen))).isEqualTo(fen);
        }
        assertThatThrownBy(() -> Yuan.parse("1.5")).isInstanceOf(IllegalArgumentException.class);
    }
}
