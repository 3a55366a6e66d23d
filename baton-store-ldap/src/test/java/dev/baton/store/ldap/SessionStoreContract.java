package dev.baton.store.ldap;

import dev.baton.core.AuthGroup;
import dev.baton.core.AuthServerKind;
import dev.baton.core.Session;
import dev.baton.core.SessionIdHash;
import dev.baton.store.SessionStore;
import dev.baton.store.StoredSession;
import dev.baton.store.TimestampColumn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link SessionStore} contract, stated once. Each backend's subclass only says how to open an empty
 * store; every test gets a fresh one.
 */
abstract class SessionStoreContract {
    static final Instant T0 = Instant.parse("2026-11-23T01:00:00Z");
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    SessionStore store;

    /** An empty store, isolated from every other test's data. */
    abstract SessionStore openEmptyStore();

    @BeforeEach
    void open() {
        store = openEmptyStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    static SessionIdHash newHash() {
        byte[] bytes = new byte[32];
        int n = SEQUENCE.incrementAndGet();
        bytes[0] = (byte) (n >>> 24);
        bytes[1] = (byte) (n >>> 16);
        bytes[2] = (byte) (n >>> 8);
        bytes[3] = (byte) n;
        bytes[31] = (byte) System.identityHashCode(SEQUENCE);
        return new SessionIdHash(HexFormat.of().formatHex(bytes));
    }

    static StoredSession session(String owner, Instant start, Instant lastActivity, Instant expiry) {
        Session s = new Session(newHash(), "alice", "Users", new AuthGroup("corp"), AuthServerKind.LDAP,
                Set.of("staff", "vpn"), Map.of("department", List.of("R&D", "Ops"), "mail", List.of("a@example.org")),
                start, lastActivity, lastActivity, owner, false, null);
        return new StoredSession(s, expiry);
    }

    static StoredSession expiringAt(Instant expiry) {
        return session("gw-a", T0, T0, expiry);
    }

    @Test
    void storedSessionLoadsBackEqualToWhatWasStored() {
        StoredSession stored = session("gw-a", T0.plusNanos(123_456_789), T0.plusSeconds(5).plusNanos(1),
                T0.plusSeconds(3600).plusNanos(7));
        store.store(stored);

        assertThat(store.load(stored.session().hash())).contains(stored);
    }

    @Test
    void sessionWithoutGroupOrAttributesButWithAgentKeyRoundTrips() {
        Session s = new Session(newHash(), "bob@example.org", "Guests ü", null, AuthServerKind.RADIUS, Set.of(),
                Map.of(), T0, T0, T0.plusSeconds(1), "gw-b", true, "MCowBQYDK2VwAyEA");
        StoredSession stored = new StoredSession(s, T0.plusSeconds(60));
        store.store(stored);

        assertThat(store.load(s.hash())).contains(stored);
    }

    @Test
    void loadingAnUnknownHashFindsNothing() {
        assertThat(store.load(newHash())).isEmpty();
    }

    @Test
    void storingTheSameHashAgainReplacesTheSession() {
        StoredSession first = expiringAt(T0.plusSeconds(60));
        store.store(first);
        Session moved = first.session().migratedTo("gw-b", "Partners", Set.of("guest"), true, T0.plusSeconds(30));
        StoredSession second = new StoredSession(
                new Session(moved.hash(), moved.user(), moved.realm(), null, moved.authServerKind(), moved.roles(),
                        moved.attributes(), moved.startTime(), moved.lastActivity(), moved.lastHeartbeat(),
                        moved.owner(), moved.remediation(), moved.agentKey()),
                T0.plusSeconds(900));
        store.store(second);

        assertThat(store.load(first.session().hash())).contains(second);
        assertThat(store.loadOwnedBy("gw-a", T0, 10)).isEmpty();
        assertThat(store.loadOwnedBy("gw-b", T0, 10)).containsExactly(second);
    }

    @Test
    void deleteRemovesTheSessionAndSaysWhetherOneWasThere() {
        StoredSession stored = expiringAt(T0.plusSeconds(60));
        store.store(stored);

        assertThat(store.delete(stored.session().hash())).isTrue();
        assertThat(store.load(stored.session().hash())).isEmpty();
        assertThat(store.delete(stored.session().hash())).isFalse();
    }

    @Test
    void loadOwnedByReturnsOnlyThatGatewaysSessionsThatExpireAfterNow() {
        StoredSession live = session("gw-a", T0, T0, T0.plusSeconds(60));
        StoredSession expiresExactlyNow = session("gw-a", T0, T0, T0.plusSeconds(10));
        StoredSession expired = session("gw-a", T0, T0, T0.plusSeconds(5));
        StoredSession otherGateway = session("gw-b", T0, T0, T0.plusSeconds(60));
        List.of(live, expiresExactlyNow, expired, otherGateway).forEach(store::store);

        assertThat(store.loadOwnedBy("gw-a", T0.plusSeconds(10), 100)).containsExactly(live);
    }

    @Test
    void loadOwnedByKeepsTheLatestExpiriesWhenLimited() {
        StoredSession soon = expiringAt(T0.plusSeconds(10));
        StoredSession later = expiringAt(T0.plusSeconds(20));
        StoredSession latest = expiringAt(T0.plusSeconds(30));
        List.of(soon, latest, later).forEach(store::store);

        assertThat(store.loadOwnedBy("gw-a", T0, 2)).containsExactly(latest, later);
    }

    @Test
    void loadByUserReturnsThatUsersLiveSessionsOnEveryGatewayLatestExpiryFirst() {
        StoredSession onA = session("gw-a", T0, T0, T0.plusSeconds(60));
        StoredSession onB = session("gw-b", T0, T0, T0.plusSeconds(90));
        StoredSession expired = session("gw-a", T0, T0, T0.plusSeconds(5));
        Session bobs = session("gw-a", T0, T0, T0).session();
        StoredSession otherUser = new StoredSession(new Session(bobs.hash(), "bob", bobs.realm(), bobs.authGroup(),
                bobs.authServerKind(), bobs.roles(), bobs.attributes(), T0, T0, T0, "gw-a", false, null), T0.plusSeconds(60));
        List.of(onA, onB, expired, otherUser).forEach(store::store);

        // the SPI method comes with the baton-store branch that adds it; until then it is the LDAP store's own
        LdapSessionStore ldap = (LdapSessionStore) store;
        assertThat(ldap.loadByUser("alice", T0.plusSeconds(10), 10)).containsExactly(onB, onA);
        assertThat(ldap.loadByUser("alice", T0.plusSeconds(10), 1)).containsExactly(onB);
        assertThat(ldap.loadByUser("carol", T0, 10)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(TimestampColumn.class)
    void deleteExpiredRemovesOnlySessionsWhoseColumnIsBeforeTheCutoff(TimestampColumn column) {
        Instant cutoff = T0.plus(Duration.ofHours(1));
        StoredSession justBefore = withColumn(column, cutoff.minusMillis(1));
        StoredSession atCutoff = withColumn(column, cutoff);
        StoredSession after = withColumn(column, cutoff.plusSeconds(1));
        List.of(justBefore, atCutoff, after).forEach(store::store);

        assertThat(store.countExpired(column, cutoff)).isEqualTo(1);
        assertThat(store.deleteExpired(column, java.time.Instant.EPOCH, cutoff, 500).deleted()).isEqualTo(1);

        assertThat(store.load(justBefore.session().hash())).isEmpty();
        assertThat(store.load(atCutoff.session().hash())).contains(atCutoff);
        assertThat(store.load(after.session().hash())).contains(after);
        assertThat(store.countExpired(column, cutoff)).isZero();
    }

    @Test
    void theTwoColumnsSelectDifferentSessions() {
        Instant cutoff = T0.plus(Duration.ofDays(21));
        StoredSession idleButNotExpired = session("gw-a", T0, T0, cutoff.plusSeconds(60));
        StoredSession activeButExpired = session("gw-a", T0, cutoff.plusSeconds(60), cutoff.minusSeconds(60));
        store.store(idleButNotExpired);
        store.store(activeButExpired);

        assertThat(store.countExpired(TimestampColumn.LAST_ACTIVITY_TIME, cutoff)).isEqualTo(1);
        assertThat(store.deleteExpired(TimestampColumn.LAST_ACTIVITY_TIME, java.time.Instant.EPOCH, cutoff, 10).deleted()).isEqualTo(1);
        assertThat(store.load(idleButNotExpired.session().hash())).isEmpty();
        assertThat(store.load(activeButExpired.session().hash())).isPresent();

        assertThat(store.deleteExpired(TimestampColumn.EXPIRY_TIME, java.time.Instant.EPOCH, cutoff, 10).deleted()).isEqualTo(1);
        assertThat(store.load(activeButExpired.session().hash())).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(TimestampColumn.class)
    void deleteExpiredWorksInBatchesUntilNoneIsLeft(TimestampColumn column) {
        Instant cutoff = T0.plusSeconds(3600);
        for (int i = 0; i < 7; i++) {
            store.store(withColumn(column, cutoff.minusSeconds(i + 1)));
        }
        StoredSession keeper = withColumn(column, cutoff.plusSeconds(1));
        store.store(keeper);

        assertThat(store.countExpired(column, cutoff)).isEqualTo(7);
        assertThat(store.deleteExpired(column, java.time.Instant.EPOCH, cutoff, 3).deleted()).isEqualTo(3);
        assertThat(store.countExpired(column, cutoff)).isEqualTo(4);
        assertThat(store.deleteExpired(column, java.time.Instant.EPOCH, cutoff, 3).deleted()).isEqualTo(3);
        assertThat(store.deleteExpired(column, java.time.Instant.EPOCH, cutoff, 3).deleted()).isEqualTo(1);
        assertThat(store.deleteExpired(column, java.time.Instant.EPOCH, cutoff, 3).deleted()).isZero();
        assertThat(store.load(keeper.session().hash())).contains(keeper);
    }

    /** A session whose {@code column} is {@code value} and whose other column is far in the future. */
    static StoredSession withColumn(TimestampColumn column, Instant value) {
        Instant far = value.plus(Duration.ofDays(365));
        return switch (column) {
            case EXPIRY_TIME -> session("gw-a", value.minusSeconds(7200), far, value);
            case LAST_ACTIVITY_TIME -> session("gw-a", value.minusSeconds(7200), value, far);
        };
    }
}
