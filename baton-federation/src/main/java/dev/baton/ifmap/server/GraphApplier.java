package dev.baton.ifmap.server;

import dev.baton.ifmap.model.Item;
import dev.baton.ifmap.model.Metadata;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Applies {@link GraphOp}s to the graph and tells the subscriptions that see a change, collecting the changes
 * of forever metadata as it goes (for a single server's store). Not thread-safe: every call holds the
 * service lock, which guards the graph and the subscriptions together.
 */
final class GraphApplier {
    private final MapGraph graph;
    private final Subscriptions subscriptions;

    GraphApplier(MapGraph graph, Subscriptions subscriptions) {
        this.graph = graph;
        this.subscriptions = subscriptions;
    }

    /**
     * Applies {@code ops} in order and re-runs the subscriptions that see a change; returns the changes of
     * forever metadata. The caller holds the service lock.
     */
    List<MetadataStore.Change> apply(List<GraphOp> ops) {
        List<MetadataStore.Change> changes = new ArrayList<>();
        Set<Item> touched = new LinkedHashSet<>();
        for (GraphOp op : ops) {
            switch (op) {
                case GraphOp.Put p -> put(p, touched, changes);
                case GraphOp.Remove r -> {
                    if (!remove(r.item(), r::removes, changes).isEmpty()) {
                        touched.add(r.item());
                    }
                }
                case GraphOp.Tell t -> tell(t);
                case GraphOp.Purge p -> touched.addAll(purgeItems(p, changes));
            }
        }
        subscriptions.changed(touched);
        return changes;
    }

    private void put(GraphOp.Put p, Set<Item> touched, List<MetadataStore.Change> changes) {
        for (Metadata m : p.metadata()) {
            if (m.cardinality() == Metadata.Cardinality.singleValue) {
                remove(p.item(), m::sameTypeAs, changes);
            }
            graph.add(p.item(), m);
            if (m.lifetime() == Metadata.Lifetime.forever) {
                changes.add(new MetadataStore.Change(p.item(), m, true));
            }
        }
        touched.add(p.item());
    }

    private void tell(GraphOp.Tell t) {
        for (Subscription sub : subscriptions.watching(List.of(t.item()))) {
            if (t.item().isLink() && sub.spec.matchLinks() != null
                    && t.metadata().stream().noneMatch(sub.spec.matchLinks()::matches)) {
                continue;
            }
            List<Metadata> kept = Searcher.filter(t.metadata(), sub.spec.resultFilter(), sub.hideVendor);
            if (!kept.isEmpty()) {
                subscriptions.notify(sub, t.item(), kept);
            }
        }
    }

    /**
     * Replaces the whole graph by {@code items} and re-runs every subscription that reached an item present
     * before or after, so subscribers get the differences as update and delete results. The caller holds the
     * service lock.
     */
    void replace(List<MetadataStore.Stored> items) {
        Set<Item> touched = new LinkedHashSet<>();
        graph.forEach((item, list) -> touched.add(item));
        graph.clear();
        for (MetadataStore.Stored s : items) {
            graph.add(s.item(), s.metadata());
            touched.add(s.item());
        }
        subscriptions.changed(touched);
    }

    private Set<Item> purgeItems(GraphOp.Purge p, List<MetadataStore.Change> changes) {
        Set<Item> touched = new LinkedHashSet<>();
        for (Item item : graph.itemsOf(p.publisherId())) {
            if (!remove(item, m -> m.publisherId().equals(p.publisherId())
                    && (!p.sessionOnly() || m.lifetime() == Metadata.Lifetime.session), changes).isEmpty()) {
                touched.add(item);
            }
        }
        graph.forgetPublisherIfEmpty(p.publisherId());
        return touched;
    }

    private List<Metadata> remove(Item item, Predicate<Metadata> which, List<MetadataStore.Change> changes) {
        List<Metadata> removed = graph.remove(item, which);
        for (Metadata m : removed) {
            if (m.lifetime() == Metadata.Lifetime.forever) {
                changes.add(new MetadataStore.Change(item, m, false));
            }
        }
        return removed;
    }
}
