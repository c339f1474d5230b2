package dev.prepaid.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The switch as a whole, and the way around the named commands: the state of the switch, the catalog of every
 * command the endpoint takes, any of them by its name and fields, and the shell completion script.
 */
@Command(name = "system", mixinStandardHelpOptions = true, description = "The switch itself.",
        subcommands = SystemCommands.Status.class)
final class SystemCommands {
    private SystemCommands() {
    }

    @Command(name = "status", description = "Shows the state of the switch: business date, counts, approvals waiting,"
            + " open holds (the ledger); node, journal, durability, free disk, snapshot, ring, heap, connections (the"
            + " switch).", footer = {"", "Example:", "  prepaid-admin system status"})
    static final class Status extends Action {
        @Override
        public Integer call() {
            return show(read("/v1/status"));
        }
    }

    @Command(name = "commands", description = "Lists every command the endpoint takes, who may issue it, and its"
            + " fields (GET /v1/commands): what 'prepaid-admin command' sends.",
            footer = {"", "Example:", "  prepaid-admin commands", "  prepaid-admin commands --json"})
    static final class Catalog extends Action {
        @Override
        public Integer call() {
            final JsonNode catalog = read("/v1/commands");
            if (cli().jsonOutput()) {
                cli().printJson(catalog);
                return Exit.OK;
            }
            final List<JsonNode> rows = new ArrayList<>();
            for (final JsonNode entry : catalog) {
                final ObjectNode row = cli().object();
                row.put("command", entry.path("command").asText());
                row.put("code", entry.path("code").asInt());
                final List<String> roles = new ArrayList<>();
                entry.path("roles").forEach(role -> roles.add(role.asText()));
                row.put("roles", entry.path("systemOnly").asBoolean() ? "(the switch itself)" : String.join(",", roles));
                final List<String> names = new ArrayList<>();
                entry.path("fields").fieldNames().forEachRemaining(names::add);
                row.put("fields", String.join(" ", names));
                rows.add(row);
            }
            Output.table(cli().out(), List.of("command", "code", "roles", "fields"), rows);
            return Exit.OK;
        }
    }

    @Command(name = "command", description = "Sends any command of the catalog ('prepaid-admin commands') by its name"
            + " and fields, as the endpoint takes them: amounts in fen, dates yyyymmdd, rates in parts per million,"
            + " enums by name. For what has no command of its own (settlement, payouts) and for scripts.",
            footer = {"", "Example:",
                "  prepaid-admin command PREPARE_SETTLEMENT",
                "  prepaid-admin command RECORD_PAYOUT_RESULT --field settlementId=3 --field \\",
                "      merchantId=888310048990001 --field success=true --field \\",
                "      bankReference=B20260302-0042",
                "  prepaid-admin command UPSERT_TERMINAL --fields-json terminal.json"})
    static final class Generic extends Action.Write {
        @Parameters(index = "0", paramLabel = "TYPE", description = "the command's name, e.g. PREPARE_SETTLEMENT"
                + " (prepare-settlement also works)")
        String type;

        @Option(names = "--field", paramLabel = "NAME=VALUE", description = "one field; repeat for each")
        Map<String, String> given = new java.util.LinkedHashMap<>();

        @Option(names = "--fields-json", paramLabel = "FILE", description = "the fields as a JSON object (--field"
                + " overrides them)")
        Path fieldsJson;

        @Option(names = "--with-password", description = "UPSERT_OPERATOR, RESET_PASSWORD: ask for the password to"
                + " set (typed twice)")
        boolean withPassword;

        @Option(names = "--password-stdin", description = "with --with-password: read it as one line of standard"
                + " input")
        boolean passwordStdin;

        @Override
        public Integer call() {
            final JsonNode catalog = read("/v1/commands");
            final String name = type.toUpperCase(Locale.ROOT).replace('-', '_');
            JsonNode entry = null;
            final List<String> known = new ArrayList<>();
            for (final JsonNode e : catalog) {
                known.add(e.path("command").asText());
                if (e.path("command").asText().equals(name)) {
                    entry = e;
                }
            }
            if (entry == null) {
                throw CliFailure.badInput("no command '" + type + "'; the endpoint takes " + String.join(", ", known));
            }
            final JsonNode catalogFields = entry.path("fields");
            final ObjectNode fields = fieldsFromFile();
            for (final Map.Entry<String, String> field : given.entrySet()) {
                final JsonNode takes = catalogFields.get(field.getKey());
                if (takes == null || field.getKey().equals("password")) {
                    throw CliFailure.badInput(name + " has no field '" + field.getKey() + "'; its fields are "
                            + fieldNames(catalogFields));
                }
                fields.set(field.getKey(), value(field.getKey(), takes.asText(), field.getValue()));
            }
            final boolean takesPassword = catalogFields.has("password");
            if (withPassword && !takesPassword) {
                throw CliFailure.badInput(name + " takes no password");
            }
            final char[] password = withPassword ? cli().secret("password to set", passwordStdin, true) : null;
            cli().printApplied(applied(name, fields, password));
            return Exit.OK;
        }

        private ObjectNode fieldsFromFile() {
            if (fieldsJson == null) {
                return fields();
            }
            final JsonNode node;
            try {
                node = cli().mapper().readTree(fieldsJson.toFile());
            } catch (final IOException e) {
                throw CliFailure.badInput("--fields-json " + fieldsJson + ": " + e.getMessage());
            }
            if (node == null || !node.isObject()) {
                throw CliFailure.badInput("--fields-json " + fieldsJson + " must hold one JSON object of fields");
            }
            return (ObjectNode) node;
        }

        private static String fieldNames(final JsonNode catalogFields) {
            final List<String> names = new ArrayList<>();
            for (final Iterator<String> it = catalogFields.fieldNames(); it.hasNext(); ) {
                final String n = it.next();
                if (!n.equals("password")) {
                    names.add(n);
                }
            }
            return names.isEmpty() ? "none" : String.join(", ", names);
        }

        /** A field's text as the JSON the catalog says it takes ("boolean", "integer", "text", "one of A, B"). */
        static JsonNode value(final String field, final String takes, final String text) {
            if (takes.equals("boolean")) {
                if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
                    throw CliFailure.badInput("--field " + field + ": true or false, not '" + text + "'");
                }
                return BooleanNode.valueOf(Boolean.parseBoolean(text.toLowerCase(Locale.ROOT)));
            }
            if (takes.startsWith("integer")) {
                try {
                    return LongNode.valueOf(Long.parseLong(text.trim()));
                } catch (final NumberFormatException e) {
                    throw CliFailure.badInput("--field " + field + ": a whole number (amounts in fen, dates yyyymmdd),"
                            + " not '" + text + "'");
                }
            }
            if (takes.startsWith("one of ")) {
                for (final String constant : takes.substring("one of ".length()).split(",\\s*")) {
                    if (constant.equalsIgnoreCase(text.trim())) {
                        return TextNode.valueOf(constant);
                    }
                }
                throw CliFailure.badInput("--field " + field + ": " + takes + ", not '" + text + "'");
            }
            return TextNode.valueOf(text);
        }
    }

    @Command(name = "completion", description = "Prints a bash (and zsh) completion script of every command and"
            + " option. Load it with: source <(prepaid-admin completion)",
            footer = {"", "Example:",
                "  prepaid-admin completion > \\",
                "      ~/.local/share/bash-completion/completions/prepaid-admin"})
    static final class Completion extends Action {
        @Override
        public Integer call() {
            cli().out().print(AutoComplete.bash(PrepaidAdmin.NAME, spec.root().commandLine()));
            return Exit.OK;
        }
    }
}
