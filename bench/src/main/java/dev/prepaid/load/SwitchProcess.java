package dev.prepaid.load;

import dev.prepaid.launch.ProjectJvm;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A switch the load generator starts in a JVM of its own — {@code bin/prepaid serve}'s entry point on this
 * process's class path, with the project's production JVM flags — so that its CPU time and memory are its own
 * and not shared with the terminals. Its output goes to a log file; the ports come from its "switch ready" line
 * (the configuration asks for any free port). Stopped with SIGTERM, which stops it in order (last snapshot).
 */
final class SwitchProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("switch ready: POS on [^ ]*:(\\d+), metrics (?:on [^ ]*:(\\d+)"
            + "|off), admin (?:on https?://[^ ]*:(\\d+)|off)");
    private static final int LINES_KEPT = 40;
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

    /** The ports the switch listens on; −1 for a listener that is off. */
    record Ports(int pos, int metrics, int admin) {
    }

    private final Process process;
    private final Thread reader;
    private final Deque<String> last = new ArrayDeque<>();
    private final CompletableFuture<Ports> ready = new CompletableFuture<>();

    private SwitchProcess(final Process process, final Path log) {
        this.process = process;
        this.reader = new Thread(() -> read(log), "switch-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code bin/prepaid serve --config configFile} of the installation {@code home} with {@code jvmFlags}
     * (heap and the like) in a new JVM; its output goes to {@code log}.
     */
    static SwitchProcess start(final Path home, final Path configFile, final List<String> jvmFlags, final Path log)
            throws IOException {
        final Path logback = configFile.resolveSibling("switch-logback.xml");
        Files.writeString(logback, LOGBACK, StandardCharsets.UTF_8);
        final List<String> command = new ArrayList<>();
        command.add(ProjectJvm.javaExecutable());
        command.addAll(ProjectJvm.argumentFiles(home.resolve("config"), true));
        command.addAll(jvmFlags);
        command.add("-Dprepaid.home=" + home);
        command.add("-Dlogback.configurationFile=" + logback);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.prepaid.server.ServeCommand");
        command.add("--config");
        command.add(configFile.toString());
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).directory(home.toFile()).start();
        return new SwitchProcess(process, log);
    }

    private void read(final Path log) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.write(line);
                out.newLine();
                out.flush();
                synchronized (last) {
                    if (last.size() == LINES_KEPT) {
                        last.removeFirst();
                    }
                    last.addLast(line);
                }
                final Matcher ready = READY.matcher(line);
                if (ready.find()) {
                    this.ready.complete(new Ports(Integer.parseInt(ready.group(1)), port(ready.group(2)),
                            port(ready.group(3))));
                }
            }
        } catch (final IOException e) {
            // the stream ends when the switch does
        } finally {
            ready.completeExceptionally(new IllegalStateException("the switch ended before it was ready"));
        }
    }

    private static int port(final String group) {
        return group == null ? -1 : Integer.parseInt(group);
    }

    /** The ports once the switch is ready; an exception with its last lines when it ends or takes too long. */
    Ports awaitReady(final long timeoutSeconds) throws InterruptedException {
        try {
            return ready.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (final ExecutionException e) {
            throw new IllegalStateException("the switch did not start" + exit() + ": " + output());
        } catch (final TimeoutException e) {
            throw new IllegalStateException("the switch was not ready within " + timeoutSeconds + " s: " + output());
        }
    }

    private String exit() throws InterruptedException {
        return process.waitFor(5, TimeUnit.SECONDS) ? " (exit status " + process.exitValue() + ")" : "";
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The switch's last lines of output, one string. */
    String output() {
        synchronized (last) {
            return String.join(System.lineSeparator(), last);
        }
    }

    /** SIGTERM, waiting up to {@code timeoutSeconds} for the stop in order; then SIGKILL. The exit status. */
    int stop(final long timeoutSeconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        reader.join(5_000);
        return process.isAlive() ? -1 : process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop(60);
        }
    }
}
