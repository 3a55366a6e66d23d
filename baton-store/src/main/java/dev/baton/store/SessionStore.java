package dev.baton.store;

import dev.baton.core.SessionIdHash;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * External session storage: the authority on which sessions exist. The in-memory tier in front of it is
 * only the working set. Sessions are keyed by the hash of their id; a raw session id never reaches a store.
 *
 * <p>The SPI is deliberately narrow (load, store, delete, and the two queries cleanup and restart need), so
 * a backend is one small class. Implementations must be thread-safe. Every method may throw
 * {@link dev.baton.core.BatonException} with {@link dev.baton.core.ResultCode#UNAVAILABLE} when the storage
 * server cannot be reached.
 */
public interface SessionStore extends AutoCloseable {

    /** The stored session with that hash, or empty. Does not filter expired sessions. */
    Optional<StoredSession> load(SessionIdHash hash);

    /** Inserts or replaces the session with the same hash. */
    void store(StoredSession session);

    /** Deletes the session; returns whether one was there. */
    boolean delete(SessionIdHash hash);

    /**
     * Sessions owned by {@code gateway} whose expiry is after {@code now}, for a restarting gateway.
     *
     * @param limit at most this many, oldest expiry last
     */
    List<StoredSession> loadOwnedBy(String gateway, Instant now, int limit);

    /**
     * Deletes at most {@code batchSize} sessions whose {@code column} is before {@code cutoff}.
     *
     * @return how many were deleted; 0 means none is left
     */
    int deleteExpired(TimestampColumn column, Instant cutoff, int batchSize);

    /** How many sessions {@link #deleteExpired} would remove in all. */
    long countExpired(TimestampColumn column, Instant cutoff);

    /** Releases connections; further calls fail. */
    @Override
    void close();
}
