package dev.prepaid.config;

import dev.prepaid.journal.JournalConfig;
import dev.prepaid.ledger.LedgerConfig;
import dev.prepaid.pipeline.PipelineConfig;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The switch's configuration file ({@code config/switch.yaml}), read and checked. Immutable.
 *
 * <p><b>Relative paths</b> in the file are resolved against its <em>base directory</em>: the directory holding
 * the file, or, when the file sets {@code baseDirectory}, that directory (itself relative to the file's
 * directory). The shipped {@code config/switch.yaml} sets {@code baseDirectory: ..}, so its paths read from the
 * project root ({@code data/journal}, {@code config/keys.txt}) wherever the switch is started from; the demo's
 * {@code config/demo/switch.yaml} sets none, so its files sit next to it and the demo directory can be copied
 * anywhere (a temporary directory) as a whole. A default that names a shipped file (the dialect,
 * {@code config/iso8583/cup-pos.yaml}) is resolved against the installation directory instead: the system property
 * {@code prepaid.home}, else the working directory ({@code bin/prepaid} runs from the project root).
 *
 * <p>{@link #load} reads the file only; {@link StartChecks#verify} then checks the world: files present, journal
 * directory writable, ports free.
 *
 * @param file the configuration file (absolute)
 * @param baseDirectory what relative paths in the file were resolved against
 * @param dialect the ISO 8583 dialect file
 * @param bootstrap the bootstrap file applied to an empty journal, if any
 */
public record SwitchConfig(
        Path file,
        Path baseDirectory,
        ServerSettings server,
        PipelineConfig pipeline,
        JournalSettings journal,
        LedgerConfig ledger,
        KeySettings keys,
        Path dialect,
        Optional<Path> bootstrap,
        MetricsSettings metrics,
        AdminSettings admin,
        BusinessSettings business) {

    /** The system property naming the installation directory. */
    public static final String HOME_PROPERTY = "prepaid.home";
    /** The default configuration file, relative to the installation directory. */
    public static final String DEFAULT_PATH = "config/switch.yaml";

    /**
     * Reads and checks a configuration file; the installation directory is {@code -Dprepaid.home} or the working
     * directory.
     *
     * @throws ConfigException one line naming the file, the key and the problem
     */
    public static SwitchConfig load(final Path file) {
        return load(file, home());
    }

    /**
     * The configuration a tool's {@code --config} names, or the installation's {@code config/switch.yaml} without
     * one ({@code given} null). A directory or a missing file is refused by name before anything is parsed.
     */
    public static SwitchConfig loadGiven(final String given, final Path home) {
        final Path file = given != null ? Path.of(given) : home.resolve(DEFAULT_PATH);
        if (java.nio.file.Files.isDirectory(file)) {
            throw new ConfigException(file + " is a directory, not a configuration file");
        }
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new ConfigException(file + ": the configuration file does not exist");
        }
        return load(file, home);
    }

    /** As {@link #load(Path)} with an explicit installation directory (for the shipped defaults). */
    public static SwitchConfig load(final Path file, final Path home) {
        return new SwitchConfigLoader(file, home).load();
    }

    /** As {@link #load(Path, Path)} from text (tests); relative paths resolve against {@code directory}. */
    public static SwitchConfig parse(final String yaml, final Path directory, final Path home) {
        return new SwitchConfigLoader(directory.resolve("switch.yaml"), home).parse(yaml);
    }

    /** The installation directory: {@code -Dprepaid.home}, else the working directory. */
    public static Path home() {
        final String property = System.getProperty(HOME_PROPERTY);
        return Path.of(property == null || property.isBlank() ? "" : property).toAbsolutePath().normalize();
    }

    /** The same configuration with another journal directory (the demo runs its journal in a scratch directory). */
    public SwitchConfig withJournalDirectory(final Path directory) {
        final JournalConfig j = journal.journal();
        final JournalConfig moved = new JournalConfig(directory.toAbsolutePath().normalize(), j.durability(),
                j.rollCycle(), j.minFreeBytes(), j.keepDays(), j.cycleClock());
        return new SwitchConfig(file, baseDirectory, server, pipeline,
                new JournalSettings(moved, journal.snapshotEveryCommands(), journal.snapshotsKept()), ledger, keys,
                dialect, bootstrap, metrics, admin, business);
    }

    /** The same configuration with other listener ports (tests run on free ports; 0 picks one). */
    public SwitchConfig withPorts(final int serverPort, final int metricsPort, final int adminPort) {
        final ServerSettings s = server;
        return new SwitchConfig(file, baseDirectory,
                new ServerSettings(s.host(), serverPort, s.maxFrameBytes(), s.maxConnections(),
                        s.idleTimeoutSeconds(), s.frameDeadlineMillis(), s.allowList()),
                pipeline, journal, ledger, keys, dialect, bootstrap,
                new MetricsSettings(metrics.enabled(), metrics.host(), metricsPort),
                admin.withPort(adminPort), business);
    }
}
