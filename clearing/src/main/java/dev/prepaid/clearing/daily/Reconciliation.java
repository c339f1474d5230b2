package dev.prepaid.clearing.daily;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reconciles a cleared business day: the ledger's books with themselves and with the day's figures as they are stored.
 * Every check is made (none stops the others), so a report says everything that is off at once. The checks, by name:
 * <ul>
 *   <li>{@code postings}: the day's postings balance (its debits = its credits);</li>
 *   <li>{@code cardSubAccounts}: the cards' available balances, holds and deposits sum to 2201, 2202 and 2204;</li>
 *   <li>{@code custody}: 1001 = 2201 + 2202 + 2203 − 1122 + in transit;</li>
 *   <li>{@code ledgerIdentities}: every identity the ledger itself checks (Invariants) holds at the close;</li>
 *   <li>{@code feesPosted}: the fees the closing cut-over posted = the figures' fees and periodic fees;</li>
 *   <li>{@code merchantAccruals}: per merchant, the fee and deployer share the ledger had accrued = the figures';</li>
 *   <li>{@code merchantNet}: per merchant, the day's movement of what it is owed in the books = the figures' net;</li>
 *   <li>{@code terminalBatches}: every batch a terminal settled (0500) that day agreed with the ledger;</li>
 *   <li>{@code figuresFile}: the stored figures file reads (version, checksum) and holds exactly these figures.</li>
 * </ul>
 */
public final class Reconciliation {
    /** Mismatches named one by one in a check's detail; the rest are counted. */
    private static final int NAMED = 5;

    private Reconciliation() {
    }

    /** Reconciles the day of {@code cleared} against the figures file stored in {@code dir}. */
    public static ReconciliationReport check(final DayClearing.Result day, final Path dir, final long nowMillis) {
        final DayFigures figures = day.figures();
        final BookFacts b = day.books();
        final List<ReconciliationReport.Check> checks = new ArrayList<>();
        checks.add(check("postings", b.dayDebits() == b.dayCredits(),
                "debits " + b.dayDebits() + ", credits " + b.dayCredits()));
        final boolean cards = b.cardValue() == b.cardsAvailable() && b.cardHolds() == b.cardsHeld()
                && b.cardDeposits() == b.cardsDeposited();
        checks.add(check("cardSubAccounts", cards, "2201 " + b.cardValue() + " / cards " + b.cardsAvailable() + ", 2202 "
                + b.cardHolds() + " / cards " + b.cardsHeld() + ", 2204 " + b.cardDeposits() + " / cards " + b.cardsDeposited()));
        final long owed = b.cardValue() + b.cardHolds() + b.merchantPayable() - b.merchantReceivable() + b.inTransit();
        checks.add(check("custody", b.custody() == owed, "1001 " + b.custody() + ", 2201 + 2202 + 2203 - 1122 + in transit = "
                + b.cardValue() + " + " + b.cardHolds() + " + " + b.merchantPayable() + " - " + b.merchantReceivable() + " + "
                + b.inTransit() + " = " + owed));
        checks.add(check("ledgerIdentities", b.identityViolation() == null,
                b.identityViolation() == null ? "all hold" : b.identityViolation()));
        final long cleared = Math.addExact(figures.total(Measure.FEES), figures.total(Measure.PERIODIC_FEES));
        checks.add(check("feesPosted", b.feesPosted() == cleared, "posted by the cut-over " + b.feesPosted()
                + ", cleared fees " + figures.total(Measure.FEES) + " + periodic " + figures.total(Measure.PERIODIC_FEES)
                + " = " + cleared));
        checks.add(merchants("merchantAccruals", figures, b, true));
        checks.add(merchants("merchantNet", figures, b, false));
        final StringBuilder batches = new StringBuilder();
        for (int i = 0; i < b.batches().size() && i < NAMED; i++) {
            batches.append(i == 0 ? "" : "; ").append(b.batches().get(i).describe());
        }
        if (b.batches().size() > NAMED) {
            batches.append("; and ").append(b.batches().size() - NAMED).append(" more");
        }
        checks.add(check("terminalBatches", b.batches().isEmpty(), b.batches().isEmpty() ? "every batch settled agrees"
                : b.batches().size() + " disagree: " + batches));
        checks.add(storedFile(figures, dir));
        return new ReconciliationReport(figures.date(), nowMillis, checks, b.batches());
    }

    private static ReconciliationReport.Check check(final String name, final boolean ok, final String detail) {
        return new ReconciliationReport.Check(name, ok, detail);
    }

    private static ReconciliationReport.Check merchants(final String name, final DayFigures figures, final BookFacts b,
            final boolean accruals) {
        final Map<String, long[]> ledger = new HashMap<>();
        for (final BookFacts.MerchantBooks m : b.merchants()) {
            ledger.put(m.merchantId(), accruals ? new long[] {m.feeAccrued(), m.shareAccrued()} : new long[] {m.activity()});
        }
        final Map<String, long[]> cleared = new HashMap<>();
        for (final Row row : figures.merchants()) {
            cleared.put(row.id(), accruals ? new long[] {row.get(Measure.FEES), row.get(Measure.DEPLOYER_SHARE)}
                    : new long[] {row.get(Measure.NET)});
        }
        final TreeSet<String> ids = new TreeSet<>(ledger.keySet());
        ids.addAll(cleared.keySet());
        final long[] zero = accruals ? new long[2] : new long[1];
        final List<String> off = new ArrayList<>();
        for (final String id : ids) {
            final long[] l = ledger.getOrDefault(id, zero);
            final long[] c = cleared.getOrDefault(id, zero);
            if (!java.util.Arrays.equals(l, c)) {
                off.add(accruals ? id + " fee " + l[0] + " / cleared " + c[0] + ", share " + l[1] + " / cleared " + c[1]
                        : id + " net " + l[0] + " / cleared " + c[0]);
            }
        }
        if (off.isEmpty()) {
            return check(name, true, ids.size() + " merchants agree");
        }
        final StringBuilder detail = new StringBuilder(off.size() + " of " + ids.size() + " merchants differ: ");
        for (int i = 0; i < off.size() && i < NAMED; i++) {
            detail.append(i == 0 ? "" : "; ").append(off.get(i));
        }
        if (off.size() > NAMED) {
            detail.append("; and ").append(off.size() - NAMED).append(" more");
        }
        return check(name, false, detail.toString());
    }

    private static ReconciliationReport.Check storedFile(final DayFigures figures, final Path dir) {
        final Path file = dir.resolve(figures.bounds().iso() + FiguresFile.SUFFIX);
        final DayFigures stored;
        try {
            stored = FiguresFile.read(file);
        } catch (final NoSuchFileException e) {
            return check("figuresFile", false, file.getFileName() + " is missing");
        } catch (final IOException | ClearingException e) {
            return check("figuresFile", false, e.getMessage());
        }
        final String[] a = new String(FiguresFile.format(stored), StandardCharsets.UTF_8).split("\n");
        final String[] c = new String(FiguresFile.format(figures), StandardCharsets.UTF_8).split("\n");
        for (int i = 0; i < Math.max(a.length, c.length); i++) {
            final String x = i < a.length ? a[i] : "(none)";
            final String y = i < c.length ? c[i] : "(none)";
            if (!x.equals(y) && !x.startsWith("sha256\t")) {
                return check("figuresFile", false, file.getFileName() + " line " + (i + 1) + " is '" + x.replace('\t', ' ')
                        + "', the journal gives '" + y.replace('\t', ' ') + "'");
            }
        }
        return check("figuresFile", true, file.getFileName() + " holds the figures the journal gives");
    }
}
