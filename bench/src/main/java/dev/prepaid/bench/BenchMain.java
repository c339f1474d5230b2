package dev.prepaid.bench;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

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
        final List<String> jmh = new ArrayList<>(Arrays.asList(args));
        if (!jmh.contains("-jvmArgsAppend") && !jmh.contains("-jvmArgs")) {
            jmh.add("-jvmArgsPrepend");
            jmh.add(jvmFlags());
        }
        org.openjdk.jmh.Main.main(jmh.toArray(new String[0]));
    }

    static String jvmFlags() throws IOException {
        final Properties properties = new Properties();
        try (InputStream in = BenchMain.class.getResourceAsStream("/bench-jvm.properties")) {
            properties.load(in);
        }
        String flags = properties.getProperty("jvm.flags", "").trim();
        if (Runtime.version().feature() < 24) {
            flags = flags.replace("--sun-misc-unsafe-memory-access=allow", "").replace("--enable-native-access=ALL-UNNAMED", "");
        }
        return flags.trim();
    }
}
