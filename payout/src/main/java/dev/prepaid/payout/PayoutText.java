package dev.prepaid.payout;

/**
 * What text every payout file can carry, checked once on the input so that no writer has to cut, replace or
 * drop a character: a payee name the bank sees differently from the one the operator approved is a payment to
 * the wrong party, or a payout the bank returns days later.
 *
 * <p>Lengths are counted in UTF-16 units ({@link String#length()}). XML Schema counts the {@code MaxNText}
 * types of pain.001 in characters, but the JDK's own validator (Xerces), and others, count UTF-16 units: a
 * character outside the Basic Multilingual Plane (𠀀, 😀) counts two there. The stricter count passes both. A
 * Chinese character of the BMP counts one either way.
 */
final class PayoutText {
    private PayoutText() {
    }

    /**
     * Text of 1 to {@code maxLength} code points, every one of them a character XML 1.0 allows and none a control
     * character (no tab, CR or LF either: they would end a line of the delimited files).
     *
     * @throws IllegalArgumentException naming {@code what}, the character and its position
     */
    static String require(final String what, final String value, final int maxLength) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(what + " is missing");
        }
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " is only spaces");
        }
        int position = 0;
        for (int i = 0; i < value.length(); ) {
            final int c = value.codePointAt(i);
            position++;
            if (!carriable(c)) {
                throw new IllegalArgumentException(what + " has " + describe(c) + " at character " + position
                        + "; the payout files cannot carry it");
            }
            i += Character.charCount(c);
        }
        if (value.length() > maxLength) {
            throw new IllegalArgumentException(what + " is " + value.length() + " characters long (UTF-16 units); the"
                    + " payout files carry at most " + maxLength);
        }
        return value;
    }

    /** Printable ASCII without spaces (an account number, an id): 1 to {@code maxLength} characters. */
    static String requireAsciiId(final String what, final String value, final int maxLength) {
        require(what, value, maxLength);
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                throw new IllegalArgumentException(what + " has " + describe(c) + " at character " + (i + 1)
                        + "; it must be printable ASCII without spaces");
            }
        }
        return value;
    }

    /** Exactly {@code length} decimal digits (a CNAPS bank code has 12). */
    static String requireDigits(final String what, final String value, final int length) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(what + " is missing");
        }
        boolean digits = value.length() == length;
        for (int i = 0; digits && i < value.length(); i++) {
            digits = value.charAt(i) >= '0' && value.charAt(i) <= '9';
        }
        if (!digits) {
            throw new IllegalArgumentException(what + " '" + printable(value) + "' must be " + length + " digits");
        }
        return value;
    }

    /**
     * XML 1.0's {@code Char} production without its three control characters (tab, LF, CR), and without the C1
     * controls and the surrogate halves that do not form a character (Java strings can hold them; UTF-8 cannot).
     */
    static boolean carriable(final int c) {
        if (Character.isISOControl(c)) {
            return false;
        }
        return (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
    }

    static String describe(final int c) {
        return c >= 0x21 && c <= 0x7E ? "'" + (char) c + "'" : String.format("U+%04X", c);
    }

    /** The text with what a log or message must not show raw (control characters) as U+XXXX. */
    static String printable(final String value) {
        final StringBuilder out = new StringBuilder(value.length());
        value.codePoints().forEach(c -> {
            if (carriable(c)) {
                out.appendCodePoint(c);
            } else {
                out.append(describe(c));
            }
        });
        return out.toString();
    }
}
