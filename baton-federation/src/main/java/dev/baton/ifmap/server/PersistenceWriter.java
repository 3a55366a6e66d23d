package dev.baton.ifmap.server;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.concurrent.GroupCommit;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes forever-metadata changes to the {@link MetadataStore} in the order the service made them, grouping
 * whatever has queued up into one transaction (group commit). Publishers enqueue under the service lock,
 * which is cheap, and then {@link #persist} after releasing it, so no service lock is held during I/O and the
 * order on disk is the order in memory.
 *
 * <p>A {@link GroupCommit} with a single leader does the grouping, with no writer thread: the publisher that
 * finds no write in progress commits everything queued, its own changes included, in its own thread; those that
 * find one in progress leave their changes to it (it looks at the queue once more after letting go) and wait on
 * their future. One leader keeps the order on disk equal to the order of {@link #submit}. Thread-safe.
 */
final class PersistenceWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PersistenceWriter.class);
    /** A transaction takes publishes while it holds fewer changes than this. */
    private static final int MAX_GROUP = 512;

    /** One publish's changes and, in {@link #done}, whether they are durable yet. */
    static final class Batch extends GroupCommit.Entry {
        final List<MetadataStore.Change> changes;
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Batch(List<MetadataStore.Change> changes) {
            this.changes = changes;
        }

        @Override
        protected void settled() {
            Throwable failure = failure();
            if (failure == null) {
                done.complete(null);
            } else {
                done.completeExceptionally(failure);
            }
        }
    }

    private final MetadataStore store;
    private final GroupCommit<Batch> groups;
    private volatile boolean running = true;

    PersistenceWriter(MetadataStore store) {
        this(store, new ConcurrentLinkedQueue<>());
    }

    /** With a queue of the caller's: tests use one that lets another publisher in at a chosen moment. */
    PersistenceWriter(MetadataStore store, Queue<Batch> queue) {
        this.store = store;
        this.groups = new GroupCommit<>(queue, 1, MAX_GROUP, b -> b.changes.size(), this::write);
    }

    /**
     * Queues {@code changes}; the future completes once they are durable (or fails with the store's error).
     * Call it under the service lock, then {@link #persist} the future outside it.
     */
    CompletableFuture<Void> submit(List<MetadataStore.Change> changes) {
        if (changes.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        if (!running) {
            return CompletableFuture.failedFuture(new BatonException(ResultCode.UNAVAILABLE, "federation server is stopping"));
        }
        Batch batch = new Batch(changes);
        groups.offer(batch);
        return batch.done;
    }

    /**
     * Makes sure what the caller {@link #submit}ted gets written: writes everything queued in this thread when no
     * one else is writing. Returns when the queue is empty or another thread is writing; the caller then waits
     * on its future.
     */
    void persist() {
        groups.lead();
    }

    private List<Batch> write(List<Batch> group) {
        List<MetadataStore.Change> all = new ArrayList<>();
        for (Batch b : group) {
            all.addAll(b.changes);
        }
        try {
            store.apply(all);
            group.forEach(b -> b.complete(null));
        } catch (RuntimeException e) {
            LOG.error("could not persist {} forever-metadata changes", all.size(), e);
            group.forEach(b -> b.fail(e));
        }
        return List.of();
    }

    /** Writes what is still queued; later submissions fail. */
    @Override
    public void close() {
        running = false;
        groups.drain();
    }
}
