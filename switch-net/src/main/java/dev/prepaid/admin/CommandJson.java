package dev.prepaid.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.CommandType;
import dev.prepaid.state.StoredName;
import dev.prepaid.state.StoredNames;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An operator command from its JSON fields, by the names of its record components (docs/admin-api.md): every
 * number, flag and enum is required, a text may be left out (empty), an unknown field is refused, and each
 * problem is answered naming the field and what it takes. Numbers are integers: amounts in fen, dates
 * yyyymmdd, rates in parts per million. Enums by their stored name.
 */
final class CommandJson {
    private CommandJson() {
    }

    /** The field names and what each takes, in declaration order (the command catalog of {@code GET /v1/commands}). */
    static Map<String, String> fields(final CommandType type) {
        final Map<String, String> fields = new LinkedHashMap<>();
        for (final RecordComponent component : type.recordClass.getRecordComponents()) {
            fields.put(component.getName(), describe(component.getType()));
        }
        return fields;
    }

    static String describe(final Class<?> type) {
        if (type == boolean.class) {
            return "boolean";
        } else if (type == int.class) {
            return "integer (32 bits)";
        } else if (type == long.class) {
            return "integer";
        } else if (type == String.class) {
            return "text";
        }
        final List<String> names = new ArrayList<>();
        for (final Object constant : type.getEnumConstants()) {
            names.add(((StoredName) constant).storedName());
        }
        return "one of " + String.join(", ", names);
    }

    /**
     * The command of {@code type} from {@code fields} (a JSON object), with the values {@code given} filled in
     * first by the endpoint (fields a client may not set itself).
     */
    static AdminCommand read(final CommandType type, final JsonNode fields, final Map<String, Object> given) {
        if (fields != null && !fields.isNull() && !fields.isObject()) {
            throw AdminError.badField("fields", "fields must be a JSON object of the command's fields");
        }
        final RecordComponent[] components = type.recordClass.getRecordComponents();
        final Map<String, RecordComponent> byName = new LinkedHashMap<>();
        for (final RecordComponent component : components) {
            byName.put(component.getName(), component);
        }
        if (fields != null && fields.isObject()) {
            for (final Iterator<String> names = fields.fieldNames(); names.hasNext(); ) {
                final String name = names.next();
                if (!byName.containsKey(name) || given.containsKey(name)) {
                    throw AdminError.badField(name, type + " has no field '" + name + "'"
                            + (given.containsKey(name) ? " a client may set" : "") + "; its fields are "
                            + String.join(", ", settable(byName.keySet(), given)));
                }
            }
        }
        final Object[] values = new Object[components.length];
        final Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            final RecordComponent component = components[i];
            types[i] = component.getType();
            final String name = component.getName();
            values[i] = given.containsKey(name) ? given.get(name)
                    : value(name, component.getType(), fields == null ? null : fields.get(name));
        }
        try {
            final Constructor<? extends AdminCommand> constructor = type.recordClass.getDeclaredConstructor(types);
            return constructor.newInstance(values);
        } catch (final InvocationTargetException e) {
            throw new AdminError(400, "BAD_COMMAND", type + ": " + e.getCause().getMessage());
        } catch (final ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type, e);
        }
    }

    private static List<String> settable(final Iterable<String> names, final Map<String, Object> given) {
        final List<String> list = new ArrayList<>();
        for (final String name : names) {
            if (!given.containsKey(name)) {
                list.add(name);
            }
        }
        return list;
    }

    private static Object value(final String name, final Class<?> type, final JsonNode node) {
        final boolean missing = node == null || node.isNull() || node.isMissingNode();
        if (type == String.class) {
            if (missing) {
                return "";
            }
            if (!node.isTextual()) {
                throw AdminError.badField(name, name + " must be text, got " + kind(node));
            }
            return node.textValue();
        }
        if (missing) {
            throw AdminError.badField(name, name + " is required: " + describe(type));
        }
        if (type == boolean.class) {
            if (!node.isBoolean()) {
                throw AdminError.badField(name, name + " must be true or false, got " + kind(node));
            }
            return node.booleanValue();
        }
        if (type == int.class || type == long.class) {
            if (!node.isIntegralNumber()) {
                throw AdminError.badField(name, name + " must be a whole number" + (node.isNumber()
                        ? " (amounts are fen: 12.34 yuan is 1234), got " + node.asText() : ", got " + kind(node)));
            }
            if (type == int.class && !node.canConvertToInt()) {
                throw AdminError.badField(name, name + " must fit in 32 bits, got " + node.asText());
            }
            if (!node.canConvertToLong()) {
                throw AdminError.badField(name, name + " is too large, got " + node.asText());
            }
            return type == int.class ? (Object) node.intValue() : (Object) node.longValue();
        }
        if (!node.isTextual()) {
            throw AdminError.badField(name, name + " must be " + describe(type) + ", got " + kind(node));
        }
        final Object constant = StoredNames.findAny(type, node.textValue());
        if (constant == null) {
            throw AdminError.badField(name, name + " must be " + describe(type) + ", got '" + node.textValue() + "'");
        }
        return constant;
    }

    private static String kind(final JsonNode node) {
        final JsonNodeType type = node.getNodeType();
        return switch (type) {
            case STRING -> "the text \"" + node.textValue() + "\"";
            case NUMBER -> "the number " + node.asText();
            case BOOLEAN -> node.asText();
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            default -> type.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
