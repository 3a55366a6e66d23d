package dev.baton.bench;

import java.util.Arrays;

/**
 * Latencies of one measured phase, in nanoseconds, with nearest-rank percentiles. Grows as needed.
 * Not thread safe: the thread that times the requests records them.
 */
public final class LatencySamples {
    private long[] nanos = new long[1024];
    private int size;

    /** Records one latency in nanoseconds; negative values are refused. */
    public void record(long latencyNanos) {
        if (latencyNanos < 0) {
            throw new IllegalArgumentException("latency must not be negative: " + latencyNanos);
        }
        if (size == nanos.length) {
            nanos = Arrays.copyOf(nanos, size * 2);
        }
        nanos[size++] = latencyNanos;
    }

    /** Records every latency of {@code other} too. */
    public void addAll(LatencySamples other) {
        for (int i = 0; i < other.size; i++) {
            record(other.nanos[i]);
        }
    }

    /** How many latencies were recorded. */
    public int count() {
        return size;
    }

    /**
     * The nearest-rank percentile in milliseconds: the smallest recorded value that at least
     * {@code percent}% of the samples do not exceed.
     *
     * @param percent in (0, 100]
     * @throws IllegalStateException when nothing was recorded
     */
    public double percentileMillis(double percent) {
        if (percent <= 0 || percent > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + percent);
        }
        if (size == 0) {
            throw new IllegalStateException("no latency recorded");
        }
        long[] sorted = Arrays.copyOf(nanos, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percent / 100.0 * size);
        return sorted[Math.max(rank, 1) - 1] / 1_000_000.0;
    }
}
