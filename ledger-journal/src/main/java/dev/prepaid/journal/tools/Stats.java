package dev.prepaid.journal.tools;

import dev.prepaid.command.CommandHeader;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.PosRequest;
import dev.prepaid.command.Reason;
import dev.prepaid.command.ResponseCode;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code journal stats}: counts per command type and POS kind and per hour, the rate in the busiest hour and
 * second, and with {@code --outcomes} approvals and declines by response code and reason. Memory stays
 * small whatever the journal's length: counters by type code, one entry per hour.
 */
final class Stats {
    private static final int TYPES = 1024;
    private static final int KINDS = 32;
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm");

    private final ZoneId zone;
    private final boolean outcomes;
    private final long[] byType = new long[TYPES];
    private final long[] byKind = new long[KINDS];
    private final long[] approvedByType = new long[TYPES];
    private final long[] approvedByKind = new long[KINDS];
    private final long[] byResponse = new long[ResponseCode.values().length];
    private final long[] byReason = new long[Reason.values().length];
    private long shortCommands;
    private long unknownTypes;
    /** Hour start (epoch ms) → {commands, POS, admin, approved}. */
    private final TreeMap<Long, long[]> hours = new TreeMap<>();
    private long hourStart = Long.MIN_VALUE;
    private long hourEnd = Long.MIN_VALUE;
    private long[] hour;
    private long second = Long.MIN_VALUE;
    private long secondCount;
    private long peakSecond;
    private long peakSecondCount;
    private long total;
    private long pos;
    private long approved;
    private long duplicates;
    private long firstSequence = -1;
    private long lastSequence = -1;
    private long firstTimestamp;
    private long lastTimestamp;

    private Stats(final ZoneId zone, final boolean outcomes) {
        this.zone = zone;
        this.outcomes = outcomes;
    }

    static int run(final ToolOptions options, final PrintStream out, final PrintStream err) {
        final Stats stats = new Stats(options.zone, options.outcomes);
        final PosRequest request = new PosRequest();
        JournalWalk.walk(options, err, (sequence, timestamp, command, offset, length, outcome) -> {
            stats.add(sequence, timestamp, command, offset, length, request, outcome);
            return true;
        });
        stats.print(options, out);
        return JournalTool.OK;
    }

    private void add(final long sequence, final long timestamp, final org.agrona.DirectBuffer command, final int offset,
            final int length, final PosRequest request, final Outcome outcome) {
        if (firstSequence < 0) {
            firstSequence = sequence;
            firstTimestamp = timestamp;
        }
        lastSequence = sequence;
        lastTimestamp = timestamp;
        total++;
        final boolean ok = outcome != null && outcome.approved();
        boolean isPos = false;
        if (length < CommandHeader.LENGTH) {
            shortCommands++;
        } else {
            final int type = CommandHeader.type(command, offset);
            if (type < TYPES) {
                byType[type]++;
                approvedByType[type] += ok ? 1 : 0;
            } else {
                unknownTypes++;
            }
            if (type == PosRequest.TYPE && length == PosRequest.LENGTH) {
                isPos = true;
                pos++;
                final int kind = request.wrap(command, offset).kindCode() & (KINDS - 1);
                byKind[kind]++;
                if (ok) {
                    approvedByKind[kind]++;
                }
            }
        }
        if (outcome != null) {
            byResponse[outcome.reason.responseCode.ordinal()]++;
            byReason[outcome.reason.ordinal()]++;
            approved += ok ? 1 : 0;
            duplicates += outcome.duplicate ? 1 : 0;
        }
        if (timestamp >= hourEnd || timestamp < hourStart) {
            final ZonedDateTime start = Instant.ofEpochMilli(timestamp).atZone(zone).truncatedTo(ChronoUnit.HOURS);
            hourStart = start.toInstant().toEpochMilli();
            hourEnd = start.plusHours(1).toInstant().toEpochMilli();
            hour = hours.computeIfAbsent(hourStart, k -> new long[4]);
        }
        hour[0]++;
        hour[isPos ? 1 : 2]++;
        hour[3] += ok ? 1 : 0;
        final long thisSecond = Math.floorDiv(timestamp, 1000);
        if (thisSecond != second) {
            second = thisSecond;
            secondCount = 0;
        }
        if (++secondCount > peakSecondCount) {
            peakSecondCount = secondCount;
            peakSecond = thisSecond;
        }
    }

    private void print(final ToolOptions options, final PrintStream out) {
        final CommandText text = new CommandText(zone);
        out.println("journal " + options.journal.toAbsolutePath().normalize() + ", times in " + zone);
        if (total == 0) {
            out.println("no commands" + (filtered(options) ? " match the filters" : " in the journal"));
            return;
        }
        final double spanSeconds = Math.max(lastTimestamp - firstTimestamp, 1) / 1000.0;
        out.printf(Locale.ROOT, "commands %d (sequences %d..%d), %s .. %s, %.2f per second on average%n", total,
                firstSequence, lastSequence, text.timestamp(firstTimestamp), text.timestamp(lastTimestamp), total / spanSeconds);
        out.println();
        out.printf(Locale.ROOT, outcomes ? "%-28s %12s %8s %12s %12s%n" : "%-28s %12s %8s%n", "by type", "count", "share",
                "approved", "declined");
        for (int kind = 0; kind < KINDS; kind++) {
            if (byKind[kind] != 0) {
                typeRow(out, CommandText.typeName(PosRequest.TYPE, kind), byKind[kind], approvedByKind[kind]);
            }
        }
        final long badPos = byType[PosRequest.TYPE] - pos;
        if (badPos != 0) {
            typeRow(out, "POS (malformed)", badPos, 0);
        }
        for (int type = 0; type < TYPES; type++) {
            if (type != PosRequest.TYPE && byType[type] != 0) {
                typeRow(out, CommandText.typeName(type, 0), byType[type], approvedByType[type]);
            }
        }
        if (shortCommands != 0) {
            typeRow(out, "UNKNOWN (too short)", shortCommands, 0);
        }
        if (unknownTypes != 0) {
            typeRow(out, "UNKNOWN (type over 1023)", unknownTypes, 0);
        }
        out.println();
        out.printf(Locale.ROOT, outcomes ? "%-28s %12s %12s %12s %12s %12s%n" : "%-28s %12s %12s %12s %12s%n",
                "by hour (" + zone + ")", "count", "POS", "admin", "per second", "approved");
        Map.Entry<Long, long[]> busiest = null;
        final DateTimeFormatter hourFormat = HOUR.withZone(zone);
        for (final Map.Entry<Long, long[]> entry : hours.entrySet()) {
            final long[] counts = entry.getValue();
            out.printf(Locale.ROOT, "  %-26s %12d %12d %12d %12.2f", hourFormat.format(Instant.ofEpochMilli(entry.getKey())),
                    counts[0], counts[1], counts[2], counts[0] / 3600.0);
            out.println(outcomes ? String.format(Locale.ROOT, " %12d", counts[3]) : "");
            if (busiest == null || counts[0] > busiest.getValue()[0]) {
                busiest = entry;
            }
        }
        final long busiestStart = busiest.getKey();
        final long busiestCount = busiest.getValue()[0];
        final long covered = Math.min(lastTimestamp + 1, busiestStart + 3_600_000) - Math.max(firstTimestamp, busiestStart);
        out.printf(Locale.ROOT, "busiest hour %s: %d commands, %.2f per second", hourFormat.format(Instant.ofEpochMilli(busiestStart)),
                busiestCount, busiestCount / 3600.0);
        if (covered < 3_600_000 - 1_000) {
            out.printf(Locale.ROOT, " (the journal covers %s of it: %.2f per second over that time)", duration(covered),
                    busiestCount / (Math.max(covered, 1_000) / 1000.0));
        }
        out.println();
        out.printf(Locale.ROOT, "busiest second %s: %d command%s%n", text.timestamp(peakSecond * 1000).replace(".000", ""),
                peakSecondCount, peakSecondCount == 1 ? "" : "s");
        if (outcomes) {
            printOutcomes(out);
        }
    }

    private void printOutcomes(final PrintStream out) {
        out.println();
        out.printf(Locale.ROOT, "%-28s %12s %8s%n", "outcomes by response code", "count", "share");
        for (final ResponseCode code : ResponseCode.values()) {
            if (byResponse[code.ordinal()] != 0) {
                out.printf(Locale.ROOT, "  %-26s %12d %7.2f%%%n", code.code + " " + code.meaning, byResponse[code.ordinal()],
                        percent(byResponse[code.ordinal()]));
            }
        }
        out.printf(Locale.ROOT, "approved %d (%.2f%%), declined %d (%.2f%%), answered as repeats %d%n", approved, percent(approved),
                total - approved, percent(total - approved), duplicates);
        if (approved < total) {
            out.println();
            out.printf(Locale.ROOT, "%-40s %12s%n", "declines by reason", "count");
            for (final Reason reason : Reason.values()) {
                if (reason != Reason.APPROVED && byReason[reason.ordinal()] != 0) {
                    out.printf(Locale.ROOT, "  %-38s %12d  (%s %s)%n", reason.name(), byReason[reason.ordinal()],
                            reason.responseCode.code, reason.responseCode.meaning);
                }
            }
        }
    }

    private void typeRow(final PrintStream out, final String name, final long count, final long approvedCount) {
        if (outcomes) {
            out.printf(Locale.ROOT, "  %-26s %12d %7.2f%% %12d %12d%n", name, count, percent(count), approvedCount,
                    count - approvedCount);
        } else {
            out.printf(Locale.ROOT, "  %-26s %12d %7.2f%%%n", name, count, percent(count));
        }
    }

    private double percent(final long count) {
        return total == 0 ? 0 : 100.0 * count / total;
    }

    private static boolean filtered(final ToolOptions options) {
        return options.card != null || options.terminalSet || options.merchant != null || options.types != null
                || options.timeBounded() || options.fromSequence > 1 || options.toSequence < Long.MAX_VALUE;
    }

    private static String duration(final long millis) {
        final long seconds = millis / 1000;
        return seconds >= 60 ? (seconds / 60) + " min " + (seconds % 60) + " s" : seconds + " s";
    }
}
