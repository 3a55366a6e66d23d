package dev.baton.core;

import java.time.Duration;
import java.util.Collection;
import java.util.Objects;

/**
 * Session options of one role (F9). When a session holds several roles, {@link #merge(Collection)} takes
 * the most permissive value of each option, as gateways do when "merge settings of all assigned roles" is on.
 *
 * @param maxSessionLength  the longest a session may live, counted from its original start (default 8 h)
 * @param idleTimeout       how long a session may go without user activity (default 30 min)
 * @param heartbeatTimeout  how long a session may go without an agent heartbeat (default 20 min)
 * @param remediation       whether the role is a remediation role that needs no Host Checker (F8)
 */
public record SessionOptions(Duration maxSessionLength, Duration idleTimeout, Duration heartbeatTimeout, boolean remediation) {
    /** Defaults: 8 hours maximum length, 30 minutes idle, 20 minutes heartbeat, not a remediation role. */
    public static final SessionOptions DEFAULTS =
            new SessionOptions(Duration.ofHours(8), Duration.ofMinutes(30), Duration.ofMinutes(20), false);

    /** Every duration must be positive. */
    public SessionOptions {
        requirePositive(maxSessionLength, "max-session-length");
        requirePositive(idleTimeout, "idle-timeout");
        requirePositive(heartbeatTimeout, "heartbeat-timeout");
    }

    /** The most permissive options across the roles' options; {@link #DEFAULTS} if there are none. */
    public static SessionOptions merge(Collection<SessionOptions> options) {
        return options.stream().reduce((a, b) -> new SessionOptions(
                max(a.maxSessionLength, b.maxSessionLength), max(a.idleTimeout, b.idleTimeout),
                max(a.heartbeatTimeout, b.heartbeatTimeout), a.remediation && b.remediation)).orElse(DEFAULTS);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static void requirePositive(Duration d, String key) {
        Objects.requireNonNull(d, key);
        if (d.isNegative() || d.isZero()) {
            throw new BatonException(ResultCode.CONFIGURATION, key + " must be positive, got " + d);
        }
    }
}
