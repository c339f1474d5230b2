package dev.prepaid.security;

import java.nio.file.FileSystems;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files holding secrets or card numbers (MFK components, the key file, a terminal's saved batch) are created
 * readable and writable by their owner only, from the first byte: setting the mode after writing would leave a
 * moment in which anyone may read them. Where the file system has no POSIX permissions, its defaults apply.
 */
public final class SecretFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private SecretFiles() {
    }

    /** The attributes to create such a file with ({@code Files.createFile(file, SecretFiles.ownerOnly())}). */
    public static FileAttribute<?>[] ownerOnly() {
        if (!POSIX) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
    }
}
