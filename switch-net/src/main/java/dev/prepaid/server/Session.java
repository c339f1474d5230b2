package dev.prepaid.server;

import dev.prepaid.security.DesKey;
import dev.prepaid.security.MacFunction;

/**
 * A terminal's working keys since its last sign-on. Immutable: a new sign-on replaces the whole session.
 * The keys never leave memory; they are lost on restart and terminals sign on again (a MAC error, A0,
 * tells them to).
 */
record Session(DesKey pik, DesKey mak, MacFunction mac) {
    @Override
    public String toString() {
        return "Session[" + mac + "]";
    }
}
