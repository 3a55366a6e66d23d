package dev.baton.gateway.admission;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.baton.core.ResultCode;
import dev.baton.core.RetryLaterException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.function.Consumer;

/**
 * Failed sign-ins counted per user name and per source address, with growing delays and a temporary lock,
 * checked before any password is hashed, so a guesser is slowed and pays nothing of the gateway's CPU while
 * refused. A success clears the user name's count (not the address's: one address may hold many users).
 *
 * <p>After {@code free} failures, the next attempt must wait {@code baseDelay x 2^(n-1)} (at most
 * {@code maxDelay}) after the n-th extra failure; after {@code lockAfter} extra failures the key is locked for
 * {@code lockDuration}. Refusals are {@link ResultCode#THROTTLED} with the time to wait; the message says only
 * that, not whether the user exists. Keys are remembered in bounded Caffeine caches (least recently used go
 * first), so a flood of made-up names cannot exhaust memory. Thread-safe; time from the injected clock.
 */
final class SignInThrottle {
    private final AdmissionSettings settings;
    private final InstantSource clock;
    private final Cache<String, Failures> users;
    private final Cache<String, Failures> sources;
    private final Consumer<String> onLock;

    /** One key's record; guarded by its own monitor. */
    private static final class Failures {
        int count;
        Instant notBefore = Instant.MIN;
    }

    /** @param onLock told (with a description of the key) when a key becomes locked, for the log and metrics */
    SignInThrottle(AdmissionSettings settings, InstantSource clock, Consumer<String> onLock) {
        this.settings = settings;
        this.clock = clock;
        this.onLock = onLock;
        this.users = Caffeine.newBuilder().maximumSize(settings.maxTracked())
                .expireAfterAccess(settings.lockDuration().plus(settings.maxDelay())).build();
        this.sources = Caffeine.newBuilder().maximumSize(settings.maxTracked())
                .expireAfterAccess(settings.lockDuration().plus(settings.maxDelay())).build();
    }

    /** Refuses with {@link ResultCode#THROTTLED} if {@code user} or {@code source} must still wait. */
    void check(String user, String source) {
        Instant now = clock.instant();
        wait(users.getIfPresent(user), now, "this account");
        wait(sources.getIfPresent(source), now, "this address");
    }

    private static void wait(Failures f, Instant now, String who) {
        if (f == null) {
            return;
        }
        Instant until;
        synchronized (f) {
            until = f.notBefore;
        }
        if (now.isBefore(until)) {
            throw new RetryLaterException(ResultCode.THROTTLED, "too many failed sign-ins for " + who
                    + "; try again in " + seconds(Duration.between(now, until)) + " s", Duration.between(now, until));
        }
    }

    /** Counts a failed sign-in of {@code user} from {@code source}. */
    void failed(String user, String source, String userForLog) {
        Instant now = clock.instant();
        record(users.get(user, k -> new Failures()), settings.freeFailuresPerUser(), now, "user " + userForLog);
        record(sources.get(source, k -> new Failures()), settings.freeFailuresPerSource(), now, "address " + source);
    }

    /** A successful sign-in of {@code user}: its failures are forgotten. */
    void succeeded(String user) {
        users.invalidate(user);
    }

    private void record(Failures f, int free, Instant now, String who) {
        boolean locked = false;
        Duration wait;
        synchronized (f) {
            f.count++;
            int extra = f.count - free;
            if (extra <= 0) {
                return;
            }
            if (extra >= settings.lockAfter()) {
                wait = settings.lockDuration();
                locked = extra == settings.lockAfter();
            } else {
                long factor = 1L << Math.min(30, extra - 1);
                Duration d = settings.baseDelay().multipliedBy(factor);
                wait = d.compareTo(settings.maxDelay()) > 0 ? settings.maxDelay() : d;
            }
            f.notBefore = now.plus(wait);
        }
        if (locked) {
            onLock.accept(who + " locked for " + seconds(settings.lockDuration()) + " s after " + (free + settings.lockAfter())
                    + " failed sign-ins");
        }
    }

    private static long seconds(Duration d) {
        return (d.toMillis() + 999) / 1000;
    }
}
