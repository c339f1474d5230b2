package dev.prepaid.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.command.CommandHeader;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.PosRequest;
import dev.prepaid.workload.Workload;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The ledger thread allocates nothing per POS command: purchases, balance inquiries, recharges,
 * pre-authorisations, wrong PINs, voids and reversals of the workload, approved and declined alike. Counted
 * in bytes by the JVM for this thread, so the result does not depend on the machine's speed.
 */
class LedgerAllocationTest {
    private static final int WARM_UP = 200_000;
    private static final int MEASURED = 100_000;

    @Test
    void posCommandsAllocateNothingOnTheLedgerThread() {
        final Ledger ledger = new Ledger(LedgerConfig.small().withTransactionLogCapacity(1 << 16));
        final Workload workload = new Workload(2_000, 20, 7, 0);
        final Outcome out = new Outcome();
        long timestamp = 1_767_254_400_000L;
        for (final byte[] command : workload.setup()) {
            ledger.apply(new UnsafeBuffer(command), 0, command.length, timestamp++, out);
        }
        // The stream also holds counter recharges and cut-overs (operator commands, which may allocate): they
        // run, as they would, but only POS commands are counted.
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(CommandHeader.MAX_COMMAND_LENGTH);
        final Map<String, Integer> reasons = new HashMap<>();
        for (int i = 0; i < WARM_UP; i++) {
            final int length = workload.next(buffer, 0);
            ledger.apply(buffer, 0, length, timestamp += 3, out);
            reasons.merge(out.reason.name(), 1, Integer::sum);
        }
        assertThat(reasons).as("the stream declines as well as approves").containsKeys("APPROVED", "PIN_WRONG")
                .hasSizeGreaterThan(3);

        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertThat(threads.isThreadAllocatedMemorySupported()).isTrue();
        long allocated = 0;
        int pos = 0;
        for (int i = 0; i < MEASURED; i++) {
            final int length = workload.next(buffer, 0);
            final boolean isPos = CommandHeader.type(buffer, 0) == PosRequest.TYPE;
            final long before = isPos ? threads.getCurrentThreadAllocatedBytes() : 0;
            ledger.apply(buffer, 0, length, timestamp += 3, out);
            if (isPos) {
                allocated += threads.getCurrentThreadAllocatedBytes() - before;
                pos++;
            }
        }
        assertThat(pos).isGreaterThan(MEASURED * 9 / 10);
        assertThat(allocated).as("bytes allocated over %d POS commands", pos).isLessThan(4_096);
    }
}
