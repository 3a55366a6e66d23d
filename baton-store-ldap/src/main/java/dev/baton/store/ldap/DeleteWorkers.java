package dev.baton.store.ldap;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The delete threads of one purge pass. The pass's search feeds DNs through a bounded queue; each thread
 * takes one, waits for the shared throttle, deletes it. A queue rather than batches split between threads:
 * no thread waits for the slowest one at a batch boundary, so the throttle's schedule is kept across the
 * whole pass. Used by one pass, then discarded.
 */
final class DeleteWorkers {
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String END = new String("end of pass"); // compared by identity, never a DN

    private final BlockingQueue<String> queue;
    private final List<Future<Integer>> workers = new ArrayList<>();

    /**
     * Starts {@code threads} workers on {@code executor}.
     *
     * @param delete deletes one DN; true if it was there
     * @param stop   checked before each delete; true ends the worker (the task is closing)
     */
    DeleteWorkers(ExecutorService executor, int threads, int capacity, Throttle throttle, Predicate<String> delete,
                  BooleanSupplier stop) {
        this.queue = new ArrayBlockingQueue<>(Math.max(capacity, threads));
        for (int i = 0; i < threads; i++) {
            workers.add(executor.submit(() -> work(throttle, delete, stop)));
        }
    }

    private int work(Throttle throttle, Predicate<String> delete, BooleanSupplier stop) throws InterruptedException {
        int deleted = 0;
        for (String dn = queue.take(); dn != END && !stop.getAsBoolean(); dn = queue.take()) {
            throttle.acquire();
            if (delete.test(dn)) {
                deleted++;
            }
        }
        return deleted;
    }

    /** Queues one DN; false if the workers stopped (a failure, or the task closing), so the search should stop. */
    boolean offer(String dn) throws InterruptedException {
        while (!queue.offer(dn, 50, TimeUnit.MILLISECONDS)) {
            if (workers.stream().anyMatch(Future::isDone)) {
                return false;
            }
        }
        return true;
    }

    /** Drops what is queued but not yet deleted (this node no longer purges), then {@link #finish()}. */
    int abandon() {
        queue.clear();
        return finish();
    }

    /**
     * Lets the workers delete what is queued, then stops them.
     *
     * @return how many entries they deleted
     * @throws BatonException the first failure of a worker
     */
    int finish() {
        try {
            for (int ended = 0; ended < workers.size(); ) {
                if (queue.offer(END, 50, TimeUnit.MILLISECONDS)) {
                    ended++;
                } else if (workers.stream().allMatch(Future::isDone)) {
                    break;
                }
            }
            int deleted = 0;
            for (Future<Integer> w : workers) {
                deleted += w.get();
            }
            return deleted;
        } catch (InterruptedException e) {
            workers.forEach(w -> w.cancel(true));
            Thread.currentThread().interrupt();
            throw new BatonException(ResultCode.UNAVAILABLE, "purge pass interrupted", e);
        } catch (ExecutionException e) {
            workers.forEach(w -> w.cancel(true));
            throw e.getCause() instanceof RuntimeException r ? r
                    : new BatonException(ResultCode.INTERNAL, "delete thread failed: " + e.getCause(), e.getCause());
        }
    }
}
