package dev.baton.ifmap;

import dev.baton.core.AuthGroup;
import dev.baton.core.AuthServerKind;
import dev.baton.core.Session;
import dev.baton.core.SessionIdHash;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A session as the federation server holds it, read back by {@link FederationClient#lookup}: Baton's
 * vendor metadata, the standard role and capability metadata, and who owns it at which generation.
 *
 * @param hash           the session id hash (the access-request's name)
 * @param user           the identity the session is authenticated as
 * @param realm          the realm at the owning gateway
 * @param authGroup      the authentication group, or {@code null}
 * @param authServerKind the kind of server that authenticated the user
 * @param startTime      sign-in time (kept across migrations)
 * @param lastActivity   last user activity the owner published
 * @param remediation    whether only a remediation role holds it
 * @param agentKey       the agent's public key (base64 SubjectPublicKeyInfo), or {@code null}
 * @param attributes     user attributes to import
 * @param roles          roles at the owning gateway (meta:role)
 * @param capabilities   capabilities the endpoint was granted (meta:capability)
 * @param owner          the owning gateway's name
 * @param generation     the ownership generation; a claim must name it
 * @param revoked        whether the session carries the revocation mark {@code baton:revoked} (an operator, or a
 *                       session limit, ended it): then its data is gone and only hash, owner and generation are known
 */
public record FederatedSession(SessionIdHash hash, String user, String realm, AuthGroup authGroup,
                               AuthServerKind authServerKind, Instant startTime, Instant lastActivity,
                               boolean remediation, String agentKey, Map<String, List<String>> attributes,
                               Set<String> roles, Set<String> capabilities, String owner, long generation,
                               boolean revoked) {

    /** A session that was not revoked. */
    public FederatedSession(SessionIdHash hash, String user, String realm, AuthGroup authGroup,
                            AuthServerKind authServerKind, Instant startTime, Instant lastActivity,
                            boolean remediation, String agentKey, Map<String, List<String>> attributes,
                            Set<String> roles, Set<String> capabilities, String owner, long generation) {
        this(hash, user, realm, authGroup, authServerKind, startTime, lastActivity, remediation, agentKey, attributes,
                roles, capabilities, owner, generation, false);
    }

    /** A revoked session: the mark, and the owner ({@code null} once it withdrew) at {@code generation}. */
    static FederatedSession revoked(SessionIdHash hash, String owner, long generation) {
        return new FederatedSession(hash, null, null, null, null, null, null, false, null, Map.of(), Set.of(), Set.of(),
                owner, generation, true);
    }

    /** This session as a core {@link Session} owned by {@link #owner()}. */
    public Session asSession() {
        if (revoked) {
            throw new IllegalStateException("session " + hash.abbreviated() + " was revoked: its data is gone");
        }
        return new Session(hash, user, realm, authGroup, authServerKind, roles, attributes, startTime,
                lastActivity, lastActivity, owner, remediation, agentKey);
    }
}
