package dev.prepaid.cluster.tools;

import dev.prepaid.cluster.ClusterNode;
import dev.prepaid.cluster.LedgerService;
import dev.prepaid.config.ConfigException;
import dev.prepaid.config.SwitchConfig;
import dev.prepaid.server.ClusterFront;
import dev.prepaid.server.SwitchServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of a ledger cluster in this process, in the foreground: {@code bin/prepaid cluster node --member N
 * [--config FILE] [--directory DIR] [--hosts H0,H1,H2] [--port-base P]}. The ledger's sizes, the business day and the
 * journal's durability come from the switch configuration, so every member and a single switch agree on them.
 * SIGTERM (Ctrl-C) stops it cleanly; SIGKILL is what the cluster is there to survive.
 */
public final class ClusterNodeMain {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNodeMain.class);

    static final String USAGE = String.join("\n",
            "usage: bin/prepaid cluster node --member N [--config FILE] [--directory DIR] [--hosts H0,H1,H2]"
                    + " [--port-base P] [--serve]",
            "",
            "  runs member N (0, 1 or 2) of a three-member ledger cluster in the foreground",
            "  --config FILE     the switch configuration: the ledger's sizes, business.timeZone and cutoverTime,",
            "                    business.holdExpiryCheckSeconds, journal.durability (default config/switch.yaml)",
            "  --directory DIR   the cluster's directory; this member keeps its files in DIR/member-N",
            "                    (default data/cluster)",
            "  --hosts H0,H1,H2  where the members run (default localhost,localhost,localhost)",
            "  --port-base P     member N listens on P+10N+1 to P+10N+5, UDP (default " + ClusterLayout.DEFAULT_PORT_BASE + ")",
            "  --serve           also serve terminals and operators beside the member (its front): the configuration's",
            "                    POS, admin and metrics ports plus 10N, every command through the cluster's log");

    private ClusterNodeMain() {
    }

    public static void main(final String[] args) throws Exception {
        int member = -1;
        String configFile = null;
        Path directory = Path.of("data/cluster");
        List<String> hosts = List.of("localhost", "localhost", "localhost");
        int portBase = ClusterLayout.DEFAULT_PORT_BASE;
        boolean serve = false;
        ClusterNode.Members members;
        try {
            for (int i = 0; i < args.length; i++) {
                final String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--member" -> member = Integer.parseInt(need(value, args[i++]));
                    case "--config" -> configFile = need(value, args[i++]);
                    case "--directory" -> directory = Path.of(need(value, args[i++]));
                    case "--hosts" -> hosts = Arrays.asList(need(value, args[i++]).split(","));
                    case "--port-base" -> portBase = Integer.parseInt(need(value, args[i++]));
                    case "--serve" -> serve = true;
                    case "--help", "-h" -> {
                        System.out.println(USAGE);
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (member < 0 || member >= hosts.size()) {
                throw new IllegalArgumentException("--member must be 0 to " + (hosts.size() - 1));
            }
            members = ClusterLayout.members(hosts, portBase);
        } catch (final IllegalArgumentException e) {
            System.err.println("bin/prepaid cluster node: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        final SwitchConfig config;
        try {
            config = SwitchConfig.loadGiven(configFile, SwitchConfig.home());
        } catch (final ConfigException e) {
            System.err.println("bin/prepaid cluster node: " + e.getMessage());
            System.exit(2);
            return;
        }
        final Path cluster = directory.toAbsolutePath();
        Files.createDirectories(ClusterLayout.memberDirectory(cluster, member));
        final LedgerService.Business business = new LedgerService.Business(config.business().timeZone(),
                config.business().cutoverTime(), config.business().holdExpiryCheckSeconds());
        final int self = member;
        final ClusterNode node = startWhenMarkFilesAllow(cluster, self, () -> ClusterNode.start(members, self,
                ClusterLayout.memberDirectory(cluster, self), config.ledger(), business,
                ClusterLayout.journal(config, cluster, self), ClusterNode.Timing.DEFAULT));
        LOG.info("member {} of {} started: files in {}, members {}", member, hosts, ClusterLayout.memberDirectory(cluster, member),
                members.ingressEndpoints());
        final SwitchServer front;
        try {
            front = serve ? SwitchServer.startFront(ClusterLayout.frontConfig(config, cluster, self, true),
                    new ClusterFront(node, members)) : null;
        } catch (final RuntimeException e) {
            LOG.error("member {}: its front did not start: {}", self, e.getMessage(), e);
            node.close();
            System.exit(1);
            return;
        }
        final int posPort = front == null ? -1 : front.posPort();
        final int adminPort = front == null ? -1 : front.adminPort();
        final CountDownLatch stopped = new CountDownLatch(1);
        final Thread status = new Thread(() -> {
            while (stopped.getCount() > 0) {
                ClusterLayout.writeStatus(cluster, new ClusterLayout.Status(self, ProcessHandle.current().pid(),
                        node.service().role().name(), node.service().applied(), System.currentTimeMillis(), posPort,
                        adminPort));
                try {
                    if (stopped.await(500, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                        break;
                    }
                } catch (final InterruptedException e) {
                    return;
                }
            }
        }, "cluster-status");
        status.setDaemon(true);
        status.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopped.countDown();
            if (front != null) {
                front.close(); // terminals first, their commands in flight answered, then the member
            }
            node.close();
            ClusterLayout.writeStatus(cluster, new ClusterLayout.Status(self, ProcessHandle.current().pid(), "STOPPED",
                    node.service().applied(), System.currentTimeMillis()));
            LOG.info("member {} stopped", self);
        }, "cluster-stop"));
        stopped.await();
    }

    /**
     * A member killed a moment ago (SIGKILL, a crash) leaves its archive's and consensus module's mark files looking
     * active until Aeron's liveness timeout passes (about 10 s): started again before that, Aeron refuses, to protect a
     * member that might still be running. The member's status file says whether its last process is alive; if it is
     * not, the start is tried again for up to 30 s instead of failing.
     */
    static ClusterNode startWhenMarkFilesAllow(final Path cluster, final int member,
            final java.util.function.Supplier<ClusterNode> start) throws InterruptedException {
        final ClusterLayout.Status last = ClusterLayout.readStatus(cluster, member);
        if (last != null && last.pid() != ProcessHandle.current().pid()
                && ProcessHandle.of(last.pid()).map(ProcessHandle::isAlive).orElse(false)) {
            throw new IllegalStateException("member " + member + " is running already (pid " + last.pid() + ")");
        }
        final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return start.get();
            } catch (final IllegalStateException e) {
                if (e.getMessage() == null || !e.getMessage().contains("active mark file detected")
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                LOG.info("member {}: the mark files of its last process (gone) are still fresh; starting again in 1 s",
                        member);
                java.util.concurrent.TimeUnit.SECONDS.sleep(1);
            }
        }
    }

    private static String need(final String value, final String option) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }
}
