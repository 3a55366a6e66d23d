package dev.baton.bench.memory;

import dev.baton.core.AuthGroup;
import dev.baton.core.AuthServerKind;
import dev.baton.core.Session;
import dev.baton.core.SessionId;
import dev.baton.store.StoredSession;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sessions as a sign-in at an LDAP realm makes them: a user name, realm {@code users} in group {@code corp}, roles
 * {@code staff} and {@code vpn} from role mapping, three attributes looked up in the directory ({@code department},
 * {@code mail}, {@code memberOf}), an agent key (Ed25519, X.509 SubjectPublicKeyInfo in base64) and owner
 * {@code gateway-a}. What comes from the gateway's configuration (realm, group, roles, owner) is one object shared
 * by every session, as in a gateway; what comes from the user (name, key, attribute values) is a new string per
 * session, as it arrives from a request or a directory. Not thread safe (one random source).
 */
final class SampleSessions {
    static final String OWNER = "gateway-a";
    static final String REALM = "users";
    static final AuthGroup GROUP = new AuthGroup("corp");
    static final Set<String> ROLES = Set.of("staff", "vpn");
    static final Set<String> CAPABILITIES = Set.of("remote-access");
    static final Duration IDLE = Duration.ofMinutes(30);
    private static final byte[] ED25519_SPKI_PREFIX = Base64.getDecoder().decode("MCowBQYDK2VwAyEA");
    private static final String[] DEPARTMENTS = {"sales", "engineering", "finance", "support", "operations"};

    private final SecureRandom random = new SecureRandom();

    /**
     * Session number {@code i}, signed in {@code i} microseconds after {@code now}: its own instant, as each sign-in
     * reads the clock (start, activity and heartbeat share it; the deadline is another).
     */
    StoredSession next(int i, Instant now) {
        Instant at = now.plusNanos(1_000L * i + 1);
        String user = "user" + i;
        Map<String, List<String>> attributes = Map.of(
                "department", List.of(new String(DEPARTMENTS[i % DEPARTMENTS.length])),
                "mail", List.of(user + "@example.org"),
                "memberOf", List.of("cn=" + DEPARTMENTS[i % DEPARTMENTS.length] + ",ou=groups,dc=example,dc=org"));
        Session s = Session.start(SessionId.generate().hash(), user, REALM, GROUP, AuthServerKind.LDAP, ROLES,
                attributes, at, OWNER).withAgentKey(agentKey());
        return new StoredSession(s, at.plus(IDLE));
    }

    private String agentKey() {
        byte[] key = new byte[ED25519_SPKI_PREFIX.length + 32];
        System.arraycopy(ED25519_SPKI_PREFIX, 0, key, 0, ED25519_SPKI_PREFIX.length);
        byte[] point = new byte[32];
        random.nextBytes(point);
        System.arraycopy(point, 0, key, ED25519_SPKI_PREFIX.length, 32);
        return Base64.getEncoder().encodeToString(key);
    }
}
