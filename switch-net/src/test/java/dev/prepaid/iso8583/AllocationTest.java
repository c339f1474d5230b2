package dev.prepaid.iso8583;

import static dev.prepaid.iso8583.IsoTestSupport.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.command.Ascii;
import dev.prepaid.command.PosKind;
import dev.prepaid.command.PosRequest;
import dev.prepaid.command.ResponseCode;
import java.lang.management.ManagementFactory;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The hot path a server runs per request, allocation-free: decode, recognise, map into a {@link PosRequest},
 * write the response with its MAC block, describe into a reused builder. Counted with the JVM's per-thread
 * allocation counter (bytes, not time). Doubles as a worked example of using the codec.
 */
class AllocationTest {
    private static final int WARM_UP = 20_000;
    private static final int MEASURED = 100_000;

    private final Dialect dialect = IsoTestSupport.dialect();
    private final TransactionTable table = dialect.transactions();
    private final IsoMessage request = new IsoMessage(dialect);
    private final IsoWriter writer = new IsoWriter(dialect);
    private final PosRequest command = new PosRequest();
    private final UnsafeBuffer commandBuffer = new UnsafeBuffer(new byte[PosRequest.LENGTH]);
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[2048]);
    private final UnsafeBuffer in = hex(SpecExamplesTest.PURCHASE);
    private final StringBuilder text = new StringBuilder(4096);
    // sub-fields looked up once, at start
    private final SubField batch = dialect.subField("60.2");
    private final SubField networkCode = dialect.subField("60.3");
    private final SubField originalBatch = dialect.subField("61.1");
    private final SubField originalStan = dialect.subField("61.2");
    private final SubField originalDate = dialect.subField("61.3");
    private final SubField uploadCount = dialect.subField("48.uploadCount");
    private final SubField accountType = dialect.subField("54.accountType");
    private final SubField amountType = dialect.subField("54.amountType");
    private final SubField balanceCurrency = dialect.subField("54.currency");
    private final SubField sign = dialect.subField("54.sign");
    private final SubField balance = dialect.subField("54.amount");

    @Test
    void theServerPathAllocatesNothing() {
        long check = 0;
        for (int i = 0; i < WARM_UP; i++) {
            check += handle();
        }
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertThat(threads.isThreadAllocatedMemorySupported()).isTrue();
        threads.getCurrentThreadAllocatedBytes();
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < MEASURED; i++) {
            check += handle();
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(check).isEqualTo((long) (WARM_UP + MEASURED) * expectedLength());
        assertThat(allocated).as("bytes allocated over %d messages", MEASURED).isLessThan(1024);
    }

    @Test
    void theWorkedExampleIsRight() {
        final int length = handle();
        assertThat(command.kind()).isEqualTo(PosKind.PURCHASE);
        assertThat(command.panLength()).isEqualTo(19);
        assertThat(command.panBody()).isEqualTo(622848040256489001L);
        assertThat(command.panCheckDigit()).isEqualTo(8);
        assertThat(command.amount()).isEqualTo(10000);
        assertThat(command.stan()).isEqualTo(123);
        assertThat(command.batch()).isEqualTo(1);
        assertThat(command.entryMode()).isEqualTo(21);
        assertThat(command.conditionCode()).isEqualTo(0);
        assertThat(Ascii.unpack(command.terminalId())).isEqualTo("TERM0001");
        assertThat(Ascii.unpackMerchant(command.merchantIdHigh(), command.merchantIdLow())).isEqualTo("MERCHANT0000001");
        assertThat(command.currency()).isEqualTo(156);
        assertThat(command.cardPresent()).isFalse();
        final IsoMessage response = IsoTestSupport.decode(out, 0, length);
        assertThat(response.mti()).isEqualTo(210);
        assertThat(response.subField(balance)).isEqualTo(123456);
        assertThat(RoundTripTest.text(response, 39)).isEqualTo("00");
        assertThat(IsoDescriber.describe(response)).contains("622848*********0018");
    }

    private int expectedLength() {
        return handle();
    }

    /** One request: returns the response length. */
    private int handle() {
        if (!request.wrap(in, 0, in.capacity())) {
            return -1;                                               // log request.error(); answer or close
        }
        final Transaction transaction = table.find(request);
        if (transaction == null || transaction.kind == null) {
            return -2;                                               // answer 12/40 (or ECHO_TEST: answer 00 at once)
        }
        if (transaction.missingField(request.bitmap()) != 0) {
            return -3;                                               // answer 30
        }
        // MAC check: security over request.buffer(), request.macBlockOffset(), request.macBlockLength()
        toCommand(transaction);
        // ... the ledger runs; its Outcome gives RRN, auth code, balance, business date ...
        final int length = respond(transaction, ResponseCode.APPROVED, 42, 123456, 123456);
        text.setLength(0);
        IsoDescriber.describe(request, text);
        return length;
    }

    private void toCommand(final Transaction transaction) {
        final IsoMessage m = request;
        command.wrapForEncode(commandBuffer, 0).kind(transaction.kind);
        final Transaction original = table.findOriginal(m, transaction);
        if (original != null) {
            command.originalKind(original.kind);
        }
        if (m.has(2)) {
            final int length = m.length(2);
            command.pan(length, m.digits(2, 0, length - 1), m.digit(2, length - 1));
        } else if (m.has(35)) {
            final int separator = m.indexOfSeparator(35);
            if (separator > 1) {
                command.pan(separator, m.digits(35, 0, separator - 1), m.digit(35, separator - 1))
                        .cardPresent(true).expiry((int) m.digits(35, separator + 1, 4));
            }
        }
        if (m.has(14)) {
            command.expiry((int) m.numeric(14));
        }
        if (m.has(22)) {
            command.entryMode((int) m.numeric(22));
        }
        if (m.has(25)) {
            command.conditionCode((int) m.numeric(25));
        }
        command.terminalId(m.asciiPacked(41, 0)).merchantId(m.asciiPacked(42, 0), m.asciiPacked(42, 8))
                .stan((int) m.numeric(11));
        if (m.has(4)) {
            command.amount(m.numeric(4));
        }
        if (m.hasSubField(batch, 0)) {
            command.batch((int) m.subField(batch));
        }
        if (m.hasSubField(networkCode, 0)) {
            command.networkCode((int) m.subField(networkCode));
        }
        if (m.has(37)) {
            command.originalRrn(m.numeric(37));
        }
        if (m.has(38)) {
            command.originalAuthCode((int) m.numeric(38));
        }
        if (m.has(61)) {
            command.original((int) m.subField(originalBatch), (int) m.subField(originalStan),
                    (int) Math.max(0, m.subField(originalDate)));
        }
        if (transaction.kind == PosKind.REVERSAL && m.has(39)) {
            command.reversalReason((char) m.byteAt(39, 0), (char) m.byteAt(39, 1));
        }
        if (m.has(49)) {
            command.currency((int) m.numeric(49));
        }
        if (m.hasSubField(uploadCount, 0) && m.length(48) == 4) {
            command.uploadCount((int) m.subField(uploadCount));
        }
    }

    private int respond(final Transaction transaction, final ResponseCode code, final long rrn, final int authCode,
            final long availableBalance) {
        writer.wrapResponse(out, 0, out.capacity(), request, transaction.responseMti);
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
                case 32 -> writer.putNumeric(32, 48020000, 8);
                case 37 -> writer.putNumeric(37, rrn);
                case 38 -> writer.putNumeric(38, authCode);
                case 39 -> writer.putAscii(39, code.first, code.second);
                case 54 -> writer.beginField(54).putSubField(accountType, 10).putSubField(amountType, 2)
                        .putSubField(balanceCurrency, 156).putSubFieldChar(sign, 0, (byte) 'C')
                        .putSubField(balance, availableBalance).endField();
                default -> {
                    // 44, 63: nothing to say in this example
                }
            }
        }
        if (transaction.mac) {
            final int mabLength = writer.beginMac();
            // mac = security over writer.buffer(), writer.macBlockOffset(), mabLength
            writer.putMac(mabLength);
        }
        return writer.finish();
    }
}
