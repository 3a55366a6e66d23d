package dev.baton.store;

import java.time.Duration;
import java.time.Instant;

/**
 * A lease kept in the storage itself, so that at most one node deletes expired sessions at a time even when
 * two nodes are misconfigured as the console node (S4). A lease taken by a node that died simply runs out.
 *
 * <p>Implementations must be thread-safe and must decide atomically in the storage (a compare-and-set on
 * one row for SQL), never in the memory of one node.
 */
public interface CleanupLease {

    /**
     * Takes the lease for {@code holder}, or extends it if {@code holder} already has it.
     *
     * @param now the caller's current time; the lease is free when its previous holder's term ended before it
     * @param ttl how long the lease lasts unless extended again
     * @return whether {@code holder} holds the lease until {@code now + ttl}
     */
    boolean tryAcquire(String holder, Instant now, Duration ttl);

    /** Gives the lease up if {@code holder} has it; does nothing otherwise. */
    void release(String holder);

    /** The node holding the lease at {@code now}, if any: what an operator's cleanup status shows. */
    java.util.Optional<String> holder(Instant now);
}
