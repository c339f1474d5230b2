package dev.prepaid.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prepaid.pos.PosResult;
import dev.prepaid.pos.PosTerminal;
import dev.prepaid.server.AdminHttp.Answer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit trail and the risk review of a real switch on the demo business, over HTTP: a refused command is in
 * {@code GET /v1/audit} with its reason, the filters find it, the switch's own set-up is there from the first
 * command; a large purchase on a POS terminal is flagged, confirmed by a supervisor (its card frozen in the same
 * step) and shown CONFIRMED by {@code GET /v1/risk}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditEndToEndTest {
    /** A named demo card holding 4,990.00 (config/demo/bootstrap.yaml), PIN 111111. */
    private static final String RICH_CARD = "8888000100000025";
    /** The demo's frozen named card. */
    private static final String FROZEN_CARD = "8888000100000041";

    @TempDir
    static Path directory;
    private SwitchServer server;
    private AdminHttp http;
    private String admin;
    private String clerk;
    private String supervisor;
    private String finance;
    private String auditor;

    @BeforeAll
    void start() {
        server = DemoSwitch.start(directory);
        http = AdminHttp.of(server);
        admin = http.login("admin", "admin-demo");
        clerk = http.login("clerk", "clerk-demo");
        supervisor = http.login("supervisor", "supervisor-demo");
        finance = http.login("finance", "finance-demo");
        auditor = http.login("auditor", "auditor-demo");
    }

    @AfterAll
    void stop() {
        DemoSwitch.stop(server);
    }

    @Test
    void aRefusedCommandIsInTheTrailWithItsReasonAndTheFiltersFindIt() {
        final Answer frozenAgain = http.command(clerk, "FREEZE_CARD", "{\"pan\":\"" + FROZEN_CARD + "\"}");
        assertThat(frozenAgain.status()).isEqualTo(409);
        final long refusedFreeze = frozenAgain.body().get("journalSequence").asLong();
        final Answer notAllowed = http.command(clerk, "UPSERT_ISSUER", "{\"code\":\"X\",\"name\":\"X\",\"institutionId\":\"1\"}");
        assertThat(notAllowed.status()).isEqualTo(403);
        final long refusedIssuer = notAllowed.body().get("journalSequence").asLong();

        final Answer refused = audit("?operator=clerk&result=refused");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(200);
        assertThat(refused.body().get("open").asBoolean()).isTrue();
        final JsonNode items = refused.body().get("items");
        assertThat(sequences(items)).as("newest first").startsWith(refusedIssuer, refusedFreeze);
        final JsonNode issuer = items.get(0);
        assertThat(issuer.get("command").asText()).isEqualTo("UPSERT_ISSUER");
        assertThat(issuer.get("result").asText()).isEqualTo("REFUSED");
        assertThat(issuer.get("reason").asText()).isEqualTo("ROLE_NOT_PERMITTED");
        assertThat(issuer.get("reasonCode").asInt()).isEqualTo(64);
        assertThat(issuer.get("operator").asText()).isEqualTo("clerk");
        assertThat(issuer.get("targetKind").asText()).isEqualTo("ISSUER");
        assertThat(issuer.get("target").asText()).isEqualTo("X");
        assertThat(issuer.get("requestId").asLong()).isPositive();
        assertThat(issuer.get("businessDate").asInt()).isPositive();
        final JsonNode freeze = items.get(1);
        assertThat(freeze.get("command").asText()).isEqualTo("FREEZE_CARD");
        assertThat(freeze.get("reason").asText()).isEqualTo("ILLEGAL_TRANSITION");
        assertThat(freeze.get("reasonCode").asInt()).isEqualTo(82);
        assertThat(freeze.get("targetKind").asText()).isEqualTo("CARD");
        assertThat(freeze.get("target").asText()).isEqualTo("888800******0041");
        assertThat(refused.body().toString()).doesNotContain(FROZEN_CARD);

        // The card's whole story: the bootstrap sold and froze it (as the switch itself), the clerk tried again.
        final JsonNode card = audit("?target=" + FROZEN_CARD).body().get("items");
        assertThat(commands(card)).startsWith("FREEZE_CARD").contains("SELL_CARDS");
        assertThat(card.get(card.size() - 1).get("operator").asText()).isEqualTo("system");
        assertThat(results(card)).containsOnlyOnce("REFUSED");

        assertThat(sequences(audit("?command=UPSERT_ISSUER&result=refused").body().get("items")))
                .containsExactly(refusedIssuer);
        assertThat(commands(audit("?command=upsert-issuer").body().get("items"))).containsOnly("UPSERT_ISSUER").hasSize(2);
        final JsonNode opening = audit("?command=OPEN_AUDIT_TRAIL").body().get("items");
        assertThat(opening).hasSize(1);
        assertThat(opening.get(0).get("journalSequence").asLong()).as("the trail begins with the journal").isEqualTo(1);
        assertThat(opening.get(0).get("operator").asText()).isEqualTo("system");

        final long at = freeze.get("timestampMillis").asLong();
        assertThat(sequences(audit("?operator=clerk&result=refused&from=" + at).body().get("items")))
                .contains(refusedIssuer, refusedFreeze);
        assertThat(sequences(audit("?operator=clerk&result=refused&to=" + at).body().get("items")))
                .doesNotContain(refusedIssuer, refusedFreeze);
        final String day = isoDate(freeze.get("businessDate").asInt());
        assertThat(sequences(audit("?operator=clerk&from=" + day + "&to=" + day).body().get("items")))
                .contains(refusedIssuer, refusedFreeze);
        assertThat(audit("?operator=clerk&to=2000-01-01").body().get("items")).isEmpty();

        final Answer first = audit("?operator=clerk&result=refused&limit=1");
        assertThat(first.body().get("items")).hasSize(1);
        final long next = first.body().get("next").asLong();
        assertThat(next).isEqualTo(refusedIssuer);
        final Answer second = audit("?operator=clerk&result=refused&limit=1&before=" + next);
        assertThat(sequences(second.body().get("items"))).containsExactly(refusedFreeze);

        assertThat(http.get("/v1/audit", clerk).error()).isEqualTo("ROLE_NOT_PERMITTED");
        assertThat(http.get("/v1/audit", http.login("shop1", "shop1-demo")).error()).isEqualTo("ROLE_NOT_PERMITTED");
        for (final String bad : new String[] {"result=maybe", "command=NO_SUCH", "from=yesterday", "colour=red",
                "limit=501", "before=0"}) {
            final Answer answer = audit("?" + bad);
            assertThat(answer.status()).as(bad).isEqualTo(400);
            assertThat(answer.body().get("field").asText()).as(bad).isEqualTo(bad.substring(0, bad.indexOf('=')));
        }
    }

    @Test
    void aScopedOperatorSeesOnlyEntriesAboutItsMerchantAndItsTerminals() {
        final Answer created = http.post("/v1/commands/UPSERT_OPERATOR", admin, "{\"requestId\":" + AdminHttp.requestId()
                + ",\"password\":\"scoped-password-1\",\"fields\":{\"operatorId\":\"shopsupervisor\",\"name\":\"Shop"
                + " supervisor\",\"role\":\"SUPERVISOR\",\"merchantScope\":\"" + DemoSwitch.SUPERMARKET
                + "\",\"status\":\"ACTIVE\"}}");
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        final String scoped = http.login("shopsupervisor", "scoped-password-1");
        final JsonNode items = http.get("/v1/audit?limit=500", scoped).body().get("items");
        assertThat(items).isNotEmpty().allSatisfy(item -> {
            final String kind = item.get("targetKind").asText();
            assertThat(kind).isIn("MERCHANT", "TERMINAL");
            if (kind.equals("MERCHANT")) {
                assertThat(item.get("target").asText()).isEqualTo(DemoSwitch.SUPERMARKET);
            } else {
                assertThat(item.get("target").asText()).isIn("10000001", "10000002", "10000003", "10000042");
            }
        });
        assertThat(commands(items)).contains("UPSERT_MERCHANT", "UPSERT_TERMINAL");
    }

    @Test
    void aFlaggedPurchaseIsConfirmedByASupervisorWhoFreezesTheCardAndTheQueueShowsItConfirmed() {
        try (PosTerminal till = DemoSwitch.terminal(server, "10000002").build()) {
            assertThat(till.signOn().responseCode()).isEqualTo("00");
            final PosResult large = till.purchase(DemoSwitch.manual(RICH_CARD, "111111"), 300_000);
            assertThat(large.responseCode()).as("flagged, not declined").isEqualTo("00");

            final Answer open = http.get("/v1/risk?state=open", supervisor);
            assertThat(open.status()).as(open.toString()).isEqualTo(200);
            final JsonNode entry = find(open.body().get("items"), "888800******0025");
            assertThat(entry).as(open.toString()).isNotNull();
            assertThat(entry.get("source").asText()).isEqualTo("POS_TRANSACTION");
            assertThat(entry.get("flags")).extracting(JsonNode::asText).contains("LARGE_AMOUNT");
            assertThat(entry.get("amount").asLong()).isEqualTo(300_000);
            assertThat(entry.get("kind").asText()).isEqualTo("PURCHASE");
            assertThat(entry.get("terminalId").asText()).isEqualTo("10000002");
            assertThat(entry.get("merchantId").asText()).isEqualTo(DemoSwitch.SUPERMARKET);
            assertThat(entry.get("rrn").asLong()).isEqualTo(Long.parseLong(large.rrn()));
            assertThat(entry.get("state").asText()).isEqualTo("OPEN");
            assertThat(entry.get("decidedBy").isNull()).isTrue();
            final long id = entry.get("id").asLong();

            final Answer byFinance = http.command(finance, "CONFIRM_FLAG", "{\"entryId\":" + id + ",\"freezeCard\":true}");
            assertThat(byFinance.status()).isEqualTo(403);
            assertThat(byFinance.error()).isEqualTo("ROLE_NOT_PERMITTED");
            final Answer byClerk = http.command(clerk, "CLEAR_FLAG", "{\"entryId\":" + id + "}");
            assertThat(byClerk.error()).isEqualTo("ROLE_NOT_PERMITTED");

            final Answer confirmed = http.command(supervisor, "CONFIRM_FLAG", "{\"entryId\":" + id + ",\"freezeCard\":true}");
            assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(200);
            assertThat(confirmed.body().get("entryId").asLong()).isEqualTo(id);
            assertThat(confirmed.body().get("cardFrozen").asBoolean()).isTrue();

            final Answer twice = http.command(finance, "CLEAR_FLAG", "{\"entryId\":" + id + "}");
            assertThat(twice.status()).isEqualTo(409);
            assertThat(twice.error()).isEqualTo("REVIEW_ALREADY_DECIDED");
            assertThat(twice.body().get("reasonCode").asInt()).isEqualTo(111);
            final Answer unknown = http.command(supervisor, "CLEAR_FLAG", "{\"entryId\":987654}");
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.error()).isEqualTo("REVIEW_ENTRY_NOT_FOUND");
            assertThat(unknown.body().get("reasonCode").asInt()).isEqualTo(110);

            final JsonNode shown = find(http.get("/v1/risk?state=confirmed", auditor).body().get("items"), "888800******0025");
            assertThat(shown).isNotNull();
            assertThat(shown.get("id").asLong()).isEqualTo(id);
            assertThat(shown.get("state").asText()).isEqualTo("CONFIRMED");
            assertThat(shown.get("decidedBy").asText()).isEqualTo("supervisor");
            assertThat(shown.get("decidedDate").asInt()).isGreaterThanOrEqualTo(entry.get("flaggedDate").asInt());
            assertThat(ids(http.get("/v1/risk?state=open", supervisor).body().get("items"))).doesNotContain(id);
            assertThat(ids(http.get("/v1/risk?state=cleared", supervisor).body().get("items"))).doesNotContain(id);

            assertThat(http.get("/v1/cards/" + RICH_CARD, supervisor).body().get("status").asText()).isEqualTo("FROZEN");
            assertThat(till.purchase(DemoSwitch.manual(RICH_CARD, "111111"), 100).responseCode())
                    .as("the frozen card is declined").isEqualTo("62");

            final JsonNode decisions = audit("?command=CONFIRM_FLAG&target=" + id).body().get("items");
            assertThat(results(decisions)).containsExactly("APPROVED", "REFUSED");
            assertThat(decisions.get(0).get("operator").asText()).isEqualTo("supervisor");
            assertThat(decisions.get(1).get("reason").asText()).isEqualTo("ROLE_NOT_PERMITTED");
            assertThat(decisions.get(0).get("targetKind").asText()).isEqualTo("REVIEW_ENTRY");
            assertThat(http.get("/v1/risk?state=maybe", supervisor).status()).isEqualTo(400);
            assertThat(http.get("/v1/risk", clerk).error()).isEqualTo("ROLE_NOT_PERMITTED");
        }
    }

    // ------------------------------------------------------------------ helpers

    private Answer audit(final String query) {
        return http.get("/v1/audit" + query, auditor);
    }

    private static List<Long> sequences(final JsonNode items) {
        final List<Long> values = new ArrayList<>();
        items.forEach(item -> values.add(item.get("journalSequence").asLong()));
        return values;
    }

    private static List<Long> ids(final JsonNode items) {
        final List<Long> values = new ArrayList<>();
        items.forEach(item -> values.add(item.get("id").asLong()));
        return values;
    }

    private static List<String> commands(final JsonNode items) {
        final List<String> values = new ArrayList<>();
        items.forEach(item -> values.add(item.get("command").asText()));
        return values;
    }

    private static List<String> results(final JsonNode items) {
        final List<String> values = new ArrayList<>();
        items.forEach(item -> values.add(item.get("result").asText()));
        return values;
    }

    private static JsonNode find(final JsonNode items, final String maskedCard) {
        for (final JsonNode item : items) {
            if (maskedCard.equals(item.path("card").asText())) {
                return item;
            }
        }
        return null;
    }

    private static String isoDate(final int yyyymmdd) {
        return String.format("%04d-%02d-%02d", yyyymmdd / 10_000, yyyymmdd / 100 % 100, yyyymmdd % 100);
    }
}
