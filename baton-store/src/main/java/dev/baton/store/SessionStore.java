package dev.baton.store;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.SessionIdHash;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * External session storage: the authority on which sessions exist. The in-memory tier in front of it
 * ({@link TieredSessionStore}) is only the working set. Sessions are keyed by the hash of their id; a raw
 * session id never reaches a store.
 *
 * <p>The SPI is deliberately narrow (load, store, delete, one batched write, and the queries that restart,
 * per-user look-ups and cleanup need), so a backend is one small class. Implementations must be thread-safe.
 * Every method may throw {@link dev.baton.core.BatonException} with
 * {@link dev.baton.core.ResultCode#UNAVAILABLE} when the storage server cannot be reached.
 */
public interface SessionStore extends AutoCloseable {

    /** The stored session with that hash, or empty. Does not filter expired sessions. */
    Optional<StoredSession> load(SessionIdHash hash);

    /** Inserts or replaces the session with the same hash. */
    void store(StoredSession session);

    /** Deletes the session; returns whether one was there. */
    boolean delete(SessionIdHash hash);

    /**
     * Applies many writes at once: every session in {@code stores} is inserted or replaced and every hash in
     * {@code deletes} removed. A hash appears in at most one of the two lists. Backends that can should do it
     * in one transaction (all or nothing); this is what lets the tiered store commit many sessions per round
     * trip. The default applies them one by one.
     */
    default void writeAll(List<StoredSession> stores, List<SessionIdHash> deletes) {
        stores.forEach(this::store);
        deletes.forEach(this::delete);
    }

    /**
     * Deletes the session only if {@code owner} still owns it. Gateways that share one store need this: when a
     * session migrates from A to B, B stores it as its own and A's later delete must not remove B's copy. The
     * default loads and compares, which is not atomic; backends that can should do it in one statement.
     */
    default boolean deleteOwned(SessionIdHash hash, String owner) {
        return load(hash).filter(s -> s.session().owner().equals(owner)).map(s -> delete(hash)).orElse(false);
    }

    /** {@link #writeAll} where each delete is {@link #deleteOwned} by {@code owner}; what the tiered store uses. */
    default void writeAll(List<StoredSession> stores, List<SessionIdHash> deletes, String owner) {
        stores.forEach(this::store);
        deletes.forEach(h -> deleteOwned(h, owner));
    }

    /**
     * Sessions owned by {@code gateway} whose expiry is after {@code now}, for a restarting gateway.
     *
     * @param limit at most this many, latest expiry first
     */
    List<StoredSession> loadOwnedBy(String gateway, Instant now, int limit);

    /**
     * Sessions of {@code user} whose expiry is after {@code now}, on any gateway, latest expiry first.
     *
     * @param limit at most this many
     */
    List<StoredSession> loadByUser(String user, Instant now, int limit);

    /**
     * One page of the live sessions (expiry after {@code now}) that {@code filter} selects, in
     * {@link SessionPage#ORDER}, starting after {@code after}: what the admin API lists. The default loads
     * every session of the filter's user or owner, so backends that hold many sessions should do better.
     *
     * @param limit at most this many, from 1 to 1,000
     */
    default SessionPage find(SessionFilter filter, Instant now, Optional<SessionPage.Cursor> after, int limit) {
        List<StoredSession> all = new ArrayList<>(filter.user().isPresent()
                ? loadByUser(filter.user().get(), now, 100_000)
                : loadOwnedBy(filter.owner().orElseThrow(() -> new BatonException(ResultCode.INVALID_REQUEST,
                        "this session store lists sessions by user or by gateway only")), now, 100_000));
        all.removeIf(s -> !filter.matches(s));
        all.sort(SessionPage.ORDER);
        return SessionPage.of(all, after, limit);
    }

    /** How many live sessions (expiry after {@code now}) {@code filter} selects. */
    default long count(SessionFilter filter, Instant now) {
        long n = 0;
        for (Optional<SessionPage.Cursor> at = Optional.empty(); ; ) {
            SessionPage page = find(filter, now, at, 1_000);
            n += page.sessions().size();
            if (page.next().isEmpty()) {
                return n;
            }
            at = page.next();
        }
    }

    /**
     * Deletes at most {@code batchSize} sessions whose {@code column} is at or after {@code from} and before
     * {@code cutoff}, oldest first. Cleanup passes the previous batch's {@link ExpiredBatch#newest()} as
     * {@code from}, so each batch starts where the last stopped instead of stepping again over the index
     * entries of rows already deleted (which would make a large cleanup quadratic).
     *
     * @return how many were deleted (0: none is left in the range) and the newest {@code column} value among them
     */
    ExpiredBatch deleteExpired(TimestampColumn column, Instant from, Instant cutoff, int batchSize);

    /** How many sessions {@link #deleteExpired} would remove in all. */
    long countExpired(TimestampColumn column, Instant cutoff);

    /** Releases connections; further calls fail. */
    @Override
    void close();
}
