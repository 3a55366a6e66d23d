package dev.baton.ifmap.server;

import dev.baton.ifmap.model.Identifier;
import dev.baton.ifmap.model.Item;
import dev.baton.ifmap.model.Metadata;
import dev.baton.ifmap.model.Request.SearchSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A named subscription of one client session: its search and the result it last delivered, against which
 * the next change is diffed. Guarded by the service lock.
 */
final class Subscription {
    final ClientSession owner;
    final String name;
    final SearchSpec spec;
    /** Whether Baton's vendor metadata is left out of this subscription's results (the owner's role). */
    final boolean hideVendor;
    Map<Item, List<Metadata>> last = Map.of();
    Set<Identifier> reached = Set.of();

    Subscription(ClientSession owner, String name, SearchSpec spec) {
        this.owner = owner;
        this.name = name;
        this.spec = spec;
        this.hideVendor = !owner.rights.readSessions();
    }
}
