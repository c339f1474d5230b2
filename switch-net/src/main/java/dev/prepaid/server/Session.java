package dev.prepaid.server;

import dev.prepaid.security.DesKey;
import dev.prepaid.security.MacAlgorithm;

/**
 * A terminal's working keys since its last sign-on. Immutable: a new sign-on replaces the whole session.
 * The keys never leave memory; they are lost on restart and terminals sign on again (a MAC error, A0,
 * tells them to).
 */
record Session(DesKey pik, DesKey mak, MacAlgorithm macAlgorithm) {
    @Override
    public String toString() {
        return "Session[" + macAlgorithm + "]";
    }
}
