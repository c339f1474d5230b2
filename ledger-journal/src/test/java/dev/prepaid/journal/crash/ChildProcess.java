package dev.prepaid.journal.crash;

import dev.prepaid.launch.ProjectJvm;
import dev.prepaid.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One {@link CrashChild} JVM ({@link ChildJvm}: the test's own {@code java}, class path and the project's JVM
 * flags); its output is read line by line to note the {@code recovered} line and to complete {@link #awaitReady}
 * when {@code ready} appears.
 */
final class ChildProcess extends ChildJvm {
    private static final int OUTPUT_LINES_KEPT = 400;

    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> answering = new CompletableFuture<>();
    private volatile String recoveredLine;
    private volatile int snapshotsWritten;
    private volatile int forcedUnlocks;
    private volatile int tornTails;
    private volatile String firstError;
    private volatile int segmentWaits;

    private ChildProcess(final String name) {
        super(name, OUTPUT_LINES_KEPT);
    }

    static ChildProcess start(final List<String> jvmFlags, final List<String> arguments, final String name) throws IOException {
        final List<String> java = new ArrayList<>();
        java.add(ProjectJvm.javaExecutable());
        java.addAll(jvmFlags);
        final ChildProcess child = new ChildProcess(name);
        child.launch(java, CrashChild.class.getName(), arguments, null);
        return child;
    }

    /** The project's JVM argument files for a test's child (no production flags), found above the working directory. */
    static List<String> projectJvmFlags() {
        final Path config = ProjectJvm.findConfig(Path.of(""));
        if (config == null) {
            throw new IllegalStateException("config/jvm.options not found above " + Path.of("").toAbsolutePath());
        }
        return ProjectJvm.argumentFiles(config, false);
    }

    @Override
    protected void line(final String line) {
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

    @Override
    protected void ended() {
        ready.completeExceptionally(new IllegalStateException("the child's output ended before it said ready"));
        answering.completeExceptionally(new IllegalStateException("the child's output ended before it answered"));
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
            if (endsWithin(TimeUnit.SECONDS.toMillis(10))) {
                return "the child exited with " + exitValue() + " before it said '" + what + "'";
            }
            return "the child's output ended before it said '" + what + "'";
        } catch (final TimeoutException e) {
            return "the child did not say '" + what + "' within " + unit.toSeconds(timeout) + " s";
        }
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
}
