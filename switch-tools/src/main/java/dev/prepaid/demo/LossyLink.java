package dev.prepaid.demo;

import dev.prepaid.pos.PosLink;
import java.io.IOException;
import java.net.SocketTimeoutException;

/**
 * A terminal line that can lose one answer on purpose: the switch answered, but the terminal never sees it —
 * what a dropped mobile connection does to a real terminal. The terminal then owes a reversal.
 */
final class LossyLink implements PosLink {
    private final PosLink line;
    private boolean loseNext;

    LossyLink(final PosLink line) {
        this.line = line;
    }

    /** The next answer is read from the switch and thrown away. */
    void loseNextAnswer() {
        loseNext = true;
    }

    @Override
    public void connect() throws IOException {
        line.connect();
    }

    @Override
    public void send(final byte[] frame, final int offset, final int length) throws IOException {
        line.send(frame, offset, length);
    }

    @Override
    public int receive(final byte[] buffer, final int offset, final int minLength, final int capacity,
            final long deadlineNanos) throws IOException {
        final int length = line.receive(buffer, offset, minLength, capacity, deadlineNanos);
        if (loseNext) {
            loseNext = false;
            throw new SocketTimeoutException("the answer was lost on the way (demo)");
        }
        return length;
    }

    @Override
    public void close() {
        line.close();
    }
}
