package dev.prepaid.server;

import dev.prepaid.card.BinRange;
import dev.prepaid.command.Ascii;
import dev.prepaid.ledger.LedgerState;
import dev.prepaid.merchant.Terminal;
import dev.prepaid.security.MacAlgorithm;
import java.util.ArrayList;
import java.util.List;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * What the I/O threads need to know of the ledger's reference data — each terminal's key reference and MAC
 * algorithm, each BIN range's card type — as immutable snapshots swapped atomically. The ledger's own state
 * belongs to its thread; this copy is rebuilt from it at start and whenever the reply stage sees an approved
 * change of terminals or BIN ranges.
 */
final class Directory {
    /** A terminal as the I/O threads see it. */
    record TerminalInfo(String terminalId, String keyReference, MacAlgorithm macAlgorithm) {
    }

    /** A BIN range as the I/O threads see it. */
    record BinInfo(long bin, int binLength, int panLength, int cardTypeId) {
    }

    private volatile Long2ObjectHashMap<TerminalInfo> terminals = new Long2ObjectHashMap<>();
    private volatile BinInfo[] bins = new BinInfo[0];

    TerminalInfo terminal(final long packedId) {
        return terminals.get(packedId);
    }

    /** Card type of a PAN (its length and its body: every digit but the check digit, as a number), or -1. */
    int cardTypeOf(final int panLength, final long body) {
        final BinInfo[] current = bins;
        for (final BinInfo bin : current) {
            final int after = panLength - 1 - bin.binLength();
            if (bin.panLength() == panLength && after > 0 && body / dev.prepaid.card.Pan.powerOfTen(after) == bin.bin()) {
                return bin.cardTypeId();
            }
        }
        return -1;
    }

    /** Rebuilds both tables from the ledger's state (call only where that state may be read: the ledger thread or before it runs). */
    void refresh(final LedgerState state) {
        final Long2ObjectHashMap<TerminalInfo> map = new Long2ObjectHashMap<>();
        for (int i = 0; i < state.terminalCount(); i++) {
            final Terminal terminal = state.terminal(i);
            final String id = terminal.profile().terminalId();
            map.put(Ascii.pack(id, 0, 8), new TerminalInfo(id, terminal.profile().keyReference(),
                    terminal.profile().macAlgorithm() == dev.prepaid.merchant.MacAlgorithm.X9_19 ? MacAlgorithm.X9_19
                            : MacAlgorithm.CUP_ECB));
        }
        final List<BinInfo> list = new ArrayList<>();
        for (final BinRange range : state.binRanges()) {
            list.add(new BinInfo(range.bin(), range.binLength(), range.panLength(), range.cardTypeId()));
        }
        terminals = map;
        bins = list.toArray(new BinInfo[0]);
    }

    /** Adds or replaces one terminal (the reply stage, after an approved UpsertTerminal). */
    synchronized void putTerminal(final TerminalInfo info) {
        final Long2ObjectHashMap<TerminalInfo> copy = new Long2ObjectHashMap<>(terminals);
        copy.put(Ascii.pack(info.terminalId(), 0, 8), info);
        terminals = copy;
    }

    /** Adds or replaces one BIN range (the reply stage, after an approved UpsertBinRange). */
    synchronized void putBin(final BinInfo info) {
        final List<BinInfo> list = new ArrayList<>();
        for (final BinInfo bin : bins) {
            if (bin.bin() != info.bin() || bin.binLength() != info.binLength() || bin.panLength() != info.panLength()) {
                list.add(bin);
            }
        }
        list.add(info);
        bins = list.toArray(new BinInfo[0]);
    }
}
