package dev.baton.it;

import dev.baton.agent.Agent;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.SessionId;
import dev.baton.core.SessionIdHash;
import dev.baton.core.api.AccessResult;
import dev.baton.ifmap.FederatedSession;
import dev.baton.ifmap.FederationClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * F8 with real processes: two gateways whose role {@code staff} requires the Host Checker policy
 * {@code antivirus} (antivirus running, signatures from 2026.11 on) and whose realm falls back to the limited
 * role {@code remediation}, configured in YAML as an operator would. The agent reports the endpoint's posture
 * at sign-in, with each heartbeat and when it connects to another gateway; the gateways decide the role from it
 * and publish it to the federation server.
 */
class HostCheckerRemediationIT {
    static final Map<String, String> ANTIVIRUS_STOPPED = Map.of("antivirus", "stopped", "av.signatures", "2026.11.20");
    static final Map<String, String> HEALTHY = Map.of("antivirus", "running", "av.signatures", "2026.11.20");
    static final Map<String, String> SIGNATURES_OUTDATED = Map.of("antivirus", "running", "av.signatures", "2025.01.07");

    /** Both gateways' policy, roles and realm, after {@link Cluster#gatewayBasics}. */
    static final String HOST_CHECKING = """
            host-checker:
              antivirus: ["antivirus=running", "av.signatures>=2026.11"]
            roles:
              staff: { max-session-length: 8h, idle-timeout: 30m, heartbeat-timeout: 20m, host-checker: [antivirus] }
              remediation: { remediation: true, heartbeat-timeout: 12h }
            realms:
              - name: users
                auth-group: corp
                auth-server: { kind: local, accounts: [ %s ] }
                role-mapping:
                  - { when: ["username=*"], roles: [staff] }
                remediation-role: remediation
            """.formatted(Cluster.aliceAccount());

    @TempDir
    Path dir;

    @Test
    void aFailingPostureGetsTheRemediationRoleUntilAHeartbeatReportsItFixedAndAgainAfterMigratingWithAFailingPosture() {
        try (Cluster cluster = new Cluster(dir).startFederation("gateway-a", "gateway-b", "observer")) {
            cluster.startGateway("gateway-a", cluster.gatewayBasics("gateway-a", "remote-access") + HOST_CHECKING);
            cluster.startGateway("gateway-b", cluster.gatewayBasics("gateway-b", "policy") + HOST_CHECKING);
            try (FederationClient federation = cluster.federationClient("observer")) {
                Path state = dir.resolve("agent.state");

                // alice signs in at gateway-a while her antivirus is stopped: the remediation role only.
                Agent stopped = new Agent(state, ANTIVIRUS_STOPPED);
                AccessResult signedIn = stopped.signIn(cluster.endpoint("gateway-a"), "users", "alice", Cluster.PASSWORD);
                assertRemediationOnly(signedIn, "gateway-a");
                assertRemediationOnly(stopped.access(cluster.endpoint("gateway-a")), "gateway-a");
                SessionIdHash hash = SessionId.hashOf(stopped.state().sessionId());
                FederatedSession published = federation.lookup(hash).orElseThrow();
                assertThat(published.roles()).containsExactly("remediation");
                assertThat(published.remediation()).isTrue();
                assertThat(published.capabilities()).isEmpty();

                // She starts the antivirus; the agent's next heartbeat reports it, and she gets the full role.
                Agent fixed = new Agent(state, HEALTHY);
                AccessResult healed = fixed.keepAlive(cluster.endpoint("gateway-a"), 1, Duration.ZERO);
                assertThat(healed.outcome()).as("a heartbeat, not a reconnection").isEqualTo("active");
                assertFullRole(healed, "gateway-a");
                assertFullRole(fixed.access(cluster.endpoint("gateway-a")), "gateway-a");
                published = federation.lookup(hash).orElseThrow();
                assertThat(published.roles()).containsExactly("staff");
                assertThat(published.remediation()).isFalse();
                assertThat(published.capabilities()).containsExactly("antivirus");

                // Later her signatures are out of date when the agent connects to gateway-b: the session migrates
                // without credentials, but gateway-b's Host Checker gives it the remediation role only.
                Agent outdated = new Agent(state, SIGNATURES_OUTDATED);
                AccessResult migrated = outdated.connect(cluster.endpoint("gateway-b"));
                assertThat(migrated.outcome()).isEqualTo("migrated");
                assertThat(migrated.startTime()).isEqualTo(signedIn.startTime());
                assertRemediationOnly(migrated, "gateway-b");
                assertRemediationOnly(outdated.access(cluster.endpoint("gateway-b")), "gateway-b");
                published = federation.lookup(hash).orElseThrow();
                assertThat(published.owner()).isEqualTo("gateway-b");
                assertThat(published.roles()).containsExactly("remediation");
                assertThat(published.capabilities()).isEmpty();
                Awaitility.await("gateway-a drops its copy").atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                        assertThatThrownBy(() -> outdated.access(cluster.endpoint("gateway-a")))
                                .satisfies(e -> assertThat(((BatonException) e).code()).isEqualTo(ResultCode.UNKNOWN_SESSION)));

                // Updated signatures, reported on the next heartbeat, restore the full role at gateway-b too.
                Agent signaturesUpdated = new Agent(state, HEALTHY);
                AccessResult updated = signaturesUpdated.keepAlive(cluster.endpoint("gateway-b"), 1, Duration.ZERO);
                assertThat(updated.outcome()).isEqualTo("active");
                assertFullRole(updated, "gateway-b");
            }
        }
    }

    private static void assertRemediationOnly(AccessResult access, String gateway) {
        assertThat(access.gateway()).isEqualTo(gateway);
        assertThat(access.roles()).as("roles at %s", gateway).containsExactly("remediation");
        assertThat(access.remediation()).isTrue();
    }

    private static void assertFullRole(AccessResult access, String gateway) {
        assertThat(access.gateway()).isEqualTo(gateway);
        assertThat(access.roles()).as("roles at %s", gateway).containsExactly("staff");
        assertThat(access.remediation()).isFalse();
    }
}
