package dev.baton.ifmap.server;

import dev.baton.ifmap.model.Identifier;
import dev.baton.ifmap.model.Item;
import dev.baton.ifmap.model.Metadata;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The outcome of one search: each item reached with the metadata that passed the result filter, in the
 * order found, plus every identifier reached (a subscription watches those for changes).
 *
 * @param items   item to filtered metadata, in breadth-first order
 * @param reached identifiers the search visited
 * @param size    the approximate size of the result on the wire, in bytes
 */
record SearchResult(Map<Item, List<Metadata>> items, Set<Identifier> reached, long size) {
}
