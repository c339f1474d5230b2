package dev.prepaid.bench;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;

/**
 * Memory per card: loads N cards into a ledger (generated and sold through ordinary commands) and reports
 * heap and direct memory in use, per card. Run with a large heap: {@code java -Xmx8g -jar benchmarks.jar
 * footprint 10000000}.
 */
public final class CardFootprint {
    private CardFootprint() {
    }

    public static void main(final String[] args) {
        final int cards = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
        final long heapBefore = usedHeapAfterGc();
        final long directBefore = direct();
        final LoadedLedger loaded = new LoadedLedger(cards, 16, 1 << 10);
        final long heap = usedHeapAfterGc() - heapBefore;
        final long direct = direct() - directBefore;
        System.out.printf("cards: %,d%n", loaded.ledger.state().cards().count());
        System.out.printf("heap: %,d bytes, direct: %,d bytes%n", heap, direct);
        System.out.printf("per card: %.1f bytes (heap %.1f + direct %.1f)%n", (double) (heap + direct) / cards,
                (double) heap / cards, (double) direct / cards);
        System.out.println("(includes the fixed tables of the configuration: transaction log of 1024, holds 100000)");
        if (loaded.ledger.state().cards().count() != cards) {
            throw new IllegalStateException("not all cards loaded");
        }
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        final Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static long direct() {
        long used = 0;
        for (final BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                used += pool.getMemoryUsed();
            }
        }
        return used;
    }
}
