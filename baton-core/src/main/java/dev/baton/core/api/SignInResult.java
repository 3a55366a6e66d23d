package dev.baton.core.api;

import java.util.Objects;

/**
 * A successful sign-in.
 *
 * @param sessionId the new session id, for the agent alone
 * @param access    the session's state
 */
public record SignInResult(String sessionId, AccessResult access) {
    /** Validates. */
    public SignInResult {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(access, "access");
    }

    @Override
    public String toString() {
        return "SignInResult[access=" + access + "]";
    }
}
