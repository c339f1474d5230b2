package dev.prepaid.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.admin.Applied;
import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.Envelope;
import dev.prepaid.config.SwitchConfig;
import dev.prepaid.operator.Operator;
import dev.prepaid.pipeline.PipelineConfig;
import dev.prepaid.pipeline.StageLayout;
import dev.prepaid.pos.PosResult;
import dev.prepaid.pos.PosTerminal;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pipeline.layout: IO_THREAD}: the stages run on the POS server's one I/O thread. Terminals are answered as in
 * the other layouts, commands published from other threads (the bootstrap, an operator's, the switch's timers) are
 * drained there too, and a stop drains the ring before the thread goes, so a restart finds everything journaled.
 */
class IoThreadLayoutEndToEndTest {
    private static final String PAN = "8888000100000017";

    @TempDir
    Path directory;

    @Test
    void terminalsAndOperatorsAreServedWithTheStagesOnTheIoThreadAndAStopLosesNothing() throws Exception {
        final SwitchConfig config = onTheIoThread(DemoSwitch.config(directory));
        try (SwitchServer server = SwitchServer.start(config);
                PosTerminal pos = DemoSwitch.terminal(server, "10000001").build()) {
            assertThat(pos.signOn().responseCode()).isEqualTo("00");
            final PosResult purchase = pos.purchase(DemoSwitch.manual(PAN, "123456"), 2_500);
            assertThat(purchase.responseCode()).isEqualTo("00");
            assertThat(purchase.availableBalance()).isEqualTo(100_000 - 2_500);
            // An operator's command from another thread, drained on the I/O thread in its turn.
            final Applied frozen = server.submit(new Envelope(Operator.SYSTEM_ID, 9_001, "test", "freeze"),
                    new AdminCommand.FreezeCard(PAN)).get(10, TimeUnit.SECONDS);
            assertThat(frozen.outcome().approved()).as(frozen.outcome().toString()).isTrue();
            assertThat(pos.purchase(DemoSwitch.manual(PAN, "123456"), 100).responseCode()).as("a frozen card")
                    .isEqualTo("62");
            assertThat(server.read(state -> state.transactions().size()).get(10, TimeUnit.SECONDS))
                    .isGreaterThanOrEqualTo(2);
        }
        // Started again on the same journal: the purchase and the freeze were journaled before the thread stopped.
        try (SwitchServer server = SwitchServer.start(config);
                PosTerminal pos = DemoSwitch.terminal(server, "10000002").build()) {
            assertThat(pos.signOn().responseCode()).isEqualTo("00");
            final PosResult balance = pos.balance(DemoSwitch.manual(PAN, "123456"));
            assertThat(balance.responseCode()).as("balance of a frozen card").isEqualTo("62");
            final Applied thawed = server.submit(new Envelope(Operator.SYSTEM_ID, 9_002, "test", "unfreeze"),
                    new AdminCommand.UnfreezeCard(PAN)).get(10, TimeUnit.SECONDS);
            assertThat(thawed.outcome().approved()).as(thawed.outcome().toString()).isTrue();
            assertThat(pos.balance(DemoSwitch.manual(PAN, "123456")).availableBalance()).isEqualTo(100_000 - 2_500);
        }
    }

    private static SwitchConfig onTheIoThread(final SwitchConfig c) {
        return new SwitchConfig(c.file(), c.baseDirectory(), c.server(), new PipelineConfig(c.pipeline().ringSize(),
                c.pipeline().waitStrategy(), StageLayout.IO_THREAD), c.journal(), c.ledger(), c.keys(), c.dialect(),
                c.bootstrap(), c.metrics(), c.admin(), c.business());
    }
}
