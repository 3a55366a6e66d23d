package dev.baton.gateway;

import dev.baton.core.Session;
import dev.baton.core.SessionIdHash;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The sessions a gateway holds now, keyed by id hash. Thread-safe.
 */
public final class SessionTable {
    private final Map<SessionIdHash, Session> sessions = new ConcurrentHashMap<>();

    /** The session, if held here. */
    public Optional<Session> get(SessionIdHash hash) {
        return Optional.ofNullable(sessions.get(hash));
    }

    /** Holds a session. */
    public void put(Session session) {
        sessions.put(session.hash(), session);
    }

    /** Applies {@code change} to the session if held; returns the new value. */
    public Optional<Session> update(SessionIdHash hash, UnaryOperator<Session> change) {
        return Optional.ofNullable(sessions.computeIfPresent(hash, (h, s) -> change.apply(s)));
    }

    /** Drops a session; returns it if it was held. */
    public Optional<Session> remove(SessionIdHash hash) {
        return Optional.ofNullable(sessions.remove(hash));
    }

    /** How many sessions are held. */
    public int size() {
        return sessions.size();
    }

    /** A snapshot of all sessions held. */
    public Collection<Session> snapshot() {
        return List.copyOf(sessions.values());
    }
}
