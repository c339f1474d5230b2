package dev.prepaid.bench;

import dev.prepaid.command.Outcome;
import dev.prepaid.command.PosKind;
import dev.prepaid.command.PosRequest;
import dev.prepaid.command.Reason;
import dev.prepaid.ledger.Ledger;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The ledger stage alone applying purchases: each invocation is one purchase by a random card (of
 * {@code cards} loaded) at one of {@code terminals} terminals, amount 1.00 CNY, with a percentage fee rule,
 * a deployer share and points — the full POS path from the encoded command to the filled outcome. The
 * command is written into a reused buffer first (as the I/O thread would), so that cost is included.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g", "-XX:MaxDirectMemorySize=4g", "-XX:+AlwaysPreTouch"})
public class LedgerPurchaseBenchmark {
    private static final int CARD_SAMPLE = 1 << 20;

    @Param("1000000")
    public int cards;

    @Param("1000")
    public int terminals;

    /**
     * PURCHASE is the measure; SIGN_ON (terminal checks and dispatch only) and BALANCE_INQUIRY (card checks
     * and the transaction record, no postings) split its cost.
     */
    @Param("PURCHASE")
    public PosKind kind;

    /** Fen per purchase; with few cards use 1 so the cards do not run dry during the run. */
    @Param("100")
    public long amount;

    /** Transactions kept for matching (the ring and its key index are sized from it). */
    @Param("2097152")
    public int transactionLog;

    private Ledger ledger;
    private LoadedLedger loaded;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
    private final PosRequest request = new PosRequest();
    private final Outcome out = new Outcome();
    private final long[] bodies = new long[CARD_SAMPLE];
    private final byte[] checks = new byte[CARD_SAMPLE];
    private int[] stans;
    private int next;
    private long clock;
    private long declined;

    @Setup(Level.Trial)
    public void load() {
        loaded = new LoadedLedger(cards, terminals, transactionLog);
        ledger = loaded.ledger;
        loaded.randomCards(CARD_SAMPLE, bodies, checks);
        stans = new int[terminals];
        clock = loaded.clock();
        request.wrapForEncode(buffer, 0).kind(kind).entryMode(21).amount(kind == PosKind.BALANCE_INQUIRY ? 0 : amount)
                .batch(1);
    }

    @Benchmark
    public Reason purchase() {
        final int i = next++;
        final int card = i & (CARD_SAMPLE - 1);
        final int terminal = i % terminals;
        int stan = stans[terminal] + 1;
        if (stan > 999_999) {
            stan = 1;
        }
        stans[terminal] = stan;
        request.terminalId(loaded.terminalIds[terminal])
                .merchantId(loaded.merchantHigh[terminal], loaded.merchantLow[terminal])
                .stan(stan)
                .pan(LoadedLedger.PAN_LENGTH, bodies[card], checks[card]);
        ledger.apply(buffer, 0, PosRequest.LENGTH, ++clock, out);
        if (out.reason != Reason.APPROVED) {
            declined++;
        }
        return out.reason;
    }

    @TearDown(Level.Trial)
    public void check() {
        if (declined != 0) {
            throw new IllegalStateException(declined + " purchases were declined; the benchmark must measure approvals");
        }
    }
}
