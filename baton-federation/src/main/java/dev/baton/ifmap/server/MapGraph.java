package dev.baton.ifmap.server;

import dev.baton.ifmap.model.Identifier;
import dev.baton.ifmap.model.Item;
import dev.baton.ifmap.model.Metadata;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The MAP graph: metadata on identifiers and links, with an index from each identifier to the links that
 * touch it and from each publisher to the items it published on. It only stores; the standard's rules
 * (singleValue replacement, atomic publish) live in {@link MapService}. Not thread-safe: the service
 * guards it with its lock, which is never held during I/O.
 */
final class MapGraph {
    private final Map<Item, List<Metadata>> metadata = new HashMap<>();
    private final Map<Identifier, Set<Item>> linksByIdentifier = new HashMap<>();
    private final Map<String, Set<Item>> itemsByPublisher = new HashMap<>();
    /** Metadata elements per publisher, for the per-publisher quota. */
    private final Map<String, long[]> countByPublisher = new HashMap<>();

    /** The metadata on {@code item}, oldest first; empty if none. The list must not be modified. */
    List<Metadata> get(Item item) {
        return metadata.getOrDefault(item, List.of());
    }

    /** The links with metadata that touch {@code identifier}. */
    Set<Item> linksOf(Identifier identifier) {
        return linksByIdentifier.getOrDefault(identifier, Set.of());
    }

    /** Adds {@code m} to {@code item} (no cardinality rule applied here). */
    void add(Item item, Metadata m) {
        List<Metadata> list = metadata.computeIfAbsent(item, k -> {
            if (k.isLink()) {
                linksByIdentifier.computeIfAbsent(k.first(), x -> new HashSet<>()).add(k);
                linksByIdentifier.computeIfAbsent(k.second(), x -> new HashSet<>()).add(k);
            }
            return new ArrayList<>(2);
        });
        list.add(m);
        itemsByPublisher.computeIfAbsent(m.publisherId(), k -> new HashSet<>()).add(item);
        countByPublisher.computeIfAbsent(m.publisherId(), k -> new long[1])[0]++;
    }

    /** How many metadata elements {@code publisherId} has in the graph. */
    long countOf(String publisherId) {
        long[] n = countByPublisher.get(publisherId);
        return n == null ? 0 : n[0];
    }

    /** Removes and returns the metadata on {@code item} that passes {@code which}. */
    List<Metadata> remove(Item item, Predicate<Metadata> which) {
        List<Metadata> list = metadata.get(item);
        if (list == null) {
            return List.of();
        }
        List<Metadata> removed = new ArrayList<>();
        list.removeIf(m -> which.test(m) && removed.add(m));
        for (Metadata m : removed) {
            long[] n = countByPublisher.get(m.publisherId());
            if (n != null && --n[0] <= 0) {
                countByPublisher.remove(m.publisherId());
            }
        }
        if (list.isEmpty()) {
            metadata.remove(item);
            if (item.isLink()) {
                unindex(item.first(), item);
                unindex(item.second(), item);
            }
        }
        return removed;
    }

    /** The items {@code publisherId} has (or had) metadata on; a superset, cleaned lazily. */
    Set<Item> itemsOf(String publisherId) {
        Set<Item> items = itemsByPublisher.get(publisherId);
        return items == null ? Set.of() : Collections.unmodifiableSet(new HashSet<>(items));
    }

    /** Forgets the publisher index entry once its metadata is gone. */
    void forgetPublisherIfEmpty(String publisherId) {
        Set<Item> items = itemsByPublisher.get(publisherId);
        if (items != null) {
            items.removeIf(i -> get(i).stream().noneMatch(m -> m.publisherId().equals(publisherId)));
            if (items.isEmpty()) {
                itemsByPublisher.remove(publisherId);
            }
        }
    }

    /** Calls {@code visit} with every item that carries metadata and its metadata, oldest first (read only). */
    void forEach(java.util.function.BiConsumer<Item, List<Metadata>> visit) {
        metadata.forEach((item, list) -> visit.accept(item, java.util.Collections.unmodifiableList(list)));
    }

    /** Forgets everything. */
    void clear() {
        metadata.clear();
        linksByIdentifier.clear();
        itemsByPublisher.clear();
        countByPublisher.clear();
    }

    /** Number of metadata elements in the graph. */
    long metadataCount() {
        long n = 0;
        for (long[] c : countByPublisher.values()) {
            n += c[0];
        }
        return n;
    }

    /** Number of identifiers that carry metadata or are an end of a link that does. */
    int identifierCount() {
        int n = linksByIdentifier.size();
        for (Item item : metadata.keySet()) {
            if (!item.isLink() && !linksByIdentifier.containsKey(item.first())) {
                n++;
            }
        }
        return n;
    }

    /** Number of items (identifiers and links) that carry metadata. */
    int size() {
        return metadata.size();
    }

    private void unindex(Identifier id, Item link) {
        Set<Item> set = linksByIdentifier.get(id);
        if (set != null && set.remove(link) && set.isEmpty()) {
            linksByIdentifier.remove(id);
        }
    }
}
