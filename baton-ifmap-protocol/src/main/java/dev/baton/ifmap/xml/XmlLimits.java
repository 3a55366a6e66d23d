package dev.baton.ifmap.xml;

/**
 * Bounds on one XML document read from the network. A document past any bound is rejected as soon as the
 * bound is crossed, before more of it is read, so a hostile body cannot grow memory or recursion.
 *
 * @param maxBytes    largest body in bytes (default 8 MiB)
 * @param maxDepth    deepest element nesting (default 48)
 * @param maxElements most elements in one document (default 200,000)
 */
public record XmlLimits(int maxBytes, int maxDepth, int maxElements) {
    /** The defaults named above. */
    public static final XmlLimits DEFAULTS = new XmlLimits(8 << 20, 48, 200_000);

    /** Validates that every bound is positive. */
    public XmlLimits {
        if (maxBytes <= 0 || maxDepth <= 0 || maxElements <= 0) {
            throw new IllegalArgumentException("XML limits must be positive: " + maxBytes + ", " + maxDepth
                    + ", " + maxElements);
        }
    }
}
