package dev.baton.gateway;

import dev.baton.core.Session;
import dev.baton.core.SessionIdHash;

import java.util.List;
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

    /**
     * The published session with that hash, if any, and the ownership generation a claim of it names (F3); a session
     * that was revoked comes back {@link Published#revoked() revoked}, without its data.
     */
    Optional<Published> lookup(SessionIdHash hash);

    /** The live (not revoked) sessions of {@code user} in the whole federation, wherever they are held. */
    List<Published> sessionsOf(String user);

    /**
     * Revokes the session {@code hash} on behalf of {@code gateway}, to keep its user within a realm's session limit:
     * its data goes and the gateway that holds it ends it (its {@link OwnershipListener#revoked} is told).
     */
    void revokeForLimit(SessionIdHash hash, String gateway);

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
     * @param hash       the session's hash
     * @param session    the published session, or {@code null} when it was revoked
     * @param generation the ownership generation at the look-up
     * @param revoked    whether the session carries the revocation mark (an operator or a session limit ended it):
     *                   no gateway may take it in or serve it
     */
    record Published(SessionIdHash hash, Session session, long generation, boolean revoked) {
        /** A live session. */
        public Published(Session session, long generation) {
            this(session.hash(), session, generation, false);
        }

        /** A revoked session: only the mark is left. */
        public static Published revokedSession(SessionIdHash hash) {
            return new Published(hash, null, 0, true);
        }

        /** The gateway that owned the session at the look-up; {@code null} for a revoked one. */
        public String owner() {
            return session == null ? null : session.owner();
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

        /** The session {@code hash}, held by this listener's gateway, was revoked: end it there. */
        default void revoked(SessionIdHash hash) {
        }

        /** A listener of losses that also ends revoked sessions with {@code revoked}. */
        static OwnershipListener of(OwnershipListener lost, java.util.function.Consumer<SessionIdHash> revoked) {
            return new OwnershipListener() {
                @Override
                public void ownershipLost(SessionIdHash hash, String newOwner) {
                    lost.ownershipLost(hash, newOwner);
                }

                @Override
                public void revoked(SessionIdHash hash) {
                    revoked.accept(hash);
                }
            };
        }
    }
}
