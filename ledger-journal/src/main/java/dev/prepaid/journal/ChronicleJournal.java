package dev.prepaid.journal;

import dev.prepaid.pipeline.CommandEvent;
import dev.prepaid.pipeline.JournalStage;
import java.io.IOException;
import java.nio.file.Files;
import java.util.function.LongSupplier;
import java.util.zip.CRC32C;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The journal stage of the pipeline: gives each command the next sequence number and a timestamp that never
 * goes backwards, and appends it to Chronicle Queue as a {@link JournalRecord}. With {@link Durability#SYNC}
 * it forces the file to disk at the end of each Disruptor batch (group commit) before the ledger sees the
 * batch. Any failure (disk full, I/O error) propagates: the pipeline stops and nothing more is answered.
 *
 * <p>Allocation-free per command: one scratch buffer, a reused CRC, Chronicle's reused document context.
 */
public final class ChronicleJournal implements JournalStage, AutoCloseable {
    /** How often (in commands) free disk space is checked. */
    private static final long SPACE_CHECK_EVERY = 1 << 16;

    private final JournalConfig config;
    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;
    private final LongSupplier clock;
    private final byte[] scratchBytes = new byte[JournalRecord.MAX_RECORD_LENGTH];
    private final UnsafeBuffer scratch = new UnsafeBuffer(scratchBytes);
    private final CRC32C crc = new CRC32C();
    private long nextSequence;
    private long lastTimestamp;

    private ChronicleJournal(final JournalConfig config, final SingleChronicleQueue queue, final LongSupplier clock,
            final long nextSequence, final long lastTimestamp) {
        this.config = config;
        this.queue = queue;
        this.appender = queue.createAppender();
        this.clock = clock;
        this.nextSequence = nextSequence;
        this.lastTimestamp = lastTimestamp;
    }

    /**
     * Opens the journal for appending after a recovery that ended at {@code lastSequence} (0 for an empty
     * journal) and {@code lastTimestamp}. Checks free space and that an append can be read back first.
     */
    public static ChronicleJournal open(final JournalConfig config, final LongSupplier clock, final long lastSequence,
            final long lastTimestamp) {
        SelfCheck.run(config);
        final SingleChronicleQueue queue = Queues.open(config, false);
        final ChronicleJournal journal = new ChronicleJournal(config, queue, clock, lastSequence + 1, lastTimestamp);
        journal.checkSpace();
        return journal;
    }

    public long nextSequence() {
        return nextSequence;
    }

    public JournalConfig config() {
        return config;
    }

    @Override
    public void append(final CommandEvent event, final boolean endOfBatch) throws IOException {
        if (!event.skip) {
            final long sequence = nextSequence;
            final long now = clock.getAsLong();
            final long timestamp = Math.max(now, lastTimestamp);
            final int length = JournalRecord.encode(scratch, JournalRecord.KIND_COMMAND, sequence, timestamp, event.command, 0,
                    event.length, crc);
            write(length);
            nextSequence = sequence + 1;
            lastTimestamp = timestamp;
            event.journalIndex = sequence;
            event.timestampMillis = timestamp;
            if ((sequence & (SPACE_CHECK_EVERY - 1)) == 0) {
                checkSpace();
            }
        }
        if (endOfBatch && config.durability() == Durability.SYNC) {
            appender.sync();
        }
    }

    private void write(final int length) {
        try (DocumentContext context = appender.writingDocument()) {
            final Bytes<?> bytes = context.wire().bytes();
            bytes.write(scratchBytes, 0, length);
        } catch (final RuntimeException e) {
            throw new JournalException("journal write failed in " + config.queueDirectory() + " at sequence " + nextSequence
                    + ": " + e, e);
        }
    }

    /** Appends a void marker naming a damaged last record: recovery cuts off a torn tail this way. */
    static void voidRecord(final JournalConfig config, final long damagedIndex) {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
        payload.putLong(0, damagedIndex, JournalRecord.ORDER);
        final UnsafeBuffer record = new UnsafeBuffer(new byte[JournalRecord.MAX_RECORD_LENGTH]);
        final int length = JournalRecord.encode(record, JournalRecord.KIND_VOID, 0, 0, payload, 0, 8, new CRC32C());
        try (SingleChronicleQueue queue = Queues.open(config, false); ExcerptAppender appender = queue.createAppender()) {
            try (DocumentContext context = appender.writingDocument()) {
                context.wire().bytes().write(record.byteArray(), 0, length);
            }
            appender.sync();
        }
    }

    private void checkSpace() {
        requireFreeSpace(config);
    }

    /**
     * Refuses a journal disk with less than {@code minFreeBytes} free. The switch asks before it recovers or
     * bootstraps, so a full disk is the first thing it says, not a failure after "bootstrap …" was logged.
     */
    public static void requireFreeSpace(final JournalConfig config) {
        final java.nio.file.Path where = Files.isDirectory(config.queueDirectory()) ? config.queueDirectory()
                : config.directory();
        final long usable;
        try {
            usable = Files.getFileStore(where).getUsableSpace();
        } catch (final IOException e) {
            throw new JournalException("cannot read the free space of " + where + ": " + e, e);
        }
        if (usable < config.minFreeBytes()) {
            throw new JournalException("journal disk is full: " + (usable >> 20) + " MiB free in "
                    + where + ", at least " + (config.minFreeBytes() >> 20)
                    + " MiB needed; free space or move the journal, then restart");
        }
    }

    /** Forces everything appended so far to disk. */
    public void sync() {
        appender.sync();
    }

    @Override
    public void close() {
        appender.close();
        queue.close();
    }

    /**
     * Proves, before anything is accepted, that a record written to the journal's disk can be read back: a
     * Chronicle Queue missing a JVM flag turns read-only silently and its writer hangs.
     */
    static final class SelfCheck {
        private SelfCheck() {
        }

        static void run(final JournalConfig config) {
            final java.nio.file.Path dir = config.directory().resolve("selfcheck");
            final JournalConfig probe = new JournalConfig(dir, Durability.PROCESS, config.rollCycle(), 0);
            try (SingleChronicleQueue queue = Queues.open(probe, false);
                 ExcerptAppender appender = queue.createAppender();
                 ExcerptTailer tailer = queue.createTailer()) {
                final long marker = System.nanoTime();
                try (DocumentContext context = appender.writingDocument()) {
                    context.wire().bytes().writeLong(marker);
                }
                tailer.toEnd().direction(net.openhft.chronicle.queue.TailerDirection.BACKWARD);
                long read = 0;
                try (DocumentContext context = tailer.readingDocument()) {
                    if (context.isPresent()) {
                        read = context.wire().bytes().readLong();
                    }
                }
                if (read != marker) {
                    throw new JournalException("journal self-check failed in " + dir + ": a record written could not be "
                            + "read back (is --add-exports=java.base/sun.nio.ch=ALL-UNNAMED missing? see config/jvm.options)");
                }
            } finally {
                deleteQuietly(dir);
            }
        }

        private static void deleteQuietly(final java.nio.file.Path dir) {
            try (java.util.stream.Stream<java.nio.file.Path> walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (final IOException | RuntimeException ignored) {
                // best effort: the probe directory holds nothing of value
            }
        }
    }
}
