package dev.baton.ifmap.server;

import dev.baton.core.BatonException;
import dev.baton.ifmap.model.IfmapError;
import dev.baton.ifmap.model.IfmapException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A single server's persistence: changes apply to the graph at once, under the service lock, and their
 * forever metadata is queued there too, so the store sees changes in the graph's order; the publisher then
 * waits, without the lock, until a {@link PersistenceWriter} has made them durable. Session metadata is
 * never stored. Thread-safe.
 */
final class LocalPersistence implements GraphPersistence {
    private final MetadataStore store;
    private final PersistenceWriter writer;

    /** Forever metadata in {@code store} ({@link MetadataStore#none()} for memory only). */
    LocalPersistence(MetadataStore store) {
        this.store = store;
        this.writer = new PersistenceWriter(store);
    }

    @Override
    public List<MetadataStore.Stored> load() {
        return store.load();
    }

    @Override
    public Pending change(List<GraphOp> ops, Supplier<List<OwnershipRule.Claim>> claims, Graph graph) {
        CompletableFuture<Void> durable = writer.submit(graph.apply(ops));
        return () -> awaitDurable(durable);
    }

    @Override
    public Pending endSession(GraphOp.Purge purge, Graph graph) {
        graph.apply(List.of(purge)); // session metadata is never persisted
        return Pending.NONE;
    }

    @Override
    public void beforeRead() {
        // the graph is the whole truth
    }

    /** Returns once the changes queued as {@code done} are durable, writing them itself if no one else is. */
    private void awaitDurable(CompletableFuture<Void> done) {
        writer.persist();
        try {
            done.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IfmapException(IfmapError.SystemError, "forever metadata could not be stored: "
                    + (e.getCause() instanceof BatonException b ? b.getMessage() : String.valueOf(e.getCause())));
        } catch (TimeoutException e) {
            throw new IfmapException(IfmapError.SystemError, "forever metadata store did not answer in 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IfmapException(IfmapError.SystemError, "interrupted while storing forever metadata");
        }
    }

    /** Writes what is still queued; the store itself is closed by its owner. */
    @Override
    public void close() {
        writer.close();
    }
}
