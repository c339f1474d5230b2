package dev.prepaid.card;

import dev.prepaid.state.StateReader;
import dev.prepaid.state.StateWriter;

/**
 * The institution that issues cards (the operator itself, or a partner under its licence).
 *
 * @param code short code operators use
 * @param name display name
 * @param institutionId up to 11 characters, sent in POS field 44 as the issuer id
 */
public record Issuer(String code, String name, String institutionId) {

    public void writeTo(final StateWriter out) {
        out.string(code);
        out.string(name);
        out.string(institutionId);
    }

    public static Issuer readFrom(final StateReader in) {
        return new Issuer(in.string(), in.string(), in.string());
    }
}
