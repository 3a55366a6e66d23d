package dev.baton.store.ldap;

import java.util.concurrent.locks.LockSupport;

/**
 * Paces operations to at most {@code permitsPerSecond}, evenly spaced: each caller reserves the next slot
 * on a fixed schedule ({@code 1 / rate} apart) and waits for it. Shared by all delete threads, so the rate
 * is the total of them.
 *
 * <p>Why a schedule rather than a token bucket: a bucket that fills while the purge is idle lets a burst of
 * deletes hit the directory at the start of every pass, which is what the setting exists to prevent. Here
 * the purge {@link #restart()}s the schedule at the start of each pass, and callers that fall behind it
 * within a pass (a slow delete, a GC pause, a starved CPU) may catch up for at most
 * {@code max(one interval, 100 ms)} of lateness: the rate over a pass stays on target, and no burst ever
 * exceeds what 100 ms (or one interval) of the rate allows. (Measured on a loaded two-core machine with
 * one delete thread at 100/s: a 20 ms allowance delivered 85-92/s, 100 ms delivered 97-100/s.)
 *
 * <p>Thread-safe. Slots are reserved under a lock; waiting happens outside it.
 */
final class Throttle {
    /** Monotonic time and waiting; replaced in tests. */
    interface Ticker {
        long nanoTime();

        void sleepNanos(long nanos) throws InterruptedException;

        Ticker SYSTEM = new Ticker() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleepNanos(long nanos) throws InterruptedException {
                LockSupport.parkNanos(nanos);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        };
    }

    static final long CATCH_UP_NANOS = 100_000_000L;

    private final long intervalNanos;
    private final long catchUpNanos;
    private final Ticker ticker;
    private long nextSlot = Long.MIN_VALUE;

    /**
     * @param permitsPerSecond at most this many operations per second; 0 means unlimited
     */
    Throttle(int permitsPerSecond, Ticker ticker) {
        this(permitsPerSecond, CATCH_UP_NANOS, ticker);
    }

    /** As above, forgiving at most {@code max(one interval, catchUpNanos)} of lateness. */
    Throttle(int permitsPerSecond, long catchUpNanos, Ticker ticker) {
        if (permitsPerSecond < 0) {
            throw new IllegalArgumentException("permitsPerSecond must be >= 0");
        }
        this.intervalNanos = permitsPerSecond == 0 ? 0 : 1_000_000_000L / permitsPerSecond;
        this.catchUpNanos = Math.max(intervalNanos, catchUpNanos);
        this.ticker = ticker;
    }

    /** Starts a new schedule: the next operation may start at once, and none before it is owed. */
    synchronized void restart() {
        nextSlot = Long.MIN_VALUE;
    }

    /** Waits until the caller may perform one operation. */
    void acquire() throws InterruptedException {
        if (intervalNanos == 0) {
            return;
        }
        long slot = reserve();
        for (long wait = slot - ticker.nanoTime(); wait > 0; wait = slot - ticker.nanoTime()) {
            ticker.sleepNanos(wait);
        }
    }

    private synchronized long reserve() {
        long now = ticker.nanoTime();
        long earliest = now - catchUpNanos;
        // nextSlot starts at Long.MIN_VALUE; compare by difference only once it is set, to stay overflow-safe
        long slot = nextSlot == Long.MIN_VALUE || nextSlot - earliest < 0 ? earliest : nextSlot;
        if (nextSlot == Long.MIN_VALUE) {
            slot = now;
        }
        nextSlot = slot + intervalNanos;
        return slot;
    }
}
