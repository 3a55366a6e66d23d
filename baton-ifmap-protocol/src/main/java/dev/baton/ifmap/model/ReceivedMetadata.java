package dev.baton.ifmap.model;

import java.util.List;
import java.util.Map;

/**
 * One metadata element as a client received it: its name, root attributes, the text of its child elements
 * (by local name, in document order) and the element's XML as the server sent it.
 *
 * @param namespace  namespace URI
 * @param localName  local name
 * @param attributes unqualified root attributes, including {@code ifmap-publisher-id}
 * @param children   child element local name to texts
 * @param xml        the element as received
 */
public record ReceivedMetadata(String namespace, String localName, Map<String, String> attributes,
                               Map<String, List<String>> children, String xml) {

    /** The publisher the server stamped, or "". */
    public String publisherId() {
        return attributes.getOrDefault("ifmap-publisher-id", "");
    }

    /** The first text of child {@code name}, or "". */
    public String child(String name) {
        List<String> values = children.get(name);
        return values == null || values.isEmpty() ? "" : values.get(0);
    }

    /** Whether this is {@code localName} in {@code namespace}. */
    public boolean is(String namespace, String localName) {
        return this.localName.equals(localName) && this.namespace.equals(namespace);
    }
}
