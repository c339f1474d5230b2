package dev.prepaid.cluster.tools;

import dev.prepaid.config.SwitchConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/prepaid cluster start|status|stop|node}: a three-member ledger cluster on this machine, for trials. Each
 * member is a process of its own ({@link ClusterNodeMain}), started in the background with its output in
 * {@code DIR/member-N/node.log}; {@code status} reads the members' status files; {@code stop} sends each SIGTERM.
 */
public final class ClusterCommand {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    static final String USAGE_TEXT = String.join("\n",
            "usage: bin/prepaid cluster <start|status|stop|node> [options]",
            "",
            "  start    starts the three members of a ledger cluster on this machine (each its own process, output in",
            "           DIR/member-N/node.log), waits for a leader, prints the status; members already running are left",
            "  status   each member: process, role (LEADER, FOLLOWER, CANDIDATE; STOPPED when stopped, DOWN when its",
            "           process is gone without stopping), commands applied, last heard",
            "  stop     stops every member (SIGTERM; each closes its log, archive and journal)",
            "  node     one member in the foreground (bin/prepaid cluster node --help)",
            "",
            "  --directory DIR   the cluster's directory (default data/cluster)",
            "  --config FILE     start: the switch configuration every member reads (default config/switch.yaml)",
            "  --port-base P     start: members listen on UDP P+1..P+25 (default " + ClusterLayout.DEFAULT_PORT_BASE + ")",
            "  --serve           start: each member also serves terminals and operators (its front), on the",
            "                    configuration's POS, admin and metrics ports plus 10 times its member number",
            "",
            "exit status: 0 done, 1 a member did not start or stop (the message says which), 2 bad arguments");

    private final PrintStream out;
    private final PrintStream err;

    ClusterCommand(final PrintStream out, final PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(final String[] args) throws Exception {
        if (args.length > 0 && "node".equals(args[0])) {
            ClusterNodeMain.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        System.exit(new ClusterCommand(System.out, System.err).run(args));
    }

    int run(final String[] args) throws IOException, InterruptedException {
        if (args.length == 0 || "--help".equals(args[0]) || "-h".equals(args[0])) {
            out.println(USAGE_TEXT);
            return args.length == 0 ? USAGE : OK;
        }
        Path directory = Path.of("data/cluster");
        String config = null;
        int portBase = ClusterLayout.DEFAULT_PORT_BASE;
        boolean serve = false;
        for (int i = 1; i < args.length; i++) {
            final boolean hasValue = i + 1 < args.length;
            switch (args[i]) {
                case "--directory" -> {
                    if (!hasValue) {
                        return usage("--directory needs a value");
                    }
                    directory = Path.of(args[++i]);
                }
                case "--config" -> {
                    if (!hasValue) {
                        return usage("--config needs a value");
                    }
                    config = args[++i];
                }
                case "--port-base" -> {
                    if (!hasValue || !args[i + 1].matches("[0-9]{4,5}")) {
                        return usage("--port-base needs a port number");
                    }
                    portBase = Integer.parseInt(args[++i]);
                }
                case "--serve" -> serve = true;
                default -> {
                    return usage("unknown option " + args[i]);
                }
            }
        }
        final Path cluster = directory.toAbsolutePath();
        return switch (args[0]) {
            case "start" -> start(cluster, config, portBase, serve);
            case "status" -> status(cluster);
            case "stop" -> stop(cluster);
            default -> usage("unknown command " + args[0] + " (start, status, stop or node)");
        };
    }

    private int usage(final String problem) {
        err.println("bin/prepaid cluster: " + problem);
        err.println(USAGE_TEXT);
        return USAGE;
    }

    private int start(final Path cluster, final String config, final int portBase, final boolean serve)
            throws IOException, InterruptedException {
        final List<Process> started = new ArrayList<>();
        final List<Path> logs = new ArrayList<>();
        for (int m = 0; m < ClusterLayout.MEMBERS; m++) {
            final ClusterLayout.Status status = ClusterLayout.readStatus(cluster, m);
            if (status != null && status.fresh(System.currentTimeMillis())) {
                out.printf("member %d is running already (pid %d)%n", m, status.pid());
                continue;
            }
            Files.createDirectories(ClusterLayout.memberDirectory(cluster, m));
            final List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            // The members run as this JVM does: its flags (heap, --add-exports, the production options) and classpath.
            command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
            // Relative paths of the configuration (the dialect, the key file) resolve as they do for this command.
            command.add("-D" + SwitchConfig.HOME_PROPERTY + "=" + SwitchConfig.home());
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(ClusterNodeMain.class.getName());
            command.addAll(List.of("--member", Integer.toString(m), "--directory", cluster.toString(), "--port-base",
                    Integer.toString(portBase)));
            if (config != null) {
                command.addAll(List.of("--config", Path.of(config).toAbsolutePath().toString()));
            }
            if (serve) {
                command.add("--serve");
            }
            final Path log = ClusterLayout.logFile(cluster, m);
            logs.add(log);
            started.add(new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start());
            out.printf("member %d started (pid %d), output in %s%n", m, started.get(started.size() - 1).pid(), log);
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (final Process process : started) {
                if (!process.isAlive()) {
                    final int member = started.indexOf(process);
                    err.printf("bin/prepaid cluster: a member (pid %d) ended with status %d; the end of its log:%n%s%n",
                            process.pid(), process.exitValue(), tail(logs.get(member), 15));
                    stopStarted(started);
                    return FAILED;
                }
            }
            if (leaderAmongFresh(cluster) && allFresh(cluster) && (!serve || allServing(cluster))) {
                status(cluster);
                out.println("stop it: bin/prepaid cluster stop --directory " + cluster);
                return OK;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        err.println("bin/prepaid cluster: no leader within 60 s; the members' node.log files say why");
        status(cluster);
        return FAILED;
    }

    private static String tail(final Path log, final int lines) {
        try {
            final List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (final IOException e) {
            return "(" + log + " cannot be read: " + e.getMessage() + ")";
        }
    }

    private static void stopStarted(final List<Process> started) {
        for (final Process process : started) {
            process.destroy();
        }
    }

    private static boolean allFresh(final Path cluster) {
        final long now = System.currentTimeMillis();
        for (int m = 0; m < ClusterLayout.MEMBERS; m++) {
            final ClusterLayout.Status status = ClusterLayout.readStatus(cluster, m);
            if (status == null || !status.fresh(now)) {
                return false;
            }
        }
        return true;
    }

    /** Every member's front listens (a member writes its ports once its front has started). */
    private static boolean allServing(final Path cluster) {
        for (int m = 0; m < ClusterLayout.MEMBERS; m++) {
            final ClusterLayout.Status status = ClusterLayout.readStatus(cluster, m);
            if (status == null || status.posPort() < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean leaderAmongFresh(final Path cluster) {
        final long now = System.currentTimeMillis();
        for (int m = 0; m < ClusterLayout.MEMBERS; m++) {
            final ClusterLayout.Status status = ClusterLayout.readStatus(cluster, m);
            if (status != null && status.fresh(now) && "LEADER".equals(status.role())) {
                return true;
            }
        }
        return false;
    }

    private int status(final Path cluster) {
        final long now = System.currentTimeMillis();
        out.printf("cluster %s%n", cluster);
        out.printf("%-7s %-8s %-10s %14s  %-16s %s%n", "member", "pid", "role", "applied", "last heard", "serving");
        int up = 0;
        for (int m = 0; m < ClusterLayout.MEMBERS; m++) {
            final ClusterLayout.Status status = ClusterLayout.readStatus(cluster, m);
            if (status == null) {
                out.printf("%-7d %-8s %-10s %14s  %s%n", m, "-", "never ran", "-", "-");
                continue;
            }
            final boolean fresh = status.fresh(now);
            up += fresh ? 1 : 0;
            out.printf(Locale.ROOT, "%-7d %-8d %-10s %,14d  %-16s %s%n", m, status.pid(),
                    fresh ? status.role() : "STOPPED".equals(status.role()) ? "STOPPED" : "DOWN",
                    status.applied(), String.format(Locale.ROOT, "%.1f s ago", (now - status.updatedMillis()) / 1e3),
                    !fresh || status.posPort() < 0 ? "-" : "POS " + status.posPort()
                            + (status.adminPort() < 0 ? "" : ", admin " + status.adminPort()));
        }
        out.printf("%d of %d members running; %s%n", up, ClusterLayout.MEMBERS,
                up >= 2 ? "a majority: the cluster takes commands" : "no majority: the cluster cannot commit");
        return OK;
    }

    private int stop(final Path cluster) throws InterruptedException {
        int failed = 0;
        for (int m = 0; m < ClusterLayout.MEMBERS; m++) {
            final ClusterLayout.Status status = ClusterLayout.readStatus(cluster, m);
            if (status == null) {
                continue;
            }
            final var process = ProcessHandle.of(status.pid());
            if (process.isEmpty() || !process.get().isAlive()) {
                continue;
            }
            process.get().destroy();
            try {
                process.get().onExit().get(30, TimeUnit.SECONDS);
                out.printf("member %d stopped (pid %d)%n", m, status.pid());
            } catch (final java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                err.printf("bin/prepaid cluster: member %d (pid %d) did not stop within 30 s%n", m, status.pid());
                failed++;
            }
        }
        return failed == 0 ? OK : FAILED;
    }
}
