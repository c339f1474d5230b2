package dev.prepaid.state;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.zip.CRC32C;

/**
 * Writes ledger state as little-endian primitives to a stream, keeping a CRC32C (for snapshot files) and a
 * SHA-256 digest (to compare states) of every byte written. Buffered; {@link #flush()} at the end.
 */
public final class StateWriter {
    private final OutputStream out;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private final CRC32C crc = new CRC32C();
    private final MessageDigest digest;
    private long bytes;

    public StateWriter(final OutputStream out) {
        this.out = out;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private void room(final int n) {
        if (position + n > buffer.length) {
            drain();
        }
    }

    private void drain() {
        if (position == 0) {
            return;
        }
        crc.update(buffer, 0, position);
        digest.update(buffer, 0, position);
        try {
            if (out != null) {
                out.write(buffer, 0, position);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        bytes += position;
        position = 0;
    }

    public void i8(final int v) {
        room(1);
        buffer[position++] = (byte) v;
    }

    public void i16(final int v) {
        room(2);
        buffer[position++] = (byte) v;
        buffer[position++] = (byte) (v >>> 8);
    }

    public void i32(final int v) {
        room(4);
        for (int shift = 0; shift < 32; shift += 8) {
            buffer[position++] = (byte) (v >>> shift);
        }
    }

    public void i64(final long v) {
        room(8);
        for (int shift = 0; shift < 64; shift += 8) {
            buffer[position++] = (byte) (v >>> shift);
        }
    }

    public void bool(final boolean v) {
        i8(v ? 1 : 0);
    }

    public void string(final String s) {
        final byte[] utf8 = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
        i32(utf8.length);
        bytes(utf8, 0, utf8.length);
    }

    /** An enum, by its stored name. */
    public void stored(final StoredName value) {
        string(value.storedName());
    }

    public void bytes(final byte[] src, final int offset, final int length) {
        int done = 0;
        while (done < length) {
            if (position == buffer.length) {
                drain();
            }
            final int n = Math.min(length - done, buffer.length - position);
            System.arraycopy(src, offset + done, buffer, position, n);
            position += n;
            done += n;
        }
    }

    public void bytes(final org.agrona.DirectBuffer src, final int offset, final int length) {
        int done = 0;
        while (done < length) {
            if (position == buffer.length) {
                drain();
            }
            final int n = Math.min(length - done, buffer.length - position);
            src.getBytes(offset + done, buffer, position, n);
            position += n;
            done += n;
        }
    }

    /** Pushes buffered bytes to the stream; checksums then cover everything written. */
    public void flush() {
        drain();
        try {
            if (out != null) {
                out.flush();
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the digest afresh from here (a snapshot's header is not part of the state digest). */
    public void restartDigest() {
        drain();
        digest.reset();
    }

    /** CRC32C of everything written so far (call {@link #flush()} first). */
    public int crc() {
        return (int) crc.getValue();
    }

    /** SHA-256 of everything written so far (call {@link #flush()} first); resets the digest. */
    public byte[] digest() {
        return digest.digest();
    }

    public long bytesWritten() {
        return bytes + position;
    }
}
