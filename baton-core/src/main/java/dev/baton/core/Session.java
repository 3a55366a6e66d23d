package dev.baton.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One authenticated user session as every Baton node sees it: keyed by the hash of its id, never the id.
 * Immutable; every change yields a new instance through the {@code with...} methods.
 *
 * @param hash           the SHA-256 hash of the session id
 * @param user           the username the realm authenticated
 * @param realm          the realm that holds it on the owning gateway
 * @param authGroup      the realm's authentication group, or {@code null} if the realm has none (never migrates)
 * @param authServerKind the kind of server that authenticated the user at sign-in
 * @param roles          the roles granted on the owning gateway (sorted, immutable)
 * @param attributes     user attributes (name to values, in name order, immutable), imported on migration for role
 *                       mapping
 * @param startTime      when the user signed in; kept across migrations (F9)
 * @param lastActivity   the last request of the user
 * @param lastHeartbeat  the last heartbeat of the agent
 * @param owner          the name of the gateway that holds the session now
 * @param remediation    whether the session is held only by a remediation role (F8)
 * @param agentKey       the agent's public key (X.509 SubjectPublicKeyInfo, base64), or {@code null} if not bound
 */
public record Session(
        SessionIdHash hash,
        String user,
        String realm,
        AuthGroup authGroup,
        AuthServerKind authServerKind,
        Set<String> roles,
        Map<String, List<String>> attributes,
        Instant startTime,
        Instant lastActivity,
        Instant lastHeartbeat,
        String owner,
        boolean remediation,
        String agentKey) {

    /** Validates and freezes the collections. */
    public Session {
        Objects.requireNonNull(hash, "hash");
        requireText(user, "user");
        requireText(realm, "realm");
        Objects.requireNonNull(authServerKind, "authServerKind");
        Objects.requireNonNull(startTime, "startTime");
        Objects.requireNonNull(lastActivity, "lastActivity");
        Objects.requireNonNull(lastHeartbeat, "lastHeartbeat");
        requireText(owner, "owner");
        roles = Set.copyOf(new TreeSet<>(Objects.requireNonNull(roles, "roles")));
        attributes = freeze(Objects.requireNonNull(attributes, "attributes"));
        if (lastActivity.isBefore(startTime)) {
            throw new BatonException(ResultCode.INVALID_REQUEST, "session lastActivity is before its startTime");
        }
    }

    /** A session of {@code user} that starts now at {@code owner}. */
    public static Session start(SessionIdHash hash, String user, String realm, AuthGroup group, AuthServerKind kind,
                                Set<String> roles, Map<String, List<String>> attributes, Instant now, String owner) {
        return new Session(hash, user, realm, group, kind, roles, attributes, now, now, now, owner, false, null);
    }

    /** Records user activity (also counts as a heartbeat). */
    public Session touchedAt(Instant now) {
        return new Session(hash, user, realm, authGroup, authServerKind, roles, attributes, startTime,
                later(lastActivity, now), later(lastHeartbeat, now), owner, remediation, agentKey);
    }

    /** Records an agent heartbeat, which does not count as user activity. */
    public Session heartbeatAt(Instant now) {
        return new Session(hash, user, realm, authGroup, authServerKind, roles, attributes, startTime,
                lastActivity, later(lastHeartbeat, now), owner, remediation, agentKey);
    }

    /** The same session owned by {@code gateway} in {@code realmName} with new roles; start time unchanged (F9). */
    public Session migratedTo(String gateway, String realmName, Set<String> newRoles, boolean remediationOnly, Instant now) {
        return new Session(hash, user, realmName, authGroup, authServerKind, newRoles, attributes, startTime,
                later(lastActivity, now), later(lastHeartbeat, now), gateway, remediationOnly, agentKey);
    }

    /** The same session with other roles. */
    public Session withRoles(Set<String> newRoles, boolean remediationOnly) {
        return new Session(hash, user, realm, authGroup, authServerKind, newRoles, attributes, startTime,
                lastActivity, lastHeartbeat, owner, remediationOnly, agentKey);
    }

    /** The same session bound to an agent's public key. */
    public Session withAgentKey(String key) {
        return new Session(hash, user, realm, authGroup, authServerKind, roles, attributes, startTime,
                lastActivity, lastHeartbeat, owner, remediation, key);
    }

    /** Whether this session may leave its realm at all (F5, F6). */
    public boolean migratable() {
        return authGroup != null && authServerKind.migrates();
    }

    private static Instant later(Instant a, Instant b) {
        return b.isAfter(a) ? b : a;
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new BatonException(ResultCode.INVALID_REQUEST, "session " + name + " must not be blank");
        }
    }

    private static Map<String, List<String>> freeze(Map<String, List<String>> in) {
        if (in instanceof SortedArrayMap frozen) {
            return frozen; // another session's, already checked and immutable: the with... methods share it
        }
        TreeMap<String, List<String>> out = new TreeMap<>();
        in.forEach((k, v) -> out.put(Objects.requireNonNull(k, "attribute name"), List.copyOf(v)));
        return SortedArrayMap.of(out);
    }
}
