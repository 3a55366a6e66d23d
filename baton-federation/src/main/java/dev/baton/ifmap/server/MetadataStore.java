package dev.baton.ifmap.server;

import dev.baton.ifmap.model.Item;
import dev.baton.ifmap.model.Metadata;
import java.util.List;

/**
 * Where forever-lifetime metadata is kept so it survives a restart of the federation server. The
 * in-memory graph is the working set; this store is the authority for forever metadata across restarts.
 * Calls come from one writer thread at a time, in the order the changes were made.
 */
public interface MetadataStore extends AutoCloseable {

    /** One forever metadata element added to or removed from an item. */
    record Change(Item item, Metadata metadata, boolean added) { }

    /** One stored forever metadata element and where it is. */
    record Stored(Item item, Metadata metadata) { }

    /** Every forever metadata element, in the order it was published. */
    List<Stored> load();

    /** Applies {@code changes} in one transaction; throws {@link dev.baton.core.BatonException} on failure. */
    void apply(List<Change> changes);

    @Override
    void close();

    /** A store that keeps nothing: forever metadata lasts as long as the process. */
    static MetadataStore none() {
        return new MetadataStore() {
            @Override
            public List<Stored> load() {
                return List.of();
            }

            @Override
            public void apply(List<Change> changes) {
            }

            @Override
            public void close() {
            }

            @Override
            public String toString() {
                return "memory only";
            }
        };
    }
}
