package dev.prepaid.journal.tools;

import dev.prepaid.card.Pan;
import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.Ascii;
import dev.prepaid.command.CommandHeader;
import dev.prepaid.command.Envelope;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.PosRequest;
import dev.prepaid.command.RecordCodec;
import dev.prepaid.journal.ChronicleJournal;
import dev.prepaid.journal.Durability;
import dev.prepaid.journal.JournalConfig;
import dev.prepaid.journal.JournalReader;
import dev.prepaid.journal.Snapshots;
import dev.prepaid.ledger.Ledger;
import dev.prepaid.ledger.LedgerConfig;
import dev.prepaid.pipeline.CommandEvent;
import dev.prepaid.workload.Workload;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.agrona.ExpandableArrayBuffer;

/**
 * Writes a journal the way the pipeline does (journal stage, then the ledger), with a clock the test sets, and
 * remembers what it wrote and what the ledger answered, so a tool's output can be checked command by command.
 */
final class ToolJournal implements AutoCloseable {
    /** The tools' default capacities, so their snapshots load in the tools without options. */
    static final LedgerConfig LEDGER = LedgerConfig.defaults();
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    /** 2026-01-05T09:30:00+08:00. */
    static final long START = ZonedDateTime.of(2026, 1, 5, 9, 30, 0, 0, ZONE).toInstant().toEpochMilli();

    /** One command as written: its sequence, time, type name (as stats prints it) and what it names. */
    record Written(long sequence, long timestamp, String type, String pan, String terminal, String merchant, String outcome) {
        String hour() {
            return ZonedDateTime.ofInstant(Instant.ofEpochMilli(timestamp), ZONE).truncatedTo(ChronoUnit.HOURS).toString();
        }
    }

    final Path directory;
    final JournalConfig config;
    final Ledger ledger;
    final ChronicleJournal journal;
    final CommandEvent event = new CommandEvent();
    final List<Written> written = new ArrayList<>();
    private final PosRequest pos = new PosRequest();
    long clock = START;
    long stepMillis = 1_500;

    ToolJournal(final Path directory) {
        this(directory, LEDGER);
    }

    /** A journal written by a ledger of other capacities (as a switch configured away from the defaults). */
    ToolJournal(final Path directory, final LedgerConfig capacities) {
        this.ledger = new Ledger(capacities);
        this.directory = directory;
        this.config = JournalConfig.of(directory, Durability.PROCESS);
        this.journal = ChronicleJournal.open(config, () -> {
            final long now = clock;
            clock += stepMillis;
            return now;
        }, 0, 0);
    }

    static byte[] admin(final String operator, final String note, final AdminCommand command) {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
        final int length = RecordCodec.encode(new Envelope(operator, 0, "test", note), command, buffer, 0);
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    Outcome submit(final byte[] command) {
        event.command.putBytes(0, command);
        return submit(command.length);
    }

    /** Journals and applies what is in {@code event.command}. */
    Outcome submit(final int length) {
        event.length = length;
        event.skip = false;
        try {
            journal.append(event, true);
        } catch (final IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ledger.apply(event.command, 0, length, event.journalIndex, event.timestampMillis, event.outcome);
        written.add(describe(length));
        return event.outcome;
    }

    private Written describe(final int length) {
        final int type = CommandHeader.type(event.command, 0);
        final String outcome = event.outcome.reason.responseCode.code + " " + event.outcome.reason.name();
        if (type == PosRequest.TYPE) {
            pos.wrap(event.command, 0);
            final String pan = pos.panLength() == 0 ? null : Pan.toDigits(Pan.key(pos.panLength(), pos.panBody()));
            return new Written(event.journalIndex, event.timestampMillis, CommandText.typeName(type, pos.kindCode()), pan,
                    Ascii.unpack(pos.terminalId()), Ascii.unpackMerchant(pos.merchantIdHigh(), pos.merchantIdLow()), outcome);
        }
        final AdminCommand command = RecordCodec.decodeCommand(event.command, 0, length);
        final Object pan = CommandText.component(command, "pan") != null ? CommandText.component(command, "pan")
                : CommandText.component(command, "firstPan");
        return new Written(event.journalIndex, event.timestampMillis, CommandText.typeName(type, 0), (String) pan,
                (String) CommandText.component(command, "terminalId"), (String) CommandText.component(command, "merchantId"),
                outcome);
    }

    void setUp(final Workload workload) {
        for (final byte[] command : workload.setup()) {
            submit(command);
        }
    }

    void stream(final Workload workload, final int commands) {
        for (int i = 0; i < commands; i++) {
            submit(workload.next(event.command, 0));
        }
    }

    long lastSequence() {
        return journal.nextSequence() - 1;
    }

    /** Writes a snapshot of the live ledger at the last sequence, as the snapshot follower would. */
    Path snapshot() throws IOException {
        return snapshotOf(ledger, lastSequence());
    }

    /** Writes {@code state} as the snapshot at {@code sequence} (with that record's true Chronicle index). */
    Path snapshotOf(final Ledger state, final long sequence) throws IOException {
        return Snapshots.write(config.snapshotDirectory(), state,
                new Snapshots.Position(sequence, chronicleIndexOf(sequence), state.lastTimestamp()));
    }

    long chronicleIndexOf(final long sequence) {
        final long[] found = {-1};
        try (JournalReader reader = new JournalReader(config)) {
            reader.read(-1, 0, 0, (s, t, c, o, l, index) -> {
                if (s == sequence) {
                    found[0] = index;
                }
                return s < sequence;
            });
        }
        return found[0];
    }

    @Override
    public void close() {
        journal.close();
    }

    // ------------------------------------------------------------------ running a tool

    /** What a tool printed and returned. */
    record Run(int status, String out, String err, List<String> lines) {
        Run(final int status, final String out, final String err) {
            this(status, out, err, out.isEmpty() ? List.of() : List.of(out.split("\n")));
        }
    }

    static Run run(final String... args) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = JournalTool.run(args, o, e);
        }
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

}
