package dev.baton.ifmap.server;

import dev.baton.ifmap.model.IfmapError;
import dev.baton.ifmap.model.Item;
import dev.baton.ifmap.model.Metadata;
import java.util.List;
import java.util.Map;

/**
 * One element of a pollResult: a searchResult, updateResult, deleteResult or notifyResult of a named
 * subscription, or an errorResult.
 *
 * @param kind   which result element
 * @param name   the subscription's name
 * @param items  item to metadata (empty for an error)
 * @param error  the error code of an errorResult, else {@code null}
 * @param detail the errorString of an errorResult, else ""
 * @param size   approximate size on the wire in bytes, counted against max-poll-result-size
 */
record PollEntry(Kind kind, String name, Map<Item, List<Metadata>> items, IfmapError error, String detail, long size) {

    /** The result element kinds of a pollResult. */
    enum Kind {
        searchResult, updateResult, deleteResult, notifyResult, errorResult
    }

    static PollEntry of(Kind kind, String name, Map<Item, List<Metadata>> items) {
        long size = 64 + name.length();
        for (var e : items.entrySet()) {
            size += e.getKey().isLink() ? 240 : 120;
            for (Metadata m : e.getValue()) {
                size += m.xml().length();
            }
        }
        return new PollEntry(kind, name, items, null, "", size);
    }

    static PollEntry error(String name, IfmapError error, String detail) {
        return new PollEntry(Kind.errorResult, name, Map.of(), error, detail, 128 + detail.length());
    }
}
