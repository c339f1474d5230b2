package dev.prepaid.iso8583;

/**
 * Prints a decoded message field by field for logs and tools, the only way the switch prints messages. The
 * dialect decides what is sensitive: the PAN shows its first 6 and last 4 digits, tracks, PIN block, ICC
 * data, keys (field 62 in 0810) and MAC show only their length. Characters that are not printable ASCII are
 * escaped as {@code \xNN}. Appending into a reused {@link StringBuilder} allocates nothing once it has grown.
 *
 * <pre>
 * 0200 TPDU 6000030000 header 603100310000 bitmap 7024058020C09011
 *   F2   PAN                           : 622848*********0018
 *   F3   processing code               : 000000
 *   F35  track 2                       : [hidden, 37 digits]
 *   F60  reserved private              : 22000001000
 *        60.1 message type code        : 22
 * </pre>
 */
public final class IsoDescriber {
    private static final int NAME_WIDTH = 30;
    private static final int SUB_NAME_WIDTH = 25;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private IsoDescriber() {
    }

    /** The description as a string (allocates; for tools and tests). */
    public static String describe(final IsoMessage message) {
        return describe(message, new StringBuilder(512)).toString();
    }

    /**
     * Appends the description: a header line, then one line per field (and per sub-field of its layout). After
     * a failed decode it shows the fields decoded before the error, then the error.
     */
    public static StringBuilder describe(final IsoMessage message, final StringBuilder out) {
        final Dialect dialect = message.dialect();
        if (message.mti() < 0) {
            out.append("undecodable frame: ");
            return message.error().appendTo(out).append('\n');
        }
        appendMti(out, message.mti());
        out.append(" TPDU ");
        hex(out, message, message.offset(), dialect.tpduLength);
        out.append(" header ");
        hex(out, message, message.headerOffset(), dialect.headerLength);
        out.append(" bitmap ");
        final long bitmap = message.wireBitmap();
        for (int shift = 60; shift >= 0; shift -= 4) {
            out.append(HEX[(int) (bitmap >>> shift) & 0xF]);
        }
        out.append('\n');
        long rest = message.bitmap();
        while (rest != 0) {
            final int field = Bitmap.first(rest);
            rest = Bitmap.without(rest, field);
            describeField(message, dialect.field(field), out);
        }
        if (!message.isValid()) {
            out.append("  decode error: ");
            message.error().appendTo(out).append('\n');
        }
        return out;
    }

    private static void describeField(final IsoMessage message, final FieldSpec spec, final StringBuilder out) {
        final int field = spec.number;
        final int start = out.length();
        out.append("  F").append(field);
        pad(out, start + 7);
        out.append(spec.name);
        pad(out, start + 7 + NAME_WIDTH);
        out.append(": ");
        final int length = message.length(field);
        final Sensitivity sensitivity = spec.sensitivityFor(message.mti());
        if (sensitivity == Sensitivity.HIDDEN) {
            out.append("[hidden, ").append(length).append(' ').append(spec.unit()).append("]\n");
            return;
        }
        if (sensitivity == Sensitivity.PAN) {
            appendMasked(message, field, length, out);
            out.append('\n');
            return;
        }
        if (spec.format == Format.B) {
            hex(out, message, message.dataOffset(field), message.dataBytes(field));
        } else if (spec.format.bcd) {
            for (int i = 0; i < length; i++) {
                out.append((char) message.byteAt(field, i));
            }
        } else {
            out.append('"');
            for (int i = 0; i < length; i++) {
                appendChar(out, message.byteAt(field, i));
            }
            out.append('"');
        }
        out.append('\n');
        final Layout layout = spec.layoutFor(length);
        if (layout != null) {
            describeLayout(message, spec, layout, length, out);
        }
    }

    private static void describeLayout(final IsoMessage message, final FieldSpec spec, final Layout layout,
            final int length, final StringBuilder out) {
        final int occurrences = layout.repeat ? length / layout.length : 1;
        for (int occurrence = 0; occurrence < occurrences; occurrence++) {
            for (int i = 0; i < layout.subFieldCount(); i++) {
                final SubField sub = layout.subField(i);
                final int from = sub.offset(occurrence);
                if (from + sub.length > length) {
                    return;
                }
                final int start = out.length();
                out.append("       ").append(sub.id);
                if (layout.repeat) {
                    out.append('[').append(occurrence).append(']');
                }
                out.append(' ').append(sub.name);
                pad(out, start + 7 + NAME_WIDTH);
                out.append(": ");
                if (!spec.format.bcd) {
                    out.append('"');
                }
                for (int k = 0; k < sub.length; k++) {
                    appendChar(out, message.byteAt(spec.number, from + k));
                }
                if (!spec.format.bcd) {
                    out.append('"');
                }
                out.append('\n');
            }
        }
    }

    /** First 6 and last 4 units shown, the rest as '*'; all masked when there are 10 or fewer. */
    private static void appendMasked(final IsoMessage message, final int field, final int length,
            final StringBuilder out) {
        for (int i = 0; i < length; i++) {
            final boolean shown = length > 10 && (i < 6 || i >= length - 4);
            if (shown) {
                appendChar(out, message.byteAt(field, i));
            } else {
                out.append('*');
            }
        }
    }

    private static void appendChar(final StringBuilder out, final int c) {
        if (c >= 0x20 && c <= 0x7E && c != '\\' && c != '"') {
            out.append((char) c);
        } else {
            out.append("\\x").append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
        }
    }

    private static void appendMti(final StringBuilder out, final int mti) {
        out.append((char) ('0' + mti / 1000)).append((char) ('0' + mti / 100 % 10))
                .append((char) ('0' + mti / 10 % 10)).append((char) ('0' + mti % 10));
    }

    private static void hex(final StringBuilder out, final IsoMessage message, final int from, final int count) {
        for (int i = 0; i < count; i++) {
            final int b = message.buffer().getByte(from + i) & 0xFF;
            out.append(HEX[b >> 4]).append(HEX[b & 0xF]);
        }
    }

    private static void pad(final StringBuilder out, final int column) {
        out.append(' ');
        while (out.length() < column) {
            out.append(' ');
        }
    }
}
