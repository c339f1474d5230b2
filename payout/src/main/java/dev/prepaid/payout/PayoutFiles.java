package dev.prepaid.payout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Puts payout files on disk. A payout file says where the operator's money goes, so:
 * <ul>
 * <li>it is readable and writable by its owner only ({@code rw-------}) from its first byte: created so, never
 *     widened after writing (where the file system has no POSIX permissions, its defaults apply);</li>
 * <li>it appears whole or not at all: written to a temporary file in the same directory, forced to disk, then
 *     given its name by a hard link — as atomic as a rename, but unlike {@code rename(2)} on Linux it fails
 *     instead of replacing a file that is already there;</li>
 * <li>an existing file of the same name is never replaced: if it holds the same bytes (the same batch written
 *     again) it is the answer, otherwise the write is refused — the bank may already have the other one.</li>
 * </ul>
 * The directory must be on a file system with hard links (every local Linux one has them).
 */
public final class PayoutFiles {
    private PayoutFiles() {
    }

    /**
     * A payout file on disk.
     *
     * @param path where it is
     * @param sha256 SHA-256 of its bytes (64 lower-case hex digits), for the journal
     * @param created false when the same file was already there and nothing was written
     */
    public record Written(Path path, String name, String sha256, long size, boolean created) {
    }

    /**
     * Writes {@code file} into {@code directory} (created when missing) under its own name.
     *
     * @throws FileAlreadyExistsException when a different file (or something that is not a regular file) has that
     *         name; it is left as it is
     */
    public static Written write(final Path directory, final PayoutFile file) throws IOException {
        Files.createDirectories(directory);
        final Path target = directory.resolve(file.name());
        final Written existing = existing(target, file);
        if (existing != null) {
            return existing;
        }
        final Path temporary = Files.createTempFile(directory, "." + file.name() + ".", ".tmp", ownerOnly(directory));
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                final ByteBuffer bytes = ByteBuffer.wrap(file.content());
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            try {
                Files.createLink(target, temporary);
            } catch (final FileAlreadyExistsException raced) {
                // Another writer named its file first: the same bytes are as good as ours, others are refused.
                return existing(target, file);
            }
            forceDirectory(directory);
            return new Written(target, file.name(), file.sha256(), file.size(), true);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** The file already at {@code target} when it holds {@code file}'s bytes; null when there is none. */
    private static Written existing(final Path target, final PayoutFile file) throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString(), null,
                    "is there and is not a regular file; refusing to replace it");
        }
        final long size = Files.size(target);
        // Read only what could be the same file: a large stranger is refused by its size alone.
        final byte[] there = size == file.size() ? Files.readAllBytes(target) : null;
        if (there == null || !file.sameContent(there)) {
            throw new FileAlreadyExistsException(target.toString(), null, "holds other content (" + size + " bytes"
                    + (there == null ? "" : ", sha256 " + PayoutFile.sha256(there)) + ") than this file (" + file.size()
                    + " bytes, sha256 " + file.sha256() + "); refusing to overwrite it");
        }
        return new Written(target, file.name(), file.sha256(), file.size(), false);
    }

    private static FileAttribute<?>[] ownerOnly(final Path directory) {
        if (!directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
    }

    private static void forceDirectory(final Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (final IOException ignored) {
            // Some file systems cannot open a directory; the new name is then as durable as they make it.
        }
    }
}
