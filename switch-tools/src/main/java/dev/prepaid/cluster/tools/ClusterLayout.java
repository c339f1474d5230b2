package dev.prepaid.cluster.tools;

import dev.prepaid.cluster.ClusterNode;
import dev.prepaid.config.SwitchConfig;
import dev.prepaid.journal.JournalConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Properties;

/**
 * Where a trial cluster on one machine keeps its members (a directory each under the cluster's, {@code member-N}) and
 * what each member says of itself: a status file it rewrites every half second (member, process, role, commands
 * applied, when), which {@code bin/prepaid cluster status} reads without talking to the cluster.
 */
final class ClusterLayout {
    static final int MEMBERS = 3;
    static final int DEFAULT_PORT_BASE = 20_100;
    /** On one machine, member N's front listens on the configured ports plus this times N. */
    static final int FRONT_PORT_STEP = 10;
    /** A status older than this says its member is not running (or not well). */
    static final long STALE_MILLIS = 3_000;

    private ClusterLayout() {
    }

    static Path memberDirectory(final Path cluster, final int member) {
        return cluster.resolve("member-" + member);
    }

    static Path statusFile(final Path cluster, final int member) {
        return memberDirectory(cluster, member).resolve("status.properties");
    }

    static Path logFile(final Path cluster, final int member) {
        return memberDirectory(cluster, member).resolve("node.log");
    }

    static ClusterNode.Members members(final List<String> hosts, final int portBase) {
        return new ClusterNode.Members(hosts, portBase);
    }

    /** The member's journal: the configuration's durability and roll cycle, in the member's own directory. */
    static JournalConfig journal(final SwitchConfig config, final Path cluster, final int member) {
        return frontConfig(config, cluster, member, false).journal().journal();
    }

    /**
     * The configuration of member {@code member}'s front: the member's journal is the switch's, and on one machine each
     * front listens on the configured ports plus ten times its member's number (POS, metrics, admin: the demo's 8583 and
     * 8584 stay apart; a port 0 stays 0).
     */
    static SwitchConfig frontConfig(final SwitchConfig config, final Path cluster, final int member,
            final boolean shiftPorts) {
        final SwitchConfig moved = config.withJournalDirectory(memberDirectory(cluster, member).resolve("journal"));
        if (!shiftPorts) {
            return moved;
        }
        return moved.withPorts(shifted(config.server().port(), member), shifted(config.metrics().port(), member),
                shifted(config.admin().port(), member));
    }

    private static int shifted(final int port, final int member) {
        return port == 0 ? 0 : port + FRONT_PORT_STEP * member;
    }

    /** What a member said of itself last; its front's ports are -1 when it runs none. */
    record Status(int member, long pid, String role, long applied, long updatedMillis, int posPort, int adminPort) {
        Status(final int member, final long pid, final String role, final long applied, final long updatedMillis) {
            this(member, pid, role, applied, updatedMillis, -1, -1);
        }

        boolean fresh(final long nowMillis) {
            return nowMillis - updatedMillis <= STALE_MILLIS
                    && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    static void writeStatus(final Path cluster, final Status status) {
        final Properties properties = new Properties();
        properties.setProperty("member", Integer.toString(status.member()));
        properties.setProperty("pid", Long.toString(status.pid()));
        properties.setProperty("role", status.role());
        properties.setProperty("applied", Long.toString(status.applied()));
        properties.setProperty("updatedMillis", Long.toString(status.updatedMillis()));
        properties.setProperty("posPort", Integer.toString(status.posPort()));
        properties.setProperty("adminPort", Integer.toString(status.adminPort()));
        final Path file = statusFile(cluster, status.member());
        final Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (var out = Files.newBufferedWriter(temporary)) {
            properties.store(out, "written by member " + status.member() + " every 500 ms");
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The member's last status, or null when it never wrote one. */
    static Status readStatus(final Path cluster, final int member) {
        final Path file = statusFile(cluster, member);
        if (!Files.exists(file)) {
            return null;
        }
        final Properties properties = new Properties();
        try (var in = Files.newBufferedReader(file)) {
            properties.load(in);
        } catch (final IOException e) {
            return null;
        }
        return new Status(Integer.parseInt(properties.getProperty("member", "-1")),
                Long.parseLong(properties.getProperty("pid", "-1")), properties.getProperty("role", "?"),
                Long.parseLong(properties.getProperty("applied", "0")),
                Long.parseLong(properties.getProperty("updatedMillis", "0")),
                Integer.parseInt(properties.getProperty("posPort", "-1")),
                Integer.parseInt(properties.getProperty("adminPort", "-1")));
    }
}
