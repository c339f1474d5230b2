package dev.prepaid.load;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The load generator's own files (the mix, the population) read as strictly as the switch reads its configuration:
 * an unknown key, a duplicate key or text where a number belongs is an error, reported in one line naming the file,
 * the key and the line, instead of a default silently taken.
 */
final class LoadYaml {
    private static final ObjectMapper MAPPER = strictMapper();

    private LoadYaml() {
    }

    private static ObjectMapper strictMapper() {
        final ObjectMapper mapper = JsonMapper.builder(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .build();
        mapper.coercionConfigDefaults().setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        return mapper;
    }

    /** Reads {@code file} into {@code type}; an {@link IllegalArgumentException} of one line when it cannot. */
    static <T> T read(final Path file, final Class<T> type) {
        final String text;
        try {
            text = Files.readString(file);
        } catch (final NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": the file does not exist");
        } catch (final IOException e) {
            throw new IllegalArgumentException(file + ": cannot read it: " + e.getMessage());
        }
        return parse(file.toString(), text, type);
    }

    /** As {@link #read} from text; {@code source} names it in messages. */
    static <T> T parse(final String source, final String text, final Class<T> type) {
        if (text.isBlank()) {
            throw new IllegalArgumentException(source + ": the file is empty");
        }
        try {
            final T value = MAPPER.readValue(text, type);
            if (value == null) {
                throw new IllegalArgumentException(source + ": the file holds no document");
            }
            return value;
        } catch (final UnrecognizedPropertyException e) {
            throw new IllegalArgumentException(source + ": " + where(e) + "unknown key" + line(text, e)
                    + "; expected one of " + new TreeSet<>(e.getKnownPropertyIds().stream().map(String::valueOf)
                    .toList()));
        } catch (final JsonMappingException e) {
            throw new IllegalArgumentException(source + ": " + where(e) + e.getOriginalMessage().lines().findFirst()
                    .orElse("not readable").replaceAll(" \\(class [^)]*\\)", "") + line(text, e));
        } catch (final JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": not valid YAML: " + e.getOriginalMessage().lines()
                    .findFirst().orElse("") + line(e.getLocation()));
        }
    }

    private static String where(final JsonMappingException e) {
        final StringBuilder path = new StringBuilder();
        for (final JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? "" : path + ": ";
    }

    private static String line(final JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? "" : " (line " + location.getLineNr() + ")";
    }

    /**
     * The line of the key the error is about: the parser's location is often past it (at the next token, or the
     * end of a flow mapping), so the key is looked for in the text, from the line of its parent on.
     */
    private static String line(final String text, final JsonMappingException e) {
        final List<JsonMappingException.Reference> path = e.getPath();
        if (path.isEmpty() || path.get(path.size() - 1).getFieldName() == null) {
            return line(e.getLocation());
        }
        final Pattern key = Pattern.compile("(^|[\\s{,])\"?" + Pattern.quote(path.get(path.size() - 1).getFieldName())
                + "\"?\\s*:");
        final String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (key.matcher(lines[i]).find()) {
                return " (line " + (i + 1) + ")";
            }
        }
        return line(e.getLocation());
    }
}
