package dev.baton.ifmap.xml;

import dev.baton.ifmap.model.Filter;
import dev.baton.ifmap.model.Identifier;
import dev.baton.ifmap.model.IdentifierType;
import dev.baton.ifmap.model.IfmapError;
import dev.baton.ifmap.model.IfmapException;
import dev.baton.ifmap.model.Item;
import dev.baton.ifmap.model.Metadata;
import dev.baton.ifmap.model.MetadataDraft;
import dev.baton.ifmap.model.Request;
import dev.baton.ifmap.model.Xml;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.xml.stream.XMLStreamConstants;

/**
 * Reads one IF-MAP 2.0 request out of a SOAP envelope. Structural problems (not XML, no envelope, unknown
 * request element, a bound crossed) raise {@link MalformedRequestException}, which the server answers with a
 * SOAP fault; problems with content the standard has an error code for (bad identifier, missing cardinality,
 * filter with an undeclared prefix) raise {@link IfmapException}, answered with an {@code errorResult}.
 * Stateless and thread-safe.
 */
public final class RequestParser {
    /** Searches in one {@code baton:searchBatch} at most. */
    public static final int MAX_BATCHED_SEARCHES = 256;
    private static final Set<String> REQUESTS = Set.of("newSession", "endSession", "renewSession", "poll",
            "purgePublisher", "search", "publish", "subscribe");
    private static final Set<String> STAMPED = Set.of("ifmap-publisher-id", "ifmap-timestamp");
    /** Default {@code max-size} of a search in bytes when the request gives none. */
    public static final int DEFAULT_SEARCH_MAX_SIZE = 100_000;

    /**
     * Prefixes a filter may use without declaring them, because widely used clients (ifmapj among them) send
     * {@code meta:} filters without an xmlns declaration. A declaration in the request wins.
     */
    private static final Map<String, String> WELL_KNOWN_PREFIXES = Map.of(
            "meta", Xml.META_NS,
            "ifmap", Xml.IFMAP_NS,
            "op-meta", "http://www.trustedcomputinggroup.org/2012/IFMAP-OPERATIONAL-METADATA/1",
            "baton", Xml.BATON_NS);

    private final XmlLimits limits;
    private final int maxMetadataLength;

    /**
     * A parser with the given bounds.
     *
     * @param maxMetadataLength longest metadata element accepted, in characters ({@code MetadataTooLong})
     */
    public RequestParser(XmlLimits limits, int maxMetadataLength) {
        this.limits = limits;
        this.maxMetadataLength = maxMetadataLength;
    }

    /** Parses {@code body}. */
    public Request parse(byte[] body) {
        try (SafeReader in = SafeReader.of(body, limits)) {
            expectStart(in, "Envelope");
            if (!in.namespace().equals(Xml.SOAP_NS) && !in.namespace().equals(Xml.SOAP11_NS)) {
                throw new MalformedRequestException("root element is not a SOAP envelope but {" + in.namespace() + "}"
                        + in.localName());
            }
            while (true) {
                expectStart(in, null);
                if (in.localName().equals("Header")) {
                    in.skipElement();
                } else if (in.localName().equals("Body")) {
                    break;
                } else {
                    throw new MalformedRequestException("unexpected <" + in.localName() + "> in the SOAP envelope");
                }
            }
            expectStart(in, null);
            return request(in);
        }
    }

    private Request request(SafeReader in) {
        if (in.namespace().equals(Xml.BATON_NS) && in.localName().equals("searchBatch")) {
            return searchBatch(in);
        }
        if (!in.namespace().equals(Xml.IFMAP_NS)) {
            throw new MalformedRequestException("<" + in.localName() + "> in namespace '" + in.namespace()
                    + "' is not an IF-MAP 2.0 request");
        }
        String sid = in.attribute("session-id");
        String name = in.localName();
        if (!REQUESTS.contains(name)) {
            throw new MalformedRequestException("unknown IF-MAP request <" + name + ">");
        }
        if (!name.equals("newSession") && (sid == null || sid.isEmpty())) {
            throw new IfmapException(IfmapError.InvalidSessionID, name + " has no session-id");
        }
        return switch (name) {
            case "newSession" -> new Request.NewSession(parseLong(in.attribute("max-poll-result-size"), -1));
            case "endSession" -> new Request.EndSession(sid);
            case "renewSession" -> new Request.RenewSession(sid);
            case "poll" -> new Request.Poll(sid);
            case "purgePublisher" -> new Request.PurgePublisher(sid, nz(in.attribute("ifmap-publisher-id")));
            case "search" -> new Request.Search(sid, searchSpec(in));
            case "publish" -> new Request.Publish(sid, publishOps(in));
            case "subscribe" -> new Request.Subscribe(sid, subscribeOps(in));
            default -> throw new MalformedRequestException("unknown IF-MAP request <" + name + ">");
        };
    }

    /** Baton's {@code searchBatch}: one to {@value #MAX_BATCHED_SEARCHES} {@code search} children. */
    private Request searchBatch(SafeReader in) {
        String sid = in.attribute("session-id");
        if (sid == null || sid.isEmpty()) {
            throw new IfmapException(IfmapError.InvalidSessionID, "searchBatch has no session-id");
        }
        List<Request.SearchSpec> specs = new ArrayList<>();
        while (in.nextTag() == XMLStreamConstants.START_ELEMENT) {
            if (!in.localName().equals("search")) {
                throw new MalformedRequestException("searchBatch holds search elements only, not <" + in.localName() + ">");
            }
            if (specs.size() == MAX_BATCHED_SEARCHES) {
                throw new IfmapException(IfmapError.Failure, "searchBatch holds more than " + MAX_BATCHED_SEARCHES + " searches");
            }
            specs.add(searchSpec(in));
        }
        if (specs.isEmpty()) {
            throw new IfmapException(IfmapError.Failure, "searchBatch has no search");
        }
        return new Request.SearchBatch(sid, specs);
    }

    private List<Request.PublishOp> publishOps(SafeReader in) {
        List<Request.PublishOp> ops = new ArrayList<>();
        while (in.nextTag() == XMLStreamConstants.START_ELEMENT) {
            String op = in.localName();
            switch (op) {
                case "update" -> {
                    Metadata.Lifetime lifetime = lifetime(in.attribute("lifetime"));
                    ItemAndMeta im = itemAndMetadata(in, true);
                    ops.add(new Request.Update(im.item, im.metadata, lifetime));
                }
                case "notify" -> {
                    ItemAndMeta im = itemAndMetadata(in, true);
                    ops.add(new Request.Notify(im.item, im.metadata));
                }
                case "delete" -> {
                    String text = in.attribute("filter");
                    Filter filter = text == null ? null : Filter.compile(text, namespaces(in));
                    ops.add(new Request.Delete(itemAndMetadata(in, false).item, filter));
                }
                default -> throw new MalformedRequestException("unknown publish operation <" + op + ">");
            }
        }
        if (ops.isEmpty()) {
            throw new IfmapException(IfmapError.Failure, "publish has no update, notify or delete");
        }
        return ops;
    }

    private List<Request.SubscribeOp> subscribeOps(SafeReader in) {
        List<Request.SubscribeOp> ops = new ArrayList<>();
        while (in.nextTag() == XMLStreamConstants.START_ELEMENT) {
            String name = in.attribute("name");
            if (name == null || name.isEmpty()) {
                throw new IfmapException(IfmapError.Failure, "subscribe " + in.localName() + " has no name");
            }
            switch (in.localName()) {
                case "update" -> ops.add(new Request.SubscribeUpdate(name, searchSpec(in)));
                case "delete" -> {
                    ops.add(new Request.SubscribeDelete(name));
                    in.skipElement();
                }
                default -> throw new MalformedRequestException("unknown subscribe operation <" + in.localName() + ">");
            }
        }
        if (ops.isEmpty()) {
            throw new IfmapException(IfmapError.Failure, "subscribe has no update or delete");
        }
        return ops;
    }

    /** Reads the search attributes of the current element, then its one identifier child. */
    private Request.SearchSpec searchSpec(SafeReader in) {
        var ns = namespaces(in);
        String ml = in.attribute("match-links");
        String rf = in.attribute("result-filter");
        int depth = (int) Math.min(Integer.MAX_VALUE, parseLong(in.attribute("max-depth"), 0));
        int size = (int) Math.min(Integer.MAX_VALUE, parseLong(in.attribute("max-size"), DEFAULT_SEARCH_MAX_SIZE));
        Set<IdentifierType> terminal = terminalTypes(in.attribute("terminal-identifier-type"));
        Filter matchLinks = ml == null ? null : Filter.compile(ml, ns);
        Filter resultFilter = rf == null ? null : Filter.compile(rf, ns);
        if (in.nextTag() != XMLStreamConstants.START_ELEMENT) {
            throw new IfmapException(IfmapError.InvalidIdentifier, "search has no starting identifier");
        }
        Identifier start = identifier(in);
        if (in.nextTag() != XMLStreamConstants.END_ELEMENT) {
            throw new IfmapException(IfmapError.Failure, "search takes exactly one identifier");
        }
        return new Request.SearchSpec(start, matchLinks, depth, terminal, size, resultFilter);
    }

    private record ItemAndMeta(Item item, List<MetadataDraft> metadata) { }

    /** Reads one or two identifiers and, for update and notify, a {@code metadata} list. */
    private ItemAndMeta itemAndMetadata(SafeReader in, boolean wantMetadata) {
        String op = in.localName();
        List<Identifier> ids = new ArrayList<>(2);
        List<MetadataDraft> metadata = null;
        while (in.nextTag() == XMLStreamConstants.START_ELEMENT) {
            if (in.localName().equals("metadata")) {
                if (!wantMetadata) {
                    throw new IfmapException(IfmapError.Failure, op + " takes no metadata element");
                }
                metadata = metadataList(in);
            } else {
                ids.add(identifier(in));
            }
        }
        if (ids.isEmpty() || ids.size() > 2) {
            throw new IfmapException(IfmapError.InvalidIdentifier, op + " needs one or two identifiers, got " + ids.size());
        }
        if (wantMetadata && (metadata == null || metadata.isEmpty())) {
            throw new IfmapException(IfmapError.InvalidMetadata, op + " has no metadata");
        }
        Item item = ids.size() == 1 ? Item.of(ids.get(0)) : Item.link(ids.get(0), ids.get(1));
        return new ItemAndMeta(item, metadata);
    }

    private List<MetadataDraft> metadataList(SafeReader in) {
        List<MetadataDraft> list = new ArrayList<>();
        while (in.nextTag() == XMLStreamConstants.START_ELEMENT) {
            String ns = in.namespace();
            String local = in.localName();
            if (ns.isEmpty() || ns.equals(Xml.IFMAP_NS)) {
                throw new IfmapException(IfmapError.InvalidMetadata, "metadata <" + local + "> needs its own namespace");
            }
            Metadata.Cardinality cardinality = cardinality(in.attribute("ifmap-cardinality"), ns, local);
            Map<String, String> attributes = ns.equals(Xml.BATON_NS) ? in.unqualifiedAttributes() : Map.of();
            SubtreeCopier.Copy copy = SubtreeCopier.copy(in, STAMPED);
            MetadataDraft draft = new MetadataDraft(ns, local, cardinality, copy.head(), copy.tail(), attributes);
            if (draft.length() > maxMetadataLength) {
                throw new IfmapException(IfmapError.MetadataTooLong, "metadata <" + local + "> has " + draft.length()
                        + " characters, more than " + maxMetadataLength);
            }
            list.add(draft);
        }
        return list;
    }

    private static Map<String, String> namespaces(SafeReader in) {
        Map<String, String> ns = new HashMap<>(WELL_KNOWN_PREFIXES);
        ns.putAll(in.namespacesInScope());
        return ns;
    }


    /** Reads the identifier element the reader is on; afterwards the reader is on its end tag. */
    static Identifier identifier(SafeReader in) {
        String local = in.localName();
        String ns = in.namespace();
        IdentifierType type = IdentifierType.ofElement(local).filter(t -> ns.isEmpty() || ns.equals(Xml.IFMAP_NS))
                .orElseThrow(() -> new IfmapException(IfmapError.InvalidIdentifierType,
                        "<" + local + "> in namespace '" + ns + "' is not an IF-MAP 2.0 identifier"));
        String ad = in.attribute("administrative-domain");
        return switch (type) {
            case ACCESS_REQUEST -> done(in, new Identifier(type, in.attribute("name"), ad, "", ""));
            case IDENTITY -> done(in, new Identifier(type, in.attribute("name"), ad, nz(in.attribute("type")),
                    in.attribute("other-type-definition")));
            case IP_ADDRESS -> done(in, new Identifier(type, in.attribute("value"), ad, in.attribute("type"), ""));
            case MAC_ADDRESS -> done(in, new Identifier(type, in.attribute("value"), ad, "", ""));
            case DEVICE -> device(in);
        };
    }

    private static Identifier device(SafeReader in) {
        if (in.nextTag() != XMLStreamConstants.START_ELEMENT) {
            throw new IfmapException(IfmapError.InvalidIdentifier, "device needs a <name> or <aik-name> child");
        }
        String child = in.localName();
        String text = in.elementText().strip();
        if (in.nextTag() != XMLStreamConstants.END_ELEMENT) {
            throw new IfmapException(IfmapError.InvalidIdentifier, "device takes exactly one child");
        }
        return new Identifier(IdentifierType.DEVICE, text, "", child, "");
    }

    private static Identifier done(SafeReader in, Identifier id) {
        in.skipElement();
        return id;
    }

    private static Metadata.Cardinality cardinality(String given, String ns, String local) {
        if (given != null) {
            try {
                return Metadata.Cardinality.valueOf(given);
            } catch (IllegalArgumentException e) {
                throw new IfmapException(IfmapError.InvalidMetadata, "metadata <" + local
                        + "> has ifmap-cardinality '" + given + "'; expected singleValue or multiValue");
            }
        }
        return StandardMetadata.cardinalityOf(ns, local).orElseThrow(() -> new IfmapException(
                IfmapError.InvalidMetadata, "metadata <" + local + "> has no ifmap-cardinality"));
    }

    private static Set<IdentifierType> terminalTypes(String text) {
        if (text == null || text.isBlank()) {
            return Set.of();
        }
        Set<IdentifierType> types = EnumSet.noneOf(IdentifierType.class);
        for (String t : text.split(",")) {
            types.add(IdentifierType.ofElement(t.strip().toLowerCase(Locale.ROOT)).orElseThrow(() ->
                    new IfmapException(IfmapError.InvalidIdentifierType, "terminal-identifier-type '" + t.strip()
                            + "' is not an identifier type")));
        }
        return types;
    }

    private static Metadata.Lifetime lifetime(String text) {
        if (text == null || text.equals("session")) {
            return Metadata.Lifetime.session;
        }
        if (text.equals("forever")) {
            return Metadata.Lifetime.forever;
        }
        throw new IfmapException(IfmapError.Failure, "lifetime '" + text + "' is neither session nor forever");
    }

    private static long parseLong(String text, long absent) {
        if (text == null || text.isBlank()) {
            return absent;
        }
        try {
            long v = Long.parseLong(text.strip());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IfmapException(IfmapError.Failure, "'" + text + "' is not a non-negative integer");
        }
    }

    private static void expectStart(SafeReader in, String localName) {
        if (in.nextTag() != XMLStreamConstants.START_ELEMENT) {
            throw new MalformedRequestException("expected <" + (localName == null ? "an element" : localName)
                    + "> but the document ended");
        }
        if (localName != null && !in.localName().equals(localName)) {
            throw new MalformedRequestException("expected <" + localName + "> but found <" + in.localName() + ">");
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
