package dev.baton.store;

import dev.baton.core.Session;

import java.time.Instant;
import java.util.Objects;

/**
 * A session as stored: the session and the instant after which it is dead on its owning gateway (computed
 * by the gateway from its timeout rules and kept as the {@code expiry_time} column for cleanup).
 *
 * @param session    the session
 * @param expiryTime its current deadline
 */
public record StoredSession(Session session, Instant expiryTime) {
    /** Validates. */
    public StoredSession {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(expiryTime, "expiryTime");
    }
}
