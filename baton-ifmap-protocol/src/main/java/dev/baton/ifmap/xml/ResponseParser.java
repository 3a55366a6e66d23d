package dev.baton.ifmap.xml;

import dev.baton.ifmap.model.PollResult;
import dev.baton.ifmap.model.ReceivedMetadata;
import dev.baton.ifmap.model.ResultItem;
import dev.baton.ifmap.model.Identifier;
import dev.baton.ifmap.model.IfmapError;
import dev.baton.ifmap.model.IfmapException;
import dev.baton.ifmap.model.Item;
import dev.baton.ifmap.model.Xml;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLStreamConstants;

/**
 * Reads IF-MAP 2.0 responses for Baton's client, through the same hardened reader as the server (a
 * federation server is a network peer too). An errorResult becomes an {@link IfmapException}; a SOAP fault
 * becomes a {@link MalformedRequestException} carrying its reason. Stateless and thread-safe.
 */
public final class ResponseParser {
    /** Largest answer read, in bytes. */
    public static final int MAX_BYTES = 64 << 20;
    private static final XmlLimits LIMITS = new XmlLimits(MAX_BYTES, 64, 5_000_000);

    /** The parsed response element. */
    public record Response(String element, Map<String, String> attributes, List<ResultItem> items,
                           List<PollResult> pollResults) { }

    private ResponseParser() {
    }

    /** Parses {@code body}; throws for errorResult and SOAP faults. */
    public static Response parse(byte[] body) {
        try (SafeReader in = SafeReader.of(body, LIMITS)) {
            return parse(in);
        }
    }

    private static Response parse(SafeReader in) {
        in.nextTag();
        while (!in.localName().equals("response") && !in.localName().equals("Fault")) {
            if (in.nextTag() != XMLStreamConstants.START_ELEMENT) {
                throw new MalformedRequestException("answer has no IF-MAP response");
            }
        }
        if (in.localName().equals("Fault")) {
            throw new MalformedRequestException("server answered with a SOAP fault: " + faultText(in));
        }
        if (in.nextTag() != XMLStreamConstants.START_ELEMENT) {
            throw new MalformedRequestException("empty IF-MAP response");
        }
        String element = in.localName();
        Map<String, String> attributes = in.unqualifiedAttributes();
        return switch (element) {
            case "errorResult" -> throw error(in, attributes);
            case "searchResult" -> new Response(element, attributes, items(in), List.of());
            case "pollResult" -> new Response(element, attributes, List.of(), pollResults(in));
            // Baton's extension: named results like a poll's, one per search of a searchBatch
            case "searchBatchResult" -> new Response(element, attributes, List.of(), pollResults(in));
            default -> new Response(element, attributes, List.of(), List.of());
        };
    }

    private static List<PollResult> pollResults(SafeReader in) {
        List<PollResult> out = new ArrayList<>();
        while (in.nextTag() == XMLStreamConstants.START_ELEMENT) {
            String kind = in.localName();
            Map<String, String> attributes = in.unqualifiedAttributes();
            String name = attributes.getOrDefault("name", "");
            if (kind.equals("errorResult")) {
                IfmapException e = error(in, attributes);
                out.add(new PollResult(kind, name, List.of(), e.error(), e.getMessage()));
            } else {
                out.add(new PollResult(kind, name, items(in), null, ""));
            }
        }
        return out;
    }

    private static List<ResultItem> items(SafeReader in) {
        List<ResultItem> items = new ArrayList<>();
        while (in.nextTag() == XMLStreamConstants.START_ELEMENT) {
            List<Identifier> ids = new ArrayList<>(2);
            List<ReceivedMetadata> metadata = new ArrayList<>();
            while (in.nextTag() == XMLStreamConstants.START_ELEMENT) {
                if (in.localName().equals("metadata")) {
                    while (in.nextTag() == XMLStreamConstants.START_ELEMENT) {
                        metadata.add(metadata(in));
                    }
                } else {
                    ids.add(RequestParser.identifier(in));
                }
            }
            if (ids.isEmpty()) {
                throw new MalformedRequestException("resultItem without identifier");
            }
            items.add(new ResultItem(ids.size() == 1 ? Item.of(ids.get(0)) : Item.link(ids.get(0), ids.get(1)),
                    metadata));
        }
        return items;
    }

    private static ReceivedMetadata metadata(SafeReader in) {
        String ns = in.namespace();
        String local = in.localName();
        Map<String, String> attributes = in.unqualifiedAttributes();
        // One pass copies the element and reads its children's texts (re-parsing the copy cost a reader each).
        SubtreeCopier.Copy copy = SubtreeCopier.copyWithChildren(in);
        return new ReceivedMetadata(ns, local, attributes, copy.children(), copy.xml());
    }

    private static IfmapException error(SafeReader in, Map<String, String> attributes) {
        String code = attributes.getOrDefault("errorCode", "SystemError");
        boolean ownershipConflict = code.equals(IfmapError.Failure.name())
                && "session-owner".equals(in.raw().getAttributeValue(Xml.BATON_NS, "conflict"));
        String text = "";
        while (in.nextTag() == XMLStreamConstants.START_ELEMENT) {
            if (in.localName().equals("errorString")) {
                text = in.elementText();
            } else {
                in.skipElement();
            }
        }
        IfmapError error;
        try {
            error = IfmapError.valueOf(code);
        } catch (IllegalArgumentException e) {
            error = IfmapError.SystemError;
        }
        String message = text.isEmpty() ? code : text;
        return ownershipConflict ? IfmapException.receivedOwnershipConflict(message) : new IfmapException(error, message);
    }

    private static String faultText(SafeReader in) {
        StringBuilder text = new StringBuilder();
        while (true) {
            int e = in.next();
            if (e == XMLStreamConstants.CHARACTERS) {
                text.append(in.raw().getText()).append(' ');
            } else if (e == XMLStreamConstants.END_DOCUMENT) {
                return text.toString().strip();
            }
        }
    }

}
