package dev.prepaid.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Logging in and out, who one is, and changing one's own password. */
final class SessionCommands {
    private SessionCommands() {
    }

    @Command(name = "login", description = "Logs in and keeps the session token in the session file (owner-only) for"
            + " the next commands. The password is typed without echo, or read from standard input.",
            footer = {"", "Example:",
                "  prepaid-admin login --operator clerk",
                "  printf '%s\\n' \"$PASSWORD\" | prepaid-admin login --operator clerk \\",
                "      --password-stdin"})
    static final class Login extends Action {
        @Option(names = "--operator", paramLabel = "ID", description = "the operator id (asked for when left out)")
        String operatorId;

        @Option(names = "--password-stdin", description = "read the password as one line of standard input")
        boolean passwordStdin;

        @Override
        public Integer call() {
            final PrepaidAdmin cli = cli();
            String id = operatorId;
            if (id == null) {
                id = cli.terminal("operator id", "give it with --operator ID").readLine("Operator: ");
                if (id == null || id.isBlank()) {
                    throw CliFailure.badInput("no operator id typed; give it with --operator ID");
                }
                id = id.trim();
            }
            cli.warnIfPlaintext();
            final char[] password = cli.secret("password", passwordStdin, false);
            final ObjectNode body = cli.object();
            body.put("operatorId", id);
            body.put("password", new String(password));
            Arrays.fill(password, '\0');
            final AdminClient.Answer answer = cli.client().post("/v1/login", body, null, false);
            if (!answer.ok()) {
                throw cli.fail(answer, spec);
            }
            final JsonNode me = answer.body();
            cli.sessionFile().save(new SessionFile.Session(cli.settings().endpoint().toString(),
                    me.path("operatorId").asText(id), me.path("token").asText(), me.path("expiresAt").asText()));
            if (cli.jsonOutput()) {
                // The token is a credential: it stays in the session file, not in a script's output or log.
                final ObjectNode shown = me.deepCopy();
                shown.remove("token");
                cli.printJson(shown);
            } else {
                cli.out().println("logged in to " + cli.settings().endpoint() + " as " + describe(me) + "; the session"
                        + " ends at " + me.path("expiresAt").asText());
            }
            if (me.path("mustChangePassword").asBoolean()) {
                cli.err().println(PrepaidAdmin.NAME + ": the password was set by someone else and must be changed"
                        + " before anything else: run '" + PrepaidAdmin.NAME + " passwd' now");
            }
            return Exit.OK;
        }
    }

    /** "clerk (Demo Clerk, CLERK)", with the merchant of a scoped operator. */
    static String describe(final JsonNode me) {
        final String name = me.path("name").asText("");
        final String scope = me.path("merchantScope").asText("");
        return me.path("operatorId").asText() + " (" + (name.isEmpty() ? "" : name + ", ") + me.path("role").asText()
                + (scope.isEmpty() ? "" : ", merchant " + scope) + ")";
    }

    @Command(name = "logout", description = "Ends the session on the switch and deletes the session file.",
            footer = {"", "Example:", "  prepaid-admin logout"})
    static final class Logout extends Action {
        @Override
        public Integer call() {
            final PrepaidAdmin cli = cli();
            final SessionFile file = cli.sessionFile();
            final SessionFile.Session session = file.load();
            if (session == null) {
                cli.out().println("not logged in");
                return Exit.OK;
            }
            // The file goes first: even when the switch cannot be told, the token is no longer lying around. The
            // session ends where it was opened, whatever endpoint this run would otherwise talk to.
            file.delete();
            final AdminClient.Answer answer;
            try {
                answer = cli.clientFor(java.net.URI.create(session.endpoint())).post("/v1/logout", null,
                        session.token(), true);
            } catch (final CliFailure e) {
                throw new CliFailure(e.exitCode, "deleted the session file, but the switch could not be told: "
                        + e.getMessage() + "; the token ends by itself at " + session.expiresAt());
            }
            if (answer.ok() || answer.status() == 401) {
                if (cli.jsonOutput()) {
                    cli.printJson(answer.body());
                } else {
                    cli.out().println("logged out " + session.operatorId());
                }
                return Exit.OK;
            }
            throw cli.fail(answer, spec);
        }
    }

    @Command(name = "whoami", description = "Shows who is logged in: operator, role, merchant scope, when the session"
            + " ends, whether the password must be changed first.",
            footer = {"", "Example:", "  prepaid-admin whoami"})
    static final class Whoami extends Action {
        @Override
        public Integer call() {
            final JsonNode me = read("/v1/whoami");
            if (cli().jsonOutput()) {
                cli().printJson(me);
                return Exit.OK;
            }
            final ObjectNode shown = cli().object();
            shown.put("endpoint", cli().settings().endpoint().toString());
            shown.setAll((ObjectNode) me);
            Output.keyValues(cli().out(), shown, "");
            if (me.path("mustChangePassword").asBoolean()) {
                cli().out().println("(change the password first: '" + PrepaidAdmin.NAME + " passwd')");
            }
            return Exit.OK;
        }
    }

    @Command(name = "passwd", description = "Changes the password of the operator logged in. Asks for the current"
            + " password, then the new one twice (at least 12 characters); with --password-stdin reads two lines: the"
            + " current password, then the new one. The session stays open.",
            footer = {"", "Example:", "  prepaid-admin passwd",
                "  printf '%s\\n%s\\n' \"$OLD\" \"$NEW\" | prepaid-admin passwd --password-stdin"})
    static final class Passwd extends Action {
        @Option(names = "--password-stdin", description = "read the current and the new password as two lines of"
                + " standard input")
        boolean passwordStdin;

        @Option(names = "--note", paramLabel = "TEXT", description = "kept with the change in the journal")
        String note = "";

        @Override
        public Integer call() {
            final PrepaidAdmin cli = cli();
            final SessionFile.Session session = cli.session();
            final char[] current = cli.secret("current password", passwordStdin, false);
            final char[] fresh;
            try {
                fresh = cli.secret("new password", passwordStdin, true);
            } catch (final CliFailure e) {
                Arrays.fill(current, '\0');
                throw e;
            }
            final ObjectNode body = cli.object();
            body.put("requestId", cli.newRequestId());
            body.put("currentPassword", new String(current));
            body.put("newPassword", new String(fresh));
            if (!note.isEmpty()) {
                body.put("note", note);
            }
            Arrays.fill(current, '\0');
            Arrays.fill(fresh, '\0');
            final AdminClient.Answer answer = cli.client().post("/v1/password", body, session.token(), true);
            if (!answer.ok()) {
                if ("currentPassword".equals(answer.body().path("field").asText())) {
                    if (cli.jsonOutput()) {
                        cli.printJson(answer.body());
                    }
                    throw new CliFailure(Exit.NOT_ALLOWED, "the current password is wrong; nothing was changed");
                }
                throw cli.fail(answer, spec);
            }
            if (cli.jsonOutput()) {
                cli.printJson(answer.body());
            } else {
                cli.out().println("password of " + session.operatorId() + " changed"
                        + (answer.body().path("duplicate").asBoolean() ? " (repeat of an earlier request)" : ""));
            }
            return Exit.OK;
        }
    }
}
