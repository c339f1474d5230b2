package dev.prepaid.server;

import com.sun.net.httpserver.HttpServer;
import dev.prepaid.time.BusinessDays;
import dev.prepaid.admin.AdminRoutes;
import dev.prepaid.admin.AdminServer;
import dev.prepaid.admin.AdminSessions;
import dev.prepaid.admin.Applied;
import dev.prepaid.admin.LedgerAccess;
import dev.prepaid.admin.TerminalKeys;
import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.Envelope;
import dev.prepaid.command.Outcome;
import dev.prepaid.config.Bootstrap;
import dev.prepaid.config.BootstrapCommand;
import dev.prepaid.config.ConfigException;
import dev.prepaid.config.KeyNames;
import dev.prepaid.config.PasswordHasher;
import dev.prepaid.config.StartChecks;
import dev.prepaid.config.SwitchConfig;
import dev.prepaid.iso8583.Dialect;
import dev.prepaid.journal.ChronicleJournal;
import dev.prepaid.journal.JournalConfig;
import dev.prepaid.journal.Recovery;
import dev.prepaid.journal.SnapshotFollower;
import dev.prepaid.journal.WriterLock;
import dev.prepaid.ledger.LedgerState;
import dev.prepaid.operator.Operator;
import dev.prepaid.pipeline.CommandRing;
import dev.prepaid.pipeline.Pipeline;
import dev.prepaid.pipeline.Stage;
import dev.prepaid.security.DesKey;
import dev.prepaid.security.MasterFileKey;
import dev.prepaid.security.StoredKeys;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running switch, assembled from its configuration: checks, keys, recovery, the journal → ledger → reply
 * pipeline, the snapshot follower, the bootstrap of a first start, the POS listener, the metrics endpoint and
 * the switch's own timers (the daily cut-over, expiry of pre-authorisation holds).
 *
 * <p>Start order matters: nothing listens until the ledger is recovered and the bootstrap (if any) is journaled
 * and applied, so a terminal never sees a half-built business. Stop order is the reverse: terminals first, then
 * the ring drains, then the journal closes, and a last snapshot makes the next start quick.
 */
public final class SwitchServer implements AutoCloseable, LedgerAccess {
    private static final Logger LOG = LoggerFactory.getLogger(SwitchServer.class);
    /** Field 63 of responses: the card organisation (pos-iso8583 §3). */
    public static final String CARD_ORGANISATION = "CUP";
    /** How long a stop waits for the ring to drain and for the last snapshot. */
    private static final long STOP_TIMEOUT_MS = 30_000;
    private static final long SUBMIT_TIMEOUT_MS = 60_000;
    /** How long a cluster front waits for its member to catch up with the cluster before it serves. */
    private static final long CATCH_UP_TIMEOUT_MS = 600_000;

    private final SwitchConfig config;
    private final Clock clock;
    private final ZoneId zone;
    /** The single node's hold on its journal; null for a cluster's front, whose member holds it. */
    private final WriterLock writerLock;
    /** The single node's journal and snapshot follower; null for a cluster's front (the member journals, the cluster snapshots). */
    private final ChronicleJournal journal;
    private final SnapshotFollower follower;
    /** The cluster member this switch is the front of, or null for a single node. */
    private final ClusterFront front;
    /** Clears and reconciles each business day after its cut-over, on its own thread; on demand for any past day. */
    private final dev.prepaid.clearing.daily.ClearingService clearing;
    /** The single node's pipeline, or a cluster's gateway ring. */
    private final CommandRing pipeline;
    private final SwitchMetrics metrics;
    private final PosServer pos;
    /** IO_THREAD: the one I/O thread the POS server serves on and the pipeline's stages run on; else null. */
    private final io.netty.channel.EventLoopGroup stagesOnIo;
    private final HttpServer metricsHttp;
    private final AdminServer admin;
    /** Where the admin endpoint's futures continue: never on a stage thread of the ring. */
    private final java.util.concurrent.ExecutorService adminWork;
    /** Payout files and clearing files are made, written and read here: disk work, off the endpoint's loop and the admin-work thread. */
    private final java.util.concurrent.ExecutorService payoutWork;
    /** Argon2id for logins and password changes: two at a time, a short queue, then "busy". */
    private final java.util.concurrent.ThreadPoolExecutor passwordWork;
    private final ScheduledExecutorService timers;
    /** The bootstrap this start applied; written during the start only. */
    private Bootstrap bootstrap;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final AtomicBoolean followerFailureLogged = new AtomicBoolean();
    /** The business date as the switch last saw it applied (yyyymmdd); written by the timer thread only. */
    private volatile int businessDate;

    private SwitchServer(final SwitchConfig config, final Clock clock, final ClusterFront front) {
        this.config = config;
        this.clock = clock;
        this.front = front;
        this.zone = config.business().timeZone();
        StartChecks.verify(config);

        final MasterFileKey mfk;
        final StoredKeys keys;
        try {
            mfk = config.keys().loadMasterFileKey();
            keys = config.keys().loadKeyFile(mfk);
        } catch (final ConfigException e) {
            // Like every other start problem: which configuration, then which key of it.
            throw new ConfigException(config.file() + ": " + e.getMessage(), e);
        }
        if (mfk.isDevelopmentKey()) {
            LOG.warn("*** DEVELOPMENT KEYS: the master file key is the shipped, public demo key (check value {})."
                    + " Every key in {} can be read by anyone. Never use this configuration with real cards. ***",
                    mfk.checkValueHex(), config.keys().keyFile());
        }
        final DesKey pinVerificationKey = keys.find(KeyNames.PIN_VERIFICATION_KEY);
        if (pinVerificationKey == null) {
            throw new ConfigException(config.file() + ": keys.keyFile: " + config.keys().keyFile() + " has no '"
                    + KeyNames.PIN_VERIFICATION_KEY + "' entry (the PIN verification key); PINs cannot be checked");
        }
        final Dialect dialect;
        try {
            dialect = Dialect.load(config.dialect());
        } catch (final RuntimeException e) {
            throw new ConfigException(config.file() + ": dialect: " + e.getMessage(), e);
        }
        if (config.server().maxFrameBytes() > dialect.maxFrameLength) {
            throw new ConfigException(config.file() + ": server.maxFrameBytes: " + config.server().maxFrameBytes()
                    + " is more than the dialect's longest frame (" + dialect.maxFrameLength + " bytes in "
                    + config.dialect() + "); lower it, or raise the dialect's maximum first");
        }

        final JournalConfig journalConfig = config.journal().journal();
        // Before recovery: a second switch on this journal must not even read it as if it were the only writer. A
        // cluster's front leaves the journal to its member, which alone writes it.
        this.writerLock = front == null ? WriterLock.acquire(journalConfig.directory()) : null;
        try {
            final LedgerState state;
            final Recovery.Recovered recovered;
            final boolean firstStart;
            if (front == null) {
                ChronicleJournal.requireFreeSpace(journalConfig);
                recovered = Recovery.recover(journalConfig, config.ledger());
                LOG.info("recovered to journal sequence {} ({} commands replayed in {} ms{})", recovered.lastSequence(),
                        recovered.replayed(), recovered.millis(),
                        recovered.snapshot() == null ? "" : ", from snapshot " + recovered.snapshot().getFileName());
                firstStart = recovered.lastSequence() == 0;
                state = recovered.ledger().state();
            } else {
                recovered = null;
                firstStart = false; // asked of the cluster below, once the gateway is connected
                state = front.memberState();
            }
            this.bootstrap = firstStart && config.bootstrap().isPresent() ? loadBootstrap(keys) : null;
            if (front == null && !firstStart && config.bootstrap().isPresent()) {
                // An operator who edited the bootstrap file expects to see it applied: say why it is not.
                LOG.info("bootstrap {} not read: it is applied on a first start only, and this journal holds a business"
                        + " (sequence {}); changes to a running business are operator commands", config.bootstrap().get(),
                        recovered.lastSequence());
            }

            final int auditKept = state.audit().capacity();
            final Directory directory = new Directory(state::binTable);
            this.businessDate = state.businessDate();
            final Sessions sessions = new Sessions();

            final CommandRing[] ring = new CommandRing[1];
            final int ringSize = config.pipeline().ringSize();
            this.metrics = new SwitchMetrics(() -> ring[0] == null ? ringSize : ring[0].remainingCapacity(), ringSize,
                    state.transactions(), state::businessDay);
            metrics.booksOutOfBalance.set(recovered == null || recovered.booksOff() == null ? 0 : 1);
            final String acquirer = config.business().acquirerInstitutionId();
            final Replies replies = new Replies(dialect, new ResponseWriter(dialect, acquirer, CARD_ORGANISATION, zone),
                    sessions, directory, keys, metrics);

            if (front == null) {
                directory.refresh(state);
                this.journal = ChronicleJournal.open(journalConfig, clock::millis, recovered.lastSequence(),
                        recovered.lastTimestamp());
                final Pipeline local = new Pipeline(config.pipeline(), journal, recovered.ledger(), replies, this::fatal,
                        threads("stage", true), metrics.ledgerHoldWatch);
                if (config.pipeline().layout() == dev.prepaid.pipeline.StageLayout.IO_THREAD) {
                    // One I/O thread, made before anything is published (the bootstrap comes before the listener), and
                    // stopped after the pipeline has drained.
                    this.stagesOnIo = PosServer.ioThreads(1, dev.prepaid.pipeline.StageLayout.IO_THREAD_NAME);
                    local.runOn(stagesOnIo.next());
                } else {
                    this.stagesOnIo = null;
                }
                this.pipeline = local;
                this.follower = new SnapshotFollower(journalConfig, config.ledger(), config.journal().snapshotEveryCommands(),
                        config.journal().snapshotsKept());
            } else {
                this.journal = null;
                this.follower = null;
                this.stagesOnIo = null; // the front's ring answers on its gateway's thread whatever the layout
                this.pipeline = front.connect(ringSize, replies, directory, this::fatal);
            }
            ring[0] = pipeline;
            this.clearing = new dev.prepaid.clearing.daily.ClearingService(journalConfig, config.ledger(),
                    dev.prepaid.clearing.daily.ClearingService.directoryOf(journalConfig), new ClearingRecorder(),
                    clock::millis, 500);
            metrics.reconciliationHeldDays.set(state.reconciliationHeldDays().length);
            this.timers = Executors.newSingleThreadScheduledExecutor(threads("switch-timers", true));
            PosServer listener = null;
            HttpServer http = null;
            AdminServer adminServer = null;
            this.adminWork = Executors.newSingleThreadExecutor(threads("admin-work", true));
            this.payoutWork = new java.util.concurrent.ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                    new java.util.concurrent.ArrayBlockingQueue<>(16), threads("payout-files", true));
            this.passwordWork = new java.util.concurrent.ThreadPoolExecutor(1, 2, 60, TimeUnit.SECONDS,
                    new java.util.concurrent.ArrayBlockingQueue<>(16), threads("admin-passwords", true));
            try {
                pipeline.start();
                if (front == null) {
                    follower.start();
                    openAuditTrail(auditKept, 0);
                    if (bootstrap != null) {
                        applyBootstrap(bootstrap, false);
                    }
                    catchUpBusinessDate();
                } else {
                    bootstrapCluster(keys);
                }
                completePayoutFiles();
                if (config.business().clearing()) {
                    clearing.start();
                }
                if (front == null) {
                    scheduleTimers(); // a cluster's cut-over and hold expiry are the cluster's timers, in its log
                }
                final int ioThreads = stagesOnIo != null ? 1 : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
                listener = new PosServer(
                        new PosServer.Options(config.server(), ioThreads, acquirer, CARD_ORGANISATION, zone),
                        dialect, pipeline, directory, sessions, keys, pinVerificationKey, metrics, stagesOnIo);
                try {
                    listener.start();
                } catch (final IllegalStateException e) {
                    // The start checks found the port free, but something took it since: still a start problem.
                    throw new ConfigException(config.file() + ": server.port: " + e.getMessage(), e);
                }
                http = config.metrics().enabled() ? startMetrics() : null;
                if (config.admin().enabled()) {
                    adminServer = startAdmin(keys, mfk);
                }
            } catch (final RuntimeException e) {
                if (adminServer != null) {
                    adminServer.close();
                }
                if (http != null) {
                    http.stop(0);
                }
                adminWork.shutdownNow();
                payoutWork.shutdownNow();
                passwordWork.shutdownNow();
                if (listener != null) {
                    listener.close();
                }
                timers.shutdownNow();
                clearing.close();
                pipeline.close(0);
                if (stagesOnIo != null) {
                    stagesOnIo.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
                }
                if (front == null) {
                    journal.close();
                    follower.close();
                }
                throw e;
            }
            this.pos = listener;
            this.metricsHttp = http;
            this.admin = adminServer;
            LOG.info("switch ready{}: POS on {}:{}, metrics {}, admin {}, business date {}, journal {} ({})",
                    front == null ? "" : " as the front of cluster member " + front.member(),
                    config.server().host(), pos.port(),
                    http == null ? "off" : "on " + config.metrics().host() + ":" + http.getAddress().getPort(),
                    adminServer == null ? "off" : "on " + (config.admin().tls() ? "https://" : "http://")
                            + config.admin().host() + ":" + adminServer.port(),
                    businessDate, journalConfig.directory(), journalConfig.durability());
        } catch (final RuntimeException | Error e) {
            if (writerLock != null) {
                writerLock.close();
            }
            throw e;
        }
    }

    /**
     * Checks the configuration against the machine, recovers the ledger, applies the bootstrap on a first start
     * and starts listening.
     *
     * @throws ConfigException one line naming what is wrong with the configuration or the machine
     */
    public static SwitchServer start(final SwitchConfig config) {
        return new SwitchServer(config, Clock.systemUTC(), null);
    }

    /** As {@link #start(SwitchConfig)} with another clock for journal timestamps and business dates (tests). */
    static SwitchServer start(final SwitchConfig config, final Clock clock) {
        return new SwitchServer(config, clock, null);
    }

    /**
     * Starts the switch as the front of a cluster member running in this process: terminals and operators are served
     * as by a single node, but every command goes through the cluster's log ({@link ClusterFront}) and reads are
     * answered by the member's ledger. The member's journal is the switch's ({@code config}'s journal directory must
     * be the member's), so clearing and reports work as on a single node. The member itself is not stopped with it.
     */
    public static SwitchServer startFront(final SwitchConfig config, final ClusterFront front) {
        return new SwitchServer(config, Clock.systemUTC(), front);
    }

    /** The port terminals connect to. */
    public int posPort() {
        return pos.port();
    }

    /** The metrics port, or -1 when metrics are off. */
    public int metricsPort() {
        return metricsHttp == null ? -1 : metricsHttp.getAddress().getPort();
    }

    /** Connections the admin endpoint holds open now (0 when it is off). */
    public int adminConnections() {
        return admin == null ? 0 : admin.connections();
    }

    /** The admin endpoint's port, or -1 when it is off. */
    public int adminPort() {
        return admin == null ? -1 : admin.port();
    }

    /** The bootstrap this start applied, or null when the journal already had a business. */
    public Bootstrap appliedBootstrap() {
        return bootstrap;
    }

    /** The configuration the switch runs on. */
    public SwitchConfig config() {
        return config;
    }

    /** The metrics in Prometheus text format (what {@code GET /metrics} answers). */
    public String metricsText() {
        return prometheus();
    }

    /** The switch's metrics, and a cluster front's own after them. */
    private String prometheus() {
        return front == null ? metrics.prometheus() : metrics.prometheus() + front.prometheus();
    }

    /** Completes when the switch has stopped: by {@link #close()}, or exceptionally after a fatal failure. */
    public CompletableFuture<Void> stopped() {
        return stopped;
    }

    /**
     * Publishes an operator command and waits until it is journaled and applied.
     *
     * @throws IllegalStateException when the switch is stopping or failed, or the command was not applied in time
     */
    public Applied submitAndWait(final Envelope envelope, final AdminCommand command) {
        final Submission submission = publish(envelope, command);
        try {
            return submission.result.get(SUBMIT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + command.getClass().getSimpleName(), e);
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException(command.getClass().getSimpleName() + " was not applied within "
                    + SUBMIT_TIMEOUT_MS + " ms" + (failure.get() == null ? front == null ? "" : " (is the cluster short of a"
                    + " majority? bin/prepaid cluster status)" : ": the pipeline failed: " + failure.get()), e);
        }
    }

    /**
     * Publishes an operator command for the admin endpoint without blocking: a ring that stays full for a moment
     * answers {@link LedgerAccess.Busy}, and the future continues on the admin's own thread, not the reply stage's.
     */
    @Override
    public CompletableFuture<Applied> submit(final Envelope envelope, final AdminCommand command) {
        final Submission submission = new Submission(resendable(envelope), command);
        if (!publishBriefly(() -> pipeline.tryPublish(Submission.WRITER, submission))) {
            return CompletableFuture.failedFuture(new LedgerAccess.Busy(busyReason(), failure.get() == null && !stopping.get()));
        }
        return submission.result.thenApplyAsync(applied -> applied, adminWork);
    }

    /** Reads the ledger through the ring (never journaled); continues on the admin's own thread. */
    @Override
    public <T> CompletableFuture<T> read(final java.util.function.Function<LedgerState, T> read) {
        return readBriefly(read).thenApplyAsync(value -> value, adminWork);
    }

    @Override
    public <T> CompletableFuture<T> readBriefly(final java.util.function.Function<LedgerState, T> read) {
        final QueryReply<T> query = new QueryReply<>(read);
        if (!publishBriefly(() -> pipeline.tryQuery(query))) {
            return CompletableFuture.failedFuture(new LedgerAccess.Busy(busyReason(), failure.get() == null && !stopping.get()));
        }
        return query.result;
    }

    /** Tries to publish for up to a millisecond: a full ring under a POS burst drains that fast. */
    private boolean publishBriefly(final java.util.function.BooleanSupplier attempt) {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
        while (!attempt.getAsBoolean()) {
            if (failure.get() != null || stopping.get() || System.nanoTime() > deadline) {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }

    private String busyReason() {
        return failure.get() != null ? "the switch failed" : stopping.get() ? "the switch is stopping" : "the ring is full";
    }

    private Submission publish(final Envelope envelope, final AdminCommand command) {
        final Submission submission = new Submission(resendable(envelope), command);
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SUBMIT_TIMEOUT_MS);
        while (!pipeline.tryPublish(Submission.WRITER, submission)) {
            if (failure.get() != null || stopping.get()) {
                throw new IllegalStateException("the switch is " + (failure.get() != null ? "failed: " + failure.get()
                        : "stopping") + "; " + command.getClass().getSimpleName() + " was not published");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the ring stayed full for " + SUBMIT_TIMEOUT_MS + " ms; "
                        + command.getClass().getSimpleName() + " was not published");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
        return submission;
    }

    // ------------------------------------------------------------------ the audit trail

    /**
     * Journals the audit trail the configuration asks for ({@code ledger.auditEntries}) when the ledger keeps another
     * size or none yet — before the bootstrap, so a new business's set-up is in the trail. A journal of a build before
     * the trail gets it from here on; what came before is in the journal only.
     */
    private void openAuditTrail(final int kept, final long requestId) {
        final int wanted = config.ledger().auditEntries();
        if (kept == wanted) {
            return;
        }
        final Applied applied = submitAndWait(new Envelope(Operator.SYSTEM_ID, requestId, "switch", kept == 0
                ? "audit trail opened" : "audit trail resized from " + kept), new AdminCommand.OpenAuditTrail(wanted));
        if (!applied.outcome().approved()) {
            throw new IllegalStateException("the audit trail of " + wanted + " entries was refused by the ledger: "
                    + applied.outcome());
        }
        if (kept == 0) {
            LOG.info("audit trail opened at journal sequence {}: the last {} operator and system decisions are kept",
                    applied.journalSequence(), wanted);
        } else {
            LOG.info("audit trail resized from {} to {} entries at journal sequence {} (the newest are kept)", kept, wanted,
                    applied.journalSequence());
        }
    }

    // ------------------------------------------------------------------ bootstrap

    private Bootstrap loadBootstrap(final StoredKeys keys) {
        final java.nio.file.Path file = config.bootstrap().orElseThrow();
        final Bootstrap loaded = Bootstrap.load(file, Bootstrap.Options.of(config, keys, clock));
        // Applied to a scratch ledger first: a refusal must stop the start before anything is journaled, or the
        // journal would keep half a business and the next start would not bootstrap again.
        loaded.rehearse();
        LOG.info("first start on an empty journal: bootstrap {} ({} commands)", file, loaded.commands().size());
        return loaded;
    }

    /**
     * Publishes the bootstrap's commands in order and waits for each to be approved. A cluster's front gives every
     * command a request id of the bootstrap's own ({@link #BOOTSTRAP_REQUESTS} + its place) and keeps no more in flight
     * than the ledger remembers requests: a command resent after a leader change is then answered as a repeat, never
     * applied twice.
     */
    private void applyBootstrap(final Bootstrap boot, final boolean withRequestIds) {
        final long started = System.nanoTime();
        final List<BootstrapCommand> commands = boot.commands();
        final int window = withRequestIds ? Math.max(1, Math.min(256, config.ledger().adminRequestMemory() / 2))
                : Integer.MAX_VALUE;
        final List<Submission> submitted = new ArrayList<>(commands.size());
        int answered = 0;
        for (int i = 0; i < commands.size(); i++) {
            if (i - answered >= window) {
                awaitBootstrapped(submitted.get(answered), commands.get(answered));
                answered++;
            }
            final BootstrapCommand command = commands.get(i);
            final Envelope given = command.envelope();
            submitted.add(publish(withRequestIds ? new Envelope(given.operatorId(), BOOTSTRAP_REQUESTS + 1 + i,
                    given.source(), given.note()) : given, command.command()));
        }
        for (; answered < submitted.size(); answered++) {
            awaitBootstrapped(submitted.get(answered), commands.get(answered));
        }
        businessDate = Math.max(businessDate, boot.businessDate());
        LOG.info("bootstrap applied: {} commands in {} ms", submitted.size(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private void awaitBootstrapped(final Submission submission, final BootstrapCommand command) {
        final Applied applied;
        try {
            applied = submission.result.get(SUBMIT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the bootstrap", e);
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("bootstrap command " + command.entry() + " was not applied"
                    + (failure.get() == null ? "" : ": " + failure.get()), e);
        }
        if (!applied.outcome().approved()) {
            // The rehearsal approved it, so this is a bug, not bad input: stop loudly.
            throw new IllegalStateException("bootstrap " + command.entry() + " refused by the ledger after the rehearsal"
                    + " approved it: " + applied.outcome().reason
                    + (applied.outcome().detail == null ? "" : " (" + applied.outcome().detail + ")"));
        }
        if (applied.outcome().businessDate > 0) {
            businessDate = Math.max(businessDate, applied.outcome().businessDate);
        }
    }

    /**
     * A cluster front's gateway sends a command again after a leader change, and only a request id lets the ledger
     * know the repeat: the switch's own commands without one (a login recorded, a PIN loaded, payout files recorded)
     * get one here, unique to this front and start. A single node never resends, so its commands keep theirs.
     */
    private Envelope resendable(final Envelope envelope) {
        if (front == null || envelope.requestId() != 0) {
            return envelope;
        }
        final long id = SYSTEM_REQUESTS | (long) front.member() << 52 | systemRequests.incrementAndGet() & LOW_52_BITS;
        return new Envelope(envelope.operatorId(), id, envelope.source(), envelope.note());
    }

    /**
     * The request ids a cluster front gives its own commands: a tag byte, the member (bits 52-53), then its start in
     * milliseconds × 1024 plus a count (bits 0-51).
     */
    static final long SYSTEM_REQUESTS = 0x7300_0000_0000_0000L;
    private static final long LOW_52_BITS = (1L << 52) - 1;
    /** Seeded with the start's millisecond × 1024, so a restarted front does not reuse an id its last run gave. */
    private final AtomicLong systemRequests = new AtomicLong(System.currentTimeMillis() << 10);

    /** The request ids of a cluster's bootstrap: its audit trail is this one, its commands the next ones. */
    static final long BOOTSTRAP_REQUESTS = 0x7062_0000_0000_0000L;
    /** The request ids of reconciliations a cluster's fronts record: every front records the same one, once. */
    static final long RECONCILIATION_REQUESTS = 0x7263_0000_0000_0000L;

    /**
     * A cluster's front at start: asks the cluster (through its log, so the answer is the whole cluster's) whether its
     * ledger holds a business. An empty one is bootstrapped by the front of member 0 only, so three fronts starting
     * together bootstrap it once.
     */
    private void bootstrapCluster(final StoredKeys keys) {
        final Outcome held = front.probe(SUBMIT_TIMEOUT_MS);
        if (held.value1 > 0) {
            front.awaitMemberAt(held.value1, CATCH_UP_TIMEOUT_MS);
            businessDate = held.businessDate;
            if (config.bootstrap().isPresent()) {
                LOG.info("bootstrap {} not read: the cluster's ledger holds a business (command {}); changes to a running"
                        + " business are operator commands", config.bootstrap().get(), held.value1);
            }
            front.startTimers(SUBMIT_TIMEOUT_MS); // (again: another front's start, or a restart, only sets them again)
            return;
        }
        if (!front.bootstraps()) {
            LOG.info("the cluster's ledger is empty: the front of member 0 bootstraps it; terminals are refused until"
                    + " then");
            return;
        }
        openAuditTrail(0, BOOTSTRAP_REQUESTS);
        if (config.bootstrap().isEmpty()) {
            LOG.warn("the cluster's ledger is empty and {} names no bootstrap: every terminal is refused until the"
                    + " business is set up", config.file());
            return;
        }
        bootstrap = loadBootstrap(keys);
        applyBootstrap(bootstrap, true);
        // Only now: the bootstrap's own cut-overs walk the business from its first sales' dates to today, and a cut-over
        // timer catching up meanwhile would refuse them (BUSINESS_DATE_NOT_LATER).
        final Outcome started = front.startTimers(SUBMIT_TIMEOUT_MS);
        businessDate = Math.max(businessDate, started.businessDate);
    }

    // ------------------------------------------------------------------ business day and holds

    /** After downtime across a cut-over, the ledger is moved to today's business date before terminals connect. */
    private void catchUpBusinessDate() {
        if (businessDate == 0) {
            LOG.warn("the business is empty (an empty journal and no bootstrap file): no issuer, cards, merchants or"
                    + " terminals, so every terminal is refused and no cut-over runs. Stop, set 'bootstrap:' in {} (the"
                    + " format is config/demo/bootstrap.yaml) on an empty journal directory, and start again",
                    config.file());
            return;
        }
        cutoverIfDue("start");
    }

    private void cutoverIfDue(final String why) {
        final int due = BusinessDays.dateAt(clock.instant(), zone, config.business().cutoverTime());
        if (businessDate == 0 || due <= businessDate) {
            return;
        }
        final Applied applied = submitAndWait(new Envelope(Operator.SYSTEM_ID, 0, "switch", "cut-over (" + why + ")"),
                new AdminCommand.Cutover(due));
        if (applied.outcome().approved()) {
            LOG.info("cut-over ({}): business date {} → {}", why, businessDate, due);
            businessDate = due;
            final boolean booksOff = (applied.outcome().riskFlags & Outcome.FLAG_BOOKS_OUT_OF_BALANCE) != 0;
            metrics.booksOutOfBalance.set(booksOff ? 1 : 0);
            if (booksOff) {
                LOG.error("cut-over to {}: {}. Terminals are still served; no settlement is prepared or approved until"
                        + " the books add up (docs/operations.md, \"Books out of balance\")", due, applied.outcome().detail);
            }
        } else {
            LOG.error("cut-over ({}) to {} refused: {}{}", why, due, applied.outcome().reason,
                    applied.outcome().detail == null ? "" : " (" + applied.outcome().detail + ")");
        }
    }

    private void scheduleTimers() {
        scheduleNextCutover();
        final int every = config.business().holdExpiryCheckSeconds();
        timers.scheduleWithFixedDelay(this::expireHolds, every, every, TimeUnit.SECONDS);
        timers.scheduleWithFixedDelay(this::watchFollower, 5, 5, TimeUnit.SECONDS);
    }

    private void scheduleNextCutover() {
        final Instant now = clock.instant();
        final Instant next = BusinessDays.nextCutover(now, zone, config.business().cutoverTime());
        // A few milliseconds late rather than early: the date is computed from the clock when the timer fires.
        final long delay = Duration.between(now, next).toMillis() + 5;
        timers.schedule(() -> {
            try {
                cutoverIfDue("daily");
            } catch (final RuntimeException e) {
                LOG.error("daily cut-over failed: {}", e.getMessage());
            } finally {
                if (!stopping.get()) {
                    scheduleNextCutover();
                }
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    private void expireHolds() {
        if (businessDate == 0 || stopping.get()) {
            return;
        }
        try {
            final Applied applied = submitAndWait(new Envelope(Operator.SYSTEM_ID, 0, "switch", "hold expiry"),
                    new AdminCommand.ExpireHolds());
            if (applied.outcome().approved() && applied.outcome().value1 > 0) {
                LOG.info("released {} expired pre-authorisation holds", applied.outcome().value1);
            }
        } catch (final RuntimeException e) {
            LOG.error("hold expiry failed: {}", e.getMessage());
        }
    }

    private void watchFollower() {
        final Throwable followerFailure = follower.failure();
        if (followerFailure != null && followerFailureLogged.compareAndSet(false, true)) {
            LOG.error("the snapshot follower stopped: {}. The switch keeps serving, but no new snapshots are"
                    + " written and the next start replays more of the journal.", followerFailure.toString());
        }
    }

    // ------------------------------------------------------------------ clearing

    /** The switch's clearing: what clears days on demand, and where its files are. */
    public dev.prepaid.clearing.daily.ClearingService clearing() {
        return clearing;
    }

    /**
     * Records every reconciliation in the journal (RECORD_RECONCILIATION, as the switch): a failure holds settlement
     * in the ledger, a later success releases the day. Runs on the clearing thread.
     */
    private final class ClearingRecorder implements dev.prepaid.clearing.daily.ClearingService.Listener {
        @Override
        public void reconciled(final dev.prepaid.clearing.daily.DayFigures figures,
                final dev.prepaid.clearing.daily.ReconciliationReport report) {
            metrics.clearingDays.incrementAndGet();
            metrics.clearingLastDate.set(report.date());
            metrics.clearingLastMillis.set(clearing.lastMillis());
            if (!report.balanced()) {
                metrics.reconciliationFailures.incrementAndGet();
                LOG.error("RECONCILIATION FAILED for {}: {}. Settlement is held until the day reconciles or finance"
                        + " accepts it (docs/operations.md, \"Reconciliation failed\")", report.iso(), report.summary());
            } else {
                LOG.info("reconciliation of {}: balanced", report.iso());
            }
            if (stopping.get()) {
                return;
            }
            try {
                final Applied applied = submitAndWait(new Envelope(Operator.SYSTEM_ID, recordRequestId(report.date(),
                        report.balanced(), report.summary()), "switch", "reconciliation of " + report.iso()),
                        new AdminCommand.RecordReconciliation(report.date(), report.balanced(), report.summary()));
                if (applied.outcome().approved()) {
                    metrics.reconciliationHeldDays.set((int) applied.outcome().value1);
                } else {
                    LOG.error("the reconciliation of {} could not be recorded: {} ({})", report.iso(),
                            applied.outcome().reason, applied.outcome().detail);
                }
            } catch (final RuntimeException e) {
                LOG.error("the reconciliation of {} could not be recorded: {}", report.iso(), e.getMessage());
            }
        }

        @Override
        public void failed(final int date, final Throwable error) {
            metrics.clearingFailures.incrementAndGet();
            LOG.error("clearing of {} failed: {}. Clear it again when the cause is put right: prepaid-admin clearing run"
                    + " (docs/operations.md)", date == 0 ? "the journal" : dev.prepaid.time.CivilDate.iso(
                    dev.prepaid.time.CivilDate.epochDay(date)), error.getMessage());
            if (date == 0 || stopping.get()) {
                return;
            }
            // A day that cannot be cleared is not reconciled either: settlement is held as for a difference.
            final String why = String.valueOf(error.getMessage());
            final String summary = "clearing failed: " + (why.length() > 200 ? why.substring(0, 200) + " ..." : why);
            try {
                final Applied applied = submitAndWait(new Envelope(Operator.SYSTEM_ID, recordRequestId(date, false, summary),
                        "switch", "clearing failed"), new AdminCommand.RecordReconciliation(date, false, summary));
                if (applied.outcome().approved()) {
                    metrics.reconciliationHeldDays.set((int) applied.outcome().value1);
                }
            } catch (final RuntimeException e) {
                LOG.error("the failed clearing of {} could not be recorded: {}", date, e.getMessage());
            }
        }
    }

    /**
     * A single node records each reconciliation it makes (request id 0). A cluster's fronts each clear the same journal
     * and record the same result: one request id for it, so the ledger applies it once and answers the others as repeats.
     */
    private long recordRequestId(final int date, final boolean balanced, final String summary) {
        if (front == null) {
            return 0;
        }
        final long hash = ((long) date * 31 + (balanced ? 1 : 0)) * 1_000_003L + summary.hashCode();
        return RECONCILIATION_REQUESTS | (hash & 0x0000_FFFF_FFFF_FFFFL);
    }

    // ------------------------------------------------------------------ admin endpoint

    private AdminServer startAdmin(final StoredKeys keys, final MasterFileKey mfk) {
        final AdminSessions sessions = new AdminSessions(clock::millis,
                TimeUnit.MINUTES.toMillis(config.admin().limits().sessionMinutes()));
        final AdminRoutes routes = new AdminRoutes(this, sessions, new PasswordHasher(config.admin().passwordHashing()),
                passwordWork, this::switchFacts, new TerminalKeys(keys, mfk, config.keys().keyFile()),
                new dev.prepaid.admin.CardProduction(keys, cardFiles(), new java.security.SecureRandom()),
                settlements(),
                new dev.prepaid.admin.ClearingRoutes(clearing, payoutWork));
        final AdminServer server = new AdminServer(config.admin(), routes);
        try {
            server.start();
        } catch (final ConfigException e) {
            throw new ConfigException(config.file() + ": " + e.getMessage(), e);
        }
        return server;
    }

    private dev.prepaid.admin.Settlements settlements() {
        return new dev.prepaid.admin.Settlements(this, config.business().custodyAccount(), payoutFiles(), zone, clock,
                payoutWork);
    }

    /**
     * Before terminals and operators are served: the payout files of every approved settlement still waiting for the
     * bank's results are made, checked or written again from the journaled facts ({@code Settlements.completeAtStart}),
     * so a stop between an approval and its files leaves none missing. A failure is logged, never stops the start.
     */
    private void completePayoutFiles() {
        try {
            final int failed = settlements().completeAtStart().get(SUBMIT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            if (failed > 0) {
                LOG.warn("payout files of {} settlement(s) could not be completed at start (above)", failed);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted completing the payout files", e);
        } catch (final ExecutionException | TimeoutException e) {
            LOG.error("payout files of approved settlements not completed at start: {}; 'prepaid-admin payout export"
                    + " <id>' makes them", e.getCause() == null ? e : e.getCause());
        }
    }

    /** Where card production files are written: admin.cardFiles, else card-files beside the journal directory. */
    private java.nio.file.Path cardFiles() {
        return config.admin().cardFiles() != null ? config.admin().cardFiles()
                : config.journal().journal().directory().toAbsolutePath().resolveSibling("card-files");
    }

    /** Where payout files are written: admin.payoutFiles, else payout-files beside the journal directory. */
    private java.nio.file.Path payoutFiles() {
        return config.admin().payoutFiles() != null ? config.admin().payoutFiles()
                : config.journal().journal().directory().toAbsolutePath().resolveSibling("payout-files");
    }

    /** What {@code GET /v1/status} tells of the switch itself, besides the ledger. */
    private java.util.Map<String, Object> switchFacts() {
        final java.util.Map<String, Object> facts = new java.util.LinkedHashMap<>();
        String node;
        try {
            node = java.net.InetAddress.getLocalHost().getHostName();
        } catch (final IOException e) {
            node = "unknown";
        }
        facts.put("node", node);
        facts.put("failed", failure.get() == null ? null : failure.get().toString());
        facts.put("journalSequence", front == null ? journal.nextSequence() - 1 : front.applied());
        facts.put("journalDirectory", config.journal().journal().directory().toString());
        facts.put("durability", config.journal().journal().durability().toString());
        long free = -1;
        try {
            free = java.nio.file.Files.getFileStore(config.journal().journal().directory()).getUsableSpace();
        } catch (final IOException e) {
            // shown as -1: unknown
        }
        facts.put("journalDiskFreeBytes", free);
        facts.put("snapshotSequence", front == null ? follower.snapshotSequence() : front.snapshotAt());
        if (front != null) {
            facts.put("clusterMember", front.member());
            facts.put("clusterRole", front.role());
            facts.put("clusterLeader", front.leader());
            facts.put("clusterResends", front.resends());
            facts.put("clusterAnswersLeftToResend", front.egressDropped());
        }
        facts.put("ringSize", pipeline.ringSize());
        facts.put("ringOccupied", pipeline.ringSize() - pipeline.remainingCapacity());
        final Runtime runtime = Runtime.getRuntime();
        facts.put("heapUsedBytes", runtime.totalMemory() - runtime.freeMemory());
        facts.put("heapMaxBytes", runtime.maxMemory());
        facts.put("terminalConnections", metrics.connections.get());
        facts.put("adminConnections", adminConnections());
        facts.put("booksOutOfBalance", metrics.booksOutOfBalance.get() != 0);
        return facts;
    }

    // ------------------------------------------------------------------ metrics

    private HttpServer startMetrics() {
        final HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(config.metrics().host(), config.metrics().port()), 16);
        } catch (final IOException e) {
            throw new ConfigException(config.file() + ": metrics.port: cannot listen on " + config.metrics().host()
                    + " port " + config.metrics().port() + ": " + e.getMessage(), e);
        }
        http.createContext("/", exchange -> {
            try (exchange) {
                final String path = exchange.getRequestURI().getPath();
                final byte[] body;
                final int status;
                if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                    status = 405;
                    body = "only GET /metrics and GET /health are served here\n".getBytes(StandardCharsets.US_ASCII);
                    exchange.getResponseHeaders().add("Allow", "GET, HEAD");
                } else if ("/metrics".equals(path)) {
                    status = 200;
                    body = prometheus().getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                } else if ("/health".equals(path)) {
                    final Throwable failed = failure.get();
                    status = failed == null ? 200 : 503;
                    body = (failed == null ? "ok\n" : "failed: " + failed + "\n").getBytes(StandardCharsets.UTF_8);
                } else {
                    status = 404;
                    body = ("no " + path + " here: GET /metrics (Prometheus text) or GET /health\n")
                            .getBytes(StandardCharsets.UTF_8);
                }
                exchange.sendResponseHeaders(status, "HEAD".equals(exchange.getRequestMethod()) ? -1 : body.length);
                if (!"HEAD".equals(exchange.getRequestMethod())) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
            }
        });
        http.setExecutor(Executors.newSingleThreadExecutor(threads("metrics-http", true)));
        http.start();
        return http;
    }

    // ------------------------------------------------------------------ failure and stop

    /** A stage failed (the journal could not write, a ledger bug): stop serving; recovery replays the journal. */
    private void fatal(final Throwable cause) {
        if (failure.compareAndSet(null, cause)) {
            final Stage stage = pipeline == null ? null : pipeline.failedStage();
            LOG.error("the {} stage stopped the pipeline: {}. The switch stops; on restart recovery replays the journal.",
                    stage == null ? "pipeline's" : stage.label, cause.toString(), cause);
            final Thread stopper = new Thread(() -> stop(false), "switch-stop");
            stopper.setDaemon(false);
            stopper.start();
        }
    }

    /** Stops: terminals first, then the ring drains, the journal closes and a last snapshot is written. */
    @Override
    public void close() {
        stop(true);
    }

    private void stop(final boolean drain) {
        if (!stopping.compareAndSet(false, true)) {
            stopped.handle((ignored, error) -> null).join();
            return;
        }
        LOG.info("switch stopping");
        try {
            if (admin != null) {
                admin.close();
            }
            adminWork.shutdownNow();
            payoutWork.shutdownNow();
            passwordWork.shutdownNow();
            pos.close();
            timers.shutdownNow();
            clearing.close();
            if (metricsHttp != null) {
                metricsHttp.stop(0);
                ((java.util.concurrent.ExecutorService) metricsHttp.getExecutor()).shutdownNow();
            }
            final boolean drained = pipeline.close(drain ? STOP_TIMEOUT_MS : 0);
            if (stagesOnIo != null) {
                stagesOnIo.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            }
            if (front != null) {
                return; // the member journals, snapshots and stops on its own
            }
            final long last = journal.nextSequence() - 1;
            journal.close();
            // The next start replays from the newest snapshot: one at the last command makes it instant. Asked
            // whenever the newest is older, also when the follower has already applied everything.
            if (drained && failure.get() == null && last > follower.snapshotSequence()) {
                try {
                    final java.nio.file.Path snapshot = follower.requestSnapshot(last).get(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                    LOG.info("last snapshot {} at sequence {}", snapshot.getFileName(), last);
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (final ExecutionException | TimeoutException e) {
                    LOG.warn("no last snapshot ({}); the next start replays the journal from the previous one",
                            e.toString());
                }
            }
            follower.close();
        } finally {
            if (writerLock != null) {
                writerLock.close();
            }
            LOG.info("switch stopped at journal sequence {}", front == null ? journal.nextSequence() - 1 : front.applied());
            if (failure.get() != null) {
                stopped.completeExceptionally(failure.get());
            } else {
                stopped.complete(null);
            }
        }
    }

    private static ThreadFactory threads(final String name, final boolean daemon) {
        final AtomicInteger count = new AtomicInteger();
        return runnable -> {
            final Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(daemon);
            return thread;
        };
    }
}
