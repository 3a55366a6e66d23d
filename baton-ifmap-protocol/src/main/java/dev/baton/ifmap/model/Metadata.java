package dev.baton.ifmap.model;

import java.util.Objects;

/**
 * One metadata element as stored: the element exactly as its publisher sent it, with the server's
 * {@code ifmap-publisher-id} and {@code ifmap-timestamp} stamped on its root, plus the parts the server
 * needs to act on without parsing it again. Immutable; a metadata instance's {@code id} is unique per
 * server for its lifetime, which lets subscriptions tell an unchanged element from a replaced one.
 *
 * @param id          server-assigned, unique and increasing
 * @param namespace   the element's namespace URI
 * @param localName   the element's local name
 * @param cardinality singleValue or multiValue
 * @param publisherId who published it
 * @param lifetime    session or forever
 * @param xml         the stamped element, a complete XML fragment declaring every prefix it uses
 * @param attributes  root attributes of Baton vendor metadata, empty for other namespaces
 */
public record Metadata(long id, String namespace, String localName, Cardinality cardinality, String publisherId,
                       Lifetime lifetime, String xml, java.util.Map<String, String> attributes) {

    /** singleValue: one instance per item and type; multiValue: any number. */
    public enum Cardinality { singleValue, multiValue }

    /** session: removed when the publisher's session ends; forever: kept until deleted. */
    public enum Lifetime { session, forever }

    /** Validates presence of every part. */
    public Metadata {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(localName, "localName");
        Objects.requireNonNull(cardinality, "cardinality");
        Objects.requireNonNull(publisherId, "publisherId");
        Objects.requireNonNull(lifetime, "lifetime");
        Objects.requireNonNull(xml, "xml");
        attributes = java.util.Map.copyOf(attributes);
    }

    /** The same element with another server-assigned id (replicas number metadata by log position). */
    public Metadata withId(long newId) {
        return new Metadata(newId, namespace, localName, cardinality, publisherId, lifetime, xml, attributes);
    }

    /** Whether this is {@code localName} in {@code namespace}. */
    public boolean is(String namespace, String localName) {
        return this.localName.equals(localName) && this.namespace.equals(namespace);
    }

    /** Whether this has the same element type ({@code namespace} and local name) as {@code other}. */
    public boolean sameTypeAs(Metadata other) {
        return localName.equals(other.localName) && namespace.equals(other.namespace);
    }

    @Override
    public String toString() {
        return "{" + namespace + "}" + localName + "#" + id + " by " + publisherId;
    }
}
