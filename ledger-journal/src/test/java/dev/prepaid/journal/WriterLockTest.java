package dev.prepaid.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepaid.launch.ProjectJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriterLockTest {
    @Test
    void aSecondWriterInThisProcessIsRefusedWithTheHoldersId(@TempDir final Path dir) {
        final Path journal = dir.resolve("journal");
        try (WriterLock first = WriterLock.acquire(journal)) {
            assertThat(first.file()).exists();
            assertThatThrownBy(() -> WriterLock.acquire(journal))
                    .isInstanceOf(JournalException.class)
                    .hasMessageContaining("is in use by another switch")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
        }
        // released: the next writer takes it
        WriterLock.acquire(journal).close();
    }

    @Test
    void aWriterInAnotherProcessIsRefusedUntilThatProcessDies(@TempDir final Path dir) throws Exception {
        final Path journal = dir.resolve("journal");
        final Process holder = new ProcessBuilder(ProjectJvm.javaExecutable(), "-cp",
                System.getProperty("java.class.path"), Holder.class.getName(), journal.toString())
                .redirectErrorStream(true).start();
        try {
            final String said = new String(holder.getInputStream().readNBytes(5));
            assertThat(said).as("the child took the lock").isEqualTo("held\n");
            assertThatThrownBy(() -> WriterLock.acquire(journal))
                    .isInstanceOf(JournalException.class)
                    .hasMessageContaining("pid " + holder.pid());
        } finally {
            holder.destroyForcibly(); // SIGKILL: the OS drops the lock with the process
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        try (WriterLock next = WriterLock.acquire(journal)) {
            assertThat(Files.readString(next.file())).startsWith("pid " + ProcessHandle.current().pid());
        }
    }

    @Test
    void aJournalPathThatIsAFileIsRefusedByName(@TempDir final Path dir) throws Exception {
        final Path notADirectory = Files.writeString(dir.resolve("journal"), "x");
        assertThatThrownBy(() -> WriterLock.acquire(notADirectory))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("cannot take the writer lock");
    }

    /** A process that holds a journal's lock until it is killed (or its standard input, the test's pipe, ends). */
    public static final class Holder {
        public static void main(final String[] args) throws Exception {
            final WriterLock lock = WriterLock.acquire(Path.of(args[0]));
            System.out.print("held\n");
            System.out.flush();
            while (System.in.read() >= 0) {
                // blocks: the test kills this process while it holds the lock
            }
            lock.close();
        }
    }
}
