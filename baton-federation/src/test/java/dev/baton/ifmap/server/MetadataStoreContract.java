package dev.baton.ifmap.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.ifmap.model.Identifier;
import dev.baton.ifmap.model.Item;
import dev.baton.ifmap.model.Metadata;
import dev.baton.ifmap.model.Xml;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every forever-metadata store does; subclasses say only how to open theirs. */
abstract class MetadataStoreContract {
    MetadataStore store;

    /** Opens the store under test on empty storage; a second call opens the same storage again. */
    abstract MetadataStore open();

    @BeforeEach
    void openStore() {
        store = open();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    static Metadata role(long id, String name) {
        return new Metadata(id, Xml.META_NS, "role", Metadata.Cardinality.multiValue, "gw-a", Metadata.Lifetime.forever,
                "<meta:role xmlns:meta=\"" + Xml.META_NS + "\" ifmap-publisher-id=\"gw-a\"><name>" + name
                        + "</name></meta:role>", Map.of());
    }

    @Test
    void addedMetadataIsLoadedBackInOrderAfterReopeningAndRemovedMetadataIsNot() {
        Item ar = Item.of(Identifier.accessRequest("ar-1"));
        Item link = Item.link(Identifier.accessRequest("ar-1"), Identifier.identity("jdoe", "username"));
        Metadata owner = new Metadata(3, Xml.BATON_NS, "session-owner", Metadata.Cardinality.singleValue, "gw-a",
                Metadata.Lifetime.forever, "<baton:session-owner xmlns:baton=\"" + Xml.BATON_NS
                + "\" generation=\"7\" gateway=\"gw-a\"/>", Map.of("generation", "7", "gateway", "gw-a"));
        store.apply(List.of(new MetadataStore.Change(ar, role(1, "staff"), true),
                new MetadataStore.Change(link, role(2, "x"), true),
                new MetadataStore.Change(ar, owner, true)));
        store.apply(List.of(new MetadataStore.Change(link, role(2, "x"), false)));
        store.close();
        store = open();

        List<MetadataStore.Stored> loaded = store.load();
        assertThat(loaded).extracting(MetadataStore.Stored::item).containsExactly(ar, ar);
        assertThat(loaded.get(0).metadata()).isEqualTo(role(1, "staff"));
        assertThat(loaded.get(1).metadata().attributes()).containsEntry("generation", "7");
    }

    @Test
    void oneGroupThatAddsRemovesAndReplacesLeavesExactlyItsNetEffect() {
        Item ar = Item.of(Identifier.accessRequest("ar-2"));
        store.apply(List.of(new MetadataStore.Change(ar, role(10, "old-1"), true),
                new MetadataStore.Change(ar, role(11, "old-2"), true)));
        // A claim-like group: replace both earlier elements, and add one that a later part of the group removes.
        store.apply(List.of(new MetadataStore.Change(ar, role(10, "old-1"), false),
                new MetadataStore.Change(ar, role(12, "transient"), true),
                new MetadataStore.Change(ar, role(13, "new-1"), true),
                new MetadataStore.Change(ar, role(11, "old-2"), false),
                new MetadataStore.Change(ar, role(12, "transient"), false),
                new MetadataStore.Change(ar, role(14, "new-2"), true)));
        store.close();
        store = open();

        assertThat(store.load()).filteredOn(st -> st.item().equals(ar)).extracting(MetadataStore.Stored::metadata)
                .containsExactly(role(13, "new-1"), role(14, "new-2"));

        // Leave the storage as found (the PostgreSQL schema is shared by this class's tests).
        store.apply(List.of(new MetadataStore.Change(ar, role(13, "new-1"), false),
                new MetadataStore.Change(ar, role(14, "new-2"), false)));
        assertThat(store.load()).noneMatch(st -> st.item().equals(ar));
    }
}
