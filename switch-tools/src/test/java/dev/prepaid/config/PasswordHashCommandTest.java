package dev.prepaid.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.testing.ProjectFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

/** An operator's password hash for a real bootstrap file, at the installation's own cost. */
class PasswordHashCommandTest {
    /** The demo's configuration: cheap hashing, so the test is quick; its cost must show in the hash. */
    private static final Path DEMO = ProjectFiles.root().resolve("config/demo/switch.yaml");

    private String out;
    private String err;

    @Test
    void aPasswordFromStandardInputGivesAnArgon2idHashAtTheConfiguredCost() {
        final String password = "correct horse battery";
        assertThat(run(password + "\n", null, "--config", DEMO.toString(), "--stdin")).as(err).isZero();
        final String hash = out.strip();
        final PasswordHashing cost = SwitchConfig.load(DEMO, ProjectFiles.root()).admin().passwordHashing();
        assertThat(hash).startsWith("$argon2id$v=19$m=" + cost.memoryKiB() + ",t=" + cost.iterations() + ",p="
                + cost.parallelism() + "$");
        assertThat(PasswordHasher.verify(password.toCharArray(), hash)).isTrue();
        assertThat(PasswordHasher.verify("correct horse battery!".toCharArray(), hash)).isFalse();
        assertThat(PasswordHasher.isWellFormed(hash)).as("what the bootstrap file accepts").isTrue();
        assertThat(out + err).doesNotContain(password);
    }

    @Test
    void typedTwiceItMustMatch() {
        assertThat(run("", console("long enough password", "long enough password"), "--config", DEMO.toString()))
                .isZero();
        assertThat(PasswordHasher.verify("long enough password".toCharArray(), out.strip())).isTrue();

        assertThat(run("", console("long enough password", "long enough passw0rd"), "--config", DEMO.toString()))
                .isEqualTo(PasswordHashCommand.FAILED);
        assertThat(err).contains("the two passwords differ");
        assertThat(out).isEmpty();
    }

    @Test
    void refusalsSayWhat() {
        assertThat(run("short\n", null, "--config", DEMO.toString(), "--stdin")).isEqualTo(PasswordHashCommand.FAILED);
        assertThat(err).contains("the password has 5 characters; at least 12 are needed");

        assertThat(run("", null, "--config", DEMO.toString())).isEqualTo(PasswordHashCommand.FAILED);
        assertThat(err).contains("no terminal to type the password on; pipe it in with --stdin");

        assertThat(run("", null, "--config", DEMO.toString(), "--stdin")).isEqualTo(PasswordHashCommand.FAILED);
        assertThat(err).contains("standard input held no password");

        assertThat(run("", null, "hunter2hunter2")).isEqualTo(PasswordHashCommand.USAGE);
        assertThat(err).contains("the password is never given on the command line").doesNotContain("hunter2");
        assertThat(run("", null, "--salt", "x")).isEqualTo(PasswordHashCommand.USAGE);
        assertThat(err).contains("unknown option --salt");

        assertThat(run("", null, "--config")).isEqualTo(PasswordHashCommand.USAGE);
        assertThat(err).contains("--config needs a file");

        assertThat(run("x\n", null, "--config", "/nonexistent/switch.yaml", "--stdin"))
                .isEqualTo(PasswordHashCommand.FAILED);
        assertThat(err).contains("/nonexistent/switch.yaml: the configuration file does not exist");
    }

    private static SecretInput.Console console(final String... typed) {
        final Deque<String> answers = new ArrayDeque<>(java.util.List.of(typed));
        return prompt -> answers.isEmpty() ? null : answers.poll().toCharArray();
    }

    private int run(final String stdin, final SecretInput.Console console, final String... args) {
        final ByteArrayOutputStream o = new ByteArrayOutputStream();
        final ByteArrayOutputStream e = new ByteArrayOutputStream();
        final int status = new PasswordHashCommand(ProjectFiles.root(),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8),
                console).run(args);
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return status;
    }
}
