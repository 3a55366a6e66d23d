package dev.baton.bench;

import java.time.Duration;

/**
 * How long a benchmark may run: {@link #QUICK} (the whole bench under a minute, for smoke checks and CI)
 * or {@link #FULL} (longer phases, for the figures written into the documentation).
 */
public enum RunMode {
    /** Short phases; a bench finishes within a minute in total. */
    QUICK(Duration.ofSeconds(2), Duration.ofSeconds(3), 1),
    /** Three rounds of every phase, for stable medians and 99th percentiles on a shared machine. */
    FULL(Duration.ofSeconds(10), Duration.ofSeconds(5), 3);

    private final Duration warmUp;
    private final Duration phase;
    private final int rounds;

    RunMode(Duration warmUp, Duration phase, int rounds) {
        this.warmUp = warmUp;
        this.phase = phase;
        this.rounds = rounds;
    }

    /**
     * How often each phase is repeated. Servers take turns phase by phase and round by round, so a load
     * that comes and goes on the machine falls on all of them alike.
     */
    public int rounds() {
        return rounds;
    }

    /** How long a bench warms up each server before it measures (JIT, connection set-up, caches). */
    public Duration warmUp() {
        return warmUp;
    }

    /** How long one measured phase runs at most, per round. */
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
