package dev.prepaid.server;

import dev.prepaid.config.ServerSettings;
import dev.prepaid.config.SwitchConfig;
import dev.prepaid.demo.DemoBusiness;
import dev.prepaid.iso8583.Dialect;
import dev.prepaid.pos.Card;
import dev.prepaid.pos.PosTerminal;
import dev.prepaid.security.CvkPair;
import dev.prepaid.security.DesKey;
import dev.prepaid.security.MacFunction;
import dev.prepaid.testing.Await;
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

    /** A switch on a fresh copy of the demo configuration in {@code directory}. */
    static SwitchServer start(final Path directory) {
        return SwitchServer.start(config(directory));
    }

    /** Closes the terminals (those that were built), then the switch (if it started): the end of a test class. */
    static void stop(final SwitchServer server, final PosTerminal... terminals) {
        for (final PosTerminal terminal : terminals) {
            if (terminal != null) {
                terminal.close();
            }
        }
        if (server != null) {
            server.close();
        }
    }

    static synchronized Dialect dialect() {
        if (dialect == null) {
            dialect = Dialect.load(root().resolve(Dialect.DEFAULT_PATH));
        }
        return dialect;
    }

    static PosTerminal.Builder terminal(final SwitchServer server, final String terminalId) {
        return PosTerminal.builder(dialect())
                .terminalId(terminalId)
                .merchantId(DemoBusiness.merchantOf(terminalId))
                .tmk(DesKey.fromHex(TMKS.get(terminalId)))
                .macAlgorithm("10000003".equals(terminalId) ? MacFunction.X9_19 : MacFunction.CUP_ECB)
                .switchAddress("127.0.0.1", server.posPort())
                .readTimeout(Duration.ofSeconds(10));
    }

    static Card manual(final String pan, final String pin) {
        final Card card = Card.manual(pan, DemoBusiness.EXPIRY);
        return pin == null ? card : card.withPin(pin);
    }

    /** The same configuration with other POS listener settings (connection limit, timeouts, allow-list). */
    static SwitchConfig withServer(final SwitchConfig c, final ServerSettings server) {
        return new SwitchConfig(c.file(), c.baseDirectory(), server, c.pipeline(), c.journal(), c.ledger(), c.keys(),
                c.dialect(), c.bootstrap(), c.metrics(), c.admin(), c.business());
    }

    /** The same configuration with other admin endpoint settings (TLS, limits). */
    static SwitchConfig withAdmin(final SwitchConfig c, final dev.prepaid.config.AdminSettings admin) {
        return new SwitchConfig(c.file(), c.baseDirectory(), c.server(), c.pipeline(), c.journal(), c.ledger(), c.keys(),
                c.dialect(), c.bootstrap(), c.metrics(), admin, c.business());
    }

    /**
     * The same configuration with the switch's own clearing after each cut-over on or off (off: a test that counts
     * operator commands sees none of the RECORD_RECONCILIATION the clearing thread journals for the bootstrap's days).
     */
    static SwitchConfig withClearing(final SwitchConfig c, final boolean on) {
        final dev.prepaid.config.BusinessSettings b = c.business();
        return new SwitchConfig(c.file(), c.baseDirectory(), c.server(), c.pipeline(), c.journal(), c.ledger(), c.keys(),
                c.dialect(), c.bootstrap(), c.metrics(), c.admin(), new dev.prepaid.config.BusinessSettings(b.timeZone(),
                        b.cutoverTime(), b.holdExpiryCheckSeconds(), b.acquirerInstitutionId(), b.custodyAccount(), on));
    }

    /** The value of one series of {@link SwitchServer#metricsText()}, e.g. {@code prepaid_connections}; 0 when absent. */
    static long metric(final SwitchServer server, final String series) {
        return metric(server.metricsText(), series);
    }

    /** The value of one series (name with labels, as written) in Prometheus text; 0 when absent. */
    static long metric(final String prometheusText, final String series) {
        for (final String line : prometheusText.split("\n")) {
            if (line.startsWith(series + " ")) {
                return (long) Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    /**
     * Waits up to {@code timeoutMillis} for {@code prepaid_connections} to reach {@code expected} (the switch counts a
     * connection closed only once its reader noticed), then asserts that it did.
     */
    static void awaitConnections(final SwitchServer server, final long expected, final long timeoutMillis)
            throws InterruptedException {
        Await.until("prepaid_connections to be " + expected, Duration.ofMillis(timeoutMillis),
                () -> metric(server, "prepaid_connections") == expected);
    }

    /** A demo gift card (type 2, BIN 88880002, 16 digits) by account number, with its Luhn check digit. */
    static String giftCard(final int account) {
        return DemoBusiness.giftCard(account).pan();
    }
}
