package dev.prepaid.server;

import dev.prepaid.iso8583.Dialect;
import dev.prepaid.iso8583.IsoMessage;
import dev.prepaid.iso8583.Transaction;
import dev.prepaid.pipeline.CommandEvent;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One terminal connection: its request in flight (the protocol allows one), kept until the reply is written,
 * and the buffer the reply is encoded into. The I/O thread fills the request; the reply thread encodes the
 * response after the ledger; the write happens back on the connection's event loop.
 */
final class Connection extends ReplyTarget {
    final Channel channel;
    final byte[] requestBytes;
    final UnsafeBuffer requestBuffer;
    final IsoMessage request;
    Transaction transaction;
    long terminalId;
    final byte[] replyBytes;
    final UnsafeBuffer replyBuffer;
    private int replyLength;
    volatile boolean inFlight;
    long receivedNanos;
    private final Runnable writeReply = this::writeReply;

    Connection(final Channel channel, final Dialect dialect) {
        this.channel = channel;
        this.requestBytes = new byte[dialect.maxFrameLength];
        this.requestBuffer = new UnsafeBuffer(requestBytes);
        this.request = new IsoMessage(dialect);
        this.replyBytes = new byte[dialect.maxFrameLength];
        this.replyBuffer = new UnsafeBuffer(replyBytes);
    }

    /** Takes a request frame body that will be published (the previous one's reply has been written). */
    void accept(final byte[] frame, final int length, final Transaction recognised, final long terminal, final long nanos) {
        System.arraycopy(frame, 0, requestBytes, 0, length);
        request.wrap(requestBuffer, 0, length);
        transaction = recognised;
        terminalId = terminal;
        receivedNanos = nanos;
        inFlight = true;
    }

    @Override
    void onReply(final CommandEvent event, final Replies replies) {
        if (!channel.isActive()) {
            inFlight = false;
            return; // the terminal is gone: it will reverse; nothing to do
        }
        replyLength = replies.encode(this, event);
        if (replyLength <= 0) {
            inFlight = false;
            return;
        }
        if (channel.eventLoop().inEventLoop()) {
            writeReply(); // the stages run on this connection's I/O thread (IO_THREAD): no hop
        } else {
            channel.eventLoop().execute(writeReply);
        }
    }

    private void writeReply() {
        final ByteBuf frame = channel.alloc().buffer(2 + replyLength);
        frame.writeShort(replyLength);
        frame.writeBytes(replyBytes, 0, replyLength);
        inFlight = false;
        channel.writeAndFlush(frame, channel.voidPromise());
    }

    /** Writes an answer the I/O thread made without the ledger (refusals, echo test). */
    void writeNow(final byte[] bytes, final int length) {
        final ByteBuf frame = channel.alloc().buffer(2 + length);
        frame.writeShort(length);
        frame.writeBytes(bytes, 0, length);
        channel.writeAndFlush(frame, channel.voidPromise());
    }
}
