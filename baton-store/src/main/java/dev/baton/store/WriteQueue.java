package dev.baton.store;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.SessionIdHash;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The ordered, bounded queues between the memory tier and the external store, and the writer threads that
 * drain them ({@code store.writer-threads} lanes; a session always uses the same lane). Draining many writes
 * into one {@link SessionStore#writeAll} transaction is what makes the write path fast under load (group
 * commit), and several lanes keep several commits in flight while the database flushes its log. While the
 * store is down the same batch is retried until it succeeds, so writes of a session reach the store in the
 * order they were queued and nothing queued is dropped. The last write per
 * session within a batch wins, which is that order's net effect. A batch the store refuses for another reason
 * than an outage (a value too long for its column, say) is retried write by write, and only the refused write
 * is dropped: its caller gets the error, and one bad session cannot hold up every other.
 *
 * <p>{@link #pending} tells a reader that the store is behind for a session (a queued sign-out must not be
 * undone by a cache miss reloading the stale row).
 */
final class WriteQueue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WriteQueue.class);

    /** One queued write; {@code session == null} means delete. */
    static final class Write {
        final SessionIdHash hash;
        final StoredSession session;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile boolean applied;

        Write(SessionIdHash hash, StoredSession session) {
            this.hash = hash;
            this.session = session;
        }
    }

    private final SessionStore store;
    private final TieredStoreSettings settings;
    private final List<LinkedBlockingQueue<Write>> lanes = new ArrayList<>();
    private final Map<SessionIdHash, Write> pending = new ConcurrentHashMap<>();
    private final List<Thread> writers = new ArrayList<>();
    private final Counter applied;
    private final Counter failures;
    private final Counter dropped;
    private final Timer batchTimer;
    private volatile boolean available = true;
    private volatile boolean running = true;

    WriteQueue(SessionStore store, TieredStoreSettings settings, String gateway, MeterRegistry registry) {
        this.store = store;
        this.settings = settings;
        int laneCapacity = Math.max(1, settings.maxQueuedWrites() / settings.writerThreads());
        this.applied = Counter.builder("baton.store.writes").description("writes committed to the store").register(registry);
        this.failures = Counter.builder("baton.store.write.failures").description("failed write attempts").register(registry);
        this.dropped = Counter.builder("baton.store.write.dropped").description("writes the store refused (not outages)").register(registry);
        this.batchTimer = Timer.builder("baton.store.write.batch").description("store commit time per batch").register(registry);
        Gauge.builder("baton.store.write.queue", this, WriteQueue::size).description("writes waiting").register(registry);
        Gauge.builder("baton.store.available", this, q -> q.available ? 1 : 0).description("1 if the store is reachable").register(registry);
        for (int i = 0; i < settings.writerThreads(); i++) {
            LinkedBlockingQueue<Write> lane = new LinkedBlockingQueue<>(laneCapacity);
            lanes.add(lane);
            writers.add(Thread.ofPlatform().daemon().name("baton-store-writer-" + gateway + "-" + i).start(() -> drain(lane)));
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

    /** The newest write for {@code hash} not yet committed, if any. */
    Optional<Write> pending(SessionIdHash hash) {
        return Optional.ofNullable(pending.get(hash));
    }

    boolean available() {
        return available;
    }

    int size() {
        int n = 0;
        for (LinkedBlockingQueue<Write> lane : lanes) {
            n += lane.size();
        }
        return n;
    }

    /** A session always goes to the same lane, which keeps its writes in order. */
    private LinkedBlockingQueue<Write> laneOf(SessionIdHash hash) {
        return lanes.get(Math.floorMod(hash.hashCode(), lanes.size()));
    }

    /** Waits until every write queued so far is committed; returns whether that happened in time. */
    boolean awaitEmpty(Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!pending.isEmpty() || size() > 0) {
            if (System.nanoTime() > end) {
                return false;
            }
            sleep(Duration.ofMillis(5));
        }
        return true;
    }

    private void drain(LinkedBlockingQueue<Write> queue) {
        while (running || !queue.isEmpty()) {
            try {
                Write first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first != null) {
                    List<Write> batch = new ArrayList<>();
                    batch.add(first);
                    queue.drainTo(batch, settings.writeBatchSize() - 1);
                    commit(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void commit(List<Write> batch) throws InterruptedException {
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
        RuntimeException failure;
        while ((failure = tryCommit(stores, deletes)) != null) {
            if (!isUnavailable(failure)) {
                // the store is up but refuses this batch: find the write it refuses instead of blocking everyone
                commitOneByOne(last.values());
                break;
            }
            pause();
        }
        for (Write w : batch) {
            w.applied = true;
            pending.remove(w.hash, w);
            w.done.complete(null); // no effect on a write already failed one by one
        }
    }

    private void commitOneByOne(Iterable<Write> writes) throws InterruptedException {
        for (Write w : writes) {
            RuntimeException failure;
            while ((failure = tryCommit(w.session == null ? List.of() : List.of(w.session),
                    w.session == null ? List.of(w.hash) : List.of())) != null && isUnavailable(failure)) {
                pause();
            }
            if (failure != null) {
                dropped.increment();
                LOG.error("session store refused the write of session {}; dropped: {}", w.hash.abbreviated(), failure.toString());
                w.done.completeExceptionally(failure);
            }
        }
    }

    private void pause() throws InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException();
        }
        sleep(settings.retryBackoff());
    }

    private static boolean isUnavailable(RuntimeException e) {
        return e instanceof BatonException b && b.code() == ResultCode.UNAVAILABLE;
    }

    /** Returns null on success, else the failure. */
    private RuntimeException tryCommit(List<StoredSession> stores, List<SessionIdHash> deletes) {
        try {
            batchTimer.record(() -> store.writeAll(stores, deletes));
            applied.increment(stores.size() + deletes.size());
            if (!available) {
                available = true;
                LOG.warn("session store is available again; {} queued writes left to apply", size());
            }
            return null;
        } catch (RuntimeException e) {
            failures.increment();
            if (!isUnavailable(e)) {
                return e;
            }
            if (available) {
                available = false;
                LOG.error("session store unavailable, serving from memory and queueing writes (bound {}): {}",
                        settings.maxQueuedWrites(), e.toString());
            } else {
                LOG.debug("session store still unavailable ({} queued): {}", size(), e.toString());
            }
            return e;
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops taking writes and waits up to {@code timeout} for the queued ones to commit. */
    void close(Duration timeout) {
        running = false;
        long end = System.nanoTime() + timeout.toNanos();
        for (Thread writer : writers) {
            try {
                writer.join(Math.max(1, (end - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (writer.isAlive()) {
                writer.interrupt();
            }
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
