package dev.prepaid.config;

import dev.prepaid.card.Pan;
import dev.prepaid.security.DesKey;
import dev.prepaid.security.KeyCeremony;
import dev.prepaid.security.KeyComponentSource;
import dev.prepaid.security.KeyMaterialException;
import dev.prepaid.security.MasterFileKey;
import dev.prepaid.security.SecretFiles;
import dev.prepaid.security.PinBlock;
import dev.prepaid.security.PinCheck;
import dev.prepaid.security.StoredKeys;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bin/prepaid keys}: the key ceremony of an installation. Custodians make MFK components; the key file
 * (TMKs, CVK pairs, the PIN verification key, each under the MFK) is listed, extended, pruned and re-encrypted
 * under a new MFK. Clear keys are shown only when asked for ({@code add --generate --show}), because a TMK must
 * reach the terminal's key loader and a CVK pair the card bureau; nothing else prints key material.
 * {@code pin-check} computes a card's PIN check value under the PVK for the bootstrap's {@code pinCheck}: the
 * issuer's PIN mailer run sets PINs offline, before the switch first starts.
 *
 * <p>The running switch reads the key file when it starts: restart it after a change.
 */
public final class KeyCommand {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    static final String USAGE_TEXT = String.join("\n",
            "usage: bin/prepaid keys <command> [options]",
            "",
            "  component FILE       a new random MFK component (32 hex digits, odd parity) in FILE, created readable by",
            "                       its owner only (an existing file is never overwritten); prints its check value.",
            "                       Each custodian makes one and keeps it; the MFK is the XOR of all of them.",
            "  list                 the MFK's check value and every key of the key file: name, length, check value",
            "  add NAME (--generate [--show] | --stdin) [--single] [--replace]",
            "                       puts a key in the key file under the MFK. --generate makes a random key; --show",
            "                       prints it once (a TMK for the terminal's key loader, a CVK pair for the card bureau;",
            "                       without --show no one outside the switch can ever have it: only the pvk needs none).",
            "                       --stdin reads the clear key as hex from standard input (not echoed on a terminal).",
            "                       Names: tmk.<terminal id> (a terminal's keyReference), cvk.<card type id> (1-65535),",
            "                       pvk (the PIN verification key); the switch reads no other.",
            "                       Keys are double-length unless --single (a TMK for single-length terminals only).",
            "  remove NAME          takes a key out of the key file",
            "  pin-check --pan PAN [--stdin]",
            "                       prints the PIN check value of a card (16 hex digits, under the key file's pvk) for",
            "                       pinCheck in the bootstrap file, e.g. for an issuer's PIN mailer run. The PIN (4-12",
            "                       digits) is typed twice without echo, or read as one line from standard input with",
            "                       --stdin; never given on the command line. Only the check value is printed.",
            "  rewrap --to SPEC --to SPEC [--to SPEC...] --out FILE [--replace]",
            "                       writes the key file re-encrypted under a new MFK made of the given components",
            "                       (file:PATH or env:VARIABLE) to FILE; then point keys.keyFile at FILE and",
            "                       keys.mfkComponents at the new components (it prints both with absolute paths), and",
            "                       restart the switch. An existing FILE is overwritten only with --replace",
            "",
            "every command but component: --config FILE   the switch configuration (default config/switch.yaml);",
            "                       its keys section names the MFK components and the key file",
            "",
            "exit status: 0 done, 1 the keys or files were refused (the message says why), 2 bad arguments");

    private static final String HEADER = String.join("\n",
            "Key file of the prepaid switch, written by bin/prepaid keys. Every key is encrypted under the MFK;",
            "change it with bin/prepaid keys (add, remove, rewrap), not by hand.");

    private final Path home;
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final KeyCeremony ceremony;
    private final SecretInput.Console console;

    KeyCommand(final Path home, final InputStream in, final PrintStream out, final PrintStream err,
            final SecureRandom random) {
        this(home, in, out, err, random, null);
    }

    /** @param console reads a PIN without echo ({@code pin-check}); null when there is no terminal */
    KeyCommand(final Path home, final InputStream in, final PrintStream out, final PrintStream err,
            final SecureRandom random, final SecretInput.Console console) {
        this.home = home;
        this.in = in;
        this.out = out;
        this.err = err;
        this.ceremony = new KeyCeremony(random);
        this.console = console;
    }

    public static void main(final String[] args) {
        final SecretInput.Console console = SecretInput.Console.system();
        System.exit(new KeyCommand(SwitchConfig.home(), System.in, System.out, System.err, new SecureRandom(), console)
                .run(args));
    }

    /** Runs one command; returns the exit status. */
    int run(final String[] args) {
        if (args.length == 0 || "--help".equals(args[0]) || "-h".equals(args[0]) || "help".equals(args[0])) {
            (args.length == 0 ? err : out).println(USAGE_TEXT);
            return args.length == 0 ? USAGE : OK;
        }
        final Arguments a;
        try {
            a = Arguments.parse(args);
        } catch (final IllegalArgumentException e) {
            err.println("keys: " + e.getMessage() + " (bin/prepaid keys --help)");
            return USAGE;
        }
        try {
            return switch (a.command) {
                case "component" -> component(a);
                case "list" -> list(a);
                case "add" -> add(a);
                case "remove" -> remove(a);
                case "pin-check" -> pinCheck(a);
                case "rewrap" -> rewrap(a);
                default -> throw new IllegalStateException(a.command);
            };
        } catch (final IllegalArgumentException e) {
            err.println("keys: " + e.getMessage() + " (bin/prepaid keys --help)");
            return USAGE;
        } catch (final ConfigException | KeyMaterialException e) {
            err.println("keys: " + e.getMessage());
            return FAILED;
        } catch (final IOException e) {
            err.println("keys: " + FileProblems.writing(e)); // what is read goes through the key classes
            return FAILED;
        }
    }

    private int component(final Arguments a) throws IOException {
        a.expectPositionals(1, "component FILE");
        a.expectNoOptions();
        final Path file = Path.of(a.positionals.get(0));
        final String hex = ceremony.newComponentHex();
        final List<String> lines = List.of("# MFK component, one of several; keep it where only its custodian can read it",
                hex);
        try {
            Files.createFile(file, SecretFiles.ownerOnly());
        } catch (final FileAlreadyExistsException e) {
            err.println("keys: " + file + " already exists; a component is never overwritten (move it away first)");
            return FAILED;
        }
        Files.write(file, lines, StandardCharsets.US_ASCII);
        final String checkValue = DesKey.fromHex(hex).checkValueHex(DesKey.DISPLAY_CHECK_VALUE_LENGTH);
        out.println("wrote a new MFK component to " + file + " (check value " + checkValue + ")");
        out.println("record the check value with the custodian; name the file in keys.mfkComponents as file:" + file
                + ", or put its digits in an environment variable and name it env:VARIABLE");
        return OK;
    }

    private int list(final Arguments a) {
        a.expectPositionals(0, "list");
        a.expectNoOptions();
        final KeySettings settings = config(a).keys();
        final MasterFileKey mfk = settings.loadMasterFileKey();
        out.println("MFK check value " + mfk.checkValueHex() + " (" + settings.mfkComponents().size() + " components)");
        final Map<String, DesKey> keys = readKeys(settings, mfk);
        out.println("key file " + settings.keyFile() + ": " + keys.size() + (keys.size() == 1 ? " key" : " keys"));
        for (final Map.Entry<String, DesKey> key : keys.entrySet()) {
            out.printf(Locale.ROOT, "  %-24s %-13s %s%n", key.getKey(),
                    key.getValue().isDoubleLength() ? "double-length" : "single-length",
                    key.getValue().checkValueHex(DesKey.DISPLAY_CHECK_VALUE_LENGTH));
        }
        return OK;
    }

    private int add(final Arguments a) throws IOException {
        a.expectPositionals(1, "add NAME");
        final String name = a.positionals.get(0);
        final boolean generate = a.flag("--generate");
        final boolean fromStdin = a.flag("--stdin");
        final boolean single = a.flag("--single");
        final boolean show = a.flag("--show");
        final boolean replace = a.flag("--replace");
        a.expectNoOptions();
        if (generate == fromStdin) {
            throw new IllegalArgumentException("add needs exactly one of --generate and --stdin");
        }
        if (show && !generate) {
            throw new IllegalArgumentException("--show goes with --generate (a key read from stdin is already known)");
        }
        if (!KeyNames.isRead(name)) {
            throw new IllegalArgumentException("the switch never reads a key named '" + name + "'; a name is "
                    + KeyNames.ACCEPTED_FORMS);
        }
        if (single && !mayBeSingle(name)) {
            throw new IllegalArgumentException(name + " must be a double-length key: "
                    + (name.equals(KeyNames.PIN_VERIFICATION_KEY) ? "the PIN verification key" : "a CVK pair is KeyA||KeyB"));
        }
        final KeySettings settings = config(a).keys();
        final MasterFileKey mfk = settings.loadMasterFileKey();
        final Map<String, DesKey> keys = readKeys(settings, mfk);
        if (keys.containsKey(name) && !replace) {
            err.println("keys: " + settings.keyFile() + " already has '" + name + "' (check value "
                    + keys.get(name).checkValueHex(DesKey.DISPLAY_CHECK_VALUE_LENGTH) + "); --replace to change it");
            return FAILED;
        }
        final int length = single ? DesKey.SINGLE_LENGTH : DesKey.DOUBLE_LENGTH;
        final DesKey key = generate ? ceremony.newKey(length) : readClearKey(name, length);
        StoredKeys.format(name, key, mfk); // refuses a bad name before anything is written
        final boolean replaced = keys.put(name, key) != null;
        StoredKeys.write(settings.keyFile(), keys, mfk, HEADER);
        final String checkValue = key.checkValueHex(DesKey.DISPLAY_CHECK_VALUE_LENGTH);
        out.println((replaced ? "replaced " : "added ") + name + " (" + (single ? "single" : "double")
                + "-length, check value " + checkValue + ") in " + settings.keyFile());
        if (show) {
            out.println("clear key of " + name + ": " + KeyCeremony.revealHex(key)
                    + "  <- carry it to where it is loaded, then clear this screen");
        } else if (generate && !KeyNames.PIN_VERIFICATION_KEY.equals(name)) {
            // Only the switch uses the PVK; a TMK or CVK pair that nobody outside has seen is of no use.
            err.println("keys: warning: the clear key of " + name + " was never shown, so no "
                    + (name.startsWith(KeyNames.CVK_PREFIX) ? "card bureau" : "terminal") + " can ever load it; to make"
                    + " one that can: bin/prepaid keys add " + name + " --generate --show --replace"
                    + (single ? " --single" : "") + (a.configFile == null ? "" : " --config " + a.configFile));
        }
        out.println("the switch reads the key file when it starts: restart it to use the change");
        return OK;
    }

    private int remove(final Arguments a) {
        a.expectPositionals(1, "remove NAME");
        a.expectNoOptions();
        final String name = a.positionals.get(0);
        final KeySettings settings = config(a).keys();
        final MasterFileKey mfk = settings.loadMasterFileKey();
        final Map<String, DesKey> keys = readKeys(settings, mfk);
        final DesKey removed = keys.remove(name);
        if (removed == null) {
            err.println("keys: " + settings.keyFile() + " has no key named '" + name + "'");
            return FAILED;
        }
        StoredKeys.write(settings.keyFile(), keys, mfk, HEADER);
        out.println("removed " + name + " (check value " + removed.checkValueHex(DesKey.DISPLAY_CHECK_VALUE_LENGTH)
                + ") from " + settings.keyFile() + "; restart the switch to stop using it");
        return OK;
    }

    /**
     * The check value of a card's PIN under the key file's PVK, as the ledger stores it: what the bootstrap's
     * {@code pinCheck} takes. Only the check value is printed; the PIN is wiped once it is used.
     */
    private int pinCheck(final Arguments a) throws IOException {
        if (!a.positionals.isEmpty()) {
            // A word that is not an option may well be the PIN itself: it is not repeated.
            throw new IllegalArgumentException("pin-check takes no argument (not shown): the PIN is never given on the"
                    + " command line; type it when asked, or pipe it in with --stdin");
        }
        final String pan = a.value("--pan");
        final boolean fromStdin = a.flag("--stdin");
        a.expectNoOptions();
        if (pan == null) {
            throw new IllegalArgumentException("pin-check needs --pan PAN, the card number the PIN belongs to");
        }
        if (!pan.matches("[0-9]{13,19}") || Pan.parseKey(pan) < 0) {
            throw new IllegalArgumentException("--pan must be a card number of 13-19 digits with a valid Luhn check"
                    + " digit");
        }
        final KeySettings settings = config(a).keys();
        final DesKey pvk = readKeys(settings, settings.loadMasterFileKey()).get(KeyNames.PIN_VERIFICATION_KEY);
        if (pvk == null) {
            err.println("keys: " + settings.keyFile() + " has no PIN verification key '" + KeyNames.PIN_VERIFICATION_KEY
                    + "': add it first (bin/prepaid keys add pvk --generate)");
            return FAILED;
        }
        final char[] pin = new SecretInput("keys", "PIN", in, err, console).read(fromStdin, "PIN: ");
        if (pin == null) {
            return FAILED;
        }
        try {
            final long checkValue = new PinCheck(pvk).fromClearPin(pan, CharBuffer.wrap(pin));
            if (checkValue == PinCheck.INVALID_PIN) {
                // Never echoed: it may be a real PIN with one digit wrong.
                err.println("keys: the PIN must be " + PinBlock.MIN_PIN_LENGTH + "-" + PinBlock.MAX_PIN_LENGTH
                        + " digits (got " + pin.length + " characters); nothing printed");
                return FAILED;
            }
            out.println(PinCheck.toText(checkValue));
            return OK;
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    private int rewrap(final Arguments a) {
        a.expectPositionals(0, "rewrap");
        final List<String> specs = a.values("--to");
        final String target = a.value("--out");
        final boolean replace = a.flag("--replace");
        a.expectNoOptions();
        if (target == null) {
            throw new IllegalArgumentException("rewrap needs --out FILE (the current key file stays as it is)");
        }
        if (specs.size() < MasterFileKey.MIN_COMPONENTS) {
            throw new IllegalArgumentException("rewrap needs at least " + MasterFileKey.MIN_COMPONENTS
                    + " new components (--to file:PATH or --to env:VARIABLE), " + specs.size() + " given");
        }
        final KeySettings settings = config(a).keys();
        final MasterFileKey current = settings.loadMasterFileKey();
        final Map<String, DesKey> keys = readKeys(settings, current);
        final List<KeyComponentSource> sources = new ArrayList<>();
        for (final String spec : specs) {
            sources.add(KeyComponentSource.parse(spec));
        }
        final MasterFileKey next = MasterFileKey.load(sources);
        if (next.isDevelopmentKey() && !settings.development()) {
            err.println("keys: the new components make the shipped development MFK (check value "
                    + next.checkValueHex() + "), which is public; use real components");
            return FAILED;
        }
        final Path file = Path.of(target).toAbsolutePath().normalize();
        if (file.equals(settings.keyFile().toAbsolutePath())) {
            throw new IllegalArgumentException("--out must be a new file, not the key file in use ("
                    + settings.keyFile() + "): the switch must keep starting until switch.yaml is changed");
        }
        if (Files.exists(file) && !replace) {
            // An earlier rewrap's output may be the only copy of the keys under components already handed out.
            err.println("keys: " + file + " already exists; --replace to overwrite it, or choose another --out");
            return FAILED;
        }
        StoredKeys.write(file, keys, next, HEADER);
        out.println("wrote " + keys.size() + " keys under the new MFK (check value " + next.checkValueHex() + ") to "
                + file);
        out.println("now set keys.keyFile: " + file + " and keys.mfkComponents: " + absolute(specs)
                + " in the configuration, and restart the switch");
        return OK;
    }

    /**
     * The component specs as switch.yaml must name them: {@code file:} paths made absolute. The command read them
     * from the caller's directory, while switch.yaml resolves a relative path against its base directory, so the
     * relative spec as typed would name another file (or none) at the next start.
     */
    private static List<String> absolute(final List<String> specs) {
        final List<String> absolute = new ArrayList<>(specs.size());
        for (final String spec : specs) {
            absolute.add(spec.startsWith("file:")
                    ? "file:" + Path.of(spec.substring("file:".length())).toAbsolutePath().normalize() : spec);
        }
        return absolute;
    }

    private SwitchConfig config(final Arguments a) {
        return SwitchConfig.loadGiven(a.value("--config"), home);
    }

    /** The keys of the key file in file order; none when the file does not exist yet (a new installation). */
    private static Map<String, DesKey> readKeys(final KeySettings settings, final MasterFileKey mfk) {
        final Map<String, DesKey> keys = new LinkedHashMap<>();
        if (!Files.exists(settings.keyFile())) {
            return keys;
        }
        final StoredKeys stored = settings.loadKeyFile(mfk);
        for (final String name : stored.names()) {
            keys.put(name, stored.key(name));
        }
        return keys;
    }

    private DesKey readClearKey(final String name, final int length) throws IOException {
        final String line;
        if (System.console() != null && in == System.in) {
            final char[] typed = System.console().readPassword("clear key %s (%d hex digits): ", name, 2 * length);
            if (typed == null) {
                throw new IllegalArgumentException("no key given on standard input");
            }
            line = new String(typed);
            Arrays.fill(typed, ' ');
        } else {
            line = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII)).readLine();
        }
        if (line == null) {
            throw new IllegalArgumentException("no key given on standard input");
        }
        // Key forms and card bureaus print keys in groups of four: spaces between the groups are allowed.
        final String hex = line.replaceAll("[ \\t]", "");
        if (hex.length() != 2 * length || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            // The input is never echoed: it may be a key with one digit wrong.
            throw new IllegalArgumentException("the key on standard input must be " + 2 * length + " hex digits (got "
                    + hex.length() + " characters)" + (mayBeSingle(name) && length == DesKey.DOUBLE_LENGTH
                            ? "; --single for 16" : ""));
        }
        final DesKey key = DesKey.fromHex(hex);
        if (key.hasWeakHalf()) {
            throw new KeyMaterialException("the key for " + name + " is (or has a half that is) a DES weak or semi-weak"
                    + " key, which encrypting twice undoes; ask for a new key");
        }
        if (key.hasEqualHalves()) {
            throw new KeyMaterialException("the key for " + name + " has two equal halves: that is single DES under a"
                    + " double-length name; give a true double-length key"
                    + (mayBeSingle(name) ? ", or --single if the terminal takes one" : ""));
        }
        return key;
    }

    /**
     * Whether a key of this name may be single-length: only a TMK (for terminals that take no other). A CVK pair
     * is KeyA||KeyB and the PIN verification key is double-length, so a message never suggests --single for them.
     */
    private static boolean mayBeSingle(final String name) {
        return KeyNames.isTmk(name);
    }

    /** COMMAND positionals... --flag --option value. */
    private static final class Arguments {
        private static final List<String> WITH_VALUE = List.of("--config", "--to", "--out", "--pan");
        private static final List<String> FLAGS = List.of("--generate", "--stdin", "--single", "--show", "--replace");
        private static final List<String> COMMANDS = List.of("component", "list", "add", "remove", "pin-check",
                "rewrap");

        final String command;
        final List<String> positionals = new ArrayList<>();
        /** The --config value as typed, for a command line the operator is told to run next; null when absent. */
        String configFile;
        private final Map<String, List<String>> options = new LinkedHashMap<>();

        private Arguments(final String command) {
            this.command = command;
        }

        static Arguments parse(final String[] args) {
            if (!COMMANDS.contains(args[0])) {
                throw new IllegalArgumentException("unknown command '" + args[0] + "'; one of " + COMMANDS);
            }
            final Arguments a = new Arguments(args[0]);
            for (int i = 1; i < args.length; i++) {
                final String arg = args[i];
                if (WITH_VALUE.contains(arg)) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(arg + " needs a value");
                    }
                    a.options.computeIfAbsent(arg, k -> new ArrayList<>()).add(args[++i]);
                } else if (FLAGS.contains(arg)) {
                    a.options.computeIfAbsent(arg, k -> new ArrayList<>()).add("");
                } else if (arg.startsWith("--")) {
                    throw new IllegalArgumentException("unknown option '" + arg + "' for " + args[0]);
                } else {
                    a.positionals.add(arg);
                }
            }
            if (a.options.getOrDefault("--config", List.of()).size() > 1) {
                throw new IllegalArgumentException("--config given twice");
            }
            a.configFile = a.options.containsKey("--config") ? a.options.get("--config").get(0) : null;
            return a;
        }

        boolean flag(final String name) {
            return options.remove(name) != null;
        }

        String value(final String name) {
            final List<String> values = options.remove(name);
            if (values != null && values.size() > 1) {
                throw new IllegalArgumentException(name + " given " + values.size() + " times");
            }
            return values == null ? null : values.get(0);
        }

        List<String> values(final String name) {
            final List<String> values = options.remove(name);
            return values == null ? List.of() : values;
        }

        void expectPositionals(final int count, final String form) {
            if (positionals.size() != count) {
                throw new IllegalArgumentException(form + " takes " + (count == 0 ? "no" : count) + " argument"
                        + (count == 1 ? "" : "s") + ", not " + positionals);
            }
        }

        /** Options not taken by the command (--config is taken by every command but component). */
        void expectNoOptions() {
            final List<String> left = new ArrayList<>(options.keySet());
            if (!"component".equals(command)) {
                left.remove("--config");
            }
            if (!left.isEmpty()) {
                throw new IllegalArgumentException(command + " does not take " + String.join(", ", left));
            }
        }
    }
}
