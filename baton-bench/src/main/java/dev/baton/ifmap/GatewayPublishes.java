package dev.baton.ifmap;

import dev.baton.core.Session;
import dev.baton.ifmap.client.Publish;
import dev.baton.ifmap.model.Item;

import java.util.Set;

/**
 * For benchmarks only: the publish a gateway sends when one of its users signs in
 * ({@link FederationClient#publishSession}), built by the same code ({@link SessionMapping}, {@link Claims#data}),
 * so that what a benchmark puts into a federation server is byte for byte what gateways put there. It lives in
 * baton-bench, in this package, because that code is package-private on purpose. Stateless.
 */
public final class GatewayPublishes {
    private GatewayPublishes() {
    }

    /**
     * The first publish of {@code s} by {@code gateway}: its {@code baton:session-owner} at generation 1, then its
     * data (the {@code baton:session} record, the links to the user's identity and to the gateway, its roles and
     * {@code capabilities}), all forever metadata, as {@code Claims.first} sends it.
     */
    public static Publish signIn(Session s, String gateway, Set<String> capabilities) {
        Item ar = Item.of(SessionMapping.accessRequest(s.hash()));
        Publish p = new Publish().update(ar, true, SessionMapping.owner(gateway, 1));
        p.delete(ar, "meta:role or meta:capability");
        return Claims.data(p, s, gateway, capabilities, false);
    }
}
