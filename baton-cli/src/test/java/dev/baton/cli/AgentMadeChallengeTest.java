package dev.baton.cli;

import dev.baton.agent.Agent;
import dev.baton.agent.AgentTls;
import dev.baton.agent.HttpGatewayEndpoint;
import dev.baton.core.AccessPolicy;
import dev.baton.core.AuthServerKind;
import dev.baton.core.GatewayKind;
import dev.baton.core.Realm;
import dev.baton.core.Role;
import dev.baton.core.api.AccessResult;
import dev.baton.core.api.Challenge;
import dev.baton.core.api.ConnectRequest;
import dev.baton.core.api.GatewayEndpoint;
import dev.baton.core.api.SessionProof;
import dev.baton.core.api.SignInRequest;
import dev.baton.core.api.SignInResult;
import dev.baton.gateway.Gateway;
import dev.baton.gateway.GatewayConfig;
import dev.baton.gateway.InMemoryFederation;
import dev.baton.gateway.LocalAccounts;
import dev.baton.gateway.RealmBinding;
import dev.baton.gateway.http.GatewayServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent makes its own challenge for a gateway it has met, so a migration is one request; when that
 * gateway refuses it (another gateway answers, or the clocks disagree), the agent asks for a challenge.
 */
class AgentMadeChallengeTest {
    private final InMemoryFederation federation = new InMemoryFederation(Runnable::run);
    /** The gateways' and the agents' clock: system time, moved on by a test past the gateways' start guard. */
    private final java.util.concurrent.atomic.AtomicReference<Duration> ahead = new java.util.concurrent.atomic.AtomicReference<>(Duration.ZERO);
    private final InstantSource clock = () -> Clock.systemUTC().instant().plus(ahead.get());

    /** Moves the clock past the time after a gateway's start in which it refuses agent-made challenges. */
    private void pastStartGuard() {
        ahead.set(Duration.ofSeconds(31));
    }
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private Gateway gateway(String name) {
        LocalAccounts accounts = new LocalAccounts(1024, 1).add("alice", "pw".toCharArray(), Map.of());
        Gateway g = new Gateway(new GatewayConfig(name, GatewayKind.REMOTE_ACCESS, true,
                List.of(new RealmBinding(Realm.simple("users", AuthServerKind.LOCAL, "corp", "staff"), accounts)),
                new AccessPolicy(List.of(Role.plain("staff")), List.of())), federation, clock);
        open.add(g);
        return g;
    }

    @Test
    void aMetGatewayIsReachedWithoutAChallengeRoundTrip() {
        Counting a = new Counting(gateway("a"));
        Counting b = new Counting(gateway("b"));
        pastStartGuard();
        Agent agent = new Agent(null, Map.of(), clock);
        agent.signIn(a, "users", "alice", "pw");

        assertThat(agent.connect(b).outcome()).isEqualTo("migrated");
        assertThat(b.challenges.get()).as("first visit: b's name is not known yet").isEqualTo(1);
        for (int i = 0; i < 5; i++) {
            assertThat(agent.connect(a).outcome()).isEqualTo("migrated");
            assertThat(agent.connect(b).outcome()).isEqualTo("migrated");
        }
        assertThat(a.challenges.get()).isZero();
        assertThat(b.challenges.get()).isEqualTo(1);
        assertThat(a.connects.get() + b.connects.get()).isEqualTo(11);
    }

    @Test
    void anAgentWhoseClockIsOffFallsBackToTheGatewaysChallengeOverHttp() {
        GatewayServer a = new GatewayServer(gateway("a"), new InetSocketAddress("127.0.0.1", 0), null, null);
        GatewayServer b = new GatewayServer(gateway("b"), new InetSocketAddress("127.0.0.1", 0), null, null);
        open.add(a);
        open.add(b);
        Counting atA = new Counting(endpoint(a));
        Counting atB = new Counting(endpoint(b));
        pastStartGuard();
        InstantSource tenMinutesSlow = () -> clock.instant().minus(Duration.ofMinutes(10));
        Agent agent = new Agent(null, Map.of(), tenMinutesSlow);
        agent.signIn(atA, "users", "alice", "pw");
        for (int i = 0; i < 3; i++) {
            assertThat(agent.connect(atB).outcome()).isEqualTo("migrated");
            assertThat(agent.connect(atA).outcome()).isEqualTo("migrated");
        }
        // Every connection asked for a challenge; the agent-made ones after the first visit were refused as stale.
        assertThat(atA.challenges.get() + atB.challenges.get()).isEqualTo(6);
        assertThat(atA.connects.get() + atB.connects.get()).isEqualTo(6 + 5);
    }

    @Test
    void behindOneAddressAnotherGatewayAnsweringRefusesTheChallengeMadeForTheFirstAndTheAgentRecovers() {
        Gateway a = gateway("a");
        Gateway b = gateway("b");
        Counting balancer = new Counting(a); // one address in front of whichever gateway it sends to
        pastStartGuard();
        Agent agent = new Agent(null, Map.of(), clock);
        agent.signIn(balancer, "users", "alice", "pw");
        balancer.target = b; // a failed; the balancer sends the agent to b
        AccessResult moved = agent.connect(balancer);
        assertThat(moved.gateway()).isEqualTo("b");
        assertThat(moved.outcome()).isEqualTo("migrated");
        assertThat(balancer.challenges.get()).isEqualTo(1);
    }

    @Test
    void aRestartedGatewayRefusesAgentMadeChallengesDatedBeforeItStartedSoNoProofIsReplayedAcrossIt() {
        Gateway before = gateway("a");
        pastStartGuard();
        Agent agent = new Agent(null, Map.of(), clock);
        agent.signIn(before, "users", "alice", "pw");
        String own = dev.baton.core.ProofOfPossession.agentChallenge("a", clock.instant());
        // The same gateway restarted: its memory of used nonces is gone, but a proof dated before it started is refused.
        Gateway after = gateway("a");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> after.connect(new ConnectRequest(agent.state().sessionId(),
                Map.of(), own, "signature-not-even-checked"))).isInstanceOfSatisfying(dev.baton.core.BatonException.class,
                e -> {
                    assertThat(e.code()).isEqualTo(dev.baton.core.ResultCode.STALE_CHALLENGE);
                    assertThat(e.getMessage()).contains("before this gateway started");
                });
    }

    private static HttpGatewayEndpoint endpoint(GatewayServer server) {
        return new HttpGatewayEndpoint(URI.create("http://127.0.0.1:" + server.port()), AgentTls.trustAll(), Duration.ofSeconds(10));
    }

    /** Counts challenge and connect requests on their way to a gateway, which a test may switch. */
    private static final class Counting implements GatewayEndpoint {
        final AtomicInteger challenges = new AtomicInteger();
        final AtomicInteger connects = new AtomicInteger();
        GatewayEndpoint target;

        Counting(GatewayEndpoint target) {
            this.target = target;
        }

        @Override
        public String name() {
            return target.name();
        }

        @Override
        public SignInResult signIn(SignInRequest request) {
            return target.signIn(request);
        }

        @Override
        public Challenge challenge() {
            challenges.incrementAndGet();
            return target.challenge();
        }

        @Override
        public AccessResult connect(ConnectRequest request) {
            connects.incrementAndGet();
            return target.connect(request);
        }

        @Override
        public AccessResult access(SessionProof proof) {
            return target.access(proof);
        }

        @Override
        public AccessResult heartbeat(SessionProof proof, Map<String, String> posture) {
            return target.heartbeat(proof, posture);
        }

        @Override
        public void signOut(SessionProof proof) {
            target.signOut(proof);
        }
    }
}
