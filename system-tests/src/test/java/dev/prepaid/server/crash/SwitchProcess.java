package dev.prepaid.server.crash;

import dev.prepaid.launch.ProjectJvm;
import dev.prepaid.testing.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One {@link SwitchChild} JVM ({@link ChildJvm}: the test's own {@code java} and class path, the project's JVM
 * flags); its output is read line by line to complete {@link #awaitPort} when the child says where it listens.
 * Every child started and not yet killed is remembered, so that a JVM shutdown hook ({@link #killAllOnExit}) and
 * the test's {@code finally} can kill it.
 */
final class SwitchProcess extends ChildJvm {
    private static final int OUTPUT_LINES_KEPT = 300;
    /** The switch's own start and recovery lines (INFO) in the child's output; everything else from WARN on. */
    private static final String LOGBACK = """
            <configuration>
              <appender name="console" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n</pattern></encoder>
              </appender>
              <logger name="net.openhft" level="WARN"/>
              <logger name="dev.prepaid" level="INFO"/>
              <root level="WARN"><appender-ref ref="console"/></root>
            </configuration>
            """;

    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private volatile String recovered;

    private SwitchProcess(final String name) {
        super(name, OUTPUT_LINES_KEPT);
    }

    static SwitchProcess start(final Path configFile, final Path home, final String name) throws IOException {
        final Path logback = configFile.resolveSibling("child-logback.xml");
        if (!Files.exists(logback)) {
            Files.writeString(logback, LOGBACK, StandardCharsets.UTF_8);
        }
        final List<String> java = new ArrayList<>();
        java.add(ProjectJvm.javaExecutable());
        java.addAll(ProjectJvm.argumentFiles(home.resolve("config"), false));
        java.add("-Dlogback.configurationFile=" + logback);
        java.add("-Xmx512m");
        java.add("-XX:+UseSerialGC");
        java.add("-XX:TieredStopAtLevel=1"); // a quicker start, and less compiling on a small machine
        // Standard input stays a pipe held by this JVM: the child halts when it ends (see SwitchChild).
        final SwitchProcess child = new SwitchProcess(name);
        child.launch(java, SwitchChild.class.getName(), List.of(configFile.toString(), home.toString()), home);
        return child;
    }

    @Override
    protected void line(final String line) {
        if (line.contains("recovered to journal sequence")) {
            recovered = line.substring(line.indexOf("recovered to"));
        }
        if (line.startsWith(SwitchChild.PORT_LINE)) {
            port.complete(Integer.parseInt(line.substring(SwitchChild.PORT_LINE.length()).trim()));
        }
    }

    @Override
    protected void ended() {
        port.completeExceptionally(new IllegalStateException("the child's output ended before it said where it listens"));
    }

    /** The POS port once the child listens; an AssertionError with the child's output when it does not. */
    int awaitPort(final long timeoutSeconds) throws InterruptedException {
        try {
            return port.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (final ExecutionException e) {
            final boolean ended = endsWithin(TimeUnit.SECONDS.toMillis(10));
            throw new AssertionError(name() + " did not start" + (ended ? " (exit value " + exitValue() + ")" : "")
                    + "; its output:\n" + output());
        } catch (final TimeoutException e) {
            throw new AssertionError(name() + " did not listen within " + timeoutSeconds + " s; its output:\n" + output());
        }
    }

    /** The switch's "recovered to journal sequence ..." line, or null. */
    String recovered() {
        return recovered;
    }

    /** Lines the child printed at level ERROR (or that say it failed). */
    List<String> errors() {
        final List<String> errors = new ArrayList<>();
        for (final String line : lines()) {
            if (line.contains(" ERROR ") || line.startsWith(SwitchChild.FAILED_LINE) || line.startsWith("STOPPED_AFTER")) {
                errors.add(line);
            }
        }
        return errors;
    }
}
