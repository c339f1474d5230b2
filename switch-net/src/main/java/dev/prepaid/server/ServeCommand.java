package dev.prepaid.server;

import dev.prepaid.config.ConfigException;
import dev.prepaid.config.SwitchConfig;
import dev.prepaid.journal.JournalException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/prepaid serve [--config FILE]}: the switch in the foreground until SIGTERM or Ctrl-C, which stop it
 * in order (terminals, ring, journal, last snapshot). Exit codes: 0 after a clean stop, 1 after a failure while
 * running, 2 for a configuration or start problem (one line on standard error naming it).
 */
public final class ServeCommand {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    private ServeCommand() {
    }

    public static void main(final String[] args) {
        Path file = SwitchConfig.home().resolve(SwitchConfig.DEFAULT_PATH);
        for (int i = 0; i < args.length; i++) {
            if (("--config".equals(args[i]) || "-c".equals(args[i])) && i + 1 < args.length) {
                file = Path.of(args[++i]).toAbsolutePath().normalize();
            } else if ("--help".equals(args[i]) || "-h".equals(args[i])) {
                System.out.println("usage: bin/prepaid serve [--config FILE]   (default " + SwitchConfig.DEFAULT_PATH + ")");
                return;
            } else {
                System.err.println("prepaid serve: unknown argument '" + args[i] + "'; usage: bin/prepaid serve [--config FILE]");
                System.exit(2);
            }
        }
        if (!Files.isRegularFile(file)) {
            System.err.println("prepaid serve: configuration file " + file + " does not exist");
            System.exit(2);
        }
        final SwitchServer server;
        try {
            server = SwitchServer.start(SwitchConfig.load(file));
        } catch (final ConfigException | JournalException e) {
            System.err.println("prepaid serve: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
        try {
            server.stopped().join();
        } catch (final CompletionException e) {
            LOG.error("switch stopped after a failure: {}", e.getCause() == null ? e : e.getCause().toString());
            System.exit(1);
        }
    }
}
