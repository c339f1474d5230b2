package dev.prepaid.txn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The swept key index against a plain map of the same window, over long random runs. */
class KeyIndexTest {

    @Test
    void agreesWithAPlainMapOfTheLiveWindow() {
        for (long seed = 1; seed <= 20; seed++) {
            run(seed, 1 << 6, 50_000);
        }
    }

    private static void run(final long seed, final int capacity, final int operations) {
        final SplittableRandom random = new SplittableRandom(seed);
        final KeyIndex index = new KeyIndex(capacity);
        final Map<Long, Long> live = new HashMap<>();
        final long[] keyOfRrn = new long[operations + 1];
        long oldest = 1;
        long next = 1;
        for (int op = 0; op < operations; op++) {
            // Small key space: keys come back after their record left the window, as STANs do.
            final long key = KeyMix.mix(random.nextInt(capacity * 3));
            final long expected = live.containsKey(key) && live.get(key) >= oldest ? live.get(key) : -1;
            assertThat(index.get(key, oldest)).as("seed %d op %d", seed, op).isEqualTo(expected);
            if (expected < 0) {
                if (next - oldest == capacity) {
                    oldest++;
                }
                final long rrn = next++;
                keyOfRrn[(int) rrn] = key;
                live.put(key, rrn);
                index.put(key, rrn, oldest);
            }
            if (random.nextInt(500) == 0) {
                // A cut-over retires a run of old records at once.
                oldest = Math.min(next, oldest + random.nextInt(capacity));
            }
            if (op % 97 == 0) {
                for (long r = oldest; r < next; r++) {
                    assertThat(index.get(keyOfRrn[(int) r], oldest)).as("seed %d live rrn %d", seed, r).isEqualTo(r);
                }
            }
        }
    }
}
