package dev.baton.ifmap.server;

import java.util.List;
import java.util.function.Supplier;

/**
 * A replica's persistence: a change is not applied under the service lock but appended to the replicas'
 * shared log after it, and this replica's graph changes when its follower applies the rows, in log order,
 * like every other replica's; the publisher returns once that has happened. The shared log decides ownership
 * claims for good. Thread-safe.
 */
final class ReplicatedPersistence implements GraphPersistence {
    private final PostgresReplication replication;
    private final MetadataStore initial;

    /**
     * Changes through {@code replication}, which the caller starts once the service exists; the graph starts
     * with what {@code initial} holds (normally {@link MetadataStore#none()}: the log is the authority).
     */
    ReplicatedPersistence(PostgresReplication replication, MetadataStore initial) {
        this.replication = replication;
        this.initial = initial;
    }

    @Override
    public List<MetadataStore.Stored> load() {
        return initial.load();
    }

    @Override
    public Pending change(List<GraphOp> ops, Supplier<List<OwnershipRule.Claim>> claims, Graph graph) {
        return () -> replication.append(ops, claims.get());
    }

    @Override
    public Pending endSession(GraphOp.Purge purge, Graph graph) {
        return () -> replication.append(List.of(purge), List.of());
    }

    @Override
    public void beforeRead() {
        replication.catchUp();
    }

    /** The replication itself is closed by its owner. */
    @Override
    public void close() {
        // nothing is queued here
    }
}
