package dev.prepaid.iso8583;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.agrona.MutableDirectBuffer;

/**
 * Random valid messages of any field set the dialect allows, and a check that the decoded values are what was
 * written. Used by the round-trip test and as seeds for the fuzz test.
 */
final class RandomMessages {
    private static final int[] MTIS = {100, 200, 220, 320, 400, 500, 800, 820, 110, 210, 810};

    private final Dialect dialect;
    private final String[] written = new String[65];
    private final byte[][] writtenBytes = new byte[65][];

    RandomMessages(final Dialect dialect) {
        this.dialect = dialect;
    }

    /** Writes a random valid message at offset 0; returns its length. */
    int write(final SplittableRandom random, final IsoWriter writer, final MutableDirectBuffer buffer) {
        writer.wrapRequest(buffer, 0, buffer.capacity(), random.nextInt(0x10000), random.nextInt(0x10000),
                random.nextLong() & 0xFFFFFFFFFFFFL, MTIS[random.nextInt(MTIS.length)]);
        final int density = 1 + random.nextInt(4);
        for (int field = 2; field <= 64; field++) {
            written[field] = null;
            writtenBytes[field] = null;
            final FieldSpec spec = dialect.field(field);
            if (spec == null || random.nextInt(density + 1) != 0) {
                continue;
            }
            final int length = spec.fixed() ? spec.fixedLength : random.nextInt(spec.encodeMax + 1);
            if (spec.format == Format.B) {
                final byte[] bytes = new byte[length];
                random.nextBytes(bytes);
                writer.putBinary(field, bytes, 0, length);
                writtenBytes[field] = bytes;
            } else if (spec.format.bcd) {
                final StringBuilder digits = new StringBuilder(length);
                for (int i = 0; i < length; i++) {
                    digits.append(spec.format == Format.Z && random.nextInt(8) == 0 ? '=' : (char) ('0' + random.nextInt(10)));
                }
                writer.putDigits(field, digits);
                written[field] = digits.toString();
            } else {
                final int count = spec.fixed() ? random.nextInt(length + 1) : length;
                final StringBuilder text = new StringBuilder(length);
                for (int i = 0; i < count; i++) {
                    text.append((char) (0x20 + random.nextInt(0x5F)));
                }
                writer.putAscii(field, text);
                while (text.length() < length) {
                    text.append(' ');
                }
                written[field] = text.toString();
            }
        }
        return writer.finish();
    }

    /** Checks a decoded message against what {@link #write} wrote last. */
    void check(final IsoMessage m, final String context) {
        for (int field = 2; field <= 64; field++) {
            final boolean expected = written[field] != null || writtenBytes[field] != null;
            assertThat(m.has(field)).as("%s field %d present", context, field).isEqualTo(expected);
            if (written[field] != null) {
                assertThat(RoundTripTest.text(m, field)).as("%s field %d", context, field).isEqualTo(written[field]);
            } else if (writtenBytes[field] != null) {
                assertThat(RoundTripTest.bytes(m, field)).as("%s field %d", context, field).isEqualTo(writtenBytes[field]);
            }
        }
    }
}
