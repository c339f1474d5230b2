package dev.prepaid.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.demo.DemoBusiness;
import dev.prepaid.iso8583.Dialect;
import dev.prepaid.pos.Card;
import dev.prepaid.pos.PosTerminal;
import dev.prepaid.security.DesKey;
import dev.prepaid.security.MacFunction;
import dev.prepaid.server.SwitchServer;
import dev.prepaid.testing.ProjectFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PIN set the way a real installation sets it: {@code bin/prepaid keys pin-check} computes the check value
 * offline, the bootstrap file carries it as {@code pinCheck}, and the started switch approves that card's PIN
 * purchase and declines a wrong PIN.
 */
class PinCheckBootstrapEndToEndTest {
    private static final String PAN = "8888000100000017"; // named, PIN required for purchases
    private static final String TERMINAL = "10000001";

    @TempDir
    Path directory;

    @Test
    void aPinCheckMadeByTheCommandLetsTheCardsPinPurchaseBeApproved() throws IOException {
        final Path root = ProjectFiles.root();
        DemoBusiness.copyInto(root.resolve("config/demo"), directory);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(new KeyCommand(root, new ByteArrayInputStream("123456\n".getBytes(StandardCharsets.US_ASCII)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new SecureRandom(), null).run(new String[] {"pin-check", "--pan", PAN, "--stdin", "--config",
                        directory.resolve("switch.yaml").toString()})).as(err.toString(StandardCharsets.UTF_8)).isZero();
        final String pinCheck = out.toString(StandardCharsets.UTF_8).strip();

        // The card's clear demo PIN gives way to the check value (the first "pin" of the file is this card's).
        final Path bootstrap = directory.resolve("bootstrap.yaml");
        final String yaml = Files.readString(bootstrap);
        final String clear = "pan: \"" + PAN + "\"\n      description: everyday named card\n      holder: {name: Zhang Wei,"
                + " idType: ID, idNumber: \"310101198001010013\", phone: \"13800000001\"}\n      pin: \"123456\"";
        assertThat(yaml).contains(clear);
        Files.writeString(bootstrap, yaml.replace(clear, clear.replace("pin: \"123456\"", "pinCheck: \"" + pinCheck
                + "\"")));

        final SwitchConfig config = SwitchConfig.load(directory.resolve("switch.yaml"), root).withPorts(0, 0, 0);
        try (SwitchServer server = SwitchServer.start(config);
                PosTerminal pos = PosTerminal.builder(Dialect.load(root.resolve(Dialect.DEFAULT_PATH)))
                        .terminalId(TERMINAL)
                        .merchantId(DemoBusiness.merchantOf(TERMINAL))
                        .tmk(DesKey.fromHex(DemoBusiness.TMKS.get(TERMINAL)))
                        .macAlgorithm(MacFunction.CUP_ECB)
                        .switchAddress("127.0.0.1", server.posPort())
                        .readTimeout(Duration.ofSeconds(10))
                        .build()) {
            final Card card = Card.manual(PAN, DemoBusiness.EXPIRY);
            assertThat(pos.purchase(card, 1_00, "654321").responseCode()).isEqualTo("55");
            assertThat(pos.purchase(card, 1_00, "123456").responseCode()).isEqualTo("00");
        }
    }
}
