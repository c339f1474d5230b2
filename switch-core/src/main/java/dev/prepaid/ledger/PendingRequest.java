package dev.prepaid.ledger;

import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.Envelope;
import dev.prepaid.command.RecordCodec;
import dev.prepaid.state.StateReader;
import dev.prepaid.state.StateWriter;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A request that needs a second operator (maker-checker): a manual adjustment, a balance transfer or a
 * settlement batch. Applied only at approval, after checking every rule again against the state then.
 */
public final class PendingRequest {
    public static final int WAITING = 0;
    public static final int APPROVED = 1;
    public static final int REJECTED = 2;
    /** The envelope a kept request is encoded with: who asked is the maker, kept beside it. */
    private static final Envelope NO_ENVELOPE = new Envelope("", 0, "", "");

    private final long id;
    private final String maker;
    private final int createdDay;
    /** The adjustment or transfer, or null for a settlement (whose batch has this id). */
    private final AdminCommand request;
    private int state;
    private String checker = "";

    public PendingRequest(final long id, final String maker, final int createdDay, final AdminCommand request) {
        this.id = id;
        this.maker = maker;
        this.createdDay = createdDay;
        this.request = request;
    }

    public long id() {
        return id;
    }

    public String maker() {
        return maker;
    }

    public int createdDay() {
        return createdDay;
    }

    public AdminCommand request() {
        return request;
    }

    public boolean isSettlement() {
        return request == null;
    }

    public int state() {
        return state;
    }

    public String checker() {
        return checker;
    }

    public void decide(final int newState, final String checkerId) {
        this.state = newState;
        this.checker = checkerId;
    }

    /**
     * Id, maker, day, state, checker and the request itself (encoded as the journal holds it, without an
     * envelope's content), written with {@code scratch} as room for the encoding.
     */
    void writeTo(final StateWriter out, final MutableDirectBuffer scratch) {
        out.i64(id);
        out.string(maker);
        out.i32(createdDay);
        out.i32(state);
        out.string(checker);
        out.bool(request != null);
        if (request != null) {
            final int length = RecordCodec.encode(NO_ENVELOPE, request, scratch, 0);
            out.i32(length);
            out.bytes(scratch, 0, length);
        }
    }

    static PendingRequest readFrom(final StateReader in) {
        final long id = in.i64();
        final String maker = in.string();
        final int day = in.i32();
        final int state = in.i32();
        final String checker = in.string();
        AdminCommand request = null;
        if (in.bool()) {
            final byte[] bytes = new byte[in.i32()];
            in.bytes(bytes, 0, bytes.length);
            request = RecordCodec.decodeCommand(new UnsafeBuffer(bytes), 0, bytes.length);
        }
        final PendingRequest p = new PendingRequest(id, maker, day, request);
        if (state != WAITING) {
            p.decide(state, checker);
        }
        return p;
    }
}
