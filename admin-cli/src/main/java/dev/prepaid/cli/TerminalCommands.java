package dev.prepaid.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.prepaid.merchant.DeployerShareMethod;
import dev.prepaid.merchant.MacAlgorithm;
import dev.prepaid.merchant.TerminalStatus;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * POS terminals: register one with its terminal master key (so it can sign on at once), enable, disable, show,
 * list. The TMK never appears on the command line: its components are typed without echo, each checked against
 * its custodian's check value before anything is sent, or it comes as a cryptogram under a transport key.
 */
@Command(name = "terminal", mixinStandardHelpOptions = true, description = "POS terminals and their keys.",
        subcommands = {TerminalCommands.Register.class, TerminalCommands.Enable.class, TerminalCommands.Disable.class,
            TerminalCommands.Show.class, TerminalCommands.ListAll.class})
final class TerminalCommands {
    private TerminalCommands() {
    }

    private static final List<String> COLUMNS = List.of("terminalId", "merchantId", "serialNumber", "status",
            "macAlgorithm", "deployerCode", "signedOn", "currentBatch", "debitAmount", "debitCount");
    private static final int COMPONENT_DIGITS = 32;
    private static final int SINGLE_COMPONENT_DIGITS = 16;

    static String path(final String terminalId) {
        return "/v1/terminals/" + PrepaidAdmin.segment(terminalId);
    }

    @Command(name = "register", description = "Registers a terminal (or re-keys one) and loads its TMK into the"
            + " running switch (POST /v1/terminals). The TMK comes as 2 or 3 components, each typed without echo by"
            + " its custodian and checked against the custodian's check value (Enter when there is none); or as"
            + " --under-transport-key with --transport-key. --check-value, the TMK's own check value, is always"
            + " needed: the switch stores the key only if it matches. Re-keying an existing terminal keeps its fields"
            + " unless options change them.",
            footer = {"", "Example:",
                "  prepaid-admin terminal register T0000042 --merchant 888310048990001 \\",
                "      --serial SN-42 --components 2 --check-value 08D7B4",
                "  prepaid-admin terminal register T0000042 --under-transport-key \\",
                "      6E8F1A2B3C4D5E6F7081920A1B2C3D4E --transport-key tk.acquirer \\",
                "      --check-value 08D7B4",
                "  printf '%s %s\\n' \"$C1\" \"$KCV1\" \"$C2\" \"$KCV2\" | prepaid-admin terminal \\",
                "      register T0000042 --merchant 888310048990001 --serial SN-42 \\",
                "      --components-stdin --check-value 08D7B4"})
    static final class Register extends Action.Write {
        @Parameters(index = "0", paramLabel = "TERMINAL_ID", description = "the terminal id (POS field 41, 8"
                + " characters)")
        String terminalId;

        @Option(names = "--merchant", paramLabel = "MERCHANT", description = "its merchant (needed for a new"
                + " terminal)")
        String merchantId;

        @Option(names = "--serial", paramLabel = "SERIAL", description = "its serial number (needed for a new"
                + " terminal)")
        String serialNumber;

        @Option(names = "--mac", paramLabel = "ALGORITHM", description = "its MAC algorithm, one of"
                + " ${COMPLETION-CANDIDATES} (default CUP_ECB)")
        MacAlgorithm macAlgorithm;

        @Option(names = "--status", paramLabel = "STATUS", description = "one of ${COMPLETION-CANDIDATES} (default"
                + " ACTIVE)")
        TerminalStatus status;

        @Option(names = "--deployer", paramLabel = "CODE", description = "the agent that deployed it (default none)")
        String deployerCode;

        @Option(names = "--share-method", paramLabel = "METHOD", description = "the deployer's share, one of"
                + " ${COMPLETION-CANDIDATES} (default NONE)")
        DeployerShareMethod shareMethod;

        @Option(names = "--share-rate", paramLabel = "PERCENT", converter = Inputs.Percent.class,
                description = "the deployer's share, per cent (default 0)")
        Long shareRatePpm;

        @Option(names = "--components", paramLabel = "N", description = "type the TMK as N components, 2 or 3 (the"
                + " default when no other key option is given: 2)")
        Integer components;

        @Option(names = "--components-stdin", description = "read the components from standard input instead, one a"
                + " line: the component's 32 hex digits, then (after a space) its check value if it has one")
        boolean componentsStdin;

        @Option(names = "--under-transport-key", paramLabel = "HEX", description = "the TMK encrypted (3DES ECB)"
                + " under the transport key: 32 hex digits")
        String cryptogram;

        @Option(names = "--transport-key", paramLabel = "tk.NAME", description = "the transport key of the key file"
                + " the cryptogram is under")
        String transportKey;

        @Option(names = "--check-value", required = true, paramLabel = "HEX", converter = Inputs.CheckValue.class,
                description = "the TMK's check value (6 hex digits)")
        String checkValue;

        @Override
        public Integer call() {
            final JsonNode existing = cli().readIfPresent(path(terminalId), spec);
            if (existing == null && (merchantId == null || serialNumber == null)) {
                throw CliFailure.badInput("terminal " + terminalId + " is new: give --merchant and --serial");
            }
            final ObjectNode tmk = key();
            final ObjectNode f = fields();
            f.put("terminalId", terminalId);
            f.put("merchantId", merchantId != null ? merchantId : existing.path("merchantId").asText());
            f.put("serialNumber", serialNumber != null ? serialNumber : existing.path("serialNumber").asText());
            f.put("status", status != null ? status.storedName()
                    : existing != null ? existing.path("status").asText() : TerminalStatus.ACTIVE.storedName());
            f.put("macAlgorithm", macAlgorithm != null ? macAlgorithm.storedName()
                    : existing != null ? existing.path("macAlgorithm").asText() : MacAlgorithm.CUP_ECB.storedName());
            f.put("deployerCode", deployerCode != null ? deployerCode
                    : existing != null ? existing.path("deployerCode").asText("") : "");
            f.put("shareMethod", shareMethod != null ? shareMethod.storedName()
                    : existing != null ? existing.path("shareMethod").asText() : DeployerShareMethod.NONE.storedName());
            f.put("shareRatePpm", shareRatePpm != null ? shareRatePpm
                    : existing != null ? existing.path("shareRatePpm").asLong() : 0L);
            final ObjectNode body = cli().object();
            body.put("requestId", cli().newRequestId());
            if (!note.isEmpty()) {
                body.put("note", note);
            }
            body.set("fields", f);
            body.set("tmk", tmk);
            final AdminClient.Answer answer = cli().client().post("/v1/terminals", body, cli().session().token(), true);
            if (!answer.ok()) {
                throw cli().fail(answer, spec);
            }
            cli().printApplied(answer.body());
            if (!cli().jsonOutput()) {
                cli().out().println("terminal " + terminalId + (existing == null ? " registered" : " re-keyed")
                        + "; it can sign on now");
            }
            return Exit.OK;
        }

        /** The {@code tmk} object of the request, from the key options; every component checked on the way. */
        private ObjectNode key() {
            final boolean byCryptogram = cryptogram != null || transportKey != null;
            if (byCryptogram && (components != null || componentsStdin)) {
                throw CliFailure.badInput("give the TMK either as components or as --under-transport-key, not both");
            }
            if (components != null && componentsStdin) {
                throw CliFailure.badInput("--components (typed) and --components-stdin exclude each other");
            }
            final ObjectNode tmk = cli().object();
            if (byCryptogram) {
                if (cryptogram == null || transportKey == null) {
                    throw CliFailure.badInput("--under-transport-key and --transport-key go together");
                }
                try {
                    tmk.put("underTransportKey", Inputs.hex(cryptogram, "--under-transport-key", COMPONENT_DIGITS,
                            SINGLE_COMPONENT_DIGITS));
                } catch (final IllegalArgumentException e) {
                    throw CliFailure.badInput(e.getMessage());
                }
                tmk.put("transportKey", transportKey);
            } else {
                final ArrayNode parts = tmk.putArray("components");
                if (componentsStdin) {
                    componentsFromStdin(parts);
                } else {
                    componentsTyped(components == null ? 2 : components, parts);
                }
            }
            tmk.put("checkValue", checkValue);
            return tmk;
        }

        private void componentsTyped(final int count, final ArrayNode parts) {
            if (count != 2 && count != 3) {
                throw CliFailure.badInput("--components is 2 or 3 (one per custodian), not " + count);
            }
            final CliContext.Terminal terminal = cli().terminal("key components", "use --components-stdin");
            for (int i = 1; i <= count; i++) {
                final char[] typed = terminal.readSecret("Component " + i + " of " + count + " (32 hex digits, not"
                        + " shown): ");
                if (typed == null) {
                    throw CliFailure.badInput("no component " + i + " typed; nothing was sent");
                }
                final String check = terminal.readLine("Check value of component " + i + " (Enter if none): ");
                try {
                    parts.add(component(new String(typed), check == null ? "" : check.trim(), i));
                } finally {
                    Arrays.fill(typed, '\0');
                }
            }
        }

        private void componentsFromStdin(final ArrayNode parts) {
            String line;
            int i = 0;
            while ((line = cli().stdinLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                i++;
                if (i > 3) {
                    throw CliFailure.badInput("standard input holds more than 3 components");
                }
                final String[] words = line.trim().split("\\s+");
                if (words.length > 2) {
                    throw CliFailure.badInput("line " + i + " of standard input: a component and its check value,"
                            + " nothing more");
                }
                parts.add(component(words[0], words.length == 2 ? words[1] : "", i));
            }
            if (i < 2) {
                throw CliFailure.badInput("standard input holds " + i + " component" + (i == 1 ? "" : "s") + "; a TMK is"
                        + " entered as 2 or 3");
            }
        }

        /** One component, well-formed and matching its check value when one is given; nothing is sent otherwise. */
        private static String component(final String hex, final String checkValue, final int number) {
            final String digits;
            try {
                digits = Inputs.hex(hex, "component " + number, COMPONENT_DIGITS, SINGLE_COMPONENT_DIGITS);
            } catch (final IllegalArgumentException e) {
                throw CliFailure.badInput(e.getMessage() + "; nothing was sent");
            }
            if (!checkValue.isEmpty()) {
                if (!checkValue.matches("[0-9A-Fa-f]{4,16}") || checkValue.length() % 2 != 0) {
                    throw CliFailure.badInput("the check value of component " + number + " is 4 to 16 hex digits (6, as"
                            + " printed); got " + checkValue.length() + " characters");
                }
                final byte[] key = HexFormat.of().parseHex(digits);
                try {
                    if (!KeyCheckValues.matches(key, checkValue)) {
                        throw CliFailure.badInput("component " + number + " does not match its check value "
                                + checkValue.toUpperCase(java.util.Locale.ROOT) + ": it was mistyped; nothing was sent");
                    }
                } finally {
                    Arrays.fill(key, (byte) 0);
                }
            }
            return digits;
        }
    }

    /** Changes a terminal's status without touching its key (UPSERT_TERMINAL of the terminal as it is). */
    abstract static class SetStatus extends Action.Write {
        @Parameters(index = "0", paramLabel = "TERMINAL_ID")
        String terminalId;

        int set(final TerminalStatus status) {
            final JsonNode current = read(path(terminalId));
            final ObjectNode f = fields();
            for (final String name : List.of("terminalId", "merchantId", "serialNumber", "macAlgorithm", "keyReference",
                    "deployerCode", "shareMethod")) {
                f.put(name, current.path(name).asText(""));
            }
            f.put("shareRatePpm", current.path("shareRatePpm").asLong());
            f.put("status", status.storedName());
            return apply("UPSERT_TERMINAL", f);
        }
    }

    @Command(name = "enable", description = "Lets a disabled terminal transact again.",
            footer = {"", "Example:", "  prepaid-admin terminal enable 20000003"})
    static final class Enable extends SetStatus {
        @Override
        public Integer call() {
            return set(TerminalStatus.ACTIVE);
        }
    }

    @Command(name = "disable", description = "Stops a terminal: its transactions are declined (58).",
            footer = {"", "Example:", "  prepaid-admin terminal disable 20000001 --note 'stolen'"})
    static final class Disable extends SetStatus {
        @Override
        public Integer call() {
            return set(TerminalStatus.DISABLED);
        }
    }

    @Command(name = "show", description = "Shows a terminal: merchant, status, key reference, sign-on, open batch.",
            footer = {"", "Example:", "  prepaid-admin terminal show 10000001"})
    static final class Show extends Action {
        @Parameters(index = "0", paramLabel = "TERMINAL_ID")
        String terminalId;

        @Override
        public Integer call() {
            return show(read(path(terminalId)));
        }
    }

    @Command(name = "list", description = "Lists the terminals (of one merchant with --merchant).",
            footer = {"", "Example:", "  prepaid-admin terminal list --merchant 888310048990001"})
    static final class ListAll extends Action.Lister {
        @Option(names = "--merchant", paramLabel = "MERCHANT", description = "only this merchant's")
        String merchantId;

        @Override
        public Integer call() {
            return list("/v1/terminals", merchantId == null ? "" : "merchant=" + PrepaidAdmin.segment(merchantId), page,
                    COLUMNS);
        }
    }
}
