package dev.prepaid.server;

import dev.prepaid.card.BinTable;
import dev.prepaid.command.Ascii;
import dev.prepaid.ledger.LedgerState;
import dev.prepaid.merchant.Terminal;
import dev.prepaid.security.MacFunction;
import java.util.function.Supplier;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * What the I/O threads need to know of the ledger's reference data: each terminal's key reference and MAC
 * algorithm (an immutable map swapped atomically, rebuilt from the ledger at start and whenever the reply
 * stage sees an approved change of a terminal), and each card number's card type — read from the ledger's own
 * {@link BinTable}, which the ledger replaces whenever a BIN range changes, so there is one BIN rule and one
 * list of ranges.
 */
final class Directory {
    /** A terminal as the I/O threads see it. */
    record TerminalInfo(String terminalId, String keyReference, MacFunction mac) {
    }

    private volatile Long2ObjectHashMap<TerminalInfo> terminals = new Long2ObjectHashMap<>();
    private final Supplier<BinTable> bins;

    /** @param bins the ledger's current BIN table ({@code LedgerState::binTable}) */
    Directory(final Supplier<BinTable> bins) {
        this.bins = bins;
    }

    TerminalInfo terminal(final long packedId) {
        return terminals.get(packedId);
    }

    /** Card type of a PAN (its length and its body: every digit but the check digit, as a number), or 0. */
    int cardTypeOf(final int panLength, final long body) {
        return bins.get().cardTypeOf(panLength, body);
    }

    /** Rebuilds the terminals from the ledger's state (call only where that state may be read: the ledger thread or before it runs). */
    void refresh(final LedgerState state) {
        final Long2ObjectHashMap<TerminalInfo> map = new Long2ObjectHashMap<>();
        for (int i = 0; i < state.terminalCount(); i++) {
            final Terminal terminal = state.terminal(i);
            final String id = terminal.profile().terminalId();
            map.put(Ascii.pack(id, 0, 8), new TerminalInfo(id, terminal.profile().keyReference(),
                    MacFunction.of(terminal.profile().macAlgorithm())));
        }
        terminals = map;
    }

    /** Adds or replaces one terminal (the reply stage, after an approved UpsertTerminal). */
    synchronized void putTerminal(final TerminalInfo info) {
        final Long2ObjectHashMap<TerminalInfo> copy = new Long2ObjectHashMap<>(terminals);
        copy.put(Ascii.pack(info.terminalId(), 0, 8), info);
        terminals = copy;
    }
}
