package dev.prepaid.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    /** A {@link TalkingChild} that collects its lines; {@link #end} completes when its output ends. */
    private static final class Talker extends ChildJvm {
        final List<String> said = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> sawDone = new CompletableFuture<>();
        final CompletableFuture<Void> end = new CompletableFuture<>();

        Talker(final String name, final int linesKept) {
            super(name, linesKept);
        }

        static Talker start(final String name, final List<String> java, final List<String> arguments,
                final Path directory, final int linesKept) throws IOException {
            final Talker talker = new Talker(name, linesKept);
            talker.launch(java, TalkingChild.class.getName(), arguments, directory);
            return talker;
        }

        @Override
        protected void line(final String line) {
            said.add(line);
            if (line.equals("done")) {
                sawDone.complete(null);
            }
        }

        @Override
        protected void ended() {
            end.complete(null);
        }
    }

    @Test
    void everyLineReachesTheListenerAndTheLastOnesAreKept() throws Exception {
        final Talker child = Talker.start("talker", JAVA, List.of("50", "3"), null, 10);
        assertThat(child.endsWithin(TimeUnit.SECONDS.toMillis(60))).as("the child exits by itself").isTrue();
        assertThat(child.exitValue()).isEqualTo(3);
        child.end.get(10, TimeUnit.SECONDS);
        assertThat(child.said).hasSize(51).startsWith("line 1", "line 2").endsWith("line 50", "done");
        assertThat(child.lines()).as("stdout and stderr together, the last 10").hasSize(10)
                .startsWith("line 42").endsWith("line 50", "done");
        assertThat(child.output()).startsWith("line 42" + System.lineSeparator()).endsWith("done");
        assertThat(child.isAlive()).isFalse();
    }

    @Test
    void aKilledChildEndsWithTheSigkillExitValue() throws Exception {
        final Talker child = Talker.start("waiter", JAVA, List.of("2", "wait"), null, 100);
        final Thread hook = ChildJvm.killAllOnExit();
        try {
            child.sawDone.get(60, TimeUnit.SECONDS);
            assertThat(child.endsWithin(200)).as("it waits on its standard input").isFalse();
            assertThat(child.isAlive()).isTrue();
            assertThat(child.toString()).isEqualTo("waiter (pid " + child.pid() + ")");
            assertThat(child.name()).isEqualTo("waiter");
            assertThatThrownBy(() -> child.launch(JAVA, TalkingChild.class.getName(), List.of("0", "0"), null))
                    .as("one process per child").isInstanceOf(IllegalStateException.class)
                    .hasMessage(child + " is already started");
            assertThat(child.kill()).isEqualTo(ChildJvm.SIGKILL_EXIT);
            assertThat(child.isAlive()).isFalse();
            assertThat(child.end).as("the output ended with the process").isDone();
            assertThat(child.lines()).containsExactly("line 1", "line 2", "done");
        } finally {
            child.destroy();
            ChildJvm.removeHook(hook);
        }
    }

    @Test
    void theWorkingDirectoryIsTheOneGiven(@org.junit.jupiter.api.io.TempDir final Path directory) throws IOException,
            InterruptedException {
        final Talker child = Talker.start("pwd", List.of(JAVA.get(0), "-XshowSettings:properties"), List.of("0", "0"),
                directory, 1_000);
        assertThat(child.endsWithin(TimeUnit.SECONDS.toMillis(60))).isTrue();
        assertThat(child.exitValue()).isZero();
        assertThat(child.output()).contains("user.dir = " + directory.toRealPath());
    }
}
