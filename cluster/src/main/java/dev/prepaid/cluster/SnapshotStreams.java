package dev.prepaid.cluster;

import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.ImageFragmentAssembler;
import io.aeron.Publication;
import io.aeron.logbuffer.FragmentHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteOrder;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The ledger's snapshot bytes (the same {@code PPSNAP01} stream a single node writes to a file) carried in the
 * cluster's snapshot: written as messages of at most {@link #CHUNK} bytes, each whole message a piece of the stream,
 * and an end message; read back as a stream that polls the snapshot image as it needs. Pieces are offered as the
 * ledger writes them, never the whole state at once, so neither side holds a second copy of a large ledger, and the
 * service thread stays in the cluster's idle strategy (which keeps its heartbeat going) while the archive catches up.
 */
final class SnapshotStreams {
    /** A piece of the stream: a message of this many bytes or fewer (well under the term's largest message). */
    static final int CHUNK = 32 * 1024;
    private static final int KIND_PIECE = 1;
    private static final int KIND_END = 2;
    private static final int HEADER = 4;
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private SnapshotStreams() {
    }

    /** Offers what is written to {@code publication}, {@link #CHUNK} bytes a message; {@link #close} ends the stream. */
    static final class Out extends OutputStream {
        private final ExclusivePublication publication;
        private final IdleStrategy idle;
        private final UnsafeBuffer message = new UnsafeBuffer(new byte[HEADER + CHUNK]);
        private int filled;
        private long bytes;

        Out(final ExclusivePublication publication, final IdleStrategy idle) {
            this.publication = publication;
            this.idle = idle;
        }

        @Override
        public void write(final int b) throws IOException {
            if (filled == CHUNK) {
                flushPiece();
            }
            message.putByte(HEADER + filled++, (byte) b);
        }

        @Override
        public void write(final byte[] source, final int offset, final int length) throws IOException {
            int done = 0;
            while (done < length) {
                if (filled == CHUNK) {
                    flushPiece();
                }
                final int n = Math.min(CHUNK - filled, length - done);
                message.putBytes(HEADER + filled, source, offset + done, n);
                filled += n;
                done += n;
            }
        }

        private void flushPiece() throws IOException {
            message.putInt(0, KIND_PIECE, ORDER);
            offer(HEADER + filled);
            bytes += filled;
            filled = 0;
        }

        private void offer(final int length) throws IOException {
            idle.reset();
            while (true) {
                final long result = publication.offer(message, 0, length);
                if (result > 0) {
                    return;
                }
                if (result == Publication.CLOSED || result == Publication.NOT_CONNECTED
                        || result == Publication.MAX_POSITION_EXCEEDED) {
                    throw new IOException("the snapshot publication refused a piece (" + Publication.errorString(result)
                            + ") after " + bytes + " bytes");
                }
                idle.idle();
            }
        }

        /** The bytes of the stream offered so far. */
        long bytes() {
            return bytes + filled;
        }

        @Override
        public void close() throws IOException {
            if (filled > 0) {
                flushPiece();
            }
            message.putInt(0, KIND_END, ORDER);
            offer(HEADER);
        }
    }

    /** The stream {@link Out} wrote, read from the snapshot image at start. */
    static final class In extends InputStream {
        private final Image image;
        private final IdleStrategy idle;
        private final byte[] piece = new byte[CHUNK];
        private int length;
        private int position;
        private boolean ended;
        private final FragmentHandler handler = (buffer, offset, size, header) -> {
            final int kind = buffer.getInt(offset, ORDER);
            if (kind == KIND_END) {
                ended = true;
            } else if (kind == KIND_PIECE) {
                length = size - HEADER;
                buffer.getBytes(offset + HEADER, piece, 0, length);
                position = 0;
            } else {
                throw new IllegalStateException("not a ledger snapshot: a message of kind " + kind + " in the snapshot");
            }
        };

        /** A piece is larger than the snapshot channel's MTU: its fragments are put together first. */
        private final ImageFragmentAssembler assembler = new ImageFragmentAssembler(handler);

        In(final Image image, final IdleStrategy idle) {
            this.image = image;
            this.idle = idle;
        }

        /** Polls one message (a piece or the end) when the current piece is used up; false at the end. */
        private boolean fill() throws IOException {
            idle.reset();
            while (position == length && !ended) {
                final int fragments = image.poll(assembler, 1); // one fragment a poll: a piece is read before the next
                if (fragments == 0) {
                    if (image.isClosed() || image.isEndOfStream()) {
                        throw new IOException("the cluster's snapshot ended before the ledger's stream did");
                    }
                    idle.idle();
                }
            }
            return position < length;
        }

        @Override
        public int read() throws IOException {
            if (!fill()) {
                return -1;
            }
            return piece[position++] & 0xFF;
        }

        @Override
        public int read(final byte[] target, final int offset, final int count) throws IOException {
            if (count == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            final int n = Math.min(count, length - position);
            System.arraycopy(piece, position, target, offset, n);
            position += n;
            return n;
        }

        /** Reads to the end message, so the image is left where the cluster expects it. */
        void drain() throws IOException {
            while (fill()) {
                position = length;
            }
        }
    }
}
