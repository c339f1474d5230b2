package dev.prepaid.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How the tools take a secret (an operator's password, a card's PIN): typed twice without echo, or one line of
 * standard input for a pipe — never from the command line, where {@code ps} and the shell history keep it. A
 * problem is one line on the error stream, naming the tool and the secret, and the secret is never shown.
 */
final class SecretInput {
    /** Reads without echo (the JVM's console); null when there is no terminal. */
    interface Console {
        char[] read(String prompt);

        /** The JVM's console, or null when there is no terminal. */
        static Console system() {
            return System.console() == null ? null : prompt -> System.console().readPassword("%s", prompt);
        }
    }

    private final String tool;
    private final String what;
    private final InputStream in;
    private final PrintStream err;
    private final Console console;

    /**
     * @param tool the command as messages name it ({@code keys}, {@code password-hash})
     * @param what the secret as messages name it ({@code PIN}, {@code password})
     */
    SecretInput(final String tool, final String what, final InputStream in, final PrintStream err,
            final Console console) {
        this.tool = tool;
        this.what = what;
        this.in = in;
        this.err = err;
        this.console = console;
    }

    /** The secret from standard input (--stdin) or typed twice; null, with the reason said, when there is none. */
    char[] read(final boolean fromStdin, final String prompt) throws IOException {
        return fromStdin ? fromStdin() : typedTwice(prompt);
    }

    private char[] fromStdin() throws IOException {
        final String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        if (line == null || line.isEmpty()) {
            err.println(tool + ": standard input held no " + what + " (one line expected)");
            return null;
        }
        return line.toCharArray();
    }

    private char[] typedTwice(final String prompt) {
        if (console == null) {
            err.println(tool + ": no terminal to type the " + what + " on; pipe it in with --stdin");
            return null;
        }
        final char[] first = console.read(prompt);
        final char[] second = first == null ? null : console.read("the same again: ");
        try {
            if (first == null || second == null) {
                err.println(tool + ": no " + what + " typed");
                return null;
            }
            if (!Arrays.equals(first, second)) {
                err.println(tool + ": the two " + what + "s differ; nothing printed");
                return null;
            }
            return first.clone();
        } finally {
            if (first != null) {
                Arrays.fill(first, '\0');
            }
            if (second != null) {
                Arrays.fill(second, '\0');
            }
        }
    }
}
