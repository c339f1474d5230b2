package dev.prepaid.journal.tools;

import dev.prepaid.command.CommandHeader;
import java.io.PrintStream;

/**
 * {@code journal dump}: one line per journaled command, card numbers masked, secrets never written:
 * <pre>
 * 1837 2026-01-05T10:03:07.146+08:00 POS PURCHASE terminal=30000004 merchant=998310048900000 card=888800******0335 amount=2.17 batch=000001 stan=000184 entry=021 =&gt; 00 APPROVED rrn=000000001203 auth=000917 card-amount=2.17 available=497.83
 * </pre>
 */
final class Dump {
    private Dump() {
    }

    static int run(final ToolOptions options, final PrintStream out, final PrintStream err) {
        final CommandText text = new CommandText(options.zone);
        final StringBuilder line = new StringBuilder(512);
        final long[] printed = {0};
        JournalWalk.walk(options, err, (sequence, timestamp, command, offset, length, outcome) -> {
            line.setLength(0);
            text.appendLine(line, sequence, timestamp, command, offset, length);
            if (outcome != null) {
                CommandText.appendOutcome(line, length >= CommandHeader.LENGTH ? CommandHeader.type(command, offset) : -1, outcome);
            }
            line.append('\n');
            out.append(line);
            printed[0]++;
            if ((printed[0] & 1023) == 0 && out.checkError()) {
                return false; // the reader went away (a closed pipe): stop reading
            }
            return printed[0] < options.limit;
        });
        return JournalTool.OK;
    }
}
