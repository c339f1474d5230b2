package dev.prepaid.pos;

import java.io.IOException;

/**
 * The terminal's line to the switch: frames with the 2-byte big-endian length prefix (pos-iso8583 §1), one
 * request in flight. {@link SocketLink} is the TCP one; tests may plug in others. Blocking; not thread-safe.
 */
public interface PosLink extends AutoCloseable {
    /**
     * Opens the connection when it is not open. A failure here means nothing was sent.
     *
     * @throws IOException when the switch cannot be reached
     */
    void connect() throws IOException;

    /** Writes one frame: {@code frame[offset..offset+length)} already starts with its 2-byte length. */
    void send(byte[] frame, int offset, int length) throws IOException;

    /**
     * Reads the next frame into {@code buffer[offset..)}, without its length prefix, waiting at most until
     * {@code deadlineNanos} ({@link System#nanoTime()} time).
     *
     * @return the frame body's length
     * @throws java.net.SocketTimeoutException at the deadline
     * @throws FrameException                  when the announced length is below {@code minLength} or above
     *                                         {@code capacity} (the connection is then unusable)
     * @throws IOException                     when the connection breaks
     */
    int receive(byte[] buffer, int offset, int minLength, int capacity, long deadlineNanos) throws IOException;

    /** Drops the connection (after a timeout or a broken frame); the next {@link #connect()} opens a new one. */
    @Override
    void close();

    /** A length prefix the terminal cannot accept. */
    final class FrameException extends IOException {
        private static final long serialVersionUID = 1L;

        public FrameException(final String message) {
            super(message);
        }
    }
}
