package dev.prepaid.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/** Damage done on purpose to a journal's files, for the recovery and verify tests. */
public final class CorruptJournal {
    private CorruptJournal() {
    }

    /** Flips one bit of the first occurrence of {@code marker} in the journal's data files; returns the file. */
    public static Path flipByteOf(final Path queueDirectory, final byte[] marker) throws IOException {
        try (Stream<Path> files = Files.list(queueDirectory)) {
            for (final Path file : files.filter(p -> p.toString().endsWith(".cq4")).toList()) {
                final byte[] bytes = Files.readAllBytes(file);
                final int at = indexOf(bytes, marker);
                if (at >= 0) {
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        channel.write(ByteBuffer.wrap(new byte[] {(byte) (bytes[at] ^ 0x01)}), at);
                    }
                    return file;
                }
            }
        }
        throw new IllegalStateException("marker not found in " + queueDirectory);
    }

    private static int indexOf(final byte[] haystack, final byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
