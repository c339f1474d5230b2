package dev.prepaid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.config.AdminSettings;
import dev.prepaid.config.SwitchConfig;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * An endpoint that speaks HTTPS only, with a self-signed certificate: the CLI talks to it when told to trust that
 * certificate (--ca, or ca: in the config file) and refuses to otherwise — there is no way to skip the check.
 *
 * <p>The certificates of src/test/resources/tls are for these tests only (their keys are public), made with
 * {@code openssl req -x509 -newkey rsa:2048 -nodes -keyout endpoint-key.pem -out endpoint.pem -days 36500
 * -subj "/CN=prepaid-admin test endpoint" -addext "subjectAltName=IP:127.0.0.1,DNS:localhost"}; other.pem likewise
 * for another endpoint.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsEndpointTest {
    @TempDir
    static Path scratch;

    private TestSwitch demo;
    private Path certificate;
    private Path otherCertificate;
    private Cli cli;

    private static Path resource(final String name) {
        try {
            return Path.of(TlsEndpointTest.class.getResource("/tls/" + name).toURI());
        } catch (final URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    void start() throws IOException {
        certificate = resource("endpoint.pem");
        otherCertificate = resource("other.pem");
        final Path key = resource("endpoint-key.pem");
        demo = TestSwitch.start(Files.createDirectory(scratch.resolve("switch")), c -> {
            final AdminSettings a = c.admin();
            return new SwitchConfig(c.file(), c.baseDirectory(), c.server(), c.pipeline(), c.journal(), c.ledger(),
                    c.keys(), c.dialect(), c.bootstrap(), c.metrics(), new AdminSettings(true, a.host(), a.port(),
                            a.passwordHashing(), certificate, key, false, a.limits()), c.business());
        });
        cli = Cli.of(demo.endpoint, Files.createDirectory(scratch.resolve("home")));
    }

    @AfterAll
    void stop() {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void theEndpointsOwnCertificateTrustedWithCaCarriesTheSession() throws IOException {
        assertThat(demo.endpoint).startsWith("https://127.0.0.1:");
        final Path sessions = Files.createDirectory(scratch.resolve("sessions"));
        final Cli auditor = new DemoOperators(cli.with(Settings.CA_VARIABLE, certificate.toString()), sessions)
                .as("auditor");

        final Cli.Result status = auditor.run("system", "status");
        assertThat(status.exitCode()).as("%s", status).isZero();
        assertThat(status.out()).containsPattern("ledger.merchants +2");
        final Cli.Result withOption = cli.session(sessions.resolve("auditor.session")).run("whoami", "--ca",
                certificate.toString());
        assertThat(withOption.exitCode()).as("%s", withOption).isZero();
        assertThat(withOption.out()).containsPattern("operatorId +auditor");
    }

    @Test
    void theCaMayComeFromTheConfigFile() throws IOException {
        final Path config = Files.writeString(scratch.resolve("config"), "endpoint: " + demo.endpoint + "\nca: "
                + certificate + "\n");
        final Cli configured = Cli.of("", scratch).with(Settings.CONFIG_VARIABLE, config.toString())
                .session(scratch.resolve("configured.session"));

        final Cli.Result login = configured.input("finance2-demo\n", "login", "--operator", "finance2",
                "--password-stdin");

        assertThat(login.exitCode()).as("%s", login).isZero();
        assertThat(login.out()).startsWith("logged in to " + demo.endpoint + " as finance2");
    }

    @Test
    void withoutTrustingItsCertificateTheEndpointIsUnreachableExitCode5() {
        final Cli.Result untrusted = cli.input("auditor-demo\n", "login", "--operator", "auditor", "--password-stdin");

        assertThat(untrusted.exitCode()).isEqualTo(Exit.UNREACHABLE);
        assertThat(untrusted.err()).startsWith("prepaid-admin: TLS with " + demo.endpoint + " failed (")
                .contains("trust that certificate with --ca FILE");

        final Cli.Result another = cli.input("auditor-demo\n", "login", "--operator", "auditor", "--password-stdin",
                "--ca", otherCertificate.toString());
        assertThat(another.exitCode()).isEqualTo(Exit.UNREACHABLE);
        assertThat(another.err()).startsWith("prepaid-admin: TLS with " + demo.endpoint + " failed (");
    }
}
