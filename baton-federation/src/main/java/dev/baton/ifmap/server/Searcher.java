package dev.baton.ifmap.server;

import dev.baton.ifmap.model.Filter;
import dev.baton.ifmap.model.Identifier;
import dev.baton.ifmap.model.IfmapError;
import dev.baton.ifmap.model.IfmapException;
import dev.baton.ifmap.model.Item;
import dev.baton.ifmap.model.Metadata;
import dev.baton.ifmap.model.Request.SearchSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;

/**
 * The IF-MAP search: breadth-first from the start identifier, following links that have at least one
 * metadata element passing {@code match-links}, up to {@code max-depth} links away, not leaving identifiers
 * of a terminal type; every identifier and link reached is returned with the metadata that passes the
 * result filter. Runs under the service lock; never blocks.
 */
final class Searcher {
    /** Bytes counted per identifier in a result, for the {@code max-size} bound. */
    private static final int IDENTIFIER_COST = 120;

    private Searcher() {
    }

    /**
     * Runs {@code spec} over {@code graph}.
     *
     * @throws IfmapException {@code SearchResultsTooBig} when the result passes {@code spec.maxSize()}
     */
    static SearchResult search(MapGraph graph, SearchSpec spec) {
        return search(graph, spec, false);
    }

    /**
     * Runs {@code spec} over {@code graph}; with {@code hideVendor}, Baton's vendor metadata is left out of the
     * result, for clients whose role may not read session data ({@link PublisherRights#readSessions}).
     */
    static SearchResult search(MapGraph graph, SearchSpec spec, boolean hideVendor) {
        Map<Item, List<Metadata>> items = new LinkedHashMap<>();
        Set<Identifier> reached = new HashSet<>();
        Queue<Identifier> frontier = new ArrayDeque<>();
        reached.add(spec.start());
        frontier.add(spec.start());
        long size = 0;
        for (int depth = 0; !frontier.isEmpty(); depth++) {
            Queue<Identifier> next = new ArrayDeque<>();
            for (Identifier id : frontier) {
                size += visit(items, Item.of(id), graph.get(Item.of(id)), spec.resultFilter(), true, hideVendor);
                if (depth >= spec.maxDepth() || (depth > 0 && spec.terminalTypes().contains(id.type()))) {
                    continue;
                }
                for (Item link : graph.linksOf(id)) {
                    if (items.containsKey(link) || !anyMatch(graph.get(link), spec.matchLinks())) {
                        continue;
                    }
                    size += visit(items, link, graph.get(link), spec.resultFilter(), false, hideVendor);
                    Identifier other = link.otherEnd(id);
                    if (reached.add(other)) {
                        next.add(other);
                    }
                }
                if (size > spec.maxSize()) {
                    throw new IfmapException(IfmapError.SearchResultsTooBig, "search result from " + spec.start()
                            + " is larger than max-size " + spec.maxSize() + " bytes");
                }
            }
            frontier = next;
        }
        if (size > spec.maxSize()) {
            throw new IfmapException(IfmapError.SearchResultsTooBig, "search result from " + spec.start()
                    + " is larger than max-size " + spec.maxSize() + " bytes");
        }
        return new SearchResult(items, reached, size);
    }

    private static long visit(Map<Item, List<Metadata>> items, Item item, List<Metadata> all, Filter filter,
                              boolean always, boolean hideVendor) {
        List<Metadata> kept = filter(all, filter, hideVendor);
        if (kept.isEmpty() && !always) {
            items.put(item, List.of());
            return IDENTIFIER_COST * 2L;
        }
        items.put(item, kept);
        long size = item.isLink() ? IDENTIFIER_COST * 2L : IDENTIFIER_COST;
        for (Metadata m : kept) {
            size += m.xml().length();
        }
        return size;
    }

    /** The metadata of {@code all} that passes {@code filter} ({@code null}: all of it). */
    static List<Metadata> filter(List<Metadata> all, Filter filter) {
        return filter(all, filter, false);
    }

    /** {@link #filter(List, Filter)}, leaving out Baton's vendor metadata if {@code hideVendor}. */
    static List<Metadata> filter(List<Metadata> all, Filter filter, boolean hideVendor) {
        if (hideVendor) {
            List<Metadata> kept = new ArrayList<>(all.size());
            for (Metadata m : all) {
                if (!m.namespace().equals(dev.baton.ifmap.model.Xml.BATON_NS) && (filter == null || filter.matches(m))) {
                    kept.add(m);
                }
            }
            return kept;
        }
        if (filter == null || all.isEmpty()) {
            return all.isEmpty() ? List.of() : List.copyOf(all);
        }
        List<Metadata> kept = new ArrayList<>(all.size());
        for (Metadata m : all) {
            if (filter.matches(m)) {
                kept.add(m);
            }
        }
        return kept;
    }

    private static boolean anyMatch(List<Metadata> all, Filter filter) {
        if (filter == null) {
            return !all.isEmpty();
        }
        for (Metadata m : all) {
            if (filter.matches(m)) {
                return true;
            }
        }
        return false;
    }
}
