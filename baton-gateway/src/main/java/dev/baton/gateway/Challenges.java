package dev.baton.gateway;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Challenges a gateway issued for proof of possession: 256 random bits each, valid for a short time and
 * accepted once. The number outstanding is bounded so that a flood of challenge requests cannot exhaust
 * memory; expired ones are dropped when the bound is reached. Thread-safe.
 */
final class Challenges {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Instant> issued = new ConcurrentHashMap<>();
    private final InstantSource clock;
    private final Duration validity;
    private final int maxOutstanding;

    Challenges(InstantSource clock, Duration validity, int maxOutstanding) {
        this.clock = clock;
        this.validity = validity;
        this.maxOutstanding = maxOutstanding;
    }

    /** A new challenge. */
    String issue() {
        if (issued.size() >= maxOutstanding) {
            dropExpired();
            if (issued.size() >= maxOutstanding) {
                throw new BatonException(ResultCode.UNAVAILABLE, "too many outstanding challenges; try again shortly");
            }
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        issued.put(challenge, clock.instant().plus(validity));
        return challenge;
    }

    /**
     * Accepts a challenge once.
     *
     * @throws BatonException {@link ResultCode#STALE_CHALLENGE} if it was never issued, was used, or expired
     */
    void consume(String challenge) {
        Instant expiry = challenge == null ? null : issued.remove(challenge);
        if (expiry == null) {
            throw new BatonException(ResultCode.STALE_CHALLENGE, "proof of possession failed: unknown or already used challenge");
        }
        if (!clock.instant().isBefore(expiry)) {
            throw new BatonException(ResultCode.STALE_CHALLENGE, "proof of possession failed: challenge expired");
        }
    }

    int outstanding() {
        return issued.size();
    }

    private void dropExpired() {
        Instant now = clock.instant();
        for (Iterator<Instant> it = issued.values().iterator(); it.hasNext(); ) {
            if (!now.isBefore(it.next())) {
                it.remove();
            }
        }
    }
}
