package dev.prepaid.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepaid.journal.Durability;
import dev.prepaid.ledger.LedgerConfig;
import dev.prepaid.pipeline.PipelineConfig;
import dev.prepaid.pipeline.StageLayout;
import dev.prepaid.pipeline.WaitStrategyName;
import dev.prepaid.security.MasterFileKey;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration file: the shipped ones, the path rule, defaults, and every kind of error. */
class SwitchConfigTest {
    /** The smallest valid file: everything else has a default. */
    static final String MINIMAL = String.join("\n",
            "keys:",
            "  mfkComponents: [file:c1.hex, env:PREPAID_MFK_2]",
            "  keyFile: keys.txt",
            "business:",
            "  acquirerInstitutionId: \"08880000\"",
            "");

    @TempDir
    Path temp;

    private SwitchConfig parse(final String yaml) {
        return SwitchConfig.parse(yaml, temp, temp);
    }

    private static String custody(final String lines) {
        return MINIMAL + "  custodyAccount:\n" + lines;
    }

    @Test
    void theCustodyAccountIsTheDebtorOfThePayoutFilesAndIsCheckedAtStart() {
        final String good = "    name: 示例预付卡有限公司备付金专户\n    account: \"1001000100010001\"\n"
                + "    bankName: 中国工商银行上海分行\n    cnapsCode: \"102290000011\"\n";
        final SwitchConfig config = parse(custody(good + "    bic: ICBKCNBJSHI\n") + "admin:\n  payoutFiles: payouts\n");
        assertThat(config.business().custodyAccount()).isEqualTo(new dev.prepaid.payout.Debtor("示例预付卡有限公司备付金专户",
                "1001000100010001", "中国工商银行上海分行", "ICBKCNBJSHI", "102290000011"));
        assertThat(config.admin().payoutFiles()).isEqualTo(temp.resolve("payouts"));
        assertThat(parse(MINIMAL).business().custodyAccount()).as("optional").isNull();
        assertThat(errorOf(custody(good.replace("\"102290000011\"", "\"10229\""))))
                .endsWith(": business.custodyAccount.cnapsCode: '10229' is not a CNAPS code (12 digits, in quotes)");
        assertThat(errorOf(custody(good + "    bic: ICBK\n")))
                .contains(": business.custodyAccount.bic: debtor BIC 'ICBK' is not a BIC");
        assertThat(errorOf(custody(good.replace("    name: 示例预付卡有限公司备付金专户\n", ""))))
                .contains(": business.custodyAccount.name: the key is required");
        assertThat(errorOf(custody(good.replace("    cnapsCode: \"102290000011\"\n", ""))))
                .endsWith(": business.custodyAccount: the custody account's bank needs bic, cnapsCode or both");
        assertThat(errorOf(custody(good.replace("\"1001000100010001\"", "\"1001 0001\""))))
                .contains(": business.custodyAccount.account: ");
        assertThat(errorOf(custody(good + "    iban: x\n"))).contains("iban");
    }

    private String errorOf(final String yaml) {
        try {
            parse(yaml);
        } catch (final ConfigException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
            assertThat(e.problems()).hasSize(1);
            return e.getMessage();
        }
        throw new AssertionError("no error for:\n" + yaml);
    }

    // ------------------------------------------------------------------ shipped files

    @Test
    void theShippedDefaultReadsFromTheProjectRootWhereverTheSwitchStarts() {
        final Path root = ConfigTestSupport.root();
        // The tests run in switch-net/, not in the root: paths still resolve against the root (baseDirectory: ..).
        final SwitchConfig config = SwitchConfig.load(root.resolve("config/switch.yaml"), root.resolve("elsewhere"));
        assertThat(config.baseDirectory()).isEqualTo(root);
        assertThat(config.journal().directory()).isEqualTo(root.resolve("data/journal"));
        assertThat(config.journal().journal().durability()).isEqualTo(Durability.SYNC);
        assertThat(config.journal().journal().rollCycle()).isEqualTo("LARGE_DAILY");
        assertThat(config.journal().journal().minFreeBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(config.journal().snapshotEveryCommands()).isEqualTo(1_000_000);
        assertThat(config.journal().snapshotsKept()).isEqualTo(3);
        // The dialect is left to its default: the installation's (here "elsewhere"), not the base directory's.
        assertThat(config.dialect()).isEqualTo(root.resolve("elsewhere/config/iso8583/cup-pos.yaml"));
        assertThat(SwitchConfig.load(root.resolve("config/switch.yaml"), root).dialect())
                .isEqualTo(root.resolve("config/iso8583/cup-pos.yaml"));
        assertThat(config.server()).isEqualTo(new ServerSettings("127.0.0.1", 8583, 2048, 10_000, 300, 5_000,
                List.of()));
        assertThat(config.pipeline()).isEqualTo(PipelineConfig.defaults());
        assertThat(config.ledger()).isEqualTo(LedgerConfig.defaults());
        assertThat(config.keys()).isEqualTo(new KeySettings(
                List.of("file:/etc/prepaid/mfk-component-1", "env:PREPAID_MFK_COMPONENT_2"),
                root.resolve("config/keys.txt"), false));
        assertThat(config.bootstrap()).isEmpty();
        assertThat(config.metrics()).isEqualTo(new MetricsSettings(true, "127.0.0.1", 9464));
        assertThat(config.admin()).isEqualTo(new AdminSettings(true, "127.0.0.1", 8584, PasswordHashing.PRODUCTION));
        assertThat(config.business()).isEqualTo(new BusinessSettings(ZoneId.of("Asia/Shanghai"), LocalTime.MIDNIGHT, 60,
                "08880000"));
    }

    @Test
    void aCopyOfTheShippedFileKeptElsewhereStillFindsTheInstallationsDialect() throws IOException {
        final Path root = ConfigTestSupport.root();
        final Path etc = Files.createDirectories(temp.resolve("etc/prepaid"));
        final String copy = Files.readString(root.resolve("config/switch.yaml")).replace("baseDirectory: ..\n", "");
        assertThat(copy).doesNotContain("\nbaseDirectory:");
        final SwitchConfig config = SwitchConfig.load(Files.writeString(etc.resolve("switch.yaml"), copy), root);
        assertThat(config.baseDirectory()).isEqualTo(etc);
        assertThat(config.dialect()).isEqualTo(root.resolve("config/iso8583/cup-pos.yaml")).exists();
    }

    @Test
    void theShippedDefaultExpectsRealKeyMaterial() {
        final Path root = ConfigTestSupport.root();
        final SwitchConfig config = SwitchConfig.load(root.resolve("config/switch.yaml"), root).withPorts(0, 0, 0);
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(root.resolve("config/keys.txt"))
                || Files.exists(Path.of("/etc/prepaid/mfk-component-1")), "key material was made on this machine");
        // the first step of a first installation is what a fresh machine is told first
        assertThatThrownBy(() -> StartChecks.verify(config)).isInstanceOf(ConfigException.class)
                .hasMessage(root.resolve("config/switch.yaml") + ": keys.mfkComponents[0]: /etc/prepaid/mfk-component-1"
                        + " does not exist; each custodian makes one with bin/prepaid keys component FILE"
                        + " (docs/operations.md, First installation)");
        assertThatThrownBy(() -> config.keys().loadMasterFileKey(name -> null)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("keys.mfkComponents: MFK component file /etc/prepaid/mfk-component-1 cannot be read");
    }

    @Test
    void theDemoKeepsItsFilesNextToItAndTakesTheShippedDialect() {
        final Path root = ConfigTestSupport.root();
        final Path demo = ConfigTestSupport.demoDirectory();
        final SwitchConfig config = ConfigTestSupport.demoConfig();
        assertThat(config.baseDirectory()).isEqualTo(demo);
        assertThat(config.journal().directory()).isEqualTo(demo.resolve("data/journal"));
        assertThat(config.journal().journal().durability()).isEqualTo(Durability.PROCESS);
        assertThat(config.dialect()).isEqualTo(root.resolve("config/iso8583/cup-pos.yaml"));
        assertThat(config.bootstrap()).contains(demo.resolve("bootstrap.yaml"));
        assertThat(config.keys().keyFile()).isEqualTo(demo.resolve("keys.txt"));
        assertThat(config.keys().componentFiles()).containsExactly(demo.resolve("mfk-component-1.hex"),
                demo.resolve("mfk-component-2.hex"));
        assertThat(config.keys().development()).isTrue();
        assertThat(config.ledger().maxCards()).isEqualTo(100_000);
        assertThat(config.ledger().maxBatchCards()).isEqualTo(1_000);
        assertThat(config.admin().passwordHashing()).isEqualTo(new PasswordHashing(8192, 2, 1));

        final MasterFileKey mfk = config.keys().loadMasterFileKey(name -> null);
        assertThat(mfk.isDevelopmentKey()).isTrue();
        assertThat(mfk.checkValueHex()).isEqualTo("40D522");
        assertThat(config.keys().loadKeyFile(mfk).names()).containsExactlyElementsOf(DemoKeys.CLEAR.keySet());
        StartChecks.verify(config.withPorts(0, 0, 0));
        assertThat(demo.resolve("data")).as("the start checks create nothing").doesNotExist();
    }

    @Test
    void theDemoDirectoryCopiedAnywhereRunsThere() throws IOException {
        final Path copy = temp.resolve("demo-run");
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(ConfigTestSupport.demoDirectory())) {
            for (final Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file)) {
                    Files.copy(file, copy.resolve(file.getFileName()));
                }
            }
        }
        final Path root = ConfigTestSupport.root();
        final SwitchConfig config = SwitchConfig.load(copy.resolve("switch.yaml"), root);
        assertThat(config.journal().directory()).isEqualTo(copy.resolve("data/journal"));
        assertThat(config.keys().keyFile()).isEqualTo(copy.resolve("keys.txt"));
        assertThat(config.bootstrap()).contains(copy.resolve("bootstrap.yaml"));
        assertThat(config.dialect()).isEqualTo(root.resolve("config/iso8583/cup-pos.yaml"));
        StartChecks.verify(config.withPorts(0, 0, 0));
        final MasterFileKey mfk = config.keys().loadMasterFileKey(name -> null);
        final Bootstrap bootstrap = Bootstrap.load(config.bootstrap().orElseThrow(), new Bootstrap.Options(
                ConfigTestSupport.TODAY, config.ledger(), config.keys().loadKeyFile(mfk),
                new PasswordHasher(new PasswordHashing(64, 1, 1)), true));
        assertThat(bootstrap.commands()).isNotEmpty();
    }

    @Test
    void theJournalCanBeMovedForAScratchRun() {
        final SwitchConfig config = ConfigTestSupport.demoConfig().withJournalDirectory(temp.resolve("j"));
        assertThat(config.journal().directory()).isEqualTo(temp.resolve("j"));
        assertThat(config.journal().journal().durability()).isEqualTo(Durability.PROCESS);
    }

    // ------------------------------------------------------------------ paths and defaults

    @Test
    void relativePathsResolveAgainstTheFilesDirectory() {
        final SwitchConfig config = parse(MINIMAL + "bootstrap: boot/b.yaml\ndialect: /opt/dialect.yaml\n");
        assertThat(config.baseDirectory()).isEqualTo(temp);
        assertThat(config.keys().keyFile()).isEqualTo(temp.resolve("keys.txt"));
        assertThat(config.keys().mfkComponents()).containsExactly("file:" + temp.resolve("c1.hex"), "env:PREPAID_MFK_2");
        assertThat(config.bootstrap()).contains(temp.resolve("boot/b.yaml"));
        assertThat(config.dialect()).isEqualTo(Path.of("/opt/dialect.yaml"));
        assertThat(config.journal().directory()).isEqualTo(temp.resolve("data/journal"));
    }

    @Test
    void baseDirectoryMovesTheBaseRelativeToTheFile() {
        final Path configDirectory = temp.resolve("config");
        final SwitchConfig config = SwitchConfig.parse("baseDirectory: ..\n" + MINIMAL
                + "journal:\n  directory: ./var/j\n", configDirectory, temp.resolve("home"));
        assertThat(config.baseDirectory()).isEqualTo(temp);
        assertThat(config.keys().keyFile()).isEqualTo(temp.resolve("keys.txt"));
        assertThat(config.journal().directory()).isEqualTo(temp.resolve("var/j"));
        // The default dialect is the installation's, not the base directory's.
        assertThat(config.dialect()).isEqualTo(temp.resolve("home/config/iso8583/cup-pos.yaml"));
    }

    @Test
    void theHomeIsTheSystemPropertyOrTheWorkingDirectory() {
        final String before = System.getProperty(SwitchConfig.HOME_PROPERTY);
        try {
            System.clearProperty(SwitchConfig.HOME_PROPERTY);
            assertThat(SwitchConfig.home()).isEqualTo(Path.of("").toAbsolutePath());
            System.setProperty(SwitchConfig.HOME_PROPERTY, temp.toString());
            assertThat(SwitchConfig.home()).isEqualTo(temp);
        } finally {
            if (before == null) {
                System.clearProperty(SwitchConfig.HOME_PROPERTY);
            } else {
                System.setProperty(SwitchConfig.HOME_PROPERTY, before);
            }
        }
    }

    @Test
    void leftOutKeysTakeTheirDefaults() {
        final SwitchConfig config = parse(MINIMAL + "ledger:\n  # every capacity left out\n");
        assertThat(config.server()).isEqualTo(new ServerSettings("127.0.0.1", 8583, 2048, 10_000, 300, 5_000,
                List.of()));
        assertThat(config.pipeline()).isEqualTo(new PipelineConfig(8192, WaitStrategyName.PHASED, StageLayout.ONE_THREAD));
        assertThat(config.ledger()).isEqualTo(LedgerConfig.defaults());
        assertThat(config.journal().journal().durability()).isEqualTo(Durability.SYNC);
        assertThat(config.journal().journal().keepDays()).isZero();
        assertThat(config.bootstrap()).isEqualTo(Optional.empty());
        assertThat(config.keys().development()).isFalse();
        assertThat(config.business().timeZone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
        assertThat(config.business().cutoverTime()).isEqualTo(LocalTime.MIDNIGHT);
        assertThat(config.admin().passwordHashing()).isEqualTo(PasswordHashing.PRODUCTION);
    }

    @Test
    void theStagesLayoutIsRead() {
        assertThat(parse(MINIMAL + "pipeline:\n  layout: ONE_THREAD\n").pipeline())
                .isEqualTo(new PipelineConfig(8192, WaitStrategyName.PHASED, StageLayout.ONE_THREAD));
        assertThat(parse(MINIMAL + "pipeline:\n  layout: THREE_THREADS\n").pipeline().layout())
                .isEqualTo(StageLayout.THREE_THREADS);
        assertThat(parse(MINIMAL + "pipeline:\n  layout: IO_THREAD\n").pipeline().layout())
                .isEqualTo(StageLayout.IO_THREAD);
    }

    @Test
    void theAllowListTakesAddressesAndBlocks() throws IOException {
        final SwitchConfig config = parse(MINIMAL + "server:\n  allowList: [10.20.0.0/16, 192.168.7.15, \"::1\"]\n");
        final ServerSettings server = config.server();
        assertThat(server.allows(InetAddress.getByName("10.20.3.4"))).isTrue();
        assertThat(server.allows(InetAddress.getByName("10.21.3.4"))).isFalse();
        assertThat(server.allows(InetAddress.getByName("192.168.7.15"))).isTrue();
        assertThat(server.allows(InetAddress.getByName("192.168.7.16"))).isFalse();
        assertThat(server.allows(InetAddress.getByName("::1"))).isTrue();
        assertThat(server.allows(InetAddress.getByName("::ffff:10.20.0.1"))).isTrue();
        assertThat(parse(MINIMAL).server().allows(InetAddress.getByName("8.8.8.8"))).isTrue();
    }

    // ------------------------------------------------------------------ errors: the file

    @Test
    void anUnknownKeyIsNamedWithWhereItIs() {
        assertThat(errorOf(MINIMAL + "server:\n  prot: 8583\n")).isEqualTo(temp.resolve("switch.yaml")
                + ": server.prot: unknown key (line 7); expected one of allowList, frameDeadlineMillis, host,"
                + " idleTimeoutSeconds, maxConnections, maxFrameBytes, port");
        assertThat(errorOf(MINIMAL + "servers:\n  port: 8583\n")).contains(": servers: unknown key (line 6); expected one"
                + " of admin, baseDirectory, bootstrap, business, dialect, journal, keys, ledger, metrics, pipeline, server");
        assertThat(errorOf(MINIMAL.replace("keyFile", "keyfile"))).contains(": keys.keyfile: unknown key (line 3)");
    }

    @Test
    void aWrongTypeNamesTheKeyTheExpectedAndTheFound() {
        assertThat(errorOf(MINIMAL + "server:\n  port: \"8583\"\n")).isEqualTo(temp.resolve("switch.yaml")
                + ": server.port: expected an integer, found the text \"8583\" (line 7)");
        assertThat(errorOf(MINIMAL + "server:\n  port: 8583.5\n"))
                .endsWith(": server.port: expected an integer, found the number 8583.5 (line 7)");
        assertThat(errorOf(MINIMAL + "server:\n  host: true\n"))
                .endsWith(": server.host: expected text (put numbers that are codes or ids in quotes), found true (line 7)");
        assertThat(errorOf(MINIMAL.replace("\"08880000\"", "8880000"))).endsWith(": business.acquirerInstitutionId:"
                + " expected text (put numbers that are codes or ids in quotes), found the number 8880000 (line 5)");
        assertThat(errorOf(MINIMAL + "pipeline:\n  waitStrategy: FAST\n")).endsWith(": pipeline.waitStrategy: expected"
                + " one of BLOCKING, PHASED, SLEEPING, YIELDING, BUSY_SPIN, found the text \"FAST\" (line 7)");
        assertThat(errorOf(MINIMAL + "pipeline:\n  layout: TWO_THREADS\n")).endsWith(": pipeline.layout: expected"
                + " one of THREE_THREADS, ONE_THREAD, IO_THREAD, found the text \"TWO_THREADS\" (line 7)");
        assertThat(errorOf(MINIMAL + "pipeline:\n  waitStrategy: 1\n"))
                .contains(": pipeline.waitStrategy: expected one of BLOCKING, PHASED, SLEEPING, YIELDING, BUSY_SPIN, found the number 1");
        assertThat(errorOf(MINIMAL + "server:\n  allowList: 10.0.0.1\n"))
                .endsWith(": server.allowList: expected a list, found the text \"10.0.0.1\" (line 7)");
        assertThat(errorOf(MINIMAL + "metrics: 9464\n")).contains(": metrics: expected a mapping of keys, found the number 9464");
        assertThat(errorOf(MINIMAL + "metrics:\n  enabled: \"yes\"\n"))
                .endsWith(": metrics.enabled: expected true or false, found the text \"yes\" (line 7)");
        assertThat(errorOf(MINIMAL + "server:\n  port: 99999999999\n"))
                .endsWith(": server.port: 99999999999 is too large for this key (line 7)");
    }

    @Test
    void aKeyWithoutAValueDuplicateKeysEmptyFilesAndBrokenYamlAreErrors() {
        assertThat(errorOf(MINIMAL + "server:\n  port:\n")).isEqualTo(temp.resolve("switch.yaml")
                + ": server.port: the key has no value; give one, or remove the key to take the default");
        assertThat(errorOf(MINIMAL + "server:\n  port: 1\n  port: 2\n")).endsWith(": server.port: the key appears twice (line 8)");
        assertThat(errorOf("")).endsWith("switch.yaml: the file is empty");
        assertThat(errorOf("# nothing but comments\n")).endsWith("switch.yaml: the file is empty");
        assertThat(errorOf(MINIMAL + "server: [\n")).contains(": not valid YAML: ");
        assertThat(errorOf("- a list\n- at the top\n")).contains(": (top): expected a mapping of keys");
    }

    @Test
    void requiredKeysAreNamed() {
        assertThat(errorOf("business:\n  acquirerInstitutionId: \"1\"\n")).endsWith(": keys: the section is required:"
                + " mfkComponents (two or more file:/env: sources) and keyFile");
        assertThat(errorOf(MINIMAL.replace("  keyFile: keys.txt\n", ""))).endsWith(": keys.keyFile: the key is required:"
                + " the key file with the TMKs, CVK pairs and PIN verification key under the MFK");
        assertThat(errorOf(MINIMAL.replace("  mfkComponents: [file:c1.hex, env:PREPAID_MFK_2]\n", "")))
                .endsWith(": keys.mfkComponents: the key is required: two or more MFK component sources, file:<path> or"
                        + " env:<variable>");
        assertThat(errorOf(MINIMAL.replace("  acquirerInstitutionId: \"08880000\"\n", "  timeZone: UTC\n")))
                .endsWith(": business.acquirerInstitutionId: the key is required: the switch's institution id, 1-11"
                        + " digits in quotes (POS fields 32 and 44)");
    }

    @Test
    void valuesOutOfRangeAreNamedWithTheRange() {
        assertThat(errorOf(MINIMAL + "server:\n  port: 70000\n")).isEqualTo(temp.resolve("switch.yaml")
                + ": server.port: 70000 is out of range 0..65535");
        assertThat(errorOf(MINIMAL + "server:\n  maxFrameBytes: 20\n")).endsWith(": server.maxFrameBytes: 20 is out of range 21..65535");
        assertThat(errorOf(MINIMAL + "server:\n  maxConnections: 0\n")).endsWith(": server.maxConnections: 0 is out of range 1..1000000");
        assertThat(errorOf(MINIMAL + "pipeline:\n  ringSize: 1000\n"))
                .endsWith(": pipeline.ringSize: 1000 is not a power of two (e.g. 4096, 8192, 16384)");
        assertThat(errorOf(MINIMAL + "ledger:\n  transactionLogCapacity: 1000\n"))
                .endsWith(": ledger.transactionLogCapacity: 1000 is not a power of two (e.g. 1048576)");
        assertThat(errorOf(MINIMAL + "ledger:\n  maxTerminals: 2000000\n"))
                .endsWith(": ledger.maxTerminals: 2000000 is out of range 1..1048576");
        assertThat(errorOf(MINIMAL + "ledger:\n  maxCards: 0\n")).endsWith(": ledger.maxCards: 0 is out of range 1..2147483647");
        assertThat(errorOf(MINIMAL + "journal:\n  snapshotsKept: 0\n")).endsWith(": journal.snapshotsKept: 0 is out of range 1..100");
        assertThat(errorOf(MINIMAL + "journal:\n  snapshotEveryCommands: 10\n"))
                .endsWith(": journal.snapshotEveryCommands: 10 is out of range 1000..1000000000");
        assertThat(errorOf(MINIMAL + "journal:\n  rollCycle: FAST_DAILY\n")).endsWith(": journal.rollCycle: rollCycle"
                + " 'FAST_DAILY' is not one of LARGE_DAILY, XLARGE_DAILY, HUGE_DAILY, FAST_HOURLY, LARGE_HOURLY (daily"
                + " cycles under LARGE_DAILY hold too few records)");
        assertThat(errorOf(MINIMAL + "journal:\n  durability: ASYNC\n"))
                .contains(": journal.durability: expected one of PROCESS, SYNC, found the text \"ASYNC\"");
        assertThat(errorOf(MINIMAL.replace("business:\n", "business:\n  timeZone: Asia/Shanghia\n")))
                .endsWith(": business.timeZone: 'Asia/Shanghia' is not a time zone (e.g. Asia/Shanghai, UTC)");
        assertThat(errorOf(MINIMAL.replace("business:\n", "business:\n  cutoverTime: \"24:00\"\n")))
                .endsWith(": business.cutoverTime: '24:00' is not a time of day HH:MM (00:00..23:59)");
        assertThat(errorOf(MINIMAL.replace("\"08880000\"", "\"0888-0000\"")))
                .endsWith(": business.acquirerInstitutionId: '0888-0000' is not 1-11 digits");
        assertThat(errorOf(MINIMAL + "server:\n  allowList: [10.0.0.0/8, example.com]\n")).endsWith(": server.allowList[1]:"
                + " 'example.com' is not an IP address or CIDR block (host names are not accepted)");
        assertThat(errorOf(MINIMAL + "server:\n  allowList: [10.0.0.1/33]\n"))
                .endsWith(": server.allowList[0]: '10.0.0.1/33': the prefix length must be 0..32");
        assertThat(errorOf(MINIMAL + "server:\n  allowList: [10.0.0.1/8]\n"))
                .endsWith(": server.allowList[0]: '10.0.0.1/8' has bits set after the /8 prefix; write the network address");
        assertThat(errorOf(MINIMAL + "metrics:\n  port: 8583\n"))
                .endsWith(": metrics.port: 8583 is also server.port; each listener needs its own port");
        assertThat(errorOf(MINIMAL + "admin:\n  port: 9464\n"))
                .endsWith(": admin.port: 9464 is also metrics.port; each listener needs its own port");
    }

    @Test
    void theMfkNeedsTwoDistinctComponentSources() {
        assertThat(errorOf(MINIMAL.replace("[file:c1.hex, env:PREPAID_MFK_2]", "[file:c1.hex]")))
                .isEqualTo(temp.resolve("switch.yaml") + ": keys.mfkComponents: 1 component given; the MFK needs at"
                        + " least 2, each held by a different custodian");
        assertThat(errorOf(MINIMAL.replace("[file:c1.hex, env:PREPAID_MFK_2]", "[]")))
                .endsWith(": keys.mfkComponents: 0 component given; the MFK needs at least 2, each held by a different custodian");
        assertThat(errorOf(MINIMAL.replace("[file:c1.hex, env:PREPAID_MFK_2]", "[file:c1.hex, vault:mfk]")))
                .endsWith(": keys.mfkComponents[1]: MFK component source must be 'file:<path>' or 'env:<variable>', not"
                        + " 'vault:mfk'");
        assertThat(errorOf(MINIMAL.replace("[file:c1.hex, env:PREPAID_MFK_2]", "[file:c1.hex, file:./c1.hex]")))
                .endsWith(": keys.mfkComponents[1]: 'file:./c1.hex' is listed twice; each component comes from its own custodian");
    }

    @Test
    void cheapPasswordHashingNeedsTheDevelopmentKey() {
        final String cheap = "admin:\n  passwordHashing: {memoryKiB: 8192, iterations: 2}\n";
        assertThat(errorOf(MINIMAL + cheap)).endsWith(": admin.passwordHashing: memoryKiB 8192, iterations 2 are below"
                + " the floor for real passwords (memoryKiB >= 19456, iterations >= 2); cheaper hashing is for the demo"
                + " only (keys.development: true)");
        assertThat(parse(MINIMAL.replace("keyFile: keys.txt", "keyFile: keys.txt\n  development: true") + cheap)
                .admin().passwordHashing()).isEqualTo(new PasswordHashing(8192, 2, 1));
        assertThat(errorOf(MINIMAL + "admin:\n  passwordHashing: {memoryKiB: 4, parallelism: 1}\n"))
                .endsWith(": admin.passwordHashing.memoryKiB: 4 is out of range 8..1048576");
    }

    @Test
    void theAdminEndpointOffLoopbackNeedsTlsOrAnExplicitPlaintextSetting() {
        assertThat(errorOf(MINIMAL + "admin:\n  host: 0.0.0.0\n")).contains(": admin.host: 0.0.0.0 is not a loopback"
                + " address and admin.tls is not set");
        assertThat(parse(MINIMAL + "admin:\n  host: 0.0.0.0\n  allowPlaintext: true\n").admin().host()).isEqualTo("0.0.0.0");
        final AdminSettings tls = parse(MINIMAL + "admin:\n  host: 0.0.0.0\n  tls: {certificate: a.crt, privateKey: a.key}\n"
                + "  limits: {maxConnections: 8, maxBodyKiB: 16, requestsPerSecond: 5, idleSeconds: 3}\n").admin();
        assertThat(tls.tls()).isTrue();
        assertThat(tls.tlsCertificate().getFileName().toString()).isEqualTo("a.crt");
        assertThat(tls.limits()).isEqualTo(new AdminSettings.AdminLimits(30, 8, 16 * 1024, 8192, 5, 3));
        assertThat(errorOf(MINIMAL + "admin:\n  tls: {certificate: a.crt}\n")).endsWith(": admin.tls: needs both"
                + " certificate and privateKey (PEM files)");
        assertThat(errorOf(MINIMAL + "admin:\n  limits: {maxConnections: 0}\n")).contains("admin.limits.maxConnections");
    }

    @Test
    void theDevelopmentFlagMustMatchTheMfk() throws IOException {
        final Path one = Files.writeString(temp.resolve("c1.hex"), MasterFileKey.DEVELOPMENT_COMPONENTS.get(0));
        Files.writeString(temp.resolve("c2.hex"), MasterFileKey.DEVELOPMENT_COMPONENTS.get(1));
        final String development = MINIMAL.replace("env:PREPAID_MFK_2", "file:c2.hex");
        assertThatThrownBy(() -> parse(development).keys().loadMasterFileKey(name -> null))
                .isInstanceOf(ConfigException.class).hasMessage("keys.mfkComponents make the shipped development MFK"
                        + " (check value 40D522), which is public: anybody can decrypt the key file. Load real components,"
                        + " or set keys.development: true to run the demo");
        assertThat(parse(development.replace("keyFile: keys.txt", "keyFile: keys.txt\n  development: true")).keys()
                .loadMasterFileKey(name -> null).isDevelopmentKey()).isTrue();

        final String real = MINIMAL.replace("keyFile: keys.txt", "keyFile: keys.txt\n  development: true");
        assertThat(one).exists();
        assertThatThrownBy(() -> parse(real).keys().loadMasterFileKey(Map.<String, String>of("PREPAID_MFK_2",
                "0123456789ABCDEFFEDCBA9876543210")::get)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("keys.development is true, but the MFK components (check value ")
                .hasMessageEndingWith(") are not the shipped development components; development: true is only for the"
                        + " demo's public MFK");
        assertThatThrownBy(() -> parse(real).keys().loadMasterFileKey(name -> null)).isInstanceOf(ConfigException.class)
                .hasMessage("keys.mfkComponents: MFK component environment variable PREPAID_MFK_2 is not set");
    }

    @Test
    void aMissingFileNamesItsPath() throws IOException {
        Files.writeString(temp.resolve("keys.txt"), "");
        Files.writeString(temp.resolve("c1.hex"), "");
        Files.writeString(temp.resolve("dialect.yaml"), "");
        final String yaml = MINIMAL + "dialect: dialect.yaml\nbootstrap: boot.yaml\n";
        final SwitchConfig config = parse(yaml).withPorts(0, 0, 0);
        assertThatThrownBy(() -> StartChecks.verify(config)).isInstanceOf(ConfigException.class)
                .hasMessage(temp.resolve("switch.yaml") + ": bootstrap: " + temp.resolve("boot.yaml") + " does not exist");
        Files.writeString(temp.resolve("boot.yaml"), "");
        Files.delete(temp.resolve("c1.hex"));
        assertThatThrownBy(() -> StartChecks.verify(config)).isInstanceOf(ConfigException.class)
                .hasMessage(temp.resolve("switch.yaml") + ": keys.mfkComponents[0]: " + temp.resolve("c1.hex")
                        + " does not exist; each custodian makes one with bin/prepaid keys component FILE"
                        + " (docs/operations.md, First installation)");
        Files.writeString(temp.resolve("c1.hex"), "");
        Files.delete(temp.resolve("dialect.yaml"));
        assertThatThrownBy(() -> StartChecks.verify(config)).isInstanceOf(ConfigException.class)
                .hasMessage(temp.resolve("switch.yaml") + ": dialect: " + temp.resolve("dialect.yaml") + " does not exist");
        Files.writeString(temp.resolve("dialect.yaml"), "");
        Files.delete(temp.resolve("keys.txt"));
        assertThatThrownBy(() -> StartChecks.verify(config)).isInstanceOf(ConfigException.class)
                .hasMessage(temp.resolve("switch.yaml") + ": keys.keyFile: " + temp.resolve("keys.txt")
                        + " does not exist; start one with bin/prepaid keys add pvk --generate (docs/operations.md,"
                        + " First installation)");
        Files.writeString(temp.resolve("keys.txt"), "");
        StartChecks.verify(config);
        assertThatThrownBy(() -> SwitchConfig.load(temp.resolve("nowhere.yaml"), temp)).isInstanceOf(ConfigException.class)
                .hasMessage(temp.resolve("nowhere.yaml") + ": the file does not exist");
    }
}
