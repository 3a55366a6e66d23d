package dev.baton.ifmap.server;

import dev.baton.ifmap.model.Identifier;
import dev.baton.ifmap.model.IdentifierType;
import dev.baton.ifmap.model.IfmapError;
import dev.baton.ifmap.model.IfmapException;
import dev.baton.ifmap.model.Item;
import dev.baton.ifmap.model.Metadata;
import dev.baton.ifmap.model.MetadataDraft;
import dev.baton.ifmap.model.Request;
import dev.baton.ifmap.model.Xml;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a publish request may touch, checked against the graph before anything is applied (under the service
 * lock, so the graph cannot change in between), so a refused request changes nothing. A refusal is the
 * standard {@code AccessDenied} errorResult naming the rule.
 *
 * <ol>
 * <li>Baton's session data (metadata in Baton's namespace, and anything on an access-request of administrative
 * domain {@code baton} or a link to one) is published by gateways only ({@link PublisherRights#publishSessions}).
 * <li>A {@code baton:session-owner} names the publisher that sends it: no gateway claims in another's name.
 * <li>A client's delete removes only metadata it published itself, unless it may delete others'
 * ({@link PublisherRights#deleteOthers}): other publishers' metadata stays, as if the filter had named the client.
 * A singleValue update that would replace another publisher's element is refused, since two values of one
 * singleValue type cannot both stay. The one exception: a gateway controls a Baton access-request
 * (and the links to it) that it owns (the graph's {@code session-owner} names it) or claims in this very request
 * (the ownership rule checks the claim's generation), so a claim replaces the previous owner's data and a
 * sign-out removes everything on the session.
 * <li>A publisher holds at most {@link PublisherRights#maxMetadata} metadata elements in the graph.
 * </ol>
 */
final class PublishRules {
    private PublishRules() {
    }

    /**
     * Throws {@code AccessDenied} if {@code publisher} with {@code rights} may not apply {@code ops} to {@code graph};
     * returns the Baton access-requests it controls (see the class comment), on which its deletes reach everyone's
     * metadata ({@link #unscope}).
     */
    static Set<Identifier> check(MapGraph graph, String publisher, PublisherRights rights, List<Request.PublishOp> ops) {
        if (!rights.publish()) {
            throw denied(publisher, rights, "publish");
        }
        Set<Identifier> controlled = rights.publishSessions() ? controlled(graph, publisher, ops) : Set.of();
        long added = 0;
        for (Request.PublishOp op : ops) {
            boolean sessionItem = isSessionItem(op.item());
            if (sessionItem && !rights.publishSessions()) {
                throw denied(publisher, rights, "change " + op.item() + ": Baton's session data is published by gateways only");
            }
            switch (op) {
                case Request.Update u -> {
                    for (MetadataDraft d : u.metadata()) {
                        checkDraft(publisher, rights, d);
                        if (RevocationMarks.isMark(d)) {
                            checkMark(graph, publisher, u, d);
                        } else if (d.cardinality() == Metadata.Cardinality.singleValue) {
                            checkReplacement(graph, publisher, rights, controlled, u.item(),
                                    m -> m.namespace().equals(d.namespace()) && m.localName().equals(d.localName()),
                                    "replace " + d.localName());
                        }
                    }
                    added += u.metadata().size();
                }
                case Request.Notify n -> n.metadata().forEach(d -> {
                    checkDraft(publisher, rights, d);
                    if (RevocationMarks.isMark(d)) {
                        throw denied(publisher, rights, "notify baton:revoked: a revocation is a forever update");
                    }
                });
                case Request.Delete d -> { } // limited to the publisher's own metadata when stamped, see unscope
            }
        }
        if (added > 0 && graph.countOf(publisher) + added > rights.maxMetadata()) {
            throw new IfmapException(IfmapError.AccessDenied, publisher + " may hold at most " + rights.maxMetadata()
                    + " metadata elements (quota of role " + rights.role() + "); delete some first");
        }
        return controlled;
    }

    /** {@code ops} with the deletes on access-requests in {@code controlled} reaching every publisher's metadata. */
    static List<GraphOp> unscope(List<GraphOp> ops, Set<Identifier> controlled) {
        if (controlled.isEmpty()) {
            return ops;
        }
        List<GraphOp> out = new java.util.ArrayList<>(ops.size());
        for (GraphOp op : ops) {
            out.add(op instanceof GraphOp.Remove r && r.onlyPublisher() != null && controls(controlled, r.item())
                    ? new GraphOp.Remove(r.item(), r.filter()) : op);
        }
        return out;
    }

    private static void checkDraft(String publisher, PublisherRights rights, MetadataDraft d) {
        if (!d.namespace().equals(Xml.BATON_NS)) {
            return;
        }
        if (!rights.publishSessions()) {
            throw denied(publisher, rights, "publish baton:" + d.localName() + ": Baton's session data is published by gateways only");
        }
        if (d.localName().equals(OwnershipRule.ELEMENT) && !publisher.equals(d.attributes().get("gateway"))) {
            throw new IfmapException(IfmapError.AccessDenied, publisher + " may not claim a session for gateway '"
                    + d.attributes().get("gateway") + "': a session-owner names the gateway that publishes it");
        }
    }

    /**
     * A gateway may mark a session revoked only to keep a user within a realm's session limit: a forever update of
     * the live session's access-request, {@code reason="session-limit"}, {@code by} naming itself. The server stamps
     * the mark as its own and removes the session's {@code baton:session} with it ({@link MapService#publish}).
     */
    private static void checkMark(MapGraph graph, String publisher, Request.Update u, MetadataDraft d) {
        Identifier ar = u.item().first();
        String why = u.item().isLink() || !isBatonAccessRequest(ar) ? "it goes on a Baton session's access-request"
                : u.lifetime() != Metadata.Lifetime.forever ? "its lifetime is forever"
                : !RevocationMarks.SESSION_LIMIT.equals(d.attributes().get("reason"))
                ? "a gateway revokes a session only for a session limit (reason=\"session-limit\")"
                : !publisher.equals(d.attributes().get("by")) ? "its 'by' names the gateway that sends it"
                : !RevocationMarks.live(graph, ar) ? "it marks a live session, not revoked yet" : null;
        if (why != null) {
            throw new IfmapException(IfmapError.AccessDenied, publisher + " may not publish this baton:revoked: " + why);
        }
    }

    private static void checkReplacement(MapGraph graph, String publisher, PublisherRights rights, Set<Identifier> controlled,
                                         Item item, java.util.function.Predicate<Metadata> which, String what) {
        if (rights.deleteOthers() || controls(controlled, item)) {
            return;
        }
        for (Metadata m : graph.get(item)) {
            if (!m.publisherId().equals(publisher) && which.test(m)) {
                throw new IfmapException(IfmapError.AccessDenied, publisher + " may not " + what + " metadata that "
                        + m.publisherId() + " published on " + item + ": a client replaces only its own metadata");
            }
        }
    }

    /** The Baton access-requests {@code publisher} owns in the graph or claims in {@code ops}. */
    private static Set<Identifier> controlled(MapGraph graph, String publisher, List<Request.PublishOp> ops) {
        Set<Identifier> out = new HashSet<>();
        for (Request.PublishOp op : ops) {
            Identifier ar = sessionEnd(op.item());
            if (ar == null || out.contains(ar)) {
                continue;
            }
            if (op instanceof Request.Update u && !u.item().isLink()
                    && u.metadata().stream().anyMatch(d -> d.namespace().equals(Xml.BATON_NS)
                    && d.localName().equals(OwnershipRule.ELEMENT))) {
                out.add(ar); // a claim: the ownership rule lets it through only at the right generation
                continue;
            }
            for (Metadata m : graph.get(Item.of(ar))) {
                if (m.is(Xml.BATON_NS, OwnershipRule.ELEMENT) && m.publisherId().equals(publisher)
                        && publisher.equals(m.attributes().get("gateway"))) {
                    out.add(ar);
                }
            }
        }
        return out;
    }

    private static boolean controls(Set<Identifier> controlled, Item item) {
        return !controlled.isEmpty() && (controlled.contains(item.first())
                || item.isLink() && controlled.contains(item.second()));
    }

    /** Whether {@code item} is, or links to, an access-request of Baton's administrative domain. */
    static boolean isSessionItem(Item item) {
        return sessionEnd(item) != null;
    }

    private static Identifier sessionEnd(Item item) {
        if (isBatonAccessRequest(item.first())) {
            return item.first();
        }
        return item.isLink() && isBatonAccessRequest(item.second()) ? item.second() : null;
    }

    private static boolean isBatonAccessRequest(Identifier id) {
        return id.type() == IdentifierType.ACCESS_REQUEST && "baton".equals(id.administrativeDomain());
    }

    private static IfmapException denied(String publisher, PublisherRights rights, String what) {
        return new IfmapException(IfmapError.AccessDenied, publisher + " (role " + rights.role() + ") may not " + what);
    }
}
