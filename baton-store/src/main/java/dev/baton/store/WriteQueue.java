package dev.baton.store;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.SessionIdHash;
import dev.baton.core.concurrent.GroupCommit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The ordered, bounded queues between the memory tier and the external store.
 *
 * <p>Writes go into one of {@code store.writer-threads} lanes by session hash, so the writes of one session
 * stay in order. Each lane is a {@link GroupCommit} with a single leader: many queued writes become one
 * {@link SessionStore#writeAll} transaction (group commit), and the last write per session in a batch wins,
 * which is that order's net effect. A caller waiting for its own write commits in its own thread when no one else
 * is (leader/follower), so the usual write-through costs no hand-off to another thread; callers that find a
 * commit under way wait for it, as its batch usually carries their writes too. Each lane also has a
 * background thread for writes nobody waits for (activity flushes, writes queued while the store is down).
 *
 * <p>A batch that fails because the store is unreachable is held on its lane and retried by the background
 * thread, first, until it succeeds, so nothing queued is lost or reordered. A batch the store refuses for
 * another reason (a value too long for its column, say) is retried write by write and only the refused write
 * is dropped: its caller gets the error, and one bad session cannot hold up every other.
 *
 * <p>{@link #pending} tells a reader that the store is behind for a session (a queued sign-out must not be
 * undone by a cache miss reloading the stale row).
 */
final class WriteQueue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WriteQueue.class);
    private static final long IDLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    /** One queued write; {@code session == null} means delete. Settled with null, or the store's refusal. */
    static final class Write extends GroupCommit.Entry {
        final SessionIdHash hash;
        final StoredSession session;
        volatile boolean applied;

        Write(SessionIdHash hash, StoredSession session) {
            this.hash = hash;
            this.session = session;
        }
    }

    private final SessionStore store;
    private final TieredStoreSettings settings;
    private final List<Lane> lanes = new ArrayList<>();
    private final Map<SessionIdHash, Write> pending = new ConcurrentHashMap<>();
    private final Counter applied;
    private final Counter failures;
    private final Counter dropped;
    private final Timer batchTimer;
    private volatile boolean available = true;
    private volatile boolean running = true;

    private final String gateway;

    WriteQueue(SessionStore store, TieredStoreSettings settings, String gateway, MeterRegistry registry) {
        this.gateway = gateway;
        this.store = store;
        this.settings = settings;
        this.applied = Counter.builder("baton.store.writes").description("writes committed to the store").register(registry);
        this.failures = Counter.builder("baton.store.write.failures").description("failed write attempts").register(registry);
        this.dropped = Counter.builder("baton.store.write.dropped").description("writes the store refused (not outages)").register(registry);
        this.batchTimer = Timer.builder("baton.store.write.batch").description("store commit time per batch").register(registry);
        Gauge.builder("baton.store.write.queue", this, WriteQueue::size).description("writes waiting").register(registry);
        Gauge.builder("baton.store.available", this, q -> q.available ? 1 : 0).description("1 if the store is reachable").register(registry);
        int capacity = Math.max(1, settings.maxQueuedWrites() / settings.writerThreads());
        for (int i = 0; i < settings.writerThreads(); i++) {
            lanes.add(new Lane(this, capacity, "baton-store-writer-" + gateway + "-" + i));
        }
    }

    /**
     * Queues a store ({@code session != null}) or delete. Call it inside the memory tier's per-session lock so
     * queue order equals the order of changes to that session.
     *
     * @throws BatonException {@link ResultCode#UNAVAILABLE} if the queue is full
     */
    Write enqueue(SessionIdHash hash, StoredSession session) {
        Write w = new Write(hash, session);
        Write previous = pending.put(hash, w);
        if (!running || !laneOf(hash).offer(w)) {
            pending.compute(hash, (k, v) -> v == w ? (previous == null || previous.applied ? null : previous) : v);
            throw new BatonException(ResultCode.UNAVAILABLE, "session store write queue is full ("
                    + settings.maxQueuedWrites() + " writes, store.max-queued-writes); the store has been unavailable too long",
                    hash, null, null);
        }
        return w;
    }

    /**
     * Queues a write nobody will wait for (activity flush, a session that moved away): the lane's background
     * thread commits it, within tens of milliseconds.
     *
     * @throws BatonException {@link ResultCode#UNAVAILABLE} if the queue is full
     */
    Write enqueueInBackground(SessionIdHash hash, StoredSession session) {
        Write w = enqueue(hash, session);
        laneOf(hash).wakeIfIdle();
        return w;
    }

    /**
     * Waits for {@code write} to be committed, committing queued writes in this thread when no one else is.
     *
     * @return whether it was committed within {@code timeout}
     * @throws BatonException if the store refused it (not an outage)
     */
    boolean await(Write write, Duration timeout) {
        if (available) {
            laneOf(write.hash).await(write, timeout.toNanos()); // returns early if the store goes down
        }
        Throwable cause = write.failure();
        if (cause != null) {
            throw new BatonException(ResultCode.INTERNAL, "session write failed: " + cause.getMessage(), cause);
        }
        return write.isDone();
    }

    /** The newest write for {@code hash} not yet committed, if any. */
    Optional<Write> pending(SessionIdHash hash) {
        return Optional.ofNullable(pending.get(hash));
    }

    boolean available() {
        return available;
    }

    int size() {
        int n = 0;
        for (Lane lane : lanes) {
            n += lane.size();
        }
        return n;
    }

    /** A session always goes to the same lane, which keeps its writes in order. */
    private Lane laneOf(SessionIdHash hash) {
        return lanes.get(Math.floorMod(hash.hashCode(), lanes.size()));
    }

    /** Waits until every write queued so far is committed; returns whether that happened in time. */
    boolean awaitEmpty(Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!pending.isEmpty() || size() > 0) {
            if (System.nanoTime() > end) {
                return false;
            }
            LockSupport.parkNanos(IDLE_POLL_NANOS);
        }
        return true;
    }

    boolean running() {
        return running;
    }

    /**
     * Commits {@code batch}; returns the writes left uncommitted because the store is unreachable (empty when
     * all went through or were refused one by one).
     */
    List<Write> commit(List<Write> batch) {
        Map<SessionIdHash, Write> last = new LinkedHashMap<>();
        batch.forEach(w -> last.put(w.hash, w));
        List<StoredSession> stores = new ArrayList<>();
        List<SessionIdHash> deletes = new ArrayList<>();
        last.values().forEach(w -> {
            if (w.session == null) {
                deletes.add(w.hash);
            } else {
                stores.add(w.session);
            }
        });
        RuntimeException failure = tryCommit(stores, deletes);
        if (failure != null && isUnavailable(failure)) {
            return batch;
        }
        if (failure != null) {
            // the store is up but refuses this batch: find the write it refuses instead of blocking everyone
            List<Write> left = commitOneByOne(batch, new ArrayList<>(last.values()));
            if (!left.isEmpty()) {
                return left;
            }
        }
        for (Write w : batch) {
            finish(w);
        }
        return List.of();
    }

    private List<Write> commitOneByOne(List<Write> batch, List<Write> latest) {
        for (int i = 0; i < latest.size(); i++) {
            Write w = latest.get(i);
            RuntimeException failure = tryCommit(w.session == null ? List.of() : List.of(w.session),
                    w.session == null ? List.of(w.hash) : List.of());
            if (failure != null && isUnavailable(failure)) {
                return parkRest(batch, latest.subList(0, i));
            }
            if (failure != null) {
                dropped.increment();
                LOG.error("session store refused the write of session {}; dropped: {}", w.hash.abbreviated(), failure.toString());
                w.fail(failure);
            }
        }
        return List.of();
    }

    /** The writes of {@code batch} not yet settled; those already through are finished. */
    private List<Write> parkRest(List<Write> batch, List<Write> through) {
        List<Write> left = new ArrayList<>(batch);
        left.removeIf(x -> through.stream().anyMatch(done -> done.hash.equals(x.hash)));
        batch.stream().filter(x -> !left.contains(x)).forEach(this::finish);
        return left;
    }

    private void finish(Write w) {
        w.applied = true;
        pending.remove(w.hash, w);
        w.complete(null); // no effect on a write already failed one by one
    }

    private static boolean isUnavailable(RuntimeException e) {
        return e instanceof BatonException b && b.code() == ResultCode.UNAVAILABLE;
    }

    /** Returns null on success, else the failure. */
    private RuntimeException tryCommit(List<StoredSession> stores, List<SessionIdHash> deletes) {
        try {
            batchTimer.record(() -> store.writeAll(stores, deletes, gateway));
            applied.increment(stores.size() + deletes.size());
            if (!available) {
                available = true;
                LOG.warn("session store is available again; {} queued writes left to apply", size());
            }
            return null;
        } catch (RuntimeException e) {
            failures.increment();
            if (isUnavailable(e)) {
                markUnavailable(e);
            }
            return e;
        }
    }

    private void markUnavailable(RuntimeException e) {
        if (available) {
            available = false;
            LOG.error("session store unavailable, serving from memory and queueing writes (bound {}): {}",
                    settings.maxQueuedWrites(), e.toString());
        } else {
            LOG.debug("session store still unavailable ({} queued): {}", size(), e.toString());
        }
    }

    TieredStoreSettings settings() {
        return settings;
    }

    /** Stops taking writes and waits up to {@code timeout} for the queued ones to commit. */
    void close(Duration timeout) {
        running = false;
        long end = System.nanoTime() + timeout.toNanos();
        for (Lane lane : lanes) {
            lane.stop(Math.max(1, (end - System.nanoTime()) / 1_000_000));
        }
        if (!pending.isEmpty()) {
            LOG.error("session store closed with {} sessions' writes not applied: the store stayed unavailable", pending.size());
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
