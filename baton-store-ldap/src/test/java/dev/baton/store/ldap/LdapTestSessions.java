package dev.baton.store.ldap;

import dev.baton.core.AuthGroup;
import dev.baton.core.AuthServerKind;
import dev.baton.core.Session;
import dev.baton.core.SessionIdHash;
import dev.baton.store.StoredSession;
import dev.baton.store.TimestampColumn;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;


/** Sessions for the LDAP store's own tests (the store contract itself is baton-store's SessionStoreContractTest). */
final class LdapTestSessions {
    static final Instant T0 = Instant.parse("2026-11-23T01:00:00Z");
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private LdapTestSessions() {
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

    /** A session whose {@code column} is {@code value} and whose other column is far in the future. */
    static StoredSession withColumn(TimestampColumn column, Instant value) {
        Instant far = value.plus(Duration.ofDays(365));
        return switch (column) {
            case EXPIRY_TIME -> session("gw-a", value.minusSeconds(7200), far, value);
            case LAST_ACTIVITY_TIME -> session("gw-a", value.minusSeconds(7200), value, far);
        };
    }
}
