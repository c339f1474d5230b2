package dev.prepaid.iso8583;

import static dev.prepaid.iso8583.IsoTestSupport.decode;
import static dev.prepaid.iso8583.IsoTestSupport.toHex;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Write with {@link IsoWriter}, read back with {@link IsoMessage}: every field type. */
class RoundTripTest {
    private static final String TRACK2 = "6228480402564890018=30122011234567890";
    private static final String TRACK3 = "996228480402564890018=156156000000000000000300000021400003012=000000000000=000000000000=0000000000";

    private final Dialect dialect = IsoTestSupport.dialect();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
    private final IsoWriter writer = new IsoWriter(dialect);

    @Test
    void everyFieldType() {
        assertThat(TRACK2).hasSize(37);
        assertThat(TRACK3.length()).isLessThanOrEqualTo(104);
        final byte[] icc = new byte[40];
        final byte[] keys = new byte[24];
        new SplittableRandom(1).nextBytes(icc);
        new SplittableRandom(2).nextBytes(keys);
        final SubField[] totals = totals();

        writer.wrapRequest(buffer, 0, buffer.capacity(), 3, 0, 0x603100310000L, 200)
                .putDigits(2, "6228480402564890018")             // LL n, odd
                .putNumeric(3, 310000)                             // n6 even
                .putNumeric(4, 123456789012L)                      // n12
                .putNumeric(11, 7)
                .putNumeric(14, 3012)                              // n4
                .putNumeric(22, 51)                                // n3 left-aligned: 051
                .putNumeric(23, 1)                                 // n3 right-aligned: 001
                .putNumeric(25, 6)
                .putDigits(35, TRACK2)                             // LL z with '='
                .putDigits(36, TRACK3)                             // LLL z
                .putNumeric(37, 987654321098L)                     // an12 from a number
                .putAscii(38, "AB12")                              // an6 padded
                .putAscii(41, "T 01")                              // ans8 padded
                .putAscii(42, "M-00:1/2")                          // ans15 padded
                .putAscii(44, "ISSUER00001ACQUIRER001")            // LL an
                .beginField(48);
        for (int i = 0; i < totals.length; i++) {
            writer.putSubField(totals[i], i);                      // LLL n composite
        }
        writer.endField()
                .putAscii(49, "156")
                .putBinary(52, 0x0102030405060708L)                // b64
                .putNumeric(53, 2600000000000000L)                 // n16
                .putBinary(55, icc, 0, icc.length)                 // LLL b
                .beginField(60)
                .putSubField(dialect.subField("60.1"), 22).putSubField(dialect.subField("60.2"), 123456)
                .putSubField(dialect.subField("60.3"), 0).putSubField(dialect.subField("60.4"), 5)
                .putSubField(dialect.subField("60.5"), 0)
                .endField()
                .putDigits(61, "0001230004561231")                 // LLL n even
                .putBinary(62, keys, 0, keys.length)
                .putAscii(63, "CUP operator 01");                  // LLL ans
        final int mab = writer.beginMac();
        writer.putMac(0x1112131415161718L);
        final int length = writer.finish();
        assertThat(writer.ok()).as("%s", writer.error()).isTrue();
        assertThat(mab).isEqualTo(length - 8 - 11);

        final IsoMessage m = decode(buffer, 0, length);
        assertThat(Bitmap.toString(m.bitmap())).isEqualTo(
                "[2, 3, 4, 11, 14, 22, 23, 25, 35, 36, 37, 38, 41, 42, 44, 48, 49, 52, 53, 55, 60, 61, 62, 63, 64]");
        assertThat(text(m, 2)).isEqualTo("6228480402564890018");
        assertThat(m.numeric(3)).isEqualTo(310000);
        assertThat(m.numeric(4)).isEqualTo(123456789012L);
        assertThat(m.numeric(11)).isEqualTo(7);
        assertThat(m.numeric(14)).isEqualTo(3012);
        assertThat(text(m, 22)).isEqualTo("051");
        assertThat(toHex(buffer, m.dataOffset(22), 2)).isEqualTo("0510");
        assertThat(text(m, 23)).isEqualTo("001");
        assertThat(toHex(buffer, m.dataOffset(23), 2)).isEqualTo("0001");
        assertThat(m.numeric(25)).isEqualTo(6);
        assertThat(text(m, 35)).isEqualTo(TRACK2);
        assertThat(m.indexOfSeparator(35)).isEqualTo(19);
        assertThat(m.digits(35, 20, 4)).isEqualTo(3012);
        assertThat(text(m, 36)).isEqualTo(TRACK3);
        assertThat(m.length(36)).isEqualTo(TRACK3.length());
        assertThat(text(m, 37)).isEqualTo("987654321098");
        assertThat(m.numeric(37)).isEqualTo(987654321098L);
        assertThat(text(m, 38)).isEqualTo("AB12  ");
        assertThat(m.numeric(38)).isEqualTo(IsoMessage.NO_VALUE);
        assertThat(text(m, 41)).isEqualTo("T 01    ");
        assertThat(text(m, 42)).isEqualTo("M-00:1/2       ");
        assertThat(text(m, 44)).isEqualTo("ISSUER00001ACQUIRER001");
        for (int i = 0; i < totals.length; i++) {
            assertThat(m.subField(totals[i])).as(totals[i].id).isEqualTo(i);
        }
        assertThat(m.length(48)).isEqualTo(62);
        assertThat(text(m, 49)).isEqualTo("156");
        assertThat(m.binaryLong(52)).isEqualTo(0x0102030405060708L);
        assertThat(m.numeric(53)).isEqualTo(2600000000000000L);
        assertThat(bytes(m, 55)).isEqualTo(icc);
        assertThat(m.length(55)).isEqualTo(40);
        assertThat(text(m, 60)).isEqualTo("2212345600050");
        assertThat(m.subField(dialect.subField("60.2"))).isEqualTo(123456);
        assertThat(m.subField(dialect.subField("60.4"))).isEqualTo(5);
        assertThat(m.subField(dialect.subField("61.1"))).isEqualTo(123);
        assertThat(m.subField(dialect.subField("61.2"))).isEqualTo(456);
        assertThat(m.subField(dialect.subField("61.3"))).isEqualTo(1231);
        assertThat(bytes(m, 62)).isEqualTo(keys);
        assertThat(text(m, 63)).isEqualTo("CUP operator 01");
        assertThat(m.binaryLong(64)).isEqualTo(0x1112131415161718L);
        assertThat(m.macBlockLength()).isEqualTo(mab);

        // copying every field of the decoded message gives the same bytes (TPDU swapped)
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[2048]);
        final IsoWriter echo = new IsoWriter(dialect).wrapResponse(copy, 0, copy.capacity(), m, m.mti());
        for (int f = 2; f <= 64; f++) {
            echo.copyField(m, f);
        }
        assertThat(echo.finish()).isEqualTo(length);
        assertThat(toHex(copy, 0, 5)).isEqualTo("6000000003");
        assertThat(toHex(copy, 5, length - 5)).isEqualTo(toHex(buffer, 5, length - 5));
    }

    @Test
    void evenAndOddVariableNumerics() {
        for (int digits = 0; digits <= 19; digits++) {
            final String pan = "1234567890123456789".substring(0, digits);
            writer.wrapRequest(buffer, 0, 256, 0, 0, 0, 200).putDigits(2, pan).putNumeric(32, 42, 11)
                    .putNumeric(61, digits == 0 ? 0 : 5, digits);
            final int length = writer.finish();
            final IsoMessage m = decode(buffer, 0, length);
            assertThat(text(m, 2)).isEqualTo(pan);
            assertThat(m.length(2)).isEqualTo(digits);
            assertThat(m.dataBytes(2)).isEqualTo((digits + 1) / 2);
            assertThat(m.numeric(2)).isEqualTo(digits == 0 ? 0 : digits <= 18 ? Long.parseLong(pan) : IsoMessage.NO_VALUE);
            assertThat(text(m, 32)).isEqualTo("00000000042");
            assertThat(m.length(61)).isEqualTo(digits);
            assertThat(m.numeric(61)).isEqualTo(digits == 0 ? 0 : digits <= 18 ? 5 : IsoMessage.NO_VALUE);
        }
    }

    @Test
    void randomValuesRoundTrip() {
        final long seed = System.nanoTime();
        final SplittableRandom random = new SplittableRandom(seed);
        final RandomMessages messages = new RandomMessages(dialect);
        final IsoMessage m = new IsoMessage(dialect);
        for (int i = 0; i < 5_000; i++) {
            final int length = messages.write(random, writer, buffer);
            assertThat(length).as("seed %d message %d: %s", seed, i, writer.error()).isPositive();
            assertThat(m.wrap(buffer, 0, length)).as("seed %d message %d: %s", seed, i, m.error()).isTrue();
            messages.check(m, "seed " + seed + " message " + i);
        }
    }

    private SubField[] totals() {
        final String[] ids = {"48.domesticDebitAmount", "48.domesticDebitCount", "48.domesticCreditAmount",
            "48.domesticCreditCount", "48.domesticFlag", "48.foreignDebitAmount", "48.foreignDebitCount",
            "48.foreignCreditAmount", "48.foreignCreditCount", "48.foreignFlag"};
        final SubField[] subFields = new SubField[ids.length];
        for (int i = 0; i < ids.length; i++) {
            subFields[i] = dialect.subField(ids[i]);
        }
        return subFields;
    }

    static String text(final IsoMessage m, final int field) {
        final byte[] out = new byte[1024];
        final int n = m.getDigits(field, out, 0);
        return new String(out, 0, n, StandardCharsets.ISO_8859_1);
    }

    static byte[] bytes(final IsoMessage m, final int field) {
        final byte[] out = new byte[m.dataBytes(field)];
        m.getBytes(field, out, 0);
        return out;
    }
}
