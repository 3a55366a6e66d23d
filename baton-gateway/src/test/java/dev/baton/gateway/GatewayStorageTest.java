package dev.baton.gateway;

import dev.baton.core.AccessPolicy;
import dev.baton.core.AuthServerKind;
import dev.baton.core.GatewayKind;
import dev.baton.core.Realm;
import dev.baton.core.Role;
import dev.baton.core.SessionId;
import dev.baton.store.SessionStore;
import dev.baton.store.TieredStoreSettings;
import dev.baton.store.jdbc.JdbcSessionStore;
import dev.baton.store.jdbc.JdbcStoreConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Gateways over real external storage (embedded H2 files): restart and shared stores (S1, F10). */
class GatewayStorageTest {
    @TempDir
    Path dir;

    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-23T08:00:00Z"));
    final InMemoryFederation federation = new InMemoryFederation(Runnable::run);

    JdbcSessionStore h2(String name) {
        return JdbcSessionStore.open(JdbcStoreConfig.of("jdbc:h2:file:" + dir.resolve(name), "sa", ""));
    }

    Gateway gateway(String name, SessionStore store) {
        LocalAccounts accounts = new LocalAccounts(1024, 1).add("alice", "secret".toCharArray(), Map.of());
        GatewayConfig config = new GatewayConfig(name, GatewayKind.REMOTE_ACCESS, true,
                List.of(new RealmBinding(Realm.simple("users", AuthServerKind.LOCAL, "corp", "staff"), accounts)),
                new AccessPolicy(List.of(Role.plain("staff")), List.of()));
        return new Gateway(config, federation, now::get, store, TieredStoreSettings.DEFAULTS, new SimpleMeterRegistry());
    }

    @Test
    void aRestartedGatewayResumesItsSessionsFromStorageWithoutCredentials() {
        TestAgent alice = new TestAgent();
        try (JdbcSessionStore store = h2("a"); Gateway a = gateway("a", store)) {
            alice.signIn(a, "alice", "secret");
        }
        try (JdbcSessionStore store = h2("a"); Gateway restarted = gateway("a", store)) {
            assertThat(restarted.sessionCount()).isZero();
            assertThat(alice.connect(restarted).outcome()).isEqualTo("resumed");
            assertThat(restarted.session(SessionId.hashOf(alice.sessionId))).isPresent();
        }
    }

    @Test
    void gatewaysSharingOneStoreKeepTheMigratedCopy() {
        TestAgent alice = new TestAgent();
        try (JdbcSessionStore shared = h2("shared")) {
            try (Gateway a = gateway("a", shared); Gateway b = gateway("b", shared)) {
                alice.signIn(a, "alice", "secret");
                assertThat(alice.connect(b).outcome()).isEqualTo("migrated");
                assertThat(a.session(SessionId.hashOf(alice.sessionId))).isEmpty();
            }
            assertThat(shared.load(SessionId.hashOf(alice.sessionId))).as("A's delete must not remove B's row")
                    .get().extracting(s -> s.session().owner()).isEqualTo("b");
            try (Gateway restartedA = gateway("a", shared); Gateway restartedB = gateway("b", shared)) {
                assertThat(restartedA.session(SessionId.hashOf(alice.sessionId))).isEmpty();
                assertThat(alice.connect(restartedB).outcome()).isEqualTo("resumed");
            }
        }
    }
}
