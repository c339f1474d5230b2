package dev.prepaid.iso8583;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Random frames and mutated valid frames: decoding never throws, never reads outside the frame, and
 * reports every problem through {@link IsoError}; whatever decodes can be described, recognised and
 * re-encoded. The frame count comes from {@code -Dfuzz.frames} (the build passes 200000, the {@code long}
 * profile 2000000); {@code -Dfuzz.seed} replays a run.
 */
class FuzzTest {
    private static final int SLACK = 16;
    private static final int POOL = 4096;

    private final Dialect dialect = IsoTestSupport.dialect();
    private final IsoMessage message = new IsoMessage(dialect);
    private final IsoMessage again = new IsoMessage(dialect);
    private final IsoWriter writer = new IsoWriter(dialect);
    private final IsoWriter echo = new IsoWriter(dialect);
    private final RandomMessages messages = new RandomMessages(dialect);
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[4096 + SLACK]);
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[4096]);
    private final UnsafeBuffer copy = new UnsafeBuffer(new byte[4096]);
    private final StringBuilder text = new StringBuilder(4096);
    private final SubField[] subFields = allSubFields(dialect);

    private final byte[][] pool = new byte[POOL][];
    private long decoded;
    private long rejected;

    @Test
    void randomAndMutatedFramesOnlyEverFailThroughIsoError() {
        final long frames = Long.parseLong(System.getProperty("fuzz.frames", "200000"));
        final String seedProperty = System.getProperty("fuzz.seed");
        final long seed = seedProperty != null ? Long.parseLong(seedProperty) : new SplittableRandom().nextLong();
        System.out.println("ISO 8583 fuzz: " + frames + " frames, seed " + seed + " (replay: -Dfuzz.seed=" + seed + ")");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < POOL; i++) {
            final int valid = messages.write(random, writer, scratch);
            check(valid > 0, writer.error());
            pool[i] = new byte[valid];
            scratch.getBytes(0, pool[i]);
        }
        for (long i = 0; i < frames; i++) {
            final int at = random.nextInt(SLACK);
            final int length = makeFrame(random, at);
            try {
                exercise(at, length);
            } catch (final Throwable t) {
                fail("fuzz seed " + seed + ", frame " + i + " at " + at + ": "
                        + IsoTestSupport.toHex(frame, at, Math.min(length, frame.capacity() - at)), t);
            }
        }
        System.out.println("ISO 8583 fuzz: " + decoded + " decoded, " + rejected + " rejected");
        assertThat(decoded + rejected).isEqualTo(frames);
        if (frames >= 1000) {
            assertThat(decoded).as("the fuzzer reaches valid messages").isGreaterThan(frames / 20);
            assertThat(rejected).as("the fuzzer reaches errors").isGreaterThan(frames / 20);
        }
    }

    /** Fills the frame at {@code at}; returns the length to decode. */
    private int makeFrame(final SplittableRandom random, final int at) {
        final int kind = random.nextInt(10);
        if (kind == 0) {
            final int length = random.nextInt(300);
            for (int i = 0; i < length; i++) {
                frame.putByte(at + i, (byte) random.nextInt(256));
            }
            return length;
        }
        if (kind == 1) {
            // a plausible head with a random bitmap and random body
            final int length = dialect.minFrameLength + random.nextInt(200);
            for (int i = 0; i < length; i++) {
                frame.putByte(at + i, (byte) random.nextInt(256));
            }
            frame.putByte(at, (byte) dialect.tpduId);
            frame.putByte(at + dialect.mtiOffset, (byte) 0x02);
            frame.putByte(at + dialect.mtiOffset + 1, (byte) 0x00);
            frame.putLong(at + dialect.mtiOffset + 2, random.nextLong() & Long.MAX_VALUE, java.nio.ByteOrder.BIG_ENDIAN);
            return length;
        }
        final byte[] valid = pool[random.nextInt(POOL)];
        frame.putBytes(at, valid);
        int length = valid.length;
        final int mutations = kind <= 3 ? 0 : 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            length = mutate(random, at, length);
        }
        return length;
    }

    private int mutate(final SplittableRandom random, final int at, final int length) {
        final int room = frame.capacity() - at;
        switch (random.nextInt(8)) {
            case 0 -> {
                if (length > 0) {
                    final int i = at + random.nextInt(length);
                    frame.putByte(i, (byte) (frame.getByte(i) ^ (1 << random.nextInt(8))));
                }
                return length;
            }
            case 1 -> {
                if (length > 0) {
                    frame.putByte(at + random.nextInt(length), (byte) random.nextInt(256));
                }
                return length;
            }
            case 2 -> {
                final int bit = 1 + random.nextInt(64);
                final int i = at + dialect.mtiOffset + 2 + ((bit - 1) >> 3);
                frame.putByte(i, (byte) (frame.getByte(i) ^ (0x80 >>> ((bit - 1) & 7))));
                return length;
            }
            case 3 -> {
                return length == 0 ? 0 : random.nextInt(length);
            }
            case 4 -> {
                final int extra = Math.min(random.nextInt(40), room - length);
                for (int i = 0; i < extra; i++) {
                    frame.putByte(at + length + i, (byte) random.nextInt(256));
                }
                return length + extra;
            }
            case 5 -> {
                if (length > 0) {
                    frame.putByte(at + random.nextInt(length), random.nextBoolean() ? (byte) 0x99 : (byte) 0xFF);
                }
                return length;
            }
            case 6 -> {
                if (length < room && length > 0) {
                    final int i = random.nextInt(length);
                    frame.putBytes(at + i + 1, frame, at + i, length - i);
                    frame.putByte(at + i, (byte) random.nextInt(256));
                    return length + 1;
                }
                return length;
            }
            default -> {
                if (length > 0) {
                    final int i = random.nextInt(length);
                    frame.putBytes(at + i, frame, at + i + 1, length - i - 1);
                    return length - 1;
                }
                return length;
            }
        }
    }

    private void exercise(final int at, final int length) {
        final boolean ok = message.wrap(frame, at, length);
        final IsoError error = message.error();
        text.setLength(0);
        if (!ok) {
            rejected++;
            check(error.isSet(), "no error after a failed decode");
            check(error.offset() >= 0 && error.offset() <= Math.max(0, length), error);
            check(error.field() >= 0 && error.field() <= 64, error);
            error.appendTo(text);
            check(text.length() > 0 && text.indexOf("\n") < 0, text);
            text.setLength(0);
            IsoDescriber.describe(message, text);
            accessAll();
            return;
        }
        decoded++;
        check(!error.isSet(), error);
        accessAll();
        IsoDescriber.describe(message, text);
        final TransactionTable table = dialect.transactions();
        final Transaction transaction = table.find(message);
        if (transaction != null) {
            table.findOriginal(message, transaction);
            transaction.missingField(message.bitmap());
            transaction.unexpectedField(message.bitmap());
        }
        check(message.macBlockLength() >= Dialect.MTI_BYTES + Dialect.BITMAP_BYTES && message.macBlockLength() <= length,
                "MAC block length");

        // whatever decodes re-encodes (cut to the encode maxima) into something that decodes the same way
        echo.wrapResponse(copy, 0, copy.capacity(), message, message.mti() % 10 == 0 ? message.mti() + 10 : message.mti());
        for (int field = 2; field <= 64; field++) {
            echo.copyField(message, field);
        }
        final int copied = echo.finish();
        check(copied > 0, echo.error());
        check(again.wrap(copy, 0, copied), again.error());
        check(again.bitmap() == message.bitmap(), "bitmap of the copy");
        check(again.header() == message.header(), "header of the copy");
        check(again.destinationNii() == message.sourceNii(), "TPDU swap of the copy");
    }

    /** Every accessor on every field and sub-field: none may throw, decoded or not. */
    private void accessAll() {
        long fields = message.bitmap() | Bitmap.of(2, 35, 64);
        for (int edge = -1; edge <= 65; edge += 66) {
            accessField(edge);
        }
        while (fields != 0) {
            final int field = Bitmap.first(fields);
            fields = Bitmap.without(fields, field);
            accessField(field);
        }
        for (final SubField subField : subFields) {
            for (int occurrence = 0; occurrence < 3; occurrence++) {
                message.subField(subField, occurrence);
                message.hasSubField(subField, occurrence);
            }
            message.occurrences(subField);
        }
    }

    private void accessField(final int field) {
        final int length = message.length(field);
        if (message.has(field)) {
            check(message.fieldOffset(field) >= message.offset()
                    && message.dataOffset(field) + message.dataBytes(field) <= message.offset() + message.frameLength(),
                    "field inside the frame");
        }
        message.numeric(field);
        message.digits(field, 0, Math.min(18, length));
        message.digits(field, length - 1, 1);
        message.digits(field, -1, 3);
        message.digit(field, 0);
        message.digit(field, length);
        message.indexOfSeparator(field);
        message.getDigits(field, scratch, 0);
        message.asciiPacked(field, 0);
        message.asciiPacked(field, 8);
        message.byteAt(field, length - 1);
        message.getBytes(field, scratch, 0);
        message.binaryLong(field);
    }

    /** A plain check: AssertJ is too slow for millions of frames. */
    private static void check(final boolean condition, final Object what) {
        if (!condition) {
            throw new AssertionError(String.valueOf(what));
        }
    }

    static SubField[] allSubFields(final Dialect dialect) {
        final java.util.List<SubField> all = new java.util.ArrayList<>();
        for (int field = 2; field <= 64; field++) {
            final FieldSpec spec = dialect.field(field);
            if (spec == null) {
                continue;
            }
            for (int l = 0; l < spec.layoutCount(); l++) {
                for (int s = 0; s < spec.layout(l).subFieldCount(); s++) {
                    all.add(spec.layout(l).subField(s));
                }
            }
        }
        return all.toArray(new SubField[0]);
    }
}
