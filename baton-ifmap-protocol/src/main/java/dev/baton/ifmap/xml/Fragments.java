package dev.baton.ifmap.xml;

import dev.baton.ifmap.model.Identifier;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import javax.xml.stream.XMLStreamConstants;

/** Reads back fragments this module wrote itself (stored identifiers and metadata), through the hardened reader. */
public final class Fragments {
    private static final XmlLimits LIMITS = new XmlLimits(1 << 20, 48, 100_000);

    private Fragments() {
    }

    /** The identifier written by {@link Identifier#toXml()}. */
    public static Identifier identifier(String xml) {
        try (SafeReader in = SafeReader.of(xml.getBytes(StandardCharsets.UTF_8), LIMITS)) {
            if (in.nextTag() != XMLStreamConstants.START_ELEMENT) {
                throw new MalformedRequestException("stored identifier is empty");
            }
            return RequestParser.identifier(in);
        }
    }

    /** The unqualified attributes of a metadata element's root. */
    public static Map<String, String> rootAttributes(String xml) {
        try (SafeReader in = SafeReader.of(xml.getBytes(StandardCharsets.UTF_8), LIMITS)) {
            if (in.nextTag() != XMLStreamConstants.START_ELEMENT) {
                throw new MalformedRequestException("stored metadata is empty");
            }
            return in.unqualifiedAttributes();
        }
    }
}
