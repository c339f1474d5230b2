package dev.prepaid.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code bin/prepaid-admin}: the operators' command line, a client of the switch's admin endpoint
 * (docs/admin-api.md; its own manual is docs/admin-cli.md). Each subcommand turns what an operator types (yuan,
 * dates, names) into one request and the answer into a table, a listing, or {@code --json}; what went wrong is
 * one line on the error stream and an exit code a script can test ({@link Exit}).
 *
 * <p>The root also holds what one run shares: the settings, the HTTP client, the session file, standard input
 * read line by line, and the secure random that draws each write's request id.
 */
@Command(name = PrepaidAdmin.NAME, mixinStandardHelpOptions = true, versionProvider = PrepaidAdmin.Version.class,
        description = "The operators' tool of the prepaid card switch: cards, merchants, terminals, operators,"
                + " approvals and setup, through the switch's admin endpoint. Log in first; every command has --help"
                + " with an example. Amounts are yuan (12.34), dates 2026-03-02.",
        subcommands = {
            SessionCommands.Login.class, SessionCommands.Logout.class, SessionCommands.Whoami.class,
            SessionCommands.Passwd.class,
            CardCommands.class, CardCommands.Generate.class,
            ApprovalCommands.Adjust.class, ApprovalCommands.Transfer.class, ApprovalCommands.class,
            SettlementCommands.Settlement.class, SettlementCommands.Payout.class,
            ClearingCommands.Clearing.class, ClearingCommands.Reconciliation.class, ReportCommands.Report.class,
            MerchantCommands.class, DeployerCommands.class, TerminalCommands.class, OperatorCommands.class,
            SetupCommands.Issuer.class, SetupCommands.CardType.class, SetupCommands.BinRange.class,
            SetupCommands.FeeRule.class, SetupCommands.DiscountRule.class, SetupCommands.PointsRule.class,
            SetupCommands.Parameter.class, SetupCommands.Calendar.class,
            ReviewCommands.Audit.class, ReviewCommands.Risk.class, ReviewCommands.Blacklist.class,
            SystemCommands.class, SystemCommands.Catalog.class, SystemCommands.Generic.class,
            SystemCommands.Completion.class},
        footer = {"", "Example:", "  prepaid-admin login --operator clerk", "  prepaid-admin card show 8888000100000017",
            "",
            "Endpoint: --endpoint, $PREPAID_ADMIN_ENDPOINT, 'endpoint:' in the config file",
            "~/.config/prepaid-admin/config ($PREPAID_ADMIN_CONFIG), else http://127.0.0.1:8584.",
            "Session token: ~/.config/prepaid-admin/session ($PREPAID_ADMIN_SESSION), owner-only.",
            "",
            "Exit codes:",
            "  0  done",
            "  1  refused by the ledger: the state does not allow it (HTTP 409:",
            "     ILLEGAL_TRANSITION, INSUFFICIENT_BALANCE, ...), or another refusal",
            "  2  bad input or usage: an option the CLI rejects, or HTTP 400",
            "  3  not found (HTTP 404: no such card, merchant, terminal, operator, request)",
            "  4  not logged in or not allowed (HTTP 401, 403: wrong password, expired",
            "     session, role, merchant scope, a password to change first, approving",
            "     one's own request)",
            "  5  unreachable or busy: connection refused, TLS failure, no answer, or",
            "     HTTP 503/429 after retrying the same request",
            "  6  internal error of the switch (HTTP 500)"})
public final class PrepaidAdmin implements Callable<Integer> {
    static final String NAME = "prepaid-admin";

    @Spec
    CommandSpec spec;

    @Option(names = "--endpoint", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "the admin endpoint, http(s)://host:port (default: $PREPAID_ADMIN_ENDPOINT, the config"
                    + " file's endpoint:, else http://127.0.0.1:8584)")
    String endpoint;

    @Option(names = "--ca", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "for https: trust only this PEM certificate (the endpoint's CA or its self-signed"
                    + " certificate) instead of the system's CAs (default: $PREPAID_ADMIN_CA, the config file's ca:)")
    Path ca;

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "print the endpoint's JSON answer instead of a table")
    boolean json;

    private final CliContext context;
    private final ObjectMapper mapper = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();
    private Settings settings;
    private AdminClient client;
    private BufferedReader stdinLines;

    PrepaidAdmin(final CliContext context) {
        this.context = context;
    }

    public static void main(final String[] args) {
        System.exit(run(args, CliContext.system()));
    }

    /**
     * One scripted run in this JVM (the demo's operator day): the given environment instead of the process's,
     * {@code stdin} as standard input (passwords with --password-stdin), no terminal; returns the exit code.
     */
    public static int script(final String[] args, final java.util.Map<String, String> environment, final String stdin,
            final PrintWriter out, final PrintWriter err) {
        return run(args, new CliContext(environment, new java.io.ByteArrayInputStream(
                stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8)), out, err, null, CliContext.Retry.DEFAULT));
    }

    /** One run: parses {@code args}, runs the command, and returns its exit code (never exits the JVM). */
    static int run(final String[] args, final CliContext context) {
        final PrepaidAdmin root = new PrepaidAdmin(context);
        final CommandLine line = new CommandLine(root);
        line.setCaseInsensitiveEnumValuesAllowed(true);
        line.setUsageHelpAutoWidth(true);
        line.setUsageHelpLongOptionsMaxWidth(32);
        line.setOut(context.out());
        line.setErr(context.err());
        line.setParameterExceptionHandler(root::badUsage);
        line.setExecutionExceptionHandler(root::failed);
        try {
            return line.execute(args);
        } finally {
            context.out().flush();
            context.err().flush();
        }
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(context.err());
        return Exit.BAD_INPUT;
    }

    private int badUsage(final ParameterException e, final String[] args) {
        final CommandLine where = e.getCommandLine();
        final String command = where.getCommandSpec().qualifiedName();
        final String subcommands = String.join(", ", where.getSubcommands().keySet());
        String message = e.getMessage();
        if (e instanceof UnmatchedArgumentException unmatched && !where.getSubcommands().isEmpty()
                && !unmatched.isUnknownOption() && !unmatched.getUnmatched().isEmpty()) {
            message = "'" + unmatched.getUnmatched().get(0) + "' is no command of " + command + " (" + subcommands + ")";
        } else if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
            message += " (did you mean " + String.join(" or ", unmatched.getSuggestions().subList(0,
                    Math.min(3, unmatched.getSuggestions().size()))) + "?)";
        } else if (!where.getSubcommands().isEmpty() && message.startsWith("Missing required subcommand")) {
            message = command + " needs one of " + subcommands;
        }
        context.err().println(NAME + ": " + message + "; see '" + command + " --help'");
        return Exit.BAD_INPUT;
    }

    private int failed(final Exception e, final CommandLine command, final ParseResult parsed) {
        if (e instanceof CliFailure failure) {
            context.err().println(NAME + ": " + failure.getMessage());
            return failure.exitCode;
        }
        context.err().println(NAME + ": the CLI failed (" + e + "); please report it with the command you ran");
        if (context.environment().containsKey("PREPAID_ADMIN_DEBUG")) {
            e.printStackTrace(context.err());
        }
        return Exit.INTERNAL;
    }

    // ------------------------------------------------------------------ what one run shares

    PrintWriter out() {
        return context.out();
    }

    PrintWriter err() {
        return context.err();
    }

    boolean jsonOutput() {
        return json;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    ObjectNode object() {
        return mapper.createObjectNode();
    }

    Settings settings() {
        if (settings == null) {
            settings = Settings.resolve(endpoint, ca, context.environment());
        }
        return settings;
    }

    AdminClient client() {
        if (client == null) {
            client = clientFor(settings().endpoint());
        }
        return client;
    }

    AdminClient clientFor(final java.net.URI endpointUri) {
        return new AdminClient(endpointUri, settings().ca(), context.retry(), mapper);
    }

    SessionFile sessionFile() {
        return new SessionFile(settings().sessionFile(), settings().defaultSessionLocation(), mapper);
    }

    /** The session of the last login to this endpoint; not logged in there is exit code 4. */
    SessionFile.Session session() {
        final SessionFile file = sessionFile();
        final SessionFile.Session session = file.load();
        if (session == null) {
            throw new CliFailure(Exit.NOT_ALLOWED, "not logged in: run '" + NAME + " login' first");
        }
        if (!session.endpoint().equals(settings().endpoint().toString())) {
            throw new CliFailure(Exit.NOT_ALLOWED, "the session in " + file.path() + " is for " + session.endpoint()
                    + ", not " + settings().endpoint() + ": log in there with '" + NAME + " login', or use --endpoint "
                    + session.endpoint());
        }
        return session;
    }

    /** A fresh request id: a positive 63-bit number from a secure random, one per write (repeated only by retries). */
    long newRequestId() {
        long id;
        do {
            id = random.nextLong() & Long.MAX_VALUE;
        } while (id == 0);
        return id;
    }

    /** A path segment as the endpoint decodes it, whatever the operator typed. */
    static String segment(final String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    // ------------------------------------------------------------------ typed input and secrets

    /** The next line of standard input (shared by the whole run: passwd reads two); null at its end. */
    String stdinLine() {
        try {
            if (stdinLines == null) {
                stdinLines = new BufferedReader(new InputStreamReader(context.stdin(), StandardCharsets.UTF_8));
            }
            return stdinLines.readLine();
        } catch (final IOException e) {
            throw CliFailure.badInput("cannot read standard input: " + e.getMessage());
        }
    }

    CliContext.Terminal terminal(final String what, final String instead) {
        if (context.terminal() == null) {
            throw CliFailure.badInput("no terminal to type the " + what + " on; " + instead);
        }
        return context.terminal();
    }

    /**
     * A secret (a password), typed without echo — twice when {@code confirm}, for a new one — or one line of standard
     * input ({@code fromStdin}). Never from the command line, where ps and the shell history would keep it.
     */
    char[] secret(final String what, final boolean fromStdin, final boolean confirm) {
        if (fromStdin) {
            final String line = stdinLine();
            if (line == null || line.isEmpty()) {
                throw CliFailure.badInput("standard input held no " + what + " (--password-stdin reads one line for"
                        + " each)");
            }
            return line.toCharArray();
        }
        final CliContext.Terminal terminal = terminal(what, "pipe it in with --password-stdin");
        final char[] first = terminal.readSecret(capitalised(what) + ": ");
        if (first == null || first.length == 0) {
            throw CliFailure.badInput("no " + what + " typed; nothing was sent");
        }
        if (!confirm) {
            return first;
        }
        final char[] again = terminal.readSecret("The same " + what + " again: ");
        try {
            if (again == null || !Arrays.equals(first, again)) {
                Arrays.fill(first, '\0');
                throw CliFailure.badInput("the two " + what + "s differ; nothing was sent");
            }
            return first;
        } finally {
            if (again != null) {
                Arrays.fill(again, '\0');
            }
        }
    }

    private static String capitalised(final String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** Says so on the error stream when a password is about to cross a network in clear. */
    void warnIfPlaintext() {
        final var uri = settings().endpoint();
        if (!uri.getScheme().equals("http")) {
            return;
        }
        boolean loopback;
        try {
            loopback = InetAddress.getByName(uri.getHost()).isLoopbackAddress();
        } catch (final UnknownHostException e) {
            loopback = false;
        }
        if (!loopback) {
            err().println(NAME + ": warning: " + uri + " is plain HTTP: the password and the session token cross the"
                    + " network unencrypted (use https)");
        }
    }

    // ------------------------------------------------------------------ requests

    /** A read (GET) with the session's token; anything but 200 is the command's failure. */
    JsonNode read(final String pathAndQuery, final CommandSpec caller) {
        final AdminClient.Answer answer = client().get(pathAndQuery, session().token());
        if (!answer.ok()) {
            throw fail(answer, caller);
        }
        return answer.body();
    }

    /** A read that may find nothing: null on 404. */
    JsonNode readIfPresent(final String pathAndQuery, final CommandSpec caller) {
        final AdminClient.Answer answer = client().get(pathAndQuery, session().token());
        if (answer.status() == 404) {
            return null;
        }
        if (!answer.ok()) {
            throw fail(answer, caller);
        }
        return answer.body();
    }

    /** {@code POST /v1/commands/{type}} with a fresh request id; the answer whatever it is. */
    AdminClient.Answer submit(final String type, final ObjectNode fields, final String note, final char[] password) {
        final ObjectNode body = object();
        body.put("requestId", newRequestId());
        if (note != null && !note.isEmpty()) {
            body.put("note", note);
        }
        body.set("fields", fields);
        if (password != null) {
            body.put("password", new String(password));
            Arrays.fill(password, '\0');
        }
        return client().post("/v1/commands/" + type, body, session().token(), true);
    }

    /** A command the ledger must apply: its answer, or the command's failure. */
    JsonNode command(final String type, final ObjectNode fields, final String note, final char[] password,
            final CommandSpec caller) {
        final AdminClient.Answer answer = submit(type, fields, note, password);
        if (!answer.ok()) {
            throw fail(answer, caller);
        }
        return answer.body();
    }

    /** The failure of a non-200 answer (with {@code --json} its body is printed first, for scripts). */
    CliFailure fail(final AdminClient.Answer answer, final CommandSpec caller) {
        if (json) {
            printJson(answer.body());
        }
        return failureOf(answer, caller);
    }

    /**
     * What a non-200 answer means for the operator, in one line: the endpoint's message, the option behind the field
     * it names, and what to do where that is clear (log in, change the password first, wait).
     */
    CliFailure failureOf(final AdminClient.Answer answer, final CommandSpec caller) {
        final JsonNode body = answer.body();
        final String error = answer.error();
        final String message = body.path("message").asText("");
        final int exit = Exit.ofStatus(answer.status());
        switch (error) {
            case "LOGIN_REQUIRED" -> {
                sessionFile().delete();
                return new CliFailure(exit, "the session has ended (it expired, was logged out or ended by an"
                        + " administrator, or the switch restarted): log in again with '" + NAME + " login'");
            }
            case "PASSWORD_CHANGE_REQUIRED" -> {
                return new CliFailure(exit, "the password was set by someone else (a new operator, a reset) and must be"
                        + " changed before anything else: run '" + NAME + " passwd'");
            }
            case "LOGIN_FAILED" -> {
                return new CliFailure(exit, message.isEmpty() ? "wrong operator id or password" : message);
            }
            case "BUSY", "TOO_MANY_REQUESTS" -> {
                return new CliFailure(exit, message + " (sent " + answer.attempts() + " times; try again in a moment)");
            }
            default -> {
                // said below
            }
        }
        final StringBuilder text = new StringBuilder();
        if (body.has("command")) {
            text.append(body.get("command").asText()).append(" refused: ").append(error);
            if (body.has("reasonCode")) {
                text.append(" (").append(body.get("reasonCode").asInt()).append(')');
            }
            text.append(": ").append(message);
        } else {
            text.append(message.isEmpty() ? "HTTP " + answer.status() + " " + error : message);
        }
        final String option = body.has("field") ? optionFor(body.get("field").asText(), caller) : null;
        if (option != null) {
            text.append(" (").append(option).append(')');
        }
        return new CliFailure(exit, text.toString());
    }

    /** The option of {@code caller} that set a field the endpoint names ({@code faceValue}: --face-value), or null. */
    static String optionFor(final String field, final CommandSpec caller) {
        if (caller == null || field.isEmpty()) {
            return null;
        }
        String name = field.substring(field.lastIndexOf('.') + 1).replaceAll("\\[[0-9]+\\]$", "");
        name = "--" + name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
        final OptionSpec option = caller.findOption(name);
        return option == null ? null : option.longestName();
    }

    // ------------------------------------------------------------------ printing

    void printJson(final JsonNode node) {
        try {
            out().println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException("cannot print JSON", e);
        }
    }

    /** One item: {@code --json}, or its fields as an aligned listing. */
    void printItem(final JsonNode item) {
        if (json) {
            printJson(item);
        } else {
            Output.keyValues(out(), item, "");
        }
    }

    /**
     * The answer of an applied command: {@code --json}, or a first line saying what happened (and whether it was
     * the repeat of an earlier request, which changed nothing) and the results it carries.
     */
    void printApplied(final JsonNode answer) {
        if (json) {
            printJson(answer);
            return;
        }
        out().println(appliedLine(answer));
        final ObjectNode results = results(answer);
        results.put("journalSequence", answer.path("journalSequence").asLong());
        Output.keyValues(out(), results, "  ");
    }

    static String appliedLine(final JsonNode answer) {
        final String type = answer.path("command").asText();
        final String repeat = answer.path("duplicate").asBoolean() ? " (repeat of an earlier request)" : "";
        if (type.startsWith("REQUEST_")) {
            final long pending = answer.path("pendingId").asLong();
            return type + " recorded" + repeat + ": request " + pending + " waits for a second operator ('" + NAME
                    + " approvals approve " + pending + "')";
        }
        return type + " applied" + repeat;
    }

    /** The results of an answer, without its envelope (command, journal sequence, duplicate, result). */
    ObjectNode results(final JsonNode answer) {
        final ObjectNode results = object();
        for (final Map.Entry<String, JsonNode> e : answer.properties()) {
            if (!List.of("command", "journalSequence", "duplicate", "result").contains(e.getKey())) {
                results.set(e.getKey(), e.getValue());
            }
        }
        return results;
    }

    /** The version of the jar (its manifest), for --version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            final String version = PrepaidAdmin.class.getPackage().getImplementationVersion();
            return new String[] {NAME + " " + (version == null ? "(development build)" : version)};
        }
    }
}
