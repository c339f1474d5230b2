package dev.prepaid.txn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.command.PosKind;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Key lookups of the transaction log against a plain map of the records still in the ring. */
class TransactionLogTest {

    @Test
    void findsExactlyTheRecordsStillInTheRing() {
        for (long seed = 1; seed <= 20; seed++) {
            run(seed, 1 << 6, 30_000);
        }
    }

    private static void run(final long seed, final int capacity, final int operations) {
        final SplittableRandom random = new SplittableRandom(seed);
        final TransactionLog log = new TransactionLog(capacity);
        final Map<Long, Long> rrnOfKey = new HashMap<>();
        int day = 1;
        for (int op = 0; op < operations; op++) {
            // A small key space: keys come back after their record left the ring, as STANs do.
            final long key = TransactionLog.key(random.nextInt(4), 1 + random.nextInt(3), random.nextInt(capacity));
            final Long known = rrnOfKey.get(key);
            final boolean live = known != null && known >= log.oldestRrn();
            final int slot = log.slotOfKey(key);
            assertThat(slot).as("seed %d op %d", seed, op).isEqualTo(live ? (int) (known & (capacity - 1)) : -1);
            if (!live) {
                final int appended = log.append(key, PosKind.PURCHASE, day);
                rrnOfKey.put(key, log.rrn(appended));
                assertThat(log.key(appended)).isEqualTo(key);
                assertThat(log.batch(appended)).isEqualTo((int) ((key >>> 20) & 0xFFFFF));
            }
            if (random.nextInt(300) == 0) {
                day++;
                log.retireBefore(day - random.nextInt(3));
            }
        }
        assertThat(log.size()).isLessThanOrEqualTo(capacity);
    }
}
