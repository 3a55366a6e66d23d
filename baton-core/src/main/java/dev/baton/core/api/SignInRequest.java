package dev.baton.core.api;

import java.util.Map;
import java.util.Objects;

/**
 * A sign-in with credentials.
 *
 * @param realm     the realm to sign in to
 * @param username  the username
 * @param password  the password (never logged)
 * @param posture   posture facts for Host Checker (name to value)
 * @param agentKey  the agent's public key (base64 X.509), or {@code null}
 */
public record SignInRequest(String realm, String username, String password, Map<String, String> posture, String agentKey) {
    /** Validates and freezes. */
    public SignInRequest {
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(username, "username");
        posture = Map.copyOf(posture == null ? Map.of() : posture);
    }

    @Override
    public String toString() {
        return "SignInRequest[realm=" + realm + ", username=" + username + ", posture=" + posture + "]";
    }
}
