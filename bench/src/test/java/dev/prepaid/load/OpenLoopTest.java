package dev.prepaid.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The open loop's timetable and its dealing of slots to terminals, on a fake clock: a stall of the switch counts
 * against every slot that waited behind it, from the slot's own due time, and nothing is lost from the count —
 * where a closed loop would have sent less and measured only the slow answer (coordinated omission).
 */
class OpenLoopTest {
    private static final long MS = 1_000_000;
    private static final long US = 1_000;

    /** Terminals behind a fake switch: an answer takes {@code serviceNanos}, or comes when a stall ends. */
    private static final class FakeTerminals implements Pacer.Terminals {
        final boolean[] busy;
        final PriorityQueue<long[]> answers = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        final Histogram latency = new Histogram(3_600_000_000_000L, 3);
        final List<long[]> sent = new ArrayList<>();
        final long serviceNanos;
        long stallFrom = Long.MAX_VALUE;
        long stallTo = Long.MAX_VALUE;
        long now;
        Pacer pacer;

        FakeTerminals(final int terminals, final long serviceNanos) {
            busy = new boolean[terminals];
            this.serviceNanos = serviceNanos;
        }

        @Override
        public boolean busy(final int t) {
            return busy[t];
        }

        @Override
        public void send(final int t, final long slot, final long dueNanos, final int step) {
            busy[t] = true;
            sent.add(new long[] {t, slot, dueNanos, now, step});
            long answerAt = now + serviceNanos;
            if (answerAt >= stallFrom && now < stallTo) {
                answerAt = Math.max(answerAt, stallTo + serviceNanos);
            }
            answers.add(new long[] {answerAt, t, dueNanos});
        }

        /** Runs the fake clock to {@code end}, ticking the pacer every {@code tickNanos} and delivering answers. */
        void runUntil(final long end, final long tickNanos) {
            long nextTick = now;
            while (now < end) {
                final long nextAnswer = answers.isEmpty() ? Long.MAX_VALUE : answers.peek()[0];
                now = Math.min(Math.min(nextTick, nextAnswer), end);
                while (!answers.isEmpty() && answers.peek()[0] <= now) {
                    final long[] answer = answers.poll();
                    latency.recordValue(now - answer[2]);
                    busy[(int) answer[1]] = false;
                    pacer.idle((int) answer[1]);
                }
                if (now >= nextTick) {
                    pacer.tick(now);
                    nextTick += tickNanos;
                }
            }
        }
    }

    @Test
    void slotsAreDueAtTheRateAndKeepTheirTimesAcrossRateChanges() {
        final Schedule schedule = new Schedule();
        schedule.rate(0, 1_000, Schedule.UNMEASURED); // 1 ms apart
        schedule.rate(10 * MS + 500 * US, 4_000, 0); // 250 µs apart from 10.5 ms on
        assertThat(schedule.due(0)).isZero();
        assertThat(schedule.due(10)).isEqualTo(10 * MS);
        assertThat(schedule.step(10)).isEqualTo(Schedule.UNMEASURED);
        assertThat(schedule.due(11)).as("the first slot of the new rate").isEqualTo(10 * MS + 500 * US);
        assertThat(schedule.step(11)).isZero();
        assertThat(schedule.due(15)).isEqualTo(11 * MS + 500 * US);
        assertThat(schedule.dueBy(-1)).isZero();
        assertThat(schedule.dueBy(0)).isEqualTo(1);
        assertThat(schedule.dueBy(10 * MS + 499 * US)).isEqualTo(11);
        assertThat(schedule.dueBy(10 * MS + 500 * US)).isEqualTo(12);
        schedule.end(12 * MS);
        assertThat(schedule.endSlot()).isEqualTo(17);
        assertThat(schedule.dueBy(60 * MS)).as("nothing after the end").isEqualTo(17);
        assertThat(schedule.slotsOfStep(0, 60 * MS)).isEqualTo(6);
        assertThat(schedule.slotsOfStep(Schedule.UNMEASURED, 60 * MS)).isEqualTo(11);
        assertThatThrownBy(() -> schedule.due(17)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> schedule.rate(70 * MS, 10, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anEndBeforeARateSetForLaterLeavesNoSlotOfIt() {
        final Schedule schedule = new Schedule();
        schedule.rate(0, 1_000, Schedule.UNMEASURED);
        schedule.rate(10 * MS, 2_000, 0);
        schedule.rate(20 * MS, 3_000, Schedule.UNMEASURED);
        schedule.rate(22 * MS, 3_000, 1);
        schedule.end(21 * MS); // the ladder stops during the warm-up of step 1
        assertThat(schedule.slotsOfStep(1, 100 * MS)).isZero();
        assertThat(schedule.slotsOfStep(0, 100 * MS)).isEqualTo(20);
        assertThat(schedule.due(schedule.endSlot() - 1)).isLessThan(21 * MS);
    }

    @Test
    void aStallCountsAgainstEverySlotThatWaitedBehindIt() {
        // 2 terminals share 1,000 slots a second (each a slot every 2 ms); answers take 100 µs, but nothing is
        // answered between 20 ms and 70 ms.
        final Schedule schedule = new Schedule();
        schedule.rate(0, 1_000, 0);
        schedule.end(100 * MS);
        final FakeTerminals terminals = new FakeTerminals(2, 100 * US);
        terminals.pacer = new Pacer(schedule, 2, terminals);
        terminals.stallFrom = 20 * MS;
        terminals.stallTo = 70 * MS;
        terminals.runUntil(200 * MS, 10 * US);

        assertThat(terminals.latency.getTotalCount()).as("every slot measured, none lost in the stall").isEqualTo(100);
        assertThat(terminals.sent).hasSize(100);
        // The first slot caught in the stall was due at 20 ms and answered at 70.1 ms: 50.1 ms.
        assertThat(terminals.latency.getMaxValue()).isBetween(50 * MS, 50_200 * US);
        // Slots due during the stall waited from their own due times: 50 slots due in 20..69 ms, latencies from
        // 50.1 ms down to about 1 ms, so over a quarter of all slots took longer than 25 ms.
        assertThat(terminals.latency.getValueAtPercentile(75)).isGreaterThan(20 * MS);
        assertThat(terminals.latency.getValueAtPercentile(25)).as("outside the stall: the service time")
                .isLessThan(200 * US);
        // Each terminal kept one request in flight: a terminal's waiting slots left one after another once the
        // stall ended, each no earlier than its due time.
        for (final long[] s : terminals.sent) {
            assertThat(s[3]).isGreaterThanOrEqualTo(s[2]);
            assertThat(s[1] % 2).isEqualTo(s[0]);
        }
        assertThat(terminals.pacer.waiting()).isZero();
    }

    @Test
    void withoutAStallEverySlotLeavesWhenDue() {
        final Schedule schedule = new Schedule();
        schedule.rate(5 * MS, 2_000, 0);
        schedule.end(55 * MS);
        final FakeTerminals terminals = new FakeTerminals(3, 300 * US);
        terminals.pacer = new Pacer(schedule, 3, terminals);
        terminals.runUntil(100 * MS, 5 * US);
        assertThat(terminals.sent).hasSize(100);
        for (final long[] s : terminals.sent) {
            assertThat(s[3] - s[2]).as("sent within a tick of its due time").isLessThan(5 * US);
        }
        assertThat(terminals.latency.getMaxValue()).isLessThan(310 * US);
    }
}
