package dev.prepaid.cluster;

import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.CommandHeader;
import dev.prepaid.command.Envelope;
import dev.prepaid.command.RecordCodec;
import dev.prepaid.operator.Operator;
import dev.prepaid.time.BusinessDays;
import dev.prepaid.command.Outcome;
import dev.prepaid.journal.ChronicleJournal;
import dev.prepaid.journal.JournalConfig;
import dev.prepaid.journal.JournalReader;
import dev.prepaid.pipeline.CommandEvent;
import dev.prepaid.ledger.Ledger;
import dev.prepaid.ledger.LedgerConfig;
import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.cluster.codecs.CloseReason;
import io.aeron.cluster.service.ClientSession;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredService;
import io.aeron.logbuffer.Header;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger as an Aeron Cluster service: the Raft log orders every command, and each node's service applies it
 * with the same {@link Ledger#apply} a single node uses, its time the log's timestamp, its sequence the count of
 * commands the ledger has applied (the same on every node, since every node applies the same log). The answer goes
 * back to the gateway that sent the command only from the leader, and only once the command is committed: a service
 * sees nothing of the log beyond the commit position.
 *
 * <p>A message from a gateway is {@code correlation (i64 LE) + command} (the bytes a single node journals); the answer
 * is {@code correlation + sequence (i64) + timestamp (i64, epoch ms) + OutcomeCodec}: where the command stands in the
 * ledger and the time it was applied at, as a single node's journal stamps them. A {@link #PROBE} instead of a command
 * changes nothing and is answered with the ledger's last sequence ({@link Outcome#value1}) and business date: what the
 * cluster holds at that point of the log, the same on every member. A gateway that resends a command after a leader change gets the ledger's own
 * answer to a repeat (terminal, batch and STAN; the operator's request id): nothing is applied twice.
 *
 * <p>Snapshots are the ledger's own snapshot stream ({@link Ledger#writeSnapshot}), in pieces
 * ({@link SnapshotStreams}); a node that starts from one reads it back with {@link Ledger#readSnapshot}, then the
 * cluster replays the log after it.
 */
public final class LedgerService implements ClusteredService {
    /** The correlation before the command, in a gateway's message and in the answer. */
    public static final int CORRELATION_LENGTH = 8;
    /** The answer's header: correlation, the command's sequence in the ledger, the time it was applied at. */
    public static final int ANSWER_HEADER_LENGTH = CORRELATION_LENGTH + 8 + 8;
    /** In place of a command (4 bytes after the correlation): a question of what the ledger holds, nothing applied. */
    public static final int PROBE = 0x50524F42;
    /**
     * In place of a command: the business is set up, run the cut-over and the expiry of holds (answered as a probe). A
     * front sends it once the bootstrap is in, or at its start on a business: the timers must not run during a
     * bootstrap, whose own cut-overs walk the business from its first sales' dates to today.
     */
    public static final int START_TIMERS = 0x54494D45;
    /** The length of a control message: the correlation and {@link #PROBE} or {@link #START_TIMERS}. */
    static final int CONTROL_LENGTH = CORRELATION_LENGTH + 4;
    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final Logger LOG = LoggerFactory.getLogger(LedgerService.class);

    /** The cluster timers of the switch's own commands: the daily cut-over and the expiry of holds. */
    static final long CUTOVER_TIMER = 1;
    static final long HOLD_EXPIRY_TIMER = 2;

    /**
     * When the business day changes ({@code zone}, {@code cutover}) and how often expired holds are released: the
     * switch's {@code business:} configuration, the same on every member.
     */
    public record Business(java.time.ZoneId zone, java.time.LocalTime cutover, int holdExpiryCheckSeconds) {
        public Business {
            if (holdExpiryCheckSeconds <= 0) {
                throw new IllegalArgumentException("holdExpiryCheckSeconds must be positive, got " + holdExpiryCheckSeconds);
            }
        }
    }

    private final LedgerConfig config;
    private final Business business;
    /** The member's own journal of what it applied (derived from the log), or null for none. */
    private final JournalConfig journalConfig;
    private ChronicleJournal journal;
    private final CommandEvent journaled = new CommandEvent();
    private long logTime;
    private final org.agrona.ExpandableArrayBuffer systemCommand = new org.agrona.ExpandableArrayBuffer(256);
    private Ledger ledger;
    private Cluster cluster;
    private final Outcome outcome = new Outcome();
    private final UnsafeBuffer answer = new UnsafeBuffer(new byte[64 * 1024]);
    private final java.util.concurrent.ConcurrentLinkedQueue<Inspection> inspections = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Inspections asked for a sequence the ledger has not reached yet; only the service's thread. */
    private final java.util.ArrayDeque<Inspection> waiting = new java.util.ArrayDeque<>();
    private volatile Listener listener;
    private volatile boolean started;
    private volatile long applied;
    /** Answers the egress could not take in time (the gateway gets them by resending). */
    private volatile long egressDropped;
    /** How long the leader's service waits for a full egress before leaving the answer to the gateway's resend. */
    private static final long EGRESS_PATIENCE_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(5);
    private volatile long loadedFromSnapshotAt;
    private volatile Cluster.Role role = Cluster.Role.FOLLOWER;

    /** Told of every command the member applies (replayed ones too), on the service's thread, right after. */
    @FunctionalInterface
    public interface Listener {
        /** Must not keep {@code command} or {@code outcome}: both are reused for the next command. */
        void applied(DirectBuffer command, int offset, int length, Outcome outcome);
    }

    /**
     * @param journal where this member keeps its journal of the commands it applies (the same records a single switch
     *        journals, so clearing, reports and the journal tools read it unchanged); null for none
     */
    public LedgerService(final LedgerConfig config, final Business business, final JournalConfig journal) {
        this.config = config;
        this.business = business;
        this.journalConfig = journal;
    }

    @Override
    public void onStart(final Cluster cluster, final Image snapshotImage) {
        this.cluster = cluster;
        if (snapshotImage == null) {
            ledger = new Ledger(config);
            openJournal();
            started = true;
            return;
        }
        final SnapshotStreams.In in = new SnapshotStreams.In(snapshotImage, cluster.idleStrategy());
        final Ledger.Restored restored = Ledger.readSnapshot(in, config);
        try {
            in.drain();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        ledger = restored.ledger();
        applied = ledger.lastSequence();
        loadedFromSnapshotAt = ledger.lastSequence();
        LOG.info("member {}: ledger loaded from the cluster's snapshot at command {} (log position {})", cluster.memberId(),
                ledger.lastSequence(), cluster.logPosition());
        openJournal();
        started = true;
    }

    /**
     * Opens the member's journal after its last record. The log replayed after a snapshot brings commands the journal
     * already has (a member's journal runs ahead of its last snapshot); they are applied but not written again. A
     * journal that ends before the snapshot cannot be filled in from here, so the member refuses to start.
     */
    private void openJournal() {
        if (journalConfig == null) {
            return;
        }
        final JournalReader.Result end;
        try (JournalReader reader = new JournalReader(journalConfig)) {
            end = reader.read(-1, 0, 0, (sequence, timestamp, command, offset, length, index) -> true);
        }
        if (end.lastSequence() < ledger.lastSequence()) {
            throw new IllegalStateException("member " + cluster.memberId() + ": its journal " + journalConfig.queueDirectory()
                    + " ends at command " + end.lastSequence() + " but the cluster's snapshot is at " + ledger.lastSequence()
                    + ": the commands between are not in it. Stop the member, copy a healthy member's journal directory"
                    + " over this one, and start it again (docs/operations.md, \"A ledger cluster\", replacing a member)");
        }
        journal = ChronicleJournal.open(journalConfig, () -> logTime, end.lastSequence(), end.lastTimestamp());
    }

    @Override
    public void onSessionOpen(final ClientSession session, final long timestamp) {
    }

    @Override
    public void onSessionClose(final ClientSession session, final long timestamp, final CloseReason closeReason) {
    }

    @Override
    public void onSessionMessage(final ClientSession session, final long timestamp, final DirectBuffer buffer,
            final int offset, final int length, final Header header) {
        final long correlation = buffer.getLong(offset, ORDER);
        final int commandLength = length - CORRELATION_LENGTH;
        final long time = Math.max(timestamp, ledger.lastTimestamp());
        final int control = length == CONTROL_LENGTH ? buffer.getInt(offset + CORRELATION_LENGTH, ORDER) : 0;
        if (control == PROBE || control == START_TIMERS) {
            if (control == START_TIMERS) {
                scheduleTimers(time);
            }
            outcome.reset();
            outcome.value1 = ledger.lastSequence();
            outcome.businessDate = ledger.state().businessDate();
        } else if (commandLength < CommandHeader.LENGTH || commandLength > CommandHeader.MAX_COMMAND_LENGTH) {
            // Not a command: every node refuses it alike (nothing applied), and the gateway is told.
            outcome.reset();
            outcome.reason = dev.prepaid.command.Reason.INVALID_ARGUMENT;
            outcome.detail = "a cluster message of " + length + " bytes is not a correlation and a command";
        } else {
            // The log's timestamps come from each term's leader's clock; the ledger's time never goes backwards.
            journalAndApply(buffer, offset + CORRELATION_LENGTH, commandLength, time);
        }
        answer.putLong(0, correlation, ORDER);
        answer.putLong(CORRELATION_LENGTH, ledger.lastSequence(), ORDER);
        answer.putLong(CORRELATION_LENGTH + 8, time, ORDER);
        final int answerLength = ANSWER_HEADER_LENGTH + OutcomeCodec.encode(outcome, answer, ANSWER_HEADER_LENGTH);
        offerAnswer(session, answerLength);
    }

    /**
     * A follower's session is a mock that drops the offer. On the leader, an egress full for a moment (a burst of answers
     * to one gateway) is waited out briefly: an answer given up on is only late — the gateway asks again after its
     * resend interval and the ledger answers the repeat — but seconds late for a terminal.
     */
    private void offerAnswer(final ClientSession session, final int answerLength) {
        long result = session.offer(answer, 0, answerLength);
        if (result > 0) {
            return;
        }
        final long deadline = System.nanoTime() + EGRESS_PATIENCE_NANOS;
        final org.agrona.concurrent.IdleStrategy idle = cluster.idleStrategy();
        idle.reset();
        while (result == io.aeron.Publication.BACK_PRESSURED || result == io.aeron.Publication.ADMIN_ACTION) {
            if (System.nanoTime() > deadline) {
                egressDropped++;
                return;
            }
            idle.idle();
            result = session.offer(answer, 0, answerLength);
        }
        if (result < 0 && result != io.aeron.Publication.NOT_CONNECTED) {
            egressDropped++; // closed, or past its maximum position: the gateway's resend is all that is left
        }
    }

    /**
     * A timer fired, in the log: every member applies the same system command at the same place. The cut-over's date is
     * computed from the log's time, as the single switch computes it from its clock.
     */
    @Override
    public void onTimerEvent(final long correlationId, final long timestamp) {
        final long time = Math.max(timestamp, ledger.lastTimestamp());
        if (correlationId == CUTOVER_TIMER) {
            final int due = BusinessDays.dateAt(java.time.Instant.ofEpochMilli(time), business.zone(), business.cutover());
            if (due > ledger.state().businessDate()) {
                applySystem(new AdminCommand.Cutover(due), "cut-over (daily)", time);
                LOG.info("member {}: cut-over to {}: {}", cluster.memberId(), due, outcome);
            }
            cluster.scheduleTimer(CUTOVER_TIMER, nextCutover(time));
        } else if (correlationId == HOLD_EXPIRY_TIMER) {
            applySystem(new AdminCommand.ExpireHolds(), "hold expiry", time);
            cluster.scheduleTimer(HOLD_EXPIRY_TIMER, time + business.holdExpiryCheckSeconds() * 1_000L);
        }
    }

    /**
     * Asked by {@link #START_TIMERS}, in the log (so every member schedules alike): once the business has a date, the
     * cut-over and hold expiry run; asked again (another front's start), the timers are only set again.
     */
    private void scheduleTimers(final long time) {
        if (ledger.state().businessDate() == 0) {
            return;
        }
        // A business day behind the log's time (the cluster was down across a cut-over, or the bootstrap named an earlier
        // date) is caught up at once, as a single switch does at its start.
        final boolean behind = BusinessDays.dateAt(java.time.Instant.ofEpochMilli(time), business.zone(), business.cutover())
                > ledger.state().businessDate();
        cluster.scheduleTimer(CUTOVER_TIMER, behind ? time : nextCutover(time));
        cluster.scheduleTimer(HOLD_EXPIRY_TIMER, time + business.holdExpiryCheckSeconds() * 1_000L);
    }

    private long nextCutover(final long time) {
        // A few milliseconds late rather than early: the date is computed from the log's time when the timer fires.
        return BusinessDays.nextCutover(java.time.Instant.ofEpochMilli(time), business.zone(), business.cutover())
                .toEpochMilli() + 5;
    }

    private void applySystem(final AdminCommand command, final String why, final long time) {
        final int length = RecordCodec.encode(new Envelope(Operator.SYSTEM_ID, 0, "cluster", why), command, systemCommand, 0);
        journalAndApply(systemCommand, 0, length, time);
    }

    /** As a single switch's pipeline: journal the command (unless the journal has it already), then apply it. */
    private void journalAndApply(final DirectBuffer buffer, final int offset, final int length, final long time) {
        final long sequence = ledger.lastSequence() + 1;
        if (journal != null && sequence == journal.nextSequence()) {
            journaled.command.putBytes(0, buffer, offset, length);
            journaled.length = length;
            logTime = time;
            try {
                journal.append(journaled, true);
            } catch (final IOException e) {
                throw new UncheckedIOException("member " + cluster.memberId() + ": journal append at " + sequence + ": " + e, e);
            }
            if (journaled.timestampMillis != time) {
                throw new IllegalStateException("member " + cluster.memberId() + ": the journal stamped " + journaled.timestampMillis
                        + " on command " + sequence + ", the log says " + time);
            }
        }
        ledger.apply(buffer, offset, length, sequence, time, outcome);
        applied = ledger.lastSequence();
        final Listener told = listener;
        if (told != null) {
            told.applied(buffer, offset, length, outcome);
        }
    }

    @Override
    public void onTakeSnapshot(final ExclusivePublication snapshotPublication) {
        try (SnapshotStreams.Out out = new SnapshotStreams.Out(snapshotPublication, cluster.idleStrategy())) {
            ledger.writeSnapshot(out, ledger.lastSequence());
            LOG.info("member {}: snapshot of the ledger at command {}, {} bytes", cluster.memberId(), ledger.lastSequence(),
                    out.bytes());
        } catch (final IOException e) {
            throw new UncheckedIOException("the ledger's snapshot could not be written into the cluster's: " + e, e);
        }
    }

    @Override
    public void onRoleChange(final Cluster.Role newRole) {
        role = newRole;
        LOG.info("member {}: now {}", cluster.memberId(), newRole);
    }

    @Override
    public void onTerminate(final Cluster cluster) {
        closeJournal();
    }

    /** Closes the member's journal (the container calls {@link #onTerminate} only when the cluster asks it to stop). */
    void closeJournal() {
        if (journal != null) {
            journal.close();
            journal = null;
        }
    }

    /**
     * Answers the inspections asked from other threads, on the service's own thread, between commands; one asked for a
     * sequence the ledger has not reached waits for it.
     */
    @Override
    public int doBackgroundWork(final long nowNs) {
        int work = 0;
        Inspection asked;
        while ((asked = inspections.poll()) != null) {
            waiting.add(asked);
        }
        if (waiting.isEmpty()) {
            return 0;
        }
        final long last = ledger.lastSequence();
        for (int i = waiting.size(); i > 0; i--) {
            final Inspection next = waiting.poll();
            if (next.atLeast <= last) {
                next.answer(ledger);
                work++;
            } else {
                waiting.add(next);
            }
        }
        return work;
    }

    /** The commands this node's ledger has applied (its last sequence). */
    public long applied() {
        return applied;
    }

    /** Answers this member (as leader) could not put on a full egress in time; each was answered when resent. */
    public long egressDropped() {
        return egressDropped;
    }

    /** The command of the cluster's snapshot this node's ledger started from; 0 when it started empty. */
    public long loadedFromSnapshotAt() {
        return loadedFromSnapshotAt;
    }

    /** This node's role, as the cluster last told it. */
    public Cluster.Role role() {
        return role;
    }

    /** True once the ledger is loaded (empty, or from the cluster's snapshot) and the log is being applied to it. */
    public boolean started() {
        return started;
    }

    /** Tells {@code listener} of every command from now on (null: no one); set it before the member starts. */
    public void onApplied(final Listener listener) {
        this.listener = listener;
    }

    /**
     * Reads the ledger on the service's thread (never from another: it owns the state), e.g. its digest; the future
     * completes when the service next has a moment between commands.
     */
    public <T> CompletableFuture<T> inspect(final Function<Ledger, T> reading) {
        final CompletableFuture<T> result = new CompletableFuture<>();
        inspectAfter(0, ledger -> {
            try {
                result.complete(reading.apply(ledger));
            } catch (final RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /**
     * Runs {@code reading} on the service's thread once the ledger has applied command {@code sequence} (at once when it
     * has): a gateway's read then sees at least every command it has been answered for. {@code reading} must not throw.
     */
    public void inspectAfter(final long sequence, final java.util.function.Consumer<Ledger> reading) {
        inspections.add(new Inspection(sequence, reading));
    }

    private static final class Inspection {
        final long atLeast;
        final java.util.function.Consumer<Ledger> reading;

        Inspection(final long atLeast, final java.util.function.Consumer<Ledger> reading) {
            this.atLeast = atLeast;
            this.reading = reading;
        }

        void answer(final Ledger ledger) {
            reading.accept(ledger);
        }
    }
}
