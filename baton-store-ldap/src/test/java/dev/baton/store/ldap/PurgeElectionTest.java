package dev.baton.store.ldap;

import dev.baton.store.ldap.PurgeElection.Heartbeat;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PurgeElectionTest {
    private static final Instant NOW = Instant.parse("2026-11-23T02:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(3);

    @Test
    void theLiveNodeWithTheLowestPriorityIndexPurges() {
        List<Heartbeat> peers = List.of(new Heartbeat("a", 1, NOW.minusSeconds(30)), new Heartbeat("c", 3, NOW));

        assertThat(PurgeElection.leader("b", 2, peers, NOW, WINDOW)).isEqualTo("a");
        assertThat(PurgeElection.leader("c", 3, peers, NOW, WINDOW)).isEqualTo("a");
    }

    @Test
    void aPeerWhoseHeartbeatIsOlderThanTheWindowDoesNotCount() {
        List<Heartbeat> peers = List.of(new Heartbeat("a", 1, NOW.minus(WINDOW)));

        assertThat(PurgeElection.leader("b", 2, peers, NOW, WINDOW)).isEqualTo("b");
        assertThat(PurgeElection.leader("b", 2, List.of(new Heartbeat("a", 1, NOW.minus(WINDOW).plusMillis(1))), NOW, WINDOW))
                .isEqualTo("a");
    }

    @Test
    void aNodeCountsItselfEvenBeforeItsOwnHeartbeatIsVisible() {
        assertThat(PurgeElection.leader("a", 1, List.of(), NOW, WINDOW)).isEqualTo("a");
        assertThat(PurgeElection.leader("a", 1, List.of(new Heartbeat("a", 1, Instant.EPOCH)), NOW, WINDOW)).isEqualTo("a");
    }

    @Test
    void equalPriorityIndexesAreDecidedByNodeNameSoExactlyOneLeads() {
        List<Heartbeat> both = List.of(new Heartbeat("x", 1, NOW), new Heartbeat("y", 1, NOW));

        assertThat(PurgeElection.leader("x", 1, both, NOW, WINDOW)).isEqualTo("x");
        assertThat(PurgeElection.leader("y", 1, both, NOW, WINDOW)).isEqualTo("x");
    }
}
