package dev.prepaid.cluster.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterCommandTest {
    @TempDir
    Path directory;

    private record Run(int status, String out, String err) {
    }

    private static Run run(final String... args) throws Exception {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = new ClusterCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void badArgumentsAreNamedWithTheUsage() throws Exception {
        assertThat(run("bogus")).satisfies(r -> {
            assertThat(r.status()).isEqualTo(ClusterCommand.USAGE);
            assertThat(r.err()).contains("unknown command bogus").contains("usage: bin/prepaid cluster");
        });
        assertThat(run("start", "--port-base", "eighty").err()).contains("--port-base needs a port number");
        assertThat(run("status", "--directory").err()).contains("--directory needs a value");
        assertThat(run("stop", "--members", "5").err()).contains("unknown option --members");
        assertThat(run().status()).isEqualTo(ClusterCommand.USAGE);
        assertThat(run("--help").out()).contains("start").contains("status").contains("stop").contains("node");
    }

    @Test
    void theStatusOfAClusterNeverStartedSaysSo() throws Exception {
        final Run status = run("status", "--directory", directory.toString());
        assertThat(status.status()).isZero();
        assertThat(status.out()).contains("never ran").contains("0 of 3 members running; no majority");
    }

    @Test
    void aMemberWhoseProcessIsGoneIsDownAndOneStoppedSaysStopped() throws Exception {
        java.nio.file.Files.createDirectories(ClusterLayout.memberDirectory(directory, 0));
        java.nio.file.Files.createDirectories(ClusterLayout.memberDirectory(directory, 1));
        final long gone = Long.MAX_VALUE - 1; // no such process
        ClusterLayout.writeStatus(directory, new ClusterLayout.Status(0, gone, "LEADER", 42, System.currentTimeMillis()));
        ClusterLayout.writeStatus(directory, new ClusterLayout.Status(1, gone, "STOPPED", 41, System.currentTimeMillis()));
        final String out = run("status", "--directory", directory.toString()).out();
        assertThat(out).containsPattern("0 +\\d+ +DOWN +42").containsPattern("1 +\\d+ +STOPPED +41")
                .contains("0 of 3 members running");
    }
}
