package dev.prepaid.iso8583;

/**
 * Field sets as {@code long}s laid out like the primary bitmap on the wire: field 1 is the most significant
 * bit, field 64 the least. A message's {@link IsoMessage#bitmap()} and a transaction's field sets use it.
 */
public final class Bitmap {
    private Bitmap() {
    }

    /** The bit of field {@code field} (1..64). */
    public static long bit(final int field) {
        return 1L << (64 - field);
    }

    public static boolean has(final long bitmap, final int field) {
        return (bitmap & bit(field)) != 0;
    }

    /** The lowest-numbered field in the set, or 0 when the set is empty. Iterate with {@link #without}. */
    public static int first(final long bitmap) {
        return bitmap == 0 ? 0 : Long.numberOfLeadingZeros(bitmap) + 1;
    }

    public static long without(final long bitmap, final int field) {
        return bitmap & ~bit(field);
    }

    /** The set of the given fields (allocates its varargs array; for set-up and tests). */
    public static long of(final int... fields) {
        long bitmap = 0;
        for (final int field : fields) {
            bitmap |= bit(field);
        }
        return bitmap;
    }

    /** The fields as text, e.g. {@code [2, 3, 64]} (allocates; for messages and tools). */
    public static String toString(final long bitmap) {
        final StringBuilder out = new StringBuilder("[");
        long rest = bitmap;
        while (rest != 0) {
            final int field = first(rest);
            rest = without(rest, field);
            out.append(field).append(rest != 0 ? ", " : "");
        }
        return out.append(']').toString();
    }
}
