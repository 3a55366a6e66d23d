package dev.baton.gateway;

import dev.baton.core.AccessPolicy;
import dev.baton.core.AuthServerKind;
import dev.baton.core.BatonException;
import dev.baton.core.GatewayKind;
import dev.baton.core.Realm;
import dev.baton.core.ResultCode;
import dev.baton.core.Role;
import dev.baton.core.SessionId;
import dev.baton.core.SessionIdHash;
import dev.baton.core.SessionOptions;
import dev.baton.core.api.AccessResult;
import dev.baton.core.api.ConnectRequest;
import dev.baton.core.api.SignInResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatewayTest {
    static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");
    static final SessionOptions OPTIONS = new SessionOptions(Duration.ofHours(8), Duration.ofMinutes(30), Duration.ofMinutes(10), false);
    static final LocalAccounts ACCOUNTS = new LocalAccounts(1024, 1).add("alice", "secret".toCharArray(), Map.of());

    final AtomicReference<Instant> now = new AtomicReference<>(T0);
    final InstantSource clock = now::get;
    final InMemoryFederation federation = new InMemoryFederation(Runnable::run);
    final List<Gateway> gateways = new ArrayList<>();

    Gateway gateway(String name, GatewayKind kind, String group, boolean migration) {
        Realm realm = Realm.simple("users", AuthServerKind.LOCAL, group, "staff");
        AccessPolicy access = new AccessPolicy(List.of(new Role("staff", OPTIONS, List.of())), List.of());
        Gateway g = new Gateway(new GatewayConfig(name, kind, migration, List.of(new RealmBinding(realm, ACCOUNTS)), access), federation, clock);
        gateways.add(g);
        return g;
    }

    @AfterEach
    void close() {
        gateways.forEach(Gateway::close);
    }

    static ResultCode codeOf(Throwable t) {
        return ((BatonException) t).code();
    }

    @Test
    void signInPublishesTheSessionUnderItsHashOnly() {
        Gateway a = gateway("a", GatewayKind.REMOTE_ACCESS, "corp", true);
        SignInResult r = a.signIn("users", "alice", "secret");
        SessionIdHash hash = SessionId.hashOf(r.sessionId());
        assertThat(federation.lookup(hash)).get().satisfies(s -> {
            assertThat(s.owner()).isEqualTo("a");
            assertThat(s.toString()).doesNotContain(r.sessionId());
        });
        assertThat(r.access().roles()).containsExactly("staff");
    }

    @Test
    void wrongPasswordAndUnknownRealmAreRefusedWithReasons() {
        Gateway a = gateway("a", GatewayKind.REMOTE_ACCESS, "corp", true);
        assertThatThrownBy(() -> a.signIn("users", "alice", "wrong")).satisfies(e -> assertThat(codeOf(e)).isEqualTo(ResultCode.AUTHENTICATION_FAILED));
        assertThatThrownBy(() -> a.signIn("users", "mallory", "secret")).satisfies(e -> assertThat(codeOf(e)).isEqualTo(ResultCode.AUTHENTICATION_FAILED));
        assertThatThrownBy(() -> a.signIn("staff", "alice", "secret")).hasMessageContaining("has no realm named 'staff'");
        assertThat(a.sessionCount()).isZero();
    }

    @Test
    void migrationMovesTheSessionAndTheOriginalDropsIt() {
        Gateway a = gateway("a", GatewayKind.REMOTE_ACCESS, "corp", true);
        Gateway b = gateway("b", GatewayKind.REMOTE_ACCESS, "corp", true);
        String id = a.signIn("users", "alice", "secret").sessionId();
        now.set(T0.plus(Duration.ofMinutes(20)));

        AccessResult r = b.connect(new ConnectRequest(id, Map.of()));

        assertThat(r.outcome()).isEqualTo("migrated");
        assertThat(r.startTime()).isEqualTo(T0);
        assertThat(a.session(SessionId.hashOf(id))).isEmpty();
        assertThat(b.session(SessionId.hashOf(id))).isPresent();
        assertThat(federation.lookup(SessionId.hashOf(id))).get().extracting(s -> s.owner()).isEqualTo("b");
        assertThatThrownBy(() -> a.access(id)).satisfies(e -> assertThat(codeOf(e)).isEqualTo(ResultCode.UNKNOWN_SESSION));
    }

    @Test
    void migrationToAnotherAuthenticationGroupIsRefusedAndTheSessionStays() {
        Gateway a = gateway("a", GatewayKind.REMOTE_ACCESS, "corp", true);
        Gateway c = gateway("c", GatewayKind.REMOTE_ACCESS, "partners", true);
        String id = a.signIn("users", "alice", "secret").sessionId();
        assertThatThrownBy(() -> c.connect(new ConnectRequest(id, Map.of())))
                .hasMessageContaining("no realm in authentication group corp")
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ResultCode.MIGRATION_REFUSED));
        assertThat(a.access(id).gateway()).isEqualTo("a");
    }

    @Test
    void migrationSwitchedOffMeansSignInAgain() {
        Gateway a = gateway("a", GatewayKind.REMOTE_ACCESS, "corp", true);
        Gateway b = gateway("b", GatewayKind.REMOTE_ACCESS, "corp", false);
        String id = a.signIn("users", "alice", "secret").sessionId();
        assertThatThrownBy(() -> b.connect(new ConnectRequest(id, Map.of()))).hasMessageContaining("switched off on gateway b; sign in again");
        assertThat(b.signIn("users", "alice", "secret").access().gateway()).isEqualTo("b");
    }

    @Test
    void aSessionPastItsMaximumLengthDoesNotMigrate() {
        Gateway a = gateway("a", GatewayKind.POLICY, "corp", true);
        Gateway b = gateway("b", GatewayKind.POLICY, "corp", true);
        String id = a.signIn("users", "alice", "secret").sessionId();
        for (int i = 1; i < 96; i++) { // heartbeats every 5 minutes keep it alive for 8 hours
            now.set(T0.plus(Duration.ofMinutes(5L * i)));
            a.heartbeat(id);
        }
        now.set(T0.plus(Duration.ofHours(8)));
        assertThatThrownBy(() -> b.connect(new ConnectRequest(id, Map.of())))
                .hasMessageContaining("maximum session length reached")
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ResultCode.SESSION_EXPIRED));
    }

    @Test
    void rebootResumeWorksWithinTheWindowOnly() {
        Gateway policy = gateway("p", GatewayKind.POLICY, "corp", true);
        Gateway remote = gateway("r", GatewayKind.REMOTE_ACCESS, "corp", true);
        String onPolicy = policy.signIn("users", "alice", "secret").sessionId();
        String onRemote = remote.signIn("users", "alice", "secret").sessionId();
        now.set(T0.plus(Duration.ofMinutes(9)));
        assertThat(policy.connect(new ConnectRequest(onPolicy, Map.of())).outcome()).isEqualTo("resumed");
        now.set(T0.plus(Duration.ofMinutes(20)));
        assertThatThrownBy(() -> policy.connect(new ConnectRequest(onPolicy, Map.of()))).hasMessageContaining("heartbeat timeout");
        assertThat(remote.connect(new ConnectRequest(onRemote, Map.of())).outcome()).isEqualTo("resumed");
        now.set(T0.plus(Duration.ofMinutes(51)));
        assertThatThrownBy(() -> remote.connect(new ConnectRequest(onRemote, Map.of()))).hasMessageContaining("idle timeout");
        assertThat(federation.lookup(SessionId.hashOf(onRemote))).isEmpty();
    }

    @Test
    void signOutRemovesTheSessionEverywhere() {
        Gateway a = gateway("a", GatewayKind.REMOTE_ACCESS, "corp", true);
        String id = a.signIn("users", "alice", "secret").sessionId();
        a.signOut(id);
        assertThat(federation.size()).isZero();
        assertThatThrownBy(() -> a.access(id)).satisfies(e -> assertThat(codeOf(e)).isEqualTo(ResultCode.UNKNOWN_SESSION));
    }

    @Test
    void twoGatewaysRacingForOneSessionLeaveExactlyOneHolder() throws Exception {
        Gateway a = gateway("a", GatewayKind.REMOTE_ACCESS, "corp", true);
        Gateway b = gateway("b", GatewayKind.REMOTE_ACCESS, "corp", true);
        Gateway c = gateway("c", GatewayKind.REMOTE_ACCESS, "corp", true);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 100; round++) {
                String id = a.signIn("users", "alice", "secret").sessionId();
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (Gateway g : List.of(b, c)) {
                    Callable<Boolean> race = () -> {
                        start.await();
                        try {
                            g.connect(new ConnectRequest(id, Map.of()));
                            return true;
                        } catch (BatonException e) {
                            assertThat(e.code()).isIn(ResultCode.CONFLICT, ResultCode.UNKNOWN_SESSION);
                            return false;
                        }
                    };
                    results.add(pool.submit(race));
                }
                start.countDown();
                int wins = (results.get(0).get() ? 1 : 0) + (results.get(1).get() ? 1 : 0);
                SessionIdHash hash = SessionId.hashOf(id);
                List<String> holders = List.of(a, b, c).stream().filter(g -> g.session(hash).isPresent()).map(Gateway::name).toList();
                // Both may succeed only one after the other (C migrating it on from B); never two holders.
                assertThat(wins).as("round %d winners", round).isBetween(1, 2);
                assertThat(holders).as("round %d holders", round).hasSize(1)
                        .containsExactly(federation.lookup(hash).orElseThrow().owner());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
