package dev.prepaid.server.crash;

import dev.prepaid.launch.ProjectJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One {@link SwitchChild} JVM: the test's own {@code java} and class path, the project's JVM flags; its output
 * (stdout and stderr together) is read by a thread that keeps the last lines and completes {@link #awaitPort}
 * when the child says where it listens. Every child started and not yet killed is remembered, so that a JVM
 * shutdown hook ({@link #killAllOnExit}) and the test's {@code finally} can kill it.
 */
final class SwitchProcess {
    /** Exit value of a process ended by SIGKILL, as {@link Process#exitValue()} reports it on Linux. */
    static final int SIGKILL_EXIT = 128 + 9;
    private static final int OUTPUT_LINES_KEPT = 300;
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
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

    private final Process process;
    private final String name;
    private final Thread reader;
    private final Deque<String> output = new ArrayDeque<>();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private volatile String recovered;

    private SwitchProcess(final Process process, final String name) {
        this.process = process;
        this.name = name;
        this.reader = new Thread(this::read, name + "-output");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    static SwitchProcess start(final Path configFile, final Path home, final String name) throws IOException {
        final Path logback = configFile.resolveSibling("child-logback.xml");
        if (!Files.exists(logback)) {
            Files.writeString(logback, LOGBACK, StandardCharsets.UTF_8);
        }
        final List<String> command = new ArrayList<>();
        command.add(ProjectJvm.javaExecutable());
        command.addAll(ProjectJvm.argumentFiles(home.resolve("config"), false));
        command.add("-Dlogback.configurationFile=" + logback);
        command.add("-Xmx512m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1"); // a quicker start, and less compiling on a small machine
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(SwitchChild.class.getName());
        command.add(configFile.toString());
        command.add(home.toString());
        // Standard input stays a pipe held by this JVM: the child halts when it ends (see SwitchChild).
        final Process process = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true).start();
        LIVE.add(process);
        return new SwitchProcess(process, name);
    }

    /** A shutdown hook that kills every child still alive (the test JVM ends while a child runs). */
    static Thread killAllOnExit() {
        final Thread hook = new Thread(() -> LIVE.forEach(Process::destroyForcibly), "kill-switch-children");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    static void removeHook(final Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (final IllegalStateException e) {
            // the JVM is already shutting down: the hook runs anyway
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (output) {
                    if (output.size() == OUTPUT_LINES_KEPT) {
                        output.removeFirst();
                    }
                    output.addLast(line);
                }
                if (line.contains("recovered to journal sequence")) {
                    recovered = line.substring(line.indexOf("recovered to"));
                }
                if (line.startsWith(SwitchChild.PORT_LINE)) {
                    port.complete(Integer.parseInt(line.substring(SwitchChild.PORT_LINE.length()).trim()));
                }
            }
        } catch (final IOException | RuntimeException e) {
            // the stream breaks when the child is killed: the end of its output
        } finally {
            port.completeExceptionally(new IllegalStateException("the child's output ended before it said where it listens"));
        }
    }

    /** The POS port once the child listens; an AssertionError with the child's output when it does not. */
    int awaitPort(final long timeoutSeconds) throws InterruptedException {
        try {
            return port.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (final ExecutionException e) {
            final boolean ended = process.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(name + " did not start" + (ended ? " (exit value " + exitValue() + ")" : "")
                    + "; its output:\n" + output());
        } catch (final TimeoutException e) {
            throw new AssertionError(name + " did not listen within " + timeoutSeconds + " s; its output:\n" + output());
        }
    }

    /** SIGKILL on Linux; waits until the process is gone and its output read. Returns the exit value. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " (pid " + process.pid() + ") still alive 60 s after SIGKILL");
        }
        LIVE.remove(process);
        reader.join(TimeUnit.SECONDS.toMillis(10));
        return process.exitValue();
    }

    /** Kills without waiting (cleanup). */
    void destroy() {
        process.destroyForcibly();
        LIVE.remove(process);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    private int exitValue() {
        try {
            reader.join(TimeUnit.SECONDS.toMillis(10));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return process.exitValue();
    }

    /** The switch's "recovered to journal sequence ..." line, or null. */
    String recovered() {
        return recovered;
    }

    /** The last lines the child printed. */
    String output() {
        synchronized (output) {
            return String.join(System.lineSeparator(), output);
        }
    }

    /** Lines the child printed at level ERROR (or that say it failed). */
    List<String> errors() {
        final List<String> errors = new ArrayList<>();
        synchronized (output) {
            for (final String line : output) {
                if (line.contains(" ERROR ") || line.startsWith(SwitchChild.FAILED_LINE) || line.startsWith("STOPPED_AFTER")) {
                    errors.add(line);
                }
            }
        }
        return errors;
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
