package dev.prepaid.pos;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A blocking TCP connection to the switch with a connect timeout and a per-exchange read deadline. Opened on
 * first use and kept between exchanges, like a terminal on a leased line; {@link #close()}d by the terminal
 * after a timeout so that a late answer cannot be taken for the next one.
 */
public final class SocketLink implements PosLink {
    private final String host;
    private final int port;
    private final int connectTimeoutMs;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private long connects;

    public SocketLink(final String host, final int port, final int connectTimeoutMs) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1-65535, not " + port);
        }
        if (connectTimeoutMs < 1) {
            throw new IllegalArgumentException("connect timeout must be at least 1 ms");
        }
        this.host = host;
        this.port = port;
        this.connectTimeoutMs = connectTimeoutMs;
    }

    @Override
    public void connect() throws IOException {
        if (socket != null) {
            return;
        }
        final Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setKeepAlive(true);
            s.connect(new InetSocketAddress(host, port), connectTimeoutMs);
            in = s.getInputStream();
            out = s.getOutputStream();
        } catch (final IOException e) {
            closeQuietly(s);
            throw e;
        }
        socket = s;
        connects++;
    }

    @Override
    public void send(final byte[] frame, final int offset, final int length) throws IOException {
        if (socket == null) {
            throw new IOException("not connected");
        }
        out.write(frame, offset, length);
        out.flush();
    }

    @Override
    public int receive(final byte[] buffer, final int offset, final int minLength, final int capacity,
            final long deadlineNanos) throws IOException {
        if (socket == null) {
            throw new IOException("not connected");
        }
        readFully(buffer, offset, 2, deadlineNanos);
        final int length = ((buffer[offset] & 0xFF) << 8) | (buffer[offset + 1] & 0xFF);
        if (length < minLength || length > capacity) {
            throw new FrameException("answer announces a frame of " + length + " bytes, expected " + minLength
                    + " to " + capacity);
        }
        readFully(buffer, offset, length, deadlineNanos);
        return length;
    }

    private void readFully(final byte[] buffer, final int offset, final int length, final long deadlineNanos)
            throws IOException {
        int read = 0;
        while (read < length) {
            final long leftMs = (deadlineNanos - System.nanoTime()) / 1_000_000;
            if (leftMs <= 0) {
                throw new SocketTimeoutException("read timed out");
            }
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, leftMs));
            final int n = in.read(buffer, offset + read, length - read);
            if (n < 0) {
                throw new EOFException("the switch closed the connection");
            }
            read += n;
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            closeQuietly(socket);
            socket = null;
            in = null;
            out = null;
        }
    }

    public boolean isConnected() {
        return socket != null;
    }

    /** How many connections were opened (a test sees the reconnect after a timeout). */
    public long connects() {
        return connects;
    }

    private static void closeQuietly(final Socket s) {
        try {
            s.close();
        } catch (final IOException ignored) {
            // nothing to do: the connection is being dropped
        }
    }

    @Override
    public String toString() {
        return "SocketLink[" + host + ":" + port + "]";
    }
}
