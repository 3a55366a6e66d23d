package dev.baton.core;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TimeoutRulesProperties {

    @Property
    void migratedSessionNeverOutlivesOriginalStartPlusMaximumLength(
            @ForAll @LongRange(min = 0, max = 4_000_000_000L) long startSecond,
            @ForAll @IntRange(min = 0, max = 200_000) int migrateAfterSeconds,
            @ForAll @IntRange(min = 0, max = 200_000) int touchedAfterMigrationSeconds,
            @ForAll @IntRange(min = 1, max = 100_000) int maxLengthSeconds,
            @ForAll @IntRange(min = 1, max = 100_000) int idleSeconds,
            @ForAll @IntRange(min = 1, max = 100_000) int heartbeatSeconds,
            @ForAll @IntRange(min = 0, max = 400_000) int probeSeconds,
            @ForAll boolean policyGateway) {
        Instant start = Instant.ofEpochSecond(startSecond);
        Instant migration = start.plusSeconds(migrateAfterSeconds);
        SessionOptions receiving = new SessionOptions(Duration.ofSeconds(maxLengthSeconds), Duration.ofSeconds(idleSeconds),
                Duration.ofSeconds(heartbeatSeconds), false);
        GatewayKind kind = policyGateway ? GatewayKind.POLICY : GatewayKind.REMOTE_ACCESS;

        Session migrated = Sessions.of("u", AuthServerKind.LDAP, "g", start)
                .migratedTo("gw-b", "r", Set.of("staff"), false, migration)
                .touchedAt(migration.plusSeconds(touchedAfterMigrationSeconds));
        Instant probe = start.plusSeconds(probeSeconds);

        assertThat(migrated.startTime()).isEqualTo(start);
        assertThat(TimeoutRules.deadline(migrated, receiving, kind)).isBeforeOrEqualTo(start.plus(receiving.maxSessionLength()));
        if (!probe.isBefore(start.plus(receiving.maxSessionLength()))) {
            assertThat(TimeoutRules.verdictAt(migrated, receiving, kind, probe)).isNotEqualTo(TimeoutRules.Verdict.ALIVE);
        }
    }

    @Property
    void aSessionIsAliveExactlyBeforeItsDeadline(
            @ForAll @IntRange(min = 1, max = 100_000) int maxLengthSeconds,
            @ForAll @IntRange(min = 1, max = 100_000) int idleSeconds,
            @ForAll @IntRange(min = 1, max = 100_000) int heartbeatSeconds,
            @ForAll @IntRange(min = 0, max = 300_000) int probeSeconds,
            @ForAll boolean policyGateway) {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        SessionOptions o = new SessionOptions(Duration.ofSeconds(maxLengthSeconds), Duration.ofSeconds(idleSeconds),
                Duration.ofSeconds(heartbeatSeconds), false);
        GatewayKind kind = policyGateway ? GatewayKind.POLICY : GatewayKind.REMOTE_ACCESS;
        Session s = Sessions.of("u", AuthServerKind.LOCAL, "g", start);
        Instant probe = start.plusSeconds(probeSeconds);
        boolean alive = TimeoutRules.verdictAt(s, o, kind, probe) == TimeoutRules.Verdict.ALIVE;
        assertThat(alive).isEqualTo(probe.isBefore(TimeoutRules.deadline(s, o, kind)));
    }
}
