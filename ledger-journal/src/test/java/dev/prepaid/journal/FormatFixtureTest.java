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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Old journals keep their meaning. Each directory under {@code src/test/resources/fixtures/} holds a journal and
 * two snapshots written by one build ({@link FormatFixture}: every command type, every POS kind, many
 * declines), with the outcome of every command and the state digests that build saw:
 * <ul>
 *   <li>{@code 2026-12-06-before-codes}: by the build before the stored formats got explicit codes (011e733),
 *       every request id 0 as every switch then wrote them, no swiped card;</li>
 *   <li>{@code 2026-12-07}: by the build that froze them, with repeated request ids and swiped cards that
 *       state the card type their CVN was checked for;</li>
 *   <li>{@code 2026-12-08-audit}: by the build of the audit trail (state version 3): the trail from the journal's
 *       first command, operators' login state, decisions on flagged purchases;</li>
 *   <li>{@code 2026-12-09-payees}: by the build that freezes a settlement's payees (state version 4): a merchant's
 *       bank details changed after its batch was prepared, and the batch's payout files recorded
 *       (RECORD_PAYOUT_FILES), both in section 13 of the second snapshot.</li>
 *   <li>{@code 2026-12-10-reconciliation}: by the build that records reconciliations (state version 5): days whose
 *       reconciliation failed hold settlement; the journal ends with one held, in section 14 of the second snapshot.</li>
 *   <li>{@code 2026-12-11-ledger-rules}: by the build of issue 11's ledger rules (state version 6): weekly and monthly
 *       cycles, the recharge commission, recharges settled apart and collected, deployers paid, points redeemed, in
 *       section 15 of the second snapshot.</li>
 * </ul>
 * Every later build must replay each journal to the same outcomes and digests and read its snapshots to the
 * same state, byte for byte. A change that fails here changed what stored bytes mean: give it a new layout
 * version that reads the old one, never edit a fixture.
 *
 * <p>To write a new fixture (a new format version gets its own directory beside this one, the old ones stay):
 * {@code mvn -pl ledger-journal -am test -Dtest=FormatFixtureTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dfixture.write=/absolute/path/to/new/fixture/directory}.
 */
class FormatFixtureTest {
    private static final String[] FIXTURES = {"2026-12-06-before-codes", "2026-12-07", "2026-12-08-audit", "2026-12-09-payees",
            "2026-12-10-reconciliation", "2026-12-11-ledger-rules"};

    @ParameterizedTest
    @ValueSource(strings = {"2026-12-06-before-codes", "2026-12-07", "2026-12-08-audit", "2026-12-09-payees",
            "2026-12-10-reconciliation", "2026-12-11-ledger-rules"})
    void aJournalOfAnEarlierBuildReplaysToTheSameOutcomes(final String fixture, @TempDir final Path dir) throws IOException {
        final JournalConfig config = unpack(fixture, dir);
        final List<String> outcomes = new ArrayList<>();
        final Replay.Result result = Replay.run(config, JournalTestSupport.LEDGER, 1, Long.MAX_VALUE, false,
                (sequence, timestamp, command, offset, length, outcome) -> outcomes.add(FormatFixture.line(sequence, outcome)));
        assertThat(outcomes).containsExactlyElementsOf(lines(fixture, "outcomes.txt"));
        assertThat(result.ledger().digestHex()).isEqualTo(finalDigest(fixture));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-12-06-before-codes", "2026-12-07", "2026-12-08-audit", "2026-12-09-payees",
            "2026-12-10-reconciliation", "2026-12-11-ledger-rules"})
    void itsSnapshotsReadToTheRecordedStateAndWriteBackTheSameBytes(final String fixture, @TempDir final Path dir)
            throws IOException {
        final JournalConfig config = unpack(fixture, dir);
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
        assertThat(digests).containsExactlyElementsOf(lines(fixture, "snapshots.txt"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-12-06-before-codes", "2026-12-07", "2026-12-08-audit", "2026-12-09-payees",
            "2026-12-10-reconciliation", "2026-12-11-ledger-rules"})
    void recoveryFromItsSnapshotsReachesTheFinalState(final String fixture, @TempDir final Path dir) throws IOException {
        final JournalConfig config = unpack(fixture, dir);
        final Recovery.Recovered recovered = Recovery.recover(config, JournalTestSupport.LEDGER);
        assertThat(recovered.snapshot()).isNotNull();
        assertThat(recovered.booksOff()).isNull();
        assertThat(recovered.ledger().digestHex()).isEqualTo(finalDigest(fixture));
        final Recovery.Recovered fromTheMiddle = recoverFromFirstSnapshot(config);
        assertThat(fromTheMiddle.replayed()).isPositive();
        assertThat(fromTheMiddle.ledger().digestHex()).isEqualTo(finalDigest(fixture));
    }

    @Test
    void everyFixtureIsTested() throws IOException {
        try (java.util.stream.Stream<Path> dirs = Files.list(Path.of("src/test/resources/fixtures"))) {
            assertThat(dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted())
                    .containsExactly(FIXTURES);
        }
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

    private static String finalDigest(final String fixture) throws IOException {
        return lines(fixture, "digest.txt").get(0);
    }

    private static List<String> lines(final String fixture, final String name) throws IOException {
        try (InputStream in = resource(fixture, name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    private static InputStream resource(final String fixture, final String name) {
        final String path = "/fixtures/" + fixture + "/" + name;
        final InputStream in = FormatFixtureTest.class.getResourceAsStream(path);
        assertThat(in).as("fixture file " + path).isNotNull();
        return in;
    }

    private static JournalConfig unpack(final String fixture, final Path dir) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(resource(fixture, "journal.zip"))) {
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
