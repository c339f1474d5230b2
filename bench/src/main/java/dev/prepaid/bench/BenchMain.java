package dev.prepaid.bench;

import java.io.IOException;
import java.nio.file.Files;
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
     * The project's JVM flags as Java argument files ({@code config/*.options}), found from the working
     * directory or next to the jar ({@code bench/target/benchmarks.jar} → {@code config/}).
     */
    static String jvmFlags() throws IOException {
        Path config = Path.of("config");
        if (!Files.exists(config.resolve("jvm.options"))) {
            final Path jar = Path.of(BenchMain.class.getProtectionDomain().getCodeSource().getLocation().getPath());
            config = jar.getParent().resolve("../../config").normalize();
        }
        if (!Files.exists(config.resolve("jvm.options"))) {
            throw new IOException("config/jvm.options not found: run from the project directory");
        }
        final String dir = config.toAbsolutePath().toString();
        String flags = "@" + dir + "/jvm.options @" + dir + "/jvm-production.options";
        if (Runtime.version().feature() >= 24) {
            flags += " @" + dir + "/jvm-jdk24.options";
        }
        return flags;
    }
}
