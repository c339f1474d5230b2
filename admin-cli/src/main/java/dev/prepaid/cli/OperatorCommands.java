package dev.prepaid.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.prepaid.operator.OperatorStatus;
import dev.prepaid.operator.Role;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The operators: create one (with a first password it must change), list and show them, change a role, lock,
 * unlock, reset a password, disable, enable. Role, scope and status changes are UPSERT_OPERATOR of the whole
 * operator: the CLI reads it first and changes only what was asked.
 */
@Command(name = "operator", mixinStandardHelpOptions = true, description = "Operators: who may log in, with which"
        + " role.",
        subcommands = {OperatorCommands.Create.class, OperatorCommands.ListAll.class, OperatorCommands.Show.class,
            OperatorCommands.ChangeRole.class, OperatorCommands.Lock.class, OperatorCommands.Unlock.class,
            OperatorCommands.ResetPassword.class, OperatorCommands.Disable.class, OperatorCommands.Enable.class})
final class OperatorCommands {
    /** The roles an operator may be given (SYSTEM is the switch itself). */
    static final class Roles implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Arrays.stream(Role.values()).filter(r -> r != Role.SYSTEM).map(Role::storedName).iterator();
        }
    }

    private static final List<String> COLUMNS = List.of("operatorId", "name", "role", "merchantScope", "status",
            "locked", "mustChangePassword", "wrongPasswords");

    /** The operator as the endpoint shows it; not found is exit code 3. */
    static JsonNode current(final Action action, final String operatorId) {
        return action.read("/v1/operators/" + PrepaidAdmin.segment(operatorId));
    }

    /** UPSERT_OPERATOR fields of an operator as it is, for a change of one of them. */
    static ObjectNode asItIs(final Action action, final JsonNode operator) {
        final ObjectNode fields = action.fields();
        for (final String name : List.of("operatorId", "name", "role", "merchantScope", "status")) {
            fields.put(name, operator.path(name).asText(""));
        }
        return fields;
    }

    @Command(name = "create", description = "Creates an operator with a first password, typed twice without echo (or"
            + " one line of standard input). The operator must change it at the first login.",
            footer = {"", "Example:",
                "  prepaid-admin operator create alice --name 'Alice Wang' --role CLERK",
                "  prepaid-admin operator create shop2 --name 'Coffee manager' --role \\",
                "      MERCHANT_USER --merchant-scope 888310058120002"})
    static final class Create extends Action.Write {
        @Parameters(index = "0", paramLabel = "ID", description = "the operator id, used to log in (at most 32"
                + " characters)")
        String operatorId;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "the person's name")
        String name;

        @Option(names = "--role", required = true, paramLabel = "ROLE", completionCandidates = Roles.class,
                description = "one of ${COMPLETION-CANDIDATES}")
        Role role;

        @Option(names = "--merchant-scope", paramLabel = "MERCHANT", description = "the one merchant the operator is"
                + " limited to (every MERCHANT_USER has one)")
        String merchantScope = "";

        @Option(names = "--password-stdin", description = "read the first password as one line of standard input")
        boolean passwordStdin;

        @Override
        public Integer call() {
            // UPSERT_OPERATOR would silently replace an operator of that id (and its password): create only creates.
            if (cli().readIfPresent("/v1/operators/" + PrepaidAdmin.segment(operatorId), spec) != null) {
                throw new CliFailure(Exit.REFUSED, "operator '" + operatorId + "' exists already: change it with"
                        + " 'operator role', 'operator reset-password', 'operator disable'");
            }
            final char[] password = cli().secret("first password of " + operatorId, passwordStdin, true);
            final ObjectNode fields = fields();
            fields.put("operatorId", operatorId);
            fields.put("name", name);
            fields.put("role", role.storedName());
            fields.put("merchantScope", merchantScope);
            fields.put("status", OperatorStatus.ACTIVE.storedName());
            cli().printApplied(applied("UPSERT_OPERATOR", fields, password));
            if (!cli().jsonOutput()) {
                cli().out().println(operatorId + " must change this password at the first login ('"
                        + PrepaidAdmin.NAME + " passwd')");
            }
            return Exit.OK;
        }
    }

    @Command(name = "list", description = "Lists the operators: role, scope, status, lock, password to change.",
            footer = {"", "Example:", "  prepaid-admin operator list --all"})
    static final class ListAll extends Action.Lister {
        @Override
        public Integer call() {
            return list("/v1/operators", "", page, COLUMNS);
        }
    }

    @Command(name = "show", description = "Shows one operator (never a password or its hash).",
            footer = {"", "Example:", "  prepaid-admin operator show clerk"})
    static final class Show extends Action {
        @Parameters(index = "0", paramLabel = "ID")
        String operatorId;

        @Override
        public Integer call() {
            return show(current(this, operatorId));
        }
    }

    @Command(name = "role", description = "Gives an operator another role (and merchant scope); its sessions end.",
            footer = {"", "Example:", "  prepaid-admin operator role alice SUPERVISOR"})
    static final class ChangeRole extends Action.Write {
        @Parameters(index = "0", paramLabel = "ID")
        String operatorId;

        @Parameters(index = "1", paramLabel = "ROLE", completionCandidates = Roles.class,
                description = "one of ${COMPLETION-CANDIDATES}")
        Role role;

        @Option(names = "--merchant-scope", paramLabel = "MERCHANT", description = "the merchant it is limited to"
                + " (default: as it is; \"\" for none)")
        String merchantScope;

        @Override
        public Integer call() {
            final ObjectNode fields = asItIs(this, current(this, operatorId));
            fields.put("role", role.storedName());
            if (merchantScope != null) {
                fields.put("merchantScope", merchantScope);
            }
            return apply("UPSERT_OPERATOR", fields);
        }
    }

    /** A command whose only field is the operator id. */
    abstract static class OnOperator extends Action.Write {
        @Parameters(index = "0", paramLabel = "ID")
        String operatorId;

        int apply(final String type) {
            final ObjectNode fields = fields();
            fields.put("operatorId", operatorId);
            return apply(type, fields);
        }
    }

    @Command(name = "lock", description = "Locks an operator: no login and no command until unlocked; its sessions"
            + " end.",
            footer = {"", "Example:", "  prepaid-admin operator lock alice --note 'left the company'"})
    static final class Lock extends OnOperator {
        @Override
        public Integer call() {
            return apply("LOCK_OPERATOR");
        }
    }

    @Command(name = "unlock", description = "Unlocks an operator (locked by an administrator or by too many wrong"
            + " passwords) and clears its wrong passwords.",
            footer = {"", "Example:", "  prepaid-admin operator unlock alice"})
    static final class Unlock extends OnOperator {
        @Override
        public Integer call() {
            return apply("UNLOCK_OPERATOR");
        }
    }

    @Command(name = "reset-password", description = "Sets a new password for an operator, typed twice without echo"
            + " (or one line of standard input); the operator must change it at the next login. Also unlocks it.",
            footer = {"", "Example:", "  prepaid-admin operator reset-password alice"})
    static final class ResetPassword extends OnOperator {
        @Option(names = "--password-stdin", description = "read the password as one line of standard input")
        boolean passwordStdin;

        @Override
        public Integer call() {
            final char[] password = cli().secret("new password of " + operatorId, passwordStdin, true);
            final ObjectNode fields = fields();
            fields.put("operatorId", operatorId);
            cli().printApplied(applied("RESET_PASSWORD", fields, password));
            return Exit.OK;
        }
    }

    /** Sets the status of an operator, keeping the rest. */
    abstract static class SetStatus extends OnOperator {
        int set(final OperatorStatus status) {
            final ObjectNode fields = asItIs(this, current(this, operatorId));
            fields.put("status", status.storedName());
            return apply("UPSERT_OPERATOR", fields);
        }
    }

    @Command(name = "disable", description = "Disables an operator (kept for the audit trail, may not log in); its"
            + " sessions end.", footer = {"", "Example:", "  prepaid-admin operator disable alice"})
    static final class Disable extends SetStatus {
        @Override
        public Integer call() {
            return set(OperatorStatus.DISABLED);
        }
    }

    @Command(name = "enable", description = "Enables a disabled operator again.",
            footer = {"", "Example:", "  prepaid-admin operator enable alice"})
    static final class Enable extends SetStatus {
        @Override
        public Integer call() {
            return set(OperatorStatus.ACTIVE);
        }
    }

    private OperatorCommands() {
    }
}
