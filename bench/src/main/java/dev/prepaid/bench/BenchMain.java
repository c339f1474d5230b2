package dev.prepaid.bench;

import dev.prepaid.launch.ProjectJvm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point of {@code benchmarks.jar}: runs JMH with the JVM flags the project needs (from the build's
 * single list of flags), or {@code footprint N} to measure memory per card.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(final String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("footprint")) {
            CardFootprint.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("clearing")) {
            ClearingBenchmark.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("recovery")) {
            RecoveryBenchmark.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        final List<String> jmh = new ArrayList<>(Arrays.asList(args));
        if (!jmh.contains("-jvmArgsAppend") && !jmh.contains("-jvmArgs")) {
            jmh.add("-jvmArgsPrepend");
            jmh.add(jvmFlags());
        }
        org.openjdk.jmh.Main.main(jmh.toArray(new String[0]));
    }

    /**
     * The project's JVM flags as Java argument files ({@code config/*.options}, production set), found from the
     * working directory or next to the jar ({@code bench/target/benchmarks.jar} → {@code config/}).
     */
    static String jvmFlags() throws IOException {
        Path config = ProjectJvm.findConfig(Path.of(""));
        if (config == null) {
            final Path jar = Path.of(BenchMain.class.getProtectionDomain().getCodeSource().getLocation().getPath());
            config = ProjectJvm.findConfig(jar.getParent());
        }
        if (config == null) {
            throw new IOException("config/jvm.options not found: run from the project directory");
        }
        return String.join(" ", ProjectJvm.argumentFiles(config, true));
    }
}
