package dev.prepaid.server;

import dev.prepaid.command.Outcome;
import dev.prepaid.command.ResponseCode;
import dev.prepaid.iso8583.Dialect;
import dev.prepaid.iso8583.IsoMessage;
import dev.prepaid.iso8583.SubField;
import dev.prepaid.iso8583.Transaction;
import dev.prepaid.iso8583.TransactionTable;
import dev.prepaid.security.DesKey;
import dev.prepaid.security.MacFunction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The ISO 8583 codec as the server uses it per request: decode a purchase (the example of pos-iso8583, 14 fields),
 * recognise its transaction from the dialect's table, read the fields a command needs, and write the 0210 with the
 * server's own {@link ResponseWriter} (every field the table lists, from an approved outcome). {@code codec}: that
 * alone, without MACs (the target: ≥ 1 million per second per core, 0 bytes per message);
 * {@code codecAndMacs}: plus verifying the request's CUP ECB MAC and the response's MAC, as the server does with a
 * double-length MAK; {@code decodeOnly} and {@code answerOnly}: each half alone (the second recognises the
 * transaction again, to find the fields to write). Throughput per thread, one thread. In the server's package
 * because the response writer is the server's, not a public API.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class IsoCodecBenchmark {
    /** The purchase example of pos-iso8583 (TPDU, header, 0200 with fields 2 3 4 11 22 25 26 41 42 49 52 53 60 64). */
    private static final String PURCHASE = "6000030000" + "603100310000" + "0200" + "702004C000C09811"
            + "196228480402564890" + "0180" + "000000" + "000000010000" + "000123" + "0210" + "00" + "12"
            + ascii("TERM0001") + ascii("MERCHANT0000001") + ascii("156") + "1122334455667788" + "2600000000000000"
            + "0011220000010000" + "A1A2A3A4A5A6A7A8";

    private TransactionTable table;
    private IsoMessage request;
    private ResponseWriter responses;
    private final ResponseWriter.Answer approved = new ResponseWriter.Answer();
    private final Outcome outcome = new Outcome();
    private Session session;
    private UnsafeBuffer in;
    private byte[] inBytes;
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[2048]);
    private final byte[] scratch = new byte[8];
    private final DesKey mak = DesKey.fromHex("0123456789ABCDEFFEDCBA9876543210");
    private int macFailures;
    private SubField batch;

    @Setup
    public void setUp() {
        final Dialect dialect = Dialect.load(dialectPath());
        table = dialect.transactions();
        request = new IsoMessage(dialect);
        responses = new ResponseWriter(dialect, "48020000", "CUP", ZoneId.of("Asia/Shanghai"));
        session = new Session(mak, mak, MacFunction.CUP_ECB);
        inBytes = hex(PURCHASE);
        in = new UnsafeBuffer(inBytes);
        batch = dialect.subField("60.2");
        outcome.rrn = 633412000042L;
        outcome.authCode = 123456;
        outcome.availableBalance = 123456;
        outcome.businessDate = 20261124;
        outcome.batch = 12;
        outcome.issuerInstitutionId = "48020000";
        final long answered = codec();
        if (answered <= 0) {
            throw new IllegalStateException("the example purchase was not answered (" + answered + "): "
                    + request.error() + " / " + responses.error());
        }
    }

    @Benchmark
    public long codec() {
        return decodeAndAnswer(false);
    }

    @Benchmark
    public long codecAndMacs() {
        return decodeAndAnswer(true);
    }

    /** The decoding half alone: decode, recognise, read what a command needs. */
    @Benchmark
    public long decodeOnly() {
        if (!request.wrap(in, 0, inBytes.length)) {
            return -1;
        }
        final Transaction transaction = table.find(request);
        if (transaction == null || transaction.missingField(request.bitmap()) != 0) {
            return -2;
        }
        return request.digits(2, 0, request.length(2) - 1) + request.numeric(4) + request.numeric(11)
                + request.asciiPacked(41, 0) + request.asciiPacked(42, 0) + request.subField(batch);
    }

    /** The encoding half alone: the 0210 for the request decoded in the set-up. */
    @Benchmark
    public long answerOnly() {
        return answer(table.find(request), false, 0);
    }

    private long decodeAndAnswer(final boolean macs) {
        if (!request.wrap(in, 0, inBytes.length)) {
            return -1;
        }
        final Transaction transaction = table.find(request);
        if (transaction == null || transaction.missingField(request.bitmap()) != 0) {
            return -2;
        }
        if (macs && !session.mac().verify(mak, inBytes, request.macBlockOffset(), request.macBlockLength(),
                inBytes, inBytes.length - 8, scratch)) {
            // The example's MAC is not under this key; the verification's cost is what is measured.
            macFailures++;
        }
        // What the reader takes into the command.
        final long read = request.digits(2, 0, request.length(2) - 1) + request.numeric(4) + request.numeric(11)
                + request.asciiPacked(41, 0) + request.asciiPacked(42, 0) + request.subField(batch);
        return answer(transaction, macs, read);
    }

    private long answer(final Transaction transaction, final boolean macs, final long read) {
        approved.set(ResponseCode.APPROVED, outcome, 1_795_000_000_000L);
        approved.session = macs ? session : null;
        final int length = responses.write(request, transaction, approved, out);
        // The fields read are folded in so the JIT cannot drop the reads; a failed write stays negative.
        return length <= 0 ? -3 : length + (read & 0xFFFF) + macFailures;
    }

    private static Path dialectPath() {
        Path dir = Path.of(System.getProperty("prepaid.home", System.getProperty("user.dir"))).toAbsolutePath();
        while (dir != null) {
            final Path candidate = dir.resolve(Dialect.DEFAULT_PATH);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException(Dialect.DEFAULT_PATH + " not found above the working directory");
    }

    private static String ascii(final String text) {
        final StringBuilder hex = new StringBuilder();
        for (final byte b : text.getBytes(StandardCharsets.US_ASCII)) {
            hex.append(String.format("%02X", b));
        }
        return hex.toString();
    }

    private static byte[] hex(final String text) {
        final byte[] bytes = new byte[text.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(text.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }
}
