package dev.prepaid.server;

import static dev.prepaid.server.EndToEnd.approved;
import static dev.prepaid.server.EndToEnd.assertApproved;
import static dev.prepaid.server.EndToEnd.assertDeclined;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prepaid.admin.Applied;
import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.Envelope;
import dev.prepaid.config.SwitchConfig;
import dev.prepaid.demo.DemoBusiness;
import dev.prepaid.operator.Operator;
import dev.prepaid.pos.BatchEntry;
import dev.prepaid.pos.Card;
import dev.prepaid.pos.PosResult;
import dev.prepaid.pos.PosTerminal;
import dev.prepaid.server.AdminHttp.Answer;
import dev.prepaid.testing.Await;
import dev.prepaid.time.CivilDate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clearing in the running switch, over real TCP and the admin endpoint on the demo business: terminals and operators
 * transact for a day, the switch's cut-over closes it, and the switch clears and reconciles the day by itself — the
 * figures the test works out from the demo's contracts; a terminal whose batch total disagreed fails the day's
 * reconciliation, which holds settlement until finance accepts it; a merchant's user sees only its merchant; bad
 * dates are refused by name; and a day closed while clearing was off is cleared at the next start.
 */
class ClearingEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SHOP_TERMINAL = "10000002"; // deployer DEP01, 30 % of the fee
    private static final String COFFEE_TERMINAL = "20000001";
    private static final String COFFEE_TERMINAL_2 = "20000002";

    @TempDir
    Path directory;

    private static SwitchConfig withClearing(final SwitchConfig c, final boolean on) {
        return DemoSwitch.withClearing(c, on);
    }

    private static int cutover(final SwitchServer server) throws Exception {
        final int today = server.read(s -> s.businessDate()).get();
        final int next = CivilDate.yyyymmdd(CivilDate.epochDay(today) + 1);
        final Applied applied = server.submitAndWait(new Envelope(Operator.SYSTEM_ID, 0, "test", "test cut-over"),
                new AdminCommand.Cutover(next));
        assertThat(applied.outcome().approved()).as(applied.outcome().toString()).isTrue();
        return today;
    }

    private static String iso(final int date) {
        return CivilDate.iso(CivilDate.epochDay(date));
    }

    /** Half-up to the fen of amount × ppm / 1,000,000, as domain-rules §4 says fees and shares are rounded. */
    private static long halfUp(final long amount, final long ppm) {
        return (amount * ppm * 2 + 1_000_000) / 2_000_000;
    }

    private static JsonNode row(final JsonNode page, final String id) {
        for (final JsonNode item : page.get("items")) {
            if (item.get("id").asText().equals(id)) {
                return item;
            }
        }
        throw new AssertionError("no row " + id + " in " + page);
    }

    @Test
    void eachDayIsClearedAndReconciledByTheSwitchAndAFailedDayHoldsSettlement() throws Exception {
        final SwitchConfig config = DemoSwitch.config(directory);
        final int day1;
        final int day2;
        final long shopFee;
        SwitchServer server = SwitchServer.start(withClearing(config, true));
        try (PosTerminal shop = DemoSwitch.terminal(server, SHOP_TERMINAL).build();
                PosTerminal coffee = DemoSwitch.terminal(server, COFFEE_TERMINAL).build();
                PosTerminal coffee2 = DemoSwitch.terminal(server, COFFEE_TERMINAL_2).build()) {
            final AdminHttp http = AdminHttp.of(server);
            final String clerk = http.login("clerk", "clerk-demo");
            // ---- day 1: the supermarket (0.35 %, refunds return the fee in proportion) and the coffee shop (0.60 %)
            final Card a = DemoBusiness.giftCard(200);
            final PosResult p1 = approved(shop.purchase(a, 50_00));
            final PosResult p2 = approved(shop.purchase(DemoBusiness.giftCard(201), 20_00));
            assertApproved(shop.voidPurchase(p2));
            assertApproved(shop.refund(p1, 10_00));
            assertApproved(shop.recharge(DemoBusiness.giftCard(202), 30_00));
            assertApproved(coffee.purchase(DemoBusiness.giftCard(203), 40_00));
            assertDeclined(coffee.recharge(DemoBusiness.giftCard(203), 10_00), "58");
            assertDeclined(coffee.purchase(DemoBusiness.giftCard(204), 200_00), "51");
            // the coffee shop's second terminal loses a purchase from its batch, then settles: flag 2
            final Card b = DemoBusiness.giftCard(205);
            assertApproved(coffee2.purchase(b, 10_00));
            assertApproved(coffee2.purchase(b, 15_00));
            final List<BatchEntry> entries = new ArrayList<>(coffee2.batchEntries());
            entries.remove(1);
            coffee2.restore(coffee2.stan(), coffee2.batch(), entries, null);
            assertThat(approved(coffee2.settle()).settlementFlag()).isEqualTo(2);
            final Answer recharged = http.command(clerk, "RECHARGE_CARDS", "{\"firstPan\":\""
                    + DemoBusiness.giftCard(206).pan() + "\",\"count\":1,\"amount\":5000,\"payment\":\"CASH\",\"channel\":\"COUNTER\"}");
            assertThat(recharged.status()).as(recharged.toString()).isEqualTo(200);

            day1 = cutover(server);
            final String finance = http.login("finance", "finance-demo");
            final String path = "/v1/clearing/" + iso(day1);
            Await.until("the day's figures", WAIT, () -> http.get(path, finance).status() == 200);
            final JsonNode figures = http.get(path + "?limit=500", finance).body();

            final long fee1 = Math.min(1_300, halfUp(50_00, 3_500));
            final long fee2 = Math.min(1_300, halfUp(20_00, 3_500));
            final long refundFee = (fee1 * 10_00 * 2 + 50_00) / (2 * 50_00);
            shopFee = fee1 - refundFee;
            final long share1 = halfUp(fee1, 300_000);
            final long refundShare = (share1 * refundFee * 2 + fee1) / (2 * fee1);
            final JsonNode supermarket = row(figures.get("merchants"), DemoSwitch.SUPERMARKET);
            assertThat(supermarket.get("purchases").asLong()).isEqualTo(2);
            assertThat(supermarket.get("purchaseAmount").asLong()).isEqualTo(70_00);
            assertThat(supermarket.get("voids").asLong()).isEqualTo(1);
            assertThat(supermarket.get("voidAmount").asLong()).isEqualTo(20_00);
            assertThat(supermarket.get("refunds").asLong()).isEqualTo(1);
            assertThat(supermarket.get("refundAmount").asLong()).isEqualTo(10_00);
            assertThat(supermarket.get("recharges").asLong()).isEqualTo(1);
            assertThat(supermarket.get("rechargeAmount").asLong()).isEqualTo(30_00);
            assertThat(supermarket.get("fees").asLong()).as("the voided purchase carries none").isEqualTo(shopFee);
            assertThat(supermarket.get("deployerShare").asLong()).isEqualTo(share1 - refundShare);
            assertThat(supermarket.get("net").asLong()).isEqualTo((50_00 - fee1) - (10_00 - refundFee) - 30_00);
            assertThat(fee2).isPositive();
            final JsonNode coffeeShop = row(figures.get("merchants"), DemoSwitch.COFFEE);
            final long coffeeFees = halfUp(40_00, 6_000) + halfUp(10_00, 6_000) + halfUp(15_00, 6_000);
            assertThat(coffeeShop.get("purchases").asLong()).isEqualTo(3);
            assertThat(coffeeShop.get("purchaseAmount").asLong()).isEqualTo(65_00);
            assertThat(coffeeShop.get("fees").asLong()).isEqualTo(coffeeFees);
            assertThat(coffeeShop.get("net").asLong()).isEqualTo(65_00 - coffeeFees);
            assertThat(coffeeShop.get("declines").asLong()).isEqualTo(2);
            assertThat(coffeeShop.get("declinesByReason").get("INSUFFICIENT_BALANCE").asInt()).isEqualTo(1);
            assertThat(coffeeShop.get("declinesByReason").get("RECHARGE_NOT_PERMITTED_AT_MERCHANT").asInt()).isEqualTo(1);
            assertThat(row(figures.get("terminals"), COFFEE_TERMINAL_2).get("batchesSettled").asLong()).isEqualTo(1);
            assertThat(figures.get("feesPosted").asLong()).isEqualTo(shopFee + coffeeFees);
            final JsonNode deployers = figures.get("deployers");
            assertThat(deployers).hasSize(1);
            assertThat(deployers.get(0).get("id").asText()).isEqualTo("DEP01");
            assertThat(deployers.get(0).get("deployerShare").asLong()).isEqualTo(share1 - refundShare);

            // ---- reconciliation: recorded by the switch, failed by the batch that disagreed, settlement held
            final SwitchServer running = server;
            Await.until("the day's reconciliation recorded", WAIT,
                    () -> DemoSwitch.metric(running, "prepaid_reconciliation_held_days") == 1);
            final Answer reconciliation = http.get("/v1/reconciliation/" + iso(day1), finance);
            assertThat(reconciliation.status()).isEqualTo(200);
            assertThat(reconciliation.body().get("balanced").asBoolean()).isFalse();
            assertThat(reconciliation.body().get("held").asBoolean()).isTrue();
            final JsonNode batch = reconciliation.body().get("batches").get(0);
            assertThat(batch.get("terminalId").asText()).isEqualTo(COFFEE_TERMINAL_2);
            assertThat(batch.get("terminalDebitCount").asInt()).isEqualTo(1);
            assertThat(batch.get("ledgerDebitCount").asInt()).isEqualTo(2);
            final List<String> failed = new ArrayList<>();
            reconciliation.body().get("checks").forEach(c -> {
                if (!c.get("ok").asBoolean()) {
                    failed.add(c.get("name").asText());
                }
            });
            assertThat(failed).containsExactly("terminalBatches");
            assertThat(DemoSwitch.metric(running, "prepaid_reconciliation_failures_total")).isEqualTo(1);
            final Answer held = http.command(finance, "PREPARE_SETTLEMENT", "{}");
            assertThat(held.error()).as(held.toString()).isEqualTo("RECONCILIATION_FAILED");
            final Answer list = http.get("/v1/reconciliation", finance);
            assertThat(list.body().get("settlementHeld").asBoolean()).isTrue();
            assertThat(list.body().get("heldDays").get(0).asText()).isEqualTo(iso(day1));

            // ---- on demand: the same figures again; the same failure
            final Answer again = http.post("/v1/clearing/" + iso(day1), finance, "");
            assertThat(again.status()).as(again.toString()).isEqualTo(200);
            assertThat(again.body().get("balanced").asBoolean()).isFalse();
            assertThat(http.get(path + "?limit=500", finance).body()).isEqualTo(figures);
            assertThat(http.post("/v1/clearing/" + iso(day1), clerk, "").status()).isEqualTo(403);

            // ---- finance accepts the difference (the terminal's batch was uploaded): settlement is free again
            final Answer accepted = http.command(finance, "RECORD_RECONCILIATION", "{\"businessDate\":" + day1
                    + ",\"balanced\":true,\"summary\":\"batch of 20000002 uploaded and checked\"}");
            assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
            final Answer prepared = http.command(finance, "PREPARE_SETTLEMENT", "{}");
            assertThat(prepared.error()).as(prepared.toString()).isNotEqualTo("RECONCILIATION_FAILED");

            // ---- a merchant's own user: its merchant and its terminals only
            final String shop1 = http.login("shop1", "shop1-demo");
            final JsonNode own = http.get(path, shop1).body();
            assertThat(own.get("merchants").get("items")).hasSize(1);
            assertThat(own.get("merchants").get("items").get(0).get("id").asText()).isEqualTo(DemoSwitch.SUPERMARKET);
            own.get("terminals").get("items").forEach(t -> assertThat(t.get("merchantId").asText())
                    .isEqualTo(DemoSwitch.SUPERMARKET));
            assertThat(own.has("deployers")).isFalse();
            assertThat(own.has("feesPosted")).isFalse();
            assertThat(own.get("totals").get("fees").asLong()).isEqualTo(shopFee);
            final Answer other = http.get(path + "?merchant=" + DemoSwitch.COFFEE, shop1);
            assertThat(other.status()).isEqualTo(403);
            assertThat(other.error()).isEqualTo("OUTSIDE_MERCHANT_SCOPE");
            assertThat(http.get("/v1/reconciliation/" + iso(day1), shop1).status()).isEqualTo(403);
            final JsonNode filtered = http.get(path + "?terminal=" + SHOP_TERMINAL, finance).body();
            assertThat(filtered.get("terminals").get("items")).hasSize(1);

            // ---- bad input: the field named
            final Answer badDate = http.get("/v1/clearing/2026-13-01", finance);
            assertThat(badDate.status()).isEqualTo(400);
            assertThat(badDate.body().get("field").asText()).isEqualTo("date");
            assertThat(http.post("/v1/clearing/yesterday", finance, "").body().get("field").asText()).isEqualTo("date");
            assertThat(http.get(path + "?limit=0", finance).body().get("field").asText()).isEqualTo("limit");
            final Answer open = http.get("/v1/clearing/" + iso(CivilDate.yyyymmdd(CivilDate.epochDay(day1) + 1)), finance);
            assertThat(open.status()).as("the open day").isEqualTo(404);
            assertThat(open.error()).isEqualTo("NOT_CLEARED");
            final Answer notADay = http.post("/v1/clearing/2001-01-01", finance, "");
            assertThat(notADay.status()).isEqualTo(404);
            assertThat(notADay.error()).isEqualTo("NO_SUCH_DAY");
        } finally {
            server.close();
        }

        // ---- a day closed while the switch's clearing is off, then a start with it on: the day is caught up
        server = SwitchServer.start(withClearing(config, false));
        try (PosTerminal shop = DemoSwitch.terminal(server, SHOP_TERMINAL).stan(500).build()) {
            assertApproved(shop.purchase(DemoBusiness.giftCard(210), 12_00));
            day2 = cutover(server);
            assertThat(server.clearing().daysCleared()).isZero();
        } finally {
            server.close();
        }
        server = SwitchServer.start(withClearing(config, true));
        try {
            final SwitchServer started = server;
            Await.until("the day missed cleared", WAIT, () -> started.clearing().lastClearedDate() == day2);
            final AdminHttp http = AdminHttp.of(server);
            final String finance = http.login("finance", "finance-demo-new"); // changed at the first login
            final JsonNode figures = http.get("/v1/clearing/" + iso(day2), finance).body();
            final JsonNode supermarket = row(figures.get("merchants"), DemoSwitch.SUPERMARKET);
            assertThat(supermarket.get("purchases").asLong()).isEqualTo(1);
            assertThat(supermarket.get("purchaseAmount").asLong()).isEqualTo(12_00);
            assertThat(server.clearing().daysCleared()).as("only the day missed").isEqualTo(1);
            final JsonNode days = http.get("/v1/clearing", finance).body();
            assertThat(days.get("items").get(0).get("date").asText()).isEqualTo(iso(day2));
            assertThat(days.get("items").get(1).get("date").asText()).isEqualTo(iso(day1));
        } finally {
            server.close();
        }
    }
}
