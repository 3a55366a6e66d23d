package dev.baton.store.ldap;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link LdapSessionStore} reaches its directory. Immutable; validated when built.
 *
 * <table>
 *   <caption>Configuration keys ({@link #fromProperties})</caption>
 *   <tr><th>key</th><th>type</th><th>default</th></tr>
 *   <tr><td>{@code store.ldap.servers}</td><td>comma-separated {@code host:port}, tried in order (failover)</td><td>required</td></tr>
 *   <tr><td>{@code store.ldap.bindDn}</td><td>DN</td><td>required</td></tr>
 *   <tr><td>{@code store.ldap.password}</td><td>text</td><td>required</td></tr>
 *   <tr><td>{@code store.ldap.baseDn}</td><td>DN under which session entries live</td><td>required</td></tr>
 *   <tr><td>{@code store.ldap.poolSize}</td><td>connections</td><td>10</td></tr>
 *   <tr><td>{@code store.ldap.connectTimeout}</td><td>milliseconds</td><td>5000</td></tr>
 *   <tr><td>{@code store.ldap.responseTimeout}</td><td>milliseconds</td><td>10000</td></tr>
 * </table>
 *
 * @param servers         directory servers in failover order; the first reachable one is used
 * @param bindDn          the DN to bind as (needs add, modify, delete and search under {@code baseDn})
 * @param password        its password
 * @param baseDn          the entry under which sessions are stored (created as an organizationalUnit if absent)
 * @param poolSize        maximum pooled connections, at least 1
 * @param connectTimeout  time to establish a connection
 * @param responseTimeout time to wait for any one operation
 */
public record LdapStoreSettings(List<Server> servers, String bindDn, String password, String baseDn,
                                int poolSize, Duration connectTimeout, Duration responseTimeout) {

    /** Prefix of every key read by {@link #fromProperties}. */
    public static final String PREFIX = "store.ldap.";

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
    }

    /** Settings with the default pool size and timeouts. */
    public static LdapStoreSettings of(List<Server> servers, String bindDn, String password, String baseDn) {
        return new LdapStoreSettings(servers, bindDn, password, baseDn, 10, Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    /** Reads the {@code store.ldap.*} keys; a missing required key or a bad value fails naming the key. */
    public static LdapStoreSettings fromProperties(Map<String, String> properties) {
        List<Server> servers = new ArrayList<>();
        for (String s : required(properties, "servers").split(",")) {
            if (!s.isBlank()) {
                servers.add(Server.parse(s));
            }
        }
        return new LdapStoreSettings(servers, required(properties, "bindDn"), required(properties, "password"),
                required(properties, "baseDn"),
                parseInt("poolSize", properties.getOrDefault(PREFIX + "poolSize", "10")),
                Duration.ofMillis(parseInt("connectTimeout", properties.getOrDefault(PREFIX + "connectTimeout", "5000"))),
                Duration.ofMillis(parseInt("responseTimeout", properties.getOrDefault(PREFIX + "responseTimeout", "10000"))));
    }

    /** For the log: every setting, the password masked. */
    @Override
    public String toString() {
        return "LdapStoreSettings[servers=" + servers + ", bindDn=" + bindDn + ", password=****, baseDn=" + baseDn
                + ", poolSize=" + poolSize + ", connectTimeout=" + connectTimeout + ", responseTimeout=" + responseTimeout + "]";
    }

    private static String required(Map<String, String> properties, String key) {
        String value = properties.get(PREFIX + key);
        if (value == null || value.isBlank()) {
            throw config(key, "is required");
        }
        return value.strip();
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
