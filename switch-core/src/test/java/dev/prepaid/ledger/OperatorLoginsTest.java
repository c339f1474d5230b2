package dev.prepaid.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.command.AdminCommand.*;
import dev.prepaid.command.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Logins and passwords as journaled facts: wrong passwords lock, a set password must be changed, both survive a restart. */
class OperatorLoginsTest {
    private final TestLedger t = TestLedger.standard();

    private int clerk() {
        return t.state().operatorIndex("clerk");
    }

    @Test
    void wrongPasswordsInARowLockTheOperatorAndALoginBetweenStartsTheCountAgain() {
        t.system(new RecordLoginFailure("clerk"));
        t.system(new RecordLoginFailure("clerk"));
        assertThat(t.out.value1).isEqualTo(2);
        t.system(new RecordLogin("clerk"));
        assertThat(t.state().loginFailures(clerk())).isZero();
        for (int i = 1; i <= 5; i++) {
            t.system(new RecordLoginFailure("clerk"));
            assertThat(t.out.value2).as("locked after %d", i).isEqualTo(i == 5 ? 1 : 0);
        }
        assertThat(t.state().operatorLocked(clerk())).isTrue();
        t.admin("system", new RecordLogin("clerk"));
        assertThat(t.out.reason).isEqualTo(Reason.OPERATOR_LOCKED);
        t.admin("clerk", new FreezeCard(TestLedger.pan(TestLedger.ANON_BIN, 1)));
        assertThat(t.out.reason).isEqualTo(Reason.OPERATOR_LOCKED);

        t.admin("administrator", new UnlockOperator("clerk"));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.state().operatorLocked(clerk())).isFalse();
        assertThat(t.state().loginFailures(clerk())).isZero();
    }

    @Test
    void theNumberOfTriesIsAParameter() {
        t.system(new SetParameter("loginTries", 2));
        t.system(new RecordLoginFailure("clerk"));
        t.system(new RecordLoginFailure("clerk"));
        assertThat(t.state().operatorLocked(clerk())).isTrue();
    }

    @Test
    void onlyTheSwitchReportsLoginsAndOnlyAdministratorsLockAndReset() {
        t.admin("administrator", new RecordLoginFailure("clerk"));
        assertThat(t.out.reason).isEqualTo(Reason.SYSTEM_ONLY);
        t.admin("supervisor", new LockOperator("clerk"));
        assertThat(t.out.reason).isEqualTo(Reason.ROLE_NOT_PERMITTED);
        t.admin("administrator", new LockOperator("administrator"));
        assertThat(t.out.reason).isEqualTo(Reason.INVALID_ARGUMENT);
        t.admin("administrator", new LockOperator("nobody"));
        assertThat(t.out.reason).isEqualTo(Reason.OPERATOR_NOT_FOUND);
        t.admin("administrator", new ResetPassword("system", "$argon2id$x"));
        assertThat(t.out.reason).isEqualTo(Reason.INVALID_ARGUMENT);
        t.admin("administrator", new LockOperator("clerk"));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.state().operatorLocked(clerk())).isTrue();
    }

    @Test
    void aPasswordSomeoneElseSetMustBeChangedBeforeAnythingElse() {
        t.system(new RecordLoginFailure("clerk"));
        t.admin("administrator", new ResetPassword("clerk", "$argon2id$temporary"));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.state().mustChangePassword(clerk())).isTrue();
        assertThat(t.state().loginFailures(clerk())).isZero();
        assertThat(t.state().operator("clerk").passwordHash()).isEqualTo("$argon2id$temporary");

        t.system(new RecordLogin("clerk"));
        assertThat(t.out.value1).as("the login says a change is due").isEqualTo(1);
        t.admin("clerk", new FreezeCard(TestLedger.pan(TestLedger.ANON_BIN, 1)));
        assertThat(t.out.reason).isEqualTo(Reason.PASSWORD_CHANGE_REQUIRED);
        t.admin("clerk", new ChangePassword("clerk", "$argon2id$temporary"));
        assertThat(t.out.reason).as("the same password again").isEqualTo(Reason.INVALID_ARGUMENT);
        t.admin("clerk", new ChangePassword("supervisor", "$argon2id$mine"));
        assertThat(t.out.reason).as("someone else's").isEqualTo(Reason.ROLE_NOT_PERMITTED);
        t.admin("clerk", new ChangePassword("clerk", "$argon2id$mine"));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.state().mustChangePassword(clerk())).isFalse();
        assertThat(t.state().operator("clerk").passwordHash()).isEqualTo("$argon2id$mine");
        t.admin("clerk", new FreezeCard(TestLedger.pan(TestLedger.ANON_BIN, 1)));
        assertThat(t.out.reason).isNotIn(Reason.PASSWORD_CHANGE_REQUIRED, Reason.OPERATOR_LOCKED);
    }

    @Test
    void loginStateSurvivesASnapshotAndAStateWithoutItKeepsTheFirstFormat() {
        assertThat(stateVersion(t.ledger)).isEqualTo(1);
        assertThat(new String(snapshot(t.ledger), StandardCharsets.ISO_8859_1))
                .as("a parameter added later is held only when set").doesNotContain("loginTries");

        t.system(new RecordLoginFailure("clerk"));
        t.admin("administrator", new ResetPassword("supervisor", "$argon2id$temporary"));
        t.admin("administrator", new LockOperator("finance"));
        t.system(new SetParameter("loginTries", 7));
        assertThat(stateVersion(t.ledger)).isEqualTo(2);

        final Ledger restored = Ledger.readSnapshot(new ByteArrayInputStream(snapshot(t.ledger)), LedgerConfig.small())
                .ledger();
        final LedgerState s = restored.state();
        assertThat(s.loginFailures(s.operatorIndex("clerk"))).isEqualTo(1);
        assertThat(s.mustChangePassword(s.operatorIndex("supervisor"))).isTrue();
        assertThat(s.operatorLocked(s.operatorIndex("finance"))).isTrue();
        assertThat(s.parameters.get(Parameters.Name.LOGIN_TRIES)).isEqualTo(7);
        assertThat(restored.digestHex()).isEqualTo(t.ledger.digestHex());

        t.system(new RecordLogin("clerk"));
        t.admin("supervisor", new ChangePassword("supervisor", "$argon2id$mine"));
        t.admin("administrator", new UnlockOperator("finance"));
        t.system(new SetParameter("loginTries", 5));
        assertThat(stateVersion(t.ledger)).as("back to no login state: the first format again").isEqualTo(1);
    }

    private static byte[] snapshot(final Ledger ledger) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        ledger.writeSnapshot(out, 1);
        return out.toByteArray();
    }

    /** The state's format version: after the snapshot's magic and journal index. */
    private static int stateVersion(final Ledger ledger) {
        return ByteBuffer.wrap(snapshot(ledger)).order(ByteOrder.LITTLE_ENDIAN).getInt(16);
    }

    @Test
    void anOperatorChangedWithoutAHashKeepsThePasswordButANewOperatorNeedsOne() {
        final String before = t.state().operator(clerk()).passwordHash();
        t.admin("administrator", new UpsertOperator("clerk", "Clerk renamed", dev.prepaid.operator.Role.SUPERVISOR, "",
                dev.prepaid.operator.OperatorStatus.ACTIVE, ""));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.state().operator(clerk()).passwordHash()).isEqualTo(before);
        assertThat(t.state().operator(clerk()).role()).isEqualTo(dev.prepaid.operator.Role.SUPERVISOR);

        t.admin("administrator", new UpsertOperator("newcomer", "New", dev.prepaid.operator.Role.CLERK, "",
                dev.prepaid.operator.OperatorStatus.ACTIVE, ""));
        assertThat(t.out.reason).isEqualTo(Reason.INVALID_ARGUMENT);
        assertThat(t.state().operatorIndex("newcomer")).isNegative();
    }
}
