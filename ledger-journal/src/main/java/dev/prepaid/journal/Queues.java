package dev.prepaid.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.TimeZone;
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
            return SingleChronicleQueueBuilder.binary(dir.toFile())
                    .rollCycle(RollCycleNames.of(config.rollCycle()))
                    .readOnly(readOnly)
                    .build();
        } catch (final RuntimeException e) {
            throw new JournalException("cannot open the journal at " + dir + ": " + e, e);
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
