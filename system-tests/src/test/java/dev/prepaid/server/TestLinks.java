package dev.prepaid.server;

import dev.prepaid.iso8583.IsoFrame;
import dev.prepaid.iso8583.IsoMessage;
import dev.prepaid.pos.PosLink;
import dev.prepaid.pos.SocketLink;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Terminal lines ({@link PosLink}) for the end-to-end tests: a real TCP line to the switch that, when a test tells it
 * to, loses, corrupts or keeps a frame. (dev.prepaid.demo.LossyLink, which loses an answer for the demo, is not
 * visible from here.)
 */
final class TestLinks {
    private TestLinks() {
    }

    /** A line that passes everything on to its {@link SocketLink}; the links below change only what they need. */
    abstract static class ForwardingLink implements PosLink {
        final SocketLink socket;

        ForwardingLink(final SocketLink socket) {
            this.socket = socket;
        }

        @Override
        public void connect() throws IOException {
            socket.connect();
        }

        @Override
        public void send(final byte[] frame, final int offset, final int length) throws IOException {
            socket.send(frame, offset, length);
        }

        @Override
        public int receive(final byte[] buffer, final int offset, final int minLength, final int capacity,
                final long deadlineNanos) throws IOException {
            return socket.receive(buffer, offset, minLength, capacity, deadlineNanos);
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    /**
     * A TCP line that loses the next request (never sent) or the next answer (read off the socket, then
     * withheld) when told to, failing the exchange as a read timeout would, at once; and that can send a recorded
     * request again byte for byte. The answer it withheld is kept, so a test knows what the switch decided.
     */
    static final class UnreliableLink extends ForwardingLink {
        private boolean loseRequest;
        private boolean loseAnswer;
        private boolean requestLost;
        private byte[] lastRequest;
        private byte[] lostAnswer;

        UnreliableLink(final int port) {
            super(new SocketLink("127.0.0.1", port, 3_000));
        }

        void heal() {
            loseRequest = false;
            loseAnswer = false;
            requestLost = false;
        }

        void loseNextRequest() {
            loseRequest = true;
        }

        void loseNextAnswer() {
            loseAnswer = true;
        }

        /** The body of the last answer withheld by {@link #loseNextAnswer} (null before any). */
        byte[] lostAnswer() {
            return lostAnswer == null ? null : lostAnswer.clone();
        }

        /** The last frame the terminal sent (or tried to), length prefix included. */
        byte[] lastRequest() {
            return lastRequest.clone();
        }

        /** Sends a frame (length prefix included) and decodes the switch's answer. */
        IsoMessage resend(final byte[] frame) {
            try {
                socket.connect();
                socket.send(frame, 0, frame.length);
                final byte[] answer = new byte[DemoSwitch.dialect().maxFrameLength];
                final int length = socket.receive(answer, 0, DemoSwitch.dialect().minFrameLength, answer.length,
                        System.nanoTime() + 10_000_000_000L);
                return EndToEnd.decode(Arrays.copyOf(answer, length));
            } catch (final IOException e) {
                throw new AssertionError("resending failed", e);
            }
        }

        @Override
        public void send(final byte[] frame, final int offset, final int length) throws IOException {
            lastRequest = Arrays.copyOfRange(frame, offset, offset + length);
            if (loseRequest) {
                loseRequest = false;
                requestLost = true;
                return;
            }
            socket.send(frame, offset, length);
        }

        @Override
        public int receive(final byte[] buffer, final int offset, final int minLength, final int capacity,
                final long deadlineNanos) throws IOException {
            if (requestLost) {
                requestLost = false;
                throw new SocketTimeoutException("request lost on the way");
            }
            final int length = socket.receive(buffer, offset, minLength, capacity, deadlineNanos);
            if (loseAnswer) {
                loseAnswer = false;
                lostAnswer = Arrays.copyOfRange(buffer, offset, offset + length);
                throw new SocketTimeoutException("answer lost on the way");
            }
            return length;
        }
    }

    /**
     * A TCP line that flips one bit in the last byte of a chosen field of the next request, as line noise or an
     * attacker would.
     */
    static final class CorruptingLink extends ForwardingLink {
        private int fieldToCorrupt;

        CorruptingLink(final int port) {
            super(new SocketLink("127.0.0.1", port, 3_000));
        }

        void corruptNextRequest(final int field) {
            fieldToCorrupt = field;
        }

        @Override
        public void send(final byte[] frame, final int offset, final int length) throws IOException {
            if (fieldToCorrupt == 0) {
                socket.send(frame, offset, length);
                return;
            }
            final byte[] copy = frame.clone();
            final IsoMessage request = new IsoMessage(DemoSwitch.dialect());
            final int prefix = IsoFrame.LENGTH_BYTES;
            if (!request.wrap(new UnsafeBuffer(copy), offset + prefix, length - prefix) || !request.has(fieldToCorrupt)) {
                throw new AssertionError("request without field " + fieldToCorrupt + " to corrupt");
            }
            copy[request.dataOffset(fieldToCorrupt) + request.dataBytes(fieldToCorrupt) - 1] ^= 0x01;
            fieldToCorrupt = 0;
            socket.send(copy, offset, length);
        }
    }

    /** A terminal's line that, while {@link #capture} is set, keeps the frame instead of sending it (and times out). */
    static final class CapturingLink extends ForwardingLink {
        volatile boolean capture;
        byte[] captured;

        CapturingLink(final SocketLink socket) {
            super(socket);
        }

        @Override
        public void connect() throws IOException {
            if (!capture) {
                socket.connect();
            }
        }

        @Override
        public void send(final byte[] frame, final int offset, final int length) throws IOException {
            if (capture) {
                captured = Arrays.copyOfRange(frame, offset, offset + length);
            } else {
                socket.send(frame, offset, length);
            }
        }

        @Override
        public int receive(final byte[] buffer, final int offset, final int minLength, final int capacity,
                final long deadlineNanos) throws IOException {
            if (capture) {
                throw new SocketTimeoutException("captured, not sent");
            }
            return socket.receive(buffer, offset, minLength, capacity, deadlineNanos);
        }

        @Override
        public void close() {
            if (!capture) {
                socket.close();
            }
        }
    }
}
