package dev.prepaid.admin;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Logged-in operators by session token. A token is 32 random bytes (base64url), valid for the configured
 * minutes from login; it lives in memory only — never in a log, the journal or a snapshot — so a restart ends
 * every session and operators log in again. The ledger stays the authority: every command is checked there
 * again (role, scope, lock), so a session only says who is asking.
 */
public final class AdminSessions {
    /** Sessions kept at most: more logins than this replace the oldest. */
    static final int MAX_SESSIONS = 10_000;

    /** Who a token stands for. */
    record Session(String token, String operatorId, String role, String merchantScope, long expiresAtMillis,
            boolean mustChangePassword) {
        Session withPasswordChanged() {
            return new Session(token, operatorId, role, merchantScope, expiresAtMillis, false);
        }
    }

    private final Map<String, Session> byToken = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final LongSupplier clock;
    private final long lifetimeMillis;

    public AdminSessions(final LongSupplier clockMillis, final long lifetimeMillis) {
        this.clock = clockMillis;
        this.lifetimeMillis = lifetimeMillis;
    }

    Session open(final String operatorId, final String role, final String merchantScope, final boolean mustChange) {
        final byte[] bytes = new byte[32];
        synchronized (random) {
            random.nextBytes(bytes);
        }
        final String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        final Session session = new Session(token, operatorId, role, merchantScope, clock.getAsLong() + lifetimeMillis,
                mustChange);
        if (byToken.size() >= MAX_SESSIONS) {
            dropExpiredOrOldest();
        }
        byToken.put(token, session);
        return session;
    }

    /** The session of a token, or null when it is unknown or expired (an expired one is forgotten). */
    Session find(final String token) {
        if (token == null) {
            return null;
        }
        final Session session = byToken.get(token);
        if (session != null && session.expiresAtMillis() <= clock.getAsLong()) {
            byToken.remove(token);
            return null;
        }
        return session;
    }

    void replace(final Session session) {
        byToken.replace(session.token(), session);
    }

    void close(final String token) {
        byToken.remove(token);
    }

    /** Ends every session of an operator (locked, password reset, disabled). */
    void closeAll(final String operatorId) {
        byToken.values().removeIf(s -> s.operatorId().equals(operatorId));
    }

    int size() {
        return byToken.size();
    }

    private void dropExpiredOrOldest() {
        final long now = clock.getAsLong();
        Session oldest = null;
        for (final Iterator<Session> it = byToken.values().iterator(); it.hasNext(); ) {
            final Session s = it.next();
            if (s.expiresAtMillis() <= now) {
                it.remove();
            } else if (oldest == null || s.expiresAtMillis() < oldest.expiresAtMillis()) {
                oldest = s;
            }
        }
        if (byToken.size() >= MAX_SESSIONS && oldest != null) {
            byToken.remove(oldest.token());
        }
    }
}
