package dev.prepaid.cli;

import dev.prepaid.config.SwitchConfig;
import dev.prepaid.demo.DemoBusiness;
import dev.prepaid.pipeline.PipelineConfig;
import dev.prepaid.pipeline.WaitStrategyName;
import dev.prepaid.server.SwitchServer;
import dev.prepaid.testing.ProjectFiles;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * A real switch in the test JVM on the demo business (config/demo copied into a scratch directory, so its journal
 * lives there), every listener on a free port, the admin endpoint on: what the CLI talks to in these tests.
 */
final class TestSwitch implements AutoCloseable {
    final SwitchServer server;
    final String endpoint;

    private TestSwitch(final SwitchServer server, final String endpoint) {
        this.server = server;
        this.endpoint = endpoint;
    }

    static TestSwitch start(final Path directory) {
        return start(directory, UnaryOperator.identity());
    }

    /** With {@code change} applied to the demo configuration first (TLS, for one). */
    static TestSwitch start(final Path directory, final UnaryOperator<SwitchConfig> change) {
        DemoBusiness.copyInto(ProjectFiles.path("config/demo"), directory);
        final SwitchConfig config = change.apply(idle(SwitchConfig.load(directory.resolve("switch.yaml"),
                ProjectFiles.root()).withPorts(0, 0, 0)));
        final SwitchServer server = SwitchServer.start(config);
        return new TestSwitch(server, (config.admin().tls() ? "https" : "http") + "://127.0.0.1:" + server.adminPort());
    }

    /**
     * The demo's ring with a blocking wait: its stages sleep between the few commands a CLI test sends, instead
     * of keeping a core of a 2-core machine busy polling (latency is not what these tests measure).
     */
    private static SwitchConfig idle(final SwitchConfig c) {
        return new SwitchConfig(c.file(), c.baseDirectory(), c.server(),
                new PipelineConfig(c.pipeline().ringSize(), WaitStrategyName.BLOCKING), c.journal(), c.ledger(), c.keys(),
                c.dialect(), c.bootstrap(), c.metrics(), c.admin(), c.business());
    }

    @Override
    public void close() {
        server.close();
    }
}
