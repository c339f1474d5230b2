package dev.prepaid.cluster;

import dev.prepaid.command.CommandHeader;
import dev.prepaid.command.Outcome;
import io.aeron.Publication;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.Header;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster client for the switch's servers: commands go in with a correlation of the caller's, answers come back
 * on the gateway's thread once the cluster has committed the command and the leader's ledger has applied it.
 *
 * <p>A command stays <em>in flight</em> until its answer arrives. When the leader changes, or when an answer is
 * overdue, the gateway sends every command still in flight again, in the order they were first sent: one the old
 * leader had already committed is answered by the ledger as a repeat (the first answer again, nothing applied twice —
 * terminal, batch and STAN for POS, the request id for an operator's command), one it had lost is applied now. So a
 * command given to the gateway is answered exactly once, whatever happens to the leader. (A command whose repeat the
 * ledger cannot recognise — an operator command with request id 0 — would be applied again: the switch's fronts give
 * every command of their own a request id before it comes here.)
 */
public final class ClusterGateway implements AutoCloseable {
    /** Receives each answer, once, on the gateway's thread. */
    @FunctionalInterface
    public interface Answers {
        /**
         * @param sequence where the command stands in the ledger (a single node's journal sequence)
         * @param timestampMillis the time the ledger applied it at (the log's)
         * @param outcome reused for the next answer: copy what is kept
         */
        void onAnswer(long correlation, long sequence, long timestampMillis, Outcome outcome);
    }

    private static final Logger LOG = LoggerFactory.getLogger(ClusterGateway.class);

    private final MediaDriver driver;
    private final AeronCluster.Context clusterContext;
    private final Answers answers;
    private final long resendAfterNanos;
    private final ConcurrentLinkedQueue<InFlight> submitted = new ConcurrentLinkedQueue<>();
    /** Correlation → the message (correlation + command), in the order first sent; only the gateway's thread. */
    private final Map<Long, InFlight> inFlight = new LinkedHashMap<>();
    private final ArrayDeque<InFlight> unsent = new ArrayDeque<>();
    private final Outcome outcome = new Outcome();
    private final UnsafeBuffer sending = new UnsafeBuffer(0, 0);
    private final Thread thread;
    private final AtomicLong resends = new AtomicLong();
    private final AtomicLong leaderChanges = new AtomicLong();
    private volatile boolean running = true;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile int leader = -1;
    private AeronCluster cluster;

    private static final class InFlight {
        final long correlation;
        final byte[] message;
        long sentNanos;
        boolean queued;

        InFlight(final long correlation, final byte[] message) {
            this.correlation = correlation;
            this.message = message;
        }
    }

    private ClusterGateway(final MediaDriver driver, final AeronCluster.Context clusterContext, final Answers answers,
            final long resendAfterNanos) {
        this.driver = driver;
        this.clusterContext = clusterContext;
        this.answers = answers;
        this.resendAfterNanos = resendAfterNanos;
        this.thread = new Thread(this::run, "cluster-gateway");
        this.thread.setDaemon(true);
    }

    /**
     * Connects to the cluster whose members' ingress is {@code ingressEndpoints} ({@link ClusterNode.Members}) through a
     * media driver of its own under {@code directory}, answering on {@code answers}. An answer not come within
     * {@code resendAfterMillis} is asked for again.
     */
    public static ClusterGateway connect(final String ingressEndpoints, final String host, final Path directory,
            final long resendAfterMillis, final Answers answers) {
        final String aeronDirectory = directory.resolve("aeron").toString();
        final MediaDriver driver = MediaDriver.launch(new MediaDriver.Context()
                .aeronDirectoryName(aeronDirectory)
                .threadingMode(ThreadingMode.SHARED)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true));
        try {
            return connect(driver, aeronDirectory, ingressEndpoints, host, resendAfterMillis, answers);
        } catch (final RuntimeException e) {
            CloseHelper.quietClose(driver);
            throw e;
        }
    }

    /**
     * As {@link #connect(String, String, Path, long, Answers)}, through the media driver already running in
     * {@code aeronDirectory} (a cluster member's, when the gateway runs beside it): no driver of its own to keep busy.
     */
    public static ClusterGateway connectThrough(final String aeronDirectory, final String ingressEndpoints,
            final String host, final long resendAfterMillis, final Answers answers) {
        return connect(null, aeronDirectory, ingressEndpoints, host, resendAfterMillis, answers);
    }

    private static ClusterGateway connect(final MediaDriver driver, final String aeronDirectory,
            final String ingressEndpoints, final String host, final long resendAfterMillis, final Answers answers) {
        final AeronCluster.Context context = new AeronCluster.Context()
                .aeronDirectoryName(aeronDirectory)
                .ingressChannel("aeron:udp")
                .ingressEndpoints(ingressEndpoints)
                // Room for a burst of answers: the leader's service waits only briefly on a full egress.
                .egressChannel("aeron:udp?endpoint=" + host + ":0|term-length=4m")
                .messageTimeoutNs(TimeUnit.SECONDS.toNanos(10));
        final ClusterGateway gateway = new ClusterGateway(driver, context, answers,
                TimeUnit.MILLISECONDS.toNanos(resendAfterMillis));
        gateway.cluster = gateway.newSession();
        gateway.thread.start();
        return gateway;
    }

    private AeronCluster newSession() {
        final AeronCluster session = AeronCluster.connect(clusterContext.clone().egressListener(new EgressListener() {
            @Override
            public void onMessage(final long clusterSessionId, final long timestamp, final DirectBuffer buffer,
                    final int offset, final int length, final Header header) {
                answered(buffer, offset, length);
            }

            @Override
            public void onNewLeader(final long clusterSessionId, final long leadershipTermId, final int leaderMemberId,
                    final String ingressEndpoints) {
                leader = leaderMemberId;
                leaderChanges.incrementAndGet();
                LOG.info("cluster gateway: member {} leads now (term {}); {} commands in flight are sent again",
                        leaderMemberId, leadershipTermId, inFlight.size());
                resendAll();
            }
        }));
        leader = session.leaderMemberId();
        return session;
    }

    /**
     * Gives the cluster a command (its bytes as a single node would journal them); the answer comes to
     * {@link Answers} with {@code correlation}. Any thread; never blocks.
     */
    public void submit(final long correlation, final DirectBuffer command, final int offset, final int length) {
        if (!running) {
            throw new IllegalStateException("the cluster gateway is closed");
        }
        if (length < CommandHeader.LENGTH || length > CommandHeader.MAX_COMMAND_LENGTH) {
            throw new IllegalArgumentException("a command of " + length + " bytes");
        }
        final byte[] message = new byte[LedgerService.CORRELATION_LENGTH + length];
        final UnsafeBuffer wrapped = new UnsafeBuffer(message);
        wrapped.putLong(0, correlation, LedgerService.ORDER);
        wrapped.putBytes(LedgerService.CORRELATION_LENGTH, command, offset, length);
        submitted.add(new InFlight(correlation, message));
    }

    /**
     * Asks what the cluster's ledger holds at this point of the log (nothing is applied): the answer's
     * {@link Outcome#value1} is the ledger's last sequence, its {@link Outcome#businessDate} the business date. Resent
     * like a command until answered.
     */
    public void probe(final long correlation) {
        control(correlation, LedgerService.PROBE);
    }

    /** Tells the cluster its business is set up: its cut-over and hold expiry timers run ({@link LedgerService#START_TIMERS}). */
    public void startTimers(final long correlation) {
        control(correlation, LedgerService.START_TIMERS);
    }

    private void control(final long correlation, final int kind) {
        final byte[] message = new byte[LedgerService.CONTROL_LENGTH];
        final UnsafeBuffer wrapped = new UnsafeBuffer(message);
        wrapped.putLong(0, correlation, LedgerService.ORDER);
        wrapped.putInt(LedgerService.CORRELATION_LENGTH, kind, LedgerService.ORDER);
        submitted.add(new InFlight(correlation, message));
    }

    private void answered(final DirectBuffer buffer, final int offset, final int length) {
        final long correlation = buffer.getLong(offset, LedgerService.ORDER);
        final InFlight command = inFlight.remove(correlation);
        if (command == null) {
            return; // the answer to a resend of a command already answered: the caller has its answer
        }
        final long sequence = buffer.getLong(offset + LedgerService.CORRELATION_LENGTH, LedgerService.ORDER);
        final long timestamp = buffer.getLong(offset + LedgerService.CORRELATION_LENGTH + 8, LedgerService.ORDER);
        OutcomeCodec.decode(buffer, offset + LedgerService.ANSWER_HEADER_LENGTH, outcome);
        answers.onAnswer(correlation, sequence, timestamp, outcome);
    }

    private void resendAll() {
        unsent.clear();
        for (final InFlight command : inFlight.values()) {
            command.queued = true;
            unsent.add(command);
        }
        resends.addAndGet(unsent.size());
    }

    private void run() {
        final IdleStrategy idle = new BackoffIdleStrategy(100, 10, 1_000, 100_000);
        long lastKeepAlive = System.nanoTime();
        long lastOverdueCheck = lastKeepAlive;
        while (running) {
            int work = 0;
            try {
                if (cluster.isClosed()) {
                    LOG.warn("cluster gateway: the session ended; connecting again ({} commands in flight)", inFlight.size());
                    cluster = newSession();
                    resendAll();
                }
                InFlight command;
                while ((command = submitted.poll()) != null) {
                    inFlight.put(command.correlation, command);
                    command.queued = true;
                    unsent.add(command);
                    work++;
                }
                work += sendQueued();
                work += cluster.pollEgress();
                final long now = System.nanoTime();
                if (now - lastOverdueCheck > resendAfterNanos / 4) {
                    lastOverdueCheck = now;
                    work += resendOverdue(now);
                }
                if (now - lastKeepAlive > TimeUnit.SECONDS.toNanos(1)) {
                    cluster.sendKeepAlive();
                    lastKeepAlive = now;
                }
            } catch (final RuntimeException e) {
                if (!running) {
                    break;
                }
                LOG.warn("cluster gateway: {}; trying again", e.toString());
                CloseHelper.quietClose(cluster);
                idle.reset();
                sleepBriefly();
            }
            idle.idle(work);
        }
    }

    private int sendQueued() {
        int sent = 0;
        InFlight command;
        while ((command = unsent.peek()) != null) {
            if (!inFlight.containsKey(command.correlation)) {
                unsent.poll(); // answered while it waited to be sent again
                continue;
            }
            sending.wrap(command.message);
            final long result = cluster.offer(sending, 0, command.message.length);
            if (result < 0) {
                if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED) {
                    throw new IllegalStateException("the ingress publication is " + Publication.errorString(result));
                }
                return sent; // back pressure, or no leader yet: sent when it can be (or again when one is elected)
            }
            unsent.poll();
            command.queued = false;
            command.sentNanos = System.nanoTime();
            sent++;
        }
        return sent;
    }

    private int resendOverdue(final long now) {
        int overdue = 0;
        for (final InFlight command : inFlight.values()) {
            if (!command.queued && now - command.sentNanos > resendAfterNanos) {
                command.queued = true;
                unsent.add(command);
                overdue++;
            }
        }
        resends.addAndGet(overdue);
        return overdue;
    }

    private static void sleepBriefly() {
        try {
            TimeUnit.MILLISECONDS.sleep(50);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The member the gateway last heard leads. */
    public int leader() {
        return leader;
    }

    /** Commands sent again (after a leader change or an overdue answer). */
    public long resends() {
        return resends.get();
    }

    /** Leader changes the gateway has been told of. */
    public long leaderChanges() {
        return leaderChanges.get();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        CloseHelper.closeAll(cluster, driver);
    }
}
