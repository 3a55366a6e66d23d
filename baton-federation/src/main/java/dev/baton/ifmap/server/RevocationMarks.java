package dev.baton.ifmap.server;

import dev.baton.ifmap.model.Filter;
import dev.baton.ifmap.model.Identifier;
import dev.baton.ifmap.model.IdentifierType;
import dev.baton.ifmap.model.Item;
import dev.baton.ifmap.model.Metadata;
import dev.baton.ifmap.model.MetadataDraft;
import dev.baton.ifmap.model.Xml;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The revocation mark {@code baton:revoked} (docs/ifmap.md): a forever, singleValue element on a Baton session's
 * access-request saying that the session was ended on an operator's order ({@code reason="operator"}) or to keep a
 * user within a realm's session limit ({@code reason="session-limit"}). The server stamps every mark with its own
 * publisher id {@value #PUBLISHER}, whoever asked for it, so no client's delete removes it (only a purge of that
 * publisher does, which only an admin client may send), and removes the session's {@code baton:session} in the
 * same atomic change, so no gateway can take the session in. Stateless.
 */
final class RevocationMarks {
    /** The publisher id of what the federation server publishes itself; no basic-auth user can have it. */
    static final String PUBLISHER = "baton:federation";
    /** The mark's element name in Baton's namespace. */
    static final String ELEMENT = "revoked";
    /** The reason a gateway may give: it ends another gateway's session to keep a user within a session limit. */
    static final String SESSION_LIMIT = "session-limit";
    /** The reason of an operator's revocation through the admin API. */
    static final String OPERATOR = "operator";
    private static final Filter SESSION_DATA = Filter.compile("baton:session", Map.of("baton", Xml.BATON_NS));

    private RevocationMarks() {
    }

    /** Whether {@code d} is a revocation mark. */
    static boolean isMark(MetadataDraft d) {
        return d.namespace().equals(Xml.BATON_NS) && d.localName().equals(ELEMENT);
    }

    /** Whether {@code m} is a revocation mark. */
    static boolean isMark(Metadata m) {
        return m.is(Xml.BATON_NS, ELEMENT);
    }

    /** A mark asked for by {@code by} for {@code reason}, as a draft the server stamps. */
    static MetadataDraft draft(String by, String reason, Instant at) {
        String head = "<baton:revoked xmlns:baton=\"" + Xml.BATON_NS + "\" ifmap-cardinality=\"singleValue\" by=\""
                + Xml.escapeAttribute(by) + "\" reason=\"" + Xml.escapeAttribute(reason) + "\" at=\"" + at + "\"";
        return new MetadataDraft(Xml.BATON_NS, ELEMENT, Metadata.Cardinality.singleValue, head, "/>",
                Map.of("ifmap-cardinality", "singleValue", "by", by, "reason", reason, "at", at.toString()));
    }

    /** The graph operations of marking the session {@code accessRequest} with {@code mark} (already stamped). */
    static List<GraphOp> ops(Item accessRequest, Metadata mark) {
        List<GraphOp> out = new ArrayList<>(2);
        out.add(new GraphOp.Put(accessRequest, List.of(mark)));
        out.add(removeSessionData(accessRequest));
        return out;
    }

    /** Removes whoever's {@code baton:session} from {@code accessRequest}: a revoked session cannot be taken in. */
    static GraphOp removeSessionData(Item accessRequest) {
        return new GraphOp.Remove(accessRequest, SESSION_DATA);
    }

    /** Whether the graph holds a live session (a session-owner, no mark) on the Baton access-request {@code ar}. */
    static boolean live(MapGraph graph, Identifier ar) {
        boolean owned = false;
        for (Metadata m : graph.get(Item.of(ar))) {
            if (isMark(m)) {
                return false;
            }
            owned |= m.is(Xml.BATON_NS, OwnershipRule.ELEMENT);
        }
        return owned;
    }

    /** The access-request of the session whose id hashes to {@code hex}. */
    static Identifier accessRequest(String hex) {
        return new Identifier(IdentifierType.ACCESS_REQUEST, hex, "baton", "", "");
    }
}
