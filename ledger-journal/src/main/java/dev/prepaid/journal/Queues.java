package dev.prepaid.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.TimeZone;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

/** Opening the Chronicle queue under a journal directory, with checks that give one clear line each. */
final class Queues {
    private Queues() {
    }

    static SingleChronicleQueue open(final JournalConfig config, final boolean readOnly) {
        final Path dir = config.queueDirectory();
        try {
            if (!readOnly) {
                Files.createDirectories(dir);
            } else if (!Files.isDirectory(dir)) {
                throw new JournalException("journal " + dir + " does not exist");
            }
        } catch (final IOException | SecurityException e) {
            throw new JournalException("cannot create the journal directory " + dir + ": " + e, e);
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new JournalException("journal path " + dir + " is not a directory");
        }
        if (!readOnly && !Files.isWritable(dir)) {
            throw new JournalException("journal directory " + dir + " is not writable");
        }
        try {
            return builder(config, readOnly).build();
        } catch (final RuntimeException e) {
            throw new JournalException("cannot open the journal at " + dir + ": " + e, e);
        }
    }

    /**
     * The queue's builder. Without a sync mode Chronicle's {@code appender.sync()} does nothing, so SYNC
     * durability asks for msync with MS_SYNC explicitly — else it would silently be no more durable than PROCESS
     * (measured: a forced write costs ~200 µs here; without the mode, nothing).
     */
    static SingleChronicleQueueBuilder builder(final JournalConfig config, final boolean readOnly) {
        final SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.binary(config.queueDirectory().toFile());
        if (config.cycleClock() != null) {
            builder.timeProvider(new CycleClock(config.cycleClock()));
        }
        return builder
                .rollCycle(RollCycleNames.of(config.rollCycle()))
                .syncMode(config.durability() == Durability.SYNC ? SyncMode.SYNC : SyncMode.NONE)
                .readOnly(readOnly);
    }

    /** A millisecond clock as Chronicle's time provider. */
    private static final class CycleClock implements net.openhft.chronicle.core.time.TimeProvider {
        private final java.util.function.LongSupplier millis;

        CycleClock(final java.util.function.LongSupplier millis) {
            this.millis = millis;
        }

        @Override
        public long currentTimeMillis() {
            return millis.getAsLong();
        }

        @Override
        public long currentTimeMicros() {
            return millis.getAsLong() * 1_000;
        }

        @Override
        public long currentTimeNanos() {
            return millis.getAsLong() * 1_000_000;
        }
    }

    /** The data file (cq4) holding a Chronicle index, for messages. */
    static String fileOf(final SingleChronicleQueue queue, final long index) {
        final RollCycle cycle = queue.rollCycle();
        final SimpleDateFormat format = new SimpleDateFormat(cycle.format());
        format.setTimeZone(TimeZone.getTimeZone("UTC"));
        final long millis = (long) cycle.toCycle(index) * cycle.lengthInMillis();
        return queue.file().toPath().resolve(format.format(new Date(millis)) + ".cq4").toString();
    }

    static String describeIndex(final SingleChronicleQueue queue, final long index) {
        return "index " + Long.toHexString(index) + " (cycle " + queue.rollCycle().toCycle(index) + ", entry "
                + queue.rollCycle().toSequenceNumber(index) + ") of " + fileOf(queue, index);
    }
}
