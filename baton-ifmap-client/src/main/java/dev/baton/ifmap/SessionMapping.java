package dev.baton.ifmap;

import dev.baton.core.AuthGroup;
import dev.baton.core.AuthServerKind;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.Session;
import dev.baton.core.SessionIdHash;
import dev.baton.ifmap.model.ReceivedMetadata;
import dev.baton.ifmap.model.ResultItem;
import dev.baton.ifmap.model.Identifier;
import dev.baton.ifmap.model.IdentifierType;
import dev.baton.ifmap.model.Xml;
import dev.baton.ifmap.xml.SafeReader;
import dev.baton.ifmap.xml.XmlLimits;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.xml.stream.XMLStreamConstants;

/**
 * How a Baton session looks in IF-MAP (see docs/ifmap.md): an access-request named by the session-id hash
 * in administrative domain {@code baton}, linked to the user's identity (meta:authenticated-as) and to the
 * owning gateway's device (meta:authenticated-by), carrying meta:role and meta:capability for other IF-MAP
 * clients and Baton's vendor metadata {@code baton:session} (what a receiving gateway needs) and
 * {@code baton:session-owner} (who holds it, with the generation the server compares on a claim).
 * Stateless.
 */
public final class SessionMapping {
    /** The administrative domain of Baton's access-requests. */
    public static final String DOMAIN = "baton";
    /** The revocation mark's element in Baton's namespace (docs/ifmap.md). */
    public static final String REVOKED = "revoked";
    private static final XmlLimits LIMITS = new XmlLimits(1 << 20, 16, 10_000);
    private static final String META = " xmlns:meta=\"" + Xml.META_NS + "\"";
    private static final String BATON = " xmlns:baton=\"" + Xml.BATON_NS + "\"";

    private SessionMapping() {
    }

    /** The access-request of a session. */
    public static Identifier accessRequest(SessionIdHash hash) {
        return new Identifier(IdentifierType.ACCESS_REQUEST, hash.hex(), DOMAIN, "", "");
    }

    /** The identity of a user. */
    public static Identifier identity(String user) {
        return Identifier.identity(user, "username");
    }

    /** The device of a gateway. */
    public static Identifier gateway(String name) {
        return Identifier.device(name);
    }

    static String authenticatedAs() {
        return "<meta:authenticated-as" + META + " ifmap-cardinality=\"singleValue\"/>";
    }

    static String authenticatedBy() {
        return "<meta:authenticated-by" + META + " ifmap-cardinality=\"singleValue\"/>";
    }

    static String role(String name) {
        return "<meta:role" + META + " ifmap-cardinality=\"multiValue\"><name>" + text(name) + "</name></meta:role>";
    }

    static String capability(String name) {
        return "<meta:capability" + META + " ifmap-cardinality=\"multiValue\"><name>" + text(name)
                + "</name></meta:capability>";
    }

    static String owner(String gateway, long generation) {
        return "<baton:session-owner" + BATON + " ifmap-cardinality=\"singleValue\" generation=\"" + generation
                + "\" expected-generation=\"" + (generation - 1) + "\" gateway=\"" + Xml.escapeAttribute(gateway)
                + "\"/>";
    }

    /** A revocation mark {@code gateway} asks the server for, to keep a user within a realm's session limit. */
    static String revokedForLimit(String gateway, java.time.Instant at) {
        return "<baton:revoked" + BATON + " ifmap-cardinality=\"singleValue\" by=\"" + Xml.escapeAttribute(gateway)
                + "\" reason=\"session-limit\" at=\"" + at + "\"/>";
    }

    /**
     * The sessions in the result of a depth-1 search of a user's identity, each read as {@link #read} reads one
     * (revoked ones included, marked).
     */
    static List<FederatedSession> readAll(List<ResultItem> items) {
        Set<String> hashes = new TreeSet<>();
        for (ResultItem item : items) {
            for (Identifier id : item.item().isLink() ? List.of(item.item().first(), item.item().second())
                    : List.of(item.item().first())) {
                if (id.type() == IdentifierType.ACCESS_REQUEST && DOMAIN.equals(id.administrativeDomain())) {
                    hashes.add(id.name());
                }
            }
        }
        List<FederatedSession> out = new ArrayList<>();
        for (String hex : hashes) {
            try {
                read(SessionIdHash.parse(hex), items).ifPresent(out::add);
            } catch (RuntimeException e) {
                // a malformed record or name is no session of ours
            }
        }
        return out;
    }

    /** The {@code baton:session} element of {@code s}. */
    static String session(Session s) {
        StringBuilder out = new StringBuilder(512).append("<baton:session").append(BATON)
                .append(" ifmap-cardinality=\"singleValue\">");
        child(out, "user", s.user());
        child(out, "realm", s.realm());
        if (s.authGroup() != null) {
            child(out, "auth-group", s.authGroup().name());
        }
        child(out, "auth-server-kind", s.authServerKind().name());
        child(out, "start-time", s.startTime().toString());
        child(out, "last-activity", s.lastActivity().toString());
        child(out, "remediation", Boolean.toString(s.remediation()));
        if (s.agentKey() != null) {
            child(out, "agent-key", s.agentKey());
        }
        s.attributes().forEach((name, values) -> {
            for (String v : values) {
                out.append("<attribute name=\"").append(Xml.escapeAttribute(name)).append("\">").append(text(v))
                        .append("</attribute>");
            }
        });
        return out.append("</baton:session>").toString();
    }

    /**
     * Reads a session from the result of a depth-1 search of its access-request; empty if not published.
     *
     * <p>Only what the owning gateway published counts: the {@code session-owner} must be published by the
     * gateway it names, and {@code baton:session}, roles and capabilities by that same gateway. Anything else on
     * the access-request (another client's role, a forged record) is ignored, so a gateway admits a session only
     * as its owner described it, whatever the federation server's policy let through (defence in depth).
     */
    static Optional<FederatedSession> read(SessionIdHash hash, List<ResultItem> items) {
        Identifier ar = accessRequest(hash);
        List<ReceivedMetadata> onRequest = new ArrayList<>();
        String owner = null;
        long generation = 0;
        boolean revoked = false;
        for (ResultItem item : items) {
            if (item.item().isLink() || !item.item().first().equals(ar)) {
                continue;
            }
            for (ReceivedMetadata m : item.metadata()) {
                onRequest.add(m);
                revoked |= m.is(Xml.BATON_NS, REVOKED); // a mark only refuses, so whoever published it counts
                if (m.is(Xml.BATON_NS, "session-owner") && m.publisherId().equals(m.attributes().get("gateway"))) {
                    owner = m.attributes().get("gateway");
                    generation = Long.parseLong(m.attributes().getOrDefault("generation", "0"));
                }
            }
        }
        if (revoked) {
            return Optional.of(FederatedSession.revoked(hash, owner, generation));
        }
        if (owner == null) {
            return Optional.empty();
        }
        return owned(hash, onRequest, owner, generation);
    }

    /** The session {@code owner} described on its access-request, if it published one. */
    private static Optional<FederatedSession> owned(SessionIdHash hash, List<ReceivedMetadata> onRequest, String owner,
                                                    long generation) {
        ReceivedMetadata session = null;
        Set<String> roles = new TreeSet<>();
        Set<String> capabilities = new TreeSet<>();
        for (ReceivedMetadata m : onRequest) {
            if (!m.publisherId().equals(owner)) {
                continue;
            }
            if (m.is(Xml.BATON_NS, "session")) {
                session = m;
            } else if (m.is(Xml.META_NS, "role")) {
                roles.add(m.child("name"));
            } else if (m.is(Xml.META_NS, "capability")) {
                capabilities.add(m.child("name"));
            }
        }
        if (session == null) {
            return Optional.empty();
        }
        return Optional.of(parse(hash, session.xml(), roles, capabilities, owner, generation));
    }

    private static FederatedSession parse(SessionIdHash hash, String xml, Set<String> roles, Set<String> capabilities,
                                          String owner, long generation) {
        Map<String, String> fields = new TreeMap<>();
        Map<String, List<String>> attributes = new TreeMap<>();
        try (SafeReader in = SafeReader.of(xml.getBytes(StandardCharsets.UTF_8), LIMITS)) {
            in.nextTag();
            while (in.nextTag() == XMLStreamConstants.START_ELEMENT) {
                String name = in.localName();
                String attrName = in.attribute("name");
                String value = in.elementText();
                if (name.equals("attribute") && attrName != null) {
                    attributes.computeIfAbsent(attrName, k -> new ArrayList<>()).add(value);
                } else {
                    fields.put(name, value);
                }
            }
        }
        try {
            String group = fields.get("auth-group");
            String agentKey = fields.get("agent-key");
            return new FederatedSession(hash, fields.get("user"), fields.get("realm"),
                    group == null ? null : new AuthGroup(group), AuthServerKind.valueOf(fields.get("auth-server-kind")),
                    Instant.parse(fields.get("start-time")), Instant.parse(fields.get("last-activity")),
                    Boolean.parseBoolean(fields.get("remediation")), agentKey, attributes, roles, capabilities, owner,
                    generation);
        } catch (RuntimeException e) {
            throw new BatonException(ResultCode.INVALID_REQUEST, "baton:session of " + hash.abbreviated()
                    + " is incomplete or malformed: " + e.getMessage(), hash, owner, e);
        }
    }

    private static void child(StringBuilder out, String name, String value) {
        out.append('<').append(name).append('>').append(text(value)).append("</").append(name).append('>');
    }

    private static String text(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        Xml.escape(out, value, false);
        return out.toString();
    }
}
