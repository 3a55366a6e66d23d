package dev.baton.store;

import dev.baton.testing.ManualClock;
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
import java.util.Optional;
import java.util.Set;

import static dev.baton.store.TestSessions.session;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link SessionStore} contract, stated once and run on every backend: memory, H2, PostgreSQL, MariaDB,
 * in-memory LDAP and slapd. Each backend's subclass only says how to reach its storage: {@link #openStore()} must
 * return a store on empty storage private to the test, and {@link #openSecondNode()} another store (as a second
 * gateway would open it) on the same storage. Backends with a cleanup lease (SQL, memory) also run
 * {@link CleanupLeaseContractTest}.
 */
public abstract class SessionStoreContractTest {
    protected static final Duration HOUR = Duration.ofHours(1);
    protected final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T08:00:00.123456789Z"));
    protected SessionStore store;

    /** A store on fresh, empty storage. */
    protected abstract SessionStore openStore();

    /** Another store on the storage of the last {@link #openStore()}; the caller closes it. */
    protected abstract SessionStore openSecondNode();

    @BeforeEach
    void openFreshStore() {
        store = openStore();
    }

    @AfterEach
    void closeStore() {
        if (store == null) {
            return; // the backend was skipped (baton.allowSkip)
        }
        store.close();
    }

    @Test
    void storedSessionLoadsBackUnchanged() {
        StoredSession s = session("alice", "gw-a", clock.instant(), HOUR);
        store.store(s);
        assertThat(store.load(s.session().hash())).contains(s);
    }

    @Test
    void sessionWithoutGroupOrAttributesButWithAgentKeyLoadsBackUnchanged() {
        Session plain = new Session(TestSessions.newHash(), "bob", "guests", null, AuthServerKind.RADIUS, Set.of(),
                Map.of(), clock.instant(), clock.instant(), clock.instant(), "gw-b", true, "MCowBQYDK2VwAyEA");
        StoredSession s = new StoredSession(plain, clock.instant().plus(HOUR));
        store.store(s);
        assertThat(store.load(plain.hash())).contains(s);
    }

    @Test
    void unknownHashLoadsEmpty() {
        assertThat(store.load(TestSessions.newHash())).isEmpty();
    }

    @Test
    void storeReplacesTheSessionWithTheSameHash() {
        StoredSession s = session("alice", "gw-a", clock.instant(), HOUR);
        store.store(s);
        StoredSession later = TestSessions.touched(s, clock.instant().plusSeconds(90), HOUR);
        store.store(later);
        assertThat(store.load(s.session().hash())).contains(later);
    }

    @Test
    void deleteOwnedLeavesASessionAnotherGatewayNowOwns() {
        StoredSession atA = session("alice", "gw-a", clock.instant(), HOUR);
        store.store(atA);
        StoredSession atB = new StoredSession(atA.session().migratedTo("gw-b", "users", Set.of("staff"), false, clock.instant()),
                atA.expiryTime());
        store.store(atB);
        assertThat(store.deleteOwned(atA.session().hash(), "gw-a")).isFalse();
        store.writeAll(List.of(), List.of(atA.session().hash()), "gw-a");
        assertThat(store.load(atA.session().hash())).get().extracting(s -> s.session().owner()).isEqualTo("gw-b");
        store.writeAll(List.of(), List.of(atA.session().hash()), "gw-b");
        assertThat(store.load(atA.session().hash())).isEmpty();
        store.store(atB);
        assertThat(store.deleteOwned(atA.session().hash(), "gw-b")).isTrue();
    }

    @Test
    void deleteSaysWhetherTheSessionWasThere() {
        StoredSession s = session("alice", "gw-a", clock.instant(), HOUR);
        store.store(s);
        assertThat(store.delete(s.session().hash())).isTrue();
        assertThat(store.delete(s.session().hash())).isFalse();
        assertThat(store.load(s.session().hash())).isEmpty();
    }

    @Test
    void aGroupOfOneWriteReplacesOrDeletesItsRowAlone() {
        StoredSession atA = session("alice", "gw-a", clock.instant(), HOUR);
        StoredSession other = session("bob", "gw-a", clock.instant(), HOUR);
        store.writeAll(List.of(atA), List.of(), "gw-a");
        store.writeAll(List.of(other), List.of(), "gw-a");
        StoredSession atB = new StoredSession(atA.session().migratedTo("gw-b", "users", Set.of("staff"), false, clock.instant()),
                atA.expiryTime().plus(HOUR));
        store.writeAll(List.of(atB), List.of(), "gw-b");
        assertThat(store.load(atA.session().hash())).contains(atB);
        store.writeAll(List.of(), List.of(other.session().hash()), "gw-a");
        assertThat(store.load(other.session().hash())).isEmpty();
        assertThat(store.load(atA.session().hash())).contains(atB);
    }

    @Test
    void writeAllAppliesStoresAndDeletesTogether() {
        StoredSession gone = session("carol", "gw-a", clock.instant(), HOUR);
        store.store(gone);
        List<StoredSession> fresh = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            fresh.add(session("user" + i, "gw-a", clock.instant(), HOUR));
        }
        store.writeAll(fresh, List.of(gone.session().hash()));
        assertThat(store.load(gone.session().hash())).isEmpty();
        fresh.forEach(s -> assertThat(store.load(s.session().hash())).contains(s));
    }

    @Test
    void loadOwnedByReturnsOnlyUnexpiredSessionsOfThatGatewayLatestExpiryFirst() {
        Instant now = clock.instant();
        StoredSession soon = session("a", "gw-a", now, Duration.ofMinutes(5));
        StoredSession late = session("b", "gw-a", now, HOUR);
        StoredSession expired = session("c", "gw-a", now.minus(HOUR), Duration.ofMinutes(30));
        StoredSession elsewhere = session("d", "gw-b", now, HOUR);
        List.of(soon, late, expired, elsewhere).forEach(store::store);
        assertThat(store.loadOwnedBy("gw-a", now, 10)).containsExactly(late, soon);
        assertThat(store.loadOwnedBy("gw-a", now, 1)).containsExactly(late);
    }

    @Test
    void loadByUserFindsTheUsersUnexpiredSessionsOnEveryGateway() {
        Instant now = clock.instant();
        StoredSession onA = session("erin", "gw-a", now, HOUR);
        StoredSession onB = session("erin", "gw-b", now, Duration.ofMinutes(20));
        StoredSession expired = session("erin", "gw-b", now.minus(HOUR), Duration.ofMinutes(1));
        StoredSession other = session("frank", "gw-a", now, HOUR);
        List.of(onA, onB, expired, other).forEach(store::store);
        assertThat(store.loadByUser("erin", now, 10)).containsExactly(onA, onB);
    }

    @Test
    void deleteExpiredRemovesOnlySessionsWhoseExpiryIsBeforeTheCutoff() {
        Instant now = clock.instant();
        StoredSession dead = session("a", "gw-a", now.minus(Duration.ofHours(3)), HOUR);
        StoredSession alive = session("b", "gw-a", now, HOUR);
        store.store(dead);
        store.store(alive);
        assertThat(store.countExpired(TimestampColumn.EXPIRY_TIME, now)).isEqualTo(1);
        assertThat(store.deleteExpired(TimestampColumn.EXPIRY_TIME, Instant.EPOCH, now, 500).deleted()).isEqualTo(1);
        assertThat(store.load(dead.session().hash())).isEmpty();
        assertThat(store.load(alive.session().hash())).contains(alive);
        assertThat(store.deleteExpired(TimestampColumn.EXPIRY_TIME, Instant.EPOCH, now, 500).deleted()).isZero();
    }

    @Test
    void deleteExpiredByLastActivityIgnoresExpiry() {
        Instant now = clock.instant();
        // idle for three weeks but with a far expiry: removable by last_activity_time only
        StoredSession idle = session("a", "gw-a", now.minus(Duration.ofDays(21)), Duration.ofDays(60));
        StoredSession busy = TestSessions.touched(session("b", "gw-a", now.minus(Duration.ofDays(21)), HOUR), now, HOUR);
        store.store(idle);
        store.store(busy);
        Instant cutoff = now.minus(Duration.ofMinutes(30_240 - 1));
        assertThat(store.countExpired(TimestampColumn.EXPIRY_TIME, cutoff)).isZero();
        assertThat(store.deleteExpired(TimestampColumn.LAST_ACTIVITY_TIME, Instant.EPOCH, cutoff, 10).deleted()).isEqualTo(1);
        assertThat(store.load(idle.session().hash())).isEmpty();
        assertThat(store.load(busy.session().hash())).isPresent();
    }

    @Test
    void deleteExpiredRemovesAtMostOneBatch() {
        Instant now = clock.instant();
        for (int i = 0; i < 25; i++) {
            store.store(session("u" + i, "gw-a", now.minus(Duration.ofHours(2)), HOUR));
        }
        assertThat(store.deleteExpired(TimestampColumn.EXPIRY_TIME, Instant.EPOCH, now, 10).deleted()).isEqualTo(10);
        assertThat(store.countExpired(TimestampColumn.EXPIRY_TIME, now)).isEqualTo(15);
    }

    @Test
    void deleteExpiredTakesTheOldestFirstAndReportsWhereToGoOn() {
        Instant now = clock.instant();
        List<StoredSession> all = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            StoredSession s = session("u" + i, "gw-a", now.minus(Duration.ofHours(20 - i)), HOUR);
            all.add(s);
            store.store(s);
        }
        ExpiredBatch first = store.deleteExpired(TimestampColumn.EXPIRY_TIME, Instant.EPOCH, now, 5);
        assertThat(first.deleted()).isEqualTo(5);
        Instant fifth = all.get(4).expiryTime();
        // SQL stores keep milliseconds: newest may be cut to the millisecond, never later
        assertThat(first.newest()).isBetween(fifth.truncatedTo(java.time.temporal.ChronoUnit.MILLIS), fifth);
        all.subList(0, 5).forEach(s -> assertThat(store.load(s.session().hash())).isEmpty());
        assertThat(store.load(all.get(5).session().hash())).isPresent();
        ExpiredBatch rest = store.deleteExpired(TimestampColumn.EXPIRY_TIME, first.newest(), now, 500);
        assertThat(rest.deleted()).isEqualTo(7);
        assertThat(store.deleteExpired(TimestampColumn.EXPIRY_TIME, rest.newest(), now, 500).deleted()).isZero();
    }

    @Test
    void loadOwnedByKeepsTheLatestExpiriesWhenLimited() {
        Instant now = clock.instant();
        StoredSession soon = session("a", "gw-a", now, Duration.ofMinutes(10));
        StoredSession later = session("b", "gw-a", now, Duration.ofMinutes(20));
        StoredSession latest = session("c", "gw-a", now, Duration.ofMinutes(30));
        List.of(soon, latest, later).forEach(store::store);
        assertThat(store.loadOwnedBy("gw-a", now, 2)).containsExactly(latest, later);
    }

    @Test
    void theTwoColumnsSelectDifferentSessions() {
        Instant now = clock.instant();
        Instant cutoff = now.minus(Duration.ofDays(1));
        StoredSession idleButNotExpired = session("a", "gw-a", now.minus(Duration.ofDays(2)), Duration.ofDays(30));
        StoredSession activeButExpired = TestSessions.touched(session("b", "gw-a", now.minus(Duration.ofDays(3)), HOUR),
                now, Duration.ofDays(-2));
        store.store(idleButNotExpired);
        store.store(activeButExpired);
        assertThat(store.countExpired(TimestampColumn.LAST_ACTIVITY_TIME, cutoff)).isEqualTo(1);
        assertThat(store.deleteExpired(TimestampColumn.LAST_ACTIVITY_TIME, Instant.EPOCH, cutoff, 10).deleted()).isEqualTo(1);
        assertThat(store.load(idleButNotExpired.session().hash())).isEmpty();
        assertThat(store.load(activeButExpired.session().hash())).isPresent();
        assertThat(store.deleteExpired(TimestampColumn.EXPIRY_TIME, Instant.EPOCH, cutoff, 10).deleted()).isEqualTo(1);
        assertThat(store.load(activeButExpired.session().hash())).isEmpty();
    }

    /**
     * Gateway A deletes its copy of a session while gateway B, on the same storage, takes the session over: whatever
     * the order, B's copy must survive. A delete that loads, compares and then deletes (not atomic) removes B's copy
     * when B's write falls between its read and its delete; over many rounds that happens.
     */
    @Test
    void aDeleteByTheFormerOwnerNeverRemovesTheCopyTheNewOwnerJustWrote() throws Exception {
        try (SessionStore gatewayB = openSecondNode();
             java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2)) {
            for (int round = 0; round < 200; round++) {
                StoredSession atA = session("alice", "gw-a", clock.instant(), HOUR);
                StoredSession atB = new StoredSession(atA.session().migratedTo("gw-b", "users", Set.of("staff"), false,
                        clock.instant()), atA.expiryTime());
                store.store(atA);
                java.util.concurrent.CyclicBarrier go = new java.util.concurrent.CyclicBarrier(2);
                var delete = pool.submit(() -> {
                    go.await();
                    return store.deleteOwned(atA.session().hash(), "gw-a");
                });
                var takeOver = pool.submit(() -> {
                    go.await();
                    gatewayB.store(atB);
                    return true;
                });
                delete.get();
                takeOver.get();
                assertThat(store.load(atA.session().hash())).as("round " + round + ": gw-b's copy").contains(atB);
            }
        }
    }

    @Test
    void findPagesLiveSessionsByFilterLatestExpiryFirstAndCountsThem() {
        Instant now = clock.instant();
        List<StoredSession> alice = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            alice.add(session("alice", "gw-a", now, HOUR.multipliedBy(i)));
        }
        alice.add(session("alice", "gw-b", now, HOUR.multipliedBy(4)));
        StoredSession bob = session("bob", "gw-a", now, HOUR);
        StoredSession expired = session("alice", "gw-a", now.minus(HOUR.multipliedBy(3)), HOUR);
        List<StoredSession> all = new ArrayList<>(alice);
        all.add(bob);
        all.add(expired);
        store.writeAll(all, List.of());

        SessionFilter byAlice = SessionFilter.ALL.withUser("alice");
        SessionPage first = store.find(byAlice, now, Optional.empty(), 3);
        assertThat(hashes(first.sessions())).containsExactly(hash(alice.get(3)), hash(alice.get(2)), hash(alice.get(1)));
        assertThat(first.next()).isPresent();
        SessionPage second = store.find(byAlice, now, first.next(), 3);
        assertThat(hashes(second.sessions())).containsExactly(hash(alice.get(0)));
        assertThat(second.next()).isEmpty();

        assertThat(hashes(store.find(byAlice.withOwner("gw-b"), now, Optional.empty(), 10).sessions()))
                .containsExactly(hash(alice.get(3)));
        assertThat(store.count(byAlice, now)).isEqualTo(4);
        assertThat(store.count(SessionFilter.ALL.withOwner("gw-a"), now)).isEqualTo(4);
        SessionFilter olderThanNow = new SessionFilter(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of("gw-a"), Optional.empty(), Optional.of(now.minusSeconds(1)));
        assertThat(store.count(olderThanNow, now)).isZero();
        SessionFilter crafted = SessionFilter.ALL.withUser("alice' OR '1'='1");
        assertThat(store.find(crafted, now, Optional.empty(), 10).sessions()).as("values are bound, never spliced").isEmpty();
        assertThat(store.count(crafted.withOwner("gw-a' OR 1=1 --"), now)).isZero();
    }

    private static String hash(StoredSession s) {
        return s.session().hash().hex();
    }

    private static List<String> hashes(List<StoredSession> sessions) {
        return sessions.stream().map(SessionStoreContractTest::hash).toList();
    }
}
