package dev.prepaid.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.command.Outcome;
import dev.prepaid.command.Reason;
import dev.prepaid.ledger.Invariants;
import dev.prepaid.ledger.Ledger;
import dev.prepaid.ledger.LedgerConfig;
import java.util.EnumMap;
import java.util.Map;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class WorkloadTest {

    @Test
    void setsUpABusinessAndMostlyGetsApprovals() {
        final Workload workload = new Workload(2_000, 20, 7, 0);
        final Ledger ledger = new Ledger(LedgerConfig.small());
        final Outcome out = new Outcome();
        long clock = 1_000;
        for (final byte[] command : workload.setup()) {
            ledger.apply(new UnsafeBuffer(command), 0, command.length, clock++, out);
            assertThat(out.reason).as("setup " + out).isEqualTo(Reason.APPROVED);
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
        final Map<Reason, Integer> reasons = new EnumMap<>(Reason.class);
        for (int i = 0; i < 50_000; i++) {
            final int length = workload.next(buffer, 0);
            ledger.apply(buffer, 0, length, clock++, out);
            reasons.merge(out.reason, 1, Integer::sum);
        }
        Invariants.check(ledger.state());
        assertThat(reasons.get(Reason.APPROVED)).as(reasons.toString()).isGreaterThan(45_000);
        assertThat(reasons).containsKey(Reason.PIN_WRONG);
    }

    @Test
    void theSameSeedGivesTheSameStream() {
        final UnsafeBuffer a = new UnsafeBuffer(new byte[4096]);
        final UnsafeBuffer b = new UnsafeBuffer(new byte[4096]);
        final Workload first = new Workload(1_000, 10, 3, 0);
        final Workload second = new Workload(1_000, 10, 3, 0);
        for (int i = 0; i < 1_000; i++) {
            final int length = first.next(a, 0);
            assertThat(second.next(b, 0)).isEqualTo(length);
            assertThat(a.compareTo(b)).isZero();
        }
    }
}
