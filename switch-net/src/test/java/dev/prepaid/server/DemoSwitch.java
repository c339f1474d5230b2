package dev.prepaid.server;

import dev.prepaid.config.ServerSettings;
import dev.prepaid.config.SwitchConfig;
import dev.prepaid.demo.DemoBusiness;
import dev.prepaid.iso8583.Dialect;
import dev.prepaid.pos.Card;
import dev.prepaid.pos.PosTerminal;
import dev.prepaid.security.CvkPair;
import dev.prepaid.security.DesKey;
import dev.prepaid.security.MacAlgorithm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A switch on the demo configuration (config/demo), copied into a scratch directory so its journal lives there,
 * on free ports; and terminals and cards of the demo business as config/demo/bootstrap.yaml documents them.
 */
final class DemoSwitch {
    static final String SUPERMARKET = DemoBusiness.SUPERMARKET;
    static final String COFFEE = DemoBusiness.COFFEE;
    /** Clear TMKs of the demo terminals (config/demo/bootstrap.yaml). */
    static final Map<String, String> TMKS = DemoBusiness.TMKS;
    static final CvkPair CVK_NAMED = DemoBusiness.CVK_SHOPPING;

    private static Dialect dialect;

    private DemoSwitch() {
    }

    static Path root() {
        return DemoBusiness.installationAbove(Path.of(""));
    }

    /** Copies config/demo into {@code directory} and loads it there, every listener on a free port. */
    static SwitchConfig config(final Path directory) {
        DemoBusiness.copyInto(root().resolve("config/demo"), directory);
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

    /** The same configuration with other POS listener settings (connection limit, timeouts, allow-list). */
    static SwitchConfig withServer(final SwitchConfig c, final ServerSettings server) {
        return new SwitchConfig(c.file(), c.baseDirectory(), server, c.pipeline(), c.journal(), c.ledger(), c.keys(),
                c.dialect(), c.bootstrap(), c.metrics(), c.admin(), c.business());
    }

    /** The value of one series of {@link SwitchServer#metricsText()}, e.g. {@code prepaid_connections}; 0 when absent. */
    static long metric(final SwitchServer server, final String series) {
        for (final String line : server.metricsText().split("\n")) {
            if (line.startsWith(series + " ")) {
                return (long) Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    /** A demo gift card (type 2, BIN 88880002, 16 digits) by account number, with its Luhn check digit. */
    static String giftCard(final int account) {
        return DemoBusiness.giftCard(account).pan();
    }
}
