package dev.prepaid.security;

import dev.prepaid.config.FileProblems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;

/**
 * Where one MFK component comes from: a file (typically readable only by the switch's user, one per key
 * custodian) or an environment variable. Written in configuration as {@code file:/path/to/component} or
 * {@code env:VARIABLE_NAME}.
 *
 * <p>Content: 32 hex digits (a double-length component). Whitespace anywhere is ignored, so custodians may
 * write it in groups ({@code E09B 073B ...}); in a file, lines starting with {@code #} are comments (e.g. who
 * holds the component). {@link #toString} describes the source, never the content.
 */
public final class KeyComponentSource {
    private static final String FILE_PREFIX = "file:";
    private static final String ENVIRONMENT_PREFIX = "env:";
    /** A component file is a few lines; anything larger is not a component and is refused unread. */
    private static final long MAX_FILE_BYTES = 4096;

    private final Path file;
    private final String variable;

    private KeyComponentSource(final Path file, final String variable) {
        this.file = file;
        this.variable = variable;
    }

    public static KeyComponentSource file(final Path path) {
        return new KeyComponentSource(Objects.requireNonNull(path, "path"), null);
    }

    public static KeyComponentSource environment(final String variableName) {
        if (variableName == null || variableName.isBlank()) {
            throw new KeyMaterialException("MFK component: empty environment variable name");
        }
        return new KeyComponentSource(null, variableName);
    }

    /** Parses {@code file:/path} or {@code env:NAME}. */
    public static KeyComponentSource parse(final String spec) {
        if (spec != null && spec.startsWith(FILE_PREFIX) && spec.length() > FILE_PREFIX.length()) {
            return file(Path.of(spec.substring(FILE_PREFIX.length())));
        }
        if (spec != null && spec.startsWith(ENVIRONMENT_PREFIX) && spec.length() > ENVIRONMENT_PREFIX.length()) {
            return environment(spec.substring(ENVIRONMENT_PREFIX.length()));
        }
        throw new KeyMaterialException(
            "MFK component source must be 'file:<path>' or 'env:<variable>', not '" + spec + "'");
    }

    /**
     * Reads the component text (hex digits with whitespace and comments still in it). The caller decodes and
     * wipes the returned array.
     *
     * @param environment variable lookup, normally {@code System::getenv} (tests pass a map)
     */
    char[] readText(final Function<String, String> environment) {
        if (variable != null) {
            final String value = environment.apply(variable);
            if (value == null) {
                throw new KeyMaterialException("MFK component " + this + " is not set");
            }
            return value.toCharArray();
        }
        final byte[] bytes;
        try {
            final long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new KeyMaterialException("MFK component " + this + " is " + size
                    + " bytes, more than a component file can be (" + MAX_FILE_BYTES + ")");
            }
            bytes = Files.readAllBytes(file);
        } catch (final IOException ex) {
            throw new KeyMaterialException("MFK component " + this + " cannot be read: " + FileProblems.reading(ex), ex);
        }
        final char[] text = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            text[i] = (char) (bytes[i] & 0xFF);
        }
        Arrays.fill(bytes, (byte) 0);
        return text;
    }

    @Override
    public String toString() {
        return variable != null ? "environment variable " + variable : "file " + file;
    }

    // Used only so that tests can check which source a spec parsed to.
    boolean isFile() {
        return file != null;
    }
}
