package dev.prepaid.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.demo.DemoBusiness;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The load test as bin/prepaid load runs it, briefly: every terminal signs on, transacts and settles. */
class LoadCommandTest {
    private static Path root() {
        return DemoBusiness.installationAbove(Path.of(""));
    }

    @Test
    void aShortRunIsAllApprovedAndReportsThroughputLatencyAndCodes() {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = LoadCommand.run(new String[] {"--terminals", "3", "--seconds", "2", "--warmup", "1",
                "--durability", "PROCESS", "--inquiry-every", "5", "--wait-strategy", "YIELDING"}, root(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        final String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(printed + err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(printed).contains("3 terminals").contains("YIELDING ring").containsPattern("measured [0-9.]+ s: [0-9,]+ requests")
                .contains("round trip at the terminal").contains("p99.9").contains("purchase 00")
                .contains("balance 00").contains("every answer approved");
    }

    @Test
    void operatorsReadingCardsAreShownBesideTheQuartersWithout() {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = LoadCommand.run(new String[] {"--terminals", "2", "--seconds", "4", "--warmup", "2",
                "--durability", "PROCESS", "--admin-lookups", "500"}, root(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        final String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(printed + err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(printed).contains("without operators' reads").contains("with 500 card reads/s")
                .containsPattern("card reads: [0-9,]+ answered/s").contains("statuses {200=");
        assertThat(printed).doesNotContainPattern("statuses \\{[^}]*(429|503|-1)=");
    }

    @Test
    void badArgumentsAreNamed() {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);
        final PrintStream ignored = new PrintStream(new ByteArrayOutputStream());
        assertThat(LoadCommand.run(new String[] {"--terminals", "0"}, root(), ignored, errors)).isEqualTo(2);
        assertThat(LoadCommand.run(new String[] {"--durability", "FAST"}, root(), ignored, errors)).isEqualTo(2);
        assertThat(LoadCommand.run(new String[] {"--seconds"}, root(), ignored, errors)).isEqualTo(2);
        assertThat(LoadCommand.run(new String[] {"--rate", "5"}, root(), ignored, errors)).isEqualTo(2);
        assertThat(LoadCommand.run(new String[] {"--wait-strategy", "LAZY"}, root(), ignored, errors)).isEqualTo(2);
        assertThat(LoadCommand.run(new String[] {"--admin-lookups", "10", "--seconds", "3"}, root(), ignored, errors))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--terminals must be 1..900, not 0")
                .contains("--durability is SYNC or PROCESS, not 'FAST'").contains("--seconds needs a value")
                .contains("unknown argument '--rate'").contains("--wait-strategy is PHASED, SLEEPING, YIELDING, BLOCKING or BUSY_SPIN")
                .contains("--admin-lookups needs --seconds of at least 4");
    }
}
