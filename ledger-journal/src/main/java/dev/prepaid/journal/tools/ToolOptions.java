package dev.prepaid.journal.tools;

import dev.prepaid.card.Pan;
import dev.prepaid.command.Ascii;
import dev.prepaid.command.CommandType;
import dev.prepaid.command.PosKind;
import dev.prepaid.journal.Durability;
import dev.prepaid.journal.JournalConfig;
import dev.prepaid.ledger.LedgerConfig;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;

/**
 * The journal tools' command line, parsed by hand: {@code --name value} or {@code --name=value}. Every mistake
 * is one {@link UsageException} line saying what was wrong and what was expected.
 */
final class ToolOptions {
    static final String DEFAULT_JOURNAL = "./data/journal";
    static final String DEFAULT_ZONE = "Asia/Shanghai";

    /** Which of the options a tool takes. */
    enum Tool {
        DUMP(Set.of("--card", "--terminal", "--merchant", "--from", "--to", "--type", "--outcomes", "--limit")),
        VERIFY(Set.of("--digest-every")),
        STATS(Set.of("--card", "--terminal", "--merchant", "--from", "--to", "--type", "--outcomes"));

        final Set<String> own;

        Tool(final Set<String> own) {
            this.own = own;
        }

        String label() {
            return "journal " + name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Set<String> COMMON = Set.of("--journal", "--zone", "--max-cards", "--transaction-log-capacity",
            "--roll-cycle", "--help");
    private static final Set<String> FLAGS = Set.of("--outcomes", "--help");

    final Tool tool;
    Path journal = Path.of(DEFAULT_JOURNAL);
    ZoneId zone = ZoneId.of(DEFAULT_ZONE);
    LedgerConfig ledger = LedgerConfig.defaults();
    /** Whether --max-cards or --transaction-log-capacity was given: else the newest snapshot's capacities apply. */
    boolean capacitiesGiven;
    /** Where {@link #ledger}'s capacities came from (said by verify); set by {@link #adoptSnapshotCapacities}. */
    String capacitiesSource = "defaults";
    /** Neither given nor recorded by a snapshot: the replay assumes the defaults. */
    boolean capacitiesGuessed = true;
    String rollCycle = JournalConfig.DEFAULT_ROLL_CYCLE;
    boolean help;

    // filters (dump, stats)
    String card;
    long terminal;
    String terminalText;
    boolean terminalSet;
    String merchant;
    long fromSequence = 1;
    long toSequence = Long.MAX_VALUE;
    long fromMillis = Long.MIN_VALUE;
    long toMillisExclusive = Long.MAX_VALUE;
    /** By command type code; null: every type. */
    boolean[] types;
    /** By POS kind code, for POS commands whose type is not selected as a whole. */
    boolean[] posKinds;

    boolean outcomes;
    long limit = Long.MAX_VALUE;
    long digestEvery;
    /** Said once on the error stream before the tool runs (e.g. a card number failing its check digit). */
    String notice;

    private ToolOptions(final Tool tool) {
        this.tool = tool;
    }

    /**
     * Without capacities on the command line, a replay must size its ledger as the switch did, or no snapshot
     * can be restored: the newest snapshot records those sizes (all fourteen, ring sizes included), so they are
     * taken from it. Sets {@link #capacitiesSource} and {@link #capacitiesGuessed}.
     */
    void adoptSnapshotCapacities() {
        capacitiesGuessed = false;
        if (capacitiesGiven) {
            capacitiesSource = "as given";
            return;
        }
        final Path directory = journalConfig().snapshotDirectory();
        final java.util.List<Path> snapshots;
        try {
            snapshots = dev.prepaid.journal.Snapshots.list(directory);
        } catch (final java.io.IOException e) {
            capacitiesSource = "defaults (snapshots cannot be listed: " + e.getMessage() + ")";
            capacitiesGuessed = true;
            return;
        }
        for (final Path snapshot : snapshots) {
            try {
                ledger = dev.prepaid.journal.Snapshots.capacities(snapshot);
                capacitiesSource = "from " + snapshot.getFileName();
                return;
            } catch (final java.io.IOException | RuntimeException e) {
                // unreadable header: try the next older snapshot; the tool reports the damaged one itself
            }
        }
        capacitiesSource = "defaults (no snapshot to take them from)";
        capacitiesGuessed = true;
    }

    /** Parses a tool's arguments (those after {@code journal <tool>}). */
    static ToolOptions parse(final Tool tool, final String[] args) {
        final ToolOptions options = new ToolOptions(tool);
        int maxCards = -1;
        int transactionLog = -1;
        String fromText = null;
        String toText = null;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            String value = null;
            final int equals = name.indexOf('=');
            if (name.startsWith("--") && equals > 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            if (!name.startsWith("--")) {
                throw new UsageException(tool.label() + ": unexpected argument '" + args[i] + "' (options start with --; see --help)");
            }
            if (!COMMON.contains(name) && !tool.own.contains(name)) {
                throw new UsageException(tool.label() + ": unknown option " + name + " (see " + tool.label() + " --help)");
            }
            if (FLAGS.contains(name)) {
                if (value != null) {
                    throw new UsageException(tool.label() + ": " + name + " takes no value");
                }
            } else if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException(tool.label() + ": " + name + " needs a value");
                }
                value = args[++i];
            }
            switch (name) {
                case "--help" -> options.help = true;
                case "--journal" -> options.journal = Path.of(nonEmpty(tool, name, value));
                case "--zone" -> options.zone = zone(tool, value);
                case "--max-cards" -> maxCards = (int) number(tool, name, value, 1, Integer.MAX_VALUE);
                case "--transaction-log-capacity" -> transactionLog = (int) number(tool, name, value, 1, 1 << 30);
                case "--roll-cycle" -> options.rollCycle = value;
                case "--card" -> options.card = card(options, value);
                case "--terminal" -> {
                    checkIdentifier(tool, name, value, 8);
                    options.terminal = Ascii.pack(value, 0, 8);
                    options.terminalText = value;
                    options.terminalSet = true;
                }
                case "--merchant" -> {
                    checkIdentifier(tool, name, value, 15);
                    options.merchant = value;
                }
                case "--from" -> fromText = value;
                case "--to" -> toText = value;
                case "--type" -> options.types(value);
                case "--outcomes" -> options.outcomes = true;
                case "--limit" -> options.limit = number(tool, name, value, 1, Long.MAX_VALUE);
                case "--digest-every" -> options.digestEvery = number(tool, name, value, 1, Long.MAX_VALUE);
                default -> throw new IllegalStateException(name);
            }
        }
        if (options.help) {
            return options;
        }
        try {
            LedgerConfig config = options.ledger;
            options.capacitiesGiven = maxCards > 0 || transactionLog > 0;
            if (maxCards > 0) {
                config = config.withMaxCards(maxCards);
            }
            if (transactionLog > 0) {
                config = config.withTransactionLogCapacity(transactionLog);
            }
            options.ledger = config;
            options.journalConfig();
        } catch (final IllegalArgumentException e) {
            throw new UsageException(tool.label() + ": " + e.getMessage());
        }
        if (fromText != null) {
            options.from(fromText);
        }
        if (toText != null) {
            options.to(toText);
        }
        if (options.fromSequence > options.toSequence || options.fromMillis >= options.toMillisExclusive) {
            throw new UsageException(tool.label() + ": --from " + fromText + " is after --to " + toText);
        }
        return options;
    }

    JournalConfig journalConfig() {
        return new JournalConfig(journal, Durability.PROCESS, rollCycle, 0);
    }

    String terminalIdText() {
        return terminalText;
    }

    boolean timeBounded() {
        return fromMillis != Long.MIN_VALUE || toMillisExclusive != Long.MAX_VALUE;
    }

    private static String nonEmpty(final Tool tool, final String name, final String value) {
        if (value.isBlank()) {
            throw new UsageException(tool.label() + ": " + name + " needs a value");
        }
        return value;
    }

    private static ZoneId zone(final Tool tool, final String value) {
        try {
            return ZoneId.of(value);
        } catch (final DateTimeException e) {
            throw new UsageException(tool.label() + ": --zone '" + value + "' is not a time zone (e.g. Asia/Shanghai, UTC, +08:00)");
        }
    }

    private static long number(final Tool tool, final String name, final String value, final long min, final long max) {
        final long parsed;
        try {
            parsed = Long.parseLong(value.replace("_", ""));
        } catch (final NumberFormatException e) {
            throw new UsageException(tool.label() + ": " + name + " needs a whole number, got '" + value + "'");
        }
        if (parsed < min || parsed > max) {
            // No bound is worth reading as 9223372036854775807: an open range says what it means.
            final String range = max != Long.MAX_VALUE ? min + ".." + max
                    : min == 1 ? "a positive number" : "at least " + min;
            throw new UsageException(tool.label() + ": " + name + " must be " + range + ", got " + parsed);
        }
        return parsed;
    }

    private static String card(final ToolOptions options, final String value) {
        final String digits = value.replace(" ", "");
        if (digits.length() < Pan.MIN_LENGTH || digits.length() > Pan.MAX_LENGTH || !digits.chars().allMatch(Character::isDigit)) {
            throw new UsageException(options.tool.label() + ": --card needs a card number of " + Pan.MIN_LENGTH + "-"
                    + Pan.MAX_LENGTH + " digits, got " + digits.length() + " characters");
        }
        if (Pan.parseKey(digits) < 0) {
            options.notice = "note: card number " + Pan.mask(digits) + " fails its check digit; matching it exactly as typed";
        }
        return digits;
    }

    private static void checkIdentifier(final Tool tool, final String name, final String value, final int max) {
        if (value.isEmpty() || value.length() > max) {
            throw new UsageException(tool.label() + ": " + name + " needs an id of 1-" + max + " characters, got '" + value + "'");
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < 0x20 || value.charAt(i) > 0x7E) {
                throw new UsageException(tool.label() + ": " + name + " '" + value + "' has a character that is not printable ASCII");
            }
        }
    }

    private void types(final String value) {
        if (types == null) {
            types = new boolean[1024];
            posKinds = new boolean[32];
        }
        for (final String raw : value.split(",")) {
            final String name = raw.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            if (name.isEmpty()) {
                continue;
            }
            final CommandType type = commandType(name);
            final PosKind kind = posKind(name);
            if (type != null) {
                types[type.code] = true;
            } else if (kind != null) {
                posKinds[kind.code] = true;
            } else {
                throw new UsageException(tool.label() + ": --type '" + raw.trim() + "' is neither a command type ("
                        + String.join(", ", names(CommandType.values())) + ") nor a POS kind ("
                        + String.join(", ", names(PosKind.values())) + ")");
            }
        }
    }

    private static CommandType commandType(final String name) {
        for (final CommandType type : CommandType.values()) {
            if (type.name().equals(name)) {
                return type;
            }
        }
        return null;
    }

    private static PosKind posKind(final String name) {
        for (final PosKind kind : PosKind.values()) {
            if (kind.name().equals(name)) {
                return kind;
            }
        }
        return null;
    }

    private static String[] names(final Enum<?>[] values) {
        final String[] names = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            names[i] = values[i].name();
        }
        return names;
    }

    private void from(final String text) {
        if (isSequence(text)) {
            fromSequence = number(tool, "--from", text, 1, Long.MAX_VALUE);
            return;
        }
        final LocalDate date = date(text);
        fromMillis = date != null ? date.atStartOfDay(zone).toInstant().toEpochMilli() : dateTime("--from", text);
    }

    private void to(final String text) {
        if (isSequence(text)) {
            toSequence = number(tool, "--to", text, 1, Long.MAX_VALUE);
            return;
        }
        final LocalDate date = date(text);
        toMillisExclusive = date != null ? date.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli()
                : dateTime("--to", text);
    }

    private static boolean isSequence(final String text) {
        return !text.isEmpty() && text.replace("_", "").chars().allMatch(Character::isDigit);
    }

    private static LocalDate date(final String text) {
        try {
            return LocalDate.parse(text);
        } catch (final DateTimeParseException e) {
            return null;
        }
    }

    private long dateTime(final String name, final String text) {
        final String iso = text.trim().replace(' ', 'T');
        try {
            return OffsetDateTime.parse(iso).toInstant().toEpochMilli();
        } catch (final DateTimeParseException notWithOffset) {
            try {
                return LocalDateTime.parse(iso).atZone(zone).toInstant().toEpochMilli();
            } catch (final DateTimeParseException e) {
                throw new UsageException(tool.label() + ": " + name + " '" + text + "' is neither a sequence number (digits) "
                        + "nor a date or time (2026-01-05, 2026-01-05T10:30, 2026-01-05T10:30:00+08:00)");
            }
        }
    }

    /** A mistake on the command line: the message is one line for the operator. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(final String message) {
            super(message);
        }
    }
}
