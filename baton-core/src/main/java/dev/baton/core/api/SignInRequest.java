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
    /** Longest user name accepted; a sign-in carries it into the throttle's memory and the log. */
    public static final int MAX_USERNAME = 256;
    /** Longest password accepted. */
    public static final int MAX_PASSWORD = 1024;

    /** Validates and freezes; a field over its bound is refused, naming it. */
    public SignInRequest {
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(username, "username");
        if (username.length() > MAX_USERNAME || realm.length() > MAX_USERNAME) {
            throw new dev.baton.core.BatonException(dev.baton.core.ResultCode.INVALID_REQUEST, (realm.length() > MAX_USERNAME
                    ? "realm" : "username") + " is longer than " + MAX_USERNAME + " characters");
        }
        if (password != null && password.length() > MAX_PASSWORD) {
            throw new dev.baton.core.BatonException(dev.baton.core.ResultCode.INVALID_REQUEST, "password is longer than "
                    + MAX_PASSWORD + " characters");
        }
        posture = Map.copyOf(posture == null ? Map.of() : posture);
    }

    @Override
    public String toString() {
        return "SignInRequest[realm=" + realm + ", username=" + username + ", posture=" + posture + "]";
    }
}
