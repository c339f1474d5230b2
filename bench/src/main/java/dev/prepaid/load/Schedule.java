package dev.prepaid.load;

import java.util.Arrays;

/**
 * The open loop's timetable for one event loop: slot {@code j} is due at a time fixed when its rate was set and
 * never moved, so that a stall of the switch delays nothing in the timetable — whatever waited behind the stall
 * is measured from when it should have been sent (no coordinated omission). The rate changes in segments (the
 * warm-up, the measured steps of a ladder), each segment a step number that its slots carry; slots due after
 * {@link #end} do not exist. Times are {@link System#nanoTime()} values, or a test's fake clock.
 */
final class Schedule {
    /** The step of slots that are not measured (a warm-up). */
    static final int UNMEASURED = -1;

    private long[] firstSlot = new long[8];
    private long[] startNanos = new long[8];
    private double[] intervalNanos = new double[8];
    private int[] step = new int[8];
    private int segments;
    private long endSlot = Long.MAX_VALUE;

    /**
     * From {@code atNanos} on, a slot every {@code 1 / perSecond} seconds, the first at {@code atNanos}, of step
     * {@code stepNumber}. Slots of the previous rate due before {@code atNanos} stay as they were.
     */
    void rate(final long atNanos, final double perSecond, final int stepNumber) {
        if (!(perSecond > 0) || perSecond > 1e9) {
            throw new IllegalArgumentException("a rate is more than 0 and at most 10^9 a second, not " + perSecond);
        }
        if (endSlot != Long.MAX_VALUE) {
            throw new IllegalStateException("the schedule has ended");
        }
        final long first = segments == 0 ? 0 : slotsBefore(segments - 1, atNanos);
        if (segments > 0 && atNanos < startNanos[segments - 1]) {
            throw new IllegalArgumentException("a rate is set at or after the previous one");
        }
        if (segments == firstSlot.length) {
            firstSlot = Arrays.copyOf(firstSlot, segments * 2);
            startNanos = Arrays.copyOf(startNanos, segments * 2);
            intervalNanos = Arrays.copyOf(intervalNanos, segments * 2);
            step = Arrays.copyOf(step, segments * 2);
        }
        firstSlot[segments] = first;
        startNanos[segments] = atNanos;
        intervalNanos[segments] = 1e9 / perSecond;
        step[segments] = stepNumber;
        segments++;
    }

    /** No slot is due at or after {@code atNanos}, whatever rates were set for later. */
    void end(final long atNanos) {
        if (segments == 0) {
            endSlot = 0;
            return;
        }
        int k = segments - 1;
        while (k > 0 && startNanos[k] > atNanos) {
            k--;
        }
        final long next = k + 1 < segments ? firstSlot[k + 1] : Long.MAX_VALUE;
        endSlot = Math.min(endSlot, Math.min(next, slotsBefore(k, atNanos)));
    }

    /** Slots of segment {@code k} and before that are due before {@code atNanos}: the first slot of a next one. */
    private long slotsBefore(final int k, final long atNanos) {
        final long elapsed = atNanos - startNanos[k];
        if (elapsed <= 0) {
            return firstSlot[k];
        }
        return firstSlot[k] + (long) Math.ceil(elapsed / intervalNanos[k]);
    }

    /** How many slots are due at or before {@code nowNanos} (slots {@code 0 .. n-1}). */
    long dueBy(final long nowNanos) {
        if (segments == 0) {
            return 0;
        }
        int k = segments - 1;
        while (k > 0 && startNanos[k] > nowNanos) {
            k--;
        }
        final long elapsed = nowNanos - startNanos[k];
        if (elapsed < 0) {
            return Math.min(endSlot, firstSlot[k]);
        }
        long due = firstSlot[k] + (long) Math.floor(elapsed / intervalNanos[k]) + 1;
        if (k + 1 < segments) {
            due = Math.min(due, firstSlot[k + 1]);
        }
        return Math.min(endSlot, due);
    }

    /** When slot {@code slot} is due. */
    long due(final long slot) {
        final int k = segmentOf(slot);
        return startNanos[k] + (long) ((slot - firstSlot[k]) * intervalNanos[k]);
    }

    /** The step slot {@code slot} belongs to ({@link #UNMEASURED} for a warm-up). */
    int step(final long slot) {
        return step[segmentOf(slot)];
    }

    /** How many slots of step {@code stepNumber} are due at or before {@code nowNanos}. */
    long slotsOfStep(final int stepNumber, final long nowNanos) {
        final long due = dueBy(nowNanos);
        long slots = 0;
        for (int k = 0; k < segments; k++) {
            if (step[k] == stepNumber) {
                final long last = k + 1 < segments ? firstSlot[k + 1] : Long.MAX_VALUE;
                slots += Math.max(0, Math.min(last, due) - firstSlot[k]);
            }
        }
        return slots;
    }

    /** The number of slots there will ever be, or {@link Long#MAX_VALUE} before {@link #end}. */
    long endSlot() {
        return endSlot;
    }

    private int segmentOf(final long slot) {
        if (segments == 0 || slot < 0 || slot >= endSlot) {
            throw new IllegalArgumentException("no slot " + slot + " in this schedule");
        }
        int low = 0;
        int high = segments - 1;
        while (low < high) {
            final int mid = (low + high + 1) >>> 1;
            if (firstSlot[mid] <= slot) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return low;
    }
}
