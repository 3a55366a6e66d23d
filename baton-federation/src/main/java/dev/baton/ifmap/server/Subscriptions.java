package dev.baton.ifmap.server;

import dev.baton.ifmap.model.Identifier;
import dev.baton.ifmap.model.IfmapError;
import dev.baton.ifmap.model.IfmapException;
import dev.baton.ifmap.model.Item;
import dev.baton.ifmap.model.Metadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every subscription of every session, indexed by the identifiers each one's search reached, so a change
 * re-runs only the subscriptions that can see it. A re-run is diffed against the subscription's last
 * result: metadata that appeared becomes an updateResult, metadata that went away a deleteResult (except
 * when a singleValue element was replaced: the subscriber sees the new one in the updateResult only).
 * Guarded by the service lock.
 */
final class Subscriptions {
    private final MapGraph graph;
    private final Map<Identifier, Set<Subscription>> byIdentifier = new HashMap<>();

    Subscriptions(MapGraph graph) {
        this.graph = graph;
    }

    /** Creates or replaces {@code sub}, queueing its full searchResult for the next poll. */
    void add(Subscription sub) {
        remove(sub.owner, sub.name);
        sub.owner.subscriptions.put(sub.name, sub);
        try {
            SearchResult r = Searcher.search(graph, sub.spec, sub.hideVendor);
            remember(sub, r);
            deliver(sub, PollEntry.of(PollEntry.Kind.searchResult, sub.name, r.items()));
        } catch (IfmapException e) {
            drop(sub, e.error(), e.getMessage());
        }
    }

    /** Removes the subscription {@code name} of {@code session}, if any. */
    void remove(ClientSession session, String name) {
        Subscription old = session.subscriptions.remove(name);
        if (old != null) {
            unindex(old);
            session.queue.dropSubscription(name);
        }
    }

    /** Removes every subscription of {@code session}. */
    void removeAll(ClientSession session) {
        for (Subscription s : List.copyOf(session.subscriptions.values())) {
            remove(session, s.name);
        }
    }

    /** The subscriptions that reached any end of any of {@code items}. */
    Set<Subscription> watching(Iterable<Item> items) {
        Set<Subscription> out = new LinkedHashSet<>();
        for (Item item : items) {
            out.addAll(byIdentifier.getOrDefault(item.first(), Set.of()));
            if (item.isLink()) {
                out.addAll(byIdentifier.getOrDefault(item.second(), Set.of()));
            }
        }
        return out;
    }

    /** Re-runs every subscription that can see a change to {@code changed} and queues the differences. */
    void changed(Set<Item> changed) {
        for (Subscription sub : watching(changed)) {
            try {
                SearchResult r = Searcher.search(graph, sub.spec, sub.hideVendor);
                Map<Item, List<Metadata>> deleted = new LinkedHashMap<>();
                Map<Item, List<Metadata>> updated = new LinkedHashMap<>();
                diff(sub.last, r.items(), deleted, updated);
                remember(sub, r);
                if (!deleted.isEmpty()) {
                    deliver(sub, PollEntry.of(PollEntry.Kind.deleteResult, sub.name, deleted));
                }
                if (!updated.isEmpty() && sub.owner.subscriptions.get(sub.name) == sub) {
                    deliver(sub, PollEntry.of(PollEntry.Kind.updateResult, sub.name, updated));
                }
            } catch (IfmapException e) {
                drop(sub, e.error(), e.getMessage());
            }
        }
    }

    /** Queues a notifyResult for {@code sub}. */
    void notify(Subscription sub, Item item, List<Metadata> metadata) {
        deliver(sub, PollEntry.of(PollEntry.Kind.notifyResult, sub.name, Map.of(item, metadata)));
    }

    private static void diff(Map<Item, List<Metadata>> before, Map<Item, List<Metadata>> after,
                             Map<Item, List<Metadata>> deleted, Map<Item, List<Metadata>> updated) {
        for (var e : after.entrySet()) {
            Set<Long> old = ids(before.get(e.getKey()));
            List<Metadata> fresh = new ArrayList<>();
            for (Metadata m : e.getValue()) {
                if (!old.contains(m.id())) {
                    fresh.add(m);
                }
            }
            if (!fresh.isEmpty()) {
                updated.put(e.getKey(), fresh);
            }
        }
        for (var e : before.entrySet()) {
            Set<Long> now = ids(after.get(e.getKey()));
            List<Metadata> fresh = updated.getOrDefault(e.getKey(), List.of());
            List<Metadata> gone = new ArrayList<>();
            for (Metadata m : e.getValue()) {
                boolean replaced = m.cardinality() == Metadata.Cardinality.singleValue
                        && fresh.stream().anyMatch(m::sameTypeAs);
                if (!now.contains(m.id()) && !replaced) {
                    gone.add(m);
                }
            }
            if (!gone.isEmpty()) {
                deleted.put(e.getKey(), gone);
            }
        }
    }

    private static Set<Long> ids(List<Metadata> list) {
        if (list == null || list.isEmpty()) {
            return Set.of();
        }
        Set<Long> ids = new HashSet<>();
        for (Metadata m : list) {
            ids.add(m.id());
        }
        return ids;
    }

    private void deliver(Subscription sub, PollEntry entry) {
        if (!sub.owner.queue.offer(entry)) {
            drop(sub, IfmapError.PollResultsTooBig, "results of subscription '" + sub.name
                    + "' exceed max-poll-result-size " + sub.owner.maxPollResultSize + " bytes");
        }
    }

    /** Ends {@code sub} with an errorResult its owner reads on the next poll. */
    private void drop(Subscription sub, IfmapError error, String message) {
        remove(sub.owner, sub.name);
        sub.owner.queue.offer(PollEntry.error(sub.name, error, message));
    }

    private void remember(Subscription sub, SearchResult r) {
        unindex(sub);
        sub.last = r.items();
        sub.reached = r.reached();
        for (Identifier id : sub.reached) {
            byIdentifier.computeIfAbsent(id, k -> new HashSet<>()).add(sub);
        }
    }

    private void unindex(Subscription sub) {
        for (Identifier id : sub.reached) {
            Set<Subscription> set = byIdentifier.get(id);
            if (set != null && set.remove(sub) && set.isEmpty()) {
                byIdentifier.remove(id);
            }
        }
    }
}
