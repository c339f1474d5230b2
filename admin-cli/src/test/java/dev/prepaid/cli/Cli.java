package dev.prepaid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The CLI run in the test JVM through its entry point ({@link PrepaidAdmin#run}), never exiting it: arguments,
 * standard input and a terminal go in; the exit code and what it wrote to its output and error streams come out.
 * The environment is the test's own — a scratch HOME, the endpoint, a session file — so no run reads or writes
 * anything of the real user.
 */
final class Cli {
    /** One run's outcome. */
    record Result(int exitCode, String out, String err) {
        /** The output as JSON (a {@code --json} run). */
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (final IOException e) {
                throw new UncheckedIOException("not JSON: " + out + " (stderr: " + err + ")", e);
            }
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\nout: " + out + "\nerr: " + err;
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();
    /** Quick retries: the tests wait for nothing but what they check. */
    static final CliContext.Retry RETRY = new CliContext.Retry(4, Duration.ofMillis(50));

    private final Map<String, String> environment;
    private final CliContext.Terminal terminal;

    private Cli(final Map<String, String> environment, final CliContext.Terminal terminal) {
        this.environment = Map.copyOf(environment);
        this.terminal = terminal;
    }

    /** A CLI of a user whose home is {@code home}, talking to {@code endpoint}. */
    static Cli of(final String endpoint, final Path home) {
        final Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put(Settings.ENDPOINT_VARIABLE, endpoint);
        return new Cli(env, null);
    }

    /** The same with one more environment variable. */
    Cli with(final String variable, final String value) {
        final Map<String, String> env = new HashMap<>(environment);
        env.put(variable, value);
        return new Cli(env, terminal);
    }

    /** The same with its session kept in {@code file} (one per operator, so several can be logged in at once). */
    Cli session(final Path file) {
        return with(Settings.SESSION_VARIABLE, file.toString());
    }

    /** The same with a person at a terminal typing what {@code terminal} answers. */
    Cli typing(final CliContext.Terminal typed) {
        return new Cli(environment, typed);
    }

    Result run(final String... args) {
        return input("", args);
    }

    /** A run with {@code stdin} as its standard input. */
    Result input(final String stdin, final String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CliContext context = new CliContext(environment,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), new PrintWriter(out, true),
                new PrintWriter(err, true), terminal, RETRY);
        final int code = PrepaidAdmin.run(args, context);
        return new Result(code, out.toString(), err.toString());
    }

    /** A run that must succeed; its result. */
    Result ok(final String... args) {
        final Result result = run(args);
        assertThat(result.exitCode()).as("%s", result).isZero();
        return result;
    }
}
