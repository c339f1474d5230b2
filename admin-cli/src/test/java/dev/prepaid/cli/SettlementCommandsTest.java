package dev.prepaid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.Envelope;
import dev.prepaid.demo.DemoBusiness;
import dev.prepaid.operator.Operator;
import dev.prepaid.time.CivilDate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Settlement and payouts through the CLI on the demo business: finance prepares, the maker's own approval is
 * refused with the ledger's answer, a second finance operator approves and gets the payout files, the files are
 * listed and exported again unchanged, a bad result file is refused by line with nothing booked, a good one booked,
 * the same one again refused, and a clerk may do none of it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SettlementCommandsTest {
    @TempDir
    static Path scratch;

    private TestSwitch demo;
    private DemoOperators operators;

    @BeforeAll
    void start() throws IOException {
        demo = TestSwitch.start(Files.createDirectory(scratch.resolve("switch")));
        operators = new DemoOperators(Cli.of(demo.endpoint, Files.createDirectory(scratch.resolve("home"))),
                Files.createDirectory(scratch.resolve("sessions")));
    }

    @AfterAll
    void stop() {
        if (demo != null) {
            demo.close();
        }
    }

    /** The supermarket (T+1) is owed 12.34 yuan, due after the switch's next cut-overs. */
    private void oweAndOpenTheNextWorkingDay() throws Exception {
        final JsonNode requested = operators.as("finance").ok("adjust", "--merchant", DemoBusiness.SUPERMARKET,
                "--amount", "12.34", "--counter", "CUSTODY", "--json").json();
        operators.as("supervisor").ok("approvals", "approve", requested.path("pendingId").asText());
        int date = demo.server.read(s -> s.businessDate()).get();
        for (int working = 0; working < 2; ) {
            date = CivilDate.yyyymmdd(CivilDate.epochDay(date) + 1);
            final int next = date;
            assertThat(demo.server.submitAndWait(new Envelope(Operator.SYSTEM_ID, 0, "test", "cut-over"),
                    new AdminCommand.Cutover(next)).outcome().approved()).isTrue();
            working += demo.server.read(s -> s.calendar().isWorkingDay(CivilDate.epochDay(next))).get() ? 1 : 0;
        }
    }

    @Test
    void financePreparesASecondFinanceOperatorApprovesAndTheBanksResultIsImported() throws Exception {
        oweAndOpenTheNextWorkingDay();
        final Cli.Result clerk = operators.as("clerk").run("settlement", "prepare");
        assertThat(clerk.exitCode()).as("%s", clerk).isEqualTo(Exit.NOT_ALLOWED);
        assertThat(clerk.err()).contains("ROLE_NOT_PERMITTED");

        final JsonNode prepared = operators.as("finance").ok("settlement", "prepare", "--json").json();
        final long id = prepared.path("settlementId").asLong();
        final Cli.Result listed = operators.as("finance").ok("settlement", "list");
        assertThat(listed.out()).containsPattern(id + " +PREPARED +[0-9-]+ +finance");

        final Cli.Result own = operators.as("finance").run("settlement", "approve", Long.toString(id));
        assertThat(own.exitCode()).as("%s", own).isEqualTo(Exit.NOT_ALLOWED);
        assertThat(own.err()).contains("APPROVER_IS_MAKER").contains("made by finance");

        final Cli.Result approved = operators.as("finance2").ok("settlement", "approve", Long.toString(id));
        assertThat(approved.out()).startsWith("APPROVE applied").contains("payout files of settlement " + id)
                .contains(".pain001.xml").contains(".neutral.csv");

        final JsonNode files = operators.as("finance").ok("payout", "files", Long.toString(id), "--json").json();
        assertThat(files.path("recordedBy").asText()).isEqualTo("finance2");
        final JsonNode exported = operators.as("finance").ok("payout", "export", Long.toString(id), "--json").json();
        assertThat(exported.path("files").get(0).path("sha256").asText()).isEqualTo(files.path("painSha256").asText());
        assertThat(exported.path("files").get(0).path("written").asBoolean()).isFalse();
        final Path pain = Path.of(exported.path("files").get(0).path("path").asText());
        assertThat(Files.readString(pain)).contains("<CtrlSum>12.34</CtrlSum>");
        assertThat(operators.as("clerk").run("payout", "export", Long.toString(id)).exitCode())
                .isEqualTo(Exit.NOT_ALLOWED);

        final String reference = id + "-" + DemoBusiness.SUPERMARKET;
        final Path bad = Files.writeString(scratch.resolve("bad.csv"), reference + ",12.35,PAID,,,B1\n",
                StandardCharsets.UTF_8);
        final Cli.Result refused = operators.as("finance").run("payout", "results", Long.toString(id), "--file",
                bad.toString());
        assertThat(refused.exitCode()).as("%s", refused).isEqualTo(Exit.BAD_INPUT);
        assertThat(refused.err()).contains("nothing of it was booked").contains("line 1: ").contains("12.35");
        assertThat(operators.as("finance").ok("settlement", "show", Long.toString(id)).out())
                .containsPattern(DemoBusiness.SUPERMARKET + " +12.34 +0.00 +SENT");

        final Path good = Files.writeString(scratch.resolve("good.csv"), reference + ",12.34,PAID,,,B20261125-0001\r\n",
                StandardCharsets.UTF_8);
        final Cli.Result booked = operators.as("finance").ok("payout", "results", Long.toString(id), "--file",
                good.toString());
        assertThat(booked.out()).startsWith("settlement " + id + ": 1 of 1 results booked, 0 refused");
        assertThat(operators.as("finance").ok("settlement", "show", Long.toString(id)).out())
                .containsPattern(DemoBusiness.SUPERMARKET + " +12.34 +0.00 +PAID +B20261125-0001");

        final Cli.Result twice = operators.as("finance").run("payout", "results", Long.toString(id), "--file",
                good.toString());
        assertThat(twice.exitCode()).as("%s", twice).isEqualTo(Exit.REFUSED);
        assertThat(twice.err()).contains("has no payout waiting for the bank");
    }

    @Test
    void rechargeTermsAndCollectionResultsAreCommandsOfTheirOwn() {
        final Cli.Result set = operators.as("admin").ok("merchant", "recharge-settlement", DemoBusiness.COFFEE,
                "--separate", "--json");
        assertThat(set.json().path("changed").asBoolean()).isTrue();
        assertThat(operators.as("admin").ok("merchant", "show", DemoBusiness.COFFEE, "--json").json()
                .path("rechargesSettledApart").asBoolean()).isTrue();
        final Cli.Result both = operators.as("admin").run("merchant", "recharge-settlement", DemoBusiness.COFFEE,
                "--separate", "--netted");
        assertThat(both.exitCode()).isEqualTo(Exit.BAD_INPUT);
        operators.as("admin").ok("merchant", "recharge-settlement", DemoBusiness.COFFEE, "--netted");
        final Cli.Result missing = operators.as("finance").run("settlement", "collected", "999", DemoBusiness.COFFEE,
                "--reference", "B1");
        assertThat(missing.exitCode()).as("%s", missing).isEqualTo(Exit.NOT_FOUND);
        assertThat(missing.err()).contains("RECORD_COLLECTION_RESULT refused: SETTLEMENT_NOT_FOUND");
        final Cli.Result clerk = operators.as("clerk").run("settlement", "collected", "999", DemoBusiness.COFFEE,
                "--reference", "B1");
        assertThat(clerk.exitCode()).isEqualTo(Exit.NOT_ALLOWED);
    }

    @Test
    void deployersAreRegisteredAndListedWithWhatTheyAreOwed() {
        operators.as("admin").ok("deployer", "put", "DEPCLI01", "--name", "CLI agents", "--bank-account",
                "6222020200991234567", "--bank-account-name", "CLI Agents Ltd.", "--bank-name", "ICBC Shanghai", "--cnaps",
                "102290000011");
        assertThat(operators.as("admin").ok("deployer", "list").out()).containsPattern("DEPCLI01 +CLI agents +0.00");
        assertThat(operators.as("finance").ok("deployer", "list", "--json").json().path("items").get(0).path("bankAccount")
                .asText()).isEqualTo("6222020200991234567");
        final Cli.Result bad = operators.as("admin").run("deployer", "put", "DEP CLI", "--name", "x", "--bank-account", "1",
                "--bank-account-name", "x", "--bank-name", "x", "--cnaps", "102290000011");
        assertThat(bad.exitCode()).isEqualTo(Exit.BAD_INPUT);
        assertThat(bad.err()).contains("UPSERT_DEPLOYER refused: INVALID_ARGUMENT");
        assertThat(operators.as("clerk").run("deployer", "put", "DEPCLI02", "--name", "x", "--bank-account", "1",
                "--bank-account-name", "x", "--bank-name", "x", "--cnaps", "102290000011").exitCode())
                .isEqualTo(Exit.NOT_ALLOWED);
    }

    @Test
    void pointsAreRedeemedAtTheCounterAndNoMoreThanTheCardHas() {
        final String pan = "8888000100000017";
        final long points = operators.as("clerk").ok("card", "show", pan, "--json").json().path("points").asLong();
        final Cli.Result tooMany = operators.as("clerk").run("card", "redeem-points", pan, "--points",
                Long.toString(points + 1));
        assertThat(tooMany.exitCode()).as("%s", tooMany).isEqualTo(Exit.REFUSED);
        assertThat(tooMany.err()).contains("REDEEM_POINTS refused: POINTS_INSUFFICIENT (142)");
        assertThat(operators.as("finance").run("card", "redeem-points", pan, "--points", "1").exitCode())
                .isEqualTo(Exit.NOT_ALLOWED);
    }
}
