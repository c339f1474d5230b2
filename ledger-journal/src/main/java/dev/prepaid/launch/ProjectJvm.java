package dev.prepaid.launch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How the project starts a Java process of its own (a benchmark fork, a child a crash test kills): the
 * {@code java} running now, and the project's JVM argument files {@code config/*.options}. The rule which
 * files apply lives here and in {@code bin/prepaid}'s {@code jvm_options}, nowhere else.
 */
public final class ProjectJvm {
    /** The file every process takes; its presence marks a {@code config} directory. */
    public static final String BASE_OPTIONS = "jvm.options";

    private ProjectJvm() {
    }

    /** The {@code java} of this process, so that a child runs the same JDK. */
    public static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The nearest {@code config} directory holding {@code jvm.options} at {@code start} or above it; null if none. */
    public static Path findConfig(final Path start) {
        Path dir = start.toAbsolutePath().normalize();
        while (dir != null) {
            final Path config = dir.resolve("config");
            if (Files.isRegularFile(config.resolve(BASE_OPTIONS))) {
                return config;
            }
            dir = dir.getParent();
        }
        return null;
    }

    /**
     * The {@code @file} arguments for a JVM: {@code jvm.options} always; {@code jvm-production.options} (Agrona
     * bounds checks off) for the server, tools and benchmarks, not for tests; {@code jvm-jdk24.options} on JDK
     * 24 and later.
     */
    public static List<String> argumentFiles(final Path config, final boolean production) {
        final Path base = config.toAbsolutePath().normalize();
        if (!Files.isRegularFile(base.resolve(BASE_OPTIONS))) {
            throw new IllegalStateException(base.resolve(BASE_OPTIONS) + " not found");
        }
        final List<String> files = new ArrayList<>();
        files.add("@" + base.resolve(BASE_OPTIONS));
        if (production) {
            files.add("@" + base.resolve("jvm-production.options"));
        }
        if (Runtime.version().feature() >= 24) {
            files.add("@" + base.resolve("jvm-jdk24.options"));
        }
        return files;
    }
}
