package dev.prepaid.security;

/**
 * Upper-case hexadecimal, as every key, cryptogram and check value is written in files, vectors and field 64.
 * Parse errors give the position of the bad character but never the text, because the text may be a key.
 */
public final class Hex {
    private static final byte[] UPPER = {
        '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};

    private Hex() {
    }

    /** Value of one hex digit (either case), or -1 when {@code c} is not one. */
    public static int digit(final int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }

    /** Upper-case ASCII code of the hex digit for {@code nibble} (0–15). */
    public static byte upperDigit(final int nibble) {
        return UPPER[nibble & 0xF];
    }

    /**
     * Decodes an even number of hex digits (either case, no separators).
     *
     * @throws IllegalArgumentException naming the length or the position of the first non-hex character
     */
    public static byte[] decode(final CharSequence hex) {
        final int length = hex.length();
        if ((length & 1) != 0) {
            throw new IllegalArgumentException("odd number of hex digits: " + length);
        }
        final byte[] out = new byte[length / 2];
        for (int i = 0; i < length; i += 2) {
            final int high = digit(hex.charAt(i));
            final int low = digit(hex.charAt(i + 1));
            if (high < 0 || low < 0) {
                throw new IllegalArgumentException("not a hex digit at position " + (high < 0 ? i : i + 1));
            }
            out[i / 2] = (byte) ((high << 4) | low);
        }
        return out;
    }

    /** Whether {@code text} is a non-empty, even number of hex digits. */
    public static boolean isHex(final CharSequence text) {
        final int length = text.length();
        if (length == 0 || (length & 1) != 0) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (digit(text.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Upper-case hex of {@code length} bytes (allocates; for files, tools, tests and messages). */
    public static String encode(final byte[] bytes, final int offset, final int length) {
        final char[] out = new char[length * 2];
        for (int i = 0; i < length; i++) {
            final int b = bytes[offset + i];
            out[2 * i] = (char) UPPER[(b >>> 4) & 0xF];
            out[2 * i + 1] = (char) UPPER[b & 0xF];
        }
        return new String(out);
    }

    public static String encode(final byte[] bytes) {
        return encode(bytes, 0, bytes.length);
    }

    /**
     * Writes the 8 upper-case hex ASCII characters of {@code value} (most significant nibble first) at
     * {@code out[offset..offset + 8)}. Allocation-free: the CUP MAC uses it on the hot path.
     */
    public static void putIntAscii(final int value, final byte[] out, final int offset) {
        for (int i = 0; i < 8; i++) {
            out[offset + i] = UPPER[(value >>> (28 - 4 * i)) & 0xF];
        }
    }
}
