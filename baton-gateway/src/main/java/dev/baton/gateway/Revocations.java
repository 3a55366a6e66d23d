package dev.baton.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.SessionIdHash;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a gateway knows of the federation's revocation marks beyond its look-ups: it asks the federation when it
 * first uses a session loaded from storage (marks made while it was down reached no subscription of its), and it
 * remembers for a while why it ended the sessions it ended (revoked, timed out, signed out), so an agent that comes
 * back is told why rather than that the session is unknown.
 * Thread-safe.
 */
final class Revocations {
    private static final Logger LOG = LoggerFactory.getLogger(Revocations.class);

    private final Federation federation;
    private final String gateway;
    /** Why each session ended here, for a day: bounded, so a flood of sign-ins and sign-outs cannot fill the heap. */
    private final Cache<SessionIdHash, String> ended = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofHours(24)).build();
    private final java.util.Map<String, String> messages = new java.util.concurrent.ConcurrentHashMap<>();

    Revocations(Federation federation, String gateway) {
        this.federation = federation;
        this.gateway = gateway;
    }

    /**
     * Whether the federation marks {@code hash} revoked. With the federation unreachable it answers false, so
     * sessions keep being served from storage as before.
     */
    boolean marked(SessionIdHash hash) {
        try {
            return federation.lookup(hash).map(Federation.Published::revoked).orElse(false);
        } catch (BatonException e) {
            if (e.code() != ResultCode.UNAVAILABLE) {
                throw e;
            }
            LOG.warn("cannot ask the federation whether session {} was revoked ({}); serving it from storage",
                    hash.abbreviated(), e.getMessage());
            return false;
        }
    }

    /** This gateway ends {@code hash} because it was revoked. */
    void ending(SessionIdHash hash) {
        ended.put(hash, Migration.REVOKED);
    }

    /** This gateway ended {@code hash} for {@code why} (an agent-facing sentence, {@link EndReasons}). */
    void ended(SessionIdHash hash, String why) {
        // The reasons come from the configuration (roles' timeouts), so there are few: each is kept once, not per session.
        ended.asMap().putIfAbsent(hash, messages.computeIfAbsent(EndReasons.ended(gateway, why), m -> m));
    }

    /** The answer to an agent whose session ended here, if this gateway remembers ending it. */
    java.util.Optional<BatonException> endedHere(SessionIdHash hash) {
        return java.util.Optional.ofNullable(ended.getIfPresent(hash))
                .map(why -> new BatonException(ResultCode.SESSION_EXPIRED, why, hash, gateway, null));
    }

    /**
     * The answer to an agent whose session was revoked: it expired if this gateway held it (and just ended it),
     * otherwise it cannot migrate here.
     */
    BatonException refusal(SessionIdHash hash, boolean heldHere) {
        return new BatonException(heldHere ? ResultCode.SESSION_EXPIRED : ResultCode.MIGRATION_REFUSED, Migration.REVOKED,
                hash, gateway, null);
    }

    /** The answer to an agent whose session this gateway does not hold; it names a revocation that ended it here. */
    BatonException notHeld(SessionIdHash hash) {
        return endedHere(hash).orElseGet(() -> new BatonException(ResultCode.UNKNOWN_SESSION, "gateway " + gateway
                + " does not hold this session (it moved to another gateway, ended, or was never here); connect again to take"
                + " it here if another gateway holds it, else sign in again", hash, gateway, null));
    }
}
