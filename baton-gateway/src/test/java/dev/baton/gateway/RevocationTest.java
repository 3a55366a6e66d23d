package dev.baton.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.core.AccessPolicy;
import dev.baton.core.AuthServerKind;
import dev.baton.core.BatonException;
import dev.baton.core.GatewayKind;
import dev.baton.core.Realm;
import dev.baton.core.ResultCode;
import dev.baton.core.Role;
import dev.baton.core.SessionId;
import dev.baton.core.SessionIdHash;
import dev.baton.store.SessionStore;
import dev.baton.store.TieredStoreSettings;
import dev.baton.store.jdbc.JdbcSessionStore;
import dev.baton.store.jdbc.JdbcStoreConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revocation through the federation's mark (docs/ifmap.md) and realms' session limits across the federation
 * (docs/gateway.md), with the in-memory federation that behaves as the federation server does.
 */
class RevocationTest {
    static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");
    static final LocalAccounts ACCOUNTS = new LocalAccounts(1024, 1).add("alice", "secret".toCharArray(), Map.of())
            .add("bob", "secret".toCharArray(), Map.of());

    @TempDir
    Path dir;
    final AtomicReference<Instant> now = new AtomicReference<>(T0);
    final InMemoryFederation federation = new InMemoryFederation(Runnable::run);
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    Gateway gateway(String name, SessionLimit limit, SessionStore store) {
        GatewayConfig config = new GatewayConfig(name, GatewayKind.REMOTE_ACCESS, true,
                List.of(new RealmBinding(Realm.simple("users", AuthServerKind.LOCAL, "corp", "staff"), ACCOUNTS, limit)),
                new AccessPolicy(List.of(Role.plain("staff")), List.of()));
        Gateway g = new Gateway(config, federation, now::get, store, TieredStoreSettings.DEFAULTS, new SimpleMeterRegistry());
        open.add(g);
        return g;
    }

    Gateway gateway(String name, SessionLimit limit) {
        return gateway(name, limit, new dev.baton.store.MemorySessionStore());
    }

    JdbcSessionStore h2(String name) {
        JdbcSessionStore s = JdbcSessionStore.open(JdbcStoreConfig.of("jdbc:h2:file:" + dir.resolve(name), "sa", ""));
        open.add(s);
        return s;
    }

    static SessionIdHash hash(TestAgent agent) {
        return SessionId.hashOf(agent.sessionId);
    }

    /** The call fails with {@code code} and a message naming the revocation. */
    static void refusedAsRevoked(ThrowableAssert.ThrowingCallable call, ResultCode code) {
        assertThatThrownBy(call).isInstanceOf(BatonException.class)
                .satisfies(e -> assertThat(((BatonException) e).code()).isEqualTo(code))
                .hasMessageContaining("revoked by an operator");
    }

    static TestAgent signedIn(Gateway g, String user) {
        TestAgent agent = new TestAgent();
        agent.signIn(g, user, "secret");
        return agent;
    }

    @Test
    void aRevokedSessionEndsAtItsGatewayAtOnceAndItsAgentIsToldWhy() {
        Gateway a = gateway("a", SessionLimit.NONE);
        TestAgent alice = signedIn(a, "alice");
        TestAgent bob = signedIn(a, "bob");

        assertThat(federation.revokeUser("alice")).isEqualTo(1);

        assertThat(a.session(hash(alice))).isEmpty();
        refusedAsRevoked(() -> alice.access(a), ResultCode.SESSION_EXPIRED);
        refusedAsRevoked(() -> alice.connect(a), ResultCode.MIGRATION_REFUSED);
        assertThat(federation.lookup(hash(alice))).hasValueSatisfying(p -> assertThat(p.revoked()).isTrue());
        assertThat(bob.access(a).outcome()).isEqualTo("active");
    }

    @Test
    void aRevokedSessionCannotMigrate() {
        Gateway a = gateway("a", SessionLimit.NONE);
        Gateway b = gateway("b", SessionLimit.NONE);
        TestAgent alice = signedIn(a, "alice");
        // The mark is there before the holder has ended the session (its notification is still on its way).
        InMemoryFederation slow = federation;
        assertThat(slow.revoke(hash(alice))).isTrue();

        refusedAsRevoked(() -> alice.connect(b), ResultCode.MIGRATION_REFUSED);
        assertThat(b.session(hash(alice))).isEmpty();
        assertThat(a.session(hash(alice))).isEmpty();
    }

    @Test
    void aSessionOnlyInStorageIsEndedThereWhenRevoked() {
        TestAgent alice;
        JdbcSessionStore store = h2("a");
        try (Gateway a = gateway("a", SessionLimit.NONE, store)) {
            alice = signedIn(a, "alice");
        }
        Gateway restarted = gateway("a", SessionLimit.NONE, store);
        assertThat(restarted.sessionCount()).isZero();
        assertThat(store.load(hash(alice))).isPresent();

        assertThat(federation.revoke(hash(alice))).isTrue();

        assertThat(store.load(hash(alice))).as("gone from storage, though it was never loaded into memory").isEmpty();
        refusedAsRevoked(() -> alice.access(restarted), ResultCode.SESSION_EXPIRED);
        refusedAsRevoked(() -> alice.connect(restarted), ResultCode.MIGRATION_REFUSED);
    }

    @Test
    void aGatewayThatWasDownWhenItsSessionsWereRevokedRefusesThemWhenItComesBack() {
        TestAgent byAccess;
        TestAgent byConnect;
        JdbcSessionStore store = h2("down");
        try (Gateway a = gateway("a", SessionLimit.NONE, store)) {
            byAccess = signedIn(a, "alice");
            byConnect = signedIn(a, "alice");
        }
        assertThat(federation.revokeUser("alice")).isEqualTo(2); // no gateway "a" is listening

        Gateway restarted = gateway("a", SessionLimit.NONE, store);
        refusedAsRevoked(() -> byAccess.access(restarted), ResultCode.SESSION_EXPIRED);
        refusedAsRevoked(() -> byConnect.connect(restarted), ResultCode.SESSION_EXPIRED);
        assertThat(store.load(hash(byAccess))).isEmpty();
        assertThat(store.load(hash(byConnect))).isEmpty();
        refusedAsRevoked(() -> byAccess.access(restarted), ResultCode.SESSION_EXPIRED);
    }

    @Test
    void denyNewRefusesASignInBeyondTheLimitAnywhereInTheFederation() {
        SessionLimit two = new SessionLimit(2, SessionLimit.Policy.DENY_NEW);
        Gateway a = gateway("a", two);
        Gateway b = gateway("b", two);
        TestAgent first = signedIn(a, "alice");
        TestAgent second = signedIn(b, "alice");
        signedIn(b, "bob");

        assertThatThrownBy(() -> signedIn(a, "alice")).isInstanceOf(BatonException.class)
                .satisfies(e -> assertThat(((BatonException) e).code()).isEqualTo(ResultCode.SESSION_LIMIT))
                .hasMessageContaining("max-sessions-per-user 2").hasMessageContaining("sign out of one elsewhere");
        assertThat(federation.sessionsOf("alice")).hasSize(2);
        assertThat(first.access(a).outcome()).isEqualTo("active");

        second.signOut(b);
        assertThat(signedIn(a, "alice").access(a).outcome()).isEqualTo("active");
    }

    @Test
    void denyNewRefusesAMigrationInBeyondTheLimit() {
        Gateway a = gateway("a", SessionLimit.NONE);
        Gateway b = gateway("b", new SessionLimit(1, SessionLimit.Policy.DENY_NEW));
        TestAgent first = signedIn(a, "alice");
        signedIn(a, "alice");

        assertThatThrownBy(() -> first.connect(b)).isInstanceOf(BatonException.class)
                .satisfies(e -> assertThat(((BatonException) e).code()).isEqualTo(ResultCode.SESSION_LIMIT));
        assertThat(b.session(hash(first))).isEmpty();
        assertThat(federation.lookup(hash(first))).hasValueSatisfying(p -> assertThat(p.owner()).isEqualTo("a"));
        assertThat(first.access(a).outcome()).isEqualTo("active");

        TestAgent bob = signedIn(a, "bob"); // the session itself is not counted against its own arrival
        assertThat(bob.connect(b).outcome()).isEqualTo("migrated");
    }

    @Test
    void endOldestRevokesTheOldestSessionWhereverItIsAndLetsTheNewSignInIn() {
        SessionLimit two = new SessionLimit(2, SessionLimit.Policy.END_OLDEST);
        Gateway a = gateway("a", two);
        Gateway b = gateway("b", two);
        TestAgent oldest = signedIn(b, "alice");
        now.set(T0.plus(Duration.ofMinutes(1)));
        TestAgent middle = signedIn(a, "alice");
        now.set(T0.plus(Duration.ofMinutes(2)));

        TestAgent newest = signedIn(a, "alice");

        assertThat(b.session(hash(oldest))).isEmpty();
        refusedAsRevoked(() -> oldest.access(b), ResultCode.SESSION_EXPIRED);
        assertThat(middle.access(a).outcome()).isEqualTo("active");
        assertThat(newest.access(a).outcome()).isEqualTo("active");
        assertThat(federation.sessionsOf("alice")).extracting(p -> p.hash())
                .containsExactlyInAnyOrder(hash(middle), hash(newest));
    }

    @Test
    void endOldestOnMigrationRevokesTheOldestAndTheArrivingSessionMigrates() {
        Gateway a = gateway("a", SessionLimit.NONE);
        Gateway b = gateway("b", new SessionLimit(1, SessionLimit.Policy.END_OLDEST));
        TestAgent oldest = signedIn(a, "alice");
        now.set(T0.plus(Duration.ofMinutes(1)));
        TestAgent moving = signedIn(a, "alice");

        assertThat(moving.connect(b).outcome()).isEqualTo("migrated");

        refusedAsRevoked(() -> oldest.access(a), ResultCode.SESSION_EXPIRED);
        refusedAsRevoked(() -> oldest.connect(b), ResultCode.MIGRATION_REFUSED);
        assertThat(moving.access(b).outcome()).isEqualTo("active");
        assertThat(federation.sessionsOf("alice")).extracting(p -> p.hash()).containsExactly(hash(moving));
    }
}
