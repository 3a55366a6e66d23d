package dev.baton.it;

import dev.baton.agent.Agent;
import dev.baton.agent.HttpGatewayEndpoint;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.SessionId;
import dev.baton.core.SessionIdHash;
import dev.baton.core.api.AccessResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * F9 with real processes: a migrated session keeps its original start time, and the receiving gateway ends it
 * at that start plus <em>its own</em> maximum session length: not at the migration time plus it, and not at
 * the first gateway's maximum. Both gateways read one simulated clock (an offset file this test rewrites), so
 * hours pass at once; the federation server keeps the real time.
 */
class MigratedSessionMaximumLengthIT {
    static final Duration A_MAX = Duration.ofHours(8);
    static final Duration B_MAX = Duration.ofHours(3);
    /** Idle and heartbeat timeouts longer than B's maximum, so that only the maximum length can end the session at B. */
    static final Duration INACTIVITY = Duration.ofHours(6);

    @TempDir
    Path dir;

    static ResultCode code(Throwable t) {
        return ((BatonException) t).code();
    }

    @Test
    void theReceivingGatewayEndsTheSessionAtTheOriginalStartPlusItsOwnMaximumLength() {
        SimulatedClock clock = new SimulatedClock(dir.resolve("simulated-clock-offset"));
        try (Cluster cluster = new Cluster(dir).startFederation("gateway-a", "gateway-b")) {
            BatonProcess a = cluster.startGateway("gateway-a", "remote-access", "corp", staff(A_MAX), clock);
            BatonProcess b = cluster.startGateway("gateway-b", "policy", "corp", staff(B_MAX), clock);
            assertThat(a.output()).contains("SIMULATED CLOCK, FOR TESTS ONLY, NEVER IN PRODUCTION");
            assertThat(b.output()).contains("SIMULATED CLOCK, FOR TESTS ONLY, NEVER IN PRODUCTION");
            HttpGatewayEndpoint gatewayA = cluster.endpoint("gateway-a");
            HttpGatewayEndpoint gatewayB = cluster.endpoint("gateway-b");
            Agent agent = new Agent(dir.resolve("agent.state"), Map.of());

            // 08:00, say: alice signs in at gateway-a. Its session would end at its idle timeout (6 h), before A's 8 h maximum.
            AccessResult signedIn = agent.signIn(gatewayA, "users", "alice", Cluster.PASSWORD);
            Instant start = signedIn.startTime();
            SessionIdHash hash = SessionId.hashOf(agent.state().sessionId());
            assertThat(signedIn.gateway()).isEqualTo("gateway-a");
            assertThat(signedIn.deadline()).isEqualTo(start.plus(INACTIVITY));

            // 09:00: one hour later she is still working at gateway-a, which reads the moved clock too.
            clock.moveTo(start.plus(Duration.ofHours(1)));
            Instant before = clock.now();
            AccessResult stillAtA = agent.access(gatewayA);
            Instant after = clock.now();
            assertThat(stillAtA.outcome()).isEqualTo("active");
            assertThat(stillAtA.deadline()).as("gateway-a's idle timeout counts from this request, an hour after sign-in")
                    .isBetween(before.plus(INACTIVITY), after.plus(INACTIVITY));

            // Then her agent connects to gateway-b: the session migrates, keeps its start, and B's 3 h count from that start.
            AccessResult migrated = agent.connect(gatewayB);
            assertThat(migrated.outcome()).isEqualTo("migrated");
            assertThat(migrated.gateway()).isEqualTo("gateway-b");
            assertThat(migrated.startTime()).isEqualTo(start);
            assertThat(migrated.deadline()).as("B's maximum from the original start (not from the migration: start + 4 h; not A's: start + 8 h)")
                    .isEqualTo(start.plus(B_MAX));
            await("gateway-a drops its copy").atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThatThrownBy(() -> agent.access(gatewayA)).satisfies(e -> assertThat(code(e)).isEqualTo(ResultCode.UNKNOWN_SESSION)));

            // 10:59, a minute before start + 3 h: gateway-b still serves her, requests and heartbeats alike.
            clock.moveTo(start.plus(B_MAX).minus(Duration.ofMinutes(1)));
            AccessResult lastMinute = agent.access(gatewayB);
            assertThat(lastMinute.outcome()).isEqualTo("active");
            assertThat(lastMinute.deadline()).isEqualTo(start.plus(B_MAX));
            assertThat(agent.heartbeat(gatewayB).outcome()).isEqualTo("active");

            // 11:00 and a second: start + 3 h has passed. gateway-b refuses the session, although it migrated only two
            // hours ago and had a heartbeat and a request a minute ago. The session ended at its deadline; gateway-b
            // says so, naming the maximum length (SESSION_EXPIRED, HTTP 410), and its event log tells the end.
            clock.moveTo(start.plus(B_MAX).plusSeconds(1));
            assertThatThrownBy(() -> agent.heartbeat(gatewayB))
                    .satisfies(e -> assertThat(code(e)).isEqualTo(ResultCode.SESSION_EXPIRED))
                    .hasMessageContaining("the session ended on gateway gateway-b: it reached its maximum length (max-session-length");
            assertThatThrownBy(() -> agent.access(gatewayB))
                    .satisfies(e -> assertThat(code(e)).isEqualTo(ResultCode.SESSION_EXPIRED));
            assertThat(b.output()).contains("session end: session " + hash.abbreviated() + " of alice on gateway-b: ");

            // It is over in the whole federation: gateway-a, whose own 8 h would still allow it, cannot take it back either.
            assertThatThrownBy(() -> agent.connect(gatewayA))
                    .satisfies(e -> assertThat(code(e)).isEqualTo(ResultCode.UNKNOWN_SESSION))
                    .hasMessageContaining("no gateway of the federation holds this session");

            // She signs in again, with her password, and gets a new session that starts now.
            Instant signInAgain = clock.now();
            AccessResult again = agent.signIn(gatewayB, "users", "alice", Cluster.PASSWORD);
            assertThat(again.outcome()).isEqualTo("signed-in");
            assertThat(again.startTime()).isAfterOrEqualTo(signInAgain.minusSeconds(1)).isBefore(signInAgain.plusSeconds(60));
            assertThat(again.deadline()).isEqualTo(again.startTime().plus(B_MAX));
        }
    }

    static String staff(Duration maxSessionLength) {
        return "{ max-session-length: %s, idle-timeout: %s, heartbeat-timeout: %s }".formatted(maxSessionLength, INACTIVITY, INACTIVITY);
    }
}
