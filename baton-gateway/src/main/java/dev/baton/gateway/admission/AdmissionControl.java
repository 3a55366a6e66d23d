package dev.baton.gateway.admission;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.RetryLaterException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a sign-in must pass before its credentials are checked: the throttle of failed sign-ins per user name
 * and per source address ({@link SignInThrottle}), then a turn among a bounded number of concurrent credential
 * checks. A password hash (Argon2id, 64 MiB) costs a core for a noticeable time, and sign-ins need no session, so
 * without a bound anyone who reaches the gateway can occupy every core and the heap; with it, a flood gets fast
 * {@link ResultCode#OVERLOADED} answers (503 with {@code Retry-After}) while requests that carry a session, which
 * take no turn here, keep being served. Counted in {@code baton.signin.refused} by reason, and locks are logged.
 * Thread-safe.
 */
public final class AdmissionControl {
    private static final Logger log = LoggerFactory.getLogger(AdmissionControl.class);

    private final AdmissionSettings settings;
    private final Semaphore turns;
    private final AtomicInteger queued = new AtomicInteger();
    private final SignInThrottle throttle;
    private final Counter overloaded;
    private final Counter throttled;
    private final Counter locks;

    /** Admission for gateway {@code gateway}, counting into {@code registry}. */
    public AdmissionControl(String gateway, AdmissionSettings settings, InstantSource clock, MeterRegistry registry) {
        this.settings = settings;
        this.turns = new Semaphore(settings.maxConcurrentSignIns(), true);
        this.overloaded = Counter.builder("baton.signin.refused").tag("gateway", gateway).tag("reason", "overloaded")
                .description("sign-ins refused before their credentials were checked").register(registry);
        this.throttled = Counter.builder("baton.signin.refused").tag("gateway", gateway).tag("reason", "throttled")
                .description("sign-ins refused before their credentials were checked").register(registry);
        this.locks = Counter.builder("baton.signin.locks").tag("gateway", gateway)
                .description("user names and addresses locked after failed sign-ins").register(registry);
        this.throttle = new SignInThrottle(settings, clock, what -> {
            locks.increment();
            log.warn("gateway {}: {}", gateway, what);
        });
    }

    /**
     * Runs {@code check} (the credential check of a sign-in of {@code user} in {@code realm} from {@code source})
     * if the throttle and the bound let it, and counts its failure ({@link ResultCode#AUTHENTICATION_FAILED}).
     *
     * @throws RetryLaterException {@link ResultCode#THROTTLED} or {@link ResultCode#OVERLOADED}
     */
    public <T> T signIn(String realm, String user, String source, Supplier<T> check) {
        String key = realm + "\u0000" + user.toLowerCase(Locale.ROOT);
        try {
            throttle.check(key, source);
        } catch (RetryLaterException e) {
            throttled.increment();
            throw e;
        }
        acquire();
        try {
            T result = check.get();
            throttle.succeeded(key);
            return result;
        } catch (BatonException e) {
            if (e.code() == ResultCode.AUTHENTICATION_FAILED) {
                throttle.failed(key, source, LogSafe.name(user));
            }
            throw e;
        } finally {
            turns.release();
        }
    }

    private void acquire() {
        if (turns.tryAcquire()) {
            return;
        }
        if (queued.incrementAndGet() > settings.maxQueuedSignIns()) {
            queued.decrementAndGet();
            throw busy();
        }
        try {
            if (!turns.tryAcquire(settings.queueWait().toNanos(), TimeUnit.NANOSECONDS)) {
                throw busy();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BatonException(ResultCode.UNAVAILABLE, "interrupted while waiting to check credentials", e);
        } finally {
            queued.decrementAndGet();
        }
    }

    private RetryLaterException busy() {
        overloaded.increment();
        return new RetryLaterException(ResultCode.OVERLOADED, "the gateway is busy checking other sign-ins; try again shortly",
                Duration.ofSeconds(1));
    }
}
