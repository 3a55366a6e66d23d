package dev.baton.store.ldap;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.schema.Schema;
import com.unboundid.ldif.LDIFException;
import dev.baton.testing.ThrowawaySlapd;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Directory servers for tests: the UnboundID in-memory server and a throwaway OpenLDAP slapd. */
final class LdapStoreTesting {
    static final String SUFFIX = ThrowawaySlapd.SUFFIX;
    private static final AtomicInteger CONTAINERS = new AtomicInteger();

    private LdapStoreTesting() {
    }

    /**
     * A running slapd; fails loudly when slapd is not installed, unless {@code -Dbaton.allowSkip=true}
     * turns that into a skipped test.
     */
    static ThrowawaySlapd startSlapd() {
        requireSlapdBinary();
        return ThrowawaySlapd.start(LdapSessionStore.class.getResource("/dev/baton/store/ldap/baton.schema"));
    }

    /** Fails (or, with {@code -Dbaton.allowSkip=true}, skips) when slapd is not installed. */
    static void requireSlapdBinary() {
        if (ThrowawaySlapd.findBinary().isEmpty()) {
            if (Boolean.getBoolean("baton.allowSkip")) {
                Assumptions.abort("slapd is not installed and baton.allowSkip=true");
            }
            throw new IllegalStateException("slapd is not installed: run scripts/slapd.sh install "
                    + "(or pass -Dbaton.allowSkip=true to skip the slapd tests)");
        }
    }

    /** An in-memory directory with the standard schema plus Baton's, on a loopback port. */
    static InMemoryDirectoryServer startInMemory() {
        try {
            return startInMemory(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(), 0, null), null);
        } catch (LDAPException e) {
            throw new IllegalStateException("cannot configure the in-memory directory", e);
        }
    }

    /**
     * An in-memory directory with the standard schema plus Baton's, on {@code listener}.
     *
     * @param accessLog receives the server's access log (operations and extended requests), or {@code null}
     */
    static InMemoryDirectoryServer startInMemory(InMemoryListenerConfig listener, java.util.logging.Handler accessLog) {
        try {
            InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(SUFFIX);
            config.addAdditionalBindCredentials(ThrowawaySlapd.ROOT_DN, ThrowawaySlapd.PASSWORD);
            config.setSchema(Schema.mergeSchemas(Schema.getDefaultStandardSchema(), batonSchema()));
            config.setListenerConfigs(listener);
            config.setAccessLogHandler(accessLog);
            InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
            server.add("dn: " + SUFFIX, "objectClass: dcObject", "objectClass: organization", "o: baton", "dc: baton");
            server.startListening();
            return server;
        } catch (LDAPException | LDIFException | IOException e) {
            throw new IllegalStateException("cannot start the in-memory directory", e);
        }
    }

    /** The Baton schema from the shipped RFC 4512 LDIF. */
    static Schema batonSchema() throws IOException, LDIFException {
        try (InputStream in = LdapStoreTesting.class.getResourceAsStream("/dev/baton/store/ldap/baton-rfc4512.ldif")) {
            return Schema.getSchema(in);
        }
    }

    /** A base DN no other test uses. */
    static String freshBaseDn() {
        return "ou=sessions-" + CONTAINERS.incrementAndGet() + "," + SUFFIX;
    }

    /** Settings for a plain LDAP directory on loopback. */
    static LdapStoreSettings settings(int port, String baseDn) {
        return LdapStoreSettings.of(List.of(new LdapStoreSettings.Server("127.0.0.1", port)),
                ThrowawaySlapd.ROOT_DN, ThrowawaySlapd.PASSWORD, baseDn).withTls(LdapTls.none());
    }
}
