package dev.prepaid.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonMappingException;

/**
 * Jackson's reading problems turned into the words of the files' editors: where in the file (a key path such as
 * {@code server.allowList[2]}), on which line, and Jackson's own message cut to its first line. Shared by the
 * configuration and bootstrap loader and the ISO 8583 dialect loader, which word the rest of their messages
 * themselves.
 */
public final class YamlErrors {
    private static final String DUPLICATE = "Duplicate field '";

    private YamlErrors() {
    }

    /**
     * A parse problem at {@code where} (a key path, "" or "(top)" at the top) as one line without the file name:
     * a duplicate key named with {@code duplicateWords} after its path, anything else after {@code otherPrefix}.
     */
    public static String parseProblem(final String where, final JsonProcessingException e, final String duplicateWords,
            final String otherPrefix) {
        final String message = firstLine(e.getOriginalMessage());
        final String at = where.isEmpty() || "(top)".equals(where) ? "" : where;
        if (message.startsWith(DUPLICATE) && message.indexOf('\'', DUPLICATE.length()) > 0) {
            final String key = message.substring(DUPLICATE.length(), message.indexOf('\'', DUPLICATE.length()));
            final String keyPath = at.equals(key) || at.endsWith("." + key) ? at : at.isEmpty() ? key : at + "." + key;
            return keyPath + ": " + duplicateWords + line(e.getLocation());
        }
        return (at.isEmpty() ? "" : at + ": ") + otherPrefix + message + line(e.getLocation());
    }

    /** The key path of a mapping problem, e.g. {@code terminals[3].tmk}; {@code (top)} at the top. */
    public static String path(final JsonMappingException e) {
        final StringBuilder out = new StringBuilder();
        for (final JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.length() == 0 ? "(top)" : out.toString();
    }

    /** The key path of where a parser stands; "" at the top. */
    public static String contextPath(final JsonStreamContext context) {
        if (context == null || context.inRoot()) {
            return "";
        }
        final String parent = contextPath(context.getParent());
        if (context.inArray()) {
            return parent + "[" + Math.max(0, context.getCurrentIndex()) + "]";
        }
        final String name = context.getCurrentName();
        return name == null ? parent : parent.isEmpty() ? name : parent + "." + name;
    }

    /** {@code " (line N)"}, or "" when the location is unknown. */
    public static String line(final JsonLocation location) {
        return location == null || location.getLineNr() <= 0 ? "" : " (line " + location.getLineNr() + ")";
    }

    /** The first line of a Jackson message, which goes on to quote the source. */
    public static String firstLine(final String message) {
        if (message == null) {
            return "unreadable";
        }
        final int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).trim();
    }
}
