package dev.baton.store.ldap;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * Who purges: among the nodes of one purge task whose heartbeat is live, the one with the lowest priority
 * index (ties broken by node name, so two nodes never both think they lead). A node always counts itself as
 * live: it is deciding, so it is running.
 *
 * <p>A heartbeat is live while it is younger than the liveness window ({@code livenessIntervals} polling
 * intervals). Heartbeats carry the writer's clock, so node clocks must agree to well within that window.
 */
final class PurgeElection {
    /** One node's heartbeat as read from the directory. */
    record Heartbeat(String node, int priority, Instant time) {
    }

    private static final Comparator<Heartbeat> RANK =
            Comparator.comparingInt(Heartbeat::priority).thenComparing(Heartbeat::node);

    private PurgeElection() {
    }

    /** The node that should purge now. */
    static String leader(String self, int selfPriority, Collection<Heartbeat> peers, Instant now, Duration window) {
        Instant oldestLive = now.minus(window);
        Optional<Heartbeat> best = peers.stream()
                .filter(h -> !h.node().equals(self))
                .filter(h -> h.time().isAfter(oldestLive))
                .min(RANK);
        Heartbeat me = new Heartbeat(self, selfPriority, now);
        return best.filter(b -> RANK.compare(b, me) < 0).map(Heartbeat::node).orElse(self);
    }
}
