package dev.baton.ifmap;

import dev.baton.core.BatonException;
import dev.baton.core.SessionIdHash;
import dev.baton.ifmap.model.PollResult;
import dev.baton.ifmap.model.ReceivedMetadata;
import dev.baton.ifmap.model.ResultItem;
import dev.baton.ifmap.model.Xml;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll loop: hears through the ownership subscriptions that another gateway claimed one of this gateway's
 * sessions and tells the ownership-lost listeners, whose job is to drop the local copy. It runs on its own thread
 * and never dies of a bad result: a dead poll loop would leave the gateway deaf to lost sessions. When the server
 * is gone or forgot the session it backs off and reconnects. Thread-safe.
 */
final class OwnershipPoller {
    private static final Logger LOG = LoggerFactory.getLogger(OwnershipPoller.class);

    private final FederationConnection connection;
    private final OwnershipSubscriptions ownership;
    private final String gateway;
    private final Duration coalesce;
    private final List<BiConsumer<SessionIdHash, String>> listeners = new CopyOnWriteArrayList<>();
    private final List<java.util.function.Consumer<SessionIdHash>> revokedListeners = new CopyOnWriteArrayList<>();
    private final LongAdder polls = new LongAdder();
    private volatile boolean running = true;
    private Thread poller;

    OwnershipPoller(FederationConnection connection, OwnershipSubscriptions ownership, FederationClientConfig config) {
        this.connection = connection;
        this.ownership = ownership;
        this.gateway = config.gateway();
        this.coalesce = config.pollCoalesce();
    }

    void start() {
        poller = Thread.ofVirtual().name("ifmap-poll-" + gateway).start(this::pollLoop);
    }

    /** Adds a listener told the hash of every owned session another gateway takes, and that gateway's name. */
    void onLost(BiConsumer<SessionIdHash, String> listener) {
        listeners.add(listener);
    }

    /** Adds a listener told the hash of every owned session that was revoked (the mark {@code baton:revoked}). */
    void onRevoked(java.util.function.Consumer<SessionIdHash> listener) {
        revokedListeners.add(listener);
    }

    /** Polls completed since the client started. */
    long polls() {
        return polls.sum();
    }

    /** Stops the loop: from now on a failed poll is the end, not a reason to reconnect. */
    void stop() {
        running = false;
    }

    /** Wakes the loop from a poll or a pause after {@link #stop}. */
    void interrupt() {
        if (poller != null) {
            poller.interrupt();
        }
    }

    private void pollLoop() {
        int failures = 0;
        while (running) {
            String session = connection.sessionId();
            try {
                List<PollResult> results = connection.poll();
                polls.increment();
                results.forEach(this::handle);
                failures = 0;
                if (!results.isEmpty() && coalesce.isPositive()) {
                    Thread.sleep(coalesce); // let the next results gather: one response for many
                }
            } catch (InterruptedException e) {
                if (!running) {
                    return; // closing
                }
            } catch (BatonException e) {
                if (!running) {
                    return;
                }
                LOG.warn("federation poll failed ({}); reconnecting", e.getMessage());
                connection.backOff(++failures);
                connection.reconnect(session);
            } catch (RuntimeException e) {
                LOG.error("federation poll result could not be handled", e);
            }
        }
    }

    private void handle(PollResult r) {
        SessionIdHash hash = OwnershipSubscriptions.sessionOf(r.name());
        if (hash == null) {
            return;
        }
        if (r.error() != null) {
            LOG.warn("ownership subscription of {} ended: {} {}", hash.abbreviated(), r.error(), r.errorText());
            ownership.ended(hash);
            return;
        }
        if (r.kind().equals("deleteResult")) {
            return;
        }
        for (ResultItem item : r.items()) {
            for (ReceivedMetadata m : item.metadata()) {
                String owner = m.attributes().get("gateway");
                // Only a session-owner published by the gateway it names is a loss; anything else is forged.
                if (m.is(Xml.BATON_NS, "session-owner") && !gateway.equals(owner) && m.publisherId().equals(owner)) {
                    lost(hash, owner, generation(m));
                } else if (m.is(Xml.BATON_NS, SessionMapping.REVOKED) && ownership.owns(hash)) {
                    revoked(hash);
                }
            }
        }
    }

    private void lost(SessionIdHash hash, String newOwner, long generation) {
        if (!ownership.lost(hash, generation)) {
            return;
        }
        LOG.info("session {} was taken over by gateway {}", hash.abbreviated(), newOwner);
        for (BiConsumer<SessionIdHash, String> l : listeners) {
            try {
                l.accept(hash, newOwner);
            } catch (RuntimeException e) {
                LOG.error("ownership-lost listener failed for {}", hash.abbreviated(), e);
            }
        }
    }

    private void revoked(SessionIdHash hash) {
        LOG.info("session {} was revoked", hash.abbreviated());
        for (java.util.function.Consumer<SessionIdHash> l : revokedListeners) {
            try {
                l.accept(hash);
            } catch (RuntimeException e) {
                LOG.error("revocation listener failed for {}", hash.abbreviated(), e);
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
}
