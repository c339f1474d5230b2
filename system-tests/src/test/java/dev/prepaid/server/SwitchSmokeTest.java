package dev.prepaid.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.pos.PosResult;
import dev.prepaid.pos.PosTerminal;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SwitchSmokeTest {
    @TempDir
    Path directory;

    @Test
    void signOnPurchaseBalance() {
        try (SwitchServer server = SwitchServer.start(DemoSwitch.config(directory));
                PosTerminal pos = DemoSwitch.terminal(server, "10000001").build()) {
            final PosResult signOn = pos.signOn();
            System.out.println(signOn);
            assertThat(signOn.responseCode()).isEqualTo("00");
            final PosResult purchase = pos.purchase(DemoSwitch.manual("8888000100000017", "123456"), 1234);
            System.out.println(purchase);
            assertThat(purchase.responseCode()).isEqualTo("00");
            final PosResult balance = pos.balance(DemoSwitch.manual("8888000100000017", "123456"));
            System.out.println(balance);
            assertThat(balance.availableBalance()).isEqualTo(100000 - 1234);
            for (int i = 0; i < 20; i++) {
                System.out.println(pos.balance(DemoSwitch.manual("8888000100000017", "123456")));
            }
            System.out.println(server.metricsText());
        }
    }

    /**
     * The bootstrap's operator commands are timed as they hold the ledger (what shows whether bulk work pauses the
     * terminals); POS commands are not.
     */
    @Test
    void ledgerHoldsAreMeasuredForOperatorCommandsNotForPos() {
        try (SwitchServer server = SwitchServer.start(DemoSwitch.withClearing(DemoSwitch.config(directory), false));
                PosTerminal pos = DemoSwitch.terminal(server, "10000001").build()) {
            final long bootstrapHolds = DemoSwitch.metric(server, "prepaid_ledger_hold_seconds_count");
            assertThat(bootstrapHolds).as("the bootstrap's commands, timed").isGreaterThan(10);
            assertThat(server.metricsText()).containsPattern("prepaid_ledger_longest_hold_seconds\\{by=\"[A-Z_]+\"\\} 0\\.\\d{6}")
                    .contains("prepaid_ledger_holds_over_1ms_total ");
            assertThat(pos.signOn().responseCode()).isEqualTo("00");
            for (int i = 0; i < 5; i++) {
                assertThat(pos.balance(DemoSwitch.manual("8888000100000017", "123456")).responseCode()).isEqualTo("00");
            }
            assertThat(DemoSwitch.metric(server, "prepaid_ledger_hold_seconds_count")).isEqualTo(bootstrapHolds);
        }
    }
}
