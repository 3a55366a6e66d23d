package dev.baton.ifmap.server;

import dev.baton.ifmap.model.IfmapError;
import dev.baton.ifmap.model.IfmapException;
import dev.baton.ifmap.model.Item;
import dev.baton.ifmap.model.Metadata;
import dev.baton.ifmap.model.MetadataDraft;
import dev.baton.ifmap.model.Request;
import dev.baton.ifmap.model.Xml;
import java.util.List;

/**
 * Baton's one extension to IF-MAP: compare-and-set on {@code baton:session-owner}. Plain IF-MAP lets the
 * last singleValue update win, so two gateways racing to take one session would both believe they won.
 * Here an update of {@code session-owner} must say which {@code generation} it replaces
 * ({@code expected-generation}) and carry {@code generation = expected + 1}; if the item's current owner
 * metadata is at another generation, the whole publish request fails with
 * {@link IfmapException#ownershipConflict}. The check and the update happen under the service
 * lock, so of any number of racing claims for one generation exactly one succeeds. Standard clients never
 * send this element and are not affected.
 */
final class OwnershipRule {
    /** The element the rule applies to, in {@link Xml#BATON_NS}. */
    static final String ELEMENT = "session-owner";

    private OwnershipRule() {
    }

    /** Checks every session-owner update in {@code ops} against {@code graph}; throws on a lost race. */
    static void check(MapGraph graph, List<Request.PublishOp> ops) {
        for (Request.PublishOp op : ops) {
            if (op instanceof Request.Update u) {
                for (MetadataDraft d : u.metadata()) {
                    if (d.namespace().equals(Xml.BATON_NS) && d.localName().equals(ELEMENT)) {
                        check(graph, u, d);
                    }
                }
            }
        }
    }

    /** A claim of {@code generation} on {@code item}, for the replicas' shared compare-and-set. */
    record Claim(Item item, long generation) { }

    /** The session-owner claims among {@code ops} (already checked well-formed by {@link #check}). */
    static List<Claim> claims(List<Request.PublishOp> ops) {
        List<Claim> out = new java.util.ArrayList<>();
        for (Request.PublishOp op : ops) {
            if (op instanceof Request.Update u) {
                for (MetadataDraft d : u.metadata()) {
                    if (d.namespace().equals(Xml.BATON_NS) && d.localName().equals(ELEMENT)) {
                        out.add(new Claim(u.item(), number(d, "generation")));
                    }
                }
            }
        }
        return out;
    }

    private static void check(MapGraph graph, Request.Update u, MetadataDraft d) {
        long expected = number(d, "expected-generation");
        long generation = number(d, "generation");
        if (generation != expected + 1) {
            throw new IfmapException(IfmapError.InvalidMetadata, "session-owner generation must be "
                    + "expected-generation + 1, got " + generation + " after " + expected);
        }
        if (d.cardinality() != Metadata.Cardinality.singleValue) {
            throw new IfmapException(IfmapError.InvalidMetadata, "session-owner must be singleValue");
        }
        long current = 0;
        for (Metadata m : graph.get(u.item())) {
            if (m.is(Xml.BATON_NS, ELEMENT)) {
                current = Long.parseLong(m.attributes().getOrDefault("generation", "0"));
            }
        }
        if (current != expected) {
            throw IfmapException.ownershipConflict("session-owner of " + u.item()
                    + " is at generation " + current + ", not " + expected);
        }
    }

    private static long number(MetadataDraft d, String attribute) {
        String v = d.attributes().get(attribute);
        try {
            return Long.parseLong(v == null ? "" : v.strip());
        } catch (NumberFormatException e) {
            throw new IfmapException(IfmapError.InvalidMetadata, "session-owner needs a numeric " + attribute
                    + " attribute, got '" + v + "'");
        }
    }
}
