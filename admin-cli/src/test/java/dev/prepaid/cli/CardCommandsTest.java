package dev.prepaid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prepaid.demo.DemoBusiness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The counter's work through the CLI on the demo business: sales and recharges (one and in batches), freezing,
 * a lost card replaced, a maker-checker adjustment, what bad input and a merchant user's reach give.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CardCommandsTest {
    /** Gift cards in stock (config/demo/bootstrap.yaml: anonymous accounts 7..99). */
    private static final String GIFT_IN_STOCK = DemoBusiness.giftCard(7).pan();

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

    private JsonNode card(final String pan) {
        return operators.as("clerk").ok("card", "show", pan, "--json").json();
    }

    @Test
    void aClerkSellsAndRechargesACardAndCardShowHasItsBalance() {
        final Cli clerk = operators.as("clerk");

        final Cli.Result sold = clerk.run("card", "sell", GIFT_IN_STOCK, "--face-value", "100", "--payment", "CASH",
                "--note", "counter sale, receipt 0042");
        assertThat(sold.exitCode()).as("%s", sold).isZero();
        assertThat(sold.out()).startsWith("SELL_CARDS applied\n").containsPattern("firstPan +" + GIFT_IN_STOCK);
        final Cli.Result recharged = clerk.run("card", "recharge", GIFT_IN_STOCK, "--amount", "23.45", "--payment",
                "CASH");
        assertThat(recharged.exitCode()).as("%s", recharged).isZero();
        assertThat(recharged.out()).containsPattern("availableBalance +123.45");

        final Cli.Result shown = clerk.ok("card", "show", GIFT_IN_STOCK);
        assertThat(shown.out()).containsPattern("status +ACTIVE").containsPattern("available +123.45")
                .containsPattern("cardTypeName +Demo gift card");
        assertThat(card(GIFT_IN_STOCK).path("available").asLong()).isEqualTo(123_45);
    }

    @Test
    void jsonOutputIsTheEndpointsAnswer() {
        final JsonNode answer = operators.as("clerk").ok("card", "recharge", "8888000100000033", "--amount", "1",
                "--payment", "CASH", "--json").json();

        assertThat(answer.path("command").asText()).isEqualTo("RECHARGE_CARDS");
        assertThat(answer.path("result").asText()).isEqualTo("APPROVED");
        assertThat(answer.path("duplicate").asBoolean()).isFalse();
        assertThat(answer.path("availableBalance").asLong()).isEqualTo(2_50);
        assertThat(answer.path("journalSequence").asLong()).isPositive();
    }

    @Test
    void aFrozenCardIsFrozenUntilUnfrozenAndFreezingItAgainIsRefused() {
        final Cli clerk = operators.as("clerk");
        final String pan = "8888000200000016";

        assertThat(clerk.run("card", "freeze", pan).exitCode()).isZero();
        assertThat(card(pan).path("status").asText()).isEqualTo("FROZEN");
        final Cli.Result again = clerk.run("card", "freeze", pan);
        assertThat(again.exitCode()).isEqualTo(Exit.REFUSED);
        assertThat(again.err()).startsWith("prepaid-admin: FREEZE_CARD refused: ILLEGAL_TRANSITION (82): ")
                .contains("is FROZEN");

        assertThat(clerk.run("card", "unfreeze", pan).exitCode()).isZero();
        assertThat(card(pan).path("status").asText()).isEqualTo("ACTIVE");
    }

    @Test
    void aLostCardIsReplacedByACardFromStockWithItsBalance() {
        final Cli clerk = operators.as("clerk");
        final String lost = "8888000100000066";
        final String fresh = "8888000100000074";
        final long balance = card(lost).path("available").asLong();

        final Cli.Result reported = clerk.run("card", "report-lost", lost);
        assertThat(reported.exitCode()).as("%s", reported).isZero();
        assertThat(reported.out()).startsWith("REPORT_LOST applied").containsPattern("fee +5.00");
        assertThat(card(lost).path("status").asText()).isEqualTo("LOST");

        final Cli.Result replaced = clerk.run("card", "replace", lost, "--new", fresh);
        assertThat(replaced.exitCode()).as("%s", replaced).isZero();
        assertThat(replaced.out()).containsPattern("newPan +" + fresh);
        assertThat(card(lost).path("status").asText()).isEqualTo("REPLACED");
        assertThat(card(lost).path("replacedBy").asText()).isEqualTo(fresh);
        final JsonNode replacement = card(fresh);
        assertThat(replacement.path("status").asText()).isEqualTo("ACTIVE");
        assertThat(replacement.path("available").asLong()).isEqualTo(balance);
        assertThat(replacement.path("holder").path("name").asText()).isEqualTo("Zhao Lei");
    }

    @Test
    void anAdjustmentIsAppliedWhenASecondSupervisorApprovesItNeverByItsMaker() {
        final String pan = "8888000100000025";
        final long before = card(pan).path("available").asLong();
        final Cli maker = operators.as("supervisor");

        final Cli.Result requested = maker.run("adjust", "--card", pan, "--amount", "-20", "--counter", "CUSTODY",
                "--note", "double recharge, ticket 881");
        assertThat(requested.exitCode()).as("%s", requested).isZero();
        assertThat(requested.out()).startsWith("REQUEST_ADJUSTMENT recorded: request ")
                .contains("waits for a second operator");
        final long id = Long.parseLong(requested.out().replaceAll("(?s).*pendingId +([0-9]+).*", "$1"));
        assertThat(card(pan).path("available").asLong()).as("nothing before the approval").isEqualTo(before);
        final JsonNode waiting = maker.ok("approvals", "show", Long.toString(id), "--json").json();
        assertThat(waiting.path("state").asText()).isEqualTo("WAITING");
        assertThat(waiting.path("fields").path("amount").asLong()).isEqualTo(-20_00);

        final Cli.Result own = maker.run("approvals", "approve", Long.toString(id));
        assertThat(own.exitCode()).isEqualTo(Exit.NOT_ALLOWED);
        assertThat(own.err()).startsWith("prepaid-admin: APPROVE refused: APPROVER_IS_MAKER (95): ");

        final Cli.Result approved = operators.as("supervisor2").run("approvals", "approve", Long.toString(id));
        assertThat(approved.exitCode()).as("%s", approved).isZero();
        assertThat(card(pan).path("available").asLong()).isEqualTo(before - 20_00);
        final JsonNode decided = maker.ok("approvals", "show", Long.toString(id), "--json").json();
        assertThat(decided.path("state").asText()).isEqualTo("APPROVED");
        assertThat(decided.path("checker").asText()).isEqualTo("supervisor2");
    }

    @Test
    void anAmountWithThreeDecimalsIsExitCode2NamingTheOption() {
        final Cli.Result result = operators.as("clerk").run("card", "recharge", "8888000100000017", "--amount", "12.345",
                "--payment", "CASH");

        assertThat(result.exitCode()).isEqualTo(Exit.BAD_INPUT);
        assertThat(result.err()).isEqualTo("prepaid-admin: Invalid value for option '--amount': 12.345 has more than two"
                + " decimals: amounts are yuan to the fen (like 12.34); see 'prepaid-admin card recharge --help'\n");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void anUnknownOptionOrAMissingOneIsExitCode2NamingIt() {
        final Cli clerk = operators.as("clerk");

        final Cli.Result unknown = clerk.run("card", "freeze", "8888000100000017", "--colour", "red");
        assertThat(unknown.exitCode()).isEqualTo(Exit.BAD_INPUT);
        assertThat(unknown.err()).startsWith("prepaid-admin: Unknown options: '--colour', 'red'");
        final Cli.Result missing = clerk.run("card", "recharge", "8888000100000017", "--payment", "CASH");
        assertThat(missing.exitCode()).isEqualTo(Exit.BAD_INPUT);
        assertThat(missing.err()).startsWith("prepaid-admin: Missing required option: '--amount=YUAN'");
        final Cli.Result required = clerk.run("card", "replace", "8888000100000017");
        assertThat(required.exitCode()).isEqualTo(Exit.BAD_INPUT);
        assertThat(required.err()).startsWith("prepaid-admin: Missing required option: '--new=PAN'");
        assertThat(card("8888000100000017").path("status").asText()).as("nothing was sent").isEqualTo("ACTIVE");
    }

    @Test
    void aValueTheEndpointRefusesIsExitCode2WithItsMessage() {
        final Cli.Result result = operators.as("clerk").run("card", "show", "1234");

        assertThat(result.exitCode()).isEqualTo(Exit.BAD_INPUT);
        assertThat(result.err()).isEqualTo("prepaid-admin: a card number is 12 to 19 digits, got '****'\n");
        assertThat(operators.as("clerk").run("card", "show", "8888000300000001").exitCode()).isEqualTo(Exit.NOT_FOUND);
    }

    @Test
    void aMerchantUserReadingAnotherMerchantIsExitCode4() {
        final Cli shop = operators.as("shop1");

        final Cli.Result other = shop.run("merchant", "show", DemoBusiness.COFFEE);
        assertThat(other.exitCode()).isEqualTo(Exit.NOT_ALLOWED);
        assertThat(other.err()).isEqualTo("prepaid-admin: operator 'shop1' sees only merchant " + DemoBusiness.SUPERMARKET
                + "\n");
        assertThat(shop.ok("merchant", "show", DemoBusiness.SUPERMARKET).out()).containsPattern("name +Demo Supermarket");
        assertThat(shop.run("card", "show", "8888000100000017").exitCode()).isEqualTo(Exit.NOT_ALLOWED);
    }

    @Test
    void aSalesBatchReportsTheRefusedRowAndAppliesTheOthers() throws IOException {
        final String first = DemoBusiness.giftCard(20).pan();
        final String third = DemoBusiness.giftCard(21).pan();
        final Path csv = Files.writeString(scratch.resolve("sales.csv"), "firstPan,faceValue,note\n"
                + first + ",50,receipt 1\n"
                + "8888000200000024,50,already sold\n"
                + "\"" + third + "\", 30.50 ,\n");

        final Cli.Result batch = operators.as("clerk").run("card", "sell", "--csv", csv.toString(), "--payment", "CASH");

        assertThat(batch.exitCode()).as("%s", batch).isEqualTo(Exit.REFUSED);
        assertThat(batch.out()).contains("line 2  " + first + "  SELL_CARDS applied")
                .contains("line 3  8888000200000024  failed: SELL_CARDS refused: ILLEGAL_TRANSITION (82)")
                .contains("line 4  " + third + "  SELL_CARDS applied")
                .endsWith("3 rows: 2 applied, 1 failed\n");
        assertThat(batch.err()).isEqualTo("prepaid-admin: " + csv + ": 1 of 3 rows failed (line 3); the others were"
                + " applied\n");
        assertThat(card(first).path("available").asLong()).isEqualTo(50_00);
        assertThat(card(third).path("available").asLong()).isEqualTo(30_50);
    }

    @Test
    void aBatchWithAMalformedRowSendsNothing() throws IOException {
        final String pan = DemoBusiness.giftCard(22).pan();
        final Path csv = Files.writeString(scratch.resolve("bad.csv"), "pan,faceValue,payment\n"
                + pan + ",20,CASH\n"
                + DemoBusiness.giftCard(23).pan() + ",12.345,CASH\n"
                + DemoBusiness.giftCard(24).pan() + ",10,CHEQUE\n");

        final Cli.Result batch = operators.as("clerk").run("card", "sell", "--csv", csv.toString());

        assertThat(batch.exitCode()).isEqualTo(Exit.BAD_INPUT);
        assertThat(batch.err()).isEqualTo("prepaid-admin: " + csv + ": line 3, faceValue: 12.345 has more than two"
                + " decimals: amounts are yuan to the fen (like 12.34); line 4, payment: 'CHEQUE' is not one of CASH,"
                + " BANK_TRANSFER, DEBIT_CARD, CREDIT_CARD; nothing was sent\n");
        assertThat(card(pan).path("status").asText()).isEqualTo("GENERATED");
    }

    @Test
    void aRechargeBatchWithStopOnErrorStopsAtTheFirstRefusal() throws IOException {
        final Path csv = Files.writeString(scratch.resolve("recharges.csv"), "pan,amount\n"
                + "8888000100000017,10\n"
                + "8888000200000024,10\n"
                + "8888000200000032,10\n");
        final long before = card("8888000200000032").path("available").asLong();

        final Cli.Result batch = operators.as("clerk").run("card", "recharge", "--csv", csv.toString(), "--payment",
                "CASH", "--stop-on-error", "--json");

        assertThat(batch.exitCode()).as("%s", batch).isEqualTo(Exit.REFUSED);
        final JsonNode report = batch.json();
        assertThat(report).hasSize(2);
        assertThat(report.get(0).path("status").asInt()).isEqualTo(200);
        assertThat(report.get(1).path("answer").path("error").asText()).isEqualTo("BALANCE_CAP_EXCEEDED");
        assertThat(batch.err()).isEqualTo("prepaid-admin: " + csv + ": stopped at line 3; applied before it: 1, not sent: 1\n");
        assertThat(card("8888000200000032").path("available").asLong()).isEqualTo(before);
    }

    @Test
    void theAuditTrailShowsARefusalAndTheBlacklistExportListsLostAndBlacklistedCards() throws IOException {
        final Cli clerk = operators.as("clerk");
        assertThat(clerk.run("card", "blacklist", "8888000100000017").exitCode()).as("a clerk may not blacklist")
                .isEqualTo(Exit.NOT_ALLOWED);
        final JsonNode audit = operators.as("supervisor").ok("audit", "--operator", "clerk", "--result", "refused",
                "--command", "BLACKLIST_CARD", "--json").json();
        assertThat(audit.path("items")).isNotEmpty();
        assertThat(audit.path("items").get(0).path("reason").asText()).isEqualTo("ROLE_NOT_PERMITTED");
        assertThat(operators.as("supervisor").ok("audit", "--operator", "clerk", "--limit", "5").out())
                .contains("BLACKLIST_CARD").contains("ROLE_NOT_PERMITTED");
        assertThat(operators.as("supervisor").run("audit", "--result", "maybe").exitCode()).isEqualTo(Exit.BAD_INPUT);

        final Path file = scratch.resolve("blacklist.txt");
        assertThat(clerk.run("blacklist", "export", "--out", file.toString()).exitCode()).isZero();
        final java.util.List<String> lines = Files.readAllLines(file);
        assertThat(lines.get(0)).isEqualTo("# prepaid blacklist v1");
        assertThat(lines).contains("8888000100000058,LOST", "8888000200000057,BLACKLISTED");
        assertThat(lines.get(1)).isEqualTo("# cards " + (lines.size() - 2));

        assertThat(operators.as("supervisor").ok("risk", "list", "--json").json().has("items")).isTrue();
        assertThat(operators.as("supervisor").run("risk", "confirm", "999999").exitCode()).isEqualTo(Exit.NOT_FOUND);
    }
}
