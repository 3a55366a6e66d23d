package dev.baton.bench.store;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;

/** Runs one operation on N threads, each over its own sessions, and measures throughput and latency. */
final class Phase {
    /** Operation on session {@code i} of worker {@code thread}. */
    interface Op {
        void run(int thread, int i);
    }

    /**
     * Figures of one phase.
     *
     * @param opsPerSecond operations per second over all threads, settle time included
     * @param p50Millis    median latency of one operation
     * @param p99Millis    99th percentile latency of one operation
     */
    record Result(double opsPerSecond, double p50Millis, double p99Millis) {
    }

    private Phase() {
    }

    static Result run(int threads, int perThread, Op op, Runnable settle) throws Exception {
        long[][] latencies = new long[threads][perThread];
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        long began;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        long t0 = System.nanoTime();
                        op.run(thread, i);
                        latencies[thread][i] = System.nanoTime() - t0;
                    }
                    return null;
                }));
            }
            began = System.nanoTime();
            start.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
        }
        settle.run();
        double seconds = (System.nanoTime() - began) / 1e9;
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(all.length / seconds, percentile(all, 0.50), percentile(all, 0.99));
    }

    static double percentile(long[] sortedNanos, double q) {
        if (sortedNanos.length == 0) {
            return 0;
        }
        int index = (int) Math.min(sortedNanos.length - 1, Math.ceil(q * sortedNanos.length) - 1);
        return sortedNanos[Math.max(0, index)] / 1e6;
    }
}
