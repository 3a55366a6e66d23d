package dev.baton.ifmap.server;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes forever-metadata changes to the {@link MetadataStore} on one thread, in the order the service made
 * them, grouping whatever has queued up into one transaction (group commit). Publishers enqueue under the
 * service lock, which is cheap, and wait for their future after releasing it, so no lock is held during
 * I/O and the order on disk is the order in memory. Thread-safe.
 */
final class PersistenceWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PersistenceWriter.class);

    private record Batch(List<MetadataStore.Change> changes, CompletableFuture<Void> done) { }

    private final MetadataStore store;
    private final LinkedBlockingQueue<Batch> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    PersistenceWriter(MetadataStore store) {
        this.store = store;
        this.thread = Thread.ofPlatform().name("ifmap-persist").daemon().start(this::run);
    }

    /** Queues {@code changes}; the future completes once they are durable (or fails with the store's error). */
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

    private void run() {
        List<Batch> group = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Batch first = queue.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, 511);
                write(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                group.clear();
            }
        }
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
            // Catch everything: a writer thread that dies would leave every later publisher waiting forever.
            LOG.error("could not persist {} forever-metadata changes", all.size(), e);
            group.forEach(b -> b.done.completeExceptionally(e));
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
