package dev.baton.ifmap;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends requests of one kind in groups: those that arrive while one group is on its way go together in the next.
 * Under load one round trip then carries several callers' requests; a caller that finds none on its way sends
 * at once, so nothing waits for a timer.
 *
 * <p>Leader/follower, no sender thread: a caller that finds fewer than {@link #IN_FLIGHT} groups on their way
 * sends everything queued (its own request included), then wakes the next queued caller to lead; the others
 * park until their outcome is set. Two groups may be on their way at once, so that one request held up (a
 * connection that died without a word waits for its deadline) does not hold up every caller.
 * {@link #sendGroup} must give every request of its group an outcome: a value, or the
 * {@link RuntimeException} or {@link Error} its caller is to get. Thread-safe.
 *
 * @param <T> what a caller hands in
 */
abstract class GroupSender<T> {
    /** Groups on their way at once, at most. */
    static final int IN_FLIGHT = 2;
    private final int maxGroup;
    private final ConcurrentLinkedQueue<Pending<T>> queue = new ConcurrentLinkedQueue<>();
    private final Semaphore sending = new Semaphore(IN_FLIGHT);

    /** @param maxGroup requests in one group at most */
    GroupSender(int maxGroup) {
        this.maxGroup = maxGroup;
    }

    /** One caller's request and, once sent, its outcome. */
    static final class Pending<T> {
        final T request;
        private final Thread waiter = Thread.currentThread();
        /** The value or the failure; null while pending. */
        private volatile Object outcome;

        Pending(T request) {
            this.request = request;
        }
    }

    /**
     * Sends {@code request}, in a group with whatever else is queued, and returns its outcome value.
     *
     * @throws RuntimeException or {@link Error}: the failure {@link #sendGroup} gave this request
     */
    final Object send(T request) {
        Pending<T> me = new Pending<>(request);
        queue.add(me);
        while (me.outcome == null) {
            if (sending.tryAcquire()) {
                try {
                    if (me.outcome == null) {
                        sendQueued();
                    }
                } finally {
                    sending.release();
                }
                Pending<T> next = queue.peek();
                if (next != null) {
                    LockSupport.unpark(next.waiter); // it leads the next group
                }
            } else {
                LockSupport.park(this); // woken with an outcome, or to lead
            }
        }
        if (me.outcome instanceof RuntimeException e) {
            throw e;
        }
        if (me.outcome instanceof Error e) {
            throw e;
        }
        return me.outcome;
    }

    private void sendQueued() {
        List<Pending<T>> group = new ArrayList<>();
        for (Pending<T> p; group.size() < maxGroup && (p = queue.poll()) != null; ) {
            group.add(p);
        }
        try {
            sendGroup(group);
        } catch (RuntimeException | Error e) {
            group.forEach(p -> complete(p, e)); // no caller may be left waiting; complete() keeps outcomes already set
            throw e;
        }
        for (Pending<T> p : group) {
            if (p.outcome == null) {
                complete(p, new IllegalStateException("no outcome given to a grouped request: a defect"));
            }
        }
    }

    /** Sends {@code group} (one or more requests, in arrival order) and {@link #complete}s each of them. */
    protected abstract void sendGroup(List<Pending<T>> group);

    /** Sets the outcome of {@code p} (a value, or the failure its caller gets) unless it has one, and wakes it. */
    protected final void complete(Pending<T> p, Object outcome) {
        if (p.outcome == null) {
            p.outcome = outcome;
            LockSupport.unpark(p.waiter);
        }
    }
}
