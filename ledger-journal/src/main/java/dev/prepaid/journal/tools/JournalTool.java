package dev.prepaid.journal.tools;

import dev.prepaid.journal.JournalCorruptException;
import dev.prepaid.journal.JournalException;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * The journal tools, {@code bin/prepaid journal <dump|verify|stats> [options]}: read a journal (while the switch
 * runs or after), never write it. Results go to the given output stream, notes and errors to the error stream.
 *
 * <p>Exit status: 0 done (verify: everything agrees); 1 verify found a difference, or the journal is damaged;
 * 2 the command line is wrong or there is no journal to read.
 */
public final class JournalTool {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    private static final String COMMON_HELP = """
              --journal <dir>        journal directory, holding queue/ and snapshots/ (default ./data/journal)
              --zone <zone>          time zone for times shown and read (default Asia/Shanghai)
              --max-cards <n>        ledger capacity for replays; must be at least the switch's
              --transaction-log-capacity <n>
                                     transactions kept for matching; must equal the switch's
                                     Without these two, every capacity is taken from the newest snapshot
                                     (those the switch ran with); without a snapshot, the defaults
                                     (%d cards, %d transactions)
              --roll-cycle <name>    Chronicle roll cycle of the journal (default LARGE_DAILY)
              --help                 this text
            """;
    private static final String FILTER_HELP = """
              --card <pan>           commands for this card number (POS, and admin commands naming it or a run
                                     of cards from a first card that covers it)
              --terminal <id>        POS commands from this terminal (and admin commands naming it)
              --merchant <id>        POS commands carrying this merchant id (and admin commands naming it)
              --from <seq|time>      from this sequence number, or this time (inclusive)
              --to <seq|time>        to this sequence number (inclusive), or before this time; a date alone
                                     means the whole day. Times: 2026-01-05, 2026-01-05T10:30, 2026-01-05 10:30:15,
                                     2026-01-05T02:30:00Z; without an offset they are in --zone
              --type <names>         comma-separated command types (POS, SELL_CARDS, CUTOVER, ...) or POS kinds
                                     (PURCHASE, REFUND, REVERSAL, ...)
            """;

    private JournalTool() {
    }

    public static void main(final String[] args) {
        ToolLogging.toStandardError();
        final PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false, StandardCharsets.UTF_8);
        final int status = run(args, out, System.err);
        out.flush();
        System.exit(status);
    }

    /** Runs {@code args} ({@code dump|verify|stats} and its options); returns the exit status. */
    public static int run(final String[] args, final PrintStream out, final PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            (args.length == 0 ? err : out).print(usage());
            return args.length == 0 ? USAGE : OK;
        }
        final ToolOptions.Tool tool;
        try {
            tool = ToolOptions.Tool.valueOf(args[0].toUpperCase(Locale.ROOT));
        } catch (final IllegalArgumentException e) {
            err.println("journal: unknown tool '" + args[0] + "'; use dump, verify or stats (see journal --help)");
            return USAGE;
        }
        ToolOptions options = null;
        try {
            options = ToolOptions.parse(tool, Arrays.copyOfRange(args, 1, args.length));
            if (options.help) {
                out.print(help(tool));
                return OK;
            }
            if (options.notice != null) {
                err.println(options.notice);
            }
            options.adoptSnapshotCapacities();
            return switch (tool) {
                case DUMP -> Dump.run(options, out, err);
                case VERIFY -> Verify.run(options, out, err);
                case STATS -> Stats.run(options, out, err);
            };
        } catch (final ToolOptions.UsageException e) {
            out.flush();
            err.println(e.getMessage());
            return USAGE;
        } catch (final JournalWalk.CannotRun e) {
            out.flush();
            err.println(tool.label() + ": " + e.getMessage());
            return USAGE;
        } catch (final JournalCorruptException e) {
            out.flush();
            err.println(tool.label() + ": " + e.getMessage() + JournalWalk.archiveHint(options.journalConfig()));
            return FAILED;
        } catch (final JournalException e) {
            out.flush();
            err.println(tool.label() + ": " + e.getMessage());
            return USAGE;
        } catch (final RuntimeException e) {
            out.flush();
            err.println(tool.label() + ": stopped: " + e);
            e.printStackTrace(err);
            return FAILED;
        } finally {
            out.flush();
        }
    }

    static String usage() {
        return """
                usage: bin/prepaid journal <tool> [options]

                  dump     one line per journaled command (card numbers masked), with filters
                  verify   replay from scratch and from snapshots; compare state digests and outcomes
                  stats    counts per command type and per hour, rates, outcomes

                bin/prepaid journal <tool> --help shows each tool's options.
                """;
    }

    static String help(final ToolOptions.Tool tool) {
        final String common = String.format(Locale.ROOT, COMMON_HELP, dev.prepaid.ledger.LedgerConfig.defaults().maxCards(),
                dev.prepaid.ledger.LedgerConfig.defaults().transactionLogCapacity());
        return switch (tool) {
            case DUMP -> """
                    usage: bin/prepaid journal dump [options]

                    One line per command: sequence, time, type and what it says. Card numbers show their first 6 and
                    last 4 digits; PIN check values and password hashes are never shown.

                    """ + FILTER_HELP + """
                      --outcomes             replay the journal (from the newest snapshot before --from) and show
                                             each command's outcome
                      --limit <n>            at most n lines
                    """ + common + """

                    example: bin/prepaid journal dump --card 8888000900000012 --from 2026-01-05T10:00 --outcomes
                    """;
            case VERIFY -> """
                    usage: bin/prepaid journal verify [options]

                    Replays the whole journal into a fresh ledger and, in the same pass, from every snapshot on.
                    Each snapshot must hold the state the journal leads to at its sequence; after it, both replays
                    must answer every command alike and reach the same state at the end. Reports the first
                    divergence; exit status 0 when all agree, 1 when not or when the journal is damaged.

                      --digest-every <n>     also compare the two replays' states every n commands after a
                                             snapshot, to narrow down a divergence no outcome shows
                    """ + common;
            case STATS -> """
                    usage: bin/prepaid journal stats [options]

                    Counts per command type and POS kind, per hour, the rate in the busiest hour and second.

                    """ + FILTER_HELP + """
                      --outcomes             replay and count approvals and declines by response code and reason
                    """ + common;
        };
    }
}
