package dev.baton.store;

import java.time.Instant;
import java.util.Optional;

/**
 * Which stored sessions an operator asks for: each criterion that is set must hold; unset ones match all.
 * Only criteria every backend keeps as a column or attribute are here (user, realm, authentication group,
 * owning gateway, start time); anything inside the session's data (roles) is filtered by the caller.
 *
 * @param user          the user name, exactly
 * @param realm         the realm, exactly
 * @param authGroup     the authentication group, exactly
 * @param owner         the gateway that holds the session
 * @param startedAfter  started strictly after this instant (younger than an age)
 * @param startedBefore started strictly before this instant (older than an age)
 */
public record SessionFilter(Optional<String> user, Optional<String> realm, Optional<String> authGroup,
                            Optional<String> owner, Optional<Instant> startedAfter, Optional<Instant> startedBefore) {
    /** Every session. */
    public static final SessionFilter ALL = new SessionFilter(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty());

    public SessionFilter withOwner(String gateway) {
        return new SessionFilter(user, realm, authGroup, Optional.of(gateway), startedAfter, startedBefore);
    }

    public SessionFilter withUser(String name) {
        return new SessionFilter(Optional.of(name), realm, authGroup, owner, startedAfter, startedBefore);
    }

    /** Whether {@code s} meets every criterion that is set. */
    public boolean matches(StoredSession s) {
        var session = s.session();
        return user.map(session.user()::equals).orElse(true)
                && realm.map(session.realm()::equals).orElse(true)
                && authGroup.map(g -> session.authGroup() != null && session.authGroup().name().equals(g)).orElse(true)
                && owner.map(session.owner()::equals).orElse(true)
                && startedAfter.map(session.startTime()::isAfter).orElse(true)
                && startedBefore.map(session.startTime()::isBefore).orElse(true);
    }
}
