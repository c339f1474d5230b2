package dev.prepaid.journal.tools;

import dev.prepaid.command.CommandHeader;
import dev.prepaid.command.Outcome;
import dev.prepaid.journal.JournalConfig;
import dev.prepaid.journal.JournalCorruptException;
import dev.prepaid.journal.JournalReader;
import dev.prepaid.journal.Snapshots;
import dev.prepaid.ledger.Invariants;
import dev.prepaid.ledger.Ledger;
import dev.prepaid.ledger.LedgerConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.agrona.DirectBuffer;

/**
 * {@code journal verify}: replays the whole journal into a fresh ledger and, in the same pass, from each
 * snapshot on into the state that snapshot holds. At each snapshot's sequence the state digest of the replay
 * from scratch must equal the snapshot's; after it, both ledgers must give every command the same outcome
 * (the first command answered differently is reported); at the end the replay from scratch and the replay from
 * the newest usable snapshot must reach the same digest, and the ledger invariants must hold. A damaged
 * journal is reported with the reader's message (file and index). One read of the journal; at most two
 * ledgers in memory (plus one while a snapshot loads).
 */
final class Verify {
    private static final String PREFIX = "snapshot-";
    private static final String SUFFIX = ".snap";

    private final ToolOptions options;
    private final PrintStream out;
    private final CommandText text;
    private final List<String> problems = new ArrayList<>();
    private final ArrayDeque<Path> pending = new ArrayDeque<>();
    private final Ledger scratch;
    private final Outcome scratchOutcome = new Outcome();
    private final Outcome followerOutcome = new Outcome();
    private final StringBuilder line = new StringBuilder(512);

    /** The replay from the latest snapshot passed so far, in step with the replay from scratch. */
    private Ledger follower;
    private String followerName;
    private long followerStart;
    private boolean followerStartedEqual;
    private long followerDifferences;
    private boolean followerStateReported;
    private long lastEqualCheck;

    private Verify(final ToolOptions options, final PrintStream out) {
        this.options = options;
        this.out = out;
        this.text = new CommandText(options.zone);
        this.scratch = new Ledger(options.ledger);
    }

    static int run(final ToolOptions options, final PrintStream out, final PrintStream err) {
        final JournalConfig config = options.journalConfig();
        JournalWalk.requireJournal(config);
        return new Verify(options, out).verify(config);
    }

    /** The sequence in a snapshot file's name, or -1 when the name is not a snapshot's. */
    static long sequenceOf(final Path file) {
        final String name = file.getFileName().toString();
        if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX)) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
        } catch (final NumberFormatException e) {
            return -1;
        }
    }

    private int verify(final JournalConfig config) {
        final List<Path> snapshots = listSnapshots(config);
        final LedgerConfig ledger = options.ledger;
        out.println("verify journal " + config.directory().toAbsolutePath().normalize() + ": " + snapshots.size()
                + " snapshot" + (snapshots.size() == 1 ? "" : "s") + "; ledger capacities: " + ledger.maxCards()
                + " cards, transaction log " + ledger.transactionLogCapacity() + " (" + options.capacitiesSource + ")");
        pending.addAll(snapshots);
        while (!pending.isEmpty() && sequenceOf(pending.peek()) == 0) {
            checkSnapshot(pending.poll(), 0, -1);
        }
        final long[] lastTimestamp = {0};
        JournalReader.Result result = null;
        String damage = null;
        try (JournalReader reader = new JournalReader(config)) {
            result = reader.read(-1, 0, 0, (sequence, timestamp, command, offset, length, index) -> {
                lastTimestamp[0] = timestamp;
                return step(sequence, timestamp, command, offset, length, index);
            });
            if (result.tornTail()) {
                out.println("note: the journal ends with a torn record at " + reader.describe(result.tornTailIndex()) + " ("
                        + result.tornTailReason() + "): a write cut short by a crash, never answered; the switch cuts it off "
                        + "at its next start. Verified up to the record before it.");
            }
        } catch (final JournalCorruptException e) {
            damage = e.getMessage();
        }
        if (damage != null) {
            problem(damage + JournalWalk.archiveHint(config));
            out.println("verified up to sequence " + scratchAppliedSequence() + " before the damage");
            return finish();
        }
        final long last = result.lastSequence();
        for (final Path file : pending) {
            problem("snapshot " + file.getFileName() + " is at sequence " + sequenceOf(file) + ", beyond the journal's last "
                    + "sequence " + last + ": the journal has lost its tail, or the snapshot belongs to another journal");
        }
        pending.clear();
        end(last, lastTimestamp[0], result.commands());
        return finish();
    }

    private long scratchAppliedSequence() {
        return scratch.applied();
    }

    private List<Path> listSnapshots(final JournalConfig config) {
        final List<Path> snapshots = new ArrayList<>();
        try {
            for (final Path file : Snapshots.list(config.snapshotDirectory())) {
                if (sequenceOf(file) < 0) {
                    problem("snapshot file " + file.getFileName() + " has no sequence in its name (snapshot-<20 digits>.snap)");
                } else {
                    snapshots.add(file);
                }
            }
        } catch (final IOException e) {
            problem("cannot list the snapshots in " + config.snapshotDirectory() + ": " + e.getMessage());
        }
        Collections.reverse(snapshots);
        return snapshots;
    }

    private boolean step(final long sequence, final long timestamp, final DirectBuffer command, final int offset,
            final int length, final long index) {
        try {
            scratch.apply(command, offset, length, sequence, timestamp, scratchOutcome);
        } catch (final RuntimeException e) {
            problem("the replay from scratch stopped at sequence " + sequence + " (" + describe(command, offset, length)
                    + "): " + e);
            return false;
        }
        if (follower != null) {
            follow(sequence, timestamp, command, offset, length);
        }
        while (!pending.isEmpty() && sequenceOf(pending.peek()) <= sequence) {
            checkSnapshot(pending.poll(), sequence, index);
        }
        return true;
    }

    private void follow(final long sequence, final long timestamp, final DirectBuffer command, final int offset,
            final int length) {
        try {
            follower.apply(command, offset, length, sequence, timestamp, followerOutcome);
        } catch (final RuntimeException e) {
            problem("the replay from snapshot " + followerName + " stopped at sequence " + sequence + " ("
                    + describe(command, offset, length) + "): " + e);
            follower = null;
            return;
        }
        if (!sameOutcome(scratchOutcome, followerOutcome) && followerDifferences++ == 0) {
            line.setLength(0);
            line.append("first divergence after snapshot ").append(followerName).append(" at sequence ").append(sequence)
                    .append(' ').append(text.timestamp(timestamp)).append(' ');
            text.appendCommand(line, command, offset, length);
            line.append(": from scratch");
            CommandText.appendOutcome(line, typeOf(command, offset, length), scratchOutcome);
            line.append("; from the snapshot");
            CommandText.appendOutcome(line, typeOf(command, offset, length), followerOutcome);
            out.println("sequence " + sequence + ": " + line);
            problem(line.toString());
        }
        if (options.digestEvery > 0 && !followerStateReported && (sequence - followerStart) % options.digestEvery == 0) {
            final String expected = scratch.digestHex();
            final String actual = follower.digestHex();
            if (expected.equals(actual)) {
                lastEqualCheck = sequence;
            } else {
                followerStateReported = true;
                final String message = "the replays from scratch and from snapshot " + followerName + " hold different "
                        + "states at sequence " + sequence + " (they agreed at sequence " + lastEqualCheck
                        + "): from scratch " + expected + ", from the snapshot " + actual;
                out.println("sequence " + sequence + ": " + message);
                problem(message);
            }
        }
    }

    private void checkSnapshot(final Path file, final long sequence, final long index) {
        final String name = file.getFileName().toString();
        final String expected = scratch.digestHex();
        final Snapshots.Loaded loaded;
        try {
            loaded = Snapshots.read(file, options.ledger);
        } catch (final NoSuchFileException pruned) {
            out.println("sequence " + sequence + ": snapshot " + name + " was deleted while verifying (pruned by the switch)");
            return;
        } catch (final IOException | RuntimeException e) {
            final String message = "snapshot " + name + " cannot be read: " + e.getMessage();
            out.println("sequence " + sequence + ": " + message);
            problem(message);
            return;
        }
        if (loaded.position().sequence() != sequence) {
            problem("snapshot " + name + " holds sequence " + loaded.position().sequence() + " though its name says " + sequence);
        }
        if (sequence > 0 && loaded.position().chronicleIndex() != index) {
            problem("snapshot " + name + " places sequence " + sequence + " at Chronicle index "
                    + Long.toHexString(loaded.position().chronicleIndex()) + ", the journal has it at " + Long.toHexString(index)
                    + ": the snapshot was not taken from this journal");
        }
        final String actual = loaded.ledger().digestHex();
        final boolean equal = expected.equals(actual);
        final StringBuilder report = new StringBuilder("sequence ").append(sequence).append(": snapshot ").append(name);
        if (equal) {
            report.append(" matches the replay from scratch (digest ").append(actual).append(')');
        } else {
            report.append(" DIFFERS from the replay from scratch: the snapshot holds state digest ").append(actual)
                    .append(", the journal replayed from scratch gives ").append(expected);
            problem("snapshot " + name + " at sequence " + sequence + " does not hold the state the journal leads to "
                    + "(snapshot digest " + actual + ", replay from scratch " + expected + ")");
        }
        if (follower != null) {
            report.append("; the replay from snapshot ").append(followerName);
            if (followerDifferences > 0) {
                report.append(" answered ").append(followerDifferences).append(" command").append(followerDifferences == 1 ? "" : "s")
                        .append(" differently");
            } else {
                report.append(" gave every command the same outcome");
            }
            final String followed = follower.digestHex();
            if (followed.equals(expected)) {
                report.append(" and reaches the same state here");
            } else {
                report.append(" and reaches a different state here (").append(followed).append(')');
                if (followerStartedEqual) {
                    problem("the replay from snapshot " + followerName + " reaches sequence " + sequence + " with state digest "
                            + followed + ", the replay from scratch with " + expected);
                }
            }
        }
        out.println(report);
        follower = loaded.ledger();
        followerName = name;
        followerStart = sequence;
        followerStartedEqual = equal;
        followerDifferences = 0;
        followerStateReported = false;
        lastEqualCheck = sequence;
    }

    private void end(final long lastSequence, final long lastTimestamp, final long commands) {
        final String expected = scratch.digestHex();
        out.println("end at sequence " + lastSequence + (commands > 0 ? " (" + text.timestamp(lastTimestamp) + ")" : "")
                + ": the replay from scratch applied " + commands + " commands, state digest " + expected);
        if (follower != null) {
            final String actual = follower.digestHex();
            final long followed = lastSequence - followerStart;
            final StringBuilder report = new StringBuilder("the replay from the newest snapshot, ").append(followerName)
                    .append(", applied ").append(followed).append(" commands");
            if (followerDifferences > 0) {
                report.append(", answered ").append(followerDifferences).append(" differently,");
            }
            if (actual.equals(expected)) {
                report.append(" and reaches the same state digest");
            } else {
                report.append(" and reaches a DIFFERENT state digest ").append(actual);
                problem("the replay from the newest snapshot " + followerName + " ends with state digest " + actual
                        + ", the replay from scratch with " + expected);
            }
            out.println(report);
            invariants("the replay from snapshot " + followerName, follower);
        } else {
            out.println("no usable snapshot: only the replay from scratch was made");
        }
        invariants("the replay from scratch", scratch);
    }

    private void invariants(final String which, final Ledger ledger) {
        try {
            Invariants.check(ledger.state());
        } catch (final RuntimeException e) {
            problem("the ledger invariants do not hold after " + which + ": " + e.getMessage());
        }
    }

    private int finish() {
        if (problems.isEmpty() && options.capacitiesGuessed) {
            // Nothing said what sizes the switch ran with: the replay is sound, its outcomes are the switch's only
            // if those sizes are the defaults (a full transaction log changes which originals are still found).
            out.println("OK: the journal reads whole and replays; no snapshot records the switch's ledger sizes, so the"
                    + " replay assumed the defaults: give --max-cards and --transaction-log-capacity as in switch.yaml"
                    + " to replay exactly as the switch did");
            return JournalTool.OK;
        }
        if (problems.isEmpty()) {
            out.println("OK: the journal reads whole and every replay agrees");
            return JournalTool.OK;
        }
        out.println("FAILED: " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + "; the first:");
        out.println("  " + problems.get(0));
        for (int i = 1; i < problems.size() && i < 10; i++) {
            out.println("  then: " + problems.get(i));
        }
        if (problems.size() > 10) {
            out.println("  and " + (problems.size() - 10) + " more");
        }
        return JournalTool.FAILED;
    }

    private void problem(final String message) {
        problems.add(message);
    }

    private String describe(final DirectBuffer command, final int offset, final int length) {
        final StringBuilder description = new StringBuilder();
        text.appendCommand(description, command, offset, length);
        return description.toString();
    }

    private static int typeOf(final DirectBuffer command, final int offset, final int length) {
        return length >= CommandHeader.LENGTH ? CommandHeader.type(command, offset) : -1;
    }

    /** Every field of two outcomes equal. */
    static boolean sameOutcome(final Outcome a, final Outcome b) {
        return a.reason == b.reason && a.duplicate == b.duplicate && a.rrn == b.rrn && a.authCode == b.authCode
                && a.availableBalance == b.availableBalance && a.ledgerBalance == b.ledgerBalance && a.cardAmount == b.cardAmount
                && a.discount == b.discount && a.fee == b.fee && a.points == b.points && a.riskFlags == b.riskFlags
                && a.businessDate == b.businessDate && a.batch == b.batch && a.settlementFlag == b.settlementFlag
                && Objects.equals(a.issuerInstitutionId, b.issuerInstitutionId) && a.value1 == b.value1 && a.value2 == b.value2
                && Objects.equals(a.detail, b.detail);
    }
}
