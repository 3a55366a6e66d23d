package dev.baton.store.jdbc;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to reach the SQL session store. Immutable and validated; messages name the operator's key.
 *
 * <table>
 * <caption>Keys</caption>
 * <tr><th>key</th><th>meaning</th><th>default</th></tr>
 * <tr><td>{@code store.jdbc.url}</td><td>JDBC URL: {@code jdbc:h2:file:...}, {@code jdbc:postgresql://...} or
 *     {@code jdbc:mariadb://...}</td><td>{@code jdbc:h2:file:./data/baton-sessions}</td></tr>
 * <tr><td>{@code store.jdbc.user}</td><td>database user</td><td>{@code sa} for H2, else empty</td></tr>
 * <tr><td>{@code store.jdbc.password}</td><td>database password (masked in logs)</td><td>empty</td></tr>
 * <tr><td>{@code store.jdbc.table-prefix}</td><td>prefix of every table, {@code [a-z][a-z0-9_]*}, at most 30
 *     characters; lets several deployments or test runs share one database</td><td>{@code baton_}</td></tr>
 * <tr><td>{@code store.jdbc.pool-size}</td><td>maximum connections</td><td>10</td></tr>
 * <tr><td>{@code store.jdbc.connection-timeout-ms}</td><td>how long to wait for a connection before the store
 *     counts as unavailable (ms, at least 250)</td><td>2000</td></tr>
 * <tr><td>{@code store.jdbc.startup-timeout-ms}</td><td>how long opening the store waits for the database to open and
 *     its schema to be brought up to date (ms; never less than the connection timeout)</td><td>60000</td></tr>
 * <tr><td>{@code store.encryption.key}</td><td>base64 AES key (16/24/32 bytes) sealing session attributes at
 *     rest; empty: attributes stored in clear</td><td>empty</td></tr>
 * </table>
 *
 * @param url               JDBC URL
 * @param user              user, may be empty
 * @param password          password, may be empty
 * @param tablePrefix       table prefix
 * @param poolSize          maximum pool size
 * @param connectionTimeout connection wait
 * @param encryptionKey     base64 key, or empty for none
 * @param startupTimeout    how long {@link JdbcSessionStore#open} waits for the database and its schema
 */
public record JdbcStoreConfig(String url, String user, String password, String tablePrefix, int poolSize,
                              Duration connectionTimeout, String encryptionKey, Duration startupTimeout) {
    /** How long opening the store waits unless told otherwise: a starting database is not a database that is down. */
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);
    /** Default URL: an embedded, file-backed H2 database in the working directory. */
    public static final String DEFAULT_URL = "jdbc:h2:file:./data/baton-sessions";
    private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,29}");

    /** Validates. */
    public JdbcStoreConfig {
        if (url == null || !url.startsWith("jdbc:")) {
            throw new BatonException(ResultCode.CONFIGURATION, "store.jdbc.url must be a JDBC URL, got '" + url + "'");
        }
        Dialect.of(url);
        user = Objects.requireNonNullElse(user, "");
        password = Objects.requireNonNullElse(password, "");
        if (tablePrefix == null || !PREFIX.matcher(tablePrefix).matches()) {
            throw new BatonException(ResultCode.CONFIGURATION,
                    "store.jdbc.table-prefix must match [a-z][a-z0-9_]* (at most 30 characters), got '" + tablePrefix + "'");
        }
        if (poolSize < 1 || poolSize > 1000) {
            throw new BatonException(ResultCode.CONFIGURATION, "store.jdbc.pool-size must be 1 to 1000, got " + poolSize);
        }
        if (connectionTimeout == null || connectionTimeout.toMillis() < 250) {
            throw new BatonException(ResultCode.CONFIGURATION,
                    "store.jdbc.connection-timeout-ms must be at least 250, got " + connectionTimeout);
        }
        encryptionKey = Objects.requireNonNullElse(encryptionKey, "").strip();
        startupTimeout = Objects.requireNonNullElse(startupTimeout, DEFAULT_STARTUP_TIMEOUT);
        startupTimeout = startupTimeout.compareTo(connectionTimeout) < 0 ? connectionTimeout : startupTimeout;
    }

    /** A configuration that waits {@link #DEFAULT_STARTUP_TIMEOUT} at start. */
    public JdbcStoreConfig(String url, String user, String password, String tablePrefix, int poolSize,
                           Duration connectionTimeout, String encryptionKey) {
        this(url, user, password, tablePrefix, poolSize, connectionTimeout, encryptionKey, DEFAULT_STARTUP_TIMEOUT);
    }

    /** A configuration for {@code url} with every other setting at its default. */
    public static JdbcStoreConfig of(String url, String user, String password) {
        return new JdbcStoreConfig(url, user, password, "baton_", 10, Duration.ofSeconds(2), "");
    }

    /** Reads the keys above; absent keys keep their defaults. */
    public static JdbcStoreConfig from(Map<String, String> p) {
        String url = p.getOrDefault("store.jdbc.url", DEFAULT_URL).strip();
        return new JdbcStoreConfig(url, p.getOrDefault("store.jdbc.user", url.startsWith("jdbc:h2:") ? "sa" : ""),
                p.get("store.jdbc.password"), p.getOrDefault("store.jdbc.table-prefix", "baton_").strip(),
                (int) number(p, "store.jdbc.pool-size", 10),
                Duration.ofMillis(number(p, "store.jdbc.connection-timeout-ms", 2000)), p.get("store.encryption.key"),
                Duration.ofMillis(number(p, "store.jdbc.startup-timeout-ms", DEFAULT_STARTUP_TIMEOUT.toMillis())));
    }

    /** A copy with another table prefix. */
    public JdbcStoreConfig withTablePrefix(String prefix) {
        return new JdbcStoreConfig(url, user, password, prefix, poolSize, connectionTimeout, encryptionKey, startupTimeout);
    }

    /** A copy with an encryption key (base64). */
    public JdbcStoreConfig withEncryptionKey(String key) {
        return new JdbcStoreConfig(url, user, password, tablePrefix, poolSize, connectionTimeout, key, startupTimeout);
    }

    /** A copy with another pool size. */
    public JdbcStoreConfig withPoolSize(int size) {
        return new JdbcStoreConfig(url, user, password, tablePrefix, size, connectionTimeout, encryptionKey, startupTimeout);
    }

    /** A copy that waits up to {@code timeout} at start ({@code store.jdbc.startup-timeout-ms}). */
    public JdbcStoreConfig withStartupTimeout(Duration timeout) {
        return new JdbcStoreConfig(url, user, password, tablePrefix, poolSize, connectionTimeout, encryptionKey, timeout);
    }

    /** The dialect the URL names. */
    public Dialect dialect() {
        return Dialect.of(url);
    }

    private static long number(Map<String, String> p, String key, long fallback) {
        String v = p.get(key);
        try {
            return v == null ? fallback : Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new BatonException(ResultCode.CONFIGURATION, key + " must be a whole number, got '" + v + "'");
        }
    }

    /** Secrets masked, for the log. */
    @Override
    public String toString() {
        return "JdbcStoreConfig[url=" + url.replaceAll("(?i)(password=)[^&;]*", "$1****") + ", user=" + user
                + ", password=" + (password.isEmpty() ? "" : "****") + ", table-prefix=" + tablePrefix
                + ", pool-size=" + poolSize + ", connection-timeout-ms=" + connectionTimeout.toMillis()
                + ", startup-timeout-ms=" + startupTimeout.toMillis()
                + ", encryption=" + (encryptionKey.isEmpty() ? "off" : "AES-GCM") + "]";
    }
}
