package dev.baton.ifmap;

import dev.baton.core.SessionIdHash;
import dev.baton.ifmap.client.IfmapClient;
import dev.baton.ifmap.client.SearchQuery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions this gateway owns, at the generation it claimed each, and their ownership subscriptions: every
 * owned session has one named {@code own-HASH} on its access-request with result-filter
 * {@code baton:session-owner or baton:revoked}, through which the poll loop hears that another gateway took it or
 * that it was revoked.
 *
 * <p>Subscriptions are kept off the migration's critical path: a claim or a loss only records that
 * {@code own-HASH} should exist or not, and one background thread sends every pending change in one subscribe
 * request (IF-MAP allows any number of update and delete elements in one), so under load a single request covers
 * many migrations. A late subscription is safe: its first poll result is a searchResult with the current owner,
 * so a claim by a third gateway in between is still noticed, by generation ({@link #lost}). Thread-safe.
 */
final class OwnershipSubscriptions {
    private static final Logger LOG = LoggerFactory.getLogger(OwnershipSubscriptions.class);
    /** Prefix of an ownership subscription's name; the session-id hash follows. */
    static final String PREFIX = "own-";
    /** Subscription changes sent in one subscribe request at most. */
    private static final int MAX_OPS_PER_REQUEST = 500;

    private final FederationConnection connection;
    private final Map<SessionIdHash, Long> owned = new ConcurrentHashMap<>();
    /** Changes not sent yet: per session, true to (re)subscribe, false to unsubscribe; latest wins. */
    private final Map<SessionIdHash, Boolean> pending = new LinkedHashMap<>();
    private boolean sending; // a batch taken from pending is on its way; guarded by pending
    private final LongAdder requests = new LongAdder();
    private volatile boolean running = true;
    private Thread sender;

    OwnershipSubscriptions(FederationConnection connection) {
        this.connection = connection;
    }

    /** Starts the thread that sends subscription changes. */
    void start(String gateway) {
        sender = Thread.ofVirtual().name("ifmap-subscribe-" + gateway).start(this::sendLoop);
    }

    /** Whether this gateway owns {@code hash} as far as it knows. */
    boolean owns(SessionIdHash hash) {
        return owned.containsKey(hash);
    }

    /** This gateway took {@code hash} at {@code generation}: watch it. */
    void took(SessionIdHash hash, long generation) {
        owned.put(hash, generation);
        request(hash, true);
    }

    /** This gateway gave {@code hash} up (sign-out, expiry): stop watching it. */
    void released(SessionIdHash hash) {
        owned.remove(hash);
        request(hash, false);
    }

    /**
     * Another gateway took {@code hash} at {@code generation}: forgets it and returns true, unless the notice is
     * older than our own claim (we took the session back since), which is stale: ownership moves only forward.
     */
    boolean lost(SessionIdHash hash, long generation) {
        boolean[] taken = new boolean[1];
        owned.computeIfPresent(hash, (h, ours) -> {
            taken[0] = generation > ours;
            return taken[0] ? null : ours;
        });
        if (taken[0]) {
            request(hash, false);
        }
        return taken[0];
    }

    /** The server ended the subscription of {@code hash}: asks for it again while the session is ours. */
    void ended(SessionIdHash hash) {
        if (owned.containsKey(hash)) {
            request(hash, true);
        }
    }

    /** The session whose ownership subscription is named {@code name}, or null if it is not one. */
    static SessionIdHash sessionOf(String name) {
        return name.startsWith(PREFIX) ? SessionIdHash.parse(name.substring(PREFIX.length())) : null;
    }

    /** Subscribes every owned session in a new session, synchronously; returns how many. */
    int restore(IfmapClient client) {
        List<IfmapClient.SubscribeOp> ops = new ArrayList<>();
        for (SessionIdHash hash : owned.keySet()) {
            ops.add(op(hash, true));
            if (ops.size() == MAX_OPS_PER_REQUEST) {
                client.subscribe(ops);
                ops.clear();
            }
        }
        client.subscribe(ops);
        return owned.size();
    }

    /** Subscribe requests sent since the client started. */
    long requests() {
        return requests.sum();
    }

    /**
     * Waits until every change requested so far was sent (or failed and was put back); for tests and an orderly
     * shutdown. Returns false if that took longer than {@code timeout}.
     */
    boolean awaitSent(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (pending) {
            while (!pending.isEmpty() || sending) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                pending.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    /** Stops the sender: changes not sent yet end with the session. */
    void stop() {
        running = false;
    }

    /** Wakes the sender from a wait or a request after {@link #stop}. */
    void interrupt() {
        if (sender != null) {
            sender.interrupt();
        }
    }

    /** Records that {@code own-HASH} should ({@code true}) or should not exist; the sender sends it. */
    private void request(SessionIdHash hash, boolean subscribe) {
        synchronized (pending) {
            pending.remove(hash); // re-insert: keeps the order of the latest requests
            pending.put(hash, subscribe);
            pending.notifyAll();
        }
    }

    /** Sends pending changes, as many as {@value #MAX_OPS_PER_REQUEST} per request, until stopped. */
    private void sendLoop() {
        int failures = 0;
        while (running) {
            List<Map.Entry<SessionIdHash, Boolean>> batch;
            try {
                batch = takeBatch();
            } catch (InterruptedException e) {
                return;
            }
            try {
                connection.run(c -> c.subscribe(batch.stream().map(e -> op(e.getKey(), e.getValue())).toList()));
                requests.increment();
                failures = 0;
            } catch (RuntimeException e) {
                putBack(batch);
                if (!running) {
                    return;
                }
                LOG.warn("ownership subscriptions not sent ({}); retrying", e.getMessage());
                connection.backOff(++failures);
            } finally {
                synchronized (pending) {
                    sending = false;
                    pending.notifyAll();
                }
            }
        }
    }

    /** Waits for pending changes and takes the oldest of them, marking them on their way. */
    private List<Map.Entry<SessionIdHash, Boolean>> takeBatch() throws InterruptedException {
        List<Map.Entry<SessionIdHash, Boolean>> batch = new ArrayList<>();
        synchronized (pending) {
            while (pending.isEmpty() && running) {
                pending.wait();
            }
            var it = pending.entrySet().iterator();
            while (it.hasNext() && batch.size() < MAX_OPS_PER_REQUEST) {
                Map.Entry<SessionIdHash, Boolean> e = it.next();
                batch.add(Map.entry(e.getKey(), e.getValue()));
                it.remove();
            }
            sending = !batch.isEmpty();
        }
        return batch;
    }

    /** Puts back what no newer request replaced; a reconnect re-subscribes every owned session anyway. */
    private void putBack(List<Map.Entry<SessionIdHash, Boolean>> batch) {
        synchronized (pending) {
            for (Map.Entry<SessionIdHash, Boolean> op : batch) {
                pending.putIfAbsent(op.getKey(), op.getValue());
            }
        }
    }

    private static IfmapClient.SubscribeOp op(SessionIdHash hash, boolean subscribe) {
        return subscribe
                ? IfmapClient.SubscribeOp.update(PREFIX + hash.hex(), new SearchQuery(SessionMapping.accessRequest(hash),
                        0, null, "baton:session-owner or baton:revoked", 0))
                : IfmapClient.SubscribeOp.delete(PREFIX + hash.hex());
    }
}
