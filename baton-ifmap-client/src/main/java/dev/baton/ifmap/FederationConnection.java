package dev.baton.ifmap;

import dev.baton.core.BatonException;
import dev.baton.ifmap.client.IfmapClient;
import dev.baton.ifmap.model.IfmapError;
import dev.baton.ifmap.model.IfmapException;
import dev.baton.ifmap.model.PollResult;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IF-MAP session a federation client works in: one {@link IfmapClient}, renewed on a timer and replaced when
 * the server no longer knows it (it restarted, or the session timed out). A new session has no subscriptions, so
 * whoever owns them restores them as part of the reconnect, before any other request can use the new session.
 * Thread-safe.
 */
final class FederationConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FederationConnection.class);

    private final FederationClientConfig config;
    private final IfmapClient client;
    private final ScheduledExecutorService timer;
    private final Object connectLock = new Object();
    /** Re-subscribes on a new session; returns how many subscriptions it restored. */
    private volatile ToIntFunction<IfmapClient> restore = c -> 0;
    private volatile long reconnects;
    /** Whether the last exchange with the server went through (false after one the network failed). */
    private volatile boolean up;

    FederationConnection(FederationClientConfig config) {
        this.config = config;
        this.client = new IfmapClient(config.url(), config.user(), config.password(), config.ssl(),
                config.requestTimeout(), config.pollTimeout());
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("ifmap-renew-" + config.gateway()).factory());
    }

    /**
     * Opens the first session and starts renewing it; on failure releases everything.
     *
     * @param restore run on every later session, under the reconnect lock, to re-subscribe
     */
    void open(ToIntFunction<IfmapClient> restore) {
        this.restore = restore;
        try {
            client.newSession(0);
            up = true;
        } catch (RuntimeException e) {
            timer.shutdownNow();
            client.close();
            throw e;
        }
        long renew = config.renewInterval().toMillis();
        timer.scheduleWithFixedDelay(this::renew, renew, renew, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs {@code call}; if the server no longer knows the session, reconnects and runs it once more. Only then:
     * the server rejected the request unapplied, so a retry cannot apply anything twice.
     */
    <T> T call(Function<IfmapClient, T> call) {
        String session = client.sessionId();
        try {
            return observed(call);
        } catch (IfmapException e) {
            if (e.error() != IfmapError.InvalidSessionID) {
                throw e;
            }
            reconnect(session);
            return observed(call);
        }
    }

    /** Runs {@code call}, noting whether the server was reached: an IF-MAP error is an answer, a network failure is not. */
    private <T> T observed(Function<IfmapClient, T> call) {
        try {
            T answer = call.apply(client);
            up = true;
            return answer;
        } catch (IfmapException e) {
            up = true;
            throw e;
        } catch (BatonException e) {
            up = e.code() != dev.baton.core.ResultCode.UNAVAILABLE;
            throw e;
        }
    }

    /** {@link #call} for a request that answers nothing. */
    void run(Consumer<IfmapClient> request) {
        call(c -> {
            request.accept(c);
            return null;
        });
    }

    /** The current session's id, to name it to {@link #reconnect} should a request in it fail. */
    String sessionId() {
        return client.sessionId();
    }

    /** One poll in the current session, without a retry: the poll loop decides how to go on. */
    List<PollResult> poll() {
        return observed(IfmapClient::poll);
    }

    /**
     * Opens a new session and restores the subscriptions, unless another thread already replaced {@code failed}:
     * a second newSession would end the first.
     */
    void reconnect(String failed) {
        synchronized (connectLock) {
            if (failed != null && !failed.equals(client.sessionId())) {
                return;
            }
            try {
                client.newSession(0);
                up = true;
                reconnects++;
                int restored = restore.applyAsInt(client);
                LOG.info("reconnected to the federation server, {} ownership subscriptions restored", restored);
            } catch (BatonException e) {
                up = false;
                LOG.warn("reconnection to the federation server failed: {}", e.getMessage());
            }
        }
    }

    /** Whether the last exchange with the server went through. */
    boolean up() {
        return up;
    }

    /** How many times a new session replaced a lost one. */
    long reconnects() {
        return reconnects;
    }

    /** Waits before the next attempt after {@code failures} failures in a row: exponential, capped, with jitter. */
    void backOff(int failures) {
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

    /** Stops renewing and ends the session; the client stays open until {@link #close}. */
    void endSession() {
        timer.shutdownNow();
        try {
            client.endSession();
        } catch (RuntimeException e) {
            LOG.debug("endSession failed while closing", e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
