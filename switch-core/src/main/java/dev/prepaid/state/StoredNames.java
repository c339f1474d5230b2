package dev.prepaid.state;

import java.util.HashMap;
import java.util.Map;

/** Finds the constant of a {@link StoredName} enum by its stored name. */
public final class StoredNames {
    private static final ClassValue<Map<String, Enum<?>>> BY_NAME = new ClassValue<>() {
        @Override
        protected Map<String, Enum<?>> computeValue(final Class<?> type) {
            if (!type.isEnum() || !StoredName.class.isAssignableFrom(type)) {
                throw new IllegalArgumentException(type.getName() + " is not an enum with stored names");
            }
            final Map<String, Enum<?>> names = new HashMap<>();
            for (final Object constant : type.getEnumConstants()) {
                final String name = ((StoredName) constant).storedName();
                if (name == null || name.isEmpty() || names.put(name, (Enum<?>) constant) != null) {
                    throw new IllegalStateException(type.getName() + ": stored name '" + name + "' is empty or used twice");
                }
            }
            return Map.copyOf(names);
        }
    };

    private StoredNames() {
    }

    /** The constant stored as {@code name}, or null when {@code type} has none by that name. */
    public static <E extends Enum<E> & StoredName> E find(final Class<E> type, final String name) {
        return type.cast(BY_NAME.get(type).get(name));
    }

    /** Like {@link #find} for a type known only at run time (the command codec). */
    public static Enum<?> findAny(final Class<?> type, final String name) {
        return BY_NAME.get(type).get(name);
    }

    /** The constant stored as {@code name}; throws naming what was stored where none has that name. */
    public static <E extends Enum<E> & StoredName> E require(final Class<E> type, final String name, final String where) {
        final E constant = find(type, name);
        if (constant == null) {
            throw new IllegalStateException(where + ": " + type.getSimpleName() + " has no value stored as '" + name + "'");
        }
        return constant;
    }
}
