package dev.baton.gateway;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.Session;
import dev.baton.core.SessionIdHash;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * An in-memory federation for one process: a map of published sessions and a list of listeners. It stands
 * in for the IF-MAP federation server in single-process tests; it is not a network service and gateways in
 * different processes cannot share it.
 *
 * <p>Ownership moves with {@link ConcurrentHashMap#compute}, so a claim is an atomic compare-and-set on the
 * generation its look-up saw, as on the federation server. Notifications are delivered through the given executor, as a real federation server's poll
 * results arrive on the poll connection after the publish that caused them.
 *
 * <p>Revocation works as on the federation server (docs/ifmap.md): a revoked session's data goes, a mark stays for
 * good (a look-up sees it, a claim of it fails), and the gateway that held it is told through its listeners.
 */
public final class InMemoryFederation implements Federation {
    private final Map<SessionIdHash, Published> published = new ConcurrentHashMap<>();
    private final Map<String, CopyOnWriteArrayList<OwnershipListener>> listeners = new ConcurrentHashMap<>();
    private final Set<SessionIdHash> revoked = ConcurrentHashMap.newKeySet();
    private final Executor notifier;

    /**
     * @param notifier runs notifications; {@code Runnable::run} delivers them on the claiming thread
     */
    public InMemoryFederation(Executor notifier) {
        this.notifier = notifier;
    }

    @Override
    public void publish(Session session, Set<String> capabilities) {
        published.merge(session.hash(), new Published(session, 1), (old, neu) -> {
            if (!old.owner().equals(neu.owner())) {
                throw new BatonException(ResultCode.CONFLICT, "session is owned by " + old.owner()
                        + ", not " + neu.owner(), neu.hash(), neu.owner(), null);
            }
            return new Published(session, old.generation());
        });
    }

    @Override
    public Optional<Published> lookup(SessionIdHash hash) {
        if (revoked.contains(hash)) {
            return Optional.of(Published.revokedSession(hash));
        }
        return Optional.ofNullable(published.get(hash));
    }

    @Override
    public List<Published> sessionsOf(String user) {
        return published.values().stream().filter(p -> p.session().user().equals(user)).toList();
    }

    @Override
    public void revokeForLimit(SessionIdHash hash, String gateway) {
        revoke(hash);
    }

    /**
     * Revokes the session {@code hash}, as an operator does through the federation server's admin API: marks it, drops
     * its data and tells the gateway that held it. Returns false if no live session has that hash.
     */
    public boolean revoke(SessionIdHash hash) {
        Published[] gone = new Published[1];
        published.computeIfPresent(hash, (h, current) -> {
            revoked.add(h); // inside compute: a claim of the same session waits, then sees the mark
            gone[0] = current;
            return null;
        });
        if (gone[0] == null) {
            return false;
        }
        for (OwnershipListener l : listeners.getOrDefault(gone[0].owner(), new CopyOnWriteArrayList<>())) {
            notifier.execute(() -> l.revoked(hash));
        }
        return true;
    }

    /** Revokes every live session of {@code user}; returns how many. */
    public int revokeUser(String user) {
        int n = 0;
        for (Published p : sessionsOf(user)) {
            n += revoke(p.hash()) ? 1 : 0;
        }
        return n;
    }

    @Override
    public void claim(Published seen, Session claimed, Set<String> capabilities) {
        SessionIdHash hash = seen.hash();
        Published[] previous = new Published[1];
        published.compute(hash, (h, current) -> {
            if (current == null && revoked.contains(h)) {
                throw new BatonException(ResultCode.MIGRATION_REFUSED, "the session was revoked", h, claimed.owner(), null);
            }
            if (current == null) {
                throw new BatonException(ResultCode.UNKNOWN_SESSION, "session is no longer published", h, claimed.owner(), null);
            }
            if (current.generation() != seen.generation()) {
                throw new BatonException(ResultCode.CONFLICT, "gateway " + current.owner() + " took the session first",
                        h, claimed.owner(), null);
            }
            previous[0] = current;
            return new Published(claimed, current.generation() + 1);
        });
        String loser = previous[0].owner();
        for (OwnershipListener l : listeners.getOrDefault(loser, new CopyOnWriteArrayList<>())) {
            notifier.execute(() -> l.ownershipLost(hash, claimed.owner()));
        }
    }

    @Override
    public boolean owns(SessionIdHash hash, String gateway) {
        Published p = published.get(hash);
        return p != null && p.owner().equals(gateway);
    }

    @Override
    public void withdraw(SessionIdHash hash, String gateway) {
        published.computeIfPresent(hash, (h, current) -> current.owner().equals(gateway) ? null : current);
    }

    @Override
    public AutoCloseable subscribe(String gateway, OwnershipListener listener) {
        listeners.computeIfAbsent(gateway, g -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> listeners.getOrDefault(gateway, new CopyOnWriteArrayList<>()).remove(listener);
    }

    /** How many sessions are published; for tests and the demo. */
    public int size() {
        return published.size();
    }
}
