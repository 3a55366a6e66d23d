package dev.baton.gateway;

import dev.baton.core.AccessPolicy;
import dev.baton.core.AuthGroup;
import dev.baton.core.AuthServerKind;
import dev.baton.core.BatonException;
import dev.baton.core.GatewayKind;
import dev.baton.core.HostCheckerPolicy;
import dev.baton.core.Realm;
import dev.baton.core.ResultCode;
import dev.baton.core.Role;
import dev.baton.core.RoleMappingRule;
import dev.baton.core.SessionOptions;
import dev.baton.core.api.AccessResult;
import dev.baton.core.api.SignInRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** F8 over a session's life: periodic posture, the Host Checker timeout and the remediation role. */
class HostCheckTest {
    static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");
    static final Map<String, String> HEALTHY = Map.of("antivirus", "running");
    static final Map<String, String> INFECTED = Map.of("antivirus", "stopped");

    final AtomicReference<Instant> now = new AtomicReference<>(T0);
    final InMemoryFederation federation = new InMemoryFederation(Runnable::run);

    Gateway gateway(String remediationRole) {
        SessionOptions staff = new SessionOptions(Duration.ofHours(8), Duration.ofHours(8), Duration.ofMinutes(20), false);
        SessionOptions limited = new SessionOptions(Duration.ofHours(24), Duration.ofHours(24), Duration.ofHours(12), true);
        AccessPolicy access = new AccessPolicy(List.of(new Role("staff", staff, List.of("antivirus")), new Role("remediation", limited, List.of())),
                List.of(new HostCheckerPolicy("antivirus", List.of(HostCheckerPolicy.Requirement.parse("antivirus=running")))));
        Realm realm = new Realm("users", AuthServerKind.LOCAL, new AuthGroup("corp"), List.of(RoleMappingRule.everyone("staff")),
                List.of(), Realm.AttributeMode.IMPORTED, false, remediationRole);
        LocalAccounts accounts = new LocalAccounts(1024, 1).add("alice", "pw".toCharArray(), Map.of());
        return new Gateway(new GatewayConfig("nac", GatewayKind.POLICY, true, List.of(new RealmBinding(realm, accounts)), access,
                Duration.ofMinutes(10)), federation, now::get);
    }

    /** The agent of the last sign-in of each gateway. */
    final Map<Gateway, TestAgent> agents = new java.util.HashMap<>();

    String signIn(Gateway g, Map<String, String> posture) {
        TestAgent agent = new TestAgent();
        agents.put(g, agent);
        return agent.signIn(g, "alice", "pw", posture);
    }

    AccessResult heartbeat(Gateway g, Map<String, String> posture) {
        return agents.get(g).heartbeat(g, posture);
    }

    AccessResult access(Gateway g) {
        return agents.get(g).access(g);
    }

    void at(Duration sinceStart) {
        now.set(T0.plus(sinceStart));
    }

    @Test
    void anEndpointAsleepPastTheHostCheckerTimeoutKeepsItsSessionInTheRemediationRole() {
        Gateway g = gateway("remediation");
        String id = signIn(g, HEALTHY);
        at(Duration.ofMinutes(9));
        assertThat(heartbeat(g, HEALTHY).roles()).containsExactly("staff");

        at(Duration.ofMinutes(9 + 11)); // asleep: no report for 11 minutes, heartbeat timeout of staff not reached
        AccessResult asleep = heartbeat(g, Map.of());
        assertThat(asleep.roles()).containsExactly("remediation");
        assertThat(asleep.remediation()).isTrue();

        at(Duration.ofHours(3)); // hibernated for hours: the remediation role's 12 h heartbeat timeout keeps it
        AccessResult awake = heartbeat(g, HEALTHY);
        assertThat(awake.roles()).containsExactly("staff");
        assertThat(awake.remediation()).isFalse();
        assertThat(federation.lookup(dev.baton.core.SessionId.hashOf(id)).orElseThrow().session().roles()).containsExactly("staff");
    }

    @Test
    void withoutARemediationRoleTheSessionEndsAtTheHostCheckerTimeout() {
        Gateway g = gateway(null);
        String id = signIn(g, HEALTHY);
        at(Duration.ofMinutes(11));
        assertThatThrownBy(() -> access(g)).isInstanceOf(BatonException.class)
                .hasMessageContaining("Host Checker timeout").extracting(e -> ((BatonException) e).code()).isEqualTo(ResultCode.HOST_CHECK_FAILED);
        assertThat(g.sessionCount()).isZero();
        assertThat(federation.size()).isZero();
    }

    @Test
    void aFailingPostureReportDemotesToRemediationOrEndsTheSession() {
        Gateway withRemediation = gateway("remediation");
        String id = signIn(withRemediation, HEALTHY);
        assertThat(heartbeat(withRemediation, INFECTED).roles()).containsExactly("remediation");

        Gateway without = gateway(null);
        String other = signIn(without, HEALTHY);
        assertThatThrownBy(() -> heartbeat(without, INFECTED)).hasMessageContaining("antivirus must be = running");
        assertThat(without.sessionCount()).isZero();
    }

    @Test
    void sessionsOfRealmsAndRolesWithoutHostCheckerPoliciesHaveNoHostCheckerTimeout() {
        Realm plain = Realm.simple("users", AuthServerKind.LOCAL, "corp", "staff");
        AccessPolicy access = new AccessPolicy(List.of(new Role("staff", new SessionOptions(Duration.ofHours(8), Duration.ofHours(8),
                Duration.ofHours(8), false), List.of())), List.of());
        Gateway g = new Gateway(new GatewayConfig("plain", GatewayKind.POLICY, true,
                List.of(new RealmBinding(plain, new LocalAccounts(1024, 1).add("alice", "pw".toCharArray(), Map.of()))), access,
                Duration.ofMinutes(10)), federation, now::get);
        String id = signIn(g, Map.of());
        at(Duration.ofHours(1));
        assertThat(access(g).roles()).containsExactly("staff");
    }

    @Test
    void aSessionThatTimedOutBeforeTheHostCheckerTimeoutIsNotRescued() {
        Gateway g = gateway("remediation");
        String id = signIn(g, HEALTHY);
        // staff's heartbeat timeout (20 min) would end it at 0:20; the Host Checker timeout is at 0:10, so it is
        // demoted first; a gateway whose Host Checker timeout is longer than the heartbeat timeout lets it end.
        Gateway slowChecker = new Gateway(new GatewayConfig("nac2", GatewayKind.POLICY, true, g.config().realms(), g.config().access(),
                Duration.ofHours(1)), federation, now::get);
        String id2 = signIn(slowChecker, HEALTHY);
        at(Duration.ofMinutes(30));
        assertThat(access(g).roles()).containsExactly("remediation");
        assertThatThrownBy(() -> access(slowChecker)).hasMessageContaining("the session ended on gateway nac2: its heartbeat timeout passed");
    }
}
