package dev.baton.bench;

import java.time.Duration;

/**
 * How long a benchmark may run: {@link #QUICK} (the whole bench under a minute, for smoke checks and CI)
 * or {@link #FULL} (longer phases, for the figures written into the documentation).
 */
public enum RunMode {
    /** Short phases; a bench finishes within a minute in total. */
    QUICK(Duration.ofSeconds(2), Duration.ofSeconds(3)),
    /** Phases long enough for stable medians and 99th percentiles. */
    FULL(Duration.ofSeconds(10), Duration.ofSeconds(15));

    private final Duration warmUp;
    private final Duration phase;

    RunMode(Duration warmUp, Duration phase) {
        this.warmUp = warmUp;
        this.phase = phase;
    }

    /** How long a bench warms up each server before it measures (JIT, connection set-up, caches). */
    public Duration warmUp() {
        return warmUp;
    }

    /** How long one measured phase runs at most. */
    public Duration phase() {
        return phase;
    }

    /** {@link #QUICK} when {@code --quick} is among the arguments, else {@link #FULL}. */
    public static RunMode fromArgs(String... args) {
        for (String arg : args) {
            if ("--quick".equals(arg)) {
                return QUICK;
            }
        }
        return FULL;
    }
}
