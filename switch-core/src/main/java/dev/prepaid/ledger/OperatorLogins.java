package dev.prepaid.ledger;

import static dev.prepaid.ledger.AdminProcessor.fail;

import dev.prepaid.command.AdminCommand.ChangePassword;
import dev.prepaid.command.AdminCommand.ResetPassword;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.Reason;
import dev.prepaid.operator.Operator;

/**
 * The operators' logins and passwords as journaled facts: wrong passwords in a row and the lock they lead to
 * (so a lock survives a restart), the duty to change a password someone else set, and the password hashes
 * themselves. The admin endpoint verifies passwords (Argon2id, off the ledger thread) and reports what it found;
 * the ledger only keeps the count, the flags and the hashes.
 */
final class OperatorLogins {
    private final LedgerState s;

    OperatorLogins(final LedgerState state) {
        this.s = state;
    }

    /** The index of a human operator named by a command, or -1 with the outcome saying why not. */
    private int operatorOf(final String operatorId, final Outcome out) {
        if (Operator.SYSTEM_ID.equals(operatorId)) {
            fail(out, Reason.INVALID_ARGUMENT, "'system' is the switch itself; it has no password and no login");
            return -1;
        }
        final int index = s.operatorIndex(operatorId);
        if (index < 0) {
            fail(out, Reason.OPERATOR_NOT_FOUND, "operator '" + operatorId + "'");
        }
        return index;
    }

    void loginFailure(final String operatorId, final Outcome out) {
        final int o = operatorOf(operatorId, out);
        if (o < 0) {
            return;
        }
        final int failures = s.loginFailures[o] + 1;
        s.loginFailures[o] = failures;
        if (failures >= s.parameters.get(Parameters.Name.LOGIN_TRIES)) {
            s.operatorFlags[o] |= LedgerState.OPERATOR_LOCKED;
        }
        out.value1 = failures;
        out.value2 = s.operatorLocked(o) ? 1 : 0;
    }

    void login(final String operatorId, final Outcome out) {
        final int o = operatorOf(operatorId, out);
        if (o < 0) {
            return;
        }
        if (s.operatorLocked(o)) {
            fail(out, Reason.OPERATOR_LOCKED, "operator '" + operatorId + "'");
            return;
        }
        if (!s.operators[o].active()) {
            fail(out, Reason.OPERATOR_DISABLED, "operator '" + operatorId + "'");
            return;
        }
        s.loginFailures[o] = 0;
        out.value1 = s.mustChangePassword(o) ? 1 : 0;
    }

    void changePassword(final Operator asking, final ChangePassword c, final Outcome out) {
        if (asking.role() != dev.prepaid.operator.Role.SYSTEM && !asking.operatorId().equals(c.operatorId())) {
            fail(out, Reason.ROLE_NOT_PERMITTED, "an operator changes only their own password; an administrator resets"
                    + " another's (RESET_PASSWORD)");
            return;
        }
        final int o = operatorOf(c.operatorId(), out);
        if (o < 0 || !AdminProcessor.present(out, "passwordHash", c.passwordHash(), 255)) {
            return;
        }
        if (c.passwordHash().equals(s.operators[o].passwordHash())) {
            fail(out, Reason.INVALID_ARGUMENT, "the new password must differ from the current one");
            return;
        }
        setHash(o, c.passwordHash());
        s.operatorFlags[o] &= ~LedgerState.OPERATOR_MUST_CHANGE_PASSWORD;
    }

    void resetPassword(final ResetPassword c, final Outcome out) {
        final int o = operatorOf(c.operatorId(), out);
        if (o < 0 || !AdminProcessor.present(out, "passwordHash", c.passwordHash(), 255)) {
            return;
        }
        setHash(o, c.passwordHash());
        s.loginFailures[o] = 0;
        s.operatorFlags[o] = (byte) LedgerState.OPERATOR_MUST_CHANGE_PASSWORD;
    }

    void lock(final Operator asking, final String operatorId, final Outcome out) {
        final int o = operatorOf(operatorId, out);
        if (o < 0) {
            return;
        }
        if (asking.operatorId().equals(operatorId)) {
            fail(out, Reason.INVALID_ARGUMENT, "an administrator cannot lock themself out; another administrator can");
            return;
        }
        s.operatorFlags[o] |= LedgerState.OPERATOR_LOCKED;
    }

    void unlock(final String operatorId, final Outcome out) {
        final int o = operatorOf(operatorId, out);
        if (o < 0) {
            return;
        }
        s.operatorFlags[o] &= ~LedgerState.OPERATOR_LOCKED;
        s.loginFailures[o] = 0;
    }

    private void setHash(final int o, final String hash) {
        final Operator op = s.operators[o];
        s.operators[o] = new Operator(op.operatorId(), op.name(), op.role(), op.merchantScope(), op.status(), hash);
    }
}
