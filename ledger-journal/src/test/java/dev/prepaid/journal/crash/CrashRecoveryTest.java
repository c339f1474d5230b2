package dev.prepaid.journal.crash;

import dev.prepaid.journal.Durability;
import dev.prepaid.journal.JournalConfig;
import dev.prepaid.journal.Recovery;
import dev.prepaid.journal.Replay;
import dev.prepaid.journal.Snapshots;
import dev.prepaid.ledger.Invariants;
import dev.prepaid.ledger.LedgerConfig;
import dev.prepaid.ledger.LedgerInvariantException;
import dev.prepaid.ledger.LedgerState;
import dev.prepaid.workload.Workload;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The crash test of the journal (DESIGN.md, data flow rules 1–3): a child JVM ({@link CrashChild}) runs the
 * pipeline with the real Chronicle journal under a steady stream of commands and writes every reply it
 * releases to a file; this test kills it with SIGKILL at random moments, restarts it, and checks that
 * every released reply is in the recovered state, nothing is applied or answered twice, the journal is
 * contiguous, the invariants hold, and recovery (snapshot + replay) equals a replay from scratch.
 *
 * <p>Most kills land while commands stream, 150–1500 ms after the child says "ready"; about one in six comes
 * within 40 ms of it (a cold pipeline just after recovery). While the setup is unfinished (the first runs) the
 * kill comes within 40 ms of the first released reply instead, so it lands in the setup but not while
 * Chronicle creates the day's file: a kill there leaves a file whose header was never completed, and every
 * Chronicle open, tailer and appender of the next start waits out Chronicle's 10 s timeout on it before
 * discarding it (35–50 s per restart; a known defect, reported apart, that would make this suite's run time
 * unpredictable). The summary reports restarts slower than 10 s all the same.
 *
 * <p>{@code -Dcrash.runs=N} sets the number of kills (default 20, as the journal issue asks: about 80 s on 2 cores; the root pom's
 * {@code long} profile sets 100); {@code -Dcrash.seed=S} repeats a run's choices (kill delays, durability,
 * workload) — the moment each kill lands still depends on timing;
 * {@code -Dcrash.keep=true} keeps the journal and replies files for a post-mortem.
 */
class CrashRecoveryTest {
    private static final int DEFAULT_RUNS = 20;
    private static final int CARDS = 10_000;
    private static final int TERMINALS = 200;
    /** Small enough that most restarts recover from a snapshot and replay what follows it. */
    private static final long SNAPSHOT_EVERY = 20_000;
    private static final long READY_TIMEOUT_SECONDS = 120;
    /** Early kills come this soon after "ready" (or after the first reply, while the setup is unfinished). */
    private static final long EARLY_KILL_MILLIS = 40;
    /** A restart slower than this is reported in the summary (it is not a failure). */
    private static final long SLOW_START_MILLIS = 10_000;
    /** The child's JVM: C1 only and the serial collector start it twice as fast on a 2-core machine. */
    private static final List<String> CHILD_JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    private static final Pattern RECOVERED = Pattern.compile(
            "recovered last=(\\d+) timestamp=(\\d+) snapshot=(\\S+) replayed=(\\d+) ms=(\\d+)");

    private final long seed = seed();
    private final int runs = runs();

    /** What one run did and what the kill left behind. */
    private static final class Run {
        final int number;
        final Durability durability;
        final Path repliesFile;
        long recoveredLast = -1;
        String snapshot = "none";
        long replayed;
        long recoveryMillis;
        long readyMillis;
        long delayMillis;
        boolean afterFirstReply;
        int snapshotsWritten;
        int forcedUnlocks;
        int tornTails;
        int segmentWaits;
        long firstReply = -1;
        long lastReply = -1;
        int replies;
        String tornTail;
        /** Last journal sequence after this run's kill (the next recovery's). */
        long journalEndAfterKill = -1;

        Run(final int number, final Durability durability, final Path repliesFile) {
            this.number = number;
            this.durability = durability;
            this.repliesFile = repliesFile;
        }
    }

    @Test
    void everyReleasedReplySurvivesSigkillAndRecoveryAppliesNothingTwice() throws Exception {
        System.out.println("crash test: " + runs + " runs, seed " + seed + " (repeat with -Dcrash.seed=" + seed + ")");
        final Path root = Files.createTempDirectory("crash-journal-");
        final Path journal = root.resolve("journal");
        final Path logback = root.resolve("logback-child.xml");
        Files.writeString(logback, LOGBACK_CHILD, StandardCharsets.UTF_8);
        final List<String> jvm = new ArrayList<>(ChildProcess.projectJvmFlags());
        jvm.addAll(CHILD_JVM);
        jvm.add("-Dlogback.configurationFile=" + logback);
        final int setupCommands = new Workload(CARDS, TERMINALS, 0, 0).setup().size();
        final SplittableRandom random = new SplittableRandom(seed);
        final List<Run> done = new ArrayList<>();
        final long started = System.nanoTime();
        boolean passed = false;
        ChildProcess child = null;
        try {
            for (int number = 1; number <= runs; number++) {
                final Run run = new Run(number, number % 2 == 1 ? Durability.PROCESS : Durability.SYNC,
                        root.resolve(String.format("replies-%05d.txt", number)));
                final long startNanos = System.nanoTime();
                child = ChildProcess.start(jvm, List.of(journal.toString(), run.repliesFile.toString(),
                        Integer.toString(number), Integer.toString(CARDS), Integer.toString(TERMINALS),
                        run.durability.name(), Long.toString(seed), Long.toString(SNAPSHOT_EVERY)), "crash-child-" + number);
                final String notReady = child.awaitReady(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (notReady != null) {
                    throw failure(run, notReady + "; its output:\n" + child.output());
                }
                run.readyMillis = (System.nanoTime() - startNanos) / 1_000_000;
                readRecovered(run, child);
                checkRecoveryKeptEverythingReleased(run, done);
                if (!done.isEmpty()) {
                    done.get(done.size() - 1).journalEndAfterKill = run.recoveredLast;
                }
                final boolean early = random.nextInt(6) == 0 || run.recoveredLast < setupCommands && number <= 3;
                run.delayMillis = early ? random.nextLong(EARLY_KILL_MILLIS) : 150 + random.nextLong(1_350);
                if (early && run.recoveredLast < setupCommands) {
                    // Aimed at the setup, but after the first reply: the day's journal file exists by then (see
                    // the class comment on kills while Chronicle creates it).
                    run.afterFirstReply = true;
                    final String silent = child.awaitAnswering(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    if (silent != null) {
                        throw failure(run, silent + "; its output:\n" + child.output());
                    }
                }
                if (child.endsWithin(run.delayMillis)) {
                    throw failure(run, "the child ended by itself with exit value " + child.exitValue() + " before the kill"
                            + "; its output:\n" + child.output());
                }
                final int exit = child.kill();
                if (exit != ChildProcess.SIGKILL_EXIT) {
                    throw failure(run, "the child ended with exit value " + exit + ", not by our SIGKILL ("
                            + ChildProcess.SIGKILL_EXIT + "); its output:\n" + child.output());
                }
                if (child.firstError() != null) {
                    throw failure(run, "the child reported an error before it was killed: " + child.firstError()
                            + "; its output:\n" + child.output());
                }
                run.snapshotsWritten = child.snapshotsWritten();
                run.forcedUnlocks = child.forcedUnlocks();
                run.tornTails = child.tornTails();
                run.segmentWaits = child.segmentWaits();
                child = null;
                readReplies(run);
                done.add(run);
                System.out.printf("crash test: run %d (%s) recovered to %d (snapshot %s, %d replayed) in %d ms, ready after "
                        + "%d ms, killed %d ms later: %d replies released%s%n", run.number, run.durability, run.recoveredLast,
                        run.snapshot, run.replayed, run.recoveryMillis, run.readyMillis, run.delayMillis, run.replies,
                        run.tornTail == null ? "" : ", last line torn");
            }
            final long childrenMillis = (System.nanoTime() - started) / 1_000_000;
            final long verifyStarted = System.nanoTime();
            verify(journal, done);
            summarise(done, setupCommands, journal, childrenMillis, (System.nanoTime() - verifyStarted) / 1_000_000);
            passed = true;
        } finally {
            if (child != null) {
                child.destroy();
            }
            if (passed || !Boolean.getBoolean("crash.keep")) {
                try {
                    deleteTree(root);
                } catch (final IOException | RuntimeException e) {
                    // Never hide the test's own failure behind a cleanup problem.
                    System.err.println("crash test: could not delete " + root + ": " + e);
                }
            } else {
                System.out.println("crash test: kept " + root + " (seed " + seed + ")");
            }
        }
    }

    private void readRecovered(final Run run, final ChildProcess child) {
        final String line = child.recoveredLine();
        final Matcher matcher = line == null ? null : RECOVERED.matcher(line);
        if (matcher == null || !matcher.matches()) {
            throw failure(run, "the child said ready without a well-formed recovered line ('" + line + "'); its output:\n"
                    + child.output());
        }
        run.recoveredLast = Long.parseLong(matcher.group(1));
        run.snapshot = matcher.group(3);
        run.replayed = Long.parseLong(matcher.group(4));
        run.recoveryMillis = Long.parseLong(matcher.group(5));
    }

    /** At each restart: the journal recovered holds every reply released before, and it never shrinks. */
    private void checkRecoveryKeptEverythingReleased(final Run run, final List<Run> before) {
        if (before.isEmpty()) {
            if (run.recoveredLast != 0) {
                throw failure(run, "the first run recovered to sequence " + run.recoveredLast + " from an empty journal");
            }
            return;
        }
        final Run previous = before.get(before.size() - 1);
        if (run.recoveredLast < previous.recoveredLast) {
            throw failure(run, "recovery ended at sequence " + run.recoveredLast + ", before where run " + previous.number
                    + " started (" + previous.recoveredLast + "): the journal lost commands");
        }
        for (final Run earlier : before) {
            if (earlier.lastReply > run.recoveredLast) {
                throw failure(run, "run " + earlier.number + " released the reply for sequence " + earlier.lastReply
                        + ", but recovery at the start of run " + run.number + " ended at sequence " + run.recoveredLast
                        + ": a reply left before its command was durable in the journal");
            }
        }
    }

    /**
     * Reads what a killed run released: well-formed lines, consecutive sequences from the first command
     * journaled after its recovery (no reply lost in between, nothing answered twice).
     */
    private void readReplies(final Run run) throws IOException {
        final ReplyLine.File file = ReplyLine.File.read(run.repliesFile);
        run.tornTail = file.tornTail();
        long previous = run.recoveredLast;
        for (int i = 0; i < file.lines().size(); i++) {
            final String line = file.lines().get(i);
            final String malformed = ReplyLine.malformed(line);
            if (malformed != null) {
                throw failure(run, run.repliesFile.getFileName() + " line " + (i + 1) + " is not a whole reply (" + malformed
                        + "): '" + line + "'; only the last line may be torn by the kill");
            }
            final long sequence = ReplyLine.sequence(line);
            if (i == 0 && sequence != run.recoveredLast + 1) {
                throw failure(run, "the first reply released is for sequence " + sequence + ", expected "
                        + (run.recoveredLast + 1) + " (recovery ended at " + run.recoveredLast + ")");
            }
            if (sequence != previous + 1) {
                // Every journaled command is answered, in journal order: a gap is a lost reply, anything lower a repeat.
                throw failure(run, run.repliesFile.getFileName() + " line " + (i + 1) + " answers sequence " + sequence
                        + " right after " + previous + " (" + (sequence <= previous ? "again or out of order" : "a gap")
                        + "): '" + line + "'");
            }
            previous = sequence;
        }
        run.replies = file.lines().size();
        if (run.replies > 0) {
            run.firstReply = ReplyLine.sequence(file.lines().get(0));
            run.lastReply = previous;
        }
    }

    /** After the last kill: recover here and check everything released against a replay from scratch. */
    private void verify(final Path journal, final List<Run> done) throws IOException {
        final Run last = done.get(done.size() - 1);
        final JournalConfig config = JournalConfig.of(journal, Durability.PROCESS);
        final LedgerConfig ledgerConfig = CrashChild.ledgerConfig(CARDS);
        final Recovery.Recovered recovered;
        try {
            recovered = Recovery.recover(config, ledgerConfig);
        } catch (final RuntimeException e) {
            throw failure(last, "recovery after the last kill failed: " + e, e);
        }
        final long end = recovered.lastSequence();
        last.journalEndAfterKill = end;
        if (end < last.recoveredLast) {
            throw failure(last, "the final recovery ended at sequence " + end + ", before where run " + last.number
                    + " started (" + last.recoveredLast + "): the journal lost commands");
        }
        for (final Run run : done) {
            if (run.lastReply > end) {
                throw failure(run, "released the reply for sequence " + run.lastReply + " but the final recovery ended at "
                        + "sequence " + end + ": a reply left before its command was durable in the journal");
            }
        }
        checkInvariants(last, "the recovered ledger", recovered.ledger().state());

        final ReleasedReplies released = new ReleasedReplies(done);
        final Problems problems = new Problems();
        final long[] matched = new long[1];
        final long[] expected = {1};
        final Replay.Result scratch = replay(last, config, ledgerConfig, 1, false,
                (sequence, timestamp, command, offset, length, outcome) -> {
                    if (sequence != expected[0]) {
                        problems.add("replay delivered sequence " + sequence + " after " + (expected[0] - 1));
                    }
                    expected[0] = sequence + 1;
                    while (released.peek() != null && released.peek().sequence() <= sequence) {
                        final Released reply = released.next();
                        final String replayed = ReplyLine.format(sequence, outcome);
                        if (reply.sequence() < sequence) {
                            problems.add(reply.where() + ": sequence " + reply.sequence() + " was answered but replay never "
                                    + "delivered it");
                        } else if (!reply.line().equals(replayed)) {
                            problems.add(reply.where() + ": sequence " + sequence + "\n    released: " + reply.line()
                                    + "\n    replay:   " + replayed);
                        } else {
                            matched[0]++;
                        }
                    }
                });
        for (Released beyond = released.next(); beyond != null; beyond = released.next()) {
            problems.add(beyond.where() + ": sequence " + beyond.sequence() + " was answered but the journal ends at "
                    + scratch.lastSequence());
        }
        if (problems.count > 0) {
            throw failure(last, problems.count + " of " + released.count() + " released replies are not what replaying the "
                    + "journal gives (" + matched[0] + " are); the first:\n  " + String.join("\n  ", problems.first));
        }
        if (scratch.lastSequence() != end || scratch.delivered() != end || scratch.replayed() != end) {
            throw failure(last, "replay from scratch read sequences to " + scratch.lastSequence() + ", delivering "
                    + scratch.delivered() + " of them and replaying " + scratch.replayed() + "; recovery ended at " + end
                    + ": the journal's sequences 1.." + end + " are not all there exactly once");
        }
        checkInvariants(last, "the ledger replayed from scratch", scratch.ledger().state());
        final String scratchDigest = HexFormat.of().formatHex(scratch.ledger().digest());
        final String recoveredDigest = recovered.ledger().digestHex();
        if (!scratchDigest.equals(recoveredDigest)) {
            throw failure(last, "the recovered ledger (snapshot " + recovered.snapshot() + " + " + recovered.replayed()
                    + " commands) has digest " + recoveredDigest + ", a replay of all " + end + " commands from scratch has "
                    + scratchDigest);
        }
        // Every snapshot kept, replayed forward to the end, gives the same state as a replay from scratch.
        for (final Path file : Snapshots.list(config.snapshotDirectory())) {
            final long at = Snapshots.read(file, ledgerConfig).position().sequence();
            final Replay.Result fromSnapshot = replay(last, config, ledgerConfig, at + 1, true,
                    (sequence, timestamp, command, offset, length, outcome) -> { });
            final String digest = fromSnapshot.ledger().digestHex();
            if (fromSnapshot.lastSequence() != end || !digest.equals(scratchDigest)) {
                throw failure(last, "snapshot " + file.getFileName() + " replayed to sequence " + fromSnapshot.lastSequence()
                        + " gives digest " + digest + "; a replay from scratch to " + end + " gives " + scratchDigest);
            }
        }
        System.out.println("crash test: " + matched[0] + " released replies equal the replayed outcomes; journal 1.." + end
                + " contiguous; recovered digest = scratch digest " + scratchDigest.substring(0, 16) + "…");
    }

    private Replay.Result replay(final Run last, final JournalConfig config, final LedgerConfig ledgerConfig, final long from,
            final boolean useSnapshots, final Replay.Listener listener) {
        try {
            return Replay.run(config, ledgerConfig, from, Long.MAX_VALUE, useSnapshots, listener);
        } catch (final RuntimeException e) {
            throw failure(last, "replay from sequence " + from + (useSnapshots ? " (from a snapshot)" : " (from scratch)")
                    + " failed: " + e, e);
        }
    }

    private void checkInvariants(final Run run, final String which, final LedgerState state) {
        try {
            Invariants.check(state);
        } catch (final LedgerInvariantException e) {
            throw failure(run, which + " breaks an invariant: " + e.getMessage());
        }
    }

    /** Problems found, counted, with the first few kept for the message. */
    private static final class Problems {
        final List<String> first = new ArrayList<>();
        long count;

        void add(final String problem) {
            if (count++ < 20) {
                first.add(problem);
            }
        }
    }

    /** One released reply and where it was written. */
    private record Released(long sequence, String line, int run, int lineNumber) {
        String where() {
            return String.format("run %d, replies-%05d.txt line %d", run, run, lineNumber);
        }
    }

    /** Every run's complete reply lines, in run order (so in sequence order), read one file at a time. */
    private static final class ReleasedReplies {
        private final List<Run> runs;
        private int run = -1;
        private List<String> lines = List.of();
        private int line;
        private Released peeked;
        private long count;

        ReleasedReplies(final List<Run> runs) {
            this.runs = runs;
            advance();
        }

        Released peek() {
            return peeked;
        }

        Released next() {
            final Released current = peeked;
            advance();
            return current;
        }

        long count() {
            return count;
        }

        private void advance() {
            while (line >= lines.size()) {
                if (++run >= runs.size()) {
                    peeked = null;
                    return;
                }
                try {
                    lines = ReplyLine.File.read(runs.get(run).repliesFile).lines();
                } catch (final IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                line = 0;
            }
            final String text = lines.get(line++);
            peeked = new Released(ReplyLine.sequence(text), text, runs.get(run).number, line);
            count++;
        }
    }

    private void summarise(final List<Run> done, final int setupCommands, final Path journal, final long childrenMillis,
            final long verifyMillis) throws IOException {
        int duringSetup = 0;
        int beforeAnyCommand = 0;
        int fromSnapshot = 0;
        int torn = 0;
        long snapshots = 0;
        long forcedUnlocks = 0;
        long tornTails = 0;
        long segmentWaits = 0;
        int slowStarts = 0;
        final StringBuilder table = new StringBuilder(
                "  run durab.  recovered  snapshot(seq)  replayed rec.ms ready.ms kill.ms  replies  journal.end  killed\n");
        for (final Run run : done) {
            final String killed;
            if (run.journalEndAfterKill == run.recoveredLast) {
                killed = "before any command was journaled";
                beforeAnyCommand++;
            } else if (run.journalEndAfterKill < setupCommands) {
                killed = "during setup";
                duringSetup++;
            } else {
                killed = run.recoveredLast < setupCommands ? "streaming (setup done)" : "streaming";
            }
            if (!"none".equals(run.snapshot)) {
                fromSnapshot++;
            }
            if (run.tornTail != null) {
                torn++;
            }
            snapshots += run.snapshotsWritten;
            forcedUnlocks += run.forcedUnlocks;
            tornTails += run.tornTails;
            segmentWaits += run.segmentWaits;
            if (run.readyMillis > SLOW_START_MILLIS) {
                slowStarts++;
            }
            table.append(String.format("%5d %-7s %9d %14s %9d %6d %8d %7s %8d %12d  %s%s%n", run.number, run.durability,
                    run.recoveredLast, "none".equals(run.snapshot) ? "-" : Long.toString(snapshotSequence(run.snapshot)),
                    run.replayed, run.recoveryMillis, run.readyMillis, run.delayMillis + (run.afterFirstReply ? "*" : ""),
                    run.replies, run.journalEndAfterKill,
                    killed, run.tornTail != null ? " (torn last line)" : ""));
        }
        long cutSnapshots;
        try (Stream<Path> files = Files.list(JournalConfig.of(journal, Durability.PROCESS).snapshotDirectory())) {
            cutSnapshots = files.filter(p -> p.getFileName().toString().endsWith(".tmp")).count();
        } catch (final java.nio.file.NoSuchFileException e) {
            cutSnapshots = 0;
        }
        long journalBytes;
        try (Stream<Path> files = Files.walk(JournalConfig.of(journal, Durability.PROCESS).queueDirectory())) {
            journalBytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        System.out.print(table);
        System.out.println("  (kill.ms* : after the first released reply rather than after \"ready\")");
        System.out.printf("crash test: %d runs in %d ms (+ %d ms to verify), seed %d; %d killed during setup (%d commands), "
                + "%d before any command was journaled, %d restarts recovered from a snapshot, %d snapshots written, "
                + "%d snapshot writes cut by a kill, %d Chronicle locks of a killed child force-unlocked, %d torn journal "
                + "tails cut off, %d replies files with a torn last line; journal %d MiB%n", done.size(), childrenMillis,
                verifyMillis, seed, duringSetup, setupCommands, beforeAnyCommand, fromSnapshot, snapshots, cutSnapshots,
                forcedUnlocks, tornTails, torn, journalBytes >> 20);
        if (slowStarts > 0) {
            System.out.printf("crash test: %d restarts took over %d s to be ready; Chronicle reported %d waits of its timeout "
                    + "on a cycle file a kill left half-created%n", slowStarts, SLOW_START_MILLIS / 1000, segmentWaits);
        }
    }

    private static long snapshotSequence(final String file) {
        final Matcher matcher = Pattern.compile("snapshot-(\\d+)\\.snap").matcher(file);
        return matcher.matches() ? Long.parseLong(matcher.group(1)) : -1;
    }

    private AssertionError failure(final Run run, final String what) {
        return failure(run, what, null);
    }

    private AssertionError failure(final Run run, final String what, final Throwable cause) {
        return new AssertionError("crash test run " + run.number + " of " + runs + " (" + run.durability + ", seed " + seed
                + "; repeat with -Dcrash.seed=" + seed + " -Dcrash.runs=" + runs + "): " + what, cause);
    }

    private static int runs() {
        final String value = System.getProperty("crash.runs");
        if (value == null || value.isBlank() || value.startsWith("${")) {
            return DEFAULT_RUNS;
        }
        final int runs = Integer.parseInt(value.trim());
        if (runs < 1) {
            throw new IllegalArgumentException("crash.runs must be at least 1, got " + runs);
        }
        return runs;
    }

    private static long seed() {
        final String value = System.getProperty("crash.seed");
        if (value == null || value.isBlank() || value.startsWith("${")) {
            return System.nanoTime() ^ System.currentTimeMillis() << 20;
        }
        return Long.parseLong(value.trim());
    }

    private static void deleteTree(final Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (final Path path : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** The child logs at INFO (recovery, snapshots, forced unlocks) instead of logback's default DEBUG. */
    private static final String LOGBACK_CHILD = String.join("\n",
            "<configuration>",
            "  <appender name=\"OUT\" class=\"ch.qos.logback.core.ConsoleAppender\">",
            "    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n</pattern></encoder>",
            "  </appender>",
            "  <root level=\"INFO\"><appender-ref ref=\"OUT\"/></root>",
            "</configuration>", "");
}
