package dev.baton.store;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.SessionIdHash;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link SessionStore} in front of another that a test can switch off (reads, writes or both), and that
 * counts the calls reaching it.
 */
public class FlakyStore implements SessionStore {
    private final SessionStore delegate;
    /** Whether writes fail as if the server were down. */
    public volatile boolean writesDown;
    /** Whether reads fail as if the server were down. */
    public volatile boolean readsDown;
    /** Rows written (stores plus deletes) that reached the delegate. */
    public final AtomicInteger rowsWritten = new AtomicInteger();
    /** Loads that reached the delegate. */
    public final AtomicInteger loads = new AtomicInteger();

    /** Wraps {@code delegate}. */
    public FlakyStore(SessionStore delegate) {
        this.delegate = delegate;
    }

    /** Switches reads and writes off or on. */
    public void down(boolean down) {
        writesDown = down;
        readsDown = down;
    }

    private void check(boolean down) {
        if (down) {
            throw new BatonException(ResultCode.UNAVAILABLE, "test store is down");
        }
    }

    @Override
    public Optional<StoredSession> load(SessionIdHash hash) {
        check(readsDown);
        loads.incrementAndGet();
        return delegate.load(hash);
    }

    @Override
    public void store(StoredSession session) {
        writeAll(List.of(session), List.of());
    }

    @Override
    public boolean delete(SessionIdHash hash) {
        check(writesDown);
        rowsWritten.incrementAndGet();
        return delegate.delete(hash);
    }

    @Override
    public void writeAll(List<StoredSession> stores, List<SessionIdHash> deletes) {
        check(writesDown);
        rowsWritten.addAndGet(stores.size() + deletes.size());
        delegate.writeAll(stores, deletes);
    }

    @Override
    public List<StoredSession> loadOwnedBy(String gateway, Instant now, int limit) {
        check(readsDown);
        return delegate.loadOwnedBy(gateway, now, limit);
    }

    @Override
    public List<StoredSession> loadByUser(String user, Instant now, int limit) {
        check(readsDown);
        return delegate.loadByUser(user, now, limit);
    }

    @Override
    public ExpiredBatch deleteExpired(TimestampColumn column, Instant from, Instant cutoff, int batchSize) {
        check(writesDown);
        return delegate.deleteExpired(column, from, cutoff, batchSize);
    }

    @Override
    public long countExpired(TimestampColumn column, Instant cutoff) {
        check(readsDown);
        return delegate.countExpired(column, cutoff);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
