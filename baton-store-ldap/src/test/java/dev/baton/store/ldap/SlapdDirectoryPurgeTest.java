package dev.baton.store.ldap;

import dev.baton.testing.ManualClock;
import dev.baton.core.Durations;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.SearchScope;
import dev.baton.store.StoredSession;
import dev.baton.store.TimestampColumn;
import dev.baton.testing.ThrowawaySlapd;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The directory purge task against a real slapd: each setting, the throttle, and hand-over between priorities. */
class SlapdDirectoryPurgeTest {
    private static final Instant NOW = Instant.parse("2026-11-23T02:00:00Z");
    private static ThrowawaySlapd slapd;

    private final List<AutoCloseable> closeLater = new ArrayList<>();
    private final ManualClock clock = new ManualClock(NOW);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private String baseDn;
    private LdapSessionStore store;

    @BeforeAll
    static void startSlapd() {
        slapd = LdapStoreTesting.startSlapd();
    }

    @AfterAll
    static void stopSlapd() {
        if (slapd != null) {
            slapd.close();
        }
    }

    @BeforeEach
    void openStore() {
        baseDn = LdapStoreTesting.freshBaseDn();
        store = openStoreOnBase();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeLater.reversed()) {
            c.close();
        }
    }

    private LdapSessionStore openStoreOnBase() {
        LdapSessionStore s = LdapSessionStore.connect(LdapStoreTesting.settings(slapd.port(), baseDn));
        closeLater.add(s);
        return s;
    }

    private static PurgeSettings settings(String node, int priority) {
        return new PurgeSettings("purge", true, Duration.ofMinutes(10), Duration.ofMillis(200), 0, priority, 1,
                TimestampColumn.EXPIRY_TIME, 500, 3, node, null);
    }

    private DirectoryPurgeTask task(PurgeSettings settings, InstantSource time) {
        DirectoryPurgeTask t = new DirectoryPurgeTask(openStoreOnBase(), settings, time, registry);
        closeLater.add(t);
        return t;
    }

    /** Stores {@code n} sessions expired at {@code expiry}; returns them. */
    private List<StoredSession> storeExpiredAt(Instant expiry, int n) {
        List<StoredSession> stored = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StoredSession s = LdapTestSessions.expiringAt(expiry);
            store.store(s);
            stored.add(s);
        }
        return stored;
    }

    private long remaining() {
        return store.countExpired(TimestampColumn.EXPIRY_TIME, NOW.plus(Duration.ofDays(3650)));
    }

    @ParameterizedTest
    @EnumSource(TimestampColumn.class)
    void removesOnlySessionsWhoseColumnIsOlderThanNowMinusTheExpirationOffset(TimestampColumn column) {
        StoredSession elevenMinutesAgo = LdapTestSessions.withColumn(column, NOW.minus(Duration.ofMinutes(11)));
        StoredSession nineMinutesAgo = LdapTestSessions.withColumn(column, NOW.minus(Duration.ofMinutes(9)));
        store.store(elevenMinutesAgo);
        store.store(nineMinutesAgo);
        PurgeSettings s = settings("n1", 1);
        DirectoryPurgeTask purge = task(new PurgeSettings(s.name(), true, Durations.parse("offset", "10 m"),
                s.pollingInterval(), 0, 1, 1, column, 500, 3, "n1", null), clock);

        DirectoryPurgeTask.Pass pass = purge.runOnce();

        assertThat(pass.deleted()).isEqualTo(1);
        assertThat(store.load(elevenMinutesAgo.session().hash())).isEmpty();
        assertThat(store.load(nineMinutesAgo.session().hash())).isPresent();

        clock.advance(Duration.ofMinutes(2));
        assertThat(purge.runOnce().deleted()).isEqualTo(1);
        assertThat(store.load(nineMinutesAgo.session().hash())).isEmpty();
    }

    @Test
    void aPassDeletesInBatchesUntilNothingBeforeTheCutoffIsLeft() {
        storeExpiredAt(NOW.minus(Duration.ofHours(1)), 23);
        PurgeSettings s = settings("n1", 1);
        DirectoryPurgeTask purge = task(new PurgeSettings("purge", true, s.expirationOffset(), s.pollingInterval(), 0, 1, 1,
                TimestampColumn.EXPIRY_TIME, 5, 3, "n1", null), clock);

        DirectoryPurgeTask.Pass pass = purge.runOnce();

        assertThat(pass.backlog()).isEqualTo(23);
        assertThat(pass.deleted()).isEqualTo(23);
        assertThat(remaining()).isZero();
        assertThat(registry.counter("baton.ldap.purge.deleted", "task", "purge", "node", "n1").count()).isEqualTo(23.0);
    }

    @Test
    void aDisabledTaskNeitherHeartbeatsNorDeletes() throws Exception {
        storeExpiredAt(NOW.minus(Duration.ofHours(1)), 3);
        PurgeSettings s = settings("n1", 1);
        DirectoryPurgeTask purge = task(new PurgeSettings("purge", false, s.expirationOffset(), s.pollingInterval(), 0, 1, 1,
                TimestampColumn.EXPIRY_TIME, 500, 3, "n1", null), InstantSource.system());

        purge.start();
        Thread.sleep(3 * s.pollingInterval().toMillis()); // three polls would have happened

        assertThat(remaining()).isEqualTo(3);
        assertThat(heartbeatEntries()).isZero();
    }

    private int heartbeatEntries() throws Exception {
        return store.pool().search(baseDn, SearchScope.SUB, Filter.createEqualityFilter("objectClass", "batonPurgeNode"))
                .getEntryCount();
    }

    @Test
    void anEnabledTaskPollsEveryPollingInterval() {
        DirectoryPurgeTask purge = task(settings("n1", 1), InstantSource.system());
        purge.start();
        Instant longAgo = Instant.now().minus(Duration.ofDays(1));

        for (int round = 0; round < 3; round++) {
            storeExpiredAt(longAgo, 4);
            await().atMost(Duration.ofSeconds(3)).until(() -> remaining() == 0);
        }
        assertThat(registry.timer("baton.ldap.purge.pass", "task", "purge", "node", "n1").count()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void tasksWithDifferentNamesDoNotShareTheJob() {
        DirectoryPurgeTask first = task(settings("n1", 1), clock);
        PurgeSettings s = settings("n2", 2);
        DirectoryPurgeTask other = task(new PurgeSettings("other-task", true, s.expirationOffset(), s.pollingInterval(),
                0, 2, 1, TimestampColumn.EXPIRY_TIME, 500, 3, "n2", null), clock);

        first.runOnce();
        assertThat(other.runOnce().leader()).isTrue();
        assertThat(first.runOnce().leader()).isTrue();
    }

    @Test
    void theHighestPriorityLiveNodePurgesTheNextTakesOverWhenItStopsAndHandsTheJobBack() {
        DirectoryPurgeTask primary = task(settings("primary", 1), clock);
        DirectoryPurgeTask standby = task(settings("standby", 2), clock);
        Instant expired = NOW.minus(Duration.ofHours(1));

        primary.runOnce();
        storeExpiredAt(expired, 5);
        DirectoryPurgeTask.Pass standbyPass = standby.runOnce();
        assertThat(standbyPass.leader()).isFalse();
        assertThat(standbyPass.leaderNode()).isEqualTo("primary");
        assertThat(remaining()).isEqualTo(5);
        assertThat(primary.runOnce().deleted()).isEqualTo(5);

        // the primary stops polling (no heartbeat); within the liveness window the standby still waits
        storeExpiredAt(expired, 4);
        clock.advance(Duration.ofMillis(200 * 3 - 1));
        assertThat(standby.runOnce().leader()).isFalse();
        clock.advance(Duration.ofMillis(1));
        DirectoryPurgeTask.Pass takeover = standby.runOnce();
        assertThat(takeover.leader()).isTrue();
        assertThat(takeover.deleted()).isEqualTo(4);
        assertThat(standby.leading()).isTrue();

        // the primary comes back: it purges again and the standby stands by at its next poll
        clock.advance(Duration.ofMillis(200));
        storeExpiredAt(expired, 3);
        assertThat(primary.runOnce().deleted()).isEqualTo(3);
        assertThat(standby.runOnce().leader()).isFalse();
        assertThat(standby.leading()).isFalse();
    }

    @Test
    void aStandbyStopsMidPassWhenTheHigherPriorityNodeReturns() throws Exception {
        PurgeSettings s = settings("standby", 2);
        DirectoryPurgeTask standby = task(new PurgeSettings("purge", true, s.expirationOffset(), s.pollingInterval(),
                100, 2, 1, TimestampColumn.EXPIRY_TIME, 10, 3, "standby", null), clock);
        DirectoryPurgeTask primary = task(settings("primary", 1), clock);
        storeExpiredAt(NOW.minus(Duration.ofHours(1)), 200); // two seconds of work at 100/s

        Thread pass = Thread.ofPlatform().start(standby::runOnce);
        await().atMost(Duration.ofSeconds(2)).until(() -> remaining() < 190);
        primary.heartbeatOnlyForTest();
        pass.join(3000);

        assertThat(pass.isAlive()).isFalse();
        long left = remaining();
        assertThat(left).isBetween(100L, 189L); // stopped at the next batch boundary, not at the end
        assertThat(primary.runOnce().deleted()).isEqualTo((int) left);
    }

    @Test
    void aCrashedPrimaryIsReplacedWithinTheLivenessBoundAndReturnsToPurge() {
        DirectoryPurgeTask primary = task(settings("primary", 1), InstantSource.system());
        DirectoryPurgeTask standby = task(settings("standby", 2), InstantSource.system());
        primary.start();
        standby.start();
        await().atMost(Duration.ofSeconds(3)).until(() -> primary.leading() && !standby.leading());

        primary.halt(); // no clean stop: its heartbeat stays until it is stale
        long crashed = System.nanoTime();
        await().atMost(Duration.ofSeconds(3)).until(standby::leading);
        Duration takeover = Duration.ofNanos(System.nanoTime() - crashed);
        // live window (3 intervals) plus one poll, plus scheduling slack
        assertThat(takeover).isLessThanOrEqualTo(Duration.ofMillis(4 * 200 + 400));

        DirectoryPurgeTask back = task(settings("primary", 1), InstantSource.system());
        back.start();
        await().atMost(Duration.ofSeconds(2)).until(() -> back.leading() && !standby.leading());
    }

    @Test
    void aCleanStopHandsOverAtTheStandbysNextPoll() {
        DirectoryPurgeTask primary = task(settings("primary", 1), InstantSource.system());
        DirectoryPurgeTask standby = task(settings("standby", 2), InstantSource.system());
        primary.start();
        standby.start();
        await().atMost(Duration.ofSeconds(3)).until(() -> primary.leading() && !standby.leading());

        primary.close();
        long stopped = System.nanoTime();
        await().atMost(Duration.ofSeconds(2)).until(standby::leading);
        assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThanOrEqualTo(Duration.ofMillis(200 + 300));
    }

    /** Limits well below what one thread can delete on a busy two-core machine, so the throttle is what binds. */
    @ParameterizedTest(name = "{0} delete threads at {1}/s")
    @org.junit.jupiter.params.provider.CsvSource({"1, 100", "4, 200"})
    void deletesPerSecondStayWithinTenPercentOfTheLimit(int threads, int limit) {
        storeExpiredAt(NOW.minus(Duration.ofHours(1)), 3 * limit);
        PurgeSettings s = settings("n1", 1);
        DirectoryPurgeTask purge = task(new PurgeSettings("purge", true, s.expirationOffset(), s.pollingInterval(),
                limit, 1, threads, TimestampColumn.EXPIRY_TIME, 500, 3, "n1", null), clock);
        List<String> deleteThreadsSeen = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread watcher = Thread.ofPlatform().daemon().start(() -> watchDeleteThreads(deleteThreadsSeen));
        long[] firstAndLast = new long[2];
        Thread sampler = Thread.ofPlatform().daemon().start(() -> sampleDeletes(3 * limit, firstAndLast));

        DirectoryPurgeTask.Pass pass = purge.runOnce();
        watcher.interrupt();

        // from the first delete to the last: the backlog count that opens the pass is not throttled work
        await().atMost(Duration.ofSeconds(1)).until(() -> !sampler.isAlive());
        double rate = (pass.deleted() - 1) / ((firstAndLast[1] - firstAndLast[0]) / 1e9);
        assertThat(pass.deleted()).isEqualTo(3 * limit);
        assertThat(rate).isBetween(limit * 0.9, limit * 1.1);
        assertThat(deleteThreadsSeen).hasSize(threads);
    }

    /** Records when the first and the {@code n}th delete were counted, sampling every millisecond. */
    private void sampleDeletes(int n, long[] firstAndLast) {
        io.micrometer.core.instrument.Counter deleted = registry.counter("baton.ldap.purge.deleted", "task", "purge", "node", "n1");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline && firstAndLast[1] == 0) {
            double count = deleted.count();
            if (firstAndLast[0] == 0 && count >= 1) {
                firstAndLast[0] = System.nanoTime();
            }
            if (count >= n) {
                firstAndLast[1] = System.nanoTime();
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    /** Samples live thread names; enumerating a thread group, unlike taking stack traces, does not pause the JVM. */
    private static void watchDeleteThreads(List<String> seen) {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[1000];
        while (!Thread.currentThread().isInterrupted()) {
            int n = root.enumerate(threads, true);
            for (int i = 0; i < n; i++) {
                String name = threads[i].getName();
                if (name.startsWith("baton-purge-purge-delete-") && !seen.contains(name)) {
                    seen.add(name);
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Test
    void raisesTheAlarmWhenSessionsExpireFasterThanTheThrottleAllowsAndClearsIt() {
        Logger log = (Logger) LoggerFactory.getLogger(DirectoryPurgeTask.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        log.addAppender(logged);
        try {
            PurgeSettings s = settings("n1", 1);
            DirectoryPurgeTask purge = task(new PurgeSettings("purge", true, s.expirationOffset(), s.pollingInterval(),
                    50, 1, 2, TimestampColumn.EXPIRY_TIME, 500, 3, "n1", null), clock);
            purge.runOnce();
            storeExpiredAt(NOW.minus(Duration.ofHours(1)), 100);
            clock.advance(Duration.ofSeconds(1)); // 100 sessions became removable in one second: 100/s > 50/s

            assertThat(purge.runOnce().behind()).isTrue();
            assertThat(gauge("baton.ldap.purge.behind")).isEqualTo(1.0);
            assertThat(gauge("baton.ldap.purge.inflow")).isEqualTo(100.0);
            assertThat(registry.counter("baton.ldap.purge.behind.alarms", "task", "purge", "node", "n1").count()).isEqualTo(1.0);
            assertThat(logged.list).anySatisfy(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.WARN);
                assertThat(e.getFormattedMessage()).contains("falling behind", "100.0/s", "maxUpdatesPerSecond is 50");
            });

            clock.advance(Duration.ofSeconds(10)); // nothing new: keeps up again
            assertThat(purge.runOnce().behind()).isFalse();
            assertThat(gauge("baton.ldap.purge.behind")).isZero();
        } finally {
            log.detachAppender(logged);
        }
    }

    private double gauge(String name) {
        return registry.get(name).tags("task", "purge", "node", "n1").gauge().value();
    }
}
