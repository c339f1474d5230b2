package dev.prepaid.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checkout a test runs in, found from the working directory upwards (Maven runs a module's tests in the
 * module's directory): the directory whose {@code config/} holds {@code jvm.options}, where the shipped files are —
 * the dialect, the configuration, the demo business, {@code bin/prepaid}.
 */
public final class ProjectFiles {
    /** The file that marks the checkout's {@code config} directory. */
    static final String MARKER = "config/jvm.options";

    private ProjectFiles() {
    }

    /** The checkout's root directory; fails naming where it looked. */
    public static Path root() {
        return rootAbove(Path.of(System.getProperty("user.dir")));
    }

    /** The nearest directory at or above {@code start} holding {@value #MARKER}; fails naming where it looked. */
    static Path rootAbove(final Path start) {
        Path dir = start.toAbsolutePath().normalize();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve(MARKER))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("cannot find " + MARKER + " in or above " + start.toAbsolutePath());
    }

    /** A shipped file or directory by its path in the checkout, e.g. {@code config/demo}. */
    public static Path path(final String relative) {
        return root().resolve(relative);
    }
}
