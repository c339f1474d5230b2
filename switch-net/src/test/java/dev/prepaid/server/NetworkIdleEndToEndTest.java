package dev.prepaid.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.config.ServerSettings;
import dev.prepaid.config.SwitchConfig;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** server.idleTimeoutSeconds: a connection silent this long is closed (docs/configuration.md, ServerSettings). */
class NetworkIdleEndToEndTest {
    @TempDir
    Path directory;

    @Test
    void silentConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        final SwitchConfig demo = DemoSwitch.config(directory);
        final ServerSettings s = demo.server();
        try (SwitchServer server = SwitchServer.start(DemoSwitch.withServer(demo, new ServerSettings(s.host(), s.port(),
                s.maxFrameBytes(), s.maxConnections(), 1, s.frameDeadlineMillis(), s.allowList())));
                Socket socket = new Socket("127.0.0.1", server.posPort())) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(NetworkLimitsEndToEndTest.echo("10000001", 1));
            final InputStream in = socket.getInputStream();
            final byte[] prefix = in.readNBytes(2);
            final int length = ((prefix[0] & 0xFF) << 8) | (prefix[1] & 0xFF);
            assertThat(in.readNBytes(length)).hasSize(length); // answered: the line works
            // Then silence: idleTimeoutSeconds is 1, so the switch must close the line well within 15 s.
            int next;
            try {
                next = in.read();
            } catch (final SocketTimeoutException e) {
                throw new AssertionError("the connection was still open after 15 s of silence (idleTimeoutSeconds: 1)", e);
            } catch (final SocketException reset) {
                next = -1;
            }
            assertThat(next).isEqualTo(-1);
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (DemoSwitch.metric(server, "prepaid_connections") != 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(DemoSwitch.metric(server, "prepaid_connections")).isZero();
        }
    }
}
