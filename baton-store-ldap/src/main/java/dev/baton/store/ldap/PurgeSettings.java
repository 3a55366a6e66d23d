package dev.baton.store.ldap;

import dev.baton.core.Durations;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.config.ConfigNode;
import dev.baton.store.TimestampColumn;

import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Settings of the directory purge task (S5). Immutable; validated when built; each error names its key.
 *
 * <table>
 *   <caption>Configuration keys ({@link #from}); a gateway's {@code storage.purge}</caption>
 *   <tr><th>key</th><th>type</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>name</td><td>text</td><td>directory-purge</td><td>the task; nodes with the same name share one job</td></tr>
 *   <tr><td>enabled</td><td>true/false</td><td>true</td><td>false: this node neither purges nor stands by</td></tr>
 *   <tr><td>expirationOffset</td><td>duration ("10 m", "3 w")</td><td>10 m</td><td>removes sessions whose column is before now minus this</td></tr>
 *   <tr><td>pollingInterval</td><td>duration</td><td>1 m</td><td>time between passes, and between heartbeats</td></tr>
 *   <tr><td>maxUpdatesPerSecond</td><td>deletes per second</td><td>100</td><td>total over all delete threads; 0 = unlimited</td></tr>
 *   <tr><td>priorityIndex</td><td>0 or more</td><td>1</td><td>lowest live index purges; the others stand by</td></tr>
 *   <tr><td>deleteThreads</td><td>1 to 64</td><td>1</td><td>concurrent delete operations</td></tr>
 *   <tr><td>column</td><td>expiry_time / last_activity_time</td><td>expiry_time</td><td>the timestamp compared</td></tr>
 *   <tr><td>batchSize</td><td>entries</td><td>500</td><td>entries found per search</td></tr>
 *   <tr><td>livenessIntervals</td><td>polling intervals</td><td>3</td><td>a peer is live while its heartbeat is younger than this many intervals</td></tr>
 *   <tr><td>nodeName</td><td>text</td><td>the gateway name</td><td>this node in the heartbeat entries; unique per task</td></tr>
 *   <tr><td>heartbeatBaseDn</td><td>DN</td><td>ou=purge-nodes,&lt;baseDn&gt;</td><td>where heartbeat entries live</td></tr>
 * </table>
 */
public record PurgeSettings(String name, boolean enabled, Duration expirationOffset, Duration pollingInterval,
                            int maxUpdatesPerSecond, int priorityIndex, int deleteThreads, TimestampColumn column,
                            int batchSize, int livenessIntervals, String nodeName, String heartbeatBaseDn) {

    /** Prefix of the keys as validation messages of settings made in code name them. */
    public static final String PREFIX = "store.ldap.purge.";
    /** The keys {@link #from} reads. */
    public static final Set<String> KEYS = Set.of("name", "enabled", "expirationOffset", "pollingInterval",
            "maxUpdatesPerSecond", "priorityIndex", "deleteThreads", "column", "batchSize", "livenessIntervals", "nodeName",
            "heartbeatBaseDn");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    /** Validates. {@code heartbeatBaseDn} may be {@code null}: the task then uses {@code ou=purge-nodes} under the store's base. */
    public PurgeSettings {
        requireName("name", name);
        requireName("nodeName", nodeName);
        requirePositive("expirationOffset", expirationOffset, true);
        requirePositive("pollingInterval", pollingInterval, false);
        requireRange("maxUpdatesPerSecond", maxUpdatesPerSecond, 0, 1_000_000);
        requireRange("priorityIndex", priorityIndex, 0, Integer.MAX_VALUE);
        requireRange("deleteThreads", deleteThreads, 1, 64);
        if (column == null) {
            throw config("column", "must be expiry_time or last_activity_time");
        }
        requireRange("batchSize", batchSize, 1, 100_000);
        requireRange("livenessIntervals", livenessIntervals, 2, 1000);
    }

    /** The defaults, for node {@code nodeName}. */
    public static PurgeSettings defaults(String nodeName) {
        return new PurgeSettings("directory-purge", true, Duration.ofMinutes(10), Duration.ofMinutes(1), 100, 1, 1,
                TimestampColumn.EXPIRY_TIME, 500, 3, nodeName, null);
    }

    /**
     * Reads the keys above from {@code node} (a gateway's {@code storage.purge}); absent keys take their
     * defaults. A bad value or an unknown key fails naming the key by its path in the document.
     *
     * @param nodeName this node's name unless {@code nodeName} is given (a gateway passes its own name)
     */
    public static PurgeSettings from(ConfigNode node, String nodeName) {
        node.allowOnly(KEYS);
        PurgeSettings d = defaults(nodeName);
        return node.build(PREFIX, () -> new PurgeSettings(
                node.optionalText("name").orElse(d.name),
                node.bool("enabled", d.enabled),
                duration(node, "expirationOffset", d.expirationOffset),
                duration(node, "pollingInterval", d.pollingInterval),
                node.integer("maxUpdatesPerSecond", d.maxUpdatesPerSecond),
                node.integer("priorityIndex", d.priorityIndex),
                node.integer("deleteThreads", d.deleteThreads),
                node.value("column", TimestampColumn::parse, d.column),
                node.integer("batchSize", d.batchSize),
                node.integer("livenessIntervals", d.livenessIntervals),
                node.optionalText("nodeName").orElse(d.nodeName),
                node.optionalText("heartbeatBaseDn").orElse(null)));
    }

    /** How old a heartbeat may be for its node to count as live. */
    public Duration livenessWindow() {
        return pollingInterval.multipliedBy(livenessIntervals);
    }

    /** The same settings for another node and priority (tests, benchmarks, and several tasks in one process). */
    public PurgeSettings forNode(String node, int priority) {
        return new PurgeSettings(name, enabled, expirationOffset, pollingInterval, maxUpdatesPerSecond, priority,
                deleteThreads, column, batchSize, livenessIntervals, node, heartbeatBaseDn);
    }

    /** One line for the log, durations in their operator form. */
    @Override
    public String toString() {
        return "PurgeSettings[name=" + name + ", enabled=" + enabled + ", expirationOffset="
                + Durations.format(expirationOffset) + ", pollingInterval=" + Durations.format(pollingInterval)
                + ", maxUpdatesPerSecond=" + maxUpdatesPerSecond + ", priorityIndex=" + priorityIndex
                + ", deleteThreads=" + deleteThreads + ", column=" + column.column() + ", batchSize=" + batchSize
                + ", livenessIntervals=" + livenessIntervals + ", nodeName=" + nodeName
                + ", heartbeatBaseDn=" + heartbeatBaseDn + "]";
    }

    private static Duration duration(ConfigNode node, String key, Duration fallback) {
        return node.optionalText(key).map(v -> Durations.parse(PREFIX + key, v)).orElse(fallback);
    }

    private static void requireName(String key, String v) {
        if (v == null || !NAME.matcher(v).matches()) {
            throw config(key, "must be 1 to 64 letters, digits or . _ @ -, got '" + v + "'");
        }
    }

    private static void requirePositive(String key, Duration d, boolean zeroAllowed) {
        if (d == null || d.isNegative() || (!zeroAllowed && d.isZero())) {
            throw config(key, "must be " + (zeroAllowed ? "zero or more" : "positive") + ", got " + d);
        }
    }

    private static void requireRange(String key, int v, int min, int max) {
        if (v < min || v > max) {
            throw config(key, "must be " + min + " to " + max + ", got " + v);
        }
    }

    private static BatonException config(String key, String problem) {
        return new BatonException(ResultCode.CONFIGURATION, PREFIX + key + " " + problem);
    }
}
