package dev.baton.store;

import dev.baton.core.AuthGroup;
import dev.baton.core.AuthServerKind;
import dev.baton.core.Session;
import dev.baton.core.SessionId;
import dev.baton.core.SessionIdHash;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Sessions for tests. */
public final class TestSessions {
    private TestSessions() {
    }

    /** A fresh random hash. */
    public static SessionIdHash newHash() {
        return SessionId.generate().hash();
    }

    /** A session of {@code user} started at {@code start} on {@code owner}, expiring {@code ttl} later. */
    public static StoredSession session(String user, String owner, Instant start, Duration ttl) {
        Session s = Session.start(newHash(), user, "users", new AuthGroup("corp"), AuthServerKind.LDAP,
                Set.of("staff", "vpn"), Map.of("department", List.of("sales"), "mail", List.of("a@example.org", "b@example.org")),
                start, owner);
        return new StoredSession(s, start.plus(ttl));
    }

    /** The same session touched at {@code when}, expiring {@code ttl} after that. */
    public static StoredSession touched(StoredSession s, Instant when, Duration ttl) {
        return new StoredSession(s.session().touchedAt(when), when.plus(ttl));
    }
}
