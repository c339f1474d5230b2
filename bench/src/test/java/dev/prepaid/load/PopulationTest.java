package dev.prepaid.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepaid.config.Bootstrap;
import dev.prepaid.config.KeyNames;
import dev.prepaid.config.SwitchConfig;
import dev.prepaid.demo.DemoBusiness;
import dev.prepaid.ledger.Ledger;
import dev.prepaid.ledger.LedgerState;
import dev.prepaid.security.MasterFileKey;
import dev.prepaid.security.PinCheck;
import dev.prepaid.security.StoredKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A population as {@code bin/prepaid load population} writes it: a configuration the switch loads, a bootstrap file
 * the switch accepts (rehearsed on a scratch ledger here, as the switch does before its first start) with every
 * terminal and card, a key file holding each terminal's TMK, and the generator's file that reads back the same.
 */
class PopulationTest {
    private static Path root() {
        return DemoBusiness.installationAbove(Path.of(""));
    }

    @Test
    void theSwitchBootstrapsThePopulationTheGeneratorReads(@TempDir final Path directory) throws Exception {
        final Population written = Population.write(root(), directory, new Population.Shape(5, 300, 40, "PROCESS",
                "YIELDING", 4_096), new SecureRandom());
        final Population population = Population.read(directory);
        assertThat(population.terminals()).hasSize(5).allMatch(t -> t.merchant().equals(Population.MERCHANT));
        assertThat(population.terminals().get(0).id()).isEqualTo("30000001");
        assertThat(population.cards()).isEqualTo(written.cards());
        assertThat(population.cards().count()).isEqualTo(300);
        assertThat(population.cards().pinCards()).isEqualTo(40);

        final SwitchConfig config = SwitchConfig.load(population.switchConfig(), root());
        assertThat(config.journal().journal().durability().toString()).isEqualTo("PROCESS");
        assertThat(config.ledger().maxTerminals()).isGreaterThanOrEqualTo(5);
        assertThat(config.ledger().transactionLogCapacity()).isEqualTo(4_096);
        assertThat(config.ledger().maxOpenHolds()).as("holds, small population").isEqualTo(10_000);
        final Population large = Population.write(root(), directory.resolve("large"), new Population.Shape(5, 300, 40,
                "PROCESS", "YIELDING", 4_194_304), new SecureRandom());
        assertThat(SwitchConfig.load(large.switchConfig(), root()).ledger().maxOpenHolds())
                .as("holds: a 16th of a day's transaction log, the default mix's pre-authorisations with room")
                .isEqualTo(262_144);
        assertThat(Files.readString(population.switchConfig())).contains("waitStrategy: YIELDING")
                .contains("limits: {requestsPerSecond: 100000");

        final StoredKeys keys = StoredKeys.load(population.keyFile(), MasterFileKey.development());
        for (final Population.Terminal terminal : population.terminals()) {
            assertThat(keys.contains(KeyNames.tmk(terminal.id()))).isTrue();
        }
        assertThat(population.cvk()).isNotNull();

        final Bootstrap bootstrap = Bootstrap.load(directory.resolve(Population.BOOTSTRAP_FILE),
                Bootstrap.Options.of(config, keys, Clock.systemUTC()));
        final Ledger ledger = bootstrap.rehearse();
        final LedgerState state = ledger.state();
        assertThat(state.terminalCount()).isEqualTo(5);
        final PinCheck pins = new PinCheck(keys.key(KeyNames.PIN_VERIFICATION_KEY));
        for (final int card : new int[] {0, 39, 40, 299}) {
            final int i = state.resolveCard(population.cards().pan(card));
            assertThat(i).as("card %d is the switch's", card).isNotNegative();
            assertThat(state.cards().available(i)).isEqualTo(Population.FACE_VALUE_FEN);
            assertThat(state.cards().pinCheck(i)).isEqualTo(card < 40
                    ? pins.fromClearPin(population.cards().pan(card), population.cards().pin(card)) : PinCheck.NO_PIN);
        }
        assertThat(state.resolveCard(population.cards().pan(300))).as("no card beyond the population").isNegative();
        assertThat(Files.readString(directory.resolve(Population.BOOTSTRAP_FILE)))
                .as("PINs appear only as check values").doesNotContain("pin: ");
    }

    @Test
    void theGeneratorFileIsCheckedAndShapesAreBounded(@TempDir final Path directory) throws Exception {
        Files.writeString(directory.resolve(Population.GENERATOR_FILE), "switchConfig: switch.yaml\nterminals: []\n");
        assertThatThrownBy(() -> Population.read(directory)).hasMessageContaining("are required");
        Files.writeString(directory.resolve(Population.GENERATOR_FILE), "switchConfig: switch.yaml\ncolour: red\n");
        assertThatThrownBy(() -> Population.read(directory)).hasMessageContaining("colour: unknown key (line 2)");
        assertThatThrownBy(() -> new Population.Shape(10_001, 1, 0, "SYNC", "SLEEPING", 1024))
                .hasMessage("--terminals must be 1..10000, not 10001");
        assertThatThrownBy(() -> new Population.Shape(1, 10_000_001, 0, "SYNC", "SLEEPING", 1024))
                .hasMessage("--cards must be 1..10000000, not 10000001");
        assertThatThrownBy(() -> new Population.Shape(1, 10, 11, "SYNC", "SLEEPING", 1024))
                .hasMessageContaining("--pin-cards must be 0..--cards");
        assertThat(Population.Shape.defaultPinCards(10_000_000)).isEqualTo(10_000);
        assertThat(Population.Shape.defaultPinCards(50)).isEqualTo(50);
    }

    @Test
    void configurationEditsKeepEverythingElse() {
        final String yaml = "# top\nserver:\n  host: 127.0.0.1\n  port: 8583    # the POS port\nmetrics:\n  port: 9464\n";
        final String edited = SwitchYaml.set(yaml, "metrics", "port", "0");
        assertThat(edited).isEqualTo("# top\nserver:\n  host: 127.0.0.1\n  port: 8583    # the POS port\nmetrics:\n"
                + "  port: 0\n");
        assertThat(SwitchYaml.get(yaml, "server", "port")).isEqualTo("8583");
        assertThat(SwitchYaml.insertAfter(yaml, "server", "host", "  extra: 1")).contains("host: 127.0.0.1\n  extra: 1\n");
        assertThat(SwitchYaml.put(yaml, "server", "port", "0", "host")).contains("  port: 0\n").doesNotContain("8583");
        assertThat(SwitchYaml.put(yaml, "server", "maxConnections", "5", "host"))
                .as("a key an older configuration lacks is added after the one named")
                .contains("host: 127.0.0.1\n  maxConnections: 5\n  port: 8583");
        assertThatThrownBy(() -> SwitchYaml.set(yaml, "server", "maxConnections", "5"))
                .hasMessage("the configuration has no key 'server.maxConnections'");
        assertThatThrownBy(() -> SwitchYaml.set(yaml, "ledger", "maxCards", "5"))
                .hasMessage("the configuration has no section 'ledger:'");
    }
}
