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
 */
public record FederatedSession(SessionIdHash hash, String user, String realm, AuthGroup authGroup,
                               AuthServerKind authServerKind, Instant startTime, Instant lastActivity,
                               boolean remediation, String agentKey, Map<String, List<String>> attributes,
                               Set<String> roles, Set<String> capabilities, String owner, long generation) {

    /** This session as a core {@link Session} owned by {@link #owner()}. */
    public Session asSession() {
        return new Session(hash, user, realm, authGroup, authServerKind, roles, attributes, startTime,
                lastActivity, lastActivity, owner, remediation, agentKey);
    }
}
