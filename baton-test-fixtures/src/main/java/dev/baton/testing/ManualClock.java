package dev.baton.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An {@link InstantSource} that only moves when a test moves it: Baton's session logic takes its time from an
 * injected {@code InstantSource}, so tests move time by hand instead of sleeping. Thread-safe.
 */
public final class ManualClock implements InstantSource {
    private final AtomicReference<Instant> now;

    /** A clock standing at {@code start}. */
    public ManualClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    /** A clock standing at 2026-01-01T00:00:00Z. */
    public ManualClock() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    /** Moves time forward by {@code d}. */
    public void advance(Duration d) {
        now.updateAndGet(i -> i.plus(d));
    }

    /** Sets the time to {@code instant}. */
    public void set(Instant instant) {
        now.set(instant);
    }
}
