package dev.baton.ifmap.server;

import dev.baton.ifmap.model.Identifier;
import dev.baton.ifmap.model.IdentifierType;
import dev.baton.ifmap.model.Item;
import dev.baton.ifmap.model.Metadata;
import dev.baton.ifmap.model.Xml;
import dev.baton.ifmap.xml.SafeReader;
import dev.baton.ifmap.xml.XmlLimits;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.stream.XMLStreamConstants;

/**
 * Baton's sessions as the federation graph holds them, for the federation's admin API: each access-request of
 * domain {@code baton} with a {@code baton:session-owner} (the gateway that holds it) and a {@code baton:session},
 * and no revocation mark. {@link #collect} copies what it needs while the caller holds the service lock
 * ({@link MapService#read}); {@link #parse} reads the copies after it. Only harmless fields are read: never the
 * agent key or the attributes.
 */
final class GraphSessions {
    private static final XmlLimits LIMITS = new XmlLimits(1 << 20, 16, 10_000);

    /** What {@link #collect} copies of one session under the lock. */
    record Raw(String hash, Metadata owner, Metadata session, List<Metadata> roles) { }

    /**
     * One session as the admin API shows it.
     *
     * @param hash       the session-id hash
     * @param user       the user it is authenticated as
     * @param gateway    the gateway that holds it (its {@code session-owner})
     * @param generation the ownership generation
     * @param realm      the realm at the holding gateway
     * @param authGroup  the authentication group, or {@code null}
     * @param roles      the roles the holder published
     * @param startTime  the sign-in time (kept across migrations)
     */
    record View(String hash, String user, String gateway, long generation, String realm, String authGroup,
                List<String> roles, Instant startTime) { }

    private GraphSessions() {
    }

    /**
     * The live sessions of {@code user} (if given) held by {@code gateway} (if given), by hash; the caller holds the
     * service lock. With a user only that user's access-requests are visited, otherwise the whole graph.
     */
    static List<Raw> collect(MapGraph graph, Optional<String> user, Optional<String> gateway) {
        Set<Identifier> candidates = new LinkedHashSet<>();
        if (user.isPresent()) {
            for (Item link : graph.linksOf(Identifier.identity(user.get(), "username"))) {
                Identifier other = link.first().type() == IdentifierType.ACCESS_REQUEST ? link.first() : link.second();
                candidates.add(other);
            }
        } else {
            graph.forEach((item, list) -> {
                if (!item.isLink() && isBaton(item.first())) {
                    candidates.add(item.first());
                }
            });
        }
        List<Raw> out = new ArrayList<>();
        for (Identifier ar : candidates) {
            if (isBaton(ar)) {
                raw(graph, ar).filter(r -> gateway.map(g -> g.equals(r.owner.attributes().get("gateway"))).orElse(true))
                        .ifPresent(out::add);
            }
        }
        return out;
    }

    private static Optional<Raw> raw(MapGraph graph, Identifier ar) {
        Metadata owner = null;
        Metadata session = null;
        List<Metadata> roles = new ArrayList<>();
        for (Metadata m : graph.get(Item.of(ar))) {
            if (RevocationMarks.isMark(m)) {
                return Optional.empty();
            } else if (m.is(Xml.BATON_NS, OwnershipRule.ELEMENT)) {
                owner = m;
            } else if (m.is(Xml.BATON_NS, "session")) {
                session = m;
            } else if (m.is(Xml.META_NS, "role")) {
                roles.add(m);
            }
        }
        return owner == null || session == null ? Optional.empty() : Optional.of(new Raw(ar.name(), owner, session, roles));
    }

    private static boolean isBaton(Identifier id) {
        return id.type() == IdentifierType.ACCESS_REQUEST && "baton".equals(id.administrativeDomain());
    }

    /** Reads the harmless fields of a copied session; the roles are those its holder published. */
    static View parse(Raw raw) {
        Map<String, String> fields = children(raw.session.xml());
        String gateway = raw.owner.attributes().get("gateway");
        Set<String> roles = new TreeSet<>();
        for (Metadata r : raw.roles) {
            if (r.publisherId().equals(gateway)) {
                roles.add(children(r.xml()).getOrDefault("name", ""));
            }
        }
        long generation;
        try {
            generation = Long.parseLong(raw.owner.attributes().getOrDefault("generation", "0"));
        } catch (NumberFormatException e) {
            generation = 0;
        }
        String start = fields.get("start-time");
        return new View(raw.hash, fields.get("user"), gateway, generation, fields.get("realm"), fields.get("auth-group"),
                List.copyOf(roles), start == null ? null : Instant.parse(start));
    }

    /** The text of each child element of the element {@code xml} (the last of a name wins; attributes skipped). */
    private static Map<String, String> children(String xml) {
        Map<String, String> fields = new HashMap<>();
        try (SafeReader in = SafeReader.of(xml.getBytes(StandardCharsets.UTF_8), LIMITS)) {
            in.nextTag();
            while (in.nextTag() == XMLStreamConstants.START_ELEMENT) {
                String name = in.localName();
                String text = in.elementText();
                if (!name.equals("attribute") && !name.equals("agent-key")) {
                    fields.put(name, text);
                }
            }
        }
        return fields;
    }
}
