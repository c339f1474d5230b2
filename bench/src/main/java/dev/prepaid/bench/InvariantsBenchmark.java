package dev.prepaid.bench;

import dev.prepaid.ledger.Invariants;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long the ledger thread pauses for the check of the books' identities that runs at every cut-over and
 * before a settlement is prepared or approved ({@link Invariants#firstViolation}): O(cards), every card sold.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g", "-XX:MaxDirectMemorySize=4g", "-XX:+AlwaysPreTouch"})
public class InvariantsBenchmark {
    @Param("1000000")
    public int cards;

    private LoadedLedger loaded;

    @Setup(Level.Trial)
    public void load() {
        loaded = new LoadedLedger(cards, 100, 1 << 16);
        final String violation = Invariants.firstViolation(loaded.ledger.state());
        if (violation != null) {
            throw new IllegalStateException("the loaded ledger's books do not add up: " + violation);
        }
    }

    @Benchmark
    public String check() {
        return Invariants.firstViolation(loaded.ledger.state());
    }
}
