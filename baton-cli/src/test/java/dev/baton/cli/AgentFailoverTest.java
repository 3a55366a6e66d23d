package dev.baton.cli;

import dev.baton.agent.Agent;
import dev.baton.core.AccessPolicy;
import dev.baton.core.AuthServerKind;
import dev.baton.core.BatonException;
import dev.baton.core.GatewayKind;
import dev.baton.core.Realm;
import dev.baton.core.ResultCode;
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
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The agent's keep-alive follows a balancer that moved it to another gateway (F11), in one process. */
class AgentFailoverTest {
    final InMemoryFederation federation = new InMemoryFederation(Runnable::run);

    Gateway gateway(String name) {
        LocalAccounts accounts = new LocalAccounts(1024, 1).add("alice", "pw".toCharArray(), Map.of());
        return new Gateway(new GatewayConfig(name, GatewayKind.REMOTE_ACCESS, true,
                List.of(new RealmBinding(Realm.simple("users", AuthServerKind.LOCAL, "corp", "staff"), accounts)),
                new AccessPolicy(List.of(Role.plain("staff")), List.of())), federation, Clock.systemUTC());
    }

    /** Stands in for a balancer: forwards to whichever gateway is current, or fails as unreachable. */
    static final class Balancer implements GatewayEndpoint {
        final AtomicReference<GatewayEndpoint> current = new AtomicReference<>();

        GatewayEndpoint target() {
            GatewayEndpoint g = current.get();
            if (g == null) {
                throw new BatonException(ResultCode.UNAVAILABLE, "no backend");
            }
            return g;
        }

        public String name() { return target().name(); }
        public SignInResult signIn(SignInRequest r) { return target().signIn(r); }
        public Challenge challenge() { return target().challenge(); }
        public AccessResult connect(ConnectRequest r) { return target().connect(r); }
        public AccessResult access(SessionProof p) { return target().access(p); }
        public AccessResult heartbeat(SessionProof p, Map<String, String> posture) { return target().heartbeat(p, posture); }
        public void signOut(SessionProof p) { target().signOut(p); }
    }

    @Test
    void keepAliveMigratesToTheGatewayTheBalancerNowSendsItTo() {
        Gateway one = gateway("gateway-1");
        Gateway two = gateway("gateway-2");
        Balancer lb = new Balancer();
        lb.current.set(one);
        Agent agent = new Agent(null, Map.of());
        agent.signIn(lb, "users", "alice", "pw");
        assertThat(agent.keepAlive(lb, 3, Duration.ZERO).outcome()).isEqualTo("active");

        lb.current.set(two); // gateway-1 died; the balancer moved the agent
        AccessResult after = agent.keepAlive(lb, 3, Duration.ZERO);

        assertThat(after.outcome()).isEqualTo("migrated");
        assertThat(after.gateway()).isEqualTo("gateway-2");
        assertThat(agent.lastGateway()).contains("gateway-2");
        assertThat(one.sessionCount()).isZero();
    }

    @Test
    void keepAliveGivesUpWithTheReasonWhenNoGatewayAnswers() {
        Gateway one = gateway("gateway-1");
        Balancer lb = new Balancer();
        lb.current.set(one);
        Agent agent = new Agent(null, Map.of());
        agent.signIn(lb, "users", "alice", "pw");
        lb.current.set(null);
        assertThatThrownBy(() -> agent.keepAlive(lb, 2, Duration.ZERO)).isInstanceOf(BatonException.class).hasMessageContaining("no backend");
    }
}
