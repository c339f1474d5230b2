package dev.prepaid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The operators of the demo business (config/demo/bootstrap.yaml: {@code <id>-demo} passwords), each logged in
 * through the CLI with a session file of its own. A bootstrap password the switch wants changed first is
 * changed at the first login, so the tests run whether or not the bootstrap marks it so.
 */
final class DemoOperators {
    private final Cli cli;
    private final Path sessions;
    private final Map<String, String> passwords = new HashMap<>();
    private final Map<String, Cli> loggedIn = new HashMap<>();

    DemoOperators(final Cli cli, final Path sessions) {
        this.cli = cli;
        this.sessions = sessions;
    }

    /** The password an operator has now. */
    String password(final String operatorId) {
        return passwords.getOrDefault(operatorId, operatorId + "-demo");
    }

    /** The CLI of {@code operatorId}, logged in (once, the first time it is asked for). */
    Cli as(final String operatorId) {
        final Cli own = loggedIn.get(operatorId);
        return own != null ? own : login(operatorId, password(operatorId));
    }

    /** Logs {@code operatorId} in with {@code password}, changing it first if the switch demands it. */
    Cli login(final String operatorId, final String password) {
        final Cli own = cli.session(sessions.resolve(operatorId + ".session"));
        final Cli.Result login = own.input(password + "\n", "login", "--operator", operatorId, "--password-stdin",
                "--json");
        assertThat(login.exitCode()).as("%s", login).isZero();
        passwords.put(operatorId, password);
        if (login.json().path("mustChangePassword").asBoolean()) {
            final String fresh = operatorId + "-changed-in-test";
            final Cli.Result changed = own.input(password + "\n" + fresh + "\n", "passwd", "--password-stdin");
            assertThat(changed.exitCode()).as("%s", changed).isZero();
            passwords.put(operatorId, fresh);
        }
        loggedIn.put(operatorId, own);
        return own;
    }
}
