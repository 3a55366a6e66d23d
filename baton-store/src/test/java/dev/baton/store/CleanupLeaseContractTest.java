package dev.baton.store;

import dev.baton.core.AuthServerKind;
import dev.baton.core.Session;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.baton.store.TestSessions.session;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link CleanupLease} contract and the cleanup task on it (S3, S4), for backends that keep a lease in their
 * storage (SQL and memory; a directory has its own purge election, S5), on top of {@link SessionStoreContractTest}.
 */
public abstract class CleanupLeaseContractTest extends SessionStoreContractTest {
    /** The cleanup lease kept in {@code s}'s storage. */
    protected abstract CleanupLease leaseOf(SessionStore s);

    @Test
    void cleanupRunDeletesEveryRemovableSessionInBatchesAndCountsThem() {
        Instant now = clock.instant();
        for (int i = 0; i < 23; i++) {
            store.store(session("u" + i, "gw-a", now.minus(Duration.ofHours(2)), HOUR));
        }
        // expired 5 minutes ago: within the 10-minute offset, so kept
        StoredSession recent = session("r", "gw-a", now.minus(Duration.ofMinutes(65)), HOUR);
        StoredSession live = session("l", "gw-a", now, HOUR);
        store.store(recent);
        store.store(live);
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        CleanupTask task = new CleanupTask(store, leaseOf(store), CleanupSettings.DEFAULTS.withBatchSize(10), "gw-a", clock, metrics);
        assertThat(task.dryRunCount()).isEqualTo(23);
        List<Long> progress = new ArrayList<>();
        CleanupReport report = task.runOnce((batch, total, left) -> progress.add(left));
        assertThat(report.outcome()).isEqualTo(CleanupReport.Outcome.COMPLETED);
        assertThat(report.deleted()).isEqualTo(23);
        assertThat(report.batches()).isEqualTo(3);
        assertThat(progress).containsExactly(13L, 3L, 0L);
        assertThat(store.load(recent.session().hash())).isPresent();
        assertThat(store.load(live.session().hash())).isPresent();
        assertThat(metrics.counter("baton.store.cleanup.deleted").count()).isEqualTo(23);
        assertThat(metrics.counter("baton.store.cleanup.batches").count()).isEqualTo(3);
        assertThat(metrics.get("baton.store.cleanup.last.run").gauge().value()).isEqualTo(now.getEpochSecond());
        assertThat(metrics.get("baton.store.cleanup.backlog").gauge().value()).isZero();
        assertThat(metrics.timer("baton.store.cleanup.duration").count()).isEqualTo(1);
        CleanupTask.Status status = task.status();
        assertThat(status.lastReport()).contains(report);
        assertThat(status.lastRun()).contains(Instant.ofEpochSecond(now.getEpochSecond()));
        assertThat(status.leaseHolder()).as("released at the end of the run").isEmpty();
        assertThat(status.scheduled()).isFalse();
    }

    @Test
    void dryRunCountsWithoutDeleting() {
        store.store(session("a", "gw-a", clock.instant().minus(Duration.ofHours(2)), HOUR));
        CleanupTask task = new CleanupTask(store, leaseOf(store), CleanupSettings.DEFAULTS, "gw-a", clock, new SimpleMeterRegistry());
        assertThat(task.dryRunCount()).isEqualTo(1);
        assertThat(task.dryRunCount()).isEqualTo(1);
        assertThat(store.countExpired(TimestampColumn.EXPIRY_TIME, clock.instant())).isEqualTo(1);
    }

    @Test
    void leaseHasOneHolderUntilReleasedOrRunOut() {
        CleanupLease lease = leaseOf(store);
        Instant now = clock.instant();
        Duration ttl = Duration.ofMinutes(5);
        assertThat(lease.holder(now)).isEmpty();
        assertThat(lease.tryAcquire("gw-a", now, ttl)).isTrue();
        assertThat(lease.holder(now.plusSeconds(1))).contains("gw-a");
        assertThat(lease.holder(now.plusSeconds(5 * 60 + 1))).as("term ran out").isEmpty();
        assertThat(lease.tryAcquire("gw-b", now.plusSeconds(60), ttl)).isFalse();
        assertThat(lease.tryAcquire("gw-a", now.plusSeconds(60), ttl)).as("holder extends").isTrue();
        assertThat(lease.tryAcquire("gw-b", now.plusSeconds(5 * 60 + 30), ttl)).as("extended term").isFalse();
        assertThat(lease.tryAcquire("gw-b", now.plusSeconds(6 * 60 + 1), ttl)).as("after term ran out").isTrue();
        lease.release("gw-a");
        assertThat(lease.tryAcquire("gw-a", now.plusSeconds(6 * 60 + 2), ttl)).as("release by non-holder ignored").isFalse();
        lease.release("gw-b");
        assertThat(lease.tryAcquire("gw-a", now.plusSeconds(6 * 60 + 3), ttl)).isTrue();
    }

    @Test
    void twoConsoleNodesOnOneStorageNeverDeleteAtTheSameTime() {
        Instant now = clock.instant();
        for (int i = 0; i < 30; i++) {
            store.store(session("u" + i, "gw-a", now.minus(Duration.ofHours(2)), HOUR));
        }
        CleanupSettings both = CleanupSettings.DEFAULTS.withBatchSize(10).onConsoleNode(true, 60_000);
        try (SessionStore second = openSecondNode()) {
            CleanupTask a = new CleanupTask(store, leaseOf(store), both, "gw-a", clock, new SimpleMeterRegistry());
            CleanupTask b = new CleanupTask(second, leaseOf(second), both, "gw-b", clock, new SimpleMeterRegistry());
            List<CleanupReport> whileARuns = new ArrayList<>();
            CleanupReport ra = a.runOnce((batch, total, left) -> whileARuns.add(b.runOnce(CleanupProgress.NONE)));
            assertThat(ra.deleted()).isEqualTo(30);
            assertThat(whileARuns).hasSize(3).allSatisfy(r -> {
                assertThat(r.outcome()).isEqualTo(CleanupReport.Outcome.LEASE_HELD_ELSEWHERE);
                assertThat(r.deleted()).isZero();
            });
            store.store(session("x", "gw-a", now.minus(Duration.ofHours(2)), HOUR));
            assertThat(b.runOnce(CleanupProgress.NONE).deleted()).as("lease released after A's run").isEqualTo(1);
        }
    }
}
