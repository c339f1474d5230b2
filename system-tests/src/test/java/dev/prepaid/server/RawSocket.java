package dev.prepaid.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.iso8583.Dialect;
import dev.prepaid.iso8583.IsoFrame;
import dev.prepaid.iso8583.IsoMessage;
import dev.prepaid.iso8583.IsoWriter;
import dev.prepaid.pos.PosTerminal;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Raw TCP to the switch's POS port, for the tests that send what no terminal simulator would: frames written by
 * hand (with the 2-byte length of pos-iso8583 §1), answers read back frame by frame, lines the switch closes.
 */
final class RawSocket {
    /** How long a read waits for the switch (and a connect for the listener). */
    static final int WAIT_MS = 20_000;

    private RawSocket() {
    }

    /** A connection to the switch's POS port, reads waiting at most {@link #WAIT_MS}. */
    static Socket connect(final SwitchServer server) throws IOException {
        return connect(server, null);
    }

    /** The same from {@code localAddress} (e.g. 127.0.0.2, another loopback address); null: any. */
    static Socket connect(final SwitchServer server, final String localAddress) throws IOException {
        final Socket socket = new Socket();
        if (localAddress != null) {
            socket.bind(new InetSocketAddress(localAddress, 0));
        }
        socket.setSoTimeout(WAIT_MS);
        socket.connect(new InetSocketAddress("127.0.0.1", server.posPort()), WAIT_MS);
        return socket;
    }

    /** The body (without its length prefix) of the next frame; the line must not close before it is whole. */
    static byte[] readFrame(final Socket socket) throws IOException {
        final InputStream in = socket.getInputStream();
        final byte[] prefix = in.readNBytes(IsoFrame.LENGTH_BYTES);
        if (prefix.length < IsoFrame.LENGTH_BYTES) {
            throw new EOFException("connection closed instead of an answer");
        }
        final int length = IsoFrame.bodyLength(new UnsafeBuffer(prefix), 0);
        final byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new EOFException("connection closed in the middle of an answer");
        }
        return body;
    }

    /** Field 39 of an answer, which must be there. */
    static String responseCode(final IsoMessage message) {
        assertThat(message.has(39)).as("field 39 present").isTrue();
        return new String(new char[] {(char) message.byteAt(39, 0), (char) message.byteAt(39, 1)});
    }

    /** The STAN (field 11) of a request with its length prefix. */
    static long stanOf(final byte[] framed) {
        final IsoMessage message = new IsoMessage(DemoSwitch.dialect());
        assertThat(message.wrap(new UnsafeBuffer(framed), IsoFrame.LENGTH_BYTES, framed.length - IsoFrame.LENGTH_BYTES))
                .isTrue();
        return message.numeric(11);
    }

    /** The switch closes the line (end of stream or reset) and sends nothing before it does. */
    static void assertClosedWithoutAnswer(final Socket socket) throws IOException {
        final int first;
        try {
            first = socket.getInputStream().read();
        } catch (final SocketTimeoutException e) {
            throw new AssertionError("the switch kept the connection open for " + socket.getSoTimeout() + " ms", e);
        } catch (final SocketException reset) {
            return; // closed with unread bytes on its side: a reset
        }
        assertThat(first).as("no answer, just the end of the stream").isEqualTo(-1);
    }

    /** Writes, ignoring a line the switch has already closed. */
    static void sendQuietly(final Socket socket, final byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
        } catch (final IOException closed) {
            // refused: the switch closed it first
        }
    }

    /** An echo test (0820, 60.3 = 301) of {@code terminalId}, with its length prefix; no MAC (network management). */
    static byte[] echo(final String terminalId, final int stan) {
        return echo(terminalId, stan, 0);
    }

    /** The same, with {@code field62Bytes} bytes of filler in field 62 (none: no field 62) to make it longer. */
    static byte[] echo(final String terminalId, final int stan, final int field62Bytes) {
        final Dialect dialect = DemoSwitch.dialect();
        final byte[] frame = new byte[IsoFrame.LENGTH_BYTES + dialect.maxFrameLength];
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final IsoWriter writer = new IsoWriter(dialect).wrapRequest(buffer, IsoFrame.LENGTH_BYTES,
                frame.length - IsoFrame.LENGTH_BYTES, PosTerminal.DEFAULT_NII, 0, PosTerminal.DEFAULT_HEADER, 820);
        writer.putNumeric(11, stan).putAscii(41, terminalId).putAscii(42, DemoSwitch.SUPERMARKET)
                .beginField(60).putSubField(dialect.subField("60.1"), 0).putSubField(dialect.subField("60.2"), 1)
                .putSubField(dialect.subField("60.3"), 301).endField();
        if (field62Bytes > 0) {
            final byte[] filler = new byte[field62Bytes];
            Arrays.fill(filler, (byte) 'x');
            writer.putBinary(62, filler, 0, filler.length);
        }
        final int length = writer.finish();
        assertThat(length).as("%s", writer.error()).isPositive();
        IsoFrame.putBodyLength(buffer, 0, length);
        return Arrays.copyOf(frame, IsoFrame.LENGTH_BYTES + length);
    }
}
