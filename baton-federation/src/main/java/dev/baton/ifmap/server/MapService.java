package dev.baton.ifmap.server;

import dev.baton.ifmap.model.IfmapError;
import dev.baton.ifmap.model.IfmapException;
import dev.baton.ifmap.model.Item;
import dev.baton.ifmap.model.Metadata;
import dev.baton.ifmap.model.MetadataDraft;
import dev.baton.ifmap.model.Request;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The federation server's MAP, independent of any transport: client sessions, the graph, subscriptions and
 * how changes are made to last ({@link GraphPersistence}: a single server's store, or a replica's shared log).
 *
 * <p>Design: one lock guards the graph and every subscription, so a publish is atomic and subscribers see
 * changes in one order. Nothing under the lock does I/O or blocks: parsing happens before it, polls wait on
 * their own session's queue after it, and a change is made under it and awaited after it
 * ({@link GraphPersistence.Pending}). A search and a publish therefore cost CPU time under the lock only.
 * Thread-safe.
 */
final class MapService implements AutoCloseable {
    private final InstantSource clock;
    private final Duration sessionTimeout;
    private final Duration pollWait;
    private final long maxPollResultSize;
    private final Function<String, PublisherRights> rights;
    private final SearchLimits searchLimits;
    private final ReentrantLock lock = new ReentrantLock();
    private final MapGraph graph = new MapGraph();
    private final Subscriptions subscriptions = new Subscriptions(graph);
    private final GraphApplier applier = new GraphApplier(graph, subscriptions);
    private final Map<String, ClientSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, ClientSession> sessionByUser = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final SecureRandom random = new SecureRandom();
    private final GraphPersistence persistence;

    /**
     * A service over {@code store}, loading the forever metadata it holds.
     *
     * @param sessionTimeout    a session without requests for this long ends (its session metadata goes)
     * @param pollWait          the longest a poll waits before answering with an empty pollResult
     * @param maxPollResultSize the largest max-poll-result-size a client may have, in bytes
     * @param rights            what each authenticated user may do
     */
    MapService(InstantSource clock, Duration sessionTimeout, Duration pollWait, long maxPollResultSize,
                      Function<String, PublisherRights> rights, MetadataStore store) {
        this(clock, sessionTimeout, pollWait, maxPollResultSize, rights, new LocalPersistence(store),
                SearchLimits.DEFAULTS);
    }

    /**
     * A service whose changes last through {@code persistence}, starting with the metadata it loads. For a
     * replica ({@link ReplicatedPersistence}) call {@link PostgresReplication#start} after this.
     */
    MapService(InstantSource clock, Duration sessionTimeout, Duration pollWait, long maxPollResultSize,
               Function<String, PublisherRights> rights, GraphPersistence persistence, SearchLimits searchLimits) {
        this.clock = clock;
        this.searchLimits = searchLimits;
        this.sessionTimeout = sessionTimeout;
        this.pollWait = pollWait;
        this.maxPollResultSize = maxPollResultSize;
        this.rights = rights;
        long maxId = 0;
        for (MetadataStore.Stored s : persistence.load()) {
            graph.add(s.item(), s.metadata());
            maxId = Math.max(maxId, s.metadata().id());
        }
        ids.set(maxId);
        this.persistence = persistence;
    }

    /**
     * Opens a session for {@code user}, ending the user's earlier one (one session per client identity).
     * Synchronized so that two concurrent newSessions of one user cannot both survive.
     */
    public synchronized ClientSession newSession(String user, long requestedMaxPoll) {
        if (user.equals(RevocationMarks.PUBLISHER)) {
            throw new IfmapException(IfmapError.AccessDenied, user + " is the federation server's own publisher id");
        }
        ClientSession old = sessionByUser.get(user);
        if (old != null) {
            end(old, "a new session was opened for " + user);
        }
        long max = requestedMaxPoll <= 0 ? maxPollResultSize : Math.min(requestedMaxPoll, maxPollResultSize);
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        PublisherRights r = rights.apply(user);
        ClientSession s = new ClientSession(id, user, user, r == null ? PublisherRights.NONE : r, max, clock.instant());
        sessions.put(id, s);
        sessionByUser.put(user, s);
        return s;
    }

    /** The live session {@code sessionId} of {@code user}, touched; InvalidSessionID otherwise. */
    public ClientSession session(String user, String sessionId) {
        ClientSession s = sessions.get(sessionId);
        if (s == null || s.ended || !s.user.equals(user)) {
            throw new IfmapException(IfmapError.InvalidSessionID, "session-id is not a live session of " + user);
        }
        s.lastActivity = clock.instant();
        return s;
    }

    /** Ends {@code s}: its subscriptions and session-lifetime metadata go, a waiting poll is answered. */
    public void end(ClientSession s, String reason) {
        GraphOp.Purge purge = new GraphOp.Purge(s.publisherId, true);
        GraphPersistence.Pending pending;
        lock.lock();
        try {
            if (s.ended) {
                return;
            }
            s.ended = true;
            sessions.remove(s.id);
            sessionByUser.remove(s.user, s);
            subscriptions.removeAll(s);
            pending = persistence.endSession(purge, applier::apply);
        } finally {
            lock.unlock();
        }
        s.queue.close("session ended: " + reason);
        pending.await();
    }

    /** Applies {@code ops} atomically and returns once forever metadata among them is durable. */
    public void publish(ClientSession s, List<Request.PublishOp> ops) {
        require(rights(s).publish(), s, "publish");
        List<GraphOp> graphOps = stamp(s, ops, clock.instant()); // outside the lock: stamping builds strings
        GraphPersistence.Pending pending;
        lock.lock();
        try {
            // Authorization against this server's graph; a replica's shared log re-decides only ownership claims.
            List<GraphOp> authorized = PublishRules.unscope(graphOps, PublishRules.check(graph, s.publisherId, rights(s), ops));
            OwnershipRule.check(graph, ops); // on a replica this fails fast; the shared log decides for good
            pending = persistence.change(authorized, () -> OwnershipRule.claims(ops), applier::apply);
        } finally {
            lock.unlock();
        }
        pending.await();
    }

    /** The graph operations of a publish request, stamped with the publisher and {@code now}. */
    private List<GraphOp> stamp(ClientSession s, List<Request.PublishOp> ops, Instant now) {
        List<GraphOp> out = new ArrayList<>(ops.size());
        for (Request.PublishOp op : ops) {
            switch (op) {
                case Request.Update u -> {
                    out.add(new GraphOp.Put(u.item(), stamp(s, u.metadata(), now, u.lifetime())));
                    if (u.metadata().stream().anyMatch(RevocationMarks::isMark)) {
                        out.add(RevocationMarks.removeSessionData(u.item())); // PublishRules allowed the mark
                    }
                }
                case Request.Notify n -> out.add(new GraphOp.Tell(n.item(),
                        stamp(s, n.metadata(), now, Metadata.Lifetime.session)));
                case Request.Delete d -> out.add(new GraphOp.Remove(d.item(), d.filter(),
                        s.rights.deleteOthers() ? null : s.publisherId));
            }
        }
        return out;
    }

    private List<Metadata> stamp(ClientSession s, List<MetadataDraft> drafts, Instant now, Metadata.Lifetime lifetime) {
        List<Metadata> out = new ArrayList<>(drafts.size());
        for (MetadataDraft d : drafts) {
            // A revocation mark is the server's own, whoever asked for it, so no client's delete removes it.
            String publisher = RevocationMarks.isMark(d) ? RevocationMarks.PUBLISHER : s.publisherId;
            out.add(d.stamp(ids.incrementAndGet(), publisher, now, lifetime));
        }
        return out;
    }

    /**
     * Applies replicated operations, as one atomic change, to this replica's graph. Called by the
     * replication log in log order.
     */
    void applyReplicated(List<GraphOp> ops) {
        lock.lock();
        try {
            applier.apply(ops);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Every metadata element in the graph, of either lifetime, oldest (lowest id) first: a consistent copy
     * taken under the lock. The replication log calls it while no replicated change can be applied.
     */
    List<MetadataStore.Stored> snapshot() {
        List<MetadataStore.Stored> out = new ArrayList<>();
        lock.lock();
        try {
            graph.forEach((item, list) -> list.forEach(m -> out.add(new MetadataStore.Stored(item, m))));
        } finally {
            lock.unlock();
        }
        out.sort(java.util.Comparator.comparingLong(s -> s.metadata().id()));
        return out;
    }

    /**
     * Replaces the whole graph by {@code items} (oldest first, as {@link #snapshot} returns them) as one
     * atomic change, and re-runs every subscription that reached an item present before or after, so
     * subscribers get the differences as update and delete results. Used by a replica that reloads the
     * replication snapshot.
     */
    void replaceGraph(List<MetadataStore.Stored> items) {
        lock.lock();
        try {
            applier.replace(items);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reads the graph with {@code reader} under the service lock, after catching up with the replicas' log; the
     * reader must only read, and should copy what it returns (the graph changes once the lock is let go).
     */
    <T> T read(Function<MapGraph, T> reader) {
        persistence.beforeRead();
        lock.lock();
        try {
            return reader.apply(graph);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Marks every live session {@code select} names (by the hash of its id) as revoked by {@code by} for
     * {@code reason}, in one atomic change (see {@link RevocationMarks}); returns the hashes marked, once the marks
     * are durable. A session already marked or not live is left out.
     */
    List<String> revoke(Function<MapGraph, List<String>> select, String by, String reason) {
        MetadataDraft draft = RevocationMarks.draft(by, reason, clock.instant());
        List<String> marked = new ArrayList<>();
        GraphPersistence.Pending pending;
        lock.lock();
        try {
            List<GraphOp> ops = new ArrayList<>();
            for (String hash : select.apply(graph)) {
                Item ar = Item.of(RevocationMarks.accessRequest(hash));
                if (RevocationMarks.live(graph, ar.first())) {
                    Metadata mark = draft.stamp(ids.incrementAndGet(), RevocationMarks.PUBLISHER, clock.instant(),
                            Metadata.Lifetime.forever);
                    ops.addAll(RevocationMarks.ops(ar, mark));
                    marked.add(hash);
                }
            }
            if (ops.isEmpty()) {
                return marked;
            }
            pending = persistence.change(ops, List::of, applier::apply);
        } finally {
            lock.unlock();
        }
        pending.await();
        return marked;
    }

    /** Poll results waiting in every client session's queue. */
    long queuedPollResults() {
        long n = 0;
        for (ClientSession s : sessions.values()) {
            n += s.queue.size();
        }
        return n;
    }

    /** Runs a search. */
    public SearchResult search(ClientSession s, Request.SearchSpec spec) {
        require(rights(s).search(), s, "search");
        Request.SearchSpec bounded = searchLimits.bound(spec);
        persistence.beforeRead(); // a replica's search sees everything committed on any replica before it began
        lock.lock();
        try {
            return Searcher.search(graph, bounded, !rights(s).readSessions());
        } finally {
            lock.unlock();
        }
    }

    /** Creates, replaces and deletes named subscriptions of {@code s}. */
    public void subscribe(ClientSession s, List<Request.SubscribeOp> ops) {
        require(rights(s).subscribe(), s, "subscribe");
        lock.lock();
        try {
            for (Request.SubscribeOp op : ops) {
                switch (op) {
                    case Request.SubscribeUpdate u -> {
                        if (!s.subscriptions.containsKey(u.name())
                                && s.subscriptions.size() >= rights(s).maxSubscriptions()) {
                            throw new IfmapException(IfmapError.AccessDenied, s.user + " may hold at most "
                                    + rights(s).maxSubscriptions() + " subscriptions in one session (quota of role "
                                    + rights(s).role() + "); delete some first");
                        }
                        subscriptions.add(new Subscription(s, u.name(), searchLimits.bound(u.spec())));
                    }
                    case Request.SubscribeDelete d -> subscriptions.remove(s, d.name());
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for results of {@code s}'s subscriptions, up to the poll wait; an empty list if none came.
     * Holds no lock of the service while waiting.
     */
    public List<PollEntry> poll(ClientSession s) {
        require(rights(s).subscribe(), s, "poll");
        try {
            return s.queue.take(pollWait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IfmapException(IfmapError.SystemError, "poll was interrupted");
        } finally {
            s.lastActivity = clock.instant();
        }
    }

    /** Removes every metadata element {@code publisherId} published, of either lifetime. */
    public void purge(ClientSession s, String publisherId) {
        String target = publisherId.isEmpty() ? s.publisherId : publisherId;
        PublisherRights r = rights(s);
        require(target.equals(s.publisherId) ? r.purgeOwn() : r.purgeOthers(), s, "purge " + target);
        GraphPersistence.Pending pending;
        lock.lock();
        try {
            pending = persistence.change(List.of(new GraphOp.Purge(target, false)), List::of, applier::apply);
        } finally {
            lock.unlock();
        }
        pending.await();
    }

    /** Ends every session idle past the timeout that has no poll waiting; returns how many ended. */
    public int sweep() {
        Instant deadline = clock.instant().minus(sessionTimeout);
        int ended = 0;
        for (ClientSession s : List.copyOf(sessions.values())) {
            if (s.lastActivity.isBefore(deadline) && !s.queue.polling()) {
                end(s, "timed out after " + sessionTimeout.toSeconds() + " s without requests");
                ended++;
            }
        }
        return ended;
    }

    /** Number of live client sessions. */
    public int sessionCount() {
        return sessions.size();
    }

    private static PublisherRights rights(ClientSession s) {
        return s.rights;
    }

    private static void require(boolean allowed, ClientSession s, String what) {
        if (!allowed) {
            throw new IfmapException(IfmapError.AccessDenied, s.user + " (role " + s.rights.role() + ") may not " + what);
        }
    }

    @Override
    public void close() {
        for (ClientSession s : List.copyOf(sessions.values())) {
            s.queue.close("federation server is stopping");
        }
        persistence.close();
    }
}
