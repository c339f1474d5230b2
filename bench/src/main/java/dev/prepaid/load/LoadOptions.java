package dev.prepaid.load;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The options of {@code bin/prepaid load} (a run) and of {@code bin/prepaid load population} (writing a
 * population), checked together so that a combination that cannot mean anything is refused before a switch starts.
 *
 * @param population    a population written before, or null: one is made for the run from terminals and cards
 * @param target        host:port of a running switch, or null: the run starts one in a JVM of its own
 * @param switchPid     with a target: its process, for its CPU time; −1 unknown
 * @param metrics       with a target: host:port of its metrics endpoint, or null for the target's host and the
 *                      population's port
 * @param admin         with a target: host:port of its admin endpoint, or null as for metrics
 * @param durability    for the switch the run starts, or null: as the population says (a population made for the
 *                      run: SYNC)
 * @param waitStrategy  likewise, or null (made for the run: PHASED)
 * @param layout        the stages' layout on threads of the switch the run starts, or null: as its configuration says
 * @param ladder        the rate ladder, or null for one rate (or the closed loop)
 * @param seed          the random numbers of the mix: the same seed draws the same operations and cards
 * @param booksFrom     where the books check reads the switch's cards: {@code journal}, {@code admin}, or null for
 *                      the journal when it is on this machine, else the admin endpoint
 */
record LoadOptions(Path population, int terminals, int cards, int pinCards, String target, long switchPid,
        String metrics, String admin, String durability, String waitStrategy, String layout, int transactionLog, boolean closedLoop,
        double rate, Ladder ladder, int stepSeconds, int stepWarmup, Path mix, int seconds, int warmup,
        int adminLookups, int eventLoops, int timeoutMillis, long seed, String booksFrom, int checkCards, Path out,
        boolean keep) {

    static final double MAX_RATE = 1_000_000;
    static final int MAX_STEPS = 100;
    static final String DEFAULT_MIX = "config/load/mix.yaml";

    static final String USAGE = String.join("\n",
            "usage: bin/prepaid load [options]                 a run: terminals against a switch, open loop by default",
            "       bin/prepaid load population --out DIR [--terminals N] [--cards M] [--pin-cards K]",
            "                                   [--durability D] [--wait-strategy S] [--transaction-log N]",
            "",
            "what is loaded (docs/operations.md, \"The load generator\"):",
            "  --population DIR    a population written by 'load population' (default: one made for the run)",
            "  --terminals N       terminals of the population made for the run (default 16, at most 10,000)",
            "  --cards M           its cards (default 100,000, at most 10,000,000); --pin-cards K: how many have a PIN",
            "                      (default the first 10,000)",
            "  --mix FILE          the transaction mix (default " + DEFAULT_MIX + "; config/load/purchases.yaml:",
            "                      purchases only)",
            "the switch:",
            "  --target HOST:PORT  a running switch serving the population (bin/prepaid serve --config DIR/switch.yaml);",
            "                      default: the run starts one on a copy of it in a JVM of its own",
            "  --switch-pid PID    with --target: the switch's process, so that its CPU time is reported",
            "  --metrics H:P, --admin H:P   with --target: its metrics and admin endpoints (default: the target's host",
            "                      and the ports of the population's switch.yaml)",
            "  --durability MODE   the switch the run starts: SYNC (default, production) or PROCESS",
            "  --wait-strategy S   the switch the run starts: PHASED (default), SLEEPING, YIELDING, BLOCKING, BUSY_SPIN",
            "  --layout L          the switch the run starts: its stages on ONE_THREAD, THREE_THREADS or IO_THREAD (the",
            "                      POS server's only I/O thread) (default: as its",
            "                      switch.yaml says; docs/configuration.md, pipeline.layout)",
            "how:",
            "  --rate N[/s]        open loop: N requests a second in all, spread over the terminals (default 1,000)",
            "  --ladder A,S,M      open loop: rates A, A+S, ... up to M, --step-seconds each (default 10) after",
            "                      --step-warmup seconds (default 2), until a step's p99 passes --p99 MS (default 10)",
            "                      or errors appear; reports the highest sustained rate",
            "  --closed-loop       each terminal sends its next request when its answer comes (before issue 12)",
            "  --seconds S         measured seconds (default 20); --warmup S: sent before, not measured (default 10)",
            "  --admin-lookups R   also read R cards a second through the admin endpoint, in alternate quarters of the",
            "                      measured time (one rate or the closed loop): figures without and with, side by side",
            "  --event-loops N     the generator's Netty event loops (default: half the cores, at least 1)",
            "  --timeout MS        an answer's deadline; a request without one is reversed (default 10,000)",
            "  --seed N            the mix's random numbers (default: drawn, and printed)",
            "  --books-from W      where the books check reads the switch's cards: journal (replayed here: every card",
            "                      and the ledger's identities) or admin (the cards the run touched, at most",
            "                      --check-cards N, default 10,000); default: the journal when it is on this machine",
            "  --out DIR           where the results go (default load-results/<date-time>)",
            "  --keep              keep the run's scratch directory (population, journal, configuration)",
            "exit status: 0 no errors and the books agree, 1 errors or the books disagree, 2 bad arguments or no start");

    private static final List<String> FLAGS = List.of("--closed-loop", "--keep");
    private static final List<String> VALUED = List.of("--population", "--terminals", "--cards", "--pin-cards",
            "--target", "--switch-pid", "--metrics", "--admin", "--durability", "--wait-strategy", "--layout",
            "--transaction-log", "--rate", "--ladder", "--p99", "--step-seconds", "--step-warmup", "--mix", "--seconds", "--warmup",
            "--admin-lookups", "--event-loops", "--timeout", "--seed", "--books-from", "--check-cards", "--out");
    private static final List<String> POPULATION_OPTIONS = List.of("--terminals", "--cards", "--pin-cards",
            "--durability", "--wait-strategy", "--transaction-log", "--out");

    /** Whether {@code args} ask for {@code load population}. */
    static boolean isPopulation(final String[] args) {
        return args.length > 0 && "population".equals(args[0]);
    }

    /** The options of {@code load population ARGS} (without the word population) as a population's shape. */
    static Population.Shape population(final String[] args, final Path[] out) {
        int terminals = 16;
        int cards = 100_000;
        int pinCards = -1;
        String durability = "SYNC";
        String waitStrategy = "PHASED";
        int transactionLog = 1 << 20;
        final Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            final String option = args[i];
            if (!POPULATION_OPTIONS.contains(option)) {
                throw new IllegalArgumentException("unknown argument '" + option + "' of load population");
            }
            final String value = value(args, i++, seen);
            switch (option) {
                case "--terminals" -> terminals = number(option, value, 1, Population.MAX_TERMINALS);
                case "--cards" -> cards = number(option, value, 1, Population.MAX_CARDS);
                case "--pin-cards" -> pinCards = number(option, value, 0, Population.MAX_CARDS);
                case "--durability" -> durability = durability(value);
                case "--wait-strategy" -> waitStrategy = waitStrategy(value);
                case "--transaction-log" -> transactionLog = number(option, value, 1, 1 << 30);
                default -> out[0] = Path.of(value);
            }
        }
        if (out[0] == null) {
            throw new IllegalArgumentException("load population needs --out DIR, the directory to write it into");
        }
        return new Population.Shape(terminals, cards, pinCards < 0 ? Population.Shape.defaultPinCards(cards)
                : pinCards, durability, waitStrategy, transactionLog);
    }

    /** The options of a run. */
    static LoadOptions parse(final String[] args) {
        Path population = null;
        int terminals = 16;
        int cards = 100_000;
        int pinCards = -1;
        String target = null;
        long switchPid = -1;
        String metrics = null;
        String admin = null;
        String durability = null;
        String waitStrategy = null;
        String layout = null;
        int transactionLog = 1 << 20;
        boolean closedLoop = false;
        double rate = -1;
        String ladder = null;
        double p99Millis = 10;
        int stepSeconds = 10;
        int stepWarmup = 2;
        Path mix = null;
        int seconds = 20;
        int warmup = 10;
        int adminLookups = 0;
        int eventLoops = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        int timeout = 10_000;
        long seed = System.nanoTime();
        String booksFrom = null;
        int checkCards = 10_000;
        Path out = null;
        boolean keep = false;
        final Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            final String option = args[i];
            if (FLAGS.contains(option)) {
                if (!seen.add(option)) {
                    throw new IllegalArgumentException(option + " given twice");
                }
                if ("--keep".equals(option)) {
                    keep = true;
                } else {
                    closedLoop = true;
                }
                continue;
            }
            if (!VALUED.contains(option)) {
                throw new IllegalArgumentException("unknown argument '" + option + "'");
            }
            final String value = value(args, i++, seen);
            switch (option) {
                case "--population" -> population = Path.of(value);
                case "--terminals" -> terminals = number(option, value, 1, Population.MAX_TERMINALS);
                case "--cards" -> cards = number(option, value, 1, Population.MAX_CARDS);
                case "--pin-cards" -> pinCards = number(option, value, 0, Population.MAX_CARDS);
                case "--target" -> target = hostPort(option, value);
                case "--switch-pid" -> switchPid = number(option, value, 1, Integer.MAX_VALUE);
                case "--metrics" -> metrics = hostPort(option, value);
                case "--admin" -> admin = hostPort(option, value);
                case "--durability" -> durability = durability(value);
                case "--wait-strategy" -> waitStrategy = waitStrategy(value);
                case "--layout" -> layout = layout(value);
                case "--transaction-log" -> transactionLog = number(option, value, 1, 1 << 30);
                case "--rate" -> rate = rate(value);
                case "--ladder" -> ladder = value;
                case "--p99" -> p99Millis = decimal(option, value, 0.001, 600_000);
                case "--step-seconds" -> stepSeconds = number(option, value, 1, 3_600);
                case "--step-warmup" -> stepWarmup = number(option, value, 1, 600);
                case "--mix" -> mix = Path.of(value);
                case "--seconds" -> seconds = number(option, value, 1, 3_600);
                case "--warmup" -> warmup = number(option, value, 0, 3_600);
                case "--admin-lookups" -> adminLookups = number(option, value, 0, 100_000);
                case "--event-loops" -> eventLoops = number(option, value, 1, 64);
                case "--timeout" -> timeout = number(option, value, 10, 600_000);
                case "--seed" -> seed = longNumber(option, value);
                case "--books-from" -> {
                    if (!"journal".equals(value) && !"admin".equals(value)) {
                        throw new IllegalArgumentException("--books-from is journal or admin, not '" + value + "'");
                    }
                    booksFrom = value;
                }
                case "--check-cards" -> checkCards = number(option, value, 1, Population.MAX_CARDS);
                default -> out = Path.of(value);
            }
        }
        final int modes = (closedLoop ? 1 : 0) + (rate > 0 ? 1 : 0) + (ladder != null ? 1 : 0);
        if (modes > 1) {
            throw new IllegalArgumentException("give one of --rate, --ladder and --closed-loop");
        }
        if (population != null && (seen.contains("--terminals") || seen.contains("--cards")
                || seen.contains("--pin-cards") || seen.contains("--transaction-log"))) {
            throw new IllegalArgumentException("--population brings its terminals and cards: leave out --terminals,"
                    + " --cards, --pin-cards and --transaction-log");
        }
        if (target != null && (durability != null || waitStrategy != null || layout != null)) {
            throw new IllegalArgumentException("--durability, --wait-strategy and --layout set up the switch the run starts; a"
                    + " --target runs as its configuration says");
        }
        if (target == null && (switchPid > 0 || metrics != null || admin != null)) {
            throw new IllegalArgumentException("--switch-pid, --metrics and --admin describe a --target; the switch"
                    + " the run starts is known");
        }
        if (target != null && population == null) {
            throw new IllegalArgumentException("--target needs the --population the switch serves (its terminals,"
                    + " keys and cards)");
        }
        if (adminLookups > 0 && ladder != null) {
            throw new IllegalArgumentException("--admin-lookups compares quarters of one rate: not with --ladder");
        }
        if (adminLookups > 0 && seconds < 4) {
            throw new IllegalArgumentException("--admin-lookups needs --seconds of at least 4 (four alternating"
                    + " quarters)");
        }
        final int pins = pinCards < 0 ? Population.Shape.defaultPinCards(cards) : pinCards;
        if (pins > cards) {
            throw new IllegalArgumentException("--pin-cards must be at most --cards (" + cards + ")");
        }
        final Ladder parsedLadder = ladder == null ? null : Ladder.parse(ladder, (long) (p99Millis * 1e6));
        if (ladder == null && seen.contains("--p99")) {
            throw new IllegalArgumentException("--p99 is the bound of a --ladder");
        }
        return new LoadOptions(population, terminals, cards, pins, target, switchPid, metrics, admin,
                durability, waitStrategy, layout,
                transactionLog, closedLoop, rate > 0 ? rate : 1_000, parsedLadder, stepSeconds, stepWarmup, mix,
                seconds, warmup, adminLookups, eventLoops, timeout, seed, booksFrom, checkCards,
                out == null ? Path.of("load-results", LocalDateTime.now().format(
                        DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT))) : out, keep);
    }

    /** What the run does, in a few words: the closed loop, one rate or the ladder. */
    String modeText() {
        if (closedLoop) {
            return "closed loop";
        }
        if (ladder != null) {
            return String.format(Locale.ROOT, "open loop, ladder %.0f to %.0f/s, p99 bound %.3f ms", ladder.rates()
                    .get(0), ladder.rates().get(ladder.rates().size() - 1), ladder.p99BoundNanos() / 1e6);
        }
        return String.format(Locale.ROOT, "open loop at %,.0f/s", rate);
    }

    private static String value(final String[] args, final int i, final Set<String> seen) {
        if (i + 1 >= args.length) {
            throw new IllegalArgumentException(args[i] + " needs a value");
        }
        if (!seen.add(args[i])) {
            throw new IllegalArgumentException(args[i] + " given twice");
        }
        return args[i + 1];
    }

    private static String durability(final String value) {
        if (!"SYNC".equals(value) && !"PROCESS".equals(value)) {
            throw new IllegalArgumentException("--durability is SYNC or PROCESS, not '" + value + "'");
        }
        return value;
    }

    private static String waitStrategy(final String value) {
        if (!List.of("PHASED", "SLEEPING", "YIELDING", "BLOCKING", "BUSY_SPIN").contains(value)) {
            throw new IllegalArgumentException("--wait-strategy is PHASED, SLEEPING, YIELDING, BLOCKING or BUSY_SPIN, not '"
                    + value + "'");
        }
        return value;
    }

    private static String layout(final String value) {
        if (!List.of("ONE_THREAD", "THREE_THREADS", "IO_THREAD").contains(value)) {
            throw new IllegalArgumentException("--layout is ONE_THREAD, THREE_THREADS or IO_THREAD, not '" + value + "'");
        }
        return value;
    }

    private static double rate(final String value) {
        final String number = value.endsWith("/s") ? value.substring(0, value.length() - 2) : value;
        return decimal("--rate", number, 0.001, MAX_RATE);
    }

    private static String hostPort(final String option, final String value) {
        final int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException(option + " is HOST:PORT, not '" + value + "'");
        }
        number(option + "'s port", value.substring(colon + 1), 1, 65_535);
        return value;
    }

    static String host(final String hostPort) {
        return hostPort.substring(0, hostPort.lastIndexOf(':'));
    }

    static int port(final String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    private static int number(final String option, final String value, final int min, final int max) {
        final int n;
        try {
            n = Integer.parseInt(value.replace(",", "").replace("_", ""));
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, not '" + value + "'");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(option + " must be " + min + ".." + max + ", not " + n);
        }
        return n;
    }

    private static long longNumber(final String option, final String value) {
        try {
            return Long.parseLong(value);
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, not '" + value + "'");
        }
    }

    private static double decimal(final String option, final String value, final double min, final double max) {
        final double n;
        try {
            n = Double.parseDouble(value.replace(",", "").replace("_", ""));
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number, not '" + value + "'");
        }
        if (!(n >= min) || n > max) {
            throw new IllegalArgumentException(option + " must be " + min + ".." + (long) max + ", not " + value);
        }
        return n;
    }
}
