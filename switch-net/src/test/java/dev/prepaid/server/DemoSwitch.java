package dev.prepaid.server;

import dev.prepaid.config.SwitchConfig;
import dev.prepaid.iso8583.Dialect;
import dev.prepaid.pos.Card;
import dev.prepaid.pos.PosTerminal;
import dev.prepaid.security.CvkPair;
import dev.prepaid.security.DesKey;
import dev.prepaid.security.MacAlgorithm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A switch on the demo configuration (config/demo), copied into a scratch directory so its journal lives there,
 * on free ports; and terminals and cards of the demo business as config/demo/bootstrap.yaml documents them.
 */
final class DemoSwitch {
    static final String SUPERMARKET = "888310048990001";
    static final String COFFEE = "888310058120002";
    /** Clear TMKs of the demo terminals (config/demo/bootstrap.yaml). */
    static final Map<String, String> TMKS = Map.of(
            "10000001", "CA5D92598DCA48CE8A4C76361A9269E9",
            "10000002", "11223344556677888877665544332211",
            "10000003", "3C3C3C3C5A5A5A5A9696969669696969",
            "20000001", "22222222444444446666666688888888",
            "20000002", "13579BDF02468ACEFDB975310ECA8642",
            "20000003", "A1B2C3D4E5F60718293A4B5C6D7E8F90");
    static final CvkPair CVK_NAMED = CvkPair.of(DesKey.fromHex("0123456789ABCDEF"), DesKey.fromHex("FEDCBA9876543210"));

    private static Dialect dialect;

    private DemoSwitch() {
    }

    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("config/demo"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("config/demo not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /** Copies config/demo into {@code directory} and loads it there, every listener on a free port. */
    static SwitchConfig config(final Path directory) {
        final Path source = root().resolve("config/demo");
        try (Stream<Path> files = Files.list(source)) {
            for (final Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file)) {
                    Files.copy(file, directory.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return SwitchConfig.load(directory.resolve("switch.yaml"), root()).withPorts(0, 0, 0);
    }

    static synchronized Dialect dialect() {
        if (dialect == null) {
            dialect = Dialect.load(root().resolve(Dialect.DEFAULT_PATH));
        }
        return dialect;
    }

    static PosTerminal.Builder terminal(final SwitchServer server, final String terminalId) {
        final String merchant = terminalId.startsWith("1") ? SUPERMARKET : COFFEE;
        return PosTerminal.builder(dialect())
                .terminalId(terminalId)
                .merchantId(merchant)
                .tmk(DesKey.fromHex(TMKS.get(terminalId)))
                .macAlgorithm("10000003".equals(terminalId) ? MacAlgorithm.X9_19 : MacAlgorithm.CUP_ECB)
                .switchAddress("127.0.0.1", server.posPort())
                .readTimeout(Duration.ofSeconds(10));
    }

    static Card manual(final String pan, final String pin) {
        final Card card = Card.manual(pan, 3012);
        return pin == null ? card : card.withPin(pin);
    }
}
