package dev.prepaid.cluster;

import dev.prepaid.journal.JournalConfig;
import dev.prepaid.ledger.LedgerConfig;
import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.client.AeronArchive;
import io.aeron.cluster.ClusteredMediaDriver;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.service.ClusteredServiceContainer;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.NoOpLock;

/**
 * One member of a ledger cluster: its media driver, archive and consensus module, and the ledger service beside
 * them, all in this process. Where each member listens follows from its host and the cluster's base port
 * ({@link Members}); everything a member keeps (its Raft log in the archive, the cluster's snapshots, the mark
 * files) is under its own directory, so a member restarted on the same directory rejoins where it was.
 */
public final class ClusterNode implements AutoCloseable {
    /** How a cluster is laid out: its members' hosts (the index is the member id) and where their ports start. */
    public record Members(List<String> hosts, int portBase) {
        public Members {
            hosts = List.copyOf(hosts);
            if (hosts.isEmpty()) {
                throw new IllegalArgumentException("a cluster needs at least one member");
            }
            if (portBase < 1024 || portBase + hosts.size() * PORTS_PER_MEMBER > 65_535) {
                throw new IllegalArgumentException("the port base " + portBase + " leaves no room for " + hosts.size()
                        + " members of " + PORTS_PER_MEMBER + " ports each between 1024 and 65535: choose another (--port-base)");
            }
        }

        static final int PORTS_PER_MEMBER = 10;
        static final int ARCHIVE_CONTROL = 1;
        static final int INGRESS = 2;
        static final int CONSENSUS = 3;
        static final int LOG = 4;
        static final int CATCH_UP = 5;

        int port(final int member, final int offset) {
            return portBase + member * PORTS_PER_MEMBER + offset;
        }

        String endpoint(final int member, final int offset) {
            return hosts.get(member) + ":" + port(member, offset);
        }

        /** The consensus module's member list: id, ingress, consensus, log, catch-up, archive control. */
        String consensusMembers() {
            final StringBuilder members = new StringBuilder();
            for (int m = 0; m < hosts.size(); m++) {
                members.append(m).append(',').append(endpoint(m, INGRESS)).append(',').append(endpoint(m, CONSENSUS))
                        .append(',').append(endpoint(m, LOG)).append(',').append(endpoint(m, CATCH_UP)).append(',')
                        .append(endpoint(m, ARCHIVE_CONTROL)).append('|');
            }
            return members.toString();
        }

        /** What a gateway connects to: every member's ingress. */
        public String ingressEndpoints() {
            final StringBuilder endpoints = new StringBuilder();
            for (int m = 0; m < hosts.size(); m++) {
                endpoints.append(m == 0 ? "" : ",").append(m).append('=').append(endpoint(m, INGRESS));
            }
            return endpoints.toString();
        }
    }

    /**
     * How fast a member notices a leader that is gone: the leader's heartbeat every {@code heartbeatIntervalMs}, a new
     * election after {@code heartbeatTimeoutMs} without one. Aeron's defaults (10 s) suit a WAN; a switch whose
     * terminals time out after 30–60 s wants to be answering again within a few seconds.
     */
    public record Timing(long heartbeatIntervalMs, long heartbeatTimeoutMs, long sessionTimeoutMs) {
        public static final Timing DEFAULT = new Timing(100, 2_000, 10_000);
    }

    private final int member;
    private final String aeronDirectory;
    private final ClusteredMediaDriver driver;
    private final ClusteredServiceContainer container;
    private final LedgerService service;

    private ClusterNode(final int member, final String aeronDirectory, final ClusteredMediaDriver driver,
            final ClusteredServiceContainer container, final LedgerService service) {
        this.member = member;
        this.aeronDirectory = aeronDirectory;
        this.driver = driver;
        this.container = container;
        this.service = service;
    }

    /**
     * Starts member {@code member} of {@code members}, keeping the cluster's files under {@code directory} and its
     * journal of applied commands in {@code journal} (null: none).
     */
    public static ClusterNode start(final Members members, final int member, final Path directory,
            final LedgerConfig ledger, final LedgerService.Business business, final JournalConfig journal,
            final Timing timing) {
        if (member < 0 || member >= members.hosts().size()) {
            throw new IllegalArgumentException("member " + member + " is not one of the cluster's " + members.hosts().size());
        }
        final String host = members.hosts().get(member);
        final String aeronDirectory = directory.resolve("aeron").toString();
        final MediaDriver.Context driverContext = new MediaDriver.Context()
                .aeronDirectoryName(aeronDirectory)
                .threadingMode(ThreadingMode.SHARED)
                .termBufferSparseFile(true)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true);
        final Archive.Context archiveContext = new Archive.Context()
                .aeronDirectoryName(aeronDirectory)
                .archiveDir(directory.resolve("archive").toFile())
                .archiveId(member)
                .controlChannel("aeron:udp?endpoint=" + members.endpoint(member, Members.ARCHIVE_CONTROL))
                .localControlChannel("aeron:ipc?term-length=64k")
                .replicationChannel("aeron:udp?endpoint=" + host + ":0")
                .archiveClientContext(new AeronArchive.Context().controlResponseChannel("aeron:udp?endpoint=" + host + ":0"))
                .recordingEventsEnabled(false)
                .threadingMode(ArchiveThreadingMode.SHARED);
        final AeronArchive.Context localArchive = new AeronArchive.Context()
                .lock(NoOpLock.INSTANCE)
                .controlRequestChannel(archiveContext.localControlChannel())
                .controlRequestStreamId(archiveContext.localControlStreamId())
                .controlResponseChannel(archiveContext.localControlChannel())
                .aeronDirectoryName(aeronDirectory);
        final ConsensusModule.Context consensusContext = new ConsensusModule.Context()
                .clusterMemberId(member)
                .clusterMembers(members.consensusMembers())
                .clusterDir(directory.resolve("cluster").toFile())
                .archiveContext(localArchive.clone())
                .serviceCount(1)
                .ingressChannel("aeron:udp")
                .logChannel("aeron:udp?term-length=4m")
                .replicationChannel("aeron:udp?endpoint=" + host + ":0")
                .leaderHeartbeatIntervalNs(TimeUnit.MILLISECONDS.toNanos(timing.heartbeatIntervalMs()))
                .leaderHeartbeatTimeoutNs(TimeUnit.MILLISECONDS.toNanos(timing.heartbeatTimeoutMs()))
                .sessionTimeoutNs(TimeUnit.MILLISECONDS.toNanos(timing.sessionTimeoutMs()));
        final LedgerService service = new LedgerService(ledger, business, journal);
        ClusteredMediaDriver driver = null;
        try {
            driver = ClusteredMediaDriver.launch(driverContext, archiveContext, consensusContext);
            final ClusteredServiceContainer container = ClusteredServiceContainer.launch(new ClusteredServiceContainer.Context()
                    .aeronDirectoryName(aeronDirectory)
                    .archiveContext(localArchive.clone())
                    .clusterDir(directory.resolve("cluster").toFile())
                    .clusteredService(service)
                    .serviceId(0)
                    .idleStrategySupplier(() -> new BackoffIdleStrategy(100, 10, 1_000, 1_000_000)));
            return new ClusterNode(member, aeronDirectory, driver, container, service);
        } catch (final RuntimeException e) {
            CloseHelper.quietClose(driver);
            throw e;
        }
    }

    public int member() {
        return member;
    }

    /** The directory of this member's media driver: a gateway beside the member connects through it. */
    public String aeronDirectory() {
        return aeronDirectory;
    }

    /** The ledger this member applies the log to. */
    public LedgerService service() {
        return service;
    }

    /** Stops the member: its service, consensus module, archive and driver, in that order. */
    @Override
    public void close() {
        CloseHelper.closeAll(container, driver);
        service.closeJournal(); // after the container's thread has stopped: nothing appends any more
    }
}
