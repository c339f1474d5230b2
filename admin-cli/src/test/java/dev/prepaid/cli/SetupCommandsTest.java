package dev.prepaid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prepaid.card.Pan;
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
 * An administrator's work through the CLI: a new card product from issuer to cards sold, a merchant created and
 * changed, operators locked, reset and disabled, rules, parameters and the calendar, and the generic command.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SetupCommandsTest {
    @TempDir
    static Path scratch;

    private TestSwitch demo;
    private DemoOperators operators;
    private Cli admin;

    @BeforeAll
    void start() throws IOException {
        demo = TestSwitch.start(Files.createDirectory(scratch.resolve("switch")));
        operators = new DemoOperators(Cli.of(demo.endpoint, Files.createDirectory(scratch.resolve("home"))),
                Files.createDirectory(scratch.resolve("sessions")));
        admin = operators.as("admin");
    }

    @AfterAll
    void stop() {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void aNewCardProductFromItsIssuerToACardSold() {
        admin.ok("issuer", "put", "TRANSIT", "--name", "Metro Transit Card Co.", "--institution-id", "08880003");
        admin.ok("card-type", "put", "3", "--name", "Transit card", "--issuer", "TRANSIT", "--validity-months", "36",
                "--permitted", "PURCHASE,BALANCE_INQUIRY,RECHARGE", "--single-limit", "200", "--deposit", "20");
        admin.ok("bin-range", "put", "88880003", "--pan-length", "16", "--card-type", "3", "--first-account", "0",
                "--last-account", "999");
        final Cli.Result noKey = admin.run("cards", "generate", "--bin", "88880003", "--pan-length", "16", "--count", "10");
        assertThat(noKey.exitCode()).as("%s", noKey).isEqualTo(Exit.REFUSED);
        assertThat(noKey.err()).contains("cvk.3");
        final Cli.Result generated = admin.run("cards", "generate", "--bin", "88880003", "--pan-length", "16",
                "--count", "10", "--stock-only");
        assertThat(generated.exitCode()).as("%s", generated).isZero();
        final long firstBody = 888_800_030_000_000L;
        final String first = firstBody + "" + Pan.luhnCheckDigit(firstBody, 15);
        assertThat(generated.out()).containsPattern("firstPan +" + first).containsPattern("count +10");

        operators.as("clerk").ok("card", "sell", first, "--face-value", "50", "--payment", "CASH");
        final JsonNode card = operators.as("clerk").ok("card", "show", first, "--json").json();
        assertThat(card.path("cardTypeName").asText()).isEqualTo("Transit card");
        assertThat(card.path("available").asLong()).isEqualTo(50_00);
        assertThat(card.path("deposit").asLong()).isEqualTo(20_00);
        assertThat(card.path("expiryDate").asInt()).isPositive();

        final Cli.Result refused = admin.run("card-type", "put", "4", "--name", "Too short", "--issuer", "TRANSIT",
                "--validity-months", "12");
        assertThat(refused.exitCode()).isEqualTo(Exit.BAD_INPUT);
        assertThat(refused.err()).startsWith("prepaid-admin: UPSERT_CARD_TYPE refused: INVALID_ARGUMENT (67): ");
    }

    @Test
    void aProductionRunNamesItsFilesOnTheSwitchHostAndTheirDigests() throws Exception {
        final Cli.Result run = admin.run("cards", "generate", "--bin", "88880002", "--pan-length", "16", "--count", "20",
                "--expiry", "3012", "--json");
        assertThat(run.exitCode()).as("%s", run).isZero();
        final JsonNode answer = run.json();
        assertThat(answer.path("cards").asInt()).isEqualTo(20);
        assertThat(answer.path("pinsLoaded").asInt()).isEqualTo(20);
        final java.nio.file.Path production = java.nio.file.Path.of(answer.path("productionFile").asText());
        assertThat(java.nio.file.Files.readAllLines(production)).hasSize(22);
        assertThat(answer.path("productionSha256").asText()).isEqualTo(java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(java.nio.file.Files.readAllBytes(production))));
        assertThat(run.out()).doesNotContain("\"pin\"");
        assertThat(admin.run("cards", "generate", "--bin", "88880002", "--pan-length", "16", "--count", "5",
                "--expiry", "3013").exitCode()).isEqualTo(Exit.BAD_INPUT);
    }

    @Test
    void aMerchantIsCreatedChangedAndPutUnderReview() {
        final String id = "898310048160001";
        final Cli.Result created = admin.run("merchant", "create", id, "--name", "Corner Books", "--category", "5942",
                "--bank-account", "6222020200998877665", "--bank-account-name", "Corner Books Ltd.", "--bank-name",
                "ICBC Shanghai", "--cnaps", "102290000011");
        assertThat(created.exitCode()).as("%s", created).isZero();
        final JsonNode merchant = admin.ok("merchant", "show", id, "--json").json();
        assertThat(merchant.path("status").asText()).isEqualTo("ACTIVE");
        assertThat(merchant.path("cycle").asText()).isEqualTo("T_PLUS_1");
        assertThat(merchant.path("bankAccount").asText()).as("in full for an administrator").isEqualTo("6222020200998877665");
        assertThat(operators.as("supervisor").ok("merchant", "show", id, "--json").json().path("bankAccount").asText())
                .as("masked for others").endsWith("7665").contains("*");
        assertThat(admin.run("merchant", "create", id, "--name", "Again", "--category", "5942", "--bank-account", "1",
                "--bank-account-name", "x", "--bank-name", "x", "--cnaps", "102290000011").exitCode())
                .isEqualTo(Exit.REFUSED);
        final Cli.Result incomplete = admin.run("merchant", "create", "898310048160002", "--name", "No bank");
        assertThat(incomplete.exitCode()).isEqualTo(Exit.BAD_INPUT);
        assertThat(incomplete.err()).contains("merchant create needs --category, --bank-account, --bank-account-name,"
                + " --bank-name, --cnaps");

        // An administrator reads the payout account in full, so an update without it keeps it.
        admin.ok("merchant", "update", id, "--status", "SUSPENDED", "--cycle", "T_PLUS_N", "--cycle-days", "3");
        final JsonNode changed = admin.ok("merchant", "show", id, "--json").json();
        assertThat(changed.path("bankAccount").asText()).isEqualTo("6222020200998877665");
        final Cli.Result masked = operators.as("supervisor").run("merchant", "update", id, "--status", "ACTIVE");
        assertThat(masked.exitCode()).as("a supervisor reads it masked and may not change merchants anyway")
                .isEqualTo(Exit.BAD_INPUT);
        assertThat(masked.err()).contains("give the payout account again with --bank-account");
        assertThat(changed.path("status").asText()).isEqualTo("SUSPENDED");
        assertThat(changed.path("cycleDays").asInt()).isEqualTo(3);
        assertThat(changed.path("name").asText()).as("kept").isEqualTo("Corner Books");

        // Weekly and monthly cycles take their day by name or number.
        admin.ok("merchant", "update", id, "--cycle", "WEEKLY", "--payout-weekday", "FRIDAY");
        final JsonNode weekly = admin.ok("merchant", "show", id, "--json").json();
        assertThat(weekly.path("cycle").asText()).isEqualTo("WEEKLY");
        assertThat(weekly.path("cycleDays").asInt()).isEqualTo(5);
        admin.ok("merchant", "update", id, "--cycle", "MONTHLY", "--payout-day", "31");
        assertThat(admin.ok("merchant", "show", id, "--json").json().path("cycleDays").asInt()).isEqualTo(31);
        final Cli.Result wrongDay = admin.run("merchant", "update", id, "--payout-weekday", "MONDAY");
        assertThat(wrongDay.exitCode()).isEqualTo(Exit.BAD_INPUT);
        assertThat(wrongDay.err()).contains("--payout-weekday is the day of a WEEKLY cycle");
        final Cli.Result twice = admin.run("merchant", "update", id, "--payout-day", "3", "--cycle-days", "3");
        assertThat(twice.exitCode()).isEqualTo(Exit.BAD_INPUT);
        final Cli.Result outOfRange = admin.run("merchant", "update", id, "--payout-day", "32");
        assertThat(outOfRange.exitCode()).as(outOfRange.err()).isEqualTo(Exit.BAD_INPUT);
        assertThat(outOfRange.err()).contains("MONTHLY cycle is its payout day of the month 1..31");
        admin.ok("merchant", "update", id, "--cycle", "T_PLUS_N", "--cycle-days", "3");

        operators.as("supervisor").ok("merchant", "review", id, "--on", "--note", "chargebacks");
        assertThat(admin.ok("merchant", "show", id, "--json").json().path("underReview").asBoolean()).isTrue();
        assertThat(admin.ok("merchant", "list").out()).containsPattern("\\n" + id + " +Corner Books +5942 +SUSPENDED");
    }

    @Test
    void anOperatorIsLockedUnlockedResetAndDisabled() {
        final Cli finance2 = operators.as("finance2");
        admin.ok("operator", "lock", "finance2", "--note", "on leave");
        final Cli.Result locked = finance2.input(operators.password("finance2") + "\n", "login", "--operator",
                "finance2", "--password-stdin");
        assertThat(locked.exitCode()).isEqualTo(Exit.NOT_ALLOWED);
        assertThat(locked.err()).contains("is locked");
        admin.ok("operator", "unlock", "finance2");
        operators.login("finance2", operators.password("finance2"));

        admin.ok("operator", "disable", "finance2");
        assertThat(admin.ok("operator", "show", "finance2", "--json").json().path("status").asText())
                .isEqualTo("DISABLED");
        assertThat(finance2.input(operators.password("finance2") + "\n", "login", "--operator", "finance2",
                "--password-stdin").exitCode()).isEqualTo(Exit.NOT_ALLOWED);
        admin.ok("operator", "enable", "finance2");

        final Cli.Result reset = admin.input("a-fresh-password\na-fresh-password\n", "operator", "reset-password",
                "finance2", "--password-stdin");
        assertThat(reset.exitCode()).as("%s", reset).isZero();
        final JsonNode after = admin.ok("operator", "show", "finance2", "--json").json();
        assertThat(after.path("mustChangePassword").asBoolean()).isTrue();
        assertThat(after.path("role").asText()).isEqualTo("FINANCE");
        operators.login("finance2", "a-fresh-password");
        assertThat(operators.as("finance2").ok("whoami", "--json").json().path("mustChangePassword").asBoolean())
                .isFalse();

        admin.ok("operator", "role", "auditor", "SUPERVISOR");
        assertThat(admin.ok("operator", "show", "auditor", "--json").json().path("name").asText())
                .as("the rest kept").isEqualTo("Demo Auditor");
        assertThat(admin.ok("operator", "list", "--limit", "3").out()).contains("(more: --from 3, or --all)");
        assertThat(admin.ok("operator", "list", "--all", "--json").json().path("items")).hasSizeGreaterThanOrEqualTo(8);
    }

    @Test
    void rulesParametersAndTheCalendar() {
        admin.ok("fee-rule", "put", "70", "--merchant", DemoBusiness.SUPERMARKET, "--method", "PERCENT_MIN_CAP", "--rate",
                "0.35", "--cap", "13", "--from", "2026-01-01");
        admin.ok("discount-rule", "put", "71", "--merchant", DemoBusiness.COFFEE, "--card-type", "1", "--rate", "5",
                "--min-purchase", "50", "--cap", "10");
        admin.ok("points-rule", "put", "72", "--points-per-yuan", "2", "--priority", "1");
        admin.ok("fee-rule", "put", "73", "--merchant", DemoBusiness.SUPERMARKET, "--recharge-commission", "--method",
                "PERCENT", "--rate", "0.2");
        final Cli.Result mixed = admin.run("fee-rule", "put", "74", "--merchant", DemoBusiness.SUPERMARKET, "--method",
                "PERCENT", "--rate", "0.2", "--kinds", "PURCHASE,RECHARGE");
        assertThat(mixed.exitCode()).isEqualTo(Exit.BAD_INPUT);
        assertThat(mixed.err()).contains("or recharge alone");
        final Cli.Result both = admin.run("fee-rule", "put", "74", "--merchant", DemoBusiness.SUPERMARKET,
                "--recharge-commission", "--kinds", "RECHARGE", "--method", "FIXED", "--fixed", "1");
        assertThat(both.exitCode()).isEqualTo(Exit.BAD_INPUT);
        admin.ok("fee-rule", "remove", "73");
        admin.ok("fee-rule", "remove", "70");
        admin.ok("discount-rule", "remove", "71");
        admin.ok("points-rule", "remove", "72");
        final Cli.Result gone = admin.run("points-rule", "remove", "72");
        assertThat(gone.exitCode()).isEqualTo(Exit.NOT_FOUND);
        assertThat(gone.err()).startsWith("prepaid-admin: REMOVE_RULE refused: RULE_NOT_FOUND (75)");

        admin.ok("parameter", "set", "largeAmountThreshold", "3000");
        admin.ok("parameter", "set", "loginTries", "6");
        final Cli.Result fraction = admin.run("parameter", "set", "loginTries", "5.5");
        assertThat(fraction.exitCode()).isEqualTo(Exit.BAD_INPUT);
        assertThat(fraction.err()).isEqualTo("prepaid-admin: VALUE of loginTries: '5.5' is not a whole number\n");
        assertThat(admin.run("parameter", "set", "noSuchParameter", "1").exitCode()).isEqualTo(Exit.BAD_INPUT);

        admin.ok("calendar", "set", "2026-10-01", "--holiday");
        admin.ok("calendar", "set", "20260927", "--workday");
        assertThat(admin.run("calendar", "set", "2026-10-01").exitCode()).isEqualTo(Exit.BAD_INPUT);
    }

    @Test
    void anyCommandOfTheCatalogByItsNameAndFields() {
        final Cli.Result catalog = admin.ok("commands");
        assertThat(catalog.out()).containsPattern("UPSERT_ISSUER +100 +ADMINISTRATOR +code name institutionId")
                .containsPattern("CUTOVER +500 +\\(the switch itself\\)");

        final Cli supervisor = operators.as("supervisor");
        final Cli.Result review = supervisor.run("command", "set-merchant-review", "--field",
                "merchantId=" + DemoBusiness.COFFEE, "--field", "underReview=true");
        assertThat(review.exitCode()).as("%s", review).isZero();
        assertThat(review.out()).startsWith("SET_MERCHANT_REVIEW applied");
        assertThat(admin.ok("merchant", "show", DemoBusiness.COFFEE, "--json").json().path("underReview").asBoolean())
                .isTrue();

        final Cli.Result unknownField = supervisor.run("command", "SET_MERCHANT_REVIEW", "--field", "merchant=x");
        assertThat(unknownField.exitCode()).isEqualTo(Exit.BAD_INPUT);
        assertThat(unknownField.err()).contains("has no field 'merchant'; its fields are merchantId, underReview");
        assertThat(supervisor.run("command", "MAKE_COFFEE").exitCode()).isEqualTo(Exit.BAD_INPUT);
        final Cli.Result systemOnly = admin.run("command", "CUTOVER", "--field", "newBusinessDate=20300101");
        assertThat(systemOnly.exitCode()).isEqualTo(Exit.NOT_ALLOWED);
        assertThat(systemOnly.err()).startsWith("prepaid-admin: CUTOVER refused: SYSTEM_ONLY (66)");
    }
}
