package dev.baton.gateway;

import dev.baton.core.Session;
import dev.baton.core.SessionIdHash;
import dev.baton.store.StoredSession;
import dev.baton.store.TieredSessionStore;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The sessions a gateway holds, over its {@link TieredSessionStore}: memory is the working set, the external
 * store the authority. Changes of what a session is (roles, owner, realm, key) are written through; mere
 * activity and heartbeats are coalesced by the tier. Each session's expiry in memory and in the store is
 * its deadline as the gateway computes it. Thread-safe.
 */
final class SessionTable {
    private final TieredSessionStore tier;
    private final Function<Session, Instant> expiry;

    SessionTable(TieredSessionStore tier, Function<Session, Instant> expiry) {
        this.tier = Objects.requireNonNull(tier, "tier");
        this.expiry = Objects.requireNonNull(expiry, "expiry");
    }

    /** The session, if held here and not expired. */
    Optional<Session> get(SessionIdHash hash) {
        return tier.get(hash).map(StoredSession::session);
    }

    /** The session if it is held in memory; never reads the store. */
    Optional<Session> held(SessionIdHash hash) {
        return tier.held(hash).map(StoredSession::session);
    }

    /** Holds a session, writing it through. */
    void put(Session session) {
        tier.put(stored(session));
    }

    /** Applies {@code change} if the session is held; returns the new value. */
    Optional<Session> update(SessionIdHash hash, UnaryOperator<Session> change) {
        Optional<Session> current = get(hash);
        if (current.isEmpty()) {
            return Optional.empty();
        }
        Session next = change.apply(current.get());
        if (sameIdentity(current.get(), next)) {
            return tier.touch(stored(next)) ? Optional.of(next) : Optional.empty();
        }
        tier.put(stored(next));
        return Optional.of(next);
    }

    /** Drops a session here and from the store; returns it if it was held. */
    Optional<Session> remove(SessionIdHash hash) {
        Optional<Session> current = tier.get(hash).map(StoredSession::session);
        tier.remove(hash);
        return current;
    }

    /**
     * Drops a session another gateway took: from memory now, from the store in the background (the
     * federation, not this copy, says who holds it). Returns it if it was held in memory.
     */
    Optional<Session> dropTakenOver(SessionIdHash hash) {
        return tier.removeInBackground(hash).map(StoredSession::session);
    }

    /**
     * {@link #dropTakenOver}, unless {@code takenBack} is true when checked: asked atomically with this table's
     * puts of the session, so a notice of a loss that arrives after the session came back leaves it alone.
     */
    Optional<Session> dropTakenOverUnless(SessionIdHash hash, java.util.function.BooleanSupplier takenBack) {
        return tier.removeInBackgroundUnless(hash, takenBack).map(StoredSession::session);
    }

    /** How many sessions are held in memory (an estimate). */
    int size() {
        return (int) tier.sessionsInMemory();
    }

    private StoredSession stored(Session s) {
        return new StoredSession(s, expiry.apply(s));
    }

    /** Whether only activity times differ, which the tier may write late. */
    private static boolean sameIdentity(Session a, Session b) {
        return a.roles().equals(b.roles()) && a.remediation() == b.remediation() && a.owner().equals(b.owner())
                && a.realm().equals(b.realm()) && Objects.equals(a.agentKey(), b.agentKey());
    }
}
