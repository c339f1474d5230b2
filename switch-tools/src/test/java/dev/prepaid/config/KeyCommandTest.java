package dev.prepaid.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.security.DesKey;
import dev.prepaid.security.KeyComponentSource;
import dev.prepaid.security.MasterFileKey;
import dev.prepaid.security.PinCheck;
import dev.prepaid.security.StoredKeys;
import dev.prepaid.testing.ProjectFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key ceremony as an operator runs it: components, a key file built key by key, a new MFK. */
class KeyCommandTest {
    /** The demo's everyday named card. */
    static final String NAMED_PAN = "8888000100000017";

    @TempDir
    Path directory;

    private Path config;
    private String out;
    private String err;

    /** A configuration whose keys section names two fresh components and a key file, all in the scratch directory. */
    @BeforeEach
    void installation() throws IOException {
        assertThat(run("component", directory.resolve("c1").toString())).isZero();
        assertThat(run("component", directory.resolve("c2").toString())).isZero();
        final String shipped = Files.readString(ProjectFiles.root().resolve(SwitchConfig.DEFAULT_PATH));
        final String yaml = shipped
                .replace("file:/etc/prepaid/mfk-component-1", "file:" + directory.resolve("c1"))
                .replace("env:PREPAID_MFK_COMPONENT_2", "file:" + directory.resolve("c2"))
                .replace("keyFile: config/keys.txt", "keyFile: " + directory.resolve("keys.txt"));
        assertThat(yaml).contains(directory.resolve("keys.txt").toString()).contains(directory.resolve("c2").toString());
        config = Files.writeString(directory.resolve("switch.yaml"), yaml);
    }

    @Test
    void aComponentIsThirtyTwoHexDigitsWithOddParityReadableByItsOwnerOnly() throws IOException {
        final Path file = directory.resolve("c1");
        final String hex = componentHex(file);
        assertThat(hex).matches("[0-9A-F]{32}");
        final byte[] bytes = dev.prepaid.security.Hex.decode(hex);
        assertThat(DesKey.isOddParity(bytes, 0, bytes.length)).isTrue();
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(componentHex(directory.resolve("c2"))).isNotEqualTo(hex);
    }

    @Test
    void anExistingComponentIsNeverOverwritten() throws IOException {
        final String before = Files.readString(directory.resolve("c1"));
        assertThat(run("component", directory.resolve("c1").toString())).isEqualTo(KeyCommand.FAILED);
        assertThat(err).contains("already exists");
        assertThat(Files.readString(directory.resolve("c1"))).isEqualTo(before);
    }

    @Test
    void keysAddedOneByOneAreListedWithCheckValuesAndLoadUnderTheMfk() {
        assertThat(run("add", "pvk", "--generate", "--config", config.toString())).isZero();
        assertThat(out).contains("added pvk (double-length").doesNotContain("clear key");
        // The CVK pair of the published CVV vectors: its check value is a property of the key, not of the file.
        assertThat(runWithInput("0123456789ABCDEFFEDCBA9876543210\n", "add", "cvk.1", "--stdin", "--config",
                config.toString())).isZero();
        assertThat(run("add", "tmk.10000001", "--generate", "--show", "--config", config.toString())).isZero();
        final Matcher shown = Pattern.compile("clear key of tmk.10000001: ([0-9A-F]{32})").matcher(out);
        assertThat(shown.find()).as(out).isTrue();
        assertThat(run("add", "tmk.10000002", "--generate", "--single", "--config", config.toString())).isZero();

        assertThat(run("list", "--config", config.toString())).isZero();
        final String cvkCheckValue = DesKey.fromHex("0123456789ABCDEFFEDCBA9876543210").checkValueHex(3);
        assertThat(out).contains("MFK check value " + mfk().checkValueHex()).contains("4 keys")
                .containsPattern("cvk\\.1 +double-length +" + cvkCheckValue)
                .containsPattern("tmk\\.10000002 +single-length")
                .doesNotContain(shown.group(1));

        final StoredKeys stored = StoredKeys.load(directory.resolve("keys.txt"), mfk());
        assertThat(stored.names()).containsExactly("pvk", "cvk.1", "tmk.10000001", "tmk.10000002");
        assertThat(stored.key("tmk.10000001").sameKeyAs(DesKey.fromHex(shown.group(1)))).isTrue();
        assertThat(stored.key("tmk.10000002").isDoubleLength()).isFalse();
        // The switch reads the same file through its configuration.
        final SwitchConfig loaded = SwitchConfig.load(config, ProjectFiles.root());
        assertThat(loaded.keys().loadKeyFile(loaded.keys().loadMasterFileKey()).size()).isEqualTo(4);
    }

    @Test
    void aKeyIsReplacedOnlyWhenAskedAndRemovedByName() {
        assertThat(runWithInput("0123456789ABCDEFFEDCBA9876543210\n", "add", "cvk.1", "--stdin", "--config",
                config.toString())).isZero();
        assertThat(run("add", "cvk.1", "--generate", "--config", config.toString())).isEqualTo(KeyCommand.FAILED);
        assertThat(err).contains("already has 'cvk.1'").contains("--replace");
        assertThat(StoredKeys.load(directory.resolve("keys.txt"), mfk()).key("cvk.1")
                .sameKeyAs(DesKey.fromHex("0123456789ABCDEFFEDCBA9876543210"))).isTrue();

        assertThat(run("add", "cvk.1", "--generate", "--replace", "--config", config.toString())).isZero();
        assertThat(out).contains("replaced cvk.1");
        assertThat(StoredKeys.load(directory.resolve("keys.txt"), mfk()).key("cvk.1")
                .sameKeyAs(DesKey.fromHex("0123456789ABCDEFFEDCBA9876543210"))).isFalse();

        assertThat(run("remove", "cvk.1", "--config", config.toString())).isZero();
        assertThat(StoredKeys.load(directory.resolve("keys.txt"), mfk()).size()).isZero();
        assertThat(run("remove", "cvk.1", "--config", config.toString())).isEqualTo(KeyCommand.FAILED);
        assertThat(err).contains("no key named 'cvk.1'");
    }

    @Test
    void rewrapPutsEveryKeyUnderANewMfkInANewFile() throws IOException {
        assertThat(run("add", "pvk", "--generate", "--config", config.toString())).isZero();
        assertThat(run("add", "tmk.1", "--generate", "--config", config.toString())).isZero();
        final StoredKeys before = StoredKeys.load(directory.resolve("keys.txt"), mfk());
        assertThat(run("component", directory.resolve("n1").toString())).isZero();
        assertThat(run("component", directory.resolve("n2").toString())).isZero();
        final Path rewrapped = directory.resolve("keys-new.txt");

        assertThat(run("rewrap", "--to", "file:" + directory.resolve("n1"), "--to", "file:" + directory.resolve("n2"),
                "--out", rewrapped.toString(), "--config", config.toString())).isZero();

        final MasterFileKey next = MasterFileKey.load(List.of(KeyComponentSource.file(directory.resolve("n1")),
                KeyComponentSource.file(directory.resolve("n2"))));
        assertThat(out).contains("check value " + next.checkValueHex());
        final StoredKeys after = StoredKeys.load(rewrapped, next);
        assertThat(after.names()).containsExactlyElementsOf(before.names());
        for (final String name : before.names()) {
            assertThat(after.key(name).sameKeyAs(before.key(name))).as(name).isTrue();
        }
        // The file in use is untouched, so the switch keeps starting until its configuration moves.
        assertThat(StoredKeys.load(directory.resolve("keys.txt"), mfk()).size()).isEqualTo(2);
    }

    @Test
    void rewrapAdvisesAbsoluteComponentPathsBecauseSwitchYamlResolvesRelativeOnesAgainstItsBaseDirectory() {
        assertThat(run("add", "pvk", "--generate", "--config", config.toString())).isZero();
        assertThat(run("component", directory.resolve("n1").toString())).isZero();
        assertThat(run("component", directory.resolve("n2").toString())).isZero();
        final Path here = Path.of("").toAbsolutePath();
        final String relative1 = "file:" + here.relativize(directory.resolve("n1"));
        final String relative2 = "file:" + here.relativize(directory.resolve("n2"));

        assertThat(run("rewrap", "--to", relative1, "--to", relative2, "--out",
                directory.resolve("keys-new.txt").toString(), "--config", config.toString())).as(err).isZero();
        assertThat(out).contains("keys.mfkComponents: [file:" + directory.resolve("n1") + ", file:"
                + directory.resolve("n2") + "]");
    }

    @Test
    void rewrapOverwritesAnExistingOutputOnlyWithReplace() throws IOException {
        assertThat(run("add", "pvk", "--generate", "--config", config.toString())).isZero();
        assertThat(run("component", directory.resolve("n1").toString())).isZero();
        assertThat(run("component", directory.resolve("n2").toString())).isZero();
        final Path rewrapped = directory.resolve("keys-new.txt");
        final String[] rewrap = {"rewrap", "--to", "file:" + directory.resolve("n1"), "--to",
                "file:" + directory.resolve("n2"), "--out", rewrapped.toString(), "--config", config.toString()};
        assertThat(run(rewrap)).isZero();
        final String first = Files.readString(rewrapped);

        assertThat(run(rewrap)).isEqualTo(KeyCommand.FAILED);
        assertThat(err).contains(rewrapped + " already exists; --replace to overwrite it");
        assertThat(Files.readString(rewrapped)).isEqualTo(first);

        final String[] replacing = java.util.Arrays.copyOf(rewrap, rewrap.length + 1);
        replacing[rewrap.length] = "--replace";
        assertThat(run(replacing)).as(err).isZero();
        assertThat(out).contains("wrote 1 keys under the new MFK");
    }

    @Test
    void aMissingFileOrDirectoryIsNamedInOneLineWithWhatToDo() throws IOException {
        final Path missing = directory.resolve("no-such-dir");
        assertThat(run("component", missing.resolve("mfk-component-1").toString())).isEqualTo(KeyCommand.FAILED);
        assertThat(err.strip()).isEqualTo("keys: directory " + missing + " does not exist: create it first");

        assertThat(run("add", "pvk", "--generate", "--config", config.toString())).isZero();
        assertThat(run("component", directory.resolve("n1").toString())).isZero();
        assertThat(run("rewrap", "--to", "file:" + directory.resolve("n1"), "--to", "file:" + missing.resolve("n2"),
                "--out", directory.resolve("keys-new.txt").toString(), "--config", config.toString()))
                .isEqualTo(KeyCommand.FAILED);
        assertThat(err).contains(missing.resolve("n2") + " does not exist").doesNotContain("Exception");
        assertThat(run("component", directory.resolve("n2").toString())).isZero();
        assertThat(run("rewrap", "--to", "file:" + directory.resolve("n1"), "--to", "file:" + directory.resolve("n2"),
                "--out", missing.resolve("keys-new.txt").toString(), "--config", config.toString()))
                .isEqualTo(KeyCommand.FAILED);
        assertThat(err).contains("directory " + missing + " does not exist: create it first")
                .doesNotContain("Exception");

        Files.writeString(config, Files.readString(config).replace(directory.resolve("keys.txt").toString(),
                missing.resolve("keys.txt").toString()));
        assertThat(run("add", "tmk.1", "--generate", "--config", config.toString())).isEqualTo(KeyCommand.FAILED);
        assertThat(err.strip()).isEqualTo("keys: key file " + missing.resolve("keys.txt")
                + " cannot be written: directory " + missing + " does not exist: create it first");
        assertThat(run("list", "--config", directory.toString())).isEqualTo(KeyCommand.FAILED);
        assertThat(err).contains(directory + " is a directory, not a configuration file");
    }

    @Test
    void badRequestsAreNamed() {
        assertThat(run("add", "pvk", "--generate", "--single", "--config", config.toString())).isEqualTo(KeyCommand.USAGE);
        assertThat(err).contains("pvk must be a double-length key");
        assertThat(run("add", "tmk.1", "--config", config.toString())).isEqualTo(KeyCommand.USAGE);
        assertThat(err).contains("exactly one of --generate and --stdin");
        // weak and degenerate keys are refused, and the refusal never shows the key
        assertThat(runWithInput("0000000000000000FFFFFFFFFFFFFFFF\n", "add", "tmk.1", "--stdin", "--config",
                config.toString())).isEqualTo(KeyCommand.FAILED);
        assertThat(err).contains("DES weak or semi-weak key").doesNotContain("FFFFFFFF");
        assertThat(runWithInput("0123456789ABCDEF0123456789ABCDEF\n", "add", "tmk.1", "--stdin", "--config",
                config.toString())).isEqualTo(KeyCommand.FAILED);
        assertThat(err).contains("two equal halves").contains("--single").doesNotContain("0123456789");
        assertThat(runWithInput("01FE01FE01FE01FE 0123456789ABCDEF\n", "add", "tmk.1", "--stdin", "--single", "--config",
                config.toString())).isEqualTo(KeyCommand.USAGE); // 32 digits where --single takes 16
        assertThat(runWithInput("0123\n", "add", "tmk.1", "--stdin", "--config", config.toString()))
                .isEqualTo(KeyCommand.USAGE);
        assertThat(err).contains("must be 32 hex digits (got 4 characters)").doesNotContain("0123");
        assertThat(run("add", "bad name", "--generate", "--config", config.toString())).isEqualTo(KeyCommand.USAGE);
        assertThat(err).contains("never reads a key named 'bad name'");
        for (final String name : List.of("foo", "tmk.", "tmk.a b", "tmk." + "x".repeat(61), "cvk.abc", "cvk.0", "cvk.01",
                "cvk.70000", "pvk.1", "PVK")) {
            assertThat(run("add", name, "--generate", "--config", config.toString())).as(name)
                    .isEqualTo(KeyCommand.USAGE);
            assertThat(err).as(name).contains("never reads a key named '" + name + "'")
                    .contains("tmk.<name> (a terminal's keyReference").contains("cvk.<card type id> (1-65535)")
                    .contains("pvk");
        }
        assertThat(Files.exists(directory.resolve("keys.txt"))).isFalse();
        assertThat(run("add", "cvk.65535", "--generate", "--config", config.toString())).as(err).isZero();
        assertThat(run("add", "tmk.ABC-1234", "--generate", "--config", config.toString())).as(err).isZero();
        // a keyReference shared by terminals, longer than a terminal id
        assertThat(run("add", "tmk.shop-7.shared", "--generate", "--config", config.toString())).as(err).isZero();
        assertThat(run("remove", "cvk.65535", "--config", config.toString())).isZero();
        assertThat(run("remove", "tmk.ABC-1234", "--config", config.toString())).isZero();
        // keys printed in groups of four, as key forms have them, are read
        assertThat(runWithInput("0123 4567 89AB CDEF FEDC BA98 7654 3210\n", "add", "tmk.grouped", "--stdin",
                "--config", config.toString())).as(err).isZero();
        assertThat(run("rotate")).isEqualTo(KeyCommand.USAGE);
        assertThat(err).contains("unknown command 'rotate'");
        assertThat(run("list", "--verbose")).isEqualTo(KeyCommand.USAGE);
        assertThat(err).contains("unknown option '--verbose'");
        assertThat(run("list", "--config", directory.resolve("nope.yaml").toString())).isEqualTo(KeyCommand.FAILED);
        assertThat(err).contains("nope.yaml: the configuration file does not exist");
        assertThat(run("rewrap", "--to", "file:" + directory.resolve("c1"), "--out", "x", "--config", config.toString()))
                .isEqualTo(KeyCommand.USAGE);
        assertThat(err).contains("at least 2 new components");
    }

    @Test
    void aGeneratedTmkOrCvkNeverShownIsWarnedAboutWithTheCommandThatMakesAUsableOne() {
        assertThat(run("add", "tmk.1", "--generate", "--config", config.toString())).isZero();
        assertThat(err.strip()).isEqualTo("keys: warning: the clear key of tmk.1 was never shown, so no terminal can"
                + " ever load it; to make one that can: bin/prepaid keys add tmk.1 --generate --show --replace --config "
                + config);
        assertThat(run("add", "tmk.2", "--generate", "--single", "--config", config.toString())).isZero();
        assertThat(err).contains("tmk.2 --generate --show --replace --single --config");
        assertThat(run("add", "cvk.3", "--generate", "--config", config.toString())).isZero();
        assertThat(err).contains("the clear key of cvk.3 was never shown, so no card bureau can ever load it");
        // the PVK is used by the switch only; a key shown or typed in is known outside
        assertThat(run("add", "pvk", "--generate", "--config", config.toString())).isZero();
        assertThat(err).isEmpty();
        assertThat(run("add", "tmk.4", "--generate", "--show", "--config", config.toString())).isZero();
        assertThat(err).isEmpty();
        assertThat(runWithInput("0123456789ABCDEFFEDCBA9876543210\n", "add", "cvk.5", "--stdin", "--config",
                config.toString())).isZero();
        assertThat(err).isEmpty();
    }

    @Test
    void onlyATmkIsToldAboutSingleLengthKeys() {
        // 16 digits: a single-length key, which only a TMK may be
        assertThat(runWithInput("0123456789ABCDEF\n", "add", "tmk.1", "--stdin", "--config", config.toString()))
                .isEqualTo(KeyCommand.USAGE);
        assertThat(err.strip()).endsWith("must be 32 hex digits (got 16 characters); --single for 16 (bin/prepaid keys --help)");
        for (final String name : List.of("cvk.3", "pvk")) {
            assertThat(runWithInput("0123456789ABCDEF\n", "add", name, "--stdin", "--config", config.toString()))
                    .as(name).isEqualTo(KeyCommand.USAGE);
            assertThat(err).as(name).contains("must be 32 hex digits (got 16 characters)").doesNotContain("--single");
            assertThat(runWithInput("0123456789ABCDEF0123456789ABCDEF\n", "add", name, "--stdin", "--config",
                    config.toString())).as(name).isEqualTo(KeyCommand.FAILED);
            assertThat(err).as(name).contains("two equal halves").doesNotContain("--single");
        }
        assertThat(Files.exists(directory.resolve("keys.txt"))).isFalse();
    }

    @Test
    void pinCheckPrintsOnlyTheCheckValueOfThePinUnderTheKeyFilesPvk() {
        assertThat(run("add", "pvk", "--generate", "--config", config.toString())).isZero();
        final long expected = new PinCheck(StoredKeys.load(directory.resolve("keys.txt"), mfk()).key("pvk"))
                .fromClearPin(NAMED_PAN, "123456");

        assertThat(runWithInput("123456\n", "pin-check", "--pan", NAMED_PAN, "--stdin", "--config", config.toString()))
                .as(err).isZero();
        assertThat(out).isEqualTo(PinCheck.toText(expected) + System.lineSeparator());
        assertThat(err).isEmpty();

        // typed twice without echo
        assertThat(runWithConsole(List.of("123456", "123456"), "pin-check", "--pan", NAMED_PAN, "--config",
                config.toString())).as(err).isZero();
        assertThat(out.strip()).isEqualTo(PinCheck.toText(expected));
        assertThat(runWithConsole(List.of("123456", "123465"), "pin-check", "--pan", NAMED_PAN, "--config",
                config.toString())).isEqualTo(KeyCommand.FAILED);
        assertThat(err.strip()).isEqualTo("keys: the two PINs differ; nothing printed");
        assertThat(out).isEmpty();
        assertThat(run("pin-check", "--pan", NAMED_PAN, "--config", config.toString())).isEqualTo(KeyCommand.FAILED);
        assertThat(err.strip()).isEqualTo("keys: no terminal to type the PIN on; pipe it in with --stdin");
    }

    @Test
    void pinCheckRefusesABadPinOrCardWithoutShowingThePin() {
        assertThat(run("pin-check", "--pan", NAMED_PAN, "--stdin", "--config", config.toString()))
                .isEqualTo(KeyCommand.FAILED);
        assertThat(err.strip()).isEqualTo("keys: " + directory.resolve("keys.txt") + " has no PIN verification key"
                + " 'pvk': add it first (bin/prepaid keys add pvk --generate)");
        assertThat(run("add", "pvk", "--generate", "--config", config.toString())).isZero();
        for (final String pin : List.of("123", "1234567890123", "12a45b", "１２３４")) {
            assertThat(runWithInput(pin + "\n", "pin-check", "--pan", NAMED_PAN, "--stdin", "--config",
                    config.toString())).as(pin).isEqualTo(KeyCommand.FAILED);
            assertThat(err.strip()).as(pin).isEqualTo("keys: the PIN must be 4-12 digits (got " + pin.length()
                    + " characters); nothing printed");
            assertThat(out).as(pin).isEmpty();
        }
        assertThat(runWithInput("", "pin-check", "--pan", NAMED_PAN, "--stdin", "--config", config.toString()))
                .isEqualTo(KeyCommand.FAILED);
        assertThat(err).contains("standard input held no PIN");
        assertThat(run("pin-check", "--pan", "8888000100000018", "--stdin", "--config", config.toString()))
                .isEqualTo(KeyCommand.USAGE);
        assertThat(err).contains("--pan must be a card number of 13-19 digits with a valid Luhn check digit");
        assertThat(run("pin-check", "--stdin", "--config", config.toString())).isEqualTo(KeyCommand.USAGE);
        assertThat(err).contains("pin-check needs --pan PAN");
        // a PIN on the command line is refused without being repeated
        assertThat(run("pin-check", "--pan", NAMED_PAN, "739184", "--config", config.toString()))
                .isEqualTo(KeyCommand.USAGE);
        assertThat(err).contains("the PIN is never given on the command line").doesNotContain("739184");
        assertThat(run("list", "--pan", NAMED_PAN, "--config", config.toString())).isEqualTo(KeyCommand.USAGE);
        assertThat(err).contains("list does not take --pan");
    }

    @Test
    void theDemoKeysAreListedUnderTheDevelopmentMfk() {
        assertThat(run("list", "--config", ProjectFiles.path("config/demo").resolve("switch.yaml").toString())).isZero();
        assertThat(out).contains("MFK check value 40D522").contains("tmk.10000001").contains("pvk");
    }

    private MasterFileKey mfk() {
        return MasterFileKey.load(List.of(KeyComponentSource.file(directory.resolve("c1")),
                KeyComponentSource.file(directory.resolve("c2"))));
    }

    private static String componentHex(final Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(line -> !line.startsWith("#")).findFirst().orElseThrow().strip();
    }

    private int run(final String... args) {
        return runWithInput("", args);
    }

    private int runWithInput(final String input, final String... args) {
        return run(input, null, args);
    }

    /** As the command runs on a terminal: each prompt answered with the next of {@code typed}, no stdin. */
    private int runWithConsole(final List<String> typed, final String... args) {
        final java.util.Iterator<String> answers = typed.iterator();
        return run("", prompt -> answers.hasNext() ? answers.next().toCharArray() : null, args);
    }

    private int run(final String input, final SecretInput.Console console, final String... args) {
        final ByteArrayOutputStream o = new ByteArrayOutputStream();
        final ByteArrayOutputStream e = new ByteArrayOutputStream();
        final int status = new KeyCommand(ProjectFiles.root(),
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8),
                new SecureRandom(), console).run(args);
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return status;
    }
}
