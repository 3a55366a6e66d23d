package dev.baton.gateway;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import java.util.Locale;

/**
 * A realm's limit on one user's live sessions across the federation (docs/gateway.md, realm keys
 * {@code max-sessions-per-user} and {@code session-limit-policy}).
 *
 * @param maxPerUser the most live sessions one user may hold in the federation; 0 for no limit
 * @param policy     what a sign-in or an arrival beyond the limit gets
 */
public record SessionLimit(int maxPerUser, Policy policy) {
    /** No limit. */
    public static final SessionLimit NONE = new SessionLimit(0, Policy.DENY_NEW);

    /** What happens to a session beyond the limit. */
    public enum Policy {
        /** The new session is refused; the user signs out elsewhere first. */
        DENY_NEW,
        /** The oldest session (by start time) is revoked, wherever it is, and the new one let in. */
        END_OLDEST;

        /** {@code deny-new} or {@code end-oldest}. */
        public static Policy parse(String text) {
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "deny-new" -> DENY_NEW;
                case "end-oldest" -> END_OLDEST;
                default -> throw new IllegalArgumentException("must be deny-new or end-oldest, got '" + text + "'");
            };
        }
    }

    /** Validates. */
    public SessionLimit {
        if (maxPerUser < 0) {
            throw new BatonException(ResultCode.CONFIGURATION, "max-sessions-per-user must be 0 (no limit) or more");
        }
        if (policy == null) {
            throw new BatonException(ResultCode.CONFIGURATION, "session-limit-policy is required");
        }
    }

    /** Whether there is a limit. */
    public boolean limited() {
        return maxPerUser > 0;
    }
}
