package dev.baton.store;

import java.time.Instant;
import java.util.Objects;

/**
 * What one cleanup delete removed.
 *
 * @param deleted how many sessions; 0 means none was left in the range
 * @param newest  the newest value of the compared column among them (where the next batch starts), or the
 *                range's start if none was deleted
 */
public record ExpiredBatch(int deleted, Instant newest) {
    /** Validates. */
    public ExpiredBatch {
        Objects.requireNonNull(newest, "newest");
        if (deleted < 0) {
            throw new IllegalArgumentException("deleted must not be negative");
        }
    }
}
