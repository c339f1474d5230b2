package dev.prepaid.command;

import dev.prepaid.state.StoredName;
import dev.prepaid.state.StoredNames;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Encodes an admin command as {@link CommandHeader} + {@link Envelope} + the record's components in the order
 * of their {@link Field} numbers (never the order of declaration, which an edit may change). Component
 * encodings (little-endian):
 * <ul>
 *   <li>{@code boolean}: u8 0/1 · {@code int}: i32 · {@code long}: i64</li>
 *   <li>{@code String}: u8 byte length + UTF-8 bytes (at most {@value #MAX_STRING_BYTES} bytes)</li>
 *   <li>enum: u8 length + the constant's {@link StoredName} in ASCII (neither its position nor its Java name)</li>
 * </ul>
 * A record whose components are not numbered 1..n, or whose enums have no stored names, is refused the first
 * time it is used (and by {@code RecordCodecTest} for every command type). Admin commands are rare, so
 * reflection here costs nothing that matters; the POS path never comes here.
 */
public final class RecordCodec {
    public static final int MAX_STRING_BYTES = 255;

    private static final Map<Class<?>, Layout> LAYOUTS = new ConcurrentHashMap<>();

    private RecordCodec() {
    }

    /** Writes header, envelope and command at {@code offset}; returns the length written. */
    public static int encode(final Envelope envelope, final AdminCommand command, final MutableDirectBuffer buffer,
            final int offset) {
        final CommandType type = CommandType.of(command);
        if (type == null) {
            throw new IllegalArgumentException("no command type for " + command.getClass().getName());
        }
        CommandHeader.write(buffer, offset, type.code, CommandType.ADMIN_VERSION);
        final Writer writer = new Writer(buffer, offset + CommandHeader.LENGTH);
        writeRecord(writer, envelope);
        writeRecord(writer, (Record) command);
        return writer.position - offset;
    }

    /** Reads the envelope of an admin command. */
    public static Envelope decodeEnvelope(final DirectBuffer buffer, final int offset, final int length) {
        final Reader reader = new Reader(buffer, offset + CommandHeader.LENGTH, offset + length);
        return (Envelope) readRecord(reader, Envelope.class);
    }

    /** Where the command's own fields start: just after its envelope. */
    public static int fieldsOffset(final DirectBuffer buffer, final int offset, final int length) {
        final Reader reader = new Reader(buffer, offset + CommandHeader.LENGTH, offset + length);
        readRecord(reader, Envelope.class);
        return reader.position;
    }

    /**
     * A 64-bit FNV-1a hash of who asks and what exactly: the operator id, then the command as the journal
     * stores it (type, layout version and fields — not the envelope's request id, source or note). Equal
     * requests hash equal in every build that writes the same layout.
     */
    public static long contentHash(final String operatorId, final DirectBuffer buffer, final int offset, final int length) {
        long hash = 0xcbf29ce484222325L;
        final byte[] operator = operatorId.getBytes(StandardCharsets.UTF_8);
        for (final byte b : operator) {
            hash = (hash ^ (b & 0xFF)) * 0x100000001b3L;
        }
        hash = (hash ^ 0xFF) * 0x100000001b3L; // no UTF-8 byte is 0xFF: the operator id ends here
        for (int i = 0; i < CommandHeader.LENGTH; i++) {
            hash = (hash ^ (buffer.getByte(offset + i) & 0xFF)) * 0x100000001b3L;
        }
        for (int i = fieldsOffset(buffer, offset, length); i < offset + length; i++) {
            hash = (hash ^ (buffer.getByte(i) & 0xFF)) * 0x100000001b3L;
        }
        return hash;
    }

    /** Reads an admin command (after its envelope). */
    public static AdminCommand decodeCommand(final DirectBuffer buffer, final int offset, final int length) {
        final CommandType type = CommandType.ofCode(CommandHeader.type(buffer, offset));
        if (type == null || type.recordClass == null) {
            throw new CodecException("command type " + CommandHeader.type(buffer, offset) + " is not an admin command");
        }
        final int version = CommandHeader.version(buffer, offset);
        if (version != CommandType.ADMIN_VERSION) {
            throw new CodecException(type + " layout version " + version + " is not known to this build");
        }
        final Reader reader = new Reader(buffer, offset + CommandHeader.LENGTH, offset + length);
        readRecord(reader, Envelope.class);
        final AdminCommand command = (AdminCommand) readRecord(reader, recordClassOf(type));
        if (reader.position != reader.limit) {
            throw new CodecException(type + " has " + (reader.limit - reader.position) + " bytes after its last field");
        }
        return command;
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends Record> recordClassOf(final CommandType type) {
        return (Class<? extends Record>) (Class<?>) type.recordClass;
    }

    /** The layout of a record type as "name type" lines (for the generated docs). */
    public static List<String> describe(final Class<? extends Record> type) {
        final List<String> lines = new ArrayList<>();
        for (final RecordComponent component : layout(type).components) {
            lines.add(component.getName() + " " + encodingOf(component.getType()));
        }
        return lines;
    }

    private static String encodingOf(final Class<?> type) {
        if (type == boolean.class) {
            return "u8 (0/1)";
        } else if (type == int.class) {
            return "i32";
        } else if (type == long.class) {
            return "i64";
        } else if (type == String.class) {
            return "string (u8 length + UTF-8)";
        } else if (type.isEnum()) {
            final StringBuilder names = new StringBuilder("enum name (u8 length + ASCII): ");
            final Object[] constants = type.getEnumConstants();
            for (int i = 0; i < constants.length; i++) {
                names.append(i == 0 ? "" : " | ").append(((StoredName) constants[i]).storedName());
            }
            return names.toString();
        }
        throw new IllegalStateException("no encoding for " + type);
    }

    private static void writeRecord(final Writer writer, final Record record) {
        final Layout layout = layout(record.getClass());
        for (final RecordComponent component : layout.components) {
            final Object value;
            try {
                value = component.getAccessor().invoke(record);
            } catch (final ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + component, e);
            }
            final Class<?> type = component.getType();
            if (type == boolean.class) {
                writer.u8((Boolean) value ? 1 : 0);
            } else if (type == int.class) {
                writer.i32((Integer) value);
            } else if (type == long.class) {
                writer.i64((Long) value);
            } else if (type == String.class) {
                writer.string(record.getClass().getSimpleName() + "." + component.getName(), (String) value);
            } else if (type.isEnum()) {
                if (value == null) {
                    throw new IllegalArgumentException(record.getClass().getSimpleName() + "." + component.getName() + " is missing");
                }
                writer.string(component.getName(), ((StoredName) value).storedName());
            } else {
                throw new IllegalStateException("no encoding for " + type);
            }
        }
    }

    private static Record readRecord(final Reader reader, final Class<? extends Record> recordClass) {
        final Layout layout = layout(recordClass);
        final Object[] args = new Object[layout.components.length];
        for (int position = 0; position < args.length; position++) {
            final RecordComponent component = layout.components[position];
            final int i = layout.argumentOf[position];
            final Class<?> type = component.getType();
            final String field = recordClass.getSimpleName() + "." + component.getName();
            if (type == boolean.class) {
                final int b = reader.u8(field);
                if (b > 1) {
                    throw new CodecException(field + " must be 0 or 1, found " + b);
                }
                args[i] = b == 1;
            } else if (type == int.class) {
                args[i] = reader.i32(field);
            } else if (type == long.class) {
                args[i] = reader.i64(field);
            } else if (type == String.class) {
                args[i] = reader.string(field);
            } else if (type.isEnum()) {
                args[i] = enumValue(type, reader.string(field), field);
            } else {
                throw new IllegalStateException("no encoding for " + type);
            }
        }
        try {
            return layout.constructor.newInstance(args);
        } catch (final ReflectiveOperationException e) {
            throw new CodecException("cannot build " + recordClass.getSimpleName() + ": " + e.getCause());
        }
    }

    private static Object enumValue(final Class<?> type, final String name, final String field) {
        final Object value = StoredNames.findAny(type, name);
        if (value == null) {
            throw new CodecException(field + " has no value '" + name + "'");
        }
        return value;
    }

    private static Layout layout(final Class<?> type) {
        return LAYOUTS.computeIfAbsent(type, Layout::new);
    }

    /** A record's components in layout order, and how to build the record from them. */
    private static final class Layout {
        /** Components in the order of their {@link Field} numbers. */
        final RecordComponent[] components;
        /** For each layout position, the component's position in the canonical constructor. */
        final int[] argumentOf;
        final Constructor<? extends Record> constructor;

        @SuppressWarnings("unchecked")
        Layout(final Class<?> type) {
            final RecordComponent[] declared = type.getRecordComponents();
            this.components = new RecordComponent[declared.length];
            this.argumentOf = new int[declared.length];
            for (int i = 0; i < declared.length; i++) {
                final Field field = declared[i].getAnnotation(Field.class);
                final String name = type.getSimpleName() + "." + declared[i].getName();
                if (field == null) {
                    throw new IllegalStateException(name + " has no @Field number: its place in the journal layout is not stated");
                }
                final int position = field.value() - 1;
                if (position < 0 || position >= declared.length || components[position] != null) {
                    throw new IllegalStateException(name + " has @Field(" + field.value() + "); the components of "
                            + type.getSimpleName() + " must be numbered 1.." + declared.length + ", each once");
                }
                final Class<?> componentType = declared[i].getType();
                if (componentType.isEnum() && !StoredName.class.isAssignableFrom(componentType)) {
                    throw new IllegalStateException(name + " is an enum without stored names (" + componentType.getName() + ")");
                }
                components[position] = declared[i];
                argumentOf[position] = i;
            }
            final Class<?>[] types = new Class<?>[declared.length];
            for (int i = 0; i < types.length; i++) {
                types[i] = declared[i].getType();
            }
            try {
                this.constructor = (Constructor<? extends Record>) type.getDeclaredConstructor(types);
                this.constructor.setAccessible(true);
            } catch (final NoSuchMethodException e) {
                throw new IllegalStateException(type + " has no canonical constructor", e);
            }
        }
    }

    private static final class Writer {
        final MutableDirectBuffer buffer;
        int position;

        Writer(final MutableDirectBuffer buffer, final int position) {
            this.buffer = buffer;
            this.position = position;
        }

        private void room(final int bytes) {
            if (position + bytes > buffer.capacity()) {
                throw new IllegalArgumentException("command is longer than " + buffer.capacity() + " bytes");
            }
        }

        void u8(final int value) {
            room(1);
            buffer.putByte(position, (byte) value);
            position += 1;
        }

        void i32(final int value) {
            room(4);
            buffer.putInt(position, value, CommandHeader.ORDER);
            position += 4;
        }

        void i64(final long value) {
            room(8);
            buffer.putLong(position, value, CommandHeader.ORDER);
            position += 8;
        }

        void string(final String field, final String value) {
            final byte[] bytes = (value == null ? "" : value).getBytes(StandardCharsets.UTF_8);
            if (bytes.length > MAX_STRING_BYTES) {
                throw new IllegalArgumentException(field + " is " + bytes.length + " bytes; at most " + MAX_STRING_BYTES + " are allowed");
            }
            room(1 + bytes.length);
            buffer.putByte(position, (byte) bytes.length);
            buffer.putBytes(position + 1, bytes);
            position += 1 + bytes.length;
        }
    }

    private static final class Reader {
        final DirectBuffer buffer;
        final int limit;
        int position;

        Reader(final DirectBuffer buffer, final int position, final int limit) {
            this.buffer = buffer;
            this.position = position;
            this.limit = limit;
        }

        private void need(final String field, final int bytes) {
            if (position + bytes > limit) {
                throw new CodecException(field + " needs " + bytes + " bytes at offset " + position + "; the command ends at " + limit);
            }
        }

        int u8(final String field) {
            need(field, 1);
            return buffer.getByte(position++) & 0xFF;
        }

        int i32(final String field) {
            need(field, 4);
            final int value = buffer.getInt(position, CommandHeader.ORDER);
            position += 4;
            return value;
        }

        long i64(final String field) {
            need(field, 8);
            final long value = buffer.getLong(position, CommandHeader.ORDER);
            position += 8;
            return value;
        }

        String string(final String field) {
            final int length = u8(field);
            need(field, length);
            final byte[] bytes = new byte[length];
            buffer.getBytes(position, bytes);
            position += length;
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** A command that cannot be decoded: the message names the field and offset. */
    public static final class CodecException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public CodecException(final String message) {
            super(message);
        }
    }
}
