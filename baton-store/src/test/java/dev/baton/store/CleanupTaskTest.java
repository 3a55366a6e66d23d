package dev.baton.store;

import dev.baton.testing.ManualClock;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.baton.store.TestSessions.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Scheduling, the offset with time moved by hand, and survival of failed runs. */
class CleanupTaskTest {
    private final ManualClock clock = new ManualClock();
    private final MemorySessionStore store = new MemorySessionStore();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void sessionBecomesRemovableOnlyOnceItsColumnIsOlderThanNowMinusTheOffset() {
        StoredSession s = session("alice", "gw-a", clock.instant(), Duration.ofMinutes(30));
        store.store(s);
        CleanupTask task = new CleanupTask(store, store, CleanupSettings.DEFAULTS, "gw-a", clock, metrics);
        clock.advance(Duration.ofMinutes(40)); // expired 10 minutes ago: exactly the offset, not older
        assertThat(task.runOnce(CleanupProgress.NONE).deleted()).isZero();
        clock.advance(Duration.ofMillis(1));
        assertThat(task.runOnce(CleanupProgress.NONE).deleted()).isEqualTo(1);
    }

    @Test
    void lastActivityColumnWithThreeWeeksOffsetRemovesSessionsIdleForThreeWeeks() {
        StoredSession s = session("alice", "gw-a", clock.instant(), Duration.ofDays(365));
        store.store(s);
        CleanupTask task = new CleanupTask(store, store,
                CleanupSettings.DEFAULTS.withColumn(TimestampColumn.LAST_ACTIVITY_TIME, 30_240), "gw-a", clock, metrics);
        clock.advance(Duration.ofDays(20));
        assertThat(task.dryRunCount()).isZero();
        clock.advance(Duration.ofDays(1).plusSeconds(1));
        assertThat(task.dryRunCount()).isEqualTo(1);
        assertThat(task.runOnce(CleanupProgress.NONE).deleted()).isEqualTo(1);
    }

    @Test
    void onlyTheConsoleNodeSchedulesRuns() {
        CleanupTask other = new CleanupTask(store, store, CleanupSettings.DEFAULTS, "gw-b", clock, metrics);
        assertThat(other.start(scheduler)).isFalse();
        assertThat(scheduler.getQueue()).isEmpty();
        CleanupTask console = new CleanupTask(store, store, CleanupSettings.DEFAULTS.onConsoleNode(true, 86_400_000),
                "gw-a", clock, new SimpleMeterRegistry());
        assertThat(console.start(scheduler)).isTrue();
        assertThat(scheduler.getQueue()).hasSize(1);
    }

    @Test
    void intervalZeroDisablesTheScheduleEvenOnTheConsoleNode() {
        CleanupTask task = new CleanupTask(store, store, CleanupSettings.DEFAULTS.onConsoleNode(true, 0), "gw-a", clock, metrics);
        assertThat(task.start(scheduler)).isFalse();
        assertThat(scheduler.getQueue()).isEmpty();
    }

    @Test
    void aFailedRunIsCountedAndTheNextRunStillHappens() {
        AtomicInteger calls = new AtomicInteger();
        FlakyStore failingOnce = new FlakyStore(store) {
            @Override
            public long countExpired(TimestampColumn column, Instant cutoff) {
                if (calls.getAndIncrement() == 0) {
                    throw new BatonException(ResultCode.UNAVAILABLE, "database restarting");
                }
                return super.countExpired(column, cutoff);
            }
        };
        store.store(session("alice", "gw-a", clock.instant().minus(Duration.ofHours(2)), Duration.ofMinutes(30)));
        CleanupTask task = new CleanupTask(failingOnce, store, CleanupSettings.DEFAULTS.onConsoleNode(true, 50),
                "gw-a", clock, metrics);
        try (ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor()) {
            task.start(s);
            await().atMost(Duration.ofSeconds(5)).until(() -> store.countExpired(TimestampColumn.EXPIRY_TIME, Instant.MAX) == 0);
            task.close();
        }
        assertThat(metrics.counter("baton.store.cleanup.failures").count()).isEqualTo(1);
        assertThat(metrics.counter("baton.store.cleanup.deleted").count()).isEqualTo(1);
        assertThat(store.tryAcquire("gw-other", clock.instant(), Duration.ofMinutes(1)))
                .as("the failed run gave the lease back").isTrue();
    }

    @Test
    void runStopsWhenAnotherNodeTakesTheLeaseMidRun() {
        for (int i = 0; i < 30; i++) {
            store.store(session("u" + i, "gw-a", clock.instant().minus(Duration.ofHours(2)), Duration.ofMinutes(30)));
        }
        CleanupTask task = new CleanupTask(store, store, CleanupSettings.DEFAULTS.withBatchSize(10), "gw-a", clock, metrics);
        CleanupReport report = task.runOnce((batch, total, left) -> {
            clock.advance(Duration.ofMinutes(6)); // the lease term runs out (a long pause) and gw-b takes it
            store.tryAcquire("gw-b", clock.instant(), Duration.ofMinutes(5));
        });
        assertThat(report.outcome()).isEqualTo(CleanupReport.Outcome.LEASE_LOST);
        assertThat(report.deleted()).isEqualTo(10);
    }
}
