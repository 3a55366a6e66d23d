package dev.baton.ifmap.server;

import dev.baton.ifmap.model.IfmapError;
import dev.baton.ifmap.model.IfmapException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The results waiting for one client session's next poll. Producers (publishes, under the service lock)
 * only append and signal; the poller blocks here on its own connection, outside the service lock, and
 * takes everything at once. Thread-safe.
 */
final class PollQueue {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    private final List<PollEntry> entries = new ArrayList<>();
    private final long maxBytes;
    private long bytes;
    private String closedReason;
    private int waiting;
    /** Counts polls; only the newest may wait, so a session holds at most one request thread in a poll. */
    private long pollGeneration;

    /** A queue holding at most {@code maxBytes} of results. */
    PollQueue(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Appends {@code entry}; returns false, adding nothing, when it would make the waiting results larger
     * than max-poll-result-size.
     */
    boolean offer(PollEntry entry) {
        lock.lock();
        try {
            if (entry.kind() != PollEntry.Kind.errorResult && bytes + entry.size() > maxBytes) {
                return false;
            }
            entries.add(entry);
            bytes += entry.size();
            ready.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** How many results are waiting. */
    int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    /** Drops every waiting result of subscription {@code name}. */
    void dropSubscription(String name) {
        lock.lock();
        try {
            entries.removeIf(e -> e.name().equals(name) && e.kind() != PollEntry.Kind.errorResult && sub(e));
        } finally {
            lock.unlock();
        }
    }

    private boolean sub(PollEntry e) {
        bytes -= e.size();
        return true;
    }

    /**
     * Waits up to {@code maxWait} for results and takes them all; an empty list when none came.
     *
     * @throws IfmapException {@code InvalidSessionID} once the session has ended
     */
    List<PollEntry> take(Duration maxWait) throws InterruptedException {
        lock.lock();
        try {
            long me = ++pollGeneration;
            ready.signalAll(); // an older poll of this session gives way
            waiting++;
            long nanos = maxWait.toNanos();
            while (entries.isEmpty() && closedReason == null && nanos > 0 && pollGeneration == me) {
                nanos = ready.awaitNanos(nanos);
            }
            if (pollGeneration != me) {
                // One outstanding poll per session: a client whose connection died polls again and must not
                // wait for the dead one, and a client that polls many times at once holds one thread, not many.
                throw new IfmapException(IfmapError.Failure, "poll superseded by a newer poll on this session");
            }
            if (entries.isEmpty() && closedReason != null) {
                throw new IfmapException(IfmapError.InvalidSessionID, closedReason);
            }
            List<PollEntry> out = new ArrayList<>(entries);
            entries.clear();
            bytes = 0;
            return out;
        } finally {
            waiting--;
            lock.unlock();
        }
    }

    /** Whether a poll is waiting right now (a session with a waiting poll is alive). */
    boolean polling() {
        lock.lock();
        try {
            return waiting > 0;
        } finally {
            lock.unlock();
        }
    }

    /** Ends the queue: a waiting poll and every later one fail with InvalidSessionID and {@code reason}. */
    void close(String reason) {
        lock.lock();
        try {
            closedReason = reason;
            entries.clear();
            bytes = 0;
            ready.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
