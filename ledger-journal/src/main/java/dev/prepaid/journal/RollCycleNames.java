package dev.prepaid.journal;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.LargeRollCycles;

/** Roll cycles by name, so configuration can choose one; only those that hold enough records are offered. */
final class RollCycleNames {
    private RollCycleNames() {
    }

    static RollCycle of(final String name) {
        if (name == null) {
            throw new IllegalArgumentException("rollCycle is required");
        }
        switch (name) {
            case "LARGE_DAILY":
                return LargeRollCycles.LARGE_DAILY;
            case "XLARGE_DAILY":
                return LargeRollCycles.XLARGE_DAILY;
            case "HUGE_DAILY":
                return LargeRollCycles.HUGE_DAILY;
            case "FAST_HOURLY":
                return RollCycles.FAST_HOURLY;
            case "LARGE_HOURLY":
                return LargeRollCycles.LARGE_HOURLY;
            default:
                throw new IllegalArgumentException("rollCycle '" + name + "' is not one of LARGE_DAILY, XLARGE_DAILY, "
                        + "HUGE_DAILY, FAST_HOURLY, LARGE_HOURLY (daily cycles under LARGE_DAILY hold too few records)");
        }
    }
}
