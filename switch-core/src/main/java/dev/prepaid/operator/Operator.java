package dev.prepaid.operator;

import dev.prepaid.state.StateReader;
import dev.prepaid.state.StateWriter;

/**
 * An operator of the admin endpoint. The password hash (Argon2id, encoded) is computed outside the ledger;
 * the ledger only keeps it so the endpoint can check a login against journaled state.
 *
 * @param merchantScope merchant id the operator is limited to ("" when none)
 */
public record Operator(String operatorId, String name, Role role, String merchantScope, OperatorStatus status,
        String passwordHash) {

    /** The principal the switch uses for its own commands (bootstrap, timers). */
    public static final String SYSTEM_ID = "system";

    public static final Operator SYSTEM = new Operator(SYSTEM_ID, "the switch", Role.SYSTEM, "", OperatorStatus.ACTIVE, "");

    public boolean active() {
        return status == OperatorStatus.ACTIVE;
    }

    /** Operators and their hashes are printed without the hash. */
    @Override
    public String toString() {
        return "Operator[" + operatorId + ", " + name + ", " + role + (merchantScope.isEmpty() ? "" : ", merchant " + merchantScope)
                + ", " + status + "]";
    }

    public void writeTo(final StateWriter out) {
        out.string(operatorId);
        out.string(name);
        out.stored(role);
        out.string(merchantScope);
        out.stored(status);
        out.string(passwordHash);
    }

    public static Operator readFrom(final StateReader in) {
        return new Operator(in.string(), in.string(), in.stored(Role.class), in.string(), in.stored(OperatorStatus.class),
                in.string());
    }
}
