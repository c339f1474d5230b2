package dev.prepaid.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.cluster.ClusterNode;
import dev.prepaid.cluster.LedgerService;
import dev.prepaid.config.SwitchConfig;
import dev.prepaid.ledger.Account;
import dev.prepaid.ledger.Ledger;
import dev.prepaid.pos.Card;
import dev.prepaid.pos.PosResult;
import dev.prepaid.pos.PosTerminal;
import dev.prepaid.testing.Await;
import io.aeron.cluster.service.Cluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three cluster members in this JVM, each with its switch front ({@link SwitchServer#startFront}) on the demo
 * configuration, and real terminals over TCP: the bootstrap is applied once though three fronts start together, a
 * terminal set up through one front is served by another, an operator's read sees what their command just did, and a
 * leader lost while a terminal buys through another front costs the terminal a wait, never an answer or a fen.
 */
class ClusterFrontEndToEndTest {
    private static final String PAN = "8888000100000017";
    private static final long WAIT_SECONDS = 60;

    @TempDir
    Path directory;

    private final ClusterNode[] nodes = new ClusterNode[3];
    private final SwitchServer[] fronts = new SwitchServer[3];
    private final ClusterFront[] clusterFronts = new ClusterFront[3];
    private final List<PosTerminal> terminals = new ArrayList<>();
    private ClusterNode.Members members;
    private SwitchConfig config;

    @AfterEach
    void stop() {
        terminals.forEach(PosTerminal::close);
        for (int m = 0; m < 3; m++) {
            if (fronts[m] != null) {
                fronts[m].close();
            }
            if (nodes[m] != null) {
                nodes[m].close();
            }
        }
    }

    @Test
    void threeFrontsServeOneLedgerAndALostLeaderCostsATerminalNothing() throws Exception {
        startCluster();
        // Bootstrapped once: every member holds the same business, and one audit trail was opened.
        awaitSameApplied();
        final long bootstrapped = nodes[0].service().applied();
        assertThat(bootstrapped).as("commands of one bootstrap").isGreaterThan(10);
        awaitSameDigests();

        // A terminal of the demo business buys through a front that did not bootstrap (a follower's, or the leader's).
        final PosTerminal first = terminal(1, "10000001");
        assertThat(first.signOn().responseCode()).isEqualTo("00");
        final PosResult purchase = first.purchase(card(), 1_234);
        assertThat(purchase.responseCode()).isEqualTo("00");
        assertThat(purchase.availableBalance()).isEqualTo(100_000 - 1_234);
        // Another front sees the purchase at once in its balance inquiry (its member has applied it, or waits to).
        final PosTerminal second = terminal(2, "10000002");
        assertThat(second.signOn().responseCode()).isEqualTo("00");
        assertThat(second.balance(card()).availableBalance()).isEqualTo(100_000 - 1_234);
        // An operator's read on a front waits for its member to have what the front was answered: the purchase is there.
        final long transactions = fronts[2].read(state -> (long) state.transactions().size()).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(transactions).isGreaterThanOrEqualTo(1);

        // An operator moves terminal 20000001 to X9.19 MACs through front 1: front 2's I/O threads check its MACs that
        // way at once, though front 2 never saw the command (its directory follows its member's ledger).
        final dev.prepaid.admin.Applied moved = fronts[1].submit(new dev.prepaid.command.Envelope(dev.prepaid.operator.Operator.SYSTEM_ID, 7_001, "test",
                "to X9.19"), new dev.prepaid.command.AdminCommand.UpsertTerminal("20000001", DemoSwitch.COFFEE,
                "DEMO-SN-0004", dev.prepaid.merchant.TerminalStatus.ACTIVE, dev.prepaid.merchant.MacAlgorithm.X9_19,
                "tmk.20000001", "", dev.prepaid.merchant.DeployerShareMethod.NONE, 0)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(moved.outcome().approved()).as("the terminal's change: %s", moved.outcome()).isTrue();
        awaitSameApplied();
        final PosTerminal x919 = DemoSwitch.terminal(fronts[2], "20000001")
                .macAlgorithm(dev.prepaid.security.MacFunction.X9_19).readTimeout(Duration.ofSeconds(30)).build();
        terminals.add(x919);
        assertThat(x919.signOn().responseCode()).isEqualTo("00");
        assertThat(x919.balance(card()).responseCode()).as("a balance inquiry MACed with X9.19 through front 2")
                .isEqualTo("00");

        // Operators over HTTP: a card frozen through front 1 is frozen as front 2 shows it, and the same request sent to
        // front 2 (an operator's retry landing on another host) is answered as the repeat it is, not applied again.
        final AdminHttp desk1 = AdminHttp.of(fronts[1]);
        final AdminHttp desk2 = AdminHttp.of(fronts[2]);
        final String clerk1 = desk1.login("clerk", "clerk-demo");
        final String clerk2 = desk2.login("clerk", "clerk-demo-new"); // the password changed at front 1, through the log
        // The logins the fronts recorded for the switch itself went with request ids, so a resend after a leader change
        // is a repeat, not a second login (or a second failure counted towards a lock-out).
        final long loginsWithoutId = fronts[2].read(state -> {
            long count = 0;
            for (int i = 0; i < state.audit().size(); i++) {
                if (state.audit().type(i) == dev.prepaid.command.CommandType.RECORD_LOGIN.code
                        && state.audit().requestId(i) == 0) {
                    count++;
                }
            }
            return count;
        }).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(loginsWithoutId).as("logins recorded without a request id").isZero();
        final String frozenPan = "8888000100000066";
        final long freezeId = AdminHttp.requestId();
        final AdminHttp.Answer frozen = desk1.command(clerk1, "FREEZE_CARD", freezeId, "{\"pan\":\"" + frozenPan + "\"}");
        assertThat(frozen.status()).as(frozen.toString()).isEqualTo(200);
        assertThat(desk2.get("/v1/cards/" + frozenPan, clerk2).body().get("status").asText()).isEqualTo("FROZEN");
        final AdminHttp.Answer retried = desk2.command(clerk2, "FREEZE_CARD", freezeId, "{\"pan\":\"" + frozenPan + "\"}");
        assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
        assertThat(retried.body().path("duplicate").asBoolean()).as("answered as a repeat: %s", retried).isTrue();

        // The leader goes while a terminal on another front keeps buying: every purchase is answered, approved once.
        final int leader = leaderMember();
        final int serving = (leader + 1) % 3;
        final PosTerminal buyer = terminal(serving, "10000003");
        assertThat(buyer.signOn().responseCode()).isEqualTo("00");
        final long valueBefore = cardValue((leader + 2) % 3);
        final AtomicBoolean keepBuying = new AtomicBoolean(true);
        final AtomicLong approved = new AtomicLong();
        final List<String> refused = new ArrayList<>();
        final CompletableFuture<Void> buying = CompletableFuture.runAsync(() -> {
            int next = 0;
            while (keepBuying.get()) {
                // Corporate gift cards in turn, so no card meets its daily count of transactions.
                final PosResult bought = buyer.purchase(dev.prepaid.demo.DemoBusiness.corporateGiftCard(next++ % 1_000), 10);
                if (bought.approved()) {
                    approved.addAndGet(10);
                } else {
                    refused.add(bought.status() + " " + bought.responseCode() + " " + bought.detail());
                    return;
                }
            }
        });
        TimeUnit.MILLISECONDS.sleep(500);
        fronts[leader].close();
        fronts[leader] = null;
        nodes[leader].close();
        nodes[leader] = null;
        Await.until("a new leader", Duration.ofSeconds(WAIT_SECONDS), () -> leaderMember() >= 0);
        final long answeredAtChange = approved.get();
        Await.until("purchases answered under the new leader", Duration.ofSeconds(WAIT_SECONDS),
                () -> approved.get() >= answeredAtChange + 10 * 100 || buying.isDone());
        keepBuying.set(false);
        buying.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(refused).as("purchases not approved").isEmpty();
        assertThat(clusterFronts[serving].leader()).as("the leader the serving front follows now").isNotEqualTo(leader)
                .isGreaterThanOrEqualTo(0);
        final String metricsText = fronts[serving].metricsText();
        assertThat(DemoSwitch.metric(metricsText, "prepaid_cluster_leader")).isEqualTo(clusterFronts[serving].leader());
        assertThat(DemoSwitch.metric(metricsText, "prepaid_cluster_member")).isEqualTo(serving);
        assertThat(metricsText).contains("prepaid_cluster_resends_total ").contains("prepaid_pos_transactions_total{");

        awaitSameDigests();
        for (int m = 0; m < 3; m++) {
            if (nodes[m] != null) {
                assertThat(valueBefore - cardValue(m)).as("stored value spent, member %d", m).isEqualTo(approved.get());
            }
        }
        assertThat(approved.get()).as("spent before and after the leader went").isGreaterThan(answeredAtChange);
        assertThat(buyer.balance(card()).availableBalance()).as("the first card, untouched since").isEqualTo(100_000 - 1_234);

        // The lost member comes back with its front: the front serves only once its member has what the cluster has.
        final long clusterHas = nodes[serving].service().applied();
        nodes[leader] = ClusterNode.start(members, leader, directory.resolve("member-" + leader), config.ledger(),
                new LedgerService.Business(config.business().timeZone(), config.business().cutoverTime(),
                        config.business().holdExpiryCheckSeconds()),
                frontConfig(leader).journal().journal(), new ClusterNode.Timing(100, 1_000, 10_000));
        clusterFronts[leader] = new ClusterFront(nodes[leader], members);
        fronts[leader] = SwitchServer.startFront(frontConfig(leader), clusterFronts[leader]);
        assertThat(nodes[leader].service().applied()).as("the returning member, when its front serves")
                .isGreaterThanOrEqualTo(clusterHas);
        final PosTerminal returning = terminal(leader, "10000002");
        assertThat(returning.signOn().responseCode()).isEqualTo("00");
        assertThat(returning.balance(card()).availableBalance()).isEqualTo(100_000 - 1_234);
        awaitSameDigests();
    }

    private void startCluster() throws Exception {
        config = DemoSwitch.config(directory);
        final int portBase = 26_000 + new SplittableRandom().nextInt(300) * 10;
        members = new ClusterNode.Members(List.of("localhost", "localhost", "localhost"), portBase);
        final LedgerService.Business business = new LedgerService.Business(config.business().timeZone(),
                config.business().cutoverTime(), config.business().holdExpiryCheckSeconds());
        for (int m = 0; m < 3; m++) {
            nodes[m] = ClusterNode.start(members, m, directory.resolve("member-" + m), config.ledger(), business,
                    frontConfig(m).journal().journal(), new ClusterNode.Timing(100, 1_000, 10_000));
        }
        // The three fronts start together, as three machines would: member 0's bootstraps, the others wait for nothing.
        final List<CompletableFuture<SwitchServer>> starting = new ArrayList<>();
        for (int m = 0; m < 3; m++) {
            final int member = m;
            clusterFronts[m] = new ClusterFront(nodes[member], members);
            starting.add(CompletableFuture.supplyAsync(() -> SwitchServer.startFront(frontConfig(member),
                    clusterFronts[member])));
        }
        for (int m = 0; m < 3; m++) {
            fronts[m] = starting.get(m).get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    private SwitchConfig frontConfig(final int member) {
        return config.withJournalDirectory(directory.resolve("member-" + member).resolve("journal"));
    }

    private PosTerminal terminal(final int front, final String terminalId) {
        final PosTerminal terminal = DemoSwitch.terminal(fronts[front], terminalId).readTimeout(Duration.ofSeconds(30))
                .build();
        terminals.add(terminal);
        return terminal;
    }

    private static Card card() {
        return DemoSwitch.manual(PAN, "123456");
    }

    private int leaderMember() {
        for (int m = 0; m < 3; m++) {
            if (nodes[m] != null && nodes[m].service().role() == Cluster.Role.LEADER) {
                return m;
            }
        }
        return -1;
    }

    private void awaitSameApplied() throws InterruptedException {
        Await.until("every member to apply the same commands", Duration.ofSeconds(WAIT_SECONDS), () -> {
            long applied = -1;
            for (final ClusterNode node : nodes) {
                if (node == null) {
                    continue;
                }
                if (applied >= 0 && node.service().applied() != applied) {
                    return false;
                }
                applied = node.service().applied();
            }
            return true;
        });
    }

    /**
     * The members apply the same log, each at its own pace, and the fronts' own commands (the reconciliations of their
     * clearing) may arrive between two readings: the digests must meet, once the members stand at the same command.
     */
    private void awaitSameDigests() throws InterruptedException {
        Await.until("the members' digests to be equal at the same command", Duration.ofSeconds(WAIT_SECONDS), () -> {
            try {
                final long before = nodes[leaderMember()].service().applied();
                final List<String> digests = digests();
                return digests.stream().distinct().count() == 1 && nodes[leaderMember()].service().applied() == before;
            } catch (final Exception e) {
                return false;
            }
        });
    }

    private List<String> digests() throws Exception {
        final List<String> digests = new ArrayList<>();
        for (int m = 0; m < 3; m++) {
            if (nodes[m] != null) {
                digests.add(digest(m));
            }
        }
        return digests;
    }

    private String digest(final int member) throws Exception {
        return nodes[member].service().inspect(Ledger::digest).thenApply(HexFormat.of()::formatHex)
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private long cardValue(final int member) throws Exception {
        return nodes[member].service().inspect(l -> l.state().books().balance(Account.CARD_VALUE))
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
}
