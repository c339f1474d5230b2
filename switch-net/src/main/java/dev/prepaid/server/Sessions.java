package dev.prepaid.server;

import org.agrona.collections.Long2ObjectHashMap;

/**
 * Working keys per terminal (by packed terminal id). Read on every message by the I/O threads, written at
 * sign-on by the reply stage: copy on write, so reads take no lock and allocate nothing.
 */
final class Sessions {
    private volatile Long2ObjectHashMap<Session> sessions = new Long2ObjectHashMap<>();

    Session get(final long packedTerminalId) {
        return sessions.get(packedTerminalId);
    }

    synchronized void put(final long packedTerminalId, final Session session) {
        final Long2ObjectHashMap<Session> copy = new Long2ObjectHashMap<>(sessions);
        copy.put(packedTerminalId, session);
        sessions = copy;
    }

    synchronized void remove(final long packedTerminalId) {
        final Long2ObjectHashMap<Session> copy = new Long2ObjectHashMap<>(sessions);
        copy.remove(packedTerminalId);
        sessions = copy;
    }

    int size() {
        return sessions.size();
    }
}
