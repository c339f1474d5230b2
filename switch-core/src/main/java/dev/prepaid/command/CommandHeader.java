package dev.prepaid.command;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Every command starts with the same four bytes: its type code (u16) and the version of its layout (u16),
 * little-endian. What follows is the type's payload (see {@code docs/commands.md}).
 */
public final class CommandHeader {
    public static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    public static final int TYPE_OFFSET = 0;
    public static final int VERSION_OFFSET = 2;
    public static final int LENGTH = 4;

    /** Largest encoded command of any type; ring slots and journal records are sized for it. */
    public static final int MAX_COMMAND_LENGTH = 4096;

    private CommandHeader() {
    }

    public static int type(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + TYPE_OFFSET, ORDER) & 0xFFFF;
    }

    public static int version(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + VERSION_OFFSET, ORDER) & 0xFFFF;
    }

    public static void write(final MutableDirectBuffer buffer, final int offset, final int type, final int version) {
        buffer.putShort(offset + TYPE_OFFSET, (short) type, ORDER);
        buffer.putShort(offset + VERSION_OFFSET, (short) version, ORDER);
    }
}
