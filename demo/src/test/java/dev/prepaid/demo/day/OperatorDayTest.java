package dev.prepaid.demo.day;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.demo.DemoBusiness;
import dev.prepaid.demo.DemoCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code bin/prepaid demo} as it runs: the terminals' day, then the operators' day, every step as expected. */
class OperatorDayTest {
    @Test
    void theDemoRunsTheTerminalsAndTheOperatorsDayAndEverythingIsAsExpected() {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = DemoCommand.run(new String[0], DemoBusiness.installationAbove(Path.of("")),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new OperatorDay());
        final String printed = out.toString(StandardCharsets.UTF_8);
        System.out.println(printed);
        assertThat(status).as(printed + err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(printed).contains("Every answer was the expected one.").contains("Every operator step went as expected.")
                .contains("register terminal 10000042").contains("approve their own request")
                .contains("the export lists the lost card").contains("it shows the refused self-approval")
                .doesNotContain("8888000100000025").doesNotContain("8888000200000404"); // card numbers are masked
    }
}
