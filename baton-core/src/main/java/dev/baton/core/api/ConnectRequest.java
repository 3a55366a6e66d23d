package dev.baton.core.api;

import java.util.Map;
import java.util.Objects;

/**
 * A connection with an existing session id, to resume or migrate it.
 *
 * @param sessionId the session id as the agent holds it
 * @param posture   current posture facts for Host Checker
 * @param challenge a fresh challenge from {@link GatewayEndpoint#challenge()} of the gateway connected to, or
 *                  one the agent made for it ({@link dev.baton.core.ProofOfPossession#agentChallenge})
 * @param signature the agent's signature over it ({@link dev.baton.core.ProofOfPossession#sign})
 */
public record ConnectRequest(String sessionId, Map<String, String> posture, String challenge, String signature) {
    /** Validates and freezes. */
    public ConnectRequest {
        Objects.requireNonNull(sessionId, "sessionId");
        posture = Map.copyOf(posture == null ? Map.of() : posture);
    }

    @Override
    public String toString() {
        return "ConnectRequest[posture=" + posture + "]";
    }
}
