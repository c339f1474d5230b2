package dev.prepaid.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.demo.DemoBusiness;
import dev.prepaid.pos.PosTerminal;
import dev.prepaid.security.DesKey;
import dev.prepaid.security.MacFunction;
import dev.prepaid.server.AdminHttp.Answer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin endpoint of a real switch on the demo business, over HTTP: logins and the forced first password
 * change, commands as journaled facts (approved and refused), idempotent retries, bad input named field by
 * field, roles and merchant scope on reads, maker-checker, and a terminal registered live that signs on at once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminEndpointEndToEndTest {
    @TempDir
    static Path directory;
    private SwitchServer server;
    private AdminHttp http;
    private String admin;
    private String clerk;
    private String supervisor;
    private String shopToken;

    @BeforeAll
    void start() {
        server = DemoSwitch.start(directory);
        http = AdminHttp.of(server);
        admin = http.login("admin", "admin-demo");
        clerk = http.login("clerk", "clerk-demo");
        supervisor = http.login("supervisor", "supervisor-demo");
    }

    /** The merchant user's session, logged in once (its first login changes the bootstrap password). */
    private String shop() {
        if (shopToken == null) {
            shopToken = http.login("shop1", "shop1-demo");
        }
        return shopToken;
    }

    @AfterAll
    void stop() {
        DemoSwitch.stop(server);
    }

    @Test
    void aPasswordTheBootstrapSetMustBeChangedBeforeAnythingElse() {
        final Answer login = http.post("/v1/login", null, "{\"operatorId\":\"auditor\",\"password\":\"auditor-demo\"}");
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.body().get("mustChangePassword").asBoolean()).isTrue();
        assertThat(login.body().get("role").asText()).isEqualTo("AUDITOR");
        final String token = login.body().get("token").asText();

        final Answer status = http.get("/v1/status", token);
        assertThat(status.status()).isEqualTo(403);
        assertThat(status.error()).isEqualTo("PASSWORD_CHANGE_REQUIRED");
        assertThat(http.get("/v1/whoami", token).status()).isEqualTo(200);

        final Answer wrongCurrent = http.post("/v1/password", token, "{\"requestId\":" + AdminHttp.requestId()
                + ",\"currentPassword\":\"not-it-at-all\",\"newPassword\":\"auditor-second\"}");
        assertThat(wrongCurrent.status()).isEqualTo(403);
        assertThat(wrongCurrent.body().get("field").asText()).isEqualTo("currentPassword");
        final Answer tooShort = http.post("/v1/password", token, "{\"requestId\":" + AdminHttp.requestId()
                + ",\"currentPassword\":\"auditor-demo\",\"newPassword\":\"short\"}");
        assertThat(tooShort.status()).isEqualTo(400);
        assertThat(tooShort.body().get("field").asText()).isEqualTo("newPassword");

        final Answer changed = http.post("/v1/password", token, "{\"requestId\":" + AdminHttp.requestId()
                + ",\"currentPassword\":\"auditor-demo\",\"newPassword\":\"auditor-second\"}");
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(changed.body().get("journalSequence").asLong()).isPositive();
        assertThat(http.get("/v1/status", token).status()).isEqualTo(200);

        assertThat(http.post("/v1/login", null, "{\"operatorId\":\"auditor\",\"password\":\"auditor-demo\"}").status())
                .isEqualTo(401);
        final Answer again = http.post("/v1/login", null, "{\"operatorId\":\"auditor\",\"password\":\"auditor-second\"}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().get("mustChangePassword").asBoolean()).isFalse();
    }

    @Test
    void anUnknownOperatorAndAWrongPasswordGetTheSameAnswer() {
        final Answer unknown = http.post("/v1/login", null, "{\"operatorId\":\"nobody\",\"password\":\"whatever-it-is\"}");
        final Answer wrong = http.post("/v1/login", null, "{\"operatorId\":\"finance2\",\"password\":\"whatever-it-is\"}");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(unknown.body()).isEqualTo(wrong.body());
        assertThat(http.get("/v1/whoami", null).error()).isEqualTo("LOGIN_REQUIRED");
        assertThat(http.get("/v1/whoami", "made-up-token").error()).isEqualTo("LOGIN_REQUIRED");
    }

    @Test
    void aClerkSellsACardAndReadsItAtOnceAndARetryChangesNothing() {
        final String pan = DemoSwitch.giftCard(7);
        final long requestId = AdminHttp.requestId();
        final String sale = "{\"firstPan\":\"" + pan + "\",\"count\":1,\"faceValue\":5000,\"payment\":\"CASH\","
                + "\"channel\":\"COUNTER\",\"buyerKind\":\"PERSON\"}";
        final Answer sold = http.command(clerk, "SELL_CARDS", requestId, sale);
        assertThat(sold.status()).as(sold.toString()).isEqualTo(200);
        assertThat(sold.body().get("result").asText()).isEqualTo("APPROVED");
        assertThat(sold.body().get("firstPan").asText()).isEqualTo(pan);
        assertThat(sold.body().get("duplicate").asBoolean()).isFalse();

        final Answer card = http.get("/v1/cards/" + pan, clerk);
        assertThat(card.status()).isEqualTo(200);
        assertThat(card.body().get("status").asText()).isEqualTo("ACTIVE");
        assertThat(card.body().get("available").asLong()).isEqualTo(5000);

        final Answer retry = http.command(clerk, "SELL_CARDS", requestId, sale);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.body().get("duplicate").asBoolean()).isTrue();
        assertThat(http.get("/v1/cards/" + pan, clerk).body().get("available").asLong()).isEqualTo(5000);

        final Answer different = http.command(clerk, "RECHARGE_CARDS", requestId, "{\"firstPan\":\"" + pan
                + "\",\"count\":1,\"amount\":100,\"payment\":\"CASH\",\"channel\":\"COUNTER\"}");
        assertThat(different.status()).isEqualTo(409);
        assertThat(different.error()).isEqualTo("DUPLICATE_REQUEST_DIFFERENT");

        final Answer recharged = http.command(clerk, "RECHARGE_CARDS", "{\"firstPan\":\"" + pan
                + "\",\"count\":1,\"amount\":2550,\"payment\":\"CASH\",\"channel\":\"COUNTER\"}");
        assertThat(recharged.status()).as(recharged.toString()).isEqualTo(200);
        assertThat(http.get("/v1/cards/" + pan, clerk).body().get("available").asLong()).isEqualTo(7550);

        final Answer frozen = http.command(clerk, "FREEZE_CARD", "{\"pan\":\"" + pan + "\"}");
        assertThat(frozen.status()).isEqualTo(200);
        final Answer twice = http.command(clerk, "FREEZE_CARD", "{\"pan\":\"" + pan + "\"}");
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.error()).isEqualTo("ILLEGAL_TRANSITION");
        assertThat(twice.body().get("reasonCode").asInt()).isEqualTo(82);
    }

    @Test
    void badInputIsAnsweredFieldByFieldAndNothingIsPublished() {
        final long before = http.get("/v1/status", admin).body().path("switch").path("journalSequence").asLong();
        final String pan = DemoSwitch.giftCard(8);
        final Answer decimals = http.command(clerk, "SELL_CARDS", "{\"firstPan\":\"" + pan + "\",\"count\":1,"
                + "\"faceValue\":50.005,\"payment\":\"CASH\",\"channel\":\"COUNTER\",\"buyerKind\":\"PERSON\"}");
        assertThat(decimals.status()).isEqualTo(400);
        assertThat(decimals.body().get("field").asText()).isEqualTo("faceValue");
        assertThat(decimals.body().get("message").asText()).contains("fen");

        final Answer unknownField = http.command(clerk, "FREEZE_CARD", "{\"pan\":\"" + pan + "\",\"colour\":\"red\"}");
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.body().get("field").asText()).isEqualTo("colour");

        final Answer wrongEnum = http.command(clerk, "RECHARGE_CARDS", "{\"firstPan\":\"" + pan + "\",\"count\":1,"
                + "\"amount\":100,\"payment\":\"GOLD\",\"channel\":\"COUNTER\"}");
        assertThat(wrongEnum.status()).isEqualTo(400);
        assertThat(wrongEnum.body().get("field").asText()).isEqualTo("payment");
        assertThat(wrongEnum.body().get("message").asText()).contains("CASH");

        final Answer missing = http.command(clerk, "RECHARGE_CARDS", "{\"firstPan\":\"" + pan + "\"}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body().get("field").asText()).isEqualTo("count");

        final Answer noRequestId = http.post("/v1/commands/FREEZE_CARD", clerk, "{\"fields\":{\"pan\":\"" + pan + "\"}}");
        assertThat(noRequestId.status()).isEqualTo(400);
        assertThat(noRequestId.body().get("field").asText()).isEqualTo("requestId");

        final Answer notJson = http.post("/v1/commands/FREEZE_CARD", clerk, "{\"requestId\": 1, ");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.error()).isEqualTo("BAD_JSON");

        final Answer duplicateKey = http.post("/v1/commands/FREEZE_CARD", clerk,
                "{\"requestId\": 5, \"requestId\": 6, \"fields\": {\"pan\": \"" + pan + "\"}}");
        assertThat(duplicateKey.status()).isEqualTo(400);

        assertThat(http.command(clerk, "NO_SUCH_THING", "{}").error()).isEqualTo("UNKNOWN_COMMAND");
        assertThat(http.get("/v1/commands/FREEZE_CARD", clerk).status()).isEqualTo(405);
        assertThat(http.get("/v2/anything", clerk).status()).isEqualTo(404);

        final long after = http.get("/v1/status", admin).body().path("switch").path("journalSequence").asLong();
        assertThat(after).as("no bad request was journaled").isEqualTo(before);
        assertThat(http.get("/v1/cards/" + pan, clerk).body().get("status").asText()).isEqualTo("GENERATED");
    }

    @Test
    void aRefusalByTheLedgerIsJournaledWithItsReasonAndAnsweredByKind() {
        final Answer notAllowed = http.command(clerk, "UPSERT_ISSUER", "{\"code\":\"X\",\"name\":\"X\","
                + "\"institutionId\":\"1\"}");
        assertThat(notAllowed.status()).isEqualTo(403);
        assertThat(notAllowed.error()).isEqualTo("ROLE_NOT_PERMITTED");
        assertThat(notAllowed.body().get("journalSequence").asLong()).as("refusals are in the audit trail").isPositive();

        final Answer systemOnly = http.command(admin, "CUTOVER", "{\"newBusinessDate\":20991231}");
        assertThat(systemOnly.status()).isEqualTo(403);
        assertThat(systemOnly.error()).isEqualTo("SYSTEM_ONLY");

        final Answer notFound = http.command(clerk, "FREEZE_CARD", "{\"pan\":\"8888000999999999\"}");
        assertThat(notFound.status()).as(notFound.toString()).isIn(400, 404);

        assertThat(http.post("/v1/commands/CHANGE_PASSWORD", clerk, "{\"requestId\":1}").error())
                .isEqualTo("USE_PASSWORD_PATH");
    }

    @Test
    void aMerchantUserSeesOnlyItsMerchantAndNoCard() {
        final String shop = shop();
        final Answer merchants = http.get("/v1/merchants", shop);
        assertThat(merchants.status()).isEqualTo(200);
        assertThat(merchants.body().get("items")).hasSize(1);
        assertThat(merchants.body().get("items").get(0).get("merchantId").asText()).isEqualTo(DemoSwitch.SUPERMARKET);
        assertThat(http.get("/v1/merchants/" + DemoSwitch.SUPERMARKET, shop).status()).isEqualTo(200);
        assertThat(http.get("/v1/merchants/" + DemoSwitch.COFFEE, shop).error()).isEqualTo("OUTSIDE_MERCHANT_SCOPE");

        final Answer terminals = http.get("/v1/terminals", shop);
        // The supermarket's three demo terminals, and one more when the live registration ran first.
        assertThat(terminals.body().get("items")).hasSizeBetween(3, 4)
                .allSatisfy(t -> assertThat(t.get("merchantId").asText()).isEqualTo(DemoSwitch.SUPERMARKET));
        assertThat(http.get("/v1/terminals?merchant=" + DemoSwitch.COFFEE, shop).status()).isEqualTo(403);
        assertThat(http.get("/v1/terminals/10000001", shop).status()).isEqualTo(200);
        assertThat(http.get("/v1/terminals/20000001", shop).status()).isEqualTo(404);

        assertThat(http.get("/v1/cards/8888000100000017", shop).error()).isEqualTo("ROLE_NOT_PERMITTED");
        assertThat(http.get("/v1/approvals", shop).error()).isEqualTo("ROLE_NOT_PERMITTED");
        assertThat(http.get("/v1/operators", shop).error()).isEqualTo("ROLE_NOT_PERMITTED");
        final Answer write = http.command(shop, "SET_MERCHANT_REVIEW", "{\"merchantId\":\"" + DemoSwitch.SUPERMARKET
                + "\",\"underReview\":true}");
        assertThat(write.status()).isEqualTo(403);
        assertThat(write.error()).isEqualTo("ROLE_NOT_PERMITTED");

        final Answer all = http.get("/v1/merchants", admin);
        assertThat(all.body().get("items")).hasSize(2);
    }

    @Test
    void anAdjustmentNeedsASecondOperatorAndTheMakerCannotApproveIt() {
        final Answer requested = http.command(supervisor, "REQUEST_ADJUSTMENT", "{\"target\":\"CARD\","
                + "\"targetId\":\"8888000100000017\",\"amount\":1000,\"counter\":\"PROMOTION_EXPENSE\"}");
        assertThat(requested.status()).as(requested.toString()).isEqualTo(200);
        final long pending = requested.body().get("pendingId").asLong();

        final Answer waiting = http.get("/v1/approvals", supervisor);
        assertThat(waiting.body().get("items")).anySatisfy(item -> {
            assertThat(item.get("id").asLong()).isEqualTo(pending);
            assertThat(item.get("maker").asText()).isEqualTo("supervisor");
        });

        final Answer one = http.get("/v1/approvals/" + pending, supervisor);
        assertThat(one.body().get("state").asText()).isEqualTo("WAITING");
        assertThat(one.body().get("fields").get("targetId").asText()).isEqualTo("8888000100000017");
        assertThat(http.get("/v1/approvals/999999", supervisor).error()).isEqualTo("PENDING_NOT_FOUND");

        final Answer self = http.command(supervisor, "APPROVE", "{\"pendingId\":" + pending + "}");
        assertThat(self.status()).isEqualTo(403);
        assertThat(self.error()).isEqualTo("APPROVER_IS_MAKER");

        final long before = http.get("/v1/cards/8888000100000017", supervisor).body().get("available").asLong();
        final String second = http.login("supervisor2", "supervisor2-demo");
        final Answer approved = http.command(second, "APPROVE", "{\"pendingId\":" + pending + "}");
        assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
        final long after = http.get("/v1/cards/8888000100000017", supervisor).body().get("available").asLong();
        assertThat(after - before).isEqualTo(1000);
    }

    @Test
    void aNewOperatorMustChangeTheSetPasswordAndLosesItsSessionWhenLocked() {
        final String create = "{\"requestId\":" + AdminHttp.requestId()
                + ",\"password\":\"first-password-1\",\"fields\":{\"operatorId\":\"newclerk\",\"name\":\"New Clerk\","
                + "\"role\":\"CLERK\",\"status\":\"ACTIVE\"}}";
        final Answer created = http.post("/v1/commands/UPSERT_OPERATOR", admin, create);
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        final Answer retried = http.post("/v1/commands/UPSERT_OPERATOR", admin, create);
        assertThat(retried.status()).as("the password hashes alike on a retry").isEqualTo(200);
        assertThat(retried.body().get("duplicate").asBoolean()).isTrue();
        final Answer shown = http.get("/v1/operators/newclerk", admin);
        assertThat(shown.body().get("mustChangePassword").asBoolean()).isTrue();
        assertThat(shown.body().has("passwordHash")).isFalse();

        final String token = http.login("newclerk", "first-password-1");
        assertThat(http.get("/v1/whoami", token).body().get("role").asText()).isEqualTo("CLERK");

        final Answer locked = http.command(admin, "LOCK_OPERATOR", "{\"operatorId\":\"newclerk\"}");
        assertThat(locked.status()).isEqualTo(200);
        assertThat(http.get("/v1/whoami", token).error()).isEqualTo("LOGIN_REQUIRED");
        final Answer login = http.post("/v1/login", null, "{\"operatorId\":\"newclerk\",\"password\":\"first-password-1-new\"}");
        assertThat(login.status()).isEqualTo(403);
        assertThat(login.error()).isEqualTo("OPERATOR_LOCKED");

        final Answer renamed = http.command(admin, "UPSERT_OPERATOR", "{\"operatorId\":\"newclerk\",\"name\":\"Renamed\","
                + "\"role\":\"CLERK\",\"status\":\"ACTIVE\"}");
        assertThat(renamed.status()).as("a change without a password keeps it").isEqualTo(200);
        assertThat(http.command(admin, "UNLOCK_OPERATOR", "{\"operatorId\":\"newclerk\"}").status()).isEqualTo(200);
        assertThat(http.post("/v1/login", null, "{\"operatorId\":\"newclerk\",\"password\":\"first-password-1-new\"}")
                .status()).isEqualTo(200);
    }

    @Test
    void aTerminalRegisteredLiveSignsOnAtOnceWithTheLoadedKey() throws Exception {
        final String first = "1111111111111111FEFEFEFEFEFEFEFE";
        final String second = "2323232323232323ABABABABABABABAB";
        final byte[] tmkBytes = dev.prepaid.security.Hex.decode(first);
        final byte[] other = dev.prepaid.security.Hex.decode(second);
        for (int i = 0; i < tmkBytes.length; i++) {
            tmkBytes[i] ^= other[i];
        }
        DesKey.setOddParity(tmkBytes, 0, tmkBytes.length);
        final DesKey tmk = DesKey.of(tmkBytes);
        final String checkValue = tmk.checkValueHex(3);
        final String fields = "{\"terminalId\":\"10000042\",\"merchantId\":\"" + DemoSwitch.SUPERMARKET + "\","
                + "\"serialNumber\":\"SN-42\",\"status\":\"ACTIVE\",\"macAlgorithm\":\"CUP_ECB\","
                + "\"shareMethod\":\"NONE\",\"shareRatePpm\":0}";

        final Answer mistyped = http.post("/v1/terminals", admin, "{\"requestId\":" + AdminHttp.requestId()
                + ",\"fields\":" + fields + ",\"tmk\":{\"components\":[\"" + first + "\",\"" + second
                + "\"],\"checkValue\":\"000000\"}}");
        assertThat(mistyped.status()).isEqualTo(400);
        assertThat(mistyped.body().get("field").asText()).isEqualTo("tmk.checkValue");
        assertThat(mistyped.body().toString()).doesNotContain(first).doesNotContain(second);
        assertThat(http.get("/v1/terminals/10000042", admin).status()).isEqualTo(404);

        final Answer byClerk = http.post("/v1/terminals", clerk, "{\"requestId\":" + AdminHttp.requestId()
                + ",\"fields\":" + fields + ",\"tmk\":{\"components\":[\"" + first + "\",\"" + second
                + "\"],\"checkValue\":\"" + checkValue + "\"}}");
        assertThat(byClerk.error()).isEqualTo("ROLE_NOT_PERMITTED");

        final Answer registered = http.post("/v1/terminals", admin, "{\"requestId\":" + AdminHttp.requestId()
                + ",\"fields\":" + fields + ",\"tmk\":{\"components\":[\"" + first + "\",\"" + second
                + "\"],\"checkValue\":\"" + checkValue + "\"}}");
        assertThat(registered.status()).as(registered.toString()).isEqualTo(200);
        assertThat(registered.body().get("keyReference").asText()).isEqualTo("tmk.10000042");
        assertThat(registered.body().get("checkValue").asText()).isEqualTo(checkValue);
        final String keyFile = java.nio.file.Files.readString(server.config().keys().keyFile());
        assertThat(keyFile).contains("tmk.10000042").doesNotContain(first).doesNotContain(second);

        try (PosTerminal terminal = PosTerminal.builder(DemoSwitch.dialect()).terminalId("10000042")
                .merchantId(DemoSwitch.SUPERMARKET).tmk(tmk).macAlgorithm(MacFunction.CUP_ECB)
                .switchAddress("127.0.0.1", server.posPort()).readTimeout(java.time.Duration.ofSeconds(10)).build()) {
            assertThat(terminal.signOn().responseCode()).isEqualTo("00");
            assertThat(terminal.balance(DemoBusiness.giftCard(150)).responseCode()).isEqualTo("00");
        }
        final Answer shown = http.get("/v1/terminals/10000042", admin);
        assertThat(shown.body().get("signedOn").asBoolean()).isTrue();
    }

    @Test
    void theBlacklistTerminalsDownloadListsLostAndBlacklistedCards() {
        final Answer page = http.get("/v1/blacklist", clerk);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body().get("next").asInt()).as("the demo's few thousand cards fit one page").isEqualTo(-1);
        final java.util.Map<String, String> hot = new java.util.HashMap<>();
        page.body().get("items").forEach(item -> hot.put(item.get("pan").asText(), item.get("status").asText()));
        assertThat(hot).containsEntry("8888000100000058", "LOST").containsEntry("8888000200000057", "BLACKLISTED");
        final String pan = DemoSwitch.giftCard(150);
        assertThat(hot).doesNotContainKey(pan);

        assertThat(http.command(supervisor, "BLACKLIST_CARD", "{\"pan\":\"" + pan + "\"}").status()).isEqualTo(200);
        final Answer after = http.get("/v1/blacklist", clerk);
        assertThat(after.body().get("items")).anySatisfy(item -> assertThat(item.get("pan").asText()).isEqualTo(pan));
        assertThat(http.command(supervisor, "UNBLACKLIST_CARD", "{\"pan\":\"" + pan + "\"}").status()).isEqualTo(200);
    }

    @Test
    void aProductionRunWritesTheBureauFileAndThePinMailerAndLoadsEveryPinCheck() throws Exception {
        final long requestId = AdminHttp.requestId();
        final String request = "{\"requestId\":" + requestId + ",\"fields\":{\"bin\":\"88880002\",\"panLength\":16,"
                + "\"count\":25},\"expiry\":\"3106\",\"regionCode\":\"120\"}";
        final Answer run = http.post("/v1/cards/generate", admin, request);
        assertThat(run.status()).as(run.toString()).isEqualTo(200);
        assertThat(run.body().get("cards").asInt()).isEqualTo(25);
        assertThat(run.body().get("pinsLoaded").asInt()).isEqualTo(25);
        final Path productionFile = Path.of(run.body().get("productionFile").asText());
        final Path mailerFile = Path.of(run.body().get("pinMailerFile").asText());
        assertThat(java.nio.file.Files.getPosixFilePermissions(productionFile))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(java.nio.file.Files.getPosixFilePermissions(mailerFile)).hasSize(2);
        assertThat(run.body().toString()).as("no PIN in the answer").doesNotContain("\"pin\"");

        final java.util.List<String> cards = java.nio.file.Files.readAllLines(productionFile).stream()
                .filter(line -> !line.startsWith("#") && !line.startsWith("pan,")).toList();
        final java.util.List<String> pins = java.nio.file.Files.readAllLines(mailerFile).stream()
                .filter(line -> !line.startsWith("#") && !line.startsWith("pan,")).toList();
        assertThat(cards).hasSize(25);
        assertThat(pins).hasSize(25);
        final dev.prepaid.security.StoredKeys keys = dev.prepaid.security.StoredKeys.load(server.config().keys().keyFile(),
                dev.prepaid.security.MasterFileKey.development());
        final dev.prepaid.security.PinCheck pinCheck = new dev.prepaid.security.PinCheck(keys.key("pvk"));
        for (int i = 0; i < 25; i++) {
            final String[] card = cards.get(i).split(",");
            final String[] mailer = pins.get(i).split(",");
            assertThat(mailer[0]).isEqualTo(card[0]);
            assertThat(card[3]).isEqualTo(card[0] + "=3106120" + String.format("%03d", new dev.prepaid.security.Cvn()
                    .compute(DemoBusiness.CVK_GIFT, card[0], 3106, 120)));
            assertThat(mailer[1]).matches("[0-9]{6}");
            assertThat(mailer[2]).isEqualTo(dev.prepaid.security.PinCheck.toText(pinCheck.fromClearPin(card[0], mailer[1])));
        }
        final String first = cards.get(0).split(",")[0];
        final Answer shown = http.get("/v1/cards/" + first, admin);
        assertThat(shown.body().get("status").asText()).isEqualTo("GENERATED");
        assertThat(shown.body().get("pinSet").asBoolean()).isTrue();

        // The bureau's track works at a terminal once the card is sold.
        assertThat(http.command(clerk, "SELL_CARDS", "{\"firstPan\":\"" + first + "\",\"count\":1,\"faceValue\":3000,"
                + "\"payment\":\"CASH\",\"channel\":\"COUNTER\",\"buyerKind\":\"PERSON\"}").status()).isEqualTo(200);
        try (PosTerminal terminal = DemoSwitch.terminal(server, "10000001").build()) {
            assertThat(terminal.signOn().responseCode()).isEqualTo("00");
            assertThat(terminal.balance(dev.prepaid.pos.Card.swiped(cards.get(0).split(",")[3])).responseCode())
                    .isEqualTo("00");
        }

        final Answer retry = http.post("/v1/cards/generate", admin, request);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.body().get("runs")).isEqualTo(run.body().get("runs"));

        final Answer byClerk = http.post("/v1/cards/generate", clerk, "{\"requestId\":" + AdminHttp.requestId()
                + ",\"fields\":{\"bin\":\"88880002\",\"panLength\":16,\"count\":5}}");
        assertThat(byClerk.error()).isEqualTo("ROLE_NOT_PERMITTED");
        final Answer badExpiry = http.post("/v1/cards/generate", admin, "{\"requestId\":" + AdminHttp.requestId()
                + ",\"fields\":{\"bin\":\"88880002\",\"panLength\":16,\"count\":5},\"expiry\":\"3113\"}");
        assertThat(badExpiry.body().get("field").asText()).isEqualTo("expiry");
    }

    @Test
    void aBatchIsCheckedWholeAppliedItemByItemAndRetriedWithoutTwice() {
        final StringBuilder items = new StringBuilder();
        for (int account = 60; account < 63; account++) {
            items.append(items.length() == 0 ? "" : ",").append("{\"firstPan\":\"").append(DemoSwitch.giftCard(account))
                    .append("\",\"count\":1,\"faceValue\":2000,\"payment\":\"CASH\",\"channel\":\"COUNTER\","
                            + "\"buyerKind\":\"PERSON\"}");
        }
        // The second sale of card 60 is refused by the ledger; the others are applied.
        items.append(",{\"firstPan\":\"").append(DemoSwitch.giftCard(60)).append("\",\"count\":1,\"faceValue\":2000,"
                + "\"payment\":\"CASH\",\"channel\":\"COUNTER\",\"buyerKind\":\"PERSON\"}");
        final long requestId = AdminHttp.requestId();
        final String batch = "{\"requestId\":" + requestId + ",\"items\":[" + items + "]}";
        final Answer sold = http.post("/v1/batch/SELL_CARDS", clerk, batch);
        assertThat(sold.status()).as(sold.toString()).isEqualTo(200);
        assertThat(sold.body().get("approved").asInt()).isEqualTo(3);
        assertThat(sold.body().get("refused").asInt()).isEqualTo(1);
        assertThat(sold.body().get("results").get(3).get("error").asText()).isEqualTo("ILLEGAL_TRANSITION");
        assertThat(http.get("/v1/cards/" + DemoSwitch.giftCard(61), clerk).body().get("available").asLong()).isEqualTo(2000);

        final Answer retried = http.post("/v1/batch/SELL_CARDS", clerk, batch);
        assertThat(retried.body().get("results")).allSatisfy(result -> assertThat(result.get("duplicate").asBoolean()).isTrue());
        assertThat(http.get("/v1/cards/" + DemoSwitch.giftCard(61), clerk).body().get("available").asLong()).isEqualTo(2000);

        final Answer bad = http.post("/v1/batch/SELL_CARDS", clerk, "{\"requestId\":" + AdminHttp.requestId()
                + ",\"items\":[{\"firstPan\":\"" + DemoSwitch.giftCard(70) + "\",\"count\":1,\"faceValue\":2000,"
                + "\"payment\":\"CASH\",\"channel\":\"COUNTER\",\"buyerKind\":\"PERSON\"},{\"firstPan\":\""
                + DemoSwitch.giftCard(71) + "\",\"count\":1,\"faceValue\":20.5}]}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().get("field").asText()).isEqualTo("items[1].faceValue");
        assertThat(http.get("/v1/cards/" + DemoSwitch.giftCard(70), clerk).body().get("status").asText())
                .as("a bad item refuses the whole batch").isEqualTo("GENERATED");
    }

    @Test
    void aCardsHistoryShowsItsTransactionsNewestFirst() {
        final String pan = "8888000100000017";
        try (PosTerminal terminal = DemoSwitch.terminal(server, "10000002").build()) {
            assertThat(terminal.signOn().responseCode()).isEqualTo("00");
            assertThat(terminal.purchase(DemoSwitch.manual(pan, "123456"), 1_234).responseCode()).isEqualTo("00");
            assertThat(terminal.purchase(DemoSwitch.manual(pan, "123456"), 567).responseCode()).isEqualTo("00");
        }
        final Answer history = http.get("/v1/cards/" + pan + "/history?limit=2", clerk);
        assertThat(history.status()).as(history.toString()).isEqualTo(200);
        assertThat(history.body().get("items")).hasSize(2);
        final com.fasterxml.jackson.databind.JsonNode newest = history.body().get("items").get(0);
        assertThat(newest.get("kind").asText()).isEqualTo("PURCHASE");
        assertThat(newest.get("state").asText()).isEqualTo("APPROVED");
        assertThat(newest.get("amount").asLong()).isEqualTo(567);
        assertThat(newest.get("terminalId").asText()).isEqualTo("10000002");
        assertThat(newest.get("merchantId").asText()).isEqualTo(DemoSwitch.SUPERMARKET);
        assertThat(history.body().get("items").get(1).get("amount").asLong()).isEqualTo(1_234);
        assertThat(history.body().get("items").get(0).get("rrn").asLong())
                .isGreaterThan(history.body().get("items").get(1).get("rrn").asLong());
        assertThat(http.get("/v1/cards/" + pan + "/history?before=x", clerk).body().get("field").asText()).isEqualTo("before");
        assertThat(http.get("/v1/cards/" + pan + "/history", shop()).status()).isEqualTo(403);
    }
}
