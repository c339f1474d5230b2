package dev.prepaid.clearing.daily;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a file whole or not at all, readable by its owner only: the bytes go to a temporary file in the same
 * directory (created rw-------), are forced to disk, then the file is moved over the old one atomically. A reader
 * sees the old file or the new one, never half of one; a crash leaves at most a temporary file, which the next write
 * replaces.
 */
final class OwnerOnlyFiles {
    private OwnerOnlyFiles() {
    }

    static void directory(final Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (final FileAlreadyExistsException raced) {
                // made meanwhile
            }
        }
    }

    static void write(final Path file, final byte[] bytes) throws IOException {
        final Path dir = file.toAbsolutePath().getParent();
        directory(dir);
        final Path temporary = dir.resolve("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        try (FileChannel channel = FileChannel.open(temporary, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            final ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
