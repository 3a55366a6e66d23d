package dev.baton.ifmap.server;

import dev.baton.ifmap.model.Filter;
import dev.baton.ifmap.model.Item;
import dev.baton.ifmap.model.Metadata;
import java.util.List;

/**
 * One change to the MAP graph after the server has stamped it: what a publish, an ended session or a purge
 * comes down to. The single-node server applies these directly; replicas write them to the shared log and
 * every replica applies them in log order, so all graphs agree.
 */
sealed interface GraphOp {
    /** Store {@code metadata} on {@code item} (singleValue elements replace their type). */
    record Put(Item item, List<Metadata> metadata) implements GraphOp { }

    /**
     * Remove the metadata on {@code item} passing {@code filter} ({@code null}: all) that {@code onlyPublisher}
     * published ({@code null}: whoever published it). A client's delete is limited to its own metadata unless
     * it may delete others' ({@link PublishRules}).
     */
    record Remove(Item item, Filter filter, String onlyPublisher) implements GraphOp {
        /** A removal of everyone's metadata. */
        Remove(Item item, Filter filter) {
            this(item, filter, null);
        }

        /**
         * Whether this removes {@code m}. What the server published itself (revocation marks) is removed only by a
         * removal limited to the server's own metadata: no client's delete reaches it (a purge of it does).
         */
        boolean removes(Metadata m) {
            if (m.publisherId().equals(RevocationMarks.PUBLISHER) && !RevocationMarks.PUBLISHER.equals(onlyPublisher)) {
                return false;
            }
            return (onlyPublisher == null || onlyPublisher.equals(m.publisherId())) && (filter == null || filter.matches(m));
        }
    }

    /** Tell subscribers about {@code metadata} on {@code item} without storing it. */
    record Tell(Item item, List<Metadata> metadata) implements GraphOp { }

    /** Remove what {@code publisherId} published: only session-lifetime metadata, or all of it. */
    record Purge(String publisherId, boolean sessionOnly) implements GraphOp { }
}
