package dev.prepaid.cluster.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.cluster.ClusterGateway;
import dev.prepaid.cluster.ClusterNode;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.PosKind;
import dev.prepaid.command.PosRequest;
import dev.prepaid.config.SwitchConfig;
import dev.prepaid.journal.Replay;
import dev.prepaid.ledger.Account;
import dev.prepaid.ledger.Ledger;
import dev.prepaid.testing.ProjectFiles;
import dev.prepaid.workload.Workload;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/prepaid cluster} for real: three member processes, a gateway in this one, the leader's process killed with
 * SIGKILL under load. Every approval the gateway was given is in the survivors' journals once, they replay to the same
 * state, and the killed member, started again, catches up to it; a leader frozen with SIGSTOP (cut off, not gone) is
 * replaced, and when it resumes it follows the new leader and catches up.
 */
class ClusterProcessesTest {
    private static final Path DEMO = ProjectFiles.root().resolve("config/demo/switch.yaml");
    private static final int CARDS = 200;
    private static final int TERMINALS = 4;
    private static final long WAIT_SECONDS = 90;

    @TempDir
    Path directory;

    private ClusterGateway gateway;
    private final Map<Long, Outcome> answers = new ConcurrentHashMap<>();

    @AfterEach
    void stopEverything() throws Exception {
        CloseHelper.quietClose(gateway);
        for (int m = 0; m < ClusterLayout.MEMBERS; m++) {
            final ClusterLayout.Status status = ClusterLayout.readStatus(directory, m);
            if (status != null && ProcessHandle.of(status.pid()).isPresent()) {
                new ProcessBuilder("kill", "-CONT", Long.toString(status.pid())).start().waitFor();
            }
        }
        command("stop");
        for (int m = 0; m < ClusterLayout.MEMBERS; m++) {
            final ClusterLayout.Status status = ClusterLayout.readStatus(directory, m);
            if (status != null) {
                ProcessHandle.of(status.pid()).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void aLeaderKilledUnderLoadLosesNothingAndTheKilledMemberCatchesUp() throws Exception {
        final int portBase = 23_000 + new SplittableRandom().nextInt(500) * 10;
        final long setUp = startAndSetUp(portBase);
        final int leader = memberWithRole("LEADER");
        final long approvedAmount = purchasesLosingTheLeader(setUp, 2_000,
                () -> ProcessHandle.of(ClusterLayout.readStatus(directory, leader).pid()).orElseThrow().destroyForcibly());
        assertThat(gateway.leader()).as("the member leading now").isNotEqualTo(leader);
        assertThat(command("status")).contains("2 of 3 members running").contains("DOWN");

        // The journals are read with the members stopped: what a clearing on any of them would read.
        gateway.close();
        gateway = null;
        command("stop");
        final SwitchConfig config = SwitchConfig.load(DEMO, ProjectFiles.root());
        final long valueAfterSetUp = replay(config, leader, setUp).ledger().state().books().balance(Account.CARD_VALUE);
        String digest = null;
        for (int m = 0; m < ClusterLayout.MEMBERS; m++) {
            if (m == leader) {
                continue;
            }
            final Ledger ledger = replay(config, m, Long.MAX_VALUE).ledger();
            assertThat(ledger.state().books().balance(Account.CARD_VALUE))
                    .as("member %d: stored value less every approval the terminals were given, once", m)
                    .isEqualTo(valueAfterSetUp - approvedAmount);
            final String hex = HexFormat.of().formatHex(ledger.digest());
            assertThat(digest == null ? hex : digest).as("member %d's journal replayed", m).isEqualTo(hex);
            digest = hex;
        }

        // All three started again: the killed member catches up from the others, and its journal goes on from its end.
        assertThat(command("start", "--config", DEMO.toString(), "--port-base", Integer.toString(portBase)))
                .contains("3 of 3 members running");
        final long expected = replay(config, (leader + 1) % 3, Long.MAX_VALUE).lastSequence();
        await("the killed member caught up", () -> {
            final ClusterLayout.Status status = ClusterLayout.readStatus(directory, leader);
            return status != null && status.applied() >= expected;
        });
        command("stop");
        final String after = HexFormat.of().formatHex(replay(config, (leader + 1) % 3, Long.MAX_VALUE).ledger().digest());
        for (int m = 0; m < ClusterLayout.MEMBERS; m++) {
            assertThat(HexFormat.of().formatHex(replay(config, m, Long.MAX_VALUE).ledger().digest()))
                    .as("member %d after the restart", m).isEqualTo(after);
        }
    }

    @Test
    void aLeaderStoppedUnderLoadIsReplacedAndRejoinsAsAFollowerWhenItResumes() throws Exception {
        final int portBase = 23_000 + new SplittableRandom().nextInt(500) * 10;
        final long setUp = startAndSetUp(portBase);
        final int leader = memberWithRole("LEADER");
        final long pid = ClusterLayout.readStatus(directory, leader).pid();
        // SIGSTOP: the process is frozen, not gone, as a member cut off from the others would be.
        final long approvedAmount = purchasesLosingTheLeader(setUp, 2_000, () -> signal("STOP", pid));
        final int now = gateway.leader();
        assertThat(now).as("the member leading now").isNotEqualTo(leader);
        signal("CONT", pid);
        await("the old leader back as a follower, caught up", () -> {
            final ClusterLayout.Status old = ClusterLayout.readStatus(directory, leader);
            final ClusterLayout.Status current = ClusterLayout.readStatus(directory, now);
            return old.fresh(System.currentTimeMillis()) && "FOLLOWER".equals(old.role())
                    && old.applied() == current.applied();
        });
        gateway.close();
        gateway = null;
        command("stop");
        final SwitchConfig config = SwitchConfig.load(DEMO, ProjectFiles.root());
        final long valueAfterSetUp = replay(config, now, setUp).ledger().state().books().balance(Account.CARD_VALUE);
        final String digest = HexFormat.of().formatHex(replay(config, now, Long.MAX_VALUE).ledger().digest());
        for (int m = 0; m < ClusterLayout.MEMBERS; m++) {
            final Ledger ledger = replay(config, m, Long.MAX_VALUE).ledger();
            assertThat(ledger.state().books().balance(Account.CARD_VALUE)).as("member %d's stored value", m)
                    .isEqualTo(valueAfterSetUp - approvedAmount);
            assertThat(HexFormat.of().formatHex(ledger.digest())).as("member %d's journal replayed", m).isEqualTo(digest);
        }
    }

    /** Starts the three members, connects the gateway and applies the workload's set-up; returns its count. */
    private long startAndSetUp(final int portBase) throws Exception {
        final String started = command("start", "--config", DEMO.toString(), "--port-base", Integer.toString(portBase));
        assertThat(started).contains("LEADER").contains("3 of 3 members running");
        final ClusterNode.Members members = ClusterLayout.members(List.of("localhost", "localhost", "localhost"), portBase);
        gateway = ClusterGateway.connect(members.ingressEndpoints(), "localhost", directory.resolve("gateway"), 2_000,
                (correlation, sequence, timestamp, outcome) -> {
                    final Outcome copy = new Outcome();
                    copy.copyFrom(outcome);
                    answers.put(correlation, copy);
                });
        final List<byte[]> setup = new Workload(CARDS, TERMINALS, 5, 0).setup();
        for (int i = 0; i < setup.size(); i++) {
            gateway.submit(i, new UnsafeBuffer(setup.get(i)), 0, setup.get(i).length);
            final int answered = i + 1;
            await("set-up command " + i, () -> answers.size() == answered);
            assertThat(answers.get((long) i).approved()).as("set-up %d: %s", i, answers.get((long) i)).isTrue();
        }
        return setup.size();
    }

    /** Purchases through the gateway; a quarter of the way in, the leader is lost; returns the amount approved. */
    private long purchasesLosingTheLeader(final long setUp, final int purchases, final Runnable loseTheLeader) {
        final SplittableRandom random = new SplittableRandom(29);
        final UnsafeBuffer pos = new UnsafeBuffer(new byte[PosRequest.LENGTH]);
        final PosRequest request = new PosRequest();
        for (int i = 0; i < purchases; i++) {
            request.wrapForEncode(pos, 0).kind(PosKind.PURCHASE).terminalId(Workload.terminalId(i % TERMINALS))
                    .merchantId(Workload.merchantId(0)).batch(1).stan(200_000 + i / TERMINALS).entryMode(21)
                    .amount(1 + random.nextInt(300)).pan(Workload.pan(64 + random.nextInt(CARDS - 64)));
            gateway.submit(setUp + i, pos, 0, PosRequest.LENGTH);
            if (i == purchases / 4) {
                loseTheLeader.run();
            }
            if (i % 100 == 99) {
                final long sent = setUp + i;
                await("answers to within 1,000 of what was sent", () -> answers.size() >= sent - 1_000);
            }
        }
        await("every purchase answered", () -> answers.size() == setUp + purchases);
        long approvedAmount = 0;
        for (long c = setUp; c < setUp + purchases; c++) {
            if (answers.get(c).approved()) {
                approvedAmount += answers.get(c).cardAmount;
            }
        }
        return approvedAmount;
    }

    /**
     * The failover as terminals see it: every member serves (its front), demo terminals buy over TCP through a
     * follower's front, the leader's process (member and front) is SIGKILLed. The terminal waits, then is answered:
     * every purchase approved, once. The killed member is started again and catches up; in the long profile the new
     * leader is killed in its turn, round after round (a terminal whose front is lost moves to another). At the end all
     * three journals hold one state: the stored value less exactly the approvals.
     */
    @Test
    void terminalsBuyingThroughAFrontAreAnsweredAgainWhenTheLeadersProcessIsKilled() throws Exception {
        final int portBase = 23_000 + new SplittableRandom().nextInt(500) * 10;
        final int posBase = 31_000 + new SplittableRandom().nextInt(300) * 30;
        final Path config = servingDemo(posBase);
        // The members resolve the configuration's relative paths (the dialect) from the installation, as bin/prepaid's do.
        final String home = System.getProperty(SwitchConfig.HOME_PROPERTY);
        System.setProperty(SwitchConfig.HOME_PROPERTY, ProjectFiles.root().toString());
        try {
            buyThroughAFrontWhileTheLeaderIsKilled(portBase, posBase, config);
        } finally {
            if (home == null) {
                System.clearProperty(SwitchConfig.HOME_PROPERTY);
            } else {
                System.setProperty(SwitchConfig.HOME_PROPERTY, home);
            }
        }
    }

    private void buyThroughAFrontWhileTheLeaderIsKilled(final int portBase, final int posBase, final Path config)
            throws Exception {
        final String[] start = {"start", "--serve", "--config", config.toString(), "--port-base", Integer.toString(portBase)};
        final String started = command(start);
        assertThat(started).contains("LEADER").contains("3 of 3 members running").contains("POS " + posBase);
        final SwitchConfig switchConfig = SwitchConfig.load(config, ProjectFiles.root());
        final dev.prepaid.iso8583.Dialect dialect = dev.prepaid.iso8583.Dialect.load(switchConfig.dialect());
        // The bootstrap is in once member 0's front serves; a status a moment later has it (rewritten every 500 ms).
        TimeUnit.MILLISECONDS.sleep(1_200);
        final long setUp = ClusterLayout.readStatus(directory, memberWithRole("LEADER")).applied();
        long approved = 0;
        int card = 0;
        dev.prepaid.pos.PosTerminal pos = null;
        int front = -1;
        try {
            for (int round = 1; round <= failoverRounds(); round++) {
                final int leader = memberWithRole("LEADER");
                if (pos == null || front == leader) {
                    // The terminal's host is the one to lose: it connects to another front and signs on there, its
                    // STAN and batch going on (a terminal keeps them across hosts).
                    front = (leader + 1) % 3;
                    final dev.prepaid.pos.PosTerminal next = demoTerminal(dialect, front);
                    if (pos != null) {
                        next.restore(pos.stan(), pos.batch(), pos.batchEntries(), pos.pendingReversal());
                        pos.close();
                    }
                    pos = next;
                    assertThat(pos.signOn().responseCode()).isEqualTo("00");
                }
                boolean killed = false;
                long longestMillis = 0;
                for (int i = 0; i < 150; i++) {
                    // By count, not time: a warm terminal buys 150 times within a second.
                    if (i == 30) {
                        ProcessHandle.of(ClusterLayout.readStatus(directory, leader).pid()).orElseThrow().destroyForcibly();
                        killed = true;
                    }
                    final long sent = System.nanoTime();
                    final dev.prepaid.pos.PosResult bought = pos.purchase(
                            dev.prepaid.demo.DemoBusiness.corporateGiftCard(card++ % 1_000), 25);
                    longestMillis = Math.max(longestMillis, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent));
                    assertThat(bought.responseCode()).as("round %d, purchase %d: %s", round, card, bought.detail())
                            .isEqualTo("00");
                    approved += 25;
                }
                assertThat(killed).as("round %d: the leader killed during the purchases", round).isTrue();
                System.out.printf("round %d: terminal through member %d's front, longest wait %d ms; member %d killed%n",
                        round, front, longestMillis, leader);
                assertThat(command("status")).contains("2 of 3 members running");
                // The killed member comes back (its front too, once it has caught up) before the next round.
                assertThat(command(start)).contains("3 of 3 members running");
            }
        } finally {
            if (pos != null) {
                pos.close();
            }
        }
        command("stop");
        // Every journal: the stored value down by exactly what the terminal was approved, once; one state.
        final long valueAfterSetUp = replay(switchConfig, 0, setUp).ledger().state().books().balance(Account.CARD_VALUE);
        final String digest = HexFormat.of().formatHex(replay(switchConfig, 0, Long.MAX_VALUE).ledger().digest());
        for (int m = 0; m < ClusterLayout.MEMBERS; m++) {
            final Ledger ledger = replay(switchConfig, m, Long.MAX_VALUE).ledger();
            assertThat(valueAfterSetUp - ledger.state().books().balance(Account.CARD_VALUE))
                    .as("member %d: stored value spent", m).isEqualTo(approved);
            assertThat(HexFormat.of().formatHex(ledger.digest())).as("member %d's journal replayed", m).isEqualTo(digest);
        }
    }

    /** Leader kills of the terminals' failover test: {@code -Dcluster.failover.rounds} (default 1; the long profile 5). */
    private static int failoverRounds() {
        final String value = System.getProperty("cluster.failover.rounds");
        if (value == null || value.isBlank()) {
            return 1;
        }
        try {
            return Math.max(1, Integer.parseInt(value.trim()));
        } catch (final NumberFormatException e) {
            return 1; // an unset Maven property arrives as "${cluster.failover.rounds}"
        }
    }

    private dev.prepaid.pos.PosTerminal demoTerminal(final dev.prepaid.iso8583.Dialect dialect, final int front) {
        return dev.prepaid.pos.PosTerminal.builder(dialect).terminalId("10000001")
                .merchantId(dev.prepaid.demo.DemoBusiness.merchantOf("10000001"))
                .tmk(dev.prepaid.security.DesKey.fromHex(dev.prepaid.demo.DemoBusiness.TMKS.get("10000001")))
                .switchAddress("127.0.0.1", ClusterLayout.readStatus(directory, front).posPort())
                .readTimeout(java.time.Duration.ofSeconds(30)).build();
    }

    /** The demo configuration in this test's directory, its fronts on free ports from {@code posBase} (POS, admin, metrics). */
    private Path servingDemo(final int posBase) throws java.io.IOException {
        final Path config = directory.resolve("config");
        java.nio.file.Files.createDirectories(config);
        dev.prepaid.demo.DemoBusiness.copyInto(ProjectFiles.root().resolve("config/demo"), config);
        final Path file = config.resolve("switch.yaml");
        final String yaml = java.nio.file.Files.readString(file);
        assertThat(yaml).contains("port: 8583").contains("port: 8584").contains("port: 9464");
        java.nio.file.Files.writeString(file, yaml.replace("port: 8583", "port: " + posBase)
                .replace("port: 8584", "port: " + (posBase + 1)).replace("port: 9464", "port: " + (posBase + 2)));
        return file;
    }

    private static void signal(final String signal, final long pid) {
        try {
            final Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -%s %d", signal, pid).isTrue();
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Replay.Result replay(final SwitchConfig config, final int member, final long to) {
        return Replay.run(ClusterLayout.journal(config, directory, member), config.ledger(), 1, to, false,
                (sequence, timestamp, command, offset, length, outcome) -> {
                });
    }

    private int memberWithRole(final String role) {
        for (int m = 0; m < ClusterLayout.MEMBERS; m++) {
            final ClusterLayout.Status status = ClusterLayout.readStatus(directory, m);
            if (status != null && role.equals(status.role())) {
                return m;
            }
        }
        throw new AssertionError("no member is " + role);
    }

    private String command(final String... args) throws Exception {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final String[] all = new String[args.length + 2];
        all[0] = args[0];
        all[1] = "--directory";
        System.arraycopy(args, 1, all, 3, args.length - 1);
        all[2] = directory.toString();
        final int status = new ClusterCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(all);
        final String text = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertThat(status).as(text).isZero();
        return text;
    }

    private static void await(final String what, final BooleanSupplier condition) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT_SECONDS + " s: " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
        }
    }
}
