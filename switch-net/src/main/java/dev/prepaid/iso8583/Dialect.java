package dev.prepaid.iso8583;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A loaded, validated ISO 8583 dialect: frame parameters, field definitions with their sub-field layouts,
 * and the transaction table. Immutable and shared by every {@link IsoMessage} and {@link IsoWriter}.
 * Load it once at start ({@link #load(Path)}); a bad file fails with a {@link DialectException} whose
 * one-line message names the key.
 */
public final class Dialect {
    /** Where the shipped default dialect lives, relative to the installation directory. */
    public static final String DEFAULT_PATH = "config/iso8583/cup-pos.yaml";
    /** MTI and bitmap sizes on the wire (BCD MTI, primary bitmap). */
    public static final int MTI_BYTES = 2;
    public static final int BITMAP_BYTES = 8;

    public final String name;
    public final String description;
    public final int lengthPrefixBytes;
    public final int maxFrameLength;
    public final int tpduId;
    public final int tpduLength;
    public final int headerLength;
    /** TPDU + header + MTI + bitmap: the shortest frame body. */
    public final int minFrameLength;
    /** Offset of the MTI (and of the MAC block) from the start of the frame body. */
    public final int mtiOffset;

    private final FieldSpec[] fields;
    private final Map<String, SubField> subFields;
    private final TransactionTable transactions;

    Dialect(final String name, final String description, final int lengthPrefixBytes, final int maxFrameLength,
            final int tpduId, final int tpduLength, final int headerLength, final FieldSpec[] fields,
            final Map<String, SubField> subFields, final TransactionTable transactions) {
        this.name = name;
        this.description = description;
        this.lengthPrefixBytes = lengthPrefixBytes;
        this.maxFrameLength = maxFrameLength;
        this.tpduId = tpduId;
        this.tpduLength = tpduLength;
        this.headerLength = headerLength;
        this.mtiOffset = tpduLength + headerLength;
        this.minFrameLength = mtiOffset + MTI_BYTES + BITMAP_BYTES;
        this.fields = fields.clone();
        this.subFields = Map.copyOf(subFields);
        this.transactions = transactions;
    }

    /** Loads and validates a dialect file. */
    public static Dialect load(final Path path) {
        final String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new DialectException(path + ": cannot read: " + e.getMessage(), e);
        }
        return parse(text, path.getFileName().toString());
    }

    /** Loads and validates a dialect from a stream (e.g. a class-path resource). */
    public static Dialect load(final InputStream in, final String sourceName) {
        try {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), sourceName);
        } catch (final IOException e) {
            throw new DialectException(sourceName + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Parses and validates dialect YAML; {@code sourceName} starts every error message. */
    public static Dialect parse(final String yaml, final String sourceName) {
        return new DialectLoader(sourceName).load(yaml);
    }

    /** The field's definition, or null when the dialect does not define it (or it is out of 1..64). */
    public FieldSpec field(final int number) {
        return number >= 0 && number < fields.length ? fields[number] : null;
    }

    /** The definitions by field number (index 0..64, null where undefined); shared, do not modify. */
    FieldSpec[] fieldsByNumber() {
        return fields;
    }

    /** The sub-field with this id (e.g. "60.3"); call at set-up, keep the result. */
    public SubField subField(final String id) {
        final SubField subField = subFields.get(id);
        if (subField == null) {
            throw new IllegalArgumentException("dialect " + name + " has no sub-field '" + id + "'");
        }
        return subField;
    }

    public boolean hasSubField(final String id) {
        return subFields.containsKey(id);
    }

    public TransactionTable transactions() {
        return transactions;
    }

    /** An MTI number as its four digits, e.g. 200 → "0200" (allocates). */
    public static String mtiText(final int mti) {
        final String digits = Integer.toString(mti);
        return "0000".substring(Math.min(4, digits.length())) + digits;
    }

    @Override
    public String toString() {
        return "dialect " + name;
    }
}
