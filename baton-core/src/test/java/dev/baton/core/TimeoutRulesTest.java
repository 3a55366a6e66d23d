package dev.baton.core;

import dev.baton.testing.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Set;

import static dev.baton.core.TimeoutRules.Verdict.ALIVE;
import static dev.baton.core.TimeoutRules.Verdict.HEARTBEAT;
import static dev.baton.core.TimeoutRules.Verdict.IDLE;
import static dev.baton.core.TimeoutRules.Verdict.MAX_LENGTH;
import static org.assertj.core.api.Assertions.assertThat;

class TimeoutRulesTest {
    static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");
    static final SessionOptions OPTIONS = new SessionOptions(Duration.ofHours(8), Duration.ofMinutes(30), Duration.ofMinutes(10), false);

    @Test
    void migratedSessionKeepsItsOriginalStartAndTheReceivingRolesMaximumLength() {
        Session s = Sessions.of("alice", AuthServerKind.LOCAL, "corp", T0);
        Session migrated = s.migratedTo("gw-b", "staff-realm", Set.of("staff"), false, T0.plus(Duration.ofHours(7)));
        SessionOptions receiving = new SessionOptions(Duration.ofHours(10), Duration.ofHours(1), Duration.ofHours(1), false);

        assertThat(migrated.startTime()).isEqualTo(T0);
        assertThat(TimeoutRules.maxLengthDeadline(migrated, receiving)).isEqualTo(T0.plus(Duration.ofHours(10)));
        Session active = migrated.touchedAt(T0.plus(Duration.ofMinutes(9 * 60 + 30)));
        assertThat(TimeoutRules.verdictAt(active, receiving, GatewayKind.REMOTE_ACCESS, T0.plus(Duration.ofMinutes(9 * 60 + 59)))).isEqualTo(ALIVE);
        assertThat(TimeoutRules.verdictAt(migrated.touchedAt(T0.plus(Duration.ofMinutes(9 * 60 + 59))), receiving,
                GatewayKind.REMOTE_ACCESS, T0.plus(Duration.ofHours(10)))).isEqualTo(MAX_LENGTH);
    }

    @Test
    void remoteAccessGatewayEndsASessionAtTheIdleTimeoutNotTheHeartbeat() {
        Session s = Sessions.of("alice", AuthServerKind.LOCAL, "corp", T0);
        assertThat(TimeoutRules.verdictAt(s, OPTIONS, GatewayKind.REMOTE_ACCESS, T0.plus(Duration.ofMinutes(29)))).isEqualTo(ALIVE);
        assertThat(TimeoutRules.verdictAt(s, OPTIONS, GatewayKind.REMOTE_ACCESS, T0.plus(Duration.ofMinutes(30)))).isEqualTo(IDLE);
        assertThat(TimeoutRules.deadline(s, OPTIONS, GatewayKind.REMOTE_ACCESS)).isEqualTo(T0.plus(Duration.ofMinutes(30)));
    }

    @Test
    void policyGatewayEndsASessionAtTheHeartbeatTimeout() {
        Session s = Sessions.of("alice", AuthServerKind.LOCAL, "corp", T0);
        assertThat(TimeoutRules.verdictAt(s, OPTIONS, GatewayKind.POLICY, T0.plus(Duration.ofMinutes(9)))).isEqualTo(ALIVE);
        assertThat(TimeoutRules.verdictAt(s, OPTIONS, GatewayKind.POLICY, T0.plus(Duration.ofMinutes(10)))).isEqualTo(HEARTBEAT);
        Session beating = s.heartbeatAt(T0.plus(Duration.ofMinutes(9)));
        assertThat(TimeoutRules.verdictAt(beating, OPTIONS, GatewayKind.POLICY, T0.plus(Duration.ofMinutes(18)))).isEqualTo(ALIVE);
    }

    @Test
    void heartbeatsDoNotCountAsUserActivity() {
        Session s = Sessions.of("alice", AuthServerKind.LOCAL, "corp", T0).heartbeatAt(T0.plus(Duration.ofMinutes(25)));
        assertThat(s.lastActivity()).isEqualTo(T0);
        assertThat(TimeoutRules.verdictAt(s, OPTIONS, GatewayKind.REMOTE_ACCESS, T0.plus(Duration.ofMinutes(30)))).isEqualTo(IDLE);
    }

    @Test
    void rebootedEndpointResumesWithinTheWindowAndNotAfter() {
        Session s = Sessions.of("alice", AuthServerKind.LOCAL, "corp", T0);
        ManualClock clock = new ManualClock(T0);
        clock.advance(Duration.ofMinutes(9));
        assertThat(TimeoutRules.mayResume(s, OPTIONS, GatewayKind.POLICY, clock)).isTrue();
        assertThat(TimeoutRules.mayResume(s, OPTIONS, GatewayKind.REMOTE_ACCESS, clock)).isTrue();
        clock.advance(Duration.ofMinutes(1));
        assertThat(TimeoutRules.mayResume(s, OPTIONS, GatewayKind.POLICY, clock)).isFalse();
        assertThat(TimeoutRules.mayResume(s, OPTIONS, GatewayKind.REMOTE_ACCESS, clock)).isTrue();
        clock.advance(Duration.ofMinutes(20));
        assertThat(TimeoutRules.mayResume(s, OPTIONS, GatewayKind.REMOTE_ACCESS, clock)).isFalse();
    }

    @Test
    void activityNeverMovesLastActivityBackwards() {
        Session s = Sessions.of("alice", AuthServerKind.LOCAL, "corp", T0).touchedAt(T0.plus(Duration.ofMinutes(5)));
        assertThat(s.touchedAt(T0.plus(Duration.ofMinutes(1))).lastActivity()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
    }

    @Test
    void mergedOptionsTakeTheMostPermissiveValues() {
        SessionOptions a = new SessionOptions(Duration.ofHours(1), Duration.ofMinutes(50), Duration.ofMinutes(5), false);
        SessionOptions b = new SessionOptions(Duration.ofHours(4), Duration.ofMinutes(10), Duration.ofMinutes(15), true);
        assertThat(SessionOptions.merge(java.util.List.of(a, b)))
                .isEqualTo(new SessionOptions(Duration.ofHours(4), Duration.ofMinutes(50), Duration.ofMinutes(15), false));
        assertThat(SessionOptions.merge(java.util.List.of())).isEqualTo(SessionOptions.DEFAULTS);
    }
}
