package dev.baton.store;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.config.ConfigNode;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of the database cleanup task (S3, S4, S6). Immutable; validated on construction with messages that
 * name the operator's key.
 *
 * <table>
 * <caption>Keys</caption>
 * <tr><th>key</th><th>type, unit</th><th>default</th></tr>
 * <tr><td>{@code store.cleanup.interval-ms}</td><td>long, milliseconds; 0 disables</td><td>86400000 (a day)</td></tr>
 * <tr><td>{@code store.cleanup.batch-size}</td><td>int, sessions per delete statement</td><td>500</td></tr>
 * <tr><td>{@code store.cleanup.timestamp-column}</td><td>{@code expiry_time} or {@code last_activity_time}</td><td>expiry_time</td></tr>
 * <tr><td>{@code store.cleanup.offset-minutes}</td><td>long, minutes</td><td>10</td></tr>
 * <tr><td>{@code store.cleanup.console-node}</td><td>boolean: whether this node runs the task</td><td>false</td></tr>
 * <tr><td>{@code store.cleanup.lease-seconds}</td><td>long, seconds a run holds the lease between batches</td><td>300</td></tr>
 * </table>
 *
 * @param intervalMillis how often a run starts, or 0 to never run on a schedule
 * @param batchSize      how many sessions one delete statement removes; batches repeat until none is left
 * @param column         the timestamp compared with now minus the offset
 * @param offsetMinutes  a session is removed when its column is older than now minus this
 * @param consoleNode    only the console node schedules runs (S4)
 * @param lease          how long the storage lease lasts unless the run renews it (after each batch)
 */
public record CleanupSettings(long intervalMillis, int batchSize, TimestampColumn column, long offsetMinutes,
                              boolean consoleNode, Duration lease) {
    /** Key prefix of every setting. */
    public static final String PREFIX = "store.cleanup.";
    /** The keys {@link #from} reads. */
    public static final Set<String> KEYS = Set.of("interval-ms", "batch-size", "timestamp-column", "offset-minutes",
            "console-node", "lease-seconds");
    /** Defaults: daily, 500 per batch, expiry_time, 10 minutes offset, not the console node, 5-minute lease. */
    public static final CleanupSettings DEFAULTS =
            new CleanupSettings(86_400_000L, 500, TimestampColumn.EXPIRY_TIME, 10, false, Duration.ofMinutes(5));

    /** Validates. */
    public CleanupSettings {
        if (intervalMillis < 0) {
            throw bad("interval-ms", "must be 0 (disabled) or positive, got " + intervalMillis);
        }
        if (batchSize < 1 || batchSize > 100_000) {
            throw bad("batch-size", "must be between 1 and 100000, got " + batchSize);
        }
        Objects.requireNonNull(column, PREFIX + "timestamp-column");
        if (offsetMinutes < 0) {
            throw bad("offset-minutes", "must not be negative, got " + offsetMinutes);
        }
        if (lease == null || lease.toSeconds() < 1) {
            throw bad("lease-seconds", "must be at least 1 second, got " + lease);
        }
    }

    /**
     * Reads the keys above, without their prefix, from {@code node} (a gateway's {@code storage.cleanup});
     * absent keys keep their defaults.
     *
     * @throws BatonException {@link ResultCode#CONFIGURATION} naming the unknown key or the key of a bad value by its path
     */
    public static CleanupSettings from(ConfigNode node) {
        node.allowOnly(KEYS);
        CleanupSettings d = DEFAULTS;
        return node.build(PREFIX, () -> new CleanupSettings(
                node.number("interval-ms", d.intervalMillis, Long.MIN_VALUE, Long.MAX_VALUE),
                node.integer("batch-size", d.batchSize),
                node.value("timestamp-column", TimestampColumn::parse, d.column),
                node.number("offset-minutes", d.offsetMinutes, Long.MIN_VALUE, Long.MAX_VALUE),
                node.bool("console-node", d.consoleNode),
                Duration.ofSeconds(node.number("lease-seconds", d.lease.toSeconds(), Long.MIN_VALUE, Long.MAX_VALUE / 1000))));
    }

    /** Whether runs happen on a schedule on this node. */
    public boolean scheduled() {
        return consoleNode && intervalMillis > 0;
    }

    /** A copy with another batch size. */
    public CleanupSettings withBatchSize(int size) {
        return new CleanupSettings(intervalMillis, size, column, offsetMinutes, consoleNode, lease);
    }

    /** A copy with another column and offset. */
    public CleanupSettings withColumn(TimestampColumn c, long offset) {
        return new CleanupSettings(intervalMillis, batchSize, c, offset, consoleNode, lease);
    }

    /** A copy marked (or not) as the console node, with another interval. */
    public CleanupSettings onConsoleNode(boolean console, long interval) {
        return new CleanupSettings(interval, batchSize, column, offsetMinutes, console, lease);
    }

    private static BatonException bad(String key, String message) {
        return new BatonException(ResultCode.CONFIGURATION, PREFIX + key + " " + message);
    }
}
