package dev.baton.gateway.admission;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import java.time.Duration;

/**
 * How a gateway protects itself and its users from floods and password guessing (YAML section
 * {@code admission}, docs/gateway.md).
 *
 * @param maxConcurrentSignIns  sign-ins whose credentials are checked at once (an Argon2id hash holds a core and
 *                              64 MiB); default half the cores, at least one, so the other half serves requests
 *                              that carry a session
 * @param maxQueuedSignIns      sign-ins that may wait for a turn; beyond them a sign-in is refused at once with
 *                              {@link ResultCode#OVERLOADED} (default 32)
 * @param queueWait             longest a queued sign-in waits before it is refused (default 2 s)
 * @param freeFailuresPerUser   failed sign-ins of one user name before its attempts are delayed (default 5)
 * @param freeFailuresPerSource failed sign-ins from one address before its attempts are delayed (default 20)
 * @param baseDelay             the first delay; each further failure doubles it (default 1 s)
 * @param maxDelay              the longest delay between attempts (default 60 s)
 * @param lockAfter             failures (beyond the free ones) after which the user name or address is locked (default 10)
 * @param lockDuration          how long a lock lasts (default 15 min)
 * @param maxTracked            user names and addresses remembered at once, each (default 100,000); the least
 *                              recently seen are forgotten first
 */
public record AdmissionSettings(int maxConcurrentSignIns, int maxQueuedSignIns, Duration queueWait,
                                int freeFailuresPerUser, int freeFailuresPerSource, Duration baseDelay, Duration maxDelay,
                                int lockAfter, Duration lockDuration, int maxTracked) {
    /** The defaults above. */
    public static final AdmissionSettings DEFAULTS = new AdmissionSettings(
            Math.max(1, Runtime.getRuntime().availableProcessors() / 2), 32, Duration.ofSeconds(2), 5, 20,
            Duration.ofSeconds(1), Duration.ofSeconds(60), 10, Duration.ofMinutes(15), 100_000);

    /** Validates; messages name the YAML key. */
    public AdmissionSettings {
        require(maxConcurrentSignIns >= 1, "admission.max-concurrent-sign-ins must be at least 1");
        require(maxQueuedSignIns >= 0, "admission.max-queued-sign-ins must not be negative");
        require(!queueWait.isNegative(), "admission.queue-wait must not be negative");
        require(freeFailuresPerUser >= 1, "admission.free-failures-per-user must be at least 1");
        require(freeFailuresPerSource >= 1, "admission.free-failures-per-source must be at least 1");
        require(baseDelay.isPositive() && !maxDelay.minus(baseDelay).isNegative(),
                "admission.base-delay must be positive and no longer than admission.max-delay");
        require(lockAfter >= 1, "admission.lock-after must be at least 1");
        require(lockDuration.isPositive(), "admission.lock-duration must be positive");
        require(maxTracked >= 100, "admission.max-tracked must be at least 100");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new BatonException(ResultCode.CONFIGURATION, message);
        }
    }
}
