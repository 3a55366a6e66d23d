package dev.baton.it;

import dev.baton.agent.Agent;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.api.AccessResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The core story with real processes: a federation server and three gateways, each its own JVM; the agent
 * talks HTTPS to them.
 */
class MigrationAcrossProcessesIT {
    @TempDir
    Path dir;

    static ResultCode code(Throwable t) {
        return ((BatonException) t).code();
    }

    @Test
    void signInAtAMigrateToBAndOnlyBHoldsTheSession() {
        try (Cluster cluster = new Cluster(dir).startFederation("gateway-a", "gateway-b", "gateway-c")) {
            cluster.startGateway("gateway-a", "remote-access", "corp");
            cluster.startGateway("gateway-b", "policy", "corp");
            cluster.startGateway("gateway-c", "remote-access", "partners");
            Agent agent = new Agent(dir.resolve("agent.state"), Map.of());

            AccessResult signedIn = agent.signIn(cluster.endpoint("gateway-a"), "users", "alice", Cluster.PASSWORD);
            assertThat(signedIn.gateway()).isEqualTo("gateway-a");

            AccessResult migrated = agent.connect(cluster.endpoint("gateway-b"));
            assertThat(migrated.outcome()).isEqualTo("migrated");
            assertThat(migrated.gateway()).isEqualTo("gateway-b");
            assertThat(migrated.startTime()).isEqualTo(signedIn.startTime());

            org.awaitility.Awaitility.await("gateway-a drops its copy").atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThatThrownBy(() -> agent.access(cluster.endpoint("gateway-a")))
                            .satisfies(e -> assertThat(code(e)).isEqualTo(ResultCode.UNKNOWN_SESSION)));
            assertThat(agent.access(cluster.endpoint("gateway-b")).gateway()).isEqualTo("gateway-b");

            // A copy of the session id with a key of the thief's own gets nothing, at either gateway.
            Path stolen = dir.resolve("stolen.state");
            Agent thiefKeys = new Agent(dir.resolve("thief.state"), Map.of());
            thiefKeys.signIn(cluster.endpoint("gateway-a"), "users", "alice", Cluster.PASSWORD); // the thief's own key pair
            new dev.baton.agent.AgentState(agent.state().sessionId(), null, thiefKeys.state().publicKey(),
                    thiefKeys.state().privateKey()).save(stolen);
            Agent thief = new Agent(stolen, Map.of());
            for (String gateway : java.util.List.of("gateway-a", "gateway-b")) {
                assertThatThrownBy(() -> thief.connect(cluster.endpoint(gateway))).as(gateway)
                        .satisfies(e -> assertThat(code(e)).isEqualTo(ResultCode.AUTHENTICATION_FAILED));
            }
            assertThat(agent.access(cluster.endpoint("gateway-b")).gateway()).isEqualTo("gateway-b");

            assertThatThrownBy(() -> agent.connect(cluster.endpoint("gateway-c")))
                    .hasMessageContaining("no realm in authentication group corp")
                    .satisfies(e -> assertThat(code(e)).isEqualTo(ResultCode.MIGRATION_REFUSED));
        }
    }

    @Test
    void aGatewayRestartedFromItsStoreResumesTheSessionWithoutCredentials() {
        try (Cluster cluster = new Cluster(dir).startFederation("gateway-a")) {
            BatonProcess a = cluster.startGateway("gateway-a", "remote-access", "corp");
            Agent agent = new Agent(dir.resolve("agent.state"), Map.of());
            agent.signIn(cluster.endpoint("gateway-a"), "users", "alice", Cluster.PASSWORD);
            a.close();

            cluster.startGateway("gateway-a", "remote-access", "corp");
            Agent rebooted = new Agent(dir.resolve("agent.state"), Map.of()); // the endpoint rebooted too
            AccessResult resumed = rebooted.connect(cluster.endpoint("gateway-a"));
            assertThat(resumed.outcome()).isEqualTo("resumed");
        }
    }
}
