package dev.baton.gateway;

import dev.baton.core.AccessPolicy;
import dev.baton.core.AuthServerKind;
import dev.baton.core.BatonException;
import dev.baton.core.GatewayKind;
import dev.baton.core.Realm;
import dev.baton.core.ResultCode;
import dev.baton.core.Role;
import dev.baton.core.Session;
import dev.baton.core.SessionId;
import dev.baton.core.SessionIdHash;
import dev.baton.core.SessionOptions;
import dev.baton.core.api.AccessResult;
import dev.baton.core.api.ConnectRequest;
import dev.baton.core.api.SignInRequest;
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
    static final String KEY = dev.baton.core.ProofOfPossession.encode(dev.baton.core.ProofOfPossession.newKeyPair().getPublic());
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

    static SignInResult signIn(Gateway g, String user, String password) {
        return g.signIn(new SignInRequest("users", user, password, Map.of(), KEY));
    }

    static ResultCode codeOf(Throwable t) {
        return ((BatonException) t).code();
    }

    @Test
    void signInPublishesTheSessionUnderItsHashOnly() {
        Gateway a = gateway("a", GatewayKind.REMOTE_ACCESS, "corp", true);
        SignInResult r = a.signIn(new SignInRequest("users", "alice", "secret", Map.of(), KEY));
        SessionIdHash hash = SessionId.hashOf(r.sessionId());
        assertThat(federation.lookup(hash)).get().satisfies(s -> {
            assertThat(s.owner()).isEqualTo("a");
            assertThat(s.toString()).doesNotContain(r.sessionId());
        });
        assertThat(r.access().roles()).containsExactly("staff");
    }

    @Test
    void anAnonymousRealmsSessionsAreNamedAsConfiguredNeverAsTyped() {
        Realm visitors = Realm.simple("visitors", AuthServerKind.ANONYMOUS, "corp", "staff");
        AccessPolicy access = new AccessPolicy(List.of(new Role("staff", OPTIONS, List.of())), List.of());
        Gateway g = new Gateway(new GatewayConfig("anon", GatewayKind.REMOTE_ACCESS, true,
                List.of(new RealmBinding(visitors, new dev.baton.gateway.auth.AnonymousAuthenticator("guest"))), access),
                federation, clock);
        gateways.add(g);
        SignInResult r = g.signIn(new SignInRequest("visitors", "admin", "", Map.of(), KEY));
        assertThat(r.access().user()).isEqualTo("guest");
        assertThat(g.session(SessionId.hashOf(r.sessionId()))).get().extracting(Session::user).isEqualTo("guest");
    }

    @Test
    void aUserNameWithALineBreakCannotForgeALogLine() {
        String crafted = "eve\n12:00:00.000 INFO  [main] dev.baton.gateway.Gateway - admin signed in";
        Realm realm = Realm.simple("users", AuthServerKind.LOCAL, "corp", "staff");
        AccessPolicy access = new AccessPolicy(List.of(new Role("staff", OPTIONS, List.of())), List.of());
        Gateway g = new Gateway(new GatewayConfig("logs", GatewayKind.REMOTE_ACCESS, true, List.of(new RealmBinding(realm,
                new LocalAccounts(1024, 1).add(crafted, "pw".toCharArray(), Map.of()))), access), federation, clock);
        gateways.add(g);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log = new ch.qos.logback.core.read.ListAppender<>();
        log.start();
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(EventLog.LOGGER)).addAppender(log);
        try {
            g.signIn(new SignInRequest("users", crafted, "pw", Map.of(), KEY));
        } finally {
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(EventLog.LOGGER)).detachAppender(log);
        }
        assertThat(log.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).startsWith("sign-in: eve?12:00:00.000 INFO")
                .contains(" at logs (realm users").doesNotContain("\n"));
    }

    @Test
    void wrongPasswordAndUnknownRealmAreRefusedWithReasons() {
        Gateway a = gateway("a", GatewayKind.REMOTE_ACCESS, "corp", true);
        assertThatThrownBy(() -> signIn(a, "alice", "wrong")).satisfies(e -> assertThat(codeOf(e)).isEqualTo(ResultCode.AUTHENTICATION_FAILED));
        assertThatThrownBy(() -> signIn(a, "mallory", "secret")).satisfies(e -> assertThat(codeOf(e)).isEqualTo(ResultCode.AUTHENTICATION_FAILED));
        assertThatThrownBy(() -> a.signIn(new SignInRequest("staff", "alice", "secret", Map.of(), null))).hasMessageContaining("has no realm named 'staff'");
        assertThat(a.sessionCount()).isZero();
    }

    @Test
    void migrationMovesTheSessionAndTheOriginalDropsIt() {
        Gateway a = gateway("a", GatewayKind.REMOTE_ACCESS, "corp", true);
        Gateway b = gateway("b", GatewayKind.REMOTE_ACCESS, "corp", true);
        TestAgent alice = new TestAgent();
        String id = alice.signIn(a, "alice", "secret");
        now.set(T0.plus(Duration.ofMinutes(20)));

        AccessResult r = alice.connect(b);

        assertThat(r.outcome()).isEqualTo("migrated");
        assertThat(r.startTime()).isEqualTo(T0);
        assertThat(a.session(SessionId.hashOf(id))).isEmpty();
        assertThat(b.session(SessionId.hashOf(id))).isPresent();
        assertThat(federation.lookup(SessionId.hashOf(id))).get().extracting(s -> s.owner()).isEqualTo("b");
        assertThatThrownBy(() -> alice.access(a)).satisfies(e -> assertThat(codeOf(e)).isEqualTo(ResultCode.UNKNOWN_SESSION));
    }

    @Test
    void aLossHeardAfterTheSessionCameBackDoesNotDropIt() {
        // Notifications are held here and delivered when the test says: A hears that B took the session
        // only after the agent has already brought it back to A (a poll that ran late). A keeps its copy.
        java.util.Queue<Runnable> held = new java.util.concurrent.ConcurrentLinkedQueue<>();
        InMemoryFederation late = new InMemoryFederation(held::add);
        Realm realm = Realm.simple("users", AuthServerKind.LOCAL, "corp", "staff");
        AccessPolicy access = new AccessPolicy(List.of(new Role("staff", OPTIONS, List.of())), List.of());
        Gateway a = new Gateway(new GatewayConfig("a", GatewayKind.REMOTE_ACCESS, true, List.of(new RealmBinding(realm, ACCOUNTS)), access), late, clock);
        Gateway b = new Gateway(new GatewayConfig("b", GatewayKind.REMOTE_ACCESS, true, List.of(new RealmBinding(realm, ACCOUNTS)), access), late, clock);
        gateways.add(a);
        gateways.add(b);
        TestAgent alice = new TestAgent();
        SessionIdHash hash = SessionId.hashOf(alice.signIn(a, "alice", "secret"));

        assertThat(alice.connect(b).outcome()).isEqualTo("migrated");
        assertThat(alice.connect(a).outcome()).isEqualTo("migrated");
        assertThat(held).hasSize(2); // A's loss to B, then B's loss to A
        held.forEach(Runnable::run);

        assertThat(a.session(hash)).as("A took the session back before it heard of the first loss").isPresent();
        assertThat(b.session(hash)).isEmpty();
        assertThat(alice.connect(a).outcome()).isEqualTo("resumed");
    }

    @Test
    void migrationToAnotherAuthenticationGroupIsRefusedAndTheSessionStays() {
        Gateway a = gateway("a", GatewayKind.REMOTE_ACCESS, "corp", true);
        Gateway c = gateway("c", GatewayKind.REMOTE_ACCESS, "partners", true);
        TestAgent alice = new TestAgent();
        String id = alice.signIn(a, "alice", "secret");
        assertThatThrownBy(() -> alice.connect(c))
                .hasMessageContaining("no realm in authentication group corp")
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ResultCode.MIGRATION_REFUSED));
        assertThat(alice.access(a).gateway()).isEqualTo("a");
    }

    @Test
    void migrationSwitchedOffMeansSignInAgain() {
        Gateway a = gateway("a", GatewayKind.REMOTE_ACCESS, "corp", true);
        Gateway b = gateway("b", GatewayKind.REMOTE_ACCESS, "corp", false);
        TestAgent alice = new TestAgent();
        String id = alice.signIn(a, "alice", "secret");
        assertThatThrownBy(() -> alice.connect(b)).hasMessageContaining("switched off on gateway b; sign in again");
        assertThat(new TestAgent().signIn(b, "alice", "secret")).isNotEqualTo(id);
    }

    @Test
    void aSessionPastItsMaximumLengthDoesNotMigrate() {
        Gateway a = gateway("a", GatewayKind.POLICY, "corp", true);
        Gateway b = gateway("b", GatewayKind.POLICY, "corp", true);
        TestAgent alice = new TestAgent();
        String id = alice.signIn(a, "alice", "secret");
        for (int i = 1; i < 96; i++) { // heartbeats every 5 minutes keep it alive for 8 hours
            now.set(T0.plus(Duration.ofMinutes(5L * i)));
            alice.heartbeat(a, Map.of());
        }
        now.set(T0.plus(Duration.ofHours(8)));
        assertThatThrownBy(() -> alice.connect(b))
                .hasMessageContaining("the session cannot migrate to gateway b: it reached its maximum length (max-session-length 8 h from its first sign-in")
                .hasMessageContaining("; sign in again")
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ResultCode.SESSION_EXPIRED));
    }

    @Test
    void rebootResumeWorksWithinTheWindowOnly() {
        Gateway policy = gateway("p", GatewayKind.POLICY, "corp", true);
        Gateway remote = gateway("r", GatewayKind.REMOTE_ACCESS, "corp", true);
        TestAgent policyAgent = new TestAgent();
        String onPolicy = policyAgent.signIn(policy, "alice", "secret");
        TestAgent remoteAgent = new TestAgent();
        String onRemote = remoteAgent.signIn(remote, "alice", "secret");
        now.set(T0.plus(Duration.ofMinutes(9)));
        assertThat(policyAgent.connect(policy).outcome()).isEqualTo("resumed");
        now.set(T0.plus(Duration.ofMinutes(20)));
        // Regression: past the window the gateway answered that no gateway of the federation holds the session;
        // it names the timeout that ended it, with its key and value, and says to sign in again.
        assertThatThrownBy(() -> policyAgent.connect(policy))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ResultCode.SESSION_EXPIRED))
                .hasMessage("the session ended on gateway p: its heartbeat timeout passed (heartbeat-timeout 10 m without a"
                        + " heartbeat from the agent on this policy gateway; that is also how long a rebooted endpoint may resume);"
                        + " sign in again");
        assertThat(federation.lookup(SessionId.hashOf(onPolicy))).as("expired sessions are withdrawn").isEmpty();
        assertThat(remoteAgent.connect(remote).outcome()).isEqualTo("resumed");
        now.set(T0.plus(Duration.ofMinutes(51)));
        assertThatThrownBy(() -> remoteAgent.connect(remote)).satisfies(e -> assertThat(codeOf(e)).isEqualTo(ResultCode.SESSION_EXPIRED))
                .hasMessageContaining("the session ended on gateway r: its idle timeout passed (idle-timeout 30 m without a request");
        assertThat(federation.lookup(SessionId.hashOf(onRemote))).isEmpty();
    }

    @Test
    void aStolenSessionIdWithoutTheAgentKeyGetsNothing() {
        Gateway a = gateway("a", GatewayKind.REMOTE_ACCESS, "corp", true);
        Gateway b = gateway("b", GatewayKind.REMOTE_ACCESS, "corp", true);
        TestAgent alice = new TestAgent();
        String id = alice.signIn(a, "alice", "secret");
        TestAgent thief = new TestAgent();
        thief.sessionId = id;

        assertThatThrownBy(() -> thief.connect(b)).hasMessageContaining("signature does not match")
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ResultCode.AUTHENTICATION_FAILED));
        assertThatThrownBy(() -> thief.connect(a)).hasMessageContaining("signature does not match");
        assertThatThrownBy(() -> b.connect(new ConnectRequest(id, Map.of(), b.challenge().value(), null))).hasMessageContaining("signature does not match");
        assertThat(b.session(SessionId.hashOf(id))).isEmpty();
        assertThat(a.session(SessionId.hashOf(id))).isPresent();
        assertThat(alice.connect(b).outcome()).isEqualTo("migrated");
    }

    @Test
    void aChallengeIsAcceptedOnceAndOnlyWhileFresh() {
        Gateway a = gateway("a", GatewayKind.REMOTE_ACCESS, "corp", true);
        TestAgent alice = new TestAgent();
        String id = alice.signIn(a, "alice", "secret");
        String challenge = a.challenge().value();
        String signature = dev.baton.core.ProofOfPossession.sign(alice.keys.getPrivate(), "a", SessionId.hashOf(id), challenge);
        assertThat(a.connect(new ConnectRequest(id, Map.of(), challenge, signature)).outcome()).isEqualTo("resumed");
        assertThatThrownBy(() -> a.connect(new ConnectRequest(id, Map.of(), challenge, signature))).hasMessageContaining("challenge already used");

        String stale = a.challenge().value();
        now.set(now.get().plus(Duration.ofSeconds(61)));
        String staleSignature = dev.baton.core.ProofOfPossession.sign(alice.keys.getPrivate(), "a", SessionId.hashOf(id), stale);
        assertThatThrownBy(() -> a.connect(new ConnectRequest(id, Map.of(), stale, staleSignature))).hasMessageContaining("challenge expired");
    }

    @Test
    void anAgentMadeChallengeMigratesInOneRequestAndIsAcceptedOnceWithinTheSkewWindow() {
        Gateway a = gateway("a", GatewayKind.REMOTE_ACCESS, "corp", true);
        Gateway b = gateway("b", GatewayKind.REMOTE_ACCESS, "corp", true);
        now.set(T0.plusSeconds(60)); // past the 30 s after start in which agent-made challenges are refused
        TestAgent alice = new TestAgent();
        String id = alice.signIn(a, "alice", "secret");
        var sign = dev.baton.core.ProofOfPossession.signer(alice.keys.getPrivate());
        SessionIdHash hash = SessionId.hashOf(id);

        String own = dev.baton.core.ProofOfPossession.agentChallenge("b", now.get().minusSeconds(20)); // agent clock 20 s behind
        assertThat(b.connect(new ConnectRequest(id, Map.of(), own, sign.sign("b", hash, own))).outcome()).isEqualTo("migrated");
        assertThat(a.session(hash)).isEmpty();
        assertThatThrownBy(() -> b.connect(new ConnectRequest(id, Map.of(), own, sign.sign("b", hash, own))))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ResultCode.STALE_CHALLENGE)).hasMessageContaining("already used");

        String forA = dev.baton.core.ProofOfPossession.agentChallenge("a", now.get());
        assertThatThrownBy(() -> b.connect(new ConnectRequest(id, Map.of(), forA, sign.sign("a", hash, forA))))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ResultCode.STALE_CHALLENGE)).hasMessageContaining("for gateway 'a'");
        for (Duration off : List.of(Duration.ofSeconds(-31), Duration.ofSeconds(31))) {
            String skewed = dev.baton.core.ProofOfPossession.agentChallenge("b", now.get().plus(off));
            assertThatThrownBy(() -> b.connect(new ConnectRequest(id, Map.of(), skewed, sign.sign("b", hash, skewed))))
                    .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ResultCode.STALE_CHALLENGE)).hasMessageContaining("from this gateway's clock");
        }
        for (String malformed : List.of("agent:", "agent:12:short:b", "agent:notanumber:AAAAAAAAAAAAAAAAAAAAAA:b", "agent:1:AAAAAAAAAAAAAAAAAAAAAA:")) {
            assertThatThrownBy(() -> b.connect(new ConnectRequest(id, Map.of(), malformed, sign.sign("b", hash, malformed))))
                    .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ResultCode.STALE_CHALLENGE)).hasMessageContaining("malformed");
        }
        // A fresh challenge with someone else's signature proves nothing.
        String fresh = dev.baton.core.ProofOfPossession.agentChallenge("b", now.get());
        var thief = dev.baton.core.ProofOfPossession.signer(dev.baton.core.ProofOfPossession.newKeyPair().getPrivate());
        assertThatThrownBy(() -> b.connect(new ConnectRequest(id, Map.of(), fresh, thief.sign("b", hash, fresh))))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ResultCode.AUTHENTICATION_FAILED));
        // Once its timestamp is out of the window, a used nonce is forgotten, and it would be refused as too old anyway.
        now.set(now.get().plus(Duration.ofMinutes(2)));
        assertThatThrownBy(() -> b.connect(new ConnectRequest(id, Map.of(), own, sign.sign("b", hash, own))))
                .hasMessageContaining("from this gateway's clock");
    }

    @Test
    void aSignatureForOneGatewayCannotBeReplayedAtAnother() {
        Gateway a = gateway("a", GatewayKind.REMOTE_ACCESS, "corp", true);
        Gateway b = gateway("b", GatewayKind.REMOTE_ACCESS, "corp", true);
        TestAgent alice = new TestAgent();
        String id = alice.signIn(a, "alice", "secret");
        String challengeOfB = b.challenge().value();
        String signedForA = dev.baton.core.ProofOfPossession.sign(alice.keys.getPrivate(), "a", SessionId.hashOf(id), challengeOfB);
        assertThatThrownBy(() -> b.connect(new ConnectRequest(id, Map.of(), challengeOfB, signedForA))).hasMessageContaining("signature does not match");
    }

    @Test
    void aSignInWithoutAnAgentKeyIsRefusedBeforeThePasswordIsChecked() {
        Gateway a = gateway("a", GatewayKind.REMOTE_ACCESS, "corp", true);
        assertThatThrownBy(() -> a.signIn(new SignInRequest("users", "alice", "secret", Map.of(), null)))
                .hasMessageContaining("agent's public key").satisfies(e -> assertThat(codeOf(e)).isEqualTo(ResultCode.INVALID_REQUEST));
        assertThat(a.sessionCount()).isZero();
    }

    @Test
    void signOutRemovesTheSessionEverywhere() {
        Gateway a = gateway("a", GatewayKind.REMOTE_ACCESS, "corp", true);
        TestAgent alice = new TestAgent();
        String id = alice.signIn(a, "alice", "secret");
        alice.signOut(a);
        assertThat(federation.size()).isZero();
        assertThatThrownBy(() -> alice.access(a)).satisfies(e -> assertThat(codeOf(e)).isEqualTo(ResultCode.SESSION_EXPIRED))
                .hasMessage("the session ended on gateway a: it was signed out; sign in again");
    }

    @Test
    void twoGatewaysRacingForOneSessionLeaveExactlyOneHolder() throws Exception {
        Gateway a = gateway("a", GatewayKind.REMOTE_ACCESS, "corp", true);
        Gateway b = gateway("b", GatewayKind.REMOTE_ACCESS, "corp", true);
        Gateway c = gateway("c", GatewayKind.REMOTE_ACCESS, "corp", true);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 100; round++) {
                TestAgent alice = new TestAgent();
        String id = alice.signIn(a, "alice", "secret");
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (Gateway g : List.of(b, c)) {
                    Callable<Boolean> race = () -> {
                        start.await();
                        try {
                            alice.connect(g);
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
