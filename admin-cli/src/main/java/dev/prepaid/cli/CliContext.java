package dev.prepaid.cli;

import java.io.Console;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Map;

/**
 * What one run of the CLI talks to: its environment variables, standard input, output and error streams, the
 * terminal to type secrets on, and how it retries. {@link #system()} is the real process's; tests give their
 * own, so a run in the test JVM reads no real environment and writes no real file of the user.
 *
 * @param environment the environment variables (PREPAID_ADMIN_*, HOME)
 * @param terminal reads lines and secrets typed by a person; null when there is no terminal (a pipe, a script)
 * @param retry how often and how patiently a request is repeated after a timeout, a lost connection or a 503
 */
record CliContext(Map<String, String> environment, InputStream stdin, PrintWriter out, PrintWriter err,
        Terminal terminal, Retry retry) {

    /** A person at a terminal. */
    interface Terminal {
        /** A line typed with echo (an operator id, a check value); null at the end of input. */
        String readLine(String prompt);

        /** A secret typed without echo (a password, a key component); null at the end of input. */
        char[] readSecret(String prompt);
    }

    /**
     * Retries of one request, with the same request id: {@code attempts} in all, waiting {@code firstPause}, then
     * twice as long each time.
     */
    record Retry(int attempts, Duration firstPause) {
        static final Retry DEFAULT = new Retry(4, Duration.ofMillis(300));
    }

    /** The process's own environment, streams and console. */
    static CliContext system() {
        final Console console = System.console();
        final Charset charset = console != null ? console.charset() : Charset.defaultCharset();
        final Terminal terminal = console == null ? null : new Terminal() {
            @Override
            public String readLine(final String prompt) {
                return console.readLine("%s", prompt);
            }

            @Override
            public char[] readSecret(final String prompt) {
                return console.readPassword("%s", prompt);
            }
        };
        return new CliContext(System.getenv(), System.in, new PrintWriter(new java.io.OutputStreamWriter(System.out,
                charset), true), new PrintWriter(new java.io.OutputStreamWriter(System.err, charset), true), terminal,
                Retry.DEFAULT);
    }
}
