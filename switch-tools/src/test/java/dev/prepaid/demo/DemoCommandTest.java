package dev.prepaid.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The demo as {@code bin/prepaid demo} runs it: every answer the expected one, and a readable summary. */
class DemoCommandTest {
    private static Path root() {
        return DemoBusiness.installationAbove(Path.of(""));
    }

    @Test
    void theDemoRunsAndEveryAnswerIsTheExpectedOne() {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = DemoCommand.run(new String[0], root(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        final String printed = out.toString(StandardCharsets.UTF_8);
        System.out.println(printed);
        assertThat(status).as(printed + err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(printed).contains("Every answer was the expected one.")
                .contains("purchase").contains("reversal").contains("upload").contains("p50")
                .doesNotContain("8888000100000017"); // card numbers are shown masked
    }

    @Test
    void anUnknownArgumentIsNamed() {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = DemoCommand.run(new String[] {"--fast"}, root(), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown argument '--fast'");
    }
}
