package dev.baton.ifmap.model;

import java.util.Objects;

/**
 * Where metadata is attached: one identifier, or a link between two distinct identifiers. A link's two
 * ends are kept in a canonical order so that {@code (a, b)} and {@code (b, a)} are the same item.
 *
 * @param first  the identifier, or the lesser end of a link
 * @param second {@code null} for an identifier, else the greater end of the link
 */
public record Item(Identifier first, Identifier second) {
    /** Orders link ends canonically and rejects a link of an identifier with itself. */
    public Item {
        Objects.requireNonNull(first, "first");
        if (second != null) {
            int cmp = first.compareTo(second);
            if (cmp == 0) {
                throw new IfmapException(IfmapError.InvalidIdentifier, "a link needs two different identifiers, got "
                        + first + " twice");
            }
            if (cmp > 0) {
                Identifier t = first;
                first = second;
                second = t;
            }
        }
    }

    /** The item of one identifier. */
    public static Item of(Identifier identifier) {
        return new Item(identifier, null);
    }

    /** The link between {@code a} and {@code b}. */
    public static Item link(Identifier a, Identifier b) {
        return new Item(a, b);
    }

    /** Whether this is a link. */
    public boolean isLink() {
        return second != null;
    }

    /** The end of this link that is not {@code end}. */
    public Identifier otherEnd(Identifier end) {
        return first.equals(end) ? second : first;
    }

    /** Appends the identifier(s) as XML with the given base-namespace prefix. */
    public void appendXml(StringBuilder out, String prefix) {
        first.appendXml(out, prefix);
        if (second != null) {
            second.appendXml(out, prefix);
        }
    }

    @Override
    public String toString() {
        return second == null ? first.toString() : first + "--" + second;
    }
}
