package dev.prepaid.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Session tokens: random, expiring, ended per operator. */
class AdminSessionsTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final AdminSessions sessions = new AdminSessions(now::get, 60_000);

    @Test
    void aTokenExpiresAfterItsLifetime() {
        final AdminSessions.Session s = sessions.open("clerk", "CLERK", "", false);
        assertThat(s.token()).hasSize(43);
        assertThat(sessions.find(s.token())).isEqualTo(s);
        now.addAndGet(59_999);
        assertThat(sessions.find(s.token())).isNotNull();
        now.addAndGet(1);
        assertThat(sessions.find(s.token())).isNull();
        assertThat(sessions.size()).isZero();
    }

    @Test
    void closingAllSessionsOfAnOperatorLeavesOthers() {
        final AdminSessions.Session a = sessions.open("clerk", "CLERK", "", false);
        final AdminSessions.Session b = sessions.open("clerk", "CLERK", "", false);
        final AdminSessions.Session c = sessions.open("admin", "ADMINISTRATOR", "", false);
        assertThat(a.token()).isNotEqualTo(b.token());
        sessions.closeAll("clerk");
        assertThat(sessions.find(a.token())).isNull();
        assertThat(sessions.find(b.token())).isNull();
        assertThat(sessions.find(c.token())).isNotNull();
        assertThat(sessions.find(null)).isNull();
    }
}
