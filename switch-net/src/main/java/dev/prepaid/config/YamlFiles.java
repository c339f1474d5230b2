package dev.prepaid.config;

import static dev.prepaid.yaml.YamlErrors.contextPath;
import static dev.prepaid.yaml.YamlErrors.firstLine;
import static dev.prepaid.yaml.YamlErrors.path;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prepaid.yaml.YamlErrors;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Strict YAML into records, shared by the configuration and the bootstrap file. Strict means: an unknown key,
 * a duplicate key, a value of the wrong type (a quoted {@code "8583"} where an integer belongs, a number where
 * text belongs, {@code 1} for an enum, {@code 2.5} for an integer) and a key written without a value are each
 * an error, reported as one line naming the file, the key path and the line. Record components are boxed, so
 * an absent key reads as {@code null} and the caller applies its default; an empty section ({@code ledger:}
 * with every key commented out) is the same as an absent one.
 */
final class YamlFiles {
    private static final ObjectMapper MAPPER = strictMapper();

    private YamlFiles() {
    }

    private static ObjectMapper strictMapper() {
        final ObjectMapper mapper = JsonMapper.builder(new YAMLFactory())
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .build();
        mapper.coercionConfigDefaults()
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                .setAcceptBlankAsEmpty(Boolean.FALSE);
        return mapper;
    }

    /**
     * Reads a file into {@code type}.
     *
     * @param source what to call the file in messages (the path as the operator gave it)
     * @param maxBytes larger files are refused unread
     */
    static <T extends Record> T read(final Path file, final String source, final Class<T> type, final long maxBytes) {
        final String text;
        try {
            final long size = Files.size(file);
            if (size > maxBytes) {
                throw new ConfigException(source + ": the file is " + size + " bytes, more than the " + maxBytes
                        + " a file of this kind may have");
            }
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (final NoSuchFileException e) {
            throw new ConfigException(source + ": the file does not exist", e);
        } catch (final CharacterCodingException e) {
            throw new ConfigException(source + ": the file is not UTF-8 text", e);
        } catch (final IOException e) {
            throw new ConfigException(source + ": the file cannot be read: " + e, e);
        }
        return parse(source, text, type);
    }

    /** Reads YAML text into {@code type}; an empty document is an error. */
    static <T extends Record> T parse(final String source, final String text, final Class<T> type) {
        final JsonNode tree = tree(source, text);
        final T value;
        try {
            value = MAPPER.readValue(text, type);
        } catch (final UnrecognizedPropertyException e) {
            final TreeSet<String> known = new TreeSet<>();
            if (e.getKnownPropertyIds() != null) {
                for (final Object id : e.getKnownPropertyIds()) {
                    known.add(String.valueOf(id));
                }
            }
            throw new ConfigException(source + ": " + path(e) + ": unknown key" + line(text, e)
                    + (known.isEmpty() ? "" : "; expected one of " + String.join(", ", known)), e);
        } catch (final MismatchedInputException e) {
            throw new ConfigException(source + ": " + path(e) + ": expected " + expected(e.getTargetType()) + ", found "
                    + found(tree, e) + line(text, e), e);
        } catch (final JsonMappingException e) {
            final String message = firstLine(e.getOriginalMessage());
            if (message.startsWith("Numeric value (") && message.contains("out of range")) {
                final String number = message.substring("Numeric value (".length(), message.indexOf(')'));
                throw new ConfigException(source + ": " + path(e) + ": " + number + " is too large for this key"
                        + line(text, e), e);
            }
            throw new ConfigException(source + ": " + path(e) + ": " + message + line(text, e), e);
        } catch (final JsonProcessingException e) {
            throw new ConfigException(source + ": not valid YAML: " + firstLine(e.getOriginalMessage())
                    + YamlErrors.line(e.getLocation()), e);
        }
        if (value == null) {
            throw new ConfigException(source + ": the file is empty");
        }
        final String nullKey = firstNull(tree, type, "");
        if (nullKey != null) {
            throw new ConfigException(source + ": " + nullKey + ": the key has no value; give one, or remove the key"
                    + " to take the default");
        }
        return value;
    }

    /** The document as a tree: YAML syntax, duplicate keys, an empty file and a top that is not a mapping. */
    private static JsonNode tree(final String source, final String text) {
        final JsonNode tree;
        try {
            tree = MAPPER.readTree(text);
        } catch (final JsonProcessingException e) {
            String where = "";
            if (e.getProcessor() instanceof JsonParser) {
                where = contextPath(((JsonParser) e.getProcessor()).getParsingContext());
            }
            throw problem(source, where, e);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new ConfigException(source + ": the file is empty");
        }
        if (!tree.isObject()) {
            throw new ConfigException(source + ": (top): expected a mapping of keys, found " + describe(tree));
        }
        return tree;
    }

    /** " (line N)" of the key or list item at the exception's path, found by reading the text again. */
    private static String line(final String text, final JsonMappingException e) {
        final String target = path(e);
        try (JsonParser parser = MAPPER.getFactory().createParser(text)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                // A mapping or list opens its own context: the entry it is part of is the parent's.
                final JsonStreamContext context = token.isStructStart() ? parser.getParsingContext().getParent()
                        : parser.getParsingContext();
                final boolean candidate = token == JsonToken.FIELD_NAME || (context.inArray() && !token.isStructEnd());
                if (candidate && target.equals(contextPath(context))) {
                    return YamlErrors.line(parser.currentTokenLocation());
                }
            }
        } catch (final IOException io) {
            return "";
        }
        return "";
    }

    /** What the file holds at the exception's path. */
    private static String found(final JsonNode tree, final JsonMappingException e) {
        JsonNode node = tree;
        for (final JsonMappingException.Reference ref : e.getPath()) {
            if (node == null) {
                break;
            }
            node = ref.getFieldName() != null ? node.get(ref.getFieldName()) : node.get(ref.getIndex());
        }
        return node == null ? "something else" : describe(node);
    }

    private static String describe(final JsonNode node) {
        if (node.isTextual()) {
            return "the text \"" + node.asText() + "\"";
        }
        if (node.isNumber()) {
            return "the number " + node.asText();
        }
        if (node.isBoolean()) {
            return node.asText();
        }
        if (node.isObject()) {
            return "a mapping of keys";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isNull()) {
            return "no value";
        }
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    // ------------------------------------------------------------------ explicit nulls

    /**
     * The path of the first key written without a value where a single value belongs ({@code port:}); null when
     * there is none. Empty sections and lists are allowed: they read as absent.
     */
    private static String firstNull(final JsonNode node, final Type type, final String path) {
        final Class<?> raw = rawClass(type);
        if (raw != null && raw.isRecord() && node.isObject()) {
            for (final RecordComponent component : raw.getRecordComponents()) {
                final JsonNode child = node.get(component.getName());
                if (child == null) {
                    continue;
                }
                final String childPath = path.isEmpty() ? component.getName() : path + "." + component.getName();
                if (child.isNull()) {
                    if (!isContainer(component.getType())) {
                        return childPath;
                    }
                    continue;
                }
                final String found = firstNull(child, component.getGenericType(), childPath);
                if (found != null) {
                    return found;
                }
            }
        } else if (raw != null && List.class.isAssignableFrom(raw) && node.isArray()) {
            final Type element = typeArgument(type, 0);
            for (int i = 0; i < node.size(); i++) {
                final String childPath = path + "[" + i + "]";
                if (node.get(i).isNull()) {
                    return childPath;
                }
                final String found = firstNull(node.get(i), element, childPath);
                if (found != null) {
                    return found;
                }
            }
        } else if (raw != null && Map.class.isAssignableFrom(raw) && node.isObject()) {
            final Type valueType = typeArgument(type, 1);
            for (final Map.Entry<String, JsonNode> entry : node.properties()) {
                final String childPath = path.isEmpty() ? entry.getKey() : path + "." + entry.getKey();
                if (entry.getValue().isNull()) {
                    return childPath;
                }
                final String found = firstNull(entry.getValue(), valueType, childPath);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static boolean isContainer(final Class<?> type) {
        return type.isRecord() || List.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type);
    }

    private static Class<?> rawClass(final Type type) {
        if (type instanceof Class<?>) {
            return (Class<?>) type;
        }
        if (type instanceof ParameterizedType) {
            return (Class<?>) ((ParameterizedType) type).getRawType();
        }
        return null;
    }

    private static Type typeArgument(final Type type, final int index) {
        if (type instanceof ParameterizedType) {
            final Type[] arguments = ((ParameterizedType) type).getActualTypeArguments();
            return index < arguments.length ? arguments[index] : Object.class;
        }
        return Object.class;
    }

    // ------------------------------------------------------------------ messages

    private static ConfigException problem(final String source, final String where, final JsonProcessingException e) {
        return new ConfigException(source + ": " + YamlErrors.parseProblem(where, e, "the key appears twice",
                "not valid YAML: "), e);
    }





    /** What the key takes, in the words an operator editing YAML uses. */
    static String expected(final Class<?> type) {
        if (type == null) {
            return "another kind of value";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "text (put numbers that are codes or ids in quotes)";
        }
        if (type.isEnum()) {
            final List<String> names = new ArrayList<>();
            for (final Object constant : type.getEnumConstants()) {
                names.add(((Enum<?>) constant).name());
            }
            return "one of " + String.join(", ", names);
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (type.isRecord() || Map.class.isAssignableFrom(type)) {
            return "a mapping of keys";
        }
        return "a " + type.getSimpleName();
    }
}
