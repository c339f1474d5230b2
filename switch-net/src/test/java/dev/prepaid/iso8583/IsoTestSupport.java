package dev.prepaid.iso8583;

import dev.prepaid.testing.ProjectFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** Shared helpers: the shipped dialect, hex frames. */
final class IsoTestSupport {
    private static Dialect dialect;
    private static String text;

    private IsoTestSupport() {
    }

    /** The shipped dialect file in the checkout. */
    static Path dialectPath() {
        return ProjectFiles.path(Dialect.DEFAULT_PATH);
    }

    static synchronized Dialect dialect() {
        if (dialect == null) {
            dialect = Dialect.load(dialectPath());
        }
        return dialect;
    }

    static synchronized String dialectText() {
        if (text == null) {
            try {
                text = Files.readString(dialectPath(), StandardCharsets.UTF_8);
            } catch (final IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return text;
    }

    /** A buffer holding the bytes of a hex string; spaces and line breaks are ignored. */
    static UnsafeBuffer hex(final String hex) {
        final byte[] bytes = bytes(hex);
        return new UnsafeBuffer(bytes);
    }

    static byte[] bytes(final String hex) {
        final String clean = hex.replaceAll("\\s+", "");
        if (clean.length() % 2 != 0) {
            throw new IllegalArgumentException("odd hex length " + clean.length());
        }
        final byte[] bytes = new byte[clean.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(clean.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }

    static String toHex(final DirectBuffer buffer, final int offset, final int length) {
        final StringBuilder out = new StringBuilder(length * 2);
        for (int i = 0; i < length; i++) {
            out.append(String.format("%02X", buffer.getByte(offset + i) & 0xFF));
        }
        return out.toString();
    }

    static String clean(final String hex) {
        return hex.replaceAll("\\s+", "").toUpperCase();
    }

    /** Decodes a frame that must be valid. */
    static IsoMessage decode(final DirectBuffer buffer, final int offset, final int length) {
        final IsoMessage message = new IsoMessage(dialect());
        if (!message.wrap(buffer, offset, length)) {
            throw new AssertionError("decode failed: " + message.error());
        }
        return message;
    }

    static IsoMessage decode(final UnsafeBuffer frame) {
        return decode(frame, 0, frame.capacity());
    }
}
