package dev.prepaid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Logging in and out, whoami, passwords, new operators, and an endpoint that is not there. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionCommandsTest {
    @TempDir
    static Path scratch;

    private TestSwitch demo;
    private Cli cli;
    private DemoOperators operators;

    @BeforeAll
    void start() throws IOException {
        demo = TestSwitch.start(Files.createDirectory(scratch.resolve("switch")));
        cli = Cli.of(demo.endpoint, Files.createDirectory(scratch.resolve("home")));
        operators = new DemoOperators(cli, Files.createDirectory(scratch.resolve("sessions")));
    }

    @AfterAll
    void stop() {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void loginKeepsTheTokenOwnerOnlyAndWhoamiShowsTheOperator() throws IOException {
        final Path home = Files.createDirectory(scratch.resolve("home-login"));
        final Cli own = Cli.of(demo.endpoint, home);
        final Cli.Result login = own.input(operators.password("auditor") + "\n", "login", "--operator", "auditor",
                "--password-stdin");

        assertThat(login.exitCode()).as("%s", login).isZero();
        assertThat(login.out()).contains("logged in to " + demo.endpoint + " as auditor (Demo Auditor, AUDITOR)");
        final Path session = home.resolve(".config/prepaid-admin/session");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(session))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(session.getParent())))
                .isEqualTo("rwx------");

        final Cli.Result whoami = own.run("whoami");
        assertThat(whoami.exitCode()).as("%s", whoami).isZero();
        assertThat(whoami.out()).containsPattern("operatorId +auditor").containsPattern("role +AUDITOR");
        final JsonNode me = own.ok("whoami", "--json").json();
        assertThat(me.path("operatorId").asText()).isEqualTo("auditor");
        assertThat(me.path("role").asText()).isEqualTo("AUDITOR");
        assertThat(me.has("expiresAt")).isTrue();
    }

    @Test
    void aWrongPasswordIsExitCode4AndLeavesNoSession() throws IOException {
        final Path home = Files.createDirectory(scratch.resolve("home-wrong"));
        final Cli own = Cli.of(demo.endpoint, home);

        final Cli.Result login = own.input("not-the-password\n", "login", "--operator", "finance2", "--password-stdin");

        assertThat(login.exitCode()).as("%s", login).isEqualTo(Exit.NOT_ALLOWED);
        assertThat(login.err()).isEqualTo("prepaid-admin: wrong operator id or password\n");
        assertThat(home.resolve(".config/prepaid-admin/session")).doesNotExist();
        final Cli.Result whoami = own.run("whoami");
        assertThat(whoami.exitCode()).isEqualTo(Exit.NOT_ALLOWED);
        assertThat(whoami.err()).contains("not logged in: run 'prepaid-admin login' first");
    }

    @Test
    void logoutEndsTheSessionOnTheSwitchAndDeletesTheFile() throws IOException {
        final Cli finance = operators.login("finance", operators.password("finance"));
        final Path file = scratch.resolve("sessions/finance.session");
        final byte[] token = Files.readAllBytes(file);

        final Cli.Result logout = finance.run("logout");

        assertThat(logout.exitCode()).as("%s", logout).isZero();
        assertThat(logout.out()).isEqualTo("logged out finance\n");
        assertThat(file).doesNotExist();
        // The old token no longer opens anything: the switch ended the session, not only this file.
        Files.write(file, token);
        final Cli.Result whoami = finance.run("whoami");
        assertThat(whoami.exitCode()).isEqualTo(Exit.NOT_ALLOWED);
        assertThat(whoami.err()).contains("the session has ended").contains("prepaid-admin login");
        assertThat(file).as("a dead token is not kept").doesNotExist();
        assertThat(finance.run("logout").out()).isEqualTo("not logged in\n");
    }

    @Test
    void aNewOperatorMustChangeItsPasswordBeforeAnythingElse() {
        final Cli admin = operators.as("admin");
        final Cli.Result created = admin.input("first-password-0\nfirst-password-0\n", "operator", "create", "alice",
                "--name", "Alice Wang", "--role", "CLERK", "--password-stdin");
        assertThat(created.exitCode()).as("%s", created).isZero();
        assertThat(created.out()).startsWith("UPSERT_OPERATOR applied").contains("alice must change this password");
        assertThat(admin.ok("operator", "show", "alice", "--json").json().path("mustChangePassword").asBoolean()).isTrue();

        final Cli alice = cli.session(scratch.resolve("sessions/alice.session"));
        final Cli.Result login = alice.input("first-password-0\n", "login", "--operator", "alice", "--password-stdin");
        assertThat(login.exitCode()).as("%s", login).isZero();
        assertThat(login.err()).contains("must be changed before anything else: run 'prepaid-admin passwd' now");
        final Cli.Result refused = alice.run("card", "show", "8888000100000017");
        assertThat(refused.exitCode()).isEqualTo(Exit.NOT_ALLOWED);
        assertThat(refused.err()).startsWith("prepaid-admin: the password was set by someone else")
                .endsWith("run 'prepaid-admin passwd'\n");

        final Cli.Result changed = alice.input("first-password-0\nalice-own-password\n", "passwd", "--password-stdin");
        assertThat(changed.exitCode()).as("%s", changed).isZero();
        assertThat(changed.out()).isEqualTo("password of alice changed\n");
        assertThat(alice.ok("card", "show", "8888000100000017").out()).containsPattern("status +ACTIVE");

        assertThat(alice.input("first-password-0\n", "login", "--operator", "alice", "--password-stdin").exitCode())
                .isEqualTo(Exit.NOT_ALLOWED);
        assertThat(alice.input("alice-own-password\n", "login", "--operator", "alice", "--password-stdin").exitCode())
                .isZero();
    }

    @Test
    void createRefusesAnOperatorThatExists() {
        final Cli.Result again = operators.as("admin").input("some-password-1\n", "operator", "create", "clerk",
                "--name", "Another Clerk", "--role", "CLERK", "--password-stdin");

        assertThat(again.exitCode()).isEqualTo(Exit.REFUSED);
        assertThat(again.err()).contains("operator 'clerk' exists already");
    }

    @Test
    void passwordsAreTypedWithoutEchoAndANewOneTwice() {
        final ScriptedTerminal person = new ScriptedTerminal(operators.password("clerk"), "clerk-new-password",
                "clerk-typo-password");
        final Cli.Result mistyped = operators.as("clerk").typing(person).run("passwd");

        assertThat(mistyped.exitCode()).isEqualTo(Exit.BAD_INPUT);
        assertThat(mistyped.err()).isEqualTo("prepaid-admin: the two new passwords differ; nothing was sent\n");
        assertThat(person.secretPrompts).containsExactly("Current password: ", "New password: ",
                "The same new password again: ");
        final Cli.Result noTerminal = operators.as("clerk").run("passwd");
        assertThat(noTerminal.exitCode()).isEqualTo(Exit.BAD_INPUT);
        assertThat(noTerminal.err()).contains("no terminal to type the current password on")
                .contains("--password-stdin");
    }

    @Test
    void anEndpointThatIsNotThereIsExitCode5() throws IOException {
        final int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        final Cli.Result login = cli.session(scratch.resolve("sessions/nowhere.session")).input("whatever-password\n",
                "login", "--operator", "clerk", "--password-stdin", "--endpoint", "http://127.0.0.1:" + closedPort);

        assertThat(login.exitCode()).isEqualTo(Exit.UNREACHABLE);
        assertThat(login.err()).startsWith("prepaid-admin: cannot connect to http://127.0.0.1:" + closedPort);
    }

    @Test
    void aSessionIsUsedOnlyWithTheEndpointItWasOpenedAt() {
        final Cli.Result elsewhere = operators.as("auditor").run("whoami", "--endpoint", "http://127.0.0.1:9");

        assertThat(elsewhere.exitCode()).isEqualTo(Exit.NOT_ALLOWED);
        assertThat(elsewhere.err()).contains("is for " + demo.endpoint + ", not http://127.0.0.1:9");
    }
}
