package dev.prepaid.config;

import dev.prepaid.iso8583.Dialect;
import dev.prepaid.journal.Durability;
import dev.prepaid.journal.JournalConfig;
import dev.prepaid.ledger.LedgerConfig;
import dev.prepaid.payout.Debtor;
import dev.prepaid.pipeline.PipelineConfig;
import dev.prepaid.pipeline.StageLayout;
import dev.prepaid.pipeline.WaitStrategyName;
import dev.prepaid.security.KeyComponentSource;
import dev.prepaid.security.KeyMaterialException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads {@code switch.yaml} (see {@link SwitchConfig}) into records and checks every value. */
final class SwitchConfigLoader {
    /** A configuration file is a page or two; anything far larger is not one. */
    static final long MAX_FILE_BYTES = 1024 * 1024;

    // ------------------------------------------------------------------ the file, as Jackson reads it

    record FileShape(String baseDirectory, ServerShape server, PipelineShape pipeline, JournalShape journal,
            LedgerShape ledger, KeysShape keys, String dialect, String bootstrap, MetricsShape metrics,
            AdminShape admin, BusinessShape business) {
    }

    record ServerShape(String host, Integer port, Integer maxFrameBytes, Integer maxConnections,
            Integer idleTimeoutSeconds, Integer frameDeadlineMillis, List<String> allowList) {
    }

    record PipelineShape(Integer ringSize, WaitStrategyName waitStrategy, StageLayout layout) {
    }

    record JournalShape(String directory, Durability durability, String rollCycle, Integer minFreeMiB,
            Integer keepDays, Long snapshotEveryCommands, Integer snapshotsKept) {
    }

    record LedgerShape(Integer maxCards, Integer transactionLogCapacity, Integer maxOpenHolds, Integer maxMerchants,
            Integer maxTerminals, Integer maxOperators, Integer maxCardTypes, Integer maxBinRanges, Integer maxRules,
            Integer maxPendingRequests, Integer reviewQueueCapacity, Integer adminRequestMemory, Integer calendarDays,
            Integer maxBatchCards, Integer auditEntries) {
    }

    record KeysShape(List<String> mfkComponents, String keyFile, Boolean development) {
    }

    record MetricsShape(Boolean enabled, String host, Integer port) {
    }

    record AdminShape(Boolean enabled, String host, Integer port, HashingShape passwordHashing, TlsShape tls,
            Boolean allowPlaintext, LimitsShape limits, String cardFiles, String payoutFiles) {
    }

    record TlsShape(String certificate, String privateKey) {
    }

    record LimitsShape(Integer sessionMinutes, Integer maxConnections, Integer maxBodyKiB, Integer maxHeaderBytes,
            Integer requestsPerSecond, Integer idleSeconds) {
    }

    record HashingShape(Integer memoryKiB, Integer iterations, Integer parallelism) {
    }

    record BusinessShape(String timeZone, String cutoverTime, Integer holdExpiryCheckSeconds,
            String acquirerInstitutionId, CustodyShape custodyAccount, Boolean clearing) {
    }

    record CustodyShape(String name, String account, String bankName, String bic, String cnapsCode) {
    }

    // ------------------------------------------------------------------ loading

    private static final int MIN_FRAME_BYTES = 5 + 6 + 2 + 8;

    private final Path file;
    private final String source;
    private final Path home;
    private Path base;

    SwitchConfigLoader(final Path file, final Path home) {
        this.source = file.toString();
        this.file = file.toAbsolutePath().normalize();
        this.home = home.toAbsolutePath().normalize();
    }

    SwitchConfig load() {
        return build(YamlFiles.read(file, source, FileShape.class, MAX_FILE_BYTES));
    }

    SwitchConfig parse(final String yaml) {
        return build(YamlFiles.parse(source, yaml, FileShape.class));
    }

    private SwitchConfig build(final FileShape f) {
        final Path directory = file.getParent();
        base = f.baseDirectory() == null ? directory : directory.resolve(path(f.baseDirectory(), "baseDirectory")).normalize();

        final ServerSettings server = server(f.server() == null ? empty(ServerShape.class) : f.server());
        final PipelineConfig pipeline = pipeline(f.pipeline() == null ? new PipelineShape(null, null, null) : f.pipeline());
        final JournalSettings journal = journal(f.journal() == null ? empty(JournalShape.class) : f.journal());
        final LedgerConfig ledger = ledger(f.ledger() == null ? empty(LedgerShape.class) : f.ledger());
        final KeySettings keys = keys(f.keys());
        final Path dialect = f.dialect() == null ? home.resolve(Dialect.DEFAULT_PATH) : resolve(f.dialect(), "dialect");
        final Optional<Path> bootstrap = f.bootstrap() == null ? Optional.empty()
                : Optional.of(resolve(f.bootstrap(), "bootstrap"));
        final MetricsShape m = f.metrics() == null ? new MetricsShape(null, null, null) : f.metrics();
        final MetricsSettings metrics = new MetricsSettings(bool(m.enabled(), true),
                host(m.host(), "metrics.host"), port(m.port(), MetricsSettings.DEFAULT_PORT, "metrics.port"));
        final AdminSettings admin = admin(f.admin() == null ? new AdminShape(null, null, null, null, null, null, null, null, null) : f.admin(), keys);
        final BusinessSettings business = business(f.business());

        distinctPorts(server, metrics, admin);
        return new SwitchConfig(file, base, server, pipeline, journal, ledger, keys, dialect, bootstrap, metrics, admin,
                business);
    }

    private static <T extends Record> T empty(final Class<T> type) {
        try {
            final Class<?>[] types = java.util.Arrays.stream(type.getRecordComponents())
                    .map(java.lang.reflect.RecordComponent::getType).toArray(Class<?>[]::new);
            return type.getDeclaredConstructor(types).newInstance(new Object[types.length]);
        } catch (final ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private ServerSettings server(final ServerShape s) {
        final List<AddressRange> allow = new ArrayList<>();
        final List<String> entries = s.allowList() == null ? List.of() : s.allowList();
        for (int i = 0; i < entries.size(); i++) {
            try {
                allow.add(AddressRange.parse(entries.get(i)));
            } catch (final IllegalArgumentException e) {
                throw fail("server.allowList[" + i + "]", e.getMessage());
            }
        }
        return new ServerSettings(
                host(s.host(), "server.host"),
                port(s.port(), ServerSettings.DEFAULT_PORT, "server.port"),
                in(s.maxFrameBytes(), 2048, MIN_FRAME_BYTES, 65_535, "server.maxFrameBytes"),
                in(s.maxConnections(), 10_000, 1, 1_000_000, "server.maxConnections"),
                in(s.idleTimeoutSeconds(), 300, 1, 86_400, "server.idleTimeoutSeconds"),
                in(s.frameDeadlineMillis(), 5_000, 10, 600_000, "server.frameDeadlineMillis"),
                allow);
    }

    private PipelineConfig pipeline(final PipelineShape p) {
        final int ringSize = in(p.ringSize(), PipelineConfig.defaults().ringSize(), 2, 1 << 24, "pipeline.ringSize");
        if (Integer.bitCount(ringSize) != 1) {
            throw fail("pipeline.ringSize", ringSize + " is not a power of two (e.g. 4096, 8192, 16384)");
        }
        return new PipelineConfig(ringSize, p.waitStrategy() == null ? PipelineConfig.defaults().waitStrategy()
                : p.waitStrategy(), p.layout() == null ? PipelineConfig.defaults().layout() : p.layout());
    }

    private JournalSettings journal(final JournalShape j) {
        final Path directory = j.directory() == null ? base.resolve("data/journal").normalize()
                : resolve(j.directory(), "journal.directory");
        final String rollCycle = j.rollCycle() == null ? JournalConfig.DEFAULT_ROLL_CYCLE : j.rollCycle();
        final long minFreeMiB = in(j.minFreeMiB(), 64, 0, 1 << 20, "journal.minFreeMiB");
        final int keepDays = in(j.keepDays(), 0, 0, 36_500, "journal.keepDays");
        final JournalConfig config;
        try {
            config = new JournalConfig(directory, j.durability() == null ? Durability.SYNC : j.durability(), rollCycle,
                    minFreeMiB * 1024 * 1024, keepDays, null);
        } catch (final IllegalArgumentException e) {
            throw fail("journal.rollCycle", e.getMessage());
        }
        final long every = j.snapshotEveryCommands() == null ? 1_000_000L : j.snapshotEveryCommands();
        if (every < 1_000 || every > 1_000_000_000L) {
            throw fail("journal.snapshotEveryCommands", every + " is out of range 1000..1000000000");
        }
        return new JournalSettings(config, every, in(j.snapshotsKept(), 3, 1, 100, "journal.snapshotsKept"));
    }

    private LedgerConfig ledger(final LedgerShape l) {
        final LedgerConfig d = LedgerConfig.defaults();
        final int maxCards = in(l.maxCards(), d.maxCards(), 1, Integer.MAX_VALUE, "ledger.maxCards");
        final int transactionLogCapacity = in(l.transactionLogCapacity(), d.transactionLogCapacity(), 1,
                1 << 30, "ledger.transactionLogCapacity");
        if (Integer.bitCount(transactionLogCapacity) != 1) {
            throw fail("ledger.transactionLogCapacity", transactionLogCapacity + " is not a power of two (e.g. 1048576)");
        }
        try {
            return new LedgerConfig(
                    maxCards,
                    transactionLogCapacity,
                    in(l.maxOpenHolds(), d.maxOpenHolds(), 1, Integer.MAX_VALUE, "ledger.maxOpenHolds"),
                    in(l.maxMerchants(), d.maxMerchants(), 1, Integer.MAX_VALUE, "ledger.maxMerchants"),
                    in(l.maxTerminals(), d.maxTerminals(), 1, 1 << 20, "ledger.maxTerminals"),
                    in(l.maxOperators(), d.maxOperators(), 1, Integer.MAX_VALUE, "ledger.maxOperators"),
                    in(l.maxCardTypes(), d.maxCardTypes(), 1, 65_535, "ledger.maxCardTypes"),
                    in(l.maxBinRanges(), d.maxBinRanges(), 1, Integer.MAX_VALUE, "ledger.maxBinRanges"),
                    in(l.maxRules(), d.maxRules(), 1, Integer.MAX_VALUE, "ledger.maxRules"),
                    in(l.maxPendingRequests(), d.maxPendingRequests(), 1, Integer.MAX_VALUE, "ledger.maxPendingRequests"),
                    in(l.reviewQueueCapacity(), d.reviewQueueCapacity(), 1, Integer.MAX_VALUE, "ledger.reviewQueueCapacity"),
                    in(l.adminRequestMemory(), d.adminRequestMemory(), 1, Integer.MAX_VALUE, "ledger.adminRequestMemory"),
                    in(l.calendarDays(), d.calendarDays(), 1, Integer.MAX_VALUE, "ledger.calendarDays"),
                    in(l.maxBatchCards(), d.maxBatchCards(), 1, Integer.MAX_VALUE, "ledger.maxBatchCards"),
                    in(l.auditEntries(), d.auditEntries(), 1, LedgerConfig.MAX_AUDIT_ENTRIES, "ledger.auditEntries"));
        } catch (final IllegalArgumentException e) {
            throw fail("ledger", e.getMessage());
        }
    }

    private KeySettings keys(final KeysShape k) {
        if (k == null) {
            throw fail("keys", "the section is required: mfkComponents (two or more file:/env: sources) and keyFile");
        }
        if (k.mfkComponents() == null) {
            throw fail("keys.mfkComponents", "the key is required: two or more MFK component sources, file:<path> or"
                    + " env:<variable>");
        }
        if (k.mfkComponents().size() < 2) {
            throw fail("keys.mfkComponents", k.mfkComponents().size() + " component given; the MFK needs at least 2,"
                    + " each held by a different custodian");
        }
        final List<String> specs = new ArrayList<>();
        for (int i = 0; i < k.mfkComponents().size(); i++) {
            final String key = "keys.mfkComponents[" + i + "]";
            final String spec = k.mfkComponents().get(i).trim();
            try {
                KeyComponentSource.parse(spec);
            } catch (final KeyMaterialException e) {
                throw fail(key, e.getMessage());
            }
            final String resolved = spec.startsWith("file:") ? "file:" + resolve(spec.substring("file:".length()), key)
                    : spec;
            if (specs.contains(resolved)) {
                throw fail(key, "'" + spec + "' is listed twice; each component comes from its own custodian");
            }
            specs.add(resolved);
        }
        if (k.keyFile() == null) {
            throw fail("keys.keyFile", "the key is required: the key file with the TMKs, CVK pairs and PIN"
                    + " verification key under the MFK");
        }
        return new KeySettings(specs, resolve(k.keyFile(), "keys.keyFile"), bool(k.development(), false));
    }

    private AdminSettings admin(final AdminShape a, final KeySettings keys) {
        final HashingShape h = a.passwordHashing() == null ? new HashingShape(null, null, null) : a.passwordHashing();
        final PasswordHashing p = PasswordHashing.PRODUCTION;
        final int parallelism = in(h.parallelism(), p.parallelism(), 1, PasswordHashing.MAX_PARALLELISM,
                "admin.passwordHashing.parallelism");
        final PasswordHashing hashing = new PasswordHashing(
                in(h.memoryKiB(), p.memoryKiB(), 8 * parallelism, PasswordHashing.MAX_MEMORY_KIB,
                        "admin.passwordHashing.memoryKiB"),
                in(h.iterations(), p.iterations(), 1, PasswordHashing.MAX_ITERATIONS, "admin.passwordHashing.iterations"),
                parallelism);
        if (!keys.development() && !hashing.meetsProductionMinimum()) {
            throw fail("admin.passwordHashing", "memoryKiB " + hashing.memoryKiB() + ", iterations "
                    + hashing.iterations() + " are below the floor for real passwords (memoryKiB >= "
                    + PasswordHashing.MIN_PRODUCTION_MEMORY_KIB + ", iterations >= "
                    + PasswordHashing.MIN_PRODUCTION_ITERATIONS + "); cheaper hashing is for the demo only"
                    + " (keys.development: true)");
        }
        final String host = host(a.host(), "admin.host");
        Path certificate = null;
        Path privateKey = null;
        if (a.tls() != null) {
            if (a.tls().certificate() == null || a.tls().privateKey() == null) {
                throw fail("admin.tls", "needs both certificate and privateKey (PEM files)");
            }
            certificate = resolve(a.tls().certificate(), "admin.tls.certificate");
            privateKey = resolve(a.tls().privateKey(), "admin.tls.privateKey");
        }
        final boolean allowPlaintext = bool(a.allowPlaintext(), false);
        final boolean enabled = bool(a.enabled(), true);
        if (enabled && certificate == null && !allowPlaintext && !loopback(host)) {
            throw fail("admin.host", host + " is not a loopback address and admin.tls is not set: passwords and session"
                    + " tokens would cross the network in clear. Give admin.tls a certificate and key, or listen on"
                    + " 127.0.0.1, or (behind a TLS proxy only) set admin.allowPlaintext: true");
        }
        final LimitsShape l = a.limits() == null ? new LimitsShape(null, null, null, null, null, null) : a.limits();
        final AdminSettings.AdminLimits d = AdminSettings.AdminLimits.DEFAULTS;
        final AdminSettings.AdminLimits limits = new AdminSettings.AdminLimits(
                in(l.sessionMinutes(), d.sessionMinutes(), 1, 24 * 60, "admin.limits.sessionMinutes"),
                in(l.maxConnections(), d.maxConnections(), 1, 10_000, "admin.limits.maxConnections"),
                in(l.maxBodyKiB(), d.maxBodyBytes() / 1024, 1, 64 * 1024, "admin.limits.maxBodyKiB") * 1024,
                in(l.maxHeaderBytes(), d.maxHeaderBytes(), 1024, 65_536, "admin.limits.maxHeaderBytes"),
                in(l.requestsPerSecond(), d.requestsPerSecond(), 1, 100_000, "admin.limits.requestsPerSecond"),
                in(l.idleSeconds(), d.idleSeconds(), 1, 3600, "admin.limits.idleSeconds"));
        final Path cardFiles = a.cardFiles() == null ? null : resolve(a.cardFiles(), "admin.cardFiles");
        final Path payoutFiles = a.payoutFiles() == null ? null : resolve(a.payoutFiles(), "admin.payoutFiles");
        return new AdminSettings(enabled, host, port(a.port(), AdminSettings.DEFAULT_PORT, "admin.port"), hashing,
                certificate, privateKey, allowPlaintext, limits, cardFiles, payoutFiles);
    }

    private static boolean loopback(final String host) {
        return "127.0.0.1".equals(host) || "::1".equals(host) || "localhost".equals(host) || host.startsWith("127.");
    }

    private BusinessSettings business(final BusinessShape b) {
        if (b == null || b.acquirerInstitutionId() == null) {
            throw fail("business.acquirerInstitutionId", "the key is required: the switch's institution id, 1-11"
                    + " digits in quotes (POS fields 32 and 44)");
        }
        ZoneId zone = BusinessSettings.DEFAULT_TIME_ZONE;
        if (b.timeZone() != null) {
            try {
                zone = ZoneId.of(b.timeZone());
            } catch (final DateTimeException e) {
                throw fail("business.timeZone", "'" + b.timeZone() + "' is not a time zone (e.g. Asia/Shanghai, UTC)");
            }
        }
        LocalTime cutover = LocalTime.MIDNIGHT;
        if (b.cutoverTime() != null) {
            if (!b.cutoverTime().matches("\\d{2}:\\d{2}")) {
                throw fail("business.cutoverTime", "'" + b.cutoverTime() + "' is not a time of day HH:MM (00:00..23:59)");
            }
            try {
                cutover = LocalTime.parse(b.cutoverTime());
            } catch (final DateTimeException e) {
                throw fail("business.cutoverTime", "'" + b.cutoverTime() + "' is not a time of day HH:MM (00:00..23:59)");
            }
        }
        if (!b.acquirerInstitutionId().matches("\\d{1,11}")) {
            throw fail("business.acquirerInstitutionId", "'" + b.acquirerInstitutionId() + "' is not 1-11 digits");
        }
        return new BusinessSettings(zone, cutover,
                in(b.holdExpiryCheckSeconds(), 60, 1, 3_600, "business.holdExpiryCheckSeconds"),
                b.acquirerInstitutionId(), custody(b.custodyAccount()), b.clearing() == null || b.clearing());
    }

    /**
     * The debtor of every payout file, checked now against what the files can carry (payout's own rules), so a
     * custody account the bank would refuse stops the start instead of the first export after an approval.
     */
    private Debtor custody(final CustodyShape c) {
        if (c == null) {
            return null;
        }
        final String key = "business.custodyAccount";
        for (final String[] required : new String[][] {{"name", c.name()}, {"account", c.account()},
                {"bankName", c.bankName()}}) {
            if (required[1] == null || required[1].isBlank()) {
                throw fail(key + "." + required[0], "the key is required (the custody account that pays merchants:"
                        + " name, account, bankName, and bic or cnapsCode)");
            }
        }
        if (c.bic() == null && c.cnapsCode() == null) {
            throw fail(key, "the custody account's bank needs bic, cnapsCode or both");
        }
        if (c.cnapsCode() != null && !c.cnapsCode().matches("[0-9]{12}")) {
            throw fail(key + ".cnapsCode", "'" + c.cnapsCode() + "' is not a CNAPS code (12 digits, in quotes)");
        }
        try {
            return new Debtor(c.name(), c.account(), c.bankName(), c.bic(), c.cnapsCode());
        } catch (final IllegalArgumentException e) {
            final String message = e.getMessage();
            final String field = message.startsWith("debtor BIC") ? "bic" : message.startsWith("debtor account") ? "account"
                    : message.startsWith("debtor bank") ? "bankName" : message.startsWith("debtor name") ? "name" : null;
            throw fail(field == null ? key : key + "." + field, message);
        }
    }

    private void distinctPorts(final ServerSettings server, final MetricsSettings metrics, final AdminSettings admin) {
        if (metrics.enabled() && metrics.port() != 0 && metrics.port() == server.port()) {
            throw fail("metrics.port", metrics.port() + " is also server.port; each listener needs its own port");
        }
        if (admin.enabled() && admin.port() != 0 && admin.port() == server.port()) {
            throw fail("admin.port", admin.port() + " is also server.port; each listener needs its own port");
        }
        if (admin.enabled() && metrics.enabled() && admin.port() != 0 && admin.port() == metrics.port()) {
            throw fail("admin.port", admin.port() + " is also metrics.port; each listener needs its own port");
        }
    }

    // ------------------------------------------------------------------ values

    private int in(final Integer value, final int defaultValue, final int min, final int max, final String key) {
        if (value == null) {
            return defaultValue;
        }
        if (value < min || value > max) {
            throw fail(key, value + " is out of range " + min + ".." + max);
        }
        return value;
    }

    private int port(final Integer value, final int defaultValue, final String key) {
        return in(value, defaultValue, 0, 65_535, key);
    }

    private static boolean bool(final Boolean value, final boolean defaultValue) {
        return value == null ? defaultValue : value;
    }

    private String host(final String value, final String key) {
        if (value == null) {
            return ServerSettings.DEFAULT_HOST;
        }
        if (value.isBlank() || value.length() > 253 || value.chars().anyMatch(Character::isWhitespace)) {
            throw fail(key, "'" + value + "' is not a host address");
        }
        return value;
    }

    private Path path(final String value, final String key) {
        if (value.isBlank()) {
            throw fail(key, "an empty path");
        }
        try {
            return Path.of(value);
        } catch (final InvalidPathException e) {
            throw fail(key, "'" + value + "' is not a path: " + e.getReason());
        }
    }

    /** A path of the file, resolved against the base directory. */
    private Path resolve(final String value, final String key) {
        return base.resolve(path(value, key)).normalize();
    }

    private ConfigException fail(final String key, final String problem) {
        return new ConfigException(source + ": " + key + ": " + problem);
    }
}
