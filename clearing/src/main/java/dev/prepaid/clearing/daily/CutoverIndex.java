package dev.prepaid.clearing.daily;

import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.AdminCommand.Cutover;
import dev.prepaid.command.CommandHeader;
import dev.prepaid.command.CommandType;
import dev.prepaid.command.RecordCodec;
import dev.prepaid.journal.JournalConfig;
import dev.prepaid.journal.JournalReader;
import dev.prepaid.time.CivilDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the business days in a journal by their cut-overs, reading only command headers (and decoding the cut-overs):
 * no ledger. A cut-over whose date is not later than the one before it was refused by the ledger and opens nothing;
 * every other one is taken to open its day, which {@link DayClearing} then checks against the ledger's answer.
 */
public final class CutoverIndex {
    /** A cut-over in the journal. */
    public record Mark(long sequence, long index, long timestamp, int newDate) {
    }

    private final List<Mark> marks = new ArrayList<>();
    private long lastSequence;
    private long lastIndex = -1;
    private long lastTimestamp;

    /** Notes the command if it is a cut-over that opens a later day than the last one. */
    public void offer(final long sequence, final long timestamp, final org.agrona.DirectBuffer command, final int offset,
            final int length, final long index) {
        lastSequence = sequence;
        lastIndex = index;
        lastTimestamp = timestamp;
        if (length < CommandHeader.LENGTH || CommandHeader.type(command, offset) != CommandType.CUTOVER.code) {
            return;
        }
        final int date;
        try {
            final AdminCommand decoded = RecordCodec.decodeCommand(command, offset, length);
            date = ((Cutover) decoded).newBusinessDate();
        } catch (final RuntimeException undecodable) {
            return; // refused by the ledger as well
        }
        if (!CivilDate.isValid(date) || (!marks.isEmpty() && date <= marks.get(marks.size() - 1).newDate())) {
            return;
        }
        marks.add(new Mark(sequence, index, timestamp, date));
    }

    /** Every complete day found so far: from one cut-over to the next, in order. */
    public List<DayBounds> days() {
        final List<DayBounds> days = new ArrayList<>();
        for (int i = 0; i + 1 < marks.size(); i++) {
            final Mark open = marks.get(i);
            final Mark close = marks.get(i + 1);
            days.add(new DayBounds(open.newDate(), open.sequence(), open.index(), open.timestamp(), close.sequence(),
                    close.index(), close.timestamp()));
        }
        return days;
    }

    /** The complete day of that date, or null. */
    public DayBounds day(final int date) {
        for (final DayBounds day : days()) {
            if (day.date() == date) {
                return day;
            }
        }
        return null;
    }

    /** The cut-over that opened the last day found, still open (null when none). */
    public Mark openDay() {
        return marks.isEmpty() ? null : marks.get(marks.size() - 1);
    }

    /** Forgets every complete day before the open one (they are cleared), keeping the open day's mark. */
    public void forgetBefore(final int date) {
        while (marks.size() > 1 && marks.get(0).newDate() < date) {
            marks.remove(0);
        }
    }

    public long lastSequence() {
        return lastSequence;
    }

    public long lastIndex() {
        return lastIndex;
    }

    public long lastTimestamp() {
        return lastTimestamp;
    }

    /** Scans a whole journal (from its start) for its days. */
    public static CutoverIndex scan(final JournalConfig config) {
        final CutoverIndex index = new CutoverIndex();
        try (JournalReader reader = new JournalReader(config)) {
            reader.read(-1, 0, 0, (sequence, timestamp, command, offset, length, chronicleIndex) -> {
                index.offer(sequence, timestamp, command, offset, length, chronicleIndex);
                return true;
            });
        }
        return index;
    }
}
