package dev.prepaid.journal;

import dev.prepaid.command.CommandHeader;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * One journal record, as it lies in a Chronicle Queue document (little-endian):
 * <pre>
 *  0 u16 record format version (1)
 *  2 u16 record kind: 1 command, 2 void marker
 *  4 u16 command type (a copy of the command's own, for filtering without decoding)
 *  6 u16 reserved (0)
 *  8 i64 sequence: the journal index, 1, 2, 3 … with no gaps
 * 16 i64 timestamp: epoch milliseconds stamped by the journal stage, never decreasing
 * 24 i32 payload length
 * 28     payload: the command exactly as the ledger reads it (see docs/commands.md)
 *  …  i32 CRC32C of every byte before it
 * </pre>
 * A void marker's payload is the 8-byte Chronicle index of a damaged record it voids (see
 * {@link JournalReader}). Nothing secret is ever in a record: commands carry no PIN block, track data or key.
 */
public final class JournalRecord {
    public static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    public static final int VERSION = 1;
    public static final int KIND_COMMAND = 1;
    public static final int KIND_VOID = 2;

    public static final int VERSION_OFFSET = 0;
    public static final int KIND_OFFSET = 2;
    public static final int COMMAND_TYPE_OFFSET = 4;
    public static final int SEQUENCE_OFFSET = 8;
    public static final int TIMESTAMP_OFFSET = 16;
    public static final int LENGTH_OFFSET = 24;
    public static final int HEADER_LENGTH = 28;
    public static final int CRC_LENGTH = 4;
    public static final int MAX_RECORD_LENGTH = HEADER_LENGTH + CommandHeader.MAX_COMMAND_LENGTH + CRC_LENGTH;

    private JournalRecord() {
    }

    /** Writes a record into {@code out} at 0 and returns its length. */
    public static int encode(final MutableDirectBuffer out, final int kind, final long sequence, final long timestamp,
            final DirectBuffer payload, final int payloadOffset, final int payloadLength, final CRC32C crc) {
        out.putShort(VERSION_OFFSET, (short) VERSION, ORDER);
        out.putShort(KIND_OFFSET, (short) kind, ORDER);
        out.putShort(COMMAND_TYPE_OFFSET,
                (short) (kind == KIND_COMMAND && payloadLength >= 2 ? CommandHeader.type(payload, payloadOffset) : 0), ORDER);
        out.putShort(6, (short) 0, ORDER);
        out.putLong(SEQUENCE_OFFSET, sequence, ORDER);
        out.putLong(TIMESTAMP_OFFSET, timestamp, ORDER);
        out.putInt(LENGTH_OFFSET, payloadLength, ORDER);
        out.putBytes(HEADER_LENGTH, payload, payloadOffset, payloadLength);
        final int end = HEADER_LENGTH + payloadLength;
        out.putInt(end, checksum(out, 0, end, crc), ORDER);
        return end + CRC_LENGTH;
    }

    /** CRC32C of a range, computed over the buffer's bytes. */
    public static int checksum(final DirectBuffer buffer, final int offset, final int length, final CRC32C crc) {
        crc.reset();
        final byte[] array = buffer.byteArray();
        if (array != null) {
            crc.update(array, (int) (buffer.wrapAdjustment() + offset), length);
        } else {
            for (int i = 0; i < length; i++) {
                crc.update(buffer.getByte(offset + i));
            }
        }
        return (int) crc.getValue();
    }

    /**
     * Checks a record's framing and checksum; returns null when it is sound, else what is wrong with it.
     */
    public static String check(final DirectBuffer record, final int length, final CRC32C crc) {
        if (length < HEADER_LENGTH + CRC_LENGTH) {
            return "record of " + length + " bytes is shorter than its header";
        }
        final int version = record.getShort(VERSION_OFFSET, ORDER) & 0xFFFF;
        final int payload = record.getInt(LENGTH_OFFSET, ORDER);
        if (payload < 0 || HEADER_LENGTH + payload + CRC_LENGTH != length) {
            return "payload length " + payload + " does not fit a record of " + length + " bytes";
        }
        final int stored = record.getInt(HEADER_LENGTH + payload, ORDER);
        final int computed = checksum(record, 0, HEADER_LENGTH + payload, crc);
        if (stored != computed) {
            return String.format("checksum mismatch: stored %08x, computed %08x", stored, computed);
        }
        if (version != VERSION) {
            return "record format version " + version + " is not known to this build";
        }
        return null;
    }

    public static int kind(final DirectBuffer record) {
        return record.getShort(KIND_OFFSET, ORDER) & 0xFFFF;
    }

    public static int commandType(final DirectBuffer record) {
        return record.getShort(COMMAND_TYPE_OFFSET, ORDER) & 0xFFFF;
    }

    public static long sequence(final DirectBuffer record) {
        return record.getLong(SEQUENCE_OFFSET, ORDER);
    }

    public static long timestamp(final DirectBuffer record) {
        return record.getLong(TIMESTAMP_OFFSET, ORDER);
    }

    public static int payloadLength(final DirectBuffer record) {
        return record.getInt(LENGTH_OFFSET, ORDER);
    }
}
