package dev.prepaid.payout;

import java.util.ArrayList;
import java.util.List;

/**
 * The delimited files' fields (docs/payout-files.md): RFC 4180 within one line. Fields are separated by ',';
 * a field that holds ',' or '"', or starts or ends with a space, is enclosed in '"' with each '"' in it doubled;
 * every other field is written as it is. No field holds CR or LF ({@link PayoutText} refuses them), so a line
 * of the file is always one record.
 */
final class Csv {
    static final char DELIMITER = ',';
    private static final char QUOTE = '"';

    private Csv() {
    }

    /** Appends one record: the fields, separated. */
    static StringBuilder record(final StringBuilder out, final String... fields) {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                out.append(DELIMITER);
            }
            field(out, fields[i]);
        }
        return out;
    }

    static void field(final StringBuilder out, final String value) {
        final boolean quoted = value.indexOf(DELIMITER) >= 0 || value.indexOf(QUOTE) >= 0
                || (!value.isEmpty() && (value.charAt(0) == ' ' || value.charAt(value.length() - 1) == ' '));
        if (!quoted) {
            out.append(value);
            return;
        }
        out.append(QUOTE);
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            if (c == QUOTE) {
                out.append(QUOTE);
            }
            out.append(c);
        }
        out.append(QUOTE);
    }

    /**
     * The fields of one line (without its line end).
     *
     * @throws IllegalArgumentException saying where the quoting is wrong
     */
    static List<String> split(final String line) {
        final List<String> fields = new ArrayList<>();
        final StringBuilder field = new StringBuilder();
        int i = 0;
        while (true) {
            field.setLength(0);
            if (i < line.length() && line.charAt(i) == QUOTE) {
                final int opened = i + 1;
                i++;
                while (true) {
                    if (i >= line.length()) {
                        throw new IllegalArgumentException("the quoted field opened at character " + opened
                                + " is not closed");
                    }
                    final char c = line.charAt(i);
                    if (c == QUOTE && i + 1 < line.length() && line.charAt(i + 1) == QUOTE) {
                        field.append(QUOTE);
                        i += 2;
                    } else if (c == QUOTE) {
                        i++;
                        break;
                    } else {
                        field.append(c);
                        i++;
                    }
                }
                if (i < line.length() && line.charAt(i) != DELIMITER) {
                    throw new IllegalArgumentException("character " + (i + 1) + " follows a closing '\"'; only ','"
                            + " or the end of the line may");
                }
            } else {
                while (i < line.length() && line.charAt(i) != DELIMITER) {
                    if (line.charAt(i) == QUOTE) {
                        throw new IllegalArgumentException("'\"' at character " + (i + 1) + " is inside a field that"
                                + " is not quoted; quote the field and double the '\"'");
                    }
                    field.append(line.charAt(i));
                    i++;
                }
            }
            fields.add(field.toString());
            if (i >= line.length()) {
                return fields;
            }
            i++; // the delimiter
        }
    }
}
