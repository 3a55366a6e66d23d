package dev.baton.ifmap.xml;

import dev.baton.ifmap.model.Xml;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamReader;

/**
 * Copies one element subtree from a {@link SafeReader} to a standalone XML string, declaring every prefix
 * the copy uses so it parses on its own (vendor metadata is stored "as it came"). The root's start tag is
 * returned open, without its closing {@code >}, so that attributes can be appended; attributes named in
 * {@code dropOnRoot} are left out of the root (the server stamps those itself).
 */
final class SubtreeCopier {
    private final SafeReader in;
    private final StringBuilder out = new StringBuilder(256);
    private final Deque<Map<String, String>> declared = new ArrayDeque<>();
    private int headEnd = -1;

    private SubtreeCopier(SafeReader in) {
        this.in = in;
    }

    /** Copies the element the reader is on; returns {head, tail}; afterwards the reader is on its end tag. */
    static String[] copy(SafeReader in, Set<String> dropOnRoot) {
        SubtreeCopier c = new SubtreeCopier(in);
        c.run(dropOnRoot);
        return new String[] {c.out.substring(0, c.headEnd), c.out.substring(c.headEnd)};
    }

    private void run(Set<String> dropOnRoot) {
        startTag(dropOnRoot);
        headEnd = out.length();
        out.append('>');
        int level = 1;
        while (level > 0) {
            int e = in.next();
            XMLStreamReader r = in.raw();
            switch (e) {
                case XMLStreamConstants.START_ELEMENT -> {
                    level++;
                    startTag(Set.of());
                    out.append('>');
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    level--;
                    out.append("</").append(qname(r.getPrefix(), r.getLocalName())).append('>');
                    declared.pop();
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE ->
                        Xml.escape(out, r.getText(), false);
                case XMLStreamConstants.END_DOCUMENT -> throw new MalformedRequestException(
                        "document ended inside metadata");
                default -> { }
            }
        }
    }

    private void startTag(Set<String> drop) {
        XMLStreamReader r = in.raw();
        Map<String, String> scope = new HashMap<>(declared.isEmpty() ? Map.of() : declared.peek());
        out.append('<').append(qname(r.getPrefix(), r.getLocalName()));
        for (int i = 0; i < r.getNamespaceCount(); i++) {
            declare(scope, nz(r.getNamespacePrefix(i)), nz(r.getNamespaceURI(i)));
        }
        declare(scope, nz(r.getPrefix()), nz(r.getNamespaceURI()));
        for (int i = 0; i < r.getAttributeCount(); i++) {
            String prefix = nz(r.getAttributePrefix(i));
            if (!prefix.isEmpty()) {
                declare(scope, prefix, nz(r.getAttributeNamespace(i)));
            }
        }
        for (int i = 0; i < r.getAttributeCount(); i++) {
            String prefix = nz(r.getAttributePrefix(i));
            String local = r.getAttributeLocalName(i);
            if (prefix.isEmpty() && drop.contains(local)) {
                continue;
            }
            out.append(' ').append(qname(prefix, local)).append("=\"");
            Xml.escape(out, r.getAttributeValue(i), true);
            out.append('"');
        }
        declared.push(scope);
    }

    private void declare(Map<String, String> scope, String prefix, String uri) {
        if (!uri.equals(scope.put(prefix, uri))) {
            if (prefix.isEmpty() && uri.isEmpty()) {
                return;
            }
            out.append(prefix.isEmpty() ? " xmlns" : " xmlns:" + prefix).append("=\"");
            Xml.escape(out, uri, true);
            out.append('"');
        }
    }

    private static String qname(String prefix, String local) {
        return prefix == null || prefix.isEmpty() ? local : prefix + ":" + local;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
