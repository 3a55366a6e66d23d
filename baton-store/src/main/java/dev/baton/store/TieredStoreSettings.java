package dev.baton.store;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.config.ConfigNode;

import java.time.Duration;
import java.util.Set;

/**
 * Settings of the {@link TieredSessionStore}. Immutable and validated; messages name the operator's key.
 *
 * <table>
 * <caption>Keys</caption>
 * <tr><th>key</th><th>type, unit</th><th>default</th></tr>
 * <tr><td>{@code store.activity-write-interval-ms}</td><td>long, ms: the most {@code last_activity_time} and
 *     {@code expiry_time} in the store may lag behind memory (plus the write queue's delay)</td><td>60000</td></tr>
 * <tr><td>{@code store.max-queued-writes}</td><td>int: writes held while the store is down; beyond it new
 *     sign-ins are refused (split evenly over the writer threads' queues)</td><td>100000</td></tr>
 * <tr><td>{@code store.fail-closed}</td><td>boolean: refuse sign-ins and cache misses while the store is down
 *     instead of serving from memory</td><td>false</td></tr>
 * <tr><td>{@code store.write-timeout-ms}</td><td>long, ms a sign-in waits for its write to commit</td><td>2000</td></tr>
 * <tr><td>{@code store.write-batch-size}</td><td>int: writes committed per transaction at most</td><td>256</td></tr>
 * <tr><td>{@code store.writer-threads}</td><td>int: writer threads (and store connections) committing in
 *     parallel</td><td>4</td></tr>
 * <tr><td>{@code store.retry-backoff-ms}</td><td>long, ms between attempts while the store is down</td><td>500</td></tr>
 * <tr><td>{@code store.preload}</td><td>boolean: load this gateway's unexpired sessions at start instead of on
 *     first use</td><td>false</td></tr>
 * </table>
 *
 * @param activityWriteInterval how often coalesced activity updates are written
 * @param maxQueuedWrites       bound of the write queue
 * @param failClosed            refuse rather than serve from memory while the store is down
 * @param writeTimeout          how long a write-through waits for its commit
 * @param writeBatchSize        how many queued writes one transaction carries at most
 * @param writerThreads         parallel writers
 * @param retryBackoff          pause between attempts while the store is down
 * @param preload               bulk-load on start instead of lazily
 */
public record TieredStoreSettings(Duration activityWriteInterval, int maxQueuedWrites, boolean failClosed,
                                  Duration writeTimeout, int writeBatchSize, int writerThreads, Duration retryBackoff,
                                  boolean preload) {
    /** Key prefix. */
    public static final String PREFIX = "store.";
    /** The keys {@link #from} reads. */
    public static final Set<String> KEYS = Set.of("activity-write-interval-ms", "max-queued-writes", "fail-closed",
            "write-timeout-ms", "write-batch-size", "writer-threads", "retry-backoff-ms", "preload");
    /** The defaults in the table above. */
    public static final TieredStoreSettings DEFAULTS = new TieredStoreSettings(Duration.ofSeconds(60), 100_000, false,
            Duration.ofSeconds(2), 256, 4, Duration.ofMillis(500), false);

    /** Validates. */
    public TieredStoreSettings {
        positive(activityWriteInterval, "activity-write-interval-ms");
        positive(writeTimeout, "write-timeout-ms");
        positive(retryBackoff, "retry-backoff-ms");
        if (maxQueuedWrites < 1) {
            throw bad("max-queued-writes", "must be positive, got " + maxQueuedWrites);
        }
        if (writerThreads < 1 || writerThreads > 64) {
            throw bad("writer-threads", "must be between 1 and 64, got " + writerThreads);
        }
        if (writeBatchSize < 1 || writeBatchSize > 10_000) {
            throw bad("write-batch-size", "must be between 1 and 10000, got " + writeBatchSize);
        }
    }

    /**
     * Reads the keys above, without their prefix, from {@code node} (a gateway's {@code storage.tier});
     * absent keys keep their defaults.
     *
     * @throws BatonException {@link ResultCode#CONFIGURATION} naming the unknown key or the key of a bad value by its path
     */
    public static TieredStoreSettings from(ConfigNode node) {
        node.allowOnly(KEYS);
        TieredStoreSettings d = DEFAULTS;
        return node.build(PREFIX, () -> new TieredStoreSettings(
                node.millis("activity-write-interval-ms", d.activityWriteInterval, Long.MIN_VALUE, Long.MAX_VALUE),
                node.integer("max-queued-writes", d.maxQueuedWrites),
                node.bool("fail-closed", d.failClosed),
                node.millis("write-timeout-ms", d.writeTimeout, Long.MIN_VALUE, Long.MAX_VALUE),
                node.integer("write-batch-size", d.writeBatchSize),
                node.integer("writer-threads", d.writerThreads),
                node.millis("retry-backoff-ms", d.retryBackoff, Long.MIN_VALUE, Long.MAX_VALUE),
                node.bool("preload", d.preload)));
    }

    /** A copy with another activity write interval. */
    public TieredStoreSettings withActivityWriteInterval(Duration d) {
        return new TieredStoreSettings(d, maxQueuedWrites, failClosed, writeTimeout, writeBatchSize, writerThreads, retryBackoff, preload);
    }

    /** A copy with another queue bound. */
    public TieredStoreSettings withMaxQueuedWrites(int n) {
        return new TieredStoreSettings(activityWriteInterval, n, failClosed, writeTimeout, writeBatchSize, writerThreads, retryBackoff, preload);
    }

    /** A copy failing closed (or open). */
    public TieredStoreSettings withFailClosed(boolean closed) {
        return new TieredStoreSettings(activityWriteInterval, maxQueuedWrites, closed, writeTimeout, writeBatchSize, writerThreads, retryBackoff, preload);
    }

    /** A copy with another number of writer threads. */
    public TieredStoreSettings withWriterThreads(int n) {
        return new TieredStoreSettings(activityWriteInterval, maxQueuedWrites, failClosed, writeTimeout, writeBatchSize, n, retryBackoff, preload);
    }

    /** A copy with other write timing. */
    public TieredStoreSettings withTiming(Duration timeout, Duration backoff) {
        return new TieredStoreSettings(activityWriteInterval, maxQueuedWrites, failClosed, timeout, writeBatchSize, writerThreads, backoff, preload);
    }

    private static void positive(Duration d, String key) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw bad(key, "must be positive, got " + d);
        }
    }

    private static BatonException bad(String key, String message) {
        return new BatonException(ResultCode.CONFIGURATION, PREFIX + key + " " + message);
    }
}
