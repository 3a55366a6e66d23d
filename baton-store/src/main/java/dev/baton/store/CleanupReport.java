package dev.baton.store;

import java.time.Duration;
import java.time.Instant;

/**
 * What one cleanup run did.
 *
 * @param outcome whether it ran
 * @param deleted sessions deleted
 * @param batches delete statements that removed at least one session
 * @param cutoff  sessions whose column was before this were removable
 * @param elapsed wall-clock duration of the run
 */
public record CleanupReport(Outcome outcome, long deleted, int batches, Instant cutoff, Duration elapsed) {

    /** How a run ended. */
    public enum Outcome {
        /** Ran until nothing removable was left. */
        COMPLETED,
        /** Another node holds the storage lease; nothing was deleted here. */
        LEASE_HELD_ELSEWHERE,
        /** Stopped after losing the lease mid-run (another node took over). */
        LEASE_LOST
    }
}
