package dev.prepaid.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepaid.config.ConfigException;
import dev.prepaid.config.SwitchConfig;
import dev.prepaid.demo.DemoBusiness;
import dev.prepaid.pos.Card;
import dev.prepaid.pos.PosResult;
import dev.prepaid.pos.PosTerminal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Starting and restarting the real switch: a port in use and a bad configuration stop the start with one clear
 * line naming the key, and a restart on the same journal keeps the business (balances, originals to void).
 */
class NetworkStartEndToEndTest {
    @TempDir
    Path directory;

    @Test
    void posPortInUseStopsTheStartNamingServerPortAndLeavesNothingBehind() throws Exception {
        final SwitchConfig demo = DemoSwitch.config(directory);
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            final int port = busy.getLocalPort();
            assertThatThrownBy(() -> SwitchServer.start(demo.withPorts(port, 0, 0)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("server.port")
                    .hasMessageContaining("port " + port + " on 127.0.0.1 is in use");
        }
        // Nothing was left half-started: the same directory starts and serves.
        try (SwitchServer server = SwitchServer.start(demo);
                PosTerminal pos = DemoSwitch.terminal(server, "10000001").build()) {
            assertThat(pos.signOn().responseCode()).isEqualTo("00");
            assertThat(pos.echo().responseCode()).isEqualTo("00");
        }
    }

    @Test
    void aSecondSwitchOnTheSameJournalIsRefusedAndTheFirstKeepsServing() throws Exception {
        final SwitchConfig demo = DemoSwitch.config(directory); // every listener on a free port: only the journal is shared
        final Card card = DemoBusiness.giftCard(120);
        try (SwitchServer first = SwitchServer.start(demo);
                PosTerminal pos = DemoSwitch.terminal(first, "10000001").build()) {
            final long before = EndToEnd.available(pos, card);
            assertThatThrownBy(() -> SwitchServer.start(demo))
                    .isInstanceOf(dev.prepaid.journal.JournalException.class)
                    .hasMessageContaining("is in use by another switch")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
            // the refused start took nothing from the first: it still serves, and its journal is its own
            assertThat(pos.purchase(card, 1_00).responseCode()).isEqualTo("00");
            assertThat(EndToEnd.available(pos, card)).isEqualTo(before - 1_00);
        }
        // a clean stop leaves a snapshot at its last command: the next start replays nothing
        final dev.prepaid.journal.Recovery.Recovered atRest =
                dev.prepaid.journal.Recovery.recover(demo.journal().journal(), demo.ledger());
        assertThat(atRest.snapshot()).isNotNull();
        assertThat(atRest.replayed()).isZero();
        // stopped, it hands the journal over: the next start recovers the purchase
        try (SwitchServer next = SwitchServer.start(demo);
                PosTerminal pos = DemoSwitch.terminal(next, "10000001").stan(500_000).build()) {
            assertThat(EndToEnd.available(pos, card)).isEqualTo(99_00);
        }
    }

    @Test
    void metricsPortInUseStopsTheStartNamingMetricsPort() throws Exception {
        final SwitchConfig demo = DemoSwitch.config(directory);
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            final int port = busy.getLocalPort();
            assertThatThrownBy(() -> SwitchServer.start(demo.withPorts(0, port, 0)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("metrics.port")
                    .hasMessageContaining("port " + port + " on 127.0.0.1 is in use");
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "maxConnections: 2000      | maxConnections: 0           | server.maxConnections: 0 is out of range 1..1000000",
        "maxFrameBytes: 2048       | maxFrameBytes: 20           | server.maxFrameBytes: 20 is out of range",
        "maxFrameBytes: 2048       | maxFrameBytes: 4096         | server.maxFrameBytes: 4096 is more than the dialect's longest frame (2048",
        "idleTimeoutSeconds: 300   | idleTimeoutSeconds: 0       | server.idleTimeoutSeconds: 0 is out of range 1..86400",
        "frameDeadlineMillis: 5000 | frameDeadlineMillis: \"5s\" | server.frameDeadlineMillis: expected an integer",
        "port: 8583                | prot: 8583                  | server.prot: unknown key",
        "allowList: []             | allowList: [terminals.lan]  | server.allowList[0]",
        "port: 8583                | port: 70000                 | server.port: 70000 is out of range 0..65535"})
    void badServerSettingStopsTheStartNamingTheKey(final String original, final String replacement, final String expected)
            throws Exception {
        DemoSwitch.config(directory); // copies the demo files
        final Path file = directory.resolve("switch.yaml");
        final String yaml = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(yaml).contains("  " + original + "\n");
        Files.writeString(file, yaml.replace("  " + original + "\n", "  " + replacement + "\n"), StandardCharsets.UTF_8);

        assertThatThrownBy(() -> SwitchServer.start(SwitchConfig.load(file, DemoSwitch.root()).withPorts(0, 0, 0)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining(expected)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void journalDirectoryThatIsAFileStopsTheStartNamingJournalDirectory() throws Exception {
        final Path notADirectory = Files.writeString(directory.resolve("journal-is-a-file"), "x");
        final SwitchConfig config = DemoSwitch.config(directory).withJournalDirectory(notADirectory);
        assertThatThrownBy(() -> SwitchServer.start(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("journal.directory")
                .hasMessageContaining("is a file, not a directory");
    }

    @Test
    void restartOnTheSameJournalKeepsBalancesAndOriginals() {
        final Card card = DemoBusiness.giftCard(501);
        final PosResult purchase;
        final int lastStan;
        try (SwitchServer first = DemoSwitch.start(directory);
                PosTerminal pos = DemoSwitch.terminal(first, "10000001").build()) {
            assertThat(first.appliedBootstrap()).isNotNull();
            assertThat(pos.signOn().responseCode()).isEqualTo("00");
            purchase = pos.purchase(card, 1_234);
            assertThat(purchase.responseCode()).isEqualTo("00");
            assertThat(purchase.availableBalance()).isEqualTo(10_000 - 1_234);
            lastStan = pos.stan();
        }

        try (SwitchServer second = DemoSwitch.start(directory);
                PosTerminal pos = DemoSwitch.terminal(second, "10000001").stan(lastStan).build()) {
            assertThat(second.appliedBootstrap()).as("no second bootstrap on a journal that has a business").isNull();
            // Working keys are not kept: the terminal signs on again; the money is kept.
            assertThat(pos.signOn().responseCode()).isEqualTo("00");
            final PosResult balance = pos.balance(card);
            assertThat(balance.responseCode()).isEqualTo("00");
            assertThat(balance.availableBalance()).isEqualTo(10_000 - 1_234);
            // The purchase from before the restart is still there to void.
            final PosResult voided = pos.voidPurchase(purchase);
            assertThat(voided.responseCode()).isEqualTo("00");
            assertThat(pos.balance(card).availableBalance()).isEqualTo(10_000);
        }
    }
}
