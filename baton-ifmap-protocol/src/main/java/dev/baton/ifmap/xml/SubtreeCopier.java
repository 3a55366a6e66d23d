package dev.baton.ifmap.xml;

import dev.baton.ifmap.model.Xml;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
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
    /** Texts of the root's direct children by local name, or null when the caller does not want them. */
    private final Map<String, List<String>> children;
    private StringBuilder childText;
    /** Prefix to namespace of the element being started; its own copy once it declared something. */
    private Map<String, String> scope;
    private boolean scopeOwned;
    private int headEnd = -1;

    private SubtreeCopier(SafeReader in, boolean collectChildren) {
        this.in = in;
        this.children = collectChildren ? new LinkedHashMap<>() : null;
    }

    /** A copied element: its head (start tag left open), the rest, and its direct children's texts (null if not collected). */
    record Copy(String head, String tail, Map<String, List<String>> children) {
        /** The whole element. */
        String xml() {
            return head + tail;
        }
    }

    /**
     * Copies the element the reader is on (its children's texts are not collected: {@link Copy#children()} is
     * null); afterwards the reader is on its end tag.
     */
    static Copy copy(SafeReader in, Set<String> dropOnRoot) {
        SubtreeCopier c = new SubtreeCopier(in, false);
        c.run(dropOnRoot);
        return c.result();
    }

    /**
     * Copies the element the reader is on, as {@link #copy} with nothing dropped, and collects in the same pass
     * the text of each direct child of the root (all text inside it, stripped), by local name in document order.
     */
    static Copy copyWithChildren(SafeReader in) {
        SubtreeCopier c = new SubtreeCopier(in, true);
        c.run(Set.of());
        return c.result();
    }

    private Copy result() {
        return new Copy(out.substring(0, headEnd), out.substring(headEnd), children);
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
                    if (level == 2 && children != null) {
                        childText = new StringBuilder();
                    }
                    startTag(Set.of());
                    out.append('>');
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    if (level == 2 && children != null) {
                        children.computeIfAbsent(r.getLocalName(), k -> new ArrayList<>(1)).add(childText.toString().strip());
                        childText = null;
                    }
                    level--;
                    out.append("</").append(qname(r.getPrefix(), r.getLocalName())).append('>');
                    declared.pop();
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    String text = r.getText();
                    Xml.escape(out, text, false);
                    if (childText != null && e != XMLStreamConstants.SPACE) {
                        childText.append(text);
                    }
                }
                case XMLStreamConstants.END_DOCUMENT -> throw new MalformedRequestException(
                        "document ended inside metadata");
                default -> { }
            }
        }
    }

    private void startTag(Set<String> drop) {
        XMLStreamReader r = in.raw();
        // The parent's scope, copied only if this element declares something new (most declare nothing).
        scope = declared.isEmpty() ? Map.of() : declared.peek();
        scopeOwned = false;
        out.append('<').append(qname(r.getPrefix(), r.getLocalName()));
        for (int i = 0; i < r.getNamespaceCount(); i++) {
            declare(nz(r.getNamespacePrefix(i)), nz(r.getNamespaceURI(i)));
        }
        declare(nz(r.getPrefix()), nz(r.getNamespaceURI()));
        for (int i = 0; i < r.getAttributeCount(); i++) {
            String prefix = nz(r.getAttributePrefix(i));
            if (!prefix.isEmpty()) {
                declare(prefix, nz(r.getAttributeNamespace(i)));
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

    private void declare(String prefix, String uri) {
        if (uri.equals(scope.get(prefix))) {
            return; // in scope already
        }
        if (!scopeOwned) {
            scope = new HashMap<>(scope);
            scopeOwned = true;
        }
        scope.put(prefix, uri);
        if (prefix.isEmpty() && uri.isEmpty()) {
            return;
        }
        out.append(prefix.isEmpty() ? " xmlns" : " xmlns:" + prefix).append("=\"");
        Xml.escape(out, uri, true);
        out.append('"');
    }

    private static String qname(String prefix, String local) {
        return prefix == null || prefix.isEmpty() ? local : prefix + ":" + local;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
