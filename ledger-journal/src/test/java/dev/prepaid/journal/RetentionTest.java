package dev.prepaid.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.workload.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RetentionTest {
    private static final long DAY = 86_400_000L;
    private Path directory;

    @BeforeEach
    void setUp() throws Exception {
        directory = Files.createTempDirectory("retention-test");
    }

    @AfterEach
    void tearDown() throws Exception {
        JournalTestSupport.delete(directory);
    }

    private static long files(final Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.toString().endsWith(".cq4")).count();
        }
    }

    @Test
    void oldFilesCoveredByASnapshotMoveToTheArchiveAndRecoveryStillWorks() throws Exception {
        final AtomicLong cycleClock = new AtomicLong(1_767_268_800_000L); // 2026-01-01T12:00Z
        final JournalConfig config = JournalConfig.of(directory, Durability.PROCESS).withKeepDays(1)
                .withCycleClock(cycleClock::get);
        final String digest;
        try (JournalTestSupport live = new JournalTestSupport(config)) {
            final Workload workload = new Workload(200, 4, 17, 0);
            live.setUp(workload);
            live.stream(workload, 200);
            cycleClock.addAndGet(3 * DAY);
            live.stream(workload, 200);
            assertThat(files(config.queueDirectory())).isEqualTo(2);
            try (SnapshotFollower follower = new SnapshotFollower(config, JournalTestSupport.LEDGER, 1_000_000, 2)) {
                follower.start();
                follower.requestSnapshot(live.journal.nextSequence() - 1).get(30, TimeUnit.SECONDS);
            }
            live.stream(workload, 50);
            digest = live.ledger.digestHex();
        }
        assertThat(files(config.queueDirectory())).isEqualTo(1);
        assertThat(files(config.archiveDirectory())).isEqualTo(1);
        assertThat(Recovery.recover(config, JournalTestSupport.LEDGER).ledger().digestHex()).isEqualTo(digest);
    }

    @Test
    void keepingEverythingIsTheDefault() throws Exception {
        final AtomicLong cycleClock = new AtomicLong(1_767_268_800_000L);
        final JournalConfig config = JournalConfig.of(directory, Durability.PROCESS).withCycleClock(cycleClock::get);
        try (JournalTestSupport live = new JournalTestSupport(config)) {
            final Workload workload = new Workload(100, 2, 17, 0);
            live.setUp(workload);
            cycleClock.addAndGet(10 * DAY);
            live.stream(workload, 10);
            try (SnapshotFollower follower = new SnapshotFollower(config, JournalTestSupport.LEDGER, 1_000_000, 2)) {
                follower.start();
                follower.requestSnapshot(live.journal.nextSequence() - 1).get(30, TimeUnit.SECONDS);
            }
        }
        assertThat(files(config.queueDirectory())).isEqualTo(2);
        assertThat(files(config.archiveDirectory())).isZero();
    }
}
