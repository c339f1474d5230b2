package dev.prepaid.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A JVM a test starts and kills: the {@code java} and flags the test gives, the test's own class path, a main class
 * of the test. Its output (stdout and stderr together) is read by a thread that keeps the last lines and hands each
 * line to {@link #line} as it comes, so that the test's subclass can note what the child says and wait for it.
 * Every child started and not yet killed is remembered, so that a JVM shutdown hook ({@link #killAllOnExit}) can
 * kill what a failed test left running.
 */
public abstract class ChildJvm {
    /** Exit value of a process ended by SIGKILL, as {@link Process#exitValue()} reports it on Linux. */
    public static final int SIGKILL_EXIT = 128 + 9;
    private static final long KILL_WAIT_SECONDS = 60;
    private static final long DESTROY_WAIT_SECONDS = 30;
    private static final long READER_JOIN_MILLIS = 10_000;
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    private final String name;
    private final int linesKept;
    private final Deque<String> lines = new ArrayDeque<>();
    private Process process;
    private Thread reader;

    /** A child called {@code name} (in thread names and messages) whose last {@code linesKept} lines are kept. */
    protected ChildJvm(final String name, final int linesKept) {
        this.name = name;
        this.linesKept = linesKept;
    }

    /** One line the child printed; called on the reading thread, in order. */
    protected abstract void line(String line);

    /** The output ended: the child exited or was killed. Called on the reading thread, once. */
    protected abstract void ended();

    /**
     * Starts {@code mainClass} with {@code arguments} in a new JVM, once: {@code java} is the executable followed by
     * its flags; the class path is this JVM's; {@code directory} is the child's working directory (null: this one's).
     */
    protected final void launch(final List<String> java, final String mainClass, final List<String> arguments,
            final Path directory) throws IOException {
        if (process != null) {
            throw new IllegalStateException(this + " is already started");
        }
        final List<String> command = new ArrayList<>(java);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(arguments);
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        process = builder.start();
        LIVE.add(process);
        reader = new Thread(this::read, name + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** A shutdown hook that kills every child still alive (the test JVM ends while a child runs). */
    public static Thread killAllOnExit() {
        final Thread hook = new Thread(() -> LIVE.forEach(Process::destroyForcibly), "kill-child-jvms");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /** Removes a hook of {@link #killAllOnExit}, unless the JVM is already shutting down (then it runs anyway). */
    public static void removeHook(final Thread hook) {
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
                synchronized (lines) {
                    if (lines.size() == linesKept) {
                        lines.removeFirst();
                    }
                    lines.addLast(line);
                }
                line(line);
            }
        } catch (final IOException e) {
            // the stream breaks when the child is killed: the end of its output
        } finally {
            ended();
        }
    }

    /** SIGKILL on Linux; waits until the process is gone and its output read. Returns the exit value. */
    public final int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(KILL_WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException(this + " still alive " + KILL_WAIT_SECONDS + " s after SIGKILL");
        }
        LIVE.remove(process);
        reader.join(READER_JOIN_MILLIS);
        return process.exitValue();
    }

    /**
     * Cleanup after a failure: SIGKILL, then waits (bounded) until the process is gone, so that it no longer writes
     * into the directory the test is about to delete. Never throws; says so if the child outlived the wait.
     */
    public final void destroy() {
        process.destroyForcibly();
        try {
            if (process.waitFor(DESTROY_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LIVE.remove(process);
            } else {
                System.err.println(this + " still alive " + DESTROY_WAIT_SECONDS + " s after SIGKILL");
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits up to {@code millis}; true when the child has ended (by itself, or killed) by then. */
    public final boolean endsWithin(final long millis) throws InterruptedException {
        return process.waitFor(millis, TimeUnit.MILLISECONDS);
    }

    public final boolean isAlive() {
        return process.isAlive();
    }

    /** The exit value of an ended child, once its output is read to the end (bounded wait). */
    public final int exitValue() {
        try {
            reader.join(READER_JOIN_MILLIS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return process.exitValue();
    }

    /** The name the test gave the child. */
    public final String name() {
        return name;
    }

    public final long pid() {
        return process.pid();
    }

    /** The last lines the child printed, oldest first. */
    public final List<String> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    /** The last lines the child printed, one string, for failure messages. */
    public final String output() {
        return String.join(System.lineSeparator(), lines());
    }

    @Override
    public String toString() {
        return process == null ? name : name + " (pid " + process.pid() + ")";
    }
}
