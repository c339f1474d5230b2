package dev.prepaid.journal.tools;

import static dev.prepaid.journal.tools.ToolJournal.admin;
import static dev.prepaid.journal.tools.ToolJournal.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.card.PaymentMethod;
import dev.prepaid.card.SalesChannel;
import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.PosKind;
import dev.prepaid.command.PosRequest;
import dev.prepaid.command.Reason;
import dev.prepaid.journal.CorruptJournal;
import dev.prepaid.journal.Replay;
import dev.prepaid.journal.tools.ToolJournal.Run;
import dev.prepaid.ledger.Ledger;
import dev.prepaid.ledger.LedgerConfig;
import dev.prepaid.workload.Workload;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code journal verify} (and the other tools) on journals that are not what they should be. */
class JournalVerifyFailuresTest {
    @TempDir
    Path directory;

    @Test
    void withoutSizesGivenTheToolsSizeTheirLedgerAsTheNewestSnapshotRecords() throws Exception {
        // A switch configured away from the defaults in a ring size no option names (the review queue).
        final LedgerConfig d = ToolJournal.LEDGER;
        final LedgerConfig switchSizes = new LedgerConfig(20_000, 1 << 14, d.maxOpenHolds(), d.maxMerchants(),
                d.maxTerminals(), d.maxOperators(), d.maxCardTypes(), d.maxBinRanges(), d.maxRules(),
                d.maxPendingRequests(), d.reviewQueueCapacity() * 2, d.adminRequestMemory(), d.calendarDays(),
                d.maxBatchCards());
        final Path journal = directory.resolve("journal");
        final String snapshotName;
        try (ToolJournal live = new ToolJournal(journal, switchSizes)) {
            final Workload workload = new Workload(100, 4, 7, 0);
            live.setUp(workload);
            live.stream(workload, 300);
            snapshotName = live.snapshot().getFileName().toString();
            live.stream(workload, 100);
        }
        final Run verify = run("verify", "--journal", journal.toString());
        assertThat(verify.status()).as(verify.out() + verify.err()).isEqualTo(JournalTool.OK);
        assertThat(verify.out()).contains("ledger capacities: 20000 cards, transaction log 16384 (from " + snapshotName + ")")
                .contains("snapshot " + snapshotName + " matches the replay from scratch");
        // Without a snapshot nothing records the sizes: verify says what it assumed instead of a bare OK.
        final Path bare = directory.resolve("bare");
        try (ToolJournal live = new ToolJournal(bare, switchSizes)) {
            final Workload workload = new Workload(100, 4, 7, 0);
            live.setUp(workload);
            live.stream(workload, 50);
        }
        final Run guessed = run("verify", "--journal", bare.toString());
        assertThat(guessed.status()).isEqualTo(JournalTool.OK);
        assertThat(guessed.out()).contains("(defaults (no snapshot to take them from))")
                .contains("no snapshot records the switch's ledger sizes, so the replay assumed the defaults")
                .doesNotContain("every replay agrees");
        // Sizes given on the command line are taken as given: these cannot restore the snapshot, and verify says so.
        final Run given = run("verify", "--journal", journal.toString(), "--max-cards", "20000",
                "--transaction-log-capacity", "16384");
        assertThat(given.status()).isEqualTo(JournalTool.FAILED);
        assertThat(given.out()).contains("(as given)").contains("ring sizes must stay");
    }

    @Test
    void aSnapshotOfAnotherStateIsReportedWithTheFirstCommandAnsweredDifferently() throws Exception {
        final Path journal = directory.resolve("journal");
        final long snapshotAt;
        final String snapshotName;
        try (ToolJournal live = new ToolJournal(journal)) {
            final Workload workload = new Workload(100, 4, 7, 0);
            live.setUp(workload);
            live.stream(workload, 500);
            snapshotAt = live.lastSequence();
            // The state at that sequence, plus one counter recharge the journal never saw.
            final Ledger other = Replay.run(live.config, ToolJournal.LEDGER, 1, snapshotAt, false, (s, t, c, o, l, out) -> { })
                    .ledger();
            final ExpandableArrayBuffer extra = new ExpandableArrayBuffer(512);
            final byte[] recharge = admin("clerk", "", new AdminCommand.RechargeCards(Workload.pan(7), 1, 10_000,
                    PaymentMethod.CASH, SalesChannel.COUNTER));
            extra.putBytes(0, recharge);
            final Outcome outcome = new Outcome();
            other.apply(extra, 0, recharge.length, other.lastTimestamp(), outcome);
            assertThat(outcome.reason).isEqualTo(Reason.APPROVED);
            snapshotName = live.snapshotOf(other, snapshotAt).getFileName().toString();
            // The next command asks that card's balance.
            new PosRequest().wrapForEncode(live.event.command, 0).kind(PosKind.BALANCE_INQUIRY)
                    .terminalId(Workload.terminalId(0)).merchantId(Workload.merchantId(0)).batch(1).stan(800_001)
                    .pan(Workload.pan(7)).entryMode(21);
            assertThat(live.submit(PosRequest.LENGTH).reason).isEqualTo(Reason.APPROVED);
            live.stream(workload, 200);
        }
        final Run verify = run("verify", "--journal", journal.toString());
        assertThat(verify.status()).as(verify.out() + verify.err()).isEqualTo(JournalTool.FAILED);
        assertThat(verify.out())
                .contains("sequence " + snapshotAt + ": snapshot " + snapshotName + " DIFFERS from the replay from scratch")
                .contains("sequence " + (snapshotAt + 1) + ": first divergence after snapshot " + snapshotName + " at sequence "
                        + (snapshotAt + 1))
                .contains("POS BALANCE_INQUIRY terminal=30000000")
                .contains("reaches a DIFFERENT state digest")
                .contains("FAILED: ")
                .contains("  snapshot " + snapshotName + " at sequence " + snapshotAt + " does not hold the state the journal "
                        + "leads to")
                .doesNotContain(Workload.pan(7));
        // Outcomes differ by exactly the recharge: 100.00 more available from the snapshot.
        final String divergence = verify.lines().stream().filter(l -> l.contains("first divergence")).findFirst().orElseThrow();
        final java.util.regex.Matcher balances = java.util.regex.Pattern.compile(
                "from scratch => 00 APPROVED .*available=(\\d+)\\.(\\d\\d).*; from the snapshot => 00 APPROVED .*available="
                        + "(\\d+)\\.(\\d\\d)").matcher(divergence);
        assertThat(balances.find()).as(divergence).isTrue();
        final long fromScratch = Long.parseLong(balances.group(1) + balances.group(2));
        final long fromSnapshot = Long.parseLong(balances.group(3) + balances.group(4));
        assertThat(fromSnapshot - fromScratch).isEqualTo(10_000);
    }

    @Test
    void aFlippedByteInTheMiddleIsReportedWithFileAndIndex() throws Exception {
        final Path journal = directory.resolve("journal");
        try (ToolJournal live = new ToolJournal(journal)) {
            final Workload workload = new Workload(100, 4, 3, 0);
            live.setUp(workload);
            live.stream(workload, 300);
            live.submit(admin("system", "", new AdminCommand.UpsertIssuer("MID", "MIDMARKER issuer", "1")));
            live.stream(workload, 300);
        }
        final Path file = CorruptJournal.flipByteOf(journal.resolve("queue"), "MIDMARKER".getBytes(StandardCharsets.US_ASCII));

        final Run verify = run("verify", "--journal", journal.toString());
        assertThat(verify.status()).isEqualTo(JournalTool.FAILED);
        assertThat(verify.out()).contains("FAILED").contains("FAILED: 1 problem; the first:\n  journal damaged at index ")
                .contains(file.toString()).contains("checksum mismatch").contains("verified up to sequence ");

        final Run dump = run("dump", "--journal", journal.toString());
        assertThat(dump.status()).isEqualTo(JournalTool.FAILED);
        assertThat(dump.err()).startsWith("journal dump: journal damaged at index ").contains(file.getFileName().toString())
                .contains("index ");
        assertThat(dump.lines()).hasSizeGreaterThan(300).allSatisfy(line -> assertThat(line).doesNotContain("MIDMARKER"));

        final Run stats = run("stats", "--journal", journal.toString());
        assertThat(stats.status()).isEqualTo(JournalTool.FAILED);
        assertThat(stats.err()).contains(".cq4");
    }

    @Test
    void aTornLastRecordIsANoteNotAFailure() throws Exception {
        final Path journal = directory.resolve("journal");
        final int commands;
        try (ToolJournal live = new ToolJournal(journal)) {
            final Workload workload = new Workload(100, 4, 3, 0);
            live.setUp(workload);
            live.stream(workload, 200);
            live.submit(admin("system", "", new AdminCommand.UpsertIssuer("TAIL", "TAILMARKER issuer", "1")));
            commands = live.written.size();
        }
        CorruptJournal.flipByteOf(journal.resolve("queue"), "TAILMARKER".getBytes(StandardCharsets.US_ASCII));
        final Run dump = run("dump", "--journal", journal.toString());
        assertThat(dump.status()).isZero();
        assertThat(dump.lines()).hasSize(commands - 1);
        assertThat(dump.err()).contains("note: the journal ends with a torn record at index ").contains(".cq4");
        final Run verify = run("verify", "--journal", journal.toString());
        assertThat(verify.status()).as(verify.out()).isZero();
        assertThat(verify.out()).contains("note: the journal ends with a torn record").contains("OK");
    }

    @Test
    void withoutSnapshotsOnlyTheReplayFromScratchIsMade() throws Exception {
        final Path journal = directory.resolve("journal");
        try (ToolJournal live = new ToolJournal(journal)) {
            final Workload workload = new Workload(100, 4, 5, 0);
            live.setUp(workload);
            live.stream(workload, 200);
        }
        final Run verify = run("verify", "--journal", journal.toString());
        assertThat(verify.status()).as(verify.out()).isZero();
        assertThat(verify.out()).contains(": 0 snapshots").contains("no usable snapshot").contains("OK");
    }

    @Test
    void aSnapshotBeyondTheJournalOrFromAnotherJournalIsReported() throws Exception {
        final Path longer = directory.resolve("longer");
        final Path shorter = directory.resolve("shorter");
        final Path beyond;
        final Path misplaced;
        try (ToolJournal live = new ToolJournal(longer)) {
            final Workload workload = new Workload(100, 4, 5, 0);
            live.setUp(workload);
            live.stream(workload, 300);
            beyond = live.snapshot();
        }
        try (ToolJournal live = new ToolJournal(shorter)) {
            final Workload workload = new Workload(100, 4, 5, 0);
            live.setUp(workload);
            live.stream(workload, 100);
            // A snapshot naming the wrong Chronicle index for its sequence.
            misplaced = dev.prepaid.journal.Snapshots.write(live.config.snapshotDirectory(), live.ledger,
                    new dev.prepaid.journal.Snapshots.Position(live.lastSequence(), live.chronicleIndexOf(live.lastSequence()) + 7,
                            live.ledger.lastTimestamp()));
            live.stream(workload, 100);
        }
        Files.copy(beyond, shorter.resolve("snapshots").resolve(beyond.getFileName()));
        final Run verify = run("verify", "--journal", shorter.toString());
        assertThat(verify.status()).isEqualTo(JournalTool.FAILED);
        assertThat(verify.out()).contains("snapshot " + beyond.getFileName() + " is at sequence")
                .contains("beyond the journal's last sequence")
                .contains("snapshot " + misplaced.getFileName() + " places sequence")
                .contains("the snapshot was not taken from this journal");
    }
}
