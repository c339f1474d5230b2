package dev.prepaid.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.CommandType;
import dev.prepaid.command.Reason;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import org.junit.jupiter.api.Test;

/**
 * Every operator and system command type is applied by some part of the ledger (a type the dispatch forgot
 * would stop the ledger here), and a command whose fields are all empty or zero gets an answer — a decline
 * naming what is missing — instead of an exception; and each decision is one entry of the audit trail, under
 * its type, with its reason (a type without an audit target would stop the ledger too).
 */
class EveryCommandTypeTest {
    @Test
    void everyCommandTypeIsAppliedAndEmptyFieldsAreAnsweredNotThrown() throws Exception {
        for (final CommandType type : CommandType.values()) {
            if (type.recordClass == null) {
                continue;
            }
            final TestLedger t = TestLedger.standard().withAuditTrail(16);
            final AuditTrail trail = t.state().audit();
            final long before = trail.written();
            t.admin("system", 0, empty(type.recordClass));
            assertThat(t.out.reason).as(type.name()).isNotNull();
            if (t.out.reason != Reason.APPROVED) {
                assertThat(t.out.detail).as(type + " says what is wrong").isNotBlank();
            }
            if (type == CommandType.OPEN_AUDIT_TRAIL) {
                assertThat(t.out.reason).as("a trail of no entries").isEqualTo(Reason.INVALID_ARGUMENT);
            }
            assertThat(trail.written()).as(type + " is one audit entry").isEqualTo(before + 1);
            assertThat(trail.type(trail.size() - 1)).isEqualTo(type.code);
            assertThat(trail.reason(trail.size() - 1)).isEqualTo(t.out.reason.code);
        }
    }

    /** An instance whose every field is zero, false, "" or the first constant of its enum. */
    private static AdminCommand empty(final Class<? extends AdminCommand> type) throws Exception {
        final RecordComponent[] components = type.getRecordComponents();
        final Class<?>[] types = new Class<?>[components.length];
        final Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            final Class<?> c = components[i].getType();
            types[i] = c;
            values[i] = c == boolean.class ? false : c == int.class ? 0 : c == long.class ? 0L
                    : c == String.class ? "" : c.getEnumConstants()[0];
        }
        final Constructor<? extends AdminCommand> constructor = type.getDeclaredConstructor(types);
        return constructor.newInstance(values);
    }
}
