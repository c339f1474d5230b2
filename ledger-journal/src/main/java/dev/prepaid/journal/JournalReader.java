package dev.prepaid.journal;

import java.util.zip.CRC32C;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads journal records in order, checking every one:
 * <ul>
 *   <li>a sound record is handed to the handler; sequences must follow one another with no gap;</li>
 *   <li>a damaged record (bad framing or checksum) immediately followed by a void marker naming it is
 *       skipped: an earlier recovery cut it off as a torn tail;</li>
 *   <li>a damaged record that is the last in the journal is a <b>torn tail</b>: reading stops there and the
 *       result says so (recovery then writes the void marker);</li>
 *   <li>any other damage is corruption: {@link JournalCorruptException} naming the file and index.</li>
 * </ul>
 */
public final class JournalReader implements AutoCloseable {
    private final SingleChronicleQueue queue;
    private final ExcerptTailer tailer;
    private final byte[] bytes = new byte[JournalRecord.MAX_RECORD_LENGTH + 64];
    private final UnsafeBuffer record = new UnsafeBuffer(bytes);
    private final CRC32C crc = new CRC32C();

    public JournalReader(final JournalConfig config) {
        this.queue = Queues.open(config, false);
        this.tailer = queue.createTailer();
    }

    /** Receives each command record in order. Return false to stop reading. */
    @FunctionalInterface
    public interface Handler {
        boolean onCommand(long sequence, long timestampMillis, DirectBuffer command, int offset, int length, long chronicleIndex);
    }

    /** How a read ended. */
    public record Result(long lastSequence, long lastTimestamp, long lastIndex, long commands, long tornTailIndex,
            String tornTailReason, long voidedSkipped) {
        public boolean tornTail() {
            return tornTailIndex >= 0;
        }
    }

    private long expected = 1;
    private long lastTimestamp;
    private long lastIndex = -1;
    private long commands;
    private long voided;
    private long pendingDamagedIndex = -1;
    private String pendingReason;

    /**
     * Reads from the first record after {@code afterIndex} (or from the start when it is negative), expecting
     * the first command's sequence to be {@code afterSequence + 1}, up to the end of what is written now.
     */
    public Result read(final long afterIndex, final long afterSequence, final long afterTimestamp, final Handler handler) {
        position(afterIndex, afterSequence, afterTimestamp);
        return readAvailable(handler);
    }

    /** Positions the reader after a record (negative: at the start), expecting the next sequence after it. */
    public void position(final long afterIndex, final long afterSequence, final long afterTimestamp) {
        if (afterIndex >= 0) {
            if (!tailer.moveToIndex(afterIndex)) {
                throw new JournalCorruptException("the journal has no record at " + Queues.describeIndex(queue, afterIndex)
                        + " where the snapshot says it ended; the journal does not belong to this snapshot", afterIndex);
            }
            try (DocumentContext skip = tailer.readingDocument()) {
                if (!skip.isPresent()) {
                    throw new JournalCorruptException("cannot read the record at " + Queues.describeIndex(queue, afterIndex)
                            + " where the snapshot ends", afterIndex);
                }
            }
        } else {
            tailer.toStart();
        }
        expected = afterSequence + 1;
        lastTimestamp = afterTimestamp;
        lastIndex = afterIndex;
        commands = 0;
        voided = 0;
        pendingDamagedIndex = -1;
        pendingReason = null;
    }

    /**
     * Reads on from where the last call stopped, up to the end of what is written now (a follower calls this
     * again and again). A damaged record waiting at the end is reported as a torn tail.
     */
    public Result readAvailable(final Handler handler) {
        while (true) {
            final long index;
            final int length;
            try (DocumentContext context = tailer.readingDocument()) {
                if (!context.isPresent()) {
                    break;
                }
                index = context.index();
                final Bytes<?> in = context.wire().bytes();
                final long available = in.readRemaining();
                length = (int) Math.min(available, bytes.length);
                in.read(bytes, 0, length);
                if (available > bytes.length) {
                    // Longer than any record can be: damaged framing.
                    record.putInt(JournalRecord.LENGTH_OFFSET, -1, JournalRecord.ORDER);
                }
            }
            final String damage = JournalRecord.check(record, length, crc);
            if (pendingDamagedIndex >= 0) {
                if (damage == null && JournalRecord.kind(record) == JournalRecord.KIND_VOID
                        && record.getLong(JournalRecord.HEADER_LENGTH, JournalRecord.ORDER) == pendingDamagedIndex) {
                    voided++;
                    pendingDamagedIndex = -1;
                    lastIndex = index;
                    continue;
                }
                throw new JournalCorruptException("journal damaged at " + Queues.describeIndex(queue, pendingDamagedIndex)
                        + ": " + pendingReason + "; more records follow it, so it is not a torn write at the end. Restore "
                        + "the journal from a backup or replica; do not delete the record by hand", pendingDamagedIndex);
            }
            if (damage != null) {
                pendingDamagedIndex = index;
                pendingReason = damage;
                continue;
            }
            final int kind = JournalRecord.kind(record);
            if (kind == JournalRecord.KIND_VOID) {
                // A void marker whose damaged record was since repaired by a restore: nothing to apply.
                lastIndex = index;
                continue;
            }
            if (kind != JournalRecord.KIND_COMMAND) {
                throw new JournalCorruptException("unknown record kind " + kind + " at " + Queues.describeIndex(queue, index),
                        index);
            }
            final long sequence = JournalRecord.sequence(record);
            if (sequence != expected) {
                throw new JournalCorruptException("journal sequence jumps from " + (expected - 1) + " to " + sequence + " at "
                        + Queues.describeIndex(queue, index) + ": commands are missing or repeated", index);
            }
            expected = sequence + 1;
            lastTimestamp = JournalRecord.timestamp(record);
            lastIndex = index;
            commands++;
            if (!handler.onCommand(sequence, lastTimestamp, record, JournalRecord.HEADER_LENGTH,
                    JournalRecord.payloadLength(record), index)) {
                break;
            }
        }
        return new Result(expected - 1, lastTimestamp, lastIndex, commands, pendingDamagedIndex, pendingReason, voided);
    }

    /** Describes a Chronicle index with its file, for messages. */
    public String describe(final long index) {
        return Queues.describeIndex(queue, index);
    }

    @Override
    public void close() {
        tailer.close();
        queue.close();
    }
}
