package dev.baton.ifmap.model;

/** Namespace constants and the one escaping routine every writer in this module uses. */
public final class Xml {
    /** SOAP 1.2 envelope namespace. */
    public static final String SOAP_NS = "http://www.w3.org/2003/05/soap-envelope";
    /** SOAP 1.1 envelope namespace, accepted from older clients. */
    public static final String SOAP11_NS = "http://schemas.xmlsoap.org/soap/envelope/";
    /** IF-MAP 2.0 base namespace. */
    public static final String IFMAP_NS = "http://www.trustedcomputinggroup.org/2010/IFMAP/2";
    /** IF-MAP 2.0 standard metadata namespace. */
    public static final String META_NS = "http://www.trustedcomputinggroup.org/2010/IFMAP-METADATA/2";
    /** Baton's vendor metadata namespace. */
    public static final String BATON_NS = "urn:dev.baton:ifmap:1";

    private Xml() {
    }

    /** Appends {@code text} escaped for element content, or for a double-quoted attribute value. */
    public static void escape(StringBuilder out, String text, boolean attribute) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append(attribute ? "&quot;" : "\"");
                case '\n' -> out.append(attribute ? "&#10;" : "\n");
                case '\r' -> out.append("&#13;");
                case '\t' -> out.append(attribute ? "&#9;" : "\t");
                default -> out.append(c);
            }
        }
    }

    /** {@code text} escaped for a double-quoted attribute value. */
    public static String escapeAttribute(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        escape(out, text, true);
        return out.toString();
    }
}
