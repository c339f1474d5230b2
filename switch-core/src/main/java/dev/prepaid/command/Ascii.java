package dev.prepaid.command;

/**
 * Short ASCII identifiers (terminal ids, merchant ids) packed into {@code long}s so the POS path compares
 * them without strings. The first character sits in the high byte; missing characters are spaces, as
 * ISO 8583 pads fixed ans fields.
 */
public final class Ascii {
    private Ascii() {
    }

    /** Packs {@code length} (≤ 8) characters of {@code text} from {@code from}, space-padded. */
    public static long pack(final CharSequence text, final int from, final int length) {
        long packed = 0;
        for (int i = 0; i < 8; i++) {
            final int index = from + i;
            final char c = i < length && index < text.length() ? text.charAt(index) : ' ';
            if (c > 0x7E || c < 0x20) {
                throw new IllegalArgumentException("identifier '" + text + "' has a character that is not printable ASCII");
            }
            packed = (packed << 8) | c;
        }
        return packed;
    }

    /** Unpacks a packed identifier, dropping trailing spaces. */
    public static String unpack(final long packed) {
        final StringBuilder out = new StringBuilder(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.append((char) ((packed >>> shift) & 0xFF));
        }
        int end = out.length();
        while (end > 0 && out.charAt(end - 1) == ' ') {
            end--;
        }
        return out.substring(0, end);
    }

    /** A merchant id (up to 15 characters) from its two packed halves. */
    public static String unpackMerchant(final long high, final long low) {
        final String tail = unpack(low);
        final String head = unpack(high);
        return tail.isEmpty() ? head : pad8(head) + tail;
    }

    private static String pad8(final String s) {
        return s.length() >= 8 ? s : s + " ".repeat(8 - s.length());
    }
}
