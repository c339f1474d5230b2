package dev.prepaid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prepaid.demo.DemoBusiness;
import dev.prepaid.iso8583.Dialect;
import dev.prepaid.pos.PosResult;
import dev.prepaid.pos.PosTerminal;
import dev.prepaid.security.DesKey;
import dev.prepaid.testing.ProjectFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Terminals registered through the CLI with their TMK given as custodians' components: the key the switch loads
 * is the one the components make (the terminal signs on with it at once), a mistyped component or a wrong check
 * value sends or stores nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TerminalCommandsTest {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    @TempDir
    static Path scratch;

    private TestSwitch demo;
    private Cli admin;
    private Dialect dialect;

    @BeforeAll
    void start() throws IOException {
        demo = TestSwitch.start(Files.createDirectory(scratch.resolve("switch")));
        admin = new DemoOperators(Cli.of(demo.endpoint, Files.createDirectory(scratch.resolve("home"))),
                Files.createDirectory(scratch.resolve("sessions"))).as("admin");
        dialect = Dialect.load(ProjectFiles.path(Dialect.DEFAULT_PATH));
    }

    @AfterAll
    void stop() {
        if (demo != null) {
            demo.close();
        }
    }

    /** Two custodians' components of {@code tmk}: each with odd parity, as key components are printed. */
    private static String[] componentsOf(final String tmk, final String first) {
        final byte[] key = HEX.parseHex(tmk);
        final byte[] one = HEX.parseHex(first);
        DesKey.setOddParity(one, 0, one.length);
        final byte[] two = new byte[key.length];
        for (int i = 0; i < key.length; i++) {
            two[i] = (byte) (key[i] ^ one[i]);
        }
        DesKey.setOddParity(two, 0, two.length);
        return new String[] {HEX.formatHex(one), HEX.formatHex(two)};
    }

    private static String checkValue(final String hex) {
        return DesKey.fromHex(hex).checkValueHex(DesKey.DISPLAY_CHECK_VALUE_LENGTH);
    }

    /** A double-length key with odd parity. */
    private static String tmk(final String hex) {
        final byte[] key = HEX.parseHex(hex);
        DesKey.setOddParity(key, 0, key.length);
        return HEX.formatHex(key);
    }

    private PosResult signOn(final String terminalId, final String merchantId, final String tmk) {
        try (PosTerminal terminal = PosTerminal.builder(dialect).terminalId(terminalId).merchantId(merchantId)
                .tmk(DesKey.fromHex(tmk)).switchAddress("127.0.0.1", demo.server.posPort())
                .readTimeout(Duration.ofSeconds(10)).build()) {
            return terminal.signOn();
        }
    }

    @Test
    void twoComponentsLoadTheTmkTheyMakeAndTheTerminalSignsOnWithIt() {
        final String tmk = tmk("3B5D7F9102A4C6E8F1E3D5C7B9A08264");
        final String[] parts = componentsOf(tmk, "1F2E3D4C5B6A79880F1E2D3C4B5A6978");

        final Cli.Result registered = admin.input(parts[0] + " " + checkValue(parts[0]) + "\n" + parts[1] + " "
                + checkValue(parts[1]) + "\n", "terminal", "register", "T0000042", "--merchant", DemoBusiness.SUPERMARKET,
                "--serial", "SN-42", "--components-stdin", "--check-value", checkValue(tmk), "--note", "new till");

        assertThat(registered.exitCode()).as("%s", registered).isZero();
        assertThat(registered.out()).startsWith("UPSERT_TERMINAL applied").containsPattern("keyReference +tmk.T0000042")
                .containsPattern("checkValue +" + checkValue(tmk)).endsWith("terminal T0000042 registered; it can sign on"
                        + " now\n");
        final JsonNode terminal = admin.ok("terminal", "show", "T0000042", "--json").json();
        assertThat(terminal.path("merchantId").asText()).isEqualTo(DemoBusiness.SUPERMARKET);
        assertThat(terminal.path("keyReference").asText()).isEqualTo("tmk.T0000042");
        assertThat(terminal.path("macAlgorithm").asText()).isEqualTo("CUP_ECB");
        final PosResult signOn = signOn("T0000042", DemoBusiness.SUPERMARKET, tmk);
        assertThat(signOn.approved()).as("%s", signOn).isTrue();
    }

    @Test
    void componentsAreTypedWithoutEchoAndAMistypedOneSendsNothing() {
        final String tmk = tmk("0123456789ABCDEFFEDCBA9876543210");
        final String[] parts = componentsOf(tmk, "A1B2C3D4E5F60718293A4B5C6D7E8F90");
        // A wrong high digit of a byte: a key bit, not the parity bit DES ignores.
        final String mistyped = parts[0].substring(0, 4) + Integer.toHexString(Character.digit(parts[0].charAt(4), 16) ^ 8)
                .toUpperCase(java.util.Locale.ROOT) + parts[0].substring(5);

        final ScriptedTerminal custodians = new ScriptedTerminal(mistyped, checkValue(parts[0]));
        final Cli.Result refused = admin.typing(custodians).run("terminal", "register", "T0000043", "--merchant",
                DemoBusiness.COFFEE, "--serial", "SN-43", "--components", "2", "--check-value", checkValue(tmk));
        assertThat(refused.exitCode()).isEqualTo(Exit.BAD_INPUT);
        assertThat(refused.err()).isEqualTo("prepaid-admin: component 1 does not match its check value "
                + checkValue(parts[0]) + ": it was mistyped; nothing was sent\n");
        assertThat(admin.run("terminal", "show", "T0000043").exitCode()).isEqualTo(Exit.NOT_FOUND);

        // The second custodian has no check value of their component: Enter.
        final ScriptedTerminal typedRight = new ScriptedTerminal(parts[0], checkValue(parts[0]), parts[1], "");
        final Cli.Result registered = admin.typing(typedRight).run("terminal", "register", "T0000043", "--merchant",
                DemoBusiness.COFFEE, "--serial", "SN-43", "--components", "2", "--check-value", checkValue(tmk));
        assertThat(registered.exitCode()).as("%s", registered).isZero();
        assertThat(typedRight.secretPrompts).containsExactly("Component 1 of 2 (32 hex digits, not shown): ",
                "Component 2 of 2 (32 hex digits, not shown): ");
        assertThat(registered.out() + registered.err()).doesNotContain(parts[0]).doesNotContain(parts[1]);
        assertThat(signOn("T0000043", DemoBusiness.COFFEE, tmk).approved()).isTrue();
    }

    @Test
    void aWrongTmkCheckValueIsExitCode2AndRegistersNothing() {
        final String tmk = tmk("5566778899AABBCCDDEEFF0011223344");
        final String[] parts = componentsOf(tmk, "0F0E0D0C0B0A09080706050403020100");

        final Cli.Result refused = admin.input(parts[0] + "\n" + parts[1] + "\n", "terminal", "register", "T0000044",
                "--merchant", DemoBusiness.SUPERMARKET, "--serial", "SN-44", "--components-stdin", "--check-value",
                "000000");

        assertThat(refused.exitCode()).isEqualTo(Exit.BAD_INPUT);
        assertThat(refused.err()).startsWith("prepaid-admin: the key does not match its check value 000000 (it makes "
                + checkValue(tmk) + ")").endsWith("(--check-value)\n");
        assertThat(admin.run("terminal", "show", "T0000044").exitCode()).isEqualTo(Exit.NOT_FOUND);
        assertThat(signOn("T0000044", DemoBusiness.SUPERMARKET, tmk).approved()).isFalse();
    }

    @Test
    void aTerminalIsReKeyedKeepingItsFields() {
        final String tmk = tmk("7A6B5C4D3E2F10017A6B5C4D3E2F1102");
        final String[] parts = componentsOf(tmk, "13579BDF02468ACE13579BDF02468ACE");
        assertThat(signOn("20000002", DemoBusiness.COFFEE, tmk).approved()).as("not the key it had").isFalse();

        final Cli.Result rekeyed = admin.input(parts[0] + "\n" + parts[1] + "\n", "terminal", "register", "20000002",
                "--components-stdin", "--check-value", checkValue(tmk));

        assertThat(rekeyed.exitCode()).as("%s", rekeyed).isZero();
        assertThat(rekeyed.out()).endsWith("terminal 20000002 re-keyed; it can sign on now\n");
        final JsonNode terminal = admin.ok("terminal", "show", "20000002", "--json").json();
        assertThat(terminal.path("serialNumber").asText()).isEqualTo("DEMO-SN-0005");
        assertThat(terminal.path("merchantId").asText()).isEqualTo(DemoBusiness.COFFEE);
        assertThat(signOn("20000002", DemoBusiness.COFFEE, tmk).approved()).isTrue();
    }

    @Test
    void aTerminalIsDisabledAndEnabledWithItsKeyKept() {
        assertThat(admin.run("terminal", "disable", "10000002", "--note", "stolen").exitCode()).isZero();
        final JsonNode disabled = admin.ok("terminal", "show", "10000002", "--json").json();
        assertThat(disabled.path("status").asText()).isEqualTo("DISABLED");
        assertThat(disabled.path("keyReference").asText()).isEqualTo("tmk.10000002");
        assertThat(disabled.path("deployerCode").asText()).isEqualTo("DEP01");

        assertThat(admin.run("terminal", "enable", "10000002").exitCode()).isZero();
        assertThat(admin.ok("terminal", "show", "10000002", "--json").json().path("status").asText()).isEqualTo("ACTIVE");
        assertThat(signOn("10000002", DemoBusiness.SUPERMARKET, DemoBusiness.TMKS.get("10000002")).approved()).isTrue();
    }

    @Test
    void theListOfOneMerchantsTerminalsIsATable() {
        final Cli.Result list = admin.ok("terminal", "list", "--merchant", DemoBusiness.COFFEE);

        assertThat(list.out().lines().findFirst().orElseThrow()).startsWith("terminalId  merchantId       serialNumber");
        assertThat(list.out()).containsPattern("\n20000003 +" + DemoBusiness.COFFEE + " +DEMO-SN-0006 +DISABLED +CUP_ECB")
                .doesNotContain(DemoBusiness.SUPERMARKET);
    }
}
