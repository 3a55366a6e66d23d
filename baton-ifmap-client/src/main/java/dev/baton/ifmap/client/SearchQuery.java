package dev.baton.ifmap.client;

import dev.baton.ifmap.model.Identifier;
import dev.baton.ifmap.model.Xml;

/**
 * The parameters of a search or subscription. Filters may use the prefixes {@code meta} (standard
 * metadata) and {@code baton} (Baton's vendor metadata), which the request declares.
 *
 * @param start        starting identifier
 * @param maxDepth     links to follow from the start (0: the start only)
 * @param matchLinks   which links to follow, or {@code null} for all
 * @param resultFilter which metadata to return, or {@code null} for all
 * @param maxSize      largest result in bytes, or 0 for the server's default
 */
public record SearchQuery(Identifier start, int maxDepth, String matchLinks, String resultFilter, int maxSize) {

    /** A search of {@code start} alone. */
    public static SearchQuery of(Identifier start) {
        return new SearchQuery(start, 0, null, null, 0);
    }

    /**
     * Completes an element whose start tag {@code out} has open ({@code <element} and any attributes of the
     * caller's): this query's attributes, its start identifier, and the end tag.
     */
    void appendRest(StringBuilder out, String element) {
        appendAttributes(out);
        out.append('>');
        start().appendXml(out, "");
        out.append("</").append(element).append('>');
    }

    private void appendAttributes(StringBuilder out) {
        out.append(" xmlns:meta=\"").append(Xml.META_NS).append("\" xmlns:baton=\"").append(Xml.BATON_NS)
                .append("\" max-depth=\"").append(maxDepth).append('"');
        if (matchLinks != null) {
            out.append(" match-links=\"").append(Xml.escapeAttribute(matchLinks)).append('"');
        }
        if (resultFilter != null) {
            out.append(" result-filter=\"").append(Xml.escapeAttribute(resultFilter)).append('"');
        }
        if (maxSize > 0) {
            out.append(" max-size=\"").append(maxSize).append('"');
        }
    }
}
