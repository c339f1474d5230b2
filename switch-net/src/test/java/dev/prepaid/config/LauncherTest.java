package dev.prepaid.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What bin/prepaid checks itself, before it builds or starts a JVM. */
class LauncherTest {
    @Test
    void aBadPrepaidHeapIsNamedBeforeJavaRuns() throws IOException, InterruptedException {
        assertThat(launch("2g", "serve")).contains("PREPAID_HEAP must be JVM -X options like \"-Xms2g -Xmx2g\", not '2g'");
        assertThat(launch("-Xms2g -Xmx2x", "load")).contains("PREPAID_HEAP: '-Xmx2x' is not a size like -Xmx2g");
    }

    /** Standard error of {@code bin/prepaid COMMAND} with PREPAID_HEAP set; the launcher must exit 2. */
    private static String launch(final String heap, final String command) throws IOException, InterruptedException {
        final ProcessBuilder builder = new ProcessBuilder("bash", ConfigTestSupport.root().resolve("bin/prepaid").toString(),
                command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("PREPAID_HEAP", heap);
        final Process process = builder.start();
        final String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the launcher stops at the check").isTrue();
        assertThat(process.exitValue()).as(err).isEqualTo(2);
        assertThat(err.lines().count()).as(err).isEqualTo(1);
        return err;
    }
}
