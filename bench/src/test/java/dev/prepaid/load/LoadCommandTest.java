package dev.prepaid.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prepaid.config.SwitchConfig;
import dev.prepaid.demo.DemoBusiness;
import dev.prepaid.server.SwitchServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/prepaid load} as a user runs it, briefly: a switch it starts in a JVM of its own with a few terminals
 * for a couple of seconds, the closed loop with operators' reads, and a switch already running as the target; each
 * run checks the books at the end and leaves its results in the output directory.
 */
class LoadCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path root() {
        return DemoBusiness.installationAbove(Path.of(""));
    }

    /** What a run printed and returned. */
    private record Run(int status, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private static Run load(final String... args) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = LoadCommand.run(args, root(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anOpenLoopRunAgainstItsOwnSwitchIsMeasuredAndTheBooksAgree(@TempDir final Path results) throws Exception {
        final Run run = load("--terminals", "3", "--cards", "400", "--pin-cards", "50", "--transaction-log", "16384",
                "--rate", "300/s", "--seconds", "2", "--warmup", "1", "--durability", "PROCESS", "--seed", "7",
                "--layout", "ONE_THREAD", "--out", results.toString());
        assertThat(run.status()).as(run.all()).isZero();
        assertThat(run.out()).contains("started by the run in its own JVM (pid ")
                .contains("3 terminals signed on")
                .contains("bin/prepaid load: open loop at 300/s")
                .containsPattern("step 1: 300/s asked, [0-9.]+ s measured: [0-9,]+ slots, [0-9,]+ answered")
                .contains("latency from the scheduled send (µs): p50 ").contains("p99.9 ")
                .contains("service time, request sent to answer (µs)")
                .containsPattern("switch CPU: [0-9.]+ s in [0-9.]+ s \\([0-9]+ % of a core\\), [0-9,.]+ µs per"
                        + " answered request")
                .contains("switch CPU by thread: ").contains("prepaid-pipelin").contains("generator CPU: ")
                .contains("purchase 00").contains("at the switch, last byte in to reply encoded")
                .containsPattern("books, from the journal, replayed to sequence [0-9]+: 400 cards compared, each holds"
                        + " what the approvals imply; ledger invariants hold");
        for (final String file : new String[] {LoadReport.SUMMARY, LoadReport.RESULT, LoadReport.HISTOGRAM_LOG,
            LoadReport.LATENCY_CHART, LoadReport.THROUGHPUT_CHART, "switch.log"}) {
            assertThat(results.resolve(file)).as(file).isNotEmptyFile();
        }
        final JsonNode result = JSON.readTree(results.resolve(LoadReport.RESULT).toFile());
        assertThat(result.get("mode").asText()).isEqualTo("open-loop");
        final JsonNode step = result.get("steps").get(0);
        assertThat(step.get("targetRate").asDouble()).isEqualTo(300);
        assertThat(step.get("scheduled").asLong()).isBetween(500L, 700L);
        assertThat(step.get("answered").asLong()).isEqualTo(step.get("scheduled").asLong());
        assertThat(step.get("errors").asLong()).isZero();
        assertThat(step.get("latencyMicros").get("p99").asDouble()).isPositive();
        assertThat(step.get("switchCpuSeconds").asDouble()).isPositive();
        assertThat(step.get("codes").has("purchase 00")).isTrue();
        assertThat(result.get("books").get("passed").asBoolean()).isTrue();
        assertThat(result.get("books").get("checked").asLong()).isEqualTo(400);
        assertThat(result.get("seconds").size()).isGreaterThanOrEqualTo(3);
        assertThat(Files.readString(results.resolve(LoadReport.HISTOGRAM_LOG))).contains("#[StartTime: ")
                .containsPattern("\n[0-9.]+,1\\.0[0-9]*,[0-9.]+,HISTFAAAA");
        assertThat(Files.readString(results.resolve(LoadReport.LATENCY_CHART))).startsWith("<svg ")
                .contains("<polyline").contains("300/s").contains("99.9 %");
        assertThat(Files.readString(results.resolve(LoadReport.THROUGHPUT_CHART))).startsWith("<svg ")
                .contains("target rate");
    }

    @Test
    void operatorsReadingCardsAreShownBesideTheQuartersWithoutInAClosedLoop(@TempDir final Path results) {
        final Run run = load("--terminals", "2", "--cards", "300", "--transaction-log", "16384", "--closed-loop",
                "--seconds", "4", "--warmup", "2", "--durability", "PROCESS", "--admin-lookups", "500",
                "--mix", root().resolve("config/load/purchases.yaml").toString(), "--out", results.toString());
        assertThat(run.status()).as(run.all()).isZero();
        assertThat(run.out()).contains("bin/prepaid load: closed loop;")
                .contains("closed loop: each terminal sends its next request when its answer comes")
                .contains("step 1: closed loop, ")
                .containsPattern("µs per approved purchase")
                .contains("without operators' reads").contains("with 500 card reads/s")
                .containsPattern("card reads: [0-9,]+ answered/s").contains("statuses {200=")
                .contains("each holds what the approvals imply");
        assertThat(run.out()).doesNotContainPattern("statuses \\{[^}]*(429|503|-1)=");
    }

    @Test
    void aSwitchAlreadyRunningIsLoadedAsTheTarget(@TempDir final Path directory) throws Exception {
        final Path population = directory.resolve("population");
        final Run written = load("population", "--terminals", "2", "--cards", "200", "--durability", "PROCESS",
                "--transaction-log", "16384", "--out", population.toString());
        assertThat(written.status()).as(written.all()).isZero();
        assertThat(written.out()).contains("serve it:  bin/prepaid serve --config ")
                .contains("load it:   bin/prepaid load --population " + population);
        final Path config = population.resolve(Population.SWITCH_FILE);
        String yaml = Files.readString(config);
        for (final String section : new String[] {"server", "metrics", "admin"}) {
            yaml = SwitchYaml.set(yaml, section, "port", "0");
        }
        Files.writeString(config, yaml);
        try (SwitchServer server = SwitchServer.start(SwitchConfig.load(config, root()))) {
            final String[] target = {"--population", population.toString(), "--target", "127.0.0.1:" + server.posPort(),
                "--admin", "127.0.0.1:" + server.adminPort(), "--switch-pid", Long.toString(ProcessHandle.current().pid()),
                "--rate", "200", "--seconds", "2", "--warmup", "1"};
            final Run byAdmin = load(concat(target, "--books-from", "admin", "--out",
                    directory.resolve("first").toString()));
            assertThat(byAdmin.status()).as(byAdmin.all()).isZero();
            assertThat(byAdmin.out()).contains("switch: the target 127.0.0.1:" + server.posPort())
                    .contains("switch CPU: ")
                    .containsPattern("books, from the admin endpoint http://127.0.0.1:[0-9]+ \\([0-9]+ of the [0-9]+"
                            + " cards the run touched")
                    .contains("each holds what the approvals imply; ledger invariants not checked");
            // A second run on the same switch starts from what its cards hold now, read from its journal, which is
            // on this machine (the population's data/journal) and replayed while the switch runs.
            final Run byJournal = load(concat(target, "--out", directory.resolve("second").toString()));
            assertThat(byJournal.status()).as(byJournal.all()).isZero();
            assertThat(byJournal.out()).contains("reading the target's cards from its journal")
                    .containsPattern("books, from the journal, replayed to sequence [0-9]+: 200 cards compared, each"
                            + " holds what the approvals imply; ledger invariants hold");
        }
    }

    private static String[] concat(final String[] first, final String... more) {
        final String[] all = new String[first.length + more.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    @Test
    void badArgumentsAreNamed() {
        final String[][] bad = {
            {"--terminals", "0"}, {"--durability", "FAST"}, {"--seconds"}, {"--rate", "fast"},
            {"--wait-strategy", "LAZY"}, {"--admin-lookups", "10", "--seconds", "3"}, {"--rate", "5", "--closed-loop"},
            {"--ladder", "10,20"}, {"--target", "127.0.0.1:8583"}, {"--switch-pid", "5"}, {"--p99", "5"},
            {"--population", "p", "--cards", "5"}, {"--ladder", "10,10,20", "--admin-lookups", "5"},
            {"--books-from", "memory"}, {"--colour", "red"}, {"--layout", "TWO_THREADS"}, {"population", "--terminals", "3"},
        };
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);
        final PrintStream ignored = new PrintStream(new ByteArrayOutputStream());
        for (final String[] args : bad) {
            assertThat(LoadCommand.run(args, root(), ignored, errors)).as(String.join(" ", args)).isEqualTo(2);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--terminals must be 1..10000, not 0")
                .contains("--durability is SYNC or PROCESS, not 'FAST'").contains("--seconds needs a value")
                .contains("--rate needs a number, not 'fast'")
                .contains("--wait-strategy is PHASED, SLEEPING, YIELDING, BLOCKING or BUSY_SPIN")
                .contains("--admin-lookups needs --seconds of at least 4")
                .contains("give one of --rate, --ladder and --closed-loop")
                .contains("--ladder is start,step,max")
                .contains("--target needs the --population the switch serves")
                .contains("--switch-pid, --metrics and --admin describe a --target")
                .contains("--p99 is the bound of a --ladder")
                .contains("--population brings its terminals and cards")
                .contains("--admin-lookups compares quarters of one rate: not with --ladder")
                .contains("--books-from is journal or admin, not 'memory'")
                .contains("--layout is ONE_THREAD, THREE_THREADS or IO_THREAD, not 'TWO_THREADS'")
                .contains("unknown argument '--colour'")
                .contains("load population needs --out DIR");
        final ByteArrayOutputStream help = new ByteArrayOutputStream();
        assertThat(LoadCommand.run(new String[] {"--help"}, root(), new PrintStream(help, true, StandardCharsets.UTF_8),
                errors)).isZero();
        assertThat(help.toString(StandardCharsets.UTF_8)).contains("--ladder A,S,M").contains("--closed-loop")
                .contains("--admin-lookups R").contains("bin/prepaid load population");
    }
}
