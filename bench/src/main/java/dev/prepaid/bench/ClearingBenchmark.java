package dev.prepaid.bench;

import dev.prepaid.clearing.daily.ClearingService;
import dev.prepaid.clearing.daily.CutoverIndex;
import dev.prepaid.clearing.daily.DayBounds;
import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.Envelope;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.RecordCodec;
import dev.prepaid.journal.ChronicleJournal;
import dev.prepaid.journal.Durability;
import dev.prepaid.journal.JournalConfig;
import dev.prepaid.journal.JournalReader;
import dev.prepaid.journal.Snapshots;
import dev.prepaid.ledger.Ledger;
import dev.prepaid.ledger.LedgerConfig;
import dev.prepaid.pipeline.CommandEvent;
import dev.prepaid.time.CivilDate;
import dev.prepaid.workload.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Clearing one business day at scale: a business of {@code terminals} terminals (a merchant per ten: 100,000 terminals,
 * 10,000 merchants by default) and {@code cards} cards, a snapshot before the day, then a day of {@code transactions}
 * commands of the benchmark workload (mostly purchases; recharges, pre-auths, balance inquiries, wrong PINs, voids and
 * reversals), closed by a cut-over. Timed: finding the day in the journal by its cut-overs, then clearing it the way the
 * switch does after a cut-over — the snapshot read, the day replayed through the ledger, the figures computed and
 * written, the day reconciled (which reads the file back). The day must reconcile.
 * Run: {@code bin/prepaid clearing-bench [transactions] [terminals] [cards]} (defaults 10,000,000, 100,000 and
 * 1,000,000; about 3 GB of disk).
 */
public final class ClearingBenchmark {
    private ClearingBenchmark() {
    }

    public static void main(final String[] args) throws IOException {
        final long transactions = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        final int terminals = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        final int cards = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
        final LedgerConfig ledgerConfig = new LedgerConfig(cards, 1 << 20, 200_000, Math.max(100, terminals / 10),
                Math.max(100, terminals), 1_000, 256, 64, Math.max(1_000, terminals / 10 * 2), 1_000, 65_536, 65_536,
                4_096, 10_000, LedgerConfig.DEFAULT_AUDIT_ENTRIES);
        final Path directory = Files.createTempDirectory("clearing-bench");
        final JournalConfig config = JournalConfig.of(directory.resolve("journal"), Durability.PROCESS);
        try {
            System.out.printf("load average at start: %s%n", loadAverage());
            build(config, ledgerConfig, transactions, terminals, cards);
            System.out.printf("load average before clearing: %s%n", loadAverage());
            long started = System.nanoTime();
            final DayBounds day = CutoverIndex.scan(config).days().get(1);
            final double scanSeconds = (System.nanoTime() - started) / 1e9;
            final java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            final long cpuBefore = threads.getCurrentThreadCpuTime();
            started = System.nanoTime();
            final ClearingService.Cleared cleared = ClearingService.clearDay(config, ledgerConfig,
                    directory.resolve("clearing"), day, System.currentTimeMillis());
            final double seconds = (System.nanoTime() - started) / 1e9;
            final double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuBefore) / 1e9;
            final Path file = directory.resolve("clearing").resolve(day.iso() + ".figures");
            System.out.printf("found the day in the journal (%,d commands scanned by header) in %.1f s%n",
                    day.closeSequence(), scanSeconds);
            System.out.printf("cleared %s: %,d commands of the day (%,d replayed from the snapshot) in %.1f s (%,.0f commands/s;"
                    + " replay and figures %.1f s), %,d merchants, %,d terminals, figures file %,d bytes; reconciliation %s%n",
                    day.iso(), cleared.figures().commands(), cleared.replayed(), seconds, cleared.replayed() / seconds,
                    cleared.millis() / 1e3, cleared.figures().merchants().size(), cleared.figures().terminals().size(),
                    Files.size(file), cleared.report().balanced() ? "balanced" : "FAILED: " + cleared.report().summary());
            System.out.printf("the clearing thread's CPU time: %.1f s of the %.1f s (the rest: waiting for a core or the"
                    + " disk, and the JVM's other threads)%n", cpuSeconds, seconds);
            // For comparison: the same replay with nothing listening — what the ledger and the journal reader cost alone.
            final long cpuReplay = threads.getCurrentThreadCpuTime();
            final long replayStarted = System.nanoTime();
            final dev.prepaid.journal.Replay.Result alone = dev.prepaid.journal.Replay.run(config, ledgerConfig,
                    day.openSequence(), day.closeSequence(), true, (q, t, c, o, l, out) -> {
                    });
            System.out.printf("the same replay with no listener: %,d commands in %.1f s (CPU %.1f s)%n", alone.delivered(),
                    (System.nanoTime() - replayStarted) / 1e9, (threads.getCurrentThreadCpuTime() - cpuReplay) / 1e9);
            System.out.printf("load average at the end: %s%n", loadAverage());
            if (!cleared.report().balanced()) {
                throw new IllegalStateException("the day does not reconcile: " + cleared.report().summary());
            }
        } finally {
            try (Stream<Path> walk = Files.walk(directory)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (final IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** The business set up and snapshotted, then the day: its opening cut-over, its transactions, its closing one. */
    private static void build(final JournalConfig config, final LedgerConfig ledgerConfig, final long transactions,
            final int terminals, final int cards) throws IOException {
        final long started = System.nanoTime();
        final Workload workload = new Workload(cards, terminals, 42, 0).commandsPerDay(Long.MAX_VALUE);
        final CommandEvent event = new CommandEvent();
        final Outcome outcome = new Outcome();
        final long[] clock = {1_767_225_600_000L};
        try (ChronicleJournal journal = ChronicleJournal.open(config, () -> clock[0]++, 0, 0)) {
            Ledger ledger = new Ledger(ledgerConfig);
            for (final byte[] command : workload.setup()) {
                event.command.putBytes(0, command);
                event.length = command.length;
                journal.append(event, false);
                ledger.apply(event.command, 0, event.length, event.journalIndex, event.timestampMillis, outcome);
            }
            journal.sync();
            final long sequence = journal.nextSequence() - 1;
            Snapshots.write(config.snapshotDirectory(), ledger, new Snapshots.Position(sequence, lastIndex(config, sequence),
                    ledger.lastTimestamp()));
            ledger = null;
            System.out.printf("built: %,d terminals, %,d cards, set up through %,d commands and snapshotted in %.1f s%n",
                    terminals, cards, sequence, (System.nanoTime() - started) / 1e9);
            final long journaled = System.nanoTime();
            final int date = CivilDate.yyyymmdd(CivilDate.epochDay(workload.date()) + 1);
            cutover(journal, event, date);
            for (long i = 0; i < transactions; i++) {
                event.length = workload.next(event.command, 0);
                journal.append(event, (i & 63) == 63);
            }
            cutover(journal, event, CivilDate.yyyymmdd(CivilDate.epochDay(date) + 1));
            System.out.printf("built: a day of %,d commands journaled in %.1f s%n", transactions,
                    (System.nanoTime() - journaled) / 1e9);
        }
    }

    private static void cutover(final ChronicleJournal journal, final CommandEvent event, final int date) throws IOException {
        event.length = RecordCodec.encode(new Envelope("system", 0, "bench", ""), new AdminCommand.Cutover(date),
                event.command, 0);
        journal.append(event, true);
    }

    private static long lastIndex(final JournalConfig config, final long sequence) {
        final long[] index = {-1};
        try (JournalReader reader = new JournalReader(config)) {
            reader.read(-1, 0, 0, (s, t, c, o, l, i) -> {
                index[0] = i;
                return s < sequence;
            });
        }
        return index[0];
    }
}
