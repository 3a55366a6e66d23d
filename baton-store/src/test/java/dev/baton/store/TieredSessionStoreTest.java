package dev.baton.store;

import dev.baton.testing.ManualClock;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static dev.baton.store.TestSessions.session;
import static dev.baton.store.TestSessions.touched;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The memory tier, write-through, coalescing and restart, on the in-memory store. */
class TieredSessionStoreTest {
    private static final Duration IDLE = Duration.ofMinutes(30);
    private final ManualClock clock = new ManualClock();
    private final MemorySessionStore backing = new MemorySessionStore();
    private final FlakyStore store = new FlakyStore(backing);
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final TieredSessionStore tiered = new TieredSessionStore(store, TieredStoreSettings.DEFAULTS, "gw-a", clock, metrics);

    @AfterEach
    void close() {
        tiered.close();
    }

    @Test
    void signInIsInTheStoreWhenPutReturns() {
        StoredSession s = session("alice", "gw-a", clock.instant(), IDLE);
        tiered.put(s);
        assertThat(backing.load(s.session().hash())).contains(s);
    }

    @Test
    void readsOfHeldSessionsNeverTouchTheStore() {
        StoredSession s = session("alice", "gw-a", clock.instant(), IDLE);
        tiered.put(s);
        for (int i = 0; i < 100; i++) {
            assertThat(tiered.get(s.session().hash())).contains(s);
        }
        assertThat(store.loads).hasValue(0);
    }

    @Test
    void sessionLeavesMemoryAtItsOwnDeadline() {
        StoredSession s = session("alice", "gw-a", clock.instant(), IDLE);
        tiered.put(s);
        clock.advance(IDLE.minusSeconds(1));
        assertThat(tiered.get(s.session().hash())).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(tiered.get(s.session().hash())).as("expired in memory, and the stored copy is expired too").isEmpty();
    }

    @Test
    void touchMovesTheDeadlineInMemory() {
        StoredSession s = session("alice", "gw-a", clock.instant(), IDLE);
        tiered.put(s);
        clock.advance(Duration.ofMinutes(20));
        assertThat(tiered.touch(touched(s, clock.instant(), IDLE))).isTrue();
        clock.advance(Duration.ofMinutes(20));
        assertThat(tiered.get(s.session().hash())).isPresent();
        assertThat(store.loads).hasValue(0);
    }

    @Test
    void aThousandTouchesBetweenFlushesAreWrittenOnce() {
        StoredSession s = session("alice", "gw-a", clock.instant(), IDLE);
        tiered.put(s);
        int afterSignIn = store.rowsWritten.get();
        StoredSession latest = s;
        for (int i = 0; i < 1000; i++) {
            clock.advance(Duration.ofMillis(60));
            latest = touched(latest, clock.instant(), IDLE);
            tiered.touch(latest);
        }
        assertThat(backing.load(s.session().hash())).as("store lags until the flush").contains(s);
        tiered.flushActivity();
        assertThat(tiered.awaitWritten(Duration.ofSeconds(5))).isTrue();
        assertThat(store.rowsWritten.get() - afterSignIn).isEqualTo(1);
        assertThat(backing.load(s.session().hash())).contains(latest);
        assertThat(metrics.counter("baton.store.touches").count()).isEqualTo(1000);
        assertThat(metrics.counter("baton.store.activity.writes").count()).isEqualTo(1);
        tiered.flushActivity();
        assertThat(tiered.awaitWritten(Duration.ofSeconds(5))).isTrue();
        assertThat(store.rowsWritten.get() - afterSignIn).as("nothing new to write").isEqualTo(1);
    }

    @Test
    void touchOfASessionNotHeldDoesNotBringItBack() {
        StoredSession s = session("alice", "gw-a", clock.instant(), IDLE);
        tiered.put(s);
        tiered.remove(s.session().hash());
        assertThat(tiered.touch(touched(s, clock.instant(), IDLE))).isFalse();
        tiered.flushActivity();
        assertThat(tiered.awaitWritten(Duration.ofSeconds(5))).isTrue();
        assertThat(backing.load(s.session().hash())).isEmpty();
    }

    @Test
    void signOutRemovesFromMemoryAndStore() {
        StoredSession s = session("alice", "gw-a", clock.instant(), IDLE);
        tiered.put(s);
        tiered.remove(s.session().hash());
        assertThat(tiered.get(s.session().hash())).isEmpty();
        assertThat(backing.load(s.session().hash())).isEmpty();
    }

    @Test
    void aSessionTakenOverElsewhereLeavesMemoryAtOnceAndTheStoreInTheBackground() {
        StoredSession s = session("alice", "gw-a", clock.instant(), IDLE);
        tiered.put(s);
        store.down(true); // the deletion cannot commit yet: the caller must not wait for it

        assertThat(tiered.removeInBackground(s.session().hash())).contains(s);
        assertThat(tiered.get(s.session().hash())).isEmpty();
        assertThat(backing.load(s.session().hash())).as("not deleted while the store is down").contains(s);

        store.down(false);
        assertThat(tiered.awaitWritten(Duration.ofSeconds(10))).isTrue();
        assertThat(backing.load(s.session().hash())).isEmpty();
        store.readsDown = true; // a read of the store would now throw
        assertThat(tiered.removeInBackground(s.session().hash())).as("nothing held, nothing read").isEmpty();
    }

    @Test
    void roleChangeAndMigrationInAreWrittenThrough() {
        StoredSession s = session("alice", "gw-b", clock.instant(), IDLE);
        StoredSession arrived = new StoredSession(s.session().migratedTo("gw-a", "users", Set.of("staff"), false, clock.instant()), s.expiryTime());
        tiered.put(arrived);
        StoredSession remediated = new StoredSession(arrived.session().withRoles(Set.of("remediation"), true), s.expiryTime());
        tiered.put(remediated);
        assertThat(backing.load(s.session().hash())).contains(remediated);
    }

    @Test
    void restartedGatewayResumesItsUnexpiredSessionsLazily() {
        StoredSession mine = session("alice", "gw-a", clock.instant(), IDLE);
        StoredSession short1 = session("bob", "gw-a", clock.instant(), Duration.ofMinutes(5));
        StoredSession theirs = session("carol", "gw-b", clock.instant(), IDLE);
        tiered.put(mine);
        tiered.put(short1);
        backing.store(theirs);
        tiered.close();
        clock.advance(Duration.ofMinutes(10));
        try (TieredSessionStore restarted = new TieredSessionStore(store, TieredStoreSettings.DEFAULTS, "gw-a", clock, new SimpleMeterRegistry())) {
            assertThat(restarted.sessionsInMemory()).isZero();
            assertThat(restarted.get(mine.session().hash())).contains(mine);
            assertThat(restarted.get(short1.session().hash())).as("expired while down").isEmpty();
            assertThat(restarted.get(theirs.session().hash())).as("owned by another gateway").isEmpty();
            int loads = store.loads.get();
            assertThat(restarted.get(mine.session().hash())).contains(mine);
            assertThat(store.loads).as("held in memory once resumed").hasValue(loads);
        }
    }

    @Test
    void preloadBringsBackEveryUnexpiredSessionOfThisGateway() {
        for (int i = 0; i < 20; i++) {
            backing.store(session("u" + i, i % 2 == 0 ? "gw-a" : "gw-b", clock.instant(), IDLE));
        }
        assertThat(tiered.preload()).isEqualTo(10);
        assertThat(tiered.sessionsInMemory()).isEqualTo(10);
    }

    @Test
    void storeDownSignInsAndResumesWorkFromMemoryAndWritesApplyInOrderLater() {
        StoredSession before = session("alice", "gw-a", clock.instant(), IDLE);
        tiered.put(before);
        store.down(true);
        StoredSession during = session("bob", "gw-a", clock.instant(), IDLE);
        tiered.put(during); // would hang for write-timeout if it waited; the store is known down after one failure
        StoredSession signedOut = session("carol", "gw-a", clock.instant(), IDLE);
        tiered.put(signedOut);
        tiered.remove(signedOut.session().hash());
        StoredSession changed = new StoredSession(before.session().withRoles(Set.of("remediation"), true), before.expiryTime());
        tiered.put(changed);
        assertThat(tiered.storeAvailable()).isFalse();
        assertThat(metrics.get("baton.store.available").gauge().value()).isZero();
        assertThat(tiered.get(during.session().hash())).contains(during);
        assertThat(tiered.get(before.session().hash())).contains(changed);
        assertThat(backing.load(during.session().hash())).isEmpty();

        store.down(false);
        assertThat(tiered.awaitWritten(Duration.ofSeconds(10))).isTrue();
        assertThat(tiered.storeAvailable()).isTrue();
        assertThat(metrics.get("baton.store.available").gauge().value()).isEqualTo(1);
        assertThat(metrics.get("baton.store.write.queue").gauge().value()).isZero();
        assertThat(backing.load(during.session().hash())).contains(during);
        assertThat(backing.load(signedOut.session().hash())).isEmpty();
        assertThat(backing.load(before.session().hash())).contains(changed);
        assertThat(metrics.counter("baton.store.write.failures").count()).isPositive();
    }

    @Test
    void queuedSignOutIsNotUndoneByReloadingTheStaleRow() {
        StoredSession s = session("alice", "gw-a", clock.instant(), IDLE);
        tiered.put(s);
        store.writesDown = true;
        tiered.remove(s.session().hash());
        assertThat(backing.load(s.session().hash())).as("store still has the stale row").isPresent();
        assertThat(tiered.get(s.session().hash())).isEmpty();
        store.writesDown = false;
        assertThat(tiered.awaitWritten(Duration.ofSeconds(10))).isTrue();
        assertThat(backing.load(s.session().hash())).isEmpty();
    }

    @Test
    void failClosedRefusesSignInsAndCacheMissesWhileTheStoreIsDown() {
        try (TieredSessionStore strict = new TieredSessionStore(store,
                TieredStoreSettings.DEFAULTS.withFailClosed(true).withTiming(Duration.ofMillis(300), Duration.ofMillis(20)),
                "gw-a", clock, new SimpleMeterRegistry())) {
            StoredSession held = session("alice", "gw-a", clock.instant(), IDLE);
            strict.put(held);
            store.down(true);
            StoredSession refused = session("bob", "gw-a", clock.instant(), IDLE);
            assertThatThrownBy(() -> strict.put(refused)).isInstanceOf(BatonException.class)
                    .satisfies(e -> assertThat(((BatonException) e).code()).isEqualTo(ResultCode.UNAVAILABLE))
                    .hasMessageContaining("store.fail-closed");
            assertThat(strict.get(held.session().hash())).as("held sessions still resume").contains(held);
            assertThatThrownBy(() -> strict.get(TestSessions.newHash())).isInstanceOf(BatonException.class);
            store.down(false);
            assertThat(strict.awaitWritten(Duration.ofSeconds(10))).isTrue();
            assertThat(backing.load(refused.session().hash())).as("a refused sign-in is not stored").isEmpty();
            assertThat(strict.get(refused.session().hash())).isEmpty();
        }
    }

    @Test
    void signInsBeyondTheQueueBoundAreRefusedAndAcceptedOnesAreAllApplied() {
        try (TieredSessionStore bounded = new TieredSessionStore(store,
                TieredStoreSettings.DEFAULTS.withMaxQueuedWrites(5).withWriterThreads(1).withTiming(Duration.ofMillis(300), Duration.ofMillis(20)),
                "gw-a", clock, new SimpleMeterRegistry())) {
            store.down(true);
            java.util.List<StoredSession> accepted = new java.util.ArrayList<>();
            int refused = 0;
            for (int i = 0; i < 20; i++) {
                StoredSession s = session("u" + i, "gw-a", clock.instant(), IDLE);
                try {
                    bounded.put(s);
                    accepted.add(s);
                } catch (BatonException e) {
                    assertThat(e.code()).isEqualTo(ResultCode.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("store.max-queued-writes");
                    refused++;
                }
            }
            assertThat(refused).isPositive();
            assertThat(accepted.size()).isBetween(5, 6 + 256); // the bound plus the batch being retried
            store.down(false);
            assertThat(bounded.awaitWritten(Duration.ofSeconds(10))).isTrue();
            accepted.forEach(s -> assertThat(backing.load(s.session().hash())).contains(s));
        }
    }
    @Test
    void aWriteTheStoreRefusesFailsAloneAndDoesNotHoldUpOthers() {
        StoredSession bad = session("mallory", "gw-a", clock.instant(), IDLE);
        FlakyStore picky = new FlakyStore(backing) {
            @Override
            public void writeAll(java.util.List<StoredSession> stores, java.util.List<dev.baton.core.SessionIdHash> deletes) {
                if (stores.stream().anyMatch(s -> s.session().user().equals("mallory"))) {
                    throw new BatonException(ResultCode.INTERNAL, "value too long for column user_name");
                }
                super.writeAll(stores, deletes);
            }
        };
        SimpleMeterRegistry m = new SimpleMeterRegistry();
        try (TieredSessionStore t = new TieredSessionStore(picky, TieredStoreSettings.DEFAULTS, "gw-a", clock, m)) {
            assertThatThrownBy(() -> t.put(bad)).isInstanceOf(BatonException.class).hasMessageContaining("session write failed");
            StoredSession good = session("alice", "gw-a", clock.instant(), IDLE);
            t.put(good);
            assertThat(backing.load(good.session().hash())).contains(good);
            assertThat(backing.load(bad.session().hash())).isEmpty();
            assertThat(t.storeAvailable()).as("a refusal is not an outage").isTrue();
            assertThat(m.counter("baton.store.write.dropped").count()).isEqualTo(1);
        }
    }
    @Test
    void startedStoreFlushesActivityOnItsOwnEveryInterval() {
        try (TieredSessionStore scheduled = new TieredSessionStore(store,
                TieredStoreSettings.DEFAULTS.withActivityWriteInterval(Duration.ofMillis(50)), "gw-a", clock, new SimpleMeterRegistry());
             java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor()) {
            StoredSession s = session("alice", "gw-a", clock.instant(), IDLE);
            scheduled.put(s);
            clock.advance(Duration.ofMinutes(1));
            StoredSession later = touched(s, clock.instant(), IDLE);
            scheduled.touch(later);
            scheduled.start(timer);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> backing.load(s.session().hash()).orElseThrow().equals(later));
        }
    }
}
