package dev.baton.gateway;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.Session;
import dev.baton.core.SessionIdHash;
import dev.baton.ifmap.FederatedSession;
import dev.baton.ifmap.FederationClient;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The federation as the IF-MAP server holds it, through one gateway's {@link FederationClient}. Ownership
 * moves by the server's compare-and-set on {@code baton:session-owner}; the previous owner hears of it on
 * its poll connection.
 *
 * <p>Imported roles and capabilities (F2) reach the receiving realm's role mapping as the attributes
 * {@code imported-role} and {@code imported-capability}, so a rule such as
 * {@code attribute:imported-capability=Contractor} maps them to local roles.
 *
 * <p>Thread-safe. One instance serves exactly one gateway.
 */
public final class IfmapFederation implements Federation, AutoCloseable {
    /** Attribute that carries the roles the session had at its previous gateway. */
    public static final String IMPORTED_ROLE = "imported-role";
    /** Attribute that carries the capabilities (Host Checker policies passed) published with the session. */
    public static final String IMPORTED_CAPABILITY = "imported-capability";

    private final FederationClient client;
    private final String gateway;
    private final List<OwnershipListener> listeners = new CopyOnWriteArrayList<>();
    /** Wraps a connected client of gateway {@code gateway}. */
    public IfmapFederation(FederationClient client, String gateway) {
        this.client = client;
        this.gateway = gateway;
        client.onOwnershipLost((hash, newOwner) -> listeners.forEach(l -> l.ownershipLost(hash, newOwner)));
        client.onRevoked(hash -> listeners.forEach(l -> l.revoked(hash)));
    }

    @Override
    public void publish(Session session, Set<String> capabilities) {
        requireMine(session);
        if (client.owns(session.hash())) {
            client.update(session, capabilities);
        } else {
            client.publishSession(session, capabilities);
        }
    }

    @Override
    public Optional<Published> lookup(SessionIdHash hash) {
        return client.lookup(hash).map(f -> f.revoked() ? Published.revokedSession(hash)
                : new Published(imported(f), f.generation()));
    }

    @Override
    public List<Published> sessionsOf(String user) {
        return client.sessionsOf(user).stream().filter(f -> !f.revoked())
                .map(f -> new Published(f.asSession(), f.generation())).toList();
    }

    @Override
    public void revokeForLimit(SessionIdHash hash, String by) {
        if (!by.equals(gateway)) {
            throw new BatonException(ResultCode.INTERNAL, "this federation client serves gateway " + gateway + ", not " + by);
        }
        client.revokeForLimit(hash);
    }

    /**
     * {@inheritDoc} The server's compare-and-set on the generation makes a stale look-up lose, never win twice;
     * a session withdrawn since the look-up loses the same way, as a conflict.
     */
    @Override
    public void claim(Published seen, Session claimed, Set<String> capabilities) {
        requireMine(claimed);
        if (!client.claim(seen.hash(), seen.owner(), seen.generation(), claimed, capabilities)) {
            throw new BatonException(ResultCode.CONFLICT, "another gateway took the session first"
                    + " (the agent connected to two gateways at once); connect again to the one that holds it", seen.hash(),
                    gateway, null);
        }
    }

    @Override
    public boolean owns(SessionIdHash hash, String owner) {
        return owner.equals(gateway) && client.owns(hash);
    }

    @Override
    public void withdraw(SessionIdHash hash, String owner) {
        if (owner.equals(gateway) && client.owns(hash)) {
            client.withdraw(hash);
        }
    }

    @Override
    public AutoCloseable subscribe(String owner, OwnershipListener listener) {
        if (!owner.equals(gateway)) {
            throw new BatonException(ResultCode.INTERNAL, "this federation client serves gateway " + gateway + ", not " + owner);
        }
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Ends the client's IF-MAP session; published sessions stay (they are {@code forever} data). */
    @Override
    public void close() {
        client.close();
    }

    private void requireMine(Session s) {
        if (!s.owner().equals(gateway)) {
            throw new BatonException(ResultCode.INTERNAL, "gateway " + gateway + " cannot publish a session owned by " + s.owner());
        }
    }

    private static Session imported(FederatedSession f) {
        Session s = f.asSession();
        Map<String, List<String>> attributes = new LinkedHashMap<>(s.attributes());
        attributes.put(IMPORTED_ROLE, new ArrayList<>(f.roles()));
        attributes.put(IMPORTED_CAPABILITY, new ArrayList<>(f.capabilities()));
        return new Session(s.hash(), s.user(), s.realm(), s.authGroup(), s.authServerKind(), s.roles(), attributes,
                s.startTime(), s.lastActivity(), s.lastHeartbeat(), s.owner(), s.remediation(), s.agentKey());
    }

    /**
     * Registers the connection's state with {@code registry}: {@code baton.federation.connected} (1 while the
     * last exchange with the federation server went through, 0 after a network failure) and
     * {@code baton.federation.reconnects} (new IF-MAP sessions that replaced a lost one).
     */
    public void bindMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
        io.micrometer.core.instrument.Gauge.builder("baton.federation.connected", client, c -> c.connected() ? 1 : 0)
                .description("1 while the federation server answers").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("baton.federation.reconnects", client, FederationClient::reconnects)
                .description("IF-MAP sessions opened again after one was lost").register(registry);
    }
}
