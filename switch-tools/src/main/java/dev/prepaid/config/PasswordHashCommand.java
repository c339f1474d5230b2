package dev.prepaid.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code bin/prepaid password-hash}: the Argon2id hash of an operator's password for the bootstrap file's
 * {@code passwordHash} (a real installation gives no clear passwords). The cost comes from the installation's
 * {@code admin.passwordHashing}, so the hash is what the switch itself would make. The password is read without
 * echo (typed twice) or from standard input, never from the command line, where {@code ps} and the shell's
 * history would keep it.
 */
public final class PasswordHashCommand {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    /** Shorter passwords are refused: an operator can move money. */
    static final int MIN_LENGTH = 12;

    static final String USAGE_TEXT = String.join("\n",
            "usage: bin/prepaid password-hash [--config FILE] [--stdin]",
            "",
            "  prints the Argon2id hash ($argon2id$v=19$m=...) of an operator password, for passwordHash in the",
            "  bootstrap file. The password is typed twice without echo, or read as one line from standard input",
            "  with --stdin. At least " + MIN_LENGTH + " characters.",
            "",
            "  --config FILE   the switch configuration whose admin.passwordHashing sets the cost",
            "                  (default config/switch.yaml)",
            "",
            "exit status: 0 printed, 1 refused (the message says why), 2 bad arguments");

    private final Path home;
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final SecretInput.Console console;

    PasswordHashCommand(final Path home, final InputStream in, final PrintStream out, final PrintStream err,
            final SecretInput.Console console) {
        this.home = home;
        this.in = in;
        this.out = out;
        this.err = err;
        this.console = console;
    }

    public static void main(final String[] args) {
        final SecretInput.Console console = SecretInput.Console.system();
        System.exit(new PasswordHashCommand(SwitchConfig.home(), System.in, System.out, System.err, console).run(args));
    }

    int run(final String[] args) {
        String configFile = null;
        boolean stdin = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> {
                    out.println(USAGE_TEXT);
                    return OK;
                }
                case "--stdin" -> stdin = true;
                case "--config" -> {
                    if (configFile != null) {
                        return usage("--config given twice");
                    }
                    if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                        return usage("--config needs a file");
                    }
                    configFile = args[++i];
                }
                default -> {
                    // A word that is not an option may well be the password itself: it is not repeated.
                    return usage(args[i].startsWith("--") ? "unknown option " + args[i]
                            : "unexpected argument, not shown: the password is never given on the command line;"
                                    + " type it when asked, or pipe it in with --stdin");
                }
            }
        }
        final PasswordHashing cost;
        try {
            cost = cost(configFile);
        } catch (final ConfigException e) {
            err.println("password-hash: " + e.getMessage());
            return FAILED;
        }
        char[] password = null;
        try {
            password = new SecretInput("password-hash", "password", in, err, console).read(stdin, "operator password: ");
            if (password == null) {
                return FAILED;
            }
            if (password.length < MIN_LENGTH) {
                err.println("password-hash: the password has " + password.length + " characters; at least "
                        + MIN_LENGTH + " are needed");
                return FAILED;
            }
            out.println(new PasswordHasher(cost).hash(password));
            return OK;
        } catch (final IOException e) {
            err.println("password-hash: cannot read the password: " + e.getMessage());
            return FAILED;
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    private PasswordHashing cost(final String configFile) {
        return SwitchConfig.loadGiven(configFile, home).admin().passwordHashing();
    }

    private int usage(final String problem) {
        err.println("password-hash: " + problem + " (bin/prepaid password-hash --help)");
        return USAGE;
    }
}
