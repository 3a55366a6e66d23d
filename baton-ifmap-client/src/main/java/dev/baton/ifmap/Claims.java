package dev.baton.ifmap;

import dev.baton.core.Session;
import dev.baton.core.SessionIdHash;
import dev.baton.ifmap.client.Publish;
import dev.baton.ifmap.model.Item;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes sessions for this gateway. A claim is one atomic publish whose first element is a
 * {@code baton:session-owner} update at generation g+1 expecting g (the server's compare-and-set rule), then the
 * new owner's data replacing the old owner's; a first publish is the claim of generation 1. Of any gateways
 * claiming the same generation at once, the server applies exactly one. Thread-safe.
 */
final class Claims {
    private static final Logger LOG = LoggerFactory.getLogger(Claims.class);

    private final String gateway;
    private final ClaimSender sender;
    private final LookupSender lookups;
    private final OwnershipSubscriptions ownership;

    Claims(String gateway, ClaimSender sender, LookupSender lookups, OwnershipSubscriptions ownership) {
        this.gateway = gateway;
        this.sender = sender;
        this.lookups = lookups;
        this.ownership = ownership;
    }

    /** Publishes a session this gateway just authenticated, as its first owner; false if the hash is taken. */
    boolean first(Session s, Set<String> capabilities) {
        return own(s, 1, null, capabilities);
    }

    /**
     * Claims {@code migrated}, seen owned by {@code seenOwner} at {@code seenGeneration}; false if another gateway
     * claimed that generation first.
     */
    boolean claim(String seenOwner, long seenGeneration, Session migrated, Set<String> capabilities) {
        return own(migrated, seenGeneration + 1, seenOwner, capabilities);
    }

    private boolean own(Session s, long generation, String previousOwner, Set<String> capabilities) {
        Item ar = Item.of(SessionMapping.accessRequest(s.hash()));
        Publish p = new Publish().update(ar, true, SessionMapping.owner(gateway, generation));
        p.delete(ar, "meta:role or meta:capability");
        if (previousOwner != null && !previousOwner.equals(gateway)) {
            p.delete(Item.link(SessionMapping.accessRequest(s.hash()), SessionMapping.gateway(previousOwner)),
                    "meta:authenticated-by");
        }
        boolean won;
        try {
            won = sender.claim(data(p, s, gateway, capabilities, false));
        } catch (RuntimeException e) {
            won = appliedDespite(s.hash(), generation, e);
        }
        if (won) {
            ownership.took(s.hash(), generation);
        }
        return won;
    }

    /**
     * A claim answered with an error, or not answered at all, may still have been applied: the server can apply a
     * publish and then fail to store it durably, and an answer can be lost on the way. The federation's record
     * decides: ours at the claimed generation means the claim went through, and the session is taken rather than
     * left owned by this gateway but held by none (the previous owner drops its copy on the change either way).
     *
     * @throws RuntimeException {@code failure}, when the record shows the claim did not go through or cannot be read
     */
    private boolean appliedDespite(SessionIdHash hash, long generation, RuntimeException failure) {
        Optional<FederatedSession> now;
        try {
            now = lookups.lookup(hash);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
            throw failure;
        }
        if (now.isEmpty() || !now.get().owner().equals(gateway) || now.get().generation() != generation) {
            throw failure;
        }
        LOG.warn("claim of session {} failed ({}), but the federation shows it applied at generation {}; taking the session",
                hash.abbreviated(), failure.getMessage(), generation);
        return true;
    }

    /**
     * Adds to {@code p} the session's data as {@code gateway} publishes it: Baton's session metadata, the links to
     * the user's identity and the gateway, roles and capabilities ({@code replaceLists}: deleting the old ones first).
     */
    static Publish data(Publish p, Session s, String gateway, Set<String> capabilities, boolean replaceLists) {
        var ar = SessionMapping.accessRequest(s.hash());
        if (replaceLists) {
            p.delete(Item.of(ar), "meta:role or meta:capability");
        }
        p.update(Item.of(ar), true, SessionMapping.session(s));
        p.update(Item.link(ar, SessionMapping.identity(s.user())), true, SessionMapping.authenticatedAs());
        p.update(Item.link(ar, SessionMapping.gateway(gateway)), true, SessionMapping.authenticatedBy());
        String[] lists = Stream.concat(s.roles().stream().map(SessionMapping::role),
                capabilities.stream().map(SessionMapping::capability)).toArray(String[]::new);
        if (lists.length > 0) {
            p.update(Item.of(ar), true, lists);
        }
        return p;
    }
}
