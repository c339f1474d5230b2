package dev.prepaid.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the admin endpoint that answers as a script says — a 503, a 500, text that is not JSON, or
 * nothing at all (the connection dropped after the request was read) — and keeps every request it read, so a
 * test sees what the CLI sent and how often. One connection per request ({@code Connection: close}).
 */
final class FakeEndpoint implements AutoCloseable {
    /** One request as read: its request line, headers and body. */
    record Request(String requestLine, String head, String body) {
    }

    /** An answer: an HTTP status and a body; {@link #DROP} closes the connection without one. */
    record Reply(int status, String body) {
        static final Reply DROP = new Reply(0, null);
    }

    /** The answer to the {@code attempt}-th request (1 for the first). */
    interface Script {
        Reply answer(int attempt, Request request);
    }

    private final ServerSocket socket;
    private final Script script;
    private final Thread acceptor;
    final List<Request> requests = new CopyOnWriteArrayList<>();

    FakeEndpoint(final Script script) throws IOException {
        this.script = script;
        this.socket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::serve, "fake-admin-endpoint");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + socket.getLocalPort();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket connection = socket.accept()) {
                final Request request = read(connection.getInputStream());
                requests.add(request);
                final Reply reply = script.answer(requests.size(), request);
                if (reply.body() == null) {
                    continue;
                }
                final byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
                final OutputStream out = connection.getOutputStream();
                out.write(("HTTP/1.1 " + reply.status() + " X\r\nContent-Type: application/json; charset=utf-8\r\n"
                        + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            } catch (final IOException e) {
                // closed by the test, or a client that went away: the next accept decides
            }
        }
    }

    private static Request read(final InputStream in) throws IOException {
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            final int b = in.read();
            if (b < 0) {
                throw new IOException("the client closed the connection mid-request");
            }
            head.write(b);
        }
        final String text = head.toString(StandardCharsets.US_ASCII);
        int length = 0;
        for (final String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        final byte[] body = in.readNBytes(length);
        return new Request(text.substring(0, text.indexOf("\r\n")), text, new String(body, StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
