package dev.prepaid.pos;

import dev.prepaid.config.SwitchConfig;
import dev.prepaid.iso8583.Dialect;
import dev.prepaid.iso8583.DialectException;
import dev.prepaid.iso8583.IsoDescriber;
import dev.prepaid.iso8583.IsoMessage;
import dev.prepaid.security.CvkPair;
import dev.prepaid.security.DesKey;
import dev.prepaid.security.KeyLayout;
import dev.prepaid.security.MacFunction;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The terminal simulator's command line ({@code bin/prepaid pos ...}): terminal options, then one operation or a
 * script of them, each printed as one line with the card number masked.
 *
 * <pre>
 * pos --switch 127.0.0.1:8583 --terminal 10000001 --merchant 898310048990001 --tmk &lt;32 hex&gt; \
 *     signon purchase --pan 6228480402564890018 --expiry 2712 --pin 123456 --amount 12.34 balance void settle
 * </pre>
 *
 * Exit status: 0 when every operation was answered as expected ({@code --expect}, default {@code 00}), 1 when
 * one was not (the script stops there unless {@code --keep-going}), 2 for bad arguments (one line on stderr).
 */
public final class PosCommand {
    static final int OK = 0;
    static final int UNEXPECTED = 1;
    static final int USAGE = 2;
    /** The largest amount field 4 (n12, in fen) can carry. */
    static final String MAX_YUAN = "9999999999.99";

    static final String USAGE_TEXT = String.join("\n",
            "usage: pos --switch HOST:PORT --terminal ID --merchant ID --tmk HEX [terminal options]",
            "           OPERATION [options] [OPERATION [options]]...",
            "",
            "terminal options (before the first operation):",
            "  --switch HOST:PORT      the switch",
            "  --terminal ID           field 41, up to 8 characters",
            "  --merchant ID           field 42, up to 15 characters",
            "  --tmk HEX               the terminal master key, 16 or 32 hex digits",
            "  --mac cup-ecb|x9.19|x9.9  MAC algorithm, as the terminal's macAlgorithm (default cup-ecb)",
            "  --layout 001|003|004    sign-on key layout, 60.3 (default 003)",
            "  --nii HEX               TPDU destination NII (default 0003)",
            "  --operator CODE         field 63 of sign-on and settlement (default 001)",
            "  --timeout-ms N          wait for each answer (default 10000); then a reversal is owed",
            "  --connect-timeout-ms N  (default 3000)",
            "  --stan N --batch N      last STAN used and open batch (default 0 and 1)",
            "  --state FILE            keep STAN, batch, its transactions and an owed reversal between runs, as a",
            "                          real terminal does (without it every run starts again at STAN 1, which the",
            "                          switch declines 94 as a duplicate); --stan and --batch, when given, win over",
            "                          the file. It holds the card numbers of the open batch: created owner-only",
            "  --dialect FILE          (default config/iso8583/cup-pos.yaml of the installation, else looked for",
            "                          upwards from here)",
            "  --no-auto-signon        do not sign on before a transaction that needs working keys",
            "  --keep-going            go on after an operation that was not as expected",
            "  --verbose               print every request and answer field by field (card data masked)",
            "",
            "operations:",
            "  signon | signoff | echo | reversal (send an owed reversal now)",
            "  purchase | recharge | preauth   CARD --amount YUAN",
            "  balance                         CARD",
            "  void | cancel | void-completion | void-recharge   [ORIGINAL]",
            "  refund | complete               [ORIGINAL] --amount YUAN",
            "  settle                          [--expect-flag 1|2]",
            "  every operation: --expect CODE[,CODE...] | timeout | any   (default 00)",
            "",
            "CARD     --pan DIGITS --expiry YYMM [--pin PIN | --no-pin]   keyed in (fields 2, 14)",
            "         --track2 PAN=YYMM... [--pin PIN]                    swiped (field 35)",
            "         --pan DIGITS --expiry YYMM --cvk HEX [--service-code NNN] [--pin PIN]   swiped, valid CVN",
            "         left out: the previous operation's card (--pin/--no-pin alone change its PIN)",
            "ORIGINAL left out: the last approved original in this run, else in the open batch (--state);",
            "         --ref N: the result of operation N of this run;",
            "         --orig-stan N [--orig-batch N] [--rrn RRN] [--auth CODE] [--orig-date MMDD]",
            "         [--orig-amount YUAN] [CARD]: a transaction made elsewhere",
            "",
            "exit status: 0 all as expected, 1 an operation was not, 2 bad arguments");

    private static final Set<String> GLOBAL_VALUES = Set.of("--switch", "--terminal", "--merchant", "--tmk", "--mac",
            "--layout", "--nii", "--operator", "--timeout-ms", "--connect-timeout-ms", "--dialect", "--stan", "--batch",
            "--state");
    private static final Set<String> GLOBAL_FLAGS = Set.of("--no-auto-signon", "--keep-going", "--verbose", "--help");
    private static final Set<String> CARD = Set.of("--pan", "--expiry", "--pin", "--track2", "--cvk",
            "--service-code");
    private static final Set<String> ORIGINAL = Set.of("--ref", "--rrn", "--auth", "--orig-stan", "--orig-batch",
            "--orig-date", "--orig-amount");
    private static final Set<String> FLAGS = Set.of("--no-pin");

    private PosCommand() {
    }

    public static void main(final String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command with the installation of {@link SwitchConfig#home()}; returns the exit status. */
    public static int run(final String[] args, final PrintStream out, final PrintStream err) {
        return run(args, SwitchConfig.home(), out, err);
    }

    /** Runs the command with the installation in {@code home} (its default dialect); returns the exit status. */
    static int run(final String[] args, final Path home, final PrintStream out, final PrintStream err) {
        final Script script;
        try {
            script = Script.parse(args);
        } catch (final UsageException e) {
            err.println("pos: " + e.getMessage() + " (pos --help for usage)");
            return USAGE;
        }
        if (script.flags.contains("--help")) {
            out.println(USAGE_TEXT);
            return OK;
        }
        final Dialect dialect;
        final PosTerminal terminal;
        try {
            dialect = loadDialect(script.options.get("--dialect"), home);
            terminal = buildTerminal(dialect, script.options, !script.flags.contains("--no-auto-signon"));
        } catch (final IllegalArgumentException | DialectException e) {
            err.println("pos: " + e.getMessage());
            return USAGE;
        }
        final Path stateFile = script.options.containsKey("--state") ? Path.of(script.options.get("--state")) : null;
        try (terminal) {
            if (stateFile != null) {
                // Before anything is sent: a state that cannot be saved would lose the STAN of what the switch saw.
                TerminalState.requireWritable(stateFile);
                TerminalState.load(stateFile, terminal);
                final Map<String, String> o = script.options;
                if (o.containsKey("--stan") || o.containsKey("--batch")) {
                    terminal.restore(o.containsKey("--stan") ? Integer.parseInt(o.get("--stan")) : terminal.stan(),
                            o.containsKey("--batch") ? Integer.parseInt(o.get("--batch")) : terminal.batch(),
                            terminal.batchEntries(), terminal.pendingReversal());
                }
            }
            return new Runner(script, terminal, dialect, stateFile, out).run();
        } catch (final IllegalArgumentException | UncheckedIOException e) {
            err.println("pos: " + e.getMessage());
            return USAGE;
        }
    }

    // ------------------------------------------------------------------ set-up

    /**
     * The given dialect, else the installation's (as {@code serve} finds it: {@code bin/prepaid} passes
     * {@code -Dprepaid.home}, so the command works from any directory), else the first one upwards from here.
     */
    private static Dialect loadDialect(final String given, final Path home) {
        if (given != null) {
            return Dialect.load(Path.of(given));
        }
        final Path installed = home.resolve(Dialect.DEFAULT_PATH);
        if (Files.isRegularFile(installed)) {
            return Dialect.load(installed);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            final Path candidate = dir.resolve(Dialect.DEFAULT_PATH);
            if (Files.isRegularFile(candidate)) {
                return Dialect.load(candidate);
            }
            dir = dir.getParent();
        }
        throw new UsageException("cannot find " + Dialect.DEFAULT_PATH + " in the installation (" + home
                + ") nor here or above: give --dialect FILE");
    }

    private static PosTerminal buildTerminal(final Dialect dialect, final Map<String, String> o, final boolean auto) {
        for (final String required : List.of("--switch", "--terminal", "--merchant", "--tmk")) {
            if (!o.containsKey(required)) {
                throw new UsageException("missing " + required);
            }
        }
        final String address = o.get("--switch");
        final int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new UsageException("--switch: expected HOST:PORT, not '" + address + "'");
        }
        final String host = address.substring(0, colon).replace("[", "").replace("]", "");
        final int port = integer("--switch port", address.substring(colon + 1), 1, 65_535);
        final DesKey tmk;
        try {
            tmk = DesKey.fromHex(o.get("--tmk"));
        } catch (final IllegalArgumentException e) {
            throw new UsageException("--tmk: expected 16 or 32 hex digits");
        }
        final PosTerminal.Builder builder = PosTerminal.builder(dialect).terminalId(o.get("--terminal"))
                .merchantId(o.get("--merchant")).tmk(tmk).switchAddress(host, port).autoSignOn(auto);
        if (o.containsKey("--mac")) {
            builder.macAlgorithm(MacFunction.parse(o.get("--mac")));
        }
        if (o.containsKey("--layout")) {
            final KeyLayout layout = KeyLayout.forNetworkManagementCode(integer("--layout", o.get("--layout"), 0, 999));
            if (layout == null) {
                throw new UsageException("--layout: expected 001, 003 or 004, not " + o.get("--layout"));
            }
            builder.keyLayout(layout);
        }
        if (o.containsKey("--nii")) {
            final String nii = o.get("--nii");
            if (!nii.matches("[0-9A-Fa-f]{1,4}")) {
                throw new UsageException("--nii: expected up to 4 hex digits, not " + nii);
            }
            builder.nii(Integer.parseInt(nii, 16), 0);
        }
        if (o.containsKey("--operator")) {
            builder.operatorCode(o.get("--operator"));
        }
        if (o.containsKey("--timeout-ms")) {
            builder.readTimeout(Duration.ofMillis(integer("--timeout-ms", o.get("--timeout-ms"), 1, 3_600_000)));
        }
        if (o.containsKey("--connect-timeout-ms")) {
            builder.connectTimeout(Duration.ofMillis(
                    integer("--connect-timeout-ms", o.get("--connect-timeout-ms"), 1, 3_600_000)));
        }
        if (o.containsKey("--stan")) {
            builder.stan(integer("--stan", o.get("--stan"), 0, PosTerminal.MAX_STAN));
        }
        if (o.containsKey("--batch")) {
            builder.batch(integer("--batch", o.get("--batch"), 1, PosTerminal.MAX_BATCH));
        }
        return builder.build();
    }

    static int integer(final String option, final String text, final int min, final int max) {
        if (!text.matches("[0-9]{1,10}")) {
            throw new UsageException(option + ": expected a number, not '" + text + "'");
        }
        final long value = Long.parseLong(text);
        if (value < min || value > max) {
            throw new UsageException(option + ": " + text + " is not in " + min + ".." + max);
        }
        return (int) value;
    }

    /** An amount in yuan with up to two decimals, e.g. {@code 12.34} → 1234 fen. */
    static long fen(final String option, final String text) {
        if (text.matches("[0-9]{11,}(\\.[0-9]{1,2})?")) {
            throw new UsageException(option + ": at most " + MAX_YUAN + " (field 4 holds 12 digits of fen), not '"
                    + text + "'");
        }
        if (!text.matches("[0-9]{1,10}(\\.[0-9]{1,2})?")) {
            throw new UsageException(option + ": expected yuan like 12.34, not '" + text + "'");
        }
        final int dot = text.indexOf('.');
        if (dot < 0) {
            return Long.parseLong(text) * 100;
        }
        final String decimals = (text.substring(dot + 1) + "0").substring(0, 2);
        return Long.parseLong(text.substring(0, dot)) * 100 + Long.parseLong(decimals);
    }

    /** A bad argument: one line, exit status 2. */
    static final class UsageException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UsageException(final String message) {
            super(message);
        }
    }

    // ------------------------------------------------------------------ parsing

    /** One operation of the script, with its options and the card it uses (resolved in script order). */
    static final class Step {
        final int number;
        final PosOperation operation;
        final Map<String, String> options = new HashMap<>();
        final Set<String> flags = new HashSet<>();
        /** The card given with this step's options, or null. */
        Card card;
        /** The card this step uses when it gives none: the previous step's. */
        Card previousCard;
        long amount = -1;
        Set<String> expect = Set.of("00");
        int expectFlag = -1;

        Step(final int number, final PosOperation operation) {
            this.number = number;
            this.operation = operation;
        }

        boolean has(final String option) {
            return options.containsKey(option);
        }

        Card cardOrPrevious() {
            return card != null ? card : previousCard;
        }
    }

    static final class Script {
        final Map<String, String> options = new LinkedHashMap<>();
        final Set<String> flags = new HashSet<>();
        final List<Step> steps = new ArrayList<>();

        static Script parse(final String[] args) {
            final Script script = new Script();
            int i = 0;
            while (i < args.length && args[i].startsWith("--")) {
                final String option = args[i];
                if (GLOBAL_FLAGS.contains(option)) {
                    script.flags.add(option);
                    i++;
                } else if (GLOBAL_VALUES.contains(option)) {
                    if (i + 1 >= args.length) {
                        throw new UsageException(option + " needs a value");
                    }
                    script.options.put(option, args[i + 1]);
                    i += 2;
                } else {
                    throw new UsageException("unknown option " + option);
                }
            }
            if (script.flags.contains("--help")) {
                return script;
            }
            Card last = null;
            while (i < args.length) {
                final PosOperation operation = PosOperation.ofCommand(args[i]);
                if (operation == null || operation == PosOperation.BATCH_UPLOAD
                        || operation == PosOperation.BATCH_UPLOAD_END) {
                    throw new UsageException("unknown operation '" + args[i] + "'");
                }
                final Step step = new Step(script.steps.size() + 1, operation);
                i++;
                while (i < args.length && args[i].startsWith("--")) {
                    final String option = args[i];
                    if (!allowed(operation).contains(option)) {
                        throw new UsageException(operation.command + ": "
                                + (GLOBAL_VALUES.contains(option) || GLOBAL_FLAGS.contains(option)
                                ? option + " is a terminal option: put it before the first operation"
                                : "unknown option " + option));
                    }
                    if (FLAGS.contains(option)) {
                        step.flags.add(option);
                        i++;
                    } else {
                        if (i + 1 >= args.length) {
                            throw new UsageException(operation.command + ": " + option + " needs a value");
                        }
                        step.options.put(option, args[i + 1]);
                        i += 2;
                    }
                }
                step.previousCard = last;
                step.card = card(step, last);
                if (step.card != null) {
                    last = step.card;
                }
                check(step, script.steps.size());
                script.steps.add(step);
            }
            if (script.steps.isEmpty()) {
                throw new UsageException("no operation given");
            }
            return script;
        }

        private static Set<String> allowed(final PosOperation operation) {
            final Set<String> allowed = new HashSet<>(Set.of("--expect"));
            switch (operation) {
                case PURCHASE, RECHARGE, PREAUTH -> {
                    allowed.addAll(CARD);
                    allowed.addAll(FLAGS);
                    allowed.add("--amount");
                }
                case BALANCE_INQUIRY -> {
                    allowed.addAll(CARD);
                    allowed.addAll(FLAGS);
                }
                case PURCHASE_VOID, PREAUTH_CANCEL, COMPLETION_VOID, RECHARGE_VOID -> {
                    allowed.addAll(CARD);
                    allowed.addAll(ORIGINAL);
                }
                case REFUND, COMPLETION -> {
                    allowed.addAll(CARD);
                    allowed.addAll(ORIGINAL);
                    allowed.add("--amount");
                }
                case BATCH_SETTLEMENT -> allowed.add("--expect-flag");
                default -> {
                }
            }
            return allowed;
        }

        /** The card of the step's options: a new one, the previous one with another PIN, or null. */
        private static Card card(final Step step, final Card previous) {
            final String what = step.operation.command;
            String pin = step.options.get("--pin");
            if (pin != null && step.flags.contains("--no-pin")) {
                throw new UsageException(what + ": --pin and --no-pin together");
            }
            if (pin != null && !pin.matches("[0-9]{4,12}")) {
                throw new UsageException(what + ": --pin must be 4 to 12 digits");
            }
            final Card card;
            try {
                if (step.has("--track2")) {
                    if (step.has("--pan") || step.has("--cvk")) {
                        throw new UsageException(what + ": --track2 carries the PAN: leave out --pan and --cvk");
                    }
                    card = Card.swiped(step.options.get("--track2"));
                } else if (step.has("--pan")) {
                    if (!step.has("--expiry")) {
                        throw new UsageException(what + ": --pan needs --expiry YYMM");
                    }
                    final int expiry = integer(what + " --expiry", step.options.get("--expiry"), 0, 9999);
                    if (step.has("--cvk")) {
                        final DesKey cvk;
                        try {
                            cvk = DesKey.fromHex(step.options.get("--cvk"));
                        } catch (final IllegalArgumentException e) {
                            throw new UsageException(what + ": --cvk expects 32 hex digits (KeyA||KeyB)");
                        }
                        if (!cvk.isDoubleLength()) {
                            throw new UsageException(what + ": --cvk expects 32 hex digits (KeyA||KeyB)");
                        }
                        final int service = step.has("--service-code")
                                ? integer(what + " --service-code", step.options.get("--service-code"), 0, 999)
                                : Card.DEFAULT_SERVICE_CODE;
                        card = Card.swiped(step.options.get("--pan"), expiry, service, CvkPair.of(cvk));
                    } else {
                        card = Card.manual(step.options.get("--pan"), expiry);
                    }
                } else if (step.has("--expiry") || step.has("--cvk") || step.has("--service-code")) {
                    throw new UsageException(what + ": --expiry, --cvk and --service-code go with --pan");
                } else if (pin != null || step.flags.contains("--no-pin")) {
                    if (previous == null) {
                        throw new UsageException(what + ": a PIN but no card: give --pan or --track2");
                    }
                    return previous.withPin(pin);
                } else {
                    return null;
                }
                return card.withPin(pin);
            } catch (final UsageException e) {
                throw e;
            } catch (final IllegalArgumentException e) {
                throw new UsageException(what + ": " + e.getMessage());
            }
        }

        private static void check(final Step step, final int previousSteps) {
            final PosOperation operation = step.operation;
            final String what = operation.command;
            if (step.has("--amount")) {
                step.amount = fen(what + " --amount", step.options.get("--amount"));
            } else if (operation == PosOperation.PURCHASE || operation == PosOperation.RECHARGE
                    || operation == PosOperation.PREAUTH || operation == PosOperation.REFUND
                    || operation == PosOperation.COMPLETION) {
                throw new UsageException(what + " needs --amount YUAN");
            }
            if (step.has("--expect")) {
                final Set<String> expect = new HashSet<>();
                for (final String code : step.options.get("--expect").split(",")) {
                    if (!code.matches("[0-9A-Z]{2}|timeout|any")) {
                        throw new UsageException(what + " --expect: expected response codes like 00,51, timeout or"
                                + " any, not '" + code + "'");
                    }
                    expect.add(code);
                }
                step.expect = expect;
            }
            if (step.has("--expect-flag")) {
                step.expectFlag = integer(what + " --expect-flag", step.options.get("--expect-flag"), 1, 2);
            }
            if (step.has("--ref")) {
                final int ref = integer(what + " --ref", step.options.get("--ref"), 1, Integer.MAX_VALUE);
                if (ref > previousSteps) {
                    throw new UsageException(what + " --ref " + ref + ": not an earlier operation");
                }
            }
            if (step.has("--orig-stan")) {
                integer(what + " --orig-stan", step.options.get("--orig-stan"), 0, PosTerminal.MAX_STAN);
            } else {
                for (final String option : List.of("--rrn", "--auth", "--orig-batch", "--orig-date", "--orig-amount")) {
                    if (step.has(option)) {
                        throw new UsageException(what + ": " + option + " goes with --orig-stan");
                    }
                }
            }
            if (step.has("--ref") && step.has("--orig-stan")) {
                throw new UsageException(what + ": --ref or --orig-stan, not both");
            }
            final boolean needsCard = operation == PosOperation.PURCHASE || operation == PosOperation.RECHARGE
                    || operation == PosOperation.PREAUTH || operation == PosOperation.BALANCE_INQUIRY;
            if (needsCard && step.cardOrPrevious() == null) {
                throw new UsageException(what + " needs a card: --pan DIGITS --expiry YYMM or --track2 ...");
            }
        }
    }

    // ------------------------------------------------------------------ running

    private static final class Runner {
        private final Script script;
        private final PosTerminal terminal;
        private final Dialect dialect;
        private final Path stateFile;
        private final PrintStream out;
        private final List<PosResult> results = new ArrayList<>();
        /** The hint that --state keeps the STAN was printed (once a run is enough). */
        private boolean duplicateHinted;
        /** Originals (batch:STAN) an approved void, cancel or completion of this run used up. */
        private final Set<String> used = new HashSet<>();

        Runner(final Script script, final PosTerminal terminal, final Dialect dialect, final Path stateFile,
                final PrintStream out) {
            this.script = script;
            this.terminal = terminal;
            this.dialect = dialect;
            this.stateFile = stateFile;
            this.out = out;
        }

        int run() {
            final boolean keepGoing = script.flags.contains("--keep-going");
            boolean allExpected = true;
            try {
                for (final Step step : script.steps) {
                    final boolean expected = runStep(step);
                    allExpected &= expected;
                    if (stateFile != null) {
                        TerminalState.save(stateFile, terminal);
                    }
                    if (!expected && !keepGoing) {
                        break;
                    }
                }
            } finally {
                if (stateFile != null) {
                    TerminalState.save(stateFile, terminal);
                }
            }
            return allExpected ? OK : UNEXPECTED;
        }

        private boolean runStep(final Step step) {
            final String prefix = String.format("#%-3d ", step.number);
            if (step.operation == PosOperation.REVERSAL && terminal.pendingReversal() == null) {
                results.add(null);
                out.println(prefix + String.format("%-15s ", "reversal") + "nothing owed");
                return true;
            }
            final PosResult result;
            try {
                result = execute(step);
            } catch (final IllegalArgumentException | IllegalStateException e) {
                results.add(null);
                out.println(prefix + String.format("%-15s ", step.operation.command) + "error: " + e.getMessage());
                return false;
            }
            results.add(result);
            for (final PosResult before : result.preliminaries()) {
                print(prefix, before, "");
            }
            final boolean expected = expected(step, result);
            print(prefix, result, expected ? "" : "  [UNEXPECTED: expected " + expectation(step) + "]");
            for (final PosResult after : result.followUps()) {
                print(prefix, after, "");
            }
            if (stateFile == null && !duplicateHinted && !step.expect.contains("94") && anyDuplicate(result)) {
                duplicateHinted = true;
                out.println("     hint: 94 is a STAN the switch has already seen: without --state every run starts"
                        + " again at STAN 1; give --state FILE to keep the STAN between runs, as a real terminal does");
            }
            if (result.approved() && step.operation.originalOperation() != null
                    && step.operation != PosOperation.REFUND) {
                used.add(lastOriginalKey);
            }
            return expected;
        }

        /** The answer, or one the simulator sent before or after it (sign-on, reversal, upload), was a 94. */
        private static boolean anyDuplicate(final PosResult result) {
            return duplicate(result) || result.preliminaries().stream().anyMatch(Runner::duplicate)
                    || result.followUps().stream().anyMatch(Runner::duplicate);
        }

        private static boolean duplicate(final PosResult result) {
            return result.status() == PosResult.Status.ANSWERED && "94".equals(result.responseCode());
        }

        private void print(final String prefix, final PosResult result, final String suffix) {
            out.println(prefix + result + suffix);
            if (script.flags.contains("--verbose")) {
                describe("      > ", result.request());
                describe("      < ", result.response());
            }
        }

        private void describe(final String indent, final byte[] frame) {
            if (frame == null) {
                return;
            }
            final IsoMessage message = new IsoMessage(dialect);
            message.wrap(new UnsafeBuffer(frame), 0, frame.length);
            for (final String line : IsoDescriber.describe(message).split("\n")) {
                out.println(indent + line);
            }
        }

        private static boolean expected(final Step step, final PosResult result) {
            final boolean code = step.expect.contains("any")
                    || step.expect.contains("timeout") && result.status() == PosResult.Status.TIMEOUT
                    || result.status() == PosResult.Status.ANSWERED && step.expect.contains(result.responseCode());
            return code && (step.expectFlag < 0 || result.settlementFlag() == step.expectFlag);
        }

        private static String expectation(final Step step) {
            return String.join(",", step.expect) + (step.expectFlag > 0 ? " with flag " + step.expectFlag : "");
        }

        private PosResult execute(final Step step) {
            final Card card = step.cardOrPrevious();
            return switch (step.operation) {
                case SIGN_ON -> terminal.signOn();
                case SIGN_OFF -> terminal.signOff();
                case ECHO_TEST -> terminal.echo();
                case PURCHASE -> terminal.purchase(card, step.amount, card.pin());
                case BALANCE_INQUIRY -> terminal.balance(card, card.pin());
                case RECHARGE -> terminal.recharge(card, step.amount, card.pin());
                case PREAUTH -> terminal.preAuth(card, step.amount, card.pin());
                case PURCHASE_VOID -> terminal.voidPurchase(original(step));
                case REFUND -> terminal.refund(original(step), step.amount);
                case RECHARGE_VOID -> terminal.voidRecharge(original(step));
                case PREAUTH_CANCEL -> terminal.preAuthCancel(original(step));
                case COMPLETION -> terminal.complete(original(step), step.amount);
                case COMPLETION_VOID -> terminal.voidCompletion(original(step));
                case REVERSAL -> {
                    final PosResult signOn = terminal.signedOn() || script.flags.contains("--no-auto-signon")
                            ? null : terminal.signOn();
                    final PosResult reversal = signOn == null || signOn.approved() ? terminal.sendPendingReversal()
                            : signOn;
                    if (signOn != null && reversal != signOn) {
                        reversal.preliminaries = List.of(signOn);
                    }
                    yield reversal;
                }
                case BATCH_SETTLEMENT -> terminal.settle();
                default -> throw new IllegalStateException("not an operation of the command: " + step.operation);
            };
        }

        private String lastOriginalKey;

        /** The original a void, refund, cancel or completion refers to (see the usage text). */
        private Original original(final Step step) {
            final PosOperation wanted = step.operation.originalOperation();
            final Original found;
            if (step.has("--ref")) {
                final int ref = Integer.parseInt(step.options.get("--ref"));
                final PosResult referred = results.get(ref - 1);
                if (referred == null || !referred.approved() || !fits(step.operation, referred.operation())) {
                    throw new IllegalArgumentException("--ref " + ref + " is not an approved " + wanted.command);
                }
                found = referred.original();
            } else if (step.has("--orig-stan")) {
                found = explicit(step, wanted);
            } else {
                found = latest(step.operation, wanted);
            }
            lastOriginalKey = found.batch() + ":" + found.stan();
            if (step.card == null) {
                return found;
            }
            return new Original(found.operation(), step.card, found.amount(), found.batch(), found.stan(),
                    found.rrn(), found.authCode(), found.dateMmdd());
        }

        private static boolean fits(final PosOperation operation, final PosOperation original) {
            return original == operation.originalOperation()
                    || operation == PosOperation.REFUND && original == PosOperation.COMPLETION;
        }

        private Original latest(final PosOperation operation, final PosOperation wanted) {
            for (int i = results.size() - 1; i >= 0; i--) {
                final PosResult r = results.get(i);
                if (r != null && r.approved() && fits(operation, r.operation())
                        && !used.contains(r.batch() + ":" + r.stan())) {
                    return r.original();
                }
            }
            final List<BatchEntry> entries = terminal.batchEntries();
            for (int i = entries.size() - 1; i >= 0; i--) {
                if (fits(operation, entries.get(i).operation())) {
                    return entries.get(i).toOriginal();
                }
            }
            throw new IllegalArgumentException("no approved " + wanted.command + " to refer to: use --ref N or"
                    + " --orig-stan N");
        }

        private Original explicit(final Step step, final PosOperation wanted) {
            final String what = step.operation.command;
            final int stan = Integer.parseInt(step.options.get("--orig-stan"));
            final int batch = step.has("--orig-batch")
                    ? integer(what + " --orig-batch", step.options.get("--orig-batch"), 1, PosTerminal.MAX_BATCH)
                    : terminal.batch();
            BatchEntry entry = null;
            for (final BatchEntry e : terminal.batchEntries()) {
                if (e.stan() == stan && e.batch() == batch && fits(step.operation, e.operation())) {
                    entry = e;
                }
            }
            final Card card = step.card != null ? step.card
                    : entry != null ? entry.toOriginal().card() : step.previousCard;
            if (card == null) {
                throw new IllegalArgumentException("the original's card: give --pan/--track2");
            }
            final long amount = step.has("--orig-amount")
                    ? fen(what + " --orig-amount", step.options.get("--orig-amount"))
                    : entry != null ? entry.amount() : step.amount;
            if (amount < 0) {
                throw new IllegalArgumentException("the original's amount: give --orig-amount YUAN");
            }
            final String rrn = step.has("--rrn") ? step.options.get("--rrn") : entry != null ? entry.rrn() : null;
            final String auth = step.has("--auth") ? step.options.get("--auth")
                    : entry != null ? entry.authCode() : null;
            final int date = step.has("--orig-date")
                    ? integer(what + " --orig-date", step.options.get("--orig-date"), 101, 1231)
                    : entry != null ? entry.dateMmdd() : -1;
            return new Original(entry != null ? entry.operation() : wanted, card, amount, batch, stan, rrn, auth, date);
        }
    }
}
