package dev.baton.gateway;

import dev.baton.core.Session;
import dev.baton.core.SessionIdHash;

import java.util.Optional;
import java.util.Set;

/**
 * How gateways coordinate sessions (F1-F4): the owning gateway publishes a session, another gateway looks it
 * up by the hash of the id an agent presented and claims it, and the previous owner is told it lost it.
 * Only hashes ever cross this interface.
 *
 * <p>Implementations are thread-safe. Notifications may arrive on another thread, after {@link #claim}
 * returned.
 */
public interface Federation {

    /**
     * Publishes (or republishes) a session owned by {@code session.owner()} (F2).
     *
     * @param capabilities what the endpoint proved, such as the Host Checker policies it passed
     */
    void publish(Session session, Set<String> capabilities);

    /** The published session with that hash, if any, and the ownership generation a claim of it names (F3). */
    Optional<Published> lookup(SessionIdHash hash);

    /**
     * Takes ownership: publishes {@code claimed} only if the session is still at the generation {@code seen} was
     * looked up at, so of two gateways racing for one session exactly one succeeds (F4).
     *
     * @param seen what {@link #lookup} returned, naming the owner and generation to take over
     * @throws dev.baton.core.BatonException with {@link dev.baton.core.ResultCode#CONFLICT} if another
     *         gateway took it first (or, where the federation cannot tell the difference, it is gone), or
     *         {@link dev.baton.core.ResultCode#UNKNOWN_SESSION} if it is gone
     */
    void claim(Published seen, Session claimed, Set<String> capabilities);

    /**
     * Whether {@code gateway} owns the session as far as this federation view knows. Ownership is forgotten
     * before the {@link OwnershipListener} is told, so a check after holding a session locally never misses
     * a loss.
     */
    boolean owns(SessionIdHash hash, String gateway);

    /** Removes the session's published data if {@code gateway} owns it (sign-out, expiry). */
    void withdraw(SessionIdHash hash, String gateway);

    /** Registers {@code gateway} to hear when another gateway takes one of its sessions. */
    AutoCloseable subscribe(String gateway, OwnershipListener listener);

    /**
     * A session as a look-up saw it: its data, owned by {@code session.owner()}, at an ownership generation that
     * every claim moves forward. A claim hands it back, so the look-up it follows says what it expects.
     *
     * @param session    the published session
     * @param generation the ownership generation at the look-up
     */
    record Published(Session session, long generation) {
        /** The session's hash. */
        public SessionIdHash hash() {
            return session.hash();
        }

        /** The gateway that owned the session at the look-up. */
        public String owner() {
            return session.owner();
        }
    }

    /** Told that another gateway took a session. */
    @FunctionalInterface
    interface OwnershipListener {
        /**
         * @param hash     the session
         * @param newOwner the gateway that holds it now
         */
        void ownershipLost(SessionIdHash hash, String newOwner);
    }
}
