package dev.baton.core.api;

import java.util.Objects;

/**
 * A session id with the agent's proof that it holds the session's private key, which every request that uses
 * a session carries (access, heartbeat, sign-out; a connection carries the same in {@link ConnectRequest}), so
 * a copied id without the key gets nothing. In the style of DPoP (RFC 9449): each request has its own fresh,
 * single-use challenge and a signature over it, the operation, the gateway and the session hash
 * ({@link dev.baton.core.ProofOfPossession#message(String, String, dev.baton.core.SessionIdHash, String)}).
 *
 * @param sessionId the session id as the agent holds it
 * @param challenge a challenge from {@link GatewayEndpoint#challenge()} or made by the agent
 *                  ({@link dev.baton.core.ProofOfPossession#agentChallenge})
 * @param signature the agent's signature for this request's operation
 */
public record SessionProof(String sessionId, String challenge, String signature) {
    /** Validates presence of the id. */
    public SessionProof {
        Objects.requireNonNull(sessionId, "sessionId");
    }

    @Override
    public String toString() {
        return "SessionProof[challenge=" + challenge + "]"; // never the id
    }
}
