package dev.baton.core.concurrent;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToIntFunction;

/**
 * Group commit without a committer thread: entries queued while a group is being committed go together in the
 * next one. Under load one commit (a transaction, a round trip) then carries many callers' entries; a caller
 * that finds no commit under way commits at once, so nothing waits for a timer or a hand-off to another thread.
 *
 * <p>Leader/follower. A caller {@link #offer}s its entry and then either {@link #await}s it or calls
 * {@link #lead}. Whoever gets one of the {@code leaders} slots commits groups from the head of the queue in its
 * own thread; the others park until their entry is settled or they are handed a slot. A leader that waits for an
 * entry of its own lets go once that entry is settled, handing its slot to the parked waiter of the entry now at
 * the head, so one caller does not end up committing for everyone; a leader without an entry of its own, or
 * one whose successor is not parked, goes on until the queue is empty.
 *
 * <p>No entry is left behind: a leader looks at the queue once more after letting go of its slot. An entry
 * offered while every slot was held, after its holder's last look, found no slot free; its caller parks or
 * returns, leaving the entry to that holder, whose second look then finds it. The promise therefore holds for
 * entries whose caller, after {@link #offer}, calls {@link #await} or {@link #lead}; an entry nobody leads for
 * (a write in the background) waits for the next {@link #lead} or {@link #drain}.
 *
 * <p>A group is committed by the {@link Committer}, which settles each entry ({@link Entry#complete} or
 * {@link Entry#fail}). If it throws, the entries it had not settled fail with what it threw, and the leader goes
 * on. It may instead return entries it cannot commit for now (their resource is down): those are held, go first
 * at the next {@link #drain} (settled ones too: the committer decides what to do with them), and until then no
 * caller leads and {@link #await} returns false; holding needs a single leader. Entries neither settled nor
 * returned fail as a defect, so no waiter sleeps for ever.
 *
 * <p>Order: with one leader, groups are committed one at a time in queue order, entries in a group in queue
 * order, and held entries before any entry queued after them. With two, groups may be committed at once.
 *
 * <p>Thread-safe; the committer runs in the leader's thread, one call per slot at a time.
 *
 * @param <E> the entries, which carry their own outcome
 */
public final class GroupCommit<E extends GroupCommit.Entry> {
    private final Queue<E> queue;
    private final int leaders;
    private final Semaphore slots;
    private final int maxWeight;
    private final ToIntFunction<? super E> weight;
    private final Committer<E> committer;
    /** Entries the committer could not commit for now; written only by the holder of the single slot. */
    private volatile List<E> held = List.of();

    /**
     * Commits one group.
     *
     * @param <E> the entries
     */
    @FunctionalInterface
    public interface Committer<E> {
        /**
         * Commits {@code group} (one or more entries, in queue order) and settles its entries.
         *
         * @return the entries it could not commit for now, to be held and retried first; usually empty
         */
        List<E> commit(List<E> group);
    }

    /**
     * @param queue     where entries wait; a bounded one makes {@link #offer} refuse entries when full. Only this
     *                  instance may take from it
     * @param leaders   groups committed at once, at most (1 keeps queue order)
     * @param maxWeight a group takes entries while it weighs less than this, so a group of one may weigh more
     * @param weight    an entry's weight; {@code e -> 1} bounds a group by its count
     * @param committer commits a group
     */
    public GroupCommit(Queue<E> queue, int leaders, int maxWeight, ToIntFunction<? super E> weight, Committer<E> committer) {
        if (leaders < 1 || maxWeight < 1) {
            throw new IllegalArgumentException("leaders and maxWeight must be positive: " + leaders + ", " + maxWeight);
        }
        this.queue = Objects.requireNonNull(queue);
        this.leaders = leaders;
        this.slots = new Semaphore(leaders);
        this.maxWeight = maxWeight;
        this.weight = Objects.requireNonNull(weight);
        this.committer = Objects.requireNonNull(committer);
    }

    /** With an unbounded queue, groups of at most {@code maxGroup} entries. */
    public GroupCommit(int leaders, int maxGroup, Committer<E> committer) {
        this(new ConcurrentLinkedQueue<>(), leaders, maxGroup, e -> 1, committer);
    }

    /**
     * Queues {@code entry}. Follow it with {@link #await} or {@link #lead}, or it waits for the next leader.
     *
     * @return false if the queue is full
     */
    public boolean offer(E entry) {
        return queue.offer(entry);
    }

    /**
     * Commits queued entries in this thread if a slot is free and nothing is held; returns at once otherwise (a
     * slot holder looks at the queue again before it lets go).
     */
    public void lead() {
        if (mayLead() && slots.tryAcquire()) {
            commitAsLeader(null);
        }
    }

    /**
     * Waits for a slot, then commits the held entries and, if they went through, everything queued.
     *
     * @return whether entries are still held (the caller retries after a pause)
     */
    public boolean drain() {
        slots.acquireUninterruptibly();
        if (!held.isEmpty()) {
            held = commit(held); // held until committed: no caller leads meanwhile
            if (!held.isEmpty()) {
                slots.release(); // nothing may go before the held entries, so no look is needed
                return true;
            }
        }
        commitAsLeader(null);
        return !held.isEmpty();
    }

    /** Waits for {@code entry} until it is settled, leading whenever a slot is free; see {@link #await(Entry, long)}. */
    public boolean await(E entry) {
        return await(entry, Long.MAX_VALUE);
    }

    /**
     * Waits up to {@code timeoutNanos} for {@code entry}, which this thread {@link #offer}ed, to be settled,
     * committing groups in this thread whenever a slot is free.
     *
     * @return true once it is settled; false if the time is up, the thread is interrupted (its status kept) or
     *         entries are held (then the entry waits for {@link #drain})
     */
    public boolean await(E entry, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos; // wraps for Long.MAX_VALUE; only differences are used
        Thread me = Thread.currentThread();
        while (!entry.isDone()) {
            if (!held.isEmpty()) {
                return false;
            }
            if (!queue.isEmpty() && slots.tryAcquire()) { // if empty, the entry is in a group under way
                commitAsLeader(entry);
                continue;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || me.isInterrupted()) {
                return false;
            }
            // Published before the checks below: a leader that settles the entry, or hands us its slot, after
            // them sees the waiter and unparks it; one that did so before them is seen by them.
            entry.waiter = me; // plain write: only this thread sets a thread here, leaders only CAS it away
            if (!entry.isDone() && held.isEmpty()) {
                LockSupport.parkNanos(this, left);
            }
            if (entry.handedOver(me)) {
                commitAsLeader(entry);
            }
        }
        return true;
    }

    /** Entries queued or held. */
    public int size() {
        return queue.size() + held.size();
    }

    private boolean mayLead() {
        return held.isEmpty() && !queue.isEmpty();
    }

    /**
     * Holding a slot: commits groups, then lets go or hands the slot on. After letting go it looks at the queue
     * once more: an entry offered after its last look, while it still held the slot, found no slot free.
     */
    private void commitAsLeader(E mine) {
        do {
            if (commitGroups(mine)) {
                return; // the slot went to a parked waiter, who goes on from here
            }
            slots.release();
        } while (mayLead() && slots.tryAcquire());
    }

    /**
     * Commits groups until the queue is empty, entries are held, or {@code mine} is settled and the slot could be
     * handed to the parked waiter of the head entry.
     *
     * @return whether the slot was handed on
     */
    private boolean commitGroups(E mine) {
        while (held.isEmpty()) {
            if (mine != null && mine.isDone()) {
                E head = queue.peek();
                if (head == null) {
                    return false;
                }
                if (head.handOver()) {
                    return true;
                }
            }
            if (!commitGroup()) {
                return false;
            }
        }
        return false;
    }

    /** Takes a group from the head of the queue and commits it; false if the queue was empty. */
    private boolean commitGroup() {
        E first = queue.poll();
        if (first == null) {
            return false;
        }
        List<E> group = new ArrayList<>();
        group.add(first);
        int total = weight.applyAsInt(first);
        for (E e; total < maxWeight && (e = queue.poll()) != null; ) {
            group.add(e);
            total += weight.applyAsInt(e);
        }
        List<E> keep = commit(group);
        if (!keep.isEmpty()) {
            held = keep;
            keep.forEach(Entry::wake); // their waiters' await returns false now, as does that of the queued ones
            queue.forEach(Entry::wake);
        }
        return true;
    }

    /** Has {@code group} committed; returns the entries to hold (usually none). */
    private List<E> commit(List<E> group) {
        List<E> left;
        try {
            left = committer.commit(group);
        } catch (RuntimeException | Error e) {
            group.forEach(x -> x.fail(e)); // no caller may be left waiting; entries already settled keep their outcome
            return List.of();
        }
        List<E> keep = left.isEmpty() ? List.of() : holdable(left);
        Set<E> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        kept.addAll(keep);
        for (E e : group) {
            if (!e.isDone() && !kept.contains(e)) {
                e.fail(new IllegalStateException("the committer neither settled nor returned an entry: a defect"));
            }
        }
        return keep;
    }

    /** {@code left}; with more than one leader none: those fail, as holding them would break the order. */
    private List<E> holdable(List<E> left) {
        if (leaders > 1) {
            left.forEach(e -> e.fail(new IllegalStateException("holding entries needs a single leader")));
            return List.of();
        }
        return List.copyOf(left);
    }

    /**
     * An entry of a group commit and its outcome: a value or a failure, set once. Subclasses carry what is to be
     * committed. Only the committer settles an entry, and only one of the group it was given: one settled while
     * still queued would be committed again. Thread-safe.
     */
    public abstract static class Entry {
        private static final Object NULL = new Object();
        private static final Object HANDED = new Object();
        private static final VarHandle WAITER;
        private static final VarHandle OUTCOME;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                WAITER = lookup.findVarHandle(Entry.class, "waiter", Object.class);
                OUTCOME = lookup.findVarHandle(Entry.class, "outcome", Object.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** Null while pending, then {@link #NULL}, a {@link Failure} or the value. */
        private volatile Object outcome;
        /** Null, the thread parked for this entry, or {@link #HANDED} once a leader gave that thread its slot. */
        volatile Object waiter;

        protected Entry() {
        }

        /** Settles this entry with {@code value} (may be null) unless it is settled; wakes its waiter. */
        public final boolean complete(Object value) {
            return settle(value == null ? NULL : value);
        }

        /** Settles this entry with {@code failure} unless it is settled; wakes its waiter. */
        public final boolean fail(Throwable failure) {
            return settle(new Failure(Objects.requireNonNull(failure)));
        }

        private boolean settle(Object o) {
            if (!OUTCOME.compareAndSet(this, (Object) null, o)) {
                return false;
            }
            settled();
            wake();
            return true;
        }

        /** Called once, in the thread that settles this entry, before its waiter is woken. Does nothing here. */
        protected void settled() {
        }

        public final boolean isDone() {
            return outcome != null;
        }

        /** The failure this entry was settled with; null if it is pending or has a value. */
        public final Throwable failure() {
            return outcome instanceof Failure f ? f.cause : null;
        }

        /** The value this entry was settled with; null if it is pending, failed or null. */
        public final Object value() {
            Object o = outcome;
            return o == NULL || o instanceof Failure ? null : o;
        }

        final void wake() {
            if (waiter instanceof Thread t) {
                LockSupport.unpark(t);
            }
        }

        /** Stops {@code me} waiting for this entry; true if a leader gave it a slot meanwhile. */
        final boolean handedOver(Thread me) {
            if (WAITER.compareAndSet(this, me, null)) {
                return false;
            }
            waiter = null;
            return true;
        }

        /** Gives the caller's slot to the thread parked for this entry; false if none is. */
        final boolean handOver() {
            if (waiter instanceof Thread t && WAITER.compareAndSet(this, t, HANDED)) {
                LockSupport.unpark(t);
                return true;
            }
            return false;
        }

        private record Failure(Throwable cause) { }
    }
}
