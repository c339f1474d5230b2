package dev.prepaid.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Old journals keep their meaning. {@code src/test/resources/fixtures/2026-12-07/} holds a journal and two
 * snapshots written by the build of that day ({@link FormatFixture}: every command type, every POS kind, many
 * declines, repeated requests), with the outcome of every command and the state digests. Every later build must
 * replay that journal to the same outcomes and digests and read the snapshots to the same state, byte for byte.
 * A change that fails here changed what stored bytes mean: give it a new layout version that reads the old one,
 * never edit the fixture.
 *
 * <p>To write a new fixture (a new format version gets its own directory beside this one, the old ones stay):
 * {@code mvn -pl ledger-journal -am test -Dtest=FormatFixtureTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dfixture.write=/absolute/path/to/new/fixture/directory}.
 */
class FormatFixtureTest {
    private static final String FIXTURE = "/fixtures/2026-12-07/";

    @Test
    void theJournalOfTheDayTheFormatsWereFrozenReplaysToTheSameOutcomes(@TempDir final Path dir) throws IOException {
        final JournalConfig config = unpack(dir);
        final List<String> outcomes = new ArrayList<>();
        final Replay.Result result = Replay.run(config, JournalTestSupport.LEDGER, 1, Long.MAX_VALUE, false,
                (sequence, timestamp, command, offset, length, outcome) -> outcomes.add(FormatFixture.line(sequence, outcome)));
        assertThat(outcomes).containsExactlyElementsOf(lines("outcomes.txt"));
        assertThat(result.ledger().digestHex()).isEqualTo(finalDigest());
    }

    @Test
    void itsSnapshotsReadToTheRecordedStateAndWriteBackTheSameBytes(@TempDir final Path dir) throws IOException {
        final JournalConfig config = unpack(dir);
        final List<Path> files = Snapshots.list(config.snapshotDirectory());
        final List<String> digests = new ArrayList<>();
        for (final Path file : files) {
            final Snapshots.Loaded loaded = Snapshots.read(file, JournalTestSupport.LEDGER);
            digests.add(0, loaded.position().sequence() + " " + loaded.ledger().digestHex());
            final ByteArrayOutputStream again = new ByteArrayOutputStream();
            loaded.ledger().writeSnapshot(again, loaded.position().sequence());
            final byte[] stored = Files.readAllBytes(file);
            assertThat(Arrays.copyOfRange(stored, stored.length - again.size(), stored.length))
                    .as("the state of %s written again by this build", file.getFileName())
                    .isEqualTo(again.toByteArray());
        }
        assertThat(digests).containsExactlyElementsOf(lines("snapshots.txt"));
    }

    @Test
    void recoveryFromTheNewestSnapshotReachesTheFinalState(@TempDir final Path dir) throws IOException {
        final JournalConfig config = unpack(dir);
        final Recovery.Recovered recovered = Recovery.recover(config, JournalTestSupport.LEDGER);
        assertThat(recovered.snapshot()).isNotNull();
        assertThat(recovered.ledger().digestHex()).isEqualTo(finalDigest());
        final Recovery.Recovered fromTheMiddle = recoverFromFirstSnapshot(config);
        assertThat(fromTheMiddle.replayed()).isPositive();
        assertThat(fromTheMiddle.ledger().digestHex()).isEqualTo(finalDigest());
    }

    /**
     * The script behind the fixture is deterministic (so a fixture written from it means something) and every
     * command in it does what its comment says today; with {@code -Dfixture.write} it also writes a new fixture.
     */
    @Test
    void theFixtureScriptWritesTheSameJournalTwice(@TempDir final Path dir) throws IOException {
        final FormatFixture first = new FormatFixture(dir.resolve("first"));
        final String firstDigest = first.write();
        final FormatFixture second = new FormatFixture(dir.resolve("second"));
        assertThat(second.write()).isEqualTo(firstDigest);
        assertThat(second.outcomes).isEqualTo(first.outcomes);
        assertThat(second.snapshotDigests).isEqualTo(first.snapshotDigests).hasSize(2);
        assertThat(first.outcomes).hasSizeGreaterThan(150);
        final String target = System.getProperty("fixture.write");
        if (target != null && !target.isBlank()) {
            save(dir.resolve("first"), Path.of(target), first, firstDigest);
        }
    }

    // ------------------------------------------------------------------ fixture files

    private static Recovery.Recovered recoverFromFirstSnapshot(final JournalConfig config) throws IOException {
        final List<Path> files = Snapshots.list(config.snapshotDirectory());
        assertThat(files).hasSize(2);
        Files.delete(files.get(0));
        return Recovery.recover(config, JournalTestSupport.LEDGER);
    }

    private static String finalDigest() throws IOException {
        return lines("digest.txt").get(0);
    }

    private static List<String> lines(final String name) throws IOException {
        try (InputStream in = resource(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    private static InputStream resource(final String name) {
        final InputStream in = FormatFixtureTest.class.getResourceAsStream(FIXTURE + name);
        assertThat(in).as("fixture file " + FIXTURE + name).isNotNull();
        return in;
    }

    private static JournalConfig unpack(final Path dir) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(resource("journal.zip"))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                final Path file = dir.resolve(entry.getName()).normalize();
                assertThat(file.startsWith(dir)).as(entry.getName()).isTrue();
                Files.createDirectories(file.getParent());
                Files.copy(zip, file);
            }
        }
        return JournalConfig.of(dir, Durability.PROCESS);
    }

    private static void save(final Path journal, final Path target, final FormatFixture fixture, final String digest)
            throws IOException {
        Files.createDirectories(target);
        try (OutputStream file = Files.newOutputStream(target.resolve("journal.zip"));
             ZipOutputStream zip = new ZipOutputStream(file);
             Stream<Path> walk = Files.walk(journal)) {
            for (final Path path : walk.filter(Files::isRegularFile).sorted().toList()) {
                zip.putNextEntry(new ZipEntry(journal.relativize(path).toString()));
                Files.copy(path, zip);
                zip.closeEntry();
            }
        }
        Files.write(target.resolve("outcomes.txt"), fixture.outcomes);
        Files.write(target.resolve("snapshots.txt"), fixture.snapshotDigests);
        Files.write(target.resolve("digest.txt"), List.of(digest));
    }
}
