package dev.prepaid.server;

import dev.prepaid.cluster.ClusterGateway;
import dev.prepaid.cluster.ClusterNode;
import dev.prepaid.cluster.ClusterRing;
import dev.prepaid.cluster.LedgerService;
import dev.prepaid.command.CommandHeader;
import dev.prepaid.command.CommandType;
import dev.prepaid.command.Outcome;
import dev.prepaid.ledger.LedgerState;
import dev.prepaid.pipeline.CommandRing;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * What makes a switch the front of a cluster member in the same process ({@link SwitchServer#startFront}): the
 * terminals' and operators' commands go to the cluster through a gateway on the member's media driver, the answers
 * come back once a majority has them, and reads are the member's own ledger's. The terminal directory the I/O threads
 * use follows the member's ledger (a terminal set up through another member's front is known here as soon as this
 * member applies it), not only the commands this front sent.
 */
public final class ClusterFront {
    /** An answer not come within this is asked for again (the ledger answers a repeat, nothing applied twice). */
    static final long RESEND_AFTER_MS = 2_000;
    private static final long START_TIMEOUT_MS = 60_000;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ClusterFront.class);

    private final ClusterNode node;
    private final ClusterNode.Members members;
    private ClusterRing ring;

    /** @param node the member this switch fronts, started in this process; {@code members} the cluster it is one of */
    public ClusterFront(final ClusterNode node, final ClusterNode.Members members) {
        this.node = node;
        this.members = members;
    }

    int member() {
        return node.member();
    }

    /** Only member 0's front bootstraps an empty cluster, so three fronts started together do it once. */
    boolean bootstraps() {
        return node.member() == 0;
    }

    /**
     * The member's ledger state, once the member has loaded it (a snapshot, or empty). Read on other threads only as
     * the single node's metrics read theirs: figures that may be a moment old.
     */
    LedgerState memberState() {
        final LedgerService service = node.service();
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        while (!service.started()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("cluster member " + node.member() + " did not load its ledger within "
                        + START_TIMEOUT_MS / 1000 + " s (its log says why)");
            }
            sleep(10);
        }
        return await(service.inspect(ledger -> ledger.state()), "the member's ledger");
    }

    /**
     * Connects the gateway and returns the ring the servers publish to; the directory is filled from the member's
     * ledger and kept up to date from then on, with no command between the two missed (both on the member's thread).
     */
    CommandRing connect(final int size, final Replies replies, final Directory directory, final Consumer<Throwable> onFatal) {
        final LedgerService service = node.service();
        await(service.inspect(ledger -> {
            directory.refresh(ledger.state());
            service.onApplied((command, offset, length, outcome) -> {
                if (outcome.approved() && CommandHeader.type(command, offset) == CommandType.UPSERT_TERMINAL.code) {
                    replies.refreshDirectory(command, offset, length);
                }
            });
            return null;
        }), "the terminal directory");
        ring = new ClusterRing(size, replies, service, onFatal);
        ring.connect(connectGateway(ring));
        return ring;
    }

    /** Members started together elect a leader within seconds; a gateway's connect gives up sooner, so it is retried. */
    private ClusterGateway connectGateway(final ClusterRing answers) {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        while (true) {
            try {
                return ClusterGateway.connectThrough(node.aeronDirectory(), members.ingressEndpoints(),
                        members.hosts().get(node.member()), RESEND_AFTER_MS, answers);
            } catch (final io.aeron.exceptions.TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no leader of the cluster answered its front within "
                            + START_TIMEOUT_MS / 1000 + " s: is a majority of the members running?", e);
                }
                LOG.info("member {}'s front: no leader yet ({}); connecting again", node.member(), e.getMessage());
            }
        }
    }

    /** What the cluster's ledger holds now, asked through its log ({@link ClusterRing#probe}). */
    Outcome probe(final long timeoutMs) {
        return await(ring.probe(), timeoutMs, "the cluster's answer to what it holds (is a majority of its members"
                + " running? bin/prepaid cluster status)");
    }

    /** The business is set up (bootstrapped now, or found): the cluster's cut-over and hold expiry run from here on. */
    Outcome startTimers(final long timeoutMs) {
        return await(ring.startTimers(), timeoutMs, "the cluster's answer to starting its timers (is a majority of its"
                + " members running? bin/prepaid cluster status)");
    }

    /**
     * Waits until the member has applied command {@code sequence} (what the cluster held when asked): a member started
     * behind — after a stop, or a new machine — catches up from the leader before its front serves anyone, so no
     * terminal set up meanwhile is refused as unknown and no read is old. Says how it goes every 5 s.
     */
    void awaitMemberAt(final long sequence, final long timeoutMs) {
        final LedgerService service = node.service();
        final long started = System.nanoTime();
        final long behind = sequence - service.applied();
        long said = started;
        while (service.applied() < sequence) {
            final long now = System.nanoTime();
            if (now - started > TimeUnit.MILLISECONDS.toNanos(timeoutMs)) {
                throw new IllegalStateException("cluster member " + node.member() + " has applied " + service.applied()
                        + " of the cluster's " + sequence + " commands after " + timeoutMs / 1000 + " s; its front does"
                        + " not serve behind the cluster (its node.log says why it is slow)");
            }
            if (now - said > TimeUnit.SECONDS.toNanos(5)) {
                said = now;
                LOG.info("member {} catching up: {} of {} commands", node.member(), service.applied(), sequence);
            }
            sleep(5);
        }
        if (behind > 0) {
            LOG.info("member {} caught up with the cluster ({} commands behind at the start) in {} ms", node.member(),
                    behind, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
    }

    long applied() {
        return node.service().applied();
    }

    long snapshotAt() {
        return node.service().loadedFromSnapshotAt();
    }

    String role() {
        return node.service().role().name();
    }

    int leader() {
        return ring == null ? -1 : ring.leader();
    }

    long egressDropped() {
        return node.service().egressDropped();
    }

    long resends() {
        return ring == null ? 0 : ring.resends();
    }

    /** The front's cluster figures in Prometheus text, after the switch's own. */
    String prometheus() {
        final LedgerService service = node.service();
        final StringBuilder out = new StringBuilder(1_024);
        out.append("# HELP prepaid_cluster_member this front's cluster member\n# TYPE prepaid_cluster_member gauge\n")
                .append("prepaid_cluster_member ").append(node.member()).append('\n');
        out.append("# HELP prepaid_cluster_role the member's role (1 for the one it has now)\n")
                .append("# TYPE prepaid_cluster_role gauge\n")
                .append("prepaid_cluster_role{role=\"").append(service.role().name()).append("\"} 1\n");
        out.append("# HELP prepaid_cluster_leader the member the front's gateway last heard leads (-1: none yet)\n")
                .append("# TYPE prepaid_cluster_leader gauge\n")
                .append("prepaid_cluster_leader ").append(leader()).append('\n');
        out.append("# HELP prepaid_cluster_applied commands the member's ledger has applied\n")
                .append("# TYPE prepaid_cluster_applied gauge\n")
                .append("prepaid_cluster_applied ").append(service.applied()).append('\n');
        out.append("# HELP prepaid_cluster_resends_total commands the gateway sent again (a leader change, a late answer)\n")
                .append("# TYPE prepaid_cluster_resends_total counter\n")
                .append("prepaid_cluster_resends_total ").append(resends()).append('\n');
        out.append("# HELP prepaid_cluster_egress_given_up_total answers this member, leading, left to the gateways'"
                        + " resend (a full egress)\n")
                .append("# TYPE prepaid_cluster_egress_given_up_total counter\n")
                .append("prepaid_cluster_egress_given_up_total ").append(egressDropped()).append('\n');
        return out.toString();
    }

    private static <T> T await(final java.util.concurrent.CompletableFuture<T> future, final String what) {
        return await(future, START_TIMEOUT_MS, what + " from cluster member");
    }

    private static <T> T await(final java.util.concurrent.CompletableFuture<T> future, final long timeoutMs,
            final String what) {
        try {
            return future.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + what, e);
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("no " + what + " within " + timeoutMs / 1000 + " s: " + e, e);
        }
    }

    private static void sleep(final long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
