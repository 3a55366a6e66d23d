package dev.baton.ifmap.xml;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.codehaus.stax2.XMLInputFactory2;
import org.codehaus.stax2.io.Stax2ByteArraySource;

/**
 * A pull reader over one untrusted XML document, hardened and bounded: no DTDs, no external entities, no
 * entity expansion, and {@link XmlLimits} enforced on every element. It also keeps the namespace
 * declarations in scope, which IF-MAP filters need (their prefixes come from the request's xmlns
 * declarations). Not thread-safe; one per document. Close it when done: Woodstox then merges the names
 * this document added into the factory's shared symbol table. A reader left open before the document's
 * end never merges, so every later parse would intern the same names again.
 */
public final class SafeReader implements AutoCloseable {
    private static final XMLInputFactory2 FACTORY = newFactory();

    private final XMLStreamReader reader;
    private final XmlLimits limits;
    private final Deque<Map<String, String>> scopes = new ArrayDeque<>();
    private int depth;
    private int elements;

    private SafeReader(XMLStreamReader reader, XmlLimits limits) {
        this.reader = reader;
        this.limits = limits;
    }

    /** A reader over {@code body}, which must already be within {@code limits.maxBytes()}. */
    public static SafeReader of(byte[] body, XmlLimits limits) {
        if (body.length > limits.maxBytes()) {
            throw new MalformedRequestException("request body of " + body.length + " bytes exceeds the limit of "
                    + limits.maxBytes());
        }
        try {
            // A byte-array source: Woodstox parses the array in place instead of copying it into a fresh buffer
            // (its buffer recycling is per thread, so on virtual threads every parse would allocate new buffers).
            return new SafeReader(FACTORY.createXMLStreamReader(new Stax2ByteArraySource(body, 0, body.length)), limits);
        } catch (XMLStreamException e) {
            throw new MalformedRequestException("request is not XML: " + e.getMessage(), e);
        }
    }

    /**
     * The hardened factory (Woodstox; {@link XMLInputFactory} instances are thread-safe once configured): no
     * DTD support, no external entities, entity references reported rather than replaced (and refused by
     * {@link #next}), and Woodstox's own bounds as a second line behind {@link XmlLimits}.
     */
    private static XMLInputFactory2 newFactory() {
        XMLInputFactory2 f = new com.ctc.wstx.stax.WstxInputFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        // Parse each event completely in next(), so malformed input fails there as an XMLStreamException
        // rather than later, from an accessor, as an unchecked WstxLazyException.
        f.setProperty(com.ctc.wstx.api.WstxInputProperties.P_LAZY_PARSING, false);
        f.setProperty(com.ctc.wstx.api.WstxInputProperties.P_MAX_ATTRIBUTES_PER_ELEMENT, 256);
        f.setProperty(com.ctc.wstx.api.WstxInputProperties.P_MAX_ATTRIBUTE_SIZE, 1 << 20);
        f.setProperty(com.ctc.wstx.api.WstxInputProperties.P_MAX_ENTITY_DEPTH, 1);
        f.setProperty(com.ctc.wstx.api.WstxInputProperties.P_MAX_ENTITY_COUNT, 1L);
        // Decode in 1 KB steps instead of 4,000 characters: most documents here (metadata fragments, search
        // and publish answers) are a few hundred bytes, and the buffer is new for every parse on a virtual
        // thread.
        f.setProperty(com.ctc.wstx.api.WstxInputProperties.P_INPUT_BUFFER_LENGTH, 1024);
        return f;
    }

    /** Releases the reader; the source is a byte array, so nothing else is held. Never throws. */
    @Override
    public void close() {
        try {
            reader.close();
        } catch (XMLStreamException e) {
            // nothing to release on a byte-array source; the document was already read or refused
        }
    }

    /** The attributes without a namespace of the element the reader is on (name to value). */
    public java.util.Map<String, String> unqualifiedAttributes() {
        java.util.Map<String, String> map = new java.util.HashMap<>();
        for (int i = 0; i < reader.getAttributeCount(); i++) {
            String ns = reader.getAttributeNamespace(i);
            if (ns == null || ns.isEmpty()) {
                map.put(reader.getAttributeLocalName(i), reader.getAttributeValue(i));
            }
        }
        return map;
    }

    /** The underlying reader, positioned where the last call of this class left it. */
    public XMLStreamReader raw() {
        return reader;
    }

    /**
     * Advances to the next start or end tag, skipping text, comments and processing instructions; a DTD is
     * refused. Returns {@link XMLStreamConstants#START_ELEMENT}, {@code END_ELEMENT} or {@code END_DOCUMENT}.
     */
    public int nextTag() {
        while (true) {
            int event = next();
            if (event == XMLStreamConstants.START_ELEMENT || event == XMLStreamConstants.END_ELEMENT
                    || event == XMLStreamConstants.END_DOCUMENT) {
                return event;
            }
        }
    }

    /** Advances by one event, enforcing the limits and keeping namespace scopes. */
    public int next() {
        try {
            if (reader.getEventType() == XMLStreamConstants.END_ELEMENT) {
                scopes.pop();
                depth--;
            }
            int event = reader.next();
            switch (event) {
                case XMLStreamConstants.DTD -> throw new MalformedRequestException("DTDs are not allowed");
                case XMLStreamConstants.ENTITY_REFERENCE -> throw new MalformedRequestException(
                        "entity reference &" + reader.getLocalName() + "; is not allowed");
                case XMLStreamConstants.START_ELEMENT -> enter();
                default -> { }
            }
            return event;
        } catch (XMLStreamException | com.ctc.wstx.exc.WstxLazyException e) {
            throw new MalformedRequestException("malformed XML: " + e.getMessage(), e);
        }
    }

    private void enter() {
        depth++;
        elements++;
        if (depth > limits.maxDepth()) {
            throw new MalformedRequestException("XML nesting deeper than " + limits.maxDepth() + " elements");
        }
        if (elements > limits.maxElements()) {
            throw new MalformedRequestException("XML document has more than " + limits.maxElements() + " elements");
        }
        int n = reader.getNamespaceCount();
        Map<String, String> scope = n == 0 ? Map.of() : new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            String prefix = reader.getNamespacePrefix(i);
            scope.put(prefix == null ? "" : prefix, reader.getNamespaceURI(i) == null ? "" : reader.getNamespaceURI(i));
        }
        scopes.push(scope);
    }

    /** Every prefix-to-namespace declaration in scope at the current element, inner ones winning. */
    public Map<String, String> namespacesInScope() {
        Map<String, String> all = new HashMap<>();
        var it = scopes.descendingIterator();
        while (it.hasNext()) {
            all.putAll(it.next());
        }
        return all;
    }

    /** The current element's attribute {@code name} (no namespace), or {@code null}. */
    public String attribute(String name) {
        return reader.getAttributeValue(null, name);
    }

    /** The current element's local name. */
    public String localName() {
        return reader.getLocalName();
    }

    /** The current element's namespace URI, or "". */
    public String namespace() {
        String ns = reader.getNamespaceURI();
        return ns == null ? "" : ns;
    }

    /** Skips the current element and everything in it; afterwards the reader is on its end tag. */
    public void skipElement() {
        int level = 1;
        while (level > 0) {
            int e = nextTag();
            if (e == XMLStreamConstants.START_ELEMENT) {
                level++;
            } else if (e == XMLStreamConstants.END_ELEMENT) {
                level--;
            } else {
                throw new MalformedRequestException("document ended inside <" + localName() + ">");
            }
        }
    }

    /** The text content of the current simple element; afterwards the reader is on its end tag. */
    public String elementText() {
        StringBuilder text = new StringBuilder();
        while (true) {
            int e = next();
            if (e == XMLStreamConstants.CHARACTERS || e == XMLStreamConstants.CDATA
                    || e == XMLStreamConstants.SPACE) {
                text.append(reader.getText());
            } else if (e == XMLStreamConstants.END_ELEMENT) {
                return text.toString();
            } else if (e == XMLStreamConstants.START_ELEMENT) {
                throw new MalformedRequestException("<" + localName() + "> is not allowed inside a text element");
            } else if (e == XMLStreamConstants.END_DOCUMENT) {
                throw new MalformedRequestException("document ended inside a text element");
            }
        }
    }
}
