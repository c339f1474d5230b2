package dev.prepaid.pos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.iso8583.Dialect;
import dev.prepaid.iso8583.IsoFrame;
import dev.prepaid.iso8583.IsoMessage;
import dev.prepaid.iso8583.IsoWriter;
import dev.prepaid.iso8583.Transaction;
import dev.prepaid.security.DesKey;
import dev.prepaid.security.KeyLayout;
import dev.prepaid.security.MacFunction;
import dev.prepaid.security.WorkingKeys;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A switch in the test: a {@link ServerSocket} whose connection threads answer each request with a canned
 * response built by {@link IsoWriter} from the dialect's transaction table (echo fields copied, the others
 * set), field 62 of the sign-on built by {@link WorkingKeys#writeField62}, field 64 with the session MAK. Every
 * request is recorded as received. Behaviours can be scripted per transaction for its next request: stay
 * silent, spoil the MAC, leave it out, send a stray answer first, or answer with another response code.
 */
final class FakeSwitch implements AutoCloseable {
    enum Behaviour { ANSWER, SILENT, BAD_MAC, NO_MAC, STRAY_FIRST, CLOSE }

    static final long BALANCE = 100_000;

    private final Dialect dialect;
    private final DesKey tmk;
    private final KeyLayout layout;
    private final MacFunction mac;
    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Socket> sockets = new ArrayList<>();
    private final BlockingQueue<byte[]> requests = new LinkedBlockingQueue<>();
    private final Map<String, Queue<Behaviour>> behaviours = new ConcurrentHashMap<>();
    private final Map<String, Queue<String>> codes = new ConcurrentHashMap<>();
    private final AtomicInteger rrn = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();

    volatile WorkingKeys fixedKeys;
    volatile WorkingKeys keys;
    /** Field 62 encrypted under this key instead of the TMK (a switch holding another TMK). */
    volatile DesKey field62Key;
    /** Flip a bit of the MAK's check value in field 62. */
    volatile boolean corruptKcv;
    volatile int batchToAdopt = 1;
    volatile int settlementFlag = 1;

    FakeSwitch(final Dialect dialect, final DesKey tmk, final KeyLayout layout, final MacFunction mac)
            throws IOException {
        this.dialect = dialect;
        this.tmk = tmk;
        this.layout = layout;
        this.mac = mac;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "fake-switch-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    /** The next request of this transaction-table row gets this behaviour (queued, one per request). */
    FakeSwitch next(final String row, final Behaviour behaviour) {
        behaviours.computeIfAbsent(row, k -> new ConcurrentLinkedQueue<>()).add(behaviour);
        return this;
    }

    /** The next request of this row is answered with this response code. */
    FakeSwitch answer(final String row, final String responseCode) {
        codes.computeIfAbsent(row, k -> new ConcurrentLinkedQueue<>()).add(responseCode);
        return this;
    }

    /** The next request received (as a frame body), waiting at most 5 s. */
    byte[] take() throws InterruptedException {
        final byte[] request = requests.poll(5, TimeUnit.SECONDS);
        assertThat(request).as("a request reached the fake switch").isNotNull();
        return request;
    }

    /** The next request, decoded. */
    IsoMessage takeMessage() throws InterruptedException {
        return decode(take());
    }

    /** The requests received and not taken yet, decoded. */
    List<IsoMessage> drain() {
        final List<byte[]> frames = new ArrayList<>();
        requests.drainTo(frames);
        final List<IsoMessage> out = new ArrayList<>();
        for (final byte[] frame : frames) {
            out.add(decode(frame));
        }
        return out;
    }

    IsoMessage decode(final byte[] frame) {
        final IsoMessage message = new IsoMessage(dialect);
        assertThat(message.wrap(new UnsafeBuffer(frame), 0, frame.length)).as("request decodes: %s", message.error())
                .isTrue();
        return message;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                final Socket socket = server.accept();
                connections.incrementAndGet();
                synchronized (sockets) {
                    sockets.add(socket);
                }
                final Thread reader = new Thread(() -> serve(socket), "fake-switch-conn");
                reader.setDaemon(true);
                reader.start();
            } catch (final IOException e) {
                return;
            }
        }
    }

    private void serve(final Socket socket) {
        final byte[] out = new byte[2 + dialect.maxFrameLength];
        final UnsafeBuffer outBuffer = new UnsafeBuffer(out);
        final IsoWriter writer = new IsoWriter(dialect);
        try (socket) {
            final DataInputStream in = new DataInputStream(socket.getInputStream());
            final OutputStream os = socket.getOutputStream();
            while (true) {
                final int length = in.readUnsignedShort();
                final byte[] frame = new byte[length];
                in.readFully(frame);
                requests.add(frame);
                final IsoMessage request = decode(frame);
                final Transaction row = dialect.transactions().find(request);
                assertThat(row).as("request recognised by the table").isNotNull();
                final Queue<Behaviour> queued = behaviours.get(row.name);
                final Behaviour behaviour = queued == null || queued.isEmpty() ? Behaviour.ANSWER : queued.poll();
                if (behaviour == Behaviour.SILENT) {
                    continue;
                }
                if (behaviour == Behaviour.CLOSE) {
                    return;
                }
                final Queue<String> queuedCode = codes.get(row.name);
                final String rc = queuedCode == null || queuedCode.isEmpty() ? "00" : queuedCode.poll();
                if (behaviour == Behaviour.STRAY_FIRST) {
                    final int strayLength = respond(writer, outBuffer, out, request, row, rc, behaviour, true);
                    os.write(out, 0, 2 + strayLength);
                }
                final int responseLength = respond(writer, outBuffer, out, request, row, rc, behaviour, false);
                os.write(out, 0, 2 + responseLength);
                os.flush();
            }
        } catch (final EOFException e) {
            // the terminal hung up
        } catch (final IOException e) {
            // closed
        }
    }

    private int respond(final IsoWriter writer, final UnsafeBuffer outBuffer, final byte[] out,
            final IsoMessage request, final Transaction row, final String rc, final Behaviour behaviour,
            final boolean stray) {
        writer.wrapResponse(outBuffer, 2, out.length - 2, request, row.responseMti);
        for (int field = 2; field <= 63; field++) {
            if (field == 11 && stray) {
                writer.putNumeric(11, (request.numeric(11) + 500) % 1_000_000);
            } else if (row.echoes(field) && request.has(field)) {
                writer.copyField(request, field);
            } else if (row.sets(field)) {
                set(writer, request, row, field, rc);
            }
        }
        if (row.mac && behaviour != Behaviour.NO_MAC) {
            final int mab = writer.beginMac();
            final byte[] macBytes = new byte[8];
            if (keys != null) {
                mac.compute(keys.mak(), out, writer.macBlockOffset(), mab, macBytes, 0);
            }
            if (behaviour == Behaviour.BAD_MAC) {
                macBytes[3] ^= 0x01;
            }
            writer.putBinary(64, macBytes, 0, 8);
        }
        final int length = writer.finish();
        assertThat(length).as("response encodes: %s", writer.error()).isPositive();
        IsoFrame.putBodyLength(outBuffer, 0, length);
        return length;
    }

    private void set(final IsoWriter writer, final IsoMessage request, final Transaction row, final int field,
            final String rc) {
        switch (field) {
            case 12 -> writer.putNumeric(12, 103_000);
            case 13 -> writer.putNumeric(13, 1123);
            case 15 -> writer.putNumeric(15, 1123);
            case 37 -> writer.putAscii(37, String.format("%012d", rrn.incrementAndGet()));
            case 38 -> writer.putAscii(38, String.format("A%05d", rrn.get()));
            case 39 -> writer.putAscii(39, rc);
            case 48 -> {
                if (row.name.equals("BATCH_SETTLEMENT")) {
                    writer.beginField(48).copyContent(request, 48)
                            .putSubField(dialect.subField("48.domesticFlag"), settlementFlag).endField();
                }
            }
            case 54 -> {
                if ("00".equals(rc) && (row.name.equals("PURCHASE") || row.name.equals("BALANCE_INQUIRY")
                        || row.name.equals("RECHARGE"))) {
                    writer.putAscii(54, "1002156C" + String.format("%012d", BALANCE));
                }
            }
            case 60 -> writer.beginField(60).putSubField(dialect.subField("60.1"), 0)
                    .putSubField(dialect.subField("60.2"), batchToAdopt)
                    .putSubField(dialect.subField("60.3"), request.subField(dialect.subField("60.3"))).endField();
            case 62 -> {
                if ("00".equals(rc)) {
                    final WorkingKeys fresh = fixedKeys != null ? fixedKeys : WorkingKeys.generate(layout, random);
                    keys = fresh;
                    final byte[] field62 = fresh.field62(field62Key != null ? field62Key : tmk);
                    if (corruptKcv) {
                        field62[layout.makCheckValueOffset()] ^= 0x01;
                    }
                    writer.putBinary(62, field62, 0, field62.length);
                }
            }
            default -> {
                // 32, 44, 63: nothing to say
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (sockets) {
            for (final Socket socket : sockets) {
                socket.close();
            }
        }
    }
}
