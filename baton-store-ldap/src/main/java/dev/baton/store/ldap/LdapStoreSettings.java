package dev.baton.store.ldap;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.config.ConfigNode;
import dev.baton.store.AttributeCipher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * How {@link LdapSessionStore} reaches its directory. Immutable; validated when built.
 *
 * <table>
 *   <caption>Configuration keys ({@link #from})</caption>
 *   <tr><th>key</th><th>type</th><th>default</th></tr>
 *   <tr><td>{@code store.ldap.servers}</td><td>comma-separated {@code host:port}, {@code ldap://host[:port]} or
 *       {@code ldaps://host[:port]} (all with the same scheme), tried in order (failover)</td><td>required</td></tr>
 *   <tr><td>{@code store.ldap.tls}</td><td>{@code ldaps}, {@code starttls} or {@code none} ({@link LdapTls})</td>
 *       <td>{@code ldaps} for {@code ldaps://} servers, else {@code starttls}</td></tr>
 *   <tr><td>{@code store.ldap.truststore}</td><td>PKCS#12 file of the certificates trusted for the directory</td>
 *       <td>the JVM's default trust store</td></tr>
 *   <tr><td>{@code store.ldap.truststorePassword}</td><td>its password</td><td>none</td></tr>
 *   <tr><td>{@code store.ldap.allowInsecurePlain}</td><td>{@code true}: allow {@code tls: none} to hosts that are
 *       not loopback</td><td>false</td></tr>
 *   <tr><td>{@code store.ldap.bindDn}</td><td>DN</td><td>required</td></tr>
 *   <tr><td>{@code store.ldap.password}</td><td>text</td><td>required</td></tr>
 *   <tr><td>{@code store.ldap.baseDn}</td><td>DN under which session entries live</td><td>required</td></tr>
 *   <tr><td>{@code store.ldap.poolSize}</td><td>connections</td><td>10</td></tr>
 *   <tr><td>{@code store.ldap.connectTimeout}</td><td>milliseconds</td><td>5000</td></tr>
 *   <tr><td>{@code store.ldap.responseTimeout}</td><td>milliseconds</td><td>10000</td></tr>
 *   <tr><td>{@code store.encryption.key}</td><td>base64 AES key (16, 24 or 32 bytes) sealing session attributes
 *       at rest, the same key and format as the SQL stores ({@link AttributeCipher})</td><td>none: in clear</td></tr>
 * </table>
 * Other keys are refused, so a misspelt security setting cannot pass unnoticed. The encryption key is
 * given to {@link #from} apart: a gateway reads it from {@code storage.encryption.key}, shared by every store.
 *
 * @param servers         directory servers in failover order; the first reachable one is used
 * @param bindDn          the DN to bind as (needs add, modify, delete and search under {@code baseDn})
 * @param password        its password
 * @param baseDn          the entry under which sessions are stored (created as an organizationalUnit if absent)
 * @param poolSize        maximum pooled connections, at least 1
 * @param connectTimeout  time to establish a connection
 * @param responseTimeout time to wait for any one operation
 * @param tls             how connections are protected
 * @param encryptionKey   base64 AES key sealing session attributes, or empty for none
 */
public record LdapStoreSettings(List<Server> servers, String bindDn, String password, String baseDn,
                                int poolSize, Duration connectTimeout, Duration responseTimeout, LdapTls tls,
                                String encryptionKey) {

    /** Prefix of the {@code store.ldap.*} keys, as validation messages of settings made in code name them. */
    public static final String PREFIX = "store.ldap.";
    /** The keys {@link #from} reads. */
    public static final Set<String> KEYS = Set.of("servers", "bindDn", "password", "baseDn", "poolSize",
            "connectTimeout", "responseTimeout", "tls", "truststore", "truststorePassword", "allowInsecurePlain");

    /**
     * One directory server.
     *
     * @param host host name or address
     * @param port TCP port, 1 to 65535
     */
    public record Server(String host, int port) {
        /** Validates. */
        public Server {
            if (host == null || host.isBlank()) {
                throw config("servers", "host must not be blank");
            }
            if (port < 1 || port > 65535) {
                throw config("servers", "port must be 1 to 65535, got " + port);
            }
        }

        /** Parses {@code host:port}. */
        public static Server parse(String text) {
            String t = text.strip();
            int colon = t.lastIndexOf(':');
            if (colon <= 0 || colon == t.length() - 1) {
                throw config("servers", "expected host:port, got '" + text + "'");
            }
            return new Server(t.substring(0, colon), parseInt("servers", t.substring(colon + 1)));
        }

        /** Parses the part of an LDAP URL after the scheme: {@code host[:port][/]}; without a port, {@code defaultPort}. */
        static Server parseUrl(String rest, int defaultPort) {
            String t = rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest;
            if (t.contains("/") || t.contains("?")) {
                throw config("servers", "expected ldap[s]://host[:port], got a URL with a path or query: '" + rest + "'");
            }
            int colon = t.lastIndexOf(':');
            return colon < 0 || t.endsWith("]") ? new Server(t, defaultPort) : parse(t);
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /** Validates. */
    public LdapStoreSettings {
        servers = List.copyOf(Objects.requireNonNull(servers, "servers"));
        if (servers.isEmpty()) {
            throw config("servers", "at least one host:port is required");
        }
        requireText("bindDn", bindDn);
        Objects.requireNonNull(password, PREFIX + "password");
        requireText("baseDn", baseDn);
        if (poolSize < 1) {
            throw config("poolSize", "must be at least 1, got " + poolSize);
        }
        requirePositive("connectTimeout", connectTimeout);
        requirePositive("responseTimeout", responseTimeout);
        Objects.requireNonNull(tls, PREFIX + "tls");
        tls.checkPlainAllowed(servers);
        encryptionKey = Objects.requireNonNullElse(encryptionKey, "").strip();
        if (!encryptionKey.isEmpty()) {
            AttributeCipher.fromBase64Key(encryptionKey); // fails naming store.encryption.key if malformed
        }
    }

    /**
     * Settings with the default pool size and timeouts, StartTLS trusting the JVM's CAs, and attributes in
     * clear.
     */
    public static LdapStoreSettings of(List<Server> servers, String bindDn, String password, String baseDn) {
        return new LdapStoreSettings(servers, bindDn, password, baseDn, 10, Duration.ofSeconds(5), Duration.ofSeconds(10),
                LdapTls.startTls(), "");
    }

    /** A copy with another connection protection. */
    public LdapStoreSettings withTls(LdapTls protection) {
        return new LdapStoreSettings(servers, bindDn, password, baseDn, poolSize, connectTimeout, responseTimeout,
                protection, encryptionKey);
    }

    /** A copy sealing session attributes with {@code key} (base64; empty for none). */
    public LdapStoreSettings withEncryptionKey(String key) {
        return new LdapStoreSettings(servers, bindDn, password, baseDn, poolSize, connectTimeout, responseTimeout, tls, key);
    }

    /** Whether session attributes are sealed. */
    public boolean encrypted() {
        return !encryptionKey.isEmpty();
    }

    /**
     * Reads the keys above, without their {@code store.ldap.} prefix, from {@code node} (a gateway's
     * {@code storage.ldap}). A missing required key, an unknown key or a bad value fails naming the key by its
     * path in the document ({@code storage.ldap.poolSize: must be at least 1, got 0}).
     *
     * @param encryptionKey the {@code store.encryption.key} (base64), or empty or {@code null} for none
     */
    public static LdapStoreSettings from(ConfigNode node, String encryptionKey) {
        node.allowOnly(KEYS);
        List<String> entries = node.commaSeparated("servers");
        if (entries.isEmpty()) {
            throw node.error("servers", "is required (host:port, ldap:// or ldaps:// URLs, comma-separated or a list)");
        }
        return node.build(PREFIX, () -> {
            String scheme = commonScheme(entries);
            List<Server> servers = entries.stream().map(e -> scheme == null ? Server.parse(e)
                    : Server.parseUrl(e.substring(scheme.length() + 3), "ldaps".equals(scheme) ? 636 : 389)).toList();
            LdapTls tls = new LdapTls(tlsMode(node.optionalText("tls").orElse(null), scheme), node.path("truststore").orElse(null),
                    node.optionalSecret("truststorePassword").orElse(null), node.bool("allowInsecurePlain", false));
            return new LdapStoreSettings(servers, node.text("bindDn"), node.text("password"), node.text("baseDn"),
                    node.integer("poolSize", 10), node.millis("connectTimeout", Duration.ofSeconds(5), Long.MIN_VALUE, Long.MAX_VALUE),
                    node.millis("responseTimeout", Duration.ofSeconds(10), Long.MIN_VALUE, Long.MAX_VALUE), tls, encryptionKey);
        });
    }

    /** For the log: every setting, the passwords and the key masked. */
    @Override
    public String toString() {
        return "LdapStoreSettings[servers=" + servers + ", tls=" + tls + ", bindDn=" + bindDn + ", password=****, baseDn="
                + baseDn + ", poolSize=" + poolSize + ", connectTimeout=" + connectTimeout + ", responseTimeout="
                + responseTimeout + ", encryption=" + (encrypted() ? "AES-GCM" : "off") + "]";
    }

    /** The scheme all entries share ({@code null} for {@code host:port}); mixing forms is refused. */
    private static String commonScheme(List<String> entries) {
        String scheme = schemeOf(entries.getFirst());
        for (String entry : entries) {
            String entryScheme = schemeOf(entry);
            if (!Objects.equals(scheme, entryScheme)) {
                throw config("servers", "mixes " + describe(scheme) + " and " + describe(entryScheme) + " entries; give all"
                        + " servers the same scheme");
            }
        }
        return scheme;
    }

    /** {@code ldap} or {@code ldaps} for a URL entry, {@code null} for {@code host:port}. */
    private static String schemeOf(String entry) {
        String t = entry.strip().toLowerCase(Locale.ROOT);
        if (t.startsWith("ldaps://")) {
            return "ldaps";
        }
        if (t.startsWith("ldap://")) {
            return "ldap";
        }
        if (t.contains("://")) {
            throw config("servers", "'" + entry.strip() + "' has an unknown scheme; use host:port, ldap:// or ldaps://");
        }
        return null;
    }

    private static String describe(String scheme) {
        return scheme == null ? "host:port" : scheme + "://";
    }

    /** The configured mode, checked against the servers' scheme; by default LDAPS for ldaps://, else StartTLS. */
    private static LdapTls.Mode tlsMode(String configured, String scheme) {
        if (configured == null || configured.isBlank()) {
            return "ldaps".equals(scheme) ? LdapTls.Mode.LDAPS : LdapTls.Mode.STARTTLS;
        }
        LdapTls.Mode mode = LdapTls.Mode.parse(configured);
        if ("ldaps".equals(scheme) && mode != LdapTls.Mode.LDAPS || "ldap".equals(scheme) && mode == LdapTls.Mode.LDAPS) {
            throw config("tls", "is " + configured.strip() + " but the servers are " + scheme + ":// URLs;"
                    + " make them agree");
        }
        return mode;
    }

    private static int parseInt(String key, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw config(key, "must be a whole number, got '" + value + "'");
        }
    }

    private static void requireText(String key, String value) {
        if (value == null || value.isBlank()) {
            throw config(key, "must not be blank");
        }
    }

    private static void requirePositive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw config(key, "must be positive, got " + value);
        }
    }

    static BatonException config(String key, String problem) {
        return new BatonException(ResultCode.CONFIGURATION, PREFIX + key + " " + problem);
    }
}
