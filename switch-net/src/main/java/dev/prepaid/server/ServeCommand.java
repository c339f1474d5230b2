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

    static final String USAGE = "usage: bin/prepaid serve [--config FILE]   (default " + SwitchConfig.DEFAULT_PATH + ")";

    private ServeCommand() {
    }

    /**
     * The configuration file the arguments name ({@code home}'s default without {@code --config}), absolute; null
     * when they ask for help. Each mistake has its own message, since "does not exist" for a directory or "unknown
     * argument" for a {@code --config} without its value sends the operator looking for the wrong problem.
     *
     * @throws IllegalArgumentException one line naming the mistake
     */
    static Path configFile(final String[] args, final Path home) {
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            if ("--config".equals(args[i]) || "-c".equals(args[i])) {
                if (i + 1 >= args.length || args[i + 1].startsWith("-")) {
                    throw new IllegalArgumentException(args[i] + " needs a file; " + USAGE);
                }
                if (file != null) {
                    throw new IllegalArgumentException("--config given twice (" + file + " and " + args[i + 1]
                            + "); the switch runs one configuration");
                }
                file = Path.of(args[++i]).toAbsolutePath().normalize();
            } else if ("--help".equals(args[i]) || "-h".equals(args[i])) {
                return null;
            } else {
                throw new IllegalArgumentException("unknown argument '" + args[i] + "'; " + USAGE);
            }
        }
        if (file == null) {
            file = home.resolve(SwitchConfig.DEFAULT_PATH).toAbsolutePath().normalize();
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + " is a directory, not a configuration file");
        }
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("configuration file " + file + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " is not a regular file");
        }
        return file;
    }

    public static void main(final String[] args) {
        final Path file;
        try {
            file = configFile(args, SwitchConfig.home());
        } catch (final IllegalArgumentException e) {
            System.err.println("prepaid serve: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (file == null) {
            System.out.println(USAGE);
            return;
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
