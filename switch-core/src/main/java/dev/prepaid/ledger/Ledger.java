package dev.prepaid.ledger;

import dev.prepaid.command.CommandHeader;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.PosRequest;
import dev.prepaid.command.Reason;
import dev.prepaid.state.StateReader;
import dev.prepaid.state.StateWriter;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HexFormat;
import org.agrona.DirectBuffer;

/**
 * The prepaid ledger: a single-threaded, deterministic state machine. {@link #apply} takes one encoded
 * command and its timestamp (the only time it knows) and fills one {@link Outcome}. The same ledger runs
 * behind the Disruptor, in journal replay, in clearing and in tests; it does no I/O of its own and never
 * reads a clock.
 *
 * <p>Bad input is declined with a reason and changes nothing. A broken invariant or an arithmetic overflow
 * throws: the caller must stop (fail-stop), never skip the command and go on. Asserted on every command,
 * because they cost a comparison: time never goes backwards, every posting balances ({@link GeneralLedger}),
 * no posting is left open. The identities over the whole state ({@link Invariants}) are checked at every
 * cut-over.
 */
public final class Ledger {
    /** Snapshot file magic: "PPSNAP01". */
    public static final long SNAPSHOT_MAGIC = 0x31_30_50_41_4E_53_50_50L;

    private final LedgerState state;
    private final PosProcessor pos;
    private final AdminProcessor admin;
    private long applied;
    /**
     * The journal sequence of the last command applied (0 before any; a restored ledger starts at its snapshot's).
     * Not part of the state: the journal holds it, and a snapshot names it beside the state.
     */
    private long lastSequence;

    public Ledger(final LedgerConfig config) {
        this(new LedgerState(config));
    }

    private Ledger(final LedgerState state) {
        this.state = state;
        this.pos = new PosProcessor(state);
        final CardDesk cardDesk = new CardDesk(state);
        this.admin = new AdminProcessor(state, cardDesk, new Clearing(state, cardDesk, pos));
    }

    /**
     * Applies one command as the next one of the journal (sequence: the last one's + 1). For tests, tools and
     * rehearsals that feed every command in journal order; the stages and replays say the sequence themselves.
     */
    public void apply(final DirectBuffer buffer, final int offset, final int length, final long timestampMillis,
            final Outcome out) {
        apply(buffer, offset, length, lastSequence + 1, timestampMillis, out);
    }

    /**
     * Applies one command. {@code journalSequence} is its sequence in the journal (the audit trail names the
     * decision by it), {@code timestampMillis} the journal's timestamp of the command (epoch ms).
     *
     * @throws LedgerInvariantException or {@link ArithmeticException} when a rule that must always hold
     *         does not: stop the ledger
     */
    public void apply(final DirectBuffer buffer, final int offset, final int length, final long journalSequence,
            final long timestampMillis, final Outcome out) {
        if (journalSequence <= lastSequence) {
            throw new LedgerInvariantException("journal sequence " + journalSequence + " is not after the last one applied, "
                    + lastSequence + ": every command is applied once, in journal order");
        }
        if (timestampMillis < state.lastTimestamp) {
            throw new LedgerInvariantException("command timestamp " + timestampMillis + " is before the last one, "
                    + state.lastTimestamp + ": the journal stamps time that never goes backwards");
        }
        out.reset();
        if (length < CommandHeader.LENGTH) {
            out.reason = Reason.INVALID_ARGUMENT;
            out.detail = "command of " + length + " bytes is shorter than its header";
            return;
        }
        final int type = CommandHeader.type(buffer, offset);
        if (type == PosRequest.TYPE) {
            if (length != PosRequest.LENGTH || CommandHeader.version(buffer, offset) != PosRequest.VERSION) {
                out.reason = Reason.INVALID_ARGUMENT;
                out.detail = "POS command of " + length + " bytes, version " + CommandHeader.version(buffer, offset)
                        + "; expected " + PosRequest.LENGTH + " bytes, version " + PosRequest.VERSION;
            } else {
                pos.apply(buffer, offset, timestampMillis, out);
            }
        } else {
            admin.apply(buffer, offset, length, journalSequence, timestampMillis, out);
        }
        if (state.books.postingOpen()) {
            throw new LedgerInvariantException("a posting was left open by a " + CommandHeader.type(buffer, offset) + " command");
        }
        state.lastTimestamp = timestampMillis;
        lastSequence = journalSequence;
        applied++;
    }

    /** Read access for queries, reports and tests (only from the ledger thread, or once it has stopped). */
    public LedgerState state() {
        return state;
    }

    /** Timestamp of the last command applied (epoch ms), 0 before any. */
    public long lastTimestamp() {
        return state.lastTimestamp;
    }

    /** The journal sequence of the last command applied: 0 before any, a snapshot's sequence once restored. */
    public long lastSequence() {
        return lastSequence;
    }

    /** Commands applied since this ledger was created or restored. */
    public long applied() {
        return applied;
    }

    /** SHA-256 of the whole state: equal states, equal digests; replay checks compare them. */
    public byte[] digest() {
        final StateWriter writer = new StateWriter(null);
        StateCodec.write(state, writer);
        writer.flush();
        return writer.digest();
    }

    public String digestHex() {
        return HexFormat.of().formatHex(digest());
    }

    /**
     * Writes a snapshot: magic, journal index, the state, then the CRC32C of everything before it, and
     * returns the state digest.
     */
    public byte[] writeSnapshot(final OutputStream out, final long journalIndex) {
        final StateWriter writer = new StateWriter(out);
        writer.i64(SNAPSHOT_MAGIC);
        writer.i64(journalIndex);
        writer.restartDigest();
        StateCodec.write(state, writer);
        writer.flush();
        final byte[] digest = writer.digest();
        final int crc = writer.crc();
        try {
            out.write(new byte[] {(byte) crc, (byte) (crc >>> 8), (byte) (crc >>> 16), (byte) (crc >>> 24)});
            out.flush();
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return digest;
    }

    /** Reads a snapshot, checking magic, version and CRC32C; returns the journal index it was taken at. */
    public static Restored readSnapshot(final InputStream in, final LedgerConfig config) {
        final StateReader reader = snapshotReader(in);
        final long journalIndex = reader.i64();
        final LedgerState state = StateCodec.read(reader, config);
        final int computed = reader.crc();
        final int stored = reader.i32();
        if (computed != stored) {
            throw new IllegalStateException("snapshot checksum mismatch: stored " + Integer.toHexString(stored)
                    + ", computed " + Integer.toHexString(computed));
        }
        final Ledger ledger = new Ledger(state);
        ledger.lastSequence = journalIndex;
        return new Restored(ledger, journalIndex);
    }

    /**
     * The capacities a snapshot was taken with, read from its header only (no checksum check: the whole file is
     * checked when it is restored). Tools use them to size a ledger that can restore it.
     */
    public static LedgerConfig snapshotCapacities(final InputStream in) {
        final StateReader reader = snapshotReader(in);
        reader.i64(); // journal index
        return StateCodec.readCapacities(reader);
    }

    /** A reader past the snapshot's magic, which it checks. */
    private static StateReader snapshotReader(final InputStream in) {
        final StateReader reader = new StateReader(in);
        final long magic = reader.i64();
        if (magic != SNAPSHOT_MAGIC) {
            throw new IllegalStateException("not a ledger snapshot (magic " + Long.toHexString(magic) + ")");
        }
        return reader;
    }

    /** A ledger restored from a snapshot, with the journal index to replay from. */
    public record Restored(Ledger ledger, long journalIndex) {
    }
}
