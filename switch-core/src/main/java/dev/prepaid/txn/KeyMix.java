package dev.prepaid.txn;

/**
 * Spreads structured keys (terminal‖batch‖STAN, packed ASCII ids) over a hash table. Agrona's maps hash a
 * long by folding its halves, which leaves sequential STANs and terminals in neighbouring slots; with
 * linear probing those clusters make every lookup walk a long chain. Keys go into the maps through this
 * bijective mixer (the MurmurHash3 finaliser), so distinct keys stay distinct and lookups stay short.
 */
public final class KeyMix {
    private KeyMix() {
    }

    public static long mix(final long key) {
        long h = key;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
