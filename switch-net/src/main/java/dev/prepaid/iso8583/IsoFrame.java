package dev.prepaid.iso8583;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The 2-byte frame length (pos-iso8583 §1): binary big-endian, counting every byte after itself. The
 * server's framer strips it before {@link IsoMessage#wrap}; these helpers read, check and write it.
 */
public final class IsoFrame {
    public static final int LENGTH_BYTES = 2;

    private IsoFrame() {
    }

    /** The body length a frame announces (unsigned). */
    public static int bodyLength(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * Whether an announced body length is acceptable for the dialect: at least TPDU + header + MTI + bitmap
     * and at most the configured maximum. On false the error says which (the connection is then closed).
     */
    public static boolean checkBodyLength(final int bodyLength, final Dialect dialect, final IsoError error) {
        error.reset();
        if (bodyLength < dialect.minFrameLength) {
            return error.set(IsoError.FRAME_TOO_SHORT, null, 0, 0, dialect.minFrameLength, bodyLength);
        }
        if (bodyLength > dialect.maxFrameLength) {
            return error.set(IsoError.FRAME_TOO_LONG, null, 0, 0, dialect.maxFrameLength, bodyLength);
        }
        return true;
    }

    /** Writes the length of a body written at {@code offset + LENGTH_BYTES}. */
    public static void putBodyLength(final MutableDirectBuffer buffer, final int offset, final int bodyLength) {
        buffer.putShort(offset, (short) bodyLength, ByteOrder.BIG_ENDIAN);
    }
}
