package dev.prepaid.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A child JVM's output line by line, the last lines kept, its end and its exit value, by itself and under SIGKILL. */
class ChildJvmTest {
    private static final List<String> JAVA = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx32m", "-XX:TieredStopAtLevel=1");

    /** Collects the lines; {@link #ended} completes when the output ends. */
    private static final class Collected implements ChildJvm.Output {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> sawDone = new CompletableFuture<>();
        final CompletableFuture<Void> ended = new CompletableFuture<>();

        @Override
        public void line(final String line) {
            lines.add(line);
            if (line.equals("done")) {
                sawDone.complete(null);
            }
        }

        @Override
        public void ended() {
            ended.complete(null);
        }
    }

    @Test
    void everyLineReachesTheListenerAndTheLastOnesAreKept() throws Exception {
        final Collected collected = new Collected();
        final ChildJvm child = ChildJvm.start("talker", JAVA, TalkingChild.class.getName(), List.of("50", "3"), null,
                10, collected);
        assertThat(child.endsWithin(TimeUnit.SECONDS.toMillis(60))).as("the child exits by itself").isTrue();
        assertThat(child.exitValue()).isEqualTo(3);
        collected.ended.get(10, TimeUnit.SECONDS);
        assertThat(collected.lines).hasSize(51).startsWith("line 1", "line 2").endsWith("line 50", "done");
        assertThat(child.lines()).as("stdout and stderr together, the last 10").hasSize(10)
                .startsWith("line 42").endsWith("line 50", "done");
        assertThat(child.output()).startsWith("line 42" + System.lineSeparator()).endsWith("done");
        assertThat(child.isAlive()).isFalse();
    }

    @Test
    void aKilledChildEndsWithTheSigkillExitValue() throws Exception {
        final Collected collected = new Collected();
        final ChildJvm child = ChildJvm.start("waiter", JAVA, TalkingChild.class.getName(), List.of("2", "wait"), null,
                100, collected);
        final Thread hook = ChildJvm.killAllOnExit();
        try {
            collected.sawDone.get(60, TimeUnit.SECONDS);
            assertThat(child.endsWithin(200)).as("it waits on its standard input").isFalse();
            assertThat(child.isAlive()).isTrue();
            assertThat(child.toString()).isEqualTo("waiter (pid " + child.pid() + ")");
            assertThat(child.kill()).isEqualTo(ChildJvm.SIGKILL_EXIT);
            assertThat(child.isAlive()).isFalse();
            assertThat(collected.ended).as("the output ended with the process").isDone();
            assertThat(child.lines()).containsExactly("line 1", "line 2", "done");
        } finally {
            child.destroy();
            ChildJvm.removeHook(hook);
        }
    }

    @Test
    void theWorkingDirectoryIsTheOneGiven(@org.junit.jupiter.api.io.TempDir final Path directory) throws IOException,
            InterruptedException {
        final Collected collected = new Collected();
        final ChildJvm child = ChildJvm.start("pwd", List.of(JAVA.get(0), "-XshowSettings:properties"),
                TalkingChild.class.getName(), List.of("0", "0"), directory, 1_000, collected);
        assertThat(child.endsWithin(TimeUnit.SECONDS.toMillis(60))).isTrue();
        assertThat(child.exitValue()).isZero();
        assertThat(child.output()).contains("user.dir = " + directory.toRealPath());
    }
}
