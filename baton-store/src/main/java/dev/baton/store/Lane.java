package dev.baton.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One ordered queue of {@link WriteQueue}, its lock, and its background thread. Whoever holds the lock drains;
 * a batch the store could not take because it is down is parked in {@code stuck} and must go first, so while
 * one is parked only the background thread (which retries it with back-off) drains.
 */
final class Lane {
    /** How long the background thread waits for more writes nobody waits for, so several share one wake-up. */
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** How long an idle background thread sleeps when nothing wakes it (a safety net; writes wake it). */
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final WriteQueue owner;
    private final LinkedBlockingQueue<WriteQueue.Write> queue;
    private final ReentrantLock lock = new ReentrantLock();
    private final Thread background;
    private volatile List<WriteQueue.Write> stuck; // guarded by lock for writes
    /** The background thread is parked with an empty queue and must be woken for a write nobody waits for. */
    private volatile boolean idle;

    Lane(WriteQueue owner, int capacity, String threadName) {
        this.owner = owner;
        this.queue = new LinkedBlockingQueue<>(capacity);
        this.background = Thread.ofPlatform().daemon().name(threadName).start(this::runBackground);
    }

    boolean offer(WriteQueue.Write w) {
        return queue.offer(w);
    }

    /** Wakes the background thread if it sleeps idle: a write nobody waits for was queued. */
    void wakeIfIdle() {
        if (idle) {
            LockSupport.unpark(background);
        }
    }

    int size() {
        List<WriteQueue.Write> s = stuck;
        return queue.size() + (s == null ? 0 : s.size());
    }

    /**
     * Leads if the lock is free and nothing is parked: commits batches until {@code mine} is done or the queue
     * is empty.
     *
     * @return whether this thread led (false: someone else is committing, or the store is down)
     */
    boolean leadUntil(WriteQueue.Write mine) {
        if (stuck != null || !lock.tryLock()) {
            return false;
        }
        try {
            while (stuck == null && !mine.done.isDone() && drainOnce()) {
                // keep going: more batches queued behind ours
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Commits one batch from the queue; returns false if the queue was empty or the store is down. Holds lock. */
    private boolean drainOnce() {
        WriteQueue.Write first = queue.poll();
        if (first == null) {
            return false;
        }
        List<WriteQueue.Write> batch = new ArrayList<>();
        batch.add(first);
        queue.drainTo(batch, owner.settings().writeBatchSize() - 1);
        List<WriteQueue.Write> left = owner.commit(batch);
        if (!left.isEmpty()) {
            stuck = left;
            return false;
        }
        return true;
    }

    private void runBackground() {
        while (owner.running() || size() > 0) {
            if (size() == 0) {
                // Callers usually commit their own writes (leader/follower); this thread takes the writes nobody
                // waits for. It lingers first, so that those queued close together share one wake-up, then
                // sleeps until such a write wakes it (wakeIfIdle). No polling: eight idle lanes polling every
                // 2 ms cost 3 % of a migration's CPU.
                LockSupport.parkNanos(LINGER_NANOS);
                if (size() == 0 && owner.running()) {
                    idle = true;
                    if (size() == 0) { // re-checked after publishing idle: a concurrent offer either sees it or is seen
                        LockSupport.parkNanos(IDLE_NANOS);
                    }
                    idle = false;
                }
                continue;
            }
            lock.lock();
            boolean down;
            try {
                down = retryStuck() || drainAll();
            } finally {
                lock.unlock();
            }
            if (down) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                LockSupport.parkNanos(owner.settings().retryBackoff().toNanos());
            }
        }
    }

    /** Returns true if the parked batch is still not through (store down). Holds lock. */
    private boolean retryStuck() {
        List<WriteQueue.Write> s = stuck;
        if (s == null) {
            return false;
        }
        List<WriteQueue.Write> left = owner.commit(s);
        stuck = left.isEmpty() ? null : left;
        return stuck != null;
    }

    /** Returns true if the store went down while draining. Holds lock. */
    private boolean drainAll() {
        while (drainOnce()) {
            // drain until empty
        }
        return stuck != null;
    }

    void stop(long waitMillis) {
        LockSupport.unpark(background);
        try {
            background.join(waitMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (background.isAlive()) {
            background.interrupt();
        }
    }
}
