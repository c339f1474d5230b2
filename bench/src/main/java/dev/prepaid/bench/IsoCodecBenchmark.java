package dev.prepaid.bench;

import dev.prepaid.iso8583.Bitmap;
import dev.prepaid.iso8583.Dialect;
import dev.prepaid.iso8583.IsoMessage;
import dev.prepaid.iso8583.IsoWriter;
import dev.prepaid.iso8583.SubField;
import dev.prepaid.iso8583.Transaction;
import dev.prepaid.iso8583.TransactionTable;
import dev.prepaid.security.DesKey;
import dev.prepaid.security.MacAlgorithm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * fields the table lists. {@code codec}: that alone (the target: ≥ 1 million per second per core, 0 bytes
 * per message); {@code codecAndMacs}: plus verifying the request's CUP ECB MAC and computing the response's, as
 * the server does with a double-length MAK; {@code decodeOnly} and {@code answerOnly}: each half alone (the second
 * recognises the transaction again, to find the fields to write). Throughput per thread, one thread.
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

    private Dialect dialect;
    private TransactionTable table;
    private IsoMessage request;
    private IsoWriter writer;
    private UnsafeBuffer in;
    private byte[] inBytes;
    private final byte[] outBytes = new byte[2048];
    private final UnsafeBuffer out = new UnsafeBuffer(outBytes);
    private final byte[] mac = new byte[8];
    private final byte[] scratch = new byte[8];
    private final DesKey mak = DesKey.fromHex("0123456789ABCDEFFEDCBA9876543210");
    private SubField batch;
    private SubField accountType;
    private SubField amountType;
    private SubField currency;
    private SubField sign;
    private SubField balance;

    @Setup
    public void setUp() {
        dialect = Dialect.load(dialectPath());
        table = dialect.transactions();
        request = new IsoMessage(dialect);
        writer = new IsoWriter(dialect);
        inBytes = hex(PURCHASE);
        in = new UnsafeBuffer(inBytes);
        batch = dialect.subField("60.2");
        accountType = dialect.subField("54.accountType");
        amountType = dialect.subField("54.amountType");
        currency = dialect.subField("54.currency");
        sign = dialect.subField("54.sign");
        balance = dialect.subField("54.amount");
        final long answered = codec();
        if (answered <= 0) {
            throw new IllegalStateException("the example purchase was not answered (" + answered + "): "
                    + request.error() + " / " + writer.error());
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
        if (macs && !MacAlgorithm.CUP_ECB.verify(mak, inBytes, request.macBlockOffset(), request.macBlockLength(),
                inBytes, inBytes.length - 8, scratch)) {
            // The example's MAC is not under this key; the verification's cost is what is measured.
            mac[0]++;
        }
        // What the reader takes into the command.
        final long read = request.digits(2, 0, request.length(2) - 1) + request.numeric(4) + request.numeric(11)
                + request.asciiPacked(41, 0) + request.asciiPacked(42, 0) + request.subField(batch);
        return answer(transaction, macs, read);
    }

    private long answer(final Transaction transaction, final boolean macs, final long read) {
        writer.wrapResponse(out, 0, outBytes.length, request, transaction.responseMti);
        long fields = Bitmap.without(transaction.responseFields(), 64);
        while (fields != 0) {
            final int field = Bitmap.first(fields);
            fields = Bitmap.without(fields, field);
            if (transaction.echoes(field)) {
                writer.copyField(request, field);
                continue;
            }
            switch (field) {
                case 12 -> writer.putNumeric(12, 103045);
                case 13 -> writer.putNumeric(13, 1123);
                case 15 -> writer.putNumeric(15, 1124);
                case 32 -> writer.putNumeric(32, 8880000, 8);
                case 37 -> writer.putNumeric(37, 42);
                case 38 -> writer.putNumeric(38, 123456);
                case 39 -> writer.putAscii(39, (byte) '0', (byte) '0');
                case 54 -> writer.beginField(54).putSubField(accountType, 10).putSubField(amountType, 2)
                        .putSubField(currency, 156).putSubFieldChar(sign, 0, (byte) 'C')
                        .putSubField(balance, 123456).endField();
                default -> {
                    // 44 and 63 carry nothing in this example
                }
            }
        }
        if (transaction.mac) {
            final int blockLength = writer.beginMac();
            if (macs) {
                MacAlgorithm.CUP_ECB.compute(mak, outBytes, writer.macBlockOffset(), blockLength, mac, 0);
            }
            writer.putMac(mac[0]);
        }
        final int length = writer.finish();
        // The fields read are folded in so the JIT cannot drop the reads; a failed write stays negative.
        return length <= 0 ? -3 : length + (read & 0xFFFF);
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
