package dev.baton.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.admin.AdminCall;
import dev.baton.admin.AdminException;
import dev.baton.admin.ApiRoute;
import dev.baton.admin.AuditLog;
import dev.baton.admin.Operator;
import dev.baton.admin.OperatorRole;
import dev.baton.core.AccessPolicy;
import dev.baton.core.AuthServerKind;
import dev.baton.core.GatewayKind;
import dev.baton.core.BatonException;
import dev.baton.core.Realm;
import dev.baton.core.ResultCode;
import dev.baton.core.Role;
import dev.baton.core.SessionId;
import dev.baton.core.api.SignInRequest;
import dev.baton.gateway.admin.GatewayAdmin;
import dev.baton.store.MemorySessionStore;
import dev.baton.store.TieredStoreSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GatewayAdminTest {
    static final Operator ROOT = new Operator("root", OperatorRole.ADMIN);
    static final Operator WATCHER = new Operator("watcher", OperatorRole.AUDITOR);
    static final LocalAccounts ACCOUNTS = new LocalAccounts(1024, 1)
            .add("alice", "secret".toCharArray(), Map.of()).add("bob", "secret".toCharArray(), Map.of());

    final AtomicReference<Instant> now = new AtomicReference<>(GatewayTest.T0);
    final InstantSource clock = now::get;
    final InMemoryFederation federation = new InMemoryFederation(Runnable::run);
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
    final AuditLog audit = new AuditLog("a", clock) {
        @Override
        protected void write(Map<String, Object> event) {
            events.add(event);
        }
    };
    final List<Gateway> gateways = new ArrayList<>();

    Gateway gateway(String name) {
        Realm realm = Realm.simple("users", AuthServerKind.LOCAL, "corp", "staff");
        AccessPolicy access = new AccessPolicy(List.of(new Role("staff", GatewayTest.OPTIONS, List.of())), List.of());
        Gateway g = new Gateway(new GatewayConfig(name, GatewayKind.REMOTE_ACCESS, true,
                List.of(new RealmBinding(realm, ACCOUNTS)), access), federation, clock, new MemorySessionStore(),
                TieredStoreSettings.DEFAULTS, registry, audit);
        gateways.add(g);
        return g;
    }

    @AfterEach
    void close() {
        gateways.forEach(Gateway::close);
    }

    private Object call(GatewayAdmin admin, Operator who, String method, String path, Map<String, String> query) throws Exception {
        for (ApiRoute r : admin.routes()) {
            if (r.method().equals(method)) {
                var params = matchForTest(r.path(), path);
                if (params != null) {
                    if (!who.role().includes(r.role())) {
                        throw AdminException.forbidden("role");
                    }
                    return new ObjectMapper().valueToTree(r.handler().handle(new AdminCall(who, params, query, null)));
                }
            }
        }
        throw new AssertionError("no route " + method + " " + path);
    }

    private static Map<String, String> matchForTest(String pattern, String path) {
        String[] want = pattern.substring(1).split("/");
        String[] got = path.substring(1).split("/");
        if (want.length != got.length) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < want.length; i++) {
            if (want[i].startsWith("{")) {
                params.put(want[i].substring(1, want[i].length() - 1), got[i]);
            } else if (!want[i].equals(got[i])) {
                return null;
            }
        }
        return params;
    }

    @Test
    void listsPagesAndCountsTheSessionsHeldHereByHashNeverById() throws Exception {
        Gateway a = gateway("a");
        GatewayAdmin admin = new GatewayAdmin(a, audit, clock, Optional.empty());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(new TestAgent().signIn(a, "alice", "secret"));
            now.set(now.get().plusSeconds(60));
        }
        new TestAgent().signIn(a, "bob", "secret");

        var first = (com.fasterxml.jackson.databind.JsonNode) call(admin, WATCHER, "GET", "/sessions", Map.of("user", "alice", "limit", "2"));
        assertThat(first.get("sessions")).hasSize(2);
        assertThat(first.get("next").isNull()).isFalse();
        var second = (com.fasterxml.jackson.databind.JsonNode) call(admin, WATCHER, "GET", "/sessions",
                Map.of("user", "alice", "limit", "2", "after", first.get("next").asText()));
        assertThat(second.get("sessions")).hasSize(1);
        assertThat(second.get("next").isNull()).isTrue();
        String all = first.toString() + second;
        for (String id : ids) {
            assertThat(all).doesNotContain(id).contains(SessionId.hashOf(id).hex());
        }
        var count = (com.fasterxml.jackson.databind.JsonNode) call(admin, WATCHER, "GET", "/sessions/count", Map.of());
        assertThat(count.get("count").asLong()).isEqualTo(4);
        var young = (com.fasterxml.jackson.databind.JsonNode) call(admin, WATCHER, "GET", "/sessions/count", Map.of("max-age", "90"));
        assertThat(young.get("count").asLong()).as("started within 90 s of now: the last alice and bob").isEqualTo(2);
    }

    @Test
    void craftedHashesCursorsAndFiltersGetARefusalOrNothing() throws Exception {
        Gateway a = gateway("a");
        GatewayAdmin admin = new GatewayAdmin(a, audit, clock, Optional.empty());
        new TestAgent().signIn(a, "alice", "secret");
        for (String hash : List.of("XYZ", "..%2F..%2Fetc", "0".repeat(63), "0".repeat(65))) {
            assertThatThrownBy(() -> call(admin, ROOT, "POST", "/sessions/" + hash + "/revoke", Map.of()))
                    .isInstanceOf(AdminException.class).extracting(e -> ((AdminException) e).status()).isEqualTo(400);
        }
        assertThatThrownBy(() -> call(admin, WATCHER, "GET", "/sessions", Map.of("after", "1." + "g".repeat(64))))
                .isInstanceOf(AdminException.class).extracting(e -> ((AdminException) e).status()).isEqualTo(400);
        assertThatThrownBy(() -> call(admin, WATCHER, "GET", "/sessions", Map.of("limit", "100000")))
                .isInstanceOf(AdminException.class).extracting(e -> ((AdminException) e).status()).isEqualTo(400);
        var injected = (com.fasterxml.jackson.databind.JsonNode) call(admin, WATCHER, "GET", "/sessions",
                Map.of("user", "alice' OR '1'='1"));
        assertThat(injected.get("sessions")).isEmpty();
        assertThat(events).filteredOn(e -> e.get("event").equals("admin-action")).isEmpty();
    }

    @Test
    void revokingASessionOrAUserEndsThemSoTheAgentsAreRefusedAndIsAudited() throws Exception {
        Gateway a = gateway("a");
        GatewayAdmin admin = new GatewayAdmin(a, audit, clock, Optional.empty());
        TestAgent one = new TestAgent();
        TestAgent two = new TestAgent();
        TestAgent bob = new TestAgent();
        String id = one.signIn(a, "alice", "secret");
        two.signIn(a, "alice", "secret");
        bob.signIn(a, "bob", "secret");

        assertThatThrownBy(() -> call(admin, WATCHER, "POST", "/sessions/" + SessionId.hashOf(id).hex() + "/revoke", Map.of()))
                .isInstanceOf(AdminException.class);
        assertThat(one.access(a).outcome()).isEqualTo("active");

        call(admin, ROOT, "POST", "/sessions/" + SessionId.hashOf(id).hex() + "/revoke", Map.of());
        // The agent is told why: revoked, sign in again (it was "unknown session" before issue 19).
        assertThatThrownBy(() -> one.access(a)).hasMessageContaining("it was revoked by an operator")
                .extracting(t -> ((BatonException) t).code()).isEqualTo(ResultCode.SESSION_EXPIRED);
        assertThat(federation.lookup(SessionId.hashOf(id))).isEmpty();

        var revoked = (com.fasterxml.jackson.databind.JsonNode) call(admin, ROOT, "POST", "/users/alice/revoke", Map.of());
        assertThat(revoked.get("revoked")).hasSize(1);
        assertThatThrownBy(() -> two.access(a)).extracting(t -> ((BatonException) t).code()).isEqualTo(ResultCode.SESSION_EXPIRED);
        assertThat(bob.access(a).outcome()).isEqualTo("active");
        assertThat(events).filteredOn(e -> e.get("event").equals("admin-action"))
                .extracting(e -> e.get("action") + ":" + e.get("operator"))
                .containsExactly("revoke-session:root", "revoke-user:root");
        assertThat(events).filteredOn(e -> e.get("event").equals("session-end")).extracting(e -> e.get("reason"))
                .containsExactly("revoked", "revoked");
    }

    @Test
    void aSessionLimitHitIsAnAuditEventNamingWhatItRevoked() {
        Realm realm = Realm.simple("users", AuthServerKind.LOCAL, "corp", "staff");
        AccessPolicy access = new AccessPolicy(List.of(new Role("staff", GatewayTest.OPTIONS, List.of())), List.of());
        Gateway a = new Gateway(new GatewayConfig("a", GatewayKind.REMOTE_ACCESS, true,
                List.of(new RealmBinding(realm, ACCOUNTS, new SessionLimit(1, SessionLimit.Policy.END_OLDEST))), access),
                federation, clock, new MemorySessionStore(), TieredStoreSettings.DEFAULTS, registry, audit);
        gateways.add(a);
        String first = new TestAgent().signIn(a, "alice", "secret");
        new TestAgent().signIn(a, "alice", "secret");
        assertThat(events).filteredOn(e -> e.get("event").equals("session-limit"))
                .singleElement().satisfies(e -> {
                    assertThat(e).containsEntry("user", "alice").containsEntry("limit", 1).containsEntry("held", 1)
                            .containsEntry("policy", "end_oldest");
                    assertThat(e.get("revoked")).isEqualTo(List.of(SessionId.hashOf(first).hex()));
                });
    }

    @Test
    void signInsAndMigrationsAreCountedByRealmAndOutcomeWithoutLettingAgentsMakeUpLabels() {
        Gateway a = gateway("a");
        Gateway b = gateway("b");
        TestAgent alice = new TestAgent();
        alice.signIn(a, "alice", "secret");
        assertThatThrownBy(() -> new TestAgent().signIn(a, "alice", "wrong")).isInstanceOf(BatonException.class);
        assertThatThrownBy(() -> a.signIn(new SignInRequest("made-up-" + System.nanoTime(), "x", "y", Map.of(), GatewayTest.KEY)))
                .isInstanceOf(BatonException.class);
        now.set(now.get().plus(Duration.ofMinutes(5)));
        alice.connect(b);

        assertThat(registry.get("baton.signins").tags("realm", "users", "outcome", "ok").counter().count()).isEqualTo(1);
        assertThat(registry.get("baton.signins").tags("realm", "users", "outcome", "authentication_failed").counter().count()).isEqualTo(1);
        assertThat(registry.get("baton.signins").tags("realm", "unknown", "outcome", "invalid_request").counter().count()).isEqualTo(1);
        assertThat(registry.get("baton.migrations").tags("direction", "in", "outcome", "ok").counter().count()).isEqualTo(1);
        assertThat(registry.get("baton.migrations").tags("direction", "out", "outcome", "ok").counter().count()).isEqualTo(1);
        assertThat(registry.get("baton.migration.duration").timer().count()).isEqualTo(1);
        assertThat(registry.find("baton.signins").counters()).hasSize(3);
        String idHash = events.stream().filter(e -> e.get("event").equals("sign-in") && "ok".equals(e.get("outcome")))
                .findFirst().orElseThrow().get("session").toString();
        assertThat(events).extracting(e -> e.get("event") + ":" + e.get("outcome") + ":" + e.getOrDefault("session", "-"))
                .containsExactly("sign-in:ok:" + idHash, "sign-in:authentication_failed:-", "sign-in:invalid_request:-",
                        "migration-out:null:" + idHash, "migration-in:null:" + idHash);
        assertThat(events.toString()).doesNotContain(alice.sessionId);
    }
}
