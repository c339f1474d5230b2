package dev.prepaid.journal.crash;

import dev.prepaid.journal.ChronicleJournal;
import dev.prepaid.journal.Durability;
import dev.prepaid.journal.JournalConfig;
import dev.prepaid.journal.Recovery;
import dev.prepaid.journal.SnapshotFollower;
import dev.prepaid.ledger.LedgerConfig;
import dev.prepaid.pipeline.CommandEvent;
import dev.prepaid.pipeline.CommandWriter;
import dev.prepaid.pipeline.Pipeline;
import dev.prepaid.pipeline.PipelineConfig;
import dev.prepaid.pipeline.ReplyStage;
import dev.prepaid.pipeline.WaitStrategyName;
import dev.prepaid.workload.Workload;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The process the crash test kills: recovers the journal, then runs the real pipeline (Chronicle journal →
 * ledger → a reply stage writing every released reply to a file) under a stream of commands as fast as the
 * ring takes them, until it is killed. Any failure halts it with a non-zero exit; otherwise it stops by itself
 * only when its standard input closes (the parent test is gone).
 *
 * <p>Arguments: journal directory, replies file, run number, cards, terminals, durability (PROCESS|SYNC),
 * workload seed, snapshot interval in commands.
 *
 * <p>Prints, in order: {@code recovered last=<seq> timestamp=<ms> snapshot=<file|none> replayed=<n> ms=<n>},
 * {@code ready} (it is about to publish: the parent may kill it from now on), {@code answering} (the first reply
 * is released), {@code streaming} (setup done).
 */
public final class CrashChild {
    static final String READY = "ready";
    /** Printed once the first reply was released: the journal's day file exists by then. */
    static final String ANSWERING = "answering";
    static final String RECOVERED = "recovered ";
    static final int RING_SIZE = 4096;
    static final int SNAPSHOTS_KEPT = 3;
    /**
     * STANs a run may use per terminal before the next run's range starts: a run of a few seconds sends a few
     * hundred requests per terminal; the ranges wrap after ~500 runs (harmless: the outcome is still decided
     * by the journal alone, and the transaction log has long forgotten the earlier use).
     */
    static final int STAN_STRIDE = 2_000;

    private static final CommandWriter<byte[]> SETUP_WRITER = (event, command) -> {
        event.command.putBytes(0, command);
        return command.length;
    };
    private static final CommandWriter<Workload> STREAM_WRITER = (event, workload) -> workload.next(event.command, 0);

    private CrashChild() {
    }

    /** The ledger's sizes, the same in the child and in the parent's checks. */
    static LedgerConfig ledgerConfig(final int cards) {
        return LedgerConfig.small().withMaxCards(Math.max(cards, LedgerConfig.small().maxCards()));
    }

    /** Where run {@code run}'s STANs start, so every run sends new requests. */
    static int stanBase(final int run) {
        return (int) ((long) run * STAN_STRIDE % (999_999 - STAN_STRIDE));
    }

    /** Each run streams different commands; the setup does not depend on the seed. */
    static long workloadSeed(final long seed, final int run) {
        return seed * 31 + run;
    }

    public static void main(final String[] args) throws Exception {
        if (args.length != 8) {
            System.err.println("usage: CrashChild journalDir repliesFile run cards terminals PROCESS|SYNC seed snapshotEvery");
            System.exit(2);
        }
        haltWhenTheParentIsGone();
        try {
            run(Path.of(args[0]), Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Durability.valueOf(args[5]), Long.parseLong(args[6]), Long.parseLong(args[7]));
        } catch (final Throwable e) {
            fatal(e);
        }
    }

    private static void run(final Path directory, final Path repliesFile, final int run, final int cards, final int terminals,
            final Durability durability, final long seed, final long snapshotEvery) throws IOException {
        final JournalConfig config = JournalConfig.of(directory, durability);
        final LedgerConfig ledgerConfig = ledgerConfig(cards);
        final Recovery.Recovered recovered = Recovery.recover(config, ledgerConfig);
        System.out.println(RECOVERED + "last=" + recovered.lastSequence() + " timestamp=" + recovered.lastTimestamp()
                + " snapshot=" + (recovered.snapshot() == null ? "none" : recovered.snapshot().getFileName())
                + " replayed=" + recovered.replayed() + " ms=" + recovered.millis());

        final ChronicleJournal journal = ChronicleJournal.open(config, System::currentTimeMillis, recovered.lastSequence(),
                recovered.lastTimestamp());
        final SnapshotFollower follower = new SnapshotFollower(config, ledgerConfig, snapshotEvery, SNAPSHOTS_KEPT).start();
        final ReplyFile replies = new ReplyFile(new FileOutputStream(repliesFile.toFile(), true));
        final Pipeline pipeline = new Pipeline(new PipelineConfig(RING_SIZE, WaitStrategyName.SLEEPING), journal,
                recovered.ledger(), replies, CrashChild::fatal, daemonThreads());
        pipeline.start();

        final Workload workload = new Workload(cards, terminals, workloadSeed(seed, run), stanBase(run));
        final List<byte[]> setup = workload.setup();
        System.out.println(READY);
        System.out.flush();
        // Setup command i is journal sequence i + 1: a run killed during setup is resumed where it stopped.
        for (int i = (int) Math.min(recovered.lastSequence(), setup.size()); i < setup.size(); i++) {
            publish(pipeline, follower, SETUP_WRITER, setup.get(i));
        }
        System.out.println("streaming");
        System.out.flush();
        for (long published = 0; ; published++) {
            publish(pipeline, follower, STREAM_WRITER, workload);
            if ((published & 1023) == 0 && follower.failure() != null) {
                fatal(follower.failure());
            }
        }
    }

    /**
     * The parent never writes to the child's standard input but holds the pipe open; it closes when the parent
     * dies (a test JVM killed or crashed), and a child left running would stream commands into the disk forever.
     */
    private static void haltWhenTheParentIsGone() {
        final Thread watch = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // Nothing is sent; keep reading until the pipe closes.
                }
            } catch (final IOException e) {
                // A broken pipe means the same.
            }
            System.out.println("FATAL the parent process is gone (standard input closed)");
            System.out.flush();
            Runtime.getRuntime().halt(71);
        }, "parent-watch");
        watch.setDaemon(true);
        watch.start();
    }

    private static <A> void publish(final Pipeline pipeline, final SnapshotFollower follower, final CommandWriter<A> writer,
            final A argument) {
        while (!pipeline.tryPublish(writer, argument)) {
            if (pipeline.failure() != null) {
                fatal(pipeline.failure());
            }
            if (follower.failure() != null) {
                fatal(follower.failure());
            }
            Thread.yield();
        }
    }

    private static ThreadFactory daemonThreads() {
        final AtomicInteger count = new AtomicInteger();
        return runnable -> {
            final Thread thread = new Thread(runnable, "stage-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Any failure: say what, and stop at once with a code the parent tells from its own SIGKILL. */
    static void fatal(final Throwable failure) {
        System.out.println("FATAL " + failure);
        failure.printStackTrace(System.out);
        System.out.flush();
        Runtime.getRuntime().halt(70);
    }

    /**
     * The reply stage: one line per released reply, written with a plain append at the end of each batch (or
     * when 64 KiB are waiting) and never forced to disk — the test is about the process dying, not the machine.
     */
    static final class ReplyFile implements ReplyStage {
        private static final int FLUSH_AT = 1 << 16;
        private final OutputStream out;
        private final StringBuilder pending = new StringBuilder(FLUSH_AT + 256);
        private boolean answering;

        ReplyFile(final OutputStream out) {
            this.out = out;
        }

        @Override
        public void reply(final CommandEvent event, final boolean endOfBatch) throws IOException {
            ReplyLine.append(pending, event.journalIndex, event.outcome).append('\n');
            if (endOfBatch || pending.length() >= FLUSH_AT) {
                out.write(pending.toString().getBytes(StandardCharsets.US_ASCII));
                pending.setLength(0);
                if (!answering) {
                    answering = true;
                    System.out.println(ANSWERING);
                    System.out.flush();
                }
            }
        }
    }
}
