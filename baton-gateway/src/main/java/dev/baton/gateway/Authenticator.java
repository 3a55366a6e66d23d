package dev.baton.gateway;

import dev.baton.core.UserDirectory;

import java.util.Optional;

/**
 * A realm's authentication server: checks credentials at sign-in, and (as a {@link UserDirectory}) answers
 * the inbound look-ups of migrated sessions without a password. Thread-safe.
 */
public interface Authenticator extends UserDirectory {

    /**
     * Checks a password.
     *
     * @return the user's entry if the credentials are right, empty otherwise
     * @throws dev.baton.core.BatonException with {@link dev.baton.core.ResultCode#UNAVAILABLE} if the server is unreachable
     */
    Optional<Entry> authenticate(String username, char[] password);
}
