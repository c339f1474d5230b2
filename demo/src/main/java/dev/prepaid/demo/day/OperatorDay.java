package dev.prepaid.demo.day;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prepaid.card.Pan;
import dev.prepaid.cli.PrepaidAdmin;
import dev.prepaid.config.SwitchConfig;
import dev.prepaid.demo.DemoBusiness;
import dev.prepaid.demo.DemoCommand;
import dev.prepaid.iso8583.Dialect;
import dev.prepaid.pos.Card;
import dev.prepaid.pos.PosTerminal;
import dev.prepaid.security.DesKey;
import dev.prepaid.security.Hex;
import dev.prepaid.security.MacFunction;
import dev.prepaid.server.SwitchServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The operators' day of {@code bin/prepaid demo}, through {@code prepaid-admin} (the same entry point as the
 * script, run in this JVM) against the demo's switch: logins with the first password change, a terminal
 * registered live that signs on and transacts, a card sold and recharged, a card reported lost and replaced, a
 * maker-checker adjustment (the maker's own approval refused, a second supervisor's applied), the blacklist
 * export and an audit query. Every step names the exit code it expects; card numbers are printed masked.
 */
public final class OperatorDay implements DemoCommand.Afterwards {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Two custodians' components of the new terminal's TMK (demo only). */
    private static final String COMPONENT_1 = "1111111111111111FEFEFEFEFEFEFEFE";
    private static final String COMPONENT_2 = "2323232323232323ABABABABABABABAB";
    private static final String NEW_TERMINAL = "10000042";

    private final List<String> surprises = new ArrayList<>();
    private Path home;
    private String endpoint;
    private PrintStream out;

    public static void main(final String[] args) {
        System.exit(DemoCommand.run(args, SwitchConfig.home(), System.out, System.err, new OperatorDay()));
    }

    /** One CLI run's exit code and output. */
    private record Run(int exit, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public boolean run(final SwitchServer server, final SwitchConfig config, final PrintStream printer) throws Exception {
        out = printer;
        home = Files.createTempDirectory("prepaid-operators-");
        endpoint = "http://127.0.0.1:" + server.adminPort();
        out.println();
        out.println("Operators' day through prepaid-admin (endpoint " + endpoint + ")");
        try {
            for (final String[] login : new String[][] {{"admin", "admin-demo"}, {"clerk", "clerk-demo"},
                    {"supervisor", "supervisor-demo"}, {"supervisor2", "supervisor2-demo"}}) {
                expect(login[0], "log in and change the password the bootstrap set", 0, login[1] + "\n",
                        "login", "--operator", login[0], "--password-stdin");
                expect(login[0], "", 0, login[1] + "\n" + login[1] + "-day-one\n", "passwd", "--password-stdin");
            }

            final DesKey tmk = tmk();
            expect("admin", "register terminal " + NEW_TERMINAL + " with its TMK in two components", 0,
                    COMPONENT_1 + "\n" + COMPONENT_2 + "\n", "terminal", "register", NEW_TERMINAL, "--merchant",
                    DemoBusiness.SUPERMARKET, "--serial", "DEMO-SN-0042", "--components-stdin", "--check-value",
                    tmk.checkValueHex(3));

            final String gift = DemoBusiness.giftCard(40).pan();
            expect("clerk", "sell gift card " + Pan.mask(gift) + " for 50.00", 0, "", "card", "sell", gift,
                    "--face-value", "50", "--payment", "CASH", "--note", "demo counter sale");
            expect("clerk", "recharge it by 20.00", 0, "", "card", "recharge", gift, "--amount", "20", "--payment", "CASH");

            try (PosTerminal terminal = PosTerminal.builder(Dialect.load(config.dialect())).terminalId(NEW_TERMINAL)
                    .merchantId(DemoBusiness.SUPERMARKET).tmk(tmk).macAlgorithm(MacFunction.CUP_ECB)
                    .switchAddress("127.0.0.1", server.posPort()).readTimeout(Duration.ofSeconds(10)).build()) {
                final String signOn = terminal.signOn().responseCode();
                final String purchase = terminal.purchase(Card.manual(gift, DemoBusiness.EXPIRY), 12_34).responseCode();
                check("terminal " + NEW_TERMINAL + " signs on (00) and buys 12.34 with the card (00)",
                        "00".equals(signOn) && "00".equals(purchase), "sign-on " + signOn + ", purchase " + purchase);
            }
            final long available = cli("clerk", "", "card", "show", gift, "--json").json().path("available").asLong();
            check("the card holds 57.66 (50.00 + 20.00 - 12.34)", available == 57_66, "it holds " + available + " fen");

            final String lost = "8888000100000025";
            final String replacement = named(500);
            expect("clerk", "report " + Pan.mask(lost) + " lost", 0, "", "card", "report-lost", lost);
            final Path blacklist = home.resolve("blacklist.txt");
            expect("clerk", "export the blacklist terminals download at once", 0, "", "blacklist", "export", "--out",
                    blacklist.toString());
            final List<String> lines = Files.exists(blacklist) ? Files.readAllLines(blacklist) : List.of();
            check("the export lists the lost card", lines.contains(lost + ",LOST"), lines.size() + " lines");

            expect("clerk", "replace it by " + Pan.mask(replacement), 0, "", "card", "replace", lost, "--new", replacement);

            final Run request = expect("supervisor", "ask for a 20.00 goodwill credit on 888800******0017", 0, "",
                    "adjust", "--card", "8888000100000017", "--amount", "20", "--counter", "PROMOTION_EXPENSE",
                    "--note", "goodwill, demo complaint", "--json");
            final String pending = request.exit() == 0 ? request.json().path("pendingId").asText() : "0";
            expect("supervisor", "approve their own request " + pending + ": refused, maker-checker", 4, "",
                    "approvals", "approve", pending);
            expect("supervisor2", "approve request " + pending + " as the second supervisor", 0, "",
                    "approvals", "approve", pending);

            final Run audit = expect("supervisor", "ask the audit trail for today's maker-checker decisions", 0, "",
                    "audit", "--command", "APPROVE", "--json");
            if (audit.exit() == 0) {
                int refused = 0;
                int approved = 0;
                for (final JsonNode entry : audit.json().path("items")) {
                    refused += "APPROVER_IS_MAKER".equals(entry.path("reason").asText()) ? 1 : 0;
                    approved += "APPROVED".equals(entry.path("result").asText()) ? 1 : 0;
                }
                check("it shows the refused self-approval and the approval", refused == 1 && approved == 1,
                        refused + " refused, " + approved + " approved");
            }
        } finally {
            DemoBusiness.delete(home);
        }
        if (surprises.isEmpty()) {
            out.println("Every operator step went as expected.");
        } else {
            out.println(surprises.size() + " operator step(s) did not go as expected:");
            surprises.forEach(s -> out.println("  " + s));
        }
        return surprises.isEmpty();
    }

    private Run expect(final String operator, final String what, final int exit, final String stdin, final String... args) {
        final Run run = cli(operator, stdin, args);
        final boolean asExpected = run.exit() == exit;
        if (!what.isEmpty() || !asExpected) {
            out.printf(Locale.ROOT, "  %-11s %-70s exit %d%s%n", operator, what.isEmpty() ? String.join(" ", args) : what,
                    run.exit(), asExpected ? "" : " (expected " + exit + ")");
        }
        if (!asExpected) {
            surprises.add(operator + ": prepaid-admin " + args[0] + " " + (args.length > 1 ? args[1] : "") + " exited "
                    + run.exit() + ", expected " + exit + ": " + maskCardNumbers(run.err().strip()));
        }
        return run;
    }

    private void check(final String what, final boolean holds, final String found) {
        out.printf(Locale.ROOT, "  %-11s %-70s %s%n", "", what, holds ? "ok" : "NO: " + found);
        if (!holds) {
            surprises.add(what + ": " + found);
        }
    }

    /** Runs prepaid-admin as {@code operator} (each with its own session file) with {@code stdin}. */
    private Run cli(final String operator, final String stdin, final String... args) {
        final Map<String, String> environment = new HashMap<>();
        environment.put("HOME", home.toString());
        environment.put("PREPAID_ADMIN_ENDPOINT", endpoint);
        environment.put("PREPAID_ADMIN_SESSION", home.resolve("session-" + operator).toString());
        final StringWriter output = new StringWriter();
        final StringWriter errors = new StringWriter();
        final int exit = PrepaidAdmin.script(args, environment, stdin, new PrintWriter(output, true),
                new PrintWriter(errors, true));
        return new Run(exit, output.toString(), errors.toString());
    }

    private static DesKey tmk() {
        final byte[] key = Hex.decode(COMPONENT_1);
        final byte[] other = Hex.decode(COMPONENT_2);
        for (int i = 0; i < key.length; i++) {
            key[i] ^= other[i];
        }
        DesKey.setOddParity(key, 0, key.length);
        return DesKey.of(key);
    }

    /** The text with every run of 13 to 19 digits (a card number) masked. */
    private static String maskCardNumbers(final String text) {
        return java.util.regex.Pattern.compile("\\b[0-9]{13,19}\\b").matcher(text).replaceAll(m -> Pan.mask(m.group()));
    }

    /** A named demo card in stock (BIN 88880001) by account number. */
    private static String named(final int account) {
        final long body = 888_800_010_000_000L + account;
        return body + "" + Pan.luhnCheckDigit(body, 15);
    }
}
