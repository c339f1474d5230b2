package dev.prepaid.state;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/** Reads what {@link StateWriter} wrote, keeping the same CRC32C over every byte read. */
public final class StateReader {
    /** Longest string the state may hold; a longer length means corruption. */
    private static final int MAX_STRING = 1 << 20;

    private final InputStream in;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private final CRC32C crc = new CRC32C();
    private long consumed;

    public StateReader(final InputStream in) {
        this.in = in;
    }

    private void need(final int n) {
        if (limit - position >= n) {
            return;
        }
        crc.update(buffer, 0, position);
        consumed += position;
        System.arraycopy(buffer, position, buffer, 0, limit - position);
        limit -= position;
        position = 0;
        try {
            while (limit < n) {
                final int read = in.read(buffer, limit, buffer.length - limit);
                if (read < 0) {
                    throw new UncheckedIOException(new EOFException("state ends after " + (consumed + limit) + " bytes"));
                }
                limit += read;
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public byte i8() {
        need(1);
        return buffer[position++];
    }

    public short i16() {
        need(2);
        final int v = (buffer[position] & 0xFF) | (buffer[position + 1] & 0xFF) << 8;
        position += 2;
        return (short) v;
    }

    public int i32() {
        need(4);
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v |= (buffer[position + i] & 0xFF) << (8 * i);
        }
        position += 4;
        return v;
    }

    public long i64() {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (buffer[position + i] & 0xFFL) << (8 * i);
        }
        position += 8;
        return v;
    }

    public boolean bool() {
        final byte b = i8();
        if (b != 0 && b != 1) {
            throw new IllegalStateException("state corrupt: boolean byte " + b + " at " + offset());
        }
        return b == 1;
    }

    public String string() {
        final int length = i32();
        if (length < 0 || length > MAX_STRING) {
            throw new IllegalStateException("state corrupt: string of " + length + " bytes at " + offset());
        }
        final byte[] utf8 = new byte[length];
        bytes(utf8, 0, length);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /** An enum kept by its stored name; an unknown name means the state is not this build's to read. */
    public <E extends Enum<E> & StoredName> E stored(final Class<E> type) {
        final long at = offset();
        return StoredNames.require(type, string(), "state corrupt at offset " + at);
    }

    public void bytes(final byte[] dst, final int offset, final int length) {
        int done = 0;
        while (done < length) {
            need(1);
            final int n = Math.min(length - done, limit - position);
            System.arraycopy(buffer, position, dst, offset + done, n);
            position += n;
            done += n;
        }
    }

    public void bytes(final org.agrona.MutableDirectBuffer dst, final int offset, final int length) {
        int done = 0;
        while (done < length) {
            need(1);
            final int n = Math.min(length - done, limit - position);
            dst.putBytes(offset + done, buffer, position, n);
            position += n;
            done += n;
        }
    }

    /** CRC32C of every byte consumed so far. */
    public int crc() {
        crc.update(buffer, 0, position);
        consumed += position;
        System.arraycopy(buffer, position, buffer, 0, limit - position);
        limit -= position;
        position = 0;
        return (int) crc.getValue();
    }

    public long offset() {
        return consumed + position;
    }
}
