package dev.baton.ifmap.server;

import java.util.List;
import java.util.function.Supplier;

/**
 * How {@link MapService}'s graph changes are made to last: a single server applies them to its own graph and
 * writes forever metadata to its {@link MetadataStore} ({@link LocalPersistence}); a replica appends them to
 * the shared log and applies them when its follower reads them back ({@link ReplicatedPersistence}). The
 * service picks one at construction and goes through it for every change, so it has no mode of its own.
 *
 * <p>A change has two halves because the service applies changes under its lock but never waits under it:
 * {@link #change} runs under the lock and returns the {@link Pending} half, which the caller runs after
 * releasing it.
 */
interface GraphPersistence extends AutoCloseable {

    /** Applies operations to the service's graph, returning the forever-metadata changes. Holds the lock. */
    @FunctionalInterface
    interface Graph {
        List<MetadataStore.Change> apply(List<GraphOp> ops);
    }

    /** The half of a change that runs after the service lock is released: it may wait, never under the lock. */
    @FunctionalInterface
    interface Pending {
        /** Nothing left to do. */
        Pending NONE = () -> { };

        /** Returns once the change is durable (or replicated and applied here); throws if it could not be. */
        void await();
    }

    /** The metadata the graph starts with. */
    List<MetadataStore.Stored> load();

    /**
     * Makes {@code ops}, already authorized, a change of the graph. Called under the service lock.
     *
     * @param claims the ownership claims among them, for a replica's shared compare-and-set; asked for after
     *               the lock is released, if at all
     */
    Pending change(List<GraphOp> ops, Supplier<List<OwnershipRule.Claim>> claims, Graph graph);

    /**
     * Removes an ending session's session-lifetime metadata ({@code purge}). Called under the service lock,
     * in the same step that ends the session.
     */
    Pending endSession(GraphOp.Purge purge, Graph graph);

    /** Called before a search reads the graph, without the lock: a search sees what was committed before it began. */
    void beforeRead();

    /** Called when the service stops: what is still queued is written; what is given later need not be. */
    @Override
    void close();
}
