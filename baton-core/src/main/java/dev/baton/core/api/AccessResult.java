package dev.baton.core.api;

import java.time.Instant;
import java.util.Set;

/**
 * The state of a session on the gateway that answered.
 *
 * @param gateway     the gateway that holds the session now
 * @param user        the username
 * @param realm       the realm on that gateway
 * @param roles       the roles the session has now
 * @param remediation whether only a remediation role holds it
 * @param startTime   the original sign-in time
 * @param deadline    when it ends if nothing more happens
 * @param outcome     how the session got here: {@code signed-in}, {@code resumed}, {@code migrated} or {@code active}
 */
public record AccessResult(String gateway, String user, String realm, Set<String> roles, boolean remediation,
                           Instant startTime, Instant deadline, String outcome) {
    /** Freezes. */
    public AccessResult {
        roles = Set.copyOf(roles);
    }
}
