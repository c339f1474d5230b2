package dev.prepaid.pos;

import dev.prepaid.iso8583.Transaction;
import java.util.Arrays;

/**
 * One request a {@link PosTerminal} built, and what the terminal does with its answer. The blocking operations
 * of the terminal run exchanges over its {@link PosLink} one after the other; a caller that moves frames itself
 * (one event loop driving thousands of terminals: bench's load generator) takes {@link #frame()} to the switch
 * and hands the answer back to {@link PosTerminal#answer}, or the lack of one to {@link PosTerminal#failed}.
 * Either returns the exchange to send next for the same operation (a batch upload after an unbalanced
 * settlement, then its end) or null when the operation is over; its outcome is then in the {@link #result()} of
 * the operation's first exchange. Not thread-safe: the terminal's thread only.
 */
public final class PosExchange {
    /** What the terminal does once the exchange ended; returns the next exchange of the operation, or null. */
    @FunctionalInterface
    interface Step {
        PosExchange next(PosExchange ended);
    }

    final PosResult result;
    final Transaction row;
    final int expectedStan;
    /** The request with its 2-byte length prefix. */
    final byte[] frame;
    /** After an answer that is this exchange's (status ANSWERED, or MAC_ERROR). */
    final Step answered;
    /** After no usable answer (status TIMEOUT, FAILED, NOT_SENT, MAC_ERROR). */
    final Step failed;

    PosExchange(final PosResult result, final Transaction row, final int expectedStan, final byte[] frame,
            final int frameLength, final Step answered, final Step failed) {
        this.result = result;
        this.row = row;
        this.expectedStan = expectedStan;
        this.frame = Arrays.copyOf(frame, frameLength);
        this.answered = answered;
        this.failed = failed;
        result.request = Arrays.copyOfRange(frame, PosTerminal.LENGTH_PREFIX, frameLength);
    }

    /** The request as it goes on the wire: the 2-byte length prefix, then TPDU to field 64. A copy. */
    public byte[] frame() {
        return frame.clone();
    }

    /** What this exchange sends. */
    public PosOperation operation() {
        return result.operation;
    }

    /** The STAN the answer must carry (field 11). */
    public int stan() {
        return expectedStan;
    }

    /** The outcome of this exchange, filled in as it ends. */
    public PosResult result() {
        return result;
    }

    @Override
    public String toString() {
        return "PosExchange[" + result.operation + ", stan " + Card.pad(expectedStan, 6) + ", " + frame.length
                + " bytes]";
    }
}
