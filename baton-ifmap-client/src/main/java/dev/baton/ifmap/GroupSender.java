package dev.baton.ifmap;

import dev.baton.core.concurrent.GroupCommit;
import java.util.List;

/**
 * Sends requests of one kind in groups: those that arrive while one group is on its way go together in the next.
 * Under load one round trip then carries several callers' requests; a caller that finds none on its way sends
 * at once, so nothing waits for a timer.
 *
 * <p>A {@link GroupCommit} with {@link #IN_FLIGHT} leaders does the grouping: the caller that gets a slot sends
 * in its own thread; the others park until their outcome is set or they are handed the slot. Two groups may be
 * on their way at once, so that one request held up (a connection that died without a word waits for its
 * deadline) does not hold up every caller. {@link #sendGroup} must give every request of its group an outcome: a
 * value, or the {@link RuntimeException} or {@link Error} its caller is to get; a request it gives none fails
 * as a defect, and if it throws, the requests it had not answered fail with what it threw. Thread-safe.
 *
 * @param <T> what a caller hands in
 */
abstract class GroupSender<T> {
    /** Groups on their way at once, at most. */
    static final int IN_FLIGHT = 2;
    private final GroupCommit<Pending<T>> groups;

    /** @param maxGroup requests in one group at most */
    GroupSender(int maxGroup) {
        this.groups = new GroupCommit<>(IN_FLIGHT, maxGroup, group -> {
            sendGroup(group);
            return List.of();
        });
    }

    /** One caller's request and, once sent, its outcome. */
    static final class Pending<T> extends GroupCommit.Entry {
        final T request;

        Pending(T request) {
            this.request = request;
        }
    }

    /**
     * Sends {@code request}, in a group with whatever else is queued, and returns its outcome value. Waits for it
     * however long it takes, as the request's own deadline bounds that; an interrupt is kept for the caller.
     *
     * @throws RuntimeException or {@link Error}: the failure {@link #sendGroup} gave this request
     */
    final Object send(T request) {
        Pending<T> me = new Pending<>(request);
        groups.offer(me);
        boolean interrupted = false;
        while (!groups.await(me)) {
            interrupted |= Thread.interrupted(); // the only reason it returns early: nothing is ever held
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable failure = me.failure();
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        return me.value();
    }

    /** Sends {@code group} (one or more requests, in arrival order) and {@link #complete}s each of them. */
    protected abstract void sendGroup(List<Pending<T>> group);

    /** Sets the outcome of {@code p} (a value, or the failure its caller gets) unless it has one, and wakes it. */
    protected final void complete(Pending<T> p, Object outcome) {
        if (outcome instanceof RuntimeException || outcome instanceof Error) {
            p.fail((Throwable) outcome);
        } else {
            p.complete(outcome);
        }
    }
}
