package dev.prepaid.server.crash;

import dev.prepaid.config.SwitchConfig;
import dev.prepaid.server.SwitchServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;

/**
 * The process {@link SwitchCrashTest} kills: the real {@link SwitchServer} on the configuration file given as the
 * first argument (the installation directory, for the dialect, as the second), every listener on a free port.
 * Once it listens it prints {@code POS_PORT <port>} on standard output and serves until it is killed.
 *
 * <p>It never outlives the test: when its standard input ends (the parent JVM is gone, however it ended) it halts.
 * Exit values: 2 when the switch does not start, 1 when it stopped after a failure, 3 when orphaned.
 */
public final class SwitchChild {
    static final String PORT_LINE = "POS_PORT ";
    static final String FAILED_LINE = "START_FAILED ";

    private SwitchChild() {
    }

    public static void main(final String[] args) {
        if (args.length != 2) {
            System.err.println("usage: SwitchChild <switch.yaml> <installation directory>");
            System.exit(2);
        }
        watchParent();
        final SwitchServer server;
        try {
            server = SwitchServer.start(SwitchConfig.load(Path.of(args[0]), Path.of(args[1])).withPorts(0, 0, 0));
        } catch (final RuntimeException e) {
            System.out.println(FAILED_LINE + e);
            e.printStackTrace(System.out);
            System.out.flush();
            System.exit(2);
            return;
        }
        System.out.println(PORT_LINE + server.posPort());
        System.out.flush();
        try {
            server.stopped().join();
        } catch (final CompletionException e) {
            System.out.println("STOPPED_AFTER_FAILURE " + e.getCause());
            System.out.flush();
            Runtime.getRuntime().halt(1);
        }
    }

    /** Halts when standard input reaches its end: the parent closed it or died. */
    private static void watchParent() {
        final Thread watcher = new Thread(() -> {
            final InputStream in = System.in;
            try {
                while (in.read() >= 0) {
                    // the parent never writes; anything read is ignored
                }
            } catch (final IOException e) {
                // the pipe broke: the parent is gone
            }
            Runtime.getRuntime().halt(3);
        }, "parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}
