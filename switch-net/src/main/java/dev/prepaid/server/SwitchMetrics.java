package dev.prepaid.server;

import dev.prepaid.command.CommandType;
import dev.prepaid.command.PosKind;
import dev.prepaid.command.ResponseCode;
import dev.prepaid.pipeline.LedgerHoldWatch;
import dev.prepaid.txn.TransactionLog;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counters and latencies of the POS side, exposed as Prometheus text: transactions by kind and response code
 * (answered by the ledger or refused at the door), end-to-end latency from frame received to reply encoded,
 * ring occupancy, connections. Written by the I/O and reply threads without locks.
 */
final class SwitchMetrics {
    private static final PosKind[] KINDS = PosKind.values();
    private static final CommandType[] TYPES = CommandType.values();
    private static final ResponseCode[] CODES = ResponseCode.values();

    private final AtomicLongArray transactions = new AtomicLongArray((KINDS.length + 1) * CODES.length);
    private final Recorder latency = new Recorder(1_000, 60_000_000_000L, 3);
    private final Histogram accumulated = new Histogram(1_000, 60_000_000_000L, 3);
    final AtomicInteger connections = new AtomicInteger();
    final AtomicLong connectionsRefused = new AtomicLong();
    final AtomicLong protocolErrors = new AtomicLong();
    final AtomicLong busyRefusals = new AtomicLong();
    final AtomicLong slowReaders = new AtomicLong();
    /** 1 while the last check of the books (at start or at a cut-over) found an identity that does not hold. */
    final AtomicInteger booksOutOfBalance = new AtomicInteger();
    /** Business days cleared and reconciled since start; days whose clearing failed; the last day's figures. */
    final AtomicLong clearingDays = new AtomicLong();
    final AtomicLong clearingFailures = new AtomicLong();
    final AtomicInteger clearingLastDate = new AtomicInteger();
    final AtomicLong clearingLastMillis = new AtomicLong();
    /** Reconciliations since start that found a difference. */
    final AtomicLong reconciliationFailures = new AtomicLong();
    /** The business days whose failed reconciliation holds settlement now (the ledger's, after the last record). */
    final AtomicInteger reconciliationHeldDays = new AtomicInteger();
    private final Recorder ledgerHolds = new Recorder(1_000, 60_000_000_000L, 3);
    private final Histogram ledgerHoldsAccumulated = new Histogram(1_000, 60_000_000_000L, 3);
    /** Holds over a millisecond by command type ordinal, reads in the last slot: which work it was. */
    private final AtomicLongArray ledgerHoldsOverMillisecond = new AtomicLongArray(CommandType.values().length + 1);
    // Written by the ledger thread only; a scrape may pair a new length with the previous type for one scrape.
    private volatile long longestLedgerHoldNanos;
    private volatile int longestLedgerHoldType;
    /**
     * With {@code -Dprepaid.ledgerHoldClock=cpu} the holds are the ledger thread's CPU time instead of wall time: a
     * diagnosis that tells a command's own work from the pauses it suffered (GC, a core taken by another thread).
     * It costs a system call per read of the clock, so it is not the default.
     */
    private static final boolean HOLDS_IN_CPU_TIME = "cpu".equals(System.getProperty("prepaid.ledgerHoldClock"));
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /** What the pipeline tells about operator commands, system commands and reads holding the ledger stage. */
    final LedgerHoldWatch ledgerHoldWatch = new LedgerHoldWatch() {
        @Override
        public long nanoTime() {
            return HOLDS_IN_CPU_TIME ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
        }

        @Override
        public void held(final int commandType, final long nanos) {
            ledgerHolds.recordValue(Math.max(1_000, Math.min(nanos, 60_000_000_000L)));
            if (nanos > 1_000_000) {
                final CommandType type = commandType == READ ? null : CommandType.ofCode(commandType);
                ledgerHoldsOverMillisecond.incrementAndGet(type == null ? TYPES.length : type.ordinal());
            }
            if (nanos > longestLedgerHoldNanos) {
                longestLedgerHoldType = commandType;
                longestLedgerHoldNanos = nanos;
            }
        }
    };
    private final LongSupplier ringFree;
    private final int ringSize;
    private final TransactionLog transactionLog;
    private final IntSupplier businessDay;

    /**
     * @param transactionLog the live ledger's, read without synchronisation: a scrape may see it a few commands
     *        old, which is all a gauge needs
     * @param businessDay the live ledger's business day, the unit of the transaction records' days
     */
    SwitchMetrics(final LongSupplier ringFree, final int ringSize, final TransactionLog transactionLog,
            final IntSupplier businessDay) {
        this.ringFree = ringFree;
        this.ringSize = ringSize;
        this.transactionLog = transactionLog;
        this.businessDay = businessDay;
    }

    void count(final PosKind kind, final ResponseCode code) {
        final int row = kind == null ? KINDS.length : kind.ordinal();
        transactions.incrementAndGet(row * CODES.length + code.ordinal());
    }

    void latency(final long nanos) {
        if (nanos > 0) {
            latency.recordValue(Math.min(nanos, 60_000_000_000L));
        }
    }

    long transactions(final PosKind kind, final ResponseCode code) {
        return transactions.get((kind == null ? KINDS.length : kind.ordinal()) * CODES.length + code.ordinal());
    }

    /** Latency percentiles (seconds) since start. */
    synchronized double latencySeconds(final double percentile) {
        accumulated.add(latency.getIntervalHistogram());
        return accumulated.getTotalCount() == 0 ? 0 : accumulated.getValueAtPercentile(percentile) / 1e9;
    }

    synchronized long latencyCount() {
        accumulated.add(latency.getIntervalHistogram());
        return accumulated.getTotalCount();
    }

    /**
     * How full the transaction log is and how far back it reaches. Voids, refunds, reversals and duplicate
     * recognition need the original's record: when the log is full and its oldest record is younger than the
     * refund window (parameter refundWindowDays), refunds of older purchases are already being declined — the
     * log needs more capacity (docs/configuration.md, "Sizing the transaction log").
     */
    private void transactionLog(final StringBuilder out) {
        final long oldest = transactionLog.oldestRrn();
        final long records = transactionLog.nextRrn() - oldest;
        out.append("# HELP prepaid_transaction_log_capacity transaction records the ledger keeps\n")
                .append("# TYPE prepaid_transaction_log_capacity gauge\n")
                .append("prepaid_transaction_log_capacity ").append(transactionLog.capacity()).append('\n');
        out.append("# HELP prepaid_transaction_log_records transaction records kept now\n")
                .append("# TYPE prepaid_transaction_log_records gauge\n")
                .append("prepaid_transaction_log_records ").append(records).append('\n');
        final int slot = records > 0 ? transactionLog.slotOfRrn(oldest) : -1;
        if (slot >= 0) {
            out.append("# HELP prepaid_transaction_log_oldest_age_days business days since the oldest kept record\n")
                    .append("# TYPE prepaid_transaction_log_oldest_age_days gauge\n")
                    .append("prepaid_transaction_log_oldest_age_days ")
                    .append(Math.max(0, businessDay.getAsInt() - transactionLog.day(slot))).append('\n');
        }
    }

    /** Percentiles of the ledger holds since start (seconds), 100 for the longest. */
    synchronized double ledgerHoldSeconds(final double percentile) {
        ledgerHoldsAccumulated.add(ledgerHolds.getIntervalHistogram());
        return ledgerHoldsAccumulated.getTotalCount() == 0 ? 0
                : ledgerHoldsAccumulated.getValueAtPercentile(percentile) / 1e9;
    }

    synchronized long ledgerHoldCount() {
        ledgerHoldsAccumulated.add(ledgerHolds.getIntervalHistogram());
        return ledgerHoldsAccumulated.getTotalCount();
    }

    /**
     * How long operator and system commands and reads held the ledger stage, POS commands waiting behind them:
     * what shows whether bulk work (card generation, batch sales, paged reads, the cut-over) pauses terminals.
     */
    private void ledgerHolds(final StringBuilder out) {
        out.append("# HELP prepaid_ledger_hold_seconds time an operator or system command, or a read, held the ledger"
                + " stage (POS commands wait behind it)\n").append("# TYPE prepaid_ledger_hold_seconds summary\n");
        final String[] labels = {"0.5", "0.99", "1"};
        final double[] percentiles = {50, 99, 100};
        for (int i = 0; i < labels.length; i++) {
            out.append("prepaid_ledger_hold_seconds{quantile=\"").append(labels[i]).append("\"} ")
                    .append(String.format(java.util.Locale.ROOT, "%.6f", ledgerHoldSeconds(percentiles[i]))).append('\n');
        }
        out.append("prepaid_ledger_hold_seconds_count ").append(ledgerHoldCount()).append('\n');
        out.append("# HELP prepaid_ledger_holds_over_1ms_total operator or system commands and reads that held the"
                + " ledger stage for more than a millisecond, by command type (READ for reads)\n"
                + "# TYPE prepaid_ledger_holds_over_1ms_total counter\n");
        long over = 0;
        for (int t = 0; t <= TYPES.length; t++) {
            final long n = ledgerHoldsOverMillisecond.get(t);
            over += n;
            if (n > 0) {
                out.append("prepaid_ledger_holds_over_1ms_total{by=\"").append(t == TYPES.length ? "READ" : TYPES[t].name())
                        .append("\"} ").append(n).append('\n');
            }
        }
        out.append("prepaid_ledger_holds_over_1ms_total ").append(over).append('\n');
        final long longest = longestLedgerHoldNanos;
        if (longest > 0) {
            final int type = longestLedgerHoldType;
            final CommandType command = type == LedgerHoldWatch.READ ? null : CommandType.ofCode(type);
            out.append("# HELP prepaid_ledger_longest_hold_seconds the longest hold of the ledger stage since start, by"
                    + " what held it (a command type, or READ)\n# TYPE prepaid_ledger_longest_hold_seconds gauge\n")
                    .append("prepaid_ledger_longest_hold_seconds{by=\"")
                    .append(type == LedgerHoldWatch.READ ? "READ" : command == null ? "type " + type : command.name())
                    .append("\"} ").append(String.format(java.util.Locale.ROOT, "%.6f", longest / 1e9)).append('\n');
        }
    }

    /** The metrics in Prometheus text exposition format. */
    String prometheus() {
        final StringBuilder out = new StringBuilder(8_192);
        out.append("# HELP prepaid_pos_transactions_total POS requests answered, by transaction kind and response code\n")
                .append("# TYPE prepaid_pos_transactions_total counter\n");
        for (int k = 0; k <= KINDS.length; k++) {
            for (int c = 0; c < CODES.length; c++) {
                final long n = transactions.get(k * CODES.length + c);
                if (n > 0) {
                    out.append("prepaid_pos_transactions_total{kind=\"").append(k == KINDS.length ? "UNKNOWN" : KINDS[k].name())
                            .append("\",code=\"").append(CODES[c].code).append("\"} ").append(n).append('\n');
                }
            }
        }
        out.append("# HELP prepaid_pos_latency_seconds time from a request's last byte to its reply being encoded\n")
                .append("# TYPE prepaid_pos_latency_seconds summary\n");
        final String[] labels = {"0.5", "0.9", "0.99", "0.999"};
        final double[] percentiles = {50, 90, 99, 99.9};
        for (int i = 0; i < labels.length; i++) {
            out.append("prepaid_pos_latency_seconds{quantile=\"").append(labels[i]).append("\"} ")
                    .append(String.format(java.util.Locale.ROOT, "%.6f", latencySeconds(percentiles[i]))).append('\n');
        }
        out.append("prepaid_pos_latency_seconds_count ").append(latencyCount()).append('\n');
        ledgerHolds(out);
        out.append("# HELP prepaid_ring_occupancy commands waiting in the ring\n# TYPE prepaid_ring_occupancy gauge\n")
                .append("prepaid_ring_occupancy ").append(ringSize - ringFree.getAsLong()).append('\n');
        out.append("# HELP prepaid_ring_size slots in the ring\n# TYPE prepaid_ring_size gauge\n")
                .append("prepaid_ring_size ").append(ringSize).append('\n');
        transactionLog(out);
        out.append("# HELP prepaid_connections open terminal connections\n# TYPE prepaid_connections gauge\n")
                .append("prepaid_connections ").append(connections.get()).append('\n');
        out.append("# HELP prepaid_connections_refused_total connections refused (limit or allow-list)\n")
                .append("# TYPE prepaid_connections_refused_total counter\n")
                .append("prepaid_connections_refused_total ").append(connectionsRefused.get()).append('\n');
        out.append("# HELP prepaid_protocol_errors_total connections closed for a framing or protocol error\n")
                .append("# TYPE prepaid_protocol_errors_total counter\n")
                .append("prepaid_protocol_errors_total ").append(protocolErrors.get()).append('\n');
        out.append("# HELP prepaid_busy_refusals_total requests refused because the ring was full or one was in flight\n")
                .append("# TYPE prepaid_busy_refusals_total counter\n")
                .append("prepaid_busy_refusals_total ").append(busyRefusals.get()).append('\n');
        out.append("# HELP prepaid_slow_readers_total times a connection stopped reading its answers and was paused\n")
                .append("# TYPE prepaid_slow_readers_total counter\n")
                .append("prepaid_slow_readers_total ").append(slowReaders.get()).append('\n');
        out.append("# HELP prepaid_books_out_of_balance 1 while the last check of the books (start, cut-over) found an"
                        + " identity that does not hold: settlements are held\n")
                .append("# TYPE prepaid_books_out_of_balance gauge\n")
                .append("prepaid_books_out_of_balance ").append(booksOutOfBalance.get()).append('\n');
        out.append("# HELP prepaid_clearing_days_total business days cleared and reconciled since start\n")
                .append("# TYPE prepaid_clearing_days_total counter\n")
                .append("prepaid_clearing_days_total ").append(clearingDays.get()).append('\n');
        out.append("# HELP prepaid_clearing_failures_total business days that could not be cleared since start\n")
                .append("# TYPE prepaid_clearing_failures_total counter\n")
                .append("prepaid_clearing_failures_total ").append(clearingFailures.get()).append('\n');
        out.append("# HELP prepaid_clearing_last_date the business date (yyyymmdd) last cleared\n")
                .append("# TYPE prepaid_clearing_last_date gauge\n")
                .append("prepaid_clearing_last_date ").append(clearingLastDate.get()).append('\n');
        out.append("# HELP prepaid_clearing_last_seconds how long the last business day took to clear\n")
                .append("# TYPE prepaid_clearing_last_seconds gauge\n")
                .append("prepaid_clearing_last_seconds ").append(clearingLastMillis.get() / 1000.0).append('\n');
        out.append("# HELP prepaid_reconciliation_failures_total reconciliations of a cleared day that found a difference\n")
                .append("# TYPE prepaid_reconciliation_failures_total counter\n")
                .append("prepaid_reconciliation_failures_total ").append(reconciliationFailures.get()).append('\n');
        out.append("# HELP prepaid_reconciliation_held_days business days whose failed reconciliation holds settlement\n")
                .append("# TYPE prepaid_reconciliation_held_days gauge\n")
                .append("prepaid_reconciliation_held_days ").append(reconciliationHeldDays.get()).append('\n');
        return out.toString();
    }
}
