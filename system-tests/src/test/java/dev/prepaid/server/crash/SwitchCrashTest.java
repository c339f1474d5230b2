package dev.prepaid.server.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.prepaid.demo.DemoBusiness;
import dev.prepaid.iso8583.Dialect;
import dev.prepaid.pos.Card;
import dev.prepaid.security.MacFunction;
import dev.prepaid.testing.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole switch under SIGKILL: the demo switch runs in a child JVM ({@link SwitchChild}) on a journal in a
 * scratch directory; five demo terminals, each on its own thread with cards of its own, send purchases and
 * recharges over TCP; at a random moment the child is killed with SIGKILL, and a new child is started on the same
 * journal. Then, for every card: (a) the balance is what the acknowledged answers make it, or that plus the one
 * transaction whose answer never came; (c) the reversal the terminal owes for that one is accepted and restores
 * the balance, and the original arriving late changes nothing; (b) resending an acknowledged request (same
 * terminal, batch, STAN, card, amount) gets its first answer again and changes nothing. Settlements in between
 * must balance (the switch's totals are the acknowledged transactions), the switch's open batch after a restart
 * must be the terminal's, and every answer a terminal gets must carry the balance the acknowledged answers predict.
 *
 * <p>The journal's durability is config/demo's (PROCESS: a record is in the memory-mapped journal file before its
 * reply is released, which survives the death of the process but not of the machine); the only change to the
 * demo configuration is a snapshot every {@value #SNAPSHOT_EVERY} commands, so that restarts recover from a
 * snapshot and kills also land in snapshot writes.
 *
 * <p>Rounds (kills): {@code -Dswitch.crash.rounds} (default 5; the {@code long} profile raises it). The seed
 * (printed; {@code -Dswitch.crash.seed} to give it) fixes the cards, amounts and the time before each kill; where
 * exactly a kill lands depends on timing, which no assertion does.
 */
class SwitchCrashTest {
    private static final int DEFAULT_ROUNDS = 5;
    /** A round kills the switch up to {@link #RUN_SPREAD_MS} after its terminals got this many approvals. */
    private static final int APPROVALS_BEFORE_KILL = 50;
    private static final int RUN_SPREAD_MS = 2_300;
    private static final int START_TIMEOUT_S = 120;
    private static final int SNAPSHOT_EVERY = 1_000;

    @TempDir
    Path directory;

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void acknowledgedTransactionsSurviveSigkill() throws Exception {
        final long seed = Long.getLong("switch.crash.seed", new SecureRandom().nextLong());
        final int rounds = rounds();
        System.out.println("SwitchCrashTest: seed " + seed + " (-Dswitch.crash.seed=" + seed + "), " + rounds + " kills");
        final Path home = DemoBusiness.installationAbove(Path.of(""));
        final Path config = copyDemo(home, directory);
        final Dialect dialect = Dialect.load(home.resolve(Dialect.DEFAULT_PATH));
        final Random random = new Random(seed);
        final List<CrashTerminal> terminals = terminals(dialect, transactionLogCapacity(config), seed);

        final Thread hook = SwitchProcess.killAllOnExit();
        final AtomicBoolean stop = new AtomicBoolean();
        final List<Thread> threads = new ArrayList<>();
        SwitchProcess child = null;
        try {
            for (int round = 1; round <= rounds + 1; round++) {
                final long started = System.nanoTime();
                child = SwitchProcess.start(config, home, "switch-" + round);
                final int port = child.awaitPort(START_TIMEOUT_S);
                final long listening = System.nanoTime();
                for (final CrashTerminal terminal : terminals) {
                    terminal.connect(dialect, port);
                    if (round == 1) {
                        terminal.open();
                    } else {
                        terminal.recover();
                    }
                }
                check(terminals, child, round == 1 ? "first start" : "restart after kill " + (round - 1));
                System.out.printf("SwitchCrashTest: %s listening after %d ms (%s), %s checks %d ms%n", child,
                        (listening - started) / 1_000_000, child.recovered(), round == 1 ? "opening" : "recovery",
                        (System.nanoTime() - listening) / 1_000_000);
                if (round > rounds) {
                    break;
                }

                stop.set(false);
                threads.clear();
                for (final CrashTerminal terminal : terminals) {
                    final Thread thread = new Thread(() -> terminal.run(stop), "pos-" + terminal.terminalId());
                    thread.setDaemon(true);
                    threads.add(thread);
                }
                final int approvedBefore = approvedCount(terminals);
                final int runMillis = random.nextInt(RUN_SPREAD_MS);
                threads.forEach(Thread::start);
                // The kill must land under load: first the terminals are seen transacting, then a random moment.
                Await.until("the terminals' first approvals of round " + round, Duration.ofSeconds(60),
                        () -> approvedCount(terminals) - approvedBefore >= APPROVALS_BEFORE_KILL);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(runMillis));
                assertThat(child.isAlive()).as("%s died by itself before the kill; its output:%n%s", child,
                        child.output()).isTrue();
                final List<String> errors = child.errors();
                final int exit = child.kill();
                final SwitchProcess killed = child;
                child = null;
                stop.set(true);
                for (final Thread thread : threads) {
                    thread.join(TimeUnit.SECONDS.toMillis(60));
                    assertThat(thread.isAlive()).as("%s did not stop after the kill", thread.getName()).isFalse();
                }
                assertThat(exit).as("exit value of the killed %s", killed).isEqualTo(SwitchProcess.SIGKILL_EXIT);
                assertThat(errors).as("ERROR lines of %s before the kill; its output:%n%s", killed, killed.output())
                        .isEmpty();
                for (final CrashTerminal terminal : terminals) {
                    terminal.endRound();
                }
                check(terminals, killed, "traffic of round " + round);
                System.out.printf("SwitchCrashTest: round %d: killed %d ms after its first " + APPROVALS_BEFORE_KILL + " approvals, %d acknowledged"
                        + " purchases/recharges%n", round, runMillis, approvedCount(terminals) - approvedBefore);
            }
            int approved = 0;
            int unanswered = 0;
            int duplicates = 0;
            for (final CrashTerminal terminal : terminals) {
                System.out.println("SwitchCrashTest: " + terminal.summary());
                approved += terminal.approved().size();
                unanswered += terminal.inFlightApplied() + terminal.inFlightNotApplied();
                duplicates += terminal.duplicatesChecked();
            }
            System.out.println("SwitchCrashTest: " + approved + " acknowledged purchases/recharges, " + unanswered
                    + " unanswered at a kill, " + duplicates + " duplicates resent");
            assertThat(approved).as("acknowledged purchases and recharges over all rounds").isPositive();
            assertThat(duplicates).as("acknowledged requests resent after a restart").isPositive();
            final int last = child.kill();
            child = null;
            assertThat(last).isEqualTo(SwitchProcess.SIGKILL_EXIT);
        } finally {
            stop.set(true);
            if (child != null) {
                child.destroy();
            }
            for (final CrashTerminal terminal : terminals) {
                terminal.close();
            }
            SwitchProcess.removeHook(hook);
        }
    }

    private static int approvedCount(final List<CrashTerminal> terminals) {
        int count = 0;
        for (final CrashTerminal terminal : terminals) {
            count += terminal.approvals();
        }
        return count;
    }

    private static void check(final List<CrashTerminal> terminals, final SwitchProcess child, final String when) {
        final List<String> violations = new ArrayList<>();
        for (final CrashTerminal terminal : terminals) {
            violations.addAll(terminal.violations());
        }
        if (!violations.isEmpty()) {
            final StringBuilder summary = new StringBuilder();
            for (final CrashTerminal terminal : terminals) {
                summary.append(System.lineSeparator()).append("  ").append(terminal.summary());
            }
            fail("%s: %d violation(s):%n  %s%nterminals:%s%nlast output of %s:%n%s", when, violations.size(),
                    String.join(System.lineSeparator() + "  ", violations), summary, child, child.output());
        }
    }

    /**
     * The demo terminals that work (20000003 is disabled), each with cards of its own: the supermarket's buy and
     * recharge on 100.00 gift cards of Demo Corp.; the coffee shop's (no recharges there) buy small amounts on
     * 200.00 gift cards sold through the agent (config/demo/README.md).
     */
    private static List<CrashTerminal> terminals(final Dialect dialect, final long logCapacity, final long seed) {
        final String supermarket = "888310048990001";
        final String coffee = "888310058120002";
        final List<CrashTerminal> terminals = new ArrayList<>();
        terminals.add(new CrashTerminal(dialect, "10000001", supermarket, "CA5D92598DCA48CE8A4C76361A9269E9",
                MacFunction.CUP_ECB, true, 5_000, giftCards(100, 3, 10_000), logCapacity, seed + 1));
        terminals.add(new CrashTerminal(dialect, "10000002", supermarket, "11223344556677888877665544332211",
                MacFunction.CUP_ECB, true, 5_000, giftCards(103, 3, 10_000), logCapacity, seed + 2));
        terminals.add(new CrashTerminal(dialect, "10000003", supermarket, "3C3C3C3C5A5A5A5A9696969669696969",
                MacFunction.X9_19, true, 5_000, giftCards(106, 3, 10_000), logCapacity, seed + 3));
        terminals.add(new CrashTerminal(dialect, "20000001", coffee, "22222222444444446666666688888888",
                MacFunction.CUP_ECB, false, 20, giftCards(1_100, 8, 20_000), logCapacity, seed + 4));
        terminals.add(new CrashTerminal(dialect, "20000002", coffee, "13579BDF02468ACEFDB975310ECA8642",
                MacFunction.CUP_ECB, false, 20, giftCards(1_108, 8, 20_000), logCapacity, seed + 5));
        return terminals;
    }

    /** Anonymous demo gift cards (BIN 88880002, 16 digits) of consecutive accounts, keyed in, no PIN. */
    private static List<CrashTerminal.Account> giftCards(final int firstAccount, final int count, final long opening) {
        final List<CrashTerminal.Account> cards = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final String body = "88880002" + String.format("%07d", firstAccount + i);
            cards.add(new CrashTerminal.Account(Card.manual(body + luhn(body), 4912), opening));
        }
        return cards;
    }

    /** The ledger's transactionLogCapacity in the configuration (the demo's 65,536 when not found). */
    private static long transactionLogCapacity(final Path config) throws IOException {
        final Matcher capacity = Pattern.compile("(?m)^\\s+transactionLogCapacity:\\s*(\\d+)")
                .matcher(Files.readString(config, StandardCharsets.UTF_8));
        return capacity.find() ? Long.parseLong(capacity.group(1)) : 65_536;
    }

    private static int luhn(final String digits) {
        int sum = 0;
        boolean twice = true;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return (10 - sum % 10) % 10;
    }

    private static int rounds() {
        final String value = System.getProperty("switch.crash.rounds");
        if (value == null || value.isBlank()) {
            return DEFAULT_ROUNDS;
        }
        try {
            return Math.max(1, Integer.parseInt(value.trim()));
        } catch (final NumberFormatException e) {
            return DEFAULT_ROUNDS; // an unset Maven property arrives as "${switch.crash.rounds}"
        }
    }

    /**
     * config/demo's files into {@code target}: its switch.yaml puts the journal next to it, in data/journal. One
     * change: a snapshot every {@value #SNAPSHOT_EVERY} commands (the least allowed) instead of the demo's
     * 100,000, so that kills also hit snapshot writes and restarts recover from a snapshot plus the journal after
     * it. The journal's durability is the demo's.
     */
    private static Path copyDemo(final Path home, final Path target) throws IOException {
        DemoBusiness.copyInto(home.resolve("config/demo"), target);
        final Path config = target.resolve("switch.yaml");
        final String yaml = Files.readString(config, StandardCharsets.UTF_8);
        final String changed = yaml.replaceFirst("(?m)^(\\s+snapshotEveryCommands:\\s*)\\d+", "$1" + SNAPSHOT_EVERY);
        Files.writeString(config, changed, StandardCharsets.UTF_8);
        final Matcher durability = Pattern.compile("(?m)^\\s+durability:\\s*(\\w+)").matcher(changed);
        System.out.println("SwitchCrashTest: journal durability " + (durability.find() ? durability.group(1) : "default")
                + ", " + (changed.equals(yaml) ? "the demo's snapshot interval" : "a snapshot every " + SNAPSHOT_EVERY
                + " commands"));
        return config;
    }
}
