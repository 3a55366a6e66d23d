package dev.baton.ifmap.client;

import dev.baton.ifmap.model.Item;
import dev.baton.ifmap.model.Xml;

/**
 * Builds the operations of one publish request: updates, notifies and deletes, applied by the server
 * atomically in the order added. Metadata elements are given as XML, each declaring its own namespace
 * prefix. Not thread-safe; build, then hand to {@link IfmapClient#publish(Publish)}.
 */
public final class Publish {
    private final StringBuilder ops = new StringBuilder(512);
    private int count;

    /** An update of {@code item} with session or forever lifetime. */
    public Publish update(Item item, boolean forever, String... metadataXml) {
        ops.append(forever ? "<update lifetime=\"forever\">" : "<update>");
        item.appendXml(ops, "");
        ops.append("<metadata>");
        for (String m : metadataXml) {
            ops.append(m);
        }
        ops.append("</metadata></update>");
        count++;
        return this;
    }

    /** A notify on {@code item}: subscribers see the metadata, the server does not keep it. */
    public Publish notify(Item item, String... metadataXml) {
        ops.append("<notify>");
        item.appendXml(ops, "");
        ops.append("<metadata>");
        for (String m : metadataXml) {
            ops.append(m);
        }
        ops.append("</metadata></notify>");
        count++;
        return this;
    }

    /** A delete of the metadata on {@code item} passing {@code filter} ({@code null}: all of it). */
    public Publish delete(Item item, String filter) {
        ops.append("<delete");
        if (filter != null) {
            ops.append(" filter=\"").append(Xml.escapeAttribute(filter)).append('"');
        }
        ops.append('>');
        item.appendXml(ops, "");
        ops.append("</delete>");
        count++;
        return this;
    }

    /** Appends {@code other}'s operations after this one's, to send both in one request. */
    public Publish append(Publish other) {
        ops.append(other.ops);
        count += other.count;
        return this;
    }

    /** Whether nothing was added. */
    public boolean isEmpty() {
        return count == 0;
    }

    String operations() {
        return ops.toString();
    }
}
