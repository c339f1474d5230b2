package dev.prepaid.iso8583;

import static dev.prepaid.yaml.YamlErrors.contextPath;
import static dev.prepaid.yaml.YamlErrors.line;
import static dev.prepaid.yaml.YamlErrors.path;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.prepaid.command.PosKind;
import dev.prepaid.yaml.YamlErrors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a dialect file with Jackson YAML into records, then checks every key and compiles it into a
 * {@link Dialect}. Every problem is one line naming the file and the key, e.g.
 * {@code cup-pos.yaml: fields[13] (field 35).decodeMax: 120 is more than an LL prefix can express (99)}.
 */
final class DialectLoader {
    // ------------------------------------------------------------------ the file, as Jackson reads it

    record DialectFile(String dialect, String description, FrameDef frame, List<FieldDef> fields, MatchDef match,
            List<TransactionDef> transactions) {
    }

    record FrameDef(Integer lengthPrefixBytes, Integer maxLength, String tpduId, Integer tpduLength,
            Integer headerLength) {
    }

    record FieldDef(Integer number, String name, String format, String prefix, Integer length, Integer encodeMax,
            Integer decodeMax, String align, String prefixCounts, String sensitive, List<String> sensitiveIn,
            List<LayoutDef> layouts) {
    }

    record LayoutDef(String name, Integer length, Boolean repeat, List<SubFieldDef> subfields) {
    }

    record SubFieldDef(String id, String name, String format, Integer length) {
    }

    record MatchDef(String processingCode, String conditionCode, String messageTypeCode, String networkCode) {
    }

    record TransactionDef(String name, Boolean ledger, String mti, List<String> processingCode,
            List<String> conditionCode, List<String> messageTypeCode, List<String> networkCode, Boolean mac,
            RequestDef request, ResponseDef response) {
    }

    record RequestDef(List<Integer> required, List<Integer> oneOf, List<Integer> optional) {
    }

    record ResponseDef(String mti, List<Integer> echo, List<Integer> set) {
    }

    private static final String ORIGINAL = "original";
    private static final int MAX_SUBFIELD_DIGITS = 18;
    private static final int MAX_HEADER_LENGTH = 8;

    /** Configured once; thread-safe for reading. */
    private static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    private final String source;

    DialectLoader(final String source) {
        this.source = source;
    }

    Dialect load(final String yaml) {
        final DialectFile file = read(yaml);
        return compile(file);
    }

    // ------------------------------------------------------------------ reading

    private DialectFile read(final String yaml) {
        try {
            final DialectFile file = MAPPER.readValue(yaml, DialectFile.class);
            if (file == null) {
                throw fail("", "the file is empty");
            }
            return file;
        } catch (final UnrecognizedPropertyException e) {
            final List<String> known = new ArrayList<>();
            if (e.getKnownPropertyIds() != null) {
                for (final Object id : e.getKnownPropertyIds()) {
                    known.add(String.valueOf(id));
                }
            }
            throw new DialectException(source + ": " + path(e) + ": unknown key" + line(e.getLocation())
                    + " (expected one of " + String.join(", ", known) + ")", e);
        } catch (final InvalidFormatException e) {
            throw new DialectException(source + ": " + path(e) + ": '" + e.getValue() + "' is not "
                    + typeName(e.getTargetType()) + line(e.getLocation()), e);
        } catch (final MismatchedInputException e) {
            if (e.getPath().isEmpty() && String.valueOf(e.getOriginalMessage()).startsWith("No content")) {
                throw fail("", "the file is empty");
            }
            throw new DialectException(source + ": " + path(e) + ": wrong type, expected "
                    + typeName(e.getTargetType()) + line(e.getLocation()), e);
        } catch (final JsonMappingException e) {
            throw problem(path(e), e);
        } catch (final JsonProcessingException e) {
            String where = "";
            if (e.getProcessor() instanceof JsonParser) {
                where = contextPath(((JsonParser) e.getProcessor()).getParsingContext());
            }
            throw problem(where, e);
        }
    }

    /** A Jackson problem as one line; a duplicate key names the key. */
    private DialectException problem(final String where, final JsonProcessingException e) {
        return new DialectException(source + ": " + YamlErrors.parseProblem(where, e, "duplicate key", ""), e);
    }





    private static String typeName(final Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == Integer.class || type == int.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a single value";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type.isRecord()) {
            return "a mapping of keys";
        }
        return "a " + type.getSimpleName();
    }

    // ------------------------------------------------------------------ compiling and checking

    private Dialect compile(final DialectFile file) {
        final String name = requireText(file.dialect(), "dialect");
        final String description = file.description() == null ? "" : file.description();

        final FrameDef frame = require(file.frame(), "frame");
        final int lengthPrefixBytes = requireInt(frame.lengthPrefixBytes(), "frame.lengthPrefixBytes");
        if (lengthPrefixBytes != 2) {
            throw fail("frame.lengthPrefixBytes", lengthPrefixBytes + " is not supported, expected 2");
        }
        final int tpduLength = requireInt(frame.tpduLength(), "frame.tpduLength");
        if (tpduLength != 5) {
            throw fail("frame.tpduLength", tpduLength + " is not supported, expected 5 (id, destination, source)");
        }
        final String tpduIdText = requireText(frame.tpduId(), "frame.tpduId");
        if (!tpduIdText.matches("[0-9A-Fa-f]{2}")) {
            throw fail("frame.tpduId", "'" + tpduIdText + "' is not two hex digits");
        }
        final int tpduId = Integer.parseInt(tpduIdText, 16);
        final int headerLength = requireInt(frame.headerLength(), "frame.headerLength");
        if (headerLength < 0 || headerLength > MAX_HEADER_LENGTH) {
            throw fail("frame.headerLength", headerLength + " is out of range 0.." + MAX_HEADER_LENGTH);
        }
        final int minFrame = tpduLength + headerLength + Dialect.MTI_BYTES + Dialect.BITMAP_BYTES;
        final int maxFrame = requireInt(frame.maxLength(), "frame.maxLength");
        if (maxFrame < minFrame || maxFrame > 0xFFFF) {
            throw fail("frame.maxLength", maxFrame + " is out of range " + minFrame + "..65535 (a 2-byte length"
                    + " that holds at least TPDU, header, MTI and bitmap)");
        }

        final List<FieldDef> fieldDefs = require(file.fields(), "fields");
        if (fieldDefs.isEmpty()) {
            throw fail("fields", "no fields defined");
        }
        final FieldSpec[] fields = new FieldSpec[65];
        final Map<String, SubField> subFields = new LinkedHashMap<>();
        for (int i = 0; i < fieldDefs.size(); i++) {
            final FieldSpec spec = compileField(fieldDefs.get(i), i, maxFrame - minFrame, subFields);
            if (fields[spec.number] != null) {
                throw fail("fields[" + i + "].number", spec.number + " is defined twice");
            }
            fields[spec.number] = spec;
        }

        final MatchDef match = require(file.match(), "match");
        final int[] keyFields = new int[Transaction.KEYS];
        final SubField[] keySubFields = new SubField[Transaction.KEYS];
        final String[] keyRefs = {match.processingCode(), match.conditionCode(), match.messageTypeCode(),
            match.networkCode()};
        final int[] keyWidths = new int[Transaction.KEYS];
        for (int key = 0; key < Transaction.KEYS; key++) {
            final String where = "match." + Transaction.KEY_NAMES[key];
            final String ref = requireText(keyRefs[key], where);
            if (ref.matches("[0-9]{1,2}")) {
                final int number = Integer.parseInt(ref);
                final FieldSpec spec = number < fields.length ? fields[number] : null;
                if (spec == null) {
                    throw fail(where, "field " + ref + " is not defined in fields");
                }
                if (!spec.fixed() || spec.format == Format.B || spec.fixedLength > MAX_SUBFIELD_DIGITS) {
                    throw fail(where, "field " + ref
                            + " must be fixed n/z/an/ans of at most 18 characters to be a key");
                }
                keyFields[key] = number;
                keyWidths[key] = spec.fixedLength;
            } else {
                final SubField subField = subFields.get(ref);
                if (subField == null) {
                    throw fail(where, "'" + ref + "' is neither a field number nor a sub-field id");
                }
                if (subField.format != Format.N) {
                    throw fail(where, "sub-field " + ref + " must be numeric (n) to be a key");
                }
                keyFields[key] = subField.field;
                keySubFields[key] = subField;
                keyWidths[key] = subField.length;
            }
        }

        final List<TransactionDef> transactionDefs = require(file.transactions(), "transactions");
        if (transactionDefs.isEmpty()) {
            throw fail("transactions", "no transactions defined");
        }
        final Transaction[] rows = new Transaction[transactionDefs.size()];
        final Set<String> names = new HashSet<>();
        for (int i = 0; i < rows.length; i++) {
            rows[i] = compileTransaction(transactionDefs.get(i), i, fields, keyFields, keyWidths, names);
        }
        checkUnambiguous(rows);
        return new Dialect(name, description, lengthPrefixBytes, maxFrame, tpduId, tpduLength, headerLength, fields,
                subFields, new TransactionTable(rows, keyFields, keySubFields));
    }

    private FieldSpec compileField(final FieldDef def, final int index, final int maxFieldBytes,
            final Map<String, SubField> subFields) {
        String at = "fields[" + index + "]";
        require(def, at);
        final int number = requireInt(def.number(), at + ".number");
        if (number == 1) {
            throw fail(at + ".number", "1 is the secondary bitmap, which this codec does not support");
        }
        if (number < 2 || number > 64) {
            throw fail(at + ".number", number + " is out of range 2..64");
        }
        at = at + " (field " + number + ")";
        final String name = requireText(def.name(), at + ".name");
        final String formatText = requireText(def.format(), at + ".format");
        final Format format = Format.ofText(formatText);
        if (format == null) {
            throw fail(at + ".format", "'" + formatText + "' is not one of n, z, an, ans, b");
        }
        final String prefixText = requireText(def.prefix(), at + ".prefix");
        final LengthKind lengthKind = LengthKind.ofText(prefixText);
        if (lengthKind == null) {
            throw fail(at + ".prefix", "'" + prefixText + "' is not one of fixed, LL, LLL");
        }

        final int fixedLength;
        final int encodeMax;
        final int decodeMax;
        boolean leftAligned = false;
        if (lengthKind == LengthKind.FIXED) {
            forbid(def.encodeMax(), at + ".encodeMax", "a fixed field has a length, not maxima");
            forbid(def.decodeMax(), at + ".decodeMax", "a fixed field has a length, not maxima");
            forbid(def.prefixCounts(), at + ".prefixCounts", "a fixed field has no prefix");
            fixedLength = requireInt(def.length(), at + ".length");
            if (fixedLength < 1) {
                throw fail(at + ".length", fixedLength + " is impossible, expected at least 1");
            }
            if (format.bcd) {
                final String align = requireText(def.align(), at + ".align");
                if (!align.equals("right") && !align.equals("left")) {
                    throw fail(at + ".align", "'" + align + "' is not right or left");
                }
                leftAligned = align.equals("left");
            } else {
                forbid(def.align(), at + ".align", "only fixed n and z fields are aligned");
            }
            encodeMax = fixedLength;
            decodeMax = fixedLength;
        } else {
            forbid(def.length(), at + ".length", "a variable field has encodeMax and decodeMax, not a length");
            forbid(def.align(), at + ".align", "variable n and z data is always left-aligned");
            final String counts = requireText(def.prefixCounts(), at + ".prefixCounts");
            final String expected = format.bcd ? "digits" : "bytes";
            if (!counts.equals(expected)) {
                throw fail(at + ".prefixCounts", "'" + counts + "' is not supported for format " + format.text
                        + ", expected " + expected);
            }
            encodeMax = requireInt(def.encodeMax(), at + ".encodeMax");
            decodeMax = requireInt(def.decodeMax(), at + ".decodeMax");
            if (encodeMax < 1) {
                throw fail(at + ".encodeMax", encodeMax + " is impossible, expected at least 1");
            }
            if (decodeMax > lengthKind.maxLength) {
                throw fail(at + ".decodeMax", decodeMax + " is more than an " + lengthKind.text
                        + " prefix can express (" + lengthKind.maxLength + ")");
            }
            if (decodeMax < encodeMax) {
                throw fail(at + ".decodeMax", decodeMax + " is less than encodeMax " + encodeMax
                        + " (the switch must accept what it writes)");
            }
            fixedLength = 0;
        }
        final int maxBytes = lengthKind.prefixBytes + (format.bcd ? (decodeMax + 1) / 2 : decodeMax);
        if (maxBytes > maxFieldBytes) {
            throw fail(at + (lengthKind == LengthKind.FIXED ? ".length" : ".decodeMax"), "needs " + maxBytes
                    + " bytes, more than a frame of frame.maxLength can hold after its header (" + maxFieldBytes + ")");
        }

        Sensitivity sensitivity = Sensitivity.NONE;
        if (def.sensitive() != null) {
            sensitivity = Sensitivity.ofText(def.sensitive());
            if (sensitivity == null) {
                throw fail(at + ".sensitive", "'" + def.sensitive() + "' is not one of none, pan, hidden");
            }
        }
        int[] sensitiveMtis = new int[0];
        if (def.sensitiveIn() != null) {
            if (sensitivity == Sensitivity.NONE) {
                throw fail(at + ".sensitiveIn", "given for a field that is not sensitive");
            }
            if (def.sensitiveIn().isEmpty()) {
                throw fail(at + ".sensitiveIn", "empty (leave it out to apply to every MTI)");
            }
            sensitiveMtis = new int[def.sensitiveIn().size()];
            for (int i = 0; i < sensitiveMtis.length; i++) {
                sensitiveMtis[i] = mti(def.sensitiveIn().get(i), at + ".sensitiveIn[" + i + "]");
            }
        }

        final List<LayoutDef> layoutDefs = def.layouts() == null ? List.of() : def.layouts();
        if (!layoutDefs.isEmpty() && format == Format.B) {
            throw fail(at + ".layouts", "a binary field has no sub-field layout");
        }
        final Layout[] layouts = new Layout[layoutDefs.size()];
        for (int i = 0; i < layouts.length; i++) {
            layouts[i] = compileLayout(layoutDefs.get(i), at + ".layouts[" + i + "]", number, format, decodeMax,
                    subFields);
        }
        return new FieldSpec(number, name, format, lengthKind, fixedLength, encodeMax, decodeMax, leftAligned,
                sensitivity, sensitiveMtis, layouts);
    }

    private Layout compileLayout(final LayoutDef def, final String at, final int field, final Format fieldFormat,
            final int fieldMax, final Map<String, SubField> subFields) {
        require(def, at);
        final String name = requireText(def.name(), at + ".name");
        final boolean repeat = def.repeat() != null && def.repeat();
        final List<SubFieldDef> defs = require(def.subfields(), at + ".subfields");
        if (defs.isEmpty()) {
            throw fail(at + ".subfields", "no sub-fields");
        }
        int total = 0;
        for (final SubFieldDef sub : defs) {
            total += sub == null || sub.length() == null ? 0 : Math.max(0, sub.length());
        }
        final SubField[] compiled = new SubField[defs.size()];
        int position = 0;
        for (int i = 0; i < compiled.length; i++) {
            final String where = at + ".subfields[" + i + "]";
            final SubFieldDef sub = require(defs.get(i), where);
            final String id = requireText(sub.id(), where + ".id");
            if (subFields.containsKey(id)) {
                throw fail(where + ".id", "'" + id + "' is defined twice");
            }
            final String subName = requireText(sub.name(), where + ".name");
            final String formatText = requireText(sub.format(), where + ".format");
            final Format format = Format.ofText(formatText);
            if (format != Format.N && format != Format.AN && format != Format.ANS) {
                throw fail(where + ".format", "'" + formatText + "' is not one of n, an, ans");
            }
            if (format != Format.N && fieldFormat.bcd) {
                throw fail(where + ".format", "'" + formatText + "' cannot sit in a " + fieldFormat.text
                        + " field (its digits are BCD)");
            }
            final int length = requireInt(sub.length(), where + ".length");
            if (length < 1) {
                throw fail(where + ".length", length + " is impossible, expected at least 1");
            }
            if (format == Format.N && length > MAX_SUBFIELD_DIGITS) {
                throw fail(where + ".length", length + " digits do not fit a long, max " + MAX_SUBFIELD_DIGITS);
            }
            final SubField compiledSub = new SubField(id, subName, format, field, position, length, repeat ? total : 0);
            compiled[i] = compiledSub;
            subFields.put(id, compiledSub);
            position += length;
        }
        if (def.length() != null && def.length() != position) {
            throw fail(at + ".length", def.length() + " is not the sum of the sub-field lengths (" + position + ")");
        }
        if (repeat && def.length() != null) {
            throw fail(at + ".length", "a repeating layout applies to any multiple of its length; leave length out");
        }
        if (position > fieldMax) {
            throw fail(at + ".subfields", "end at " + position + ", past the field's maximum " + fieldMax);
        }
        final Layout layout = new Layout(name, position, repeat, def.length() != null, compiled);
        for (final SubField sub : compiled) {
            sub.layout(layout);
        }
        return layout;
    }

    private Transaction compileTransaction(final TransactionDef def, final int index, final FieldSpec[] fields,
            final int[] keyFields, final int[] keyWidths, final Set<String> names) {
        String at = "transactions[" + index + "]";
        require(def, at);
        final String name = requireText(def.name(), at + ".name");
        if (!names.add(name)) {
            throw fail(at + ".name", "'" + name + "' is defined twice");
        }
        at = at + " (" + name + ")";
        final boolean ledger = def.ledger() == null || def.ledger();
        PosKind kind = null;
        if (ledger) {
            kind = posKind(name);
            if (kind == null) {
                throw fail(at + ".name", "'" + name + "' is not a PosKind (set ledger: false for a transaction"
                        + " the ledger never sees)");
            }
        }
        final int mti = mti(requireText(def.mti(), at + ".mti"), at + ".mti");
        final List<List<String>> criteriaText = new ArrayList<>();
        criteriaText.add(def.processingCode());
        criteriaText.add(def.conditionCode());
        criteriaText.add(def.messageTypeCode());
        criteriaText.add(def.networkCode());
        final int[][] criteria = new int[Transaction.KEYS][];
        final boolean[] original = new boolean[Transaction.KEYS];
        for (int key = 0; key < Transaction.KEYS; key++) {
            final List<String> values = criteriaText.get(key);
            final String where = at + "." + Transaction.KEY_NAMES[key];
            if (values == null) {
                continue;
            }
            if (values.isEmpty()) {
                throw fail(where, "empty (leave the key out to match anything)");
            }
            if (values.contains(ORIGINAL)) {
                if (values.size() != 1) {
                    throw fail(where, "'original' cannot be mixed with values");
                }
                original[key] = true;
                continue;
            }
            criteria[key] = new int[values.size()];
            for (int i = 0; i < values.size(); i++) {
                final String value = values.get(i);
                if (value == null || !value.matches("[0-9]+") || value.length() != keyWidths[key]) {
                    throw fail(where, "'" + value + "' is not " + keyWidths[key] + " digits (quote codes: \"00\")");
                }
                final int parsed = Integer.parseInt(value);
                for (int j = 0; j < i; j++) {
                    if (criteria[key][j] == parsed) {
                        throw fail(where, "'" + value + "' is listed twice");
                    }
                }
                criteria[key][i] = parsed;
            }
        }
        final boolean mac = requireBool(def.mac(), at + ".mac");

        final RequestDef request = require(def.request(), at + ".request");
        final long required = fieldSet(request.required(), at + ".request.required", fields, 0, true);
        final long oneOf = fieldSet(request.oneOf(), at + ".request.oneOf", fields, required, false);
        final long optional = fieldSet(request.optional(), at + ".request.optional", fields, required | oneOf, false);
        final ResponseDef response = require(def.response(), at + ".response");
        final int responseMti = mti(requireText(response.mti(), at + ".response.mti"), at + ".response.mti");
        final long echo = fieldSet(response.echo(), at + ".response.echo", fields, 0, false);
        final long set = fieldSet(response.set(), at + ".response.set", fields, echo, false);

        for (int key = 0; key < Transaction.KEYS; key++) {
            if ((criteria[key] != null || original[key]) && !Bitmap.has(required, keyFields[key])) {
                throw fail(at + ".request.required", "lacks field " + keyFields[key] + ", which carries "
                        + Transaction.KEY_NAMES[key]);
            }
        }
        if (mac) {
            final FieldSpec macSpec = fields[64];
            if (macSpec == null || macSpec.format != Format.B || !macSpec.fixed() || macSpec.fixedLength != 8) {
                throw fail(at + ".mac", "true, but field 64 is not defined as fixed b of 8 bytes");
            }
            if (!Bitmap.has(required, 64)) {
                throw fail(at + ".request.required", "lacks 64 although mac is true");
            }
            if (!Bitmap.has(set, 64)) {
                throw fail(at + ".response.set", "lacks 64 although mac is true");
            }
        } else if (Bitmap.has(required | oneOf | optional, 64)) {
            throw fail(at + ".request", "lists 64 although mac is false");
        } else if (Bitmap.has(echo | set, 64)) {
            throw fail(at + ".response", "lists 64 although mac is false");
        }
        return new Transaction(index, name, kind, mti, responseMti, mac, criteria, original, required, oneOf,
                optional, echo, set);
    }

    private static PosKind posKind(final String name) {
        for (final PosKind kind : PosKind.values()) {
            if (kind.name().equals(name)) {
                return kind;
            }
        }
        return null;
    }

    private long fieldSet(final List<Integer> list, final String at, final FieldSpec[] fields, final long taken,
            final boolean mandatory) {
        if (list == null) {
            if (mandatory) {
                throw fail(at, "missing");
            }
            return 0;
        }
        long set = 0;
        for (int i = 0; i < list.size(); i++) {
            final Integer number = list.get(i);
            if (number == null || number < 2 || number > 64 || fields[number] == null) {
                throw fail(at + "[" + i + "]", number + " is not a field defined in fields");
            }
            if (Bitmap.has(set, number)) {
                throw fail(at + "[" + i + "]", number + " is listed twice");
            }
            if (Bitmap.has(taken, number)) {
                throw fail(at + "[" + i + "]", number + " is already listed in another list of this transaction");
            }
            set |= Bitmap.bit(number);
        }
        return set;
    }

    /** No two rows may match the same request; no two original candidates may match the same keys. */
    private void checkUnambiguous(final Transaction[] rows) {
        for (int i = 0; i < rows.length; i++) {
            for (int j = i + 1; j < rows.length; j++) {
                if (rows[i].mti == rows[j].mti && overlap(rows[i], rows[j], null)) {
                    throw fail("transactions[" + j + "] (" + rows[j].name + ")", "matches the same requests as"
                            + " transactions[" + i + "] (" + rows[i].name + "): MTI " + Dialect.mtiText(rows[i].mti)
                            + " and every key overlap");
                }
            }
        }
        for (final Transaction row : rows) {
            if (!row.findsOriginal) {
                continue;
            }
            final List<Transaction> candidates = new ArrayList<>();
            for (final Transaction candidate : rows) {
                if (TransactionTable.isOriginalCandidate(candidate, row)) {
                    candidates.add(candidate);
                }
            }
            if (candidates.isEmpty()) {
                throw fail("transactions[" + row.index + "] (" + row.name + ")", "finds its original, but no"
                        + " ledger transaction constrains the keys marked original");
            }
            for (int i = 0; i < candidates.size(); i++) {
                for (int j = i + 1; j < candidates.size(); j++) {
                    if (overlap(candidates.get(i), candidates.get(j), row)) {
                        throw fail("transactions[" + row.index + "] (" + row.name + ")", "cannot tell its original"
                                + " apart: " + candidates.get(i).name + " and " + candidates.get(j).name
                                + " share the keys marked original");
                    }
                }
            }
        }
    }

    /** Whether some request satisfies both rows on every key (only the keys {@code originalOf} marks, if given). */
    private static boolean overlap(final Transaction a, final Transaction b, final Transaction originalOf) {
        for (int key = 0; key < Transaction.KEYS; key++) {
            if (originalOf != null && !originalOf.fromOriginal(key)) {
                continue;
            }
            if (a.constrains(key) && b.constrains(key)) {
                boolean common = false;
                for (final int value : a.criterion(key)) {
                    common |= b.accepts(key, value);
                }
                if (!common) {
                    return false;
                }
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ helpers

    private int mti(final String text, final String at) {
        if (text == null || !text.matches("[0-9]{4}")) {
            throw fail(at, "'" + text + "' is not 4 digits (quote MTIs: \"0200\")");
        }
        return Integer.parseInt(text);
    }

    private <T> T require(final T value, final String at) {
        if (value == null) {
            throw fail(at, "missing");
        }
        return value;
    }

    private String requireText(final String value, final String at) {
        if (value == null || value.isBlank()) {
            throw fail(at, "missing");
        }
        return value;
    }

    private int requireInt(final Integer value, final String at) {
        if (value == null) {
            throw fail(at, "missing");
        }
        return value;
    }

    private boolean requireBool(final Boolean value, final String at) {
        if (value == null) {
            throw fail(at, "missing (true or false)");
        }
        return value;
    }

    private void forbid(final Object value, final String at, final String why) {
        if (value != null) {
            throw fail(at, "not allowed here: " + why);
        }
    }

    private DialectException fail(final String at, final String problem) {
        return new DialectException(source + ": " + (at.isEmpty() ? "" : at + ": ") + problem);
    }
}
