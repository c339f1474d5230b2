package dev.prepaid.load;

import java.util.function.LongConsumer;

/**
 * Deals the slots of a {@link Schedule} to the terminals of one event loop in turn — slot {@code j} to terminal
 * {@code j mod n} — as they fall due. A terminal keeps one request in flight, as a real one does: an idle
 * terminal sends its slot at once, a busy one sends its oldest waiting slot as soon as it is idle again, and
 * either way the slot keeps its due time, so what waited behind a slow answer is measured from when it was due.
 * A terminal's slots are {@code n} apart, so its waiting slots are known from one index: nothing is queued.
 * Single-threaded: the event loop's thread, or a test's.
 */
final class Pacer {
    /** The terminals the pacer deals to. */
    interface Terminals {
        /** Whether terminal {@code t} cannot send now (a request in flight, or connecting). */
        boolean busy(int t);

        /** Terminal {@code t} sends slot {@code slot}, due at {@code dueNanos}, of step {@code step}. */
        void send(int t, long slot, long dueNanos, int step);
    }

    private final Schedule schedule;
    private final Terminals terminals;
    private final int count;
    /** Per terminal, its oldest slot not yet sent (t, t + n, t + 2n, ...). */
    private final long[] next;
    /** Slots due so far, each dealt to its terminal. */
    private long dealt;

    Pacer(final Schedule schedule, final int count, final Terminals terminals) {
        if (count < 1) {
            throw new IllegalArgumentException("a pacer needs a terminal");
        }
        this.schedule = schedule;
        this.terminals = terminals;
        this.count = count;
        this.next = new long[count];
        for (int t = 0; t < count; t++) {
            next[t] = t;
        }
    }

    /** Deals every slot due by {@code nowNanos}: an idle terminal sends it now, a busy one when it is idle. */
    void tick(final long nowNanos) {
        final long due = schedule.dueBy(nowNanos);
        while (dealt < due) {
            final int t = (int) (dealt % count);
            dealt++;
            if (next[t] == dealt - 1 && !terminals.busy(t)) {
                sendNext(t);
            }
        }
    }

    /** Terminal {@code t} became idle: it sends its oldest waiting slot; false when none waits. */
    boolean idle(final int t) {
        if (next[t] < dealt) {
            sendNext(t);
            return true;
        }
        return false;
    }

    private void sendNext(final int t) {
        final long slot = next[t];
        next[t] += count;
        terminals.send(t, slot, schedule.due(slot), schedule.step(slot));
    }

    /** When the next slot falls due, or {@link Long#MAX_VALUE} when the schedule has no more. */
    long nextDueNanos() {
        return dealt >= schedule.endSlot() ? Long.MAX_VALUE : schedule.due(dealt);
    }

    /** Slots due and not yet sent, over every terminal. */
    long waiting() {
        long waiting = 0;
        for (int t = 0; t < count; t++) {
            if (next[t] < dealt) {
                waiting += (dealt - 1 - next[t]) / count + 1;
            }
        }
        return waiting;
    }

    /** Slots dealt so far. */
    long dealt() {
        return dealt;
    }

    /** The slots still waiting for terminal {@code t}, oldest first, each handed to {@code slots}; none is sent. */
    void forEachWaiting(final int t, final LongConsumer slots) {
        for (long slot = next[t]; slot < dealt; slot += count) {
            slots.accept(slot);
        }
    }

    /** The schedule dealt from. */
    Schedule schedule() {
        return schedule;
    }
}
