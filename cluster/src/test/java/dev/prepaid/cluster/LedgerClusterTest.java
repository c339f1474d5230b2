package dev.prepaid.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.command.Outcome;
import dev.prepaid.journal.Durability;
import dev.prepaid.journal.JournalConfig;
import dev.prepaid.journal.Replay;
import dev.prepaid.command.PosKind;
import dev.prepaid.command.PosRequest;
import dev.prepaid.ledger.Account;
import dev.prepaid.ledger.Ledger;
import dev.prepaid.ledger.LedgerConfig;
import dev.prepaid.workload.Workload;
import io.aeron.cluster.ClusterTool;
import io.aeron.cluster.service.Cluster;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three members of a ledger cluster in this JVM (each its own media driver, archive, consensus module and ledger, on
 * loopback UDP), a gateway, and the workload's business: what the cluster must keep through a lost leader, a member
 * restarted behind the others, and a restart of the whole cluster.
 */
class LedgerClusterTest {
    private static final LedgerConfig LEDGER = LedgerConfig.small();
    private static final int CARDS = 200;
    private static final int TERMINALS = 4;
    private static final long WAIT_SECONDS = 60;
    /** Cut-overs at midnight in Shanghai, holds released every minute: neither fires during a test of seconds. */
    private LedgerService.Business business = BUSINESS;
    private static final LedgerService.Business BUSINESS = new LedgerService.Business(java.time.ZoneId.of("Asia/Shanghai"),
            java.time.LocalTime.MIDNIGHT, 60);

    @TempDir
    Path directory;

    private final ClusterNode[] nodes = new ClusterNode[3];
    private ClusterNode.Members members;
    private ClusterGateway gateway;
    private final Map<Long, Outcome> answers = new ConcurrentHashMap<>();
    private final AtomicInteger answeredTwice = new AtomicInteger();
    /** The longest time between two answers, and when the last came (the gateway's thread writes them). */
    private volatile long longestSilenceNanos;
    private volatile long lastAnswerNanos;

    @AfterEach
    void stop() {
        CloseHelper.quietClose(gateway);
        for (final ClusterNode node : nodes) {
            CloseHelper.quietClose(node);
        }
    }

    @Test
    void theAeronClusterOfThisBuildRunsOnTheProjectsAgrona() {
        // Aeron 1.51.0 was built on Agrona 2.4.1; the project pins 2.6.0, and the cluster tests below run on it.
        assertThat(org.agrona.DirectBuffer.class.getProtectionDomain().getCodeSource().getLocation().toString())
                .contains("agrona-2.6.0");
        assertThat(io.aeron.cluster.ClusteredMediaDriver.class.getProtectionDomain().getCodeSource().getLocation().toString())
                .contains("aeron-cluster-1.51.0");
    }

    @Test
    void aLeaderLostUnderLoadLosesNoApprovalAndAppliesNothingTwice() throws Exception {
        startCluster();
        connectGateway();
        final long setUp = setUpBusiness();
        final long valueBefore = leaderService().inspect(l -> l.state().books().balance(Account.CARD_VALUE)).get();

        final int purchases = 3_000;
        final ClusterNode leader = leaderNode();
        lastAnswerNanos = 0;
        longestSilenceNanos = 0;
        final SplittableRandom random = new SplittableRandom(13);
        final UnsafeBuffer pos = new UnsafeBuffer(new byte[PosRequest.LENGTH]);
        final PosRequest request = new PosRequest();
        for (int i = 0; i < purchases; i++) {
            final int terminal = i % TERMINALS;
            request.wrapForEncode(pos, 0).kind(PosKind.PURCHASE).terminalId(Workload.terminalId(terminal))
                    .merchantId(Workload.merchantId(0)).batch(1).stan(100_000 + i / TERMINALS).entryMode(21)
                    .amount(1 + random.nextInt(300)).pan(Workload.pan(64 + random.nextInt(CARDS - 64)));
            gateway.submit(setUp + i, pos, 0, PosRequest.LENGTH);
            if (i == purchases / 3) {
                // Under load, the leader goes: its consensus module, archive, driver and ledger stop at once.
                leader.close();
                nodes[leader.member()] = null;
            }
            if (i % 100 == 99) {
                final long sent = setUp + i;
                await("answers to within 1,000 of what was sent", () -> answers.size() >= sent - 1_000);
            }
        }
        await("every purchase answered", () -> answers.size() == setUp + purchases);
        // A figure, not a check (timing belongs in benchmarks): how long the terminals saw no answer at all.
        System.out.printf("leader lost under load: longest time without an answer %.0f ms (heartbeat timeout 1,000 ms),"
                + " %d commands sent again%n", longestSilenceNanos / 1e6, gateway.resends());

        assertThat(answeredTwice).as("commands answered twice").hasValue(0);
        assertThat(gateway.leaderChanges()).as("leader changes the gateway saw").isGreaterThanOrEqualTo(1);
        assertThat(gateway.leader()).isNotEqualTo(leader.member());
        long approvedAmount = 0;
        int approved = 0;
        for (long c = setUp; c < setUp + purchases; c++) {
            final Outcome answer = answers.get(c);
            if (answer.approved()) {
                approved++;
                approvedAmount += answer.cardAmount;
            }
        }
        assertThat(approved).as("approved purchases").isGreaterThan(purchases / 2);
        final List<ClusterNode> survivors = running();
        assertThat(survivors).hasSize(2);
        awaitSameApplied(survivors);
        final String digest = digest(survivors.get(0));
        assertThat(digest(survivors.get(1))).as("the survivors' state digests").isEqualTo(digest);
        for (final ClusterNode node : survivors) {
            assertThat(node.service().inspect(l -> l.state().books().balance(Account.CARD_VALUE)).get())
                    .as("stored value on member %d: before, less every approval a terminal was given, once", node.member())
                    .isEqualTo(valueBefore - approvedAmount);
        }

        for (final ClusterNode node : survivors) {
            assertThat(digestOfJournal(node.member())).as("member %d's journal replayed", node.member()).isEqualTo(digest);
        }

        // The lost member comes back on its own directory, behind by what it missed, and catches up; its journal goes
        // on after its last record, nothing in it twice.
        nodes[leader.member()] = startNode(leader.member());
        awaitSameApplied(running());
        assertThat(digest(nodes[leader.member()])).as("the restarted member's digest").isEqualTo(digest);
        assertThat(digestOfJournal(leader.member())).as("the restarted member's journal replayed").isEqualTo(digest);
    }

    @Test
    void aMemberAndThenTheWholeClusterRestartFromTheirSnapshotsAndLogs() throws Exception {
        startCluster();
        connectGateway();
        final long setUp = setUpBusiness();
        final Workload workload = new Workload(CARDS, TERMINALS, 5, 500_000);
        workload.setup(); // the stream's own state (terminals, batches) as after its set-up
        long correlation = setUp;
        correlation = sendWorkload(workload, correlation, 1_500);
        final long snapshotAt = correlation;
        assertThat(ClusterTool.snapshot(leaderNodeDirectory().resolve("cluster").toFile(),
                new PrintStream(PrintStream.nullOutputStream()))).as("a snapshot taken").isTrue();
        correlation = sendWorkload(workload, correlation, 1_500);
        awaitSameApplied(running());
        final String beforeRestarts = digest(nodes[0]);

        // A follower stopped, more traffic, the follower back: it loads the snapshot and replays the log after it.
        final int follower = followerMember();
        nodes[follower].close();
        nodes[follower] = null;
        correlation = sendWorkload(workload, correlation, 1_000);
        nodes[follower] = startNode(follower);
        awaitSameApplied(running());
        final String afterFollower = digest(nodes[0]);
        assertThat(afterFollower).isNotEqualTo(beforeRestarts);
        for (final ClusterNode node : running()) {
            assertThat(digest(node)).as("member %d after the follower's return", node.member()).isEqualTo(afterFollower);
            assertThat(digestOfJournal(node.member())).as("member %d's journal", node.member()).isEqualTo(afterFollower);
        }
        assertThat(nodes[follower].service().loadedFromSnapshotAt()).as("the follower started from the snapshot")
                .isGreaterThan(0);

        // The whole cluster stopped and started: the same state on every member, and it goes on taking commands.
        gateway.close();
        gateway = null;
        for (int m = 0; m < nodes.length; m++) {
            nodes[m].close();
            nodes[m] = null;
        }
        startCluster();
        awaitSameApplied(running());
        for (final ClusterNode node : running()) {
            assertThat(digest(node)).as("member %d after the whole cluster restarted", node.member()).isEqualTo(afterFollower);
        }
        connectGateway();
        answers.clear();
        sendWorkload(workload, 0, 200);
        assertThat(answers).hasSize(200);
        awaitSameApplied(running());
        assertThat(digest(nodes[1])).isEqualTo(digest(nodes[0])).isEqualTo(digest(nodes[2]));
        assertThat(snapshotAt).isGreaterThan(setUp);
    }

    @Test
    void theCutoverAndTheExpiryOfHoldsAreClusterTimersEveryMemberAppliesAlike() throws Exception {
        final java.time.ZoneId zone = java.time.ZoneOffset.UTC;
        business = new LedgerService.Business(zone, java.time.LocalTime.of(2, 0), 1);
        startCluster();
        connectGateway();
        final long setUp = setUpBusiness();
        // Not before they are asked for: a bootstrap's own cut-overs must not meet a timer's.
        TimeUnit.MILLISECONDS.sleep(1_500);
        assertThat(leaderService().applied()).as("nothing applied before the timers are started").isEqualTo(setUp);
        gateway.startTimers(-1);

        // The set-up's cut-over put the business on Workload.FIRST_DATE, long before the log's time: the cut-over timer
        // catches it up to today, as a switch does at its start, and hold expiry runs every second, all without a
        // command being sent.
        final int today = dev.prepaid.time.BusinessDays.dateAt(java.time.Instant.now(), zone, business.cutover());
        await("the cut-over applied by every member", () -> running().stream().allMatch(n -> dateOf(n) == today));
        final long afterCutover = leaderService().applied();
        await("hold expiry run twice more", () -> leaderService().applied() >= afterCutover + 2);
        awaitSameApplied(running());
        assertThat(leaderService().applied()).as("commands applied beyond the set-up: timers'").isGreaterThan(setUp + 2);
        for (final ClusterNode node : running()) {
            assertThat(dateOf(node)).as("member %d's business date", node.member()).isEqualTo(today);
            assertThat(digest(node)).as("member %d's digest", node.member()).isEqualTo(digest(nodes[0]));
        }
    }

    private static int dateOf(final ClusterNode node) {
        try {
            return node.service().inspect(l -> l.state().businessDate()).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (final Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private void startCluster() {
        if (members == null) {
            members = new ClusterNode.Members(List.of("localhost", "localhost", "localhost"), freePortBase());
        }
        for (int m = 0; m < nodes.length; m++) {
            nodes[m] = startNode(m);
        }
        await("a leader elected", () -> Arrays.stream(nodes).anyMatch(n -> n.service().role() == Cluster.Role.LEADER));
    }

    private ClusterNode startNode(final int member) {
        return ClusterNode.start(members, member, directory.resolve("member-" + member), LEDGER, business,
                journalOf(member), new ClusterNode.Timing(100, 1_000, 10_000));
    }

    private void connectGateway() {
        gateway = ClusterGateway.connect(members.ingressEndpoints(), "localhost", directory.resolve("gateway"), 2_000,
                (correlation, sequence, timestamp, outcome) -> {
                    final Outcome copy = new Outcome();
                    copy.copyFrom(outcome);
                    if (answers.put(correlation, copy) != null) {
                        answeredTwice.incrementAndGet();
                    }
                    final long now = System.nanoTime();
                    if (lastAnswerNanos != 0) {
                        longestSilenceNanos = Math.max(longestSilenceNanos, now - lastAnswerNanos);
                    }
                    lastAnswerNanos = now;
                });
    }

    /** The workload's set-up, one command at a time (request id 0: not to be resent), answered; returns its count. */
    private long setUpBusiness() {
        final List<byte[]> setup = new Workload(CARDS, TERMINALS, 5, 0).setup();
        for (int i = 0; i < setup.size(); i++) {
            final byte[] command = setup.get(i);
            gateway.submit(i, new UnsafeBuffer(command), 0, command.length);
            final int answered = i + 1;
            await("set-up command " + i, () -> answers.size() == answered);
            assertThat(answers.get((long) i).approved()).as("set-up command %d: %s", i, answers.get((long) i)).isTrue();
        }
        return setup.size();
    }

    private long sendWorkload(final Workload workload, final long from, final int count) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
        final int before = answers.size();
        for (int i = 0; i < count; i++) {
            final int length = workload.next(buffer, 0);
            gateway.submit(from + i, buffer, 0, length);
        }
        await(count + " workload commands answered", () -> answers.size() == before + count);
        return from + count;
    }

    private List<ClusterNode> running() {
        final List<ClusterNode> up = new ArrayList<>();
        for (final ClusterNode node : nodes) {
            if (node != null) {
                up.add(node);
            }
        }
        return up;
    }

    private ClusterNode leaderNode() {
        await("a leader", () -> running().stream().anyMatch(n -> n.service().role() == Cluster.Role.LEADER));
        return running().stream().filter(n -> n.service().role() == Cluster.Role.LEADER).findFirst().orElseThrow();
    }

    private LedgerService leaderService() {
        return leaderNode().service();
    }

    private Path leaderNodeDirectory() {
        return directory.resolve("member-" + leaderNode().member());
    }

    private int followerMember() {
        return running().stream().filter(n -> n.service().role() == Cluster.Role.FOLLOWER).findFirst().orElseThrow().member();
    }

    private void awaitSameApplied(final List<ClusterNode> up) {
        await("members " + up.stream().map(ClusterNode::member).toList() + " at the same command", () -> {
            final long first = up.get(0).service().applied();
            return first > 0 && up.stream().allMatch(n -> n.service().applied() == first);
        });
    }

    private JournalConfig journalOf(final int member) {
        return JournalConfig.of(directory.resolve("member-" + member).resolve("journal"), Durability.PROCESS);
    }

    /** The digest of a fresh ledger fed the member's journal: what clearing and the journal tools would see. */
    private String digestOfJournal(final int member) {
        final Replay.Result replayed = Replay.run(journalOf(member), LEDGER, 1, Long.MAX_VALUE, false,
                (sequence, timestamp, command, offset, length, outcome) -> {
                });
        return HexFormat.of().formatHex(replayed.ledger().digest());
    }

    private static String digest(final ClusterNode node) throws Exception {
        return node.service().inspect(Ledger::digest).thenApply(HexFormat.of()::formatHex).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static void await(final String what, final BooleanSupplier condition) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT_SECONDS + " s: " + what);
            }
            Thread.onSpinWait();
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    /** A base port whose members' ports are free on this machine now (UDP). */
    private static int freePortBase() {
        final SplittableRandom random = new SplittableRandom();
        for (int attempt = 0; attempt < 100; attempt++) {
            final int base = 20_000 + random.nextInt(2_000) * 10;
            boolean free = true;
            for (int port = base; port < base + 3 * 10 && free; port++) {
                try (DatagramSocket socket = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
                    free = socket.isBound();
                } catch (final java.io.IOException e) {
                    free = false;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no free ports for a test cluster");
    }
}
