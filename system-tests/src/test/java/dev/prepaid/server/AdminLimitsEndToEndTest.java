package dev.prepaid.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.config.AdminSettings;
import dev.prepaid.config.SwitchConfig;
import dev.prepaid.demo.DemoBusiness;
import dev.prepaid.pos.PosTerminal;
import dev.prepaid.server.AdminHttp.Answer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin endpoint under what a hostile or careless client does — floods, slow sends, huge bodies and headers,
 * too many connections — while a terminal keeps being answered; its TLS; and a lockout that survives a restart.
 */
class AdminLimitsEndToEndTest {
    private static final AdminSettings.AdminLimits TIGHT = new AdminSettings.AdminLimits(30, 6, 1024, 1024, 20, 1);

    @TempDir
    Path directory;

    private static SwitchConfig tight(final SwitchConfig c) {
        final AdminSettings a = c.admin();
        return DemoSwitch.withAdmin(c, new AdminSettings(true, "127.0.0.1", 0, a.passwordHashing(), null, null, false, TIGHT));
    }

    @Test
    void aFloodIsSlowedDownWhileATerminalKeepsBeingAnswered() throws Exception {
        final SwitchServer server = SwitchServer.start(tight(DemoSwitch.config(directory)));
        final ExecutorService flooders = Executors.newFixedThreadPool(4);
        try (PosTerminal pos = DemoSwitch.terminal(server, "10000001").build()) {
            final AdminHttp http = AdminHttp.of(server);
            final String token = http.login("auditor", "auditor-demo");
            assertThat(pos.signOn().responseCode()).isEqualTo("00");
            final List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                statuses.add(flooders.submit(() -> http.get("/v1/status", token).status()));
            }
            int answered = 0;
            for (int i = 0; i < 20; i++) {
                answered += "00".equals(pos.balance(DemoBusiness.giftCard(150)).responseCode()) ? 1 : 0;
            }
            int tooMany = 0;
            int ok = 0;
            for (final Future<Integer> status : statuses) {
                final int s = status.get(60, TimeUnit.SECONDS);
                tooMany += s == 429 ? 1 : 0;
                ok += s == 200 ? 1 : 0;
            }
            assertThat(answered).as("every balance inquiry answered during the flood").isEqualTo(20);
            assertThat(tooMany).as("requests over 20/s (bursts of 40) refused").isPositive();
            assertThat(ok).isPositive();
            assertThat(ok + tooMany).isEqualTo(200);
        } finally {
            flooders.shutdownNow();
            server.close();
        }
    }

    @Test
    void slowClientsHugeRequestsAndTooManyConnectionsCannotHoldTheEndpoint() throws Exception {
        final SwitchServer server = SwitchServer.start(tight(DemoSwitch.config(directory)));
        try {
            final int port = server.adminPort();
            // A client that starts a request and never finishes it is closed after idleSeconds.
            try (Socket slow = new Socket("127.0.0.1", port)) {
                slow.setSoTimeout(10_000);
                slow.getOutputStream().write("GET /v1/sta".getBytes(StandardCharsets.US_ASCII));
                assertThat(slow.getInputStream().read()).as("closed by the switch").isEqualTo(-1);
            }
            final String bigBody = "{\"operatorId\":\"" + "x".repeat(2000) + "\"}";
            assertThat(raw(port, "POST /v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                    + bigBody.length() + "\r\n\r\n" + bigBody)).startsWith("HTTP/1.1 413");
            assertThat(raw(port, "GET /v1/whoami HTTP/1.1\r\nHost: x\r\nX-Padding: " + "p".repeat(2000) + "\r\n\r\n"))
                    .startsWith("HTTP/1.1 431");
            assertThat(raw(port, "GET /v1/whoami HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 401");
            // Pipelined requests are answered one after the other, in order.
            try (Socket pipelined = new Socket("127.0.0.1", port)) {
                pipelined.setSoTimeout(10_000);
                pipelined.getOutputStream().write(("GET /x HTTP/1.1\r\nHost: x\r\n\r\nGET /v1/whoami HTTP/1.1\r\nHost: x\r\n"
                        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                final String both = new String(pipelined.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertThat(both.indexOf("HTTP/1.1 404")).isNotNegative();
                assertThat(both.indexOf("HTTP/1.1 401")).isGreaterThan(both.indexOf("HTTP/1.1 404"));
            }

            // The connections above are closed; once the endpoint has let go of them, the limit is all free.
            dev.prepaid.testing.Await.until("the endpoint to hold no connection", java.time.Duration.ofSeconds(10),
                    () -> server.adminConnections() == 0);
            final List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < TIGHT.maxConnections(); i++) {
                    held.add(new Socket("127.0.0.1", port));
                }
                // The endpoint counts a connection once its event loop has accepted it.
                dev.prepaid.testing.Await.until("the endpoint to hold " + TIGHT.maxConnections() + " connections",
                        java.time.Duration.ofSeconds(10), () -> server.adminConnections() == TIGHT.maxConnections());
                try (Socket extra = new Socket("127.0.0.1", port)) {
                    extra.setSoTimeout(10_000);
                    assertThat(extra.getInputStream().read()).as("over the connection limit: closed").isEqualTo(-1);
                }
            } finally {
                for (final Socket socket : held) {
                    socket.close();
                }
            }
        } finally {
            server.close();
        }
    }

    private static String raw(final int port, final String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            final OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            final InputStream in = socket.getInputStream();
            final byte[] buffer = new byte[64];
            final int n = in.read(buffer);
            return n <= 0 ? "" : new String(buffer, 0, n, StandardCharsets.US_ASCII);
        }
    }

    @Test
    void aLockedOperatorStaysLockedAfterARestart() {
        final SwitchConfig config = DemoSwitch.config(directory);
        SwitchServer server = SwitchServer.start(config);
        try {
            final AdminHttp http = AdminHttp.of(server);
            for (int i = 1; i <= 5; i++) {
                final Answer wrong = http.post("/v1/login", null, "{\"operatorId\":\"finance\",\"password\":\"wrong-" + i
                        + "-password\"}");
                assertThat(wrong.status()).as("try %d", i).isEqualTo(i < 5 ? 401 : 403);
            }
            assertThat(http.post("/v1/login", null, "{\"operatorId\":\"finance\",\"password\":\"finance-demo\"}").error())
                    .isEqualTo("OPERATOR_LOCKED");
        } finally {
            server.close();
        }
        server = SwitchServer.start(config);
        try {
            final AdminHttp http = AdminHttp.of(server);
            assertThat(http.post("/v1/login", null, "{\"operatorId\":\"finance\",\"password\":\"finance-demo\"}").error())
                    .isEqualTo("OPERATOR_LOCKED");
            final String admin = http.login("admin", "admin-demo");
            final Answer shown = http.get("/v1/operators/finance", admin);
            assertThat(shown.body().get("locked").asBoolean()).isTrue();
            assertThat(shown.body().get("wrongPasswords").asInt()).isEqualTo(5);
            assertThat(http.post("/v1/commands/RESET_PASSWORD", admin, "{\"requestId\":" + AdminHttp.requestId()
                    + ",\"password\":\"finance-reset-1\",\"fields\":{\"operatorId\":\"finance\"}}").status()).isEqualTo(200);
            final Answer login = http.post("/v1/login", null, "{\"operatorId\":\"finance\",\"password\":\"finance-reset-1\"}");
            assertThat(login.status()).isEqualTo(200);
            assertThat(login.body().get("mustChangePassword").asBoolean()).isTrue();
        } finally {
            server.close();
        }
    }

    @Test
    void overTlsTheEndpointAnswersAndPlainHttpDoesNot() throws Exception {
        final Path keystore = directory.resolve("admin.p12");
        final Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "admin", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit").redirectErrorStream(true).start();
        final String keytoolOutput = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor()).as(keytoolOutput).isZero();
        final KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        final Base64.Encoder pem = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        final Path certificate = directory.resolve("admin.crt");
        final Path key = directory.resolve("admin.key");
        Files.writeString(certificate, "-----BEGIN CERTIFICATE-----\n"
                + pem.encodeToString(store.getCertificate("admin").getEncoded()) + "\n-----END CERTIFICATE-----\n");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n"
                + pem.encodeToString(store.getKey("admin", "changeit".toCharArray()).getEncoded())
                + "\n-----END PRIVATE KEY-----\n");

        final SwitchConfig plain = DemoSwitch.config(Files.createDirectories(directory.resolve("switch")));
        final AdminSettings a = plain.admin();
        final SwitchServer server = SwitchServer.start(DemoSwitch.withAdmin(plain, new AdminSettings(true, "127.0.0.1", 0,
                a.passwordHashing(), certificate, key, false, AdminSettings.AdminLimits.DEFAULTS)));
        try {
            final KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("admin", store.getCertificate("admin"));
            final TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            final SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, factory.getTrustManagers(), null);
            final AdminHttp https = new AdminHttp("https://127.0.0.1:" + server.adminPort(), ssl);
            final String token = https.login("admin", "admin-demo");
            assertThat(https.get("/v1/whoami", token).body().get("operatorId").asText()).isEqualTo("admin");

            assertThat(raw(server.adminPort(), "GET /v1/whoami HTTP/1.1\r\nHost: x\r\n\r\n"))
                    .as("plain HTTP on the TLS port gets no HTTP answer").doesNotStartWith("HTTP/1.1");
        } finally {
            server.close();
        }
    }
}
