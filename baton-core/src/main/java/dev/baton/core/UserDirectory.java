package dev.baton.core;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a receiving realm's authentication server can say about a user without a password: whether the
 * account exists (a local account, a DN the username resolves to, a NIS entry) and which attributes it
 * has. Implementations do I/O and live outside core; they must be thread-safe.
 */
@FunctionalInterface
public interface UserDirectory {
    /** A directory that knows nobody. */
    UserDirectory EMPTY = username -> Optional.empty();

    /**
     * Looks a user up.
     *
     * @return the entry, or empty if the user is unknown
     * @throws BatonException with {@link ResultCode#UNAVAILABLE} if the server cannot be reached
     */
    Optional<Entry> find(String username);

    /**
     * A found user.
     *
     * @param name       the account name, or the DN for directories
     * @param attributes attributes usable by role mapping (may be empty)
     */
    record Entry(String name, Map<String, List<String>> attributes) {
        /** Freezes the attributes. */
        public Entry {
            attributes = Map.copyOf(attributes);
        }
    }
}
