package dev.prepaid.testing;

/** Hex text in the upper case the specifications and test vectors print: what a test expects a field's bytes to be. */
public final class TestHex {
    private static final char[] DIGITS = "0123456789ABCDEF".toCharArray();

    private TestHex() {
    }

    /** ASCII text as hex, e.g. "AB" → "4142"; a character outside ASCII is a mistake in the test. */
    public static String ascii(final String text) {
        final StringBuilder out = new StringBuilder(text.length() * 2);
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (c > 0x7F) {
                throw new IllegalArgumentException("not ASCII: '" + c + "' at " + i + " in \"" + text + "\"");
            }
            out.append(DIGITS[c >>> 4]).append(DIGITS[c & 0xF]);
        }
        return out.toString();
    }

    /** {@code length} bytes of {@code bytes} from {@code offset} as hex, two digits a byte. */
    public static String hex(final byte[] bytes, final int offset, final int length) {
        final StringBuilder out = new StringBuilder(length * 2);
        for (int i = offset; i < offset + length; i++) {
            out.append(DIGITS[(bytes[i] >>> 4) & 0xF]).append(DIGITS[bytes[i] & 0xF]);
        }
        return out.toString();
    }
}
