package dev.prepaid.card;

import dev.prepaid.state.StateReader;
import dev.prepaid.state.StateWriter;

/** The identity of a named card's holder (real-name rules). Never logged in clear. */
public record Holder(String name, String idType, String idNumber, String phone) {

    public void writeTo(final StateWriter out) {
        out.string(name);
        out.string(idType);
        out.string(idNumber);
        out.string(phone);
    }

    public static Holder readFrom(final StateReader in) {
        return new Holder(in.string(), in.string(), in.string(), in.string());
    }
}
