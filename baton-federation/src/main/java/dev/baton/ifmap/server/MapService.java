package dev.baton.ifmap.server;

import dev.baton.core.BatonException;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The federation server's MAP, independent of any transport: client sessions, the graph, subscriptions and
 * the persistence of forever metadata.
 *
 * <p>Design: one lock guards the graph and every subscription, so a publish is atomic and subscribers see
 * changes in one order. Nothing under the lock does I/O or blocks: parsing happens before it, polls wait on
 * their own session's queue after it, and forever-metadata writes are queued under it and awaited after it
 * ({@link PersistenceWriter}). A search and a publish therefore cost CPU time under the lock only.
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
    private final Map<String, ClientSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, ClientSession> sessionByUser = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final SecureRandom random = new SecureRandom();
    private final PersistenceWriter writer;
    private final PostgresReplication replication;

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
        this(clock, sessionTimeout, pollWait, maxPollResultSize, rights, store, null, SearchLimits.DEFAULTS);
    }

    /**
     * A replica whose graph follows {@code replication}'s shared log; {@code store} is then normally
     * {@link MetadataStore#none()}, the log being the authority. Call {@link PostgresReplication#start} after this.
     */
    MapService(InstantSource clock, Duration sessionTimeout, Duration pollWait, long maxPollResultSize,
               Function<String, PublisherRights> rights, MetadataStore store, PostgresReplication replication,
               SearchLimits searchLimits) {
        this.clock = clock;
        this.searchLimits = searchLimits;
        this.sessionTimeout = sessionTimeout;
        this.pollWait = pollWait;
        this.maxPollResultSize = maxPollResultSize;
        this.rights = rights;
        long maxId = 0;
        for (MetadataStore.Stored s : store.load()) {
            graph.add(s.item(), s.metadata());
            maxId = Math.max(maxId, s.metadata().id());
        }
        ids.set(maxId);
        this.writer = new PersistenceWriter(store);
        this.replication = replication;
    }

    /**
     * Opens a session for {@code user}, ending the user's earlier one (one session per client identity).
     * Synchronized so that two concurrent newSessions of one user cannot both survive.
     */
    public synchronized ClientSession newSession(String user, long requestedMaxPoll) {
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
        GraphOp purge = new GraphOp.Purge(s.publisherId, true);
        lock.lock();
        try {
            if (s.ended) {
                return;
            }
            s.ended = true;
            sessions.remove(s.id);
            sessionByUser.remove(s.user, s);
            subscriptions.removeAll(s);
            if (replication == null) {
                apply(List.of(purge), new ArrayList<>()); // session metadata is never persisted
            }
        } finally {
            lock.unlock();
        }
        s.queue.close("session ended: " + reason);
        if (replication != null) {
            replication.append(List.of(purge), List.of());
        }
    }

    /** Applies {@code ops} atomically and returns once forever metadata among them is durable. */
    public void publish(ClientSession s, List<Request.PublishOp> ops) {
        require(rights(s).publish(), s, "publish");
        List<GraphOp> graphOps = stamp(s, ops, clock.instant()); // outside the lock: stamping builds strings
        if (replication != null) {
            lock.lock();
            try {
                // Authorization against this replica's graph; the shared log re-decides only ownership claims.
                graphOps = PublishRules.unscope(graphOps, PublishRules.check(graph, s.publisherId, rights(s), ops));
                OwnershipRule.check(graph, ops); // fails fast; the shared log decides for good
            } finally {
                lock.unlock();
            }
            replication.append(graphOps, OwnershipRule.claims(ops));
            return;
        }
        List<MetadataStore.Change> changes = new ArrayList<>();
        java.util.concurrent.CompletableFuture<Void> durable;
        lock.lock();
        try {
            List<GraphOp> authorized = PublishRules.unscope(graphOps, PublishRules.check(graph, s.publisherId, rights(s), ops));
            OwnershipRule.check(graph, ops);
            apply(authorized, changes);
            durable = writer.submit(changes); // under the lock: the store sees changes in the graph's order
        } finally {
            lock.unlock();
        }
        awaitDurable(durable);
    }

    /** The graph operations of a publish request, stamped with the publisher and {@code now}. */
    private List<GraphOp> stamp(ClientSession s, List<Request.PublishOp> ops, Instant now) {
        List<GraphOp> out = new ArrayList<>(ops.size());
        for (Request.PublishOp op : ops) {
            switch (op) {
                case Request.Update u -> out.add(new GraphOp.Put(u.item(), stamp(s, u.metadata(), now, u.lifetime())));
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
            out.add(d.stamp(ids.incrementAndGet(), s.publisherId, now, lifetime));
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
            apply(ops, new ArrayList<>());
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
            Set<Item> touched = new LinkedHashSet<>();
            graph.forEach((item, list) -> touched.add(item));
            graph.clear();
            for (MetadataStore.Stored s : items) {
                graph.add(s.item(), s.metadata());
                touched.add(s.item());
            }
            subscriptions.changed(touched);
        } finally {
            lock.unlock();
        }
    }

    /** Applies {@code ops} in order and re-runs the subscriptions that see a change. Holds the lock. */
    private void apply(List<GraphOp> ops, List<MetadataStore.Change> changes) {
        Set<Item> touched = new LinkedHashSet<>();
        for (GraphOp op : ops) {
            switch (op) {
                case GraphOp.Put p -> put(p, touched, changes);
                case GraphOp.Remove r -> {
                    if (!remove(r.item(), r::removes, changes).isEmpty()) {
                        touched.add(r.item());
                    }
                }
                case GraphOp.Tell t -> tell(t);
                case GraphOp.Purge p -> touched.addAll(purgeItems(p, changes));
            }
        }
        subscriptions.changed(touched);
    }

    private void put(GraphOp.Put p, Set<Item> touched, List<MetadataStore.Change> changes) {
        for (Metadata m : p.metadata()) {
            if (m.cardinality() == Metadata.Cardinality.singleValue) {
                remove(p.item(), m::sameTypeAs, changes);
            }
            graph.add(p.item(), m);
            if (m.lifetime() == Metadata.Lifetime.forever) {
                changes.add(new MetadataStore.Change(p.item(), m, true));
            }
        }
        touched.add(p.item());
    }

    private void tell(GraphOp.Tell t) {
        for (Subscription sub : subscriptions.watching(List.of(t.item()))) {
            if (t.item().isLink() && sub.spec.matchLinks() != null
                    && t.metadata().stream().noneMatch(sub.spec.matchLinks()::matches)) {
                continue;
            }
            List<Metadata> kept = Searcher.filter(t.metadata(), sub.spec.resultFilter(), sub.hideVendor);
            if (!kept.isEmpty()) {
                subscriptions.notify(sub, t.item(), kept);
            }
        }
    }

    /** Runs a search. */
    public SearchResult search(ClientSession s, Request.SearchSpec spec) {
        require(rights(s).search(), s, "search");
        Request.SearchSpec bounded = searchLimits.bound(spec);
        if (replication != null) {
            replication.catchUp(); // a search sees everything committed on any replica before it began
        }
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
        GraphOp purge = new GraphOp.Purge(target, false);
        if (replication != null) {
            replication.append(List.of(purge), List.of());
            return;
        }
        List<MetadataStore.Change> changes = new ArrayList<>();
        java.util.concurrent.CompletableFuture<Void> durable;
        lock.lock();
        try {
            apply(List.of(purge), changes);
            durable = writer.submit(changes);
        } finally {
            lock.unlock();
        }
        awaitDurable(durable);
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

    private Set<Item> purgeItems(GraphOp.Purge p, List<MetadataStore.Change> changes) {
        Set<Item> touched = new LinkedHashSet<>();
        for (Item item : graph.itemsOf(p.publisherId())) {
            if (!remove(item, m -> m.publisherId().equals(p.publisherId())
                    && (!p.sessionOnly() || m.lifetime() == Metadata.Lifetime.session), changes).isEmpty()) {
                touched.add(item);
            }
        }
        graph.forgetPublisherIfEmpty(p.publisherId());
        return touched;
    }

    private List<Metadata> remove(Item item, Predicate<Metadata> which, List<MetadataStore.Change> changes) {
        List<Metadata> removed = graph.remove(item, which);
        for (Metadata m : removed) {
            if (m.lifetime() == Metadata.Lifetime.forever) {
                changes.add(new MetadataStore.Change(item, m, false));
            }
        }
        return removed;
    }

    private static PublisherRights rights(ClientSession s) {
        return s.rights;
    }

    private static void require(boolean allowed, ClientSession s, String what) {
        if (!allowed) {
            throw new IfmapException(IfmapError.AccessDenied, s.user + " (role " + s.rights.role() + ") may not " + what);
        }
    }

    /** Returns once the changes queued as {@code done} are durable, writing them itself if no one else is. No lock held. */
    private void awaitDurable(java.util.concurrent.CompletableFuture<Void> done) {
        writer.persist();
        try {
            done.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IfmapException(IfmapError.SystemError, "forever metadata could not be stored: "
                    + (e.getCause() instanceof BatonException b ? b.getMessage() : String.valueOf(e.getCause())));
        } catch (TimeoutException e) {
            throw new IfmapException(IfmapError.SystemError, "forever metadata store did not answer in 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IfmapException(IfmapError.SystemError, "interrupted while storing forever metadata");
        }
    }

    @Override
    public void close() {
        for (ClientSession s : List.copyOf(sessions.values())) {
            s.queue.close("federation server is stopping");
        }
        writer.close();
    }
}
