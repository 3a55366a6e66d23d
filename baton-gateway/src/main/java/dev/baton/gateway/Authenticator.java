package dev.baton.gateway;

import dev.baton.core.UserDirectory;

import java.util.Optional;

/**
 * A realm's authentication server: checks credentials at sign-in, and (as a {@link UserDirectory}) answers
 * the inbound look-ups of migrated sessions without a password. Thread-safe.
 */
public interface Authenticator extends UserDirectory {
    /**
     * The message of the {@code UNAVAILABLE} failure an authenticator raises when its server cannot be reached.
     * It reaches agents that have not signed in yet, so it names no server, address or port: those tell an
     * outsider the internal network. The authenticator logs the detail (servers tried, the error) at the gateway.
     */
    String UNAVAILABLE_REASON = "the authentication server is unavailable; try again later";

    /**
     * Checks a password.
     *
     * @return the user's entry if the credentials are right, empty otherwise
     * @throws dev.baton.core.BatonException with {@link dev.baton.core.ResultCode#UNAVAILABLE} and
     *         {@link #UNAVAILABLE_REASON} if the server is unreachable
     */
    Optional<Entry> authenticate(String username, char[] password);
}
