package dev.baton.ifmap;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.Session;
import dev.baton.core.SessionIdHash;
import dev.baton.ifmap.client.IfmapClient;
import dev.baton.ifmap.model.PollResult;
import dev.baton.ifmap.client.Publish;
import dev.baton.ifmap.model.ReceivedMetadata;
import dev.baton.ifmap.model.ResultItem;
import dev.baton.ifmap.client.SearchQuery;
import dev.baton.ifmap.model.IfmapError;
import dev.baton.ifmap.model.IfmapException;
import dev.baton.ifmap.model.Item;
import dev.baton.ifmap.model.Xml;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a gateway does with the federation server, in the words of a migration: publish a session at
 * sign-in, look one up when an agent arrives, claim it (exactly one of any racing gateways wins), and
 * hear through its subscription when another gateway claimed one of its own.
 *
 * <p>Ownership: every owned session has a subscription named {@code own-HASH} on its access-request with
 * result-filter {@code baton:session-owner}. A claim is one atomic publish whose first element is a
 * {@code baton:session-owner} update at generation g+1 expecting g (the server's compare-and-set rule), then
 * the new owner's data replacing the old owner's. The loser gets an errorResult ({@code claim} returns
 * false); the old owner's poll sees an updateResult naming another gateway and fires the ownership-lost
 * listeners, whose job is to drop the local session.
 *
 * <p>Subscriptions are kept off the migration's critical path: a claim or a loss only records that
 * {@code own-HASH} should exist or not, and one background thread sends every pending change in one
 * subscribe request (IF-MAP allows any number of update and delete elements in one), so under load a
 * single request covers many migrations. A late subscription is safe: its first poll result is a
 * searchResult with the current owner, so a claim by a third gateway in between is still noticed (by
 * generation, see {@link #lost}).
 *
 * <p>Robustness: the poll loop runs on its own thread; when the server is gone or forgot the session
 * (restart, timeout) it reconnects with exponential back-off and jitter, opens a new session and
 * re-subscribes every owned session. A timer renews the session. Thread-safe.
 */
public final class FederationClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FederationClient.class);
    private static final String OWN = "own-";
    /** Subscription changes sent in one subscribe request at most. */
    private static final int MAX_OPS_PER_REQUEST = 500;

    private final FederationClientConfig config;
    private final IfmapClient client;
    private final Map<SessionIdHash, Long> owned = new ConcurrentHashMap<>();
    private final List<java.util.function.BiConsumer<SessionIdHash, String>> lostListeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer;
    private final Object connectLock = new Object();
    /** Subscription changes not sent yet: per session, true to (re)subscribe, false to unsubscribe; latest wins. */
    private final Map<SessionIdHash, Boolean> pendingSubscriptions = new LinkedHashMap<>();
    private boolean sending; // a batch taken from pendingSubscriptions is on its way; guarded by it
    private volatile boolean running = true;
    private volatile long reconnects;
    private final LongAdder subscribeRequests = new LongAdder();
    private final LongAdder pollRequests = new LongAdder();
    private Thread poller;
    private Thread subscriber;
    private final ClaimSender claims = new ClaimSender();
    private final LookupSender lookups = new LookupSender();

    private FederationClient(FederationClientConfig config) {
        this.config = config;
        this.client = new IfmapClient(config.url(), config.user(), config.password(), config.ssl(),
                config.requestTimeout(), config.pollTimeout());
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("ifmap-renew-" + config.gateway()).factory());
    }

    /**
     * Connects (new session), starts the poll loop and the renew timer.
     *
     * @throws BatonException {@link ResultCode#UNAVAILABLE} if the server cannot be reached,
     *                        {@link ResultCode#AUTHENTICATION_FAILED} if it refuses the credentials
     */
    public static FederationClient connect(FederationClientConfig config) {
        FederationClient c = new FederationClient(config);
        try {
            c.client.newSession(0);
        } catch (RuntimeException e) {
            c.timer.shutdownNow();
            c.client.close();
            throw e;
        }
        c.poller = Thread.ofVirtual().name("ifmap-poll-" + config.gateway()).start(c::pollLoop);
        c.subscriber = Thread.ofVirtual().name("ifmap-subscribe-" + config.gateway()).start(c::subscribeLoop);
        long renew = config.renewInterval().toMillis();
        c.timer.scheduleWithFixedDelay(c::renew, renew, renew, TimeUnit.MILLISECONDS);
        return c;
    }

    /** Calls {@code listener} with the hash of every owned session another gateway takes, and that gateway's name. */
    public void onOwnershipLost(java.util.function.BiConsumer<SessionIdHash, String> listener) {
        lostListeners.add(listener);
    }

    /**
     * Publishes a session this gateway just authenticated (F2), as its first owner.
     *
     * @throws BatonException {@link ResultCode#CONFLICT} if the hash is already published by someone
     */
    public void publishSession(Session s, Set<String> capabilities) {
        if (!tryOwn(s, 1, null, capabilities)) {
            throw new BatonException(ResultCode.CONFLICT, "session is already published in the federation",
                    s.hash(), config.gateway(), null);
        }
    }

    /**
     * Looks up a session by hash (F3); empty if the federation does not hold it. Look-ups made while one is on
     * its way go together in one request (Baton's {@code searchBatch}, see {@link LookupSender}).
     */
    @SuppressWarnings("unchecked")
    public Optional<FederatedSession> lookup(SessionIdHash hash) {
        return (Optional<FederatedSession>) lookups.send(hash);
    }

    private static SearchQuery lookupQuery(SessionIdHash hash) {
        return new SearchQuery(SessionMapping.accessRequest(hash), 0, null, null, 0);
    }

    /**
     * Sends look-ups in groups ({@link GroupSender}): a group of one is a standard IF-MAP search; a larger group
     * is one {@code baton:searchBatch} request, Baton's extension, whose results come back in order (so a
     * gateway's look-ups need Baton's federation server, as its claims already do). Like grouped claims, this
     * saves most of a request per migration under load.
     */
    private final class LookupSender extends GroupSender<SessionIdHash> {
        private final LongAdder requests = new LongAdder();

        LookupSender() {
            super(64);
        }

        @Override
        protected void sendGroup(List<Pending<SessionIdHash>> group) {
            requests.increment();
            if (group.size() == 1) {
                SessionIdHash hash = group.get(0).request;
                complete(group.get(0), readOrFailure(hash, () -> withSession(() -> client.search(lookupQuery(hash)))));
                return;
            }
            List<SearchQuery> queries = new ArrayList<>(group.size());
            group.forEach(p -> queries.add(lookupQuery(p.request)));
            List<PollResult> results;
            try {
                results = withSession(() -> client.searchBatch(queries));
            } catch (RuntimeException e) {
                group.forEach(p -> complete(p, e));
                return;
            }
            for (int i = 0; i < group.size(); i++) {
                PollResult r = results.get(i);
                complete(group.get(i), r.error() != null ? new IfmapException(r.error(), r.errorText())
                        : readOrFailure(group.get(i).request, r::items));
            }
        }

        private Object readOrFailure(SessionIdHash hash, java.util.function.Supplier<List<ResultItem>> items) {
            try {
                return SessionMapping.read(hash, items.get());
            } catch (RuntimeException e) {
                return e;
            }
        }
    }

    /** Requests that carried look-ups since the client started (one per group of look-ups sent together). */
    public long lookupRequests() {
        return lookups.requests.sum();
    }

    /**
     * Runs {@code call}; if the server no longer knows the session (it restarted, or the session timed
     * out), reconnects and runs it once more. Only then: the server rejected the request unapplied, so a
     * retry cannot apply anything twice.
     */
    private <T> T withSession(java.util.function.Supplier<T> call) {
        String session = client.sessionId();
        try {
            return call.get();
        } catch (IfmapException e) {
            if (e.error() != IfmapError.InvalidSessionID) {
                throw e;
            }
            reconnect(session);
            return call.get();
        }
    }

    /**
     * Claims {@code seen} for this gateway as {@code migrated} (F3, F4). Of any number of gateways claiming
     * the same generation at once, exactly one gets {@code true}.
     */
    public boolean claim(FederatedSession seen, Session migrated, Set<String> capabilities) {
        if (!migrated.hash().equals(seen.hash())) {
            throw new BatonException(ResultCode.INVALID_REQUEST, "claimed session does not match the one looked up");
        }
        return tryOwn(migrated, seen.generation() + 1, seen.owner(), capabilities);
    }

    /** Republishes what changed of an owned session (roles, activity); ownership stays. */
    public void update(Session s, Set<String> capabilities) {
        requireOwned(s.hash());
        withSession(() -> {
            client.publish(data(new Publish(), s, capabilities, true));
            return null;
        });
    }

    /** Removes a session this gateway owns from the federation (sign-out or expiry). */
    public void withdraw(SessionIdHash hash) {
        requireOwned(hash);
        owned.remove(hash);
        unsubscribeQuietly(hash);
        Item ar = Item.of(SessionMapping.accessRequest(hash));
        Publish p = new Publish().delete(ar, null)
                .delete(Item.link(SessionMapping.accessRequest(hash), SessionMapping.gateway(config.gateway())), null);
        withSession(() -> {
            client.publish(p);
            return null;
        });
    }

    /** Whether this gateway owns {@code hash} as far as it knows. */
    public boolean owns(SessionIdHash hash) {
        return owned.containsKey(hash);
    }

    /** How many times the client reconnected since it started. */
    public long reconnects() {
        return reconnects;
    }

    private boolean tryOwn(Session s, long generation, String previousOwner, Set<String> capabilities) {
        Item ar = Item.of(SessionMapping.accessRequest(s.hash()));
        Publish p = new Publish().update(ar, true, SessionMapping.owner(config.gateway(), generation));
        p.delete(ar, "meta:role or meta:capability");
        if (previousOwner != null && !previousOwner.equals(config.gateway())) {
            p.delete(Item.link(SessionMapping.accessRequest(s.hash()), SessionMapping.gateway(previousOwner)),
                    "meta:authenticated-by");
        }
        boolean won;
        try {
            won = claims.claim(data(p, s, capabilities, false));
        } catch (RuntimeException e) {
            won = appliedDespite(s.hash(), generation, e);
        }
        if (!won) {
            return false;
        }
        owned.put(s.hash(), generation);
        requestSubscription(s.hash(), true);
        return true;
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
            now = lookup(hash);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
            throw failure;
        }
        if (now.isEmpty() || !now.get().owner().equals(config.gateway()) || now.get().generation() != generation) {
            throw failure;
        }
        LOG.warn("claim of session {} failed ({}), but the federation shows it applied at generation {}; taking the session",
                hash.abbreviated(), failure.getMessage(), generation);
        return true;
    }

    private Publish data(Publish p, Session s, Set<String> capabilities, boolean replaceLists) {
        var ar = SessionMapping.accessRequest(s.hash());
        if (replaceLists) {
            p.delete(Item.of(ar), "meta:role or meta:capability");
        }
        p.update(Item.of(ar), true, SessionMapping.session(s));
        p.update(Item.link(ar, SessionMapping.identity(s.user())), true, SessionMapping.authenticatedAs());
        p.update(Item.link(ar, SessionMapping.gateway(config.gateway())), true, SessionMapping.authenticatedBy());
        String[] lists = java.util.stream.Stream.concat(s.roles().stream().map(SessionMapping::role),
                capabilities.stream().map(SessionMapping::capability)).toArray(String[]::new);
        if (lists.length > 0) {
            p.update(Item.of(ar), true, lists);
        }
        return p;
    }

    /**
     * Sends claims (and first publishes, which claim generation 1) in groups ({@link GroupSender}): one publish
     * request per group. IF-MAP applies a publish atomically, so a group in which one claim loses its
     * compare-and-set is applied not at all; its claims are then sent one by one for their own outcomes. Under
     * load this saves most of a request per migration (the request's fixed cost, HTTP, TLS and thread wake-ups
     * on both ends, was most of a claim's).
     */
    private final class ClaimSender extends GroupSender<Publish> {
        private final LongAdder requests = new LongAdder();

        ClaimSender() {
            super(64);
        }

        /** Sends {@code claim}; true if applied, false if it lost its compare-and-set ("ownership conflict"). */
        boolean claim(Publish claim) {
            return (Boolean) send(claim);
        }

        @Override
        protected void sendGroup(List<Pending<Publish>> group) {
            if (group.size() == 1) {
                complete(group.get(0), attempt(group.get(0).request));
                return;
            }
            Publish all = new Publish();
            group.forEach(p -> all.append(p.request));
            Object outcome = attempt(all);
            if (Boolean.FALSE.equals(outcome)) {
                for (Pending<Publish> p : group) { // the server applied none of them: each on its own
                    complete(p, attempt(p.request));
                }
            } else {
                group.forEach(p -> complete(p, outcome));
            }
        }

        private Object attempt(Publish p) {
            requests.increment();
            try {
                withSession(() -> {
                    client.publish(p);
                    return null;
                });
                return Boolean.TRUE;
            } catch (IfmapException e) {
                return e.isOwnershipConflict() ? Boolean.FALSE : e;
            } catch (RuntimeException e) {
                return e;
            }
        }
    }

    /** Publish requests that carried claims or first publishes since the client started. */
    public long claimRequests() {
        return claims.requests.sum();
    }

    private static SearchQuery ownershipQuery(SessionIdHash hash) {
        return new SearchQuery(SessionMapping.accessRequest(hash), 0, null, "baton:session-owner", 0);
    }

    private void pollLoop() {
        int failures = 0;
        while (running) {
            String session = client.sessionId();
            try {
                List<PollResult> results = client.poll();
                pollRequests.increment();
                for (PollResult r : results) {
                    handle(r);
                }
                failures = 0;
                if (!results.isEmpty() && config.pollCoalesce().isPositive()) {
                    Thread.sleep(config.pollCoalesce()); // let the next results gather: one response for many
                }
            } catch (InterruptedException e) {
                if (!running) {
                    return; // closing
                }
            } catch (BatonException e) {
                if (!running) {
                    return;
                }
                failures++;
                LOG.warn("federation poll failed ({}); reconnecting", e.getMessage());
                backOff(failures);
                reconnect(session);
            } catch (RuntimeException e) {
                // Catch everything: a dead poll loop would leave this gateway deaf to lost sessions.
                LOG.error("federation poll result could not be handled", e);
            }
        }
    }

    private void handle(PollResult r) {
        if (!r.name().startsWith(OWN)) {
            return;
        }
        SessionIdHash hash = SessionIdHash.parse(r.name().substring(OWN.length()));
        if (r.error() != null) {
            LOG.warn("ownership subscription of {} ended: {} {}", hash.abbreviated(), r.error(), r.errorText());
            if (owned.containsKey(hash)) {
                requestSubscription(hash, true);
            }
            return;
        }
        if (r.kind().equals("deleteResult")) {
            return;
        }
        for (ResultItem item : r.items()) {
            for (ReceivedMetadata m : item.metadata()) {
                // Only a session-owner published by the gateway it names is a loss; anything else is forged.
                if (m.is(Xml.BATON_NS, "session-owner") && !config.gateway().equals(m.attributes().get("gateway"))
                        && m.publisherId().equals(m.attributes().get("gateway"))) {
                    lost(hash, m.attributes().get("gateway"), generation(m));
                }
            }
        }
    }

    /**
     * Another gateway took {@code hash} at {@code generation}. A notification older than our own claim (we took
     * the session back since) is stale and ignored; ownership moves only forward.
     */
    private void lost(SessionIdHash hash, String newOwner, long generation) {
        boolean[] taken = new boolean[1];
        owned.computeIfPresent(hash, (h, ours) -> {
            taken[0] = generation > ours;
            return taken[0] ? null : ours;
        });
        if (!taken[0]) {
            return;
        }
        LOG.info("session {} was taken over by gateway {}", hash.abbreviated(), newOwner);
        unsubscribeQuietly(hash);
        for (java.util.function.BiConsumer<SessionIdHash, String> l : lostListeners) {
            try {
                l.accept(hash, newOwner);
            } catch (RuntimeException e) {
                LOG.error("ownership-lost listener failed for {}", hash.abbreviated(), e);
            }
        }
    }

    private static long generation(ReceivedMetadata m) {
        try {
            return Long.parseLong(m.attributes().getOrDefault("generation", String.valueOf(Long.MAX_VALUE)));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // unreadable: believe the notification
        }
    }

    private void unsubscribeQuietly(SessionIdHash hash) {
        requestSubscription(hash, false);
    }

    /** Records that {@code own-HASH} should ({@code true}) or should not exist; the subscribe loop sends it. */
    private void requestSubscription(SessionIdHash hash, boolean subscribe) {
        synchronized (pendingSubscriptions) {
            pendingSubscriptions.remove(hash); // re-insert: keeps the order of the latest requests
            pendingSubscriptions.put(hash, subscribe);
            pendingSubscriptions.notifyAll();
        }
    }

    /** How many polls the client completed since it started. */
    public long pollRequests() {
        return pollRequests.sum();
    }

    /** How many subscribe requests the client sent for ownership subscriptions since it started. */
    public long subscribeRequests() {
        return subscribeRequests.sum();
    }

    /**
     * Waits until every subscription change requested so far was sent (or failed and was put back); for
     * tests and an orderly shutdown. Returns false if that took longer than {@code timeout}.
     */
    public boolean awaitSubscriptions(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (pendingSubscriptions) {
            while (!pendingSubscriptions.isEmpty() || sending) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                pendingSubscriptions.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }


    /** Sends pending subscription changes, as many as {@value #MAX_OPS_PER_REQUEST} per request. */
    private void subscribeLoop() {
        int failures = 0;
        while (running) {
            List<Map.Entry<SessionIdHash, Boolean>> batch = new ArrayList<>();
            synchronized (pendingSubscriptions) {
                try {
                    while (pendingSubscriptions.isEmpty() && running) {
                        pendingSubscriptions.wait();
                    }
                } catch (InterruptedException e) {
                    return;
                }
                var it = pendingSubscriptions.entrySet().iterator();
                while (it.hasNext() && batch.size() < MAX_OPS_PER_REQUEST) {
                    Map.Entry<SessionIdHash, Boolean> e = it.next();
                    batch.add(Map.entry(e.getKey(), e.getValue()));
                    it.remove();
                }
                sending = !batch.isEmpty();
            }
            try {
                List<IfmapClient.SubscribeOp> ops = batch.stream().map(e -> e.getValue()
                        ? IfmapClient.SubscribeOp.update(OWN + e.getKey().hex(), ownershipQuery(e.getKey()))
                        : IfmapClient.SubscribeOp.delete(OWN + e.getKey().hex())).toList();
                withSession(() -> {
                    client.subscribe(ops);
                    return null;
                });
                subscribeRequests.increment();
                failures = 0;
            } catch (RuntimeException e) {
                // Put back what no newer request replaced; a reconnect re-subscribes every owned session anyway.
                synchronized (pendingSubscriptions) {
                    for (Map.Entry<SessionIdHash, Boolean> op : batch) {
                        pendingSubscriptions.putIfAbsent(op.getKey(), op.getValue());
                    }
                }
                if (!running) {
                    return;
                }
                LOG.warn("ownership subscriptions not sent ({}); retrying", e.getMessage());
                backOff(++failures);
            } finally {
                synchronized (pendingSubscriptions) {
                    sending = false;
                    pendingSubscriptions.notifyAll();
                }
            }
        }
    }


    /**
     * Opens a new session and re-subscribes every owned session (the server may have restarted), unless
     * another thread already replaced {@code failed}: a second newSession would end the first.
     */
    private void reconnect(String failed) {
        synchronized (connectLock) {
            if (failed != null && !failed.equals(client.sessionId())) {
                return;
            }
            try {
                client.newSession(0);
                reconnects++;
                List<IfmapClient.SubscribeOp> ops = new ArrayList<>();
                for (SessionIdHash hash : owned.keySet()) {
                    ops.add(IfmapClient.SubscribeOp.update(OWN + hash.hex(), ownershipQuery(hash)));
                    if (ops.size() == MAX_OPS_PER_REQUEST) {
                        client.subscribe(ops);
                        ops.clear();
                    }
                }
                client.subscribe(ops);
                LOG.info("reconnected to the federation server, {} ownership subscriptions restored", owned.size());
            } catch (BatonException e) {
                LOG.warn("reconnection to the federation server failed: {}", e.getMessage());
            }
        }
    }

    private void backOff(int failures) {
        long max = config.maxBackoff().toMillis();
        long wait = Math.min(max, 100L << Math.min(failures, 16));
        try {
            Thread.sleep(wait / 2 + ThreadLocalRandom.current().nextLong(wait / 2 + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void renew() {
        try {
            client.renewSession();
        } catch (RuntimeException e) {
            // Catch everything: a throwing scheduled task is cancelled for good. The poll loop reconnects.
            LOG.warn("federation session renewal failed: {}", e.getMessage());
        }
    }

    private void requireOwned(SessionIdHash hash) {
        if (!owned.containsKey(hash)) {
            throw new BatonException(ResultCode.NOT_AUTHORIZED, "this gateway does not own the session", hash,
                    config.gateway(), null);
        }
    }

    /** Stops the poll loop and the timer and ends the IF-MAP session; published forever data stays. */
    @Override
    public void close() {
        running = false;
        timer.shutdownNow();
        try {
            client.endSession();
        } catch (RuntimeException e) {
            LOG.debug("endSession failed while closing", e);
        }
        if (poller != null) {
            poller.interrupt();
        }
        if (subscriber != null) {
            subscriber.interrupt();
        }
        client.close();
    }
}
