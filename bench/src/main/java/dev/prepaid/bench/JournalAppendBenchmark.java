package dev.prepaid.bench;

import dev.prepaid.journal.ChronicleJournal;
import dev.prepaid.journal.Durability;
import dev.prepaid.journal.JournalConfig;
import dev.prepaid.pipeline.CommandEvent;
import dev.prepaid.workload.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The journal stage alone: appending one command (a 132-byte purchase; a 164-byte record), in PROCESS and
 * SYNC durability, with the end of a Disruptor batch after every command (no group commit: the worst case
 * for SYNC) or after every 64 (group commit). Average time per command. The journal goes to a directory
 * under {@code java.io.tmpdir}, deleted after each trial.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class JournalAppendBenchmark {
    @Param({"PROCESS", "SYNC"})
    public Durability durability;

    private Path directory;
    private ChronicleJournal journal;
    private final CommandEvent event = new CommandEvent();

    @Setup(Level.Trial)
    public void open() throws IOException {
        directory = Files.createTempDirectory("journal-bench");
        journal = ChronicleJournal.open(JournalConfig.of(directory, durability), System::currentTimeMillis, 0, 0);
        final Workload workload = new Workload(1_000, 10, 1, 0);
        int length;
        do {
            length = workload.next(event.command, 0);
        } while (length != dev.prepaid.command.PosRequest.LENGTH);
        event.length = length;
    }

    @Benchmark
    public long appendEndingEachBatch() throws IOException {
        journal.append(event, true);
        return event.journalIndex;
    }

    @Benchmark
    @OperationsPerInvocation(64)
    public long appendInBatchesOf64() throws IOException {
        for (int i = 0; i < 63; i++) {
            journal.append(event, false);
        }
        journal.append(event, true);
        return event.journalIndex;
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        journal.close();
        try (Stream<Path> walk = Files.walk(directory)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
