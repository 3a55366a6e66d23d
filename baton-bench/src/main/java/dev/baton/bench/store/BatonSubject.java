package dev.baton.bench.store;

import dev.baton.core.AuthGroup;
import dev.baton.core.AuthServerKind;
import dev.baton.core.Session;
import dev.baton.core.SessionId;
import dev.baton.store.StoredSession;
import dev.baton.store.TieredSessionStore;
import dev.baton.store.TieredStoreSettings;
import dev.baton.store.jdbc.JdbcSessionStore;
import dev.baton.store.jdbc.JdbcStoreConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Baton's tiered store (memory + PostgreSQL through {@link JdbcSessionStore}), as a gateway uses it. */
final class BatonSubject implements Subject {
    static final Duration IDLE = Duration.ofMinutes(30);

    private final JdbcSessionStore store;
    private final TieredSessionStore tiered;
    private final StoredSession[][] sessions;
    private final InstantSource clock = InstantSource.system();

    BatonSubject(JdbcStoreConfig config, int threads, int perThread) {
        this.store = JdbcSessionStore.open(config);
        this.tiered = new TieredSessionStore(store, TieredStoreSettings.DEFAULTS, "bench-gw", clock, new SimpleMeterRegistry());
        this.sessions = new StoredSession[threads][perThread];
    }

    @Override
    public String name() {
        return "baton";
    }

    static StoredSession newSession(String user, String owner, Instant now) {
        Session s = Session.start(SessionId.generate().hash(), user, "users", new AuthGroup("corp"), AuthServerKind.LDAP,
                Set.of("staff", "vpn"), Map.of("department", List.of("sales"), "mail", List.of(user + "@example.org")),
                now, owner);
        return new StoredSession(s, now.plus(IDLE));
    }

    @Override
    public void create(int thread, int i) {
        StoredSession s = newSession("user" + thread + "-" + i, "bench-gw", clock.instant());
        tiered.put(s);
        sessions[thread][i] = s;
    }

    @Override
    public void read(int thread, int i) {
        if (tiered.get(sessions[thread][i].session().hash()).isEmpty()) {
            throw new IllegalStateException("session lost");
        }
    }

    @Override
    public void touch(int thread, int i) {
        StoredSession s = tiered.get(sessions[thread][i].session().hash()).orElseThrow();
        Instant now = clock.instant();
        StoredSession touched = new StoredSession(s.session().touchedAt(now), now.plus(IDLE));
        tiered.touch(touched);
    }

    @Override
    public void delete(int thread, int i) {
        tiered.remove(sessions[thread][i].session().hash());
    }

    /** Writes the coalesced activity now and waits for it, so a touch phase pays for its writes. */
    @Override
    public void settle() {
        tiered.flushActivity();
        if (!tiered.awaitWritten(Duration.ofMinutes(5))) {
            throw new IllegalStateException("baton writes did not settle");
        }
    }

    /** Reads the stored row itself, bypassing memory: the cost of a cache miss. */
    void readFromStore(int thread, int i) {
        if (store.load(sessions[thread][i].session().hash()).isEmpty()) {
            throw new IllegalStateException("session not stored");
        }
    }

    @Override
    public void close() {
        tiered.close();
        store.close();
    }
}
