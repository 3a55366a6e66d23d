package dev.baton.store;

/** The store contract against the in-memory store. */
class MemorySessionStoreTest extends CleanupLeaseContractTest {
    private MemorySessionStore current;

    @Override
    protected SessionStore openStore() {
        current = new MemorySessionStore();
        return current;
    }

    @Override
    protected SessionStore openSecondNode() {
        MemorySessionStore shared = current;
        // a second "node" in one process shares the map; closing its view must not close the first
        return new SessionStore() {
            public java.util.Optional<StoredSession> load(dev.baton.core.SessionIdHash h) { return shared.load(h); }
            public void store(StoredSession s) { shared.store(s); }
            public boolean delete(dev.baton.core.SessionIdHash h) { return shared.delete(h); }
            public java.util.List<StoredSession> loadOwnedBy(String g, java.time.Instant n, int l) { return shared.loadOwnedBy(g, n, l); }
            public java.util.List<StoredSession> loadByUser(String u, java.time.Instant n, int l) { return shared.loadByUser(u, n, l); }
            public ExpiredBatch deleteExpired(TimestampColumn c, java.time.Instant f, java.time.Instant t, int b) { return shared.deleteExpired(c, f, t, b); }
            public long countExpired(TimestampColumn c, java.time.Instant t) { return shared.countExpired(c, t); }
            public void close() { }
        };
    }

    @Override
    protected CleanupLease leaseOf(SessionStore s) {
        return current;
    }
}
