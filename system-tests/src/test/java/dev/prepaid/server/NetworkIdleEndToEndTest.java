package dev.prepaid.server;

import dev.prepaid.config.ServerSettings;
import dev.prepaid.config.SwitchConfig;
import java.net.Socket;
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
                Socket socket = RawSocket.connect(server)) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(RawSocket.echo("10000001", 1));
            RawSocket.readFrame(socket); // answered: the line works
            // Then silence: idleTimeoutSeconds is 1, so the switch must close the line well within 15 s.
            RawSocket.assertClosedWithoutAnswer(socket);
            DemoSwitch.awaitConnections(server, 0, 10_000);
        }
    }
}
