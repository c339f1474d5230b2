package dev.prepaid.clearing.daily;

import static dev.prepaid.clearing.daily.Business.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepaid.command.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The figures of scripted business days, cleared by replaying the journal, against figures the test computes from the
 * contract's terms; the files they are kept in; and the reconciliation of each day, including planted differences.
 */
class DayClearingTest {
    @TempDir
    Path dir;
    private ScriptedJournal journal;
    private Business business;
    private Path clearing;

    @BeforeEach
    void setUp() {
        journal = new ScriptedJournal(dir.resolve("journal"));
        business = new Business(journal);
        clearing = dir.resolve("clearing");
    }

    @AfterEach
    void tearDown() {
        journal.close();
    }

    private DayBounds day(final int date) {
        final DayBounds bounds = CutoverIndex.scan(journal.config).day(date);
        assertThat(bounds).as("day %s in the journal", date).isNotNull();
        return bounds;
    }

    private ClearingService.Cleared clear(final int date) {
        return ClearingService.clearDay(journal.config, ScriptedJournal.LEDGER, clearing, day(date), 1_000L);
    }

    @Test
    void aDaysFiguresAreThoseOfItsTransactionsByTheContractsTerms() throws IOException {
        business.setUp();
        business.day1();
        final ClearingService.Cleared cleared = clear(DAY1);
        business.assertDay(cleared.figures());

        final DayFigures f = cleared.figures();
        assertThat(f.terminal(T1).declinesByReason()).containsEntry(Reason.INSUFFICIENT_BALANCE.code, 1)
                .containsEntry(Reason.CARD_NOT_ACTIVATED.code, 1).hasSize(2);
        assertThat(f.terminal(T3).declinesByReason()).containsExactlyEntriesOf(
                java.util.Map.of(Reason.RECHARGE_NOT_PERMITTED_AT_MERCHANT.code, 1));
        assertThat(f.terminal(T1).merchantId()).isEqualTo(SHOP);
        assertThat(f.terminal(T1).deployer()).isEqualTo("agent7");
        assertThat(f.cardTypes()).hasSize(1);
        final CardRow gift = f.cardTypes().get(0);
        assertThat(gift.get(CardMeasure.CARDS_SOLD)).isEqualTo(10);
        assertThat(gift.get(CardMeasure.FACE_VALUE)).isEqualTo(10 * FACE);
        assertThat(gift.get(CardMeasure.DEPOSITS)).isEqualTo(10 * DEPOSIT);
        assertThat(gift.get(CardMeasure.COUNTER_RECHARGES)).isEqualTo(1);
        assertThat(gift.get(CardMeasure.COUNTER_RECHARGE_AMOUNT)).isEqualTo(10_000);
        assertThat(gift.get(CardMeasure.POS_RECHARGES)).isEqualTo(1);
        assertThat(gift.get(CardMeasure.POS_RECHARGE_AMOUNT)).isEqualTo(4_000);
        assertThat(f.feesPosted()).isEqualTo(f.total(Measure.FEES)).isPositive();

        assertThat(cleared.report().balanced()).as(cleared.report().summary()).isTrue();
        assertThat(cleared.report().checks()).extracting(ReconciliationReport.Check::name).containsExactly("postings",
                "cardSubAccounts", "custody", "ledgerIdentities", "feesPosted", "merchantAccruals", "merchantNet",
                "terminalBatches", "figuresFile");
        assertThat(ClearingService.storedFigures(clearing, DAY1).merchants()).hasSize(2);
        assertThat(ClearingService.storedReport(clearing, DAY1).balanced()).isTrue();
    }

    @Test
    void theSameDayClearedTwiceGivesTheSameFiguresToTheFen() throws IOException {
        business.setUp();
        business.day1();
        business.day2();
        final byte[] first = Files.readAllBytes(FiguresFile.write(dir.resolve("a"), clear(DAY1).figures()));
        journal.snapshot(); // the second run starts from a snapshot taken after the day, not from the start
        business.day3();
        final byte[] second = Files.readAllBytes(FiguresFile.write(dir.resolve("b"),
                ClearingService.clearDay(journal.config, ScriptedJournal.LEDGER, dir.resolve("c"), day(DAY1), 2_000L).figures()));
        assertThat(second).isEqualTo(first);
        assertThat(FiguresFile.format(FiguresFile.parse("again", first))).as("read and written back").isEqualTo(first);
    }

    @Test
    void aBatchTheTerminalCountedOtherwiseFailsTheDaysReconciliation() {
        business.setUp();
        business.day1();
        business.expected.clear();
        journal.snapshot(); // day 2 is replayed from this snapshot
        business.day2();
        final ClearingService.Cleared cleared = clear(DAY2);
        business.assertDay(cleared.figures());
        final ReconciliationReport report = cleared.report();
        assertThat(report.balanced()).isFalse();
        assertThat(report.checks()).filteredOn(c -> !c.ok()).extracting(ReconciliationReport.Check::name)
                .containsExactly("terminalBatches");
        assertThat(report.batches()).singleElement().satisfies(b -> {
            assertThat(b.terminalId()).isEqualTo(T2);
            assertThat(b.batch()).isEqualTo(1);
            assertThat(b.terminalDebitCount()).isEqualTo(2);
            assertThat(b.ledgerDebitCount()).isEqualTo(3);
            assertThat(b.ledgerDebitAmount()).isEqualTo(9_300);
        });
        assertThat(report.summary()).contains("terminal " + T2 + " batch 1");
    }

    @Test
    void theCutOverThatStartsAMonthPostsThePeriodicFeeAndTheFiguresHaveIt() {
        business.setUp();
        business.day1();
        business.expected.clear();
        business.day2();
        business.expected.clear();
        business.day3();
        final ClearingService.Cleared cleared = clear(DAY3);
        business.assertDay(cleared.figures());
        assertThat(cleared.figures().feesPosted()).isEqualTo(KIOSK_MONTHLY_FEE);
        assertThat(cleared.report().balanced()).as(cleared.report().summary()).isTrue();
    }

    @Test
    void aChangedFiguresFileIsFoundByTheReconciliation() throws IOException {
        business.setUp();
        business.day1();
        clear(DAY1);
        final Path file = clearing.resolve("2026-01-29.figures");
        // changed with its checksum made to fit: only comparing with the journal finds it
        final String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        final String body = text.substring(0, text.lastIndexOf("sha256\t"));
        final String lineOfShop = body.lines().filter(l -> l.startsWith("M\t" + SHOP)).findFirst().orElseThrow();
        final String[] fields = lineOfShop.split("\t", -1);
        fields[2] = Long.toString(Long.parseLong(fields[2]) + 1); // one more purchase
        final String changed = body.replace(lineOfShop, String.join("\t", fields));
        final byte[] bytes = changed.getBytes(StandardCharsets.UTF_8);
        Files.write(file, (changed + "sha256\t" + java.util.HexFormat.of().formatHex(FiguresFile.sha256(bytes, bytes.length))
                + "\n").getBytes(StandardCharsets.UTF_8));

        final DayClearing.Result again = DayClearing.run(journal.config, ScriptedJournal.LEDGER, day(DAY1));
        final ReconciliationReport report = Reconciliation.check(again, clearing, 3_000L);
        assertThat(report.checks()).filteredOn(c -> !c.ok()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("figuresFile");
            assertThat(c.detail()).contains("line").contains(SHOP);
        });

        // changed without: its checksum says so
        Files.write(file, changed.getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> FiguresFile.read(file)).isInstanceOf(ClearingException.class).hasMessageContaining("checksum");
        assertThat(Reconciliation.check(again, clearing, 4_000L).summary()).startsWith("figuresFile: ").contains("checksum");
    }

    @Test
    void filesAreTheOwnersOnlyAndAMonthIsTheSumOfItsDays() throws IOException {
        business.setUp();
        business.day1();
        business.day2();
        business.day3();
        final DayFigures d1 = clear(DAY1).figures();
        final DayFigures d2 = clear(DAY2).figures();
        final DayFigures d3 = clear(DAY3).figures();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(clearing.resolve("2026-01-30.figures"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(clearing))).isEqualTo("rwx------");
        assertThat(ClearingService.storedDays(clearing)).containsExactly(DAY1, DAY2, DAY3);
        final List<Row> month = DayFigures.sum(List.of(d1, d2, d3), DayFigures::merchants);
        final Row shop = month.stream().filter(r -> r.id().equals(SHOP)).findFirst().orElseThrow();
        assertThat(shop.get(Measure.PURCHASES)).isEqualTo(d1.merchant(SHOP).get(Measure.PURCHASES)
                + d2.merchant(SHOP).get(Measure.PURCHASES));
        assertThat(shop.get(Measure.NET)).isEqualTo(d1.merchant(SHOP).get(Measure.NET) + d2.merchant(SHOP).get(Measure.NET));
        assertThat(d3.merchant(SHOP)).isNull();
    }

    /**
     * The merchant's net in the books after a recharge is the cash less the merchant's commission, and nothing for a
     * recharge whose cash is settled apart: the cleared figures say the same, so such a day reconciles.
     */
    @Test
    void aDayWithARechargeCommissionAndRechargesSettledApartReconciles() {
        business.setUp();
        business.day1();
        final long commission = business.dayOfLedgerRules(DAY3);
        assertThat(commission).isEqualTo(8); // 0.2 % of 40.00
        final ClearingService.Cleared cleared = clear(DAY2);
        assertThat(cleared.report().balanced()).as(cleared.report().summary()).isTrue();
        final Row t1 = cleared.figures().terminal(T1);
        assertThat(t1.get(Measure.RECHARGES)).isEqualTo(2);
        assertThat(t1.get(Measure.RECHARGE_AMOUNT)).isEqualTo(5_000);
        assertThat(t1.get(Measure.NET)).as("the commissioned recharge's cash less the commission; the one apart: none")
                .isEqualTo(-(4_000 - commission));
        // the commission is a column of its own: the one apart earns it too (0.2 % of 10.00), its cash is owed apart
        assertThat(t1.get(Measure.RECHARGE_COMMISSION)).isEqualTo(commission + 2);
        assertThat(cleared.figures().merchant(SHOP).get(Measure.RECHARGE_COMMISSION)).isEqualTo(commission + 2);
        assertThat(FiguresFile.parse("again", FiguresFile.format(cleared.figures())).terminal(T1)
                .get(Measure.RECHARGE_COMMISSION)).as("written and read back").isEqualTo(commission + 2);
    }

    /**
     * A figures file of version 1 (before the recharge commission had a column) still reads: every figure as written,
     * the commission 0. A version 1 file that names the column, or a version this build does not know, is refused.
     */
    @Test
    void aVersion1FiguresFileStillReadsWithoutTheRechargeCommission() {
        business.setUp();
        business.day1();
        business.dayOfLedgerRules(DAY3);
        final DayFigures figures = clear(DAY2).figures();
        assertThat(figures.terminal(T1).get(Measure.RECHARGE_COMMISSION)).isPositive();
        final String v2 = new String(FiguresFile.format(figures), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(v2).startsWith(FiguresFile.MAGIC + "\t2\n");
        final DayFigures read = FiguresFile.parse("v1", version1(v2, true));
        for (final Row row : figures.terminals()) {
            final Row old = read.terminal(row.id());
            for (final Measure m : Measure.values()) {
                assertThat(old.get(m)).as(row.id() + " " + m).isEqualTo(m == Measure.RECHARGE_COMMISSION ? 0 : row.get(m));
            }
            assertThat(old.declinesByReason()).isEqualTo(row.declinesByReason());
        }
        for (final Row row : figures.merchants()) {
            assertThat(read.merchant(row.id()).get(Measure.NET)).isEqualTo(row.get(Measure.NET));
            assertThat(read.merchant(row.id()).get(Measure.RECHARGE_COMMISSION)).isZero();
        }
        assertThat(read.feesPosted()).isEqualTo(figures.feesPosted());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FiguresFile.parse("v1 naming it", version1(v2, false)))
                .isInstanceOf(ClearingException.class).hasMessageContaining("rechargeCommission");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FiguresFile.parse("v3",
                withChecksum(v2.substring(0, v2.lastIndexOf("sha256\t")).replaceFirst("\t2\n", "\t3\n"))))
                .isInstanceOf(ClearingException.class).hasMessageContaining("version 3");
    }

    /** The file as version 1 wrote it: header 1, and (when {@code dropColumn}) no rechargeCommission column. */
    private static byte[] version1(final String v2, final boolean dropColumn) {
        final String[] lines = v2.substring(0, v2.lastIndexOf("sha256\t")).split("\n", -1);
        final StringBuilder out = new StringBuilder();
        int column = -1;
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i];
            if (i == 0) {
                line = FiguresFile.MAGIC + "\t1";
            }
            final java.util.List<String> fields = new java.util.ArrayList<>(java.util.List.of(line.split("\t", -1)));
            if (fields.get(0).equals("columns")) {
                column = fields.indexOf(Measure.RECHARGE_COMMISSION.key);
                if (dropColumn) {
                    fields.remove(column);
                }
            } else if (dropColumn && column > 0 && java.util.Set.of("M", "T", "D").contains(fields.get(0))) {
                // a row's values start after its naming fields, as the columns line's keys start after "columns"
                final int first = fields.get(0).equals("T") ? 4 : 2;
                fields.remove(first + column - 1);
            }
            out.append(String.join("\t", fields)).append('\n');
        }
        return withChecksum(out.toString());
    }

    private static byte[] withChecksum(final String body) {
        final byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return (body + "sha256\t" + java.util.HexFormat.of().formatHex(FiguresFile.sha256(bytes, bytes.length)) + "\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * A reversed void makes its original stand again: its money is back in the figures, but it was approved once, so
     * it is counted once among the day's approvals (the void and the reversal are counted on their own).
     */
    @Test
    void aVoidReversedLeavesItsOriginalStandingAndCountedOnce() {
        business.setUp();
        business.dayOfReversedVoids(DAY2);
        final ClearingService.Cleared cleared = clear(DAY1);
        business.assertDay(cleared.figures());
        final CardRow gift = cleared.figures().cardTypes().get(0);
        assertThat(gift.get(CardMeasure.POS_RECHARGES)).isEqualTo(1);
        assertThat(gift.get(CardMeasure.POS_RECHARGE_AMOUNT)).isEqualTo(4_000);
        assertThat(cleared.report().balanced()).as(cleared.report().summary()).isTrue();
    }

    @Test
    void aDayStillOpenOrNeverOpenedCannotBeCleared() {
        business.setUp();
        assertThat(CutoverIndex.scan(journal.config).day(DAY1)).as("still open").isNull();
        assertThat(CutoverIndex.scan(journal.config).openDay().newDate()).isEqualTo(DAY1);
    }
}
