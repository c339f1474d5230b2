package dev.prepaid.ledger;

import dev.prepaid.state.StateReader;
import dev.prepaid.state.StateWriter;

/**
 * Capacities of the ledger: every table has a limit, fixed at start so the ledger thread never grows a
 * structure while it serves traffic. A snapshot records them; recovery needs at least the same.
 *
 * @param maxCards cards of all types together
 * @param transactionLogCapacity transactions kept for matching (a power of two)
 * @param maxOpenHolds pre-authorisation holds, open or recently closed
 * @param maxBatchCards cards one batch sale or recharge may cover
 * @param auditEntries the operators' decisions the audit trail keeps (a ring). Unlike the other capacities it is
 *        not recorded with them in a snapshot's header: the trail's size is a journaled fact — the switch journals
 *        {@code OPEN_AUDIT_TRAIL} with this size at start whenever the ledger keeps another — so a replay builds the
 *        same trail whatever configuration the replaying tool has
 */
public record LedgerConfig(
        int maxCards,
        int transactionLogCapacity,
        int maxOpenHolds,
        int maxMerchants,
        int maxTerminals,
        int maxOperators,
        int maxCardTypes,
        int maxBinRanges,
        int maxRules,
        int maxPendingRequests,
        int reviewQueueCapacity,
        int adminRequestMemory,
        int calendarDays,
        int maxBatchCards,
        int auditEntries) {

    /** The audit trail's size when the configuration names none. */
    public static final int DEFAULT_AUDIT_ENTRIES = 100_000;
    /** The largest audit trail (about 80 bytes an entry, on the heap, twice: the ledger and the snapshot follower). */
    public static final int MAX_AUDIT_ENTRIES = 10_000_000;

    public LedgerConfig {
        positive("maxCards", maxCards);
        positive("transactionLogCapacity", transactionLogCapacity);
        if (Integer.bitCount(transactionLogCapacity) != 1) {
            throw new IllegalArgumentException("transactionLogCapacity must be a power of two, got " + transactionLogCapacity);
        }
        positive("maxOpenHolds", maxOpenHolds);
        positive("maxMerchants", maxMerchants);
        positive("maxTerminals", maxTerminals);
        if (maxTerminals > (1 << 20)) {
            throw new IllegalArgumentException("maxTerminals is at most 1048576 (terminal index has 20 bits), got " + maxTerminals);
        }
        positive("maxOperators", maxOperators);
        positive("maxCardTypes", maxCardTypes);
        if (maxCardTypes > 65_535) {
            throw new IllegalArgumentException("maxCardTypes is at most 65535, got " + maxCardTypes);
        }
        positive("maxBinRanges", maxBinRanges);
        positive("maxRules", maxRules);
        positive("maxPendingRequests", maxPendingRequests);
        positive("reviewQueueCapacity", reviewQueueCapacity);
        positive("adminRequestMemory", adminRequestMemory);
        positive("calendarDays", calendarDays);
        positive("maxBatchCards", maxBatchCards);
        positive("auditEntries", auditEntries);
        if (auditEntries > MAX_AUDIT_ENTRIES) {
            throw new IllegalArgumentException("auditEntries is at most " + MAX_AUDIT_ENTRIES + ", got " + auditEntries);
        }
    }

    /** The capacities with the default audit trail ({@link #DEFAULT_AUDIT_ENTRIES}). */
    public LedgerConfig(final int maxCards, final int transactionLogCapacity, final int maxOpenHolds, final int maxMerchants,
            final int maxTerminals, final int maxOperators, final int maxCardTypes, final int maxBinRanges, final int maxRules,
            final int maxPendingRequests, final int reviewQueueCapacity, final int adminRequestMemory, final int calendarDays,
            final int maxBatchCards) {
        this(maxCards, transactionLogCapacity, maxOpenHolds, maxMerchants, maxTerminals, maxOperators, maxCardTypes,
                maxBinRanges, maxRules, maxPendingRequests, reviewQueueCapacity, adminRequestMemory, calendarDays,
                maxBatchCards, DEFAULT_AUDIT_ENTRIES);
    }

    private static void positive(final String name, final int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    /** A configuration for a small operator; production sizes come from the configuration file. */
    public static LedgerConfig defaults() {
        return new LedgerConfig(1_000_000, 1 << 20, 100_000, 10_000, 50_000, 1_000, 256, 64, 10_000, 1_000, 65_536, 65_536,
                4_096, 10_000);
    }

    /** Small tables for tests. */
    public static LedgerConfig small() {
        return new LedgerConfig(10_000, 1 << 12, 1_000, 100, 500, 100, 64, 16, 1_000, 100, 1_024, 1_024, 256, 1_000);
    }

    public LedgerConfig withMaxCards(final int cards) {
        return new LedgerConfig(cards, transactionLogCapacity, maxOpenHolds, maxMerchants, maxTerminals, maxOperators,
                maxCardTypes, maxBinRanges, maxRules, maxPendingRequests, reviewQueueCapacity, adminRequestMemory,
                calendarDays, maxBatchCards, auditEntries);
    }

    public LedgerConfig withTransactionLogCapacity(final int capacity) {
        return new LedgerConfig(maxCards, capacity, maxOpenHolds, maxMerchants, maxTerminals, maxOperators,
                maxCardTypes, maxBinRanges, maxRules, maxPendingRequests, reviewQueueCapacity, adminRequestMemory,
                calendarDays, maxBatchCards, auditEntries);
    }

    public LedgerConfig withAuditEntries(final int entries) {
        return new LedgerConfig(maxCards, transactionLogCapacity, maxOpenHolds, maxMerchants, maxTerminals, maxOperators,
                maxCardTypes, maxBinRanges, maxRules, maxPendingRequests, reviewQueueCapacity, adminRequestMemory,
                calendarDays, maxBatchCards, entries);
    }

    /** The capacities of the snapshot header (every one but {@link #auditEntries}, which the journal decides). */
    public void writeTo(final StateWriter out) {
        out.i32(maxCards);
        out.i32(transactionLogCapacity);
        out.i32(maxOpenHolds);
        out.i32(maxMerchants);
        out.i32(maxTerminals);
        out.i32(maxOperators);
        out.i32(maxCardTypes);
        out.i32(maxBinRanges);
        out.i32(maxRules);
        out.i32(maxPendingRequests);
        out.i32(reviewQueueCapacity);
        out.i32(adminRequestMemory);
        out.i32(calendarDays);
        out.i32(maxBatchCards);
    }

    /** The capacities of a snapshot header; {@link #auditEntries} is the default (see {@link #writeTo}). */
    public static LedgerConfig readFrom(final StateReader in) {
        return new LedgerConfig(in.i32(), in.i32(), in.i32(), in.i32(), in.i32(), in.i32(), in.i32(), in.i32(), in.i32(),
                in.i32(), in.i32(), in.i32(), in.i32(), in.i32());
    }
}
