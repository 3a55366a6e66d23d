package dev.baton.store;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/** An {@link InstantSource} that only moves when a test advances it. Thread-safe. */
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

    /** Moves time forward. */
    public void advance(Duration d) {
        now.updateAndGet(i -> i.plus(d));
    }
}
