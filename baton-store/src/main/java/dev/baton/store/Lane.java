package dev.baton.store;

import dev.baton.core.concurrent.GroupCommit;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One ordered, bounded queue of {@link WriteQueue} and its background thread. A {@link GroupCommit} with a single
 * leader does the grouping: a caller waiting for its write commits batches in its own thread when no one else
 * is, and holds a batch the store could not take because it is down; a held batch goes first, and while one is
 * held only the background thread (which retries it with back-off) commits. The background thread also commits
 * the writes nobody waits for. Thread-safe.
 */
final class Lane {
    /** How long the background thread waits for more writes nobody waits for, so several share one wake-up. */
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** How long an idle background thread sleeps when nothing wakes it (a safety net; writes wake it). */
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final WriteQueue owner;
    private final GroupCommit<WriteQueue.Write> commits;
    private final Thread background;
    /** The background thread is parked with an empty queue and must be woken for a write nobody waits for. */
    private volatile boolean idle;

    Lane(WriteQueue owner, int capacity, String threadName) {
        this.owner = owner;
        this.commits = new GroupCommit<>(new LinkedBlockingQueue<>(capacity), 1, owner.settings().writeBatchSize(),
                w -> 1, owner::commit);
        this.background = Thread.ofPlatform().daemon().name(threadName).start(this::runBackground);
    }

    /** Queues {@code w}; false if the lane is full. */
    boolean offer(WriteQueue.Write w) {
        return commits.offer(w);
    }

    /**
     * Waits for {@code w} to be committed, committing batches in this thread when no one else is.
     *
     * @return false if the time is up, the thread is interrupted or the store is down (a batch is held)
     */
    boolean await(WriteQueue.Write w, long timeoutNanos) {
        return commits.await(w, timeoutNanos);
    }

    /** Wakes the background thread if it sleeps idle: a write nobody waits for was queued. */
    void wakeIfIdle() {
        if (idle) {
            LockSupport.unpark(background);
        }
    }

    int size() {
        return commits.size();
    }

    private void runBackground() {
        while (owner.running() || size() > 0) {
            if (size() == 0) {
                // Callers usually commit their own writes; this thread takes the writes nobody waits for. It
                // lingers first, so that those queued close together share one wake-up, then sleeps until such a
                // write wakes it (wakeIfIdle) rather than polling.
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
            if (commits.drain()) { // held: the store is still down
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                LockSupport.parkNanos(owner.settings().retryBackoff().toNanos());
            }
        }
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
