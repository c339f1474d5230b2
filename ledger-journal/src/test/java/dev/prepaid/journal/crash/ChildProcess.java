package dev.prepaid.journal.crash;

import dev.prepaid.launch.ProjectJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One {@link CrashChild} JVM: started with the test's own {@code java}, class path and the project's JVM
 * flags; its output (stdout and stderr together) is read by a thread that notes the {@code recovered} line
 * and completes {@link #awaitReady} when {@code ready} appears.
 */
final class ChildProcess {
    /** Exit value of a process ended by SIGKILL, as {@link Process#exitValue()} reports it on Linux. */
    static final int SIGKILL_EXIT = 128 + 9;
    private static final int OUTPUT_LINES_KEPT = 400;

    private final Process process;
    private final Thread reader;
    private final List<String> output = new ArrayList<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> answering = new CompletableFuture<>();
    private volatile String recoveredLine;
    private volatile int snapshotsWritten;
    private volatile int forcedUnlocks;
    private volatile int tornTails;
    private volatile String firstError;
    private volatile int segmentWaits;

    private ChildProcess(final Process process, final String name) {
        this.process = process;
        this.reader = new Thread(this::read, name + "-output");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    static ChildProcess start(final List<String> jvmFlags, final List<String> arguments, final String name) throws IOException {
        final List<String> command = new ArrayList<>();
        command.add(ProjectJvm.javaExecutable());
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CrashChild.class.getName());
        command.addAll(arguments);
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        return new ChildProcess(builder.start(), name);
    }

    /** The project's JVM argument files for a test's child (no production flags), found above the working directory. */
    static List<String> projectJvmFlags() {
        final Path config = ProjectJvm.findConfig(Path.of(""));
        if (config == null) {
            throw new IllegalStateException("config/jvm.options not found above " + Path.of("").toAbsolutePath());
        }
        return ProjectJvm.argumentFiles(config, false);
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (output) {
                    if (output.size() == OUTPUT_LINES_KEPT) {
                        output.remove(0);
                    }
                    output.add(line);
                }
                if (firstError == null && (line.startsWith("FATAL") || line.contains(" ERROR "))) {
                    firstError = line;
                }
                if (line.startsWith(CrashChild.RECOVERED)) {
                    recoveredLine = line;
                } else if (line.equals(CrashChild.READY)) {
                    ready.complete(null);
                } else if (line.equals(CrashChild.ANSWERING)) {
                    answering.complete(null);
                } else if (line.contains("snapshot at sequence")) {
                    snapshotsWritten++;
                } else if (line.contains("Forced unlocking")) {
                    forcedUnlocks++;
                } else if (line.contains("recovery: the last journal record") && line.contains("torn")) {
                    tornTails++;
                } else if (line.contains("to find first open cycle") || line.contains("un-acquirable segment")) {
                    segmentWaits++;
                }
            }
        } catch (final IOException e) {
            // The stream breaks when the child is killed: the end of its output.
        } finally {
            ready.completeExceptionally(new IllegalStateException("the child's output ended before it said ready"));
            answering.completeExceptionally(new IllegalStateException("the child's output ended before it answered"));
        }
    }

    /**
     * Waits until the child says it is publishing. Returns null when it did, else what happened instead (it
     * ended first, with its exit value, or the time ran out).
     */
    String awaitReady(final long timeout, final TimeUnit unit) throws InterruptedException {
        return await(ready, CrashChild.READY, timeout, unit);
    }

    /** Waits until the child has released its first reply; null when it has, else what happened instead. */
    String awaitAnswering(final long timeout, final TimeUnit unit) throws InterruptedException {
        return await(answering, CrashChild.ANSWERING, timeout, unit);
    }

    private String await(final CompletableFuture<Void> said, final String what, final long timeout, final TimeUnit unit)
            throws InterruptedException {
        try {
            said.get(timeout, unit);
            return null;
        } catch (final ExecutionException e) {
            if (process.waitFor(10, TimeUnit.SECONDS)) {
                return "the child exited with " + exitValue() + " before it said '" + what + "'";
            }
            return "the child's output ended before it said '" + what + "'";
        } catch (final TimeoutException e) {
            return "the child did not say '" + what + "' within " + unit.toSeconds(timeout) + " s";
        }
    }

    /** Waits up to {@code millis}; true when the child ended by itself meanwhile. */
    boolean endsWithin(final long millis) throws InterruptedException {
        return process.waitFor(millis, TimeUnit.MILLISECONDS);
    }

    /** SIGKILL on Linux; waits until the process is gone and its output is read. Returns the exit value. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("child " + process.pid() + " still alive 60 s after SIGKILL");
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        return process.exitValue();
    }

    /**
     * Cleanup after a failure: SIGKILL, then waits (bounded) until the process is gone, so it no longer writes
     * into the directory the test is about to delete. Never throws; says so if the child outlived the wait.
     */
    void destroy() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                System.err.println("crash test: child " + process.pid() + " still alive 30 s after SIGKILL");
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int exitValue() {
        try {
            reader.join(TimeUnit.SECONDS.toMillis(10));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return process.exitValue();
    }

    long pid() {
        return process.pid();
    }

    /** The child's {@code recovered ...} line, or null if it did not get that far. */
    String recoveredLine() {
        return recoveredLine;
    }

    /** Snapshots the child's follower reported written. */
    int snapshotsWritten() {
        return snapshotsWritten;
    }

    /** Chronicle lock files the child found held by a dead process (the previous child) and unlocked. */
    int forcedUnlocks() {
        return forcedUnlocks;
    }

    /** The first line the child printed at level ERROR (or FATAL), null if none. */
    String firstError() {
        return firstError;
    }

    /**
     * Chronicle's reports of waiting out its timeout on a cycle file a killed child left half-created (the file
     * exists, its header was never completed).
     */
    int segmentWaits() {
        return segmentWaits;
    }

    /** Torn last journal records the child's recovery cut off. */
    int tornTails() {
        return tornTails;
    }

    /** The last lines the child printed, for failure messages. */
    String output() {
        synchronized (output) {
            return String.join(System.lineSeparator(), output);
        }
    }
}
