package dev.prepaid.security;

import dev.prepaid.config.FileProblems;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The keys at rest, read from a text file into memory and decrypted under the MFK: TMKs by terminal key
 * reference, CVK pairs by card type, the PIN verification key. One key per line:
 * <pre>
 * # comment
 * name = HEX-CRYPTOGRAM-UNDER-MFK KCV   # trailing comment
 * </pre>
 * The cryptogram is 16 or 32 hex digits (a single- or double-length key, 3DES ECB under the MFK); the check
 * value is 4 to 16 hex digits (2–8 bytes; files written here carry 3 bytes) and is verified on load, which is
 * how a wrong MFK is told from the right one.
 * Names are letters, digits and {@code . _ - :}, unique in the file; a convention is {@code tmk.<terminal-ref>},
 * {@code cvk.<card-type>}, {@code pvk}. Any problem throws {@link KeyMaterialException} naming the file, line
 * and key name, never the key.
 */
public final class StoredKeys {
    /** Refuse files that cannot be a key file for any plausible number of terminals. */
    public static final long MAX_FILE_BYTES = 64L * 1024 * 1024;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    /** How the header names the MFK the file was written under (read back to explain a wrong MFK). */
    private static final String MFK_CHECK_VALUE_LABEL = "MFK check value";
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final int MIN_CHECK_VALUE_DIGITS = 4;
    private static final int MAX_CHECK_VALUE_DIGITS = 16;

    private final String source;
    /**
     * Replaced whole (copy on write) when a key is added while the switch runs, so the I/O and reply threads
     * read it without a lock; additions are rare (a terminal registered) and serialised by {@link #put}.
     */
    private volatile Map<String, DesKey> keys;

    private StoredKeys(final String source, final Map<String, DesKey> keys) {
        this.source = source;
        this.keys = Collections.unmodifiableMap(keys);
    }

    /**
     * Adds or replaces a key in memory (a terminal registered on a running switch); the caller has already
     * written it to the key file. Returns the key it replaced, or null.
     */
    public synchronized DesKey put(final String name, final DesKey key) {
        if (!NAME.matcher(name).matches()) {
            throw new KeyMaterialException("key name '" + name + "' must be 1-64 of A-Z a-z 0-9 . _ - :");
        }
        final Map<String, DesKey> next = new LinkedHashMap<>(keys);
        final DesKey previous = next.put(name, key);
        keys = Collections.unmodifiableMap(next);
        return previous;
    }

    /** Takes a key out of memory (an addition undone), or puts the one it replaced back. */
    public synchronized void restore(final String name, final DesKey previous) {
        final Map<String, DesKey> next = new LinkedHashMap<>(keys);
        if (previous == null) {
            next.remove(name);
        } else {
            next.put(name, previous);
        }
        keys = Collections.unmodifiableMap(next);
    }

    /** The keys by name, in file order (a snapshot: later additions are not in it). */
    public Map<String, DesKey> asMap() {
        return keys;
    }

    /** Reads and decrypts a key file. */
    public static StoredKeys load(final Path file, final MasterFileKey mfk) {
        final List<String> lines;
        try {
            final long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new KeyMaterialException("key file " + file + " is " + size + " bytes, over the limit of "
                    + MAX_FILE_BYTES);
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (final IOException ex) {
            throw new KeyMaterialException("key file " + file + " cannot be read: " + FileProblems.reading(ex), ex);
        }
        return parse(file.toString(), lines, mfk);
    }

    /**
     * Parses and decrypts the lines of a key file.
     *
     * @param source what to call the file in error messages
     */
    public static StoredKeys parse(final String source, final List<String> lines, final MasterFileKey mfk) {
        final Map<String, DesKey> keys = new LinkedHashMap<>();
        final String writtenUnder = recordedMfkCheckValue(lines);
        for (int i = 0; i < lines.size(); i++) {
            final String where = source + " line " + (i + 1);
            final String line = stripComment(lines.get(i)).trim();
            if (line.isEmpty()) {
                continue;
            }
            final int equals = line.indexOf('=');
            if (equals < 0) {
                throw new KeyMaterialException(where + ": expected 'name = cryptogram check value'");
            }
            final String name = line.substring(0, equals).trim();
            if (!NAME.matcher(name).matches()) {
                throw new KeyMaterialException(where + ": key name must be 1-64 of A-Z a-z 0-9 . _ - :");
            }
            if (keys.containsKey(name)) {
                throw new KeyMaterialException(where + ": key '" + name + "' is defined twice");
            }
            try {
                keys.put(name, parseValue(line.substring(equals + 1).trim(), where + " (key '" + name + "')", mfk));
            } catch (final KeyMaterialException e) {
                if (writtenUnder != null && !writtenUnder.equalsIgnoreCase(mfk.checkValueHex())) {
                    // The header says which MFK wrote the file: name the cause rather than one key's symptom.
                    throw new KeyMaterialException(e.getMessage() + "; the file was written under the MFK with check"
                        + " value " + writtenUnder + ", the configured components make " + mfk.checkValueHex()
                        + ": a component is wrong, missing or from another installation", e);
                }
                throw e;
            }
        }
        return new StoredKeys(source, keys);
    }

    /** The MFK check value a header line written by {@link #write} records, or null. */
    private static String recordedMfkCheckValue(final List<String> lines) {
        for (final String line : lines) {
            final int at = line.indexOf(MFK_CHECK_VALUE_LABEL);
            if (line.startsWith("#") && at >= 0) {
                final String rest = line.substring(at + MFK_CHECK_VALUE_LABEL.length()).trim();
                final String[] words = WHITESPACE.split(rest);
                return words.length > 0 && Hex.isHex(words[0]) ? words[0] : null;
            }
        }
        return null;
    }

    private static String stripComment(final String line) {
        final int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash);
    }

    private static DesKey parseValue(final String value, final String where, final MasterFileKey mfk) {
        final String[] parts = value.isEmpty() ? new String[0] : WHITESPACE.split(value);
        if (parts.length < 1 || parts.length > 2) {
            throw new KeyMaterialException(where + ": expected a cryptogram and its check value");
        }
        final String cryptogram = parts[0];
        if (!Hex.isHex(cryptogram)
            || (cryptogram.length() != 2 * DesKey.SINGLE_LENGTH && cryptogram.length() != 2 * DesKey.DOUBLE_LENGTH)) {
            throw new KeyMaterialException(where + ": the cryptogram must be 16 or 32 hex digits");
        }
        if (parts.length == 1) {
            // The check value is what tells a wrong MFK (a wrong component) from the right one: without it the
            // line would decrypt to some other key without a word. bin/prepaid keys always writes it.
            throw new KeyMaterialException(where + ": no check value after the cryptogram; without it a wrong MFK"
                + " would go unnoticed for this key (bin/prepaid keys add NAME --stdin --replace writes the line whole)");
        }
        final String checkValue = parts[1];
        if ((!Hex.isHex(checkValue)
            || checkValue.length() < MIN_CHECK_VALUE_DIGITS || checkValue.length() > MAX_CHECK_VALUE_DIGITS)) {
            throw new KeyMaterialException(where + ": the check value must be an even number of hex digits, "
                + MIN_CHECK_VALUE_DIGITS + " to " + MAX_CHECK_VALUE_DIGITS);
        }
        try {
            return mfk.decryptHex(cryptogram, checkValue);
        } catch (final KeyMaterialException ex) {
            throw new KeyMaterialException(where + ": " + ex.getMessage());
        }
    }

    /** One line of a key file for {@code key} under {@code mfk}: {@code name = CRYPTOGRAM KCV}. */
    public static String format(final String name, final DesKey key, final MasterFileKey mfk) {
        if (!NAME.matcher(name).matches()) {
            throw new KeyMaterialException("key name '" + name + "' must be 1-64 of A-Z a-z 0-9 . _ - :");
        }
        return name + " = " + Hex.encode(mfk.encrypt(key)) + " " + key.checkValueHex(DesKey.DISPLAY_CHECK_VALUE_LENGTH);
    }

    /**
     * Writes a key file (in the map's iteration order) under {@code mfk}, replacing {@code file} atomically.
     * The file is made readable by its owner only where the file system supports POSIX permissions.
     *
     * @param headerComment written as {@code #} lines at the top; may be empty
     */
    public static void write(
        final Path file, final Map<String, DesKey> keys, final MasterFileKey mfk, final String headerComment) {
        final List<String> lines = new ArrayList<>(keys.size() + 4);
        if (!headerComment.isEmpty()) {
            for (final String commentLine : headerComment.split("\\R")) {
                lines.add("# " + commentLine);
            }
        }
        lines.add("# name = cryptogram under the MFK (3DES ECB), check value; " + MFK_CHECK_VALUE_LABEL + " "
            + mfk.checkValueHex());
        for (final Map.Entry<String, DesKey> entry : keys.entrySet()) {
            lines.add(format(entry.getKey(), entry.getValue(), mfk));
        }
        final Path absolute = file.toAbsolutePath();
        try {
            final Path directory = absolute.getParent();
            final Path temporary = Files.createTempFile(directory, ".keys", ".tmp", SecretFiles.ownerOnly());
            try {
                Files.write(temporary, lines, StandardCharsets.UTF_8);
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (final IOException ex) {
            throw new KeyMaterialException("key file " + file + " cannot be written: " + FileProblems.writing(ex), ex);
        }
    }

    /** Writes these keys to {@code file} under {@code mfk} (which may differ from the MFK they were read under). */
    public void writeTo(final Path file, final MasterFileKey mfk, final String headerComment) {
        write(file, keys, mfk, headerComment);
    }

    /**
     * The key called {@code name}.
     *
     * @throws KeyMaterialException when there is none
     */
    public DesKey key(final String name) {
        final DesKey key = keys.get(name);
        if (key == null) {
            throw new KeyMaterialException("no key named '" + name + "' in " + source);
        }
        return key;
    }

    /** The key called {@code name}, or {@code null}. */
    public DesKey find(final String name) {
        return keys.get(name);
    }

    public boolean contains(final String name) {
        return keys.containsKey(name);
    }

    /**
     * The CVK pair called {@code name}: a double-length entry KeyA‖KeyB.
     *
     * @throws KeyMaterialException when there is none or it is single-length
     */
    public CvkPair cvkPair(final String name) {
        final DesKey key = key(name);
        if (!key.isDoubleLength()) {
            throw new KeyMaterialException("key '" + name + "' in " + source
                + " is single-length; a CVK pair is KeyA and KeyB, 32 hex digits");
        }
        return CvkPair.of(key);
    }

    /** Names in file order. */
    public Set<String> names() {
        return keys.keySet();
    }

    public int size() {
        return keys.size();
    }

    @Override
    public String toString() {
        return "StoredKeys[" + source + ", " + keys.size() + " keys]";
    }
}
