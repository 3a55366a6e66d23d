package dev.baton.admin;

import java.util.Arrays;

/**
 * The last hour of one quantity, a slot a minute in a ring buffer: for a counter, the count observed in each
 * minute; for a gauge, the highest value seen in each minute. Fed by {@link #observe}; thread-safe.
 */
final class MinuteSeries {
    static final int MINUTES = 60;

    private final boolean counter;
    private final long[] slots = new long[MINUTES];
    private long lastMinute = Long.MIN_VALUE;
    private long lastTotal;

    /** A series of per-minute increments of a running total ({@code counter}), or of a gauge's peaks. */
    MinuteSeries(boolean counter) {
        this.counter = counter;
    }

    /** Records {@code value} (a running total or a gauge reading) as seen at {@code epochMinute}. */
    synchronized void observe(long epochMinute, long value) {
        if (lastMinute == Long.MIN_VALUE) {
            lastMinute = epochMinute;
            lastTotal = value;
            slots[slot(epochMinute)] = counter ? 0 : value;
            return;
        }
        if (epochMinute < lastMinute) {
            return;
        }
        for (long m = lastMinute + 1; m <= Math.min(epochMinute, lastMinute + MINUTES); m++) {
            slots[slot(m)] = 0;
        }
        if (counter) {
            slots[slot(epochMinute)] += Math.max(0, value - lastTotal);
        } else {
            slots[slot(epochMinute)] = epochMinute == lastMinute ? Math.max(slots[slot(epochMinute)], value) : value;
        }
        lastMinute = epochMinute;
        lastTotal = value;
    }

    /** The 60 minutes ending with {@code epochMinute}, oldest first; minutes never observed are 0. */
    synchronized long[] lastHour(long epochMinute) {
        long[] out = new long[MINUTES];
        if (lastMinute == Long.MIN_VALUE) {
            return out;
        }
        for (int i = 0; i < MINUTES; i++) {
            long m = epochMinute - (MINUTES - 1) + i;
            out[i] = m <= lastMinute && m > lastMinute - MINUTES ? slots[slot(m)] : 0;
        }
        return out;
    }

    private static int slot(long epochMinute) {
        return (int) Math.floorMod(epochMinute, (long) MINUTES);
    }

    @Override
    public synchronized String toString() {
        return Arrays.toString(slots);
    }
}
