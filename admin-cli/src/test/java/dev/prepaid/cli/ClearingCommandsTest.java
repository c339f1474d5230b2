package dev.prepaid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.Envelope;
import dev.prepaid.demo.DemoBusiness;
import dev.prepaid.operator.Operator;
import dev.prepaid.testing.Await;
import dev.prepaid.time.CivilDate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * prepaid-admin clearing and reconciliation on the demo business: a day with a merchant adjustment is cut over and
 * cleared by the switch; its figures as a table and as JSON, a merchant's user limited to its merchant, a day run
 * again, the reconciliation shown, and the exit codes of bad input and of a role that may not.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClearingCommandsTest {
    @TempDir
    static Path scratch;

    private TestSwitch demo;
    private DemoOperators operators;
    private String day;

    @BeforeAll
    void start() throws Exception {
        demo = TestSwitch.start(Files.createDirectory(scratch.resolve("switch")));
        operators = new DemoOperators(Cli.of(demo.endpoint, Files.createDirectory(scratch.resolve("home"))),
                Files.createDirectory(scratch.resolve("sessions")));
        final JsonNode requested = operators.as("finance").ok("adjust", "--merchant", DemoBusiness.SUPERMARKET,
                "--amount", "12.34", "--counter", "CUSTODY", "--json").json();
        operators.as("supervisor").ok("approvals", "approve", requested.path("pendingId").asText());
        final int today = demo.server.read(s -> s.businessDate()).get();
        assertThat(demo.server.submitAndWait(new Envelope(Operator.SYSTEM_ID, 0, "test", "cut-over"),
                new AdminCommand.Cutover(CivilDate.yyyymmdd(CivilDate.epochDay(today) + 1))).outcome().approved()).isTrue();
        day = CivilDate.iso(CivilDate.epochDay(today));
        Await.until("the day cleared", Duration.ofSeconds(60), () -> demo.server.clearing().lastClearedDate() == today);
    }

    @AfterAll
    void stop() throws IOException {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void aClearedDaysFiguresAsATableAndAsJson() {
        final Cli.Result table = operators.as("finance").ok("clearing", "show", day);
        assertThat(table.out()).contains("totals:").contains("merchants:")
                .containsPattern(DemoBusiness.SUPERMARKET + " .* 12\\.34");
        final JsonNode json = operators.as("finance").ok("--json", "clearing", "show", day.replace("-", "")).json();
        final JsonNode supermarket = json.path("merchants").path("items").get(0);
        assertThat(supermarket.path("id").asText()).isEqualTo(DemoBusiness.SUPERMARKET);
        assertThat(supermarket.path("adjustments").asLong()).isEqualTo(12_34);
        assertThat(supermarket.path("net").asLong()).isEqualTo(12_34);
        assertThat(supermarket.has("rechargeCommission")).as("a column of the figures").isTrue();
        assertThat(supermarket.path("rechargeCommission").asLong()).as("no recharge that day").isZero();
        assertThat(table.out()).as("shown beside the recharges").containsPattern("rechargeAmount +rechargeCommission");
        final Cli.Result days = operators.as("finance").ok("clearing", "list");
        assertThat(days.out()).containsPattern(day + " +true");
    }

    @Test
    void aMerchantsUserSeesOnlyItsMerchantAndMayNotRunClearing() {
        final JsonNode own = operators.as("shop1").ok("--json", "clearing", "show", day).json();
        own.path("merchants").path("items").forEach(m -> assertThat(m.path("id").asText()).isEqualTo(DemoBusiness.SUPERMARKET));
        assertThat(own.has("deployers")).isFalse();
        final Cli.Result other = operators.as("shop1").run("clearing", "show", day, "--merchant", DemoBusiness.COFFEE);
        assertThat(other.exitCode()).as("%s", other).isEqualTo(Exit.NOT_ALLOWED);
        assertThat(other.err()).contains("sees only merchant " + DemoBusiness.SUPERMARKET);
        final Cli.Result run = operators.as("shop1").run("clearing", "run", day);
        assertThat(run.exitCode()).as("%s", run).isEqualTo(Exit.NOT_ALLOWED);
        final Cli.Result clerk = operators.as("clerk").run("reconciliation", "show");
        assertThat(clerk.exitCode()).as("%s", clerk).isEqualTo(Exit.NOT_ALLOWED);
    }

    @Test
    void aDayRunAgainReconcilesAndTheReconciliationIsShown() {
        final Cli.Result run = operators.as("finance").ok("clearing", "run", day);
        assertThat(run.out()).containsPattern("figuresFile +true").containsPattern("merchantNet +true");
        final Cli.Result shown = operators.as("auditor").ok("reconciliation", "show", day);
        assertThat(shown.out()).containsPattern("terminalBatches +true");
        final Cli.Result all = operators.as("finance").ok("reconciliation", "show");
        assertThat(all.out()).contains("settlement: not held").containsPattern(day + " +true +false");
        final Cli.Result again = operators.as("finance").ok("--json", "reconciliation", "run", day);
        assertThat(again.json().path("balanced").asBoolean()).isTrue();
    }

    @Test
    void badDatesAndDaysNotClearedHaveTheirExitCodes() {
        final Cli.Result bad = operators.as("finance").run("clearing", "show", "2026-13-01");
        assertThat(bad.exitCode()).as("%s", bad).isEqualTo(Exit.BAD_INPUT);
        assertThat(bad.err()).contains("2026-13-01");
        final Cli.Result none = operators.as("finance").run("clearing", "show", "2001-01-01");
        assertThat(none.exitCode()).as("%s", none).isEqualTo(Exit.NOT_FOUND);
        final Cli.Result notADay = operators.as("finance").run("clearing", "run", "2001-01-01");
        assertThat(notADay.exitCode()).as("%s", notADay).isEqualTo(Exit.NOT_FOUND);
        final Cli.Result accept = operators.as("finance").run("reconciliation", "accept", day);
        assertThat(accept.exitCode()).as("%s", accept).isEqualTo(Exit.BAD_INPUT);
    }
}
