package dev.baton.ifmap.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A metadata element as a client sent it, before the server stamps it: the element's XML split at the end
 * of its start tag's attributes so that stamping is a string concatenation.
 *
 * @param namespace   namespace URI of the element
 * @param localName   local name of the element
 * @param cardinality the {@code ifmap-cardinality} the client gave, or inferred for standard metadata
 * @param head        the start tag up to (not including) its closing {@code >}
 * @param tail        the rest of the element, from the start tag's {@code >} on
 * @param attributes  the root's unqualified attributes for Baton vendor metadata (server rules read them);
 *                    empty for every other namespace
 */
public record MetadataDraft(String namespace, String localName, Metadata.Cardinality cardinality, String head,
                            String tail, java.util.Map<String, String> attributes) {
    /** Validates presence. */
    public MetadataDraft {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(localName, "localName");
        Objects.requireNonNull(cardinality, "cardinality");
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(tail, "tail");
        attributes = java.util.Map.copyOf(attributes);
    }

    /** The stored form, stamped with the publisher and the time of publication. */
    public Metadata stamp(long id, String publisherId, Instant at, Metadata.Lifetime lifetime) {
        String xml = head + " ifmap-publisher-id=\"" + Xml.escapeAttribute(publisherId) + "\" ifmap-timestamp=\""
                + at + "\"" + tail;
        return new Metadata(id, namespace, localName, cardinality, publisherId, lifetime, xml, attributes);
    }

    /** The length of the element in characters, for size bounds. */
    public int length() {
        return head.length() + tail.length();
    }
}
