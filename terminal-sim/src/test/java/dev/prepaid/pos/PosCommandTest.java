package dev.prepaid.pos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: parsing, one line per result, exit status, expectations, state kept between runs. */
class PosCommandTest {
    private static final String TMK_HEX = "CA5D92598DCA48CE8A4C76361A9269E9";
    private static final String MASKED = "622848*********0018";

    @TempDir
    Path temp;

    private String out;
    private String err;

    private int run(final String... args) {
        final ByteArrayOutputStream o = new ByteArrayOutputStream();
        final ByteArrayOutputStream e = new ByteArrayOutputStream();
        final int status = PosCommand.run(args, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return status;
    }

    private static String[] terminal(final FakeSwitch fake, final String... rest) {
        final List<String> args = new ArrayList<>(List.of("--switch", "127.0.0.1:" + fake.port(),
                "--terminal", PosTestSupport.TERMINAL, "--merchant", PosTestSupport.MERCHANT, "--tmk", TMK_HEX));
        args.addAll(Arrays.asList(rest));
        return args.toArray(new String[0]);
    }

    private List<String> lines() {
        return out.lines().toList();
    }

    @Test
    void badArgumentsGiveOneLineAndStatus2() {
        final String[][] cases = {
            {},
            {"--switch", "h:1", "--terminal", "1", "--merchant", "2", "--tmk", TMK_HEX},
            {"--bogus", "x", "signon"},
            {"--switch", "h:1", "dance"},
            {"--switch", "h:1", "purchase", "--pan", "6228480402564890018", "--expiry", "2712"},
            {"--switch", "h:1", "purchase", "--pan", "6228480402564890018", "--expiry", "2712", "--amount", "1.234"},
            {"--switch", "h:1", "purchase", "--pan", "6228480402564890018", "--amount", "1"},
            {"--switch", "h:1", "purchase", "--amount", "1"},
            {"--switch", "h:1", "signon", "--verbose"},
            {"--switch", "h:1", "signon", "void", "--ref", "3"},
            {"--switch", "h:1", "void", "--rrn", "1"},
            {"--switch", "h:1", "settle", "--expect", "ok"},
            {"--switch", "h:1", "balance", "--pan", "6228480402564890018", "--expiry", "2712", "--pin", "12"},
            {"--terminal", "1", "--merchant", "2", "--tmk", TMK_HEX, "signon"},
            {"--switch", "nohostport", "--terminal", "1", "--merchant", "2", "--tmk", TMK_HEX, "signon"},
            {"--switch", "h:1", "--terminal", "1", "--merchant", "2", "--tmk", "00112233445566778899AABBCCDDEEFFXX",
                "signon"},
            {"--switch", "h:1", "--terminal", "123456789", "--merchant", "2", "--tmk", TMK_HEX, "signon"},
            {"--switch", "h:1", "--terminal", "1", "--merchant", "2", "--tmk", TMK_HEX, "--layout", "002", "signon"},
            {"--switch", "h:1", "purchase", "--pan", "6228480402564890018", "--expiry", "2712", "--amount",
                "10000000000"},
        };
        final String[] messages = {
            "no operation given", "no operation given", "unknown option --bogus", "unknown operation 'dance'",
            "purchase needs --amount YUAN", "purchase --amount: expected yuan like 12.34, not '1.234'",
            "purchase: --pan needs --expiry YYMM", "purchase needs a card", "signon: --verbose is a terminal option",
            "void --ref 3: not an earlier operation", "void: --rrn goes with --orig-stan",
            "settle --expect: expected response codes", "balance: --pin must be 4 to 12 digits", "missing --switch",
            "--switch: expected HOST:PORT", "--tmk: expected 16 or 32 hex digits",
            "terminal id must be 1 to 8 printable characters", "--layout: expected 001, 003 or 004",
            "purchase --amount: at most 9999999999.99",
        };
        for (int i = 0; i < cases.length; i++) {
            assertThat(run(cases[i])).as(String.join(" ", cases[i])).isEqualTo(PosCommand.USAGE);
            assertThat(err.lines().count()).as(err).isEqualTo(1);
            assertThat(err).startsWith("pos: ").contains(messages[i]);
            assertThat(out).isEmpty();
        }
        assertThat(err).doesNotContain("00112233");
    }

    @Test
    void helpPrintsTheUsage() {
        assertThat(run("--help")).isZero();
        assertThat(out).contains("usage: pos --switch HOST:PORT", "--expect", "settle");
    }

    @Test
    void helpNamesEveryMacAlgorithmTheSimulatorAccepts() throws Exception {
        assertThat(run("--help")).isZero();
        assertThat(out).contains("--mac cup-ecb|x9.19|x9.9");
        try (FakeSwitch fake = PosTestSupport.fakeSwitch()) {
            for (final String mac : List.of("cup-ecb", "x9.19", "x9.9")) {
                assertThat(run(terminal(fake, "--mac", mac, "--no-auto-signon", "echo"))).as(mac + ": " + err)
                        .isZero();
            }
        }
    }

    @Test
    void aDuplicateAnswerWithoutStateHintsThatStateKeepsTheStan() throws Exception {
        try (FakeSwitch fake = PosTestSupport.fakeSwitch()) {
            final String[] purchase = {"purchase", "--pan", PosTestSupport.PAN, "--expiry", "2712", "--amount", "1"};
            fake.answer("PURCHASE", "94");
            assertThat(run(terminal(fake, purchase))).isEqualTo(PosCommand.UNEXPECTED);
            assertThat(out).contains("94").contains("hint: ").contains("--state FILE");

            fake.answer("PURCHASE", "94");
            final List<String> withState = new ArrayList<>(List.of("--state", temp.resolve("pos.state").toString()));
            withState.addAll(List.of(purchase));
            assertThat(run(terminal(fake, withState.toArray(new String[0])))).isEqualTo(PosCommand.UNEXPECTED);
            assertThat(out).contains("94").doesNotContain("hint: ");

            fake.answer("PURCHASE", "00");
            assertThat(run(terminal(fake, purchase))).isZero();
            assertThat(out).doesNotContain("hint: ");
        }
    }

    @Test
    void aStateFileThatCouldNotBeSavedIsRefusedBeforeAnythingIsSent() throws Exception {
        try (FakeSwitch fake = PosTestSupport.fakeSwitch()) {
            final Path missing = temp.resolve("no-such-dir");
            assertThat(run(terminal(fake, "--state", missing.resolve("pos.state").toString(), "echo")))
                    .isEqualTo(PosCommand.USAGE);
            assertThat(err.strip()).isEqualTo("pos: --state " + missing.resolve("pos.state") + ": directory " + missing
                    + " does not exist: create it first");
            assertThat(run(terminal(fake, "--state", temp.toString(), "echo"))).isEqualTo(PosCommand.USAGE);
            assertThat(err).contains(temp + " is a directory");
            assertThat(fake.drain()).isEmpty();
            assertThat(missing).doesNotExist();
        }
    }

    @Test
    void aMalformedStateFileIsNamedWithWhatIsWrong() throws Exception {
        try (FakeSwitch fake = PosTestSupport.fakeSwitch()) {
            final Path state = temp.resolve("pos.state");
            Files.writeString(state, "hello\n");
            assertThat(run(terminal(fake, "--state", state.toString(), "echo"))).isEqualTo(PosCommand.USAGE);
            assertThat(err).contains("not a terminal state file (it has no 'terminal=' line)")
                    .doesNotContain("terminal null");
            Files.writeString(state, "terminal=" + PosTestSupport.TERMINAL + "\nstan=x\nbatch=1\n");
            assertThat(run(terminal(fake, "--state", state.toString(), "echo"))).isEqualTo(PosCommand.USAGE);
            assertThat(err).contains("damaged terminal state file: stan is not a number");
            assertThat(fake.drain()).isEmpty();
        }
    }

    @Test
    void theStateFileHoldsCardNumbersSoOnlyItsOwnerCanReadIt() throws Exception {
        final Path state = temp.resolve("pos.state");
        try (FakeSwitch fake = PosTestSupport.fakeSwitch()) {
            assertThat(run(terminal(fake, "--state", state.toString(), "purchase", "--pan", PosTestSupport.PAN,
                    "--expiry", "2712", "--amount", "5"))).as(out + err).isZero();
        }
        assertThat(Files.readString(state)).contains(PosTestSupport.PAN);
        assertThat(Files.getPosixFilePermissions(state)).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void anUnresolvableHostIsNamedAsSuch() {
        assertThat(run("--switch", "nohost.invalid:8583", "--terminal", PosTestSupport.TERMINAL, "--merchant",
                PosTestSupport.MERCHANT, "--tmk", TMK_HEX, "--no-auto-signon", "echo")).isEqualTo(PosCommand.UNEXPECTED);
        assertThat(out).contains("the host name 'nohost.invalid' cannot be resolved");
    }

    @Test
    void theDialectIsTheInstallationsWhereverTheCommandRuns() throws Exception {
        final Path home = temp.resolve("home");
        final Path dialect = home.resolve(dev.prepaid.iso8583.Dialect.DEFAULT_PATH);
        Files.createDirectories(dialect.getParent());
        Files.writeString(dialect, "not: a dialect\n");
        final ByteArrayOutputStream o = new ByteArrayOutputStream();
        final ByteArrayOutputStream e = new ByteArrayOutputStream();
        final int status = PosCommand.run(new String[] {"--switch", "127.0.0.1:1", "--terminal",
            PosTestSupport.TERMINAL, "--merchant", PosTestSupport.MERCHANT, "--tmk", TMK_HEX, "echo"}, home,
                new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(PosCommand.USAGE);
        assertThat(e.toString(StandardCharsets.UTF_8)).as("the installation's dialect was read, not one found upwards")
                .contains("not: unknown key");
    }

    @Test
    void aScriptedSessionPrintsOneMaskedLinePerResult() throws Exception {
        try (FakeSwitch fake = PosTestSupport.fakeSwitch()) {
            final int status = run(terminal(fake, "signon",
                    "purchase", "--pan", PosTestSupport.PAN, "--expiry", "2712", "--pin", "123456", "--amount", "12.34",
                    "balance",
                    "void",
                    "recharge", "--amount", "100", "--no-pin",
                    "preauth", "--amount", "50", "--pin", "123456",
                    "complete", "--amount", "49.5",
                    "refund", "--ref", "7", "--amount", "10",
                    "settle", "--expect-flag", "1"));
            assertThat(status).as(out + err).isEqualTo(PosCommand.OK);
            assertThat(err).isEmpty();
            final List<String> lines = lines();
            assertThat(lines).hasSize(10);
            assertThat(lines.get(0)).startsWith("#1   signon          00 approved").contains("pik.kcv=", "mak.kcv=");
            assertThat(lines.get(1)).startsWith("#2   purchase        00 approved").contains("stan=000002",
                    "batch=000001", "card=" + MASKED + "(keyed)", "amount=12.34", "rrn=", "available=1000.00");
            assertThat(lines.get(2)).startsWith("#3   balance         00 approved").contains(MASKED);
            assertThat(lines.get(3)).startsWith("#4   void            00 approved").contains("amount=12.34");
            assertThat(lines.get(6)).startsWith("#7   complete        00 approved").contains("amount=49.50");
            assertThat(lines.get(7)).startsWith("#8   refund          00 approved").contains("amount=10.00");
            assertThat(lines.get(8)).startsWith("#9   settle          00 approved").contains("flag=1(balanced)",
                    "debit 1/49.50, credit 2/110.00");
            assertThat(lines.get(9)).startsWith("#9   upload-end      00 approved");
            assertThat(out).doesNotContain(PosTestSupport.PAN);
            final List<dev.prepaid.iso8583.IsoMessage> sent = fake.drain();
            assertThat(sent.get(3).numeric(37)).as("the void names the purchase's RRN (sign-on got 1)").isEqualTo(2);
            assertThat(sent.get(4).has(52)).as("--no-pin").isFalse();
        }
    }

    @Test
    void anUnexpectedAnswerStopsTheScriptWithStatus1() throws Exception {
        try (FakeSwitch fake = PosTestSupport.fakeSwitch()) {
            fake.answer("PURCHASE", "51");
            final String[] args = terminal(fake, "purchase", "--pan", PosTestSupport.PAN, "--expiry", "2712",
                    "--amount", "99999", "balance");
            assertThat(run(args)).isEqualTo(PosCommand.UNEXPECTED);
            assertThat(lines()).hasSize(2);
            assertThat(lines().get(0)).startsWith("#1   signon          00 approved");
            assertThat(lines().get(1)).startsWith("#1   purchase        51 insufficient balance")
                    .endsWith("[UNEXPECTED: expected 00]");

            fake.answer("PURCHASE", "51");
            final String[] expecting = terminal(fake, "purchase", "--pan", PosTestSupport.PAN, "--expiry", "2712",
                    "--amount", "99999", "--expect", "51,61", "balance");
            assertThat(run(expecting)).isEqualTo(PosCommand.OK);
            assertThat(lines()).hasSize(3);
        }
    }

    @Test
    void stateCarriesStanBatchAndAnOwedReversalBetweenRuns() throws Exception {
        final Path state = temp.resolve("pos.state");
        try (FakeSwitch fake = PosTestSupport.fakeSwitch()) {
            assertThat(run(terminal(fake, "--state", state.toString(), "signon",
                    "purchase", "--pan", PosTestSupport.PAN, "--expiry", "2712", "--amount", "5"))).isZero();
            assertThat(Files.readString(state)).contains("stan=2", "batch=1", "entries=1").doesNotContain("pik");

            assertThat(run(terminal(fake, "--state", state.toString(), "--verbose", "void"))).as(out).isZero();
            assertThat(lines().get(0)).startsWith("#1   signon").contains("stan=000003");
            assertThat(out).contains("#1   void            00 approved", "stan=000004", "amount=5.00",
                    "F2   PAN", MASKED, "F61  original message").doesNotContain(PosTestSupport.PAN);
            assertThat(Files.readString(state)).contains("stan=4", "entries=0");

            fake.next("PURCHASE", FakeSwitch.Behaviour.SILENT);
            assertThat(run(terminal(fake, "--state", state.toString(), "--timeout-ms", "300",
                    "purchase", "--pan", PosTestSupport.PAN, "--expiry", "2712", "--amount", "7",
                    "--expect", "timeout"))).as(out).isZero();
            assertThat(out).contains("no answer (timeout)", "reversal owed (reason 98)");
            assertThat(Files.readString(state)).contains("reversal=PURCHASE,6,98,");

            fake.drain();
            fake.answer("REVERSAL", "96");
            assertThat(run(terminal(fake, "--state", state.toString(), "reversal"))).as(out)
                    .isEqualTo(PosCommand.UNEXPECTED);
            assertThat(lines()).extracting(l -> l.substring(5, 20).trim()).containsExactly("signon", "reversal");
            assertThat(lines().get(1)).contains("96 system malfunction", "reverses purchase, reason 98", "UNEXPECTED");
            assertThat(Files.readString(state)).contains("reversal=PURCHASE,6,98,");

            assertThat(run(terminal(fake, "--state", state.toString(), "settle"))).as(out).isZero();
            assertThat(lines()).extracting(l -> l.substring(5, 20).trim())
                    .containsExactly("signon", "reversal", "settle", "upload-end");
            assertThat(Files.readString(state)).contains("batch=2").doesNotContain("reversal=");
            final List<dev.prepaid.iso8583.IsoMessage> sent = fake.drain();
            assertThat(sent).extracting(dev.prepaid.iso8583.IsoMessage::mti)
                    .containsExactly(800, 400, 800, 400, 500, 320);
            assertThat(sent.get(3).numeric(11)).isEqualTo(6);
            assertThat(run(terminal(fake, "--state", state.toString(), "reversal"))).isZero();
            assertThat(out).contains("reversal        nothing owed");

            final Path other = temp.resolve("other.state");
            Files.writeString(other, "terminal=99999999\nstan=1\nbatch=1\n");
            assertThat(run(terminal(fake, "--state", other.toString(), "echo"))).isEqualTo(PosCommand.USAGE);
            assertThat(err).contains("belongs to terminal 99999999");
        }
    }

    @Test
    void aSwipedCardIsBuiltFromTheCvkAndNoTrackIsPrinted() throws Exception {
        try (FakeSwitch fake = PosTestSupport.fakeSwitch()) {
            assertThat(run(terminal(fake, "--verbose", "--no-auto-signon", "signon", "balance", "--pan",
                    PosTestSupport.PAN, "--expiry", "2712", "--cvk", "0123456789ABCDEFFEDCBA9876543210", "--pin",
                    "123456"))).as(out).isZero();
            assertThat(out).contains("card=" + MASKED + "(swiped)", "F35  track 2", "[hidden, ")
                    .doesNotContain(PosTestSupport.PAN);
            assertThat(fake.drain().get(1).has(35)).isTrue();
        }
    }
}
