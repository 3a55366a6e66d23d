package dev.baton.ifmap.model;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.namespace.NamespaceContext;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpression;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

/**
 * An IF-MAP filter (match-links, result-filter, delete filter): an XPath 1.0 expression evaluated with one
 * metadata element as the context's only child, so {@code meta:role} selects role metadata and
 * {@code meta:role[@ifmap-publisher-id='p1']} only p1's. Prefixes resolve through the request's xmlns
 * declarations; an undeclared prefix is rejected when the filter is compiled.
 *
 * <p>The filters clients send most ({@code *}, one element name, names joined by {@code or}) are matched on
 * the stored namespace and local name without building a DOM. Thread-safe: the general path is synchronized
 * because JDK XPath objects are not.
 */
public final class Filter {
    private static final Pattern QNAME = Pattern.compile("\\s*([A-Za-z_][\\w.-]*):([A-Za-z_][\\w.-]*|\\*)\\s*");
    private static final Pattern OR = Pattern.compile("\\s+or\\s+");
    private static final DocumentBuilderFactory DOM = domFactory();

    private final String text;
    private final Map<String, String> namespaces;
    private final List<String[]> names;
    private final XPathExpression expression;

    private Filter(String text, Map<String, String> namespaces, List<String[]> names, XPathExpression expression) {
        this.text = text;
        this.namespaces = Map.copyOf(namespaces);
        this.names = names;
        this.expression = expression;
    }

    /**
     * Compiles {@code text} with the namespace declarations in scope where it appeared.
     *
     * @throws IfmapException {@code Failure} naming the filter when it is not valid XPath or uses an
     *                        undeclared prefix
     */
    public static Filter compile(String text, Map<String, String> namespaces) {
        String trimmed = text.strip();
        if (trimmed.equals("*")) {
            return new Filter(text, namespaces, List.of(), null);
        }
        List<String[]> names = new ArrayList<>();
        for (String part : OR.split(trimmed)) {
            Matcher m = QNAME.matcher(part);
            if (!m.matches()) {
                names = null;
                break;
            }
            String ns = namespaces.get(m.group(1));
            if (ns == null) {
                throw new IfmapException(IfmapError.Failure, "filter '" + text + "' uses undeclared prefix '"
                        + m.group(1) + "'");
            }
            names.add(new String[] {ns, m.group(2)});
        }
        if (names != null) {
            return new Filter(text, namespaces, List.copyOf(names), null);
        }
        return new Filter(text, namespaces, null, compileXPath(text, namespaces));
    }

    /** The prefix-to-namespace bindings the filter was compiled with. */
    public Map<String, String> namespaces() {
        return namespaces;
    }

    /** The filter as the client wrote it. */
    public String text() {
        return text;
    }

    /** Whether {@code metadata} passes this filter. */
    public boolean matches(Metadata metadata) {
        if (expression == null) {
            if (names.isEmpty()) {
                return true;
            }
            for (String[] n : names) {
                if (n[0].equals(metadata.namespace()) && (n[1].equals("*") || n[1].equals(metadata.localName()))) {
                    return true;
                }
            }
            return false;
        }
        return evaluate(metadata.xml());
    }

    private synchronized boolean evaluate(String xml) {
        try {
            return (Boolean) expression.evaluate(wrap(xml), XPathConstants.BOOLEAN);
        } catch (XPathExpressionException e) {
            throw new IfmapException(IfmapError.Failure, "filter '" + text + "' failed: " + e.getMessage());
        }
    }

    private static Element wrap(String xml) {
        try {
            DocumentBuilder builder = DOM.newDocumentBuilder();
            Document doc = builder.parse(new InputSource(new StringReader("<w>" + xml + "</w>")));
            return doc.getDocumentElement();
        } catch (Exception e) {
            throw new IfmapException(IfmapError.SystemError, "stored metadata is not XML: " + e.getMessage());
        }
    }

    private static XPathExpression compileXPath(String text, Map<String, String> namespaces) {
        XPathFactory factory = XPathFactory.newDefaultInstance();
        try {
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true); // no extension functions
        } catch (javax.xml.xpath.XPathFactoryConfigurationException e) {
            throw new IllegalStateException(e);
        }
        XPath xpath = factory.newXPath();
        xpath.setNamespaceContext(new Namespaces(namespaces, text));
        try {
            XPathExpression expr = xpath.compile(text);
            expr.evaluate(wrap(""), XPathConstants.BOOLEAN); // surfaces undeclared prefixes now, not later
            return expr;
        } catch (XPathExpressionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IfmapException(IfmapError.Failure, "filter '" + text + "' is not a valid XPath filter: "
                    + cause.getMessage());
        } catch (IllegalArgumentException e) {
            throw new IfmapException(IfmapError.Failure, e.getMessage());
        }
    }

    private static DocumentBuilderFactory domFactory() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            return f;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return text;
    }

    private record Namespaces(Map<String, String> map, String filter) implements NamespaceContext {
        @Override
        public String getNamespaceURI(String prefix) {
            String ns = map.get(prefix);
            if (ns == null && !prefix.isEmpty()) {
                throw new IllegalArgumentException("filter '" + filter + "' uses undeclared prefix '" + prefix + "'");
            }
            return ns == null ? XMLConstants.NULL_NS_URI : ns;
        }

        @Override
        public String getPrefix(String namespaceURI) {
            return null;
        }

        @Override
        public Iterator<String> getPrefixes(String namespaceURI) {
            return List.<String>of().iterator();
        }
    }
}
