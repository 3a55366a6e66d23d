package dev.baton.store;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.SessionIdHash;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Predicate;

/**
 * A {@link SessionStore} and {@link CleanupLease} held in this process's memory: what tests use wherever a
 * store is needed, and what a gateway without external storage runs on (S1). Nothing survives the process.
 *
 * <p>Thread-safe. Queries scan every session, so it suits up to some hundred thousand sessions.
 */
public final class MemorySessionStore implements SessionStore, CleanupLease {
    private final ConcurrentMap<SessionIdHash, StoredSession> sessions = new ConcurrentHashMap<>();
    private final Object leaseLock = new Object();
    private String leaseHolder;
    private Instant leaseEnd = Instant.MIN;
    private volatile boolean closed;

    @Override
    public Optional<StoredSession> load(SessionIdHash hash) {
        open();
        return Optional.ofNullable(sessions.get(Objects.requireNonNull(hash, "hash")));
    }

    @Override
    public void store(StoredSession session) {
        open();
        sessions.put(session.session().hash(), session);
    }

    @Override
    public boolean delete(SessionIdHash hash) {
        open();
        return sessions.remove(Objects.requireNonNull(hash, "hash")) != null;
    }

    @Override
    public boolean deleteOwned(SessionIdHash hash, String owner) {
        open();
        boolean[] deleted = new boolean[1];
        sessions.computeIfPresent(Objects.requireNonNull(hash, "hash"), (h, s) -> {
            deleted[0] = s.session().owner().equals(owner);
            return deleted[0] ? null : s;
        });
        return deleted[0];
    }

    @Override
    public List<StoredSession> loadOwnedBy(String gateway, Instant now, int limit) {
        return query(s -> s.session().owner().equals(gateway) && s.expiryTime().isAfter(now), limit);
    }

    @Override
    public List<StoredSession> loadByUser(String user, Instant now, int limit) {
        return query(s -> s.session().user().equals(user) && s.expiryTime().isAfter(now), limit);
    }

    @Override
    public SessionPage find(SessionFilter filter, Instant now, Optional<SessionPage.Cursor> after, int limit) {
        open();
        List<StoredSession> all = sessions.values().stream()
                .filter(s -> s.expiryTime().isAfter(now) && filter.matches(s) && after.map(c -> c.isBefore(s)).orElse(true))
                .sorted(SessionPage.ORDER).limit(limit + 1L).toList();
        return SessionPage.of(all, Optional.empty(), limit);
    }

    @Override
    public long count(SessionFilter filter, Instant now) {
        open();
        return sessions.values().stream().filter(s -> s.expiryTime().isAfter(now) && filter.matches(s)).count();
    }

    @Override
    public ExpiredBatch deleteExpired(TimestampColumn column, Instant from, Instant cutoff, int batchSize) {
        open();
        List<StoredSession> oldest = sessions.values().stream()
                .filter(s -> !valueOf(s, column).isBefore(from) && isBefore(s, column, cutoff))
                .sorted(Comparator.comparing(s -> valueOf(s, column))).limit(batchSize).toList();
        int deleted = 0;
        Instant newest = from;
        for (StoredSession s : oldest) {
            // remove(key, value) so a session refreshed concurrently is not deleted on stale data
            if (sessions.remove(s.session().hash(), s)) {
                deleted++;
                newest = valueOf(s, column).isAfter(newest) ? valueOf(s, column) : newest;
            }
        }
        return new ExpiredBatch(deleted, newest);
    }

    @Override
    public long countExpired(TimestampColumn column, Instant cutoff) {
        open();
        return sessions.values().stream().filter(s -> isBefore(s, column, cutoff)).count();
    }

    @Override
    public boolean tryAcquire(String holder, Instant now, Duration ttl) {
        open();
        synchronized (leaseLock) {
            if (holder.equals(leaseHolder) || !leaseEnd.isAfter(now)) {
                leaseHolder = holder;
                leaseEnd = now.plus(ttl);
                return true;
            }
            return false;
        }
    }

    @Override
    public void release(String holder) {
        synchronized (leaseLock) {
            if (holder.equals(leaseHolder)) {
                leaseHolder = null;
                leaseEnd = Instant.MIN;
            }
        }
    }

    @Override
    public Optional<String> holder(Instant now) {
        synchronized (leaseLock) {
            return leaseEnd.isAfter(now) ? Optional.ofNullable(leaseHolder) : Optional.empty();
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    static boolean isBefore(StoredSession s, TimestampColumn column, Instant cutoff) {
        return valueOf(s, column).isBefore(cutoff);
    }

    private static Instant valueOf(StoredSession s, TimestampColumn column) {
        return switch (column) {
            case EXPIRY_TIME -> s.expiryTime();
            case LAST_ACTIVITY_TIME -> s.session().lastActivity();
        };
    }

    private List<StoredSession> query(Predicate<StoredSession> filter, int limit) {
        open();
        return sessions.values().stream().filter(filter)
                .sorted(Comparator.comparing(StoredSession::expiryTime).reversed())
                .limit(limit).toList();
    }

    private void open() {
        if (closed) {
            throw new BatonException(ResultCode.UNAVAILABLE, "memory session store is closed");
        }
    }
}
