package dev.baton.ifmap.server;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes forever-metadata changes to the {@link MetadataStore} in the order the service made them, grouping
 * whatever has queued up into one transaction (group commit). Publishers enqueue under the service lock,
 * which is cheap, and then {@link #persist} after releasing it, so no service lock is held during I/O and the
 * order on disk is the order in memory.
 *
 * <p>Leader/follower, no writer thread: the publisher that finds no write in progress commits everything
 * queued, its own changes included, in its own thread; those that find one in progress wait for the leader,
 * whose group usually carries their changes too. A leader goes on until the queue is empty and looks once
 * more after letting go, so a change queued while it was finishing is never left behind. (A writer thread
 * cost every publish two hand-offs: measured 3.5 % of the federation server's CPU in the queue's wake-ups
 * alone.) Thread-safe.
 */
final class PersistenceWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PersistenceWriter.class);
    /** Changes committed in one transaction at most. */
    private static final int MAX_GROUP = 512;

    /** One publish's changes and whether they are durable yet. */
    record Batch(List<MetadataStore.Change> changes, CompletableFuture<Void> done) { }

    private final MetadataStore store;
    private final ConcurrentLinkedQueue<Batch> queue;
    private final ReentrantLock writing = new ReentrantLock();
    private volatile boolean running = true;

    PersistenceWriter(MetadataStore store) {
        this(store, new ConcurrentLinkedQueue<>());
    }

    /** With a queue of the caller's: tests use one that lets another publisher in at a chosen moment. */
    PersistenceWriter(MetadataStore store, ConcurrentLinkedQueue<Batch> queue) {
        this.store = store;
        this.queue = queue;
    }

    /**
     * Queues {@code changes}; the future completes once they are durable (or fails with the store's error).
     * Call it under the service lock, then {@link #persist} the future outside it.
     */
    CompletableFuture<Void> submit(List<MetadataStore.Change> changes) {
        if (changes.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new BatonException(ResultCode.UNAVAILABLE, "federation server is stopping"));
            return done;
        }
        queue.add(new Batch(changes, done));
        return done;
    }

    /**
     * Makes sure what the caller {@link #submit}ted gets written: writes everything queued in this thread when no
     * one else is writing. Returns when the queue is empty or another thread is writing; the caller then waits
     * on its future.
     *
     * <p>A writer looks at the queue once more after letting go, whether or not its own changes were among
     * those it wrote: a publisher that queued after the writer's last look, while the writer still held the
     * lock, found it busy and left its changes to it. (Stopping once one's own changes were done left such a
     * change queued until the next publish, or for the publisher's 30 s limit when none came: seen at the end
     * of a benchmark burst, where three claims failed after being applied in memory.)
     */
    void persist() {
        while (!queue.isEmpty() && writing.tryLock()) {
            try {
                while (writeGroup()) {
                    // ours may be behind other groups, and more may queue up while we write
                }
            } finally {
                writing.unlock();
            }
            // Queued after our last look but before we let go: its publisher found us writing. Look again.
        }
    }

    /** Writes one group from the queue; false if it was empty. Holds {@code writing}. */
    private boolean writeGroup() {
        Batch first = queue.poll();
        if (first == null) {
            return false;
        }
        List<Batch> group = new ArrayList<>();
        group.add(first);
        int size = first.changes.size();
        for (Batch b; size < MAX_GROUP && (b = queue.poll()) != null; ) {
            group.add(b);
            size += b.changes.size();
        }
        write(group);
        return true;
    }

    private void write(List<Batch> group) {
        List<MetadataStore.Change> all = new ArrayList<>();
        for (Batch b : group) {
            all.addAll(b.changes);
        }
        try {
            store.apply(all);
            group.forEach(b -> b.done.complete(null));
        } catch (RuntimeException e) {
            // Catch everything: a lost completion would leave its publisher waiting until its timeout.
            LOG.error("could not persist {} forever-metadata changes", all.size(), e);
            group.forEach(b -> b.done.completeExceptionally(e));
        }
    }

    /** Writes what is still queued; later submissions fail. */
    @Override
    public void close() {
        running = false;
        writing.lock();
        try {
            while (writeGroup()) {
                // drain
            }
        } finally {
            writing.unlock();
        }
    }
}
