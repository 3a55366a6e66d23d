package dev.baton.store.ldap;

import java.time.Duration;
import java.time.Instant;

/**
 * Tells whether the purge falls behind: whether sessions become removable faster than the throttle lets the
 * purge delete them. Each pass starts by counting the removable sessions (the backlog); between two counts,
 * {@code inflow = (backlog now - backlog before + deleted meanwhile) / elapsed}, the rate at which sessions
 * crossed the cutoff. Above {@code maxUpdatesPerSecond} the backlog can only grow, whatever the interval.
 *
 * <p>With no throttle (0) the purge is never behind by this measure. Not thread-safe: the purge pass owns it.
 */
final class BacklogMonitor {
    private final int maxPerSecond;
    private Instant lastAt;
    private long lastBacklog;
    private long deletedSince;
    private double inflowPerSecond = Double.NaN;
    private boolean behind;

    BacklogMonitor(int maxPerSecond) {
        this.maxPerSecond = maxPerSecond;
    }

    /** Records a count of removable sessions taken at {@code now}; returns whether the purge is now behind. */
    boolean observe(Instant now, long backlog) {
        if (lastAt != null && now.isAfter(lastAt)) {
            double seconds = Duration.between(lastAt, now).toNanos() / 1e9;
            inflowPerSecond = Math.max(0, backlog - lastBacklog + deletedSince) / seconds;
            behind = maxPerSecond > 0 && inflowPerSecond > maxPerSecond;
        }
        lastAt = now;
        lastBacklog = backlog;
        deletedSince = 0;
        return behind;
    }

    /** Counts deletes made since the last {@link #observe}. */
    void deleted(long count) {
        deletedSince += count;
    }

    /** Sessions per second that became removable between the last two counts; NaN before the second count. */
    double inflowPerSecond() {
        return inflowPerSecond;
    }

    /** Whether the last estimate exceeded the throttle. */
    boolean behind() {
        return behind;
    }

    /** The last count. */
    long backlog() {
        return lastBacklog;
    }

    /** Forgets the history, when this node stops purging: another node's deletes are not seen here. */
    void reset() {
        lastAt = null;
        deletedSince = 0;
        inflowPerSecond = Double.NaN;
        behind = false;
    }
}
