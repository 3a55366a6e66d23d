package dev.baton.cli;

import dev.baton.agent.Agent;
import dev.baton.agent.AgentTls;
import dev.baton.agent.HttpGatewayEndpoint;
import dev.baton.core.AccessPolicy;
import dev.baton.core.AuthServerKind;
import dev.baton.core.GatewayKind;
import dev.baton.core.Realm;
import dev.baton.core.Role;
import dev.baton.core.SessionId;
import dev.baton.core.SessionIdHash;
import dev.baton.gateway.GatewayConfig;
import dev.baton.gateway.LocalAccounts;
import dev.baton.gateway.RealmBinding;
import dev.baton.gateway.config.GatewaySettings;
import dev.baton.ifmap.server.BasicAuthUsers;
import dev.baton.ifmap.server.IfmapServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Regression: sessions moved back and forth between two gateways faster than ownership notifications
 * arrive were deleted from the federation (the losing gateway withdrew after it had taken the session back).
 */
class RapidMigrationTest {
    @TempDir
    Path dir;

    @Test
    void sessionsMovedBackAndForthWithoutPauseAreNeverLostAndEndWithOneHolder() throws Exception {
        IfmapServer federation = IfmapServer.builder().listen("127.0.0.1", 0)
                .users(BasicAuthUsers.of(Map.of("gw-a", "pa", "gw-b", "pb"))).gateways(java.util.List.of("gw-a", "gw-b")).dataDirectory(dir.resolve("f")).build().start();
        try (GatewayNode a = node("gw-a", "pa", federation); GatewayNode b = node("gw-b", "pb", federation)) {
            HttpGatewayEndpoint atA = new HttpGatewayEndpoint(a.url(), AgentTls.trustAll(), Duration.ofSeconds(20));
            HttpGatewayEndpoint atB = new HttpGatewayEndpoint(b.url(), AgentTls.trustAll(), Duration.ofSeconds(20));
            List<Agent> agents = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Agent agent = new Agent(null, Map.of());
                agent.signIn(atA, "users", "alice", "pw");
                agents.add(agent);
            }
            try (ExecutorService pool = Executors.newFixedThreadPool(agents.size())) {
                List<Future<?>> runs = new ArrayList<>();
                for (Agent agent : agents) {
                    runs.add(pool.submit(() -> {
                        for (int round = 0; round < 30; round++) {
                            agent.connect(round % 2 == 0 ? atB : atA); // throws if the session was lost
                        }
                        return null;
                    }));
                }
                for (Future<?> f : runs) {
                    f.get();
                }
            }
            for (Agent agent : agents) {
                SessionIdHash hash = SessionId.hashOf(agent.state().sessionId());
                assertThat(agent.lastGateway()).contains("gw-a");
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    assertThat(a.gateway().session(hash)).isPresent();
                    assertThat(b.gateway().session(hash)).isEmpty();
                });
                assertThat(agent.access(atA).gateway()).isEqualTo("gw-a");
            }
        } finally {
            federation.stop();
        }
    }

    private GatewayNode node(String name, String password, IfmapServer federation) {
        LocalAccounts accounts = new LocalAccounts(1024, 1).add("alice", "pw".toCharArray(), Map.of());
        GatewayConfig config = new GatewayConfig(name, GatewayKind.REMOTE_ACCESS, true,
                List.of(new RealmBinding(Realm.simple("users", AuthServerKind.LOCAL, "corp", "staff"), accounts)),
                new AccessPolicy(List.of(Role.plain("staff")), List.of()));
        return GatewayNode.start(new GatewaySettings(config, new InetSocketAddress("127.0.0.1", 0), Optional.empty(),
                new GatewaySettings.Federation(federation.url(), name, password, true, Optional.empty(),
                        dev.baton.ifmap.FederationClientConfig.DEFAULT_POLL_COALESCE),
                new GatewaySettings.Storage("memory", "", "", "")), dir.resolve(name), Clock.systemUTC());
    }
}
