package dev.baton.core;

import java.time.Duration;

/**
 * A refusal that ends by itself: overload ({@link ResultCode#OVERLOADED}) or throttling
 * ({@link ResultCode#THROTTLED}). It says when to try again, which HTTP answers carry as {@code Retry-After}.
 */
public final class RetryLaterException extends BatonException {
    private final Duration retryAfter;

    /** A refusal with {@code code}, to be retried after {@code retryAfter} (at least a second). */
    public RetryLaterException(ResultCode code, String message, Duration retryAfter) {
        super(code, message);
        this.retryAfter = retryAfter.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : retryAfter;
    }

    /** When to try again. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** {@link #retryAfter} in whole seconds, rounded up, as {@code Retry-After} takes it. */
    public long retryAfterSeconds() {
        return (retryAfter.toMillis() + 999) / 1000;
    }
}
