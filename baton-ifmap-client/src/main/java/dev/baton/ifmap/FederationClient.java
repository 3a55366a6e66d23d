package dev.baton.ifmap;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.Session;
import dev.baton.core.SessionIdHash;
import dev.baton.ifmap.client.Publish;
import dev.baton.ifmap.model.Item;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * What a gateway does with the federation server, in the words of a migration: publish a session at sign-in, look
 * one up when an agent arrives, claim it with what the look-up saw (exactly one of any racing gateways wins), and
 * hear through its subscription when another gateway claimed one of its own.
 *
 * <p>The parts: {@link LookupSender} groups look-ups, {@link Claims} takes sessions by the server's compare-and-set
 * on {@code baton:session-owner} (through {@link ClaimSender}, which groups them), {@link OwnershipSubscriptions}
 * keeps one subscription per owned session and {@link OwnershipPoller} hears of losses on it, all in the IF-MAP
 * session of one {@link FederationConnection}, which reconnects with back-off when the server is gone or forgot
 * the session. Thread-safe.
 */
public final class FederationClient implements AutoCloseable {
    private final String gateway;
    private final FederationConnection connection;
    private final OwnershipSubscriptions ownership;
    private final OwnershipPoller poller;
    private final LookupSender lookups;
    private final ClaimSender claimSender;
    private final Claims claims;

    private FederationClient(FederationClientConfig config) {
        this.gateway = config.gateway();
        this.connection = new FederationConnection(config);
        this.ownership = new OwnershipSubscriptions(connection);
        this.poller = new OwnershipPoller(connection, ownership, config);
        this.lookups = new LookupSender(connection);
        this.claimSender = new ClaimSender(connection);
        this.claims = new Claims(gateway, claimSender, lookups, ownership);
    }

    /**
     * Connects (new session), starts the poll loop and the renew timer.
     *
     * @throws BatonException {@link ResultCode#UNAVAILABLE} if the server cannot be reached,
     *                        {@link ResultCode#AUTHENTICATION_FAILED} if it refuses the credentials
     */
    public static FederationClient connect(FederationClientConfig config) {
        FederationClient c = new FederationClient(config);
        c.connection.open(c.ownership::restore);
        c.poller.start();
        c.ownership.start(config.gateway());
        return c;
    }

    /**
     * Calls {@code listener} with the hash of every owned session another gateway takes, and that gateway's name.
     * It runs on the poll thread, after this client stopped owning the session.
     */
    public void onOwnershipLost(BiConsumer<SessionIdHash, String> listener) {
        poller.onLost(listener);
    }

    /**
     * Calls {@code listener} with the hash of every owned session that was revoked (an operator, or another
     * gateway's session limit, marked it {@code baton:revoked}); the listener ends it here. It runs on the poll thread
     * while this client still owns the session, so the listener can {@link #withdraw} it.
     */
    public void onRevoked(java.util.function.Consumer<SessionIdHash> listener) {
        poller.onRevoked(listener);
    }

    /**
     * The sessions of {@code user} in the federation, revoked ones marked: one search of the user's identity at depth
     * 1 through {@code meta:authenticated-as} links.
     */
    public java.util.List<FederatedSession> sessionsOf(String user) {
        dev.baton.ifmap.client.SearchQuery q = new dev.baton.ifmap.client.SearchQuery(SessionMapping.identity(user), 1,
                "meta:authenticated-as", null, 10_000_000);
        return SessionMapping.readAll(connection.call(c -> c.search(q)));
    }

    /**
     * Marks another gateway's (or this gateway's) session {@code hash} revoked to keep its user within a realm's
     * session limit; the server stamps the mark as its own and removes the session's data, and the holder ends it.
     */
    public void revokeForLimit(SessionIdHash hash) {
        Publish p = new Publish().update(Item.of(SessionMapping.accessRequest(hash)), true,
                SessionMapping.revokedForLimit(gateway, java.time.Instant.now()));
        connection.run(c -> c.publish(p));
    }

    /**
     * Publishes a session this gateway just authenticated (F2), as its first owner.
     *
     * @throws BatonException {@link ResultCode#CONFLICT} if the hash is already published by someone
     */
    public void publishSession(Session s, Set<String> capabilities) {
        if (!claims.first(s, capabilities)) {
            throw new BatonException(ResultCode.CONFLICT, "session is already published in the federation",
                    s.hash(), gateway, null);
        }
    }

    /**
     * Looks up a session by hash (F3); empty if the federation does not hold it. What it returns names the owner
     * and generation that {@link #claim} takes. Look-ups made while one is on its way go together in one request.
     */
    public Optional<FederatedSession> lookup(SessionIdHash hash) {
        return lookups.lookup(hash);
    }

    /**
     * Claims {@code seen}, as {@link #lookup} returned it, for this gateway as {@code migrated} (F3, F4). Of any
     * number of gateways claiming the same generation at once, exactly one gets {@code true}.
     */
    public boolean claim(FederatedSession seen, Session migrated, Set<String> capabilities) {
        return claim(seen.hash(), seen.owner(), seen.generation(), migrated, capabilities);
    }

    /**
     * {@link #claim(FederatedSession, Session, Set)} for a caller that kept only what a look-up saw of ownership:
     * the session {@code hash}, owned by {@code seenOwner} at {@code seenGeneration}.
     */
    public boolean claim(SessionIdHash hash, String seenOwner, long seenGeneration, Session migrated,
                         Set<String> capabilities) {
        if (!migrated.hash().equals(hash)) {
            throw new BatonException(ResultCode.INVALID_REQUEST, "claimed session does not match the one looked up");
        }
        return claims.claim(seenOwner, seenGeneration, migrated, capabilities);
    }

    /** Republishes what changed of an owned session (roles, activity); ownership stays. */
    public void update(Session s, Set<String> capabilities) {
        requireOwned(s.hash());
        Publish p = Claims.data(new Publish(), s, gateway, capabilities, true);
        connection.run(c -> c.publish(p));
    }

    /** Removes a session this gateway owns from the federation (sign-out or expiry). */
    public void withdraw(SessionIdHash hash) {
        requireOwned(hash);
        ownership.released(hash);
        Publish p = new Publish().delete(Item.of(SessionMapping.accessRequest(hash)), null)
                .delete(Item.link(SessionMapping.accessRequest(hash), SessionMapping.gateway(gateway)), null);
        connection.run(c -> c.publish(p));
    }

    /** Whether this gateway owns {@code hash} as far as it knows. */
    public boolean owns(SessionIdHash hash) {
        return ownership.owns(hash);
    }

    /** Whether the last exchange with the federation server went through (false after a network failure). */
    public boolean connected() {
        return connection.up();
    }

    /** How many times the client reconnected since it started. */
    public long reconnects() {
        return connection.reconnects();
    }

    /** Requests that carried look-ups since the client started (one per group of look-ups sent together). */
    public long lookupRequests() {
        return lookups.requests();
    }

    /** Publish requests that carried claims or first publishes since the client started. */
    public long claimRequests() {
        return claimSender.requests();
    }

    /** How many polls the client completed since it started. */
    public long pollRequests() {
        return poller.polls();
    }

    /** How many subscribe requests the client sent for ownership subscriptions since it started. */
    public long subscribeRequests() {
        return ownership.requests();
    }

    /**
     * Waits until every subscription change requested so far was sent (or failed and was put back); for tests and
     * an orderly shutdown. Returns false if that took longer than {@code timeout}.
     */
    public boolean awaitSubscriptions(Duration timeout) throws InterruptedException {
        return ownership.awaitSent(timeout);
    }

    private void requireOwned(SessionIdHash hash) {
        if (!ownership.owns(hash)) {
            throw new BatonException(ResultCode.NOT_AUTHORIZED, "this gateway does not own the session", hash,
                    gateway, null);
        }
    }

    /** Stops the poll loop, the subscriptions and the timer and ends the IF-MAP session; published forever data stays. */
    @Override
    public void close() {
        poller.stop();
        ownership.stop();
        connection.endSession();
        poller.interrupt();
        ownership.interrupt();
        connection.close();
    }
}
