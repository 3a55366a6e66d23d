package dev.baton.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.SessionIdHash;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The sessions of one gateway: memory is the working set, the external {@link SessionStore} the authority.
 *
 * <p><b>Memory.</b> Every live session of the gateway is held in a Caffeine cache without a size bound whose
 * per-entry expiry is the session's own deadline ({@link StoredSession#expiryTime()}), measured by a
 * {@link Ticker} read from the injected {@link InstantSource}, so tests move time by hand. Reads of cached
 * sessions never touch the store.
 *
 * <p><b>Writes.</b> Sign-in, role change, migration in ({@link #put}), sign-out and migration out
 * ({@link #remove}) write through: the change is queued in order and the caller waits (up to
 * {@code store.write-timeout-ms}) for the commit. Activity ({@link #touch}) changes memory only and marks the
 * session dirty; {@link #flushActivity()}, run every {@code store.activity-write-interval-ms}, writes each
 * dirty session once. So {@code last_activity_time} and {@code expiry_time} in the store are at most that
 * interval (plus the queue's delay) behind; keep it well below the cleanup offset.
 *
 * <p><b>Store down.</b> Writes stay queued (bounded by {@code store.max-queued-writes}) and are retried in
 * order until the store returns; callers are answered from memory at once, or refused with
 * {@link ResultCode#UNAVAILABLE} if {@code store.fail-closed} is set. A write acknowledged (queued) is
 * applied once the store returns, unless the process itself ends first. Gauges {@code baton.store.available}
 * and {@code baton.store.write.queue} and the log show the state.
 *
 * <p><b>Restart.</b> Sessions are loaded lazily: a cache miss reads the store and resumes the session if this
 * gateway owns it and it has not expired. Lazy, because a restarted gateway serves at once, and sessions
 * whose agents never come back cost no memory; {@code store.preload} bulk-loads instead ({@link #preload}).
 *
 * <p>Thread-safe: changes to one session are serialized by the cache's per-key lock, which also fixes their
 * order in the write queue.
 */
public final class TieredSessionStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TieredSessionStore.class);
    private static final int PRELOAD_LIMIT = 1_000_000;

    private final SessionStore store;
    private final TieredStoreSettings settings;
    private final String gateway;
    private final InstantSource clock;
    private final Cache<SessionIdHash, StoredSession> memory;
    private final ConcurrentMap<SessionIdHash, StoredSession> dirty = new ConcurrentHashMap<>();
    private final WriteQueue writes;
    private final Counter touches;
    private final Counter activityWrites;
    private final Counter storeReads;
    private volatile ScheduledFuture<?> flusher;

    /**
     * @param gateway the name of this gateway, the owner of its sessions in the store
     */
    public TieredSessionStore(SessionStore store, TieredStoreSettings settings, String gateway, InstantSource clock,
                              MeterRegistry registry) {
        this(store, settings, gateway, clock, registry, expired -> { });
    }

    /**
     * @param gateway   the name of this gateway, the owner of its sessions in the store
     * @param onExpired told of each session that reached its deadline in memory (on the thread that noticed;
     *                  {@link #evictExpired()} makes sure it is noticed), so the gateway can withdraw it elsewhere
     */
    public TieredSessionStore(SessionStore store, TieredStoreSettings settings, String gateway, InstantSource clock,
                              MeterRegistry registry, java.util.function.Consumer<StoredSession> onExpired) {
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.clock = Objects.requireNonNull(clock, "clock");
        java.util.Objects.requireNonNull(onExpired, "onExpired");
        this.memory = Caffeine.newBuilder().ticker(ticker(clock)).expireAfter(new DeadlineExpiry())
                .<SessionIdHash, StoredSession>removalListener((hash, session, cause) -> {
                    if (cause == com.github.benmanes.caffeine.cache.RemovalCause.EXPIRED && session != null) {
                        try {
                            onExpired.accept(session);
                        } catch (RuntimeException e) {
                            LOG.warn("expiry listener failed for session {}", hash == null ? "?" : hash.abbreviated(), e);
                        }
                    }
                })
                .executor(Runnable::run).build();
        this.writes = new WriteQueue(store, settings, gateway, registry);
        this.touches = Counter.builder("baton.store.touches").description("activity updates in memory").register(registry);
        this.activityWrites = Counter.builder("baton.store.activity.writes").description("coalesced activity writes").register(registry);
        this.storeReads = Counter.builder("baton.store.reads").description("cache misses read from the store").register(registry);
        Gauge.builder("baton.store.sessions.memory", memory, Cache::estimatedSize).register(registry);
        LOG.info("session store for gateway {}: memory in front of {}, {}", gateway, store.getClass().getSimpleName(), settings);
    }

    /** The Caffeine ticker: nanoseconds since the epoch as the injected source tells them. */
    static Ticker ticker(InstantSource clock) {
        return () -> {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
    }

    /** The session with that hash if it is held in memory; never reads the store. */
    public Optional<StoredSession> held(SessionIdHash hash) {
        return Optional.ofNullable(memory.getIfPresent(hash));
    }

    /**
     * The live session with that hash, from memory or else from the store (restart, lazy load). A session in
     * the store is resumed only if this gateway owns it and its expiry is still ahead.
     *
     * @throws BatonException {@link ResultCode#UNAVAILABLE} on a cache miss while the store is unreachable
     */
    public Optional<StoredSession> get(SessionIdHash hash) {
        StoredSession cached = memory.getIfPresent(hash);
        if (cached != null) {
            return Optional.of(cached);
        }
        if (writes.pending(hash).isPresent()) {
            return Optional.empty(); // the store is behind: the session was removed or has expired since
        }
        if (!writes.available() && settings.failClosed()) {
            throw unavailable("session look-up refused", hash);
        }
        storeReads.increment();
        Optional<StoredSession> loaded = store.load(hash)
                .filter(s -> s.session().owner().equals(gateway) && s.expiryTime().isAfter(clock.instant()));
        loaded.ifPresent(s -> memory.asMap().putIfAbsent(hash, s));
        return loaded;
    }

    /**
     * Holds {@code session} in memory and writes it through: sign-in, role change, migration in. Waits for the
     * commit while the store is up; answers at once from memory while it is down (unless failing closed).
     *
     * @throws BatonException {@link ResultCode#UNAVAILABLE} if failing closed and the store is down, or if the
     *                        write queue is full
     */
    public void put(StoredSession session) {
        SessionIdHash hash = session.session().hash();
        if (!writes.available() && settings.failClosed()) {
            throw unavailable("sign-in refused", hash);
        }
        WriteQueue.Write[] write = new WriteQueue.Write[1];
        memory.asMap().compute(hash, (k, old) -> {
            dirty.remove(k);
            write[0] = writes.enqueue(k, session);
            return session;
        });
        if (!awaitCommit(write[0]) && settings.failClosed()) {
            remove(hash);
            throw unavailable("sign-in refused", hash);
        }
    }

    /**
     * Records activity: replaces the session in memory (with its new deadline) and leaves the store write to
     * the next {@link #flushActivity()}. Touching a session many times between flushes writes it once.
     *
     * @return whether the session was held here (a session that expired or left is not brought back)
     */
    public boolean touch(StoredSession session) {
        touches.increment();
        return memory.asMap().computeIfPresent(session.session().hash(), (k, old) -> {
            dirty.put(k, session);
            return session;
        }) != null;
    }

    /** Drops the session from memory and deletes it from the store: sign-out, migration out. */
    public void remove(SessionIdHash hash) {
        WriteQueue.Write[] write = new WriteQueue.Write[1];
        memory.asMap().compute(hash, (k, old) -> {
            dirty.remove(k);
            write[0] = writes.enqueue(k, null);
            return null;
        });
        awaitCommit(write[0]);
    }

    /**
     * Drops the session from memory at once and queues its deletion from the store without waiting for the
     * commit: for a session whose authority moved elsewhere (another gateway took it over), where the caller
     * must not be held up by the store and a copy that outlives a crash here is recognised as stale by the
     * authority. Reads nothing from the store.
     *
     * @return the session as it was held in memory, if it was
     */
    public Optional<StoredSession> removeInBackground(SessionIdHash hash) {
        return removeInBackgroundUnless(hash, () -> false);
    }

    /**
     * {@link #removeInBackground} unless {@code keep} says otherwise when asked, atomically with every other
     * change of this session here: a {@link #put} either happens before the question (and {@code keep} sees
     * what made it) or after the removal. For a late notice that the session left, which must not drop the
     * copy of a session that has come back since.
     *
     * @return the session as it was held in memory, if it was removed
     */
    public Optional<StoredSession> removeInBackgroundUnless(SessionIdHash hash, java.util.function.BooleanSupplier keep) {
        StoredSession[] held = new StoredSession[1];
        memory.asMap().compute(hash, (k, old) -> {
            if (keep.getAsBoolean()) {
                return old;
            }
            held[0] = old;
            dirty.remove(k);
            writes.enqueueInBackground(k, null);
            return null;
        });
        return Optional.ofNullable(held[0]);
    }

    /** Queues one write per session touched since the last flush. Scheduled by {@link #start}. */
    public void flushActivity() {
        for (SessionIdHash hash : dirty.keySet()) {
            try {
                memory.asMap().computeIfPresent(hash, (k, current) -> {
                    if (dirty.remove(k) != null) {
                        writes.enqueueInBackground(k, current);
                        activityWrites.increment();
                    }
                    return current;
                });
            } catch (BatonException e) {
                LOG.warn("activity of session {} not written yet: {}", hash.abbreviated(), e.getMessage());
            }
            if (memory.getIfPresent(hash) == null) {
                dirty.remove(hash); // expired in memory: nothing left to write
            }
        }
    }

    /**
     * Bulk-loads this gateway's unexpired sessions from the store into memory (for {@code store.preload}).
     *
     * @return how many were loaded
     */
    public int preload() {
        var sessions = store.loadOwnedBy(gateway, clock.instant(), PRELOAD_LIMIT);
        sessions.forEach(s -> memory.asMap().putIfAbsent(s.session().hash(), s));
        LOG.info("preloaded {} sessions of gateway {} from the store", sessions.size(), gateway);
        return sessions.size();
    }

    /** Schedules activity flushes on {@code scheduler}, and preloads first if {@code store.preload} is set. */
    public void start(ScheduledExecutorService scheduler) {
        if (settings.preload()) {
            preload();
        }
        long every = settings.activityWriteInterval().toMillis();
        flusher = scheduler.scheduleWithFixedDelay(this::flushGuarded, every, every, TimeUnit.MILLISECONDS);
    }

    /** Evicts sessions past their deadline now, telling the expiry listener; also run with every flush. */
    public void evictExpired() {
        memory.cleanUp();
    }

    private void flushGuarded() {
        try {
            evictExpired();
            flushActivity();
        } catch (Throwable t) { // a scheduled task that throws is never run again
            LOG.error("activity flush failed; the next one is still scheduled", t);
        }
    }

    /** Whether the last write attempt reached the store. */
    public boolean storeAvailable() {
        return writes.available();
    }

    /** Writes queued and not yet committed. */
    public int queuedWrites() {
        return writes.size();
    }

    /** Sessions held in memory (estimate; expired entries may linger until the next access). */
    public long sessionsInMemory() {
        return memory.estimatedSize();
    }

    /** Waits until every queued write is committed; returns whether that happened within {@code timeout}. */
    public boolean awaitWritten(java.time.Duration timeout) {
        return writes.awaitEmpty(timeout);
    }

    /** Writes pending activity, waits up to 10 seconds for the queue to drain, and stops the writer. */
    @Override
    public void close() {
        ScheduledFuture<?> f = flusher;
        if (f != null) {
            f.cancel(false);
        }
        flushActivity();
        writes.close();
    }

    private boolean awaitCommit(WriteQueue.Write write) {
        return writes.available() && writes.await(write, settings.writeTimeout());
    }

    private BatonException unavailable(String what, SessionIdHash hash) {
        return new BatonException(ResultCode.UNAVAILABLE,
                what + ": the session store is unavailable and store.fail-closed is set", hash, gateway, null);
    }

    /** Each entry lives until its session's own deadline. */
    private static final class DeadlineExpiry implements Expiry<SessionIdHash, StoredSession> {
        @Override
        public long expireAfterCreate(SessionIdHash key, StoredSession value, long currentTime) {
            Instant e = value.expiryTime();
            long deadline;
            try {
                deadline = Math.addExact(Math.multiplyExact(e.getEpochSecond(), 1_000_000_000L), e.getNano());
            } catch (ArithmeticException overflow) {
                deadline = Long.MAX_VALUE;
            }
            return Math.max(0, deadline - currentTime);
        }

        @Override
        public long expireAfterUpdate(SessionIdHash key, StoredSession value, long currentTime, long currentDuration) {
            return expireAfterCreate(key, value, currentTime);
        }

        @Override
        public long expireAfterRead(SessionIdHash key, StoredSession value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
