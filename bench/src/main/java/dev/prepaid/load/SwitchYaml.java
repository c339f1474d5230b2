package dev.prepaid.load;

/**
 * Edits of a switch configuration's text that keep its comments: one key of one top-level section set to a value.
 * The demo's {@code switch.yaml} is the base of every configuration the load generator writes, so a key it lacks
 * is a change of that file the generator must hear of, not a default to fall back to.
 */
final class SwitchYaml {
    private SwitchYaml() {
    }

    /**
     * {@code text} with {@code section.key} (a key indented two spaces under a top-level {@code section:}) set to
     * {@code value}; the line's comment is dropped.
     *
     * @throws IllegalStateException when the section has no such key
     */
    static String set(final String text, final String section, final String key, final String value) {
        final int[] line = find(text, section, key);
        return text.substring(0, line[0]) + "  " + key + ": " + value + text.substring(line[1]);
    }

    /**
     * {@code text} with {@code section.key} set to {@code value}: the line replaced, or, in a configuration written
     * before the key existed (an older population), added after the line of {@code section.after}.
     */
    static String put(final String text, final String section, final String key, final String value, final String after) {
        try {
            return set(text, section, key, value);
        } catch (final IllegalStateException missing) {
            return insertAfter(text, section, after, "  " + key + ": " + value);
        }
    }

    /** {@code text} with {@code newLine} inserted after the line of {@code section.key}. */
    static String insertAfter(final String text, final String section, final String key, final String newLine) {
        final int[] line = find(text, section, key);
        return text.substring(0, line[1]) + "\n" + newLine + text.substring(line[1]);
    }

    /** The value of {@code section.key} as written (without a comment). */
    static String get(final String text, final String section, final String key) {
        final int[] line = find(text, section, key);
        String value = text.substring(line[0], line[1]).strip().substring(key.length() + 1);
        final int comment = value.indexOf(" #");
        if (comment >= 0) {
            value = value.substring(0, comment);
        }
        return value.strip();
    }

    /** Start and end (before the newline) of the line of {@code section.key}. */
    private static int[] find(final String text, final String section, final String key) {
        int at = text.startsWith(section + ":") ? 0 : text.indexOf("\n" + section + ":");
        if (at < 0) {
            throw new IllegalStateException("the configuration has no section '" + section + ":'");
        }
        at = text.indexOf('\n', at + 1);
        while (at >= 0 && at + 1 < text.length()) {
            final int start = at + 1;
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            final String line = text.substring(start, end);
            if (!line.isEmpty() && !line.startsWith(" ") && !line.startsWith("#")) {
                break; // the next section
            }
            if (line.startsWith("  " + key + ":")) {
                return new int[] {start, end};
            }
            at = end;
        }
        throw new IllegalStateException("the configuration has no key '" + section + "." + key + "'");
    }
}
