package dev.prepaid.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.Envelope;
import dev.prepaid.command.Reason;
import dev.prepaid.command.RecordCodec;
import dev.prepaid.ledger.Ledger;
import dev.prepaid.workload.Workload;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Journal, recovery, replay and snapshots against the live ledger, digest by digest. */
class JournalTest {
    private Path directory;

    @BeforeEach
    void setUp() throws Exception {
        directory = Files.createTempDirectory("journal-test");
    }

    @AfterEach
    void tearDown() throws Exception {
        JournalTestSupport.delete(directory);
    }

    private static byte[] admin(final AdminCommand command) {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
        final int length = RecordCodec.encode(new Envelope("system", 0, "test", ""), command, buffer, 0);
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    @Test
    void aDiskWithoutTheMinimumFreeSpaceIsRefusedBeforeAnythingIsWritten(@org.junit.jupiter.api.io.TempDir final Path dir)
            throws Exception {
        final Path journal = Files.createDirectories(dir.resolve("journal"));
        final JournalConfig wantsTheImpossible = new JournalConfig(journal, Durability.PROCESS,
                JournalConfig.DEFAULT_ROLL_CYCLE, Long.MAX_VALUE);
        assertThatThrownBy(() -> ChronicleJournal.requireFreeSpace(wantsTheImpossible))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("journal disk is full")
                .hasMessageContaining(journal.toString())
                .hasMessageContaining("free space or move the journal, then restart");
        assertThat(Files.exists(wantsTheImpossible.queueDirectory())).as("nothing written").isFalse();
        ChronicleJournal.requireFreeSpace(JournalConfig.of(journal, Durability.PROCESS)); // 64 MiB: there is that
    }

    @Test
    void recoveryRebuildsTheLiveStateInBothDurabilityModes() {
        for (final Durability durability : Durability.values()) {
            final Path dir = directory.resolve(durability.name());
            final String liveDigest;
            final long commands;
            try (JournalTestSupport live = new JournalTestSupport(dir, durability)) {
                final Workload workload = new Workload(500, 10, 11, 0);
                live.setUp(workload);
                live.stream(workload, 5_000);
                liveDigest = live.ledger.digestHex();
                commands = live.journal.nextSequence() - 1;
            }
            final Recovery.Recovered recovered = Recovery.recover(JournalConfig.of(dir, durability), JournalTestSupport.LEDGER);
            assertThat(recovered.lastSequence()).isEqualTo(commands);
            assertThat(recovered.replayed()).isEqualTo(commands);
            assertThat(recovered.ledger().digestHex()).isEqualTo(liveDigest);
        }
    }

    /**
     * What docs/operations.md tells an operator to back up on a new site (no snapshot yet): the {@code .cq4}
     * day files only, without {@code metadata.cq4t}. Restored into an empty directory they recover the same state.
     */
    @Test
    void aBackupOfTheDayFilesAloneWithoutMetadataRecoversTheSameState() throws Exception {
        final Path site = directory.resolve("site");
        final String liveDigest;
        final long commands;
        try (JournalTestSupport live = new JournalTestSupport(site, Durability.PROCESS)) {
            final Workload workload = new Workload(200, 10, 11, 0);
            live.setUp(workload);
            live.stream(workload, 1_000);
            liveDigest = live.ledger.digestHex();
            commands = live.journal.nextSequence() - 1;
        }
        final JournalConfig siteConfig = JournalConfig.of(site, Durability.PROCESS);
        final JournalConfig restoredConfig = JournalConfig.of(directory.resolve("restored"), Durability.PROCESS);
        Files.createDirectories(restoredConfig.queueDirectory());
        try (java.util.stream.Stream<Path> files = Files.list(siteConfig.queueDirectory())) {
            final List<Path> dayFiles = files.filter(f -> f.getFileName().toString().endsWith(".cq4")).toList();
            assertThat(dayFiles).isNotEmpty();
            for (final Path file : dayFiles) {
                Files.copy(file, restoredConfig.queueDirectory().resolve(file.getFileName()));
            }
        }
        assertThat(restoredConfig.queueDirectory().resolve("metadata.cq4t")).doesNotExist();

        final Recovery.Recovered recovered = Recovery.recover(restoredConfig, JournalTestSupport.LEDGER);
        assertThat(recovered.lastSequence()).isEqualTo(commands);
        assertThat(recovered.ledger().digestHex()).isEqualTo(liveDigest);
    }

    /**
     * Books that do not add up (here: a snapshot whose custody account was altered by one fen, as a bug could
     * leave it) do not stop the start: recovery names the identity, and the ledger holds settlements.
     */
    @Test
    void recoveryOfBooksThatDoNotAddUpStartsAndNamesTheIdentity() throws Exception {
        final Path site = directory.resolve("off");
        try (JournalTestSupport live = new JournalTestSupport(site, Durability.PROCESS)) {
            final Workload workload = new Workload(200, 10, 11, 0);
            live.setUp(workload);
            live.stream(workload, 500);
        }
        final JournalConfig config = JournalConfig.of(site, Durability.PROCESS);
        final Recovery.Recovered healthy = Recovery.recover(config, JournalTestSupport.LEDGER);
        assertThat(healthy.booksOff()).isNull();
        final Path snapshot = Snapshots.write(config.snapshotDirectory(), healthy.ledger(), healthy.position());
        moveOneFenOfCustodyToNowhere(snapshot);

        final Recovery.Recovered off = Recovery.recover(config, JournalTestSupport.LEDGER);
        assertThat(off.snapshot()).isEqualTo(snapshot);
        assertThat(off.booksOff()).startsWith("1001 = 2201 + 2202 + 2203 - 1122 + in transit: ");
        assertThat(off.ledger().state().books().balance(dev.prepaid.ledger.Account.CUSTODY))
                .isEqualTo(healthy.ledger().state().books().balance(dev.prepaid.ledger.Account.CUSTODY) + 1);
    }

    /**
     * Adds a fen to the debits of 1001 and to the credits of 1002 in a snapshot's books section (totals still
     * balance; custody no longer equals what is owed) and seals the file's checksum again.
     */
    private static void moveOneFenOfCustodyToNowhere(final Path snapshot) throws java.io.IOException {
        final byte[] bytes = Files.readAllBytes(snapshot);
        final java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        final int booksSectionMark = 0x5EC7_10A0 + 6;
        int at = -1;
        for (int i = 28; i + 4 <= bytes.length; i++) {
            if (b.getInt(i) == booksSectionMark && b.getInt(i + 4) == 1001) {
                at = i + 4;
                break;
            }
        }
        assertThat(at).as("the books section of " + snapshot).isPositive();
        b.putLong(at + 4, b.getLong(at + 4) + 1); // 1001 debits
        assertThat(b.getInt(at + 20)).isEqualTo(1002);
        b.putLong(at + 32, b.getLong(at + 32) + 1); // 1002 credits
        final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes, 28, bytes.length - 28 - 4);
        b.putInt(bytes.length - 4, (int) crc.getValue());
        Files.write(snapshot, bytes);
    }

    @Test
    void syncDurabilityAsksChronicleToForceWrites() {
        // Without an explicit sync mode Chronicle's appender.sync() is a no-op: SYNC would silently be PROCESS.
        assertThat(Queues.builder(JournalConfig.of(directory, Durability.SYNC), false).syncMode())
                .isEqualTo(net.openhft.chronicle.bytes.SyncMode.SYNC);
        assertThat(Queues.builder(JournalConfig.of(directory, Durability.PROCESS), false).syncMode())
                .isEqualTo(net.openhft.chronicle.bytes.SyncMode.NONE);
    }

    @Test
    void timestampsNeverGoBackwardsAndSequencesFollowOneAnother() {
        try (JournalTestSupport live = new JournalTestSupport(directory, Durability.PROCESS)) {
            final long[] clock = {5_000};
            live.clockSource = () -> clock[0] -= 100;  // a clock stepping backwards (NTP, operator error)
            live.submit(admin(new AdminCommand.Cutover(20260101)));
            final long first = live.event.timestampMillis;
            live.submit(admin(new AdminCommand.ExpireHolds()));
            assertThat(live.event.timestampMillis).isGreaterThanOrEqualTo(first);
            assertThat(live.event.journalIndex).isEqualTo(2);
        }
        final List<Long> sequences = new ArrayList<>();
        try (JournalReader reader = new JournalReader(JournalConfig.of(directory, Durability.PROCESS))) {
            reader.read(-1, 0, 0, (sequence, timestamp, command, offset, length, index) -> sequences.add(sequence));
        }
        assertThat(sequences).containsExactly(1L, 2L);
    }

    @Test
    void recoveryContinuesTheJournalAfterARestart() {
        final Workload workload = new Workload(300, 5, 5, 0);
        try (JournalTestSupport first = new JournalTestSupport(directory, Durability.PROCESS)) {
            first.setUp(workload);
            first.stream(workload, 1_000);
        }
        final String digest;
        try (JournalTestSupport second = new JournalTestSupport(directory, Durability.PROCESS)) {
            second.stream(new Workload(300, 5, 6, 100_000), 1_000);
            digest = second.ledger.digestHex();
        }
        assertThat(Recovery.recover(JournalConfig.of(directory, Durability.PROCESS), JournalTestSupport.LEDGER)
                .ledger().digestHex()).isEqualTo(digest);
    }

    @Test
    void liveReplayAndSnapshotDigestsAgreeAtSeveralIndices() throws Exception {
        final Map<Long, String> liveDigests = new HashMap<>();
        final JournalConfig config;
        try (JournalTestSupport live = new JournalTestSupport(directory, Durability.PROCESS)) {
            config = live.config;
            final Workload workload = new Workload(400, 8, 21, 0);
            live.setUp(workload);
            for (int round = 0; round < 4; round++) {
                live.stream(workload, 1_500);
                liveDigests.put(live.journal.nextSequence() - 1, live.ledger.digestHex());
                if (round == 1) {
                    // A snapshot in the middle, written by the follower from its own ledger.
                    try (SnapshotFollower follower = new SnapshotFollower(config, JournalTestSupport.LEDGER, 1_000_000, 3)) {
                        follower.start();
                        final Path file = follower.requestSnapshot(live.journal.nextSequence() - 1).get(30, TimeUnit.SECONDS);
                        assertThat(file.getFileName().toString()).contains(String.valueOf(live.journal.nextSequence() - 1));
                    }
                }
            }
        }
        for (final Map.Entry<Long, String> entry : liveDigests.entrySet()) {
            final long sequence = entry.getKey();
            final Ledger fromZero = Replay.run(config, JournalTestSupport.LEDGER, 1, sequence, false, (s, t, c, o, l, out) -> { })
                    .ledger();
            final Ledger fromSnapshot = Replay.run(config, JournalTestSupport.LEDGER, sequence, sequence, true,
                    (s, t, c, o, l, out) -> { }).ledger();
            assertThat(fromZero.digestHex()).as("replay from zero to %d", sequence).isEqualTo(entry.getValue());
            assertThat(fromSnapshot.digestHex()).as("snapshot + replay to %d", sequence).isEqualTo(entry.getValue());
        }
    }

    @Test
    void replayHandsEveryOutcomeOfARangeToTheListener() {
        final List<String> live;
        final JournalConfig config;
        try (JournalTestSupport support = new JournalTestSupport(directory, Durability.PROCESS)) {
            config = support.config;
            final Workload workload = new Workload(300, 6, 9, 0);
            support.setUp(workload);
            support.stream(workload, 2_000);
            live = support.outcomes;
        }
        final List<String> replayed = new ArrayList<>();
        final Replay.Result result = Replay.run(config, JournalTestSupport.LEDGER, 500, 800, true,
                (sequence, timestamp, command, offset, length, outcome) -> replayed.add(sequence + " " + outcome));
        assertThat(result.delivered()).isEqualTo(301);
        assertThat(replayed).isEqualTo(live.subList(499, 800));
    }

    @Test
    void aTornLastRecordIsCutOffAndTheJournalGoesOn() throws Exception {
        final String digestBefore;
        try (JournalTestSupport live = new JournalTestSupport(directory, Durability.PROCESS)) {
            final Workload workload = new Workload(200, 4, 3, 0);
            live.setUp(workload);
            live.stream(workload, 300);
            digestBefore = live.ledger.digestHex();
            live.submit(admin(new AdminCommand.UpsertIssuer("TAIL", "TAILMARKER issuer", "1")));
        }
        CorruptJournal.flipByteOf(directory.resolve("queue"), "TAILMARKER".getBytes(StandardCharsets.US_ASCII));
        final long lastGood;
        try (JournalTestSupport restarted = new JournalTestSupport(directory, Durability.PROCESS)) {
            assertThat(restarted.ledger.digestHex()).isEqualTo(digestBefore);
            lastGood = restarted.journal.nextSequence() - 1;
            assertThat(restarted.submit(admin(new AdminCommand.UpsertIssuer("NEW", "After the cut", "2"))).reason)
                    .isEqualTo(Reason.APPROVED);
        }
        // The void marker lets every later reading pass the damaged record knowingly.
        final Recovery.Recovered again = Recovery.recover(JournalConfig.of(directory, Durability.PROCESS),
                JournalTestSupport.LEDGER);
        assertThat(again.lastSequence()).isEqualTo(lastGood + 1);
        assertThat(again.ledger().state().issuers()).containsKey("NEW").doesNotContainKey("TAIL");
    }

    @Test
    void damageBeforeTheEndStopsTheStartNamingFileAndIndex() throws Exception {
        try (JournalTestSupport live = new JournalTestSupport(directory, Durability.PROCESS)) {
            final Workload workload = new Workload(200, 4, 3, 0);
            live.setUp(workload);
            live.submit(admin(new AdminCommand.UpsertIssuer("MID", "MIDMARKER issuer", "1")));
            live.stream(workload, 300);
        }
        CorruptJournal.flipByteOf(directory.resolve("queue"), "MIDMARKER".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> Recovery.recover(JournalConfig.of(directory, Durability.PROCESS), JournalTestSupport.LEDGER))
                .isInstanceOf(JournalCorruptException.class)
                .hasMessageContaining(".cq4")
                .hasMessageContaining("index")
                .hasMessageContaining("checksum mismatch");
    }

    @Test
    void badDirectoriesAndAFullDiskAreClearErrors() throws Exception {
        final Path file = Files.createFile(directory.resolve("not-a-directory"));
        assertThatThrownBy(() -> ChronicleJournal.open(JournalConfig.of(file, Durability.PROCESS), System::currentTimeMillis, 0, 0))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining(file.toString());
        final JournalConfig greedy = new JournalConfig(directory.resolve("j"), Durability.PROCESS,
                JournalConfig.DEFAULT_ROLL_CYCLE, Long.MAX_VALUE);
        assertThatThrownBy(() -> ChronicleJournal.open(greedy, System::currentTimeMillis, 0, 0))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("disk is full")
                .hasMessageContaining("MiB free");
        assertThatThrownBy(() -> new JournalConfig(directory, Durability.SYNC, "FAST_DAILY", 0))
                .hasMessageContaining("LARGE_DAILY");
    }

    @Test
    void snapshotsAreCheckedAndADamagedOneIsPassedOver() throws Exception {
        final String digest;
        final JournalConfig config;
        try (JournalTestSupport live = new JournalTestSupport(directory, Durability.PROCESS)) {
            config = live.config;
            final Workload workload = new Workload(200, 4, 8, 0);
            live.setUp(workload);
            live.stream(workload, 500);
            try (SnapshotFollower follower = new SnapshotFollower(config, JournalTestSupport.LEDGER, 1_000_000, 5)) {
                follower.start();
                follower.requestSnapshot(live.journal.nextSequence() - 1).get(30, TimeUnit.SECONDS);
                live.stream(workload, 500);
                final Path newest = follower.requestSnapshot(live.journal.nextSequence() - 1).get(30, TimeUnit.SECONDS);
                live.stream(workload, 100);
                digest = live.ledger.digestHex();
                final byte[] bytes = Files.readAllBytes(newest);
                bytes[bytes.length / 2] ^= 0x10;
                Files.write(newest, bytes);
            }
        }
        final Recovery.Recovered recovered = Recovery.recover(config, JournalTestSupport.LEDGER);
        assertThat(recovered.snapshot().getFileName().toString()).isNotEqualTo(Snapshots.list(config.snapshotDirectory())
                .get(0).getFileName().toString());
        assertThat(recovered.ledger().digestHex()).isEqualTo(digest);
    }
}
