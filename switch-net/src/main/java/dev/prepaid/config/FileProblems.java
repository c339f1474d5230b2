package dev.prepaid.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * One line for an operator from a failed file operation: the file or the directory at fault and what to do.
 * The JDK's own text ({@code java.nio.file.NoSuchFileException: /etc/prepaid/x}) names the exception class, not
 * the problem, and a missing file and a missing directory read the same in it.
 */
public final class FileProblems {
    private FileProblems() {
    }

    /** A failed read: which file or directory is missing or unreadable, e.g. {@code /etc/prepaid/c1 does not exist}. */
    public static String reading(final IOException e) {
        return describe(e, false);
    }

    /**
     * A failed write or create: which file or directory is at fault and what to do, e.g. {@code directory
     * /etc/prepaid does not exist: create it first} (a tool never creates directories it was not asked for).
     */
    public static String writing(final IOException e) {
        return describe(e, true);
    }

    private static String describe(final IOException e, final boolean writing) {
        if (!(e instanceof FileSystemException f) || f.getFile() == null) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        final Path file = Path.of(f.getFile()).toAbsolutePath().normalize();
        final Path directory = file.getParent();
        if (e instanceof NoSuchFileException) {
            if (directory != null && !Files.exists(directory)) {
                return writing ? "directory " + directory + " does not exist: create it first"
                        : file + " does not exist (nor does its directory " + directory + ")";
            }
            if (directory != null && !Files.isDirectory(directory)) {
                return directory + " is a file, not a directory";
            }
            return file + " does not exist";
        }
        if (e instanceof AccessDeniedException) {
            if (!Files.exists(file) && directory != null) {
                return "cannot create files in directory " + directory
                        + ": permission denied (check its owner and mode, or run as the user that owns it)";
            }
            return file + ": permission denied (check the owner and mode of the file and of its directory)";
        }
        if (e instanceof FileAlreadyExistsException) {
            return file + " already exists: move it away or choose another name";
        }
        if (e instanceof NotDirectoryException) {
            return file + " is not a directory";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return file + " is a directory that is not empty";
        }
        return file + ": " + (f.getReason() == null ? e.getClass().getSimpleName() : f.getReason());
    }
}
